#!/usr/bin/env python3
"""Benchmark of the sales desk board against Odoo's own CRM pipeline.

Usage::

    python3 tools/bench_board.py --db isp_bench --create-db        # N = 100,000
    python3 tools/bench_board.py --db isp_bench                    # rerun, no seeding
    python3 tools/bench_board.py --db isp_bench_1k --n 1000 --create-db \\
        --compare-with isp_bench        # also: query counts at 1k vs 100k equal?
    python3 tools/bench_board.py --db isp_bench --update   # after a model change

What it does
------------
1. ``--create-db`` creates the database and installs ``isp_sales_desk,crm``
   without demo data (``python3 -m odoo -i ... --stop-after-init``), from a
   temporary addons directory holding a symlink ``isp_sales_desk -> <repo>``
   (the clone may be named otherwise).

2. Seeding, only while the database holds fewer than N records (reruns are
   idempotent; ``--reseed`` deletes the benchmark data first):

   * N ``isp.sales.lead``, N ``isp.sales.prospect`` (one per lead) and N
     ``isp.sales.ticket`` (one per prospect, 0-3 tags, 8 sellers, 10 UTM
     sources), created with the ORM in batches of ``--batch`` with
     ``tracking_disable``/``mail_create_nolog``/``mail_notrack``: every stored
     related or computed field (``prospect_name``, ``lead_id``, ``source_id``,
     ``company_id``...) is computed by the addon's own code;
   * about 0.7 ``isp.sales.order`` per ticket, inserted with one SQL
     statement per batch (through the ORM each order would post a chatter
     message), then declared to the ORM (``modified(create=True)`` and
     ``add_to_compute``) so that the tickets' order-dependent stored fields
     (``state``, ``date_state_changed``, ``order_count``, ``scheduled_date``,
     ...) are recomputed by the addon's computes at the next flush. Tickets
     end up about 40% pending, 25% order in progress, 20% won and 15% lost
     (a loss reason, as the lost wizard sets it);
   * N ``crm.lead`` opportunities (ORM, batched) spread over the CRM stages,
     with tags, salespersons and a sales team, without partner.

   The same person names are used on both sides, so that a name search
   matches as many rows on both (about N / 2400). No activities are seeded.
   After seeding, the seeded tables get a ``VACUUM FULL`` then a ``VACUUM
   ANALYZE``: the measurements start from compact tables, a filled
   visibility map and fresh statistics, as on a restored database that
   autovacuum has visited (the recompute UPDATEs would otherwise leave the
   ticket table twice its size).

3. Measurements, as a real user (not the superuser) created once, member of
   ``isp_sales_desk.group_isp_sales_user`` and
   ``sales_team.group_sale_salesman_all_leads``. Every call is made the way
   the JSON-RPC route makes it: ``odoo.service.model.call_kw`` with the web
   client's parameters and context (lang, tz, uid, allowed_company_ids, plus
   the action's context), on a new cursor, that is a new transaction with an
   empty record cache like a new HTTP request, and the result is
   JSON-encoded as the RPC layer would. The registry stays warm (ormcache,
   ir.rule, access rights), as in a running server. Each call gets
   ``--warmup`` unmeasured runs, then at least ``--runs`` measured ones
   (cheap calls are repeated up to 50 times / 300 ms). The ticket and CRM
   calls of one operation run in turn (ticket, crm, ticket, crm...), so that
   both sides of a ratio see the same load of a shared machine; the load
   average is printed before and after. The table gives the median and p90
   wall time, the median time spent in PostgreSQL and the number of SQL
   queries per call.

   * ``kanban web_read_group``: exactly what the Odoo 19 web client sends
     for the first load of a grouped kanban (relational_model.js
     ``_webReadGroup``): the view's ``default_group_by``; as aggregates the
     progressbar's sum fields, their currency aggregates included
     (``getAggregateSpecifications``); ``auto_unfold=True``,
     ``opening_info=[]``, ``unfold_read_default_limit=80``, the
     ``unfold_read_specification`` built from the kanban arch like the web
     client's ``getFieldsSpec`` does, and ``read_group_expand`` in the
     context. The arguments were checked identical to those a headless
     Chromium sends for both boards (see README_bench.md).
   * ``kanban read_progress_bar``: the call the kanban makes next to it.
   * ``list web_search_read``: the list arch's specification, limit 80,
     ``count_limit=10001``, the action's order (none: the model's).
   * ``name_search``: ``web_name_search`` as the many2one widget sends it
     (``{"display_name": {}}``, ilike, limit 8 + 1), for a person name that
     matches about N / 2400 records, and for a string that matches nothing.

   The ticket side uses ``isp_sales_desk.isp_sales_ticket_action`` (domain
   ``[]``, no default filter). The CRM side uses
   ``crm.crm_lead_action_pipeline`` (domain ``[('type', '=',
   'opportunity')]``, its context) *without* the default "My Pipeline"
   filter (``search_default_assigned_to_me``), so both boards show every
   record.

4. Output: the table (ms, queries, ratio ticket/CRM), a hand-written SQL
   statement for the ticket board's columns and cards as a floor of what
   the database needs (then the same with the columns' sums of the
   progress bar), and the verdict against the targets. ``--explain``
   prints each SQL query of every measured call with its EXPLAIN ANALYZE
   time and plan head (``--explain-file`` writes the full queries and plans),
   ``--show-spec`` the read specifications.

Everything runs in this Python process (``odoo.modules.registry.Registry``);
nothing is served over HTTP, and the measurements never commit.
"""

import argparse
import json
import logging
import os
import random
import shutil
import statistics
import threading
import time
from datetime import timedelta
from pathlib import Path

from bench_common import (
    ADDON,
    configure_odoo,
    db_exists,
    make_addons_dir,
    run_odoo,
    vacuum,
)

