#!/usr/bin/env python3
"""Benchmark of the intake (JSON-2) and of the availability check.

Usage::

    # 100,000 leads, prospects and tickets, then the same at 1,000 for the counts
    python3 tools/bench_intake.py --db isp_intake_bench --n 100000 --create-db
    python3 tools/bench_intake.py --db isp_intake_bench_1k --n 1000 --create-db
    python3 tools/bench_intake.py --db isp_intake_bench      # rerun, seeds nothing

What it does
------------
1. ``--create-db`` creates the database and installs ``isp_sales_desk``
   without demo data, from a temporary addons directory holding a symlink
   ``isp_sales_desk -> <repo>``.
2. Seeds, while the database holds fewer, N leads (phone, e-mail, ID document),
   N prospects with a point and N tickets (a third with an ``external_ref``)
   with plain SQL, plus 2,000 network nodes and one published plan; then
   ``ANALYZE``. Two sellers receive the leads (round robin).
3. Serves real HTTP requests in-process through Odoo's WSGI application
   (``odoo.http.root``, the same code as a server worker: routing,
   authentication, one transaction and commit per request), and measures the
   wall time of each request and the SQL queries it ran:

   * ``GET /isp/coverage/check?latitude=..&longitude=..`` (the public check,
     rate limit counter included; the limit is raised for the run);
   * ``POST /json/2/isp.sales.lead/intake`` with an API key of an *Intake
     (API)* bot: a new person with a covered point (its longest path: a
     follow-up activity for the seller) and a plan, an ``external_ref``, a
     source, medium and campaign (each call a new lead, prospect and ticket).

Targets (issue 8): check <= 30 ms; intake <= 150 ms and <= 60 queries, the
same count at 1,000 and at 100,000.
"""

import io
import json
import os
import random
import statistics
import time

from bench_common import (
    argument_parser,
    configure_odoo,
    create_db,
    insert_nodes,
    log,
    make_addons_dir,
    parse_args,
    percentile,
)

AREA = ((-34.0, -31.0), (-62.0, -59.0))  # around Rosario
HOME = (-32.95, -60.65)  # the requests of the run, within 2 km of it


