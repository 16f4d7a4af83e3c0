"""The network nodes, and what a change of the network recomputes.

A node decides the verdict of a prospect only within its reach (radius plus
margin, see ``lib/coverage.py``), so an edit of nodes recomputes, and nothing
more:

* the prospects covered through the nodes (their verdict came from them;
  an uncovered prospect only keeps its nearest node for information, and
  stays uncovered unless a node reaches it, which the next point finds);
* the prospects within the nodes' reach after the edit (they may now be
  covered by them): compared with these nodes only, the rest of the network
  being unchanged;
* every located prospect of a company that gains its first active node or
  loses its last one ("unknown" <-> a verdict), a rare event.

A far prospect is never read. The recompute writes no tracking message (the
verdict is derived, not edited); the tickets lost for lack of coverage that a
node now reaches get their follow-up activity, and the node's chatter says how
many prospects it now covers.
"""

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..lib import coverage, geo
from .rpc_args import check_ids, check_vals, check_vals_list
from .rule_messages import check_point_or_raise

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


def distance_sql(lat1, lon1, lat2, lon2):
    """The great-circle distance in metres between two points, in SQL (the
    haversine formula of ``lib/geo.haversine_m``): the queries rank and
    filter with it; the distance shown and judged is then the geodesic."""
    return SQL(
        "2 * %(earth)s * asin(least(1.0, sqrt("
        "power(sin(radians(%(lat2)s - %(lat1)s) / 2), 2)"
        " + cos(radians(%(lat1)s)) * cos(radians(%(lat2)s))"
        " * power(sin(radians(%(lon2)s - %(lon1)s) / 2), 2))))",
        earth=geo.EARTH_RADIUS_M,
        lat1=lat1,
        lon1=lon1,
        lat2=lat2,
        lon2=lon2,
    )


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


COVERAGE_RESULTS = ("node_id", "node_distance", "coverage")

COVERED = (coverage.COVERED, coverage.MARGINAL)

