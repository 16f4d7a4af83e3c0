"""The Odoo side of ``tools/load_test.py``: the database, the users and their
API keys, the calls the web client makes, the server and its workers.
Everything here runs before or after the load, never during it (apart from
:func:`kill_http_worker`)."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_board
import bench_common

ADDON = bench_common.ADDON
SELLER_LOGIN = "lt_seller_%02d"
TECHNICIAN_LOGIN = "lt_tech_%02d"
KEY_NAME = "load test"
OPEN_ORDER_STATES = ("draft", "scheduled", "in_progress")
WORKER_RE = re.compile(r"Worker (WorkerHTTP|WorkerCron) \((\d+)\) alive")


def ensure_db(args, addons):
    """The demo database: created with the addon and its demo data if missing,
    else updated to the code under test (its schema may be older)."""
    if bench_common.db_exists(args, args.db):
        bench_board.log("updating %s in %s", ADDON, args.db)
        mode = ["-u", ADDON]
    else:
        bench_board.log("creating %s: %s with demo data", args.db, ADDON)
        mode = ["-i", ADDON, "--with-demo"]
    bench_common.run_odoo(args, addons, *mode)


def open_registry(args, addons):
    return bench_common.open_registry(args, addons)


# ---------------------------------------------------------------------------
# users, keys, seeding, the web client's calls
# ---------------------------------------------------------------------------


def ensure_users(env, login, count, group_xmlid):
    Users = env["res.users"].with_context(
        no_reset_password=True, **bench_board.CREATE_CTX
    )
    groups = env.ref("base.group_user") | env.ref(group_xmlid)
    users = Users.browse()
    for k in range(count):
        user = Users.search([("login", "=", login % k)])
        if not user:
            user = Users.create(
                {
                    "name": f"{bench_board.person_name(k * 7 + 3)} ({login % k})",
                    "login": login % k,
                    "lang": "en_US",
                    "tz": "America/Argentina/Cordoba",
                    "group_ids": [(6, 0, groups.ids)],
                }
            )
        users |= user
    return users


def new_keys(env, users):
    """One fresh API key per user (the previous run's are deleted)."""
    env.cr.execute(
        "DELETE FROM res_users_apikeys WHERE name = %s AND user_id = ANY(%s)",
        [KEY_NAME, users.ids],
    )
    Keys = env["res.users.apikeys"]
    # sudo: a key without expiration date (as an integration's)
    return [
        Keys.with_user(user).sudo()._generate(None, KEY_NAME, None) for user in users
    ]


def seed(args, env, sellers):
    """``--seed N`` more tickets with bench_board's seeding (ORM, orders in SQL)."""
    have = env["isp.sales.ticket"].with_context(active_test=False).search_count([])
    padded = (sellers.ids * bench_board.N_SELLERS)[: max(len(sellers), 8)]
    bench_board.seed_isp(env, have + args.seed, 2000, sellers.browse(padded))
    env.cr.commit()


def analyze(args):
    """Fresh planner statistics, as autovacuum keeps them on a live database
    (each run adds hundreds of rows to tables that held a few dozen); says
    whether autovacuum is on, to keep them fresh during the run."""
    conn = bench_common.pg_connect(args, args.db)
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute("VACUUM ANALYZE")
        cr.execute("SHOW autovacuum")
        autovacuum = cr.fetchone()[0]
    conn.close()
    return autovacuum


def form_spec(env, model, view_type="form"):
    view = env[model].get_views([(False, view_type)])
    fields_desc = view["models"][model]["fields"]
    arch = view["views"][view_type]["arch"]
    return bench_board.spec_from_arch(arch, fields_desc, view_type)


def prepare(args, addons):
    """Users, keys, optional seeding and what the simulated users send."""
    from odoo import SUPERUSER_ID, api

    registry = open_registry(args, addons)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        sellers = ensure_users(
            env, SELLER_LOGIN, args.sellers, f"{ADDON}.group_isp_sales_user"
        )
        technicians = ensure_users(
            env,
            TECHNICIAN_LOGIN,
            args.technicians,
            f"{ADDON}.group_isp_sales_technician",
        )
        if args.seed:
            seed(args, env, sellers)
        keys = new_keys(env, sellers | technicians)
        seller_env = env(user=sellers[0])
        boards, user_context = bench_board.make_boards(seller_env, with_crm=False)
        plans = env["product.product"].search([("service_kind", "=", "plan")])
        nodes = env["isp.network.node"].search([("active", "=", True)], limit=50)
        spec = {
            "board": boards[0].calls(user_context),
            "user_context": user_context,
            "ticket_form": form_spec(seller_env, "isp.sales.ticket"),
            "order_kanban": form_spec(
                env(user=technicians[0]), "isp.sales.order", "kanban"
            ),
            "order_form": form_spec(env(user=technicians[0]), "isp.sales.order"),
            "plans": [(p.id, p.default_code) for p in plans if p.default_code],
            "nodes": [(n.latitude, n.longitude, n.coverage_radius) for n in nodes],
            "reasons": env["isp.sales.loss.reason"].search([]).ids,
            "technician_ids": technicians.ids,
            "sellers": list(zip(sellers.ids, keys[: len(sellers)], strict=True)),
            "technicians": list(
                zip(technicians.ids, keys[len(sellers) :], strict=True)
            ),
            "tickets": env["isp.sales.ticket"].search_count([]),
        }
        cr.commit()
    spec["autovacuum"] = analyze(args)
    return spec


# ---------------------------------------------------------------------------
# the server
# ---------------------------------------------------------------------------


# Not "python3 -m odoo": the prefork master starts its websocket process as
# [python, sys.argv[0], "gevent", ...] and odoo/__main__.py cannot run as a
# file (relative import), so the master would respawn it in a loop, burning
# CPU. And where pkg_resources cannot resolve gevent's own requirements
# (setuptools 65 does not find zope.interface 8, installed as zope_interface),
# gevent's monkey-patching fails: its plugins are loaded without that check.
LAUNCHER = """import sys

if sys.argv[1:2] == ["gevent"]:
    import pkg_resources

    pkg_resources.EntryPoint.load = lambda self, *args, **kwargs: self.resolve()

from odoo.cli.command import main

main()
"""


def start_server(args, addons, log_path):
    """Odoo in prefork mode, as the issue's command line; the log to a file."""
    launcher = Path(addons).parent / "odoo_launcher.py"
    launcher.write_text(LAUNCHER)
    command = [
        sys.executable, str(launcher), "server",
        *bench_common.odoo_options(args, addons),
        "-d", args.db, "--workers=4", "--max-cron-threads=1",
        "--http-interface=127.0.0.1", f"--http-port={args.port}",
        f"--gevent-port={args.port + 1}",  # not 8072: another Odoo may hold it
    ]  # fmt: skip
    bench_board.log("starting: %s", " ".join(command))
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)


