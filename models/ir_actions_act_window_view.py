from odoo import fields, models


class IrActionsActWindowView(models.Model):
    """An action may open the sales desk's map view (``ir_ui_view.py``)."""

    _inherit = "ir.actions.act_window.view"

    view_mode = fields.Selection(
        selection_add=[("isp_map", "Sales Desk Map")],
        ondelete={"isp_map": "cascade"},
    )
