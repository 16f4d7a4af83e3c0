"""The Odoo side of ``tools/load_test.py``: the database, the server, the users
and their API keys, the calls the web client makes, the server log and the
invariants. Everything here runs before or after the load, never during it
(apart from :func:`kill_http_worker`)."""

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_board

ADDON = bench_board.ADDON
SELLER_LOGIN = "lt_seller_%02d"
TECHNICIAN_LOGIN = "lt_tech_%02d"
KEY_NAME = "load test"
OPEN_ORDER_STATES = ("draft", "scheduled", "in_progress")
# odoo/service/model.py retrying(): "<ERROR>, <n> tries left, try again in ..."
RETRY_RE = re.compile(r" odoo\.service\.model: (.+?), \d+ tries left, try again in")
GIVE_UP_RE = re.compile(
    r" odoo\.service\.model: (.+?), maximum number of tries reached"
)
RO_RW_RE = re.compile(r"retrying with a read/write cursor")
# odoo/service/server.py log_request + netsvc.PerfFilter: queries, SQL s, other s
REQUEST_RE = re.compile(
    r'"POST /json/2/([\w.]+/\w+) HTTP/[\d.]+" (\d{3}) \S+ (\d+) ([\d.]+) ([\d.]+)'
)
WORKER_RE = re.compile(r"Worker (WorkerHTTP|WorkerCron) \((\d+)\) alive")


def odoo_options(args, addons):
    return [
        f"--addons-path={addons}",
        f"--db_host={args.db_host}",
        f"--db_user={args.db_user}",
    ]


def ensure_db(args, addons):
    """The demo database: created with the addon and its demo data if missing."""
    if bench_board.db_exists(args, args.db):
        return
    bench_board.log("creating %s: %s with demo data", args.db, ADDON)
    subprocess.run(
        [sys.executable, "-m", "odoo", "-d", args.db, *odoo_options(args, addons)]
        + ["-i", ADDON, "--with-demo", "--stop-after-init", "--log-level=warn"],
        check=True,
    )


def open_registry(args, addons):
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        [*odoo_options(args, addons), "-d", args.db, "--log-level=warn"]
    )
    return Registry(args.db)


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
    from odoo.addons.isp_sales_desk.models.status_rules import as_action

    have = env["isp.sales.ticket"].with_context(active_test=False).search_count([])
    # benchmark data: the lost tickets get their reason at creation
    status_env = as_action(env["isp.sales.ticket"]).env
    padded = (sellers.ids * bench_board.N_SELLERS)[: max(len(sellers), 8)]
    bench_board.seed_isp(status_env, have + args.seed, 2000, sellers.browse(padded))
    env.cr.commit()


def analyze(args):
    """Fresh planner statistics, as autovacuum keeps them on a live database
    (each run adds hundreds of rows to tables that held a few dozen); says
    whether autovacuum is on, to keep them fresh during the run."""
    conn = bench_board.pg_connect(args, args.db)
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
        sys.executable, str(launcher), "server", *odoo_options(args, addons),
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


def http_workers(master_pid, port, log_path=None):
    """(pid, busy) of the master's HTTP workers; busy: serving a request now.

    A worker is an HTTP one if the log says so (``Worker WorkerHTTP (pid)
    alive``), or, without a log, if it holds a client connection on the port.
    """
    import psutil

    declared = {}
    if log_path and os.path.exists(log_path):
        for kind, pid in WORKER_RE.findall(Path(log_path).read_text(errors="replace")):
            declared[int(pid)] = kind
    workers = []
    for child in psutil.Process(master_pid).children():
        try:
            if "gevent" in child.cmdline():
                continue
            busy = any(
                c.status == psutil.CONN_ESTABLISHED and c.laddr.port == port
                for c in tcp_connections(child)
            )
        except psutil.NoSuchProcess:
            continue
        if declared.get(child.pid) == "WorkerHTTP" or (not declared and busy):
            workers.append((child.pid, busy))
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