TICKET_ACTION = f"{ADDON}.isp_sales_ticket_action"
CRM_ACTION = "crm.crm_lead_action_pipeline"
BENCH_LOGIN = "bench_board_user"
SELLER_LOGIN = "bench_board_seller_%d"
N_SELLERS = 8
N_TAGS = 12
N_SOURCES = 10
KANBAN_LIMIT = 80  # unfold_read_default_limit sent by the web client
LIST_LIMIT = 80  # default limit of a list view
COUNT_LIMIT = 10001  # count_limit sent by the web client for a list
NAME_SEARCH_LIMIT = 9  # many2one widget: searchLimit (8) + 1
MIN_MEASURED_MS = 300  # cheap calls are repeated until they add up to this...
MAX_RUNS = 50  # ... or this many runs
CREATE_CTX = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_auto_subscribe_no_notify": True,
}
SEEDED_TABLES = (
    "isp_sales_lead",
    "isp_sales_prospect",
    "isp_sales_ticket",
    "isp_sales_order",
    "isp_sales_tag_isp_sales_ticket_rel",
    "crm_lead",
    "crm_tag_rel",
)

FIRST_NAMES = (  # noqa: SIM905 - a readable word list
    "Martina Lucas Sofia Mateo Valentina Benjamin Isabella Thiago Camila Santiago "
    "Emma Joaquin Mia Bautista Lucia Felipe Julieta Tomas Catalina Agustin Victoria "
    "Facundo Renata Nicolas Emilia Ignacio Olivia Lautaro Paula Franco Antonella "
    "Gael Florencia Dante Abril Bruno Micaela Simon Delfina Ramiro"
).split()
SURNAMES = (  # noqa: SIM905 - a readable word list
    "Gonzalez Rodriguez Gomez Fernandez Lopez Diaz Martinez Perez Garcia Sanchez "
    "Romero Sosa Alvarez Torres Ruiz Ramirez Flores Acosta Benitez Medina Suarez "
    "Herrera Aguirre Pereyra Gutierrez Gimenez Molina Silva Castro Rojas Ortiz "
    "Luna Juarez Cabrera Rios Ferreyra Godoy Morales Dominguez Moreno Peralta Vega "
    "Carrizo Quiroga Castillo Ledesma Ojeda Ponce Vera Vazquez Villalba Cardozo "
    "Navarro Ramos Arias Coronel Cordoba Figueroa Correa Paz"
).split()
STREETS = (
    "Av. Corrientes",
    "Av. Santa Fe",
    "Florida",
    "Av. Rivadavia",
    "Av. Cabildo",
    "Mitre",
    "Belgrano",
    "San Martin",
    "Sarmiento",
    "Av. de Mayo",
    "Lavalle",
    "Tucuman",
    "Uruguay",
    "Parana",
)
CITIES = ("Buenos Aires", "Cordoba", "Rosario", "Mendoza", "La Plata", "Salta")
# person_name(i) == SEARCH_HIT for i = 127 + 2400 k: 1 record at N=1,000, 42 at 100,000
SEARCH_HIT = f"{FIRST_NAMES[7]} {SURNAMES[3]}"
SEARCH_MISS = "zzqxw"


def person_name(i):
    first = FIRST_NAMES[i % len(FIRST_NAMES)]
    return f"{first} {SURNAMES[(i // len(FIRST_NAMES)) % len(SURNAMES)]}"


def email(i):
    return f"{person_name(i).lower().replace(' ', '.')}.{i}@example.com"


def log(msg, *args):
    print(time.strftime("%H:%M:%S"), msg % args if args else msg, flush=True)


# ---------------------------------------------------------------------------
# database and registry
# ---------------------------------------------------------------------------


def create_db(args, addons):
    if db_exists(args, args.db):
        log("database %s exists: not creating it", args.db)
        return
    log("creating %s: installing %s,crm without demo data", args.db, ADDON)
    run_odoo(args, addons, "-i", f"{ADDON},crm")


def update_db(args, addons, dbname):
    """``-u isp_sales_desk``: apply the current code (new fields, indexes...)."""
    log("updating %s in %s", ADDON, dbname)
    run_odoo(args, addons, "-u", ADDON, dbname=dbname)


def open_registry(args, addons, dbname):
    from odoo.modules.registry import Registry

    if not getattr(open_registry, "configured", False):
        configure_odoo(args, addons, dbname)
        open_registry.configured = True
    registry = Registry(dbname)
    for model in ("isp.sales.ticket", "crm.lead"):
        if model not in registry:
            raise SystemExit(
                f"{model} is not loaded in {dbname}: its module is not installed, or"
                f" the code needs a dependency the database lacks: --update {dbname}"
                " (or --create-db on a new database)"
            )
    return registry


def vacuum_full(args):
    """Compact tables, visibility map and statistics, as after a restore.

    VACUUM FULL rewrites the tables (the recompute UPDATEs of the seeding
    would otherwise leave the ticket table twice its size) but leaves the
    visibility map empty: the plain VACUUM that follows fills it, as
    autovacuum does on a live database, so that index-only scans are possible.
    """
    vacuum(args, SEEDED_TABLES, "VACUUM FULL", "VACUUM ANALYZE")


# ---------------------------------------------------------------------------
# seeding
# ---------------------------------------------------------------------------


def ensure_users(env):
    """The sellers (assigned to records) and the measuring user."""
    Users = env["res.users"].with_context(no_reset_password=True, **CREATE_CTX)
    internal = env.ref("base.group_user")
    sellers = Users.search([("login", "like", SELLER_LOGIN.replace("%d", "%"))])
    for k in range(len(sellers), N_SELLERS):
        sellers |= Users.create(
            {
                "name": f"{FIRST_NAMES[k * 3]} {SURNAMES[k * 5]}",
                "login": SELLER_LOGIN % k,
                "group_ids": [(6, 0, internal.ids)],
            }
        )
    user = Users.search([("login", "=", BENCH_LOGIN)])
    if not user:
        groups = internal | env.ref(f"{ADDON}.group_isp_sales_user")
        groups |= env.ref("sales_team.group_sale_salesman_all_leads")
        user = Users.create(
            {
                "name": "Bench Board User",
                "login": BENCH_LOGIN,
                "tz": "America/Argentina/Buenos_Aires",
                "group_ids": [(6, 0, groups.ids)],
            }
        )
    return user, sellers.sorted("id")