def stop_server(process):
    process.send_signal(signal.SIGTERM)  # graceful: workers finish their request
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def worker_kinds(log_path):
    """{pid: "WorkerHTTP" or "WorkerCron"}, from ``Worker ... alive`` lines."""
    if not (log_path and os.path.exists(log_path)):
        return {}
    text = Path(log_path).read_text(errors="replace")
    return {int(pid): kind for kind, pid in WORKER_RE.findall(text)}


def http_workers(master_pid, port, kinds, db_port):
    """(pid, busy, ports) of the master's HTTP workers: busy, serving a request
    now; ports, the local ports of its connections to PostgreSQL.

    A worker is an HTTP one if the log says so (``kinds``), or, without a log,
    if it holds a client connection on the port.
    """
    import psutil

    workers = []
    for child in psutil.Process(master_pid).children():
        try:
            if "gevent" in child.cmdline():
                continue
            connections = tcp_connections(child)
        except psutil.NoSuchProcess:
            continue
        established = [c for c in connections if c.status == psutil.CONN_ESTABLISHED]
        busy = any(c.laddr.port == port for c in established)
        ports = {
            c.laddr.port for c in established if c.raddr and c.raddr.port == db_port
        }
        if kinds.get(child.pid) == "WorkerHTTP" or (not kinds and busy):
            workers.append((child.pid, busy, ports))
    return workers


def tcp_connections(process):
    # psutil < 6 names it connections()
    return getattr(process, "net_connections", process.connections)("tcp")


def find_master(port):
    """The prefork master serving ``port`` (it listens, its parent does not),
    or None."""
    import psutil

    def listens(process):
        try:
            connections = tcp_connections(process)
        except psutil.Error:  # not ours to look at (init...)
            return False
        return any(
            c.status == psutil.CONN_LISTEN and c.laddr.port == port for c in connections
        )

    for conn in psutil.net_connections(kind="tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port and conn.pid:
            process = psutil.Process(conn.pid)
            while process.parent() and listens(process.parent()):
                process = process.parent()  # the workers share its socket
            return process.pid
    return None


def kill_http_worker(args, master_pid, log_path=None, patience=10.0):
    """SIGKILL one HTTP worker, preferably in the middle of a transaction that
    has written (PostgreSQL gave it a transaction id), else of any transaction,
    else of a request. Returns (pid, what it was doing, HTTP workers seen).

    The workers' connections to PostgreSQL (a slow look into /proc) are known
    beforehand; a transaction is seen in pg_stat_activity and its worker killed
    in the next millisecond, while the transaction still runs."""
    kinds = worker_kinds(log_path)
    db_port = int(args.db_port or 5432)
    conn = bench_common.pg_connect(args, args.db)
    conn.autocommit = True
    start = refreshed = time.monotonic()
    workers = http_workers(master_pid, args.port, kinds, db_port)
    try:
        while True:
            now = time.monotonic()
            if now - refreshed > 0.2:  # a worker may have opened a connection
                workers = http_workers(master_pid, args.port, kinds, db_port)
                refreshed = now
            owners = {port: pid for pid, _busy, ports in workers for port in ports}
            with conn.cursor() as cr:
                cr.execute(
                    """SELECT backend_xid IS NOT NULL, client_port
                         FROM pg_stat_activity WHERE datname = %s
                          AND xact_start IS NOT NULL AND client_port = ANY(%s)""",
                    [args.db, list(owners)],
                )
                transactions = cr.fetchall()
            waited = now - start
            if transactions:
                wrote, port = max(transactions)
                if wrote or waited > patience / 2:
                    os.kill(owners[port], signal.SIGKILL)
                    doing = "in a transaction that had written" if wrote else (
                        "in a read-only transaction"
                    )  # fmt: skip
                    return owners[port], doing, len(workers)
            if waited > patience and workers:
                pid, busy, _ports = max(workers, key=lambda worker: worker[1])
                os.kill(pid, signal.SIGKILL)
                return pid, "in a request" if busy else "idle", len(workers)
            if waited > patience + 10:
                return None, "none found", 0
            time.sleep(0.002)
    finally:
        conn.close()
