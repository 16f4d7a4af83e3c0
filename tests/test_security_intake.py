"""The intake and its assignments, over JSON-2: requests go to the
company's own employees, a reused reference answers the first result only
for the same request, and an order records only its own kind of result."""

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import IspJson2Case


@tagged("post_install", "-at_install")
class TestIntakeBoundary(IspJson2Case):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_user(
            "bot",
            "base.group_user,isp_sales_desk.group_isp_sales_intake",
            name="Web bot",
        )
        cls.other_company = cls.env["res.company"].create({"name": "ISP Este"})
        cls.foreign_seller = new_test_user(
            cls.env,
            login="foreign_seller",
            groups="isp_sales_desk.group_isp_sales_user",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )
        cls.env.company.isp_intake_user_ids = cls.users["seller"]

    def test_the_round_robin_takes_only_the_companys_employees(self):
        company = self.env.company
        for label, user in (
            ("portal", self.users["portal"]),
            ("another company's seller", self.foreign_seller),
        ):
            with self.subTest(user=label):
                self.assertRefusedOverJson2(
                    self.json2(
                        "admin",
                        "res.company",
                        "write",
                        ids=company.ids,
                        vals={"isp_intake_user_ids": [Command.link(user.id)]},
                    ),
                    422,
                    "cannot receive",
                )
        company.invalidate_recordset()
        self.assertEqual(company.isp_intake_user_ids, self.users["seller"])
        # data from before the check: such users are skipped at assignment
        self.env.cr.execute(
            "INSERT INTO isp_intake_user_company_rel (company_id, user_id)"
            " VALUES (%s, %s), (%s, %s)",
            [company.id, self.users["portal"].id, company.id, self.foreign_seller.id],
        )
        company.invalidate_recordset()
        assigned = set()
        for number in range(4):
            status, result = self.json2(
                "bot",
                "isp.sales.lead",
                "intake",
                name="Turno",
                phone=f"341555700{number}",
            )
            self.assertEqual(status, 200, result)
            ticket = self.env["isp.sales.ticket"].browse(result["ticket_id"])
            assigned.add(ticket.user_id)
        self.assertEqual(assigned, {self.users["seller"]})

    def test_nobody_assigns_the_desks_work_to_a_portal_user(self):
        lead = self.env["isp.sales.lead"].create({"name": "Asignable"})
        prospect = self.env["isp.sales.prospect"].create({"lead_id": lead.id})
        ticket = self.env["isp.sales.ticket"].create({"prospect_id": prospect.id})
        portal = self.users["portal"].id
        calls = [
            (
                "isp.sales.ticket",
                "write",
                {"ids": ticket.ids, "vals": {"user_id": portal}},
            ),
            ("isp.sales.lead", "write", {"ids": lead.ids, "vals": {"user_id": portal}}),
            (
                "isp.sales.ticket",
                "create",
                {"vals_list": [{"prospect_id": prospect.id, "user_id": portal}]},
            ),
            (
                "isp.sales.lead",
                "create",
                {"vals_list": [{"name": "P", "user_id": portal}]},
            ),
        ]
        before = self.desk_counts()
        for role in ("seller", "manager"):
            for model, method, params in calls:
                with self.subTest(role=role, model=model, method=method):
                    self.assertRefusedOverJson2(
                        self.json2(role, model, method, **params), 422, "employee"
                    )
        self.assertEqual(self.desk_counts(), before)
        self.env.invalidate_all()
        self.assertNotEqual(ticket.user_id, self.users["portal"])
        self.assertNotEqual(lead.user_id, self.users["portal"])

    def test_a_reused_reference_with_another_request_is_a_conflict(self):
        first = {"name": "Ana Ref", "phone": "341 555 7100", "external_ref": "web-77"}
        status, result = self.json2("bot", "isp.sales.lead", "intake", **first)
        self.assertEqual(status, 200, result)
        before = self.desk_counts()
        # the same request again: the first answer, documented as idempotent
        status, again = self.json2("bot", "isp.sales.lead", "intake", **first)
        self.assertEqual(status, 200, again)
        self.assertEqual(again, dict(result, created=False))
        for change in ({"phone": "341 555 7199"}, {"name": "Otra Persona"}):
            with self.subTest(change=change):
                self.assertRefusedOverJson2(
                    self.json2(
                        "bot", "isp.sales.lead", "intake", **dict(first, **change)
                    ),
                    409,
                    "web-77",
                )
        self.assertEqual(self.desk_counts(), before)

    def test_an_installation_records_no_feasibility_result(self):
        lead = self.env["isp.sales.lead"].create({"name": "Instalación"})
        prospect = self.env["isp.sales.prospect"].create({"lead_id": lead.id})
        ticket = self.env["isp.sales.ticket"].create({"prospect_id": prospect.id})
        order = ticket.action_create_order("installation")
        order.technician_id = self.users["technician"]
        for role in ("technician", "seller", "manager", "admin"):
            with self.subTest(role=role):
                self.assertRefusedOverJson2(
                    self.json2(
                        role,
                        "isp.sales.order",
                        "write",
                        ids=order.ids,
                        vals={"feasibility_result": "not_feasible"},
                    ),
                    422,
                    "Only a feasibility order",
                )
        order.action_cancel()
        self.assertRefusedOverJson2(
            self.json2(
                "seller",
                "isp.sales.order",
                "create",
                vals_list=[
                    {
                        "ticket_id": ticket.id,
                        "order_type": "installation",
                        "feasibility_result": "feasible",
                    }
                ],
            ),
            422,
            "Only a feasibility order",
        )
        self.env.invalidate_all()
        self.assertFalse(ticket.order_ids.filtered("feasibility_result"))
        self.assertEqual(len(ticket.order_ids), 1)
