#!/usr/bin/env python3
"""Which PostgreSQL server serves each call of the sales desk, with a replica.

Run by ``tools/replica.sh demo [--fault]`` once ``tools/replica.sh setup`` made
the replica. It installs the addon with demo data in ``rp_demo`` (once, then
updates it to the code), waits for the replica to replay it, starts Odoo in
prefork mode (``--workers=2``, no cron) with ``--db_replica_host`` and
``--db_replica_port``, then calls the board's read-only methods and some
writes over JSON-2 (API key) and the web client's ``/web/dataset/call_kw``
(session). Around each call it reads ``rp_demo``'s
counters in ``pg_stat_database`` on both servers (and ``pg_stat_statements``
on the replica) and prints the deltas: reads land on the replica, writes on
the primary. Other databases of the primary are busy with other work, hence
the counters of ``rp_demo`` alone.

``--fault`` then stops the replica while two clients keep reading, shows what
Odoo 19 answers and where the reads go, starts the replica again, and shows
when the reads come back to it.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg2
import requests
from replica_odoo import BOX, Client, Odoo, T, board_calls, prepare_db, sql, status

REPO = Path(__file__).resolve().parent.parent
REPLICA_SH = str(REPO / "tools" / "replica.sh")
COUNTERS = ("xact_commit", "tup_returned", "tup_fetched",
            "tup_inserted", "tup_updated", "tup_deleted")  # fmt: skip
# s: a backend idle for a second reports its counters at once; one that just
# reported holds the next ones up to 10 s (PostgreSQL 15, PGSTAT_IDLE_INTERVAL)
FLUSH = 10.5


class Servers:
    """rp_demo's counters on the primary and on the replica."""

    def __init__(self, args):
        self.db = args.db
        self.ports = {"replica": args.replica_port, "primary": args.primary_port}

    def stats(self, side):
        query = f"SELECT {', '.join(COUNTERS)} FROM pg_stat_database WHERE datname = %s"
        try:  # read from the database "postgres": no count in rp_demo
            row = sql(self.ports[side], "postgres", query, (self.db,))[0]
        except psycopg2.OperationalError:
            return None  # the replica is down
        return dict(zip(COUNTERS, row, strict=True))

    def statements(self):
        """Statements the replica ran in the database, ours left out."""
        query = """SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
                    WHERE dbid = (SELECT oid FROM pg_database
                                   WHERE datname = current_database())
                      AND query NOT ILIKE '%%pg_stat%%'"""
        try:
            return sql(self.ports["replica"], self.db, query)[0][0]
        except psycopg2.Error:
            return None

    def measure(self, func):
        """func()'s result and the deltas of the counters around it."""
        start = self.statements()
        time.sleep(0.4)  # that connection's own counters land first
        before = {side: self.stats(side) for side in self.ports}
        try:
            result = func()
        except requests.RequestException:
            result = None
        time.sleep(FLUSH)
        after = {side: self.stats(side) for side in self.ports}
        delta = {
            side: before[side] and after[side]
            and {k: after[side][k] - before[side][k] for k in COUNTERS}
            for side in self.ports
        }  # fmt: skip
        end = self.statements()
        delta["statements"] = None if None in (start, end) else end - start
        return result, delta

    def wait_replay(self, timeout=120):
        """Until the replica has replayed what the primary wrote so far."""
        [[lsn]] = sql(self.ports["primary"], "postgres", "SELECT pg_current_wal_lsn()")
        query = "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn"
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if sql(self.ports["replica"], "postgres", query, (lsn,))[0][0]:
                    return
            except psycopg2.OperationalError:
                pass
            time.sleep(0.5)
        sys.exit(f"the replica did not replay up to {lsn} in {timeout} s")


def served_by(delta):
    primary, replica = delta["primary"], delta["replica"]
    wrote = primary and sum(primary[k] for k in COUNTERS[3:])
    if primary and (primary["xact_commit"] or wrote):
        return "PRIMARY" + (" (wrote)" if wrote else "")
    if not replica:
        return "? replica down"
    return "replica" if replica["xact_commit"] else "?"


HEAD = ("call", "via", "HTTP", "replica: commit", "returned", "fetched",
        "stmts", "primary: commit", "returned", "fetched", "ins+upd+del",
        "served by")  # fmt: skip
WIDTHS = (25, 12, 9, 15, 9, 8, 6, 15, 9, 8, 11, 16)


def row(values):
    cells = zip(values, WIDTHS, strict=True)
    return " ".join(
        str(v).rjust(w) if i else str(v).ljust(w) for i, (v, w) in enumerate(cells)
    )


def cells(delta, keys):
    return [delta[k] for k in keys] if delta else ["down", "", ""][: len(keys)]


def run_table(servers, calls, title):
    """Measure each call, print a row each; [(label, via, writes, where, status)]."""
    print(f"\n{title}\n{row(HEAD)}\n" + "-" * (sum(WIDTHS) + len(WIDTHS) - 1))
    results = []
    for label, via, func, writes in calls:
        response, delta = servers.measure(func)
        rep, pri = delta["replica"], delta["primary"]
        stmts = "" if delta["statements"] is None else delta["statements"]
        changed = sum(pri[k] for k in COUNTERS[3:]) if pri else ""
        where = served_by(delta)
        print(row([label, via, status(response), *cells(rep, COUNTERS[:3]), stmts,
                   *cells(pri, COUNTERS[:3]), changed, where]), flush=True)  # fmt: skip
        results.append((label, via, writes, where, status(response)))
    return results


