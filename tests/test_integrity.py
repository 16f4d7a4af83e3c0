"""Status facts change only through the actions, whoever calls: tried the way
an integrator reaches the desk, over Odoo 19's JSON-2 API with API keys, for
every role."""

import json

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import IspSalesDeskCase


@tagged("post_install", "-at_install")
class TestStatusOnlyThroughActions(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["isp.network.node"].search([]).active = False
        roles = {
            "technician": "isp_sales_desk.group_isp_sales_technician",
            "user": "isp_sales_desk.group_isp_sales_user",
            "manager": "isp_sales_desk.group_isp_sales_manager",
        }
        cls.users = {
            role: new_test_user(cls.env, login=f"json2_{role}", groups=group)
            for role, group in roles.items()
        }
        cls.users["admin"] = cls.env.ref("base.user_admin")
        cls.keys = {
            role: cls.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(None, f"json2 {role}", None)
            for role, user in cls.users.items()
        }
        Product = cls.env["product.product"]
        cls.plan = Product.create(
            {"name": "Plan J2", "service_kind": "plan", "list_price": 90.0}
        )
        cls.other_plan = Product.create(
            {"name": "Plan J2 big", "service_kind": "plan", "list_price": 190.0}
        )
        cls.reason = cls.env.ref("isp_sales_desk.loss_reason_price")
        lead = cls.env["isp.sales.lead"].create({"name": "Integridad"})
        cls.prospect = cls.env["isp.sales.prospect"].create(
            {
                "lead_id": lead.id,
                "latitude": -32.95,
                "longitude": -60.65,
                "line_ids": [Command.create({"product_id": cls.plan.id})],
            }
        )
        cls.ticket = cls.env["isp.sales.ticket"].create(
            {"prospect_id": cls.prospect.id}
        )
        cls.order = cls.ticket.action_create_order("installation")
        cls.order.technician_id = cls.users["technician"]
        # a closed feasibility order, for the result that may no longer move
        other = cls.env["isp.sales.ticket"].create({"prospect_id": cls.prospect.id})
        cls.feasibility = other.action_create_order("feasibility")
        cls.feasibility.write(
            {
                "technician_id": cls.users["technician"].id,
                "feasibility_result": "feasible",
            }
        )
        cls.feasibility.action_done()

    def _call(self, role, model, method, **params):
        response = self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(params),
            headers={
                "Authorization": f"bearer {self.keys[role]}",
                "Content-Type": "application/json",
            },
        )
        return response

    def _snapshot(self, record, names):
        record.invalidate_recordset()
        return {name: record[name] for name in names}

    @mute_logger("odoo.http")
    def test_every_role_is_refused_every_status_fact(self):
        ticket_writes = {
            "state": "won",
            "lost_reason_id": self.reason.id,
            "date_won": "2030-01-01 10:00:00",
            "date_lost": "2030-01-01 10:00:00",
            "days_to_win": 3.5,
            "date_state_changed": "2020-01-01 10:00:00",
            "sale_frozen": True,
            "amount_total": 1.0,
            "plan_product_id": self.other_plan.id,
            "won_count": 1,
            "lost_count": 1,
        }
        order_writes = {
            "state": "done",
            "date_done": "2030-01-01 10:00:00",
        }
        cases = [(self.ticket, ticket_writes), (self.order, order_writes)]
        cases.append((self.feasibility, {"feasibility_result": "not_feasible"}))
        for record, writes in cases:
            before = self._snapshot(record, list(writes))
            for role in self.keys:
                for name, value in writes.items():
                    with self.subTest(model=record._name, role=role, field=name):
                        response = self._call(
                            role,
                            record._name,
                            "write",
                            ids=record.ids,
                            vals={name: value},
                        )
                        self.assertEqual(response.status_code, 422, response.text)
                        self.assertIn("only change through its actions", response.text)
            self.assertEqual(self._snapshot(record, list(writes)), before)
        self.assertEqual(self.ticket.state, "in_progress")

    @mute_logger("odoo.http")
    def test_an_orders_ticket_and_type_never_move(self):
        """The ticket's status follows from its orders' type and state:
        moving a done order to another ticket, or a feasibility order into an
        installation, would win a ticket without its action."""
        other = self.env["isp.sales.ticket"].create({"prospect_id": self.prospect.id})
        cases = [
            (self.feasibility, {"order_type": "installation"}),
            (self.feasibility, {"ticket_id": other.id}),
            (self.order, {"order_type": "feasibility"}),
            (self.order, {"ticket_id": other.id}),
        ]
        for order, vals in cases:
            before = self._snapshot(order, ["ticket_id", "order_type"])
            for role in self.keys:
                with self.subTest(order=order.name, role=role, vals=vals):
                    response = self._call(
                        role, "isp.sales.order", "write", ids=order.ids, vals=vals
                    )
                    # the technician may not write the order's ticket at all
                    self.assertIn(response.status_code, (403, 422), response.text)
                    if role != "technician":
                        self.assertEqual(response.status_code, 422, response.text)
                        self.assertIn("set when it is created", response.text)
            self.assertEqual(self._snapshot(order, ["ticket_id", "order_type"]), before)
        other.invalidate_recordset()
        self.assertEqual(other.state, "pending")
        self.assertFalse(other.order_ids)
        # saving the whole form, with the same values, is let through
        response = self._call(
            "user",
            "isp.sales.order",
            "write",
            ids=self.order.ids,
            vals={"ticket_id": self.ticket.id, "order_type": "installation"},
        )
        self.assertEqual(response.status_code, 200, response.text)

    @mute_logger("odoo.http")
    def test_creating_a_closed_ticket_or_a_done_order_is_refused(self):
        for role in ("user", "manager", "admin"):
            with self.subTest(role=role):
                count = self.env["isp.sales.ticket"].search_count([])
                response = self._call(
                    role,
                    "isp.sales.ticket",
                    "create",
                    vals_list=[
                        {
                            "prospect_id": self.prospect.id,
                            "lost_reason_id": self.reason.id,
                        }
                    ],
                )
                self.assertEqual(response.status_code, 422, response.text)
                self.assertEqual(self.env["isp.sales.ticket"].search_count([]), count)
                ticket = self.env["isp.sales.ticket"].create(
                    {"prospect_id": self.prospect.id}
                )
                response = self._call(
                    role,
                    "isp.sales.order",
                    "create",
                    vals_list=[{"ticket_id": ticket.id, "state": "done"}],
                )
                self.assertEqual(response.status_code, 422, response.text)
                self.assertFalse(ticket.order_ids)

    def test_the_actions_do_it_all_over_json2(self):
        ticket = self.env["isp.sales.ticket"].create({"prospect_id": self.prospect.id})
        response = self._call(
            "user",
            "isp.sales.ticket",
            "action_create_order",
            ids=ticket.ids,
            order_type="installation",
        )
        self.assertEqual(response.status_code, 200, response.text)
        (order_id,) = response.json()
        response = self._call(
            "user",
            "isp.sales.ticket",
            "action_set_lost",
            ids=ticket.ids,
            lost_reason_id=self.reason.id,
            lost_feedback="<p>Caro</p>",
        )
        self.assertEqual(response.status_code, 200, response.text)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.state, "lost")
        self.assertTrue(ticket.date_lost)
        order = self.env["isp.sales.order"].browse(order_id)
        self.assertEqual(order.state, "cancelled", "the action cancels open orders")
        self.assertEqual(
            order.fsm_order_id.stage_id,
            self.env.ref("fieldservice.fsm_stage_cancelled"),
        )
        response = self._call(
            "user", "isp.sales.ticket", "action_reopen", ids=ticket.ids
        )
        self.assertEqual(response.status_code, 200, response.text)
        ticket.invalidate_recordset()
        self.assertEqual((ticket.state, ticket.date_lost), ("pending", False))
        # the technician completes the installation: the ticket is won,
        # with its date and its customer
        again = ticket.action_create_order("installation")
        again.technician_id = self.users["technician"]
        response = self._call(
            "technician", "isp.sales.order", "action_done", ids=again.ids
        )
        self.assertEqual(response.status_code, 200, response.text)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.state, "won")
        self.assertTrue(ticket.date_won)
        self.assertTrue(ticket.lead_id.partner_id.isp_customer_date)


