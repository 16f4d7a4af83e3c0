from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..lib import coverage, geo

# node fields that the coverage verdict of nearby prospects depends on
COVERAGE_FIELDS = (
    "latitude",
    "longitude",
    "coverage_radius",
    "capacity",
    "used_capacity",
    "active",
    "company_id",
)


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


def box_row(key, latitude, longitude, company_id, radius):
    """A ``VALUES`` row of the point ``key`` and its bounding box of
    ``radius`` m: (key, lat, lon, company_id, lat_min, lat_max, lo1, hi1,
    lo2, hi2), the two longitude ranges for a box across the antimeridian."""
    lat_min, lat_max, (lo1, hi1), (lo2, hi2) = coverage.bounding_box(
        latitude, longitude, radius
    )
    return SQL(
        "(%s, %s::float8, %s::float8, %s, %s::numeric, %s::numeric,"
        " %s::numeric, %s::numeric, %s::numeric, %s::numeric)",
        key,
        latitude,
        longitude,
        company_id,
        lat_min,
        lat_max,
        lo1,
        hi1,
        lo2,
        hi2,
    )


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
    # the largest reach of a company, read by every coverage lookup
    _reach_idx = models.Index("(company_id, coverage_radius) WHERE active IS TRUE")

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
            check_point_or_raise(self.env, vals["latitude"], vals["longitude"])
            self._check_node_type(vals)
        nodes = super().create(vals_list)
        # the verdicts only change within the new nodes' reach
        nodes._isp_update_coverage(nodes._isp_network_snapshot(created=True))
        return nodes

    def write(self, vals):
        self._check_node_type(vals)
        if not any(name in vals for name in COVERAGE_FIELDS):
            return super().write(vals)
        if "latitude" in vals or "longitude" in vals:
            # refused before anything is searched or recomputed
            for node in self:
                check_point_or_raise(
                    self.env,
                    vals.get("latitude", node.latitude),
                    vals.get("longitude", node.longitude),
                )
        before = self._isp_network_snapshot(vals.get("company_id"))
        result = super().write(vals)
        self._isp_update_coverage(before)
        return result

    def unlink(self):
        before = self._isp_network_snapshot()
        result = super().unlink()
        self.browse()._isp_update_coverage(before)
        return result

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

    # ------------------------------------------------------------
    # COVERAGE
    # ------------------------------------------------------------

    @api.model
    def _isp_margin_percent(self):
        return self.env["ir.config_parameter"]._isp_get_int(
            "isp_sales_desk.coverage_margin_percent",
            coverage.DEFAULT_MARGIN_PERCENT,
            minimum=0,
        )

    @api.model
    def _isp_nearest_nodes(self, points, margin_percent=None):
        """The node that decides the coverage of each point, by SQL.

        ``points`` is a list of ``(latitude, longitude, company_id)``; returns a
        list, in the same order, of ``None`` (no node within the last search
        radius) or a dict with ``node_id``, ``distance`` (metres),
        ``coverage_radius``, ``capacity`` and ``free_capacity``.

        The deciding node is the one giving the best verdict among the active
        nodes of the company whose reach (radius plus margin) holds the point,
        the nearest first (see ``lib/coverage.py``); so a node only changes
        the verdicts within its own reach. One query for all the points: the
        box of the company's largest reach hits the ``(latitude, longitude)
        WHERE active`` index. Points with no node in that box get the nearest
        node farther away (for information, the verdict is "uncovered"), in
        growing boxes, one query each.
        """
        results = [None] * len(points)
        if not points:
            return results
        if margin_percent is None:
            margin_percent = self._isp_margin_percent()
        self.flush_model(COVERAGE_FIELDS + ("free_capacity",))
        keyed = [(index, *point) for index, point in enumerate(points)]
        pending = list(range(len(points)))
        query = self._isp_deciding_nodes_sql(keyed, margin_percent)
        radii = iter(coverage.SEARCH_RADII_M)
        while query is not None:
            self.env.cr.execute(query)
            for (
                key,
                node_id,
                node_latitude,
                node_longitude,
                radius_m,
                capacity,
                free,
            ) in self.env.cr.fetchall():
                latitude, longitude = points[key][:2]
                results[key] = {
                    "node_id": node_id,
                    # SQL ranks the candidates on a sphere; the distance shown
                    # and judged is the WGS-84 geodesic
                    "distance": geo.geodesic_m(
                        latitude, longitude, node_latitude, node_longitude
                    ),
                    "coverage_radius": radius_m,
                    "capacity": capacity,
                    "free_capacity": free,
                }
            pending = [index for index in pending if results[index] is None]
            radius = next(radii, None)
            query = (
                self._isp_nearest_nodes_sql([keyed[i] for i in pending], radius)
                if pending and radius
                else None
            )
        return results

    @api.model
    def _isp_nearest_nodes_sql(self, points, radius):
        """The query of the nearest node for ``points``, a list of
        ``(key, latitude, longitude, company_id)``, in boxes of ``radius`` m."""
        # 1% wider: the box is spherical, the distance judged ellipsoidal
        rows = [
            box_row(key, latitude, longitude, company_id, radius * 1.01)
            for key, latitude, longitude, company_id in points
        ]
        return SQL(
            """
SELECT p.key, n.id, n.latitude, n.longitude, n.coverage_radius, n.capacity,
       n.free_capacity
  FROM (VALUES %(rows)s)
    AS p(key, lat, lon, company_id, lat_min, lat_max, lo1, hi1, lo2, hi2)
  JOIN LATERAL (
        SELECT node.id, node.latitude::float8, node.longitude::float8,
               node.coverage_radius, COALESCE(node.capacity, 0) AS capacity,
               COALESCE(node.free_capacity, 0) AS free_capacity,
               2 * %(earth)s * asin(least(1.0, sqrt(
                   power(sin(radians(node.latitude::float8 - p.lat) / 2), 2)
                   + cos(radians(p.lat)) * cos(radians(node.latitude::float8))
                   * power(sin(radians(node.longitude::float8 - p.lon) / 2), 2)
               ))) AS distance
          FROM isp_network_node node
         WHERE node.active IS TRUE
           AND node.company_id = p.company_id
           AND node.latitude BETWEEN p.lat_min AND p.lat_max
           AND (node.longitude BETWEEN p.lo1 AND p.hi1
                OR node.longitude BETWEEN p.lo2 AND p.hi2)
      ORDER BY distance, node.id
         LIMIT 1
  ) n ON TRUE
            """,
            rows=SQL(", ").join(rows),
            earth=geo.EARTH_RADIUS_M,
        )

    @api.model
    def _isp_coverage(self, points):
        """The coverage of each point: a list, in the order of ``points``
        (``(latitude, longitude, company_id)``, or ``None`` for no point), of
        ``(node_id or False, distance in metres, verdict)``."""
        valid = []
        for index, point in enumerate(points):
            if point is None:
                continue
            try:
                geo.check_point(point[0], point[1])
            except geo.GeoError:
                continue  # the constraints report it; no verdict meanwhile
            valid.append(index)
        results = [(False, 0, coverage.UNKNOWN)] * len(points)
        margin = self._isp_margin_percent()
        nearest = self._isp_nearest_nodes([points[index] for index in valid], margin)
        far = []
        for index, node in zip(valid, nearest, strict=True):
            if node is None:
                far.append(index)
                continue
            verdict = coverage.verdict(
                node["distance"],
                node["coverage_radius"],
                node["capacity"],
                node["free_capacity"],
                margin,
            )
            results[index] = (node["node_id"], round(node["distance"]), verdict)
        if far:
            # beyond the last search radius: uncovered if the company has nodes
            with_nodes = self._isp_companies_with_nodes(
                {points[index][2] for index in far}
            )
            for index in far:
                if points[index][2] in with_nodes:
                    results[index] = (False, 0, coverage.UNCOVERED)
        return results

    @api.model
    def _isp_set_coverage(self, records):
        """Set ``node_id``, ``node_distance`` and ``coverage`` of ``records``
        (prospects, creation wizards: anything with a latitude, a longitude
        and a company), with one nearest-node query for all of them."""
        points = [
            (record.latitude, record.longitude, record.company_id.id)
            if (record.latitude or record.longitude) and record.company_id
            else None
            for record in records
        ]
        for record, (node_id, distance, verdict) in zip(
            records, self._isp_coverage(points), strict=True
        ):
            record.node_id = node_id
            record.node_distance = distance
            record.coverage = verdict
