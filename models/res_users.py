from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._isp_set_desk_home()
        return users

    def write(self, vals):
        result = super().write(vals)
        if "group_ids" in vals:
            self._isp_set_desk_home()
        return result

    def _isp_set_desk_home(self):
        """The desk's users land on their work after login instead of
        Discuss: a seller, back office or manager on the board, a technician
        (and no more than that on the desk) on "My Orders", made for a phone.
        A home chosen otherwise is kept."""
        board = self.env.ref(
            "isp_sales_desk.isp_sales_ticket_action", raise_if_not_found=False
        )
        orders = self.env.ref(
            "isp_sales_desk.isp_sales_order_my_action", raise_if_not_found=False
        )
        ours = {action.id for action in (board, orders) if action}
        for user in self:
            if user.action_id and user.action_id.id not in ours:
                continue
            if user.has_group("isp_sales_desk.group_isp_sales_user"):
                home = board
            elif user.has_group("isp_sales_desk.group_isp_sales_technician"):
                home = orders
            else:
                continue
            if home and user.action_id.id != home.id:
                user.sudo().action_id = home.id
