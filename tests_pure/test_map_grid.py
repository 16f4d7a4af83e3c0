"""The map's viewport clamping and grid, tested directly."""

import math

from hypothesis import given
from hypothesis import strategies as st

from isp_lib import map_grid


def test_plain_box_and_zoom():
    view = map_grid.viewport([-33.2, -61.0, -32.7, -60.5], 11)
    assert view == map_grid.Viewport(-33.2, -61.0, -32.7, -60.5, 11, False)
    size = map_grid.cell_size(view)
    assert math.isclose(size, 360 / 2**11 * 80 / 256)


def test_box_crossing_the_antimeridian():
    # Leaflet east of 180, or west > east: the same box
    for bbox in ([-10, 170, 10, 190], [-10, 170, 10, -170]):
        view = map_grid.viewport(bbox, 5)
        assert view.crosses
        assert (view.west, view.east) == (170.0, -170.0)
        assert map_grid.contains(view, 0, 179.5)
        assert map_grid.contains(view, 0, -175)
        assert not map_grid.contains(view, 0, 0)
        assert map_grid.cell_of(view, 1.0, 0, -175) == (10, 15)


def test_poles_the_whole_world_and_garbage_are_clamped():
    view = map_grid.viewport([-100, -500, 100, 500], 99)
    assert view == map_grid.Viewport(
        -map_grid.MAX_LATITUDE, -180.0, map_grid.MAX_LATITUDE, 180.0, 22, False
    )
    for bbox, zoom in (
        (None, None),
        ("nonsense", "x"),
        ([1, 2, 3], -4),
        ([float("nan"), 0, 1, 1], float("inf")),
        ([True, 0, 1, 1], 3),
        ([10**400, 0, 1, 1], 10**400),  # JSON's integers have no bound
    ):
        view = map_grid.viewport(bbox, zoom)
        assert -90 < view.south <= view.north < 90
        assert map_grid.MIN_ZOOM <= view.zoom <= map_grid.MAX_ZOOM


@given(
    st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=4, max_size=4),
    st.one_of(
        st.integers(), st.integers(min_value=10**308), st.floats(), st.none(), st.text()
    ),
)
def test_any_input_gives_a_bounded_grid(bbox, zoom):
    view = map_grid.viewport(bbox, zoom)
    size = map_grid.cell_size(view)
    assert map_grid.lon_span(view) / size <= map_grid.MAX_CELLS + 1e-9
    assert (view.north - view.south) / size <= map_grid.MAX_CELLS + 1e-9
    assert -180 <= view.west <= 180 and -180 <= view.east <= 180
