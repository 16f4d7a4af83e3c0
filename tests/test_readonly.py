"""Which calls may be served by a read-only PostgreSQL replica.

Odoo 19 gives a web client (``/web/dataset/call_kw``, ``call_button``) or
JSON-2 (``/json/2/<model>/<method>``) call a read-only cursor, on the replica
when one is configured, when the first definition of the method along the
model's MRO that carries ``_readonly`` (set by ``@api.readonly``) says so.
Here every such method of this addon runs in a genuinely read-only
transaction, and the methods that write are kept off the list.
"""

import inspect
from types import SimpleNamespace
from unittest.mock import patch

from psycopg2.errors import ReadOnlySqlTransaction

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import IspSalesDeskCase

ADDON_MODULE = "odoo.addons.isp_sales_desk."
ROSARIO = (-32.9468, -60.6393)
BOX = [-33.0, -60.75, -32.85, -60.55]  # [south, west, north, east]

# (model, method): the calls made with them in a read-only transaction, as
# (user, args, kwargs); a user is an attribute name of IspSalesDeskCase.
READONLY_CALLS = {
    ("isp.sales.ticket", "get_isp_map_data"): [
        ("seller", ([], BOX, 16), {}),  # the points
        ("manager", ([], BOX, 3), {}),  # the clusters, amounts shown
        ("seller", ([("state", "=", "won")], None, None), {}),
    ],
    ("isp.sales.ticket", "get_isp_what_if"): [
        ("manager", (*ROSARIO, 2500), {"technology": "fiber", "capacity": 3}),
        ("manager", (*ROSARIO, 800), {}),
    ],
    ("isp.sales.order", "get_isp_map_data"): [
        ("technician", ([], BOX, 14), {}),
        ("manager", ([("state", "!=", "done")], None, None), {}),
    ],
    # the board's progress bar (our override counts the tickets with an activity)
    ("isp.sales.ticket", "read_progress_bar"): [
        (
            "seller",
            (),
            {
                "domain": [],
                "group_by": "state",
                "progress_bar": {
                    "field": "activity_state",
                    "colors": {"planned": "success", "today": "warning"},
                },
            },
        ),
    ],
    ("isp.sales.prospect", "get_isp_map_settings"): [
        ("seller", (), {}),
        ("manager", (), {}),
    ],
    # the origin dropdown, the desk's origins first (models/utm_source.py)
    ("utm.source", "name_search"): [
        ("seller", (), {"name": "", "limit": 5}),
    ],
}

# Methods that write, by model: never routed to the replica. A rename must
# update this list (each name is checked to exist).
WRITE_METHODS = {
    "isp.sales.ticket": [
        "create", "write", "unlink", "action_create_order",
        "action_create_installation_order", "action_create_feasibility_order",
        "action_set_lost", "action_set_lost_technical",
        "action_set_lost_no_coverage", "action_reopen", "action_quote_send",
        "message_new", "_cron_flag_stale_tickets", "_cron_recontact_covered",
        "_isp_flag_stale", "_isp_flag_recontact",
    ],
    "isp.sales.order": [
        "create", "write", "unlink", "action_schedule", "action_start",
        "action_done", "action_cancel", "action_send_to_planning",
    ],
    "isp.sales.lead": ["create", "write", "intake"],
    "isp.sales.prospect": ["create", "write"],
    "isp.sales.prospect.line": ["unlink"],
    "isp.sales.ticket.line": ["create", "write"],
    # the what-if panel's "create node" is a create of isp.network.node
    "isp.network.node": ["create", "write", "unlink"],
    "isp.coverage.rate.limit": ["_isp_hit"],
    "fsm.order": ["write"],
    "res.users": ["create", "write"],
    "res.config.settings": ["set_values", "execute"],
    "isp.sales.ticket.create": [
        "action_create", "action_use_feasibility", "action_geocode",
        "action_reverse_geocode", "action_use_duplicate",
    ],
    "isp.sales.ticket.lost": ["action_lost_reason_apply"],
    "isp.sales.monthly.report.wizard": ["create"],
}  # fmt: skip
WRITE_PREFIXES = ("action_", "_cron", "create", "write", "unlink")


