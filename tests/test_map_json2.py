import json
from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

ROSARIO = (-32.9468, -60.6393)


@tagged("post_install", "-at_install")
class TestNetworkOverJson2(HttpCase):
    """The ISP's own tools edit the network and read the map over JSON-2."""

    def setUp(self):
        super().setUp()
        self.env["isp.network.node"].search([]).active = False
        self.keys = {}
        for login, group in (
            ("json2_manager", "group_isp_sales_manager"),
            ("json2_seller", "group_isp_sales_user"),
        ):
            user = new_test_user(
                self.env, login=login, groups=f"isp_sales_desk.{group}"
            )
            self.keys[login] = (
                self.env["res.users.apikeys"]
                .with_user(user)
                ._generate("rpc", "map", datetime.now() + timedelta(days=1))
            )
        lead = self.env["isp.sales.lead"].create({"name": "Demanda JSON"})
        prospect = self.env["isp.sales.prospect"].create(
            {"lead_id": lead.id, "latitude": ROSARIO[0], "longitude": ROSARIO[1]}
        )
        self.ticket = self.env["isp.sales.ticket"].create({"prospect_id": prospect.id})

    def call(self, login, model, method, **params):
        return self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(params),
            headers={
                "Authorization": f"bearer {self.keys[login]}",
                "Content-Type": "application/json",
            },
        )

    @mute_logger("odoo.http")
    def test_node_create_move_and_refusals(self):
        response = self.call(
            "json2_manager",
            "isp.network.node",
            "create",
            vals_list=[
                {
                    "name": "Torre JSON",
                    "latitude": ROSARIO[0] + 0.005,
                    "longitude": ROSARIO[1],
                    "coverage_radius": 1000,
                }
            ],
        )
        self.assertEqual(response.status_code, 200, response.text)
        (node_id,) = response.json()
        self.assertEqual(self.ticket.prospect_id.coverage, "covered")
        # moved 3 km away: the prospect is no longer covered
        response = self.call(
            "json2_manager",
            "isp.network.node",
            "write",
            ids=[node_id],
            vals={"latitude": ROSARIO[0] + 0.03},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.env.invalidate_all()
        self.assertEqual(self.ticket.prospect_id.coverage, "uncovered")
        # invalid coordinates: refused with a 4xx, nothing changed
        response = self.call(
            "json2_manager",
            "isp.network.node",
            "write",
            ids=[node_id],
            vals={"latitude": 123.0},
        )
        self.assertEqual(response.status_code, 422, response.text)
        self.assertIn("out of range", response.json()["message"])
        # a seller cannot edit the network, nor try a what-if node
        response = self.call(
            "json2_seller",
            "isp.network.node",
            "create",
            vals_list=[{"name": "X", "latitude": 0, "longitude": 0}],
        )
        self.assertEqual(response.status_code, 403, response.text)
        response = self.call(
            "json2_seller",
            "isp.sales.ticket",
            "get_isp_what_if",
            latitude=ROSARIO[0],
            longitude=ROSARIO[1],
            radius=1000,
        )
        self.assertEqual(response.status_code, 403, response.text)
        response = self.call(
            "json2_manager",
            "isp.sales.ticket",
            "get_isp_what_if",
            latitude=ROSARIO[0],
            longitude=ROSARIO[1],
            radius=0,
        )
        self.assertEqual(response.status_code, 422, response.text)

    def test_map_data_for_a_seller_with_an_absurd_box(self):
        response = self.call(
            "json2_seller",
            "isp.sales.ticket",
            "get_isp_map_data",
            domain=[],
            bbox=[-100, -500, 100, 500],
            zoom=99,
        )
        self.assertEqual(response.status_code, 200, response.text)
        data = response.json()
        self.assertGreaterEqual(data["totals"]["count"], 1)
        self.assertEqual(data["zoom"], 22)
