import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestExternalRpc(HttpCase):
    """An outside system (a website form, the ISP's own tools) drives the desk
    over XML-RPC."""

    @mute_logger("odoo.addons.rpc.controllers.xmlrpc")
    def setUp(self):
        super().setUp()
        new_test_user(
            self.env,
            login="rpc_seller",
            password="rpc_seller",
            groups="isp_sales_desk.group_isp_sales_user",
        )
        self.plan = self.env["product.product"].create(
            {
                "name": "Plan RPC",
                "type": "service",
                "service_kind": "plan",
                "list_price": 80,
            }
        )
        self.uid_rpc = self.xmlrpc_common.authenticate(
            self.env.cr.dbname, "rpc_seller", "rpc_seller", {}
        )
        self.assertTrue(self.uid_rpc)

    @mute_logger("odoo.addons.rpc.controllers.xmlrpc", "odoo.http")
    def call(self, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.uid_rpc,
            "rpc_seller",
            model,
            method,
            list(args),
            kwargs,
        )

    def test_lead_to_won_over_xmlrpc(self):
        lead_id = self.call(
            "isp.sales.lead",
            "create",
            [{"name": "Cliente RPC", "phone": "+54 9 341 111 2222"}],
        )[0]
        prospect_id = self.call(
            "isp.sales.prospect",
            "create",
            [
                {
                    "lead_id": lead_id,
                    "street": "Oroño",
                    "street_number": "500",
                    "city": "Rosario",
                    "latitude": -32.95,
                    "longitude": -60.65,
                    "line_ids": [(0, 0, {"product_id": self.plan.id})],
                }
            ],
        )[0]
        ticket_id = self.call(
            "isp.sales.ticket", "create", [{"prospect_id": prospect_id}]
        )[0]
        order_id = self.call(
            "isp.sales.ticket", "action_create_order", [ticket_id], "installation"
        )
        # a returned record travels as the list of its ids
        self.assertEqual(
            order_id,
            self.env["isp.sales.order"].search([("ticket_id", "=", ticket_id)]).ids,
        )
        order_id = order_id[0]
        state = self.call(
            "isp.sales.ticket",
            "read",
            [ticket_id],
            ["state", "order_count", "amount_total"],
        )[0]
        self.assertEqual(
            (state["state"], state["order_count"], state["amount_total"]),
            ("in_progress", 1, 80.0),
        )
        self.call("isp.sales.order", "action_done", [order_id])
        ticket = self.call(
            "isp.sales.ticket", "read", [ticket_id], ["state", "date_won", "partner_id"]
        )[0]
        self.assertEqual(ticket["state"], "won")
        self.assertTrue(ticket["date_won"])
        self.assertTrue(ticket["partner_id"])

    def test_lost_without_reason_is_refused_over_xmlrpc(self):
        lead_id = self.call("isp.sales.lead", "create", [{"name": "Sin motivo"}])[0]
        prospect_id = self.call("isp.sales.prospect", "create", [{"lead_id": lead_id}])[
            0
        ]
        ticket_id = self.call(
            "isp.sales.ticket", "create", [{"prospect_id": prospect_id}]
        )[0]
        with self.assertRaises(xmlrpc.client.Fault) as fault:
            self.call("isp.sales.ticket", "action_set_lost", [ticket_id], False)
        self.assertIn("Choose a loss reason", fault.exception.faultString)
        self.assertEqual(
            self.call("isp.sales.ticket", "read", [ticket_id], ["state"])[0]["state"],
            "pending",
        )
        reason_id = self.env.ref("isp_sales_desk.loss_reason_no_answer").id
        self.call(
            "isp.sales.ticket",
            "action_set_lost",
            [ticket_id],
            reason_id,
            "<p>No atiende</p>",
        )
        self.assertEqual(
            self.call("isp.sales.ticket", "read", [ticket_id], ["state"])[0]["state"],
            "lost",
        )
