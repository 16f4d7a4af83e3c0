"""Footprints: building, checking, serialising and measuring them."""

import json
import math

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import MultiPolygon, Polygon

from isp_lib import coverage, footprint
from isp_lib.footprint import FootprintError

WGS84 = Geodesic.WGS84
ROSARIO = (-32.95, -60.65)
# Argentina, roughly: the service region of a Rosario ISP
ARGENTINA = (-55.1, -73.6, -21.7, -53.6)


def walk(lat, lon, azimuth, distance):
    """The point ``distance`` metres from ``(lat, lon)`` along ``azimuth``."""
    end = WGS84.Direct(lat, lon, azimuth, distance)
    return end["lat2"], end["lon2"]


def square(lat, lon, half=0.01):
    return [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]


def geojson_polygon(*rings):
    return {"type": "Polygon", "coordinates": [list(ring) for ring in rings]}


def code_of(call, *args, **kwargs):
    with pytest.raises(FootprintError) as info:
        call(*args, **kwargs)
    return info.value.code


# ------------------------------------------------------------
# circles and sectors
# ------------------------------------------------------------


def test_circle_around_rosario():
    geometry = footprint.circle(*ROSARIO, 3000)
    assert isinstance(geometry, Polygon) and geometry.is_valid
    assert footprint.contains(geometry, *ROSARIO)
    min_lat, min_lon, max_lat, max_lon = footprint.bbox(geometry)
    # 3 km is 0.027 degrees of latitude, 0.032 of longitude at -33
    assert max_lat - ROSARIO[0] == pytest.approx(0.02706, abs=1e-4)
    assert max_lon - ROSARIO[1] == pytest.approx(0.03218, abs=1e-4)
    assert min_lat < ROSARIO[0] < max_lat and min_lon < ROSARIO[1] < max_lon


def test_segments_keep_the_polygon_within_a_metre():
    for radius in (50, 150, 1000, 5000, 20_000, 40_000):
        count = footprint.segments(radius)
        assert count % 4 == 0
        assert footprint.MIN_SEGMENTS <= count <= footprint.MAX_SEGMENTS
        assert radius * (1 - math.cos(math.pi / count)) <= footprint.MAX_SAGITTA_M


@settings(max_examples=150, deadline=None)
@given(
    st.floats(min_value=-70, max_value=70),
    st.floats(min_value=-179, max_value=179),
    st.floats(min_value=50, max_value=40_000),
    st.floats(min_value=0, max_value=360),
)
def test_circle_holds_what_is_within_its_radius(lat, lon, radius, bearing):
    geometry = footprint.circle(lat, lon, radius)
    inside = walk(lat, lon, bearing, radius - footprint.MAX_SAGITTA_M - 0.01)
    outside = walk(lat, lon, bearing, radius + 0.05)
    assert footprint.contains(geometry, *inside)
    assert not footprint.contains(geometry, *outside)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((ROSARIO[0], ROSARIO[1], 0), "bad_radius"),
        ((ROSARIO[0], ROSARIO[1], -10), "bad_radius"),
        ((ROSARIO[0], ROSARIO[1], 200_000), "radius_too_large"),
        ((ROSARIO[0], ROSARIO[1], math.nan), "not_a_number"),
        ((ROSARIO[0], ROSARIO[1], "300"), "not_a_number"),
        ((91, 0, 100), "latitude_range"),
        ((0, 181, 100), "longitude_range"),
        ((89.9, 0, 1000), "reaches_pole"),
    ],
)
def test_circle_refusals(args, code):
    assert code_of(footprint.circle, *args) == code


def test_drop_reach_is_the_circle_of_the_reach():
    box = footprint.drop_reach(-32.9440, -60.6545, 150)
    assert box.equals(footprint.circle(-32.9440, -60.6545, 150))
    assert footprint.contains(box, *walk(-32.9440, -60.6545, 45, 140))
    assert not footprint.contains(box, *walk(-32.9440, -60.6545, 45, 160))


