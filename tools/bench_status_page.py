#!/usr/bin/env python3
"""Benchmark of the customer's status page and its slot list, at N tickets
(100,000 by default) and P orders planned in field service (2,000).

Usage::

    python3 tools/bench_status_page.py --db isp_status_bench --create-db
    python3 tools/bench_status_page.py --db isp_status_bench          # rerun
    python3 tools/bench_status_page.py --db isp_status_bench --update

1. ``--create-db`` installs ``isp_sales_desk`` without demo data.
2. Seeding, once: the N tickets of ``tools/bench_reports.py`` (SQL), then P
   field service orders planned in SQL over the next three weeks, all on the
   team that installs the measured ticket (the worst case: every planned
   order is one of its team's), spread over the team's windows; and, with the
   ORM, the measured ticket: a prospect with its point, an installation
   order handed to field service, and the link of its page.
3. A real Odoo HTTP server (``--workers=0``, port ``--port``) serves the page:
   ``GET /isp/status/<id>?access_token=...`` (the page, with its slot list)
   ``--runs`` times after ``--warmup`` runs, over one keep-alive connection, as
   a phone does; and, in the same process as the script, each call on a new
   cursor, the page's data (``isp.sales.status.page._values``) and the slot
   list alone (``_free_slots``), with their query counts; for scale, the
   availability page and Odoo's health check on the same server. The page's
   rate limit is raised for the run (it would answer 429 after 60 views a
   minute).

Target: the page and the slot list answer in <= 100 ms (median and p95).
"""

import os
import statistics
import subprocess
import sys
import time
from datetime import datetime

import bench_common
from bench_common import ADDON, log, percentile

TARGET = 0.100
TEAM = "Bench installers"
PLANNED_SQL = """
INSERT INTO fsm_order (name, location_id, team_id, company_id, stage_id,
                       priority, scheduled_date_start, scheduled_date_end,
                       scheduled_duration, create_date, write_date,
                       create_uid, write_uid)
SELECT 'BENCH-FO-' || g, %(location)s, %(team)s, %(company)s, %(stage)s, '0',
       -- days 1 to 21, windows 9-13 and 14-18 in Argentina (12 and 17 UTC)
       date_trunc('day', %(now)s::timestamp) + make_interval(days => 1 + g %% 21)
           + CASE WHEN g %% 2 = 0 THEN interval '12 hours' ELSE interval '17 hours' END
           + make_interval(mins => (g * 7) %% 180),
       NULL, 2, %(now)s, %(now)s, 1, 1
  FROM generate_series(1, %(planned)s) g
"""


def seed(registry, args):
    import bench_reports

    from odoo import SUPERUSER_ID, Command, api

    bench_reports.seed(registry, args.n)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        Ticket = env["isp.sales.ticket"]
        ticket = Ticket.search([("name", "=", "MV/BENCH/STATUS")], limit=1)
        if ticket:
            log("measured ticket already there: no seeding")
            return ticket.id
        env.company.partner_id.tz = "America/Argentina/Buenos_Aires"
        calendar = env["resource.calendar"].create(
            {
                "name": "Bench installation hours",
                "tz": "America/Argentina/Buenos_Aires",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                    for day in range(7)
                    for start, end, period in (
                        (9, 13, "morning"),
                        (14, 18, "afternoon"),
                    )
                ],
            }
        )
        team = env["fsm.team"].create(
            {"name": TEAM, "sequence": -1000, "isp_calendar_id": calendar.id}
        )
        plan = env["product.product"].search([("service_kind", "=", "plan")], limit=1)
        lead = env["isp.sales.lead"].create(
            {"name": "Bench Customer", "email": "bench@example.com"}
        )
        prospect = env["isp.sales.prospect"].create(
            {
                "lead_id": lead.id,
                "street": "Córdoba",
                "street_number": "1452",
                "city": "Rosario",
                "latitude": -32.9468,
                "longitude": -60.6393,
                "line_ids": [Command.create({"product_id": plan.id})],
            }
        )
        ticket = Ticket.create({"prospect_id": prospect.id})
        Ticket.env.cr.execute(
            "UPDATE isp_sales_ticket SET name = 'MV/BENCH/STATUS' WHERE id = %s",
            [ticket.id],
        )
        order = ticket.action_create_order("installation")
        assert order.fsm_order_id.team_id == team
        ticket._portal_ensure_token()
        env.flush_all()
        stage = env.ref("fieldservice.fsm_stage_new")
        log("planning %s field service orders in SQL", args.planned)
        cr.execute(
            PLANNED_SQL,
            {
                "location": order.fsm_order_id.location_id.id,
                "team": team.id,
                "company": env.company.id,
                "stage": stage.id,
                "now": datetime.now(),
                "planned": args.planned,
            },
        )
        cr.commit()
        ticket_id = ticket.id
    bench_common.vacuum(args, ["fsm_order", "isp_sales_order"], "VACUUM ANALYZE")
    return ticket_id


