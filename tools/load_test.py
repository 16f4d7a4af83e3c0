#!/usr/bin/env python3
"""Load test of the sales desk: sellers and technicians at once, over JSON-2.

Usage::

    python3 tools/load_test.py                          # lt_demo, 5 minutes
    python3 tools/load_test.py --kill-worker-at 60 --duration 150
    python3 tools/load_test.py --db lt_seeded --seed 20000 --duration 120
    python3 tools/load_test.py --url http://127.0.0.1:8069 --db mydb \\
        --server-log /var/log/odoo.log                  # a server already running

It creates the database (the addon with its demo data) when missing, starts
Odoo in prefork mode (``--workers=4 --max-cron-threads=1``, log in
``/tmp/<db>_<port>.log``), creates 30 sellers (``group_isp_sales_user``) and
10 technicians (``group_isp_sales_technician``) with an API key each, and runs
them for ``--duration`` seconds, each in a bounded loop with a random think
time (``--think``, mean seconds between two clicks, 3; ``--think-form``, mean
seconds to fill the creation wizard, or of a technician's work on site, 20),
talking to Odoo only over ``POST /json/2/<model>/<method>`` with
``Authorization: bearer <key>`` (and ``X-Odoo-Database``):

* a seller loads the board (the kanban's ``web_read_group`` grouped by
  ``state`` with the card fields, and its ``read_progress_bar``: exactly what
  the web client sends, built by tools/bench_board.py from the views), now
  and then the list (``web_search_read``), searches a name
  (``web_name_search``) or a phone (the search view's lead field, in the
  list), opens one of the newest pending cards (``web_read`` with the
  form's fields), creates one through the creation wizard (``web_save`` then
  ``action_create``, with an installation or feasibility order) or through
  the intake (``isp.sales.lead/intake``, then ``action_create_order``),
  assigns the order to a technician with a date, sometimes presses
  "Feasibility" on a ticket of the board, marks one of its tickets lost
  through the loss wizard and reopens a lost one;
* a technician lists its open orders (the "My Orders" kanban), opens one,
  starts it, records the feasibility result and completes it.

Then it prints per operation the count, the errors by HTTP status (or
``conn_reset``, ``conn_broken``, ``conn_refused``, ``timeout``: no complete
answer), p50/p95/p99 latency; the
serialization-failure retries Odoo logged; what the server log says of each
call (SQL queries, SQL and Python time); and checks the invariants in the
database, before and after the run. Exit status 1 on any 5xx, or on any
invariant broken by the run (more violations after than before: none before
on the demo data; bench_board's seeding writes some status facts directly).

Why plain threads and not Locust: Locust runs on gevent and its current
release (2.47) requires gevent >= 24.11.1 (so greenlet >= 3.1) and Flask,
while Odoo 19 pins gevent 22.10.2, greenlet 2.0.2 and Werkzeug 2.2.2 on
Python 3.11, in the same interpreter (``import odoo`` is needed here to create
the users and keys and to build the web client's calls from the views): it
would need a virtualenv of its own. A simulated user waits on think time and
on its HTTP answer, so 40 threads with ``requests`` (already an Odoo
dependency) load the server the same way: the client is never the bottleneck
(it prints its own CPU, 1 to 3% of the machine). odoo-client-lib speaks
XML-RPC and JSON-RPC with a login and password; the JSON-2 calls with API keys
asked for here are plain POSTs.
"""

import argparse
import atexit
import shutil
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import load_test_checks as checks
import load_test_odoo as lto
import requests
from load_test_users import Seller, Stats, Technician


def percentile(values, fraction):
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0
    )


