from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.api import NewId
from odoo.exceptions import LockError, UserError, ValidationError

from ..lib import coverage, pricing
from ..models.base_geocoder import GEOCODER_TIMEOUT, GeocoderError
from ..models.isp_sales_lead import CONTACT_TYPES
from ..models.rpc_args import check_call
from ..models.rule_messages import check_point_or_raise

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
    _inherit = ["isp.coverage.mixin", "isp.priced.services.mixin"]
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

    # one open sale, one ticket: the prospect's open ticket, if it has one
    open_ticket_id = fields.Many2one(
        "isp.sales.ticket",
        string="Open Ticket of the Prospect",
        compute="_compute_open_ticket_id",
    )
    second_ticket_reason = fields.Char(
        string="Reason for a Second Ticket",
        help="Why this prospect needs another ticket while one is still open.",
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
    # the amounts: isp.priced.services.mixin
    pricing_message = fields.Char(compute="_compute_pricing_message")
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

    # 1. lead ---------------------------------------------------------------
    lead_id = fields.Many2one(
        "isp.sales.lead",
        check_company=True,
        help="Search by name, phone, e-mail or ID document.",
    )
    new_lead_name = fields.Char(string="Name")
    new_lead_contact_type = fields.Selection(
        CONTACT_TYPES,
        string="Individual or Company",
        default="person",
    )
    new_lead_phone = fields.Char(string="Phone")
    new_lead_email = fields.Char(string="Email")
    new_lead_vat = fields.Char(string="ID Document")
    source_id = fields.Many2one("utm.source", string="Origin")
    duplicate_lead_ids = fields.Many2many(
        "isp.sales.lead",
        string="Possible Duplicates",
        compute="_compute_duplicate_lead_ids",
    )
    duplicate_lead_id = fields.Many2one(
        "isp.sales.lead",
        string="Likely the Same Person",
        compute="_compute_duplicate_lead_ids",
    )
    geo_message = fields.Char(string="Geocoder Message", readonly=True)

    # ------------------------------------------------------------
    # COMPUTES, SEARCHES AND CONSTRAINTS
    # ------------------------------------------------------------

    @api.depends("coverage", "order_type")
    def _compute_coverage_warning(self):
        for wizard in self:
            wizard.coverage_warning = (
                wizard.coverage == coverage.UNCOVERED
                and wizard.order_type == "installation"
            )

    @api.depends("prospect_id")
    def _compute_open_ticket_id(self):
        for wizard in self:
            wizard.open_ticket_id = wizard._isp_open_ticket()

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
            kinds = [pricing.RECURRING_ITEM, pricing.ONE_TIME]
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
        "currency_id",
    )
    def _compute_pricing_message(self):
        for wizard in self:
            wizard.pricing_message = wizard._isp_pricing_message()

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

    @api.depends("lead_id", "new_lead_phone", "new_lead_email", "new_lead_vat")
    def _compute_duplicate_lead_ids(self):
        Lead = self.env["isp.sales.lead"]
        for wizard in self:
            duplicates = Lead
            if not wizard.lead_id and any(
                (wizard.new_lead_phone, wizard.new_lead_email, wizard.new_lead_vat)
            ):
                duplicates = Lead.with_company(wizard.company_id)._isp_find_duplicates(
                    phone=wizard.new_lead_phone,
                    email=wizard.new_lead_email,
                    vat=wizard.new_lead_vat,
                )
            wizard.duplicate_lead_ids = duplicates
            wizard.duplicate_lead_id = duplicates[:1]

    @api.onchange("new_lead_phone")
    def _onchange_new_lead_phone(self):
        """The phone normalised as soon as typed, as the lead will keep it."""
        if self.new_lead_phone:
            self.new_lead_phone = self.env["isp.sales.lead"]._isp_format_phone(
                self.new_lead_phone, self.company_id
            )

    @api.onchange("lead_id")
    def _onchange_lead_id(self):
        if self.prospect_id.lead_id != self.lead_id:
            self.prospect_id = False

    @api.onchange("latitude", "longitude")
    def _onchange_point(self):
        self.geo_message = False

    # ------------------------------------------------------------
    # ACTIONS (public: reachable over JSON-2)
    # ------------------------------------------------------------

    def action_use_feasibility(self):
        """The point is not covered: check feasibility before installing."""
        check_call(self, "write", single=True)
        self.order_type = "feasibility"
        return self._isp_reopen()

    def action_create(self):
        """Create lead (if new), prospect with lines, ticket and order at once.

        The wizard's row is locked and marked done in the same transaction, so
        a second "Create" (double click, two tabs) creates nothing more: it
        waits, then finds the wizard done and opens the same ticket.
        """
        check_call(self, "write", single=True)
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
        if self.second_ticket_reason and self._isp_open_ticket(exclude=ticket):
            ticket.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "A second open ticket for this prospect (%(open)s is still "
                    "open): %(reason)s",
                    open=self._isp_open_ticket(exclude=ticket).name,
                    reason=self.second_ticket_reason.strip(),
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.write({"state": "done", "ticket_id": ticket.id})
        return self._isp_ticket_action()

    def action_open_existing_ticket(self):
        """The prospect already has an open ticket: work on it instead."""
        check_call(self, "read", single=True)
        ticket = self._isp_open_ticket()
        if not ticket:
            return self._isp_reopen()
        return {
            "type": "ir.actions.act_window",
            "res_model": "isp.sales.ticket",
            "res_id": ticket.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_use_duplicate(self):
        """One click: the likely duplicate becomes the wizard's lead."""
        check_call(self, "write", single=True)
        if self.duplicate_lead_id:
            self.write(
                {
                    "lead_id": self.duplicate_lead_id.id,
                    "new_lead_name": False,
                    "new_lead_phone": False,
                    "new_lead_email": False,
                    "new_lead_vat": False,
                }
            )
        return self._isp_reopen()

    def action_geocode(self):
        """Address typed in step 2 -> point on the map."""
        check_call(self, "write", single=True)
        street = " ".join(filter(None, [self.street, self.street_number]))
        if not (street or self.city):
            return self._isp_geo_done(
                self.env._("Type at least a street and a city to locate the address.")
            )
        Geocoder = self.env["base.geocoder"]
        address = Geocoder.geo_query_address(
            street=street or None,
            zip=self.zip or None,
            city=self.city or None,
            state=self.state_id.name or None,
            country=self.country_id.name or None,
        )
        try:
            point = Geocoder.geo_find(address, force_country=self.country_id.code)
        except UserError as error:
            return self._isp_geo_done(self._isp_geocoder_error_message(error))
        if not point:
            return self._isp_geo_done(
                self.env._(
                    "The geocoder found no place for %(address)s. "
                    "Check the address, or click on the map.",
                    address=address,
                )
            )
        self.write({"latitude": point[0], "longitude": point[1]})
        return self._isp_geo_done(False)

    def action_reverse_geocode(self):
        """Point on the map -> address of step 2."""
        check_call(self, "write", single=True)
        if not (self.latitude or self.longitude):
            return self._isp_geo_done(self.env._("Place the point on the map first."))
        try:
            address = self.env["base.geocoder"]._isp_reverse_geocode(
                self.latitude, self.longitude
            )
        except UserError as error:
            return self._isp_geo_done(self._isp_geocoder_error_message(error))
        if not address:
            return self._isp_geo_done(
                self.env._("The geocoder found no address at this point; type it in.")
            )
        self.write(self._isp_address_values(address))
        return self._isp_geo_done(False)

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

    def _isp_open_ticket(self, exclude=None):
        """The chosen prospect's ticket still being worked (pending or with
        an order in progress), if any: one open sale, one ticket."""
        self.ensure_one()
        if not self.prospect_id:
            return self.env["isp.sales.ticket"]
        domain = [
            ("prospect_id", "=", self.prospect_id.id),
            ("state", "in", ("pending", "in_progress")),
        ]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        return self.env["isp.sales.ticket"].search(domain, order="id", limit=1)

    def _isp_plan_lines(self):
        return self.line_ids.filtered(lambda line: line.service_kind == pricing.PLAN)

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
        open_ticket = self._isp_open_ticket()
        if open_ticket and not (self.second_ticket_reason or "").strip():
            raise ValidationError(
                self.env._(
                    "Step 2: %(prospect)s already has an open ticket, %(ticket)s. "
                    "Open it, or say why this prospect needs a second one.",
                    prospect=self.prospect_id.display_name,
                    ticket=open_ticket.name,
                )
            )
        check_point_or_raise(self.env, self.latitude, self.longitude)
        if not self._isp_tv_enabled() and any(
            line.service_kind == pricing.TV_PACKAGE for line in self.line_ids
        ):
            raise ValidationError(
                self.env._("The TV service is not enabled: remove the TV packages.")
            )
        self._isp_pricing_summary()

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

    def _prepare_lead_values(self):
        return {
            "name": self.new_lead_name.strip(),
            "contact_type": self.new_lead_contact_type or "person",
            "phone": self.new_lead_phone,
            "email": self.new_lead_email,
            "vat": self.new_lead_vat,
            "source_id": self.source_id.id,
            "company_id": self.company_id.id,
        }

    def _isp_geo_done(self, message):
        self.geo_message = message
        return self._isp_reopen()

    def _isp_geocoder_error_message(self, error):
        if getattr(error, "code", None) == "slow":
            return self.env._(
                "The geocoder did not answer within %(seconds)s seconds. "
                "Place the point by clicking on the map.",
                seconds=GEOCODER_TIMEOUT,
            )
        if isinstance(error, GeocoderError):
            return self.env._(
                "The geocoder is not available right now. "
                "Place the point by clicking on the map."
            )
        return error.args[0]

    def _isp_address_values(self, address):
        """Nominatim's address parts as the wizard's address fields."""
        values = {
            "street": address.get("road") or address.get("pedestrian") or False,
            "street_number": address.get("house_number") or False,
            "city": address.get("city")
            or address.get("town")
            or address.get("village")
            or address.get("municipality")
            or False,
            "zip": address.get("postcode") or False,
        }
        country = self.env["res.country"]
        if address.get("country_code"):
            country = country.search(
                [("code", "=ilike", address["country_code"])], limit=1
            )
        if country:
            values["country_id"] = country.id
        if address.get("state"):
            values["state_id"] = (
                self.env["res.country.state"]
                .search(
                    [
                        ("name", "=ilike", address["state"]),
                        ("country_id", "=", (country or self.country_id).id),
                    ],
                    limit=1,
                )
                .id
            )
        return values
