from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import pricing
from .rpc_args import check_ids, check_vals


class IspSalesProspect(models.Model):
    """The concrete opportunity of a lead: a place and the services wanted there."""

    _name = "isp.sales.prospect"
    _description = "Sales Desk Prospect"
    _inherit = [
        "mail.thread",
        "isp.coverage.mixin",
        "isp.priced.services.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        tracking=True,
    )
    lead_id = fields.Many2one(
        "isp.sales.lead",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
    )
    partner_id = fields.Many2one(related="lead_id.partner_id")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    # address
    street = fields.Char(tracking=True)
    street_number = fields.Char(tracking=True)
    street2 = fields.Char()
    city = fields.Char(tracking=True)
    state_id = fields.Many2one(
        "res.country.state", domain="[('country_id', '=?', country_id)]"
    )
    zip = fields.Char()
    country_id = fields.Many2one(
        "res.country", default=lambda self: self.env.company.country_id
    )
    # geolocation & coverage
    latitude = fields.Float(tracking=True)
    longitude = fields.Float(tracking=True)
    has_point = fields.Boolean(compute="_compute_has_point", store=True)
    # nearest active node and verdict; also recomputed when nodes change
    # (isp.network.node._isp_recompute_prospect_coverage)
    node_id = fields.Many2one(
        compute="_compute_coverage",
        index="btree_not_null",
        check_company=True,
        store=True,
        precompute=True,
    )
    node_distance = fields.Integer(
        compute="_compute_coverage", store=True, precompute=True
    )
    coverage = fields.Selection(
        compute="_compute_coverage",
        default="unknown",
        required=True,
        # derived from the point and the network: a node edit recomputes
        # thousands of them and must not write a message on each
        store=True,
        precompute=True,
    )
    # services
    line_ids = fields.One2many(
        "isp.sales.prospect.line", "prospect_id", string="Requested Services", copy=True
    )
    plan_product_id = fields.Many2one(
        "product.product",
        string="Plan",
        compute="_compute_plan_product_id",
        store=True,
        index="btree_not_null",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    # the amounts of isp.priced.services.mixin, stored, for sellers only
    amount_plan = fields.Monetary(
        store=True, groups="isp_sales_desk.group_isp_sales_user"
    )
    amount_tv = fields.Monetary(
        store=True, groups="isp_sales_desk.group_isp_sales_user"
    )
    amount_items = fields.Monetary(
        store=True, groups="isp_sales_desk.group_isp_sales_user"
    )
    amount_subtotal = fields.Monetary(
        store=True, tracking=True, groups="isp_sales_desk.group_isp_sales_user"
    )
    amount_discount = fields.Monetary(
        store=True, groups="isp_sales_desk.group_isp_sales_user"
    )
    amount_total = fields.Monetary(
        store=True, tracking=True, groups="isp_sales_desk.group_isp_sales_user"
    )
    amount_one_time = fields.Monetary(
        store=True, groups="isp_sales_desk.group_isp_sales_user"
    )
    ticket_ids = fields.One2many("isp.sales.ticket", "prospect_id", string="Tickets")
    fsm_location_id = fields.Many2one(
        "fsm.location",
        string="Field Service Location",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )

    # what a node edit searches (isp.network.node._isp_reach_pairs)
    _point_idx = models.Index("(latitude, longitude) WHERE has_point IS TRUE")

    @api.depends("lead_id.name", "street", "street_number", "city")
    def _compute_name(self):
        for prospect in self:
            address = " ".join(filter(None, [prospect.street, prospect.street_number]))
            address = ", ".join(filter(None, [address, prospect.city]))
            lead_name = prospect.lead_id.name or ""
            prospect.name = (
                f"{lead_name} - {address}"
                if address and lead_name
                else lead_name or address
            )

    @api.depends("lead_id")
    def _compute_company_id(self):
        for prospect in self:
            prospect.company_id = (
                prospect.lead_id.company_id or prospect.company_id or self.env.company
            )

    @api.depends("latitude", "longitude")
    def _compute_has_point(self):
        for prospect in self:
            prospect.has_point = bool(prospect.latitude or prospect.longitude)

    @api.depends("line_ids.service_kind", "line_ids.product_id")
    def _compute_plan_product_id(self):
        for prospect in self:
            plan_lines = prospect.line_ids.filtered(
                lambda line: line.service_kind == pricing.PLAN
            )
            prospect.plan_product_id = plan_lines[:1].product_id

    def _isp_partner_address(self):
        """The prospect's place as res.partner values (address and point)."""
        self.ensure_one()
        values = {
            "street": " ".join(filter(None, [self.street, self.street_number])),
            "street2": self.street2,
            "city": self.city,
            "state_id": self.state_id.id,
            "zip": self.zip,
            "country_id": self.country_id.id,
        }
        if self.has_point:
            values.update(
                partner_latitude=self.latitude, partner_longitude=self.longitude
            )
        return values

    def _isp_place_label(self):
        """The place in a few words: "Córdoba 1234, Rosario"."""
        self.ensure_one()
        street = " ".join(filter(None, [self.street, self.street_number]))
        return ", ".join(filter(None, [street, self.city])) or self.name

    def _isp_fsm_location(self):
        """The field service location of the prospect, built on first use.

        Returns an empty recordset when the prospect has no point: a crew
        cannot be sent to a place nobody located.
        """
        self.ensure_one()
        if not self.has_point:
            return self.env["fsm.location"]
        values = dict(
            self._isp_partner_address(),
            phone=self.lead_id.phone or self.lead_id.mobile,
            email=self.lead_id.email,
        )
        location = self.fsm_location_id
        if location:
            # written only if the place changed: rewriting the same address
            # still writes the contact behind the location (its tracking, its
            # commercial fields, its row locked until the commit) for every
            # order of the prospect. All the values then: an address written
            # without its point loses the point (base_geolocalize).
            if any(
                (value or False)
                != location._fields[name].convert_to_write(location[name], location)
                for name, value in values.items()
            ):
                location.write(values)
            return location
        contact = self.lead_id._isp_get_or_create_partner()
        # the location's own chatter starts empty: its story is the ticket's
        self.fsm_location_id = (
            self.env["fsm.location"]
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(
                dict(values, name=self.name, owner_id=contact.id, contact_id=contact.id)
            )
        )
        return self.fsm_location_id

    def write(self, vals):
        check_ids(self)
        check_vals(self.env, vals)
        if (
            "fsm_location_id" in vals
            and not self.env.su
            and any(
                prospect.fsm_location_id.id != (vals["fsm_location_id"] or False)
                for prospect in self
            )
        ):
            # the hand-off writes the prospect's address onto it as the system
            raise UserError(
                _(
                    "The field service location of a prospect is set by the "
                    "sales desk when it sends an order to planning."
                )
            )
        if {"company_id", "lead_id"} & vals.keys():
            self._isp_check_company_move(vals)
        return super().write(vals)

    def _isp_check_company_move(self, vals):
        """A prospect with tickets stays in its company: the tickets, their
        orders and the planning belong to it (its company is its lead's,
        ``check_company`` on ``lead_id``)."""
        new_lead = self.env["isp.sales.lead"].browse(vals.get("lead_id") or [])
        for prospect in self:
            if "company_id" in vals:
                company_id = vals["company_id"]
            elif "lead_id" in vals:
                company_id = new_lead.company_id.id
            else:
                continue
            if (
                company_id != prospect.company_id.id
                and prospect.with_context(active_test=False).ticket_ids
            ):
                raise ValidationError(
                    _(
                        "%(prospect)s has tickets in %(company)s: it cannot move "
                        "to another company.",
                        prospect=prospect.display_name,
                        company=prospect.company_id.name,
                    )
                )

    @api.model
    @api.readonly
    def get_isp_map_settings(self):
        """What the map widget needs: the tile server set in Settings, the
        company's nodes, and where to look before there is a point (see
        ``isp.sales.map``)."""
        return self.env["isp.sales.map"]._map_settings()

    @api.model
    def _isp_recompute_all_coverage(self):
        """Recompute every located prospect's coverage (the margin changed)."""
        prospects = (
            self.sudo()
            .with_context(active_test=False)
            .search([("has_point", "=", True)])
        )
        for name in ("node_id", "node_distance", "coverage"):
            self.env.add_to_compute(self._fields[name], prospects)
        prospects.modified(["node_id", "node_distance", "coverage"])

    @api.ondelete(at_uninstall=False)
    def _unlink_except_tickets(self):
        if self.with_context(active_test=False).ticket_ids:
            raise UserError(_("A prospect with tickets cannot be deleted."))

    @api.constrains("line_ids")
    def _check_lines(self):
        for prospect in self:
            prospect._isp_pricing_summary()