@pytest.mark.parametrize("beamwidth", [0, -30, 360.5, 720, math.inf])
def test_sector_refuses_a_bad_beamwidth(beamwidth):
    code = code_of(footprint.sector, *ROSARIO, 0, beamwidth, 2000)
    assert code in ("bad_beamwidth", "not_a_number")
    if math.isfinite(beamwidth):
        assert code == "bad_beamwidth"


def test_sector_of_360_degrees_is_the_circle():
    assert footprint.sector(*ROSARIO, 123, 360, 2000).equals(
        footprint.circle(*ROSARIO, 2000)
    )


def test_sector_front_behind_and_beyond():
    tower = (-32.8895, -60.6880)
    wedge = footprint.sector(*tower, 20, 90, 3000)
    assert footprint.contains(wedge, *walk(*tower, 20, 1000))  # in front
    assert footprint.contains(wedge, *walk(*tower, 60, 2900))  # near its side
    assert not footprint.contains(wedge, *walk(*tower, 200, 500))  # behind
    assert not footprint.contains(wedge, *walk(*tower, 110, 1000))  # beside
    assert not footprint.contains(wedge, *walk(*tower, 20, 3100))  # beyond
    assert footprint.contains(wedge, *tower)  # the tower itself


def test_sector_azimuth_is_taken_modulo_360():
    a = footprint.sector(*ROSARIO, -10, 40, 2000)
    b = footprint.sector(*ROSARIO, 350, 40, 2000)
    assert a.equals(b)
    assert footprint.contains(a, *walk(*ROSARIO, 5, 1000))  # across north


@settings(max_examples=150, deadline=None)
@given(
    st.floats(min_value=-60, max_value=60),
    st.floats(min_value=-179, max_value=179),
    st.floats(min_value=0, max_value=360),
    st.floats(min_value=2, max_value=359),
    st.floats(min_value=200, max_value=30_000),
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0.02, max_value=0.98),
)
def test_a_point_in_the_wedge_within_range_is_contained(
    lat, lon, azimuth, beamwidth, range_m, where, how_far
):
    wedge = footprint.sector(lat, lon, azimuth, beamwidth, range_m)
    # a bearing inside the wedge, half a degree from its sides
    half = beamwidth / 2 - 0.5
    if half <= 0:
        return
    bearing = azimuth - half + where * 2 * half
    distance = min(how_far * range_m, range_m - footprint.MAX_SAGITTA_M - 0.01)
    assert footprint.contains(wedge, *walk(lat, lon, bearing, distance))
    # and the same distance half a degree outside the wedge is not
    if beamwidth < 358 and distance > 100:
        beside = azimuth + beamwidth / 2 + 0.5 + where * (358 - beamwidth)
        assert not footprint.contains(wedge, *walk(lat, lon, beside, distance))


def test_build_from_stored_fields():
    assert footprint.build("circle", *ROSARIO, 1000).equals(
        footprint.circle(*ROSARIO, 1000)
    )
    assert footprint.build("sector", *ROSARIO, 1000, 90, 60).equals(
        footprint.sector(*ROSARIO, 90, 60, 1000)
    )
    assert code_of(footprint.build, "sector", *ROSARIO, 1000) == "not_a_number"
    assert code_of(footprint.build, "polygon", *ROSARIO, 1000) == (
        "unknown_footprint_type"
    )


# ------------------------------------------------------------
# the antimeridian
# ------------------------------------------------------------


def test_circle_across_the_antimeridian_is_cut_in_two():
    geometry = footprint.circle(-17.8, 179.99, 5000)  # Fiji
    assert isinstance(geometry, MultiPolygon) and geometry.is_valid
    assert footprint.bbox(geometry)[1] == -180.0
    assert footprint.bbox(geometry)[3] == 180.0
    assert footprint.contains(geometry, -17.8, -179.99)  # 2 km east, across
    assert footprint.contains(geometry, -17.8, 179.97)
    assert not footprint.contains(geometry, -17.8, -179.9)
    # the seam is no edge: from the centre, the edge is the radius away
    assert footprint.distance_to_edge_m(geometry, -17.8, 179.99) == pytest.approx(
        5000, abs=1.5
    )
    # and the cut is accepted back from GeoJSON
    again = footprint.from_geojson(footprint.to_geojson(geometry)).geometry
    assert shapely.hausdorff_distance(again, geometry) < 1e-7  # the rounding


