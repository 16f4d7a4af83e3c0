from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(
            cls.env,
            login="tour_seller",
            password="tour_seller",
            groups="isp_sales_desk.group_isp_sales_user",
        )
        plan = cls.env["product.product"].create(
            {"name": "Plan Tour", "type": "service", "service_kind": "plan"}
        )
        lead = cls.env["isp.sales.lead"].create({"name": "Tour Prospect"})
        prospect = cls.env["isp.sales.prospect"].create(
            {"lead_id": lead.id, "line_ids": [Command.create({"product_id": plan.id})]}
        )
        cls.ticket = cls.env["isp.sales.ticket"].create(
            {"prospect_id": prospect.id, "user_id": cls.seller.id}
        )

    def test_board_open_ticket_mark_lost(self):
        self.start_tour("/odoo", "isp_sales_desk_board_tour", login="tour_seller")
        self.assertEqual(self.ticket.state, "lost")
        self.assertEqual(
            self.ticket.lost_reason_id, self.env.ref("isp_sales_desk.loss_reason_price")
        )
