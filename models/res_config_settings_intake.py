from odoo import api, fields, models
from odoo.exceptions import ValidationError

DEFAULT_SUBMIT_LIMIT = 10  # submissions per IP and hour
DEFAULT_CHECK_LIMIT = 60  # checks per IP and minute


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    isp_intake_user_ids = fields.Many2many(
        related="company_id.isp_intake_user_ids", readonly=False
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

    def _isp_alias(self):
        return self.env.ref("isp_sales_desk.mail_alias_desk", raise_if_not_found=False)

    def _compute_isp_alias_name(self):
        alias = self._isp_alias()
        for settings in self:
            settings.isp_alias_name = alias.sudo().alias_name if alias else False
            settings.isp_alias_domain = (
                alias.sudo().alias_domain or settings.company_id.alias_domain_id.name
                if alias
                else False
            )

    def set_values(self):
        result = super().set_values()
        alias = self._isp_alias()
        if alias and self.isp_alias_name != alias.sudo().alias_name:
            alias.sudo().alias_name = self.isp_alias_name
        return result

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
