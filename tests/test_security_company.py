"""Records stay in their company: lead, prospect, ticket, order and their
planning move together or not at all. Tried over JSON-2 by users who work
for two companies, and read back afterwards."""

from odoo import Command
from odoo.tests import tagged

from .common import IspJson2Case

ROSARIO = (-32.9468, -60.6393)


@tagged("post_install", "-at_install")
class TestRecordsStayInTheirCompany(IspJson2Case):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "ISP Sur"})
        for role in ("seller", "manager", "technician"):
            cls.users[role].company_ids |= cls.company_b
        cls.plan = cls.env["product.product"].create(
            {"name": "Plan Empresas", "service_kind": "plan", "list_price": 70.0}
        )
        cls.won = cls._ticket(cls.company_a, "Ganado A")
        order = cls.won.action_create_order("installation")
        order.action_done()
        cls.open = cls._ticket(cls.company_a, "Abierto A")
        cls.open_order = cls.open.action_create_order("installation")
        # no contact yet (nothing went to planning): only its history holds it
        cls.unplanned = cls._ticket(cls.company_a, "Sin planificar", located=False)
        cls.bare_lead = cls.env["isp.sales.lead"].create(
            {"name": "Sin prospecto", "company_id": cls.company_a.id}
        )
        # no point: OCA field service ships its stages in the first company
        # only, so company B's orders stay on the desk's side here
        cls.ticket_b = cls._ticket(cls.company_b, "Cliente B", located=False)
        cls.order_b = cls.ticket_b.action_create_order("feasibility")

    @classmethod
    def _ticket(cls, company, name, located=True):
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
        return env["isp.sales.ticket"].create({"prospect_id": prospect.id})

    def companies(self):
        self.env.invalidate_all()
        return {
            "won": (
                self.won.lead_id.company_id,
                self.won.prospect_id.company_id,
                self.won.company_id,
                self.won.order_ids.company_id,
            ),
            "open": (
                self.open.lead_id.company_id,
                self.open.prospect_id.company_id,
                self.open.company_id,
                self.open_order.company_id,
                self.open_order.fsm_order_id.company_id,
            ),
        }

    def test_moves_to_another_company_are_refused(self):
        before = self.companies()
        self.assertEqual(set(before["won"]), {self.company_a})
        moves = [
            (
                "isp.sales.lead",
                self.unplanned.lead_id,
                {"company_id": self.company_b.id},
            ),
            ("isp.sales.lead", self.won.lead_id, {"company_id": self.company_b.id}),
            ("isp.sales.lead", self.open.lead_id, {"company_id": self.company_b.id}),
            (
                "isp.sales.prospect",
                self.won.prospect_id,
                {"company_id": self.company_b.id},
            ),
            (
                "isp.sales.prospect",
                self.open.prospect_id,
                {
                    "company_id": self.company_b.id,
                    "lead_id": self.ticket_b.lead_id.id,
                },
            ),
            (
                "isp.sales.prospect",
                self.open.prospect_id,
                {"lead_id": self.ticket_b.lead_id.id},
            ),
            (
                "isp.sales.ticket",
                self.open,
                {"prospect_id": self.ticket_b.prospect_id.id},
            ),
            ("isp.sales.ticket", self.open, {"company_id": self.company_b.id}),
        ]
        for role in ("seller", "manager"):
            for model, record, vals in moves:
                with self.subTest(role=role, model=model, vals=vals):
                    result = self.json2(role, model, "write", ids=record.ids, vals=vals)
                    self.assertRefusedOverJson2(result, 422, "compan")
        self.assertEqual(self.companies(), before)
        self.assertEqual(self.unplanned.company_id, self.company_a)
        self.assertEqual(self.unplanned.lead_id.company_id, self.company_a)
        # the won ticket is still on company A's board, and not on B's
        status, found = self.json2(
            "seller",
            "isp.sales.ticket",
            "search",
            domain=[("company_id", "=", self.company_a.id), ("state", "=", "won")],
        )
        self.assertEqual(status, 200, found)
        self.assertIn(self.won.id, found)

    def test_a_lead_without_prospects_can_be_corrected(self):
        status, body = self.json2(
            "seller",
            "isp.sales.lead",
            "write",
            ids=self.bare_lead.ids,
            vals={"company_id": self.company_b.id},
        )
        self.assertEqual(status, 200, body)
        self.bare_lead.invalidate_recordset()
        self.assertEqual(self.bare_lead.company_id, self.company_b)

    def test_records_are_born_in_one_company(self):
        before = self.desk_counts()
        creations = [
            (
                "isp.sales.prospect",
                {"lead_id": self.bare_lead.id, "company_id": self.company_b.id},
            ),
            (
                "isp.sales.ticket",
                {
                    "prospect_id": self.ticket_b.prospect_id.id,
                    "user_id": self.users["employee"].id,
                },
            ),
        ]
        for model, vals in creations:
            with self.subTest(model=model):
                self.assertRefusedOverJson2(
                    self.json2("seller", model, "create", vals_list=[vals]), 422
                )
        self.assertEqual(self.desk_counts(), before)

    def test_planning_stays_in_the_orders_company(self):
        planning = self.open_order.fsm_order_id
        self.assertEqual(planning.company_id, self.company_a)
        self.assertRefusedOverJson2(
            self.json2(
                "manager",
                "fsm.order",
                "write",
                ids=planning.ids,
                vals={"company_id": self.company_b.id},
            ),
            422,
        )
        planning.invalidate_recordset()
        self.assertEqual(planning.company_id, self.company_a)
