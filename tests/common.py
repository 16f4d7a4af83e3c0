from contextlib import contextmanager

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


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
