"""The follow-up crons at scale: batches that each commit with their progress,
and a run cut short that the next run finishes, once.

The crons run the way Odoo runs them (``ir.cron._process_job``), with the
registry in test mode so that their commits are savepoints of the test."""

from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import IspSalesDeskCase

BATCH = 2


class Interrupted(Exception):
    """A run cut short after a batch's work and before its commit."""


@tagged("post_install", "-at_install")
class TestFollowUpCronBatches(IspSalesDeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param(
            "isp_sales_desk.cron_batch_size", BATCH
        )
        cls.stale_type = cls.env.ref("isp_sales_desk.mail_activity_type_stale_ticket")
        cls.recontact_type = cls.env.ref(
            "isp_sales_desk.mail_activity_type_recontact_covered"
        )

    def _run_cron(self, xmlid):
        """One run of the cron, as a cron worker does it."""
        cron = self.env.ref(xmlid)
        self.env.flush_all()
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            self.registry["ir.cron"]._process_job(
                cr,
                {
                    **cron.read(load=None)[0],
                    "done": 0,
                    "remaining": 0,
                    "timed_out_counter": 0,
                },
            )
        self.env.invalidate_all()
        return self.env["ir.cron.progress"].search(
            [("cron_id", "=", cron.id)], order="id"
        )

    def _run_interrupted(self, xmlid, method):
        """Run the cron with ``method`` of the tickets doing its work and then
        failing on its second call, before that batch commits."""
        Ticket = self.registry["isp.sales.ticket"]
        original = getattr(Ticket, method)
        calls = []

        def interrupted(self, *args, **kwargs):
            result = original(self, *args, **kwargs)
            calls.append(result)
            if len(calls) == 2:
                raise Interrupted("worker killed")
            return result

        with (
            patch.object(Ticket, method, interrupted),
            mute_logger("odoo.addons.base.models.ir_cron"),
        ):
            self._run_cron(xmlid)
        self.assertEqual(len(calls), 2, "the run was cut short in its second batch")

    def _activities(self, tickets, activity_type):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "isp.sales.ticket"),
                ("res_id", "in", tickets.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def _stale_tickets(self, count):
        tickets = self.env["isp.sales.ticket"]
        for index in range(count):
            tickets |= self._create_ticket(
                lead_name=f"Olvidado {index}", user_id=self.seller.id
            )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE isp_sales_ticket SET date_state_changed = now() at time zone 'UTC'"
            " - interval '30 days' WHERE id IN %s",
            [tuple(tickets.ids)],
        )
        tickets.invalidate_recordset(["date_state_changed", "is_stale"])
        self.assertTrue(all(tickets.mapped("is_stale")))
        return tickets

    def _lost_for_no_coverage(self, count):
        tickets = self.env["isp.sales.ticket"]
        for index in range(count):
            ticket = self._create_ticket(
                lead_name=f"Sin cobertura {index}", user_id=self.seller.id
            )
            ticket.action_set_lost(self.reason_no_coverage.id)
            tickets |= ticket
        return tickets

    def _cover(self, radius=800):
        return self.env["isp.network.node"].create(
            {
                "name": "Torre Centro",
                "latitude": -32.9470,
                "longitude": -60.6390,
                "coverage_radius": radius,
            }
        )

    def test_stale_follow_up_commits_batch_by_batch(self):
        tickets = self._stale_tickets(5)
        progress = self._run_cron("isp_sales_desk.ir_cron_isp_sales_stale_tickets")
        self.assertEqual(len(self._activities(tickets, self.stale_type)), 5)
        for ticket in tickets:
            self.assertEqual(len(self._activities(ticket, self.stale_type)), 1)
        # three batches of at most two, each committed with what was left
        self.assertEqual(progress.mapped("done"), [2, 2, 1])
        self.assertEqual(progress.mapped("remaining"), [3, 1, 0])
        # the next day's run finds nothing new to do
        self._run_cron("isp_sales_desk.ir_cron_isp_sales_stale_tickets")
        self.assertEqual(len(self._activities(tickets, self.stale_type)), 5)

    def test_stale_follow_up_interrupted_is_finished_once(self):
        tickets = self._stale_tickets(5)
        self._run_interrupted(
            "isp_sales_desk.ir_cron_isp_sales_stale_tickets", "_isp_flag_stale"
        )
        # the first batch is committed, the interrupted one left nothing behind
        self.assertEqual(len(self._activities(tickets, self.stale_type)), BATCH)
        self._run_cron("isp_sales_desk.ir_cron_isp_sales_stale_tickets")
        for ticket in tickets:
            self.assertEqual(len(self._activities(ticket, self.stale_type)), 1)

    def test_recontact_first_batch_at_once_the_rest_by_the_cron(self):
        tickets = self._lost_for_no_coverage(5)
        cron = self.env.ref("isp_sales_desk.ir_cron_isp_sales_recontact")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self._cover()
        # the node edit scheduled the first batch and queued the rest
        self.assertEqual(len(self._activities(tickets, self.recontact_type)), BATCH)
        self.assertEqual(
            len(tickets.sudo().filtered("recontact_pending")), len(tickets) - BATCH
        )
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            len(triggers),
            "the node edit wakes the cron up",
        )
        self._run_cron("isp_sales_desk.ir_cron_isp_sales_recontact")
        for ticket in tickets:
            self.assertEqual(len(self._activities(ticket, self.recontact_type)), 1)
        self.assertFalse(tickets.sudo().filtered("recontact_pending"))

    def test_recontact_interrupted_is_finished_once(self):
        tickets = self._lost_for_no_coverage(7)
        node = self._cover()
        self.assertEqual(len(self._activities(tickets, self.recontact_type)), BATCH)
        # one of the queued tickets is reopened meanwhile: it only leaves the queue
        reopened = tickets.sudo().filtered("recontact_pending")[-1:]
        reopened.action_reopen()
        self._run_interrupted(
            "isp_sales_desk.ir_cron_isp_sales_recontact", "_isp_recontact_batch"
        )
        self.assertEqual(len(self._activities(tickets, self.recontact_type)), 2 * BATCH)
        self.assertEqual(len(tickets.sudo().filtered("recontact_pending")), 3)
        self._run_cron("isp_sales_desk.ir_cron_isp_sales_recontact")
        for ticket in tickets - reopened:
            self.assertEqual(len(self._activities(ticket, self.recontact_type)), 1)
        self.assertFalse(self._activities(reopened, self.recontact_type))
        self.assertFalse(tickets.sudo().filtered("recontact_pending"))
        # a later edit of the node brings nobody back twice
        node.coverage_radius = 900
        self.assertEqual(len(self._activities(tickets, self.recontact_type)), 6)