def fault(servers, odoo, seller):
    """Stop the replica under two reading clients, then start it again."""
    log, errors, done = [], [], threading.Event()

    def read():
        spec = {"name": {}, "state": {}}
        return seller.json2(T, "web_search_read", domain=[], specification=spec)

    def loop():
        while not done.is_set():
            start = time.time()
            try:
                response = read()
                log.append((start, status(response)))
                if not response.ok:
                    errors.append(response.text[:300])
            except requests.RequestException as error:
                log.append((start, type(error).__name__))

    threads = [threading.Thread(target=loop) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    stopped = time.time()
    print("\nFAULT: tools/replica.sh stop while 2 clients read over JSON-2", flush=True)
    subprocess.run(["bash", REPLICA_SH, "stop"], check=True)
    time.sleep(6)
    done.set()
    for thread in threads:
        thread.join()
    tally = {}
    for start, answer in log:
        key = ("after" if start >= stopped else "before", answer)
        tally[key] = tally.get(key, 0) + 1
    for (when, answer), count in sorted(tally.items(), reverse=True):
        print(f"  reads {when} the stop: HTTP {answer} x {count}")
    for text in errors:
        print("  error answer:", text)
    for line in odoo.log_lines("readonly cursor", "OperationalError", " ERROR "):
        print("  odoo log:", line[:200])
    reads = [
        ("ticket web_search_read", "json2", read, False),
        ("map get_isp_map_data", "json2",
         lambda: seller.json2(T, "get_isp_map_data", domain=[], bbox=BOX, zoom=12),
         False),
    ]  # fmt: skip
    run_table(servers, reads * 2, "Reads while the replica is DOWN")
    subprocess.run(["bash", REPLICA_SH, "start"], check=True)
    servers.wait_replay()
    run_table(servers, reads * 2, "Replica started again (same worker processes)")
    pids = odoo.children()
    print(f"\nrestarting our Odoo's HTTP workers {pids} (SIGTERM; the master forks"
          " new ones, as after --limit-request or --limit-memory-soft)")  # fmt: skip
    for pid in pids:
        os.kill(pid, signal.SIGTERM)
    time.sleep(5)
    for _ in range(4):  # the new workers load the registry
        read()
    time.sleep(FLUSH)
    run_table(servers, reads * 2, "New worker processes, replica up")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="rp_demo")
    parser.add_argument("--primary-port", type=int, default=5432)
    parser.add_argument("--replica-port", type=int, default=5433)
    parser.add_argument("--http-port", type=int, default=8180)
    parser.add_argument("--gevent-port", type=int, default=8184)
    parser.add_argument("--recreate", action="store_true", help="reinstall the db")
    parser.add_argument("--fault", action="store_true", help="stop the replica too")
    args = parser.parse_args()
    if not args.db.startswith("rp_"):
        parser.error("the database name must start with rp_")
    addons = tempfile.mkdtemp(prefix="rp_addons_")
    keys = prepare_db(args, addons, REPO)
    servers = Servers(args)
    servers.wait_replay()
    pending = "SELECT min(id) FROM isp_sales_ticket WHERE state = 'pending'"
    [[pending_id]] = sql(args.primary_port, args.db, pending)
    reason = "SELECT min(id) FROM isp_sales_loss_reason"
    [[reason_id]] = sql(args.primary_port, args.db, reason)
    odoo = Odoo(args, addons)
    odoo.start()
    try:
        users = {
            "seller": Client(odoo, args.db, "vendedor.demo", "vendedor.demo",
                             keys["vendedor.demo"]),
            "admin": Client(odoo, args.db, "admin", "admin", keys["admin"]),
        }  # fmt: skip
        calls = board_calls(users, pending_id, reason_id)
        for _round in range(8):  # warm up both workers: registry, caches
            for _label, _via, func, writes in calls:
                if not writes:
                    func()
        time.sleep(FLUSH)
        title = (
            f"Counters of database {args.db} in pg_stat_database (and the replica's"
            f" pg_stat_statements), deltas around each call; Odoo --workers=2,"
            f" replica on port {args.replica_port}"
        )
        results = run_table(servers, calls, title)
        wrong = [r for r in results if ("PRIMARY" in r[3]) != r[2] or r[4] != "200"]
        print(f"\n{len(results) - len(wrong)} of {len(results)} calls answered 200 and"
              " served where expected (reads: replica, writes: primary)")  # fmt: skip
        for label, via, _writes, where, answer in wrong:
            print(f"  unexpected: {label} via {via} -> HTTP {answer}, {where}")
        if args.fault:
            fault(servers, odoo, users["seller"])
    finally:
        odoo.stop()
        shutil.rmtree(addons, ignore_errors=True)
    print(f"Odoo's log: {odoo.log}")


if __name__ == "__main__":
    main()