def measure_in_process(registry, ticket_id, runs, warmup):
    from odoo import SUPERUSER_ID, api

    results = {}
    for name in ("_values", "_free_slots"):
        times, queries = [], []
        for index in range(warmup + runs):
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {"lang": "es_AR"})
                Page = env["isp.sales.status.page"]
                ticket = env["isp.sales.ticket"].browse(ticket_id)
                start_count = cr.sql_log_count
                started = time.perf_counter()
                if name == "_values":
                    Page._values(ticket)
                else:
                    Page._free_slots(Page._slot_order(ticket))
                elapsed = time.perf_counter() - started
                if index >= warmup:
                    times.append(elapsed)
                    queries.append(cr.sql_log_count - start_count)
        results[name] = (times, queries)
    return results


def measure_http(url, runs, warmup):
    import requests

    session = requests.Session()
    times = []
    for index in range(warmup + runs):
        started = time.perf_counter()
        response = session.get(url, timeout=30)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        if index >= warmup:
            times.append(elapsed)
    return times, response


def start_server(args, addons):
    command = [
        sys.executable, "-m", "odoo", "server", "-d", args.db,
        *bench_common.odoo_options(args, addons),
        f"--http-port={args.port}", "--http-interface=127.0.0.1",
        "--workers=0", "--max-cron-threads=0", "--log-level=warn",
    ]  # fmt: skip
    server = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    import requests

    for _index in range(120):
        try:
            requests.get(f"http://127.0.0.1:{args.port}/web/health", timeout=2)
            return server
        except requests.RequestException:
            time.sleep(1)
    server.terminate()
    raise SystemExit("the Odoo server did not start")


def report(name, times, queries=None):
    median = statistics.median(times)
    p95 = percentile(times, 0.95)
    verdict = "OK" if p95 <= TARGET else "OVER TARGET"
    extra = f", {queries[-1]} queries" if queries else ""
    log(
        "%-44s median %6.1f ms  p95 %6.1f ms  max %6.1f ms%s  %s",
        name, median * 1000, p95 * 1000, max(times) * 1000, extra, verdict,
    )  # fmt: skip
    return p95 <= TARGET


def main():
    parser = bench_common.argument_parser(__doc__, "isp_status_bench")
    parser.add_argument("--planned", type=int, default=2000)
    parser.add_argument("--crews", type=int, default=60)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--port", type=int, default=8769)
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--db-port", default=os.environ.get("PGPORT"))
    args = bench_common.parse_args(parser)
    addons = bench_common.make_addons_dir("bench_status_page")
    if args.create_db and not bench_common.db_exists(args, args.db):
        bench_common.create_db(args, addons)
    if args.update:
        bench_common.run_odoo(args, addons, "-u", ADDON)
    registry = bench_common.open_registry(args, addons)
    ticket_id = seed(registry, args)
    with registry.cursor() as cr:
        from odoo import SUPERUSER_ID, api

        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param("isp_sales_desk.status_page_limit", 100000)
        ticket = env["isp.sales.ticket"].browse(ticket_id)
        # a big ISP's installers: the planned orders take about three crews of
        # four in each window, and leave the rest free
        team = env["fsm.team"].search([("name", "=", TEAM)], limit=1)
        crews = env["fsm.person"].search_count([("team_id", "=", team.id)])
        for index in range(crews, args.crews):
            partner = env["res.partner"].create({"name": f"Bench crew {index}"})
            env["fsm.person"].create({"partner_id": partner.id, "team_id": team.id})
        # the customer reads the page in Spanish, as the desk's customers do
        if env["res.lang"]._activate_lang("es_AR"):
            env["ir.module.module"].search([("name", "=", ADDON)])._update_translations(
                ["es_AR"]
            )
        ticket.lead_id.partner_id.lang = "es_AR"
        path = ticket.get_portal_url()
        counts = (
            env["isp.sales.ticket"].search_count([]),
            env["fsm.order"].search_count(
                [
                    ("team_id.name", "=", TEAM),
                    ("scheduled_date_start", ">=", datetime.now()),
                ]
            ),
        )
        cr.commit()
    log("%s tickets, %s orders planned for the team", *counts)
    ok = True
    for name, (times, queries) in measure_in_process(
        registry, ticket_id, args.runs, args.warmup
    ).items():
        ok &= report(f"in process: {name}", times, queries)
    server = start_server(args, addons)
    try:
        times, response = measure_http(
            f"http://127.0.0.1:{args.port}{path}", args.runs, args.warmup
        )
        slots = response.text.count('name="slot"')
        ok &= report(f"HTTP GET the page ({slots} slots offered)", times)
        # for scale, on the same server and machine: the availability page
        # (no data) and Odoo's health check (no database)
        for reference in ("/isp/coverage", "/web/health"):
            times, _response = measure_http(
                f"http://127.0.0.1:{args.port}{reference}", args.runs, args.warmup
            )
            report(f"HTTP GET {reference} (for scale)", times)
    finally:
        server.terminate()
        server.wait(timeout=30)
    log("all within %d ms" % (TARGET * 1000) if ok else "some calls over the target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
