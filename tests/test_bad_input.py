from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import IspJson2Case, IspSalesDeskCase


@tagged("post_install", "-at_install")
class TestBadInput(IspSalesDeskCase):
    """Every bad input gets a clear message and leaves nothing half-saved."""

    def test_prospect_coordinates_out_of_range(self):
        lead = self.env["isp.sales.lead"].create({"name": "Juan"})
        for values, message in (
            ({"latitude": 91.0, "longitude": 0.0}, "Latitude 91.0 is out of range"),
            ({"latitude": -90.5, "longitude": 0.0}, "Latitude -90.5 is out of range"),
            (
                {"latitude": 0.0, "longitude": 180.01},
                "Longitude 180.01 is out of range",
            ),
            (
                {"latitude": 1.0, "longitude": -200.0},
                "Longitude -200.0 is out of range",
            ),
        ):
            with self.assertRefused(ValidationError, message):
                self.env["isp.sales.prospect"].create(dict(values, lead_id=lead.id))

    def test_node_coordinates_type_and_missing_point(self):
        Node = self.env["isp.network.node"]
        with self.assertRefused(ValidationError, "Latitude 123.0 is out of range"):
            Node.create({"name": "Torre", "latitude": 123.0, "longitude": 0.0})
        with self.assertRefused(ValidationError, "needs a latitude and a longitude"):
            Node.create({"name": "Sin punto"})
        with self.assertRefused(ValidationError, "Unknown network node type satellite"):
            Node.create(
                {
                    "name": "Raro",
                    "latitude": 1.0,
                    "longitude": 1.0,
                    "node_type": "satellite",
                }
            )
        node = Node.create(
            {
                "name": "Torre Centro",
                "latitude": -32.95,
                "longitude": -60.65,
                "node_type": "tower",
            }
        )
        with self.assertRefused(ValidationError, "Unknown network node type"):
            node.node_type = "satellite"
        with self.assertRaises(ValidationError):
            node.longitude = 181.0

    def test_negative_price_or_quantity(self):
        ticket = self._create_ticket()
        line = ticket.prospect_id.line_ids
        with self.assertRefused(
            ValidationError, "The price of Plan 100 Mb cannot be negative"
        ):
            line.price_unit = -1.0
        with self.assertRefused(
            ValidationError, "The quantity of Plan 100 Mb cannot be negative"
        ):
            line.quantity = -2.0

    def test_discount_without_plan_nothing_saved(self):
        lead = self.env["isp.sales.lead"].create({"name": "Juan"})
        with self.assertRefused(
            ValidationError, "only be applied once an internet plan is chosen"
        ):
            self.env["isp.sales.prospect"].create(
                {
                    "lead_id": lead.id,
                    "line_ids": [
                        Command.create({"product_id": self.public_ip.id}),
                        Command.create({"product_id": self.discount_fixed.id}),
                    ],
                }
            )
        ticket = self._create_ticket(lines=[self.public_ip])
        with self.assertRefused(
            ValidationError, "only be applied once an internet plan is chosen"
        ):
            self.env["isp.sales.prospect.line"].create(
                {
                    "prospect_id": ticket.prospect_id.id,
                    "product_id": self.discount_new.id,
                }
            )

    def test_two_plans_refused(self):
        ticket = self._create_ticket()
        with self.assertRefused(ValidationError, "only one internet plan"):
            ticket.prospect_id.write(
                {"line_ids": [Command.create({"product_id": self.plan_big.id})]}
            )

    def test_percentage_discount_product_over_100(self):
        with self.assertRefused(ValidationError, "between 0 and 100"):
            self.env["product.product"].create(
                {
                    "name": "Todo gratis",
                    "service_kind": "discount",
                    "isp_discount_type": "percent",
                    "list_price": 150,
                }
            )

    def test_ticket_without_prospect(self):
        with self.assertRefused(ValidationError, "A ticket needs a prospect"):
            self.env["isp.sales.ticket"].create({})
        ticket = self._create_ticket()
        with self.assertRefused(ValidationError, "A ticket needs a prospect"):
            ticket.prospect_id = False

    def test_lost_without_reason(self):
        ticket = self._create_ticket()
        with self.assertRefused(UserError, "Choose a loss reason"):
            ticket.action_set_lost(False)
        with self.assertRefused(UserError, "Choose a loss reason"):
            ticket.action_set_lost(999999)
        self.assertEqual(ticket.state, "pending")

    def test_no_order_on_won_or_lost_ticket(self):
        ticket = self._create_ticket()
        ticket.action_set_lost(self.reason_price.id)
        with self.assertRefused(UserError, "This ticket is lost"):
            ticket.action_create_order("installation")
        with self.assertRefused(UserError, "This ticket is lost"):
            self.env["isp.sales.order"].create(
                {"ticket_id": ticket.id, "order_type": "feasibility"}
            )
        with self.assertRefused(UserError, "already lost"):
            ticket.action_set_lost(self.reason_price.id)
        won = self._create_ticket(lead_name="Luis")
        won.action_create_order("installation").action_done()
        with self.assertRefused(UserError, "already won"):
            won.action_create_order("feasibility")
        with self.assertRefused(UserError, "already won"):
            won.action_set_lost(self.reason_price.id)
        with self.assertRefused(UserError, "Only a lost ticket can be reopened"):
            won.action_reopen()

    def test_unknown_order_type(self):
        ticket = self._create_ticket()
        with self.assertRefused(UserError, "Unknown order type repair"):
            ticket.action_create_order("repair")

    def test_second_open_order_of_a_type_refused(self):
        ticket = self._create_ticket()
        ticket.action_create_order("installation")
        with self.assertRefused(UserError, "already has an open Installation order"):
            ticket.action_create_order("installation")
        self.assertEqual(ticket.order_count, 1)

    def test_feasibility_needs_a_result(self):
        ticket = self._create_ticket()
        order = ticket.action_create_order("feasibility")
        with self.assertRefused(UserError, "feasible or not before completing"):
            order.action_done()
        self.assertEqual(order.state, "draft")

    def test_cannot_delete_ticket_with_orders_or_lead_with_tickets(self):
        ticket = self._create_ticket()
        ticket.action_create_order("installation")
        with self.assertRefused(UserError, "cannot be deleted"):
            ticket.unlink()
        with self.assertRefused(UserError, "archive it instead"):
            ticket.lead_id.unlink()
        with self.assertRefused(UserError, "Only draft orders can be deleted"):
            order = ticket.order_ids
            order.action_cancel()
            order.unlink()

    def test_cannot_delete_prospect_of_a_ticket(self):
        ticket = self._create_ticket()
        with self.assertRefused(UserError, "A prospect with tickets cannot be deleted"):
            ticket.prospect_id.unlink()
        self.assertTrue(ticket.prospect_id.exists())

    def test_reschedule_closed_order_refused(self):
        ticket = self._create_ticket()
        order = ticket.action_create_order("installation")
        order.action_done()
        with self.assertRefused(UserError, "cannot be rescheduled"):
            order.scheduled_date = "2031-01-01 10:00:00"


