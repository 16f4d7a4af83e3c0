from odoo import api, models


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
