from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib import pricing
from .rpc_args import check_call
from .status_rules import in_action


class IspSalesTicketLine(models.Model):
    """A service as it was sold: the snapshot a ticket takes of its prospect's
    lines when it is won or lost.

    Every value is plain and stored (not related to the product), so that a
    later change of the product, its price or its discount type leaves it as
    it was. Only the status actions write these lines.
    """

    _name = "isp.sales.ticket.line"
    _description = "Sales Desk Service Sold"
    _order = "ticket_id, sequence, id"

    ticket_id = fields.Many2one(
        "isp.sales.ticket", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", string="Service", required=True)
    name = fields.Char(string="Description")
    service_kind = fields.Selection(list(pricing.SERVICE_KIND_SELECTION), required=True)
    discount_type = fields.Selection(list(pricing.DISCOUNT_TYPE_SELECTION))
    quantity = fields.Float(digits="Product Unit")
    price_unit = fields.Float(string="Unit Price", digits="Product Price")
    currency_id = fields.Many2one(related="ticket_id.currency_id")
    price_subtotal = fields.Monetary(string="Amount")

    def _pricing_lines(self):
        """The snapshot as lib/pricing's lines (a quote of a closed ticket)."""
        return [
            pricing.Line(
                kind=line.service_kind,
                quantity=line.quantity,
                price_unit=line.price_unit,
                discount_type=line.discount_type or pricing.FIXED,
                label=line.name or line.product_id.display_name or "",
            )
            for line in self
        ]

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")
        self._check_history()
        return super().create(vals_list)

    def write(self, vals):
        check_call(self, "write")
        self._check_history()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        self._check_history()

    def _check_history(self):
        if not in_action(self):
            raise UserError(
                self.env._(
                    "The services sold by a won or lost ticket are the record "
                    "of that sale: they cannot be added, changed or removed."
                )
            )
