"""What a change of the network recomputes, and nothing more.

A node decides the verdict of a prospect only within its reach (radius plus
margin, see ``lib/coverage.py``), so an edit of nodes recomputes:

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

from odoo import api, models
from odoo.tools import SQL

from ..lib import coverage, geo
from .isp_network_node import box_row

COVERAGE_RESULTS = ("node_id", "node_distance", "coverage")
COVERED = (coverage.COVERED, coverage.MARGINAL)
RANK = {coverage.COVERED: 0, coverage.MARGINAL: 1, coverage.UNCOVERED: 2}


class IspNetworkNode(models.Model):
    _inherit = "isp.network.node"

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
       LATERAL (SELECT 2 * %(earth)s * asin(least(1.0, sqrt(
                   power(sin(radians(node.latitude::float8 - p.lat) / 2), 2)
                   + cos(radians(p.lat)) * cos(radians(node.latitude::float8))
                   * power(sin(radians(node.longitude::float8 - p.lon) / 2), 2)
               ))) AS distance) d
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