@tagged("post_install", "-at_install")
class TestClosedTicketsKeepWhatWasSold(IspSalesDeskCase):
    def _won(self, lines):
        ticket = self._create_ticket(lines=lines)
        ticket.action_create_order("installation").action_done()
        self.assertEqual(ticket.state, "won")
        return ticket

    def test_won_ticket_keeps_its_services_and_amount(self):
        ticket = self._won([self.plan, self.public_ip, self.discount_new])
        self.assertEqual(ticket.amount_total, 108.0)  # (100 + 20) - 10%
        self.assertTrue(ticket.sale_frozen)
        self.assertEqual(
            ticket.sale_line_ids.mapped("product_id"),
            self.plan | self.public_ip | self.discount_new,
        )
        prospect = ticket.prospect_id
        # the prospect is edited, the prices change, a discount changes kind
        prospect.line_ids.filtered(lambda line: line.product_id == self.plan).write(
            {"product_id": self.plan_big.id}
        )
        self.plan_big.list_price = 500.0
        self.discount_new.isp_discount_type = "fixed"
        self.env.flush_all()
        self.assertNotEqual(prospect.amount_total, 108.0)
        self.assertEqual(ticket.amount_total, 108.0)
        self.assertEqual(ticket.plan_product_id, self.plan)
        won = self.env["isp.sales.ticket"]._read_group(
            [("id", "=", ticket.id)], [], ["amount_total:sum"]
        )
        self.assertEqual(won[0][0], 108.0, "the reports read the frozen amount")

    def test_lost_ticket_freezes_and_reopen_follows_the_prospect_again(self):
        ticket = self._create_ticket(lines=[self.plan])
        ticket.action_set_lost(self.reason_price.id)
        self.assertEqual(ticket.sale_line_ids.product_id, self.plan)
        ticket.prospect_id.line_ids.price_unit = 70.0
        self.assertEqual(ticket.amount_total, 100.0)
        ticket.action_reopen()
        self.assertFalse(ticket.sale_line_ids)
        self.assertEqual(ticket.amount_total, 70.0)

    def test_reusing_the_prospect_in_the_wizard_leaves_the_history(self):
        ticket = self._won([self.plan, self.public_ip])
        wizard = (
            self.env["isp.sales.ticket.create"]
            .with_user(self.seller)
            .create(
                {
                    "lead_id": ticket.lead_id.id,
                    "prospect_id": ticket.prospect_id.id,
                    "latitude": -32.9468,
                    "longitude": -60.6393,
                    "plan_id": self.plan_big.id,
                    "order_type": "ticket",
                }
            )
        )
        action = wizard.action_create()
        upgrade = self.env["isp.sales.ticket"].browse(action["res_id"])
        self.assertEqual(upgrade.amount_total, 150.0)
        self.assertEqual(ticket.amount_total, 120.0)
        self.assertEqual(ticket.plan_product_id, self.plan)

    def test_snapshot_lines_cannot_be_written(self):
        ticket = self._won([self.plan])
        line = ticket.sale_line_ids
        for user in (self.seller, self.manager):
            # refused before the access rights even come into play
            with self.subTest(user=user.login), self.assertRaises(UserError):
                line.with_user(user).write({"price_unit": 1.0})
        with self.assertRefused(Exception, "record of that sale"):
            line.sudo().write({"price_unit": 1.0})
        with self.assertRefused(Exception, "record of that sale"):
            line.sudo().unlink()
        with self.assertRefused(Exception, "record of that sale"):
            self.env["isp.sales.ticket.line"].sudo().create(
                {
                    "ticket_id": ticket.id,
                    "product_id": self.tv.id,
                    "service_kind": "tv_package",
                }
            )
        self.assertEqual(ticket.amount_total, 100.0)
