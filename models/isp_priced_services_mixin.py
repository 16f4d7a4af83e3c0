from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import pricing
from .rule_messages import rule_message


class IspPricedServicesMixin(models.AbstractModel):
    """Services chosen together (``line_ids``, lines of
    ``isp.service.line.mixin``) and their estimated monthly price by the pure
    pricing rules (lib/pricing.py): the prospect stores it, the creation
    wizard shows it live as its summary. One definition of the amounts for
    both, so they never disagree."""

    _name = "isp.priced.services.mixin"
    _description = "Sales Desk Priced Services"

    # each model gives its own (the company's currency, its service lines)
    currency_id = fields.Many2one("res.currency")
    amount_plan = fields.Monetary(string="Plan Price", compute="_compute_amounts")
    amount_tv = fields.Monetary(string="TV Packages", compute="_compute_amounts")
    amount_items = fields.Monetary(
        string="Additional Items", compute="_compute_amounts"
    )
    amount_subtotal = fields.Monetary(string="Subtotal", compute="_compute_amounts")
    amount_discount = fields.Monetary(string="Discounts", compute="_compute_amounts")
    amount_total = fields.Monetary(
        string="Estimated Monthly Total", compute="_compute_amounts"
    )
    amount_one_time = fields.Monetary(
        string="One-time Fees",
        compute="_compute_amounts",
        help="Charged once, with the first invoice (e.g. the installation).",
    )

    # the lines are the inheriting model's (a One2many to its own line model)
    @api.depends(
        lambda self: (
            [
                "line_ids.product_id",
                "line_ids.quantity",
                "line_ids.price_unit",
                "line_ids.service_kind",
                "line_ids.discount_type",
                "currency_id",
            ]
            if "line_ids" in self._fields
            else []
        )
    )
    def _compute_amounts(self):
        for record in self:
            # a broken rule is reported by the constraints (or the wizard's
            # message), never while computing
            summary = record._isp_pricing_summary(raise_error=False)
            record.amount_plan = summary.plan
            record.amount_tv = summary.tv
            record.amount_items = summary.items
            record.amount_subtotal = summary.subtotal
            record.amount_discount = summary.discount
            record.amount_total = summary.total
            record.amount_one_time = summary.one_time

    def _isp_pricing_lines(self):
        self.ensure_one()
        return self.line_ids.filtered("product_id")._pricing_lines()

    def _isp_pricing_summary(self, raise_error=True):
        """The summary of the lines; a broken rule raises a clear
        ``ValidationError``, or gives an empty summary."""
        self.ensure_one()
        currency = self.currency_id or self.env.company.currency_id
        try:
            return pricing.compute(
                self._isp_pricing_lines(), round_amount=currency.round
            )
        except pricing.PricingError as error:
            if raise_error:
                raise ValidationError(rule_message(self.env, error)) from error
            return pricing.Summary()

    def _isp_pricing_message(self):
        """The broken pricing rule of the lines, as a sentence (or False)."""
        self.ensure_one()
        currency = self.currency_id or self.env.company.currency_id
        try:
            pricing.compute(self._isp_pricing_lines(), round_amount=currency.round)
        except pricing.PricingError as error:
            return rule_message(self.env, error)
        return False