def ensure_named(model, names, colored=False):
    """Records of ``model`` with these names (created when missing)."""
    Model = model.with_context(active_test=False)
    existing = Model.search([("name", "in", names)])
    missing = [name for name in names if name not in existing.mapped("name")]
    vals = [
        {"name": name, **({"color": k % 11 + 1} if colored else {})}
        for k, name in enumerate(missing)
    ]
    return (existing | Model.create(vals)).sorted("id")


def order_plan(rng, now):
    """(lost?, [(order_type, state, scheduled_date, date_done, result)])."""
    soon = now + timedelta(days=rng.randint(1, 30), hours=rng.randint(8, 18))
    past = now - timedelta(days=rng.randint(1, 300))
    roll = rng.random()
    if roll < 0.40:  # pending: no order, sometimes a cancelled feasibility
        cancelled = [("feasibility", "cancelled", None, None, None)]
        return False, cancelled if rng.random() < 0.15 else []
    if roll < 0.65:  # order in progress: one open order
        state = rng.choice(["draft", "scheduled", "scheduled", "in_progress"])
        kind = rng.choice(["installation", "installation", "feasibility"])
        return False, [(kind, state, None if state == "draft" else soon, None, None)]
    if roll < 0.85:  # won: the installation is done, sometimes after a feasibility
        rows = [("installation", "done", past, past, None)]
        if rng.random() < 0.4:
            rows.insert(0, ("feasibility", "done", past, past, "feasible"))
        return False, rows
    # lost: a loss reason, sometimes a cancelled order
    kind = rng.choice(["installation", "feasibility"])
    return True, [(kind, "cancelled", None, None, None)] if rng.random() < 0.3 else []


