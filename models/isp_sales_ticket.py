from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..lib import ticket_status
from .status_rules import check_status_write

# facts that only the status actions write (models/status_rules.py)
STATUS_FIELDS = (
    "state",
    "lost_reason_id",
    "date_won",
    "date_lost",
    "days_to_win",
    "date_state_changed",
    "sale_frozen",
    "amount_total",
    "plan_product_id",
    # the win rate's counters follow the state (isp_sales_ticket_state_log.py)
    "won_count",
    "lost_count",
)


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
        list(ticket_status.TICKET_STATE_SELECTION),
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
        tracking=True,
        help="When the next open order is scheduled.",
    )
    date_won = fields.Datetime(
        string="Won On", compute="_compute_state", store=True, copy=False
    )
    date_lost = fields.Datetime(string="Lost On", readonly=True, copy=False)
    currency_id = fields.Many2one(related="company_id.currency_id", store=True)
    # what the ticket sells: the prospect's services while it is open, the
    # snapshot taken when it was won or lost afterwards (history does not move)
    sale_line_ids = fields.One2many(
        "isp.sales.ticket.line", "ticket_id", string="Services Sold", readonly=True
    )
    sale_frozen = fields.Boolean(
        string="Sale Frozen",
        readonly=True,
        copy=False,
        help="Won or lost: the services and amount are those of that moment.",
    )
    amount_total = fields.Monetary(
        string="Estimated Monthly Total",
        compute="_compute_sale",
        store=True,
        groups="isp_sales_desk.group_isp_sales_user",
    )
    plan_product_id = fields.Many2one(
        "product.product", string="Plan", compute="_compute_sale", store=True
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
    days_to_win = fields.Float(
        compute="_compute_state", store=True, aggregator="avg", string="Days to Win"
    )

    # every board query filters on state and, by the multi-company rule, on
    # company: both in the index, the columns are counted from it alone; the
    # columns' sums (progress bar) read the amount and currency from it too,
    # not from the whole table
    _board_idx = models.Index(
        "(state, company_id, id) INCLUDE (currency_id, amount_total)"
        " WHERE active IS TRUE"
    )

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
                ticket._isp_log_state_change(new_state, now)
            if new_state == "won" and not ticket.date_won:
                ticket.date_won = now
                created = ticket.create_date or now
                ticket.days_to_win = (now - created).total_seconds() / 86400.0
            elif new_state != "won":
                ticket.date_won = False
                ticket.days_to_win = 0.0
            ticket.state = new_state

    @api.depends("name", "prospect_name")
    def _compute_display_name(self):
        # the customer first, as CRM shows its leads (calendar, breadcrumbs)
        for ticket in self:
            ticket.display_name = (
                f"{ticket.prospect_name} ({ticket.name})"
                if ticket.prospect_name
                else ticket.name
            )

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

    @api.depends(
        "sale_frozen",
        "sale_line_ids.price_subtotal",
        "prospect_id.amount_total",
        "prospect_id.plan_product_id",
    )
    def _compute_sale(self):
        for ticket in self:
            if ticket.sale_frozen:
                lines = ticket.sale_line_ids
                ticket.amount_total = sum(lines.mapped("price_subtotal"))
                ticket.plan_product_id = lines.filtered(
                    lambda line: line.service_kind == "plan"
                )[:1].product_id
            else:
                ticket.amount_total = ticket.prospect_id.amount_total
                ticket.plan_product_id = ticket.prospect_id.plan_product_id

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

    @api.model
    def _read_group_orderby(self, order, groupby_terms, query):
        """Reports list the statuses in the board's order (pending, order in
        progress, won, lost), not alphabetically by their codes."""
        if "state" not in groupby_terms:
            return super()._read_group_orderby(order, groupby_terms, query)
        terms = dict(groupby_terms)
        terms["state"] = SQL(
            "array_position(%s::varchar[], %s::varchar)",
            list(ticket_status.TICKET_STATES),
            groupby_terms["state"],
        )
        orderby = super()._read_group_orderby(order, terms, query)
        groupby_terms.update(
            (spec, sql) for spec, sql in terms.items() if spec != "state"
        )
        return orderby

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """The board's column sums: for a monetary sum the web client also asks
        ``sum_currency``, which joins the currency rates to every ticket and
        divides each amount by its rate. A ticket is in its company's currency
        (stored related): while no company's currency has a rate, every rate
        is 1 and that sum is the plain sum, read from the board index alone."""
        if (
            aggregate_spec == "amount_total:sum_currency"
            and not self._isp_company_currency_rated()
        ):
            amount = self._field_to_sql(self._table, "amount_total", query)
            return SQL("SUM(%s)", amount)
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def _isp_company_currency_rated(self):
        """Whether a company's currency has a rate, of any company: only then
        may ``sum_currency`` convert a ticket's amount."""
        return bool(
            self.env.execute_query(
                SQL(
                    "SELECT 1 FROM res_currency_rate r"
                    " JOIN res_company c ON c.currency_id = r.currency_id LIMIT 1"
                )
            )
        )

    @api.model
    @api.readonly
    def read_progress_bar(self, domain, group_by, progress_bar):
        """The board's bars colour the tickets by their next activity: only
        tickets with an activity count, so read those, not the whole board
        (the bar of a ticket without activity is the column's count)."""
        if progress_bar.get("field") == "activity_state":
            domain = Domain(domain) & Domain("activity_ids", "!=", False)
        return super().read_progress_bar(domain, group_by, progress_bar)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_status_write(
                self, vals, STATUS_FIELDS, self._isp_status_actions_label(), initial={}
            )
            if not vals.get("prospect_id"):
                raise ValidationError(_("A ticket needs a prospect (and so a lead)."))
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "isp.sales.ticket"
                ) or _("New")
        return super().create(vals_list)

    def write(self, vals):
        check_status_write(self, vals, STATUS_FIELDS, self._isp_status_actions_label())
        if "prospect_id" in vals and not vals["prospect_id"]:
            raise ValidationError(_("A ticket needs a prospect (and so a lead)."))
        if "prospect_id" in vals and self.filtered("sale_frozen"):
            raise UserError(
                _(
                    "A won or lost ticket keeps the prospect it was closed with: "
                    "reopen it, or create a new ticket."
                )
            )
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

    def _isp_status_actions_label(self):
        return self.env._("create an order, mark as lost, reopen")

    # ------------------------------------------------------------
    # NAVIGATION
    # ------------------------------------------------------------

    def action_view_fsm_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "isp_sales_desk.fsm_order_isp_planning_action"
        )
        action["domain"] = [("isp_ticket_id", "=", self.id)]
        return action

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
