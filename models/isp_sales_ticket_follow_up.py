from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from ..lib import coverage

DEFAULT_STALE_DAYS = 7
DEFAULT_BATCH_SIZE = 500  # tickets per committed batch of the follow-up crons
COVERED = (coverage.COVERED, coverage.MARGINAL)


class IspSalesTicket(models.Model):
    """Follow-up of tickets: stale ones, and those the network now reaches."""

    _inherit = "isp.sales.ticket"

    can_recontact = fields.Boolean(
        string="Now Covered",
        compute="_compute_can_recontact",
        search="_search_can_recontact",
        help="Lost for lack of coverage, and the network now reaches the place.",
    )
    # queue of the recontact follow-up: set by the node edit that brought the
    # place into coverage, cleared by the batch that scheduled the activity
    recontact_pending = fields.Boolean(
        string="Recontact Queued", readonly=True, copy=False, groups="base.group_system"
    )
    is_stale = fields.Boolean(
        string="Stale",
        compute="_compute_is_stale",
        search="_search_is_stale",
        help="Pending for longer than the days set in Settings.",
    )
    _recontact_pending_idx = models.Index("(id) WHERE recontact_pending IS TRUE")

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.model
    def _stale_limit(self):
        """Pending tickets whose status has not changed since this are stale."""
        return fields.Datetime.now() - timedelta(days=self._isp_stale_days())

    @api.model
    def _isp_stale_days(self):
        return self.env["ir.config_parameter"]._isp_get_int(
            "isp_sales_desk.stale_days", DEFAULT_STALE_DAYS
        )

    @api.depends("state", "date_state_changed")
    def _compute_is_stale(self):
        limit = self._stale_limit()
        for ticket in self:
            ticket.is_stale = bool(
                ticket.state == "pending"
                and ticket.date_state_changed
                and ticket.date_state_changed < limit
            )

    def _search_is_stale(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        stale = Domain("state", "=", "pending") & Domain(
            "date_state_changed", "<", self._stale_limit()
        )
        return stale if (operator == "=") == value else ~stale

    @api.depends("state", "lost_reason_id", "coverage")
    def _compute_can_recontact(self):
        # the id only (cached): env.ref() would check that the record exists
        no_coverage = self.env["ir.model.data"]._xmlid_to_res_id(
            "isp_sales_desk.loss_reason_no_coverage", raise_if_not_found=False
        )
        for ticket in self:
            ticket.can_recontact = (
                ticket.state == "lost"
                and ticket.lost_reason_id.id == no_coverage
                and ticket.coverage in COVERED
            )

    def _search_can_recontact(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        no_coverage = self.env.ref(
            "isp_sales_desk.loss_reason_no_coverage", raise_if_not_found=False
        )
        if not no_coverage:  # deleted by hand: nothing is lost for it
            return Domain.FALSE if (operator == "=") == value else Domain.TRUE
        domain = (
            Domain("state", "=", "lost")
            & Domain("lost_reason_id", "=", no_coverage.id)
            & Domain("coverage", "in", COVERED)
        )
        return domain if (operator == "=") == value else ~domain

    # ------------------------------------------------------------
    # CRONS AND FOLLOW-UP ACTIVITIES
    # ------------------------------------------------------------
    # Both follow-ups work in batches that each commit with their progress
    # (ir.cron's _commit_progress): at 100,000 tickets a run holds no lock
    # for minutes, and a run cut short (a killed worker, a timeout) leaves
    # its committed batches done and the next run does the rest, once.

    @api.model
    def _isp_cron_batch_size(self):
        return self.env["ir.config_parameter"]._isp_get_int(
            "isp_sales_desk.cron_batch_size", DEFAULT_BATCH_SIZE
        )

    @api.model
    def _cron_flag_stale_tickets(self):
        """Give each stale ticket's employee one follow-up activity, a batch
        per call; the cron runs daily without piling activities up."""
        limit = self._isp_cron_batch_size()
        stale = self._isp_flag_stale(limit)
        remaining = self._isp_stale_to_flag_count() if len(stale) == limit else 0
        self.env["ir.cron"]._commit_progress(len(stale), remaining=remaining)
        return len(stale)

    @api.model
    def _isp_flag_stale(self, limit=None):
        # the activity is the follow-up: no assignment e-mail for each one
        # (a first run may flag thousands of tickets of one seller)
        return self.with_context(mail_activity_quick_update=True)._isp_schedule_once(
            [("is_stale", "=", True)],
            "isp_sales_desk.mail_activity_type_stale_ticket",
            lambda ticket: ticket.env._(
                "This ticket has been pending since %(date)s: "
                "contact the prospect again or mark it lost.",
                date=fields.Date.to_string(ticket.date_state_changed.date()),
            ),
            limit=limit,
        )

    @api.model
    def _isp_stale_to_flag_count(self):
        activity_type = self._isp_activity_type(
            "isp_sales_desk.mail_activity_type_stale_ticket"
        )
        return self.search_count(
            self._isp_to_schedule_domain([("is_stale", "=", True)], activity_type)
        )

    @api.model
    def _isp_flag_recontact(self, prospects):
        """Demand follows the network: when a node starts covering the place of
        a ticket lost for lack of coverage, its employee gets an activity to
        contact the prospect again (once). The tickets of ``prospects`` (those
        a node edit brought into coverage): a batch at once, in the node
        edit's transaction; the rest is queued for the recontact cron."""
        tickets = self.sudo().search(
            Domain("can_recontact", "=", True)
            & Domain("prospect_id", "in", prospects.ids)
            & Domain("recontact_pending", "=", False),
            order="id",
        )
        limit = self._isp_cron_batch_size()
        if len(tickets) > limit:
            tickets[limit:].with_context(tracking_disable=True).write(
                {"recontact_pending": True}
            )
            self.env.ref("isp_sales_desk.ir_cron_isp_sales_recontact")._trigger()
        return self._isp_schedule_recontact(tickets[:limit])

    @api.model
    def _cron_recontact_covered(self):
        """The queued tickets now covered, a batch per call."""
        done, remaining = self._isp_recontact_batch(self._isp_cron_batch_size())
        self.env["ir.cron"]._commit_progress(len(done), remaining=remaining)
        return len(done)

    @api.model
    def _isp_recontact_batch(self, limit):
        """Schedule the recontact activity of up to ``limit`` queued tickets
        and take them off the queue; returns those scheduled and how many
        stay queued."""
        Ticket = self.sudo()
        queued = Ticket.search(
            [("recontact_pending", "=", True)], limit=limit, order="id"
        )
        if not queued:
            return self.browse(), 0
        done = self._isp_schedule_recontact(queued)
        # a technical flag: no tracking to prepare on each ticket
        queued.with_context(tracking_disable=True).write({"recontact_pending": False})
        remaining = (
            Ticket.search_count([("recontact_pending", "=", True)])
            if len(queued) == limit
            else 0
        )
        return done, remaining

    @api.model
    def _isp_schedule_recontact(self, tickets):
        if not tickets:
            return self.browse()
        # a ticket reopened or won meanwhile is left out
        return (
            self.sudo()
            .with_context(mail_activity_quick_update=True)
            ._isp_schedule_once(
                Domain("id", "in", tickets.ids) & Domain("can_recontact", "=", True),
                "isp_sales_desk.mail_activity_type_recontact_covered",
                lambda ticket: ticket.env._(
                    "The network now reaches %(place)s (node %(node)s): "
                    "the prospect can be contacted again.",
                    place=ticket.prospect_name,
                    node=ticket.prospect_id.node_id.name,
                ),
            )
        )

    @api.model
    def _isp_activity_type(self, activity_type_xmlid):
        # a shipped type deleted by hand: the generic to-do does the job
        return self.env.ref(
            activity_type_xmlid, raise_if_not_found=False
        ) or self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)

    @api.model
    def _isp_to_schedule_domain(self, domain, activity_type):
        """``domain``, less the tickets without an employee or with an open
        activity of ``activity_type``."""
        # "id NOT IN (the flagged tickets)", which PostgreSQL hashes once,
        # rather than "activity_ids not any", a per-ticket probe of the
        # activities that went from 30 ms to 8 s at 40,000 stale tickets
        # when the statistics of mail_activity lagged behind its growth
        flagged = (
            self.env["mail.activity"]
            .sudo()
            ._search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "!=", False),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )
        return (
            Domain(domain)
            & Domain("user_id", "!=", False)
            & Domain("id", "not in", flagged.subselect("res_id"))
        )

    @api.model
    def _isp_schedule_once(self, domain, activity_type_xmlid, note, limit=None):
        """Schedule an activity of the given type for the employee of each
        ticket of ``domain``, skipping the tickets that already have one open.

        ``note`` gives the note of a ticket. Returns the tickets scheduled.
        """
        activity_type = self._isp_activity_type(activity_type_xmlid)
        if not activity_type:
            return self.browse()
        tickets = self.search(
            self._isp_to_schedule_domain(domain, activity_type),
            limit=limit,
            order="id",
        )
        # one batch (a node may bring back hundreds of tickets at once), with
        # the values activity_schedule() would give each
        model_id = self.env["ir.model"]._get(self._name).id
        today = fields.Date.context_today(self)
        self.env["mail.activity"].create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "summary": activity_type.summary,
                    "automated": True,
                    "note": note(ticket),
                    "date_deadline": today,
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "user_id": ticket.user_id.id,
                }
                for ticket in tickets
            ]
        )
        return tickets
