from markupsafe import Markup

from odoo import _, api, models
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

    def _isp_link_planning(self, fsm_order):
        as_action(self).write({"fsm_order_id": fsm_order.id, "planning_issue": False})

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
