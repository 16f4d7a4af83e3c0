from odoo.tests import HttpCase, tagged

from .status_common import add_status_fixtures


@tagged("post_install", "-at_install")
class TestStatusPageUi(HttpCase):
    """The customer's page in headless Chromium, on a phone screen, in
    Spanish: the customer chooses the installation slot."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        add_status_fixtures(cls)
        cls.env["res.lang"]._activate_lang("es_AR")
        cls.env["ir.module.module"].search(
            [("name", "=", "isp_sales_desk")]
        )._update_translations(["es_AR"], overwrite=True)
        plan = cls.env["product.product"].create(
            {
                "name": "Plan Hogar 300",
                "type": "service",
                "service_kind": "plan",
                "list_price": 21000.0,
            }
        )
        lead = cls.env["isp.sales.lead"].create(
            {"name": "Ana Pérez", "email": "ana@example.com"}
        )
        lead._isp_get_or_create_partner().lang = "es_AR"
        prospect = cls.env["isp.sales.prospect"].create(
            {
                "lead_id": lead.id,
                "street": "Córdoba",
                "street_number": "1234",
                "city": "Rosario",
                "latitude": -32.9468,
                "longitude": -60.6393,
                "line_ids": [(0, 0, {"product_id": plan.id})],
            }
        )
        cls.ticket = cls.env["isp.sales.ticket"].create({"prospect_id": prospect.id})
        cls.order = cls.ticket.action_create_order("installation")

    def test_the_customer_chooses_the_slot_on_a_phone(self):
        first = self.env["isp.sales.status.page"]._free_slots(self.order)[0]
        self.start_tour(self.ticket.get_portal_url(), "isp_sales_desk_status_page_tour")
        self.assertEqual(self.order.fsm_order_id.scheduled_date_start, first.start)
        self.assertEqual(self.order.state, "scheduled")
