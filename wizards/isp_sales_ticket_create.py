import logging

import requests

from odoo import Command, api, fields, models
from odoo.exceptions import LockError, UserError, ValidationError

from ..lib import pricing
from ..models.isp_network_node import check_point_or_raise
from ..models.isp_sales_prospect import COVERAGE_SELECTION, pricing_error_message

_logger = logging.getLogger(__name__)

# a seller waits for the geocoder; past this, the map is quicker
GEOCODER_TIMEOUT = 5  # seconds
NOMINATIM_SEARCH_URL = "https://nominatim.openstreetmap.org/search"
NOMINATIM_REVERSE_URL = "https://nominatim.openstreetmap.org/reverse"
GEOCODER_HEADERS = {"User-Agent": "Odoo isp_sales_desk (ticket creation wizard)"}

ADDRESS_FIELDS = (
    "street",
    "street_number",
    "street2",
    "city",
    "state_id",
    "zip",
    "country_id",
)


class GeocoderError(Exception):
    """The geocoder did not answer usefully; ``code`` is ``slow`` or ``down``."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


class IspSalesTicketCreate(models.TransientModel):
    """The "+ Create ticket" wizard: lead, prospect, point, services, summary.

    Everything it creates (lead, prospect and lines, ticket, order) is created
    by :meth:`action_create`, in the transaction of that one call.
    """

    _name = "isp.sales.ticket.create"
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

    # 1. lead ---------------------------------------------------------------
    lead_id = fields.Many2one(
        "isp.sales.lead",
        check_company=True,
        help="Search by name, phone, e-mail or ID document.",
    )
    new_lead_name = fields.Char(string="Name")
    new_lead_contact_type = fields.Selection(
        [("person", "Individual"), ("company", "Company")],
        string="Contact Type",
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

    # 3. geolocation --------------------------------------------------------
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    node_id = fields.Many2one(
        "isp.network.node", string="Nearest Node", compute="_compute_coverage"
    )
    node_distance = fields.Integer(
        string="Node Distance (m)", compute="_compute_coverage"
    )
    coverage = fields.Selection(
        COVERAGE_SELECTION,
        compute="_compute_coverage",
    )
    geo_message = fields.Char(string="Geocoder Message", readonly=True)

    # 4. services -----------------------------------------------------------
    tv_enabled = fields.Boolean(compute="_compute_allowed_product_ids")
    plan_id = fields.Many2one(
        "product.product",
        domain="[('service_kind', '=', 'plan')]",
        check_company=True,
    )
    line_ids = fields.One2many(
        "isp.sales.ticket.create.line", "wizard_id", string="Services"
    )
    allowed_product_ids = fields.Many2many(
        "product.product", compute="_compute_allowed_product_ids"
    )

    # 5. summary --------------------------------------------------------------
    contact_type = fields.Selection(
        [("person", "Individual"), ("company", "Company")],
        string="Contact",
        compute="_compute_contact_type",
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

    @api.depends("latitude", "longitude", "company_id")
    def _compute_coverage(self):
        self.env["isp.network.node"]._isp_set_coverage(self)

    @api.depends("plan_id", "company_id")
    def _compute_allowed_product_ids(self):
        enabled = self._isp_tv_enabled()
        for wizard in self:
            kinds = [pricing.RECURRING_ITEM]
            if enabled:
                kinds.append(pricing.TV_PACKAGE)
            if wizard.plan_id:
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
        "plan_id",
        "line_ids.product_id",
        "line_ids.quantity",
        "line_ids.price_unit",
        "company_id",
    )
    def _compute_amounts(self):
        for wizard in self:
            _records, lines = wizard._isp_pricing_lines()
            message = False
            try:
                summary = pricing.compute(lines, round_amount=wizard.currency_id.round)
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

    @api.onchange("lead_id")
    def _onchange_lead_id(self):
        if self.prospect_id.lead_id != self.lead_id:
            self.prospect_id = False

    @api.onchange("prospect_id")
    def _onchange_prospect_id(self):
        """Start from what the chosen prospect already has."""
        prospect = self.prospect_id
        if not prospect:
            return
        for name in ADDRESS_FIELDS + ("latitude", "longitude"):
            self[name] = prospect[name]
        plan_lines = prospect.line_ids.filtered(
            lambda line: line.service_kind == pricing.PLAN
        )
        self.plan_id = plan_lines[:1].product_id
        self.line_ids = [Command.clear()] + [
            Command.create(
                {
                    "product_id": line.product_id.id,
                    "quantity": line.quantity,
                    "price_unit": line.price_unit,
                }
            )
            for line in prospect.line_ids - plan_lines
        ]

    @api.onchange("plan_id")
    def _onchange_plan_id(self):
        self._isp_strip_orphan_discounts()

    @api.onchange("latitude", "longitude")
    def _onchange_point(self):
        self.geo_message = False

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def write(self, vals):
        result = super().write(vals)
        if "plan_id" in vals and not vals["plan_id"]:
            self._isp_strip_orphan_discounts()
        return result

    @api.constrains("latitude", "longitude")
    def _check_point(self):
        for wizard in self:
            check_point_or_raise(self.env, wizard.latitude, wizard.longitude)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_use_duplicate(self):
        """One click: the likely duplicate becomes the wizard's lead."""
        self.ensure_one()
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
        """Address typed in step 3 -> point on the map."""
        self.ensure_one()
        street = " ".join(filter(None, [self.street, self.street_number]))
        address = self.env["base.geocoder"].geo_query_address(
            street=street or None,
            zip=self.zip or None,
            city=self.city or None,
            state=self.state_id.name or None,
            country=self.country_id.name or None,
        )
        if not (street or self.city):
            self.geo_message = self.env._(
                "Type at least a street and a city to locate the address."
            )
            return self._isp_reopen()
        try:
            point = self._isp_geocode(address)
        except GeocoderError as error:
            self.geo_message = self._isp_geocoder_error_message(error)
            return self._isp_reopen()
        if not point:
            self.geo_message = self.env._(
                "The geocoder found no place for %(address)s. "
                "Check the address, or click on the map.",
                address=address,
            )
            return self._isp_reopen()
        self.write({"latitude": point[0], "longitude": point[1], "geo_message": False})
        return self._isp_reopen()

    def action_reverse_geocode(self):
        """Point on the map -> address of step 3."""
        self.ensure_one()
        if not (self.latitude or self.longitude):
            self.geo_message = self.env._("Place the point on the map first.")
            return self._isp_reopen()
        try:
            values = self._isp_reverse_geocode(self.latitude, self.longitude)
        except GeocoderError as error:
            self.geo_message = self._isp_geocoder_error_message(error)
            return self._isp_reopen()
        if not values:
            self.geo_message = self.env._(
                "The geocoder found no address at this point; type it in."
            )
            return self._isp_reopen()
        self.write(dict(values, geo_message=False))
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
        lines = self._isp_check_ready()
        lead = self.lead_id or self.env["isp.sales.lead"].create(
            self._isp_lead_values()
        )
        prospect_values = {
            name: self[name].id if name.endswith("_id") else self[name]
            for name in ADDRESS_FIELDS
        }
        prospect_values.update(latitude=self.latitude, longitude=self.longitude)
        prospect_values["line_ids"] = [Command.clear()] if self.prospect_id else []
        prospect_values["line_ids"] += [
            Command.create(values) for values in self._isp_prospect_line_values(lines)
        ]
        if self.prospect_id:
            prospect = self.prospect_id
            prospect.write(prospect_values)
        else:
            prospect = self.env["isp.sales.prospect"].create(
                dict(prospect_values, lead_id=lead.id, company_id=self.company_id.id)
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

    def _isp_pricing_lines(self):
        """The plan and the lines as pricing lines, with the line of each
        (an empty recordset for the plan)."""
        self.ensure_one()
        records, lines = [], []
        if self.plan_id:
            records.append(self.env["isp.sales.ticket.create.line"])
            lines.append(
                pricing.Line(
                    kind=pricing.PLAN,
                    price_unit=self.plan_id.lst_price,
                    label=self.plan_id.display_name,
                )
            )
        for line in self.line_ids.filtered("product_id"):
            records.append(line)
            lines.append(line._pricing_line())
        return records, lines

    def _isp_strip_orphan_discounts(self):
        """Discounts go away with the plan they were granted on."""
        for wizard in self:
            records, lines = wizard._isp_pricing_lines()
            kept = {id(line) for line in pricing.strip_orphan_discounts(lines)}
            orphans = wizard.line_ids.browse()
            for record, line in zip(records, lines, strict=True):
                if id(line) not in kept:
                    orphans |= record
            if orphans:
                wizard.line_ids -= orphans

    def _isp_check_ready(self):
        """Refuse a Create that would be incomplete; return the pricing lines."""
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
        if self.plan_id and self.plan_id.service_kind != pricing.PLAN:
            raise ValidationError(
                self.env._(
                    "%(product)s is not an internet plan.",
                    product=self.plan_id.display_name,
                )
            )
        if not self._isp_tv_enabled() and any(
            line.service_kind == pricing.TV_PACKAGE for line in self.line_ids
        ):
            raise ValidationError(
                self.env._("The TV service is not enabled: remove the TV packages.")
            )
        _records, lines = self._isp_pricing_lines()
        try:
            pricing.compute(lines, round_amount=self.currency_id.round)
        except pricing.PricingError as error:
            raise ValidationError(pricing_error_message(self.env, error)) from error
        return lines

    def _isp_lead_values(self):
        return {
            "name": self.new_lead_name.strip(),
            "contact_type": self.new_lead_contact_type or "person",
            "phone": self.new_lead_phone,
            "email": self.new_lead_email,
            "vat": self.new_lead_vat,
            "source_id": self.source_id.id,
            "company_id": self.company_id.id,
        }

    def _isp_prospect_line_values(self, lines):
        records, _lines = self._isp_pricing_lines()
        values = []
        for sequence, (record, line) in enumerate(
            zip(records, lines, strict=True), start=1
        ):
            product = record.product_id if record else self.plan_id
            values.append(
                {
                    "product_id": product.id,
                    "quantity": line.quantity,
                    "price_unit": line.price_unit,
                    "sequence": sequence,
                }
            )
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

    # geocoding ---------------------------------------------------------------

    def _isp_geocoder_error_message(self, error):
        if error.code == "slow":
            return self.env._(
                "The geocoder did not answer within %(seconds)s seconds. "
                "Place the point by clicking on the map.",
                seconds=GEOCODER_TIMEOUT,
            )
        return self.env._(
            "The geocoder is not available right now. "
            "Place the point by clicking on the map."
        )

    def _isp_nominatim(self, url, params):
        try:
            response = requests.get(
                url,
                params=dict(params, format="jsonv2"),
                headers=GEOCODER_HEADERS,
                timeout=GEOCODER_TIMEOUT,
            )
            response.raise_for_status()
            return response.json()
        except requests.Timeout as error:
            raise GeocoderError("slow") from error
        except (requests.RequestException, ValueError) as error:
            _logger.info("Geocoder call failed: %s", error)
            raise GeocoderError("down") from error

    def _isp_geocode(self, address):
        """(latitude, longitude) of the address, or None when not found.

        OpenStreetMap (the default provider of ``base_geolocalize``) is called
        here with a timeout; another provider goes through ``geo_find``.
        """
        Geocoder = self.env["base.geocoder"]
        provider = Geocoder._get_provider().tech_name
        if provider and provider != "openstreetmap":
            try:
                return Geocoder.geo_find(address, force_country=self.country_id.code)
            except UserError as error:
                raise GeocoderError("down") from error
        params = {"q": address, "limit": 1}
        if self.country_id:
            params["countrycodes"] = self.country_id.code.lower()
        result = self._isp_nominatim(NOMINATIM_SEARCH_URL, params)
        try:
            return float(result[0]["lat"]), float(result[0]["lon"])
        except (IndexError, KeyError, TypeError, ValueError):
            return None

    def _isp_reverse_geocode(self, latitude, longitude):
        """Address values at the point (Nominatim reverse), or {} if none."""
        result = self._isp_nominatim(
            NOMINATIM_REVERSE_URL,
            {"lat": latitude, "lon": longitude, "addressdetails": 1},
        )
        address = isinstance(result, dict) and result.get("address")
        if not address:
            return {}
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
            state = self.env["res.country.state"].search(
                [
                    ("name", "=ilike", address["state"]),
                    ("country_id", "=", (country or self.country_id).id),
                ],
                limit=1,
            )
            values["state_id"] = state.id
        return values


class IspSalesTicketCreateLine(models.TransientModel):
    """A service chosen in the wizard (TV package, item or discount)."""

    _name = "isp.sales.ticket.create.line"
    _inherit = ["isp.service.line.mixin"]
    _description = "Create a Sales Desk Ticket: Service"

    wizard_id = fields.Many2one(
        "isp.sales.ticket.create", required=True, ondelete="cascade"
    )
    product_id = fields.Many2one(domain="[('id', 'in', parent.allowed_product_ids)]")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    price_subtotal = fields.Monetary(string="Amount", compute="_compute_price_subtotal")

    @api.depends(
        "wizard_id.plan_id",
        "wizard_id.line_ids.product_id",
        "wizard_id.line_ids.quantity",
        "wizard_id.line_ids.price_unit",
    )
    def _compute_price_subtotal(self):
        self.price_subtotal = 0.0
        for wizard in self.wizard_id:
            records, lines = wizard._isp_pricing_lines()
            try:
                amounts = pricing.compute(
                    lines, round_amount=wizard.currency_id.round
                ).line_amounts
            except pricing.PricingError:
                continue  # the summary shows the broken rule
            for record, amount in zip(records, amounts, strict=True):
                if record in self:
                    record.price_subtotal = amount
