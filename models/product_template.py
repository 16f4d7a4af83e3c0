from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib import pricing


class ProductTemplate(models.Model):
    _inherit = "product.template"

    service_kind = fields.Selection(
        list(pricing.SERVICE_KIND_SELECTION),
        index="btree_not_null",
        help="Makes the product a service the sales desk can offer on a prospect.",
    )
    isp_discount_type = fields.Selection(
        list(pricing.DISCOUNT_TYPE_SELECTION),
        string="Discount Type",
        default="fixed",
        help="For discounts: a percentage of the services' subtotal, "
        "or a fixed monthly amount (the sales price).",
    )
    isp_published = fields.Boolean(
        string="Published on the Availability Page",
        help="Visitors of the public availability page may choose this plan.",
    )
    isp_download_mbps = fields.Integer(string="Download (Mbps)")
    isp_upload_mbps = fields.Integer(string="Upload (Mbps)")

    @api.constrains("service_kind", "isp_discount_type", "list_price")
    def _check_isp_discount(self):
        for product in self:
            if (
                product.service_kind == "discount"
                and product.isp_discount_type == "percent"
                and not 0 <= product.list_price <= 100
            ):
                raise ValidationError(
                    _(
                        "The percentage of discount %(name)s "
                        "must be between 0 and 100.",
                        name=product.display_name,
                    )
                )
