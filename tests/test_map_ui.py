from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from ..lib import geo

NODE = (-32.9468, -60.6393)
METRES_PER_DEGREE = geo.EARTH_RADIUS_M * 3.141592653589793 / 180


@tagged("post_install", "-at_install")
class TestMapUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["isp.network.node"].search([]).active = False  # an empty network
        # no tile server can be reached here: the map must work without it
        cls.env["ir.config_parameter"].set_param("isp_sales_desk.map_tile_url", "")
        cls.manager = new_test_user(
            cls.env,
            login="map_tour_manager",
            password="map_tour_manager",
            groups="isp_sales_desk.group_isp_sales_manager",
        )
        # a small node: the map opens on it; the tickets are 1 km away
        cls.env["isp.network.node"].create(
            {
                "name": "AP Tour",
                "latitude": NODE[0],
                "longitude": NODE[1],
                "coverage_radius": 100,
            }
        )
        Ticket = cls.env["isp.sales.ticket"]
        tickets = Ticket
        for name, delta in (("Demanda Tour", 1000), ("Pendiente Tour", -1000)):
            lead = cls.env["isp.sales.lead"].create({"name": name})
            prospect = cls.env["isp.sales.prospect"].create(
                {
                    "lead_id": lead.id,
                    "latitude": NODE[0] + delta / METRES_PER_DEGREE,
                    "longitude": NODE[1],
                }
            )
            tickets |= Ticket.create(
                {"prospect_id": prospect.id, "user_id": cls.manager.id}
            )
        cls.demand, cls.pending = tickets
        cls.demand.action_set_lost(
            cls.env.ref("isp_sales_desk.loss_reason_no_coverage").id
        )

    def test_map_what_if_node_brings_the_demand_back(self):
        self.assertEqual(self.demand.coverage, "uncovered")
        self.start_tour("/odoo", "isp_sales_desk_map_tour", login="map_tour_manager")
        node = self.env["isp.network.node"].search([("name", "=", "Torre Tour")])
        self.assertEqual(node.coverage_radius, 2000)
        self.assertEqual(self.demand.coverage, "covered")
        self.assertTrue(
            self.demand.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id
                    == self.env.ref(
                        "isp_sales_desk.mail_activity_type_recontact_covered"
                    )
                )
            )
        )


@tagged("post_install", "-at_install")
class TestTechnicianMapUi(HttpCase):
    browser_size = "375x812"
    touch_enabled = True

    def test_todays_orders_on_the_phone(self):
        self.env["ir.config_parameter"].set_param("isp_sales_desk.map_tile_url", "")
        technician = new_test_user(
            self.env,
            login="map_tour_technician",
            password="map_tour_technician",
            groups="isp_sales_desk.group_isp_sales_technician",
        )
        lead = self.env["isp.sales.lead"].create({"name": "Cliente del Día"})
        prospect = self.env["isp.sales.prospect"].create(
            {"lead_id": lead.id, "latitude": NODE[0], "longitude": NODE[1]}
        )
        ticket = self.env["isp.sales.ticket"].create({"prospect_id": prospect.id})
        order = ticket.action_create_order("installation")
        order.write(
            {"technician_id": technician.id, "scheduled_date": fields.Datetime.now()}
        )
        self.assertEqual(order.state, "scheduled")
        self.start_tour(
            "/odoo/action-isp_sales_desk.isp_sales_order_map_action",
            "isp_sales_desk_technician_map_tour",
            login="map_tour_technician",
        )
