from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import IspSalesDeskCase


@tagged("post_install", "-at_install")
class TestSecurity(IspSalesDeskCase):
    """Each role can do what it must, and gets an AccessError for the rest."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._create_ticket()
        cls.order = cls.ticket.action_create_order("installation")
        cls.order.technician_id = cls.technician
        cls.other_ticket = cls._create_ticket(lead_name="Otro Cliente")
        cls.other_order = cls.other_ticket.action_create_order("feasibility")
        cls.other_order.technician_id = cls.other_technician

    def test_seller_runs_the_desk(self):
        env = self.env(user=self.seller)
        ticket = self._create_ticket(env=env, lead_name="Cliente del vendedor")
        self.assertEqual(ticket.create_uid, self.seller)
        self.assertEqual(ticket.prospect_id.amount_total, 100.0)
        order = ticket.action_create_order("feasibility")
        order.write(
            {
                "technician_id": self.technician.id,
                "scheduled_date": "2030-02-01 09:00:00",
            }
        )
        ticket.tag_ids = [Command.link(self.tag_urgent.id)]
        ticket.action_set_lost(self.reason_price.id)
        ticket.action_reopen()
        self.assertEqual(
            env["isp.sales.ticket"].search_count(
                [("id", "in", (self.ticket + self.other_ticket).ids)]
            ),
            2,
        )
        # but not the configuration, nor deleting
        with self.assertRaises(AccessError):
            env["isp.sales.loss.reason"].create({"name": "Otro"})
        with self.assertRaises(AccessError):
            env["isp.network.node"].create(
                {"name": "Torre", "latitude": 1.0, "longitude": 1.0}
            )
        with self.assertRaises(AccessError):
            self.tag_urgent.with_user(self.seller).unlink()
        with self.assertRaises(AccessError):
            self.other_ticket.with_user(self.seller).unlink()
        with self.assertRaises(AccessError):
            self.other_ticket.lead_id.with_user(self.seller).unlink()
        with self.assertRaises(AccessError):
            env["product.product"].create(
                {"name": "Plan trucho", "service_kind": "plan"}
            )

    def test_manager_configures_and_deletes(self):
        env = self.env(user=self.manager)
        reason = env["isp.sales.loss.reason"].create({"name": "Mudanza"})
        node = env["isp.network.node"].create(
            {"name": "Torre Norte", "latitude": -32.9, "longitude": -60.7}
        )
        plan = env["product.product"].create(
            {"name": "Plan 1 Gb", "type": "service", "service_kind": "plan"}
        )
        # what the manager configured is what the desk then works with
        self.assertEqual(plan.service_kind, "plan")
        self.assertEqual(node.company_id, self.company)
        located = self._create_ticket(env=env, lead_name="Cerca de la torre")
        located.prospect_id.write({"latitude": -32.9, "longitude": -60.7})
        self.assertEqual(located.prospect_id.node_id, node)
        located.action_set_lost(reason.id)
        self.assertEqual(located.lost_reason_id, reason)
        ticket = self._create_ticket(env=env, lead_name="Borrable")
        ticket.unlink()
        self.assertFalse(ticket.exists())
        with self.assertRaises(UserError):
            self.ticket.with_user(
                self.manager
            ).unlink()  # it has orders: refused even for managers

    def test_technician_sees_only_own_orders(self):
        env = self.env(user=self.technician)
        orders = env["isp.sales.order"].search([])
        self.assertEqual(orders, self.order)
        # reads what the order needs: place and contact
        order = self.order.with_user(self.technician)
        self.assertEqual(order.city, "Rosario")
        self.assertEqual(order.phone, "+54 9 341 555-1234")
        self.assertEqual(
            order.ticket_id.with_user(self.technician).prospect_id.street, "Córdoba"
        )
        self.assertEqual(env["isp.sales.ticket"].search([]), self.ticket)
        self.assertEqual(env["isp.sales.prospect"].search([]), self.ticket.prospect_id)
        self.assertEqual(env["isp.sales.lead"].search([]), self.ticket.lead_id)
        # records the work
        order.write({"result_note": "Instalado con antena en el techo"})
        order.action_start()
        order.action_done()
        self.assertEqual(self.ticket.state, "won")

    def test_technician_lands_on_their_orders_and_sees_what_to_install(self):
        home = self.env.ref("isp_sales_desk.isp_sales_order_my_action")
        self.assertEqual(self.technician.action_id.id, home.id)
        board = self.env.ref("isp_sales_desk.isp_sales_ticket_action")
        self.assertEqual(self.seller.action_id.id, board.id, "sellers, the board")
        self.assertEqual(self.manager.action_id.id, board.id)
        # a technician made a seller moves to the board; a home chosen stays
        self.other_technician.group_ids |= self.env.ref(
            "isp_sales_desk.group_isp_sales_user"
        )
        self.assertEqual(self.other_technician.action_id.id, board.id)
        chosen = self.env.ref("isp_sales_desk.isp_sales_lead_action")
        self.seller.action_id = chosen.id
        self.seller.group_ids |= self.env.ref("isp_sales_desk.group_isp_sales_manager")
        self.assertEqual(self.seller.action_id.id, chosen.id)
        self.assertFalse(self.internal_user.action_id)
        order = self.order.with_user(self.technician)
        self.assertEqual(order.install_summary, "Plan 100 Mb")
        order.sudo().scheduled_date = "2020-01-01 10:00:00"
        self.assertTrue(order.is_overdue)
        with self.assertRaisesRegex(UserError, "assigns an order"):
            order.write({"technician_id": self.other_technician.id})
        self.assertEqual(self.order.technician_id, self.technician)

    def test_technician_cannot_touch_anything_else(self):
        env = self.env(user=self.technician)
        with self.assertRaises(AccessError):
            self.other_order.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            self.other_ticket.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.technician).write(
                {"user_id": self.technician.id}
            )
        with self.assertRaises(AccessError):
            env["isp.sales.ticket"].create({"prospect_id": self.ticket.prospect_id.id})
        with self.assertRaises(AccessError):
            env["isp.sales.lead"].create({"name": "Nuevo"})
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.technician).action_set_lost(self.reason_price.id)
        with self.assertRaises(AccessError):
            self.ticket.prospect_id.line_ids.with_user(self.technician).read(
                ["price_unit"]
            )
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.technician).read(["amount_total"])
        with self.assertRaises(AccessError):
            self.ticket.prospect_id.with_user(self.technician).read(["amount_total"])
        with self.assertRaises(AccessError):
            self.order.with_user(self.technician).unlink()

    def test_internal_user_without_group_sees_nothing(self):
        for model in (
            "isp.sales.ticket",
            "isp.sales.lead",
            "isp.sales.order",
            "isp.sales.prospect",
        ):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.internal_user).search([])

    def test_multi_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "ISP Norte"})
        seller_north = new_test_user(
            self.env,
            login="isp_seller_north",
            groups="isp_sales_desk.group_isp_sales_user",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        env = self.env(user=seller_north)
        self.assertFalse(env["isp.sales.ticket"].search([]))
        with self.assertRaises(AccessError):
            self.ticket.with_user(seller_north).read(["name"])
        north_ticket = self._create_ticket(env=env, lead_name="Cliente Norte")
        self.assertEqual(north_ticket.company_id, other_company)
        self.assertEqual(north_ticket.prospect_id.company_id, other_company)
        self.assertNotIn(
            north_ticket, self.env(user=self.seller)["isp.sales.ticket"].search([])
        )