def routed_readonly(model_class, name):
    """What Odoo's call_kw and JSON-2 routes decide for a call of ``name``
    (the walk of ``DataSet._call_kw_readonly``)."""
    for cls in model_class.mro():
        method = getattr(cls, name, None)
        if method is not None and hasattr(method, "_readonly"):
            return method._readonly
    return False


def addon_methods(registry):
    """{(model, name)} of every function this addon defines on a model."""
    found = set()
    for model_name in registry:
        for cls in registry[model_name].mro():
            if not cls.__module__.startswith(ADDON_MODULE):
                continue
            for name, value in vars(cls).items():
                if inspect.isfunction(value):
                    found.add((model_name, name))
    return found


@tagged("post_install", "-at_install")
class TestReadonly(IspSalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["isp.network.node"].create(
            {
                "name": "Torre Réplica",
                "latitude": ROSARIO[0],
                "longitude": ROSARIO[1] + 0.01,
                "coverage_radius": 1500,
                "capacity": 4,
                "used_capacity": 3,
            }
        )
        cls.tickets = cls.env["isp.sales.ticket"]
        for index in range(6):
            cls.tickets |= cls._create_ticket(
                lead_name=f"Réplica {index}", user_id=cls.seller.id
            )
        won, started, lost = cls.tickets[:3]
        won.action_create_order("installation").write(
            {"technician_id": cls.technician.id, "scheduled_date": "2030-03-01 12:00"}
        )
        started.action_create_order("feasibility").technician_id = cls.technician
        won.order_ids.action_done()
        lost.action_set_lost(cls.reason_no_coverage.id)
        cls.tickets[4].activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.seller.id
        )

    def run_read_only(self, user, method, args, kwargs):
        """Call ``method`` in a read-only PostgreSQL transaction (a TestCursor
        opened as Odoo opens a replica's: SET TRANSACTION READ ONLY), then
        flush, as the request would before its commit."""
        with self.enter_registry_test_mode(), self.registry.cursor(readonly=True) as cr:
            self.assertTrue(cr.readonly)
            env = self.env(cr=cr, user=user)
            result = getattr(env[method[0]], method[1])(*args, **kwargs)
            env.flush_all()
            cr.execute("SHOW transaction_read_only")
            self.assertEqual(cr.fetchone()[0], "on")
        return result

    @mute_logger("odoo.sql_db")
    def test_harness_refuses_a_write(self):
        """The transaction is genuinely read-only: a write is refused."""
        ticket_id = self.tickets[3].id
        with (
            self.assertRaises(ReadOnlySqlTransaction),
            self.enter_registry_test_mode(),
            self.registry.cursor(readonly=True) as cr,
        ):
            env = self.env(cr=cr)
            env["isp.sales.ticket"].browse(ticket_id).color = 3
            env.flush_all()

    def test_readonly_methods_only_read(self):
        """Every method of ours routed to the replica, run with real data in a
        read-only transaction: no ReadOnlySqlTransaction."""
        ours = addon_methods(self.registry)
        routed = {
            (model, name)
            for model, name in ours
            if routed_readonly(self.registry[model], name)
        }
        self.assertEqual(
            routed,
            set(READONLY_CALLS),
            "each method of ours served by the replica needs its calls here",
        )
        for method, calls in READONLY_CALLS.items():
            for login, args, kwargs in calls:
                with self.subTest(method=method, user=login):
                    user = getattr(self, login)
                    try:
                        result = self.run_read_only(user, method, args, kwargs)
                    except ReadOnlySqlTransaction as error:
                        self.fail(f"{method} {login} wrote: {error}")
                    self.assertTrue(result)
                    if "totals" in result:  # the map calls found their records
                        self.assertGreater(result["totals"]["count"], 0)

    def test_board_reads_in_read_only_transaction(self):
        """The web client's own readers (replica-bound in Odoo) over every
        field of our models: our computes and search methods only read."""
        searches = {
            "isp.sales.ticket": [("is_stale", "=", True), ("can_recontact", "=", True)],
            "isp.sales.lead": [],
            "isp.sales.prospect": [],
            "isp.sales.order": [],
            "isp.network.node": [],
            "isp.sales.ticket.report": [],
            "isp.sales.funnel.report": [],
        }
        for model, domain in searches.items():
            fields = self.env[model]._fields.values()
            group = next(f.name for f in fields if f.type == "many2one" and f.store)
            logins = (
                ("manager",) if model.endswith(".report") else ("seller", "manager")
            )
            for login in logins:
                with self.subTest(model=model, user=login):
                    user = getattr(self, login)
                    readable = self.env(user=user)[model]
                    spec = {  # the fields this user may read, as the web client
                        field.name: {"fields": {"display_name": {}}}
                        if field.type == "many2one"
                        else {}
                        for field in fields
                        if field.type not in ("binary", "properties_definition")
                        and readable._has_field_access(field, "read")
                    }
                    for method, kwargs in (
                        ("web_search_read", {"domain": domain, "specification": spec}),
                        ("web_search_read", {"domain": [], "specification": spec}),
                        ("web_read_group", {"domain": [], "groupby": [group]}),
                        ("web_name_search", {"name": "a", "specification": {}}),
                    ):
                        if model.endswith(".report") and method == "web_name_search":
                            continue
                        self.run_read_only(user, (model, method), (), kwargs)

    def test_write_methods_are_not_readonly(self):
        for model, names in WRITE_METHODS.items():
            model_class = self.registry[model]
            for name in names:
                with self.subTest(model=model, method=name):
                    method = getattr(model_class, name, None)
                    self.assertTrue(callable(method), f"{model}.{name} is gone")
                    self.assertFalse(hasattr(method, "_readonly"))
                    self.assertFalse(routed_readonly(model_class, name))

    def test_no_action_cron_create_write_unlink_is_readonly(self):
        checked = [
            (model, name)
            for model, name in addon_methods(self.registry)
            if name.startswith(WRITE_PREFIXES)
        ]
        self.assertGreater(len(checked), 30)
        for model, name in checked:
            with self.subTest(model=model, method=name):
                self.assertFalse(routed_readonly(self.registry[model], name))

    def test_routes_decide_as_this_test(self):
        """routed_readonly() is what Odoo's own routes compute, run on their
        code with a stand-in request."""
        from odoo.addons.rpc.controllers import json2
        from odoo.addons.web.controllers import dataset

        calls = addon_methods(self.registry) | {
            ("isp.sales.ticket", "web_read_group"),
            ("isp.sales.ticket", "web_search_read"),
            ("isp.sales.lead", "web_name_search"),
        }
        for model, name in sorted(calls):
            fake = SimpleNamespace(
                registry=self.registry,
                get_json_data=lambda m=model, n=name: {
                    "params": {"model": m, "method": n}
                },
            )
            with (
                self.subTest(model=model, method=name),
                patch.object(dataset, "request", fake),
                patch.object(json2, "request", fake),
            ):
                expected = routed_readonly(self.registry[model], name)
                self.assertEqual(
                    dataset.DataSet()._call_kw_readonly(None, {}), expected
                )
                self.assertEqual(
                    json2.WebJson2Controller()._web_json_2_rpc_readonly(
                        None, {"__model__": model, "__method__": name}
                    ),
                    expected,
                )
        self.assertTrue(
            routed_readonly(self.registry["isp.sales.ticket"], "web_read_group")
        )


@tagged("post_install", "-at_install")
class TestReadonlyRoutes(HttpCase):
    """Our HTTP routes: the public availability page only reads, its check
    and its form write (rate limit, intake)."""

    def test_route_flags(self):
        readonly = {
            rule.endpoint.__name__: rule.endpoint.routing["readonly"]
            for rule in self.env["ir.http"].routing_map().iter_rules()
            if rule.rule.startswith("/isp/coverage")
        }
        self.assertEqual(
            readonly,
            {"coverage_page": True, "coverage_check": False, "coverage_submit": False},
        )

    @mute_logger("odoo.addons.isp_sales_desk.controllers.coverage_page")
    def test_public_page_served_read_only(self):
        """Odoo retries a read-only route that wrote on a read/write cursor,
        with a warning: there must be none."""
        self.env.company.isp_coverage_page = True
        with self.assertNoLogs("odoo.http", "WARNING"):
            response = self.url_open("/isp/coverage")
        self.assertEqual(response.status_code, 200)
