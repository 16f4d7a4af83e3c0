import json
from contextlib import contextmanager

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user
from odoo.tools import mute_logger


class IspSalesDeskCase(TransactionCase):
    """Users per role, services and nodes of a small ISP; no demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        # coverage depends on the whole network: start from an empty one,
        # whatever the database holds (demo data, a real ISP's nodes)
        cls.env["isp.network.node"].search([]).active = False
        cls.manager = new_test_user(
            cls.env,
            login="isp_manager",
            groups="isp_sales_desk.group_isp_sales_manager",
            name="Marta Manager",
        )
        cls.seller = new_test_user(
            cls.env,
            login="isp_seller",
            groups="isp_sales_desk.group_isp_sales_user",
            name="Sergio Seller",
        )
        cls.technician = new_test_user(
            cls.env,
            login="isp_technician",
            groups="isp_sales_desk.group_isp_sales_technician",
            name="Tomás Technician",
        )
        cls.other_technician = new_test_user(
            cls.env,
            login="isp_technician2",
            groups="isp_sales_desk.group_isp_sales_technician",
            name="Other Technician",
        )
        cls.internal_user = new_test_user(
            cls.env, login="plain_employee", groups="base.group_user"
        )
        cls.source_facebook = cls.env["utm.source"].create({"name": "Facebook (test)"})
        Product = cls.env["product.product"]
        cls.plan = Product.create(
            {
                "name": "Plan 100 Mb",
                "type": "service",
                "service_kind": "plan",
                "list_price": 100.0,
            }
        )
        cls.plan_big = Product.create(
            {
                "name": "Plan 300 Mb",
                "type": "service",
                "service_kind": "plan",
                "list_price": 150.0,
            }
        )
        cls.tv = Product.create(
            {
                "name": "Pack TV",
                "type": "service",
                "service_kind": "tv_package",
                "list_price": 30.0,
            }
        )
        cls.public_ip = Product.create(
            {
                "name": "IP pública",
                "type": "service",
                "service_kind": "recurring_item",
                "list_price": 20.0,
            }
        )
        cls.discount_new = Product.create(
            {
                "name": "Nuevo cliente",
                "type": "service",
                "service_kind": "discount",
                "isp_discount_type": "percent",
                "list_price": 10.0,
            }
        )
        cls.discount_fixed = Product.create(
            {
                "name": "Retención",
                "type": "service",
                "service_kind": "discount",
                "isp_discount_type": "fixed",
                "list_price": 25.0,
            }
        )
        cls.reason_no_coverage = cls.env.ref("isp_sales_desk.loss_reason_no_coverage")
        cls.reason_price = cls.env.ref("isp_sales_desk.loss_reason_price")
        cls.tag_urgent = cls.env["isp.sales.tag"].create({"name": "Urgente (test)"})

    @contextmanager
    def assertRefused(self, exception, regex):
        """Like assertRaisesRegex, but rolls back what the failed call wrote
        (as Odoo's assertRaises does), so "nothing half-saved" can be checked."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)

    def flush_tracking(self):
        """Tracking messages are written at commit time; run it now."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    @classmethod
    def _create_ticket(cls, env=None, lead_name="Ana Pérez", lines=None, **ticket_vals):
        env = env or cls.env
        lead = env["isp.sales.lead"].create(
            {
                "name": lead_name,
                "phone": "+54 9 341 555 1234",
                "email": "ana@example.com",
                "source_id": cls.source_facebook.id,
            }
        )
        prospect = env["isp.sales.prospect"].create(
            {
                "lead_id": lead.id,
                "street": "Córdoba",
                "street_number": "1234",
                "city": "Rosario",
                "latitude": -32.9468,
                "longitude": -60.6393,
                "line_ids": [
                    Command.create({"product_id": p.id})
                    for p in (lines if lines is not None else [cls.plan])
                ],
            }
        )
        return env["isp.sales.ticket"].create(
            dict({"prospect_id": prospect.id}, **ticket_vals)
        )


class IspNetworkCase(IspSalesDeskCase):
    """A company of its own, so that no other test's node is the nearest, a
    lead there, and a 20% coverage margin."""

    _company_name = "Network ISP"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.isp = cls.env["res.company"].create({"name": cls._company_name})
        cls.env.user.company_ids |= cls.isp
        # the desk's people work for it too (tickets are assigned to them)
        for user in (cls.manager, cls.seller, cls.technician, cls.other_technician):
            user.company_ids |= cls.isp
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[cls.isp.id])
        )
        cls.Node = cls.env["isp.network.node"]
        cls.Prospect = cls.env["isp.sales.prospect"]
        cls.lead = cls.env["isp.sales.lead"].create(
            {"name": f"{cls._company_name} Lead", "company_id": cls.isp.id}
        )
        cls.env["ir.config_parameter"].set_param(
            "isp_sales_desk.coverage_margin_percent", 20
        )

    def _node(self, point, **vals):
        """A node of 1 km at ``point`` (latitude, longitude)."""
        return self.Node.create(
            dict(
                {
                    "name": "Node",
                    "latitude": point[0],
                    "longitude": point[1],
                    "coverage_radius": 1000,
                    "company_id": self.isp.id,
                },
                **vals,
            )
        )


class IspJson2Case(HttpCase):
    """The desk as outside callers reach it: Odoo 19's JSON-2 API, one user
    per role, each with an API key; no demo data, no network."""

    ROLES = {
        "technician": "isp_sales_desk.group_isp_sales_technician",
        "seller": "isp_sales_desk.group_isp_sales_user",
        "manager": "isp_sales_desk.group_isp_sales_manager",
        "employee": "base.group_user",
        "portal": "base.group_portal",
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["isp.network.node"].search([]).active = False
        cls.users = {
            role: new_test_user(
                cls.env, login=f"j2_{role}", groups=groups, name=f"J2 {role}"
            )
            for role, groups in cls.ROLES.items()
        }
        cls.users["admin"] = cls.env.ref("base.user_admin")
        cls.keys = {role: cls.api_key(user) for role, user in cls.users.items()}

    @classmethod
    def api_key(cls, user):
        return (
            cls.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(None, f"json2 {user.login}", None)
        )

    @classmethod
    def add_user(cls, role, groups, **values):
        """One more user with an API key, known as ``role``."""
        user = new_test_user(cls.env, login=f"j2_{role}", groups=groups, **values)
        cls.users[role] = user
        cls.keys[role] = cls.api_key(user)
        return user

    @mute_logger("odoo.http")
    def json2(self, role, model, method, /, **params):
        """``(status, body)`` of a JSON-2 call by ``role``; the body is the
        decoded JSON (the result, or the error's name and message)."""
        response = self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(params),
            headers={
                "Authorization": f"bearer {self.keys[role]}",
                "Content-Type": "application/json",
            },
        )
        try:
            body = response.json()
        except ValueError:
            body = response.text
        return response.status_code, body

    def assertRefusedOverJson2(self, result, status, regex=None):
        """A refusal: the status, and an error (never a result) whose message
        matches ``regex``."""
        code, body = result
        self.assertEqual(code, status, body)
        self.assertIsInstance(body, dict, body)
        self.assertIn("message", body, body)
        if regex:
            self.assertRegex(body["message"], regex)

    def desk_counts(self):
        """How many leads, prospects, tickets and orders the database holds
        (archived ones too), read after the call's transaction ended."""
        self.env.invalidate_all()
        return {
            model: self.env[model].with_context(active_test=False).search_count([])
            for model in (
                "isp.sales.lead",
                "isp.sales.prospect",
                "isp.sales.ticket",
                "isp.sales.order",
            )
        }
