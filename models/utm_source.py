from odoo import api, fields, models
from odoo.fields import Domain


class UtmSource(models.Model):
    """Where leads come from. The desk's own origins (the page, e-mail,
    referrals, the ISP's office...) come before the sources Odoo ships for its
    other apps (job boards, newsletters) when a seller picks one."""

    _inherit = "utm.source"

    isp_desk_origin = fields.Boolean(
        string="Sales Desk Origin",
        help="Listed first when a seller picks the origin of a lead.",
    )

    @api.model
    def name_search(self, name="", domain=None, operator="ilike", limit=100):
        """With ``isp_desk_origins_first`` in the context (the desk's origin
        fields), the desk's origins first, then the others."""
        if not self.env.context.get("isp_desk_origins_first"):
            return super().name_search(name, domain, operator, limit)
        domain = Domain(domain or Domain.TRUE)
        desk = super().name_search(
            name, domain & Domain("isp_desk_origin", "=", True), operator, limit
        )
        if limit and len(desk) >= limit:
            return desk
        others = super().name_search(
            name,
            domain & Domain("isp_desk_origin", "=", False),
            operator,
            limit and limit - len(desk),
        )
        return desk + others
