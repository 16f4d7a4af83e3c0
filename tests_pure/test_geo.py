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
    ],
)
def test_invalid_points(lat, lon, code):
    with pytest.raises(geo.GeoError) as info:
        geo.check_point(lat, lon)
    assert info.value.code == code


def test_distance_known_values():
    # one degree of latitude is about 111.2 km
    assert geo.distance_m(0, 0, 1, 0) == pytest.approx(111_195, rel=1e-3)
    assert geo.distance_m(-32.95, -60.65, -32.95, -60.65) == 0


def test_distance_across_the_antimeridian_is_short():
    assert geo.distance_m(0, 179.999, 0, -179.999) == pytest.approx(222.4, rel=1e-2)
