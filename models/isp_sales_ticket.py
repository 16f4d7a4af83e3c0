import uuid
from datetime import timedelta
from urllib.parse import urlencode

from markupsafe import Markup
from psycopg2.errors import UniqueViolation

from odoo import _, api, fields, models
from odoo.exceptions import (
    AccessError,
    ConcurrencyError,
    LockError,
    UserError,
    ValidationError,
)
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.mail import is_html_empty

from ..lib import coverage, normalize, pricing, reporting, ticket_status
from .isp_sales_lead import PHONE_SEARCH_MIN_DIGITS
from .res_config_settings import DEFAULT_QUOTE_VALIDITY_DAYS
from .rpc_args import (
    check_call,
    check_ids,
    check_vals,
    check_vals_list,
    is_record_id,
)
from .rule_messages import rule_message
from .status_rules import (
    as_action,
    check_status_write,
    check_ticket_rule,
)
from .text_html import text_html

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
    "won_count",
    "lost_count",
)
DEFAULT_STALE_DAYS = 7
DEFAULT_BATCH_SIZE = 500  # tickets per committed batch of the follow-up crons
COVERED = (coverage.COVERED, coverage.MARGINAL)
EXTERNAL_REF_INDEX = "isp_sales_ticket_external_ref_uniq"
QUOTE_REPORT = "isp_sales_desk.isp_sales_ticket_quote_report"
QUOTE_TEMPLATE = "isp_sales_desk.mail_template_isp_sales_ticket_quote"
STATUS_TEMPLATE = "isp_sales_desk.mail_template_isp_sales_ticket_status"
# what the customer is told by e-mail, with the link of their status page
STATUS_NOTICES = {
    "scheduled": "isp_sales_desk.mail_template_isp_sales_ticket_scheduled",
    "rescheduled": "isp_sales_desk.mail_template_isp_sales_ticket_rescheduled",
    "installed": "isp_sales_desk.mail_template_isp_sales_ticket_installed",
}


def state_orderby(super_orderby, order, groupby_terms, query):
    """``_read_group_orderby`` of a model grouped by a ticket status: the
    statuses in the board's order (pending, order in progress, won, lost),
    not alphabetically by their codes (the board, the reports, the time in
    status)."""
    if "state" not in groupby_terms:
        return super_orderby(order, groupby_terms, query)
    terms = dict(groupby_terms)
    terms["state"] = SQL(
        "array_position(%s::varchar[], %s::varchar)",
        list(ticket_status.TICKET_STATES),
        groupby_terms["state"],
    )
    orderby = super_orderby(order, terms, query)
    groupby_terms.update((spec, sql) for spec, sql in terms.items() if spec != "state")
    return orderby


