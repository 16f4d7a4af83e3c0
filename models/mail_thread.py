from odoo import _, models
from odoo.exceptions import AccessError

DESK_MODEL = "isp.sales.ticket"
# headers of the mails that no person wrote (RFC 3834, and the older ones)
AUTOMATIC_PRECEDENCE = ("bulk", "junk", "list", "auto_reply")


class MailThread(models.AbstractModel):
    """The desk's alias behind Odoo's mail gateway.

    ``message_process`` is reachable over RPC by any user, and it creates the
    new thread of an alias as superuser. For the desk's alias that means a
    lead, a prospect and a ticket, and, for a known sender, their open
    ticket: so only the gateway itself (the incoming mail server's cron, or
    ``odoo-mailgate.py`` run with an administrator's key) may hand it mails.
    Mails that no person wrote (auto-replies, mailing lists, no sender) make
    no lead.
    """

    _inherit = "mail.thread"

    def _message_route_process(self, message, message_dict, routes):
        if not any(route[0] == DESK_MODEL for route in routes or ()):
            return super()._message_route_process(message, message_dict, routes)
        if not self.env.is_system():
            raise AccessError(
                _("Only the mail gateway may hand e-mails to the sales desk.")
            )
        if self._isp_is_automatic(message, message_dict):
            # a reply on a ticket is kept; no new lead from a machine
            routes = [route for route in routes if route[0] != DESK_MODEL or route[1]]
            if not routes:
                return False
        return super()._message_route_process(message, message_dict, routes)

    def _isp_is_automatic(self, message, message_dict):
        """Whether no person wrote this mail: an auto-reply (vacation,
        delivery report), a mailing list, or no sender at all."""
        if not (message_dict.get("email_from") or "").strip():
            return True
        if message_dict.get("is_bounce"):
            return True
        auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
        if auto_submitted and auto_submitted != "no":
            return True
        precedence = (message.get("Precedence") or "").strip().lower()
        if precedence in AUTOMATIC_PRECEDENCE:
            return True
        return any(message.get(header) for header in ("X-Autoreply", "X-Autorespond"))
