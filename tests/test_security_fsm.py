"""Field service planning of desk orders, over JSON-2: its own staff work
on it without any right on the desk, and nobody rewires a planning document
to another order (another company's least of all)."""

from odoo import Command
from odoo.tests import tagged

from .common import IspJson2Case

ROSARIO = (-32.9468, -60.6393)


@tagged("post_install", "-at_install")
class TestPlanningBoundary(IspJson2Case):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_user("dispatcher", "fieldservice.group_fsm_dispatcher")
        cls.add_user(
            "seller_dispatcher",
            "isp_sales_desk.group_isp_sales_user,fieldservice.group_fsm_dispatcher",
        )
        cls.plan = cls.env["product.product"].create(
            {"name": "Plan Campo", "service_kind": "plan", "list_price": 40.0}
        )
        cls.company_b = cls.env["res.company"].create({"name": "ISP Oeste"})
        cls.order = cls._order(cls.env.company, "Cliente Campo")
        # another company's order, not planned yet: a planning document of
        # company A pointed at it would show its customer
        cls.order_b = cls._order(cls.company_b, "Secreto Oeste", located=False)

    @classmethod
    def _order(cls, company, name, located=True):
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        lead = env["isp.sales.lead"].create({"name": name, "company_id": company.id})
        point = {"latitude": ROSARIO[0], "longitude": ROSARIO[1]} if located else {}
        prospect = env["isp.sales.prospect"].create(
            dict(
                point,
                lead_id=lead.id,
                line_ids=[Command.create({"product_id": cls.plan.id})],
            )
        )
        ticket = env["isp.sales.ticket"].create({"prospect_id": prospect.id})
        order = ticket.action_create_order("installation")
        assert bool(order.fsm_order_id) == located, order.planning_issue
        return order

    def test_field_service_staff_plan_without_desk_rights(self):
        planning = self.order.fsm_order_id
        status, body = self.json2(
            "dispatcher",
            "fsm.order",
            "write",
            ids=planning.ids,
            vals={"description": "<p>Llevar escalera</p>"},
        )
        self.assertEqual(status, 200, body)
        status, body = self.json2(
            "dispatcher",
            "fsm.order",
            "write",
            ids=planning.ids,
            vals={"scheduled_date_start": "2031-03-01 10:00:00"},
        )
        self.assertEqual(status, 200, body)
        self.env.invalidate_all()
        self.assertIn("Llevar escalera", planning.description)
        self.assertEqual(self.order.state, "scheduled")
        self.assertEqual(str(self.order.scheduled_date), "2031-03-01 10:00:00")
        # and completing it in planning wins the desk's ticket
        status, body = self.json2(
            "dispatcher", "fsm.order", "action_complete", ids=planning.ids
        )
        self.assertEqual(status, 200, body)
        self.env.invalidate_all()
        self.assertEqual(self.order.state, "done")
        self.assertEqual(self.order.ticket_id.state, "won")
        # the desk itself stays closed to them
        self.assertRefusedOverJson2(
            self.json2(
                "dispatcher",
                "isp.sales.order",
                "read",
                ids=self.order.ids,
                fields=["name"],
            ),
            403,
        )

    def test_nobody_rewires_planning_to_another_order(self):
        planning = self.order.fsm_order_id
        for role in ("seller", "seller_dispatcher", "manager", "dispatcher"):
            with self.subTest(role=role):
                self.assertRefusedOverJson2(
                    self.json2(
                        role,
                        "fsm.order",
                        "write",
                        ids=planning.ids,
                        vals={"isp_sales_order_id": self.order_b.id},
                    ),
                    422,
                    "cannot be changed",
                )
        before = self.env["fsm.order"].search_count([])
        for role in ("seller_dispatcher", "admin"):
            with self.subTest(role=role, call="create"):
                self.assertRefusedOverJson2(
                    self.json2(
                        role,
                        "fsm.order",
                        "create",
                        vals_list=[
                            {
                                "location_id": planning.location_id.id,
                                "isp_sales_order_id": self.order_b.id,
                            }
                        ],
                    ),
                    422,
                    "only by the sales desk",
                )
        self.env.invalidate_all()
        self.assertEqual(self.env["fsm.order"].search_count([]), before)
        self.assertEqual(planning.isp_sales_order_id, self.order)
        # what a company-A user reads of planning never names B's customer
        for role in ("seller", "dispatcher"):
            with self.subTest(role=role, call="read"):
                status, rows = self.json2(
                    role,
                    "fsm.order",
                    "search_read",
                    domain=[],
                    fields=["display_name", "isp_contact_name"],
                )
                self.assertEqual(status, 200, rows)
                self.assertTrue(rows)
                self.assertNotIn("Secreto Oeste", str(rows))
