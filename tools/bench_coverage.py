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

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDON = "isp_sales_desk"
AREA = ((-55.0, -22.0), (-73.0, -54.0))  # (lat range, lon range)


def log(message, *args):
    print(message % args if args else message, flush=True)


def odoo_options(args, addons):
    return [
        f"--addons-path={addons}",
        f"--db_host={args.db_host}",
        f"--db_user={args.db_user}",
    ]


def make_addons_dir():
    path = Path(tempfile.mkdtemp(prefix="bench_coverage_addons_"))
    (path / ADDON).symlink_to(REPO)
    return path


def create_db(args, addons):
    log("creating %s: installing %s without demo data", args.db, ADDON)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            args.db,
            *odoo_options(args, addons),
            "-i",
            ADDON,
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )


def open_registry(args, addons):
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        [*odoo_options(args, addons), "-d", args.db, "--log-level=warn"]
    )
    return Registry(args.db)


def seed(env, n, rng_seed):
    env.cr.execute("SELECT count(*) FROM isp_network_node WHERE active")
    count = env.cr.fetchone()[0]
    if count >= n:
        log("%s active nodes already there: not seeding", count)
        return
    (lat_min, lat_max), (lon_min, lon_max) = AREA
    log("seeding %s nodes", n - count)
    env.cr.execute("SELECT setseed(%s)", [rng_seed / 1000.0])
    env.cr.execute(
        """
        INSERT INTO isp_network_node
            (name, node_type, technology, latitude, longitude, coverage_radius,
             capacity, used_capacity, free_capacity, active, company_id,
             create_date, write_date, create_uid, write_uid)
        SELECT 'Bench node ' || i, 'access_point', 'wireless',
               round((%s + random() * %s)::numeric, 7),
               round((%s + random() * %s)::numeric, 7),
               300 + (random() * 2700)::int,
               CASE WHEN i %% 3 = 0 THEN 64 ELSE 0 END,
               CASE WHEN i %% 3 = 0 THEN (random() * 64)::int ELSE 0 END,
               0, TRUE, %s, now(), now(), 1, 1
          FROM generate_series(1, %s) AS i
        """,
        [
            lat_min,
            lat_max - lat_min,
            lon_min,
            lon_max - lon_min,
            env.company.id,
            n - count,
        ],
    )
    env.cr.execute(
        "UPDATE isp_network_node"
        " SET free_capacity = GREATEST(capacity - used_capacity, 0)"
        " WHERE capacity > 0"
    )
    env.cr.commit()
    env.cr.execute("ANALYZE isp_network_node")


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * fraction))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="isp_bench_cov")
    parser.add_argument("--create-db", action="store_true")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--loop-lookups", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-user", default="root")
    args = parser.parse_args()

    from geopy.distance import great_circle

    addons = make_addons_dir()
    if args.create_db:
        create_db(args, addons)
    registry = open_registry(args, addons)

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
