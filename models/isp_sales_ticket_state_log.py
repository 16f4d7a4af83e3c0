from odoo import api, fields, models

from ..lib import reporting, ticket_status


class IspSalesTicketStateLog(models.Model):
    """One stay of a ticket in one status: when it entered it and when it left.

    Written only by the ticket (``_isp_log_state_change``), so the time spent
    in each status can be reported without replaying the chatter.
    """

    _name = "isp.sales.ticket.state.log"
    _description = "Sales Desk Ticket Status History"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    ticket_id = fields.Many2one(
        "isp.sales.ticket",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    state = fields.Selection(
        list(ticket_status.TICKET_STATE_SELECTION),
        string="Status",
        required=True,
        readonly=True,
    )
    date_start = fields.Datetime(string="Entered On", required=True, readonly=True)
    date_end = fields.Datetime(string="Left On", readonly=True)
    duration_days = fields.Float(
        string="Days in Status",
        readonly=True,
        aggregator="avg",
        help="Filled when the ticket leaves the status.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )

    # "the open stay of this ticket" is looked up on every status change
    _open_idx = models.Index("(ticket_id) WHERE date_end IS NULL")


class IspSalesTicket(models.Model):
    _inherit = "isp.sales.ticket"

    # 0/1 per ticket, summed per group: the win rate of a group is
    # sum(won_count) / (sum(won_count) + sum(lost_count))
    won_count = fields.Integer(
        string="Won", compute="_compute_close_counts", store=True, aggregator="sum"
    )
    lost_count = fields.Integer(
        string="Lost", compute="_compute_close_counts", store=True, aggregator="sum"
    )
    state_log_ids = fields.One2many(
        "isp.sales.ticket.state.log",
        "ticket_id",
        string="Status History",
        groups="isp_sales_desk.group_isp_sales_user",
    )

    # the reports filter tickets by the month they were opened, won or lost
    _create_date_idx = models.Index("(create_date)")
    _date_won_idx = models.Index("(date_won) WHERE date_won IS NOT NULL")
    _date_lost_idx = models.Index("(date_lost) WHERE date_lost IS NOT NULL")

    @api.depends("state")
    def _compute_close_counts(self):
        for ticket in self:
            ticket.won_count = int(ticket.state == "won")
            ticket.lost_count = int(ticket.state == "lost")

    def _isp_log_state_change(self, new_state, now):
        """Called by ``_compute_state`` when the ticket enters ``new_state``:
        close the open stay and open a new one."""
        self.ensure_one()
        if not self.id:  # a form's draft record: nothing entered any status
            return
        Log = self.env["isp.sales.ticket.state.log"].sudo()
        open_log = (
            Log.search([("ticket_id", "=", self.id), ("date_end", "=", False)])
            if self.state
            else Log
        )
        if open_log.state == new_state and len(open_log) == 1:
            return
        for log in open_log:
            log.write(
                {
                    "date_end": now,
                    "duration_days": reporting.days_between(log.date_start, now),
                }
            )
        Log.create(
            {
                "ticket_id": self.id,
                "state": new_state,
                "date_start": now,
                "company_id": (self.company_id or self.env.company).id,
            }
        )
