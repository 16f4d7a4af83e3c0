from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from ..lib import normalize
from .rpc_args import check_call, check_ids, check_vals

CONTACT_TYPES = [("person", "Individual"), ("company", "Company")]
# fewer digits than this are not searched as a phone or a document
PHONE_SEARCH_MIN_DIGITS = 5
PHONE_FIELDS = ("phone", "mobile")
# who may send requests through ``intake``: a bot with an API key, a seller
INTAKE_GROUPS = (
    "isp_sales_desk.group_isp_sales_intake",
    "isp_sales_desk.group_isp_sales_user",
)


class IspSalesLead(models.Model):
    """A person interested in the ISP's service."""

    _name = "isp.sales.lead"
    _description = "Sales Desk Lead"
    _inherit = ["mail.thread.phone", "mail.activity.mixin", "utm.mixin"]
    _order = "id desc"
    _primary_email = "email"
    _rec_names_search = ["name", "phone", "mobile", "email", "vat"]
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True, index="trigram")
    contact_type = fields.Selection(
        CONTACT_TYPES,
        required=True,
        default="person",
        tracking=True,
    )
    phone = fields.Char(tracking=True)
    mobile = fields.Char(tracking=True)
    email = fields.Char(tracking=True, index="trigram")
    vat = fields.Char(
        string="ID Document",
        tracking=True,
        index="btree_not_null",
        help="National identity document or tax ID (DNI, CUIT, RUT…).",
    )
    # normalised keys for duplicate detection: stored and indexed, so that a
    # check costs the same at 1,000 and at 1,000,000 leads
    phone_key = fields.Char(
        compute="_compute_contact_keys", store=True, index="btree_not_null"
    )
    mobile_key = fields.Char(
        compute="_compute_contact_keys", store=True, index="btree_not_null"
    )
    email_normalized = fields.Char(
        compute="_compute_contact_keys", store=True, index="btree_not_null"
    )
    vat_normalized = fields.Char(
        compute="_compute_contact_keys", store=True, index="btree_not_null"
    )
    # origin of the lead: Odoo's UTM source (utm.mixin gives source_id)
    source_id = fields.Many2one(tracking=True, index="btree_not_null")
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        tracking=True,
        index="btree_not_null",
        check_company=True,
        help="The Odoo contact of this lead; created when the lead becomes a customer.",
    )
    referred_by_partner_id = fields.Many2one(
        "res.partner",
        string="Referred By",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="The customer who recommended the service to this lead "
        "(use it with the Referral origin).",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        default=lambda self: self.env.user,
        tracking=True,
        index="btree_not_null",
        domain="[('share', '=', False)]",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True, tracking=True)
    prospect_ids = fields.One2many("isp.sales.prospect", "lead_id", string="Prospects")
    ticket_ids = fields.One2many("isp.sales.ticket", "lead_id", string="Tickets")
    prospect_count = fields.Integer(compute="_compute_counts")
    ticket_count = fields.Integer(compute="_compute_counts")
    note = fields.Html()

    # sellers type a part of the number ("523-9981"): suffix searches on the keys
    _phone_key_trgm_idx = models.Index(
        "USING gin (phone_key gin_trgm_ops) WHERE phone_key IS NOT NULL"
    )
    _mobile_key_trgm_idx = models.Index(
        "USING gin (mobile_key gin_trgm_ops) WHERE mobile_key IS NOT NULL"
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("phone", "mobile", "email", "vat", "company_id.country_id")
    def _compute_contact_keys(self):
        for lead in self:
            country = lead.company_id.country_id or self.env.company.country_id
            lead.phone_key = lead._isp_phone_key(lead.phone, country)
            lead.mobile_key = lead._isp_phone_key(lead.mobile, country)
            lead.email_normalized = normalize.email(lead.email) or False
            lead.vat_normalized = normalize.id_document(lead.vat) or False

    @api.model
    def _isp_phone_key(self, number, country=None):
        """The duplicate key of a phone number as typed, for the country
        (lib/normalize: E.164 by phonenumbers, then the key)."""
        if not number:
            return False
        country = country or self.env.company.country_id
        formatted = normalize.e164(number, country.code)
        return normalize.phone_key(formatted or number) or False

    def _compute_counts(self):
        Ticket = self.env["isp.sales.ticket"].with_context(active_test=False)
        tickets = dict(
            Ticket._read_group([("lead_id", "in", self.ids)], ["lead_id"], ["__count"])
        )
        prospects = dict(
            self.env["isp.sales.prospect"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.ticket_count = tickets.get(lead, 0)
            lead.prospect_count = prospects.get(lead, 0)

    def _phone_get_number_fields(self):
        return ["mobile", "phone"]

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model
    def _search_display_name(self, operator, value):
        """Find a lead by its phone however a seller types it (national or
        international, with the Argentine 15 or 9, or only its last digits)
        and by its ID document with or without dots, with the same keys as
        the duplicate check."""
        domain = super()._search_display_name(operator, value)
        if operator == "ilike" and isinstance(value, str) and value.strip():
            contact = self._isp_contact_search_domain(value)
            if contact is not None:
                domain = Domain.OR([domain, contact])
        return domain

    @api.model
    def _isp_contact_search_domain(self, value):
        """The leads whose phone, mobile or ID document is ``value``, however
        written, or whose phone ends with it ("523-9981", "15-523-9981")."""
        digits = normalize.digits(value)
        domains = []
        if len(digits) >= PHONE_SEARCH_MIN_DIGITS:
            key = self._isp_phone_key(value)
            tails = normalize.phone_tails(value, self.env.company.country_id.code)
            for name in ("phone_key", "mobile_key"):
                domains.append(Domain(name, "=", key))
                domains += [Domain(name, "=like", f"%{tail}") for tail in tails]
        document = normalize.id_document(value)
        if len(digits) >= PHONE_SEARCH_MIN_DIGITS and document:
            domains.append(Domain("vat_normalized", "=", document))
        return Domain.OR(domains) if domains else None

    @api.constrains("user_id")
    def _check_user_id(self):
        for lead in self.filtered(lambda lead: lead.user_id.share):
            raise ValidationError(
                self.env._(
                    "%(user)s is not an employee: the desk's work is assigned "
                    "to employees only.",
                    user=lead.user_id.name,
                )
            )

    @api.constrains("partner_id")
    def _check_partner_id(self):
        """A lead's contact is a customer's own: never an employee's (the desk
        makes the contact of a won lead a customer, with its address) nor a
        company's."""
        partners = self.partner_id
        forbidden = (
            partners._isp_users_contacts(internal_only=True)
            | partners._isp_companies_contacts()
        )
        for lead in self.filtered(lambda lead: lead.partner_id in forbidden):
            raise ValidationError(
                self.env._(
                    "%(contact)s is the contact of a user or of a company: the "
                    "contact of a lead must be the customer's own contact.",
                    contact=lead.partner_id.sudo().display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if isinstance(vals, dict):
                company = self.env["res.company"].browse(vals.get("company_id"))
                self._isp_format_phones(vals, company or self.env.company)
        return super().create(vals_list)

    def write(self, vals):
        check_ids(self)
        check_vals(self.env, vals)
        if "company_id" in vals:
            moved = self.filtered(
                lambda lead: (
                    lead.company_id.id != vals["company_id"]
                    and lead.with_context(active_test=False).prospect_ids
                )
            )
            if moved:
                # its prospects, tickets, orders and their planning happened
                # in that company: they would be left behind, or moved along
                raise ValidationError(
                    self.env._(
                        "%(lead)s has prospects in %(company)s: its company "
                        "cannot change any more.",
                        lead=moved[0].display_name,
                        company=moved[0].company_id.name,
                    )
                )
        if any(vals.get(name) for name in PHONE_FIELDS):
            vals = dict(vals)
            self._isp_format_phones(vals, self.company_id[:1] or self.env.company)
        return super().write(vals)

    @api.onchange("phone", "mobile")
    def _onchange_isp_phones(self):
        """Shown normalised as soon as typed, as Odoo's contacts do."""
        for name in PHONE_FIELDS:
            if self[name]:
                self[name] = self._isp_format_phone(self[name], self.company_id)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_tickets(self):
        if self.with_context(active_test=False).ticket_ids:
            raise UserError(
                _("A lead with tickets cannot be deleted; archive it instead.")
            )

    # ------------------------------------------------------------
    # ACTIONS (public: reachable over JSON-2)
    # ------------------------------------------------------------

    @api.model
    def intake(
        self,
        name,
        phone=None,
        email=None,
        vat=None,
        contact_type=None,
        street=None,
        street_number=None,
        city=None,
        zip=None,
        latitude=None,
        longitude=None,
        plan_code=None,
        source=None,
        medium=None,
        campaign=None,
        note=None,
        external_ref=None,
    ):
        """Take a request from outside (a website, lead ads, a call centre)
        into the desk in one call: a lead (reused when phone, e-mail or ID
        document match), a prospect with the point and the plan, and a ticket
        assigned round-robin. An uncovered place becomes demand: a ticket lost
        for *No coverage*, tagged *Waiting list* (see ``isp.sales.intake``).

        Retried with the same ``external_ref``, it returns the first result
        (``created`` false). Returns ``{lead_id, prospect_id, ticket_id,
        ticket_name, coverage, duplicate, created}``.
        """
        if not self.env.su and not any(
            self.env.user.has_group(group) for group in INTAKE_GROUPS
        ):
            raise AccessError(
                self.env._("You are not allowed to send leads to the sales desk.")
            )
        return self.env["isp.sales.intake"]._from_api(
            {
                "name": name,
                "phone": phone,
                "email": email,
                "vat": vat,
                "contact_type": contact_type,
                "street": street,
                "street_number": street_number,
                "city": city,
                "zip": zip,
                "latitude": latitude,
                "longitude": longitude,
                "plan_code": plan_code,
                "source": source,
                "medium": medium,
                "campaign": campaign,
                "note": note,
                "external_ref": external_ref,
            }
        )

    def action_view_tickets(self):
        check_call(self, "read", single=True)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "isp_sales_desk.isp_sales_ticket_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id, "active_test": False}
        return action

    def action_view_prospects(self):
        check_call(self, "read", single=True)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "isp_sales_desk.isp_sales_prospect_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _isp_duplicate_keys(self, phone=False, email=False, vat=False):
        """The keys the duplicate check compares: ``{kind: key}`` of those
        given (a phone line however written, an e-mail, an ID document)."""
        keys = {
            "phone": self._isp_phone_key(phone),
            "email": normalize.email(email),
            "vat": normalize.id_document(vat),
        }
        return {kind: key for kind, key in keys.items() if key}

    @api.model
    def _isp_format_phone(self, number, company=None):
        """A phone as Odoo's phone_validation stores it when typed in a
        contact or a CRM lead: normalised in international format ("0341 15
        523-9981" -> "+54 9 341 523-9981") in the numbering plan of the
        company's country; kept as typed when it cannot be read as a phone
        (Odoo keeps it too). Its E.164 form is ``phone_sanitized``."""
        if not number:
            return number
        country = (company or self.env.company).country_id
        return (
            self._phone_format(
                number=number, country=country, force_format="INTERNATIONAL"
            )
            or number
        )

    @api.model
    def _isp_format_phones(self, vals, company):
        for name in PHONE_FIELDS:
            if vals.get(name):
                vals[name] = self._isp_format_phone(vals[name], company)

    @api.model
    def _isp_find_duplicates(self, phone=False, email=False, vat=False, limit=5):
        """Leads of the current company that are likely the same person: same
        phone line (phone or mobile, however written), same e-mail, or same
        ID document; one query on the indexed keys."""
        domains = []
        keys = self._isp_duplicate_keys(phone, email, vat)
        if keys.get("phone"):
            domains += [
                Domain("phone_key", "=", keys["phone"]),
                Domain("mobile_key", "=", keys["phone"]),
            ]
        if keys.get("email"):
            domains.append(Domain("email_normalized", "=", keys["email"]))
        if keys.get("vat"):
            domains.append(Domain("vat_normalized", "=", keys["vat"]))
        if not domains:
            return self.browse()
        return self.search(
            Domain.OR(domains) & Domain("company_id", "=", self.env.company.id),
            limit=limit,
        )

    def _isp_contact_lang(self):
        """The language of what the desk sends this lead (the quote, its
        e-mail): its contact's; else the company's, the ISP's language;
        else its seller's."""
        self.ensure_one()
        return (
            self.partner_id.lang
            or self.company_id.partner_id.lang
            or self.user_id.lang
            or self.env.lang
        )

    def _isp_get_or_create_partner(self):
        """The lead's contact, created from the lead when it has none, in the
        lead's language (not in the language of whoever made it: a seller
        working in English, the mail gateway, a bot)."""
        self.ensure_one()
        if not self.partner_id:
            values = {
                "name": self.name,
                "is_company": self.contact_type == "company",
                "phone": self.phone or self.mobile,
                "email": self.email,
                "company_id": self.company_id.id,
                "lang": self._isp_contact_lang(),
            }
            Partner = self.env["res.partner"].with_context(
                mail_create_nolog=True, mail_create_nosubscribe=True
            )
            try:
                # a localisation may validate the document as a tax number
                with self.env.cr.savepoint():
                    partner = Partner.create(dict(values, vat=self.vat))
            except ValidationError:
                partner = Partner.create(values)
            self.partner_id = partner
        return self.partner_id
