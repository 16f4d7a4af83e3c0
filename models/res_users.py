from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._isp_set_technician_home()
        return users

    def write(self, vals):
        result = super().write(vals)
        if "group_ids" in vals:
            self._isp_set_technician_home()
        return result

    def _isp_set_technician_home(self):
        """A technician (and no more than that on the desk) lands on "My
        Orders" after login, made for a phone, instead of Discuss."""
        home = self.env.ref(
            "isp_sales_desk.isp_sales_order_my_action", raise_if_not_found=False
        )
        if not home:
            return
        technicians = self.filtered(
            lambda user: (
                not user.action_id
                and user.has_group("isp_sales_desk.group_isp_sales_technician")
                and not user.has_group("isp_sales_desk.group_isp_sales_user")
            )
        )
        if technicians:
            technicians.sudo().action_id = home.id
