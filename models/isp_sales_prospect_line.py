from odoo import api, fields, models

from ..lib import pricing
from .rpc_args import check_ids


class IspSalesProspectLine(models.Model):
    """A service requested by a prospect."""

    _name = "isp.sales.prospect.line"
    _inherit = ["isp.service.line.mixin"]
    _description = "Sales Desk Requested Service"
    _order = "prospect_id, sequence, id"
    _check_company_auto = True

    prospect_id = fields.Many2one(
        "isp.sales.prospect", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="prospect_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        domain="[('service_kind', '!=', False)]", check_company=True
    )
    service_kind = fields.Selection(store=True)
    name = fields.Char(
        string="Description", compute="_compute_name", store=True, readonly=False
    )
    currency_id = fields.Many2one(related="prospect_id.currency_id")
    price_subtotal = fields.Monetary(
        string="Amount", compute="_compute_price_subtotal", store=True
    )

    @api.depends("product_id")
    def _compute_name(self):
        # the description a customer may read (the quote): the service's
        # name, without its internal reference
        for line in self:
            line.name = (
                line.product_id.with_context(display_default_code=False).display_name
                or line.name
            )

    @api.depends(
        "prospect_id.line_ids.price_unit",
        "prospect_id.line_ids.quantity",
        "prospect_id.line_ids.product_id",
    )
    def _compute_price_subtotal(self):
        for prospect in self.prospect_id:
            lines = prospect.line_ids
            try:
                amounts = pricing.compute(
                    lines._pricing_lines(), round_amount=prospect.currency_id.round
                ).line_amounts
            except pricing.PricingError:
                amounts = [0.0] * len(
                    lines
                )  # the prospect's constraint reports the broken rule
            for line, amount in zip(lines, amounts, strict=True):
                line.price_subtotal = amount
        for line in self - self.prospect_id.line_ids:
            line.price_subtotal = 0.0

    def unlink(self):
        check_ids(self)
        prospects = self.prospect_id
        result = super().unlink()
        # a discount goes away with the plan it was granted on
        for prospect in prospects.exists():
            prospect.line_ids._isp_orphan_discounts().unlink()
        return result

    @api.constrains("quantity", "price_unit", "product_id", "prospect_id")
    def _check_pricing(self):
        for prospect in self.prospect_id:
            prospect._isp_pricing_summary()

    def _pricing_label(self):
        return self.name or super()._pricing_label()

    def _isp_snapshot_values(self):
        """The line as a ticket keeps it once sold (isp.sales.ticket.line)."""
        self.ensure_one()
        return {
            "sequence": self.sequence,
            "product_id": self.product_id.id,
            "name": self.name,
            "service_kind": self.service_kind,
            "discount_type": self.discount_type,
            "quantity": self.quantity,
            "price_unit": self.price_unit,
            "price_subtotal": self.price_subtotal,
        }
