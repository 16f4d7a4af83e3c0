"""Footprints: where a network element can serve, as WGS-84 lon/lat geometry.

A footprint is a Shapely ``Polygon`` or ``MultiPolygon`` whose x is the
longitude and y the latitude (GeoJSON's order). It is built from its kind:

* :func:`circle` -- today's nodes, and a fibre box's drop reach
  (:func:`drop_reach`);
* :func:`sector` -- a wireless sector's wedge (azimuth, beamwidth, range);
* :func:`polygon` -- drawn, or imported from KML/KMZ/GeoJSON
  (``footprint_import.py``);

and :func:`adjust` adds and subtracts polygons (a hill behind the sector, a
gated neighbourhood), as TowerCoverage does.

Geodesy. Circle and sector vertices are exact WGS-84 geodesic destinations
(``geodesy.destination``, sub-millimetre). Between vertices the edges are
straight in lon/lat; the arc is cut into as many segments as keep the polygon
within :data:`MAX_SAGITTA_M` (1 m) of the true geodesic circle up to a 40 km
radius (512 segments at most: 0.6 m at 20 km, 2.4 m at 40 km, 0.0019 % of the
radius beyond). The polygon is inscribed: a point it contains is within the
radius; a point up to 1 m inside the radius may fall just outside, into the
margin. A circle that is not adjusted can also be judged exactly by its
distance (``coverage.circle_candidate``), as today.

Distances from a point to a footprint (:func:`measure`) are measured in a plane
tangent at the point (``geodesy.local_xy``): within 1 cm up to 10 km. A
:class:`Prepared` footprint keeps its own plane and measures a point in a tenth
of the time (within 0.1 % up to 10 km from its anchor at Rosario's latitude),
and exactly where it matters: at the margin.

Decisions (see lib/README.md for the reasons):

* a self-intersecting polygon is **repaired** with ``shapely.make_valid`` and
  the repair is reported as the warning ``repaired`` (with where it crossed);
  ``repair=False`` refuses it with ``self_intersection`` instead;
* a polygon given **across the antimeridian** (an edge spanning more than 180
  degrees of longitude) is **refused** (``crosses_antimeridian``): give it as
  a MultiPolygon cut at +-180 (RFC 7946, 3.1.9). Circles and sectors built
  here near +-180 are cut that way automatically;
* **swapped coordinates** (``swapped_coordinates``) are detected when (1) a
  "latitude" is outside +-90 while every position read the other way round
  is a valid point, or (2) a service ``region`` is given, the shape lies
  outside it and the same shape read the other way round lies inside it.
  A shape outside the region either way gets the warning ``far_from_region``.

Errors are :class:`FootprintError` (a ``RuleError``: ``code`` + ``params``);
warnings are ``(code, params)`` tuples returned next to the geometry.
"""

import json
import math
import re
import threading
from collections import OrderedDict, namedtuple

import numpy as np
import shapely
from shapely import MultiPolygon, Point, Polygon
from shapely.geometry.polygon import orient

from . import coverage, geodesy
from .errors import RuleError
from .geo import EARTH_RADIUS_M

CIRCLE = "circle"
SECTOR = "sector"
POLYGON = "polygon"
FOOTPRINT_TYPE_SELECTION = (
    (CIRCLE, "Circle"),
    (SECTOR, "Sector"),
    (POLYGON, "Polygon"),
)
FOOTPRINT_TYPES = tuple(code for code, _label in FOOTPRINT_TYPE_SELECTION)

# limits of what a footprint may be
MAX_RADIUS_M = 100_000
MAX_VERTICES = 10_000
MAX_PARTS = 1_000
MAX_GEOJSON_BYTES = 2_000_000
# coordinates are kept to 7 decimals (1.1 cm)
PRECISION = 7
# how far the polygon of a circle may be inside the true circle
MAX_SAGITTA_M = 1.0
MIN_SEGMENTS, MAX_SEGMENTS = 32, 512
# the polar cap no footprint may reach (its lon/lat polygon would be wrong)
POLAR_LIMIT = 89.5
# the map's pixels: simplification tolerance and coordinate precision per zoom
TILE_PX = 256
SIMPLIFY_PX = 1.0

Checked = namedtuple("Checked", "geometry warnings")
Checked.__doc__ = """A validated footprint: the geometry (Polygon or
MultiPolygon) and the list of ``(code, params)`` warnings about it."""

Measure = namedtuple("Measure", "inside outside_m edge_m excluded", defaults=(False,))
Measure.__doc__ = """Where a point stands against a footprint: ``inside``
(boundary included), ``outside_m`` the metres to the footprint (0 inside),
``edge_m`` the metres to its boundary (None unless asked for), and
``excluded`` when the point lies in one of its holes (cut out on purpose: a
gated neighbourhood; the margin does not reach into a hole)."""