def test_a_polygon_across_the_antimeridian_is_refused():
    ring = [[179.98, -17.80], [-179.98, -17.80], [-179.98, -17.84], [179.98, -17.84]]
    ring.append(ring[0])
    assert code_of(footprint.from_geojson, geojson_polygon(ring)) == (
        "crosses_antimeridian"
    )


def test_a_multipolygon_cut_at_the_antimeridian_is_accepted():
    east = [[179.98, -17.80], [180, -17.80], [180, -17.84], [179.98, -17.84]]
    west = [[-180, -17.80], [-179.98, -17.80], [-179.98, -17.84], [-180, -17.84]]
    value = {
        "type": "MultiPolygon",
        "coordinates": [[east + [east[0]]], [west + [west[0]]]],
    }
    geometry = footprint.from_geojson(value).geometry
    assert footprint.contains(geometry, -17.82, -179.99)
    assert footprint.contains(geometry, -17.82, 179.99)


# ------------------------------------------------------------
# adjust
# ------------------------------------------------------------


def test_adjust_adds_and_subtracts():
    base = footprint.circle(*ROSARIO, 2000)
    hill = footprint.from_geojson(geojson_polygon(square(-32.94, -60.64, 0.004)))
    extra = footprint.from_geojson(geojson_polygon(square(-32.90, -60.60, 0.003)))
    adjusted = footprint.adjust(base, add=[extra.geometry], subtract=[hill.geometry])
    assert isinstance(adjusted, MultiPolygon)
    assert footprint.contains(adjusted, *ROSARIO)
    assert not footprint.contains(adjusted, -32.94, -60.64)  # behind the hill
    assert footprint.contains(adjusted, -32.90, -60.60)  # the added block
    # subtractions win over additions
    both = footprint.adjust(base, add=[hill.geometry], subtract=[hill.geometry])
    assert not footprint.contains(both, -32.94, -60.64)


def test_adjust_refusals():
    base = footprint.circle(*ROSARIO, 500)
    everything = footprint.circle(*ROSARIO, 5000)
    assert code_of(footprint.adjust, base, subtract=[everything]) == (
        "empty_after_adjust"
    )
    line = shapely.LineString([(0, 0), (1, 1)])
    assert code_of(footprint.adjust, base, add=[line]) == "not_polygonal"


# ------------------------------------------------------------
# GeoJSON in
# ------------------------------------------------------------


def test_from_geojson_reads_text_bytes_and_dicts():
    value = geojson_polygon(square(*ROSARIO))
    for given_value in (value, json.dumps(value), json.dumps(value).encode()):
        checked = footprint.from_geojson(given_value)
        assert checked.warnings == []
        assert footprint.contains(checked.geometry, *ROSARIO)


def test_holes_are_kept():
    hole = square(*ROSARIO, 0.002)
    geometry = footprint.from_geojson(
        geojson_polygon(square(*ROSARIO), list(reversed(hole)))
    ).geometry
    assert not footprint.contains(geometry, *ROSARIO)
    assert footprint.contains(geometry, ROSARIO[0] + 0.005, ROSARIO[1])


