from odoo import api, fields, models

from ..lib import pricing


class IspSalesTicketCreateLine(models.TransientModel):
    """A service chosen in the wizard: the plan, a TV package, an item or a
    discount; the same line as a prospect's (isp.service.line.mixin)."""

    _name = "isp.sales.ticket.create.line"
    _inherit = ["isp.service.line.mixin"]
    _description = "Create a Sales Desk Ticket: Service"

    wizard_id = fields.Many2one(
        "isp.sales.ticket.create", required=True, ondelete="cascade"
    )
    product_id = fields.Many2one(domain="[('id', 'in', parent.allowed_product_ids)]")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    price_subtotal = fields.Monetary(string="Amount", compute="_compute_price_subtotal")

    @api.depends(
        "wizard_id.line_ids.product_id",
        "wizard_id.line_ids.quantity",
        "wizard_id.line_ids.price_unit",
    )
    def _compute_price_subtotal(self):
        self.price_subtotal = 0.0
        for wizard in self.wizard_id:
            lines = wizard.line_ids.filtered("product_id")
            try:
                amounts = pricing.compute(
                    lines._pricing_lines(), round_amount=wizard.currency_id.round
                ).line_amounts
            except pricing.PricingError:
                continue  # the summary shows the broken rule
            for line, amount in zip(lines, amounts, strict=True):
                if line in self:
                    line.price_subtotal = amount