def seed(env, n):
    cr = env.cr
    company_id = env.company.id
    cr.execute("SELECT count(*) FROM isp_sales_lead")
    count = cr.fetchone()[0]
    if count < n:
        log("seeding %s leads, prospects and tickets", n - count)
        (lat_min, lat_max), (lon_min, lon_max) = AREA
        cr.execute(
            """
            INSERT INTO isp_sales_lead
                (name, contact_type, phone, phone_sanitized, email, vat,
                 company_id, active, create_date, write_date, create_uid, write_uid)
            SELECT 'Bench lead ' || i, 'person',
                   '+54 9 341 ' || lpad(i::text, 7, '0'),
                   '+549341' || lpad(i::text, 7, '0'),
                   'bench' || i || '@example.com', (20000000 + i)::text,
                   %s, TRUE, now(), now(), 1, 1
              FROM generate_series(%s + 1, %s) AS i
            """,
            [company_id, count, n],
        )
        cr.execute(
            """
            INSERT INTO isp_sales_prospect
                (name, lead_id, company_id, latitude, longitude, has_point,
                 coverage, node_distance, create_date, write_date, create_uid,
                 write_uid)
            SELECT l.name, l.id, l.company_id,
                   round((%s + random() * %s)::numeric, 7),
                   round((%s + random() * %s)::numeric, 7),
                   TRUE, 'unknown', 0, now(), now(), 1, 1
              FROM isp_sales_lead l
             WHERE NOT EXISTS (SELECT 1 FROM isp_sales_prospect p
                                WHERE p.lead_id = l.id)
            """,
            [lat_min, lat_max - lat_min, lon_min, lon_max - lon_min],
        )
        cr.execute(
            """
            INSERT INTO isp_sales_ticket
                (name, prospect_id, prospect_name, lead_id, company_id, state,
                 active, priority, coverage, external_ref, date_state_changed,
                 create_date, write_date, create_uid, write_uid)
            SELECT 'MV/BENCH/' || p.id, p.id, p.name, p.lead_id, p.company_id,
                   'pending', TRUE, '0', 'unknown',
                   CASE WHEN p.id % 3 = 0 THEN 'bench-ref-' || p.id END,
                   now(), now(), now(), 1, 1
              FROM isp_sales_prospect p
             WHERE NOT EXISTS (SELECT 1 FROM isp_sales_ticket t
                                WHERE t.prospect_id = p.id)
            """
        )
    cr.execute("SELECT count(*) FROM isp_network_node WHERE active")
    if cr.fetchone()[0] < 2000:
        log("seeding 2000 network nodes")
        insert_nodes(cr, 2000, AREA, company_id, capacity=False)
    cr.execute("SELECT 1 FROM isp_network_node WHERE name = 'Bench home node'")
    if not cr.fetchone():
        # the requests of the run fall in its radius: every one is covered
        # and gets its follow-up activity, the longest path of the intake.
        # (SQL: the ORM would recompute the seeded prospects' coverage)
        cr.execute(
            """
            INSERT INTO isp_network_node
                (name, node_type, technology, latitude, longitude, coverage_radius,
                 capacity, used_capacity, free_capacity, active, company_id,
                 create_date, write_date, create_uid, write_uid)
            VALUES ('Bench home node', 'tower', 'wireless', %s, %s, 5000,
                    0, 0, 0, TRUE, %s, now(), now(), 1, 1)
            """,
            [HOME[0], HOME[1], company_id],
        )
    plan = env["product.product"].search([("default_code", "=", "BENCH100")])
    if not plan:
        plan = env["product.product"].create(
            {
                "name": "Bench plan",
                "type": "service",
                "service_kind": "plan",
                "default_code": "BENCH100",
                "isp_published": True,
                "list_price": 100,
            }
        )
    users = env["res.users"].with_context(active_test=False)
    sellers = users.search([("login", "in", ("bench_seller1", "bench_seller2"))])
    for login in ("bench_seller1", "bench_seller2"):
        if login not in sellers.mapped("login"):
            sellers |= users.create(
                {
                    "name": login,
                    "login": login,
                    "group_ids": [
                        (4, env.ref("isp_sales_desk.group_isp_sales_user").id)
                    ],
                }
            )
    env.company.isp_intake_user_ids = sellers
    bot = users.search([("login", "=", "bench_intake_bot")])
    if not bot:
        bot = users.create(
            {
                "name": "Bench intake bot",
                "login": "bench_intake_bot",
                "group_ids": [
                    (4, env.ref("base.group_user").id),
                    (4, env.ref("isp_sales_desk.group_isp_sales_intake").id),
                ],
            }
        )
    key = env["res.users.apikeys"].with_user(bot).sudo()._generate("rpc", "bench", None)
    env["ir.config_parameter"].set_param("isp_sales_desk.coverage_check_limit", 10**9)
    cr.commit()
    for table in (
        "isp_sales_lead",
        "isp_sales_prospect",
        "isp_sales_ticket",
        "isp_network_node",
    ):
        cr.execute(f"ANALYZE {table}")
    cr.commit()
    return key


def serve(app, environ_base, method, path, body=None, headers=None):
    """One request through the WSGI application; (status, body, queries, ms)."""
    from werkzeug.test import EnvironBuilder

    from odoo import sql_db

    builder = EnvironBuilder(
        path=path,
        method=method,
        data=body,
        headers=headers or {},
        environ_base=environ_base,
    )
    environ = builder.get_environ()
    status = []

    def start_response(value, _headers, _exc_info=None):
        status.append(value)

    before = sql_db.sql_counter
    start, cpu = time.perf_counter(), time.process_time()
    chunks = app(environ, start_response)
    payload = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    elapsed = (time.perf_counter() - start) * 1000
    cpu = (time.process_time() - cpu) * 1000
    queries = sql_db.sql_counter - before
    return int(status[0].split()[0]), payload, queries, elapsed, cpu


