"""Coordinates and distances, tested directly."""

import math

import pytest

from isp_lib import geo


@pytest.mark.parametrize(
    ("lat", "lon"), [(0, 0), (-90, -180), (90, 180), (-32.95, -60.65), (None, None)]
)
def test_valid_points(lat, lon):
    geo.check_point(lat, lon)


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [
        (90.0001, 0, "latitude_range"),
        (-91, 0, "latitude_range"),
        (0, 180.5, "longitude_range"),
        (0, -181, "longitude_range"),
        ("12", 0, "not_a_number"),
        (math.nan, 0, "not_a_number"),
        (True, 0, "not_a_number"),
        # JSON allows integers of any length: no float holds this one
        (10**400, 0, "latitude_range"),
        (0, -(10**400), "longitude_range"),
    ],
)
def test_invalid_points(lat, lon, code):
    with pytest.raises(geo.GeoError) as info:
        geo.check_point(lat, lon)
    assert info.value.code == code


def test_geodesic_known_values():
    # one degree of latitude at the equator is 110,574 m on WGS-84 (not the
    # 111,195 m of a sphere): the shown distance is the ellipsoid's
    assert geo.geodesic_m(0, 0, 1, 0) == pytest.approx(110_574.4, abs=1)
    assert geo.geodesic_m(-32.95, -60.65, -32.95, -60.65) == 0


def test_geodesic_across_the_antimeridian_is_short():
    assert geo.geodesic_m(0, 179.999, 0, -179.999) == pytest.approx(222.6, rel=1e-2)


def test_haversine_is_within_half_a_percent_of_the_geodesic():
    for lat1, lon1, lat2, lon2 in [
        (-32.95, -60.65, -32.94, -60.64),
        (60, 10, 60.02, 10.05),
        (0, 179.999, 0, -179.999),
    ]:
        fast, exact = (
            geo.haversine_m(lat1, lon1, lat2, lon2),
            geo.geodesic_m(lat1, lon1, lat2, lon2),
        )
        assert fast == pytest.approx(exact, rel=0.006)