def kill_http_worker(master_pid, port, log_path=None, patience=5.0):
    """SIGKILL one HTTP worker, preferably one in the middle of a request."""
    deadline = time.monotonic() + patience
    while True:
        workers = http_workers(master_pid, port, log_path)
        busy = [pid for pid, is_busy in workers if is_busy]
        if busy or (workers and time.monotonic() > deadline):
            pid, was_busy = (busy[0], True) if busy else (workers[0][0], False)
            os.kill(pid, signal.SIGKILL)
            return pid, was_busy, len(workers)
        if time.monotonic() > deadline + 10:
            return None, False, 0
        time.sleep(0.005)


def cpu_snapshot(args, master_pid):
    """CPU seconds so far: the machine's busy time, the Odoo server's
    processes, the PostgreSQL backends of the database, this client."""
    import psutil

    def seconds(process):
        try:
            times = process.cpu_times()
            return times.user + times.system
        except psutil.Error:
            return 0.0

    machine = psutil.cpu_times()
    odoo = {}
    if master_pid:
        master = psutil.Process(master_pid)
        for process in [master, *master.children(recursive=True)]:
            odoo[process.pid] = seconds(process)
    conn = bench_board.pg_connect(args, args.db)
    with conn.cursor() as cr:
        cr.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [args.db])
        backends = {pid: seconds(psutil.Process(pid)) for (pid,) in cr.fetchall()}
    conn.close()
    return {
        "time": time.monotonic(),
        "busy": sum(machine) - machine.idle - getattr(machine, "iowait", 0.0),
        "odoo": odoo,
        "postgres": backends,
        "client": sum(os.times()[:2]),
    }


def cpu_usage(before, after):
    """Percent of the machine (all cores) used between two snapshots."""
    import psutil

    capacity = (after["time"] - before["time"]) * psutil.cpu_count()

    def delta(key):
        return sum(t - before[key].get(pid, 0.0) for pid, t in after[key].items())

    return {
        "machine": (after["busy"] - before["busy"]) / capacity * 100,
        "odoo": delta("odoo") / capacity * 100,
        "postgres": delta("postgres") / capacity * 100,
        "client": (after["client"] - before["client"]) / capacity * 100,
    }


def read_log(log_path, offset=0):
    """What the server log says from ``offset`` on: retries, failures, and the
    per-request figures of the JSON-2 calls."""
    text = Path(log_path).read_text(errors="replace")[offset:]
    requests = defaultdict(list)  # model/method -> [(status, queries, sql s, py s)]
    for path, status, queries, sql, other in REQUEST_RE.findall(text):
        requests[path].append((int(status), int(queries), float(sql), float(other)))
    levels = Counter(
        m.group(1)
        for m in re.finditer(
            r"^\S+ \S+ \d+ (ERROR|CRITICAL|WARNING) ", text, re.MULTILINE
        )
    )
    return {
        "retries": Counter(RETRY_RE.findall(text)),
        "gave_up": Counter(GIVE_UP_RE.findall(text)),
        "ro_to_rw": len(RO_RW_RE.findall(text)),
        "requests": requests,
        "levels": levels,
        "tracebacks": text.count("Traceback (most recent call last)"),
    }


# ---------------------------------------------------------------------------
# invariants, straight from the database
# ---------------------------------------------------------------------------

