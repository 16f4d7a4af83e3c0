"""The Odoo side of tools/replica_check.py: the demo database, our own Odoo
server (prefork, reads on the replica), a user's two ways in (JSON-2 with an
API key, the web client's session) and the calls the board makes."""

import getpass
import json
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
import requests

ADDON = "isp_sales_desk"
USER = getpass.getuser()  # a PostgreSQL superuser of that name, as for tools/test.sh
ROSARIO = (-32.9468, -60.6393)
BOX = [-33.2, -61.0, -32.7, -60.4]  # Rosario: [south, west, north, east]
T, L = "isp.sales.ticket", "isp.sales.lead"

# Not "python3 -m odoo" for the server: the prefork master starts its websocket
# process as [python, sys.argv[0], "gevent", ...] and odoo/__main__.py cannot
# run as a file, so it would respawn it in a loop, and each respawn opens a
# cursor on the primary (noise in the counters). Where pkg_resources does not
# resolve gevent's requirements (setuptools 65 and zope_interface 8), gevent's
# plugins are loaded without that check. (tools/load_test_odoo.py does alike.)
LAUNCHER = """import sys

if sys.argv[1:2] == ["gevent"]:
    import pkg_resources

    pkg_resources.EntryPoint.load = lambda self, *args, **kwargs: self.resolve()

from odoo.cli.command import main

main()
"""

# the API keys of the demo's manager and seller, made in an Odoo shell
KEYS_CODE = """import datetime, json
keys = {}
for login in ("admin", "vendedor.demo"):
    user = env["res.users"].search([("login", "=", login)])
    keys[login] = env["res.users.apikeys"].with_user(user)._generate(
        "rpc", "replica demo", datetime.datetime.now() + datetime.timedelta(hours=2))
env.cr.commit()
print("KEYS=" + json.dumps(keys))
"""


def sql(port, db, query, params=()):
    cnx = psycopg2.connect(host="127.0.0.1", port=port, dbname=db, user=USER)
    try:
        cnx.autocommit = True
        with cnx.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall() if cr.description else None
    finally:
        cnx.close()


def odoo_cmd(args, addons, *extra, command="server"):
    return [
        sys.executable, str(Path(addons) / "odoo_launcher.py"), command,
        f"--addons-path={addons}", "-d", args.db, "--db_host=127.0.0.1",
        f"--db_port={args.primary_port}", f"--db_user={USER}", *extra,
    ]  # fmt: skip


def prepare_db(args, addons, repo):
    """The demo database (installed once), the extension, and API keys."""
    (Path(addons) / ADDON).symlink_to(repo)
    (Path(addons) / "odoo_launcher.py").write_text(LAUNCHER)
    query = "SELECT 1 FROM pg_database WHERE datname = %s"
    if sql(args.primary_port, "postgres", query, (args.db,)) and not args.recreate:
        print(f"updating {ADDON} in {args.db} (--recreate installs it again) ...")
        subprocess.run(
            odoo_cmd(args, addons, "-u", ADDON, "--stop-after-init", "--workers=0",
                     "--max-cron-threads=0", "--no-http", "--log-level=warn"),
            check=True,
        )  # fmt: skip
    else:
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-p", str(args.primary_port),
             "--if-exists", args.db], check=True,
        )  # fmt: skip
        print(f"installing {ADDON} with demo data in {args.db} ...", flush=True)
        subprocess.run(
            odoo_cmd(args, addons, "-i", ADDON, "--with-demo", "--stop-after-init",
                     "--workers=0", "--max-cron-threads=0", "--no-http",
                     "--log-level=warn"), check=True,
        )  # fmt: skip
    # counted by the replica's library; created here, the standby is read-only
    ext = "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
    sql(args.primary_port, args.db, ext)
    shell = odoo_cmd(args, addons, "--no-http", "--log-level=warn", command="shell")
    out = subprocess.run(
        shell, input=KEYS_CODE, text=True, capture_output=True, check=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("KEYS="))
    return json.loads(line[len("KEYS=") :])


class Odoo:
    """Our own Odoo server: prefork, no cron, reads on the replica."""

    def __init__(self, args, addons):
        self.url = f"http://127.0.0.1:{args.http_port}"
        self.log = Path(tempfile.gettempdir()) / f"{args.db}_odoo.log"
        self.cmd = odoo_cmd(
            args, addons, f"--db-filter=^{args.db}$", "--db_replica_host=127.0.0.1",
            f"--db_replica_port={args.replica_port}", "--workers=2",
            "--max-cron-threads=0", "--http-interface=127.0.0.1",
            f"--http-port={args.http_port}", f"--gevent-port={args.gevent_port}",
            f"--logfile={self.log}",
        )  # fmt: skip
        self.proc = None

    def start(self):
        self.log.write_text("")
        print("starting:", " ".join(self.cmd[1:]), flush=True)
        self.proc = subprocess.Popen(self.cmd)
        for _ in range(120):
            try:
                if requests.get(self.url + "/web/health", timeout=2).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        self.stop()
        sys.exit(f"Odoo did not answer on {self.url}; see {self.log}")

    def children(self):
        """Pids of the master's children: the HTTP workers and the websocket
        process (ours: we started the master)."""
        out = subprocess.run(
            ["ps", "-o", "pid=,args=", "--ppid", str(self.proc.pid)],
            capture_output=True, text=True, check=False,
        ).stdout  # fmt: skip
        return [
            int(line.split()[0]) for line in out.splitlines() if " gevent " not in line
        ]

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def log_lines(self, *needles):
        lines = self.log.read_text().splitlines()
        return [line for line in lines if any(n in line for n in needles)]