def test_a_hole_is_excluded_on_purpose():
    """A gated neighbourhood cut out of a footprint: the point in it is
    outside, and flagged, so that the margin does not bring it back."""
    hole = square(*ROSARIO, 0.002)
    geometry = footprint.from_geojson(geojson_polygon(square(*ROSARIO), hole)).geometry
    assert footprint.shell(geometry).equals(
        footprint.from_geojson(geojson_polygon(square(*ROSARIO))).geometry
    )
    where = footprint.measure(geometry, *ROSARIO)
    assert not where.inside and where.excluded
    # the hole's nearest side, 0.002 degrees of longitude away
    side = footprint.distance_m(*ROSARIO, ROSARIO[0], ROSARIO[1] + 0.002)
    assert where.outside_m == pytest.approx(side, abs=0.01)
    outside = footprint.measure(geometry, ROSARIO[0], ROSARIO[1] + 0.011)
    assert not outside.excluded
    many = footprint.measure_many(
        geometry, [ROSARIO[0], ROSARIO[0]], [ROSARIO[1], ROSARIO[1] + 0.011]
    )
    assert list(many.excluded) == [True, False]
    whole = footprint.circle(*ROSARIO, 500)
    assert footprint.shell(whole) is whole


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "empty_file"),
        ("{", "bad_geojson"),
        ('{"type": "Polygon", "coordinates": [[[NaN, 1]]]}', "bad_geojson"),
        ("[" * 100_000 + "]" * 100_000, "bad_geojson"),
        (json.dumps([1, 2]), "bad_geojson"),
        (
            json.dumps({"type": "Point", "coordinates": [-60.6, -32.9]}),
            ("unsupported_geometry"),
        ),
        (
            json.dumps({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}),
            ("unsupported_geometry"),
        ),
        (json.dumps({"type": "Polygon", "coordinates": "x"}), "bad_geojson"),
        (json.dumps({"type": "Polygon", "coordinates": []}), "empty_geometry"),
        (json.dumps({"type": "Polygon", "coordinates": [5]}), "bad_polygon"),
        (b"\xff\xfe\x00", "bad_geojson"),
    ],
)
def test_from_geojson_refuses_what_is_not_a_polygon(value, code):
    assert code_of(footprint.from_geojson, value) == code


def test_from_geojson_size_limit():
    value = json.dumps(geojson_polygon(square(*ROSARIO)))
    assert code_of(footprint.from_geojson, value, max_bytes=20) == "geojson_too_large"


@pytest.mark.parametrize(
    ("ring", "code"),
    [
        ([[-60.65, -32.95], [-60.64, -32.95], [-60.65, -32.95]], "ring_too_short"),
        (square(*ROSARIO)[:-1], "ring_not_closed"),
        ([["-60.65", -32.95]] + square(*ROSARIO)[1:], "bad_position"),
        ([[-60.65, -32.95, 0, 1]] + square(*ROSARIO)[1:], "bad_position"),
        ([[True, -32.95]] + square(*ROSARIO)[1:], "bad_position"),
        ([[-60.65]] + square(*ROSARIO)[1:], "bad_position"),
        ([[-60.65, 1e400]] + square(*ROSARIO)[1:], "bad_position"),
    ],
)
def test_ring_refusals(ring, code):
    assert code_of(footprint.from_geojson, geojson_polygon(ring)) == code


def test_coordinates_out_of_range():
    ring = square(95, 200)  # neither way round a point
    with pytest.raises(FootprintError) as info:
        footprint.from_geojson(geojson_polygon(ring), where="Torre 9")
    assert info.value.code == "coordinates_out_of_range"
    assert info.value.params["where"] == "Torre 9"


def test_swapped_coordinates_by_range():
    """Written [lat, lon] somewhere a longitude exceeds 90: obvious."""
    ring = [[lat, lon] for lon, lat in square(35.68, 139.69)]  # Tokyo
    with pytest.raises(FootprintError) as info:
        footprint.from_geojson(geojson_polygon(ring))
    assert info.value.code == "swapped_coordinates"
    assert info.value.params["rule"] == "range"


def test_swapped_coordinates_by_region():
    """Rosario written [lat, lon] is a valid point in the South Atlantic:
    only the company's region tells."""
    ring = [[lat, lon] for lon, lat in square(*ROSARIO)]
    # without a region: accepted (not obvious)
    footprint.from_geojson(geojson_polygon(ring))
    with pytest.raises(FootprintError) as info:
        footprint.from_geojson(geojson_polygon(ring), region=ARGENTINA)
    assert info.value.code == "swapped_coordinates"
    assert info.value.params["rule"] == "region"
    # the right order in the region: no warning
    assert (
        footprint.from_geojson(
            geojson_polygon(square(*ROSARIO)), region=ARGENTINA
        ).warnings
        == []
    )