def seed_isp(env, n, batch, sellers):
    """Leads, prospects, tickets (ORM) and orders (SQL + ORM recompute)."""
    from odoo import fields

    from odoo.addons.isp_sales_desk.models.status_rules import as_action

    have = env["isp.sales.ticket"].with_context(active_test=False).search_count([])
    if have >= n:
        log("isp.sales.ticket: %d records, nothing to seed", have)
        return False
    cenv = env(context=dict(env.context, **CREATE_CTX))
    tags = ensure_named(
        cenv["isp.sales.tag"], [f"Bench tag {k}" for k in range(N_TAGS)], True
    )
    sources = ensure_named(
        cenv["utm.source"], [f"Bench source {k}" for k in range(N_SOURCES)]
    )
    reasons = env["isp.sales.loss.reason"].search([])
    company = env.company
    rng = random.Random(1000 + have)
    year = fields.Date.today().year
    log("isp: seeding %d tickets, batches of %d", n - have, batch)
    t0 = time.perf_counter()
    for start in range(have, n, batch):
        idx = range(start, min(n, start + batch))
        leads = cenv["isp.sales.lead"].create(
            [
                {
                    "name": person_name(i),
                    "phone": f"+54 11 4{i:07d}",
                    "email": email(i),
                    "source_id": sources[i % N_SOURCES].id,
                    "user_id": sellers[i % N_SELLERS].id,
                    "company_id": company.id,
                }
                for i in idx
            ]
        )
        prospects = cenv["isp.sales.prospect"].create(
            [
                {
                    "lead_id": lead.id,
                    "street": STREETS[i % len(STREETS)],
                    "street_number": str(100 + (i * 7) % 4900),
                    "city": CITIES[(i // 3) % len(CITIES)],
                    "latitude": -34.6 + rng.uniform(-0.2, 0.2),
                    "longitude": -58.4 + rng.uniform(-0.2, 0.2),
                }
                for i, lead in zip(idx, leads, strict=True)
            ]
        )
        now = fields.Datetime.now()
        ticket_vals, plans = [], []
        for i, prospect in zip(idx, prospects, strict=True):
            lost, orders = order_plan(rng, now)
            plans.append(orders)
            n_tags = rng.choice([0, 1, 1, 2, 2, 3])
            vals = {
                "name": f"MV/{year}/{i + 1:06d}",
                "prospect_id": prospect.id,
                "user_id": rng.random() < 0.9 and sellers[(i * 3) % N_SELLERS].id,
                "priority": "1" if rng.random() < 0.2 else "0",
                "tag_ids": [(6, 0, rng.sample(tags.ids, n_tags))],
                "color": rng.choice([0, 0, 0, 1, 2, 3]),
            }
            if lost:
                vals.update(lost_reason_id=rng.choice(reasons.ids), date_lost=now)
            ticket_vals.append(vals)
        # benchmark data: lost tickets get their reason at creation, which
        # only the status actions may do (models/status_rules.py)
        tickets = as_action(cenv["isp.sales.ticket"]).create(ticket_vals)
        cenv.flush_all()
        insert_orders(cenv, tickets, plans)
        env.cr.commit()
        env.invalidate_all()
        done = idx.stop - have
        rate = done / (time.perf_counter() - t0)
        log("  isp: %d/%d tickets (%.0f/s)", done, n - have, rate)
    return True


def insert_orders(env, tickets, plans):
    """The orders in one INSERT, then the ORM recomputes what depends on them."""
    from psycopg2.extras import execute_values

    from odoo import fields

    now = fields.Datetime.now()
    rows = [
        (ticket.id, ticket.prospect_id.id, ticket.company_id.id, *order)
        for ticket, orders in zip(tickets, plans, strict=True)
        for order in orders
    ]
    if not rows:
        return
    env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM isp_sales_order")
    last = env.cr.fetchone()[0]
    values = [
        (f"OMV/{now.year}/{last + k + 1:06d}", *row, env.uid, env.uid, now, now)
        for k, row in enumerate(rows)
    ]
    order_ids = [
        row[0]
        for row in execute_values(
            env.cr._obj,
            """
        INSERT INTO isp_sales_order (name, ticket_id, prospect_id, company_id,
            order_type, state, scheduled_date, date_done, feasibility_result,
            create_uid, write_uid, create_date, write_date)
        VALUES %s RETURNING id""",
            values,
            page_size=len(values),
            fetch=True,
        )
    ]
    # what create() would have done: mark what depends on the new orders
    Order = env["isp.sales.order"]
    orders = Order.browse(order_ids)
    set_by_sql = {
        "name",
        "ticket_id",
        "prospect_id",
        "company_id",
        "order_type",
        "state",
        "scheduled_date",
        "date_done",
        "feasibility_result",
    }
    for field in Order._fields.values():
        if field.store and field.compute and field.name not in set_by_sql:
            env.add_to_compute(field, orders)
    env.invalidate_all()
    orders.modified([name for name, f in Order._fields.items() if f.store], create=True)
    env.flush_all()


def seed_crm(env, n, batch, sellers):
    """Opportunities over the CRM stages, with tags and salespersons."""
    Lead = env["crm.lead"].with_context(active_test=False)
    have = Lead.search_count([("type", "=", "opportunity")])
    if have >= n:
        log("crm.lead: %d opportunities, nothing to seed", have)
        return False
    cenv = env(context=dict(env.context, **CREATE_CTX))
    tags = ensure_named(
        cenv["crm.tag"], [f"Bench tag {k}" for k in range(N_TAGS)], True
    )
    sources = ensure_named(
        cenv["utm.source"], [f"Bench source {k}" for k in range(N_SOURCES)]
    )
    stages = env["crm.stage"].search([])
    weights = [0.3, 0.25, 0.25, 0.2, *[0.1] * len(stages)][: len(stages)]
    team = env["crm.team"].search([], limit=1)
    rng = random.Random(2000 + have)
    log("crm: seeding %d opportunities, batches of %d", n - have, batch)
    t0 = time.perf_counter()
    for start in range(have, n, batch):
        idx = range(start, min(n, start + batch))
        cenv["crm.lead"].create(
            [
                {
                    "name": person_name(i),
                    "type": "opportunity",
                    "contact_name": person_name(i),
                    "email_from": email(i),
                    "phone": f"+54 11 4{i:07d}",
                    "stage_id": rng.choices(stages.ids, weights)[0],
                    "user_id": rng.random() < 0.9 and sellers[i % N_SELLERS].id,
                    "team_id": team.id,
                    "source_id": sources[i % N_SOURCES].id,
                    "expected_revenue": rng.choice([0, 100, 250, 500, 1000, 5000]),
                    "priority": rng.choice(["0", "0", "1", "2"]),
                    "tag_ids": [
                        (6, 0, rng.sample(tags.ids, rng.choice([0, 1, 1, 2, 2, 3])))
                    ],
                }
                for i in idx
            ]
        )
        cenv.flush_all()
        env.cr.commit()
        env.invalidate_all()
        done = idx.stop - have
        rate = done / (time.perf_counter() - t0)
        log("  crm: %d/%d opportunities (%.0f/s)", done, n - have, rate)
    return True


def wipe(env):
    """--reseed: delete the benchmark data (and its chatter)."""
    log("--reseed: deleting the benchmark data")
    models = (
        "isp.sales.ticket",
        "isp.sales.order",
        "isp.sales.prospect",
        "isp.sales.lead",
        "crm.lead",
    )
    cr = env.cr
    cr.execute("DELETE FROM mail_message WHERE model IN %s", [models])
    cr.execute("DELETE FROM mail_followers WHERE res_model IN %s", [models])
    cr.execute("DELETE FROM mail_activity WHERE res_model IN %s", [models])
    for table in (
        "isp_sales_order",
        "isp_sales_ticket",
        "isp_sales_prospect_line",
        "isp_sales_prospect",
        "isp_sales_lead",
        "crm_lead",
    ):
        cr.execute(f"DELETE FROM {table}")
    cr.commit()
    env.invalidate_all()


# ---------------------------------------------------------------------------
# what the web client sends
# ---------------------------------------------------------------------------

# fieldDependencies of the widgets used on these views (Odoo 19, mail/static/src/
# views/web/fields/kanban_activity and list_activity): extra fields they read
ACTIVITY_DEPENDENCIES = (
    "activity_exception_decoration",
    "activity_exception_icon",
    "activity_state",
    "activity_summary",
    "activity_type_icon",
    "activity_type_id",
)
WIDGET_DEPENDENCIES = {
    "kanban_activity": ACTIVITY_DEPENDENCIES,
    "list_activity": ACTIVITY_DEPENDENCIES,
}
# widgets with relatedFields: the comodel fields they read (+ options.color_field)
TAGS_WIDGETS = ("many2many_tags", "many2many_tags_avatar", "many2many_tags_email")


def parse_options(text):
    """A field's ``options`` attribute (evaluated by the web client: JS-ish)."""
    from odoo.tools.safe_eval import safe_eval

    try:
        return safe_eval(text or "{}", {"true": True, "false": False, "null": None})
    except Exception:  # noqa: BLE001 - only color_field matters here
        return {}


def arch_fields(arch, fields_desc, view_type):
    """{field name: {"related": {...} or None, "invisible": bool}} of an arch.

    A port of what Odoo 19's ``KanbanArchParser``/``ListArchParser``,
    ``Field.parseFieldNode`` and ``addFieldDependencies`` collect: every
    ``<field>`` of the arch (x2many sub-views excluded), many2many shown as
    tags in a kanban, the relatedFields of tag widgets and the
    fieldDependencies of activity widgets.
    """
    from lxml import etree

    active = {}

    def add(node):
        name = node.get("name")
        widget = node.get("widget")
        if (
            view_type == "kanban"
            and not widget
            and fields_desc[name]["type"] == "many2many"
        ):
            widget = "many2many_tags"
        invisible = node.get("invisible")
        if view_type == "list":
            invisible = node.get("column_invisible") or invisible
        info = active.setdefault(name, {"related": None, "invisible": True})
        info["invisible"] &= invisible in ("True", "1")  # always invisible?
        if widget in TAGS_WIDGETS:
            color = parse_options(node.get("options")).get("color_field")
            info["related"] = {"display_name": {}, **({color: {}} if color else {})}
        for dependency in WIDGET_DEPENDENCIES.get(widget, ()):
            active.setdefault(dependency, {"related": None, "invisible": False})

    def visit(node):
        for child in node.iterchildren(tag=etree.Element):
            if child.tag == "field":
                add(child)  # not its children: an x2many sub-view
            else:
                visit(child)

    visit(etree.fromstring(arch))
    return active


def spec_from_arch(arch, fields_desc, view_type):
    """The read specification the web client builds (``getFieldsSpec``)."""
    spec = {}
    for name, info in arch_fields(arch, fields_desc, view_type).items():
        ftype = fields_desc[name]["type"]
        spec[name] = {}
        if ftype in ("one2many", "many2many") and not info["invisible"]:
            spec[name]["fields"] = dict(info["related"] or {})
        elif ftype in ("many2one", "reference"):
            spec[name]["fields"] = {} if info["invisible"] else {"display_name": {}}
    for name in spec:  # a properties field makes its definition record readable
        definition = fields_desc[name].get("definition_record")
        if fields_desc[name]["type"] == "properties" and definition in spec:
            spec[definition].setdefault("fields", {})["display_name"] = {}
    return spec


def aggregate_specs(fields):
    """Port of ``getAggregateSpecifications`` (relational_model/utils.js)."""
    specs = [
        f"{f['name']}:{f['aggregator']}"
        for f in fields
        if f.get("aggregator") and f["type"] in ("integer", "float", "monetary")
    ]
    currency = []
    for f in fields:
        if f.get("aggregator") and f.get("currency_field"):
            currency += [
                f"{f['currency_field']}:array_agg_distinct",
                f"{f['name']}:sum_currency",
            ]
    return specs + list(dict.fromkeys(currency))


class Board:
    """One side of the comparison: a model, its window action and views."""

    def __init__(self, env, label, action_xmlid, drop_context=()):
        from lxml import etree

        from odoo.tools.safe_eval import safe_eval

        action = env["ir.actions.act_window"]._for_xml_id(action_xmlid)
        self.label = label
        self.model = action["res_model"]
        eval_context = {"uid": env.uid, "context": dict(env.context)}
        self.domain = safe_eval(action.get("domain") or "[]", eval_context)
        context = safe_eval(action.get("context") or "{}", eval_context)
        self.context = {k: v for k, v in context.items() if k not in drop_context}
        views = {mode: view_id for view_id, mode in action["views"]}
        result = env[self.model].get_views(
            [
                (views.get("kanban", False), "kanban"),
                (views.get("list", False), "list"),
                ((action.get("search_view_id") or [False])[0], "search"),
            ],
            {"action_id": action["id"], "load_filters": True, "toolbar": True},
        )
        fields_desc = result["models"][self.model]["fields"]
        kanban = result["views"]["kanban"]["arch"]
        listing = result["views"]["list"]["arch"]
        self.kanban_spec = spec_from_arch(kanban, fields_desc, "kanban")
        self.list_spec = spec_from_arch(listing, fields_desc, "list")
        root = etree.fromstring(kanban)
        self.group_by = root.get("default_group_by").split(",")
        self.kanban_order = root.get("default_order") or ""
        self.list_order = etree.fromstring(listing).get("default_order") or ""
        self.progress_bar, self.aggregates = None, []
        bar = root.find(".//progressbar")
        if bar is not None:
            self.progress_bar = {
                "colors": json.loads(bar.get("colors")),
                "field": bar.get("field"),
                "help": bar.get("help") or "",
            }
            summed = [bar.get("sum_field"), bar.get("recurring_revenue_sum_field")]
            self.aggregates = aggregate_specs(
                [fields_desc[f] | {"name": f} for f in summed if f in fields_desc]
            )

    def calls(self, user_context):
        """{operation: (method, args, kwargs)}, as the web client sends them."""
        ctx = {**user_context, **self.context}
        calls = {
            "kanban web_read_group": (
                "web_read_group",
                [],
                {
                    "domain": self.domain,
                    "groupby": self.group_by,
                    "aggregates": self.aggregates,
                    "offset": 0,
                    "order": self.kanban_order,
                    "auto_unfold": True,
                    "opening_info": [],
                    "unfold_read_specification": self.kanban_spec,
                    "unfold_read_default_limit": KANBAN_LIMIT,
                    "groupby_read_specification": {},
                    "context": {**ctx, "read_group_expand": True},
                },
            )
        }
        if self.progress_bar:
            calls["kanban read_progress_bar"] = (
                "read_progress_bar",
                [],
                {
                    "domain": self.domain,
                    "group_by": self.group_by[0],
                    "progress_bar": self.progress_bar,
                    "context": ctx,
                },
            )
        calls["list web_search_read"] = (
            "web_search_read",
            [],
            {
                "specification": self.list_spec,
                "offset": 0,
                "order": self.list_order,
                "limit": LIST_LIMIT,
                "context": {**ctx, "bin_size": True},
                "count_limit": COUNT_LIMIT,
                "domain": self.domain,
            },
        )
        for label, term in (("hit", SEARCH_HIT), ("miss", SEARCH_MISS)):
            calls[f"name_search ({label})"] = (
                "web_name_search",
                [],
                {
                    "name": term,
                    "operator": "ilike",
                    "domain": [],
                    "limit": NAME_SEARCH_LIMIT,
                    "context": ctx,
                    "specification": {"display_name": {}},
                },
            )
        return calls


def make_boards(env, with_crm=True):
    user = env.user
    user_context = {
        "lang": user.lang or "en_US",
        "tz": user.tz or "UTC",
        "uid": user.id,
        "allowed_company_ids": [user.company_id.id],
    }
    env = env(context=user_context)
    boards = [Board(env, "ticket", TICKET_ACTION)]
    if with_crm:
        no_filter = ("search_default_assigned_to_me",)  # "My Pipeline"
        boards.append(Board(env, "crm", CRM_ACTION, drop_context=no_filter))
    return boards, user_context


# ---------------------------------------------------------------------------
# measuring
# ---------------------------------------------------------------------------


def load_average():
    """The machine's 1, 5 and 15 minute load averages, as uptime prints them."""
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def run_once(registry, uid, model, call):
    """One call on a new cursor: (ms, queries, sql ms, result, response size)."""
    from odoo import api
    from odoo.service.model import call_kw
    from odoo.tools.json import json_default

    method, args, kwargs = call
    thread = threading.current_thread()
    with registry.cursor() as cr:
        env = api.Environment(cr, uid, {})
        thread.query_time = 0.0  # sql_db adds each query's duration to it
        queries_before = cr.sql_log_count
        start = time.perf_counter()
        result = call_kw(env[model], method, list(args), kwargs)
        payload = json.dumps(result, default=json_default)
        elapsed = time.perf_counter() - start
        queries = cr.sql_log_count - queries_before
        sql_time = thread.query_time
        cr.rollback()
    return elapsed * 1000, queries, sql_time * 1000, result, len(payload)


def measure(registry, uid, model, call, runs, warmup):
    """Median/p90 wall time, median SQL time and query count of one call."""
    return measure_side_by_side(registry, uid, {"": (model, call)}, runs, warmup)[""]


def measure_side_by_side(registry, uid, targets, runs, warmup):
    """:func:`measure` for the calls of ``targets`` ({label: (model, call)}),
    run in turn: ticket, crm, ticket, crm...

    The calls of one operation alternate, so that both sides of a ratio see
    the same machine: on a shared machine the load changes within seconds,
    and measuring one side after the other would put that change into the
    ratio. At least ``runs`` measured rounds; cheap calls are repeated until
    each side adds up to MIN_MEASURED_MS (at most MAX_RUNS rounds), so that a
    single scheduler hiccup does not move their median.
    """
    for _ in range(warmup):
        for model, call in targets.values():
            run_once(registry, uid, model, call)
    samples = {label: ([], [], set()) for label in targets}

    def more():
        return any(
            len(times) < runs
            or (sum(times) < MIN_MEASURED_MS and len(times) < MAX_RUNS)
            for times, __, __ in samples.values()
        )

    last = {}
    while more():
        for label, (model, call) in targets.items():
            ms, queries, sql_ms, result, size = run_once(registry, uid, model, call)
            times, sql_times, counts = samples[label]
            times.append(ms)
            sql_times.append(sql_ms)
            counts.add(queries)
            last[label] = (result, size)
    return {
        label: {
            "median": statistics.median(times),
            "p90": statistics.quantiles(times, n=10)[-1]
            if len(times) >= 10
            else max(times),
            "sql": statistics.median(sql_times),
            "queries": max(counts),
            "queries_stable": len(counts) == 1,
            "runs": len(times),
            "bytes": last[label][1],
            "result": last[label][0],
        }
        for label, (times, sql_times, counts) in samples.items()
    }


def describe(op, result):
    """What a call returned, to check that both sides are comparable."""
    if op.startswith("kanban web_read_group"):
        cards = sum(len(group.get("__records", ())) for group in result["groups"])
        return f"{len(result['groups'])} columns, {cards} cards"
    if op.startswith("list"):
        return f"{len(result['records'])} rows, length {result['length']}"
    if op.startswith("name_search"):
        return f"{len(result)} found"
    return f"{len(result)} columns with activities"


def capture_queries(registry, uid, model, call):
    """The SQL queries one call issues (from the odoo.sql_db debug log)."""
    sql_logger = logging.getLogger("odoo.sql_db")
    captured = []

    class Grab(logging.Handler):
        def emit(self, record):
            if "query:" in str(record.msg) and len(record.args or ()) == 2:
                captured.append(str(record.args[1]))

    handler = Grab(level=logging.DEBUG)
    old_level, old_propagate = sql_logger.level, sql_logger.propagate
    sql_logger.addHandler(handler)
    sql_logger.propagate = False  # keep them out of Odoo's log
    sql_logger.setLevel(logging.DEBUG)
    try:
        run_once(registry, uid, model, call)
    finally:
        sql_logger.removeHandler(handler)
        sql_logger.setLevel(old_level)
        sql_logger.propagate = old_propagate
    return captured


def plan_head(node, size=4):
    """The first plan nodes, breadth first: 'Limit > Index Scan some_index'."""
    heads, queue = [], [node]
    while queue and len(heads) < size:
        cur = queue.pop(0)
        target = cur.get("Index Name") or cur.get("Relation Name")
        heads.append(f"{cur['Node Type']} {target}" if target else cur["Node Type"])
        queue.extend(cur.get("Plans", ()))
    return " > ".join(heads)


def explain_calls(registry, uid, board, calls, out=None):
    """Each SQL query of the calls, with its EXPLAIN ANALYZE time and plan head.

    With ``out`` (a file), the full queries and text plans are written there.
    """
    for op, call in calls.items():
        queries = capture_queries(registry, uid, board.model, call)
        print(f"\n--- EXPLAIN ANALYZE: {board.label} {op} ({len(queries)} queries)")
        with registry.cursor() as cr:
            for k, query in enumerate(queries, 1):
                cr.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query)
                plan = cr.fetchone()[0][0]
                ms = plan["Execution Time"]
                print(f"{k:2d}. {ms:8.2f} ms  [{plan_head(plan['Plan'])}]")
                text = " ".join(query.split())
                print(f"    {text[:200]}{'…' if len(text) > 200 else ''}")
                if out:
                    cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + query)
                    plan_text = "\n".join(row[0] for row in cr.fetchall())
                    out.write(f"-- {board.label} {op} #{k}\n{query};\n{plan_text}\n\n")
            cr.rollback()


