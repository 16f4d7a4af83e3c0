"""The technician's map: their orders (today's, by default) with a link to
navigate to each site. Few records by nature (one person's orders), so they
are read through the ORM, bounded all the same."""

from odoo import api, models
from odoo.fields import Domain

from ..lib import map_grid

MAX_ORDERS = 500


class IspSalesOrder(models.Model):
    _inherit = "isp.sales.order"

    @api.model
    @api.readonly
    def get_isp_map_data(self, domain=None, bbox=None, zoom=None):
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
        orders = self.search(
            Domain(domain or []) & box & Domain("prospect_id.has_point", "=", True),
            order="scheduled_date, id",
            limit=MAX_ORDERS,
        )
        states = dict(self._fields["state"]._description_selection(self.env))
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