def test_far_from_the_region_is_a_warning():
    madrid = geojson_polygon(square(40.42, -3.70))
    checked = footprint.from_geojson(madrid, region=ARGENTINA, where="Madrid")
    assert checked.warnings == [("far_from_region", {"where": "Madrid"})]


def test_a_self_intersecting_polygon_is_repaired_and_says_so():
    bowtie = [
        [-60.650, -32.950],
        [-60.640, -32.940],
        [-60.640, -32.950],
        [-60.650, -32.940],
        [-60.650, -32.950],
    ]
    checked = footprint.from_geojson(geojson_polygon(bowtie), where="Moño")
    assert checked.geometry.is_valid
    assert isinstance(checked.geometry, MultiPolygon)  # its two triangles
    [(code, params)] = checked.warnings
    assert code == "repaired"
    assert params["reason"] == "Self-intersection"
    assert params["latitude"] == pytest.approx(-32.945)
    assert params["longitude"] == pytest.approx(-60.645)
    assert footprint.contains(checked.geometry, -32.945, -60.648)
    # or refused, when the caller wants no repair
    with pytest.raises(FootprintError) as info:
        footprint.from_geojson(geojson_polygon(bowtie), repair=False)
    assert info.value.code == "self_intersection"
    assert info.value.params["latitude"] == pytest.approx(-32.945)


def test_overlapping_parts_are_joined_without_a_warning():
    a = square(*ROSARIO, 0.01)
    b = square(ROSARIO[0] + 0.01, ROSARIO[1] + 0.01, 0.01)
    value = {"type": "MultiPolygon", "coordinates": [[a], [b]]}
    checked = footprint.from_geojson(value)
    assert checked.warnings == []
    assert checked.geometry.is_valid
    # make_valid would have cut the overlap out; the union keeps it
    assert footprint.contains(checked.geometry, ROSARIO[0] + 0.005, ROSARIO[1] + 0.005)
    assert checked.geometry.area == pytest.approx(0.0004 * 2 - 0.0001)


def test_a_flat_ring_is_empty():
    flat = [[-60.65, -32.95], [-60.64, -32.95], [-60.63, -32.95], [-60.65, -32.95]]
    assert code_of(footprint.from_geojson, geojson_polygon(flat)) == "empty_geometry"


def test_too_many_vertices():
    ring = footprint.to_geojson(footprint.circle(*ROSARIO, 3000))["coordinates"][0]
    value = geojson_polygon(ring)
    assert footprint.from_geojson(value, max_vertices=len(ring)).geometry.is_valid
    with pytest.raises(FootprintError) as info:
        footprint.from_geojson(value, max_vertices=len(ring) - 1)
    assert info.value.code == "too_many_vertices"
    assert info.value.params == {
        "where": None,
        "count": len(ring),
        "max": len(ring) - 1,
    }


# ------------------------------------------------------------
# GeoJSON out
# ------------------------------------------------------------


def test_to_geojson_is_rfc_7946():
    clockwise = [list(reversed(square(*ROSARIO)))]
    geometry = footprint.from_geojson(geojson_polygon(*clockwise)).geometry
    value = footprint.to_geojson(geometry)
    assert value["type"] == "Polygon"
    assert shapely.LinearRing(value["coordinates"][0]).is_ccw
    text = footprint.to_geojson_text(geometry)
    assert " " not in text and json.loads(text) == value


shapes = st.one_of(
    st.builds(
        footprint.circle,
        st.floats(min_value=-60, max_value=60),
        st.floats(min_value=-179, max_value=179),
        st.floats(min_value=20, max_value=20_000),
    ),
    st.builds(
        footprint.sector,
        st.floats(min_value=-60, max_value=60),
        st.floats(min_value=-179, max_value=179),
        st.floats(min_value=0, max_value=360),
        st.floats(min_value=1, max_value=359),
        st.floats(min_value=20, max_value=20_000),
    ),
)


