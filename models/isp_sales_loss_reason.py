from odoo import fields, models


class IspSalesLossReason(models.Model):
    _name = "isp.sales.loss.reason"
    _description = "Sales Desk Loss Reason"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    ticket_count = fields.Integer(
        compute="_compute_ticket_count", string="Lost Tickets"
    )

    def _compute_ticket_count(self):
        counts = dict(
            self.env["isp.sales.ticket"]._read_group(
                [("lost_reason_id", "in", self.ids)], ["lost_reason_id"], ["__count"]
            )
        )
        for reason in self:
            reason.ticket_count = counts.get(reason, 0)

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "isp_sales_desk.isp_sales_ticket_action"
        )
        action["domain"] = [("lost_reason_id", "=", self.id)]
        action["context"] = {"active_test": False}
        return action
