from odoo import api, fields, models
from odoo.exceptions import ValidationError

DEFAULT_QUOTE_VALIDITY_DAYS = 15


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    isp_quote_validity_days = fields.Integer(
        string="Quote Validity (days)",
        config_parameter="isp_sales_desk.quote_validity_days",
        default=DEFAULT_QUOTE_VALIDITY_DAYS,
        help="A quote sent to a prospect holds its prices for this many days.",
    )

    @api.constrains("isp_quote_validity_days")
    def _check_isp_quote_validity_days(self):
        for settings in self:
            if settings.isp_quote_validity_days < 1:
                raise ValidationError(
                    self.env._("A quote must be valid for one day or more.")
                )
