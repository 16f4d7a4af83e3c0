#!/usr/bin/env python3
"""Benchmark of the manager reports: the "Sales Desk" dashboard's data calls
and the monthly report, at N tickets (100,000 by default).

Usage::

    python3 tools/bench_reports.py --db isp_reports_bench --create-db
    python3 tools/bench_reports.py --db isp_reports_bench        # rerun
    python3 tools/bench_reports.py --db isp_reports_bench --update

1. ``--create-db`` installs ``isp_sales_desk`` (with ``spreadsheet_dashboard``)
   without demo data, from a temporary addons directory holding a symlink to
   this repository.
2. Seeding (only while the database holds fewer than N tickets), in SQL with
   ``generate_series`` so that 100,000 tickets take seconds: N leads, N
   prospects, N tickets spread over the last 24 months, 10 origins, 8 sellers,
   every fifth lead referred by a customer; about 40% pending, 20% with an
   order in progress, 25% won (1-60 days to win), 15% lost over the shipped
   loss reasons; the status history (state log) with one stay per status
   reached. The stored fields the reports read (state, won/lost counters,
   dates, amounts, order count) are written consistently with what the
   addon's computes would write; the benchmark measures reading them. Then
   ``VACUUM ANALYZE``.
3. Measurements as a sales desk manager (not the superuser), each call on a
   new cursor (fresh transaction and record cache, warm registry) like a new
   HTTP request: 2 warm-up runs, then the median and the max of 5 runs. The
   dashboard's calls are exactly those of its JSON (data/files/
   isp_sales_dashboard.json): each pivot's and each chart's
   ``formatted_read_group``, with its default filter (this month) and with no
   filter at all (the whole history, the worst case). The monthly report is
   measured as its data (``_get_report_values``) and as HTML
   (``_render_qweb_html``); turning HTML into PDF is wkhtmltopdf's fixed cost
   (about 1-2 s whatever N, and a running server to fetch the styles), not
   measured here.

Target: every call <= 1 s.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date, datetime

from bench_common import ADDON, REPO, make_addons_dir, open_registry, run_odoo

DASHBOARD = REPO / "data" / "files" / "isp_sales_dashboard.json"
TARGET = 1.0


def log(msg, *args):
    print(msg % args if args else msg, file=sys.stderr, flush=True)


SEED_SQL = """
-- origins and sellers are created by the ORM beforehand; %(n)s tickets
WITH src AS (SELECT array_agg(id ORDER BY id) AS ids FROM utm_source
             WHERE name LIKE 'Bench origin %%'),
     usr AS (SELECT array_agg(id ORDER BY id) AS ids FROM res_users
             WHERE login LIKE 'bench_seller_%%')
INSERT INTO isp_sales_lead (id, name, contact_type, company_id, source_id,
                            user_id, active, create_date, write_date,
                            referred_by_partner_id)
SELECT nextval('isp_sales_lead_id_seq'), 'Bench lead ' || g, 'person',
       %(company)s, src.ids[1 + g %% 10], usr.ids[1 + g %% 8], TRUE,
       %(now)s - make_interval(mins => (g * 7919) %% (730 * 1440)),
       %(now)s,
       CASE WHEN g %% 5 = 0 THEN %(referrer)s END
  FROM generate_series(1, %(n)s) g, src, usr;

INSERT INTO isp_sales_prospect (id, lead_id, company_id, name, coverage,
                                plan_product_id, amount_plan, amount_subtotal,
                                amount_discount, amount_total, create_date,
                                write_date)
SELECT nextval('isp_sales_prospect_id_seq'), l.id, l.company_id,
       l.name || ' - Calle ' || l.id,
       (ARRAY['covered', 'marginal', 'uncovered', 'unknown'])[1 + l.id %% 4],
       (ARRAY[%(plans)s])[1 + l.id %% 3],
       100 + 50 * (l.id %% 3), 100 + 50 * (l.id %% 3), 0, 100 + 50 * (l.id %% 3),
       l.create_date, l.create_date
  FROM isp_sales_lead l WHERE l.name LIKE 'Bench lead %%'
   AND NOT EXISTS (SELECT 1 FROM isp_sales_prospect p WHERE p.lead_id = l.id);

INSERT INTO isp_sales_ticket (id, name, prospect_id, prospect_name, lead_id,
                              source_id, user_id, company_id, currency_id,
                              plan_product_id, amount_total, coverage, active,
                              priority, create_date, write_date)
SELECT nextval('isp_sales_ticket_id_seq'), 'MV/BENCH/' || p.id, p.id, p.name,
       l.id, l.source_id, l.user_id, p.company_id, %(currency)s,
       p.plan_product_id, p.amount_total, p.coverage, TRUE, '0',
       l.create_date, l.create_date
  FROM isp_sales_prospect p JOIN isp_sales_lead l ON l.id = p.lead_id
 WHERE l.name LIKE 'Bench lead %%'
   AND NOT EXISTS (SELECT 1 FROM isp_sales_ticket t WHERE t.prospect_id = p.id);

