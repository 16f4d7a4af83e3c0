from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib import geo


def check_point_or_raise(env, latitude, longitude):
    """Translate a pure coordinate error into a user message."""
    try:
        geo.check_point(latitude, longitude)
    except geo.GeoError as error:
        messages = {
            "not_a_number": env._("Latitude and longitude must be numbers."),
            "latitude_range": env._(
                "Latitude %(value)s is out of range: it must be between -90 and 90.",
                value=error.params.get("value"),
            ),
            "longitude_range": env._(
                "Longitude %(value)s is out of range: it must be between -180 and 180.",
                value=error.params.get("value"),
            ),
        }
        raise ValidationError(messages[error.code]) from error


class IspNetworkNode(models.Model):
    _name = "isp.network.node"
    _description = "Network Node"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(
        help="Internal reference of the node (e.g. the tower or box label)."
    )
    node_type = fields.Selection(
        [
            ("tower", "Tower"),
            ("access_point", "Access point"),
            ("olt", "OLT"),
            ("nap", "NAP / CTO box"),
        ],
        string="Type",
        required=True,
        default="access_point",
        tracking=True,
    )
    technology = fields.Selection(
        [("wireless", "Wireless"), ("fiber", "Fiber"), ("cable", "Cable")],
        default="wireless",
    )
    latitude = fields.Float(digits=(10, 7), required=True, tracking=True)
    longitude = fields.Float(digits=(10, 7), required=True, tracking=True)
    coverage_radius = fields.Integer(
        string="Coverage Radius (m)",
        required=True,
        default=1000,
        tracking=True,
        help="Distance in metres within which a prospect is covered by this node.",
    )
    capacity = fields.Integer(
        help="How many customers the node can serve; 0 means unlimited."
    )
    used_capacity = fields.Integer(
        string="Connected Customers",
        help="Customers already served by this node.",
    )
    free_capacity = fields.Integer(compute="_compute_free_capacity", store=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    note = fields.Text()

    _coverage_radius_positive = models.Constraint(
        "CHECK (coverage_radius >= 0)", "The coverage radius cannot be negative."
    )
    _capacity_positive = models.Constraint(
        "CHECK (capacity >= 0 AND used_capacity >= 0)", "Capacities cannot be negative."
    )
    _geo_idx = models.Index("(latitude, longitude) WHERE active IS TRUE")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if any(
                vals.get(name) is None or vals[name] is False
                for name in ("latitude", "longitude")
            ):
                raise ValidationError(
                    _(
                        "The network node %(name)s needs a latitude and a longitude.",
                        name=vals.get("name") or "",
                    )
                )
            self._check_node_type(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_node_type(vals)
        return super().write(vals)

    def _check_node_type(self, vals):
        known = dict(self._fields["node_type"].selection)
        if "node_type" in vals and vals["node_type"] not in known:
            raise ValidationError(
                _(
                    "Unknown network node type %(type)s. Use one of: %(types)s.",
                    type=vals["node_type"],
                    types=", ".join(known),
                )
            )

    @api.depends("capacity", "used_capacity")
    def _compute_free_capacity(self):
        for node in self:
            node.free_capacity = (
                max(node.capacity - node.used_capacity, 0) if node.capacity else 0
            )

    @api.constrains("latitude", "longitude")
    def _check_point(self):
        for node in self:
            check_point_or_raise(self.env, node.latitude, node.longitude)