HAND_WRITTEN_BOARD_SQL = """
    WITH counts AS (
        SELECT state, count(*) AS n{sums} FROM isp_sales_ticket
         WHERE active IS TRUE AND company_id IN %(companies)s GROUP BY state
    )
    SELECT s.state, c.*, card.*
      FROM unnest(ARRAY['pending', 'in_progress', 'won', 'lost']) AS s(state)
      LEFT JOIN counts c ON c.state = s.state
      LEFT JOIN LATERAL (
        SELECT t.id, t.name, t.prospect_name, t.create_date, t.scheduled_date,
               t.priority, t.color, t.order_count, src.name AS source,
               lr.name AS lost_reason, t.user_id, p.name AS user_name,
               (SELECT json_agg(json_build_array(tag.id, tag.name, tag.color))
                  FROM isp_sales_tag_isp_sales_ticket_rel rel
                  JOIN isp_sales_tag tag ON tag.id = rel.isp_sales_tag_id
                 WHERE rel.isp_sales_ticket_id = t.id) AS tags,
               (SELECT array_agg(a.id) FROM mail_activity a
                 WHERE a.res_model = 'isp.sales.ticket' AND a.res_id = t.id
               ) AS activities
          FROM isp_sales_ticket t
          LEFT JOIN utm_source src ON src.id = t.source_id
          LEFT JOIN isp_sales_loss_reason lr ON lr.id = t.lost_reason_id
          LEFT JOIN res_users u ON u.id = t.user_id
          LEFT JOIN res_partner p ON p.id = u.partner_id
         WHERE t.active IS TRUE AND t.state = s.state AND t.company_id IN %(companies)s
         ORDER BY t.id DESC
         LIMIT %(limit)s
      ) card ON TRUE
"""


