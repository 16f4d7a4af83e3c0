from datetime import datetime

from odoo.tests import freeze_time, tagged

from ..models.isp_sales_status_page import SlotRefused
from .status_common import IspStatusCase

# Monday 2 March 2026, 9:00 in Argentina (12:00 UTC)
NOW = "2026-03-02 12:00:00"
TUESDAY_9 = datetime(2026, 3, 3, 12, 0)  # 9:00 local, in UTC
TUESDAY_14 = datetime(2026, 3, 3, 17, 0)
WEDNESDAY_9 = datetime(2026, 3, 4, 12, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestStatusSlots(IspStatusCase):
    """The slots of the page: the team's working windows, after the cut-off,
    less what field service already planned; the choice schedules both
    sides, and every bad choice is refused with its reason."""

    def setUp(self):
        super().setUp()
        self.Page = self.env["isp.sales.status.page"]
        self.ticket, self.order = self._open_ticket()

    def _offered(self, order=None):
        return [slot.start for slot in self.Page._free_slots(order or self.order)]

    def _planned_elsewhere(self, start):
        """An order planned by a dispatcher in field service."""
        location = self.order.fsm_order_id.location_id
        return self.env["fsm.order"].create(
            {
                "location_id": location.id,
                "team_id": self.team.id,
                "scheduled_date_start": start,
                "scheduled_duration": 2,
            }
        )

    def test_the_team_windows_after_the_cutoff_less_what_is_planned(self):
        # Monday's windows start within 24 hours: the first is Tuesday 9-13
        self.assertEqual(self._offered()[:3], [TUESDAY_9, TUESDAY_14, WEDNESDAY_9])
        self.assertEqual(len(self._offered()), 8)
        # one crew: a visit planned on Tuesday morning takes the window
        self._planned_elsewhere(datetime(2026, 3, 3, 13, 30))
        self.assertEqual(self._offered()[:2], [TUESDAY_14, WEDNESDAY_9])
        # two workers in the team: two crews
        for name in ("Uno", "Dos"):
            partner = self.env["res.partner"].create({"name": name})
            self.env["fsm.person"].create(
                {"partner_id": partner.id, "team_id": self.team.id}
            )
        self.assertEqual(self._offered()[0], TUESDAY_9)
        # a cancelled visit takes nothing; the cut-off is a setting
        self.env["ir.config_parameter"].set_param(
            "isp_sales_desk.slot_cutoff_hours", 48
        )
        self.assertEqual(self._offered()[0], WEDNESDAY_9)

    def test_choosing_a_slot_schedules_field_service_and_the_desk(self):
        self.Page._choose_slot(self.ticket, "2026-03-03T17:00:00Z")
        planning = self.order.fsm_order_id
        self.assertEqual(planning.scheduled_date_start, TUESDAY_14)
        self.assertEqual(planning.scheduled_date_end, datetime(2026, 3, 3, 21, 0))
        self.assertEqual(self.order.scheduled_date, TUESDAY_14)
        self.assertEqual(self.order.state, "scheduled")
        self.assertEqual(self.ticket.scheduled_date, TUESDAY_14)
        self.assertEqual(
            planning.stage_id, self.env.ref("isp_sales_desk.fsm_stage_scheduled")
        )
        # the seller sees it in the ticket's chatter, from the customer
        note = self.ticket.message_ids[0]
        self.assertIn("chose the installation slot", note.body)
        self.assertIn("14:00 to 18:00", note.body)
        self.assertEqual(note.author_id, self.ticket.lead_id.partner_id)
        # the window is now full for the next customer; changing is possible
        _other_ticket, other_order = self._open_ticket(lead_name="Berta")
        self.assertNotIn(TUESDAY_14, self._offered(other_order))
        self.Page._choose_slot(self.ticket, "2026-03-04T12:00:00+00:00")
        self.assertEqual(self.order.scheduled_date, WEDNESDAY_9)
        self.assertIn("moved the installation", self.ticket.message_ids[0].body)
        self.assertIn(TUESDAY_14, self._offered(other_order))

    def test_a_visit_moved_in_field_service_frees_its_seat(self):
        self.Page._choose_slot(self.ticket, "2026-03-03T12:00:00Z")
        other_ticket, other_order = self._open_ticket(lead_name="Berta")
        self.assertNotIn(TUESDAY_9, self._offered(other_order))
        # the dispatcher moves the first visit to Wednesday
        self.order.fsm_order_id.scheduled_date_start = WEDNESDAY_9
        self.assertIn(TUESDAY_9, self._offered(other_order))
        self.Page._choose_slot(other_ticket, "2026-03-03T12:00:00Z")
        self.assertEqual(other_order.scheduled_date, TUESDAY_9)
        self.assertEqual(other_order.isp_slot_seat, 1)

    def test_bad_choices_are_refused_with_their_reason(self):
        cases = [
            ("2026-03-01T12:00:00Z", "slot_past"),
            ("2026-03-02T17:00:00Z", "slot_too_soon"),
            ("2026-03-03T13:00:00Z", "slot_not_offered"),
            ("2030-01-01T12:00:00Z", "slot_not_offered"),
            ("mañana", "slot_invalid"),
            ("", "slot_invalid"),
        ]
        for value, code in cases:
            with self.subTest(value=value), self.assertRaises(SlotRefused) as caught:
                self.Page._choose_slot(self.ticket, value)
            self.assertEqual(caught.exception.code, code)
        self.assertFalse(self.order.scheduled_date)
        # full
        self._planned_elsewhere(TUESDAY_9)
        with self.assertRaises(SlotRefused) as caught:
            self.Page._choose_slot(self.ticket, "2026-03-03T12:00:00Z")
        self.assertEqual(caught.exception.code, "slot_taken")
        self.assertIn("just taken", str(caught.exception))

    def test_no_change_after_the_cutoff(self):
        self.Page._choose_slot(self.ticket, "2026-03-03T12:00:00Z")
        with freeze_time("2026-03-02 13:00:00"):
            # 23 hours before the visit
            self.assertFalse(self.Page._can_choose(self.order))
            with self.assertRaises(SlotRefused) as caught:
                self.Page._choose_slot(self.ticket, "2026-03-04T12:00:00Z")
        self.assertEqual(caught.exception.code, "slot_locked")
        self.assertEqual(self.order.scheduled_date, TUESDAY_9)

    def test_only_an_open_installation_handed_to_planning_offers_slots(self):
        self.order.action_start()
        self.assertFalse(self.Page._slot_order(self.ticket))
        with self.assertRaises(SlotRefused) as caught:
            self.Page._choose_slot(self.ticket, "2026-03-03T12:00:00Z")
        self.assertEqual(caught.exception.code, "no_order")

    def test_the_technician_first_name_and_window_in_the_steps(self):
        self.Page._choose_slot(self.ticket, "2026-03-03T17:00:00Z")
        values = self.Page._values(self.ticket)
        scheduled = values["steps"][1]
        self.assertEqual(scheduled["state"], "done")
        self.assertEqual(scheduled["technician"], "Tomás")
        self.assertEqual(scheduled["detail"], "Tuesday, March 3, 2026, 14:00 to 18:00")
        self.assertEqual(values["steps"][2]["state"], "current")
        self.assertEqual(values["plan"], "Plan 100 Mb")
        self.assertIn("130.00", values["monthly_total"])
        self.assertIn("50.00", values["one_time_total"])
        self.assertEqual(values["address"], "Córdoba 1234, Rosario")
        self.assertEqual(values["phone"], "+54 341 400-1000")
        self.assertEqual(values["whatsapp_url"], "https://wa.me/5493414001000")


@tagged("post_install", "-at_install")
class TestStatusNotifications(IspStatusCase):
    """The customer gets an e-mail with the page's link, in their language,
    when the visit is scheduled (from the page or by a dispatcher in field
    service), rescheduled, and when the installation is done."""

    def _mails(self, partner):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids)], order="id"
        )

    def test_scheduled_rescheduled_installed_in_spanish(self):
        self.env["res.lang"]._activate_lang("es_AR")
        self.env["ir.module.module"].search(
            [("name", "=", "isp_sales_desk")]
        )._update_translations(["es_AR"], overwrite=True)
        ticket, order = self._open_ticket()
        partner = ticket.lead_id.partner_id
        partner.lang = "es_AR"
        self.flush_tracking()
        self.assertFalse(self._mails(partner))
        # a dispatcher plans the visit in field service
        planning = order.fsm_order_id
        planning.scheduled_date_start = datetime(2026, 3, 3, 12, 0)
        self.flush_tracking()
        # the same date again tells nothing new
        planning.write({"scheduled_date_start": datetime(2026, 3, 3, 12, 0)})
        self.flush_tracking()
        planning.scheduled_date_start = datetime(2026, 3, 4, 17, 0)
        self.flush_tracking()
        order.with_user(self.technician).action_done()
        self.flush_tracking()
        mails = self._mails(partner)
        self.assertEqual(
            mails.mapped("subject"),
            [
                "My Company: tu visita está programada",
                "My Company: tu visita tiene una nueva fecha",
                "My Company: bienvenido, tu servicio está instalado",
            ],
        )
        self.assertIn("Nuestros técnicos te visitan", mails[0].body_html)
        # the day and time where the customer is (9:00 in Argentina)
        self.assertIn("martes 3 marzo, 09:00", mails[0].body_html)
        self.assertIn("miércoles 4 marzo, 14:00", mails[1].body_html)
        for mail in mails:
            self.assertIn(
                f"/isp/status/{ticket.id}?access_token={ticket.access_token}",
                mail.body_html,
            )
        # logged in the ticket's chatter, where the seller sees them
        self.assertEqual(
            len(
                ticket.message_ids.filtered(
                    lambda message: partner in message.partner_ids
                )
            ),
            3,
        )

    def test_no_email_address_no_email(self):
        ticket, order = self._open_ticket()
        ticket.lead_id.email = False
        ticket.lead_id.partner_id.email = False
        order.fsm_order_id.scheduled_date_start = datetime(2026, 3, 3, 12, 0)
        self.flush_tracking()
        self.assertFalse(self._mails(ticket.lead_id.partner_id))
