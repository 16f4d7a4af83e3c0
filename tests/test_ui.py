from datetime import timedelta

from odoo import Command, fields
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


@tagged("post_install", "-at_install")
class TestBoardSearchUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.ar")
        new_test_user(
            cls.env,
            login="search_seller",
            password="search_seller",
            groups="isp_sales_desk.group_isp_sales_user",
        )
        for name, mobile in (
            ("Rosa Buscada", "+54 9 341 523-9981"),
            ("Otra Persona", "+54 9 341 444-0000"),
        ):
            lead = cls.env["isp.sales.lead"].create({"name": name, "mobile": mobile})
            prospect = cls.env["isp.sales.prospect"].create({"lead_id": lead.id})
            cls.env["isp.sales.ticket"].create({"prospect_id": prospect.id})

    def test_search_by_the_end_of_a_phone(self):
        self.start_tour(
            "/odoo/action-isp_sales_desk.isp_sales_ticket_action",
            "isp_sales_desk_board_search_tour",
            login="search_seller",
        )


@tagged("post_install", "-at_install")
class TestTechnicianPhoneUi(HttpCase):
    browser_size = "375x812"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician = new_test_user(
            cls.env,
            login="tour_technician",
            password="tour_technician",
            groups="isp_sales_desk.group_isp_sales_technician",
        )
        new_test_user(
            cls.env,
            login="tour_seller_phone",
            password="tour_seller_phone",
            groups="isp_sales_desk.group_isp_sales_user",
        )
        lead = cls.env["isp.sales.lead"].create(
            {"name": "Cliente Teléfono", "phone": "+54 9 341 444 5555"}
        )
        prospect = cls.env["isp.sales.prospect"].create(
            {
                "lead_id": lead.id,
                "street": "Pellegrini",
                "street_number": "1500",
                "city": "Rosario",
                "latitude": -32.955,
                "longitude": -60.66,
            }
        )
        cls.ticket = cls.env["isp.sales.ticket"].create({"prospect_id": prospect.id})
        cls.order = cls.ticket.action_create_order("feasibility")
        cls.order.technician_id = cls.technician

    def test_technician_completes_not_feasible_then_seller_sees_proposal(self):
        self.start_tour(
            "/odoo", "isp_sales_desk_technician_tour", login="tour_technician"
        )
        self.assertEqual(self.order.state, "done")
        self.assertEqual(self.order.feasibility_result, "not_feasible")
        self.assertEqual(self.order.result_note, "Sin línea de vista al nodo")
        self.assertEqual(self.ticket.feasibility_proposal, "lose")
        self.start_tour(
            "/odoo",
            "isp_sales_desk_not_feasible_proposal_tour",
            login="tour_seller_phone",
        )


@tagged("post_install", "-at_install")
class TestHomeUi(HttpCase):
    """Where each one lands, at the sizes they work at."""

    def test_seller_lands_on_a_board_that_fits(self):
        new_test_user(
            self.env,
            login="home_seller",
            password="home_seller",
            groups="isp_sales_desk.group_isp_sales_user",
        )
        self.start_tour("/odoo", "isp_sales_desk_seller_home_tour", login="home_seller")


@tagged("post_install", "-at_install")
class TestTechnicianTodayUi(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_today_on_the_map_is_today_only(self):
        self.env["ir.config_parameter"].set_param("isp_sales_desk.map_tile_url", "")
        technician = new_test_user(
            self.env,
            login="today_technician",
            password="today_technician",
            groups="isp_sales_desk.group_isp_sales_technician",
        )
        now = fields.Datetime.now()
        orders = self.env["isp.sales.order"]
        for name, when in (
            ("Hoy abierta", now),
            ("Mañana abierta", now + timedelta(days=1)),
            ("Hoy terminada", now),
        ):
            lead = self.env["isp.sales.lead"].create({"name": name})
            prospect = self.env["isp.sales.prospect"].create(
                {"lead_id": lead.id, "latitude": -32.95, "longitude": -60.65}
            )
            ticket = self.env["isp.sales.ticket"].create({"prospect_id": prospect.id})
            order = ticket.action_create_order("feasibility")
            order.write({"technician_id": technician.id, "scheduled_date": when})
            orders |= order
        orders[2].write({"feasibility_result": "feasible"})
        orders[2].action_done()
        self.start_tour(
            "/odoo/action-isp_sales_desk.isp_sales_order_map_action",
            "isp_sales_desk_technician_today_tour",
            login="today_technician",
        )
        self.start_tour(
            "/odoo/action-isp_sales_desk.isp_sales_order_my_action",
            "isp_sales_desk_technician_phone_tour",
            login="today_technician",
        )
