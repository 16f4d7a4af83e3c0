from markupsafe import Markup

from odoo import _, fields, models
from odoo.exceptions import LockError, UserError
from odoo.tools.mail import is_html_empty

from ..lib import ticket_status
from .status_rules import as_action, check_ticket_rule, status_error_message


class IspSalesTicket(models.Model):
    """The status actions of a ticket: the only way its status facts change.

    Whatever a move checks and does happens here, for the buttons and for any
    other caller (JSON-2, imports, other modules) alike: ``create``/``write``
    refuse the status facts (models/status_rules.py).
    """

    _inherit = "isp.sales.ticket"

    # ------------------------------------------------------------
    # ACTIONS (public, callable over JSON-2 with the same checks)
    # ------------------------------------------------------------

    def action_create_order(self, order_type):
        """Create an installation or feasibility order; returns the new order.

        The ticket row is locked so that two users pressing the button at the
        same time cannot both pass the "no open order of that type" check.
        """
        self.ensure_one()
        self._lock_for_update()
        try:
            ticket_status.check_can_create_order(
                self.state,
                order_type,
                [(o.order_type, o.state) for o in self.order_ids],
            )
        except ticket_status.StatusError as error:
            raise UserError(status_error_message(self.env, error)) from error
        values = {"ticket_id": self.id, "order_type": order_type}
        if order_type == ticket_status.INSTALLATION:
            # the crew that saw the site is the natural one to install it
            technician = self._last_feasibility().technician_id
            if technician:
                values["technician_id"] = technician.id
        return self.env["isp.sales.order"].create(values)

    def action_create_installation_order(self):
        return self.action_create_order("installation")._get_form_action()

    def action_create_feasibility_order(self):
        return self.action_create_order("feasibility")._get_form_action()

    def action_open_lost_wizard(self):
        return {
            "name": _("Mark as Lost"),
            "type": "ir.actions.act_window",
            "res_model": "isp.sales.ticket.lost",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_ticket_ids": self.ids},
        }

    def action_set_lost(self, lost_reason_id=False, lost_feedback=False):
        """Mark the tickets lost: a reason is required, open orders are
        cancelled, and what the tickets sold is frozen."""
        reason = (
            self.env["isp.sales.loss.reason"].browse(lost_reason_id).exists()
            if isinstance(lost_reason_id, int) and lost_reason_id
            else False
        )
        if not reason:
            raise UserError(_("Choose a loss reason to mark a ticket as lost."))
        tickets = as_action(self)
        tickets._lock_for_update()
        check_ticket_rule(tickets, ticket_status.check_can_set_lost)
        tickets.order_ids.filtered(
            lambda o: o.state in ticket_status.OPEN_ORDER_STATES
        )._cancel()
        tickets.write({"lost_reason_id": reason.id, "date_lost": fields.Datetime.now()})
        tickets._isp_freeze_sale()
        if lost_feedback and not is_html_empty(lost_feedback):
            for ticket in tickets:
                ticket.message_post(
                    body=Markup("<p>%s</p>%s")
                    % (_("Loss feedback:"), Markup(lost_feedback)),
                    subtype_xmlid="mail.mt_note",
                )
        return True

    def action_set_lost_technical(self):
        """One click from a not-feasible result: lost, technical impossibility."""
        return self._set_lost_from_feasibility("isp_sales_desk.loss_reason_technical")

    def action_set_lost_no_coverage(self):
        """One click from a not-feasible result: lost, no coverage."""
        return self._set_lost_from_feasibility("isp_sales_desk.loss_reason_no_coverage")

    def _set_lost_from_feasibility(self, reason_xmlid):
        reason = self.env.ref(reason_xmlid, raise_if_not_found=False)
        if not reason:
            raise UserError(
                _(
                    "The loss reason of this button was deleted: "
                    "mark the ticket lost and choose a reason."
                )
            )
        for ticket in self:
            note = ticket._last_feasibility().result_note
            feedback = Markup("<p>%s</p>") % note if note else False
            ticket.action_set_lost(reason.id, feedback)
        return True

    def action_reopen(self):
        """A lost ticket goes back to work (its orders stay cancelled), and
        sells again what its prospect asks for."""
        tickets = as_action(self)
        tickets._lock_for_update()
        check_ticket_rule(tickets, ticket_status.check_can_reopen)
        tickets.write({"lost_reason_id": False, "date_lost": False})
        tickets._isp_unfreeze_sale()
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _lock_for_update(self):
        """Lock the tickets' rows, failing fast when another user holds them."""
        try:
            self.lock_for_update(allow_referencing=True)
        except LockError as error:
            raise UserError(
                _(
                    "Another user is changing this ticket right now. "
                    "Wait a moment and try again."
                )
            ) from error

    def _on_order_done(self, order):
        """An order was completed; an installation wins the ticket, makes the
        lead's contact a customer and freezes what was sold."""
        self.ensure_one()
        if order.order_type == ticket_status.INSTALLATION:
            partner = self.lead_id._isp_get_or_create_partner()
            partner.write(self.prospect_id._isp_partner_address())
            partner._isp_mark_customer(fields.Date.context_today(self))
            as_action(self)._isp_freeze_sale()

    def _isp_sold_lines(self):
        """The services this ticket sells: its prospect's while it is open,
        its own snapshot once won or lost (both price like lib/pricing)."""
        self.ensure_one()
        return self.sale_line_ids if self.sale_frozen else self.prospect_id.line_ids

    def _isp_freeze_sale(self):
        """Copy what the prospect asks for into the ticket's own lines: from
        now on, editing the prospect, a price or a discount never changes
        what this ticket sold."""
        tickets = as_action(self).filtered(lambda t: not t.sale_frozen)
        if not tickets:
            return
        tickets.env["isp.sales.ticket.line"].sudo().create(
            [
                dict(line._isp_snapshot_values(), ticket_id=ticket.id)
                for ticket in tickets
                for line in ticket.prospect_id.line_ids
            ]
        )
        tickets.write({"sale_frozen": True})

    def _isp_demo_backdate(self, values):
        """Back-date the history of demo records (demo data only; a private
        method, so no RPC caller reaches it)."""
        as_action(self).write(values)

    def _isp_unfreeze_sale(self):
        tickets = as_action(self).filtered("sale_frozen")
        tickets.sale_line_ids.sudo().unlink()
        tickets.write({"sale_frozen": False})
