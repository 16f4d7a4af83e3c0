from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    isp_intake_user_ids = fields.Many2many(
        "res.users",
        "isp_intake_user_company_rel",
        "company_id",
        "user_id",
        string="Sellers Receiving Leads",
        domain="[('share', '=', False)]",
        help="Requests from the availability page, the intake API and e-mail "
        "are assigned to these sellers in turn. None: they stay unassigned.",
    )
    isp_coverage_page = fields.Boolean(
        string="Public Availability Page",
        default=True,
        help="Publish the page /isp/coverage where visitors check whether the "
        "service reaches their home and leave their contact.",
    )
