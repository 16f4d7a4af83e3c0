from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import ticket_status


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
    isp_contact_name = fields.Char(
        related="isp_sales_order_id.contact_name", string="Sales Desk Contact"
    )
    isp_feasibility_result = fields.Selection(
        related="isp_sales_order_id.feasibility_result", readonly=False
    )

    # fieldservice shows the bare reference ("FO014"): a planning entry of the
    # sales desk says who and what, as the calendar's title
    display_name = fields.Char(compute="_compute_display_name", related=None)

    @api.depends(
        "name", "isp_sales_order_id.contact_name", "isp_sales_order_id.order_type"
    )
    def _compute_display_name(self):
        for fsm_order in self:
            fsm_order.display_name = fsm_order.name
        for fsm_order in self.filtered("isp_sales_order_id"):
            sales_order = fsm_order.sudo().isp_sales_order_id
            fsm_order.display_name = "%s · %s (%s)" % (
                sales_order.contact_name or "",
                sales_order._type_label(),
                fsm_order.name,
            )

    def write(self, vals):
        """Work done in planning reaches the sales desk through its actions.

        The schedule and the worker need nothing here: the sales desk order
        reads them from this document (computed fields). Completing,
        cancelling, starting and scheduling are status moves, so they call
        the order's actions, which check and do everything they always do.
        The actions only move orders that are not there yet, so the echo of
        their own planning update stops by itself.
        """
        linked = self.filtered("isp_sales_order_id")
        if not linked:
            return super().write(vals)
        # the ids from the registry's cache: env.ref() would query each time
        completed = self._isp_stage_id("fieldservice.fsm_stage_completed")
        cancelled = self._isp_stage_id("fieldservice.fsm_stage_cancelled")
        stage_id = vals.get("stage_id")
        linked._isp_check_work_can_move(
            completing=stage_id == completed,
            rescheduling="scheduled_date_start" in vals,
        )
        result = super().write(vals)
        orders = linked.isp_sales_order_id
        still_open = orders.filtered(
            lambda o: o.state in ticket_status.OPEN_ORDER_STATES
        )
        if stage_id == completed:
            still_open.action_done()
        elif stage_id == cancelled:
            still_open._cancel()
        elif stage_id and stage_id == self._isp_stage_id(
            "isp_sales_desk.fsm_stage_in_progress"
        ):
            still_open.filtered(
                lambda o: o.state != ticket_status.ORDER_IN_PROGRESS
            ).action_start()
        elif stage_id and stage_id == self._isp_stage_id(
            "isp_sales_desk.fsm_stage_scheduled"
        ):
            still_open.filtered(
                lambda o: o.state == ticket_status.DRAFT
            ).action_schedule()
        else:
            if vals.get("date_start"):
                still_open.filtered(
                    lambda o: o.state != ticket_status.ORDER_IN_PROGRESS
                ).action_start()
            if vals.get("scheduled_date_start"):
                still_open.filtered(
                    lambda o: o.state == ticket_status.DRAFT
                ).action_schedule()
        return result

    def _isp_stage_id(self, xmlid):
        return self.env["ir.model.data"]._xmlid_to_res_id(xmlid)

    def _isp_check_work_can_move(self, completing, rescheduling):
        """No completing or rescheduling in planning the open work of a won
        or lost ticket."""
        if not (completing or rescheduling):
            return
        closed = self.filtered(
            lambda f: (
                f.isp_sales_order_id.ticket_id.state
                in ticket_status.CLOSED_TICKET_STATES
                and (
                    rescheduling
                    or f.isp_sales_order_id.state in ticket_status.OPEN_ORDER_STATES
                )
            )
        )
        if closed:
            raise UserError(
                _(
                    "%(orders)s belong to a won or lost sales desk ticket: "
                    "they cannot be completed or rescheduled.",
                    orders=", ".join(closed.mapped("name")),
                )
            )

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
