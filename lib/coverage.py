"""Coverage of a point by the ISP's network.

A node *reaches* the points within its radius plus the margin. The verdict of
a point is the best one any active node of its company gives it, the nearest
node first among equals (found by an indexed SQL query, see
``isp.network.node._isp_nearest_nodes``):

* ``covered``: inside a node's radius, and the node has free capacity
  (a capacity of 0 means unlimited);
* ``marginal``: inside the radius of a full node, or outside a node's radius
  by no more than ``margin_percent`` of it;
* ``uncovered``: no node reaches the point;
* ``unknown``: no point, or the company has no active node to compare with.

Because only the nodes that reach a point decide its verdict, adding, moving or
archiving a node can only change the verdicts within its reach (and of the
points it decided): a new small node next to a big tower does not take away
the coverage the tower gives. This module holds the verdict rules and the
geometry of the query's bounding box.
"""

import math

from .geo import EARTH_RADIUS_M

COVERED = "covered"
MARGINAL = "marginal"
UNCOVERED = "uncovered"
UNKNOWN = "unknown"
VERDICT_SELECTION = (
    (COVERED, "Covered"),
    (MARGINAL, "Marginal"),
    (UNCOVERED, "Not covered"),
    (UNKNOWN, "Unknown"),
)
VERDICTS = tuple(code for code, _label in VERDICT_SELECTION)

DEFAULT_MARGIN_PERCENT = 20
# radii (metres) of the successive bounding boxes searched for the nearest node;
# a node farther than the last one is not looked for: the point is uncovered
SEARCH_RADII_M = (5_000, 50_000, 500_000)

# a longitude range that no longitude falls in (BETWEEN 1 AND 0 is false)
EMPTY_RANGE = (1.0, 0.0)


def verdict(
    distance_m,
    radius_m,
    capacity=0,
    free_capacity=0,
    margin_percent=DEFAULT_MARGIN_PERCENT,
):
    """The coverage verdict of a point ``distance_m`` metres from its nearest
    node; ``distance_m`` is None when there is no point or no node."""
    if distance_m is None or radius_m is None:
        return UNKNOWN
    full = capacity > 0 and free_capacity <= 0
    if distance_m <= radius_m:
        return MARGINAL if full else COVERED
    if distance_m <= radius_m * (1 + max(margin_percent, 0) / 100.0):
        return MARGINAL
    return UNCOVERED


def best_verdict(nodes, margin_percent=DEFAULT_MARGIN_PERCENT):
    """The verdict of a point given all the active nodes of its company, as
    ``(distance_m, radius_m, capacity, free_capacity)``: the plain definition
    that the SQL lookup computes with an index (tests compare the two)."""
    if not nodes:
        return UNKNOWN
    rank = {COVERED: 0, MARGINAL: 1, UNCOVERED: 2}
    return min(
        (verdict(*node, margin_percent=margin_percent) for node in nodes),
        key=rank.__getitem__,
    )


def bounding_box(latitude, longitude, radius_m):
    """The box of all points within ``radius_m`` of the point, as
    ``(lat_min, lat_max, (lon_min1, lon_max1), (lon_min2, lon_max2))``.

    Two longitude ranges, because a box crossing the antimeridian is split in
    two; the second range is :data:`EMPTY_RANGE` when not needed. Near a pole
    the box spans every longitude.
    """
    angle = math.degrees(radius_m / EARTH_RADIUS_M)
    lat_min, lat_max = latitude - angle, latitude + angle
    if lat_min <= -90 or lat_max >= 90:
        return max(lat_min, -90.0), min(lat_max, 90.0), (-180.0, 180.0), EMPTY_RANGE
    # the box is widest, in degrees of longitude, at its latitude nearest a pole
    widest = math.cos(math.radians(max(abs(lat_min), abs(lat_max))))
    lon_angle = angle / widest
    if lon_angle >= 180:
        return lat_min, lat_max, (-180.0, 180.0), EMPTY_RANGE
    lon_min, lon_max = longitude - lon_angle, longitude + lon_angle
    if lon_min < -180:
        return lat_min, lat_max, (lon_min + 360, 180.0), (-180.0, lon_max)
    if lon_max > 180:
        return lat_min, lat_max, (lon_min, 180.0), (-180.0, lon_max - 360)
    return lat_min, lat_max, (lon_min, lon_max), EMPTY_RANGE
