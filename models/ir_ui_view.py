from odoo import _, fields, models


class IrUiView(models.Model):
    """The sales desk's own map view type (Community has none in 19.0)."""

    _inherit = "ir.ui.view"

    type = fields.Selection(selection_add=[("isp_map", "Sales Desk Map")])

    def _validate_tag_isp_map(self, node, name_manager, node_info):
        if not node_info["validate"]:
            return
        if len(node):
            self._raise_view_error(_("A sales desk map view takes no children."), node)

    def _get_view_info(self):
        return {"isp_map": {"icon": "fa fa-map-o"}} | super()._get_view_info()