-- outcome by id: 0-7 pending, 8-11 in progress, 12-16 won, 17-19 lost
UPDATE isp_sales_ticket t SET
       state = CASE WHEN t.id %% 20 < 8 THEN 'pending'
                    WHEN t.id %% 20 < 12 THEN 'in_progress'
                    WHEN t.id %% 20 < 17 THEN 'won' ELSE 'lost' END,
       order_count = CASE WHEN t.id %% 20 < 8 OR t.id %% 20 >= 17 THEN 0 ELSE 1 END,
       won_count = (t.id %% 20 BETWEEN 12 AND 16)::int,
       lost_count = (t.id %% 20 >= 17)::int,
       date_won = CASE WHEN t.id %% 20 BETWEEN 12 AND 16
                       THEN t.create_date + make_interval(days => 1 + t.id %% 60) END,
       days_to_win = CASE WHEN t.id %% 20 BETWEEN 12 AND 16
                          THEN 1 + t.id %% 60 ELSE 0 END,
       date_lost = CASE WHEN t.id %% 20 >= 17
                        THEN t.create_date + make_interval(days => 1 + t.id %% 30) END,
       lost_reason_id = CASE WHEN t.id %% 20 >= 17
                             THEN (ARRAY[%(reasons)s])[1 + t.id %% %(n_reasons)s] END,
       date_state_changed = t.create_date
 WHERE t.name LIKE 'MV/BENCH/%%' AND t.state IS NULL;

-- status history: pending, then the order, then the outcome
INSERT INTO isp_sales_ticket_state_log (ticket_id, company_id, state, date_start,
                                        date_end, duration_days)
SELECT t.id, t.company_id, 'pending', t.create_date,
       CASE WHEN t.state = 'pending' THEN NULL
            ELSE t.create_date + interval '1 day' END,
       CASE WHEN t.state = 'pending' THEN NULL ELSE 1 END
  FROM isp_sales_ticket t WHERE t.name LIKE 'MV/BENCH/%%'
UNION ALL
SELECT t.id, t.company_id, 'in_progress', t.create_date + interval '1 day',
       COALESCE(t.date_won, t.date_lost),
       EXTRACT(EPOCH FROM COALESCE(t.date_won, t.date_lost)
               - t.create_date - interval '1 day') / 86400
  FROM isp_sales_ticket t
 WHERE t.name LIKE 'MV/BENCH/%%' AND t.state IN ('in_progress', 'won')
UNION ALL
SELECT t.id, t.company_id, t.state, COALESCE(t.date_won, t.date_lost), NULL, NULL
  FROM isp_sales_ticket t
 WHERE t.name LIKE 'MV/BENCH/%%' AND t.state IN ('won', 'lost');
