from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    isp_intake_user_ids = fields.Many2many(
        "res.users",
        "isp_intake_user_company_rel",
        "company_id",
        "user_id",
        string="Sellers Receiving Leads",
        domain="[('share', '=', False)]",
        help="Requests from the availability page, the intake API and e-mail "
        "are assigned to these sellers in turn. Nobody chosen: every user of "
        "the sales desk, in turn.",
    )
    isp_coverage_page = fields.Boolean(
        string="Public Availability Page",
        default=True,
        help="Publish the page /isp/coverage where visitors check whether the "
        "service reaches their home and leave their contact.",
    )
    isp_desk_phone = fields.Char(
        string="Desk Phone",
        help="The phone number customers call about their request, shown on "
        "their status page (the company's phone when empty).",
    )
    isp_desk_whatsapp = fields.Char(
        string="Desk WhatsApp",
        help="The WhatsApp number of the desk, in international format "
        "(e.g. +54 9 341 555 0000): customers write to it from their status "
        "page.",
    )

    @api.constrains("isp_intake_user_ids")
    def _check_isp_intake_user_ids(self):
        for company in self:
            strangers = company.isp_intake_user_ids - company._isp_intake_sellers()
            if strangers:
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot receive the requests of %(company)s: "
                        "only employees of that company can.",
                        user=strangers[0].name,
                        company=company.name,
                    )
                )

    def _isp_intake_sellers(self):
        """The sellers of the round robin who may take its requests: active
        employees of this company (not a portal user, not another company's
        seller: data from before this check may name them)."""
        self.ensure_one()
        return self.isp_intake_user_ids.filtered(
            lambda user: user.active and not user.share and self in user.company_ids
        )

    def _isp_intake_receivers(self):
        """Who receives the requests from outside, in turn (by id): the
        sellers chosen, else every active employee of the company in the
        desk's User group (managers included): a request must reach someone."""
        self.ensure_one()
        return self._isp_intake_sellers().sorted("id") or self._isp_desk_users()

    def _isp_desk_users(self):
        self.ensure_one()
        group = self.env.ref("isp_sales_desk.group_isp_sales_user")
        return self.env["res.users"].search(
            [
                ("all_group_ids", "in", group.id),
                ("share", "=", False),
                ("company_ids", "in", self.id),
            ],
            order="id",
        )
