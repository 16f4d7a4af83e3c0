"""What the benchmark scripts of ``tools/`` share: the addon's temporary addons
directory, the Odoo command line and registry, the PostgreSQL connection, the
common options and the seeding of network nodes.

The scripts run as ``python3 tools/<script>.py``: ``import bench_common`` finds
this file next to them.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDON = "isp_sales_desk"


def log(message, *args):
    print(message % args if args else message, flush=True)


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * fraction))]


# ---------------------------------------------------------------------------
# options
# ---------------------------------------------------------------------------


def argument_parser(doc, db_default):
    """The parser of a script documented by ``doc``, with ``--db``,
    ``--create-db`` and ``--n``; the script adds its own options, then calls
    :func:`parse_args`."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--db", default=db_default)
    parser.add_argument("--create-db", action="store_true")
    parser.add_argument("--n", type=int, default=100_000)
    return parser


def parse_args(parser):
    """``--db-host`` and ``--db-user`` last, then the parsed arguments."""
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-user", default="root")
    return parser.parse_args()


# ---------------------------------------------------------------------------
# database and registry
# ---------------------------------------------------------------------------


def pg_connect(args, dbname):
    import psycopg2

    kwargs = {"dbname": dbname, "host": args.db_host, "user": args.db_user}
    if getattr(args, "db_port", None):
        kwargs["port"] = args.db_port
    return psycopg2.connect(**kwargs)


def db_exists(args, dbname):
    conn = pg_connect(args, "postgres")
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname])
            return bool(cr.fetchone())
    finally:
        conn.close()


def vacuum(args, tables, *commands):
    """Each of ``commands`` (``"VACUUM ANALYZE"``...) on each of ``tables``."""
    conn = pg_connect(args, args.db)
    conn.autocommit = True  # VACUUM runs outside a transaction
    with conn.cursor() as cr:
        for table in tables:
            for command in commands:
                cr.execute(f"{command} {table}")  # constant table names
    conn.close()


def make_addons_dir(script):
    """A temporary addons directory holding ``isp_sales_desk -> repo``."""
    path = Path(tempfile.mkdtemp(prefix=f"{script}_addons_"))
    (path / ADDON).symlink_to(REPO)
    return path


def odoo_options(args, addons):
    """Addons path and database server; ``--db_port`` too when the script has
    a ``--db-port`` option and it is set."""
    options = [
        f"--addons-path={addons}",
        f"--db_host={args.db_host}",
        f"--db_user={args.db_user}",
    ]
    if getattr(args, "db_port", None):
        options.append(f"--db_port={args.db_port}")
    return options


def run_odoo(args, addons, *extra, dbname=None):
    """``python3 -m odoo -d <db> ... <extra> --stop-after-init``."""
    subprocess.run(
        [sys.executable, "-m", "odoo", "-d", dbname or args.db,
         *odoo_options(args, addons), *extra,
         "--stop-after-init", "--log-level=warn"],
        check=True,
    )  # fmt: skip


def create_db(args, addons):
    log("creating %s: installing %s without demo data", args.db, ADDON)
    run_odoo(args, addons, "-i", ADDON)


def configure_odoo(args, addons, dbname=None):
    import odoo

    odoo.tools.config.parse_config(
        [*odoo_options(args, addons), "-d", dbname or args.db] + ["--log-level=warn"]
    )


def open_registry(args, addons):
    from odoo.modules.registry import Registry

    configure_odoo(args, addons)
    return Registry(args.db)


def open_bench_registry(args, script):
    """The registry of ``args.db``, created first with ``--create-db``."""
    addons = make_addons_dir(script)
    if args.create_db:
        create_db(args, addons)
    return open_registry(args, addons)


# ---------------------------------------------------------------------------
# seeding
# ---------------------------------------------------------------------------


def insert_nodes(cr, count, area, company_id, capacity=True):
    """``count`` active access points over ``area`` ((lat range, lon range)),
    radius 300-3000 m, in one SQL statement (the ORM would post a chatter
    message per node); with ``capacity``, a third of them with 64 ports."""
    (lat_min, lat_max), (lon_min, lon_max) = area
    ports = (
        "CASE WHEN i %% 3 = 0 THEN 64 ELSE 0 END,"
        " CASE WHEN i %% 3 = 0 THEN (random() * 64)::int ELSE 0 END"
        if capacity
        else "0, 0"
    )
    cr.execute(
        f"""
        INSERT INTO isp_network_node
            (name, node_type, technology, latitude, longitude, coverage_radius,
             capacity, used_capacity, free_capacity, active, company_id,
             create_date, write_date, create_uid, write_uid)
        SELECT 'Bench node ' || i, 'access_point', 'wireless',
               round((%s + random() * %s)::numeric, 7),
               round((%s + random() * %s)::numeric, 7),
               300 + (random() * 2700)::int, {ports},
               0, TRUE, %s, now(), now(), 1, 1
          FROM generate_series(1, %s) AS i
        """,
        [lat_min, lat_max - lat_min, lon_min, lon_max - lon_min, company_id, count],
    )
    if capacity:
        cr.execute(
            "UPDATE isp_network_node"
            " SET free_capacity = GREATEST(capacity - used_capacity, 0)"
            " WHERE capacity > 0"
        )
