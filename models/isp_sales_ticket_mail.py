from odoo import api, models
from odoo.tools.mail import email_normalize, parse_contact_from_email

from ..lib import intake

EMAIL_SOURCE = "E-mail"


class IspSalesTicket(models.Model):
    _inherit = "isp.sales.ticket"

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An e-mail to the desk's alias (``isp_sales_desk.mail_alias_desk``).

        A new sender becomes a lead (name and address of the sender), a
        prospect without a point and a pending ticket with origin *E-mail*,
        made by the same intake as the API and the availability page. A sender
        who already has an open ticket writes on it instead. The mail gateway
        then posts the mail in the chatter of the ticket returned here.
        """
        name, email = parse_contact_from_email(msg_dict.get("email_from") or "")
        email = email_normalize(email) or ""
        Lead = (
            self.env["isp.sales.lead"].sudo().with_context(mail_create_nosubscribe=True)
        )
        if email:
            open_ticket = self._isp_open_ticket_of(
                Lead._isp_find_duplicates(email=email)
            )
            if open_ticket:
                return open_ticket
        name = (name or email or msg_dict.get("subject") or "-").strip()
        try:
            values = intake.clean(
                name=name[: intake.MAX_LENGTHS["name"]],
                email=email[: intake.MAX_LENGTHS["email"]],
                source=EMAIL_SOURCE,
            )
        except intake.IntakeError:
            # an odd sender address: keep the lead, and the address in the mail
            values = intake.clean(name=name[: intake.MAX_LENGTHS["name"]])
            values["source"] = EMAIL_SOURCE
        result = Lead._isp_intake(values)
        return self.browse(result["ticket_id"])

    @api.model
    def _isp_open_ticket_of(self, leads):
        if not leads:
            return self.browse()
        return self.sudo().search(
            [("lead_id", "in", leads.ids), ("state", "in", ("pending", "in_progress"))],
            order="id desc",
            limit=1,
        )
