import pytz

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import billing, pricing
from .rpc_args import check_call
from .status_rules import as_action

FIRST_PERIOD_PARAM = "isp_sales_desk.contract_first_period"
# calendar months, invoiced at the start of each period (lib/billing.py)
RECURRENCE = {
    "recurring_rule_type": "monthlylastday",
    "recurring_interval": 1,
    "recurring_invoicing_type": "pre-paid",
}


class ContractContract(models.Model):
    """The recurring contract of a won ticket (OCA ``contract``).

    A completed installation wins its ticket and, in the same transaction,
    gives the customer one contract that bills every month exactly what the
    ticket sold (``_isp_create_for_ticket``; the lines' mapping is
    lib/billing.py). ``isp_ticket_id`` is the one link between the two: the
    ticket and the customer show the contract through it. A contract is only
    ever linked to a won ticket, of the same customer, and a ticket has one
    contract at most (a unique index: two completions at once cannot make two).
    """

    _inherit = "contract.contract"

    isp_ticket_id = fields.Many2one(
        "isp.sales.ticket",
        string="Sales Desk Ticket",
        index="btree_not_null",
        copy=False,
        readonly=True,
        ondelete="restrict",
        check_company=True,
        help="The won ticket whose sale this contract bills.",
    )

    _isp_ticket_uniq = models.UniqueIndex(
        "(isp_ticket_id) WHERE isp_ticket_id IS NOT NULL",
        "This sales desk ticket already has its contract.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("isp_ticket_id", "partner_id")
    def _check_isp_ticket(self):
        for contract in self.sudo().filtered("isp_ticket_id"):
            ticket = contract.isp_ticket_id
            if ticket.state != "won":
                raise ValidationError(
                    _(
                        "%(ticket)s is not won: only a won ticket has a contract.",
                        ticket=ticket.name,
                    )
                )
            customer = ticket.lead_id.partner_id.commercial_partner_id
            if contract.partner_id.commercial_partner_id != customer:
                raise ValidationError(
                    _(
                        "The contract of %(ticket)s must be made out to its "
                        "customer, %(customer)s.",
                        ticket=ticket.name,
                        customer=customer.display_name or ticket.lead_id.name,
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS (public: reachable over JSON-2)
    # ------------------------------------------------------------

    def action_view_isp_ticket(self):
        check_call(self, "read", single=True)
        self.isp_ticket_id.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "isp.sales.ticket",
            "res_id": self.isp_ticket_id.id,
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _isp_create_for_ticket(self, ticket, order):
        """The contract of ``ticket``, won by the completed installation
        ``order``: called by the win (``isp.sales.ticket._on_order_done``),
        as the system, in its transaction. A failure fails the win."""
        ticket.ensure_one()
        if ticket.contract_ids:
            raise UserError(
                _(
                    "%(ticket)s cannot be won: contract %(contract)s is already "
                    "linked to it. Nothing was saved.",
                    ticket=ticket.name,
                    contract=ticket.contract_ids[:1].display_name,
                )
            )
        try:
            with self.env.cr.savepoint():
                contract = (
                    as_action(self)
                    .with_context(
                        mail_create_nolog=True,
                        mail_create_nosubscribe=True,
                        tracking_disable=True,
                    )
                    .create(self._isp_prepare_for_ticket(ticket, order))
                )
        except (UserError, ValidationError) as error:
            raise UserError(
                _(
                    "%(ticket)s cannot be won: its contract could not be created "
                    "(%(reason)s). Nothing was saved.",
                    ticket=ticket.name,
                    reason=error.args[0] if error.args else error,
                )
            ) from error
        ticket.invalidate_recordset(["contract_ids"])
        return contract

    @api.model
    def _isp_prepare_for_ticket(self, ticket, order):
        """The values of the contract: the ticket's customer, in the company's
        currency, monthly from the installation day, with one line per
        service sold (lib/billing.py)."""
        partner = ticket.lead_id.partner_id
        company = ticket.company_id
        install_date = self._isp_local_date(order.date_done, company)
        first_period = self._isp_first_period()
        first, last = billing.first_period(install_date, first_period)
        sold = ticket.sale_line_ids
        # the amounts of the frozen lines: those that make the ticket's total
        contract_lines = billing.contract_lines(
            sold._pricing_lines(), [line.price_subtotal for line in sold]
        )
        sold.product_id.mapped("uom_id")  # one read for every line
        lines = []
        for sequence, contract_line in enumerate(contract_lines, start=1):
            sold_line = sold[contract_line.index]
            lines.append(
                Command.create(
                    dict(
                        RECURRENCE,
                        sequence=sequence,
                        product_id=sold_line.product_id.id,
                        name=self._isp_line_name(sold_line),
                        uom_id=sold_line.product_id.uom_id.id,
                        quantity=contract_line.quantity,
                        automatic_price=False,
                        specific_price=contract_line.price_unit,
                        date_start=first,
                        # a one-time fee: its one period is the first one
                        date_end=last if contract_line.once else False,
                        isp_service_kind=contract_line.kind,
                        isp_ticket_line_id=sold_line.id,
                    )
                )
            )
        Fiscal = self.env["account.fiscal.position"].with_company(company)
        partner_in_company = partner.with_company(company)
        return dict(
            RECURRENCE,
            name=_(
                "%(place)s (%(ticket)s)",
                place=ticket.prospect_name or ticket.lead_id.name,
                ticket=ticket.name,
            ),
            code=ticket.name,
            partner_id=partner.id,
            invoice_partner_id=partner.address_get(["invoice"])["invoice"],
            company_id=company.id,
            user_id=ticket.user_id.id,
            contract_type="sale",
            date=install_date,
            date_start=install_date,
            line_recurrence=True,
            fiscal_position_id=Fiscal._get_fiscal_position(partner).id,
            payment_term_id=partner_in_company.property_payment_term_id.id,
            isp_ticket_id=ticket.id,
            contract_line_ids=lines,
        )

    @api.model
    def _isp_line_name(self, sold_line):
        name = sold_line.name or sold_line.product_id.display_name
        if (
            sold_line.service_kind == pricing.DISCOUNT
            and sold_line.discount_type == pricing.PERCENT
        ):
            return f"{name} ({sold_line.price_unit:g} %)"
        return name

    @api.model
    def _isp_first_period(self):
        value = self.env["ir.config_parameter"].sudo().get_param(FIRST_PERIOD_PARAM)
        return value if value in billing.FIRST_PERIODS else billing.DEFAULT_FIRST_PERIOD

    @api.model
    def _isp_local_date(self, moment, company):
        """The day of ``moment`` (UTC) where the company is."""
        moment = moment or fields.Datetime.now()
        tz = company.partner_id.tz or self.env.user.tz or "UTC"
        return (
            pytz.utc.localize(moment).astimezone(pytz.timezone(tz)).date()
            if tz in pytz.all_timezones_set
            else moment.date()
        )
