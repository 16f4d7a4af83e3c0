from odoo import fields, models


class IspSalesLead(models.Model):
    _inherit = "isp.sales.lead"

    referred_by_partner_id = fields.Many2one(
        "res.partner",
        string="Referred By",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="The customer who recommended the service to this lead "
        "(use it with the origin Referido).",
    )
