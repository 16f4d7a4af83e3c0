"""The fast geodesy of the footprints, against geographiclib (the reference
behind geopy)."""

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from isp_lib import geodesy

WGS84 = Geodesic.WGS84

latitudes = st.floats(min_value=-80, max_value=80)
longitudes = st.floats(min_value=-180, max_value=180)
azimuths = st.floats(min_value=-720, max_value=720)


@settings(max_examples=300)
@given(latitudes, longitudes, azimuths, st.floats(min_value=0, max_value=1_000_000))
def test_destination_agrees_with_geographiclib_to_a_millimetre(lat, lon, az, s):
    lats, lons = geodesy.destination(lat, lon, [az], s)
    expected = WGS84.Direct(lat, lon, az, s)
    gap = WGS84.Inverse(lats[0], lons[0], expected["lat2"], expected["lon2"])["s12"]
    assert gap < 0.001


def test_destination_unwraps_longitudes_past_the_antimeridian():
    _lats, lons = geodesy.destination(0.0, 179.99, [90.0], 5000.0)
    assert lons[0] > 180.0  # one ring, not a jump to -180
    _lats, lons = geodesy.destination(0.0, -179.99, [270.0], 5000.0)
    assert lons[0] < -180.0


@pytest.mark.parametrize(("distance", "tolerance"), [(1000, 1e-4), (5000, 0.002)])
def test_local_distance_is_the_geodesic_at_a_few_km(distance, tolerance):
    rng = np.random.default_rng(7)
    for _ in range(300):
        lat, lon = rng.uniform(-70, 70), rng.uniform(-180, 180)
        az = rng.uniform(0, 360)
        end = WGS84.Direct(lat, lon, az, distance)
        measured = geodesy.distance_m(lat, lon, end["lat2"], end["lon2"])
        assert measured == pytest.approx(distance, abs=tolerance)


@settings(max_examples=200)
@given(
    st.floats(min_value=-70, max_value=70),
    longitudes,
    st.floats(min_value=0, max_value=360),
    st.floats(min_value=0, max_value=10_000),
)
def test_local_distance_within_a_centimetre_up_to_10_km(lat, lon, az, s):
    end = WGS84.Direct(lat, lon, az, s)
    assert geodesy.distance_m(lat, lon, end["lat2"], end["lon2"]) == pytest.approx(
        s, abs=0.01
    )


def test_far_distances_ask_geographiclib():
    # Rosario - Buenos Aires, about 280 km: past the local plane's limit
    expected = WGS84.Inverse(-32.95, -60.65, -34.60, -58.38)["s12"]
    assert geodesy.distance_m(-32.95, -60.65, -34.60, -58.38) == pytest.approx(
        expected, abs=1e-6
    )


@settings(max_examples=100)
@given(latitudes, longitudes, latitudes, longitudes)
def test_local_point_is_local_xy(lat, lon, lat0, lon0):
    x, y = geodesy.local_point(lat, lon, lat0, lon0)
    xs, ys = geodesy.local_xy([lat], [lon], lat0, lon0)
    assert x == pytest.approx(xs[0], rel=1e-12, abs=1e-6)
    assert y == pytest.approx(ys[0], rel=1e-12, abs=1e-6)


def test_local_plane_round_trip():
    lats = np.array([-32.90, -32.99, -32.95])
    lons = np.array([-60.60, -60.70, -60.65])
    xs, ys = geodesy.local_xy(lats, lons, -32.95, -60.65)
    back_lats, back_lons = geodesy.from_local_xy(xs, ys, -32.95, -60.65)
    assert np.allclose(back_lats, lats, atol=1e-9)
    assert np.allclose(back_lons, lons, atol=1e-9)
