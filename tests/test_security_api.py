"""Every public method of the desk is an API (JSON-2): a portal user reaches
none of it, and no argument of a wrong type gets a server error, whoever
calls. The methods are listed from the code itself, so that a new one is
tried as soon as it exists."""

import inspect

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import IspJson2Case

# Odoo's own methods that read or change data, called on every desk model
DATA_METHODS = {
    "read": {"fields": ["id"]},
    "search": {"domain": []},
    "search_read": {"domain": [], "fields": ["id"]},
    "search_count": {"domain": []},
    "name_search": {"name": ""},
    "web_search_read": {"domain": [], "specification": {"display_name": {}}},
    "web_read": {"specification": {"display_name": {}}},
    "formatted_read_group": {"domain": [], "groupby": [], "aggregates": ["__count"]},
    "create": {"vals_list": [{}]},
    "write": {"vals": {}},
    "copy": {},
    "unlink": {},
}
RECORD_METHODS = {"read", "web_read", "write", "copy", "unlink"}
# plausible values of the desk's own methods' required arguments
ARGUMENTS = {
    "order_type": "installation",
    "name": "Portal",
    "msg_dict": {"email_from": "Portal <portal@example.com>"},
    "latitude": -32.95,
    "longitude": -60.65,
    "radius": 1000,
    "vals": {},
    "vals_list": [{}],
}
# wrong values of every JSON type, and numbers PostgreSQL does not take
WRONG_IDS = [True, "1", "abc", [1], {"id": 1}, 1.5, 10**30, -1, 0, None]


def desk_public_methods(env):
    """``{model: {method: signature}}`` of the public methods the addon's own
    code defines, on its models and on those it extends."""
    methods = {}
    for name in env.registry:
        for klass in env.registry[name].__mro__:
            if not (klass.__module__ or "").startswith("odoo.addons.isp_sales_desk"):
                continue
            for attr, value in vars(klass).items():
                if attr.startswith("_") or not inspect.isfunction(value):
                    continue
                if getattr(value, "_api_private", False):
                    continue
                methods.setdefault(name, {})[attr] = inspect.signature(value)
    return methods


