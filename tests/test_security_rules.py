"""Each role sees what its record rules say, over JSON-2: the groups imply
one another (manager → user → technician), and a technician's rule must
not hide from sellers what they own."""

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import IspJson2Case


@tagged("post_install", "-at_install")
class TestRulesPerRole(IspJson2Case):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_technician = new_test_user(
            cls.env,
            login="j2_other_tech",
            groups="isp_sales_desk.group_isp_sales_technician",
        )
        cls.keys["other_technician"] = cls.api_key(cls.other_technician)
        Product = cls.env["product.product"]
        cls.plan = Product.create(
            {"name": "Plan Reglas", "service_kind": "plan", "list_price": 60.0}
        )
        cls.item = Product.create(
            {"name": "IP fija", "service_kind": "recurring_item", "list_price": 9.0}
        )
        lead = cls.env["isp.sales.lead"].create({"name": "Ganado Reglas"})
        prospect = cls.env["isp.sales.prospect"].create(
            {
                "lead_id": lead.id,
                "line_ids": [
                    Command.create({"product_id": cls.plan.id}),
                    Command.create({"product_id": cls.item.id}),
                ],
            }
        )
        cls.ticket = cls.env["isp.sales.ticket"].create({"prospect_id": prospect.id})
        order = cls.ticket.action_create_order("installation")
        order.technician_id = cls.users["technician"]
        order.action_done()
        cls.lines = cls.ticket.sale_line_ids
        assert len(cls.lines) == 2

    def test_what_a_closed_ticket_sold_per_role(self):
        for role in ("seller", "manager", "technician", "admin"):
            with self.subTest(role=role):
                status, tickets = self.json2(
                    role,
                    "isp.sales.ticket",
                    "read",
                    ids=self.ticket.ids,
                    fields=["sale_line_ids"],
                )
                self.assertEqual(status, 200, tickets)
                self.assertEqual(
                    sorted(tickets[0]["sale_line_ids"]), sorted(self.lines.ids)
                )
                status, lines = self.json2(
                    role,
                    "isp.sales.ticket.line",
                    "search_read",
                    domain=[("ticket_id", "=", self.ticket.id)],
                    fields=["product_id", "price_subtotal"],
                )
                self.assertEqual(status, 200, lines)
                self.assertEqual(
                    sorted(line["product_id"][0] for line in lines),
                    sorted((self.plan | self.item).ids),
                )
        # another technician's work is not theirs to read
        status, lines = self.json2(
            "other_technician",
            "isp.sales.ticket.line",
            "search_read",
            domain=[("ticket_id", "=", self.ticket.id)],
            fields=["product_id"],
        )
        self.assertEqual((status, lines), (200, []))
        for role in ("employee", "portal"):
            with self.subTest(role=role):
                self.assertRefusedOverJson2(
                    self.json2(
                        role,
                        "isp.sales.ticket.line",
                        "search_read",
                        domain=[],
                        fields=["product_id"],
                    ),
                    403,
                )

    def test_every_desk_model_per_role(self):
        """Sellers and managers read every record of their company, a
        technician those of their own orders only."""
        lead = self.env["isp.sales.lead"].create({"name": "Sin orden"})
        prospect = self.env["isp.sales.prospect"].create({"lead_id": lead.id})
        other = self.env["isp.sales.ticket"].create({"prospect_id": prospect.id})
        other.action_create_order("feasibility").technician_id = self.other_technician
        records = {
            "isp.sales.lead": self.ticket.lead_id | lead,
            "isp.sales.prospect": self.ticket.prospect_id | prospect,
            "isp.sales.ticket": self.ticket | other,
            "isp.sales.order": self.ticket.order_ids | other.order_ids,
            "isp.sales.ticket.line": self.lines,
        }
        own = {
            "isp.sales.lead": self.ticket.lead_id,
            "isp.sales.prospect": self.ticket.prospect_id,
            "isp.sales.ticket": self.ticket,
            "isp.sales.order": self.ticket.order_ids,
            "isp.sales.ticket.line": self.lines,
        }
        for model, expected in records.items():
            for role in ("seller", "manager", "technician"):
                with self.subTest(model=model, role=role):
                    status, found = self.json2(
                        role, model, "search", domain=[("id", "in", expected.ids)]
                    )
                    self.assertEqual(status, 200, found)
                    seen = expected if role != "technician" else own[model]
                    self.assertEqual(sorted(found), sorted(seen.ids))
