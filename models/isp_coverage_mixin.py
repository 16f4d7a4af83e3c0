from odoo import api, fields, models

from ..lib import coverage
from .rule_messages import check_point_or_raise


class IspCoverageMixin(models.AbstractModel):
    """A point on the map and its coverage by the network: the nearest active
    node of the company, the geodesic distance to it and the verdict of
    lib/coverage.py. Shared by the prospect (stored) and the ticket creation
    wizard (live, while the seller places the point)."""

    _name = "isp.coverage.mixin"
    _description = "Sales Desk Point and Coverage"

    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    node_id = fields.Many2one(
        "isp.network.node", string="Nearest Node", compute="_compute_coverage"
    )
    node_distance = fields.Integer(
        string="Node Distance (m)", compute="_compute_coverage"
    )
    coverage = fields.Selection(
        list(coverage.VERDICT_SELECTION), compute="_compute_coverage"
    )

    @api.depends("latitude", "longitude", "company_id")
    def _compute_coverage(self):
        self.env["isp.network.node"]._isp_set_coverage(self)

    @api.constrains("latitude", "longitude")
    def _check_point(self):
        for record in self:
            check_point_or_raise(self.env, record.latitude, record.longitude)
