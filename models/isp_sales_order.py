from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import ticket_status
from .isp_sales_ticket import status_error_message


class IspSalesOrder(models.Model):
    """An installation or feasibility order born from a ticket."""

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
        [("installation", "Installation"), ("feasibility", "Feasibility")],
        string="Type",
        required=True,
        readonly=True,
        default="installation",
        tracking=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("scheduled", "Scheduled"),
            ("in_progress", "In progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        required=True,
        default="draft",
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    scheduled_date = fields.Datetime(tracking=True)
    technician_id = fields.Many2one(
        "res.users",
        tracking=True,
        index="btree_not_null",
        domain=lambda self: [
            (
                "all_group_ids",
                "in",
                self.env.ref("isp_sales_desk.group_isp_sales_technician").id,
            )
        ],
    )
    fsm_order_id = fields.Many2one(
        "fsm.order",
        string="Field Service Order",
        copy=False,
        index="btree_not_null",
        readonly=True,
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
        [("feasible", "Feasible"), ("not_feasible", "Not feasible")],
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

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        tickets = self.env["isp.sales.ticket"].browse(
            [v.get("ticket_id") for v in vals_list if v.get("ticket_id")]
        )
        for vals in vals_list:
            if not vals.get("ticket_id"):
                raise ValidationError(_("An order needs a ticket."))
            vals.setdefault("order_type", "installation")
            ticket = tickets.browse(vals["ticket_id"])
            try:
                ticket_status.check_can_create_order(
                    ticket.state,
                    vals["order_type"],
                    [(o.order_type, o.state) for o in ticket.order_ids],
                )
            except ticket_status.StatusError as error:
                raise UserError(status_error_message(self.env, error)) from error
            if vals.get("state", "draft") not in ("draft", "scheduled"):
                raise ValidationError(_("A new order starts as draft or scheduled."))
            if vals.get("scheduled_date") and vals.get("state", "draft") == "draft":
                vals["state"] = "scheduled"
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "isp.sales.order"
                ) or _("New")
        orders = super().create(vals_list)
        orders._post_on_ticket(_("Order %(name)s (%(type)s) created."))
        orders._fsm_hand_off()
        return orders

    def write(self, vals):
        if "state" in vals:
            for order in self:
                if order.state != vals["state"]:
                    order._check_transition(vals["state"])
        if "scheduled_date" in vals:
            closed = self.filtered(
                lambda o: (
                    o.state in ("done", "cancelled")
                    or o.ticket_id.state in ("won", "lost")
                )
            )
            if closed:
                raise UserError(
                    _(
                        "A completed or cancelled order, or an order of a closed "
                        "ticket, cannot be rescheduled."
                    )
                )
            if vals["scheduled_date"] and "state" not in vals:
                self.filtered(lambda o: o.state == "draft").write(
                    {"state": "scheduled"}
                )
        moved = self.filtered(
            lambda o: (
                "scheduled_date" in vals
                and o.scheduled_date
                != fields.Datetime.to_datetime(vals["scheduled_date"])
            )
        )
        result = super().write(vals)
        if moved:
            moved._post_on_ticket(_("Order %(name)s (%(type)s) rescheduled."))
        if not self.env.context.get("isp_from_fsm") and (
            "scheduled_date" in vals or "technician_id" in vals
        ):
            self._fsm_push()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        if self.filtered(lambda o: o.state != "draft" or o.fsm_order_id):
            raise UserError(
                _("Only draft orders can be deleted; cancel the order instead.")
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_schedule(self):
        for order in self:
            if not order.scheduled_date:
                raise UserError(
                    _("Set the scheduled date of %(name)s first.", name=order.name)
                )
        self.write({"state": "scheduled"})
        return True

    def action_start(self):
        self.write({"state": "in_progress"})
        if not self.env.context.get("isp_from_fsm"):
            planning = self._fsm_planning()
            planning.filtered(lambda f: not f.date_start).write(
                {"date_start": fields.Datetime.now()}
            )
        return True

    def action_done(self):
        """Complete the orders; a feasibility order needs its result first."""
        self.ticket_id._lock_for_update()
        for order in self:
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
            if order.ticket_id.state in ("won", "lost"):
                raise UserError(
                    _(
                        "The ticket of %(name)s is closed: "
                        "its orders cannot be completed.",
                        name=order.name,
                    )
                )
        self.write({"state": "done", "date_done": fields.Datetime.now()})
        for order in self:
            # a technician completes the work without any right on the ticket:
            # winning it and creating the customer are the system's doing
            order.ticket_id.sudo()._on_order_done(order)
        self._post_on_ticket(_("Order %(name)s (%(type)s) completed."))
        if not self.env.context.get("isp_from_fsm"):
            planning = self._fsm_planning()
            planning.action_complete()
        self.filtered(lambda o: o.order_type == "feasibility")._propose_next_step()
        return True

    def action_cancel(self):
        self._cancel()
        return True

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

    def action_view_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "isp.sales.ticket",
            "res_id": self.ticket_id.id,
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _cancel(self):
        for order in self:
            order._check_transition("cancelled")
        self.write({"state": "cancelled"})
        self._post_on_ticket(_("Order %(name)s (%(type)s) cancelled."))
        if not self.env.context.get("isp_from_fsm"):
            planning = self._fsm_planning()
            planning.filtered(lambda f: not f.is_closed).action_cancel()

    # --- field service planning (OCA fieldservice) -------------------

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
                .with_context(isp_from_sales_desk=True)
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
            order.write({"fsm_order_id": fsm_order.id, "planning_issue": False})

    def _fsm_planning(self):
        """The linked fsm orders, as the system edits them."""
        return self.fsm_order_id.sudo().with_context(isp_from_sales_desk=True)

    def _fsm_push(self):
        """Send our schedule and technician to the planning side."""
        for order in self.filtered("fsm_order_id"):
            order._fsm_planning().write(
                {
                    "scheduled_date_start": order.scheduled_date,
                    "person_id": order._fsm_person().id,
                }
            )

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

    def _propose_next_step(self):
        """A completed feasibility order proposes what comes next."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for order in self.filtered("feasibility_result"):
            ticket = order.ticket_id.sudo()
            if order.feasibility_result == "feasible":
                ticket.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=_("Schedule the installation"),
                    note=order.result_note or "",
                    user_id=ticket.user_id.id or self.env.uid,
                )
            else:
                ticket.message_post(
                    body=_(
                        "Feasibility %(name)s says not feasible: mark the ticket "
                        "lost for technical impossibility or no coverage.",
                        name=order.name,
                    ),
                    subtype_xmlid="isp_sales_desk.mt_ticket_order",
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

    def _post_on_ticket(self, template):
        """Log ``template`` (with %(name)s and %(type)s) in each order's ticket.

        Posted with sudo: a technician working an order only reads its ticket,
        the message still carries the technician as author.
        """
        for order in self:
            order.ticket_id.sudo().message_post(
                body=Markup(template)
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
