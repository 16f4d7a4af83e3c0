from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import LockError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.mail import is_html_empty

from ..lib import ticket_status

DEFAULT_STALE_DAYS = 7
COVERED = ("covered", "marginal")

TICKET_STATES = [
    ("pending", "Pending"),
    ("in_progress", "Order in progress"),
    ("won", "Won"),
    ("lost", "Lost"),
]


def status_error_message(env, error):
    order_types = dict(
        env["isp.sales.order"]._fields["order_type"]._description_selection(env)
    )
    messages = {
        "unknown_order_type": env._(
            "Unknown order type %(type)s.", type=error.params.get("order_type")
        ),
        "ticket_won": env._(
            "This ticket is already won: it cannot take new orders or be marked lost."
        ),
        "ticket_lost": env._(
            "This ticket is lost: reopen it before creating an order."
        ),
        "already_lost": env._("This ticket is already lost."),
        "not_lost": env._("Only a lost ticket can be reopened."),
        "open_order_exists": env._(
            "This ticket already has an open %(type)s order.",
            type=order_types.get(
                error.params.get("order_type"), error.params.get("order_type")
            ),
        ),
        "bad_order_transition": env._(
            "This order cannot go from its current state to the requested one."
        ),
    }
    return messages[error.code]


class IspSalesTicket(models.Model):
    """The sales desk ticket: one prospect followed up until won or lost."""

    _name = "isp.sales.ticket"
    _description = "Sales Desk Ticket"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True
    # the prospect name starts with the lead's: searching it (trigram index)
    # finds both without a join that would defeat the index
    _rec_names_search = ["name", "prospect_name"]

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: _("New"),
        index="trigram",
    )
    prospect_id = fields.Many2one(
        "isp.sales.prospect",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
    )
    # stored copies for the board: one table read, no join per card
    prospect_name = fields.Char(
        related="prospect_id.name",
        store=True,
        string="Prospect Name",
        index="trigram",
    )
    lead_id = fields.Many2one(
        related="prospect_id.lead_id", store=True, index=True, string="Lead"
    )
    source_id = fields.Many2one(
        related="lead_id.source_id", store=True, index="btree_not_null", string="Origin"
    )
    partner_id = fields.Many2one(related="lead_id.partner_id", string="Contact")
    phone = fields.Char(related="lead_id.phone")
    email = fields.Char(related="lead_id.email")
    user_id = fields.Many2one(
        "res.users",
        string="Assigned To",
        default=lambda self: self.env.user,
        tracking=True,
        index="btree_not_null",
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one(
        related="prospect_id.company_id",
        store=True,
        index=True,
        precompute=True,
        readonly=True,
    )
    state = fields.Selection(
        TICKET_STATES,
        string="Status",
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
        group_expand=True,
        copy=False,
    )
    date_state_changed = fields.Datetime(
        string="In Status Since", compute="_compute_state", store=True, copy=False
    )
    tag_ids = fields.Many2many("isp.sales.tag", string="Tags")
    lost_reason_id = fields.Many2one(
        "isp.sales.loss.reason",
        string="Loss Reason",
        index="btree_not_null",
        tracking=True,
        copy=False,
        readonly=True,
    )
    order_ids = fields.One2many("isp.sales.order", "ticket_id", string="Orders")
    order_count = fields.Integer(compute="_compute_order_stats", store=True)
    scheduled_date = fields.Datetime(
        compute="_compute_order_stats",
        store=True,
        help="When the next open order is scheduled.",
    )
    date_won = fields.Datetime(
        string="Won On", compute="_compute_state", store=True, copy=False
    )
    date_lost = fields.Datetime(string="Lost On", readonly=True, copy=False)
    currency_id = fields.Many2one(related="company_id.currency_id", store=True)
    amount_total = fields.Monetary(
        related="prospect_id.amount_total",
        store=True,
        string="Estimated Monthly Total",
        groups="isp_sales_desk.group_isp_sales_user",
    )
    plan_product_id = fields.Many2one(
        related="prospect_id.plan_product_id", store=True, string="Plan"
    )
    # stored: the board shows "now covered" without reading the prospects
    coverage = fields.Selection(related="prospect_id.coverage", store=True)
    latitude = fields.Float(related="prospect_id.latitude")
    longitude = fields.Float(related="prospect_id.longitude")
    color = fields.Integer()
    priority = fields.Selection([("0", "Normal"), ("1", "High")], default="0")
    active = fields.Boolean(default=True, tracking=True)
    description = fields.Html(string="Notes")
    feasibility_proposal = fields.Selection(
        [("install", "Schedule the installation"), ("lose", "Mark as lost")],
        compute="_compute_feasibility_proposal",
        help="What the last completed feasibility order proposes.",
    )
    fsm_order_count = fields.Integer(
        string="Planning", compute="_compute_fsm_order_count"
    )
    can_recontact = fields.Boolean(
        string="Now Covered",
        compute="_compute_can_recontact",
        search="_search_can_recontact",
        help="Lost for lack of coverage, and the network now reaches the place.",
    )
    is_stale = fields.Boolean(
        string="Stale",
        compute="_compute_is_stale",
        search="_search_is_stale",
        help="Pending for longer than the days set in Settings.",
    )
    days_to_win = fields.Float(
        compute="_compute_state", store=True, aggregator="avg", string="Days to Win"
    )

    # every board query filters on state and, by the multi-company rule, on
    # company: both in the index, the columns are counted from it alone
    _board_idx = models.Index("(state, company_id, id) WHERE active IS TRUE")

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("lost_reason_id", "order_ids.state", "order_ids.order_type")
    def _compute_state(self):
        now = fields.Datetime.now()
        for ticket in self:
            new_state = ticket_status.ticket_state(
                bool(ticket.lost_reason_id),
                [(order.order_type, order.state) for order in ticket.order_ids],
            )
            if new_state != ticket.state or not ticket.date_state_changed:
                ticket.date_state_changed = now
            if new_state == "won" and not ticket.date_won:
                ticket.date_won = now
                created = ticket.create_date or now
                ticket.days_to_win = (now - created).total_seconds() / 86400.0
            elif new_state != "won":
                ticket.date_won = False
                ticket.days_to_win = 0.0
            ticket.state = new_state

    @api.depends("order_ids.state", "order_ids.scheduled_date")
    def _compute_order_stats(self):
        for ticket in self:
            ticket.order_count = len(ticket.order_ids)
            scheduled = [
                order.scheduled_date
                for order in ticket.order_ids
                if order.scheduled_date
                and order.state in ticket_status.OPEN_ORDER_STATES
            ]
            ticket.scheduled_date = min(scheduled) if scheduled else False

    @api.depends("state", "order_ids.state", "order_ids.feasibility_result")
    def _compute_feasibility_proposal(self):
        for ticket in self:
            proposal = False
            if ticket.state == "pending":
                last = ticket._last_feasibility()
                if last.feasibility_result == "feasible":
                    proposal = "install"
                elif last.feasibility_result == "not_feasible":
                    proposal = "lose"
            ticket.feasibility_proposal = proposal

    @api.model
    def _stale_limit(self):
        """Pending tickets whose status has not changed since this are stale."""
        days = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("isp_sales_desk.stale_days")
        )
        try:
            days = max(int(days), 1)
        except (TypeError, ValueError):
            days = DEFAULT_STALE_DAYS
        return fields.Datetime.now() - timedelta(days=days)

    @api.depends("state", "date_state_changed")
    def _compute_is_stale(self):
        limit = self._stale_limit()
        for ticket in self:
            ticket.is_stale = bool(
                ticket.state == "pending"
                and ticket.date_state_changed
                and ticket.date_state_changed < limit
            )

    def _search_is_stale(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        stale = Domain("state", "=", "pending") & Domain(
            "date_state_changed", "<", self._stale_limit()
        )
        return stale if (operator == "=") == value else ~stale

    @api.depends("state", "lost_reason_id", "coverage")
    def _compute_can_recontact(self):
        # the id only (cached): env.ref() would check that the record exists
        no_coverage = self.env["ir.model.data"]._xmlid_to_res_id(
            "isp_sales_desk.loss_reason_no_coverage"
        )
        for ticket in self:
            ticket.can_recontact = (
                ticket.state == "lost"
                and ticket.lost_reason_id.id == no_coverage
                and ticket.coverage in COVERED
            )

    def _search_can_recontact(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        domain = (
            Domain("state", "=", "lost")
            & Domain(
                "lost_reason_id",
                "=",
                self.env.ref("isp_sales_desk.loss_reason_no_coverage").id,
            )
            & Domain("coverage", "in", COVERED)
        )
        return domain if (operator == "=") == value else ~domain

    @api.depends("order_ids.fsm_order_id")
    def _compute_fsm_order_count(self):
        for ticket in self:
            ticket.fsm_order_count = len(ticket.order_ids.fsm_order_id)

    def _last_feasibility(self):
        done = self.order_ids.filtered(
            lambda o: o.order_type == "feasibility" and o.state == "done"
        )
        return done.sorted(lambda o: (o.date_done or o.create_date, o.id))[-1:]

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model
    def _search_display_name(self, operator, value):
        """A name without digits nor "/" cannot be a reference (MV/2026/00012):
        search it on the prospect name alone, with one trigram index, instead
        of an OR over two indexes (a hot path: every many2one to tickets)."""
        if (
            operator in ("ilike", "not ilike")
            and isinstance(value, str)
            and value.strip()
            and not any(char.isdigit() or char == "/" for char in value)
        ):
            return Domain("prospect_name", operator, value)
        return super()._search_display_name(operator, value)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("prospect_id"):
                raise ValidationError(_("A ticket needs a prospect (and so a lead)."))
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "isp.sales.ticket"
                ) or _("New")
        return super().create(vals_list)

    def write(self, vals):
        if "prospect_id" in vals and not vals["prospect_id"]:
            raise ValidationError(_("A ticket needs a prospect (and so a lead)."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_orders(self):
        if self.order_ids:
            raise UserError(
                _(
                    "A ticket with orders cannot be deleted: "
                    "mark it lost or archive it, so nothing is lost."
                )
            )

    # ------------------------------------------------------------
    # ACTIONS (public, callable over RPC with the same checks)
    # ------------------------------------------------------------

    def action_create_order(self, order_type):
        """Create an installation or feasibility order; returns the new order.

        The ticket row is locked so that two users pressing the button at the
        same time cannot both pass the "no open order of that type" check.
        """
        self.ensure_one()
        self._lock_for_update()
        try:
            ticket_status.check_can_create_order(
                self.state,
                order_type,
                [(o.order_type, o.state) for o in self.order_ids],
            )
        except ticket_status.StatusError as error:
            raise UserError(status_error_message(self.env, error)) from error
        values = {"ticket_id": self.id, "order_type": order_type}
        if order_type == "installation":
            # the crew that saw the site is the natural one to install it
            technician = self._last_feasibility().technician_id
            if technician:
                values["technician_id"] = technician.id
        return self.env["isp.sales.order"].create(values)

    def action_create_installation_order(self):
        return self.action_create_order("installation")._get_form_action()

    def action_create_feasibility_order(self):
        return self.action_create_order("feasibility")._get_form_action()

    def action_open_lost_wizard(self):
        return {
            "name": _("Mark as Lost"),
            "type": "ir.actions.act_window",
            "res_model": "isp.sales.ticket.lost",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_ticket_ids": self.ids},
        }

    def action_set_lost(self, lost_reason_id=False, lost_feedback=False):
        """Mark the tickets lost: a reason is required, open orders are cancelled."""
        reason = (
            self.env["isp.sales.loss.reason"].browse(lost_reason_id).exists()
            if lost_reason_id
            else False
        )
        if not reason:
            raise UserError(_("Choose a loss reason to mark a ticket as lost."))
        self._lock_for_update()
        self._check_status(ticket_status.check_can_set_lost)
        self.order_ids.filtered(
            lambda o: o.state in ticket_status.OPEN_ORDER_STATES
        )._cancel()
        self.write({"lost_reason_id": reason.id, "date_lost": fields.Datetime.now()})
        if lost_feedback and not is_html_empty(lost_feedback):
            for ticket in self:
                ticket.message_post(
                    body=Markup("<p>%s</p>%s")
                    % (_("Loss feedback:"), Markup(lost_feedback)),
                    subtype_xmlid="mail.mt_note",
                )
        return True

    def action_set_lost_technical(self):
        """One click from a not-feasible result: lost, technical impossibility."""
        return self._set_lost_from_feasibility("isp_sales_desk.loss_reason_technical")

    def action_set_lost_no_coverage(self):
        """One click from a not-feasible result: lost, no coverage."""
        return self._set_lost_from_feasibility("isp_sales_desk.loss_reason_no_coverage")

    def _set_lost_from_feasibility(self, reason_xmlid):
        for ticket in self:
            note = ticket._last_feasibility().result_note
            feedback = Markup("<p>%s</p>") % note if note else False
            ticket.action_set_lost(self.env.ref(reason_xmlid).id, feedback)
        return True

    def action_view_fsm_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "isp_sales_desk.fsm_order_isp_planning_action"
        )
        action["domain"] = [("isp_ticket_id", "=", self.id)]
        return action

    def action_reopen(self):
        """A lost ticket goes back to work (its orders stay cancelled)."""
        self._lock_for_update()
        self._check_status(ticket_status.check_can_reopen)
        self.write({"lost_reason_id": False, "date_lost": False})
        return True

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "isp_sales_desk.isp_sales_order_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        if len(self.order_ids) == 1:
            action.update(
                views=[(False, "form")], res_id=self.order_ids.id, view_mode="form"
            )
        return action

    def action_view_lead(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "isp.sales.lead",
            "res_id": self.lead_id.id,
            "views": [(False, "form")],
        }

    def action_view_prospect(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "isp.sales.prospect",
            "res_id": self.prospect_id.id,
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _check_status(self, check):
        """Apply a rule of lib/ticket_status to each ticket's state, turning a
        broken rule into a clear error naming the ticket."""
        for ticket in self:
            try:
                check(ticket.state)
            except ticket_status.StatusError as error:
                raise UserError(
                    _(
                        "%(ticket)s: %(reason)s",
                        ticket=ticket.name,
                        reason=status_error_message(self.env, error),
                    )
                ) from error

    def _lock_for_update(self):
        """Lock the tickets' rows, failing fast when another user holds them."""
        try:
            self.lock_for_update(allow_referencing=True)
        except LockError as error:
            raise UserError(
                _(
                    "Another user is changing this ticket right now. "
                    "Wait a moment and try again."
                )
            ) from error

    @api.model
    def _cron_flag_stale_tickets(self, batch_size=1000):
        """Give each stale ticket's employee one follow-up activity; the cron
        runs daily without piling activities up."""
        stale = self._isp_schedule_once(
            [("is_stale", "=", True)],
            "isp_sales_desk.mail_activity_type_stale_ticket",
            lambda ticket: ticket.env._(
                "This ticket has been pending since %(date)s: "
                "contact the prospect again or mark it lost.",
                date=fields.Date.to_string(ticket.date_state_changed.date()),
            ),
            limit=batch_size,
        )
        return len(stale)

    @api.model
    def _isp_flag_recontact(self, prospects=None):
        """Demand follows the network: when a node starts covering the place of
        a ticket lost for lack of coverage, its employee gets an activity to
        contact the prospect again (once). Only the tickets of ``prospects``
        (those a node edit recomputed), when given."""
        domain = Domain("can_recontact", "=", True)
        if prospects is not None:
            domain &= Domain("prospect_id", "in", prospects.ids)
        # a new node may bring back hundreds of tickets: the activities are
        # the follow-up, without one notification email each
        return (
            self.sudo()
            .with_context(mail_activity_quick_update=True)
            ._isp_schedule_once(
                domain,
                "isp_sales_desk.mail_activity_type_recontact_covered",
                lambda ticket: ticket.env._(
                    "The network now reaches %(place)s (node %(node)s): "
                    "the prospect can be contacted again.",
                    place=ticket.prospect_name,
                    node=ticket.prospect_id.node_id.name,
                ),
            )
        )

    @api.model
    def _isp_schedule_once(self, domain, activity_type_xmlid, note, limit=None):
        """Schedule an activity of the given type for the employee of each
        ticket of ``domain``, skipping the tickets that already have one open.

        ``note`` gives the note of a ticket. Returns the tickets scheduled.
        """
        activity_type = self.env.ref(activity_type_xmlid)
        tickets = self.search(
            Domain(domain)
            & Domain("user_id", "!=", False)
            & Domain(
                "activity_ids", "not any", [("activity_type_id", "=", activity_type.id)]
            ),
            limit=limit,
        )
        # one batch (a node may bring back hundreds of tickets at once), with
        # the values activity_schedule() would give each
        model_id = self.env["ir.model"]._get(self._name).id
        today = fields.Date.context_today(self)
        self.env["mail.activity"].create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "summary": activity_type.summary,
                    "automated": True,
                    "note": note(ticket),
                    "date_deadline": today,
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "user_id": ticket.user_id.id,
                }
                for ticket in tickets
            ]
        )
        return tickets

    def _on_order_done(self, order):
        """An order was completed; an installation wins the ticket."""
        self.ensure_one()
        if order.order_type == "installation":
            partner = self.lead_id._isp_get_or_create_partner()
            partner.write(self.prospect_id._isp_partner_address())
            partner._isp_mark_customer(fields.Date.context_today(self))