def print_report(stats, log, killed, duration, cpu=None):
    """The table per operation, then what the server log says; returns the
    number of 5xx answers."""
    print(f"\n{'operation':26} {'count':>6} {'p50':>6} {'p95':>6} {'p99':>6}  errors")
    fivexx = total = 0
    for op in sorted(set(stats.latency) | set(stats.errors)):
        lat, errors = stats.latency[op], stats.errors[op]
        fivexx += sum(n for kind, n in errors.items() if str(kind).startswith("5"))
        count = len(lat) + sum(n for k, n in errors.items() if not isinstance(k, int))
        total += count if not op.startswith("board load") else 0
        shown = ", ".join(f"{k}: {n}" for k, n in sorted(errors.items(), key=str))
        figures = " ".join(f"{percentile(lat, q):6.0f}" for q in (0.5, 0.95, 0.99))
        print(f"{op:26} {count:6d} {figures}  {shown or '-'}")
    print(f"(latency in ms; {total} requests, {total / duration:.1f} per second)")
    board = stats.latency.get("board load (both calls)", [])
    print(f"board load p95: {percentile(board, 0.95):.0f} ms (target <= 300 ms)")
    if stats.messages:
        print("\nerror messages (operation, status, count, message):")
        for (op, status, message), n in stats.messages.most_common(12):
            print(f"  {op:22} {status!s:12} {n:4d}  {message}")
    if log:
        print("\nserver side, per call (log): count, median queries, SQL ms, other ms;")
        print("p95 server ms")
        for path, rows in sorted(log["requests"].items()):
            cells = [
                percentile([r[1] for r in rows], 0.5),
                percentile([r[2] * 1000 for r in rows], 0.5),
                percentile([r[3] * 1000 for r in rows], 0.5),
                percentile([(r[2] + r[3]) * 1000 for r in rows], 0.95),
            ]
            print(f"  {path:46} {len(rows):5d} {cells[0]:4d} " + " ".join(
                f"{c:6.1f}" for c in cells[1:]
            ))  # fmt: skip
        retries = log["retries"]
        print(f"\nserialization-failure retries by Odoo: {sum(retries.values())}"
              f" {dict(retries)}; gave up: {dict(log['gave_up'])};"
              f" read-only cursor retried read/write: {log['ro_to_rw']}")  # fmt: skip
        print(
            f"server log: {dict(log['levels'])} ({log['bad_queries']} ERROR: the"
            f" query of a serialization failure), tracebacks: {log['tracebacks']}"
        )
    if cpu:
        print("CPU used during the run, % of the whole machine: " + ", ".join(
            f"{key} {value:.0f}%" for key, value in cpu.items()
        ))  # fmt: skip
    if killed:
        print(f"worker killed: {killed}")
        if log:
            print(f"HTTP workers started during the run: {log['spawned'] or 'none'}")
    print(f"5xx answers: {fivexx}")
    return fivexx


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="lt_demo")
    parser.add_argument("--url", help="a running server (default: start one)")
    parser.add_argument("--port", type=int, default=8170)
    parser.add_argument(
        "--server-log", help="with --url: its log file, for the retries"
    )
    parser.add_argument("--duration", type=float, default=300)
    parser.add_argument("--sellers", type=int, default=30)
    parser.add_argument("--technicians", type=int, default=10)
    parser.add_argument("--think", type=float, default=3.0, help="mean s per click")
    parser.add_argument(
        "--think-form", type=float, default=20.0, help="mean s to fill a form"
    )
    parser.add_argument("--seed", type=int, default=0, help="N more tickets first")
    parser.add_argument("--kill-worker-at", type=float, help="seconds into the run")
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-user", default="root")
    parser.add_argument("--db-port", default=None)
    return parser.parse_args()


def wait_ready(run, server, log_path):
    deadline = time.monotonic() + 120
    while True:
        try:
            if requests.get(f"{run.url}/web/health", timeout=5).ok:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline or (server and server.poll() is not None):
            raise SystemExit(f"the server did not start: see {log_path}")
        time.sleep(0.5)


def warm_up(run):
    """Each worker serves the board once or twice (caches), not counted."""
    sellers = run.spec["sellers"][:8]
    warm = [Seller(run, uid, key, k) for k, (uid, key) in enumerate(sellers)]
    threads = [threading.Thread(target=u.board) for u in warm]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.stats = Stats()


