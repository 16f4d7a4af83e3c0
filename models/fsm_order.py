from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import ticket_status
from .rpc_args import check_call, check_ids, check_vals, check_vals_list
from .status_rules import in_action


class FsmOrder(models.Model):
    """Field-service planning of sales desk orders (fieldservice_crm's bridge:
    a Many2one back to the origin, a One2many and a count on the origin).

    ``isp_sales_order_id`` is the one link between the two sides. The hand-off
    (``isp.sales.order._fsm_hand_off``) sets it when it creates the planning
    document, and nothing changes it afterwards: a dispatcher cannot rewire a
    planning document to another sales desk order.
    """

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

    # one planning document per sales desk order
    _isp_sales_order_uniq = models.UniqueIndex(
        "(isp_sales_order_id) WHERE isp_sales_order_id IS NOT NULL",
        "This sales desk order is already planned in another field service order.",
    )
    # the free installation slots of a team: its orders planned in a window
    # (models/isp_sales_status_page.py), read on the customer's status page
    _isp_team_schedule_idx = models.Index(
        "(team_id, scheduled_date_start) WHERE scheduled_date_start IS NOT NULL"
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

    @api.constrains("company_id", "isp_sales_order_id")
    def _check_isp_company(self):
        """The planning of a sales desk order stays in the order's company."""
        for fsm_order in self.sudo().filtered("isp_sales_order_id"):
            if fsm_order.company_id != fsm_order.isp_sales_order_id.company_id:
                raise ValidationError(
                    _(
                        "%(planning)s plans a sales desk order of %(company)s: "
                        "it stays in that company.",
                        planning=fsm_order.name,
                        company=fsm_order.isp_sales_order_id.company_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        check_vals_list(self.env, vals_list)
        if not in_action(self) and any(
            vals.get("isp_sales_order_id") for vals in vals_list
        ):
            raise UserError(
                _(
                    "A field service order is linked to the sales desk only by "
                    "the sales desk itself, when it sends an order to planning."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        """Work done in planning reaches the sales desk through its actions.

        The schedule and the worker need nothing here: the sales desk order
        reads them from this document (computed fields). Completing,
        cancelling, starting and scheduling are status moves, so they call
        the order's actions, which check and do everything they always do.
        The actions only move orders that are not there yet, so the echo of
        their own planning update stops by itself.

        A field service user without sales desk rights plans these documents
        too: the link is read as the system, and the moves it causes are the
        system's doing, once the rules of the sales desk allowed them.
        """
        check_ids(self)
        check_vals(self.env, vals)
        if "isp_sales_order_id" in vals and any(
            fsm_order.sudo().isp_sales_order_id.id
            != (vals["isp_sales_order_id"] or False)
            for fsm_order in self
        ):
            raise UserError(
                _("The sales desk order of a field service order cannot be changed.")
            )
        linked = self.sudo().filtered("isp_sales_order_id")
        if not linked:
            return super().write(vals)
        # the ids from the registry's cache: env.ref() would query each time
        completed = self._isp_stage_id("fieldservice.fsm_stage_completed")
        cancelled = self._isp_stage_id("fieldservice.fsm_stage_cancelled")
        stage_id = vals.get("stage_id")
        orders = linked.isp_sales_order_id
        if stage_id == completed:
            linked._isp_check_can_complete()
        if "scheduled_date_start" in vals:
            orders._isp_check_can_reschedule()
        result = super().write(vals)
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

    def _isp_check_can_complete(self):
        """No completing in planning the open work of a won or lost ticket."""
        closed = self.filtered(
            lambda f: (
                f.isp_sales_order_id.ticket_id.state
                in ticket_status.CLOSED_TICKET_STATES
                and f.isp_sales_order_id.state in ticket_status.OPEN_ORDER_STATES
            )
        )
        if closed:
            raise UserError(
                _(
                    "%(orders)s belong to a won or lost sales desk ticket: "
                    "they cannot be completed.",
                    orders=", ".join(closed.mapped("name")),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sales_desk(self):
        if self.sudo().filtered("isp_sales_order_id"):
            raise UserError(
                _(
                    "This field service order comes from a sales desk ticket and "
                    "cannot be deleted; cancel it instead."
                )
            )

    def action_view_isp_ticket(self):
        check_call(self, "read", single=True)
        return self.isp_sales_order_id.action_view_ticket()
