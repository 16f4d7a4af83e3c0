"""The map's viewport and the grid the server aggregates tickets by.

Whatever the browser sends (a box crossing the antimeridian, beyond the
poles, the whole world many times over, an absurd zoom, garbage), the server
gets a clamped :class:`Viewport` and a grid of at most ``MAX_CELLS`` x
``MAX_CELLS`` cells fitted to it: cells of about ``CELL_PX`` screen pixels at
the zoom, larger when the box is too big for the zoom. The answer stays
bounded at any number of tickets.
"""

import math
from collections import namedtuple

from .coverage import bounding_box

MAX_LATITUDE = 85.05112878  # the Web Mercator map ends there
MIN_ZOOM, MAX_ZOOM, DEFAULT_ZOOM = 0, 22, 2
TILE_PX = 256
CELL_PX = 80
MAX_CELLS = 32
# from this zoom on (a few streets), or below this many tickets in view,
# the map gets the tickets themselves instead of clusters
POINTS_ZOOM = 15
POINTS_BELOW = 300
MAX_POINTS = 1500

Viewport = namedtuple("Viewport", "south west north east zoom crosses")
Viewport.__doc__ = """A clamped box; ``crosses`` when it spans the antimeridian
(then ``west > east``: longitudes >= west or <= east are inside)."""

WORLD = (-MAX_LATITUDE, -180.0, MAX_LATITUDE, 180.0)


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(value)
    try:
        number = float(value)
    except OverflowError as error:  # an integer of hundreds of digits (JSON)
        raise ValueError(value) from error
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def clamp_zoom(zoom):
    try:
        return min(max(round(_number(zoom)), MIN_ZOOM), MAX_ZOOM)
    except (TypeError, ValueError):
        return DEFAULT_ZOOM


def wrap_longitude(longitude):
    """The same meridian in [-180, 180)."""
    return (longitude + 180.0) % 360.0 - 180.0


def viewport(bbox, zoom):
    """Clamp ``bbox`` (``[south, west, north, east]``, Leaflet's order of
    ``getSouth/West/North/East``) and ``zoom``; never raises."""
    zoom = clamp_zoom(zoom)
    try:
        south, west, north, east = (_number(value) for value in bbox)
    except (TypeError, ValueError):
        south, west, north, east = WORLD
    south, north = sorted(
        (
            min(max(south, -MAX_LATITUDE), MAX_LATITUDE),
            min(max(north, -MAX_LATITUDE), MAX_LATITUDE),
        )
    )
    # Leaflet goes past +-180 when the world repeats; a box given with
    # west > east is read as crossing the antimeridian
    span = east - west if east >= west else (east - west) % 360.0
    if span >= 360.0:
        return Viewport(south, -180.0, north, 180.0, zoom, False)
    west = wrap_longitude(west)
    east = west + span
    if east > 180.0:
        return Viewport(south, west, north, east - 360.0, zoom, True)
    return Viewport(south, west, north, east, zoom, False)


def lon_span(view):
    return view.east - view.west + (360.0 if view.crosses else 0.0)


def cell_size(view):
    """The side of a grid cell, in degrees: ``CELL_PX`` pixels at the zoom,
    or larger so that the box holds at most ``MAX_CELLS`` per side."""
    at_zoom = 360.0 / 2**view.zoom * CELL_PX / TILE_PX
    return max(
        at_zoom,
        lon_span(view) / MAX_CELLS,
        (view.north - view.south) / MAX_CELLS,
        1e-6,
    )


def contains(view, latitude, longitude):
    """Whether the point is in the viewport (for tests and plain Python)."""
    if not view.south <= latitude <= view.north:
        return False
    if view.crosses:
        return longitude >= view.west or longitude <= view.east
    return view.west <= longitude <= view.east


def cell_of(view, size, latitude, longitude):
    """The (row, column) of the grid cell of a point inside the viewport."""
    if view.crosses and longitude < view.west:
        longitude += 360.0
    return (
        math.floor((latitude - view.south) / size),
        math.floor((longitude - view.west) / size),
    )


def circle_viewport(latitude, longitude, radius_m):
    """The viewport of the circle of ``radius_m`` metres around a point."""
    lat_min, lat_max, (lo1, hi1), (lo2, hi2) = bounding_box(
        latitude, longitude, radius_m
    )
    if lo2 <= hi2:  # split at the antimeridian
        return Viewport(lat_min, lo1, lat_max, hi2, 0, True)
    return Viewport(lat_min, lo1, lat_max, hi1, 0, False)
