from odoo import api, fields, models

from ..lib import pricing


class IspServiceLineMixin(models.AbstractModel):
    """A requested service, wherever it is chosen (a prospect's lines, the
    ticket creation wizard): the product, its kind, the quantity and the
    monthly price, and its shape for the pure pricing rules (lib/pricing.py)."""

    _name = "isp.service.line.mixin"
    _description = "Sales Desk Service Line"

    product_id = fields.Many2one("product.product", string="Service", required=True)
    service_kind = fields.Selection(related="product_id.service_kind")
    discount_type = fields.Selection(related="product_id.isp_discount_type")
    quantity = fields.Float(default=1.0, digits="Product Unit")
    price_unit = fields.Float(
        string="Unit Price",
        digits="Product Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        help="Monthly price; for a percentage discount, the percentage.",
    )

    @api.depends("product_id")
    def _compute_price_unit(self):
        for line in self:
            line.price_unit = line.product_id.lst_price

    def _pricing_line(self):
        self.ensure_one()
        return pricing.Line(
            kind=self.service_kind,
            quantity=self.quantity,
            price_unit=self.price_unit,
            discount_type=self.discount_type or pricing.FIXED,
            label=self._pricing_label(),
        )

    def _pricing_label(self):
        return self.product_id.display_name or ""

    def _pricing_lines(self):
        return [line._pricing_line() for line in self]

    def _isp_orphan_discounts(self):
        """The discounts among these lines (one prospect's, one wizard's) that
        lost the plan they were granted on (lib/pricing.py)."""
        lines = self.filtered("product_id")
        pricing_lines = lines._pricing_lines()
        if len(pricing.strip_orphan_discounts(pricing_lines)) == len(pricing_lines):
            return self.browse()
        return lines.filtered(lambda line: line.service_kind == pricing.DISCOUNT)

    def _isp_service_values(self):
        """The line's choice, to create the same service elsewhere (wizard
        and prospect lines share this shape)."""
        self.ensure_one()
        return {
            "product_id": self.product_id.id,
            "quantity": self.quantity,
            "price_unit": self.price_unit,
        }