Measures = namedtuple("Measures", "inside outside_m excluded")
Measures.__doc__ = """:class:`Measure` for arrays of points (numpy arrays)."""


class FootprintError(RuleError):
    """A footprint that cannot be built or accepted; ``code`` says why."""


# ------------------------------------------------------------
# BUILDERS
# ------------------------------------------------------------


def _number(field, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FootprintError("not_a_number", field=field)
    try:
        value = float(value)
    except OverflowError as error:
        raise FootprintError("not_a_number", field=field) from error
    if not math.isfinite(value):
        raise FootprintError("not_a_number", field=field)
    return value


def _centre(lat, lon):
    lat, lon = _number("latitude", lat), _number("longitude", lon)
    if not -90.0 <= lat <= 90.0:
        raise FootprintError("latitude_range", field="latitude", value=lat)
    if not -180.0 <= lon <= 180.0:
        raise FootprintError("longitude_range", field="longitude", value=lon)
    return lat, lon


def _radius(radius_m):
    radius_m = _number("radius", radius_m)
    if radius_m <= 0:
        raise FootprintError("bad_radius", value=radius_m)
    if radius_m > MAX_RADIUS_M:
        raise FootprintError("radius_too_large", value=radius_m, max=MAX_RADIUS_M)
    return radius_m


def segments(radius_m):
    """How many segments a whole circle of ``radius_m`` is cut into: enough
    for the chord to stay within :data:`MAX_SAGITTA_M` of the arc, a multiple
    of 4 between :data:`MIN_SEGMENTS` and :data:`MAX_SEGMENTS`."""
    if radius_m <= MAX_SAGITTA_M:
        return MIN_SEGMENTS
    needed = math.pi / math.acos(1.0 - MAX_SAGITTA_M / radius_m)
    return int(min(max(math.ceil(needed / 4) * 4, MIN_SEGMENTS), MAX_SEGMENTS))


def _check_pole(lat, radius_m):
    # a conservative bound: a degree of latitude is at least 110.5 km
    if abs(lat) + radius_m / 110_000.0 >= POLAR_LIMIT:
        raise FootprintError("reaches_pole", latitude=lat, radius=radius_m)


def _cut_at_antimeridian(geometry):
    """``geometry``, built with longitudes unwrapped past +-180, as the
    polygons of its pieces inside [-180, 180]."""
    min_lon, _s, max_lon, _n = geometry.bounds
    if min_lon >= -180.0 and max_lon <= 180.0:
        return geometry
    pieces = []
    for shift in (-360.0, 0.0, 360.0):
        window = shapely.box(-180.0 - shift, -90.0, 180.0 - shift, 90.0)
        piece = _polygonal(shapely.intersection(geometry, window))
        if not piece.is_empty:
            pieces.extend(_parts(shapely.affinity.translate(piece, xoff=shift)))
    return MultiPolygon(pieces)


def circle(lat, lon, radius_m):
    """The geodesic circle of ``radius_m`` metres around a point (see the
    module docstring for its error bound)."""
    lat, lon = _centre(lat, lon)
    radius_m = _radius(radius_m)
    _check_pole(lat, radius_m)
    count = segments(radius_m)
    azimuths = np.arange(count) * (360.0 / count)
    lats, lons = geodesy.destination(lat, lon, azimuths, radius_m)
    ring = np.column_stack([lons, lats])
    # counter-clockwise, as RFC 7946 stores it (azimuths turn clockwise)
    return _cut_at_antimeridian(orient(Polygon(ring), 1.0))


def drop_reach(lat, lon, reach_m):
    """A fibre box's footprint: the circle of its drop reach (the longest drop
    cable the ISP lays from the box to a house)."""
    return circle(lat, lon, reach_m)


def check_beamwidth(beamwidth_deg):
    """The beamwidth as a float in (0, 360]; refuses anything else."""
    beamwidth = _number("beamwidth", beamwidth_deg)
    if not 0.0 < beamwidth <= 360.0:
        raise FootprintError("bad_beamwidth", value=beamwidth)
    return beamwidth


def sector(lat, lon, azimuth_deg, beamwidth_deg, range_m):
    """A wireless sector's wedge: from the tower, ``beamwidth_deg`` degrees
    centred on ``azimuth_deg`` (clockwise from north, any value, taken modulo
    360), out to ``range_m`` metres. A beamwidth of 360 is the circle; a
    beamwidth <= 0 or > 360 is refused (``bad_beamwidth``)."""
    lat, lon = _centre(lat, lon)
    azimuth = _number("azimuth", azimuth_deg) % 360.0
    beamwidth = check_beamwidth(beamwidth_deg)
    range_m = _radius(range_m)
    if beamwidth == 360.0:
        return circle(lat, lon, range_m)
    _check_pole(lat, range_m)
    count = max(2, math.ceil(segments(range_m) * beamwidth / 360.0))
    azimuths = azimuth - beamwidth / 2.0 + np.arange(count + 1) * (beamwidth / count)
    lats, lons = geodesy.destination(lat, lon, azimuths, range_m)
    ring = [(lon, lat), *zip(lons.tolist(), lats.tolist(), strict=True)]
    return _cut_at_antimeridian(orient(Polygon(ring), 1.0))


def build(footprint_type, lat, lon, radius_m, azimuth=None, beamwidth=None):
    """The footprint of a node from its stored fields (``footprint_type``,
    ``coverage_radius``, ``azimuth``, ``beamwidth``); a polygon is not built
    but read (:func:`from_geojson`), so it is refused here."""
    if footprint_type == CIRCLE:
        return circle(lat, lon, radius_m)
    if footprint_type == SECTOR:
        if azimuth is None:
            raise FootprintError("not_a_number", field="azimuth")
        if beamwidth is None:
            raise FootprintError("not_a_number", field="beamwidth")
        return sector(lat, lon, azimuth, beamwidth, radius_m)
    raise FootprintError("unknown_footprint_type", footprint_type=footprint_type)


def adjust(base, add=(), subtract=()):
    """``base`` with the ``add`` polygons joined and the ``subtract`` polygons
    cut out (subtractions win: a gated neighbourhood stays out even where an
    added polygon covers it). Every argument is a polygonal geometry, already
    validated; an adjustment that leaves nothing is refused
    (``empty_after_adjust``)."""
    pieces = [base, *add]
    for geometry in [*pieces, *subtract]:
        if not isinstance(geometry, (Polygon, MultiPolygon)):
            raise FootprintError("not_polygonal", type=geometry.geom_type)
    result = shapely.union_all(pieces)
    if subtract:
        result = shapely.difference(result, shapely.union_all(list(subtract)))
    result = _polygonal(result)
    if result.is_empty:
        raise FootprintError("empty_after_adjust")
    return _as_footprint(result)


# ------------------------------------------------------------
# CHECKS OF GIVEN POLYGONS
# ------------------------------------------------------------


def _parts(geometry):
    if isinstance(geometry, Polygon):
        return [] if geometry.is_empty else [geometry]
    if hasattr(geometry, "geoms"):
        parts = []
        for part in geometry.geoms:
            parts.extend(_parts(part))
        return parts
    return []


def _polygonal(geometry):
    """The polygons of ``geometry`` (what ``make_valid`` or an intersection
    returns may hold lines and points too), as a MultiPolygon."""
    return MultiPolygon(_parts(geometry))


def _as_footprint(geometry):
    parts = _parts(geometry)
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def vertex_count(geometry):
    return int(shapely.get_num_coordinates(geometry))


def _position(position, where):
    """``(x, y)`` of a position of 2 or 3 finite numbers. Exact types, not
    isinstance: a JSON ``true`` is no coordinate (and this runs once per
    vertex of an import)."""
    kind = type(position)
    if (kind is not list and kind is not tuple) or not 2 <= len(position) <= 3:
        raise FootprintError("bad_position", where=where)
    for value in position:
        kind = type(value)
        if kind is float:
            if not math.isfinite(value):
                raise FootprintError("bad_position", where=where)
        elif kind is not int:
            raise FootprintError("bad_position", where=where)
    return float(position[0]), float(position[1])


def _rings(rings, where):
    """The rings of one polygon as lists of ``(x, y)``, closed and long
    enough; refuses anything else."""
    if not isinstance(rings, (list, tuple)):
        raise FootprintError("bad_polygon", where=where)
    if not rings:
        raise FootprintError("empty_geometry", where=where)
    result = []
    for ring in rings:
        if not isinstance(ring, (list, tuple)):
            raise FootprintError("bad_polygon", where=where)
        points = [_position(position, where) for position in ring]
        if len(points) < 4:
            raise FootprintError("ring_too_short", where=where, count=len(points))
        if points[0] != points[-1]:
            raise FootprintError("ring_not_closed", where=where)
        result.append(points)
    return result


def _swapped_ok(xs, ys):
    return bool(np.all(np.abs(xs) <= 90.0) and np.all(np.abs(ys) <= 180.0))


def _box_within(box, region):
    min_lat, min_lon, max_lat, max_lon = box
    r_min_lat, r_min_lon, r_max_lat, r_max_lon = region
    return (
        r_min_lat <= min_lat
        and max_lat <= r_max_lat
        and r_min_lon <= min_lon
        and max_lon <= r_max_lon
    )


def _box_meets(box, region):
    min_lat, min_lon, max_lat, max_lon = box
    r_min_lat, r_min_lon, r_max_lat, r_max_lon = region
    return (
        min_lat <= r_max_lat
        and r_min_lat <= max_lat
        and min_lon <= r_max_lon
        and r_min_lon <= max_lon
    )


def check_positions(xs, ys, region=None, where=None):
    """Range, order and antimeridian checks of raw positions (``xs`` should
    be longitudes, ``ys`` latitudes; numpy arrays of one geometry, rings one
    after the other). Returns the warnings; raises on what is refused.

    Swapped coordinates are refused in the two cases of the module docstring.
    """
    warnings = []
    if np.any(np.abs(ys) > 90.0) or np.any(np.abs(xs) > 180.0):
        if _swapped_ok(xs, ys):
            raise FootprintError("swapped_coordinates", where=where, rule="range")
        bad = int(np.argmax((np.abs(ys) > 90.0) | (np.abs(xs) > 180.0)))
        raise FootprintError(
            "coordinates_out_of_range",
            where=where,
            latitude=float(ys[bad]),
            longitude=float(xs[bad]),
        )
    if region is not None:
        box = (ys.min(), xs.min(), ys.max(), xs.max())
        if not _box_meets(box, region):
            swapped = (xs.min(), ys.min(), xs.max(), ys.max())
            if _swapped_ok(xs, ys) and _box_within(swapped, region):
                raise FootprintError("swapped_coordinates", where=where, rule="region")
            warnings.append(("far_from_region", {"where": where}))
    return warnings


def _check_antimeridian(ring, where):
    xs = np.array([x for x, _y in ring])
    if xs.size > 1 and np.any(np.abs(np.diff(xs)) > 180.0):
        raise FootprintError("crosses_antimeridian", where=where)


_WHERE = re.compile(r"\[\s*(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)")


def _invalid_where(geometry):
    """The reason GEOS gives for an invalid geometry, and where (lat, lon)."""
    reason = shapely.is_valid_reason(geometry)
    params = {"reason": reason.split("[", 1)[0].strip()}
    match = _WHERE.search(reason)
    if match:
        params["longitude"] = round(float(match.group(1)), PRECISION)
        params["latitude"] = round(float(match.group(2)), PRECISION)
    return params


def check(geometry, repair=True, max_vertices=MAX_VERTICES, where=None):
    """Validate a polygonal geometry built from checked positions: repair (or
    refuse) an invalid one, refuse an empty one or one with too many vertices
    or parts. Returns a :class:`Checked`."""
    warnings = []
    if geometry.is_empty:
        raise FootprintError("empty_geometry", where=where)
    count = vertex_count(geometry)
    if count > max_vertices:
        raise FootprintError(
            "too_many_vertices", where=where, count=count, max=max_vertices
        )
    if not geometry.is_valid:
        parts = _parts(geometry)
        broken = [part for part in parts if not part.is_valid]
        if broken:
            params = _invalid_where(broken[0])
            if not repair:
                raise FootprintError("self_intersection", where=where, **params)
            # part by part: make_valid on the whole would cut the overlap of
            # two valid parts out (it reads the rings as boundaries)
            parts = [
                part if part.is_valid else _polygonal(shapely.make_valid(part))
                for part in parts
            ]
            warnings.append(("repaired", {"where": where, **params}))
        # valid parts drawn over each other (two sectors of one tower) are
        # one area: joined without a warning
        geometry = _polygonal(shapely.union_all(parts))
        if geometry.is_empty:
            raise FootprintError("empty_geometry", where=where)
    parts = _parts(geometry)
    if len(parts) > MAX_PARTS:
        raise FootprintError("too_many_parts", where=where, count=len(parts))
    if shapely.area(geometry) == 0.0:
        raise FootprintError("empty_geometry", where=where)
    return Checked(_as_footprint(geometry), warnings)


def from_rings(
    polygons, region=None, repair=True, max_vertices=MAX_VERTICES, where=None
):
    """A footprint from raw polygons: a list of polygons, each a list of rings
    (the first the exterior, then holes), each a list of positions ``[lon,
    lat]`` or ``[lon, lat, alt]`` -- GeoJSON's ``coordinates`` of a
    MultiPolygon, or what the KML reader collected. ``where`` names the
    feature in the errors' params. Returns a :class:`Checked`."""
    if not isinstance(polygons, (list, tuple)) or not polygons:
        raise FootprintError("empty_geometry", where=where)
    if len(polygons) > MAX_PARTS:
        raise FootprintError("too_many_parts", where=where, count=len(polygons))
    # counted before each position is checked, one by one, in Python
    total = sum(
        len(ring)
        for rings in polygons
        if isinstance(rings, (list, tuple))
        for ring in rings
        if isinstance(ring, (list, tuple))
    )
    if total > max_vertices:
        raise FootprintError(
            "too_many_vertices", where=where, count=total, max=max_vertices
        )
    checked = [_rings(rings, where) for rings in polygons]
    xs = np.array([x for rings in checked for ring in rings for x, _y in ring])
    ys = np.array([y for rings in checked for ring in rings for _x, y in ring])
    warnings = check_positions(xs, ys, region=region, where=where)
    for rings in checked:
        for ring in rings:
            _check_antimeridian(ring, where)
    shapes = [
        Polygon(np.asarray(rings[0]), [np.asarray(ring) for ring in rings[1:]])
        for rings in checked
    ]
    geometry = shapes[0] if len(shapes) == 1 else MultiPolygon(shapes)
    result = check(geometry, repair=repair, max_vertices=max_vertices, where=where)
    return Checked(result.geometry, warnings + result.warnings)


# ------------------------------------------------------------
# GEOJSON
# ------------------------------------------------------------


def _refuse_constant(name):
    raise ValueError(name)


def load_json(value, max_bytes, code="bad_geojson", too_large="geojson_too_large"):
    """``value`` (text, bytes or an already parsed dict) as Python objects;
    refuses text past ``max_bytes``, invalid JSON, NaN/Infinity and nesting
    deep enough to exhaust the parser."""
    if isinstance(value, dict):
        return value
    if isinstance(value, (bytes, bytearray)):
        if len(value) > max_bytes:
            raise FootprintError(too_large, size=len(value), max=max_bytes)
        try:
            value = bytes(value).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FootprintError(code, reason="encoding") from error
    if not isinstance(value, str):
        raise FootprintError(code, reason="type")
    if len(value) > max_bytes:
        raise FootprintError(too_large, size=len(value), max=max_bytes)
    if not value.strip():
        raise FootprintError("empty_file")
    try:
        return json.loads(value, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        raise FootprintError(code, reason="json") from error


def from_geojson(
    value,
    region=None,
    repair=True,
    max_bytes=MAX_GEOJSON_BYTES,
    max_vertices=MAX_VERTICES,
    where=None,
):
    """A footprint from a GeoJSON geometry (text, bytes or dict), strictly:
    only ``Polygon`` and ``MultiPolygon``; positions of 2 or 3 finite
    numbers; rings closed with at least 4 positions; see :func:`from_rings`
    and :func:`check` for the rest. Returns a :class:`Checked`."""
    data = load_json(value, max_bytes)
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise FootprintError("bad_geojson", reason="not_a_geometry")
    kind = data["type"]
    if kind not in ("Polygon", "MultiPolygon"):
        raise FootprintError("unsupported_geometry", where=where, type=kind)
    coordinates = data.get("coordinates")
    if not isinstance(coordinates, list):
        raise FootprintError("bad_geojson", reason="coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    return from_rings(
        polygons, region=region, repair=repair, max_vertices=max_vertices, where=where
    )


polygon = from_geojson


def _round_ring(coords, precision):
    return [[round(x, precision), round(y, precision)] for x, y, *_z in coords]


def to_geojson(geometry, precision=PRECISION):
    """A GeoJSON geometry (dict) of a Polygon, MultiPolygon or Point, rounded
    to ``precision`` decimals, rings oriented as RFC 7946 says (exterior
    counter-clockwise)."""
    if isinstance(geometry, Point):
        return {
            "type": "Point",
            "coordinates": [round(geometry.x, precision), round(geometry.y, precision)],
        }
    polygons = []
    for part in _parts(geometry):
        part = orient(part, 1.0)
        polygons.append(
            [_round_ring(part.exterior.coords, precision)]
            + [_round_ring(ring.coords, precision) for ring in part.interiors]
        )
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def to_geojson_text(geometry, precision=PRECISION):
    """:func:`to_geojson` as compact text: what ``footprint_geojson`` stores."""
    return json.dumps(to_geojson(geometry, precision), separators=(",", ":"))


def load_stored(text):
    """A footprint from the text :func:`to_geojson_text` stored (validated when
    it was written): parsed by GEOS, without the checks, and prepared. The hot
    path's reader; keep the result in a :class:`GeometryCache`."""
    geometry = shapely.from_geojson(text)
    shapely.prepare(geometry)
    return geometry


# ------------------------------------------------------------
# BOXES AND THE MAP
# ------------------------------------------------------------


def bbox(geometry):
    """``(min_lat, min_lon, max_lat, max_lon)``: the box stored and indexed on
    the node, so that SQL pre-filters and Shapely decides. A footprint cut at
    the antimeridian gets every longitude (-180..180): correct, only wide."""
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    return (min_lat, min_lon, max_lat, max_lon)


def bbox_overlaps(footprint_bbox, box):
    """Whether a stored ``footprint_bbox`` meets a query ``box`` of
    ``coverage.bounding_box`` (``lat_min, lat_max, (lo1, hi1), (lo2, hi2)``),
    exactly as the SQL pre-filter tests it::

        max_lat >= lat_min AND min_lat <= lat_max
        AND ((max_lon >= lo1 AND min_lon <= hi1)
             OR (max_lon >= lo2 AND min_lon <= hi2))
    """
    min_lat, min_lon, max_lat, max_lon = footprint_bbox
    lat_min, lat_max, (lo1, hi1), (lo2, hi2) = box
    if max_lat < lat_min or min_lat > lat_max:
        return False
    return (max_lon >= lo1 and min_lon <= hi1) or (max_lon >= lo2 and min_lon <= hi2)


def degrees_per_pixel(zoom):
    return 360.0 / (TILE_PX * 2 ** max(0, min(int(zoom), 24)))


def precision_for_zoom(zoom):
    """Decimals that keep the map's coordinates within half a pixel."""
    decimals = math.ceil(-math.log10(degrees_per_pixel(zoom) / 2.0))
    return int(min(max(decimals, 1), PRECISION))


def simplify_for_zoom(geometry, zoom):
    """``geometry`` simplified for a map at ``zoom``: vertices closer than
    :data:`SIMPLIFY_PX` pixel to the simplified line go (Douglas-Peucker,
    topology kept: rings are never dropped nor cross). The tolerance is a
    pixel's degrees of latitude at the footprint (Web Mercator's pixel is
    smaller in latitude than in longitude)."""
    _min_lon, min_lat, _max_lon, max_lat = geometry.bounds
    scale = math.cos(math.radians(max(abs(min_lat), abs(max_lat))))
    tolerance = degrees_per_pixel(zoom) * SIMPLIFY_PX * max(scale, 0.01)
    return shapely.simplify(geometry, tolerance, preserve_topology=True)


def map_geojson(geometry, zoom):
    """The map payload of a footprint at ``zoom``: simplified, rounded."""
    return to_geojson(simplify_for_zoom(geometry, zoom), precision_for_zoom(zoom))


def merge_for_map(geometries, zoom):
    """One map payload (GeoJSON dict, or None) for many footprints at a low
    zoom -- a technology's whole coverage, the planned areas: each footprint
    simplified, then all joined, then simplified and rounded again. At zoom
    11, 5,000 footprints give about 250 KB where their separate payloads
    give 2 MB, but the join costs a second or more: compute it when a
    footprint changes and serve it from a cache (lib/README.md)."""
    parts = [simplify_for_zoom(geometry, zoom) for geometry in geometries]
    if not parts:
        return None
    return map_geojson(_polygonal(shapely.union_all(parts)), zoom)


# ------------------------------------------------------------
# POINTS AGAINST FOOTPRINTS
# ------------------------------------------------------------


def contains(geometry, lat, lon):
    """Whether the footprint holds the point, its boundary included (the
    radius itself is inside, as in ``coverage.verdict``). Prepare the
    geometry (``shapely.prepare``) when it is tested many times."""
    return bool(shapely.intersects_xy(geometry, lon, lat))


def contains_many(geometry, lats, lons):
    """:func:`contains` for arrays of points, vectorised (10,000 points in a
    millisecond or so)."""
    return shapely.intersects_xy(geometry, np.asarray(lons), np.asarray(lats))


def _local(geometry, lat, lon):
    """``geometry`` in the plane tangent at ``(lat, lon)``, in metres."""

    def to_plane(coords):
        xs, ys = geodesy.local_xy(coords[:, 1], coords[:, 0], lat, lon)
        return np.column_stack([xs, ys])

    local = shapely.transform(geometry, to_plane)
    min_lon, _s, max_lon, _n = geometry.bounds
    if min_lon <= -180.0 and max_lon >= 180.0:
        # pieces cut at the antimeridian meet again in the plane: join them,
        # so that the seam is no edge
        local = shapely.union_all(shapely.set_precision(_parts(local), 1e-6))
    return local


_ORIGIN = Point(0.0, 0.0)


def measure(geometry, lat, lon, edge=False):
    """Where the point stands against the footprint (a :class:`Measure`):
    inside or not, metres to it when outside, and with ``edge`` the metres to
    its boundary (how deep inside, or how far outside). Distances within 1 cm
    up to 10 km (see ``geodesy.local_xy``)."""
    inside = contains(geometry, lat, lon)
    if inside and not edge:
        return Measure(True, 0.0, None)
    local = _local(geometry, lat, lon)
    outside_m = 0.0 if inside else float(shapely.distance(local, _ORIGIN))
    edge_m = float(shapely.distance(local.boundary, _ORIGIN)) if edge else None
    holed = shell(geometry)
    excluded = not inside and holed is not geometry and contains(holed, lat, lon)
    return Measure(inside, outside_m, edge_m, excluded)


def shell(geometry):
    """The footprint with its holes filled: a point in it but not in the
    footprint is in a hole. The footprint itself when it has no hole."""
    parts = _parts(geometry)
    if not any(part.interiors for part in parts):
        return geometry
    return _as_footprint(MultiPolygon([Polygon(part.exterior) for part in parts]))


def distance_to_edge_m(geometry, lat, lon):
    """Metres from the point to the footprint's boundary, inside or out."""
    return measure(geometry, lat, lon, edge=True).edge_m


def distance_m(lat1, lon1, lat2, lon2):
    """Geodesic metres between two points (a node's centre and a prospect):
    ``geodesy.distance_m``, 0.004 ms, within 1 cm up to 10 km."""
    return geodesy.distance_m(lat1, lon1, lat2, lon2)


def measure_many(geometry, lats, lons, margin_m=None):
    """:func:`measure` for arrays of points (a footprint edit recomputing the
    prospects in its box): :class:`Measures` of numpy arrays; see
    :meth:`Prepared.measure_many`."""
    return Prepared(geometry).measure_many(lats, lons, margin_m)


class Prepared:
    """A footprint ready to be measured many times: the geometry prepared for
    containment, its copy in the plane tangent at its :func:`anchor` (metres),
    and its :func:`shell` when it has holes. Keep it in a
    :class:`GeometryCache`: building it costs about one :func:`measure`.

    Measuring a point in the footprint's own plane costs a tenth of
    :func:`measure`. Its relative error grows with the point's distance ``D``
    from the anchor: at most ``D / R * (|tan(lat)| + 1)`` (R the Earth's
    radius; 0.3 % at 10 km and latitude -33; tests_pure/test_footprint.py
    finds it 3.6 times smaller). The points whose distance comes within that
    error, or 1 % (+1 m), of the ``margin_m`` asked for are measured again
    exactly, so that no verdict at the margin depends on the shortcut.
    """

    __slots__ = ("geometry", "lat0", "lon0", "plane", "shell", "slope")

    def __init__(self, geometry):
        shapely.prepare(geometry)
        self.geometry = geometry
        self.lat0, self.lon0 = anchor(geometry)
        self.plane = _local(geometry, self.lat0, self.lon0)
        # the plane's relative error per metre from the anchor (see above)
        self.slope = (abs(math.tan(math.radians(self.lat0))) + 1) / EARTH_RADIUS_M
        holed = shell(geometry)
        self.shell = None if holed is geometry else holed
        if self.shell is not None:
            shapely.prepare(self.shell)

    def measure(self, lat, lon, margin_m=None):
        """The :class:`Measure` of a point (without ``edge_m``)."""
        if contains(self.geometry, lat, lon):
            return Measure(True, 0.0, None, False)
        x, y = geodesy.local_point(lat, lon, self.lat0, self.lon0)
        # shapely.points: a third of the cost of the Point() constructor
        outside_m = float(shapely.distance(self.plane, shapely.points(x, y)))
        if margin_m is not None:
            error = outside_m * math.hypot(x, y) * self.slope
            if abs(outside_m - margin_m) <= margin_m * 0.01 + 1.0 + error:
                outside_m = measure(self.geometry, lat, lon).outside_m
        excluded = self.shell is not None and contains(self.shell, lat, lon)
        return Measure(False, outside_m, None, excluded)

    def measure_many(self, lats, lons, margin_m=None):
        """:class:`Measures` of arrays of points, vectorised."""
        lats = np.asarray(lats, dtype=float)
        lons = np.asarray(lons, dtype=float)
        inside = contains_many(self.geometry, lats, lons)
        outside = np.zeros(lats.shape)
        excluded = np.zeros(lats.shape, dtype=bool)
        out = np.flatnonzero(~inside)
        if out.size:
            xs, ys = geodesy.local_xy(lats[out], lons[out], self.lat0, self.lon0)
            outside[out] = shapely.distance(self.plane, shapely.points(xs, ys))
            if margin_m is not None:
                error = outside[out] * np.hypot(xs, ys) * self.slope
                window = margin_m * 0.01 + 1.0 + error
                near = out[np.abs(outside[out] - margin_m) <= window]
                for index in near:
                    outside[index] = measure(
                        self.geometry, lats[index], lons[index]
                    ).outside_m
            if self.shell is not None:
                excluded[out] = contains_many(self.shell, lats[out], lons[out])
        return Measures(inside, outside, excluded)


def candidate(
    geometry,
    lat,
    lon,
    node,
    name,
    technology,
    node_lat,
    node_lon,
    reach_m,
    footprint_type=POLYGON,
    margin_percent=coverage.DEFAULT_MARGIN_PERCENT,
    **values,
):
    """The ``coverage.Candidate`` of one footprint for the point ``(lat,
    lon)``: where the point stands against it (inside, metres outside, in a
    hole) and the distance to the element's own point ``(node_lat,
    node_lon)``. ``geometry`` is a :class:`Prepared` footprint (the fast way,
    exact at the margin of ``margin_percent``) or a geometry (:func:`measure`,
    exact everywhere). ``reach_m`` is stored on the node (radius, range, or
    :func:`nominal_reach_m` computed at write); ``values`` are the other
    fields of the candidate (capacity, free, area_state...)."""
    if isinstance(geometry, Prepared):
        where = geometry.measure(lat, lon, reach_m * max(margin_percent, 0) / 100.0)
    else:
        where = measure(geometry, lat, lon)
    return coverage.Candidate(
        node=node,
        name=name,
        technology=technology,
        inside=where.inside,
        distance_m=distance_m(lat, lon, node_lat, node_lon),
        outside_m=where.outside_m,
        excluded=where.excluded,
        reach_m=reach_m,
        footprint_type=footprint_type,
        **values,
    )


def anchor(geometry):
    """A point of the footprint, ``(lat, lon)``: its centroid when inside it,
    else a point on its surface. Where a polygon placemark without a point of
    its own puts its node."""
    centroid = geometry.centroid
    if not contains(geometry, centroid.y, centroid.x):
        centroid = geometry.point_on_surface()
    return centroid.y, centroid.x


def area_m2(geometry):
    """The footprint's area in square metres (in the plane at its anchor:
    within 0.1 % for a footprint of a few km)."""
    lat0, lon0 = anchor(geometry)
    return float(shapely.area(_local(geometry, lat0, lon0)))


def nominal_reach_m(geometry):
    """The reach the margin is a percentage of, for a polygon: the radius of
    the circle of the same area. (A circle's reach is its radius, a sector's
    its range: the node stores them.)"""
    return math.sqrt(area_m2(geometry) / math.pi)


# ------------------------------------------------------------
# CACHE AND INDEX
# ------------------------------------------------------------


class GeometryCache:
    """Prepared footprints kept between requests, by ``(key, version)`` (the
    node's id and ``write_date``): parsing a 500-vertex footprint costs more
    than the whole verdict of a point, so a worker parses each one once.
    Least recently used entries go past ``maxsize``; thread-safe. Cache
    :class:`Prepared` footprints: ``lambda: Prepared(load_stored(text))``."""

    def __init__(self, maxsize=20_000):
        self.maxsize = maxsize
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, version, load):
        """What ``load()`` builds for ``key`` at ``version``, built once."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == version:
                self._entries.move_to_end(key)
                return entry[1]
        geometry = load()
        with self._lock:
            self._entries[key] = (version, geometry)
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)
        return geometry

    def discard(self, key):
        with self._lock:
            self._entries.pop(key, None)

    def __len__(self):
        return len(self._entries)


class FootprintIndex:
    """Many footprints in an STRtree, for work over a whole network without
    SQL (the what-if node, an import's overlap check, the benchmark): which
    footprints reach a point within some metres."""

    def __init__(self, items):
        """``items``: ``(key, geometry)`` pairs."""
        items = list(items)
        self.keys = [key for key, _geometry in items]
        self.geometries = [geometry for _key, geometry in items]
        for geometry in self.geometries:
            shapely.prepare(geometry)
        self.tree = shapely.STRtree(self.geometries)

    def near(self, lat, lon, within_m=0.0):
        """``[(key, geometry)]`` of the footprints whose box meets the box of
        ``within_m`` metres around the point (the SQL pre-filter's answer)."""
        dlat = within_m / 110_000.0
        dlon = dlat / max(math.cos(math.radians(min(abs(lat) + dlat, 89.9))), 1e-6)
        query = shapely.box(lon - dlon, lat - dlat, lon + dlon, lat + dlat)
        hits = self.tree.query(query)
        return [(self.keys[i], self.geometries[i]) for i in sorted(hits)]

    def containing(self, lat, lon):
        """The keys of the footprints that hold the point."""
        hits = self.tree.query(Point(lon, lat), predicate="intersects")
        return [self.keys[i] for i in sorted(hits)]