class Client:
    """One user over JSON-2 (bearer API key) and the web client (session)."""

    def __init__(self, odoo, db, login, password, key):
        self.url, self.key = odoo.url, key
        self.web = requests.Session()
        params = {"db": db, "login": login, "password": password}
        response = self.web.post(
            f"{self.url}/web/session/authenticate",
            json={"jsonrpc": "2.0", "method": "call", "params": params},
        )
        assert response.json().get("result", {}).get("uid"), response.text

    def json2(self, model, method, **params):
        return requests.post(
            f"{self.url}/json/2/{model}/{method}", json=params, timeout=60,
            headers={"Authorization": f"bearer {self.key}"},
        )  # fmt: skip

    def call_kw(self, model, method, args=(), kwargs=None, route="call_kw"):
        params = {"model": model, "method": method, "args": list(args),
                  "kwargs": kwargs or {}}  # fmt: skip
        return self.web.post(
            f"{self.url}/web/dataset/{route}/{model}.{method}", timeout=60,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
        )  # fmt: skip

    def get(self, path):
        return self.web.get(self.url + path, timeout=60)


def status(response):
    """The HTTP status, with the JSON-RPC error (sent with a 200) if any."""
    if response is None:
        return "no answer"
    if response.headers.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        if isinstance(body, dict) and body.get("error"):
            return f"{response.status_code} rpc-error"
    return str(response.status_code)


SPEC = {"name": {}, "prospect_name": {}, "state": {}, "amount_total": {},
        "currency_id": {"fields": {}}, "priority": {}, "color": {},
        "user_id": {"fields": {"display_name": {}}},
        "tag_ids": {"fields": {"display_name": {}, "color": {}}}}  # fmt: skip
MAP = {"domain": [], "bbox": BOX, "zoom": 12}
# (label, user, model, method, params): what the board, the map and the
# reports read, each sent over JSON-2 and over the web client's call_kw
READS = [
    ("kanban web_read_group", "seller", T, "web_read_group",
     {"domain": [], "groupby": ["state"], "aggregates": ["amount_total:sum"],
      "auto_unfold": True, "unfold_read_specification": SPEC,
      "unfold_read_default_limit": 40}),
    ("list web_search_read", "seller", T, "web_search_read",
     {"domain": [], "specification": SPEC, "limit": 80, "order": "id desc",
      "count_limit": 10001}),
    ("name search", "seller", L, "web_name_search",
     {"name": "gonz", "domain": [], "limit": 8,
      "specification": {"display_name": {}}}),
    ("map get_isp_map_data", "seller", T, "get_isp_map_data", MAP),
    ("orders get_isp_map_data", "admin", "isp.sales.order", "get_isp_map_data", MAP),
    ("map get_isp_what_if", "admin", T, "get_isp_what_if",
     {"latitude": ROSARIO[0], "longitude": ROSARIO[1], "radius": 3000}),
    ("map get_isp_map_settings", "seller", "isp.sales.prospect",
     "get_isp_map_settings", {}),
    ("report win rate (pivot)", "admin", "isp.sales.ticket.report",
     "formatted_read_group",
     {"domain": [], "groupby": ["user_id"],
      "aggregates": ["win_rate:avg", "won_count:sum", "lost_count:sum"]}),
    ("report funnel (graph)", "admin", "isp.sales.funnel.report",
     "formatted_read_group",
     {"domain": [], "groupby": ["stage"], "aggregates": ["__count"]}),
]  # fmt: skip


def board_calls(users, pending_id, reason_id):
    """[(label, via, func, writes)]: the reads, then some writes."""
    calls = []
    for label, login, model, method, params in READS:
        user = users[login]
        calls += [
            (label, "json2", lambda u=user, m=model, f=method, p=params:
             u.json2(m, f, **p), False),
            (label, "call_kw", lambda u=user, m=model, f=method, p=params:
             u.call_kw(m, f, [], p), False),
        ]  # fmt: skip
    seller, admin = users["seller"], users["admin"]
    today = time.localtime()
    month = json.dumps({"year": today.tm_year, "month": today.tm_mon})
    stamp = int(time.time() * 1000) % 10**9
    calls += [
        ("report monthly (html)", "GET /report", lambda: admin.get(
            f"/report/html/isp_sales_desk.report_monthly?options={month}"), False),
        ("report quote (html)", "GET /report", lambda: admin.get(
            f"/report/html/isp_sales_desk.report_ticket_quote/{pending_id}"), False),
        ("public coverage page", "GET", lambda: admin.get("/isp/coverage"), False),
        ("create a lead", "json2", lambda: seller.json2(
            L, "create", vals_list=[{"name": f"Réplica {stamp}"}]), True),
        ("create a lead", "call_kw", lambda: seller.call_kw(
            L, "create", [[{"name": f"Réplica web {stamp}"}]]), True),
        ("intake (lead+ticket)", "json2", lambda: seller.json2(
            L, "intake", name=f"Intake {stamp}", phone=f"+54 9 341 {stamp:09d}",
            latitude=ROSARIO[0], longitude=ROSARIO[1]), True),
        ("ticket action_set_lost", "json2", lambda: seller.json2(
            T, "action_set_lost", ids=[pending_id], lost_reason_id=reason_id), True),
        ("ticket action_reopen", "call_button", lambda: seller.call_kw(
            T, "action_reopen", [[pending_id]], route="call_button"), True),
    ]  # fmt: skip
    return calls
