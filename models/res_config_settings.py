from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import coverage

OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
    "contributors"
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    isp_tv_enabled = fields.Boolean(
        string="TV Service",
        config_parameter="isp_sales_desk.tv_enabled",
        help="Offer TV packages on prospects and in the ticket creation wizard.",
    )
    isp_coverage_margin_percent = fields.Integer(
        string="Coverage Margin (%)",
        config_parameter="isp_sales_desk.coverage_margin_percent",
        default=coverage.DEFAULT_MARGIN_PERCENT,
        help="A point outside a node's radius by at most this percentage of "
        "the radius is marginal instead of not covered.",
    )
    isp_stale_days = fields.Integer(
        string="Stale After (days)",
        config_parameter="isp_sales_desk.stale_days",
        default=7,
        help="A pending ticket untouched for this many days is flagged as stale "
        "and its assigned employee gets a follow-up activity.",
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

    def set_values(self):
        Param = self.env["ir.config_parameter"].sudo()
        old_margin = Param.get_param("isp_sales_desk.coverage_margin_percent")
        result = super().set_values()
        if Param.get_param("isp_sales_desk.coverage_margin_percent") != old_margin:
            self.env["isp.sales.prospect"]._isp_recompute_all_coverage()
        return result

    @api.constrains("isp_stale_days")
    def _check_isp_stale_days(self):
        for settings in self:
            if settings.isp_stale_days < 1:
                raise ValidationError(
                    self.env._("A ticket can only become stale after one day or more.")
                )

    @api.constrains("isp_coverage_margin_percent")
    def _check_isp_coverage_margin_percent(self):
        for settings in self:
            if settings.isp_coverage_margin_percent < 0:
                raise ValidationError(
                    self.env._("The coverage margin cannot be negative.")
                )
