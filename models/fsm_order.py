from odoo import _, api, fields, models
from odoo.exceptions import UserError


class FsmOrder(models.Model):
    """Field-service planning of sales desk orders (fieldservice_crm's bridge)."""

    _inherit = "fsm.order"

    isp_sales_order_id = fields.Many2one(
        "isp.sales.order",
        string="Sales Desk Order",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="restrict",
    )
    isp_ticket_id = fields.Many2one(
        related="isp_sales_order_id.ticket_id", string="Sales Desk Ticket"
    )
    isp_order_type = fields.Selection(
        related="isp_sales_order_id.order_type", string="Sales Desk Order Type"
    )
    isp_feasibility_result = fields.Selection(
        related="isp_sales_order_id.feasibility_result", readonly=False
    )

    def write(self, vals):
        linked = self.filtered("isp_sales_order_id")
        if not linked or self.env.context.get("isp_from_sales_desk"):
            return super().write(vals)
        completed = self.env.ref("fieldservice.fsm_stage_completed")
        cancelled = self.env.ref("fieldservice.fsm_stage_cancelled")
        stage_id = vals.get("stage_id")
        moves_work = stage_id == completed.id or "scheduled_date_start" in vals
        if moves_work:
            closed = linked.filtered(
                lambda o: o.isp_sales_order_id.ticket_id.state in ("won", "lost")
            )
            if closed:
                raise UserError(
                    _(
                        "%(orders)s belong to a won or lost sales desk ticket: "
                        "they cannot be completed or rescheduled.",
                        orders=", ".join(closed.mapped("name")),
                    )
                )
        result = super().write(vals)
        sales_orders = linked.isp_sales_order_id.with_context(isp_from_fsm=True)
        if "scheduled_date_start" in vals or "person_id" in vals:
            for fsm_order in linked:
                fsm_order.isp_sales_order_id.with_context(isp_from_fsm=True).write(
                    fsm_order._isp_sales_order_values(vals)
                )
        if stage_id == completed.id:
            sales_orders.filtered(
                lambda o: o.state not in ("done", "cancelled")
            ).action_done()
        elif stage_id == cancelled.id:
            sales_orders.filtered(
                lambda o: o.state not in ("done", "cancelled")
            )._cancel()
        elif vals.get("date_start"):
            sales_orders.filtered(
                lambda o: o.state in ("draft", "scheduled")
            ).action_start()
        return result

    def _isp_sales_order_values(self, vals):
        values = {}
        if "scheduled_date_start" in vals:
            values["scheduled_date"] = self.scheduled_date_start
        if "person_id" in vals:
            values["technician_id"] = self.person_id.partner_id.user_ids[:1].id
        return values

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sales_desk(self):
        if self.filtered("isp_sales_order_id"):
            raise UserError(
                _(
                    "This field service order comes from a sales desk ticket and "
                    "cannot be deleted; cancel it instead."
                )
            )

    def action_view_isp_ticket(self):
        self.ensure_one()
        return self.isp_sales_order_id.action_view_ticket()
