from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    isp_published = fields.Boolean(
        string="Published on the Availability Page",
        help="Visitors of the public availability page may choose this plan.",
    )
