"""The maps' data, aggregated in SQL: a service, not one record's behaviour.

The board's map of tickets (``isp.sales.ticket.get_isp_map_data``), the
technician's map of orders (``isp.sales.order.get_isp_map_data``), the what-if
node (``isp.sales.ticket.get_isp_what_if``) and the map widgets' settings
(``isp.sales.prospect.get_isp_map_settings``) are the public entry points; they
call this service, which holds no data of its own.

One call returns what the viewport shows: clusters (tickets per status and
their estimated monthly amount, per grid cell) far out, the tickets themselves
zoomed in, and the network nodes with their reach. The search domain and the
record rules apply (``_search``), then PostgreSQL aggregates: a few queries
whatever the number of tickets.
"""

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ..lib import map_grid
from .isp_network_node import distance_sql
from .res_config_settings import OSM_ATTRIBUTION, OSM_TILE_URL
from .rule_messages import check_point_or_raise

MAP_STATUSES = ("pending", "in_progress", "won", "lost", "demand")
NEARLY_FULL = 0.2  # free capacity below this share of the capacity
MAX_ORDERS = 500  # the technician's map: one person's orders, bounded all the same
# the nodes drawn on a record's map, around its point
MAP_NODES_LIMIT = 500


class IspSalesMap(models.AbstractModel):
    _name = "isp.sales.map"
    _description = "Sales Desk Maps"

    # ------------------------------------------------------------
    # SETTINGS OF THE MAP WIDGETS
    # ------------------------------------------------------------

    @api.model
    def _tiles(self):
        """The tile server set in Settings (OpenStreetMap by default)."""
        Param = self.env["ir.config_parameter"].sudo()
        return {
            "tile_url": Param.get_param("isp_sales_desk.map_tile_url") or OSM_TILE_URL,
            "attribution": Param.get_param("isp_sales_desk.map_attribution")
            or OSM_ATTRIBUTION,
        }

    @api.model
    def _map_settings(self):
        """What the back office's map widget needs: the tiles, the company's
        nodes, and where to look before there is a point (the middle of the
        company's network, or the whole world)."""
        self.env["isp.network.node"].flush_model(["latitude", "longitude", "active"])
        self.env.cr.execute(
            SQL(
                "SELECT avg(latitude)::float8, avg(longitude)::float8"
                " FROM isp_network_node WHERE active IS TRUE AND company_id = %s",
                self.env.company.id,
            )
        )
        latitude, longitude = self.env.cr.fetchone()
        return dict(
            self._tiles(),
            nodes=self._company_nodes(),
            default_center=[latitude or 0.0, longitude or 0.0],
            default_zoom=13 if latitude is not None else 2,
        )

    @api.model
    def _public_map_settings(self):
        """The public availability page's map: the tiles, centred on the
        company's own address. Nothing of the network: a visitor learns the
        verdict of a point, never where the nodes are."""
        partner = self.env.company.sudo().partner_id
        latitude, longitude = partner.partner_latitude, partner.partner_longitude
        located = bool(latitude or longitude)
        return dict(
            self._tiles(),
            default_center=[latitude, longitude] if located else [0.0, 0.0],
            default_zoom=13 if located else 2,
        )

    @api.model
    def _company_nodes(self, limit=MAP_NODES_LIMIT):
        """The company's active nodes for the maps: place, reach, and whether
        they are full. Bounded, so that a page stays light whatever the size
        of the network (the demand map aggregates the rest)."""
        nodes = self.env["isp.network.node"].search_read(
            [("company_id", "=", self.env.company.id)],
            ["name", "latitude", "longitude", "coverage_radius", "capacity",
             "free_capacity"],
            limit=limit,
        )  # fmt: skip
        for node in nodes:
            node["full"] = bool(node.pop("capacity") and not node.pop("free_capacity"))
            node.pop("free_capacity", None)
        return nodes

    # ------------------------------------------------------------
    # TICKETS
    # ------------------------------------------------------------

    @api.model
    def _ticket_map_data(self, domain=None, bbox=None, zoom=None):
        """What the map shows in ``bbox`` (``[south, west, north, east]``) at
        ``zoom`` for the tickets of ``domain``: ``clusters`` or ``points``,
        ``nodes``, ``totals``; the box and zoom are clamped, never refused."""
        view = map_grid.viewport(bbox, zoom)
        size = map_grid.cell_size(view)
        query = self._ticket_query(domain, view)
        clusters = self._ticket_clusters(query, view, size)
        totals = {status: 0 for status in MAP_STATUSES}
        totals.update(count=0, amount=0.0)
        for cluster in clusters:
            totals["count"] += cluster["count"]
            totals["amount"] += cluster["amount"]
            for status in MAP_STATUSES:
                totals[status] += cluster[status]
        points = []
        if totals["count"] and (
            view.zoom >= map_grid.POINTS_ZOOM
            or totals["count"] <= map_grid.POINTS_BELOW
        ):
            points = self._ticket_points(query)
        if len(points) > map_grid.MAX_POINTS:
            points = []  # too many to draw one by one: the clusters stay
        return {
            "bbox": [view.south, view.west, view.north, view.east],
            "zoom": view.zoom,
            "cell": size,
            "clusters": [] if points else clusters,
            "points": points,
            "nodes": self._nodes_around(view),
            "totals": totals,
            "currency_id": self.env.company.sudo().currency_id.id,
            "show_amounts": self._show_amounts(),
        }

    @api.model
    def _filter_domain(self, Model, domain):
        """The caller's filter of a map, checked against ``Model``'s fields
        (it comes as JSON over JSON-2): a clear error, not a server one."""
        try:
            domain = Domain(domain or [])
            domain.validate(Model)
        except (TypeError, ValueError, KeyError, AttributeError) as error:
            raise UserError(
                self.env._(
                    "The map's filter is not a valid search domain: %(error)s",
                    error=error,
                )
            ) from error
        return domain

    @api.model
    def _show_amounts(self):
        return self.env.user.has_group("isp_sales_desk.group_isp_sales_user")

    @api.model
    def _ticket_query(self, domain, view):
        """The tickets of ``domain`` in the viewport, record rules applied."""
        Ticket = self.env["isp.sales.ticket"]
        Ticket.flush_model(
            ["latitude", "longitude", "state", "lost_reason_id", "amount_total"]
        )
        query = Ticket._search(self._filter_domain(Ticket, domain), bypass_access=False)
        # plain SQL for the box: the ORM would add "OR latitude IS NULL" to
        # the negative bounds ((0, 0) is how a prospect without a point is
        # stored, and it is left out here)
        latitude = SQL.identifier(query.table, "latitude")
        longitude = SQL.identifier(query.table, "longitude")
        query.add_where(
            SQL(
                "%(lat)s BETWEEN %(south)s AND %(north)s"
                " AND NOT (%(lat)s = 0 AND %(lon)s = 0)",
                lat=latitude,
                lon=longitude,
                south=view.south,
                north=view.north,
            )
        )
        query.add_where(
            SQL(
                "(%(lon)s >= %(west)s OR %(lon)s <= %(east)s)"
                if view.crosses
                else "%(lon)s BETWEEN %(west)s AND %(east)s",
                lon=longitude,
                west=view.west,
                east=view.east,
            )
        )
        return query

    def _ticket_columns(self, query, view):
        """SQL of the status, amount, latitude and unwrapped longitude."""
        table = query.table
        no_coverage = self.env["ir.model.data"]._xmlid_to_res_id(
            "isp_sales_desk.loss_reason_no_coverage"
        )
        longitude = SQL.identifier(table, "longitude")
        if view.crosses:
            longitude = SQL(
                "CASE WHEN %(lon)s < %(west)s THEN %(lon)s + 360 ELSE %(lon)s END",
                lon=longitude,
                west=view.west,
            )
        amount = (
            SQL("COALESCE(%s, 0)", SQL.identifier(table, "amount_total"))
            if self._show_amounts()
            else SQL("0")
        )
        return {
            "status": SQL(
                "CASE WHEN %(state)s = 'lost' AND %(reason)s = %(no_coverage)s"
                " THEN 'demand' ELSE %(state)s END",
                state=SQL.identifier(table, "state"),
                reason=SQL.identifier(table, "lost_reason_id"),
                no_coverage=no_coverage,
            ),
            "amount": amount,
            "lat": SQL("%s::float8", SQL.identifier(table, "latitude")),
            "lon": SQL("%s::float8", longitude),
        }

    @api.model
    def _ticket_clusters(self, query, view, size):
        """Tickets per grid cell and status: PostgreSQL groups by (cell, state,
        lost for no coverage), Python folds the few rows per cell (several
        times faster than counting each status with a filter)."""
        columns = self._ticket_columns(query, view)
        table = query.table
        no_coverage = self.env["ir.model.data"]._xmlid_to_res_id(
            "isp_sales_desk.loss_reason_no_coverage"
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT floor((lat - %(south)s) / %(size)s)::int,
                       floor((lon - %(west)s) / %(size)s)::int,
                       state, demand, count(*), sum(amount)::float8,
                       sum(lat), sum(lon)
                  FROM (%(tickets)s) AS ticket
              GROUP BY 1, 2, 3, 4
                """,
                south=view.south,
                west=view.west,
                size=size,
                tickets=query.select(
                    SQL("%s AS state", SQL.identifier(table, "state")),
                    SQL(
                        "%s IS NOT DISTINCT FROM %s AS demand",
                        SQL.identifier(table, "lost_reason_id"),
                        no_coverage,
                    ),
                    SQL("%s AS amount", columns["amount"]),
                    SQL("%s AS lat", columns["lat"]),
                    SQL("%s AS lon", columns["lon"]),
                ),
            )
        )
        cells = {}
        for row, col, state, demand, count, amount, lat, lon in rows:
            cell = cells.get((row, col))
            if cell is None:
                cell = cells[(row, col)] = dict.fromkeys(MAP_STATUSES, 0)
                cell.update(row=row, col=col, count=0, amount=0.0, lat=0.0, lon=0.0)
            status = "demand" if state == "lost" and demand else state
            cell[status] += count
            cell["count"] += count
            cell["amount"] += amount or 0.0
            cell["lat"] += lat
            cell["lon"] += lon
        clusters = []
        for cell in cells.values():
            lon = cell["lon"] / cell["count"]
            cell.update(
                amount=round(cell["amount"], 2),
                lat=cell["lat"] / cell["count"],
                lon=map_grid.wrap_longitude(lon) if lon >= 180 else lon,
            )
            clusters.append(cell)
        return clusters

    @api.model
    def _ticket_points(self, query):
        columns = self._ticket_columns(query, map_grid.viewport(None, 0))
        table = query.table
        query.order = SQL.identifier(table, "id")
        query.limit = map_grid.MAX_POINTS + 1
        rows = self.env.execute_query(
            query.select(
                SQL.identifier(table, "id"),
                columns["lat"],
                SQL("%s::float8", SQL.identifier(table, "longitude")),
                columns["status"],
                SQL.identifier(table, "name"),
                SQL.identifier(table, "prospect_name"),
                SQL("%s::float8", columns["amount"]),
            )
        )
        keys = ("id", "lat", "lon", "status", "name", "prospect", "amount")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    @api.model
    def _nodes_around(self, view):
        """The active nodes around the viewport, with their load."""
        Node = self.env["isp.network.node"]
        if not Node.has_access("read"):
            return []
        margin = 0.05  # degrees: circles of nodes just outside show too
        domain = Domain("active", "=", True)
        domain &= Domain("latitude", ">=", max(view.south - margin, -90))
        domain &= Domain("latitude", "<=", min(view.north + margin, 90))
        if not view.crosses and map_grid.lon_span(view) < 359:
            domain &= Domain("longitude", ">=", view.west - margin) & Domain(
                "longitude", "<=", view.east + margin
            )
        elif view.crosses:
            domain &= Domain("longitude", ">=", view.west - margin) | Domain(
                "longitude", "<=", view.east + margin
            )
        Node.flush_model()
        query = Node._search(domain, bypass_access=False)
        table = query.table
        query.order = SQL("%s DESC", SQL.identifier(table, "coverage_radius"))
        query.limit = 2000
        rows = self.env.execute_query(
            query.select(
                *(
                    SQL.identifier(table, name)
                    for name in ("id", "name", "coverage_radius", "technology")
                ),
                SQL("%s::float8", SQL.identifier(table, "latitude")),
                SQL("%s::float8", SQL.identifier(table, "longitude")),
                SQL("COALESCE(%s, 0)", SQL.identifier(table, "capacity")),
                SQL("COALESCE(%s, 0)", SQL.identifier(table, "free_capacity")),
            )
        )
        nodes = []
        for node_id, name, radius, technology, lat, lon, capacity, free in rows:
            if not capacity or free > capacity * NEARLY_FULL:
                load = "free"
            elif free > 0:
                load = "nearly_full"
            else:
                load = "full"
            nodes.append(
                {
                    "id": node_id,
                    "name": name,
                    "lat": lat,
                    "lon": lon,
                    "radius": radius,
                    "technology": technology,
                    "capacity": capacity,
                    "free": free,
                    "load": load,
                }
            )
        return nodes

    # ------------------------------------------------------------
    # WHAT-IF NODE
    # ------------------------------------------------------------

    @api.model
    def _what_if(self, latitude, longitude, radius, technology="wireless", capacity=0):
        """What a candidate node would reach: the tickets within ``radius``
        metres lost for lack of coverage, open and uncovered, open and
        marginal today; their estimated monthly amount; how many fit in
        ``capacity`` (0: no limit). Managers only."""
        if not self.env.user.has_group("isp_sales_desk.group_isp_sales_manager"):
            raise AccessError(
                self.env._("Only sales desk managers can try a what-if node.")
            )
        radius, capacity = self._check_what_if(
            latitude, longitude, radius, technology, capacity
        )
        box = map_grid.circle_viewport(float(latitude), float(longitude), radius)
        query = self._ticket_query([("state", "!=", "won")], box)
        columns = self._ticket_columns(query, box)
        table = query.table
        coverage = SQL.identifier(table, "coverage")
        rows = self.env.execute_query(
            SQL(
                """
                SELECT kind, count(*), sum(amount)::float8 FROM (
                    SELECT CASE WHEN status = 'demand' AND coverage != 'covered'
                                    THEN 'demand'
                                WHEN status IN ('pending', 'in_progress')
                                 AND coverage IN ('uncovered', 'unknown')
                                    THEN 'pending_uncovered'
                                WHEN status IN ('pending', 'in_progress')
                                 AND coverage = 'marginal'
                                    THEN 'marginal' END AS kind,
                           amount
                      FROM (%(tickets)s) AS ticket
                     WHERE %(distance)s <= %(radius)s
                ) AS reached
                WHERE kind IS NOT NULL
                GROUP BY kind
                """,
                tickets=query.select(
                    SQL("%s AS status", columns["status"]),
                    SQL("%s AS coverage", coverage),
                    SQL("%s AS amount", columns["amount"]),
                    SQL("%s AS lat", columns["lat"]),
                    SQL("%s::float8 AS lon", SQL.identifier(table, "longitude")),
                ),
                distance=distance_sql(
                    float(latitude), float(longitude), SQL("lat"), SQL("lon")
                ),
                radius=radius,
            )
        )
        result = {
            kind: {"count": 0, "amount": 0.0}
            for kind in ("demand", "pending_uncovered", "marginal")
        }
        for kind, count, amount in rows:
            result[kind] = {"count": count, "amount": round(amount or 0.0, 2)}
        reached = sum(value["count"] for value in result.values())
        result.update(
            reached=reached,
            amount=round(sum(value["amount"] for value in result.values()), 2),
            fit=min(reached, capacity) if capacity else reached,
            capacity=capacity,
            currency_id=self.env.company.sudo().currency_id.id,
        )
        return result

    @api.model
    def _check_what_if(self, latitude, longitude, radius, technology, capacity):
        """A clear message for each bad input of a what-if node."""
        if latitude is None or longitude is None:
            raise UserError(self.env._("Place the candidate node on the map first."))
        check_point_or_raise(self.env, latitude, longitude)
        if isinstance(radius, bool) or not isinstance(radius, (int, float)):
            radius = 0.0
        try:
            radius = float(radius)
        except OverflowError:  # an integer of hundreds of digits: huge
            radius = float("inf")
        if not radius > 0:
            raise UserError(
                self.env._("The coverage radius of the node must be more than 0 m.")
            )
        radius = min(radius, 100_000.0)
        technologies = dict(
            self.env["isp.network.node"]._fields["technology"].selection
        )
        if technology and (
            not isinstance(technology, str) or technology not in technologies
        ):
            raise UserError(
                self.env._(
                    "Unknown technology %(technology)s. Use one of: %(technologies)s.",
                    technology=technology
                    if isinstance(technology, str)
                    else repr(technology)[:40],
                    technologies=", ".join(technologies),
                )
            )
        if capacity in (None, False):
            capacity = 0
        elif isinstance(capacity, float) and capacity.is_integer():
            capacity = int(capacity)
        if type(capacity) is not int or capacity < 0:
            raise UserError(
                self.env._("The capacity must be a whole number, 0 or more.")
            )
        return radius, capacity

    # ------------------------------------------------------------
    # ORDERS (the technician's map)
    # ------------------------------------------------------------

    @api.model
    def _order_map_data(self, domain=None, bbox=None, zoom=None):
        """The orders of ``domain`` in ``bbox`` as points, in the same shape
        as the tickets' map data; the box and zoom are clamped."""
        view = map_grid.viewport(bbox, zoom)
        box = Domain("prospect_id.latitude", ">=", view.south) & Domain(
            "prospect_id.latitude", "<=", view.north
        )
        if view.crosses:
            box &= Domain("prospect_id.longitude", ">=", view.west) | Domain(
                "prospect_id.longitude", "<=", view.east
            )
        elif view.east - view.west < 360:
            box &= Domain("prospect_id.longitude", ">=", view.west) & Domain(
                "prospect_id.longitude", "<=", view.east
            )
        Order = self.env["isp.sales.order"]
        orders = Order.search(
            self._filter_domain(Order, domain)
            & box
            & Domain("prospect_id.has_point", "=", True),
            order="scheduled_date, id",
            limit=MAX_ORDERS,
        )
        states = dict(
            self.env["isp.sales.order"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        points = [
            {
                "id": order.id,
                "lat": order.latitude,
                "lon": order.longitude,
                "status": order.state,
                "status_label": states.get(order.state, order.state),
                "name": order.name,
                "prospect": order.prospect_id.name,
                "scheduled_date": order.scheduled_date
                and order.scheduled_date.isoformat(),
                "navigation_url": order.navigation_url,
                "amount": 0.0,
            }
            for order in orders
        ]
        totals = {"count": len(points), "amount": 0.0}
        for point in points:
            totals[point["status"]] = totals.get(point["status"], 0) + 1
        return {
            "bbox": [view.south, view.west, view.north, view.east],
            "zoom": view.zoom,
            "clusters": [],
            "points": points,
            "nodes": [],
            "totals": totals,
            "currency_id": False,
            "show_amounts": False,
            "truncated": len(points) >= MAX_ORDERS,
        }
