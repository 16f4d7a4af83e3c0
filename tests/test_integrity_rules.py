"""Rules that hold whatever the data: status dates from a frozen clock,
selection codes defined once, shipped records kept."""

from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import IspSalesDeskCase


@tagged("post_install", "-at_install")
class TestStatusDates(IspSalesDeskCase):
    """The status dates, with known dates (the clock is frozen, never written)."""

    def test_dates_of_a_ticket_from_pending_to_won(self):
        ticket = self._create_ticket()
        self.env.flush_all()
        created = ticket.create_date
        self.assertEqual(ticket.state, "pending")
        self.assertFalse(ticket.date_won)
        started = (created + timedelta(days=3, hours=6)).replace(microsecond=0)
        with freeze_time(started):
            order = ticket.action_create_order("installation")
            self.env.flush_all()
        self.assertEqual(ticket.state, "in_progress")
        self.assertEqual(ticket.date_state_changed, started)
        won = (created + timedelta(days=10, hours=12)).replace(microsecond=0)
        with freeze_time(won):
            order.action_done()
            self.env.flush_all()
        self.assertEqual(ticket.state, "won")
        self.assertEqual(ticket.date_won, won)
        self.assertEqual(ticket.date_state_changed, won)
        self.assertEqual(order.date_done, won)
        self.assertAlmostEqual(ticket.days_to_win, 10.5, places=4)

    def test_dates_of_lost_and_reopened(self):
        with freeze_time("2030-05-01 10:00:00"):
            ticket = self._create_ticket()
        with freeze_time("2030-05-03 10:00:00"):
            ticket.action_set_lost(self.reason_price.id)
            self.env.flush_all()
        self.assertEqual(ticket.date_lost, datetime(2030, 5, 3, 10))
        self.assertEqual(ticket.date_state_changed, datetime(2030, 5, 3, 10))
        self.assertFalse(ticket.date_won)
        self.assertEqual(ticket.days_to_win, 0.0)
        with freeze_time("2030-05-07 12:00:00"):
            ticket.action_reopen()
            self.env.flush_all()
        self.assertEqual(ticket.state, "pending")
        self.assertFalse(ticket.date_lost)
        self.assertEqual(ticket.date_state_changed, datetime(2030, 5, 7, 12))


@tagged("post_install", "-at_install")
class TestShippedRecords(IspSalesDeskCase):
    def test_loss_reason_in_use_is_archived_not_deleted(self):
        reason = self.env["isp.sales.loss.reason"].create({"name": "Mudanza"})
        ticket = self._create_ticket()
        ticket.action_set_lost(reason.id)
        with self.assertRefused(UserError, "archive it instead"):
            reason.with_user(self.manager).unlink()
        self.assertEqual(ticket.lost_reason_id, reason)
        reason.with_user(self.manager).action_archive()
        self.assertEqual(ticket.lost_reason_id, reason, "the history stays whole")
        unused = self.env["isp.sales.loss.reason"].create({"name": "Sin usar"})
        unused.with_user(self.manager).unlink()
        self.assertFalse(unused.exists())

    def test_shipped_reason_cannot_be_deleted(self):
        with self.assertRefused(UserError, "comes with the sales desk"):
            self.reason_no_coverage.with_user(self.manager).unlink()
        self.assertTrue(self.reason_no_coverage.exists())

    def test_the_desk_degrades_when_a_shipped_record_is_missing(self):
        lost = self._create_ticket()
        lost.action_set_lost(self.reason_no_coverage.id)
        # deleted behind the desk's back (SQL, an uninstalled data file...)
        self.env["ir.model.data"].search(
            [
                ("module", "=", "isp_sales_desk"),
                ("name", "=", "loss_reason_no_coverage"),
            ]
        ).unlink()
        self.env.registry.clear_cache()
        node = self.env["isp.network.node"].create(
            {"name": "Nuevo", "latitude": -32.9468, "longitude": -60.6393}
        )
        node.action_archive()
        self.assertFalse(
            self.env["isp.sales.ticket"].search([("can_recontact", "=", True)])
        )
        self.assertFalse(lost.can_recontact)
        with self.assertRefused(UserError, "was deleted"):
            self._create_ticket().action_set_lost_no_coverage()


@tagged("post_install", "-at_install")
class TestStaleDefault(IspSalesDeskCase):
    def test_stale_after_seven_days_when_settings_never_saved(self):
        """Regression: an unset setting read as 0 days made every pending
        ticket stale after one day."""
        self.env["ir.config_parameter"].set_param("isp_sales_desk.stale_days", False)
        ticket = self._create_ticket()
        self.env.flush_all()
        for days, stale in ((3, False), (8, True)):
            with freeze_time(ticket.date_state_changed + timedelta(days=days)):
                ticket.invalidate_recordset(["is_stale"])
                self.assertEqual(ticket.is_stale, stale, days)