RANK = {coverage.COVERED: 0, coverage.MARGINAL: 1, coverage.UNCOVERED: 2}


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

    # ------------------------------------------------------------
    # COMPUTES, SEARCHES AND CONSTRAINTS
    # ------------------------------------------------------------

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
    # CRUD AND ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")
        check_vals_list(self.env, vals_list)
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
        check_ids(self)
        check_vals(self.env, vals)
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
        check_ids(self)
        before = self._isp_network_snapshot()
        result = super().unlink()
        self.browse()._isp_update_coverage(before)
        return result

    # ------------------------------------------------------------
    # BUSINESS
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
               %(distance)s AS distance
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
            distance=distance_sql(
                SQL("p.lat"),
                SQL("p.lon"),
                SQL("node.latitude::float8"),
                SQL("node.longitude::float8"),
            ),
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

    @api.model
    def _isp_companies_with_nodes(self, company_ids, exclude_ids=()):
        """The companies among ``company_ids`` with an active node (other than
        ``exclude_ids``): one index probe per company, whatever the number of
        nodes."""
        company_ids = [cid for cid in company_ids if cid]
        if not company_ids:
            return set()
        self.env.cr.execute(
            SQL(
                """
                SELECT c.id FROM unnest(%s::int[]) AS c(id)
                 WHERE EXISTS (SELECT 1 FROM isp_network_node n
                                WHERE n.active IS TRUE AND n.company_id = c.id
                                  AND n.id != ALL(%s::int[]))
                """,
                list(company_ids),
                list(exclude_ids),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _isp_deciding_nodes_sql(self, points, margin_percent):
        """The first query of :meth:`_isp_nearest_nodes`: for ``points`` (a
        list of ``(key, latitude, longitude, company_id)``), the node of best
        verdict, then nearest, in the box of the company's largest reach.

        The box is computed in SQL from the largest radius (one index probe
        per company), as ``coverage.bounding_box`` does in Python: split at the
        antimeridian, every longitude near a pole."""
        rows = [
            SQL("(%s, %s::float8, %s::float8, %s)", key, lat, lon, company)
            for key, lat, lon, company in points
        ]
        factor = 1 + max(margin_percent, 0) / 100.0
        return SQL(
            """
WITH p(key, lat, lon, company_id) AS MATERIALIZED (VALUES %(rows)s),
reach AS MATERIALIZED (
    SELECT c.company_id,
           degrees(((SELECT max(n.coverage_radius) FROM isp_network_node n
                      WHERE n.active IS TRUE AND n.company_id = c.company_id)
                    * %(factor)s * 1.01 + 1) / %(earth)s) AS angle
      FROM (SELECT DISTINCT company_id FROM p) c
),
box AS MATERIALIZED (
    -- two longitude ranges, as coverage.bounding_box: split at the
    -- antimeridian, the second one empty (1..0) when not needed
    SELECT b.*,
           CASE WHEN b.la >= 180 THEN -180
                WHEN b.lon - b.la < -180 THEN b.lon - b.la + 360
                ELSE b.lon - b.la END AS lo1,
           CASE WHEN b.la >= 180 OR b.lon - b.la < -180 OR b.lon + b.la > 180
                THEN 180 ELSE b.lon + b.la END AS hi1,
           CASE WHEN b.la < 180 AND (b.lon - b.la < -180 OR b.lon + b.la > 180)
                THEN -180 ELSE 1 END AS lo2,
           CASE WHEN b.la >= 180 THEN 0
                WHEN b.lon - b.la < -180 THEN b.lon + b.la
                WHEN b.lon + b.la > 180 THEN b.lon + b.la - 360
                ELSE 0 END AS hi2
      FROM (
        SELECT p.*, p.lat - r.angle AS lat_min, p.lat + r.angle AS lat_max,
               CASE WHEN abs(p.lat) + r.angle >= 89.999 THEN 360.0
                    ELSE r.angle / cos(radians(abs(p.lat) + r.angle)) END AS la
          FROM p JOIN reach r ON r.company_id = p.company_id
         WHERE r.angle IS NOT NULL
      ) b
)
SELECT p.key, n.id, n.latitude, n.longitude, n.coverage_radius, n.capacity,
       n.free_capacity
  FROM box p
  JOIN LATERAL (
        SELECT node.id, node.latitude::float8, node.longitude::float8,
               node.coverage_radius, COALESCE(node.capacity, 0) AS capacity,
               COALESCE(node.free_capacity, 0) AS free_capacity, d.distance
          FROM isp_network_node node,
       LATERAL (SELECT %(distance)s AS distance) d
         WHERE node.active IS TRUE
           AND node.company_id = p.company_id
           AND node.latitude BETWEEN p.lat_min::numeric AND p.lat_max::numeric
           AND (node.longitude BETWEEN p.lo1::numeric AND p.hi1::numeric
                OR node.longitude BETWEEN p.lo2::numeric AND p.hi2::numeric)
      ORDER BY CASE WHEN d.distance <= node.coverage_radius
                     AND NOT (COALESCE(node.capacity, 0) > 0
                              AND COALESCE(node.free_capacity, 0) <= 0) THEN 0
                    WHEN d.distance <= node.coverage_radius * %(factor)s THEN 1
                    ELSE 2 END,
               d.distance, node.id
         LIMIT 1
  ) n ON TRUE
            """,
            rows=SQL(", ").join(rows),
            factor=factor,
            earth=geo.EARTH_RADIUS_M,
            distance=distance_sql(
                SQL("p.lat"),
                SQL("p.lon"),
                SQL("node.latitude::float8"),
                SQL("node.longitude::float8"),
            ),
        )

    def _isp_network_snapshot(self, new_company_id=None, created=False):
        """What :meth:`_isp_update_coverage` needs to know from before an edit:
        the prospects linked to the nodes, which companies had them active,
        and which companies have no other active node."""
        self.flush_recordset(["active", "company_id"])
        company_ids = set(self.company_id.ids) | {new_company_id or 0}
        others = self._isp_companies_with_nodes(company_ids, self.ids)
        if created:
            linked = self.env["isp.sales.prospect"]
            active = {}
        else:
            linked = self._isp_linked_prospects()
            active = {node.company_id.id for node in self if node.active}
        return {
            "linked": linked,
            "active": active,
            "lonely": company_ids - others - {0},
        }

    def _isp_linked_prospects(self):
        if not self:
            return self.env["isp.sales.prospect"].sudo()
        return (
            self.env["isp.sales.prospect"]
            .sudo()
            .with_context(active_test=False)
            .search([("node_id", "in", self.ids), ("coverage", "in", list(COVERED))])
        )

    def _isp_reach_pairs(self, exclude_ids):
        """For the prospects within the reach of these active nodes (but
        ``exclude_ids``), the best of these nodes, ``{prospect_id: (rank,
        distance, node_id, verdict, coordinates)}``, and their current values,
        ``{prospect_id: (coverage, node_id, node_distance)}``. One query: a
        bounding box per node on the prospects' point index (1% wider: the
        box is spherical), then the geodesic distance in Python; no prospect
        is loaded in the ORM."""
        margin = self._isp_margin_percent()
        factor = 1 + margin / 100.0
        rows = [
            box_row(
                node.id,
                node.latitude,
                node.longitude,
                node.company_id.id,
                node.coverage_radius * factor * 1.01 + 1,
            )
            for node in self.filtered("active")
        ]
        if not rows:
            return {}, {}
        self.env["isp.sales.prospect"].flush_model(
            ["latitude", "longitude", "has_point", "company_id", *COVERAGE_RESULTS]
        )
        self.env.cr.execute(
            SQL(
                """
SELECT p.id, n.id, p.latitude::float8, p.longitude::float8, n.lat, n.lon,
       p.coverage, p.node_id, p.node_distance
  FROM (VALUES %(rows)s)
    AS n(id, lat, lon, company_id, lat_min, lat_max, lo1, hi1, lo2, hi2)
  JOIN isp_sales_prospect p
    ON p.company_id = n.company_id AND p.has_point IS TRUE
   AND p.latitude BETWEEN n.lat_min AND n.lat_max
   AND (p.longitude BETWEEN n.lo1 AND n.hi1 OR p.longitude BETWEEN n.lo2 AND n.hi2)
 WHERE p.id != ALL(%(exclude)s)
                """,
                rows=SQL(", ").join(rows),
                exclude=list(exclude_ids),
            )
        )
        nodes = {
            node.id: (node.coverage_radius, node.capacity, node.free_capacity)
            for node in self
        }
        best, current = {}, {}
        for (
            prospect_id,
            node_id,
            lat,
            lon,
            node_lat,
            node_lon,
            *values,
        ) in self.env.cr.fetchall():
            # SQL finds the prospects in reach; the verdict is the WGS-84
            # geodesic's, as for a prospect's own computation. geopy costs
            # about 0.1 ms a call: the spherical distance, within 0.6% of it,
            # decides the verdicts that are not near a threshold
            points = (lat, lon, node_lat, node_lon)
            distance = geo.haversine_m(*points)
            radius = nodes[node_id][0]
            if any(
                abs(distance - limit) <= limit * 0.01 + 1
                for limit in (radius, radius * factor)
            ):
                distance = geo.geodesic_m(*points)
            verdict = coverage.verdict(distance, *nodes[node_id], margin)
            candidate = (RANK[verdict], distance, node_id, verdict, points)
            if prospect_id not in best or candidate < best[prospect_id]:
                best[prospect_id] = candidate
            current[prospect_id] = values
        return best, current

    def _isp_update_coverage(self, before):
        """Update, now, the verdicts these nodes may have changed (see the
        module docstring); ``before`` is the :meth:`_isp_network_snapshot`
        taken before the edit.

        The prospects whose verdict came from these nodes are recomputed from
        the whole network (one batch); the others within reach only compare
        their verdict with these nodes' (the rest of the network did not
        change), and are written only when one of these nodes does better."""
        nodes = self.exists()
        after = {node.company_id.id for node in nodes if node.active}
        Prospect = self.env["isp.sales.prospect"].sudo().with_context(active_test=False)
        full = before["linked"].with_env(Prospect.env)
        for company_id in before["lonely"]:
            if (company_id in before["active"]) != (company_id in after):
                # the company's first node, or its last one: every verdict
                full |= Prospect.search(
                    [("company_id", "=", company_id), ("has_point", "=", True)]
                )
        best, current = nodes._isp_reach_pairs(full.ids)
        if not full and not best:
            return Prospect
        previous = dict(zip(full.ids, full.mapped("coverage"), strict=True))
        if full:
            for name in COVERAGE_RESULTS:
                self.env.add_to_compute(Prospect._fields[name], full)
            # and what depends on them (the tickets' stored coverage)
            full.modified(COVERAGE_RESULTS)
            full._recompute_recordset(COVERAGE_RESULTS)
        changed, newly = {}, []
        for prospect_id, (rank, distance, node_id, verdict, points) in best.items():
            verdict_now, node_now, distance_now = current[prospect_id]
            now = (
                RANK.get(verdict_now, len(RANK)),
                distance_now if node_now else float("inf"),
            )
            if node_now == node_id or (rank, distance) < now:
                # the distance shown is the geodesic
                changed[prospect_id] = (
                    node_id,
                    round(geo.geodesic_m(*points)),
                    verdict,
                )
                if verdict in COVERED and verdict_now not in COVERED:
                    newly.append(prospect_id)
        changed = self._isp_write_coverage(Prospect, changed)
        updated = full | changed
        now_covered = Prospect.browse(newly) | full.filtered(
            lambda p: p.coverage in COVERED and previous[p.id] not in COVERED
        )
        if now_covered:
            # a ticket whose place was already covered had its chance then
            self.env["isp.sales.ticket"]._isp_flag_recontact(now_covered)
        nodes._isp_post_now_covered(now_covered)
        return updated

    @api.model
    def _isp_write_coverage(self, Prospect, values):
        """Write ``{prospect_id: (node_id, distance, verdict)}`` in one UPDATE
        (an ORM write per prospect would cost a thousand times more), then
        have the ORM recompute what depends on them (the tickets' coverage)."""
        prospects = Prospect.browse(values)
        if not values:
            return prospects
        Prospect.flush_model(COVERAGE_RESULTS)
        self.env.cr.execute(
            SQL(
                """
                UPDATE isp_sales_prospect p
                   SET node_id = v.node_id, node_distance = v.distance,
                       coverage = v.verdict, write_uid = %(uid)s,
                       write_date = now() AT TIME ZONE 'UTC'
                  FROM (VALUES %(rows)s) AS v(id, node_id, distance, verdict)
                 WHERE p.id = v.id
                """,
                uid=self.env.uid,
                rows=SQL(", ").join(
                    SQL("(%s, %s, %s, %s)", pid, *row) for pid, row in values.items()
                ),
            )
        )
        prospects.invalidate_recordset(COVERAGE_RESULTS)
        prospects.modified(COVERAGE_RESULTS)
        return prospects

    def _isp_post_now_covered(self, prospects):
        """Say on each node how many prospects it now covers."""
        counts = {}
        for prospect in prospects:
            counts[prospect.node_id.id] = counts.get(prospect.node_id.id, 0) + 1
        for node in self:
            if counts.get(node.id):
                node.message_post(
                    body=self.env._(
                        "Prospects now covered by this node: %(count)s.",
                        count=counts[node.id],
                    ),
                    subtype_xmlid="mail.mt_note",
                )
