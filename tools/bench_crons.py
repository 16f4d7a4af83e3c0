#!/usr/bin/env python3
"""Benchmark of the follow-up crons at 100,000 tickets, run the way Odoo's cron
worker runs them.

Usage::

    python3 tools/bench_crons.py --db isp_bench_net --create-db   # N = 100,000
    python3 tools/bench_crons.py --db isp_bench_net               # rerun

It seeds (or reuses) the database of ``tools/bench_network.py``: 100,000
tickets over Rosario, 40% pending, 15% lost (for *No coverage* where the place
is uncovered). Then:

1. **Stale tickets.** ``--stale`` pending tickets (default: all of them, the
   worst case) are aged 30 days, and the cron *Sales Desk: flag stale tickets*
   runs through ``ir.cron._run_job``, again and again as the cron worker does
   while it reports work left, until it is fully done.
2. **Now covered.** A node of ``--radius`` metres is created in the middle of
   the area: the node edit schedules the first batch of recontact activities
   and queues the rest, which the cron *contact again the tickets now covered*
   does, the same way.

For each it prints the batches (one transaction each: the longest is the
longest any lock is held), their median and longest time, the total and the
activities written. Everything it wrote (activities, the node, the aged dates)
is removed at the end. Batch size: ``isp_sales_desk.cron_batch_size`` (500).
"""

import statistics
import time
from unittest.mock import patch

import bench_common
from bench_common import ADDON, argument_parser, log, open_bench_registry, parse_args
from bench_network import AREA, seed


def run_cron(registry, xmlid, method):
    """Run the cron until it is fully done; time each batch (one call of the
    model's ``method``, one transaction)."""
    from odoo import SUPERUSER_ID, api

    from odoo.addons.base.models.ir_cron import CompletionStatus

    with registry.cursor() as cr:
        cron = api.Environment(cr, SUPERUSER_ID, {}).ref(xmlid)
        job = {**cron.read(load=None)[0], "timed_out_counter": 0}
    Ticket = registry["isp.sales.ticket"]
    original = getattr(Ticket, method)
    batches = []

    def timed(self, *args, **kwargs):
        start = time.perf_counter()
        result = original(self, *args, **kwargs)  # commits its batch
        batches.append((time.perf_counter() - start) * 1000)
        return result

    runs = 0
    start = time.perf_counter()
    with patch.object(Ticket, method, timed):
        while True:
            runs += 1
            status = registry["ir.cron"]._run_job(job)
            if status != CompletionStatus.PARTIALLY_DONE:
                break
    total = time.perf_counter() - start
    return runs, status, batches, total


def report(label, runs, status, batches, total, written):
    log("")
    log("%s", label)
    log(
        "  cron runs (as the worker reruns it while work is left): %s, %s", runs, status
    )
    if batches:
        log(
            "  batches: %s; median %.0f ms, longest %.0f ms (one transaction each)",
            len(batches),
            statistics.median(batches),
            max(batches),
        )
    log("  total %.1f s; activities written: %s", total, written)


def count_activities(registry, xmlid):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        return env["mail.activity"].search_count(
            [("activity_type_id", "=", env.ref(xmlid).id)]
        )


def vacuum(args):
    """What autovacuum does in production after the cleanup's mass delete."""
    bench_common.vacuum(
        args, ("mail_activity", "mail_followers", "isp_sales_ticket"), "VACUUM ANALYZE"
    )


def bench_stale(registry, args):
    from odoo import SUPERUSER_ID, api

    stale_type = f"{ADDON}.mail_activity_type_stale_ticket"
    with registry.cursor() as cr:
        cr.execute(
            """
            UPDATE isp_sales_ticket SET date_state_changed = now() - interval '30 days'
             WHERE id IN (SELECT id FROM isp_sales_ticket WHERE state = 'pending'
                          ORDER BY id LIMIT %s)
            """,
            [args.stale],
        )
        aged = cr.rowcount
    before = count_activities(registry, stale_type)
    result = run_cron(
        registry, f"{ADDON}.ir_cron_isp_sales_stale_tickets", "_cron_flag_stale_tickets"
    )
    written = count_activities(registry, stale_type) - before
    report(f"stale tickets: {aged} pending tickets aged 30 days", *result, written)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["mail.activity"].search(
            [("activity_type_id", "=", env.ref(stale_type).id)]
        ).unlink()
        cr.execute(
            "UPDATE isp_sales_ticket SET date_state_changed = now()"
            " WHERE date_state_changed < now() - interval '29 days'"
        )
    vacuum(args)


def bench_recontact(registry, args):
    from odoo import SUPERUSER_ID, api

    recontact_type = f"{ADDON}.mail_activity_type_recontact_covered"
    (lat0, lat1), (lon0, lon1) = AREA
    before = count_activities(registry, recontact_type)
    start = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        node = env["isp.network.node"].create(
            {
                "name": "Bench recontact node",
                "latitude": (lat0 + lat1) / 2,
                "longitude": (lon0 + lon1) / 2,
                "coverage_radius": args.radius,
            }
        )
        node_id = node.id
        env.flush_all()
        cr.execute(
            "SELECT count(*) FROM isp_sales_ticket WHERE recontact_pending IS TRUE"
        )
        queued = cr.fetchone()[0]
    node_ms = (time.perf_counter() - start) * 1000
    at_once = count_activities(registry, recontact_type) - before
    log("")
    log(
        "node of %s m created, commit included: %.0f ms; %s recontact activities at"
        " once, %s tickets queued for the cron",
        args.radius,
        node_ms,
        at_once,
        queued,
    )
    result = run_cron(
        registry, f"{ADDON}.ir_cron_isp_sales_recontact", "_cron_recontact_covered"
    )
    written = count_activities(registry, recontact_type) - before - at_once
    report("now covered: the recontact cron", *result, written)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["mail.activity"].search(
            [("activity_type_id", "=", env.ref(recontact_type).id)]
        ).unlink()
        env["isp.network.node"].browse(node_id).unlink()
    vacuum(args)


def main():
    parser = argument_parser(__doc__, "isp_bench_net")
    parser.add_argument("--nodes", type=int, default=300)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--stale", type=int, default=100_000)
    parser.add_argument("--radius", type=int, default=5_000)
    args = parse_args(parser)

    registry = open_bench_registry(args, "bench_crons")
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        seed(api.Environment(cr, SUPERUSER_ID, {}), args)
    vacuum(args)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        log(
            "batch size: %s",
            env["isp.sales.ticket"]._isp_cron_batch_size(),
        )
    bench_stale(registry, args)
    bench_recontact(registry, args)


if __name__ == "__main__":
    main()
