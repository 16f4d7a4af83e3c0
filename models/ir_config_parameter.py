from odoo import api, models

from ..lib import normalize


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.model
    def _isp_get_int(self, key, default, minimum=1):
        """The whole-number setting ``key``, or ``default`` when it is unset,
        not a number or below ``minimum`` (the Settings form refuses such
        values; a direct write of the parameter may not)."""
        return normalize.setting_int(self.sudo().get_param(key), default, minimum)