class IspSalesTicket(models.Model):
    """The sales desk ticket: one prospect followed up until won or lost.

    Its status follows the work (lib/ticket_status.py): it is derived from
    its orders and from whether it was marked lost. The status facts (state,
    loss reason, won and lost dates, the frozen sale) change only through the
    public actions below, for the buttons and for any other caller (JSON-2,
    imports, other modules) alike; ``create``/``write`` refuse them
    (models/status_rules.py).

    What happens when a ticket is won: an installation order is completed
    (``isp.sales.order.action_done``), ``_compute_state`` makes it *won*, and
    ``_on_order_done`` makes the lead's contact a customer, closes the other
    open orders and freezes what was sold.
    """

    _name = "isp.sales.ticket"
    _description = "Sales Desk Ticket"
    # portal.mixin: the customer's private status page (a revocable token)
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "id desc"
    _check_company_auto = True
    # the prospect name starts with the lead's: searching it (trigram index)
    # finds both without a join that would defeat the index
    _rec_names_search = ["name", "prospect_name"]

    # --- what and for whom -------------------------------------------------
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
        check_company=True,
    )
    company_id = fields.Many2one(
        related="prospect_id.company_id",
        store=True,
        index=True,
        precompute=True,
        readonly=True,
    )
    tag_ids = fields.Many2many("isp.sales.tag", string="Tags")
    color = fields.Integer()
    priority = fields.Selection([("0", "Normal"), ("1", "High")], default="0")
    active = fields.Boolean(default=True, tracking=True)
    description = fields.Html(string="Notes")
    # stored for the map: its queries read the tickets' table alone
    latitude = fields.Float(related="prospect_id.latitude", store=True)
    longitude = fields.Float(related="prospect_id.longitude", store=True)
    # stored: the board shows "now covered" without reading the prospects
    coverage = fields.Selection(related="prospect_id.coverage", store=True)

    # --- status: written by the actions only -------------------------------
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
    lost_reason_id = fields.Many2one(
        "isp.sales.loss.reason",
        string="Loss Reason",
        index="btree_not_null",
        tracking=True,
        copy=False,
        readonly=True,
    )
    date_won = fields.Datetime(
        string="Won On", compute="_compute_state", store=True, copy=False
    )
    date_lost = fields.Datetime(string="Lost On", readonly=True, copy=False)
    days_to_win = fields.Float(
        compute="_compute_state", store=True, aggregator="avg", string="Days to Win"
    )
    # 0/1 per ticket, summed per group: the win rate of a group is
    # sum(won_count) / (sum(won_count) + sum(lost_count))
    won_count = fields.Integer(
        string="Won", compute="_compute_close_counts", store=True, aggregator="sum"
    )
    lost_count = fields.Integer(
        string="Lost", compute="_compute_close_counts", store=True, aggregator="sum"
    )
    state_log_ids = fields.One2many(
        "isp.sales.ticket.state.log",
        "ticket_id",
        string="Status History",
        groups="isp_sales_desk.group_isp_sales_user",
    )

    # --- orders ------------------------------------------------------------
    order_ids = fields.One2many("isp.sales.order", "ticket_id", string="Orders")
    order_count = fields.Integer(compute="_compute_order_stats", store=True)
    scheduled_date = fields.Datetime(
        compute="_compute_order_stats",
        store=True,
        tracking=True,
        help="When the next open order is scheduled.",
    )
    feasibility_proposal = fields.Selection(
        [("install", "Schedule the installation"), ("lose", "Mark as lost")],
        compute="_compute_feasibility_proposal",
        help="What the last completed feasibility order proposes.",
    )
    fsm_order_count = fields.Integer(
        string="Planning", compute="_compute_fsm_order_count"
    )

    # --- what is sold ------------------------------------------------------
    currency_id = fields.Many2one(related="company_id.currency_id", store=True)
    # the prospect's services while the ticket is open, the snapshot taken
    # when it was won or lost afterwards (history does not move)
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

    # --- follow-up ---------------------------------------------------------
    is_stale = fields.Boolean(
        string="Stale",
        compute="_compute_is_stale",
        search="_search_is_stale",
        help="Pending for longer than the days set in Settings.",
    )
    can_recontact = fields.Boolean(
        string="Now Covered",
        compute="_compute_can_recontact",
        search="_search_can_recontact",
        help="Lost for lack of coverage, and the network now reaches the place.",
    )
    # queue of the recontact follow-up: set by the node edit that brought the
    # place into coverage, cleared by the batch that scheduled the activity
    recontact_pending = fields.Boolean(
        string="Recontact Queued", readonly=True, copy=False, groups="base.group_system"
    )

    # --- intake ------------------------------------------------------------
    external_ref = fields.Char(
        string="External Reference",
        copy=False,
        readonly=True,
        help="Reference of the request in the system that sent it (a website "
        "form, lead ads): the same reference never makes a second ticket.",
    )
    # what was asked under that reference: a retry of the same request gets
    # the first answer, another request under it a conflict
    external_ref_fingerprint = fields.Char(
        readonly=True, copy=False, groups="base.group_system"
    )

    # --- won means billed, and the customer is told ------------------------
    # the contract owns the link (contract.contract.isp_ticket_id, unique)
    contract_ids = fields.One2many(
        "contract.contract",
        "isp_ticket_id",
        string="Contracts",
        groups="isp_sales_desk.group_isp_sales_user",
    )
    contract_id = fields.Many2one(
        "contract.contract",
        compute="_compute_contract_id",
        groups="isp_sales_desk.group_isp_sales_user",
        help="The recurring contract that bills what this won ticket sold.",
    )
    amount_one_time = fields.Monetary(
        string="One-time Fees",
        compute="_compute_amount_one_time",
        # from the services sold, whoever may read the ticket's amounts
        compute_sudo=True,
        groups="isp_sales_desk.group_isp_sales_user",
        help="Charged once, with the first invoice (e.g. the installation).",
    )
    # the key of the customer's status page link: the desk's to read, send
    # and revoke (portal.mixin's field, read by anyone who reads the ticket)
    access_token = fields.Char(groups="isp_sales_desk.group_isp_sales_user")
    isp_notified_schedule = fields.Datetime(
        string="Schedule Told to the Customer",
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="The visit date of the last e-mail that told the customer: a new "
        "date is a rescheduling.",
    )

    # every board query filters on state and, by the multi-company rule, on
    # company: both in the index, the columns are counted from it alone; the
    # columns' sums (progress bar) read the amount and currency from it too,
    # not from the whole table
    _board_idx = models.Index(
        "(state, company_id, id) INCLUDE (currency_id, amount_total)"
        " WHERE active IS TRUE"
    )
    _map_point_idx = models.Index("(latitude, longitude)")
    _recontact_pending_idx = models.Index("(id) WHERE recontact_pending IS TRUE")
    # the reports filter tickets by the month they were opened, won or lost
    _create_date_idx = models.Index("(create_date)")
    _date_won_idx = models.Index("(date_won) WHERE date_won IS NOT NULL")
    _date_lost_idx = models.Index("(date_lost) WHERE date_lost IS NOT NULL")
    # a retried intake finds the first ticket; two at once cannot both insert
    _external_ref_uniq = models.UniqueIndex(
        "(company_id, external_ref) WHERE external_ref IS NOT NULL",
        "This external reference was already taken in this company.",
    )

    # ------------------------------------------------------------
    # COMPUTES, SEARCHES AND CONSTRAINTS
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
                ticket.amount_total = sum(
                    lines.filtered(
                        lambda line: line.service_kind != pricing.ONE_TIME
                    ).mapped("price_subtotal")
                )
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
            "isp_sales_desk.loss_reason_no_coverage", raise_if_not_found=False
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
        no_coverage = self.env.ref(
            "isp_sales_desk.loss_reason_no_coverage", raise_if_not_found=False
        )
        if not no_coverage:  # deleted by hand: nothing is lost for it
            return Domain.FALSE if (operator == "=") == value else Domain.TRUE
        domain = (
            Domain("state", "=", "lost")
            & Domain("lost_reason_id", "=", no_coverage.id)
            & Domain("coverage", "in", COVERED)
        )
        return domain if (operator == "=") == value else ~domain

    @api.depends("state")
    def _compute_close_counts(self):
        for ticket in self:
            ticket.won_count = int(ticket.state == "won")
            ticket.lost_count = int(ticket.state == "lost")

    @api.depends("contract_ids")
    def _compute_contract_id(self):
        for ticket in self:
            ticket.contract_id = ticket.contract_ids[:1]

    @api.depends(
        "sale_frozen", "sale_line_ids.price_subtotal", "prospect_id.amount_one_time"
    )
    def _compute_amount_one_time(self):
        for ticket in self:
            ticket.amount_one_time = (
                sum(
                    line.price_subtotal
                    for line in ticket.sale_line_ids
                    if line.service_kind == pricing.ONE_TIME
                )
                if ticket.sale_frozen
                else ticket.prospect_id.amount_one_time
            )

    def _compute_access_url(self):
        for ticket in self:
            ticket.access_url = f"/isp/status/{ticket.id}"

    # ------------------------------------------------------------
    # CRUD AND ORM
    # ------------------------------------------------------------

    @api.depends("name", "prospect_name")
    def _compute_display_name(self):
        # the customer first, as CRM shows its leads (calendar, breadcrumbs)
        for ticket in self:
            ticket.display_name = (
                f"{ticket.prospect_name} ({ticket.name})"
                if ticket.prospect_name
                else ticket.name
            )

    @api.model
    def _search_display_name(self, operator, value):
        """A name without digits nor "/" cannot be a reference (MV/2026/00012):
        search it on the prospect name alone, with one trigram index, instead
        of an OR over two indexes (a hot path: every many2one to tickets).
        What looks like a phone or an ID document ("15-523-9981") also finds
        the tickets of the leads it is the phone (or its end) or document of:
        the board's search, where a seller types what the customer says."""
        if (
            operator in ("ilike", "not ilike")
            and isinstance(value, str)
            and value.strip()
            and not any(char.isdigit() or char == "/" for char in value)
        ):
            return Domain("prospect_name", operator, value)
        domain = super()._search_display_name(operator, value)
        if (
            operator == "ilike"
            and isinstance(value, str)
            and normalize.looks_like_phone_or_document(value, PHONE_SEARCH_MIN_DIGITS)
        ):
            contact = self.env["isp.sales.lead"]._isp_contact_search_domain(value)
            if contact is not None:
                domain = Domain.OR([domain, Domain("lead_id", "any", contact)])
        return domain

    @api.model
    def _read_group_orderby(self, order, groupby_terms, query):
        return state_orderby(super()._read_group_orderby, order, groupby_terms, query)

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
        self.check_access("read")
        if (
            isinstance(progress_bar, dict)
            and progress_bar.get("field") == "activity_state"
        ):
            domain = Domain(domain) & Domain("activity_ids", "!=", False)
        return super().read_progress_bar(domain, group_by, progress_bar)

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")
        check_vals_list(self.env, vals_list)
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
        check_ids(self)
        check_vals(self.env, vals)
        check_status_write(self, vals, STATUS_FIELDS, self._isp_status_actions_label())
        if "prospect_id" in vals and not vals["prospect_id"]:
            raise ValidationError(_("A ticket needs a prospect (and so a lead)."))
        self._isp_check_company_move(vals)
        if "prospect_id" in vals and self.filtered("sale_frozen"):
            raise UserError(
                _(
                    "A won or lost ticket keeps the prospect it was closed with: "
                    "reopen it, or create a new ticket."
                )
            )
        return super().write(vals)

    def _isp_check_company_move(self, vals):
        """A ticket stays in its company, with its orders and their planning:
        its company is its prospect's, which it cannot swap for one of
        another company."""
        if "prospect_id" in vals:
            company = (
                self.env["isp.sales.prospect"].browse(vals["prospect_id"]).company_id
            )
        elif "company_id" in vals:
            company = self.env["res.company"].browse(vals["company_id"])
        else:
            return
        moved = self.filtered(lambda ticket: ticket.company_id != company)
        if moved:
            raise ValidationError(
                _(
                    "%(ticket)s belongs to %(company)s: it cannot move to another "
                    "company, nor take a prospect of another company.",
                    ticket=moved[0].display_name,
                    company=moved[0].company_id.name,
                )
            )

    @api.constrains("user_id")
    def _check_user_id(self):
        for ticket in self.filtered(lambda ticket: ticket.user_id.share):
            raise ValidationError(
                _(
                    "%(user)s is not an employee: the desk's work is assigned "
                    "to employees only.",
                    user=ticket.user_id.name,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_orders(self):
        if self.order_ids:
            raise UserError(
                _(
                    "A ticket with orders cannot be deleted: "
                    "mark it lost or archive it, so nothing is lost."
                )
            )

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An e-mail to the desk's alias (``isp_sales_desk.mail_alias_desk``),
        handed over by the mail gateway: see ``isp.sales.intake._from_mail``.

        The gateway calls it as superuser (``mail.thread._message_route_process``);
        any other caller (JSON-2, a user's RPC) is refused: it would create
        leads as superuser, or learn a customer's open ticket."""
        if not self.env.su:
            raise AccessError(
                self.env._("Only the mail gateway may create tickets from e-mails.")
            )
        return self.env["isp.sales.intake"]._from_mail(msg_dict)

    # ------------------------------------------------------------
    # ACTIONS (public: reachable over JSON-2)
    # ------------------------------------------------------------

    def action_view_fsm_orders(self):
        check_call(self, "read", single=True)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "isp_sales_desk.fsm_order_isp_planning_action"
        )
        action["domain"] = [("isp_ticket_id", "=", self.id)]
        return action

    def action_view_orders(self):
        check_call(self, "read", single=True)
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
        check_call(self, "read", single=True)
        return {
            "type": "ir.actions.act_window",
            "res_model": "isp.sales.lead",
            "res_id": self.lead_id.id,
            "views": [(False, "form")],
        }

    def action_view_prospect(self):
        check_call(self, "read", single=True)
        return {
            "type": "ir.actions.act_window",
            "res_model": "isp.sales.prospect",
            "res_id": self.prospect_id.id,
            "views": [(False, "form")],
        }

    def action_create_order(self, order_type):
        """Create an installation or feasibility order; returns the new order.

        The ticket row is locked so that two users pressing the button at the
        same time cannot both pass the "no open order of that type" check.
        """
        check_call(self, "write", single=True)
        if not isinstance(order_type, str):
            order_type = repr(order_type)[:40]  # refused below as unknown
        self._lock_for_update()
        try:
            ticket_status.check_can_create_order(
                self.state,
                order_type,
                [(o.order_type, o.state) for o in self.order_ids],
            )
        except ticket_status.StatusError as error:
            raise UserError(rule_message(self.env, error)) from error
        values = {"ticket_id": self.id, "order_type": order_type}
        if order_type == ticket_status.INSTALLATION:
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
        check_call(self, "write")
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
        """Mark the tickets lost: a reason is required, open orders are
        cancelled, and what the tickets sold is frozen."""
        check_call(self, "write")
        reason = (
            self.env["isp.sales.loss.reason"].browse(lost_reason_id).exists()
            if is_record_id(lost_reason_id)
            else False
        )
        if not reason:
            raise UserError(_("Choose a loss reason to mark a ticket as lost."))
        if lost_feedback is not None and not isinstance(lost_feedback, (str, bool)):
            raise UserError(_("The loss feedback must be text."))
        tickets = as_action(self)
        tickets._lock_for_update()
        check_ticket_rule(tickets, ticket_status.check_can_set_lost)
        tickets.order_ids.filtered(
            lambda o: o.state in ticket_status.OPEN_ORDER_STATES
        )._cancel()
        tickets.write({"lost_reason_id": reason.id, "date_lost": fields.Datetime.now()})
        tickets._isp_freeze_sale()
        feedback = self._isp_feedback_html(lost_feedback)
        if feedback:
            for ticket in tickets:
                ticket.message_post(
                    body=Markup("<p>%s</p>%s") % (_("Loss feedback:"), feedback),
                    subtype_xmlid="mail.mt_note",
                )
        return True

    def action_set_lost_technical(self):
        """One click from a not-feasible result: lost, technical impossibility."""
        check_call(self, "write")
        return self._set_lost_from_feasibility("isp_sales_desk.loss_reason_technical")

    def action_set_lost_no_coverage(self):
        """One click from a not-feasible result: lost, no coverage."""
        check_call(self, "write")
        return self._set_lost_from_feasibility("isp_sales_desk.loss_reason_no_coverage")

    def action_reopen(self):
        """A lost ticket goes back to work (its orders stay cancelled), and
        sells again what its prospect asks for."""
        check_call(self, "write")
        tickets = as_action(self)
        tickets._lock_for_update()
        check_ticket_rule(tickets, ticket_status.check_can_reopen)
        tickets.write({"lost_reason_id": False, "date_lost": False})
        tickets._isp_unfreeze_sale()
        return True

    def action_print_quote(self):
        check_ids(self)
        self._isp_quote_check()
        return self.env.ref(QUOTE_REPORT).report_action(self)

    def action_quote_send(self):
        """Open the mail composer with the quote template and its PDF."""
        # sending is the desk's work on the ticket, not a technician's
        check_call(self, "write", single=True)
        self._isp_quote_check()
        email = self.lead_id.partner_id.email or self.lead_id.email
        if not email:
            raise UserError(
                _(
                    "%(contact)s has no e-mail address: add one to the lead "
                    "before sending the quote.",
                    contact=self.lead_id.name,
                )
            )
        # the quote is addressed to a contact: the lead's, made if needed
        # (sellers may not create contacts themselves)
        partner = self.lead_id.sudo()._isp_get_or_create_partner()
        if not partner.email:
            if not partner._isp_may_take_email():
                raise UserError(
                    _(
                        "%(contact)s is the contact of a user, and has no e-mail "
                        "address: the sales desk never sets a user's e-mail. "
                        "Ask them to add it to their preferences.",
                        contact=partner.display_name,
                    )
                )
            partner.email = email
        template = self.env.ref(QUOTE_TEMPLATE, raise_if_not_found=False)
        return {
            "name": _("Send Quote"),
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_template_id": template.id if template else False,
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
            },
        }

    # --- the contract and the customer's status page ----------------------

    def action_view_contract(self):
        check_call(self, "read", single=True)
        contract = self.contract_id
        if not contract:
            raise UserError(_("%(ticket)s has no contract.", ticket=self.name))
        # the desk's view of it: sellers read no accounting field
        view = self.env.ref("isp_sales_desk.contract_contract_view_form_isp_desk")
        return {
            "type": "ir.actions.act_window",
            "res_model": "contract.contract",
            "res_id": contract.id,
            "views": [(view.id, "form")],
        }

    def action_isp_create_contract(self):
        """The contract of won tickets that have none (won before the desk
        billed, or whose contract was deleted): managers only, and only for a
        won ticket, whose completed installation gives the start."""
        if not self.env.user.has_group("isp_sales_desk.group_isp_sales_manager"):
            raise AccessError(
                _("Only a sales desk manager creates a contract by hand.")
            )
        check_call(self, "write")
        tickets = as_action(self)
        tickets._lock_for_update()
        for ticket in tickets.sudo():
            installation = ticket.order_ids.filtered(
                lambda o: (
                    o.order_type == ticket_status.INSTALLATION
                    and o.state == ticket_status.DONE
                )
            ).sorted("date_done")[-1:]
            if ticket.state != ticket_status.WON or not installation:
                raise UserError(
                    _(
                        "%(ticket)s is not won: only a won ticket has a contract.",
                        ticket=ticket.name,
                    )
                )
            self.env["contract.contract"].sudo()._isp_create_for_ticket(
                ticket, installation
            )
        return True

    def action_isp_status_send(self):
        """Open the mail composer with the status page's template: the
        customer's private link, in their language. The e-mail is logged in
        the chatter."""
        check_call(self, "write", single=True)
        partner = self._isp_status_partner()
        if not partner.email:
            raise UserError(
                _(
                    "%(contact)s has no e-mail address: add one to the lead, "
                    "or send the link by WhatsApp.",
                    contact=self.lead_id.name,
                )
            )
        template = self.env.ref(STATUS_TEMPLATE, raise_if_not_found=False)
        return {
            "name": _("Send the Status Page"),
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_template_id": template.id if template else False,
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
            },
        }

    def action_isp_status_whatsapp(self):
        """WhatsApp's click-to-chat (wa.me, no paid API): opens a chat with the
        customer with the link of their status page in the message. Logged in
        the chatter."""
        check_call(self, "write", single=True)
        country = self.company_id.country_id or self.env.company.country_id
        number = next(
            filter(
                None,
                (
                    normalize.e164(value, country.code)
                    for value in (self.lead_id.mobile, self.lead_id.phone)
                    if value
                ),
            ),
            None,
        )
        if not number:
            raise UserError(
                _(
                    "%(contact)s has no phone number WhatsApp can reach: add a "
                    "mobile number to the lead.",
                    contact=self.lead_id.name,
                )
            )
        url = self._isp_status_url()
        text = self.with_context(
            lang=self.lead_id.partner_id.lang or self.env.lang
        )._isp_status_whatsapp_text(url)
        self.message_post(
            body=Markup("<p>%s</p>")
            % _(
                "Status page link sent by WhatsApp to %(number)s.",
                number=number,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_url",
            "url": "https://wa.me/%s?%s"
            % (
                "".join(char for char in number if char.isdigit()),
                urlencode({"text": text}),
            ),
            "target": "new",
        }

    def action_isp_status_revoke(self):
        """The link sent so far stops working (a plain "not found"); the
        next one sent is a new one."""
        check_call(self, "write")
        for ticket in self:
            ticket.sudo().access_token = str(uuid.uuid4())
            ticket.message_post(
                body=Markup("<p>%s</p>")
                % _(
                    "The status page link was revoked: the links sent so far "
                    "no longer open it."
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    @api.model
    @api.readonly
    def get_isp_map_data(self, domain=None, bbox=None, zoom=None):
        """What the map shows in ``bbox`` (``[south, west, north, east]``) at
        ``zoom`` for the tickets of ``domain``: ``clusters`` or ``points``,
        ``nodes``, ``totals``; the box and zoom are clamped, never refused
        (the ``isp_map`` view's call; see ``isp.sales.map``)."""
        return self.env["isp.sales.map"]._ticket_map_data(domain, bbox, zoom)

    @api.model
    @api.readonly
    def get_isp_what_if(
        self, latitude, longitude, radius, technology="wireless", capacity=0
    ):
        """What a candidate node would reach: the tickets within ``radius``
        metres lost for lack of coverage, open and uncovered, open and
        marginal today; their estimated monthly amount; how many fit in
        ``capacity`` (0: no limit). Managers only."""
        return self.env["isp.sales.map"]._what_if(
            latitude, longitude, radius, technology, capacity
        )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _last_feasibility(self):
        done = self.order_ids.filtered(
            lambda o: o.order_type == "feasibility" and o.state == "done"
        )
        return done.sorted(lambda o: (o.date_done or o.create_date, o.id))[-1:]

    def _isp_status_actions_label(self):
        return self.env._("create an order, mark as lost, reopen")

    def _set_lost_from_feasibility(self, reason_xmlid):
        reason = self.env.ref(reason_xmlid, raise_if_not_found=False)
        if not reason:
            raise UserError(
                _(
                    "The loss reason of this button was deleted: "
                    "mark the ticket lost and choose a reason."
                )
            )
        for ticket in self:
            note = ticket._last_feasibility().result_note
            feedback = text_html(note) if note else False
            ticket.action_set_lost(reason.id, feedback)
        return True

    @api.model
    def _isp_feedback_html(self, feedback):
        """The loss feedback as HTML for the chatter: the wizard's rich text
        (a ``Markup`` that its sanitized Html field made) as it is, anything
        else (a caller's plain string over JSON-2) as escaped text."""
        if not feedback or not isinstance(feedback, str):
            return False
        if not isinstance(feedback, Markup):
            feedback = text_html(feedback)
        return False if is_html_empty(feedback) else feedback

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

    def _isp_status_url(self):
        """The absolute link of the customer's status page."""
        self.ensure_one()
        return self.get_base_url() + self.sudo().get_portal_url()

    def _isp_status_whatsapp_text(self, url):
        return _(
            "Hello %(name)s, this is %(company)s. Follow your installation and "
            "choose its date here: %(url)s",
            name=(self.lead_id.name or "").split(" ")[0],
            company=self.company_id.name,
            url=url,
        )

    def _isp_status_partner(self):
        """The customer's contact, made from the lead if needed (sellers may
        not create contacts themselves), with the lead's e-mail; never a
        user's contact's e-mail (a password reset would go there)."""
        self.ensure_one()
        partner = self.lead_id.sudo()._isp_get_or_create_partner()
        if not partner.email and self.lead_id.email and partner._isp_may_take_email():
            partner.email = self.lead_id.email
        return partner

    def _track_template(self, changes):
        """The customer is told by e-mail, with the link of their page, when
        the visit is scheduled or rescheduled and when the installation is
        done (templates in data/isp_sales_status_mail_data.xml)."""
        templates = super()._track_template(changes)
        ticket = self[0]
        notice = None
        if "state" in changes and ticket.state == ticket_status.WON:
            notice = "installed"
        elif (
            "scheduled_date" in changes
            and ticket.state not in ticket_status.CLOSED_TICKET_STATES
            and ticket.scheduled_date
            and ticket.scheduled_date != ticket.sudo().isp_notified_schedule
        ):
            notice = (
                "rescheduled" if ticket.sudo().isp_notified_schedule else "scheduled"
            )
            ticket.sudo().isp_notified_schedule = ticket.scheduled_date
        template = notice and self.env.ref(
            STATUS_NOTICES[notice], raise_if_not_found=False
        )
        if template and (ticket.lead_id.partner_id.email or ticket.lead_id.email):
            ticket._isp_status_partner()
            templates["isp_status_notice"] = (
                template,
                {
                    "author_id": ticket.company_id.partner_id.id,
                    "email_layout_xmlid": "mail.mail_notification_light",
                    "subtype_xmlid": "mail.mt_comment",
                },
            )
        return templates

    def _on_order_done(self, order):
        """An order was completed; an installation wins the ticket: the lead's
        contact becomes a customer, the ticket's other open orders are
        cancelled (as marking it lost does: a won ticket has no work left)
        and what was sold is frozen."""
        self.ensure_one()
        if order.order_type == ticket_status.INSTALLATION:
            partner = self.lead_id._isp_get_or_create_partner()
            # the customer's own address is never overwritten: a second site
            # becomes a delivery contact (res.partner)
            partner._isp_take_installation_address(
                self.prospect_id._isp_partner_address(),
                self.prospect_id._isp_place_label(),
            )
            partner._isp_mark_customer(fields.Date.context_today(self))
            (
                self.order_ids.filtered(
                    lambda o: o.state in ticket_status.OPEN_ORDER_STATES
                )
                - order
            )._cancel()
            as_action(self)._isp_freeze_sale()
            # won means billed: the contract of what was sold, in this
            # transaction (a failure fails the win)
            self.env["contract.contract"]._isp_create_for_ticket(self, order)

    def _isp_sold_lines(self):
        """The services this ticket sells: its prospect's while it is open,
        its own snapshot once won or lost (both price like lib/pricing)."""
        self.ensure_one()
        return self.sale_line_ids if self.sale_frozen else self.prospect_id.line_ids

    def _isp_freeze_sale(self):
        """Copy what the prospect asks for into the ticket's own lines: from
        now on, editing the prospect, a price or a discount never changes
        what this ticket sold."""
        tickets = as_action(self).filtered(lambda t: not t.sale_frozen)
        if not tickets:
            return
        tickets.env["isp.sales.ticket.line"].sudo().create(
            [
                dict(line._isp_snapshot_values(), ticket_id=ticket.id)
                for ticket in tickets
                for line in ticket.prospect_id.line_ids
            ]
        )
        tickets.write({"sale_frozen": True})

    def _isp_unfreeze_sale(self):
        tickets = as_action(self).filtered("sale_frozen")
        tickets.sale_line_ids.sudo().unlink()
        tickets.write({"sale_frozen": False})

    @api.model
    def _stale_limit(self):
        """Pending tickets whose status has not changed since this are stale."""
        return fields.Datetime.now() - timedelta(days=self._isp_stale_days())

    @api.model
    def _isp_stale_days(self):
        return self.env["ir.config_parameter"]._isp_get_int(
            "isp_sales_desk.stale_days", DEFAULT_STALE_DAYS
        )

    @api.model
    def _isp_cron_batch_size(self):
        return self.env["ir.config_parameter"]._isp_get_int(
            "isp_sales_desk.cron_batch_size", DEFAULT_BATCH_SIZE
        )

    @api.model
    def _cron_flag_stale_tickets(self):
        """Give each stale ticket's employee one follow-up activity, a batch
        per call; the cron runs daily without piling activities up."""
        limit = self._isp_cron_batch_size()
        stale = self._isp_flag_stale(limit)
        remaining = self._isp_stale_to_flag_count() if len(stale) == limit else 0
        self.env["ir.cron"]._commit_progress(len(stale), remaining=remaining)
        return len(stale)

    @api.model
    def _isp_flag_stale(self, limit=None):
        # the activity is the follow-up: no assignment e-mail for each one
        # (a first run may flag thousands of tickets of one seller)
        return self.with_context(mail_activity_quick_update=True)._isp_schedule_once(
            [("is_stale", "=", True)],
            "isp_sales_desk.mail_activity_type_stale_ticket",
            lambda ticket: text_html(
                ticket.env._(
                    "This ticket has been pending since %(date)s: "
                    "contact the prospect again or mark it lost.",
                    date=fields.Date.to_string(ticket.date_state_changed.date()),
                )
            ),
            limit=limit,
        )

    @api.model
    def _isp_stale_to_flag_count(self):
        activity_type = self._isp_activity_type(
            "isp_sales_desk.mail_activity_type_stale_ticket"
        )
        return self.search_count(
            self._isp_to_schedule_domain([("is_stale", "=", True)], activity_type)
        )

    @api.model
    def _isp_flag_recontact(self, prospects):
        """Demand follows the network: when a node starts covering the place of
        a ticket lost for lack of coverage, its employee gets an activity to
        contact the prospect again (once). The tickets of ``prospects`` (those
        a node edit brought into coverage): a batch at once, in the node
        edit's transaction; the rest is queued for the recontact cron."""
        tickets = self.sudo().search(
            Domain("can_recontact", "=", True)
            & Domain("prospect_id", "in", prospects.ids)
            & Domain("recontact_pending", "=", False),
            order="id",
        )
        limit = self._isp_cron_batch_size()
        if len(tickets) > limit:
            tickets[limit:].with_context(tracking_disable=True).write(
                {"recontact_pending": True}
            )
            self.env.ref("isp_sales_desk.ir_cron_isp_sales_recontact")._trigger()
        return self._isp_schedule_recontact(tickets[:limit])

    @api.model
    def _cron_recontact_covered(self):
        """The queued tickets now covered, a batch per call."""
        done, remaining = self._isp_recontact_batch(self._isp_cron_batch_size())
        self.env["ir.cron"]._commit_progress(len(done), remaining=remaining)
        return len(done)

    @api.model
    def _isp_recontact_batch(self, limit):
        """Schedule the recontact activity of up to ``limit`` queued tickets
        and take them off the queue; returns those scheduled and how many
        stay queued."""
        Ticket = self.sudo()
        queued = Ticket.search(
            [("recontact_pending", "=", True)], limit=limit, order="id"
        )
        if not queued:
            return self.browse(), 0
        done = self._isp_schedule_recontact(queued)
        # a technical flag: no tracking to prepare on each ticket
        queued.with_context(tracking_disable=True).write({"recontact_pending": False})
        remaining = (
            Ticket.search_count([("recontact_pending", "=", True)])
            if len(queued) == limit
            else 0
        )
        return done, remaining

    @api.model
    def _isp_schedule_recontact(self, tickets):
        if not tickets:
            return self.browse()
        # a ticket reopened or won meanwhile is left out
        return (
            self.sudo()
            .with_context(mail_activity_quick_update=True)
            ._isp_schedule_once(
                Domain("id", "in", tickets.ids) & Domain("can_recontact", "=", True),
                "isp_sales_desk.mail_activity_type_recontact_covered",
                # names typed by people: text
                lambda ticket: text_html(
                    ticket.env._(
                        "The network now reaches %(place)s (node %(node)s): "
                        "the prospect can be contacted again.",
                        place=ticket.prospect_name,
                        node=ticket.prospect_id.node_id.name,
                    )
                ),
            )
        )

    @api.model
    def _isp_activity_type(self, activity_type_xmlid):
        # a shipped type deleted by hand: the generic to-do does the job
        return self.env.ref(
            activity_type_xmlid, raise_if_not_found=False
        ) or self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)

    @api.model
    def _isp_to_schedule_domain(self, domain, activity_type):
        """``domain``, less the tickets without an employee or with an open
        activity of ``activity_type``."""
        # "id NOT IN (the flagged tickets)", which PostgreSQL hashes once,
        # rather than "activity_ids not any", a per-ticket probe of the
        # activities that went from 30 ms to 8 s at 40,000 stale tickets
        # when the statistics of mail_activity lagged behind its growth
        flagged = (
            self.env["mail.activity"]
            .sudo()
            ._search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "!=", False),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )
        return (
            Domain(domain)
            & Domain("user_id", "!=", False)
            & Domain("id", "not in", flagged.subselect("res_id"))
        )

    @api.model
    def _isp_schedule_once(self, domain, activity_type_xmlid, note, limit=None):
        """Schedule an activity of the given type for the employee of each
        ticket of ``domain``, skipping the tickets that already have one open.

        ``note`` gives the note of a ticket. Returns the tickets scheduled.
        """
        activity_type = self._isp_activity_type(activity_type_xmlid)
        if not activity_type:
            return self.browse()
        tickets = self.search(
            self._isp_to_schedule_domain(domain, activity_type),
            limit=limit,
            order="id",
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

    def _isp_log_state_change(self, new_state, now):
        """Called by ``_compute_state`` when the ticket enters ``new_state``:
        close the open stay and open a new one."""
        self.ensure_one()
        if not self.id:  # a form's draft record: nothing entered any status
            return
        Log = self.env["isp.sales.ticket.state.log"].sudo()
        open_log = (
            Log.search([("ticket_id", "=", self.id), ("date_end", "=", False)])
            if self.state
            else Log
        )
        if open_log.state == new_state and len(open_log) == 1:
            return
        for log in open_log:
            log.write(
                {
                    "date_end": now,
                    "duration_days": reporting.days_between(log.date_start, now),
                }
            )
        # closed in the database before the next stay opens (one open stay
        # per ticket is a unique index)
        open_log.flush_recordset(["date_end"])
        Log.create(
            {
                "ticket_id": self.id,
                "state": new_state,
                "date_start": now,
                "company_id": (self.company_id or self.env.company).id,
            }
        )

    def _isp_claim_external_ref(self, external_ref, fingerprint=None):
        """Give the new ticket its external reference, or fail with a
        ConcurrencyError (retried by Odoo) when another transaction took it
        meanwhile: the retried call then finds that transaction's ticket.

        Plain SQL, so that the expected conflict is not logged as a bad query.
        """
        self.ensure_one()
        try:
            self.env.cr.execute(
                SQL(
                    "UPDATE isp_sales_ticket SET external_ref = %s,"
                    " external_ref_fingerprint = %s WHERE id = %s",
                    external_ref,
                    fingerprint,
                    self.id,
                ),
                log_exceptions=False,
            )
        except UniqueViolation as error:
            if error.diag.constraint_name != EXTERNAL_REF_INDEX:
                raise
            raise ConcurrencyError(
                f"intake: external reference {external_ref!r} taken concurrently"
            ) from error
        self.invalidate_recordset(["external_ref", "external_ref_fingerprint"])

    def _isp_intake_result(self, duplicate, created):
        self.ensure_one()
        return {
            "lead_id": self.lead_id.id,
            "prospect_id": self.prospect_id.id,
            "ticket_id": self.id,
            "ticket_name": self.name,
            "coverage": self.prospect_id.coverage,
            "duplicate": duplicate,
            "created": created,
        }

    def _isp_quote_check(self):
        # the quote shows the ticket: whoever cannot read it gets no quote
        # (a technician only reads the tickets of their own orders)
        self.check_access("read")
        for ticket in self:
            if (
                not ticket.sudo()
                ._isp_sold_lines()
                .filtered(lambda line: line.service_kind == pricing.PLAN)
            ):
                raise UserError(
                    _(
                        "%(ticket)s has no internet plan: choose one on the "
                        "prospect before preparing its quote.",
                        ticket=ticket.name,
                    )
                )

    @api.model
    def _isp_quote_validity_days(self):
        return self.env["ir.config_parameter"]._isp_get_int(
            "isp_sales_desk.quote_validity_days", DEFAULT_QUOTE_VALIDITY_DAYS
        )

    def _isp_quote_lang(self):
        self.ensure_one()
        return self.lead_id._isp_contact_lang()

    def _isp_quote_filename(self):
        self.ensure_one()
        return _("Quote %(ticket)s", ticket=self.name).replace("/", "-")

    def _isp_coverage_words(self):
        """The coverage verdict as a sentence for the prospect."""
        self.ensure_one()
        return {
            "covered": _("The address is within the coverage of our network."),
            "marginal": _(
                "The address is at the edge of our network's coverage: "
                "a technical visit will confirm the service."
            ),
            "uncovered": _("Our network does not reach the address yet."),
        }.get(
            self.prospect_id.coverage,
            _("The coverage of the address has not been checked yet."),
        )

    @api.model
    def _isp_customer_name(self, product, name=False):
        """What a customer reads of a service: its name, or the line's
        description, never the internal reference ("[PLAN-H300] ...")."""
        plain = product.with_context(display_default_code=False).display_name or ""
        name = name or plain
        code = product.default_code
        if code and name.startswith(f"[{code}] "):
            name = name[len(code) + 3 :]
        return name

    def _isp_quote_values(self):
        """What the quote shows, priced by lib/pricing.py (the same numbers
        as the creation wizard's summary)."""
        self.ensure_one()
        lines = self._isp_sold_lines()
        currency = self.currency_id or self.env.company.currency_id
        summary = pricing.compute(lines._pricing_lines(), round_amount=currency.round)
        kinds = dict(
            self.env["product.template"]
            ._fields["service_kind"]
            ._description_selection(self.env)
        )
        today = fields.Date.context_today(self)
        return {
            "currency": currency,
            "date": today,
            "valid_until": today + timedelta(days=self._isp_quote_validity_days()),
            "coverage": self._isp_coverage_words(),
            "plan": self._isp_customer_name(
                self.plan_product_id
                or lines.filtered(lambda line: line.service_kind == pricing.PLAN)[
                    :1
                ].product_id
            ),
            "lines": [
                {
                    "name": self._isp_customer_name(line.product_id, line.name),
                    "kind": kinds.get(line.service_kind, ""),
                    "is_discount": line.service_kind == pricing.DISCOUNT,
                    "percent": line.service_kind == pricing.DISCOUNT
                    and line.discount_type == pricing.PERCENT,
                    "quantity": line.quantity,
                    "price_unit": line.price_unit,
                    "amount": amount,
                }
                for line, amount in zip(lines, summary.line_amounts, strict=True)
            ],
            "summary": summary,
        }
