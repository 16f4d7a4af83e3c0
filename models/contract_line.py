from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import billing, pricing
from .rpc_args import check_ids, check_vals, check_vals_list
from .status_rules import in_action, refused_fields

# what a line of a won ticket's contract says was sold: changed only by the
# desk's managers (a retention deal, a price correction agreed with them)
SOLD_FIELDS = (
    "product_id",
    "quantity",
    "specific_price",
    "automatic_price",
    "discount",
    "uom_id",
)
# where a line comes from: set by the win, never changed
ORIGIN_FIELDS = ("isp_service_kind", "isp_ticket_line_id")


class ContractLine(models.Model):
    """A line of a won ticket's contract: one service sold (lib/billing.py).

    Its origin (the kind of service, the ticket's line) is set by the win. What
    it bills (product, quantity, price) is what the ticket sold: only the
    desk's managers may make it differ (its dates are billing's: ending a
    contract is not changing the sale). Its monthly price is billed in full
    for a whole month, and by days for a part of one (the installation month,
    when the setting prorates it; the last month of an ended contract).
    """

    _inherit = "contract.line"

    isp_service_kind = fields.Selection(
        list(pricing.SERVICE_KIND_SELECTION),
        string="Sales Desk Service",
        readonly=True,
        copy=False,
    )
    isp_ticket_line_id = fields.Many2one(
        "isp.sales.ticket.line",
        string="Service Sold",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("contract_id.partner_id", "product_id")
    def _compute_analytic_distribution(self):
        # the analytic distribution models are searched once per line: a
        # database that has none (most) is told once, so that a contract's
        # lines cost the same at one line as at ten
        if (
            self.env["account.analytic.distribution.model"]
            .sudo()
            .search_count([], limit=1)
        ):
            return super()._compute_analytic_distribution()
        for line in self:
            line.analytic_distribution = line.analytic_distribution

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        check_vals_list(self.env, vals_list)
        if not in_action(self):
            for vals in vals_list:
                if any(vals.get(name) for name in ORIGIN_FIELDS):
                    self._isp_refuse_origin()
            contracts = self.env["contract.contract"].browse(
                [vals["contract_id"] for vals in vals_list if vals.get("contract_id")]
            )
            if contracts.sudo().filtered("isp_ticket_id"):
                self._isp_check_manager()
        return super().create(vals_list)

    def write(self, vals):
        check_ids(self)
        check_vals(self.env, vals)
        if not in_action(self):
            desk_lines = self._isp_desk_lines()
            if refused_fields(desk_lines, vals, ORIGIN_FIELDS):
                self._isp_refuse_origin()
            if desk_lines and (
                "contract_id" in vals or refused_fields(desk_lines, vals, SOLD_FIELDS)
            ):
                self._isp_check_manager()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sold(self):
        if not in_action(self) and self._isp_desk_lines():
            self._isp_check_manager()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _prepare_invoice_line(self):
        """A monthly service of the desk is billed by days for a part of a
        month; a one-time fee is billed in full."""
        values = super()._prepare_invoice_line()
        if (
            not values
            or not self.isp_service_kind
            or self.isp_service_kind == pricing.ONE_TIME
        ):
            return values
        first, last, _date = self._get_period_to_invoice(
            self.last_date_invoiced, self.recurring_next_date
        )
        if not (first and last) or (first.year, first.month) != (
            last.year,
            last.month,
        ):
            return values
        price = billing.period_price(
            self.price_unit, first, last, self.contract_id.currency_id.round
        )
        if price != self.price_unit:
            days, days_in_month = billing.period_share(first, last)
            values["price_unit"] = price
            values["name"] = _(
                "%(name)s (%(days)s of %(month_days)s days)",
                name=values["name"],
                days=days,
                month_days=days_in_month,
            )
        return values

    def _isp_desk_lines(self):
        """The lines of won tickets' contracts."""
        return self.filtered(lambda line: line.sudo().contract_id.isp_ticket_id)

    def _isp_check_manager(self):
        if not self.env.su and not self.env.user.has_group(
            "isp_sales_desk.group_isp_sales_manager"
        ):
            raise UserError(
                _(
                    "The lines of a won ticket's contract bill what the ticket "
                    "sold: only a sales desk manager may change them."
                )
            )

    def _isp_refuse_origin(self):
        raise UserError(
            _(
                "Only the win of a sales desk ticket says which of its services "
                "a contract line bills."
            )
        )