@tagged("post_install", "-at_install")
class TestBadInputSavesNothing(IspJson2Case):
    """Nothing half-saved, checked where it can fail: after the request of a
    seller over JSON-2 has ended (a count inside the test's own savepoint,
    after assertRaises rolled it back, could not fail)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls.env["isp.sales.lead"].create({"name": "Juan Borde"})
        cls.plan = cls.env["product.product"].create(
            {"name": "Plan Borde", "service_kind": "plan", "list_price": 10.0}
        )
        cls.discount = cls.env["product.product"].create(
            {"name": "Descuento Borde", "service_kind": "discount", "list_price": 5.0}
        )
        cls.item = cls.env["product.product"].create(
            {"name": "IP Borde", "service_kind": "recurring_item", "list_price": 3.0}
        )

    def test_a_refused_prospect_leaves_nothing(self):
        cases = [
            ({"latitude": 91.0, "longitude": 0.0}, "Latitude 91.0 is out of range"),
            ({"latitude": 0.0, "longitude": -200.0}, "Longitude -200.0 is out"),
            (
                {
                    "line_ids": [
                        [0, 0, {"product_id": self.item.id}],
                        [0, 0, {"product_id": self.discount.id}],
                    ]
                },
                "only be applied once an internet plan is chosen",
            ),
        ]
        before = self.desk_counts()
        for values, message in cases:
            with self.subTest(values=str(values)[:40]):
                vals = dict(values, lead_id=self.lead.id)
                self.assertRefusedOverJson2(
                    self.json2(
                        "seller", "isp.sales.prospect", "create", vals_list=[vals]
                    ),
                    422,
                    message,
                )
        self.assertEqual(self.desk_counts(), before)

    def test_a_refused_intake_leaves_nothing(self):
        before = self.desk_counts()
        for values, message in [
            ({"name": ""}, "name is required"),
            ({"name": "Ana", "latitude": 95, "longitude": 0}, "out of range"),
            ({"name": "Ana", "plan_code": "NO-EXISTE"}, "no internet plan"),
            ({"name": "Ana", "phone": "12"}, "not a valid phone"),
        ]:
            with self.subTest(values=str(values)[:40]):
                self.assertRefusedOverJson2(
                    self.json2("seller", "isp.sales.lead", "intake", **values),
                    422,
                    message,
                )
        self.assertEqual(self.desk_counts(), before)