# the columns' sums of the progress bar (sum_field), in the company's currency
HAND_WRITTEN_SUMS = ", sum(amount_total) AS total"


def hand_written_board_sql(registry, runs):
    """Reference: the board's columns and 80 cards per column in one statement,
    without and with the columns' sums (run in turn); (ms, ms, rows)."""
    statements = [
        HAND_WRITTEN_BOARD_SQL.format(sums=s) for s in ("", HAND_WRITTEN_SUMS)
    ]
    times = [[], []]
    with registry.cursor() as cr:
        cr.execute("SELECT array_agg(id) FROM res_company")
        params = {"companies": tuple(cr.fetchone()[0]), "limit": KANBAN_LIMIT}
        for k in range(runs + 2):
            for statement, measured in zip(statements, times, strict=True):
                start = time.perf_counter()
                cr.execute(statement, params)
                rows = cr.fetchall()
                if k >= 2:
                    measured.append((time.perf_counter() - start) * 1000)
        cr.rollback()
    return statistics.median(times[0]), statistics.median(times[1]), len(rows)


# ---------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------


def kanban_total(side):
    parts = [side[op] for op in ("kanban web_read_group", "kanban read_progress_bar")]
    return {
        "median": sum(p["median"] for p in parts),
        "p90": sum(p["p90"] for p in parts),
        "sql": sum(p["sql"] for p in parts),
        "queries": sum(p["queries"] for p in parts),
        "queries_stable": all(p["queries_stable"] for p in parts),
    }


