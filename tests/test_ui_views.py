from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestUiViews(HttpCase):
    """Every screen the sales desk adds to or changes in other apps opens in
    the browser, for the roles that use it: the planning of field-service
    orders (kanban, calendar, list, form and search, in the desk's menu and in
    Field Service's own), the services and leads forms, and the settings. A
    tour fails on any error of the web client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("isp_sales_desk.map_tile_url", "")
        # a seller who also plans field service, and a manager
        new_test_user(
            cls.env,
            login="views_seller",
            password="views_seller",
            groups="isp_sales_desk.group_isp_sales_user,"
            "fieldservice.group_fsm_dispatcher",
        )
        new_test_user(
            cls.env,
            login="views_manager",
            password="views_manager",
            groups="isp_sales_desk.group_isp_sales_manager",
        )
        referrer = cls.env["res.partner"].create({"name": "Vecina Recomendante"})
        lead = cls.env["isp.sales.lead"].create(
            {
                "name": "Cliente Planificado",
                "phone": "+54 9 341 555 6001",
                "referred_by_partner_id": referrer.id,
            }
        )
        plan = cls.env["product.product"].create(
            {
                "name": "Plan Vistas 300",
                "type": "service",
                "service_kind": "plan",
                "isp_download_mbps": 300,
            }
        )
        prospect = cls.env["isp.sales.prospect"].create(
            {
                "lead_id": lead.id,
                "street": "Sarmiento",
                "street_number": "800",
                "city": "Rosario",
                "latitude": -32.9468,
                "longitude": -60.6393,
                "line_ids": [Command.create({"product_id": plan.id})],
            }
        )
        ticket = cls.env["isp.sales.ticket"].create({"prospect_id": prospect.id})
        order = ticket.action_create_order("feasibility")
        cls.desk_fsm_order = order.fsm_order_id
        cls.desk_fsm_order.scheduled_date_start = fields.Datetime.now()
        # an order of field service alone, not of the sales desk
        owner = cls.env["res.partner"].create({"name": "Depósito Central"})
        location = cls.env["fsm.location"].create(
            {"name": "Depósito Central", "partner_id": owner.id, "owner_id": owner.id}
        )
        cls.plain_fsm_order = cls.env["fsm.order"].create(
            {"location_id": location.id, "scheduled_date_start": fields.Datetime.now()}
        )
        cls.env["isp.network.node"].create(
            {"name": "Nodo Vistas", "latitude": -32.95, "longitude": -60.64}
        )

    def test_orders_planning_as_seller_and_manager(self):
        self.assertTrue(self.desk_fsm_order.isp_sales_order_id)
        self.assertFalse(self.plain_fsm_order.isp_sales_order_id)
        for login in ("views_seller", "views_manager"):
            with self.subTest(login=login):
                self.start_tour(
                    "/odoo", "isp_sales_desk_fsm_order_views_tour", login=login
                )

    def test_manager_opens_services_leads_prospects_and_nodes(self):
        self.start_tour(
            "/odoo", "isp_sales_desk_manager_views_tour", login="views_manager"
        )

    def test_settings(self):
        self.start_tour(
            "/odoo/action-isp_sales_desk.res_config_settings_action",
            "isp_sales_desk_settings_tour",
            login="admin",
        )

    def test_click_every_menu_view_and_filter_as_manager(self):
        """Odoo's click bot through the Sales Desk app: each menu, each view
        of its action, each filter of its search."""
        self.browser_js(
            "/odoo",
            "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
            ".startClickEverywhere('isp_sales_desk.isp_sales_desk_menu_root');",
            "odoo.isReady === true",
            login="views_manager",
            timeout=600,
            success_signal="clickbot test succeeded",
        )
