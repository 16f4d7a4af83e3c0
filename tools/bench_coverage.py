#!/usr/bin/env python3
"""Benchmark of the nearest-node lookup behind the coverage verdict.

Usage::

    pip install geopy    # only for this benchmark, not a runtime dependency
    python3 tools/bench_coverage.py --db isp_bench_cov --create-db   # N = 100,000
    python3 tools/bench_coverage.py --db isp_bench_cov                # rerun

What it does
------------
1. ``--create-db`` creates the database and installs ``isp_sales_desk``
   without demo data, from a temporary addons directory holding a symlink
   ``isp_sales_desk -> <repo>``.

2. Seeds, while the database holds fewer, N active ``isp.network.node`` of the
   main company with one SQL statement (the ORM would post a chatter message
   per node, and no prospect exists to recompute): points spread over
   Argentina (latitude -55..-22, longitude -73..-54), radius 300-3000 m, a
   third with a capacity. Then ``ANALYZE``.

3. Measures, on one cursor of the running registry (warm caches, as in a
   server), ``isp.network.node._isp_nearest_nodes`` for ``--lookups`` random
   points over the same area, one point per call as the wizard asks: median
   and p90 wall time, and SQL queries per lookup (one per search box; a point
   far from every node needs the larger boxes).

4. Against the same nodes, the plain Python way: the nodes read once into a
   list (not timed), then for each of ``--loop-lookups`` of the same points a
   loop over all of them with ``geopy.distance.great_circle``, keeping the
   nearest. Both must find the same node; the script checks it.

Targets (issue 3): median <= 5 ms and >= 100x faster than the loop.
"""

import random
import statistics
import time

from bench_common import (
    argument_parser,
    insert_nodes,
    log,
    open_bench_registry,
    parse_args,
    percentile,
)

AREA = ((-55.0, -22.0), (-73.0, -54.0))  # (lat range, lon range)


def seed(env, n, rng_seed):
    env.cr.execute("SELECT count(*) FROM isp_network_node WHERE active")
    count = env.cr.fetchone()[0]
    if count >= n:
        log("%s active nodes already there: not seeding", count)
        return
    log("seeding %s nodes", n - count)
    env.cr.execute("SELECT setseed(%s)", [rng_seed / 1000.0])
    insert_nodes(env.cr, n - count, AREA, env.company.id)
    env.cr.commit()
    env.cr.execute("ANALYZE isp_network_node")


def main():
    parser = argument_parser(__doc__, "isp_bench_cov")
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--loop-lookups", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    args = parse_args(parser)

    from geopy.distance import great_circle

    registry = open_bench_registry(args, "bench_coverage")

    from odoo import SUPERUSER_ID, api

    rng = random.Random(args.seed)
    (lat_min, lat_max), (lon_min, lon_max) = AREA
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        seed(env, args.n, args.seed)
        Node = env["isp.network.node"]
        company_id = env.company.id
        points = [
            (rng.uniform(lat_min, lat_max), rng.uniform(lon_min, lon_max))
            for _i in range(args.lookups)
        ]

        # 1. the SQL lookup, one point per call
        for lat, lon in points[:20]:  # warm-up: plans and caches
            Node._isp_nearest_nodes([(lat, lon, company_id)])
        timings, queries, found = [], [], []
        for lat, lon in points:
            before = cr.sql_log_count
            start = time.perf_counter()
            (result,) = Node._isp_nearest_nodes([(lat, lon, company_id)])
            timings.append((time.perf_counter() - start) * 1000)
            queries.append(cr.sql_log_count - before)
            found.append(result)

        # 2. the plain Python loop with geopy over the same nodes
        cr.execute(
            "SELECT id, latitude::float8, longitude::float8 FROM isp_network_node"
            " WHERE active AND company_id = %s",
            [company_id],
        )
        nodes = cr.fetchall()
        loop_timings, mismatches = [], 0
        for index, (lat, lon) in enumerate(points[: args.loop_lookups]):
            start = time.perf_counter()
            best_id, best = None, None
            for node_id, node_lat, node_lon in nodes:
                distance = great_circle((lat, lon), (node_lat, node_lon)).meters
                if best is None or distance < best:
                    best_id, best = node_id, distance
            loop_timings.append((time.perf_counter() - start) * 1000)
            sql = found[index]
            # beyond the last search box the SQL lookup finds nothing, on purpose
            if (sql and sql["node_id"] != best_id) or (not sql and best < 500_000):
                mismatches += 1

    sql_median = statistics.median(timings)
    loop_median = statistics.median(loop_timings)
    log("")
    log("nearest node among %s active nodes (%s lookups)", len(nodes), len(points))
    log(
        "  SQL bounding box + haversine: median %.3f ms, p90 %.3f ms, "
        "queries per lookup: median %s, max %s",
        sql_median,
        percentile(timings, 0.9),
        statistics.median(queries),
        max(queries),
    )
    log(
        "  Python loop with geopy great_circle (%s lookups): median %.1f ms",
        len(loop_timings),
        loop_median,
    )
    log(
        "  speed-up: %.0fx; same nearest node: %s",
        loop_median / sql_median,
        "yes" if not mismatches else f"NO ({mismatches} differ)",
    )
    log(
        "  targets: median <= 5 ms: %s; >= 100x faster: %s",
        "met" if sql_median <= 5 else "MISSED",
        "met" if loop_median / sql_median >= 100 else "MISSED",
    )


if __name__ == "__main__":
    main()
