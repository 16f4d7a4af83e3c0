from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import IspSalesDeskCase


@tagged("post_install", "-at_install")
class TestFieldServiceHandOff(IspSalesDeskCase):
    """Orders are planned in OCA fieldservice and the work flows back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_completed = cls.env.ref("fieldservice.fsm_stage_completed")
        cls.stage_cancelled = cls.env.ref("fieldservice.fsm_stage_cancelled")

    def test_order_creates_a_linked_fsm_order(self):
        ticket = self._create_ticket()
        order = ticket.action_create_order("installation")
        order.write(
            {
                "technician_id": self.technician.id,
                "scheduled_date": "2030-03-01 12:00:00",
            }
        )
        fsm = order.fsm_order_id
        self.assertTrue(fsm)
        self.assertEqual(fsm.isp_sales_order_id, order)
        self.assertEqual(
            fsm.type, self.env.ref("isp_sales_desk.fsm_order_type_installation")
        )
        self.assertTrue(fsm.team_id, "the default team plans it")
        self.assertEqual(str(fsm.scheduled_date_start), "2030-03-01 12:00:00")
        self.assertEqual(fsm.person_id.partner_id, self.technician.partner_id)
        location = fsm.location_id
        self.assertEqual(location, ticket.prospect_id.fsm_location_id)
        self.assertEqual(location.street, "Córdoba 1234")
        self.assertEqual(location.city, "Rosario")
        self.assertAlmostEqual(location.partner_latitude, -32.9468)
        self.assertAlmostEqual(location.partner_longitude, -60.6393)
        self.assertEqual(location.owner_id, ticket.lead_id.partner_id)
        self.assertEqual(location.contact_id.email, "ana@example.com")
        self.assertIn(ticket.name, str(fsm.description))
        self.assertEqual(ticket.fsm_order_count, 1)
        self.assertEqual(
            ticket.action_view_fsm_orders()["domain"],
            [("isp_ticket_id", "=", ticket.id)],
        )
        # a second order of the same prospect reuses the location, and leaves
        # it alone while the prospect's place is the same
        order.action_cancel()
        Location = type(location)
        with patch.object(Location, "write", autospec=True) as write:
            again = ticket.action_create_order("installation")
        self.assertEqual(again.fsm_order_id.location_id, location)
        write.assert_not_called()
        # a place that moved moves the location
        order_again = again
        order_again.action_cancel()
        ticket.prospect_id.write({"street_number": "1240", "latitude": -32.9470})
        third = ticket.action_create_order("installation")
        self.assertEqual(third.fsm_order_id.location_id, location)
        self.assertEqual(location.street, "Córdoba 1240")
        self.assertAlmostEqual(location.partner_latitude, -32.947)
        self.assertAlmostEqual(location.partner_longitude, -60.6393)

    def test_rescheduling_in_planning_flows_back(self):
        ticket = self._create_ticket()
        order = ticket.action_create_order("installation")
        order.fsm_order_id.write(
            {
                "scheduled_date_start": "2030-04-02 15:00:00",
                "person_id": order._fsm_person().id,
            }
        )
        self.assertEqual(str(order.scheduled_date), "2030-04-02 15:00:00")
        self.assertEqual(order.state, "scheduled")
        self.assertEqual(str(ticket.scheduled_date), "2030-04-02 15:00:00")
        # the ticket's chatter tracks the new date, whichever side set it
        self.flush_tracking()
        self.assertIn(
            "scheduled_date",
            ticket.message_ids.tracking_value_ids.field_id.mapped("name"),
        )
        # and our side flows to planning
        order.write(
            {
                "scheduled_date": "2030-04-03 09:00:00",
                "technician_id": self.technician.id,
            }
        )
        self.assertEqual(
            str(order.fsm_order_id.scheduled_date_start), "2030-04-03 09:00:00"
        )
        self.assertEqual(
            order.fsm_order_id.person_id.partner_id, self.technician.partner_id
        )

    def test_completing_in_planning_wins_the_ticket(self):
        ticket = self._create_ticket()
        order = ticket.action_create_order("installation")
        order.fsm_order_id.date_start = "2030-01-01 10:00:00"
        self.assertEqual(order.state, "in_progress")
        order.fsm_order_id.action_complete()
        self.assertEqual(order.fsm_order_id.stage_id, self.stage_completed)
        self.assertEqual(order.state, "done")
        self.assertEqual(ticket.state, "won")
        partner = ticket.lead_id.partner_id
        self.assertTrue(partner.isp_customer_date)
        self.assertEqual(partner.street, "Córdoba 1234")
        self.assertAlmostEqual(partner.partner_latitude, -32.9468)

    def test_completing_on_our_side_completes_planning(self):
        ticket = self._create_ticket()
        order = ticket.action_create_order("installation")
        order.action_start()
        self.assertTrue(order.fsm_order_id.date_start)
        order.action_done()
        self.assertEqual(order.fsm_order_id.stage_id, self.stage_completed)

    def test_cancelling_in_planning_takes_ticket_back_to_pending(self):
        ticket = self._create_ticket()
        order = ticket.action_create_order("installation")
        order.fsm_order_id.action_cancel()
        self.assertEqual(order.state, "cancelled")
        self.assertEqual(ticket.state, "pending")
        self.assertTrue(
            any("cancelled" in body for body in ticket.message_ids.mapped("body"))
        )

    def test_lost_ticket_cancels_planning_but_deletes_nothing(self):
        ticket = self._create_ticket()
        order = ticket.action_create_order("feasibility")
        fsm = order.fsm_order_id
        ticket.action_set_lost(self.reason_price.id)
        self.assertEqual(fsm.stage_id, self.stage_cancelled)
        self.assertTrue(fsm.exists())
        with self.assertRefused(UserError, "cannot be rescheduled"):
            fsm.write({"scheduled_date_start": "2030-05-01 10:00:00"})

    def test_linked_fsm_order_cannot_be_deleted(self):
        ticket = self._create_ticket()
        fsm = ticket.action_create_order("installation").fsm_order_id
        with self.assertRefused(UserError, "cancel it instead"):
            fsm.unlink()
        self.assertTrue(fsm.exists())

    def test_feasible_result_proposes_the_installation(self):
        ticket = self._create_ticket(user_id=self.seller.id)
        feasibility = ticket.action_create_order("feasibility")
        feasibility.technician_id = self.technician
        with self.assertRefused(UserError, "feasible or not before completing"):
            feasibility.fsm_order_id.action_complete()
        self.assertEqual(feasibility.state, "draft")
        feasibility.fsm_order_id.isp_feasibility_result = "feasible"
        self.assertEqual(feasibility.feasibility_result, "feasible")
        feasibility.result_note = "Línea de vista libre"
        feasibility.fsm_order_id.action_complete()
        self.assertEqual(feasibility.state, "done")
        self.assertEqual(ticket.state, "pending")
        self.assertEqual(ticket.feasibility_proposal, "install")
        activity = ticket.activity_ids
        self.assertEqual(activity.summary, "Schedule the installation")
        self.assertEqual(activity.user_id, self.seller)
        action = ticket.action_create_installation_order()
        installation = self.env["isp.sales.order"].browse(action["res_id"])
        self.assertEqual(installation.order_type, "installation")
        self.assertEqual(
            installation.technician_id,
            self.technician,
            "prefilled from the feasibility",
        )
        self.assertFalse(ticket.feasibility_proposal)

    def test_not_feasible_result_proposes_losing_in_one_click(self):
        ticket = self._create_ticket()
        feasibility = ticket.action_create_order("feasibility")
        feasibility.write(
            {"feasibility_result": "not_feasible", "result_note": "Sin línea de vista"}
        )
        feasibility.action_done()
        self.assertEqual(ticket.feasibility_proposal, "lose")
        self.assertTrue(
            any("not feasible" in body for body in ticket.message_ids.mapped("body"))
        )
        ticket.action_set_lost_technical()
        self.assertEqual(ticket.state, "lost")
        self.assertEqual(
            ticket.lost_reason_id, self.env.ref("isp_sales_desk.loss_reason_technical")
        )
        self.assertTrue(
            any(
                "Sin línea de vista" in body
                for body in ticket.message_ids.mapped("body")
            )
        )

    def test_prospect_without_point_is_flagged_and_sent_later(self):
        ticket = self._create_ticket()
        ticket.prospect_id.write({"latitude": 0.0, "longitude": 0.0})
        order = ticket.action_create_order("installation")
        # the order is created anyway, and moves the ticket
        self.assertEqual(ticket.order_ids, order)
        self.assertEqual(ticket.state, "in_progress")
        self.assertFalse(order.fsm_order_id)
        self.assertIn("no point on the map", order.planning_issue)
        with self.assertRefused(UserError, "no point on the map"):
            order.action_send_to_planning()
        ticket.prospect_id.write({"latitude": -32.95, "longitude": -60.65})
        order.action_send_to_planning()
        self.assertTrue(order.fsm_order_id)
        self.assertFalse(order.planning_issue)

    def test_technician_completes_own_order_without_planning_rights(self):
        ticket = self._create_ticket()
        order = ticket.action_create_order("feasibility")
        order.technician_id = self.technician
        # nothing cached: the technician's request reads on its own rights
        self.flush_tracking()
        self.env.invalidate_all()
        mine = order.with_user(self.technician)
        self.assertTrue(
            mine.navigation_url.startswith("https://www.google.com/maps/dir/")
        )
        mine.action_start()
        mine.write({"feasibility_result": "not_feasible", "result_note": "Árboles"})
        mine.action_done()
        # tracking is written at commit: it must not need planning rights
        self.flush_tracking()
        self.assertEqual(order.fsm_order_id.stage_id, self.stage_completed)
        self.assertEqual(ticket.feasibility_proposal, "lose")

    def test_planning_stage_and_title_follow_the_order(self):
        ticket = self._create_ticket()
        order = ticket.action_create_order("installation")
        fsm = order.fsm_order_id
        self.assertEqual(fsm.stage_id, self.env.ref("fieldservice.fsm_stage_new"))
        self.assertIn("Ana Pérez", fsm.display_name)
        self.assertIn("Installation", fsm.display_name)
        order.scheduled_date = "2030-06-01 10:00:00"
        self.assertEqual(order.state, "scheduled")
        self.assertEqual(
            fsm.stage_id, self.env.ref("isp_sales_desk.fsm_stage_scheduled")
        )
        order.action_start()
        self.assertEqual(
            fsm.stage_id, self.env.ref("isp_sales_desk.fsm_stage_in_progress")
        )
        # and a dispatcher moving the card in planning moves the order
        other = self._create_ticket(lead_name="Beto").action_create_order("feasibility")
        other.fsm_order_id.write(
            {"stage_id": self.env.ref("isp_sales_desk.fsm_stage_in_progress").id}
        )
        self.assertEqual(other.state, "in_progress")
