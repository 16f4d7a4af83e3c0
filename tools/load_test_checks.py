"""What ``tools/load_test.py`` measures and checks besides its own timings:
the CPU used, what the server log says (retries, per-call figures), and the
invariants of the data, straight from the database."""

import os
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

import load_test_odoo as lto

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
    conn = lto.bench_common.pg_connect(args, args.db)
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
        # a serialization failure is logged as an ERROR (its query) before
        # Odoo retries it
        "spawned": [
            int(pid)
            for kind, pid in lto.WORKER_RE.findall(text)
            if kind == "WorkerHTTP"
        ],
        "bad_queries": len(re.findall(r" ERROR \S+ odoo\.sql_db: bad query", text)),
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
    conn = lto.bench_common.pg_connect(args, args.db)
    try:
        with conn.cursor() as cr:
            cr.execute(
                """SELECT module || '.' || name, res_id FROM ir_model_data
                    WHERE model = 'fsm.stage' AND (module, name) IN (
                     ('fieldservice', 'fsm_stage_completed'),
                     ('fieldservice', 'fsm_stage_cancelled'),
                     (%s, 'fsm_stage_scheduled'), (%s, 'fsm_stage_in_progress'))""",
                [lto.ADDON, lto.ADDON],
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


def states_now(args, model, ids):
    """{id: state} of the records, read in the database (what a call that
    got no answer left behind)."""
    conn = lto.bench_common.pg_connect(args, args.db)
    try:
        with conn.cursor() as cr:
            table = model.replace(".", "_")  # a model name of the load test
            cr.execute(f"SELECT id, state FROM {table} WHERE id = ANY(%s)", [ids])
            return dict(cr.fetchall())
    finally:
        conn.close()