@settings(max_examples=60, deadline=None)
@given(shapes)
def test_geojson_round_trip(geometry):
    text = footprint.to_geojson_text(geometry)
    again = footprint.from_geojson(text)
    assert again.warnings == []
    assert footprint.to_geojson_text(again.geometry) == text
    stored = footprint.load_stored(text)
    assert footprint.to_geojson_text(stored) == text
    assert shapely.is_prepared(stored)


# ------------------------------------------------------------
# boxes and the map
# ------------------------------------------------------------


def test_bbox_and_the_sql_prefilter():
    geometry = footprint.circle(*ROSARIO, 1000)
    stored = footprint.bbox(geometry)
    near = coverage.bounding_box(*walk(*ROSARIO, 90, 1100), 200)
    far = coverage.bounding_box(*walk(*ROSARIO, 90, 1500), 200)
    assert footprint.bbox_overlaps(stored, near)
    assert not footprint.bbox_overlaps(stored, far)


def test_bbox_prefilter_across_the_antimeridian():
    fiji = footprint.bbox(footprint.circle(-17.8, 179.99, 5000))
    box = coverage.bounding_box(-17.8, -179.97, 500)  # split in two ranges
    assert footprint.bbox_overlaps(fiji, box)
    assert not footprint.bbox_overlaps(fiji, coverage.bounding_box(10, 0, 500))


def test_simplify_for_zoom_keeps_the_shape_within_a_pixel():
    detailed = footprint.circle(*ROSARIO, 20_000)  # 512 vertices
    for zoom in (6, 9, 12, 15):
        simple = footprint.simplify_for_zoom(detailed, zoom)
        assert simple.is_valid and not simple.is_empty
        assert footprint.vertex_count(simple) <= footprint.vertex_count(detailed)
        pixel = footprint.degrees_per_pixel(zoom)
        assert shapely.hausdorff_distance(simple, detailed) <= pixel * 1.01
    assert footprint.vertex_count(footprint.simplify_for_zoom(detailed, 8)) < 40
    small = footprint.circle(*ROSARIO, 150)  # a NAP box's reach at zoom 5
    assert not footprint.simplify_for_zoom(small, 5).is_empty


def test_map_payload_is_small():
    detailed = footprint.circle(*ROSARIO, 20_000)
    full = len(footprint.to_geojson_text(detailed))
    payload = len(json.dumps(footprint.map_geojson(detailed, 10)))
    assert payload < full / 5
    assert [footprint.precision_for_zoom(z) for z in (0, 5, 10, 15, 20)] == sorted(
        footprint.precision_for_zoom(z) for z in (0, 5, 10, 15, 20)
    )
    assert footprint.precision_for_zoom(22) == footprint.PRECISION


def test_merge_for_map():
    boxes = [footprint.circle(-32.9440, -60.6545 + i * 0.002, 150) for i in range(10)]
    merged = footprint.merge_for_map(boxes, 13)
    assert merged["type"] == "Polygon"  # overlapping reaches make one area
    shape = shapely.geometry.shape(merged)
    assert footprint.contains(shape, -32.9440, -60.6545)
    assert footprint.contains(shape, -32.9440, -60.6365)
    separate = sum(len(json.dumps(footprint.map_geojson(b, 13))) for b in boxes)
    assert len(json.dumps(merged)) < separate
    assert footprint.merge_for_map([], 13) is None


# ------------------------------------------------------------
# points
# ------------------------------------------------------------


def test_the_boundary_is_inside():
    geometry = footprint.from_geojson(geojson_polygon(square(*ROSARIO))).geometry
    assert footprint.contains(geometry, ROSARIO[0] - 0.01, ROSARIO[1])  # an edge
    assert footprint.contains(geometry, ROSARIO[0] - 0.01, ROSARIO[1] - 0.01)


