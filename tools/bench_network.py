#!/usr/bin/env python3
"""Benchmark of network edits and of the map at 100,000 prospects and tickets.

Usage::

    python3 tools/bench_network.py --db isp_bench_net --create-db   # N = 100,000
    python3 tools/bench_network.py --db isp_bench_net               # rerun
    python3 tools/bench_network.py --db isp_bench_net_1k --n 1000 --create-db

What it does
------------
1. ``--create-db`` installs ``isp_sales_desk`` without demo data, from a
   temporary addons directory holding a symlink ``isp_sales_desk -> <repo>``.

2. Seeds, when the database holds fewer, over a metropolitan area of about
   55 x 47 km around Rosario (latitude -33.2..-32.7, longitude -61.0..-60.5):
   ``--nodes`` network nodes (radius 300-3000 m, a third with a capacity),
   then N leads, N prospects (estimated monthly amount 80-300) and N tickets,
   each with one SQL statement (the ORM would take minutes). The verdicts are
   then computed by the addon itself (the prospects' ``_compute_coverage``, in
   batches of 1,000) and copied to the tickets. Tickets: 40% pending, 25% with
   an order in progress, 20% won, 15% lost: for *No coverage* (the demand)
   where the place is uncovered, for its price elsewhere. Status facts are
   seeded directly: this is benchmark data, never a pattern for the addon.

3. Measures, as the superuser on a fresh cursor per call, commit included,
   ``--runs`` times (median):

   * node create (radius 1000 m, random point of the area), node move (500 m),
     create 50 nodes in one call, archive one node: ms and SQL queries, and the
     chatter messages written on prospects and tickets (must be 0);
   * the map data call (whole area, zoom 11; a city block, zoom 17) as a
     seller: ms, KB of JSON, queries; and the what-if answer (ms).

Targets (issue 11): node create / move <= 200 ms, 50 nodes <= 2 s, queries
independent of N; map call <= 100 ms, <= 300 KB, <= 5 queries; what-if <= 50 ms.
Compare the query counts with a run at ``--n 1000``.
"""

import json
import os
import random
import statistics
import time

from bench_common import (
    ADDON,
    argument_parser,
    insert_nodes,
    log,
    open_bench_registry,
    parse_args,
    vacuum,
)

AREA = ((-33.2, -32.7), (-61.0, -60.5))  # (lat range, lon range)
SELLER_LOGIN = "bench_network_seller"


