from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import billing, coverage, slots
from .rpc_args import check_ids

OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
    "contributors"
)
DEFAULT_SUBMIT_LIMIT = 10  # submissions per IP and hour
DEFAULT_CHECK_LIMIT = 60  # checks per IP and minute
DEFAULT_QUOTE_VALIDITY_DAYS = 15


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # --- the desk ----------------------------------------------------------
    isp_tv_enabled = fields.Boolean(
        string="TV Service",
        config_parameter="isp_sales_desk.tv_enabled",
        help="Offer TV packages on prospects and in the ticket creation wizard.",
    )
    isp_stale_days = fields.Integer(
        string="Stale After (days)",
        config_parameter="isp_sales_desk.stale_days",
        default=7,
        help="A pending ticket untouched for this many days is flagged as stale "
        "and its assigned employee gets a follow-up activity.",
    )
    isp_quote_validity_days = fields.Integer(
        string="Quote Validity (days)",
        config_parameter="isp_sales_desk.quote_validity_days",
        default=DEFAULT_QUOTE_VALIDITY_DAYS,
        help="A quote sent to a prospect holds its prices for this many days.",
    )

    # --- won means billed, and the customer is told -------------------------
    isp_contract_first_period = fields.Selection(
        list(billing.FIRST_PERIOD_SELECTION),
        string="First Billing Period",
        config_parameter="isp_sales_desk.contract_first_period",
        default=billing.DEFAULT_FIRST_PERIOD,
        help="A won ticket's contract starts on the installation day; its "
        "billing starts on the first of the next month, or with the rest of "
        "the installation month, prorated by days.",
    )
    isp_slot_cutoff_hours = fields.Integer(
        string="Slot Change Cut-off (hours)",
        config_parameter="isp_sales_desk.slot_cutoff_hours",
        default=slots.DEFAULT_CUTOFF_HOURS,
        help="Customers choose or change their installation slot on their "
        "status page until this many hours before it starts.",
    )
    isp_status_link_days = fields.Integer(
        string="Status Page Open After Closing (days)",
        config_parameter="isp_sales_desk.status_link_days",
        default=30,
        help="A won or lost ticket's status page stays open this many days.",
    )
    isp_desk_phone = fields.Char(related="company_id.isp_desk_phone", readonly=False)
    isp_desk_whatsapp = fields.Char(
        related="company_id.isp_desk_whatsapp", readonly=False
    )

    # --- coverage and maps -------------------------------------------------
    isp_coverage_margin_percent = fields.Integer(
        string="Coverage Margin (%)",
        config_parameter="isp_sales_desk.coverage_margin_percent",
        default=coverage.DEFAULT_MARGIN_PERCENT,
        help="A point outside a node's radius by at most this percentage of "
        "the radius is marginal instead of not covered.",
    )
    isp_map_tile_url = fields.Char(
        string="Map Tile URL",
        config_parameter="isp_sales_desk.map_tile_url",
        default=OSM_TILE_URL,
        help="Template of the map tiles' URL, with {z}, {x} and {y}.",
    )
    isp_map_attribution = fields.Char(
        string="Map Attribution",
        config_parameter="isp_sales_desk.map_attribution",
        default=OSM_ATTRIBUTION,
    )

    # --- requests from outside ---------------------------------------------
    isp_intake_user_ids = fields.Many2many(
        related="company_id.isp_intake_user_ids", readonly=False
    )
    isp_intake_fallback_user_ids = fields.Many2many(
        "res.users",
        string="Receiving Leads Meanwhile",
        compute="_compute_isp_intake_fallback_user_ids",
        help="With no seller chosen, every user of the sales desk receives the "
        "requests in turn.",
    )
    isp_coverage_page = fields.Boolean(
        related="company_id.isp_coverage_page", readonly=False
    )
    isp_coverage_submit_limit = fields.Integer(
        string="Submissions per Hour",
        config_parameter="isp_sales_desk.coverage_submit_limit",
        default=DEFAULT_SUBMIT_LIMIT,
        help="Requests one visitor (IP address) may send from the availability "
        "page in an hour.",
    )
    isp_coverage_check_limit = fields.Integer(
        string="Checks per Minute",
        config_parameter="isp_sales_desk.coverage_check_limit",
        default=DEFAULT_CHECK_LIMIT,
        help="Coverage checks one visitor (IP address) may run in a minute.",
    )
    isp_alias_name = fields.Char(
        string="Leads by E-mail",
        compute="_compute_isp_alias_name",
        readonly=False,
        help="Each new e-mail to this address becomes a lead and a ticket of "
        "the desk; the sender's replies land on the same ticket.",
    )
    isp_alias_domain = fields.Char(
        string="Desk Alias Domain", compute="_compute_isp_alias_name"
    )

    # ------------------------------------------------------------
    # COMPUTES AND CONSTRAINTS
    # ------------------------------------------------------------

    @api.depends("company_id")
    def _compute_isp_intake_fallback_user_ids(self):
        for settings in self:
            settings.isp_intake_fallback_user_ids = (
                settings.company_id._isp_desk_users()
            )

    def _compute_isp_alias_name(self):
        alias = self._isp_alias()
        for settings in self:
            settings.isp_alias_name = alias.sudo().alias_name if alias else False
            settings.isp_alias_domain = (
                alias.sudo().alias_domain or settings.company_id.alias_domain_id.name
                if alias
                else False
            )

    @api.constrains("isp_stale_days")
    def _check_isp_stale_days(self):
        for settings in self:
            if settings.isp_stale_days < 1:
                raise ValidationError(
                    self.env._("A ticket can only become stale after one day or more.")
                )

    @api.constrains("isp_quote_validity_days")
    def _check_isp_quote_validity_days(self):
        for settings in self:
            if settings.isp_quote_validity_days < 1:
                raise ValidationError(
                    self.env._("A quote must be valid for one day or more.")
                )

    @api.constrains("isp_slot_cutoff_hours", "isp_status_link_days")
    def _check_isp_status_page(self):
        for settings in self:
            if settings.isp_slot_cutoff_hours < 0 or settings.isp_status_link_days < 1:
                raise ValidationError(
                    self.env._(
                        "The slot cut-off cannot be negative, and a status page "
                        "stays open one day or more."
                    )
                )

    @api.constrains("isp_coverage_margin_percent")
    def _check_isp_coverage_margin_percent(self):
        for settings in self:
            if settings.isp_coverage_margin_percent < 0:
                raise ValidationError(
                    self.env._("The coverage margin cannot be negative.")
                )

    @api.constrains("isp_coverage_submit_limit", "isp_coverage_check_limit")
    def _check_isp_coverage_limits(self):
        for settings in self:
            if (
                settings.isp_coverage_submit_limit < 1
                or settings.isp_coverage_check_limit < 1
            ):
                raise ValidationError(
                    self.env._("The limits of the availability page must be 1 or more.")
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def set_values(self):
        check_ids(self)
        Param = self.env["ir.config_parameter"].sudo()
        old_margin = Param.get_param("isp_sales_desk.coverage_margin_percent")
        result = super().set_values()
        if Param.get_param("isp_sales_desk.coverage_margin_percent") != old_margin:
            self.env["isp.sales.prospect"]._isp_recompute_all_coverage()
        alias = self._isp_alias()
        if alias and self.isp_alias_name != alias.sudo().alias_name:
            alias.sudo().alias_name = self.isp_alias_name
        return result

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _isp_alias(self):
        return self.env.ref("isp_sales_desk.mail_alias_desk", raise_if_not_found=False)
