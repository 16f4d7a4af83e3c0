from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import ticket_status
from .status_rules import as_action


class IspSalesOrder(models.Model):
    """The hand-off of sales desk orders to OCA field service planning.

    Once an order has its ``fsm.order``, that document owns the planning
    data: the schedule and the worker. The order shows them as computed
    fields whose inverse writes them back to field service, so both sides
    always read the same value and nothing is copied back and forth.
    Before the hand-off (a prospect with no point yet), the order keeps
    them itself and they go to field service with it.
    """

    _inherit = "isp.sales.order"

    # the technician's view of the work
    install_summary = fields.Char(
        string="What to Install",
        compute="_compute_install_summary",
        help="The plan, TV packages and items the ticket sells.",
    )
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", help="Open, and scheduled before now."
    )

    def _compute_install_summary(self):
        # the technician reads it without rights on the prospect's prices
        for order in self:
            lines = order.ticket_id.sudo()._isp_sold_lines()
            order.install_summary = " · ".join(
                f"{line.quantity:g} × {line.product_id.display_name}"
                if line.quantity != 1
                else line.product_id.display_name
                for line in lines
                if line.service_kind != "discount"
            )

    @api.depends("scheduled_date", "state")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for order in self:
            order.is_overdue = bool(
                order.state in ticket_status.OPEN_ORDER_STATES
                and order.scheduled_date
                and order.scheduled_date < now
            )

    @api.depends("fsm_order_id.scheduled_date_start", "fsm_order_id.person_id")
    def _compute_planning(self):
        for order in self:
            planning = order.fsm_order_id.sudo()
            if planning:
                order.scheduled_date = planning.scheduled_date_start
                order.technician_id = planning.person_id.partner_id.user_ids[:1]
            else:  # not handed off yet: the order's own values stand
                order.scheduled_date = order.scheduled_date
                order.technician_id = order.technician_id

    def _inverse_planning(self):
        for order in self.filtered("fsm_order_id"):
            planning = order._fsm_planning()
            values = {}
            if planning.scheduled_date_start != order.scheduled_date:
                values["scheduled_date_start"] = order.scheduled_date
            person = order._fsm_person()
            if planning.person_id != person:
                values["person_id"] = person.id
            if values:
                planning.write(values)

    def action_send_to_planning(self):
        """Retry the hand-off of orders whose prospect had no map point."""
        self._fsm_hand_off()
        failed = self.filtered("planning_issue")
        if failed:
            raise UserError(failed[0].planning_issue)
        return True

    def action_view_fsm_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "fsm.order",
            "res_id": self.fsm_order_id.id,
            "views": [(False, "form")],
        }

    def _fsm_hand_off(self):
        """Create the fsm.order of each open order without one.

        The field-service documents are the planning side of our orders: they
        are created with sudo, as the system's doing, once the seller's own
        rights on the ticket have been checked.
        """
        types = {
            "installation": self.env.ref("isp_sales_desk.fsm_order_type_installation"),
            "feasibility": self.env.ref("isp_sales_desk.fsm_order_type_feasibility"),
        }
        for order in self.filtered(
            lambda o: not o.fsm_order_id and o.state in ticket_status.OPEN_ORDER_STATES
        ):
            location = order.prospect_id.sudo()._isp_fsm_location()
            if not location:
                order.planning_issue = _(
                    "The prospect has no point on the map: place it, then send "
                    "the order to planning."
                )
                order._post_on_ticket(
                    _(
                        "Order %(name)s (%(type)s) could not go to planning: "
                        "the prospect has no point on the map."
                    )
                )
                continue
            fsm_order = (
                self.env["fsm.order"]
                .sudo()
                .create(
                    {
                        "location_id": location.id,
                        "type": types[order.order_type].id,
                        "scheduled_date_start": order.scheduled_date,
                        "person_id": order._fsm_person().id,
                        "description": order._fsm_description(),
                        "isp_sales_order_id": order.id,
                        "company_id": order.company_id.id,
                    }
                )
            )
            order.sudo()._isp_link_planning(fsm_order)
            order._fsm_sync_stage()

    def _isp_link_planning(self, fsm_order):
        as_action(self).write({"fsm_order_id": fsm_order.id, "planning_issue": False})

    def _fsm_stage(self):
        """The planning stage that shows the order's progress (None: leave
        the stage to field service)."""
        self.ensure_one()
        xmlid = {
            ticket_status.SCHEDULED: "isp_sales_desk.fsm_stage_scheduled",
            ticket_status.ORDER_IN_PROGRESS: "isp_sales_desk.fsm_stage_in_progress",
        }.get(self.state)
        # the id from the registry's cache: env.ref() would query each time
        stage_id = xmlid and self.env["ir.model.data"]._xmlid_to_res_id(
            xmlid, raise_if_not_found=False
        )
        return self.env["fsm.stage"].browse(stage_id or [])

    def _fsm_sync_stage(self):
        """Move the open planning documents to the stage of the order's
        progress (a scheduled order is not left in "New"), one write per
        stage."""
        moves = {}
        for order in self:
            stage = order._fsm_stage()
            planning = order._fsm_planning().filtered(
                lambda f, stage=stage: not f.is_closed and f.stage_id != stage
            )
            if stage and planning:
                moves[stage] = moves.get(stage, planning.browse()) | planning
        for stage, planning in moves.items():
            planning.write({"stage_id": stage.id})

    def _fsm_planning(self):
        """The linked fsm orders, as the system edits them."""
        return self.fsm_order_id.sudo()

    def _fsm_person(self):
        """The field service worker of the technician, created on first use."""
        self.ensure_one()
        if not self.technician_id:
            return self.env["fsm.person"]
        Person = self.env["fsm.person"].sudo()
        partner = self.technician_id.partner_id
        person = Person.search([("partner_id", "=", partner.id)], limit=1)
        return person or Person.create({"partner_id": partner.id})

    def _fsm_description(self):
        self.ensure_one()
        return Markup("<p>%s</p><p>%s</p>") % (
            _("Sales desk ticket %(ticket)s", ticket=self.ticket_id.name),
            " · ".join(
                filter(None, [self.lead_id.name, self.phone, self.ticket_id.email])
            ),
        )