def seed(env, args):
    cr = env.cr
    (lat0, lat1), (lon0, lon1) = AREA
    company = env.company.id
    cr.execute("SELECT setseed(%s)", [args.seed / 1000.0])
    cr.execute("SELECT count(*) FROM isp_network_node WHERE active")
    if cr.fetchone()[0] < args.nodes:
        log("seeding %s nodes", args.nodes)
        insert_nodes(cr, args.nodes, AREA, company)
    cr.execute("SELECT count(*) FROM isp_sales_ticket")
    existing = cr.fetchone()[0]
    if existing >= args.n:
        log("%s tickets already there: not seeding", existing)
        return
    log("seeding %s leads, prospects and tickets", args.n - existing)
    n = args.n - existing
    cr.execute(
        """
        INSERT INTO isp_sales_lead (name, company_id, contact_type, active,
                                    create_date, write_date, create_uid, write_uid)
        SELECT 'Bench lead ' || i, %s, 'person', TRUE, now(), now(), 1, 1
          FROM generate_series(1, %s) AS i
        RETURNING id
        """,
        [company, n],
    )
    lead_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        """
        INSERT INTO isp_sales_prospect
            (name, lead_id, company_id, latitude, longitude, has_point, coverage,
             amount_total, amount_subtotal, create_date, write_date, create_uid,
             write_uid)
        SELECT 'Bench prospect ' || l.id, l.id, %s,
               round((%s + random() * %s)::numeric, 7),
               round((%s + random() * %s)::numeric, 7),
               TRUE, 'unknown', a.amount, a.amount, now(), now(), 1, 1
          FROM unnest(%s::int[]) AS l(id),
       LATERAL (SELECT round((80 + random() * 220)::numeric, 2) AS amount
                 WHERE l.id IS NOT NULL) a
        RETURNING id
        """,
        [company, lat0, lat1 - lat0, lon0, lon1 - lon0, lead_ids],
    )
    prospect_ids = sorted(row[0] for row in cr.fetchall())
    log("computing %s verdicts with the addon", len(prospect_ids))
    Prospect = env["isp.sales.prospect"]
    for start in range(0, len(prospect_ids), 1000):
        batch = Prospect.browse(prospect_ids[start : start + 1000])
        env["isp.network.node"]._isp_set_coverage(batch)
        batch.flush_recordset()
        env.invalidate_all()
    no_coverage = env.ref(f"{ADDON}.loss_reason_no_coverage").id
    price = env.ref(f"{ADDON}.loss_reason_price").id
    seller = ensure_seller(env)
    cr.execute(
        """
        INSERT INTO isp_sales_ticket
            (name, prospect_id, prospect_name, lead_id, company_id, user_id,
             latitude, longitude,
             state, lost_reason_id, amount_total, coverage, currency_id, active,
             order_count, priority, date_state_changed, create_date, write_date,
             create_uid, write_uid)
        SELECT 'BENCH/' || p.id, p.id, p.name, p.lead_id, p.company_id, %(seller)s,
               p.latitude, p.longitude, s.state,
               CASE WHEN s.state = 'lost' THEN
                    CASE WHEN p.coverage = 'uncovered' THEN %(no_coverage)s
                         ELSE %(price)s END
               END,
               p.amount_total, p.coverage, c.currency_id, TRUE, 0, '0',
               now(), now(), now(), 1, 1
          FROM isp_sales_prospect p
          JOIN res_company c ON c.id = p.company_id
          JOIN LATERAL (SELECT CASE WHEN r < 0.40 THEN 'pending'
                                    WHEN r < 0.65 THEN 'in_progress'
                                    WHEN r < 0.85 THEN 'won'
                                    ELSE 'lost' END AS state
                          FROM (SELECT random() + p.id * 0 AS r) x) s ON TRUE
         WHERE p.id = ANY(%(ids)s)
        """,
        {
            "seller": seller.id,
            "no_coverage": no_coverage,
            "price": price,
            "ids": prospect_ids,
        },
    )
    cr.commit()
    log("compacting and analyzing")
    vacuum(
        args,
        ("isp_network_node", "isp_sales_prospect", "isp_sales_ticket"),
        "VACUUM FULL ANALYZE",
    )


def ensure_seller(env):
    user = env["res.users"].search([("login", "=", SELLER_LOGIN)])
    if not user:
        user = env["res.users"].create(
            {
                "name": "Bench Network Seller",
                "login": SELLER_LOGIN,
                "group_ids": [(4, env.ref(f"{ADDON}.group_isp_sales_user").id)],
            }
        )
    return user


def timed(registry, uid, call, runs):
    """Median ms and queries of ``call(env)`` over ``runs`` fresh cursors,
    commit included; returns (ms, queries, last result)."""
    from odoo import api

    timings, queries, result = [], [], None
    for _run in range(runs):
        with registry.cursor() as cr:
            env = api.Environment(cr, uid, {})
            before = cr.sql_log_count
            start = time.perf_counter()
            result = call(env)
            env.flush_all()
            cr.commit()
            timings.append((time.perf_counter() - start) * 1000)
            queries.append(cr.sql_log_count - before)
    return statistics.median(timings), statistics.median(queries), result


def messages_on_records(registry):
    with registry.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM mail_message"
            " WHERE model IN ('isp.sales.prospect', 'isp.sales.ticket')"
        )
        return cr.fetchone()[0]