@tagged("post_install", "-at_install")
class TestDeskApi(IspJson2Case):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.plan = env["product.product"].create(
            {"name": "Plan API", "service_kind": "plan", "list_price": 10.0}
        )
        cls.reason = env.ref("isp_sales_desk.loss_reason_price")
        env["isp.network.node"].create(
            {"name": "Nodo API", "latitude": -32.9, "longitude": -60.6}
        )
        lead = env["isp.sales.lead"].create({"name": "Cliente API"})
        prospect = env["isp.sales.prospect"].create(
            {
                "lead_id": lead.id,
                "latitude": -32.95,
                "longitude": -60.65,
                "line_ids": [Command.create({"product_id": cls.plan.id})],
            }
        )
        cls.ticket = env["isp.sales.ticket"].create({"prospect_id": prospect.id})
        cls.order = cls.ticket.action_create_order("feasibility")
        cls.order.technician_id = cls.users["technician"]
        won = env["isp.sales.ticket"].create({"prospect_id": prospect.id})
        won.action_create_order("installation").action_done()
        env["isp.sales.tag"].create({"name": "Etiqueta API"})
        env["isp.coverage.rate.limit"]._isp_hit("check", "203.0.113.5", 10, 60)
        # an intake of a new person leaves its claim (isp.sales.intake.claim)
        env["isp.sales.lead"].intake(name="Reclamo API", phone="+54 9 341 555 7777")
        admin_env = env(user=cls.users["admin"])
        admin_env["isp.sales.ticket.create"].create(
            {
                "new_lead_name": "Asistente",
                "line_ids": [Command.create({"product_id": cls.plan.id})],
            }
        )
        admin_env["isp.sales.ticket.lost"].create(
            {"ticket_ids": cls.ticket.ids, "lost_reason_id": cls.reason.id}
        )
        admin_env["isp.sales.monthly.report.wizard"].create({})
        admin_env["res.config.settings"].create({})
        cls.methods = desk_public_methods(env)

    def desk_models(self):
        return sorted(
            name
            for name in self.env.registry
            if name.startswith("isp.") and not self.env[name]._abstract
        )

    def a_record(self, model):
        Model = self.env[model].sudo().with_context(active_test=False)
        record = Model.search([], limit=1, order="id")
        self.assertTrue(record, f"no {model} to try")
        return record

    def arguments(self, signature):
        return {
            name: ARGUMENTS.get(name, 1)
            for name, parameter in list(signature.parameters.items())[1:]
            if parameter.default is inspect.Parameter.empty
            and parameter.kind is not inspect.Parameter.VAR_KEYWORD
        }

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_a_portal_user_reaches_no_desk_model(self):
        before = self.desk_counts()
        tried = 0
        for model in self.desk_models():
            record = self.a_record(model)
            calls = dict(DATA_METHODS)
            calls.update(
                {
                    method: self.arguments(signature)
                    for method, signature in self.methods.get(model, {}).items()
                }
            )
            if "message_post" in self.env[model]:
                calls["message_post"] = {"body": "hola"}
            for method, params in calls.items():
                function = getattr(self.env.registry[model], method)
                if not hasattr(function, "_api_model") or method in RECORD_METHODS:
                    params = dict(params, ids=record.ids)
                with self.subTest(model=model, method=method):
                    self.assertRefusedOverJson2(
                        self.json2("portal", model, method, **params), 403
                    )
                    tried += 1
        # the services hold no public method at all
        for model, method in (
            ("isp.sales.intake", "_from_api"),
            ("isp.sales.map", "_ticket_map_data"),
        ):
            status, _body = self.json2("portal", model, method)
            self.assertIn(status, (403, 404))
        self.assertEqual(self.desk_counts(), before)
        self.assertGreater(tried, 200)

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_wrong_ids_are_refused_not_a_server_error(self):
        """Every public method of the desk, given ids that are no record ids
        (Odoo's users excepted: the desk only adds a step after their write)."""
        for model, methods in sorted(self.methods.items()):
            if model == "res.users":
                continue
            Model = self.env.registry[model]
            for method, signature in sorted(methods.items()):
                function = getattr(Model, method)
                if hasattr(function, "_api_model") or method == "create":
                    continue
                params = self.arguments(signature)
                for ids in [[wrong] for wrong in WRONG_IDS] + [[], ["a", 1]]:
                    with self.subTest(model=model, method=method, ids=ids):
                        status, body = self.json2(
                            "manager", model, method, ids=ids, **params
                        )
                        if not ids and status == 200:
                            continue  # nothing to do is no error
                        self.assertIn(status, (403, 404, 422), body)

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_wrong_arguments_are_422(self):
        ticket = self.ticket.ids
        not_text = [True, [1], {"id": 1}, 1.5]
        not_a_number = [True, "1", [1], {"id": 1}, None]
        not_an_id = [True, "1", [1], {"id": 1}, 1.5, 10**30, -1, 0, None]
        not_a_domain = ["1", [1], {"id": 1}, 1.5, 10**30, "x" * 300]
        not_a_domain += [[("nope", "=", 1)], ["|", "&"], [("id", "=like", 1, 2)]]
        what_if = {"latitude": -32.9, "longitude": -60.6, "radius": 1000}
        wrong = {
            ("isp.sales.ticket", "action_set_lost"): [
                ({"lost_reason_id": value}, ticket) for value in not_an_id
            ]
            + [
                ({"lost_reason_id": self.reason.id, "lost_feedback": value}, ticket)
                for value in [[1], {"a": 1}, 1.5, 10**30]
            ],
            ("isp.sales.ticket", "action_create_order"): [
                ({"order_type": value}, ticket)
                for value in [True, [1], {"a": 1}, 1.5, 10**30, None, "x"]
            ],
            ("isp.sales.ticket", "get_isp_what_if"): [
                (dict(what_if, **{name: value}), [])
                for name in ("latitude", "longitude", "radius")
                for value in not_a_number
            ]
            + [
                (dict(what_if, **{name: 10**400}), [])
                for name in ("latitude", "longitude")
            ]
            + [
                (dict(what_if, **{name: value}), [])
                for name in ("technology", "capacity")
                for value in [True, [1], {"a": 1}, -1, "x", 1.5]
            ],
            ("isp.sales.ticket", "get_isp_map_data"): [
                ({"domain": value}, []) for value in not_a_domain
            ],
            ("isp.sales.order", "get_isp_map_data"): [
                ({"domain": value}, []) for value in not_a_domain
            ],
            ("isp.sales.lead", "intake"): [
                ({"name": "Tipo", "phone": value}, []) for value in not_text
            ]
            + [({"name": value}, []) for value in not_text + [None, ""]],
        }
        for model, method in (
            ("isp.sales.ticket", "write"),
            ("isp.sales.order", "write"),
            ("isp.sales.lead", "write"),
            ("isp.sales.prospect", "write"),
            ("isp.network.node", "write"),
        ):
            record = self.a_record(model).ids
            wrong[(model, method)] = [
                ({"vals": value}, record) for value in [True, "x", [1], 1.5, None]
            ]
        for model in ("isp.sales.ticket", "isp.sales.order", "isp.network.node"):
            wrong[(model, "create")] = [
                ({"vals_list": value}, []) for value in [True, "x", [1], [None], 1.5]
            ]
        before = self.desk_counts()
        for (model, method), calls in wrong.items():
            for params, ids in calls:
                with self.subTest(model=model, method=method, params=str(params)[:60]):
                    self.assertRefusedOverJson2(
                        self.json2("manager", model, method, ids=ids, **params), 422
                    )
        self.assertEqual(self.desk_counts(), before)
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.state, "in_progress")
        # the map clamps a box and a zoom it cannot use, instead of refusing
        for bbox, zoom in ((["a", None, [], {}], "x"), ([10**30] * 4, 10**30)):
            status, body = self.json2(
                "manager", "isp.sales.ticket", "get_isp_map_data", bbox=bbox, zoom=zoom
            )
            self.assertEqual(status, 200, body)