"""


def seed(registry, n):
    from odoo import SUPERUSER_ID, api
    from odoo.tests import new_test_user

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        Ticket = env["isp.sales.ticket"]
        have = Ticket.search_count([("name", "=like", "MV/BENCH/%")])
        if have >= n:
            log("%s benchmark tickets already there: no seeding", have)
            return
        log("seeding %s tickets in SQL", n)
        for i in range(10):
            name = f"Bench origin {i}"
            if not env["utm.source"].search_count([("name", "=", name)]):
                env["utm.source"].create({"name": name})
        for i in range(8):
            login = f"bench_seller_{i}"
            if not env["res.users"].search_count([("login", "=", login)]):
                new_test_user(env, login=login, name=f"Bench Seller {i}",
                              groups="isp_sales_desk.group_isp_sales_user")  # fmt: skip
        plans = env["product.product"].search([("service_kind", "=", "plan")], limit=3)
        for i in range(len(plans), 3):
            plans |= env["product.product"].create(
                {"name": f"Bench plan {i}", "type": "service",
                 "service_kind": "plan", "list_price": 100 + 50 * i}
            )  # fmt: skip
        referrer = env["res.partner"].create({"name": "Bench referrer"})
        reasons = env["isp.sales.loss.reason"].search([]).ids
        env.flush_all()
        from odoo.tools import SQL

        started = time.perf_counter()
        for statement in SEED_SQL.split(";\n\n"):
            params = {
                "n": n,
                "company": env.company.id,
                "currency": env.company.currency_id.id,
                "now": datetime.now().replace(microsecond=0),
                "referrer": referrer.id,
                "plans": SQL(", ").join(plans.ids),
                "reasons": SQL(", ").join(reasons),
                "n_reasons": len(reasons),
            }
            cr.execute(SQL(statement, **params))
        cr.commit()
        log("seeded in %.1f s", time.perf_counter() - started)
    conn_vacuum(registry)


def conn_vacuum(registry):
    with registry.cursor() as cr:
        cr._cnx.autocommit = True
        for table in ("isp_sales_lead", "isp_sales_prospect", "isp_sales_ticket",
                      "isp_sales_ticket_state_log"):  # fmt: skip
            cr.execute(f"VACUUM ANALYZE {table}")
        cr._cnx.autocommit = False


def manager_uid(registry):
    from odoo import SUPERUSER_ID, api
    from odoo.tests import new_test_user

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        user = env["res.users"].search([("login", "=", "bench_manager")])
        if not user:
            user = new_test_user(
                env,
                login="bench_manager",
                name="Bench Manager",
                groups="isp_sales_desk.group_isp_sales_manager",
            )
        return user.id


def timed(registry, uid, call, runs=5, warmup=2):
    from odoo import api

    times, result = [], None
    for index in range(warmup + runs):
        with registry.cursor() as cr:
            env = api.Environment(cr, uid, {"lang": "en_US", "tz": "UTC"})
            started = time.perf_counter()
            result = call(env)
            elapsed = time.perf_counter() - started
            cr.rollback()
        if index >= warmup:
            times.append(elapsed)
    return statistics.median(times), max(times), result


def dashboard_calls(month_start, next_month):
    spreadsheet = json.loads(DASHBOARD.read_text())
    period = next(f["id"] for f in spreadsheet["globalFilters"] if f["type"] == "date")
    calls = []
    for pivot in spreadsheet["pivots"].values():
        calls.append((
            f"pivot {pivot['id']}: {pivot['name']}", pivot["model"], pivot["domain"],
            [r["fieldName"] for r in pivot["rows"]],
            [m["fieldName"] for m in pivot["measures"]],
            pivot["fieldMatching"].get(period, {}),
        ))  # fmt: skip
    for figure in spreadsheet["sheets"][0]["figures"]:
        data = figure["data"]
        if "metaData" in data:
            calls.append((
                f"chart: {data['title']['text']}", data["metaData"]["resModel"],
                data["searchParams"]["domain"], data["metaData"]["groupBy"],
                [data["metaData"]["measure"]], data["fieldMatching"].get(period, {}),
            ))  # fmt: skip
    return calls


def make_call(label, model, domain, groupby, measures, matching, bounds):
    def call(env):
        Model = env[model]
        full = list(domain)
        if bounds and matching.get("chain"):
            start, end = bounds
            full += [(matching["chain"], ">=", start), (matching["chain"], "<", end)]
        specs = [
            m if m == "__count" else f"{m}:{Model._fields[m].aggregator}"
            for m in measures
        ]
        return Model.formatted_read_group(full, groupby, specs)

    return call


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--create-db", action="store_true")
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db-host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--db-port", default=os.environ.get("PGPORT"))
    parser.add_argument("--db-user", default=os.environ.get("PGUSER", "root"))
    args = parser.parse_args()

    addons = make_addons_dir("bench_reports")
    if args.create_db:
        log("installing %s in %s (no demo data)", ADDON, args.db)
        run_odoo(args, addons, "-i", ADDON, "--no-http")
    elif args.update:
        run_odoo(args, addons, "-u", ADDON, "--no-http")
    registry = open_registry(args, addons)
    seed(registry, args.n)
    uid = manager_uid(registry)

    today = date.today()
    month_start = datetime(today.year, today.month, 1)
    next_month = datetime(today.year + today.month // 12, today.month % 12 + 1, 1)
    # the last full month, for the monthly report
    last = (today.year - (today.month == 1), (today.month - 2) % 12 + 1)

    with registry.cursor() as cr:
        cr.execute("SELECT count(*) FROM isp_sales_ticket")
        [tickets] = cr.fetchone()
    print(
        f"\nManager reports at {tickets:,} tickets (median / max of {args.runs} runs)"
    )
    print(f"{'call':<62} {'median':>8} {'max':>8}  ok")
    rows = []
    for label, model, domain, groupby, measures, matching in dashboard_calls(
        month_start, next_month
    ):
        for scope, bounds in (("this month", (month_start, next_month)),
                              ("all time", None)):  # fmt: skip
            if scope == "this month" and not matching.get("chain"):
                continue
            call = make_call(label, model, domain, groupby, measures, matching, bounds)
            rows.append(
                (f"dashboard {label} [{scope}]", *timed(registry, uid, call, args.runs))
            )
    report = "report.isp_sales_desk.report_monthly"
    rows.append((
        f"monthly report {last[0]}-{last[1]:02d}: data",
        *timed(registry, uid, lambda env: env[report]._get_report_values(
            [], {"year": last[0], "month": last[1]}), args.runs),
    ))  # fmt: skip
    rows.append((
        f"monthly report {last[0]}-{last[1]:02d}: HTML",
        *timed(registry, uid, lambda env: env["ir.actions.report"]._render_qweb_html(
            "isp_sales_desk.isp_sales_monthly_report", [],
            data={"year": last[0], "month": last[1]}), args.runs),
    ))  # fmt: skip
    worst = 0.0
    for label, median, longest, _result in rows:
        worst = max(worst, median)
        flag = "yes" if median <= TARGET else "NO"
        print(f"{label[:62]:<62} {median:>7.3f}s {longest:>7.3f}s  {flag}")
    print(f"\nslowest median: {worst:.3f} s (target <= {TARGET:.0f} s): "
          f"{'OK' if worst <= TARGET else 'OVER TARGET'}")  # fmt: skip
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
