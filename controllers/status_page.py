"""The customer's private status page: /isp/status/<ticket id>?access_token=...

The link the desk sends (``isp.sales.ticket.get_portal_url()``, by e-mail or
WhatsApp). No login: the ticket's portal token opens its page, and nothing
else; a wrong, revoked or expired token is a plain 404, whatever the ticket.
The page shows where the request stands and lets the customer choose the
installation slot (a form posted to the page's URL + ``/slot`` with the token
and Odoo's CSRF token). Rate-limited per visitor like the availability page,
and never indexed.
"""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from ..models.isp_sales_status_page import SlotRefused

DEFAULT_VIEW_LIMIT = 60  # page views per IP and minute
DEFAULT_SLOT_LIMIT = 10  # slot choices per IP and hour
PRIVATE_HEADERS = {
    # a private page: not indexed, not cached, its link (the token) never
    # sent to another site (the desk's WhatsApp link, a map)
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


class IspStatusPage(http.Controller):
    @http.route(
        "/isp/status/<int:ticket_id>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def status_page(self, ticket_id, access_token=None, **_params):
        if not self._allowed("status"):
            return self._too_many()
        ticket = self._ticket(ticket_id, access_token)
        return self._render(ticket, chosen=bool(_params.get("chosen")))

    @http.route(
        "/isp/status/<int:ticket_id>/slot",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def choose_slot(self, ticket_id, access_token=None, slot=None, **_params):
        """The slot chosen on the page (Odoo checks the CSRF token first)."""
        if not self._allowed("slot"):
            return self._too_many()
        ticket = self._ticket(ticket_id, access_token)
        env = self._env(ticket)
        try:
            env["isp.sales.status.page"]._choose_slot(ticket, slot)
        except SlotRefused as error:
            status = 409 if error.code == "slot_taken" else 422
            return self._render(ticket, error=str(error), status=status)
        return request.redirect(
            f"{ticket.access_url}?access_token={ticket.access_token}&chosen=1",
            code=303,
        )

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _ticket(self, ticket_id, token):
        ticket = (
            request.env["isp.sales.status.page"].sudo()._find_ticket(ticket_id, token)
        )
        if not ticket:
            raise NotFound()
        return ticket

    def _env(self, ticket):
        """The request's environment in the customer's language."""
        lang = request.env["isp.sales.status.page"].sudo()._lang(ticket)
        if lang and lang != request.env.lang:
            request.update_context(lang=lang)
        return request.env(su=True)

    def _render(self, ticket, error=None, chosen=False, status=200):
        env = self._env(ticket)
        values = env["isp.sales.status.page"]._values(ticket)
        values.update(error=error, chosen=chosen and not error, lang=env.lang)
        response = request.render("isp_sales_desk.status_page", values, status=status)
        response.headers.update(PRIVATE_HEADERS)
        return response

    def _allowed(self, kind):
        key, default, window = {
            "status": ("isp_sales_desk.status_page_limit", DEFAULT_VIEW_LIMIT, 60),
            "slot": ("isp_sales_desk.slot_choice_limit", DEFAULT_SLOT_LIMIT, 3600),
        }[kind]
        limit = request.env["ir.config_parameter"]._isp_get_int(key, default)
        return (
            request.env["isp.coverage.rate.limit"]
            .sudo()
            ._isp_hit(kind, request.httprequest.remote_addr or "?", limit, window)
        )

    def _too_many(self):
        response = request.make_response(
            request.env._("Too many requests: wait a moment and try again."),
            headers=[
                ("Content-Type", "text/plain; charset=utf-8"),
                *PRIVATE_HEADERS.items(),
            ],
            status=429,
        )
        return response
