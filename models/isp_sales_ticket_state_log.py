from odoo import api, fields, models

from ..lib import ticket_status
from .isp_sales_ticket import state_orderby


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

    # one open stay per ticket, held by the database; "the open stay of this
    # ticket" is also looked up on every status change
    _one_open_stay = models.UniqueIndex(
        "(ticket_id) WHERE date_end IS NULL",
        "A ticket is in one status at a time.",
    )

    @api.model
    def _read_group_orderby(self, order, groupby_terms, query):
        return state_orderby(super()._read_group_orderby, order, groupby_terms, query)