def kill_worker(args, master, log_path):
    if not master:
        return f"none: no Odoo prefork master found on port {args.port}"
    pid, doing, n = lto.kill_http_worker(args, master, log_path)
    killed = f"pid {pid} at {args.kill_worker_at:.0f} s, {doing}, 1 of {n} HTTP workers"
    lto.bench_board.log("killed HTTP worker %s", killed)
    return killed


def load(run, server, log_path):
    """The simulated users, for the duration; returns what was killed."""
    args, killed = run.args, None
    master = server.pid if server else lto.find_master(args.port)
    cpu_before = checks.cpu_snapshot(args, master)
    started = time.monotonic()
    run.deadline = started + args.duration
    users = [
        Seller(run, uid, key, 1000 + k)
        for k, (uid, key) in enumerate(run.spec["sellers"])
    ]
    users += [
        Technician(run, uid, key, 2000 + k)
        for k, (uid, key) in enumerate(run.spec["technicians"])
    ]
    threads = [threading.Thread(target=u.loop, daemon=True) for u in users]
    for thread in threads:
        thread.start()
        time.sleep(min(0.1, args.think / len(threads)))  # not all at once
    if args.kill_worker_at is not None:
        time.sleep(max(0.0, started + args.kill_worker_at - time.monotonic()))
        killed = kill_worker(args, master, log_path)
    for thread in threads:
        thread.join(timeout=max(1.0, run.deadline + 180 - time.monotonic()))
    run.cpu = checks.cpu_usage(cpu_before, checks.cpu_snapshot(args, master))
    return killed


def main():
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="load_test_"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    addons = tmp / "addons"
    addons.mkdir()
    (addons / lto.ADDON).symlink_to(lto.bench_common.REPO)
    lto.ensure_db(args, addons)
    run = argparse.Namespace(args=args, stats=Stats(), tag=f"{time.time():.0f}")
    run.spec = lto.prepare(args, addons)
    run.invariants = checks.check_invariants(args)
    lto.bench_board.log(
        "%s tickets in %s (autovacuum %s); %d sellers, %d technicians,"
        " think %.1f s, forms %.1f s",
        run.spec["tickets"],
        args.db,
        run.spec["autovacuum"],
        args.sellers,
        args.technicians,
        args.think,
        args.think_form,
    )
    server, log_path, log_offset = None, args.server_log, 0
    if args.url:
        run.url = args.url.rstrip("/")
        args.port = urlsplit(run.url).port or 80
    else:
        run.url = f"http://127.0.0.1:{args.port}"
        log_path = f"/tmp/{args.db}_{args.port}.log"
        server = lto.start_server(args, addons, log_path)
    try:
        wait_ready(run, server, log_path)
        warm_up(run)
        if log_path:
            log_offset = len(Path(log_path).read_text(errors="replace"))
        lto.bench_board.log("running %.0f s against %s", args.duration, run.url)
        killed = load(run, server, log_path)
    finally:
        if server:
            lto.stop_server(server)
    log = checks.read_log(log_path, log_offset) if log_path else None
    fivexx = print_report(run.stats, log, killed, args.duration, run.cpu)
    for op, model, method, ids in run.stats.unanswered:
        after = checks.states_now(args, model, ids) if ids else "-"
        print(f"no answer to {op} ({model}.{method} {ids}); state now: {after}")
    print("\ninvariants: violations before the run, after it")
    broken = 0
    for (label, before), (_label, after) in zip(
        run.invariants, checks.check_invariants(args), strict=True
    ):
        broken += max(0, after - before)
        print(f"  {before:5d} {after:5d}  {label}")
    if any(before for _label, before in run.invariants):
        print("  (violations before the run: data seeded outside the actions)")
    if server:
        print(f"\nserver log: {log_path}")
    return 1 if fivexx or broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
