from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    isp_customer_date = fields.Date(
        string="ISP Customer Since",
        copy=False,
        readonly=True,
        help="Set when the first installation of a sales desk ticket "
        "of this contact was completed.",
    )

    def _isp_mark_customer(self, date):
        """The contact became a customer of the ISP (an installation was done)."""
        for partner in self.filtered(lambda p: not p.isp_customer_date):
            partner.isp_customer_date = date
        if "customer_rank" in self._fields:  # account installed
            self._increase_rank("customer_rank")
