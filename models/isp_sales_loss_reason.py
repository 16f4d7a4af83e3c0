from odoo import api, fields, models
from odoo.exceptions import UserError

from .rpc_args import check_call


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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used_or_shipped(self):
        """A reason explains lost tickets and the desk's own flows use the
        shipped ones: they are archived, never deleted."""
        shipped = (
            self.env["ir.model.data"]
            .sudo()
            .search_count(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("module", "=", "isp_sales_desk"),
                ],
                limit=1,
            )
        )
        if shipped:
            raise UserError(
                self.env._(
                    "This loss reason comes with the sales desk, which uses it "
                    "(e.g. for demand without coverage): archive it instead."
                )
            )
        used = (
            self.env["isp.sales.ticket"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("lost_reason_id", "in", self.ids)], limit=1)
        )
        if used:
            raise UserError(
                self.env._(
                    "This loss reason explains lost tickets: archive it instead "
                    "of deleting it, so their history stays whole."
                )
            )

    def action_view_tickets(self):
        check_call(self, "read", single=True)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "isp_sales_desk.isp_sales_ticket_action"
        )
        action["domain"] = [("lost_reason_id", "=", self.id)]
        action["context"] = {"active_test": False}
        return action
