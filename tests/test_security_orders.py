"""One open order per type and ticket, whatever the call: a batch create
over JSON-2 is refused whole."""

from odoo.tests import tagged

from .common import IspJson2Case


@tagged("post_install", "-at_install")
class TestOneOpenOrderPerType(IspJson2Case):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        lead = cls.env["isp.sales.lead"].create({"name": "Dos cuadrillas"})
        prospect = cls.env["isp.sales.prospect"].create(
            {"lead_id": lead.id, "latitude": -32.95, "longitude": -60.65}
        )
        cls.ticket = cls.env["isp.sales.ticket"].create({"prospect_id": prospect.id})

    def orders_seen_by_a_manager(self):
        """Counted by a new request: what the refused call left committed."""
        status, count = self.json2(
            "manager",
            "isp.sales.order",
            "search_count",
            domain=[("ticket_id", "=", self.ticket.id)],
        )
        self.assertEqual(status, 200, count)
        return count

    def test_a_batch_of_two_installations_is_refused_whole(self):
        batches = [
            [{"ticket_id": self.ticket.id, "order_type": "installation"}] * 2,
            [{"ticket_id": self.ticket.id}] * 2,
            [
                {"ticket_id": self.ticket.id, "order_type": "feasibility"},
                {"ticket_id": self.ticket.id, "order_type": "installation"},
                {"ticket_id": self.ticket.id, "order_type": "feasibility"},
            ],
        ]
        for role in ("seller", "manager", "admin"):
            for batch in batches:
                with self.subTest(role=role, batch=len(batch)):
                    self.assertRefusedOverJson2(
                        self.json2(role, "isp.sales.order", "create", vals_list=batch),
                        422,
                        "already has an open",
                    )
                    self.assertEqual(self.orders_seen_by_a_manager(), 0)
        fsm = self.env["fsm.order"].search_count(
            [("isp_sales_order_id.ticket_id", "=", self.ticket.id)]
        )
        self.assertEqual(fsm, 0, "nothing went to field service")
        # one of each type in one call is fine
        status, ids = self.json2(
            "seller",
            "isp.sales.order",
            "create",
            vals_list=[
                {"ticket_id": self.ticket.id, "order_type": "feasibility"},
                {"ticket_id": self.ticket.id, "order_type": "installation"},
            ],
        )
        self.assertEqual(status, 200, ids)
        self.assertEqual(self.orders_seen_by_a_manager(), 2)
