"""Coverage of a point by the ISP's network.

The verdict only looks at the nearest active node (found by an indexed SQL
query, see ``isp.network.node._isp_nearest_nodes``); this module holds the
geometry of that query's bounding box and the verdict rules:

* ``covered``: inside the node's radius, and the node has free capacity
  (a capacity of 0 means unlimited);
* ``marginal``: inside the radius but the node is full, or outside the radius
  by no more than ``margin_percent`` of it;
* ``uncovered``: farther than that;
* ``unknown``: no point, or no active node to compare with.
"""

import math

from .geo import EARTH_RADIUS_M

COVERED = "covered"
MARGINAL = "marginal"
UNCOVERED = "uncovered"
UNKNOWN = "unknown"
VERDICTS = (COVERED, MARGINAL, UNCOVERED, UNKNOWN)
VERDICT_SELECTION = (
    (COVERED, "Covered"),
    (MARGINAL, "Marginal"),
    (UNCOVERED, "Not covered"),
    (UNKNOWN, "Unknown"),
)

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