def print_table(n, rows):
    """operation | N | ticket: median, p90, sql, queries | crm: same | ratio."""

    def cells(r):
        if not r:
            return f"{'':>7} {'':>7} {'':>6} {'':>3}"
        return f"{r['median']:7.1f} {r['p90']:7.1f} {r['sql']:6.1f} {r['queries']:3d}"

    header = (
        f"{'operation':<26} {'N':>7} | {'ticket':>7} {'p90':>7} {'sql':>6} {'q':>3} | "
        f"{'crm':>7} {'p90':>7} {'sql':>6} {'q':>3} | {'ratio':>5}"
    )
    print(f"\n{header}\n{'-' * len(header)}")
    for op, isp, crm in rows:
        ratio = f"{isp['median'] / crm['median']:5.2f}" if crm else f"{'-':>5}"
        stable = isp["queries_stable"] and (not crm or crm["queries_stable"])
        flag = "" if stable else " *"
        print(f"{op:<26} {n:>7} | {cells(isp)} | {cells(crm)} | {ratio}{flag}")
    print(
        "ticket/crm/p90: median and p90 wall ms per call (RPC method + JSON encoding);"
        " sql: median ms\nin PostgreSQL; q: SQL queries per call (* = varied);"
        " ratio: ticket median / crm median"
    )


def verdict(rows):
    by_op = {op: (isp, crm) for op, isp, crm in rows}
    for op, target, limit in (
        ("kanban total (both calls)", 0.8, 1.0),
        ("list web_search_read", 1.0, 1.0),
        ("name_search (hit)", 1.0, 1.0),
        ("name_search (miss)", 1.0, 1.0),
    ):
        isp, crm = by_op[op]
        ratio = isp["median"] / crm["median"]
        status = (
            "OK" if ratio <= target else ("NOT MET" if ratio <= limit else "FAILED")
        )
        print(f"target {op} <= {target}x CRM: {ratio:.2f}x {status}")