@settings(max_examples=100, deadline=None)
@given(
    st.floats(min_value=-60, max_value=60),
    st.floats(min_value=-179, max_value=179),
    st.floats(min_value=100, max_value=5000),
    st.floats(min_value=0, max_value=360),
    st.floats(min_value=1.5, max_value=3),
)
def test_measure_outside_a_circle(lat, lon, radius, bearing, factor):
    geometry = footprint.circle(lat, lon, radius)
    point = walk(lat, lon, bearing, radius * factor)
    where = footprint.measure(geometry, *point, edge=True)
    assert not where.inside
    # the polygon is inscribed: up to its sagitta farther than the circle
    expected = radius * (factor - 1)
    assert expected - 0.01 <= where.outside_m <= expected + footprint.MAX_SAGITTA_M
    assert where.edge_m == pytest.approx(where.outside_m)


def test_measure_inside():
    geometry = footprint.circle(*ROSARIO, 2000)
    where = footprint.measure(geometry, *walk(*ROSARIO, 30, 1500), edge=True)
    assert where.inside and where.outside_m == 0.0
    assert where.edge_m == pytest.approx(500, abs=1.1)
    assert footprint.measure(geometry, *ROSARIO).edge_m is None


def test_measure_many_matches_measure():
    geometry = footprint.sector(-32.8895, -60.6880, 20, 90, 3000)
    rng = np.random.default_rng(3)
    lats = -32.8895 + rng.uniform(-0.05, 0.05, 500)
    lons = -60.6880 + rng.uniform(-0.05, 0.05, 500)
    inside, outside, excluded = footprint.measure_many(
        geometry, lats, lons, margin_m=300
    )
    assert not excluded.any()  # a sector has no hole
    for index in range(0, 500, 7):
        one = footprint.measure(geometry, lats[index], lons[index])
        assert inside[index] == one.inside
        # within 0.1 % (and exactly at the margin, where it was re-measured)
        assert outside[index] == pytest.approx(one.outside_m, rel=1e-3, abs=0.01)


@settings(max_examples=60, deadline=None)
@given(
    shapes,
    st.floats(min_value=0, max_value=360),
    st.floats(min_value=0.0, max_value=2.0),
    st.floats(min_value=0.0, max_value=0.5),
)
def test_prepared_measure_matches_measure(geometry, bearing, factor, margin_factor):
    prepared = footprint.Prepared(geometry)
    reach = footprint.nominal_reach_m(geometry)
    lat, lon = prepared.lat0, prepared.lon0
    point = walk(lat, lon, bearing, reach * factor)
    margin = reach * margin_factor
    fast = prepared.measure(*point, margin_m=margin)
    exact = footprint.measure(geometry, *point)
    assert fast.inside == exact.inside
    # within the bound of the docstring, a third of it in fact
    bound = reach * factor * prepared.slope
    assert fast.outside_m == pytest.approx(exact.outside_m, rel=bound / 3, abs=0.01)
    if reach * factor <= 10_000 and abs(lat) <= 60:
        assert fast.outside_m == pytest.approx(exact.outside_m, rel=3e-3, abs=0.01)
    # on either side of the margin, as the exact measure says
    assert (fast.outside_m <= margin) == (exact.outside_m <= margin)


def test_prepared_far_from_its_anchor_at_a_high_latitude():
    """Found by Hypothesis: 20 km from the anchor at latitude 57, the plane is
    0.1 % off; a margin within that error is decided by the exact measure."""
    geometry = footprint.sector(57.0, 0.0, 14.0, 224.0, 12670.0)
    prepared = footprint.Prepared(geometry)
    distance = 2 * footprint.nominal_reach_m(geometry)
    point = walk(prepared.lat0, prepared.lon0, 171.0, distance)
    exact = footprint.measure(geometry, *point).outside_m
    fast = prepared.measure(*point).outside_m
    assert fast != exact
    assert abs(fast - exact) <= exact * distance * prepared.slope
    for margin in (exact * 0.998, exact * 1.002):
        decided = prepared.measure(*point, margin_m=margin).outside_m
        assert decided == exact
        assert (decided <= margin) == (exact <= margin)
    many = prepared.measure_many([point[0]], [point[1]], margin_m=exact * 1.002)
    assert many.outside_m[0] == exact


