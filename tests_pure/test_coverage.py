"""Coverage verdicts and the nearest-node search box, tested directly."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isp_lib import coverage, geo
from isp_lib.coverage import COVERED, MARGINAL, UNCOVERED, UNKNOWN


def in_box(box, latitude, longitude):
    """Whether the point lies in a box of :func:`coverage.bounding_box`, as the
    SQL query tests it."""
    lat_min, lat_max, (lo1, hi1), (lo2, hi2) = box
    return lat_min <= latitude <= lat_max and (
        lo1 <= longitude <= hi1 or lo2 <= longitude <= hi2
    )


@pytest.mark.parametrize(
    ("distance", "expected"),
    [
        (0, COVERED),
        (999.9, COVERED),
        (1000, COVERED),  # the radius itself is inside
        (1000.1, MARGINAL),
        (1200, MARGINAL),  # radius * (1 + 20%) is still marginal
        (1200.1, UNCOVERED),
        (50_000, UNCOVERED),
    ],
)
def test_verdict_at_the_radius_boundaries(distance, expected):
    assert coverage.verdict(distance, 1000, margin_percent=20) == expected


def test_no_point_or_no_node_is_unknown():
    assert coverage.verdict(None, 1000) == UNKNOWN
    assert coverage.verdict(10, None) == UNKNOWN


def test_capacity():
    # 0 means unlimited
    assert coverage.verdict(10, 1000, capacity=0, free_capacity=0) == COVERED
    assert coverage.verdict(10, 1000, capacity=5, free_capacity=1) == COVERED
    # a full node only gives a marginal coverage, and never a better one
    assert coverage.verdict(10, 1000, capacity=5, free_capacity=0) == MARGINAL
    assert coverage.verdict(5000, 1000, capacity=5, free_capacity=0) == UNCOVERED


def test_zero_margin():
    assert coverage.verdict(1000.5, 1000, margin_percent=0) == UNCOVERED


def test_verdict_across_the_antimeridian():
    # a node at 179.99 E covers a point at 179.99 W (about 2 km away)
    distance = geo.geodesic_m(0, 179.99, 0, -179.99)
    assert distance == pytest.approx(2226, rel=1e-2)
    assert coverage.verdict(distance, 3000) == COVERED
    assert coverage.verdict(distance, 2000, margin_percent=20) == MARGINAL


def test_box_is_split_at_the_antimeridian():
    box = coverage.bounding_box(0, 179.99, 5000)
    (lo1, hi1), (lo2, hi2) = box[2], box[3]
    assert hi1 == 180.0 and lo2 == -180.0
    assert in_box(box, 0, -179.99)
    assert in_box(box, 0, 179.95)
    assert not in_box(box, 0, 0)
    assert lo1 < 179.99 and hi2 > -180


def test_box_near_a_pole_spans_every_longitude():
    box = coverage.bounding_box(89.99, 10, 5000)
    assert box[2] == (-180.0, 180.0)
    assert in_box(box, 89.995, -170)


latitudes = st.floats(min_value=-89.9, max_value=89.9)
longitudes = st.floats(min_value=-180, max_value=180)


@given(
    latitudes,
    longitudes,
    st.floats(min_value=1, max_value=500_000),
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=360),
)
def test_box_holds_every_point_within_the_radius(lat, lon, radius, fraction, bearing):
    """Any point at most ``radius`` away lies in the box (no node is missed)."""
    # walk ``fraction * radius`` metres from the point along ``bearing``
    angular = fraction * radius / geo.EARTH_RADIUS_M
    phi1, lmb1, theta = math.radians(lat), math.radians(lon), math.radians(bearing)
    phi2 = math.asin(
        math.sin(phi1) * math.cos(angular)
        + math.cos(phi1) * math.sin(angular) * math.cos(theta)
    )
    lmb2 = lmb1 + math.atan2(
        math.sin(theta) * math.sin(angular) * math.cos(phi1),
        math.cos(angular) - math.sin(phi1) * math.sin(phi2),
    )
    lat2 = math.degrees(phi2)
    lon2 = (math.degrees(lmb2) + 540) % 360 - 180
    box = coverage.bounding_box(lat, lon, radius * 1.000001 + 1)
    assert in_box(box, lat2, lon2)


@given(
    st.floats(min_value=0, max_value=1e6),
    st.integers(min_value=0, max_value=100_000),
    st.integers(min_value=0, max_value=1000),
    st.integers(min_value=0, max_value=1000),
    st.integers(min_value=0, max_value=200),
)
def test_verdict_is_monotonic_in_distance(distance, radius, capacity, free, margin):
    order = [COVERED, MARGINAL, UNCOVERED]
    near = coverage.verdict(distance, radius, capacity, free, margin)
    far = coverage.verdict(distance + 1, radius, capacity, free, margin)
    assert near in order and far in order
    assert order.index(near) <= order.index(far)


def test_best_verdict_is_the_best_node_not_the_nearest():
    tower = (2000, 3000, 0, 0)  # 2 km from a 3 km tower: covered
    small = (1500, 300, 0, 0)  # nearer, but a 300 m access point
    assert coverage.best_verdict([tower, small], 20) == COVERED
    assert coverage.best_verdict([small], 20) == UNCOVERED
    full = (100, 1000, 10, 0)
    assert coverage.best_verdict([full, small], 20) == MARGINAL
    assert coverage.best_verdict([], 20) == UNKNOWN