def bench_network(registry, args, rng):
    from odoo import SUPERUSER_ID

    (lat0, lat1), (lon0, lon1) = AREA

    def point():
        return rng.uniform(lat0, lat1), rng.uniform(lon0, lon1)

    def node_vals(index):
        lat, lon = point()
        return {
            "name": f"Bench new node {index}",
            "latitude": lat,
            "longitude": lon,
            "coverage_radius": 1000,
        }

    created, every = [], []

    def create_one(env):
        node = env["isp.network.node"].create(node_vals(len(created)))
        created.append(node.id)
        every.append(node.id)

    def move_one(env):
        node = env["isp.network.node"].browse(created[0])
        node.write({"latitude": node.latitude + rng.choice([-1, 1]) * 0.0045})

    def create_fifty(env):
        nodes = env["isp.network.node"].create([node_vals(i) for i in range(50)])
        created.extend(nodes.ids)
        every.extend(nodes.ids)

    def archive_one(env):
        env["isp.network.node"].browse(created.pop()).active = False

    messages = messages_on_records(registry)
    rows = [
        ("node create", timed(registry, SUPERUSER_ID, create_one, args.runs), 200),
        ("node move 500 m", timed(registry, SUPERUSER_ID, move_one, args.runs), 200),
        ("create 50 nodes", timed(registry, SUPERUSER_ID, create_fifty, 3), 2000),
        ("node archive", timed(registry, SUPERUSER_ID, archive_one, args.runs), 200),
    ]
    written = messages_on_records(registry) - messages
    log("")
    log("network edits, %s prospects (median, commit included)", args.n)
    for label, (ms, queries, _result), target in rows:
        log(
            "  %-18s %8.1f ms  %4d queries   target <= %d ms: %s",
            label,
            ms,
            queries,
            target,
            "met" if ms <= target else "MISSED",
        )
    log("  chatter messages written on prospects and tickets: %s", written)
    # leave the network as it was found
    from odoo import api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Node = env["isp.network.node"].with_context(active_test=False)
        Node.browse(every).exists().unlink()


def bench_map(registry, args, rng):
    from odoo import api

    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {})
        seller = ensure_seller(env).id
        manager = env.ref("base.user_admin").id
        cr.commit()
    Ticket = "isp.sales.ticket"
    (lat0, lat1), (lon0, lon1) = AREA
    views = [
        ("whole area, zoom 11", [lat0, lon0, lat1, lon1], 11),
        ("city block, zoom 17", [-32.955, -60.645, -32.945, -60.635], 17),
    ]
    log("")
    log("map data as a seller, %s tickets (median of %s)", args.n, args.runs)
    for label, bbox, zoom in views:
        ms, queries, data = timed(
            registry,
            seller,
            lambda env, b=bbox, z=zoom: env[Ticket].get_isp_map_data([], b, z),
            args.runs,
        )
        size = len(json.dumps(data)) / 1024
        log(
            "  %-22s %7.1f ms  %6.1f KB  %2d queries  (%s clusters, %s points)"
            "  targets <= 100 ms, <= 300 KB, <= 5 queries: %s",
            label,
            ms,
            size,
            queries,
            len(data["clusters"]),
            len(data["points"]),
            "met" if ms <= 100 and size <= 300 and queries <= 5 else "MISSED",
        )

    def what_if(env):
        lat, lon = rng.uniform(lat0, lat1), rng.uniform(lon0, lon1)
        return env[Ticket].get_isp_what_if(lat, lon, 1500, "wireless", 64)

    ms, queries, result = timed(registry, manager, what_if, args.runs)
    log(
        "  what-if node 1500 m   %7.1f ms  %2d queries  (reaches %s)"
        "  target <= 50 ms: %s",
        ms,
        queries,
        result["reached"],
        "met" if ms <= 50 else "MISSED",
    )


def main():
    parser = argument_parser(__doc__, "isp_bench_net")
    parser.add_argument("--nodes", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--skip-map", action="store_true")
    parser.add_argument("--skip-network", action="store_true")
    args = parse_args(parser)

    registry = open_bench_registry(args, "bench_network")

    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        seed(api.Environment(cr, SUPERUSER_ID, {}), args)
    rng = random.Random(args.seed)
    log("load average (1, 5, 15 min): %.1f %.1f %.1f", *os.getloadavg())
    if not args.skip_network:
        bench_network(registry, args, rng)
    if not args.skip_map:
        bench_map(registry, args, rng)


if __name__ == "__main__":
    main()
