from odoo import fields, models
from odoo.tools import SQL

FUNNEL_STAGES = [
    ("1_lead", "Leads"),
    ("2_ticket", "Tickets"),
    ("3_order", "With Order"),
    ("4_won", "Won"),
]


class IspSalesFunnelReport(models.Model):
    """The funnel leads -> tickets -> with an order -> won: one row per
    entity and stage reached, dated by its creation, so a graph grouped by
    stage (and month) shows how many got how far."""

    _name = "isp.sales.funnel.report"
    _description = "Sales Desk Funnel"
    _auto = False
    _order = "date desc, stage"
    _depends = {
        "isp.sales.lead": ["create_date", "source_id", "user_id", "company_id"],
        "isp.sales.ticket": [
            "create_date",
            "lead_id",
            "source_id",
            "user_id",
            "company_id",
            "order_count",
            "state",
        ],
    }

    stage = fields.Selection(FUNNEL_STAGES, readonly=True)
    date = fields.Datetime(string="Created On", readonly=True)
    lead_id = fields.Many2one("isp.sales.lead", readonly=True)
    ticket_id = fields.Many2one("isp.sales.ticket", readonly=True)
    source_id = fields.Many2one("utm.source", string="Origin", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    @property
    def _table_query(self):
        # ids: 4 * record id + stage number, unique across the four parts
        return SQL(
            """
            SELECT l.id * 4 AS id, '1_lead' AS stage, l.create_date AS date,
                   l.id AS lead_id, NULL::integer AS ticket_id, l.source_id,
                   l.user_id, l.company_id
              FROM isp_sales_lead l
            UNION ALL
            SELECT t.id * 4 + 1, '2_ticket', t.create_date, t.lead_id, t.id,
                   t.source_id, t.user_id, t.company_id
              FROM isp_sales_ticket t
            UNION ALL
            SELECT t.id * 4 + 2, '3_order', t.create_date, t.lead_id, t.id,
                   t.source_id, t.user_id, t.company_id
              FROM isp_sales_ticket t WHERE t.order_count > 0
            UNION ALL
            SELECT t.id * 4 + 3, '4_won', t.create_date, t.lead_id, t.id,
                   t.source_id, t.user_id, t.company_id
              FROM isp_sales_ticket t WHERE t.state = 'won'
            """
        )