OPEN = "('draft', 'scheduled', 'in_progress')"
INVARIANTS = (
    (
        "ticket with two open orders of one type",
        f"""SELECT count(*) FROM (SELECT 1 FROM isp_sales_order WHERE state IN {OPEN}
             GROUP BY ticket_id, order_type HAVING count(*) > 1) x""",
    ),
    (
        "won ticket without a done installation",
        """SELECT count(*) FROM isp_sales_ticket t WHERE t.state = 'won'
             AND NOT EXISTS (SELECT 1 FROM isp_sales_order o WHERE o.ticket_id = t.id
                AND o.order_type = 'installation' AND o.state = 'done')""",
    ),
    (
        "ticket with a done installation, not won",
        """SELECT count(DISTINCT o.ticket_id) FROM isp_sales_order o
             JOIN isp_sales_ticket t ON t.id = o.ticket_id
            WHERE o.order_type = 'installation' AND o.state = 'done'
              AND t.state IS DISTINCT FROM 'won'""",
    ),
    (
        "duplicate contact for one lead",
        # another partner like the lead's own (name, e-mail, company), created
        # after the lead, that no lead points to: a second contact of the lead
        """SELECT count(*) FROM isp_sales_lead l
             JOIN res_partner p ON p.name = l.name AND p.id <> l.partner_id
              AND coalesce(p.email, '') = coalesce(l.email, '')
              AND p.company_id IS NOT DISTINCT FROM l.company_id
              AND p.create_date >= l.create_date
            WHERE l.partner_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM isp_sales_lead o
                               WHERE o.partner_id = p.id)""",
    ),
    (
        "won ticket whose lead has no contact",
        """SELECT count(*) FROM isp_sales_ticket t
             JOIN isp_sales_lead l ON l.id = t.lead_id
            WHERE t.state = 'won' AND l.partner_id IS NULL""",
    ),
    (
        "order in a state its fsm.order stage contradicts",
        """SELECT count(*) FROM isp_sales_order o
             JOIN fsm_order f ON f.id = o.fsm_order_id
             JOIN fsm_stage s ON s.id = f.stage_id
            WHERE f.isp_sales_order_id IS DISTINCT FROM o.id
               OR NOT CASE o.state
                    WHEN 'done' THEN s.id = %(completed)s
                    WHEN 'cancelled' THEN s.id = %(cancelled)s
                    WHEN 'scheduled' THEN s.id = %(scheduled)s
                    WHEN 'in_progress' THEN s.id = %(in_progress)s
                    ELSE NOT coalesce(s.is_closed, FALSE) END""",
    ),
    (
        "fsm.order of a sales desk order that does not point back to it",
        """SELECT count(*) FROM fsm_order f JOIN isp_sales_order o
               ON o.id = f.isp_sales_order_id
            WHERE o.fsm_order_id IS DISTINCT FROM f.id""",
    ),
    (
        "lost ticket with an open order",
        f"""SELECT count(DISTINCT t.id) FROM isp_sales_ticket t JOIN isp_sales_order o
               ON o.ticket_id = t.id WHERE t.state = 'lost' AND o.state IN {OPEN}""",
    ),
    (
        "won or lost ticket whose sale is not frozen",
        """SELECT count(*) FROM isp_sales_ticket
            WHERE state IN ('won', 'lost') AND sale_frozen IS NOT TRUE""",
    ),
    (
        "technician with two field service workers",
        """SELECT count(*) FROM (SELECT partner_id FROM fsm_person
             GROUP BY partner_id HAVING count(*) > 1) x""",
    ),
)


def check_invariants(args):
    conn = bench_board.pg_connect(args, args.db)
    try:
        with conn.cursor() as cr:
            cr.execute(
                """SELECT module || '.' || name, res_id FROM ir_model_data
                    WHERE model = 'fsm.stage' AND (module, name) IN (
                     ('fieldservice', 'fsm_stage_completed'),
                     ('fieldservice', 'fsm_stage_cancelled'),
                     (%s, 'fsm_stage_scheduled'), (%s, 'fsm_stage_in_progress'))""",
                [ADDON, ADDON],
            )
            stages = {
                xmlid.split(".")[1][10:]: res_id for xmlid, res_id in cr.fetchall()
            }
            results = []
            for label, query in INVARIANTS:
                cr.execute(query, stages if "%(" in query else None)
                results.append((label, cr.fetchone()[0]))
            return results
    finally:
        conn.close()