def test_prepared_exact_at_the_margin_and_holes():
    geometry = footprint.from_geojson(
        geojson_polygon(square(*ROSARIO), square(*ROSARIO, 0.002))
    ).geometry
    prepared = footprint.Prepared(geometry)
    assert prepared.measure(*ROSARIO).excluded
    point = (ROSARIO[0], ROSARIO[1] + 0.0125)
    exact = footprint.measure(geometry, *point).outside_m
    assert prepared.measure(*point, margin_m=exact).outside_m == exact
    assert not prepared.measure(*point).excluded
    many = prepared.measure_many([ROSARIO[0], point[0]], [ROSARIO[1], point[1]], exact)
    assert list(many.excluded) == [True, False]
    assert many.outside_m[1] == exact


def test_anchor_is_inside_even_for_a_hollow_shape():
    outer = square(*ROSARIO, 0.02)
    hole = square(*ROSARIO, 0.015)
    ring = footprint.from_geojson(geojson_polygon(outer, hole)).geometry
    lat, lon = footprint.anchor(ring)
    assert footprint.contains(ring, lat, lon)


def test_area_and_nominal_reach_of_a_circle():
    geometry = footprint.circle(*ROSARIO, 2000)
    assert footprint.area_m2(geometry) == pytest.approx(math.pi * 2000**2, rel=1e-3)
    assert footprint.nominal_reach_m(geometry) == pytest.approx(2000, rel=1e-3)


@pytest.mark.parametrize("prepare", [False, True])
def test_candidate_for_the_verdict(prepare):
    geometry = footprint.circle(*ROSARIO, 1000)
    if prepare:
        geometry = footprint.Prepared(geometry)
    point = walk(*ROSARIO, 0, 1100)
    candidate = footprint.candidate(
        geometry,
        *point,
        node=7,
        name="Torre Centro",
        technology=coverage.WIRELESS,
        node_lat=ROSARIO[0],
        node_lon=ROSARIO[1],
        reach_m=1000,
        footprint_type=footprint.CIRCLE,
        capacity=64,
        free=10,
    )
    assert not candidate.inside
    assert candidate.distance_m == pytest.approx(1100, abs=0.01)
    assert candidate.outside_m == pytest.approx(100, abs=1)
    assert coverage.judge(candidate, 20).verdict == coverage.MARGINAL


# ------------------------------------------------------------
# cache and index
# ------------------------------------------------------------


def test_geometry_cache_parses_each_version_once():
    cache = footprint.GeometryCache(maxsize=2)
    loads = []

    def loader(radius):
        def load():
            loads.append(radius)
            return footprint.Prepared(footprint.circle(*ROSARIO, radius))

        return load

    first = cache.get(1, "v1", loader(100))
    assert cache.get(1, "v1", loader(999)) is first
    assert shapely.is_prepared(first.geometry)
    cache.get(1, "v2", loader(200))  # the node was edited
    cache.get(2, "v1", loader(300))
    cache.get(3, "v1", loader(400))  # evicts node 1, the least recently used
    assert len(cache) == 2
    cache.get(1, "v2", loader(200))
    assert loads == [100, 200, 300, 400, 200]
    cache.discard(1)
    assert len(cache) == 1


def test_footprint_index():
    index = footprint.FootprintIndex(
        [
            ("nap-12", footprint.circle(-32.9440, -60.6545, 150)),
            ("norte", footprint.sector(-32.8895, -60.6880, 20, 90, 3000)),
        ]
    )
    assert index.containing(-32.9440, -60.6545) == ["nap-12"]
    assert index.containing(-32.95, -60.50) == []
    near = [key for key, _g in index.near(*walk(-32.9440, -60.6545, 0, 200), 100)]
    assert near == ["nap-12"]
