from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import pricing
from .res_config_settings_reports import DEFAULT_QUOTE_VALIDITY_DAYS

QUOTE_REPORT = "isp_sales_desk.isp_sales_ticket_quote_report"
QUOTE_TEMPLATE = "isp_sales_desk.mail_template_isp_sales_ticket_quote"


class IspSalesTicket(models.Model):
    _inherit = "isp.sales.ticket"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_print_quote(self):
        self._isp_quote_check()
        return self.env.ref(QUOTE_REPORT).report_action(self)

    def action_quote_send(self):
        """Open the mail composer with the quote template and its PDF."""
        self.ensure_one()
        self._isp_quote_check()
        email = self.lead_id.partner_id.email or self.lead_id.email
        if not email:
            raise UserError(
                _(
                    "%(contact)s has no e-mail address: add one to the lead "
                    "before sending the quote.",
                    contact=self.lead_id.name,
                )
            )
        # the quote is addressed to a contact: the lead's, made if needed
        # (sellers may not create contacts themselves)
        partner = self.lead_id.sudo()._isp_get_or_create_partner()
        if not partner.email:
            partner.email = email
        template = self.env.ref(QUOTE_TEMPLATE, raise_if_not_found=False)
        return {
            "name": _("Send Quote"),
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_template_id": template.id if template else False,
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
            },
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _isp_quote_lines(self):
        """The services the quote lists: what an open ticket's prospect asks
        for, what a won or lost ticket sold."""
        self.ensure_one()
        return self._isp_sold_lines()

    def _isp_quote_check(self):
        # the quote shows the ticket: whoever cannot read it gets no quote
        # (a technician only reads the tickets of their own orders)
        self.check_access("read")
        for ticket in self:
            if (
                not ticket.sudo()
                ._isp_quote_lines()
                .filtered(lambda line: line.service_kind == pricing.PLAN)
            ):
                raise UserError(
                    _(
                        "%(ticket)s has no internet plan: choose one on the "
                        "prospect before preparing its quote.",
                        ticket=ticket.name,
                    )
                )

    @api.model
    def _isp_quote_validity_days(self):
        return self.env["ir.config_parameter"]._isp_get_int(
            "isp_sales_desk.quote_validity_days", DEFAULT_QUOTE_VALIDITY_DAYS
        )

    def _isp_quote_lang(self):
        self.ensure_one()
        return self.lead_id.partner_id.lang or self.env.lang

    def _isp_quote_filename(self):
        self.ensure_one()
        return _("Quote %(ticket)s", ticket=self.name).replace("/", "-")

    def _isp_coverage_words(self):
        """The coverage verdict as a sentence for the prospect."""
        self.ensure_one()
        return {
            "covered": _("The address is within the coverage of our network."),
            "marginal": _(
                "The address is at the edge of our network's coverage: "
                "a technical visit will confirm the service."
            ),
            "uncovered": _("Our network does not reach the address yet."),
        }.get(
            self.prospect_id.coverage,
            _("The coverage of the address has not been checked yet."),
        )

    def _isp_quote_values(self):
        """What the quote shows, priced by lib/pricing.py (the same numbers
        as the creation wizard's summary)."""
        self.ensure_one()
        lines = self._isp_quote_lines()
        currency = self.currency_id or self.env.company.currency_id
        summary = pricing.compute(lines._pricing_lines(), round_amount=currency.round)
        kinds = dict(
            self.env["product.template"]
            ._fields["service_kind"]
            ._description_selection(self.env)
        )
        today = fields.Date.context_today(self)
        return {
            "currency": currency,
            "date": today,
            "valid_until": today + timedelta(days=self._isp_quote_validity_days()),
            "coverage": self._isp_coverage_words(),
            "plan": self.plan_product_id
            or lines.filtered(lambda line: line.service_kind == pricing.PLAN)[
                :1
            ].product_id,
            "lines": [
                {
                    "name": line.name or line.product_id.display_name,
                    "kind": kinds.get(line.service_kind, ""),
                    "is_discount": line.service_kind == pricing.DISCOUNT,
                    "percent": line.service_kind == pricing.DISCOUNT
                    and line.discount_type == pricing.PERCENT,
                    "quantity": line.quantity,
                    "price_unit": line.price_unit,
                    "amount": amount,
                }
                for line, amount in zip(lines, summary.line_amounts, strict=True)
            ],
            "summary": summary,
        }


class ReportTicketQuote(models.AbstractModel):
    """The quote's data: the caller must be allowed to read the tickets (a
    technician only sees the tickets of their own orders); the prices are
    then read for them."""

    _name = "report.isp_sales_desk.report_ticket_quote"
    _description = "Sales Desk Quote"

    @api.model
    def _get_report_values(self, docids, data=None):
        tickets = self.env["isp.sales.ticket"].browse(docids)
        tickets._isp_quote_check()
        return {
            "doc_ids": docids,
            "doc_model": "isp.sales.ticket",
            "docs": tickets,
            # in the prospect's language, as the document around them
            "quotes": {
                ticket.id: ticket.sudo()
                .with_context(lang=ticket._isp_quote_lang())
                ._isp_quote_values()
                for ticket in tickets
            },
        }
