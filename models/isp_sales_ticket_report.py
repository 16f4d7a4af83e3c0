from odoo import api, fields, models
from odoo.tools import SQL

from ..lib import coverage, ticket_status
from .isp_sales_ticket import state_orderby


class IspSalesTicketReport(models.Model):
    """Conversion analysis: one row per ticket, with the measures that only
    make sense per group (win rate, median days to win) computed by SQL
    aggregates in ``_read_group_select``, never by averaging per-row rates.

    One definition for every report of the desk (this analysis, the
    dashboard, the monthly PDF): a ticket is *won in a period* when it was won
    (its installation completed) in that period, *lost in a period* when it
    was marked lost in it and is still lost, whenever it was opened; that is
    ``date_closed`` in the period. The *win rate* of a period is won / (won +
    lost) of those tickets; the tickets still open are left out.
    """

    _name = "isp.sales.ticket.report"
    _description = "Sales Desk Conversion Analysis"
    _auto = False
    _order = "date_open desc"
    _rec_name = "ticket_id"
    # what the query reads: flushed before each search or read_group
    _depends = {
        "isp.sales.ticket": [
            "create_date",
            "date_won",
            "date_lost",
            "state",
            "lead_id",
            "source_id",
            "user_id",
            "plan_product_id",
            "lost_reason_id",
            "coverage",
            "company_id",
            "currency_id",
            "amount_total",
            "won_count",
            "lost_count",
            "days_to_win",
        ],
        "isp.sales.lead": ["referred_by_partner_id"],
        "isp.sales.ticket.state.log": ["ticket_id", "state", "date_start", "date_end"],
    }

    ticket_id = fields.Many2one("isp.sales.ticket", readonly=True)
    date_open = fields.Datetime(string="Opened On", readonly=True)
    date_won = fields.Datetime(string="Won On", readonly=True)
    date_lost = fields.Datetime(string="Lost On", readonly=True)
    date_closed = fields.Datetime(
        string="Closed On",
        readonly=True,
        help="When the ticket was won or lost: the period whose win rate it counts in.",
    )
    state = fields.Selection(
        list(ticket_status.TICKET_STATE_SELECTION), string="Status", readonly=True
    )
    lead_id = fields.Many2one("isp.sales.lead", readonly=True)
    source_id = fields.Many2one("utm.source", string="Origin", readonly=True)
    referred_by_partner_id = fields.Many2one(
        "res.partner", string="Referred By", readonly=True
    )
    user_id = fields.Many2one("res.users", string="Assigned To", readonly=True)
    plan_product_id = fields.Many2one("product.product", string="Plan", readonly=True)
    lost_reason_id = fields.Many2one(
        "isp.sales.loss.reason", string="Loss Reason", readonly=True
    )
    coverage = fields.Selection(list(coverage.VERDICT_SELECTION), readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_total = fields.Monetary(
        string="Estimated Monthly Total", readonly=True, aggregator="sum"
    )
    is_no_coverage_loss = fields.Boolean(string="Lost for No Coverage", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True, aggregator="sum")
    lost_count = fields.Integer(string="Lost", readonly=True, aggregator="sum")
    closed_count = fields.Integer(string="Closed", readonly=True, aggregator="sum")
    win_rate = fields.Float(
        string="Win Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Won / (won + lost) of the group, open tickets left out; for a "
        "period, the tickets won or lost in it (Closed On).",
    )
    days_to_win = fields.Float(
        string="Average Days to Win", readonly=True, aggregator="avg"
    )
    median_days_to_win = fields.Float(
        string="Median Days to Win", readonly=True, aggregator="avg"
    )
    days_pending = fields.Float(
        readonly=True,
        aggregator="avg",
        help="Time spent pending (so far, for a ticket still pending).",
    )
    days_in_progress = fields.Float(
        string="Days with Order in Progress", readonly=True, aggregator="avg"
    )

    @property
    def _table_query(self):
        # the lead and the grouped history are joined only when their columns
        # are used: PostgreSQL drops a LEFT JOIN on a unique key nothing reads
        return SQL(
            """
            SELECT t.id, t.id AS ticket_id, t.create_date AS date_open,
                   t.date_won, t.date_lost,
                   CASE t.state WHEN 'won' THEN t.date_won
                                WHEN 'lost' THEN t.date_lost
                   END AS date_closed,
                   t.state, t.lead_id, t.source_id,
                   l.referred_by_partner_id, t.user_id, t.plan_product_id,
                   t.lost_reason_id, t.coverage, t.company_id, t.currency_id,
                   t.amount_total, t.won_count, t.lost_count,
                   t.won_count + t.lost_count AS closed_count,
                   CASE t.state WHEN 'won' THEN 100.0 WHEN 'lost' THEN 0.0
                   END AS win_rate,
                   CASE WHEN t.state = 'won' THEN t.days_to_win END AS days_to_win,
                   CASE WHEN t.state = 'won' THEN t.days_to_win
                   END AS median_days_to_win,
                   stays.days_pending, stays.days_in_progress,
                   COALESCE(t.lost_reason_id = nc.res_id, FALSE)
                       AS is_no_coverage_loss
              FROM isp_sales_ticket t
         LEFT JOIN isp_sales_lead l ON l.id = t.lead_id
         LEFT JOIN ir_model_data nc
                ON nc.module = 'isp_sales_desk'
               AND nc.name = 'loss_reason_no_coverage'
               AND nc.model = 'isp.sales.loss.reason'
         LEFT JOIN (
                SELECT ticket_id,
                       SUM(EXTRACT(EPOCH FROM COALESCE(date_end, %(now)s)
                           - date_start) / 86400.0)
                           FILTER (WHERE state = 'pending') AS days_pending,
                       SUM(EXTRACT(EPOCH FROM COALESCE(date_end, %(now)s)
                           - date_start) / 86400.0)
                           FILTER (WHERE state = 'in_progress') AS days_in_progress
                  FROM isp_sales_ticket_state_log
              GROUP BY ticket_id
            ) stays ON stays.ticket_id = t.id
            """,
            # a stay not over yet counts until now
            now=fields.Datetime.now(),
        )

    @api.model
    def _read_group_orderby(self, order, groupby_terms, query):
        return state_orderby(super()._read_group_orderby, order, groupby_terms, query)

    def _read_group_select(self, aggregate_spec, query):
        fname = aggregate_spec.split(":")[0]
        if fname == "win_rate":
            won = self._field_to_sql(self._table, "won_count", query)
            lost = self._field_to_sql(self._table, "lost_count", query)
            return SQL("100.0 * SUM(%s) / NULLIF(SUM(%s) + SUM(%s), 0)", won, won, lost)
        if fname == "median_days_to_win":
            days = self._field_to_sql(self._table, "median_days_to_win", query)
            return SQL("percentile_cont(0.5) WITHIN GROUP (ORDER BY %s)", days)
        return super()._read_group_select(aggregate_spec, query)
