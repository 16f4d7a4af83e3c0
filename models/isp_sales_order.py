from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import ticket_status
from .rpc_args import check_call, check_ids, check_vals, check_vals_list
from .rule_messages import rule_message
from .status_rules import (
    as_action,
    check_birth_write,
    check_status_write,
)
from .text_html import text_html

# facts that only the order's actions write (models/status_rules.py)
STATUS_FIELDS = ("state", "date_done")
# what an order is for: set at its creation (where the one-open-order-per-type
# rule is checked), never changed, since the ticket's status follows from it
BIRTH_FIELDS = ("ticket_id", "order_type")
OPEN_STATES_SQL = "(%s)" % ", ".join(
    f"'{state}'" for state in ticket_status.OPEN_ORDER_STATES
)


class IspSalesOrder(models.Model):
    """An installation or feasibility order born from a ticket.

    Its status moves only through its actions (schedule, start, complete,
    cancel), whoever calls them. Its planning is handed off to OCA field
    service: each open order gets one ``fsm.order``, which points back to it
    (``fsm.order.isp_sales_order_id``, set by the hand-off alone, as
    ``fieldservice_crm`` links its orders to an opportunity). Once handed off,
    that document owns the planning data (the schedule and the worker): the
    order shows them as computed fields whose inverse writes them back to
    field service, so both sides read the same value and nothing is copied
    back and forth. Before the hand-off (a prospect with no point yet), the
    order keeps them itself and they go to field service with it. Work done in
    planning (started, completed, cancelled) comes back through the actions.
    """

    _name = "isp.sales.order"
    _description = "Sales Desk Order"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: _("New"),
        index="trigram",
    )
    ticket_id = fields.Many2one(
        "isp.sales.ticket",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
        check_company=True,
    )
    prospect_id = fields.Many2one(
        related="ticket_id.prospect_id", store=True, index=True
    )
    lead_id = fields.Many2one(related="ticket_id.lead_id", string="Lead")
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
    order_type = fields.Selection(
        list(ticket_status.ORDER_TYPE_SELECTION),
        string="Type",
        required=True,
        readonly=True,
        default="installation",
        tracking=True,
    )
    state = fields.Selection(
        list(ticket_status.ORDER_STATE_SELECTION),
        string="Status",
        required=True,
        default="draft",
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    # planning data: owned by the fsm.order once the order is handed to field
    # service (see the class docstring), by the order before that
    scheduled_date = fields.Datetime(
        tracking=True,
        compute="_compute_planning",
        inverse="_inverse_planning",
        store=True,
        readonly=False,
        copy=False,
    )
    technician_id = fields.Many2one(
        "res.users",
        tracking=True,
        index="btree_not_null",
        compute="_compute_planning",
        inverse="_inverse_planning",
        store=True,
        readonly=False,
        copy=False,
        check_company=True,
        domain=lambda self: [
            (
                "all_group_ids",
                "in",
                self.env.ref("isp_sales_desk.group_isp_sales_technician").id,
            )
        ],
    )
    # the planning document: the link is stored on its side, once
    fsm_order_ids = fields.One2many(
        "fsm.order", "isp_sales_order_id", string="Field Service Orders"
    )
    # read as the system: a technician completes an order without any right
    # on field service
    fsm_order_id = fields.Many2one(
        "fsm.order",
        string="Field Service Order",
        compute="_compute_fsm_order_id",
        compute_sudo=True,
        search="_search_fsm_order_id",
    )
    # not tracked: a technician may not read field service stages
    fsm_stage_id = fields.Many2one(
        related="fsm_order_id.stage_id", string="Planning Stage", tracking=False
    )
    planning_issue = fields.Char(
        readonly=True,
        copy=False,
        help="Why the order could not be handed to field service planning yet.",
    )
    photo_ids = fields.Many2many(
        "ir.attachment",
        string="Photos",
        copy=False,
        help="Pictures of the site or of the finished installation.",
    )
    feasibility_result = fields.Selection(
        list(ticket_status.FEASIBILITY_RESULT_SELECTION),
        tracking=True,
        copy=False,
    )
    result_note = fields.Text(string="Result Notes", copy=False)
    date_done = fields.Datetime(string="Completed On", readonly=True, copy=False)
    # the place where the work happens, for the technician
    street = fields.Char(related="prospect_id.street")
    street_number = fields.Char(related="prospect_id.street_number")
    city = fields.Char(related="prospect_id.city")
    latitude = fields.Float(related="prospect_id.latitude")
    longitude = fields.Float(related="prospect_id.longitude")
    phone = fields.Char(related="ticket_id.lead_id.phone", string="Contact Phone")
    contact_name = fields.Char(related="ticket_id.lead_id.name", string="Contact")
    navigation_url = fields.Char(
        string="Navigation",
        compute="_compute_navigation_url",
        help="Opens turn-by-turn navigation to the site on the technician's phone.",
    )
    ticket_state = fields.Selection(related="ticket_id.state", string="Ticket Status")
    # the technician's view of the work
    install_summary = fields.Char(
        string="What to Install",
        compute="_compute_install_summary",
        help="The plan, TV packages and items the ticket sells.",
    )
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", help="Open, and scheduled before now."
    )
    # one open order per type and ticket, held by the database whatever the
    # caller (a batch create, two workers, an import): two crews never go
    # to one house for the same work
    _one_open_order_per_type = models.UniqueIndex(
        f"(ticket_id, order_type) WHERE state IN {OPEN_STATES_SQL}",
        "This ticket already has an open order of this type.",
    )
    # the installation slot the customer chose on the status page: a seat of
    # a window of the team's working hours (models/isp_sales_status_page.py);
    # one open order per team, window and seat, so that the last seat of a
    # window goes to one customer only. A seat counts while the order is still
    # planned there: moved in field service, it frees the seat by itself
    isp_slot_team_id = fields.Many2one(
        "fsm.team", string="Slot Team", readonly=True, copy=False
    )
    isp_slot_start = fields.Datetime(string="Slot Chosen", readonly=True, copy=False)
    isp_slot_seat = fields.Integer(string="Slot Seat", readonly=True, copy=False)
    _isp_slot_seat_uniq = models.UniqueIndex(
        "(isp_slot_team_id, isp_slot_start, isp_slot_seat)"
        " WHERE isp_slot_start IS NOT NULL AND isp_slot_start = scheduled_date"
        f" AND state IN {OPEN_STATES_SQL}",
        "This seat of the installation window is already taken.",
    )

    # ------------------------------------------------------------
    # COMPUTES, SEARCHES AND CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("technician_id")
    def _check_technician_id(self):
        for order in self.filtered(lambda order: order.technician_id.share):
            raise ValidationError(
                _(
                    "%(user)s is not an employee: the desk's work is assigned "
                    "to employees only.",
                    user=order.technician_id.name,
                )
            )

    @api.depends("latitude", "longitude")
    def _compute_navigation_url(self):
        for order in self:
            if order.latitude or order.longitude:
                order.navigation_url = (
                    "https://www.google.com/maps/dir/?api=1&destination="
                    f"{order.latitude:.7f},{order.longitude:.7f}"
                )
            else:
                order.navigation_url = False

    @api.depends("fsm_order_ids")
    def _compute_fsm_order_id(self):
        for order in self:
            order.fsm_order_id = order.sudo().fsm_order_ids[:1]

    def _search_fsm_order_id(self, operator, value):
        return [("fsm_order_ids", operator, value)]

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

    @api.depends("fsm_order_ids.scheduled_date_start", "fsm_order_ids.person_id")
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

    # ------------------------------------------------------------
    # CRUD AND ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")
        check_vals_list(self.env, vals_list)
        tickets = self.env["isp.sales.ticket"].browse(
            [v.get("ticket_id") for v in vals_list if v.get("ticket_id")]
        )
        for vals in vals_list:
            check_status_write(
                self,
                vals,
                STATUS_FIELDS,
                self._isp_status_actions_label(),
                initial={"state": ticket_status.DRAFT},
            )
            if vals.get("feasibility_result") and vals.get("order_type") != (
                ticket_status.FEASIBILITY
            ):
                raise ValidationError(
                    _("Only a feasibility order records a feasibility result.")
                )
            if not vals.get("ticket_id"):
                raise ValidationError(_("An order needs a ticket."))
            vals.setdefault("order_type", ticket_status.INSTALLATION)
            ticket = tickets.browse(vals["ticket_id"])
            try:
                ticket_status.check_can_create_order(
                    ticket.state,
                    vals["order_type"],
                    [(o.order_type, o.state) for o in ticket.order_ids]
                    # and the orders of this same call
                    + [
                        (other["order_type"], ticket_status.DRAFT)
                        for other in vals_list[: vals_list.index(vals)]
                        if other.get("ticket_id") == ticket.id
                    ],
                )
            except ticket_status.StatusError as error:
                raise UserError(rule_message(self.env, error)) from error
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "isp.sales.order"
                ) or _("New")
        # an order cancelled earlier in this transaction is written before the
        # new one, which the one-open-order-per-type index then accepts
        self.flush_model(["state"])
        orders = super().create(vals_list)
        # an order created with its date is scheduled, as if set afterwards
        orders.filtered("scheduled_date").action_schedule()
        orders._post_on_ticket(_("Order %(name)s (%(type)s) created."))
        orders._fsm_hand_off()
        return orders

    def write(self, vals):
        check_ids(self)
        check_vals(self.env, vals)
        check_status_write(self, vals, STATUS_FIELDS, self._isp_status_actions_label())
        check_birth_write(self, vals, BIRTH_FIELDS)
        if (
            "technician_id" in vals
            and not self.env.su
            and not self.env.user.has_group("isp_sales_desk.group_isp_sales_user")
        ):
            raise UserError(_("Only the sales desk assigns an order to a technician."))
        if vals.get("feasibility_result") and self.filtered(
            lambda o: o.order_type != ticket_status.FEASIBILITY
        ):
            raise ValidationError(
                _("Only a feasibility order records a feasibility result.")
            )
        if "feasibility_result" in vals:
            check_status_write(
                self.filtered(lambda o: o.state in ticket_status.CLOSED_ORDER_STATES),
                vals,
                ["feasibility_result"],
                self._isp_status_actions_label(),
            )
        if "scheduled_date" in vals:
            self._isp_check_can_reschedule()
        result = super().write(vals)
        if vals.get("scheduled_date"):
            # a date makes a draft order scheduled, through the action
            self.filtered(lambda o: o.state == ticket_status.DRAFT).action_schedule()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        if self.filtered(lambda o: o.state != "draft" or o.fsm_order_id):
            raise UserError(
                _("Only draft orders can be deleted; cancel the order instead.")
            )

    # ------------------------------------------------------------
    # ACTIONS (public: reachable over JSON-2)
    # ------------------------------------------------------------

    def action_schedule(self):
        check_call(self, "write")
        orders = as_action(self)
        for order in orders:
            if not order.scheduled_date:
                raise UserError(
                    _("Set the scheduled date of %(name)s first.", name=order.name)
                )
            order._check_transition(ticket_status.SCHEDULED)
        orders.write({"state": ticket_status.SCHEDULED})
        orders._fsm_sync_stage()
        return True

    def action_start(self):
        check_call(self, "write")
        orders = as_action(self)
        for order in orders:
            order._check_transition(ticket_status.ORDER_IN_PROGRESS)
        orders.write({"state": ticket_status.ORDER_IN_PROGRESS})
        orders._fsm_planning().filtered(lambda f: not f.date_start).write(
            {"date_start": fields.Datetime.now()}
        )
        orders._fsm_sync_stage()
        return True

    def action_done(self):
        """Complete the orders; a feasibility order needs its result first."""
        check_call(self, "write")
        orders = as_action(self)
        orders.ticket_id._lock_for_update()
        for order in orders:
            if order.state not in ticket_status.OPEN_ORDER_STATES:
                raise UserError(_("Order %(name)s is already closed.", name=order.name))
            if order.order_type == "feasibility" and not order.feasibility_result:
                raise UserError(
                    _(
                        "Record whether %(name)s is feasible or not "
                        "before completing it.",
                        name=order.name,
                    )
                )
            if order.ticket_id.state in ticket_status.CLOSED_TICKET_STATES:
                raise UserError(
                    _(
                        "The ticket of %(name)s is closed: "
                        "its orders cannot be completed.",
                        name=order.name,
                    )
                )
        orders.write({"state": ticket_status.DONE, "date_done": fields.Datetime.now()})
        for order in orders:
            # a technician completes the work without any right on the ticket:
            # winning it and creating the customer are the system's doing
            order.ticket_id.sudo()._on_order_done(order)
        orders._post_on_ticket(_("Order %(name)s (%(type)s) completed."))
        orders._fsm_planning().filtered(lambda f: not f.is_closed).action_complete()
        orders.filtered(lambda o: o.order_type == "feasibility")._propose_next_step()
        return True

    def action_cancel(self):
        check_call(self, "write")
        self._cancel()
        return True

    def action_view_ticket(self):
        check_call(self, "read", single=True)
        return {
            "type": "ir.actions.act_window",
            "res_model": "isp.sales.ticket",
            "res_id": self.ticket_id.id,
            "views": [(False, "form")],
        }

    def action_send_to_planning(self):
        """Retry the hand-off of orders whose prospect had no map point."""
        check_call(self, "write")
        self._fsm_hand_off()
        failed = self.filtered("planning_issue")
        if failed:
            raise UserError(failed[0].planning_issue)
        return True

    def action_view_fsm_order(self):
        check_call(self, "read", single=True)
        return {
            "type": "ir.actions.act_window",
            "res_model": "fsm.order",
            "res_id": self.fsm_order_id.id,
            "views": [(False, "form")],
        }

    @api.model
    @api.readonly
    def get_isp_map_data(self, domain=None, bbox=None, zoom=None):
        """The orders of ``domain`` in ``bbox`` as points, in the same shape
        as the tickets' map data (the technician's map; see ``isp.sales.map``)."""
        return self.env["isp.sales.map"]._order_map_data(domain, bbox, zoom)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _isp_status_actions_label(self):
        return self.env._("schedule, start, complete, cancel")

    def _cancel(self):
        orders = as_action(self)
        for order in orders:
            order._check_transition(ticket_status.CANCELLED)
        orders.write({"state": ticket_status.CANCELLED})
        orders._post_on_ticket(_("Order %(name)s (%(type)s) cancelled."))
        orders._fsm_planning().filtered(lambda f: not f.is_closed).action_cancel()

    def _isp_check_can_reschedule(self):
        """The one rescheduling rule, on the desk's side and in planning
        (``fsm.order.write``): only open work of an open ticket moves."""
        closed = self.sudo().filtered(
            lambda o: (
                o.state in ticket_status.CLOSED_ORDER_STATES
                or o.ticket_id.state in ticket_status.CLOSED_TICKET_STATES
            )
        )
        if closed:
            raise UserError(
                _(
                    "%(orders)s: a completed or cancelled order, or an order of "
                    "a won or lost ticket, cannot be rescheduled.",
                    orders=", ".join(closed.mapped("name")),
                )
            )

    def _check_transition(self, target):
        self.ensure_one()
        try:
            ticket_status.check_order_transition(self.state, target)
        except ticket_status.StatusError as error:
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                _(
                    "Order %(name)s cannot go from %(current)s to %(target)s.",
                    name=self.name,
                    current=states.get(self.state),
                    target=states.get(target),
                )
            ) from error

    def _propose_next_step(self):
        """A completed feasibility order proposes what comes next."""
        activity_type = self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False
        )
        for order in self.filtered("feasibility_result"):
            ticket = order.ticket_id.sudo()
            if order.feasibility_result == "feasible" and activity_type:
                ticket.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=_("Schedule the installation"),
                    # the technician's words, as text
                    note=text_html(order.result_note),
                    user_id=ticket.user_id.id or self.env.uid,
                )
            elif order.feasibility_result == "not_feasible":
                ticket.message_post(
                    body=_(
                        "Feasibility %(name)s says not feasible: mark the ticket "
                        "lost for technical impossibility or no coverage.",
                        name=order.name,
                    ),
                    subtype_xmlid="isp_sales_desk.mt_ticket_order",
                )

    def _post_on_ticket(self, template):
        """Log ``template`` (with %(name)s and %(type)s) in each order's ticket.

        Posted with sudo: a technician working an order only reads its ticket,
        the message still carries the technician as author.
        """
        for order in self:
            # the sentence is text; the order's link its only markup
            order.ticket_id.sudo().message_post(
                body=escape(template)
                % {"name": order._get_html_link(), "type": order._type_label()},
                subtype_xmlid="isp_sales_desk.mt_ticket_order",
            )

    def _type_label(self):
        return dict(self._fields["order_type"]._description_selection(self.env)).get(
            self.order_type
        )

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "isp.sales.order",
            "res_id": self.id,
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
            # the link is set here only (as_action: fsm.order refuses it
            # from any other caller)
            as_action(self.env["fsm.order"].sudo()).create(
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
            order.sudo().planning_issue = False
            order.invalidate_recordset(["fsm_order_ids", "fsm_order_id"])
            order._fsm_sync_stage()

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
