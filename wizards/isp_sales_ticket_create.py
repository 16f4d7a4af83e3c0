from odoo import Command, api, fields, models
from odoo.api import NewId
from odoo.exceptions import LockError, UserError, ValidationError

from ..lib import coverage, pricing
from ..models.isp_network_node import check_point_or_raise
from ..models.isp_sales_lead import CONTACT_TYPES
from ..models.isp_sales_prospect import pricing_error_message

ADDRESS_FIELDS = (
    "street",
    "street_number",
    "street2",
    "city",
    "state_id",
    "zip",
    "country_id",
)


class IspSalesTicketCreate(models.TransientModel):
    """The "+ Create ticket" wizard: lead, prospect, point, services, summary.

    It only orchestrates: the point and its coverage come from
    ``isp.coverage.mixin``, the services are the same lines as a prospect's
    (``isp.service.line.mixin``, the plan being one of them), the prices from
    lib/pricing.py, the geocoding from ``base.geocoder``; :meth:`action_create`
    prepares values and calls the models, in the transaction of that one call.
    """

    _name = "isp.sales.ticket.create"
    _inherit = ["isp.coverage.mixin"]
    _description = "Create a Sales Desk Ticket"
    _check_company_auto = True

    state = fields.Selection(
        [("draft", "Draft"), ("done", "Created")],
        string="Wizard Status",
        default="draft",
        required=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    ticket_id = fields.Many2one("isp.sales.ticket", readonly=True)

    # 2. prospect -----------------------------------------------------------
    prospect_id = fields.Many2one(
        "isp.sales.prospect",
        string="Existing Prospect",
        domain="[('lead_id', '=', lead_id)]",
        check_company=True,
        help="Leave empty to create a new prospect for the lead.",
    )
    street = fields.Char()
    street_number = fields.Char(string="Number")
    street2 = fields.Char(string="Street 2")
    city = fields.Char()
    state_id = fields.Many2one(
        "res.country.state",
        domain="[('country_id', '=?', country_id)]",
    )
    zip = fields.Char()
    country_id = fields.Many2one(
        "res.country", default=lambda self: self.env.company.country_id
    )

    # 3. geolocation: latitude, longitude and coverage (isp.coverage.mixin)
    coverage_warning = fields.Boolean(compute="_compute_coverage_warning")

    # 4. services -----------------------------------------------------------
    tv_enabled = fields.Boolean(compute="_compute_allowed_product_ids")
    # the plan is one of the service lines; this field picks it
    plan_id = fields.Many2one(
        "product.product",
        domain="[('service_kind', '=', 'plan')]",
        check_company=True,
        compute="_compute_plan_id",
        inverse="_inverse_plan_id",
        store=True,
        readonly=False,
    )
    line_ids = fields.One2many(
        "isp.sales.ticket.create.line", "wizard_id", string="Services"
    )
    allowed_product_ids = fields.Many2many(
        "product.product", compute="_compute_allowed_product_ids"
    )

    # 5. summary --------------------------------------------------------------
    contact_type = fields.Selection(
        CONTACT_TYPES, string="Contact Type", compute="_compute_contact_type"
    )
    amount_plan = fields.Monetary(string="Plan Price", compute="_compute_amounts")
    amount_tv = fields.Monetary(string="TV Packages", compute="_compute_amounts")
    amount_items = fields.Monetary(
        string="Additional Items", compute="_compute_amounts"
    )
    amount_subtotal = fields.Monetary(string="Subtotal", compute="_compute_amounts")
    amount_discount = fields.Monetary(string="Discounts", compute="_compute_amounts")
    amount_total = fields.Monetary(
        string="Estimated Monthly Total", compute="_compute_amounts"
    )
    pricing_message = fields.Char(compute="_compute_amounts")
    order_type = fields.Selection(
        [
            ("ticket", "Ticket only"),
            ("installation", "Ticket + installation order"),
            ("feasibility", "Ticket + feasibility order"),
        ],
        string="Create",
        required=True,
        default="installation",
    )

    # ------------------------------------------------------------
    # COMPUTES AND ONCHANGES
    # ------------------------------------------------------------

    @api.depends("coverage", "order_type")
    def _compute_coverage_warning(self):
        for wizard in self:
            wizard.coverage_warning = (
                wizard.coverage == coverage.UNCOVERED
                and wizard.order_type == "installation"
            )

    @api.depends("line_ids.product_id")
    def _compute_plan_id(self):
        for wizard in self:
            wizard.plan_id = wizard._isp_plan_lines()[:1].product_id

    def _inverse_plan_id(self):
        for wizard in self:
            wizard._isp_apply_plan()

    @api.depends("line_ids.product_id", "company_id")
    def _compute_allowed_product_ids(self):
        enabled = self._isp_tv_enabled()
        for wizard in self:
            kinds = [pricing.RECURRING_ITEM]
            if enabled:
                kinds.append(pricing.TV_PACKAGE)
            if wizard._isp_plan_lines():
                kinds.append(pricing.DISCOUNT)
            wizard.tv_enabled = enabled
            wizard.allowed_product_ids = self.env["product.product"].search(
                [
                    ("service_kind", "in", kinds),
                    ("company_id", "in", [False, wizard.company_id.id]),
                ]
            )

    @api.depends("lead_id.contact_type", "new_lead_contact_type")
    def _compute_contact_type(self):
        for wizard in self:
            wizard.contact_type = (
                wizard.lead_id.contact_type
                if wizard.lead_id
                else wizard.new_lead_contact_type
            )

    @api.depends(
        "line_ids.product_id",
        "line_ids.quantity",
        "line_ids.price_unit",
        "company_id",
    )
    def _compute_amounts(self):
        for wizard in self:
            message = False
            try:
                summary = pricing.compute(
                    wizard._isp_pricing_lines(), round_amount=wizard.currency_id.round
                )
            except pricing.PricingError as error:
                summary = pricing.Summary()
                message = pricing_error_message(self.env, error)
            wizard.amount_plan = summary.plan
            wizard.amount_tv = summary.tv
            wizard.amount_items = summary.items
            wizard.amount_subtotal = summary.subtotal
            wizard.amount_discount = summary.discount
            wizard.amount_total = summary.total
            wizard.pricing_message = message

    @api.onchange("prospect_id")
    def _onchange_prospect_id(self):
        """Start from what the chosen prospect already has."""
        prospect = self.prospect_id
        if not prospect:
            return
        for name in ADDRESS_FIELDS + ("latitude", "longitude"):
            self[name] = prospect[name]
        self.line_ids = [Command.clear()] + [
            Command.create(line._isp_service_values()) for line in prospect.line_ids
        ]

    @api.onchange("plan_id")
    def _onchange_plan_id(self):
        self._isp_apply_plan()

    @api.onchange("line_ids")
    def _onchange_line_ids(self):
        self._isp_strip_orphan_discounts()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_use_feasibility(self):
        """The point is not covered: check feasibility before installing."""
        self.ensure_one()
        self.order_type = "feasibility"
        return self._isp_reopen()

    def action_create(self):
        """Create lead (if new), prospect with lines, ticket and order at once.

        The wizard's row is locked and marked done in the same transaction, so
        a second "Create" (double click, two tabs) creates nothing more: it
        waits, then finds the wizard done and opens the same ticket.
        """
        self.ensure_one()
        try:
            self.lock_for_update()
        except LockError as error:
            raise UserError(
                self.env._("This ticket is being created already; wait a moment.")
            ) from error
        if self.state == "done":
            return self._isp_ticket_action()
        self._isp_check_ready()
        lead = self.lead_id or self.env["isp.sales.lead"].create(
            self._prepare_lead_values()
        )
        if self.prospect_id:
            prospect = self.prospect_id
            prospect.write(self._prepare_prospect_values())
        else:
            prospect = self.env["isp.sales.prospect"].create(
                dict(
                    self._prepare_prospect_values(),
                    lead_id=lead.id,
                    company_id=self.company_id.id,
                )
            )
        ticket = self.env["isp.sales.ticket"].create({"prospect_id": prospect.id})
        if self.order_type != "ticket":
            ticket.action_create_order(self.order_type)
        self.write({"state": "done", "ticket_id": ticket.id})
        return self._isp_ticket_action()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _isp_tv_enabled(self):
        return bool(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("isp_sales_desk.tv_enabled")
        )

    def _isp_plan_lines(self):
        return self.line_ids.filtered(lambda line: line.service_kind == pricing.PLAN)

    def _isp_pricing_lines(self):
        self.ensure_one()
        return self.line_ids.filtered("product_id")._pricing_lines()

    def _isp_apply_plan(self):
        """Make the plan line match ``plan_id`` (one line, or none); the
        discounts go away with a plan that is removed."""
        self.ensure_one()
        plan_lines = self._isp_plan_lines()
        if plan_lines.product_id == self.plan_id and len(plan_lines) <= 1:
            return
        if self.plan_id and self.plan_id.service_kind != pricing.PLAN:
            raise ValidationError(
                self.env._(
                    "%(product)s is not an internet plan.",
                    product=self.plan_id.display_name,
                )
            )
        plan = [{"product_id": self.plan_id.id}] if self.plan_id else []
        if isinstance(self.id, NewId):
            # in a form, lines are new records: rebuild them from their values
            kept = [line._isp_service_values() for line in self.line_ids - plan_lines]
            self.line_ids = [Command.clear()] + [
                Command.create(values) for values in plan + kept
            ]
        else:
            self.line_ids = [Command.unlink(line.id) for line in plan_lines] + [
                Command.create(values) for values in plan
            ]
        if plan_lines and not self.plan_id:
            self._isp_strip_orphan_discounts()

    def _isp_strip_orphan_discounts(self):
        """Discounts go away with the plan they were granted on."""
        for wizard in self:
            wizard.line_ids -= wizard.line_ids._isp_orphan_discounts()

    def _isp_check_ready(self):
        """Refuse a Create that would be incomplete."""
        self.ensure_one()
        if not self.lead_id and not (self.new_lead_name or "").strip():
            raise ValidationError(
                self.env._("Step 1: choose a lead, or type the name of a new one.")
            )
        if self.prospect_id and self.prospect_id.lead_id != self.lead_id:
            raise ValidationError(
                self.env._("Step 2: the prospect chosen belongs to another lead.")
            )
        check_point_or_raise(self.env, self.latitude, self.longitude)
        if not self._isp_tv_enabled() and any(
            line.service_kind == pricing.TV_PACKAGE for line in self.line_ids
        ):
            raise ValidationError(
                self.env._("The TV service is not enabled: remove the TV packages.")
            )
        try:
            pricing.compute(
                self._isp_pricing_lines(), round_amount=self.currency_id.round
            )
        except pricing.PricingError as error:
            raise ValidationError(pricing_error_message(self.env, error)) from error

    def _prepare_prospect_values(self):
        """The prospect's address, point and services, the plan first.
        Rewriting a reused prospect never touches its closed tickets: they
        keep the snapshot of what they sold."""
        values = {
            name: self[name].id if name.endswith("_id") else self[name]
            for name in ADDRESS_FIELDS
        }
        lines = self.line_ids.filtered("product_id").sorted(
            lambda line: line.service_kind != pricing.PLAN
        )
        values.update(
            latitude=self.latitude,
            longitude=self.longitude,
            line_ids=[Command.clear()] if self.prospect_id else [],
        )
        values["line_ids"] += [
            Command.create(dict(line._isp_service_values(), sequence=sequence))
            for sequence, line in enumerate(lines, start=1)
        ]
        return values

    def _isp_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Create Ticket"),
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "new",
            "context": self.env.context,
        }

    def _isp_ticket_action(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "isp.sales.ticket",
            "res_id": self.ticket_id.id,
            "views": [(False, "form")],
            "target": "current",
        }