def bench(args, addons):
    from odoo import SUPERUSER_ID, api

    registry = open_registry(args, addons, args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if args.reseed:
            wipe(env)
        user, sellers = ensure_users(env)
        cr.commit()
        seeded = seed_isp(env, args.n, args.batch, sellers)
        if not args.no_crm:
            seeded |= seed_crm(env, args.n, args.batch, sellers)
        cr.commit()
        uid = user.id
        n_tickets = env["isp.sales.ticket"].search_count([])
        n_opps = env["crm.lead"].search_count([("type", "=", "opportunity")])
    if seeded:
        log("VACUUM FULL, then VACUUM ANALYZE of the seeded tables")
        vacuum_full(args)
    with registry.cursor() as cr:
        boards, user_context = make_boards(
            api.Environment(cr, uid, {}), not args.no_crm
        )
        cr.rollback()
    log(
        "measuring as %s: %d tickets, %d opportunities, %d warm-up + >= %d runs",
        BENCH_LOGIN,
        n_tickets,
        n_opps,
        args.warmup,
        args.runs,
    )
    if args.show_spec:
        for board in boards:
            print(
                f"{board.label}: {json.dumps(board.calls(user_context), default=str)}"
            )

    results = {board.label: {} for board in boards}
    calls = {board.label: board.calls(user_context) for board in boards}
    log("load average before measuring: %s", load_average())
    for op in calls["ticket"]:
        targets = {
            board.label: (board.model, calls[board.label][op])
            for board in boards
            if op in calls[board.label]
        }
        figures = measure_side_by_side(registry, uid, targets, args.runs, args.warmup)
        for label, r in figures.items():
            results[label][op] = r
            log(
                "  %-6s %-26s %7.1f ms %3d queries  %s",
                label,
                op,
                r["median"],
                r["queries"],
                describe(op, r.pop("result")),
            )
    log("load average after measuring: %s", load_average())

    isp, crm = results["ticket"], results.get("crm")
    rows = [(op, isp[op], crm and crm[op]) for op in isp]
    rows.insert(
        2, ("kanban total (both calls)", kanban_total(isp), crm and kanban_total(crm))
    )
    print_table(args.n, rows)
    ref_ms, ref_sums_ms, ref_rows = hand_written_board_sql(registry, args.runs)
    print(
        f"floor: one hand-written SQL statement for the ticket board's columns and "
        f"cards: {ref_ms:.1f} ms ({ref_rows} rows); with the columns' sums: "
        f"{ref_sums_ms:.1f} ms"
    )
    if crm:
        verdict(rows)

    if args.explain or args.explain_file:
        out = open(args.explain_file, "w") if args.explain_file else None  # noqa: SIM115
        try:
            for board in boards:
                explain_calls(registry, uid, board, board.calls(user_context), out)
        finally:
            if out:
                out.close()
    return {"db": args.db, "n": args.n, "tickets": n_tickets, "results": results}


def query_counts(args, addons, dbname):
    """The query count of each call on another benchmark database."""
    from odoo import api

    registry = open_registry(args, addons, dbname)
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {})
        user = env["res.users"].search([("login", "=", BENCH_LOGIN)])
        if not user:
            raise SystemExit(f"{dbname} has no user {BENCH_LOGIN}: benchmark it first")
        n_tickets = env["isp.sales.ticket"].search_count([])
        boards, user_context = make_boards(env(user=user.id), not args.no_crm)
        cr.rollback()
    counts = {}
    for board in boards:
        for op, call in board.calls(user_context).items():
            r = measure(registry, user.id, board.model, call, runs=2, warmup=2)
            counts[f"{board.label} {op}"] = r["queries"]
    return {"db": dbname, "tickets": n_tickets, "counts": counts}


def compare_counts(figures, other):
    print(
        f"\nquery counts: {figures['db']} ({figures['tickets']} tickets) vs "
        f"{other['db']} ({other['tickets']} tickets)"
    )
    equal = True
    for side, ops in figures["results"].items():
        for op, r in ops.items():
            theirs = other["counts"].get(f"{side} {op}")
            same = theirs == r["queries"]
            equal &= same or side != "ticket"
            mark = "" if same else "   <- differs"
            print(f"  {side:<6} {op:<26} {r['queries']:3d} vs {theirs!s:>3}{mark}")
    print(f"query counts equal at both sizes (ticket side): {'yes' if equal else 'no'}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0],
        epilog="Methodology: see the module docstring and tools/README_bench.md.",
    )
    parser.add_argument("--db", required=True, help="benchmark database")
    parser.add_argument(
        "--n",
        type=int,
        default=100_000,
        help="tickets and opportunities (default: 100000)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=7,
        help="measured runs per call, at least (default: 7)",
    )
    parser.add_argument(
        "--warmup", type=int, default=3, help="unmeasured runs first (default: 3)"
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=2000,
        help="records per create() when seeding (default: 2000)",
    )
    parser.add_argument(
        "--create-db",
        action="store_true",
        help="create the database and install isp_sales_desk,crm",
    )
    parser.add_argument(
        "--update",
        action="store_true",
        help="first update isp_sales_desk in the database (-u): after a code change",
    )
    parser.add_argument(
        "--reseed",
        action="store_true",
        help="delete the benchmark data, then seed again",
    )
    parser.add_argument(
        "--no-crm", action="store_true", help="seed and measure the ticket board only"
    )
    parser.add_argument(
        "--compare-with",
        metavar="DB",
        help="another benchmark database (other N): compare the query counts",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="EXPLAIN ANALYZE every SQL query of the measured calls",
    )
    parser.add_argument(
        "--explain-file",
        metavar="FILE",
        help="write the full queries and their plans to FILE",
    )
    parser.add_argument(
        "--show-spec",
        action="store_true",
        help="print the calls' arguments (read specifications...)",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--db-host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--db-port", default=os.environ.get("PGPORT"))
    parser.add_argument("--db-user", default=os.environ.get("PGUSER", "root"))
    args = parser.parse_args()
    if not args.create_db and not db_exists(args, args.db):
        parser.error(f"database {args.db} does not exist: add --create-db")

    addons = make_addons_dir("bench_board")
    try:
        if args.create_db:
            create_db(args, addons)
        if args.update:
            update_db(args, addons, args.db)
            # an update may rewrite rows (a new stored field is computed for
            # every ticket): compact again, or the timings measure the bloat
            log("VACUUM FULL, then VACUUM ANALYZE after the update")
            vacuum_full(args)
        figures = bench(args, addons)
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2))
        if args.compare_with:
            compare_counts(figures, query_counts(args, addons, args.compare_with))
    finally:
        shutil.rmtree(addons, ignore_errors=True)


if __name__ == "__main__":
    main()