def report(name, results, target_ms, target_queries=None):
    timings = [r[3] for r in results]
    queries = [r[2] for r in results]
    median = statistics.median(timings)
    log(
        "  %-8s median %.1f ms, p90 %.1f ms (Odoo process CPU: median %.1f ms); "
        "queries per request: median %s, min %s, max %s",
        name,
        median,
        percentile(timings, 0.9),
        statistics.median(r[4] for r in results),
        statistics.median(queries),
        min(queries),
        max(queries),
    )
    verdict = "met" if median <= target_ms else "MISSED"
    line = f"           target <= {target_ms} ms: {verdict}"
    if target_queries is not None:
        met = "met" if statistics.median(queries) <= target_queries else "MISSED"
        line += f"; <= {target_queries} queries: {met}"
    log(line)


def main():
    parser = argument_parser(__doc__, "isp_intake_bench")
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    args = parse_args(parser)

    addons = make_addons_dir("bench_intake")
    if args.create_db:
        create_db(args, addons)

    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    configure_odoo(args, addons)
    odoo.tools.config["dbfilter"] = f"^{args.db}$"
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        key = seed(env, args.n)
        cr.execute("SELECT count(*) FROM isp_sales_lead")
        leads = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM isp_sales_prospect")
        prospects = cr.fetchone()[0]

    from odoo.http import root

    root.initialize()
    rng = random.Random(args.seed)
    (lat_min, lat_max), (lon_min, lon_max) = AREA
    run_id = int(time.time())
    environ_base = {"REMOTE_ADDR": "127.0.0.1"}

    def check():
        lat, lon = rng.uniform(lat_min, lat_max), rng.uniform(lon_min, lon_max)
        return serve(
            root,
            environ_base,
            "GET",
            f"/isp/coverage/check?latitude={lat:.6f}&longitude={lon:.6f}",
        )

    counter = iter(range(10**9))

    def intake():
        i = next(counter)
        lat = HOME[0] + rng.uniform(-0.015, 0.015)
        lon = HOME[1] + rng.uniform(-0.015, 0.015)
        body = {
            "name": f"Bench visitor {run_id}-{i}",
            "phone": f"+54 9 11 {run_id % 10000:04d} {i:04d}",
            "email": f"visitor{run_id}-{i}@example.com",
            "latitude": lat,
            "longitude": lon,
            "plan_code": "BENCH100",
            "source": "Sitio web",
            "medium": "cpc",
            "campaign": "bench",
            "external_ref": f"bench-{run_id}-{i}",
        }
        return serve(
            root,
            environ_base,
            "POST",
            "/json/2/isp.sales.lead/intake",
            body=io.BytesIO(json.dumps(body).encode()),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"bearer {key}",
                "X-Odoo-Database": args.db,
            },
        )

    results = {}
    for name, call in (("check", check), ("intake", intake)):
        for _i in range(args.warmup):
            call()
        results[name] = [call() for _i in range(args.calls)]
        bad = [r for r in results[name] if r[0] != 200]
        if bad:
            log("%s: %s requests failed, e.g. %s", name, len(bad), bad[0][1][:300])

    log("")
    log(
        "database %s: %s leads, %s prospects; %s calls each after %s warm-up calls",
        args.db,
        leads,
        prospects,
        args.calls,
        args.warmup,
    )
    log(
        "load average %.1f on %s CPUs (wall times grow with the load of the machine)",
        os.getloadavg()[0],
        os.cpu_count(),
    )
    report("check", results["check"], 30)
    report("intake", results["intake"], 150, 60)


if __name__ == "__main__":
    main()
