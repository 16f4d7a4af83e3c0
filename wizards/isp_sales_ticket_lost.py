from odoo import fields, models

from ..models.rpc_args import check_call


class IspSalesTicketLost(models.TransientModel):
    """Mark tickets lost with a reason and feedback (like crm.lead.lost)."""

    _name = "isp.sales.ticket.lost"
    _description = "Mark Sales Desk Ticket as Lost"

    ticket_ids = fields.Many2many(
        "isp.sales.ticket", string="Tickets", context={"active_test": False}
    )
    lost_reason_id = fields.Many2one(
        "isp.sales.loss.reason", string="Loss Reason", required=True
    )
    lost_feedback = fields.Html(string="Feedback", sanitize=True)

    def action_lost_reason_apply(self):
        check_call(self, "write", single=True)
        self.ticket_ids.action_set_lost(self.lost_reason_id.id, self.lost_feedback)
        return {"type": "ir.actions.act_window_close"}
