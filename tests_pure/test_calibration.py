"""Calibration of a range from feasibility visits and installations."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isp_lib import calibration
from isp_lib.calibration import (
    CUSTOMER_DECLINED,
    LINE_OF_SIGHT,
    NO_PORTS,
    SIGNAL,
    CalibrationError,
    Visit,
)

# the tail of the example: 9 visits beyond 2.4 km, 6 failed
TAIL = [
    (2450, False),
    (2500, False),
    (2550, True),
    (2600, False),
    (2700, False),
    (2750, True),
    (2800, False),
    (2900, True),
    (3000, False),
]


def near_successes(count, farthest=2400):
    step = (farthest - 300) / (count - 1)
    return [
        Visit(300 + i * step, True, predicted="covered") for i in range(count - 1)
    ] + [Visit(farthest, True, predicted="covered")]


def tail(reason=LINE_OF_SIGHT):
    return [Visit(d, ok, None if ok else reason, predicted="covered") for d, ok in TAIL]


@pytest.mark.parametrize("near", [6, 20, 60])
def test_sector_norte_reduce_to_2_4_km(near):
    """ "Sector Norte: 6 of 9 visits beyond 2.4 km failed (line of sight) --
    reduce the range to 2.4 km", with few or many successes near the tower."""
    result = calibration.calibrate(near_successes(near) + tail(), 3000)
    assert result.suggested_radius_m == 2400
    assert result.code == calibration.REDUCE
    assert result.params == {
        "distance_m": 2400,
        "current_m": 3000,
        "beyond": 9,
        "failed": 6,
        "reason": LINE_OF_SIGHT,
    }
    assert result.checked == near + 9
    assert result.wrong == 6  # six "covered" predictions failed


def test_the_cumulative_rule_would_have_kept_3_km():
    """Why not "the largest distance whose visits up to it succeed >= 90 %":
    with 60 successes near the tower it keeps 3 km."""
    visits = near_successes(60) + tail()
    up_to_3_km = [v for v in visits if v.distance_m <= 3000]
    rate = sum(v.success for v in up_to_3_km) / len(up_to_3_km)
    assert rate >= 0.9  # 63 / 69
    assert calibration.calibrate(visits, 3000).suggested_radius_m == 2400


def test_too_few_visits():
    result = calibration.calibrate(near_successes(3) + tail()[:4], 3000)
    assert result.suggested_radius_m is None
    assert (result.code, result.params) == (
        calibration.TOO_FEW_VISITS,
        {"visits": 7, "needed": calibration.MIN_VISITS},
    )


def test_nothing_to_change():
    visits = near_successes(20, farthest=2950) + [
        Visit(3200, False, SIGNAL, predicted="marginal"),
        Visit(3400, False, SIGNAL, predicted="uncovered"),
    ]
    result = calibration.calibrate(visits, 3000)
    assert (result.suggested_radius_m, result.code) == (None, calibration.KEEP)
    assert result.wrong == 0  # failures beyond the range were predicted


def test_few_failures_in_range_suggest_nothing():
    # 4 visits between the cut and the range: fewer than MIN_SIDE
    visits = near_successes(20) + [
        Visit(2600, False, LINE_OF_SIGHT),
        Visit(2700, False, LINE_OF_SIGHT),
        Visit(2800, True),
        Visit(2900, False, LINE_OF_SIGHT),
    ]
    assert calibration.calibrate(visits, 3000).suggested_radius_m is None


def test_extend_when_visits_beyond_the_range_succeed():
    visits = near_successes(15, farthest=2000) + [
        Visit(d, True, predicted="marginal")
        for d in (2100, 2200, 2300, 2400, 2500, 2600)
    ]
    visits.append(Visit(3200, False, LINE_OF_SIGHT, predicted="uncovered"))
    result = calibration.calibrate(visits, 2000)
    assert result.code == calibration.EXTEND
    assert result.suggested_radius_m == 2600
    assert result.params == {
        "distance_m": 2600,
        "current_m": 2000,
        "beyond": 6,
        "succeeded": 6,
    }


def test_non_range_failures_do_not_move_the_range():
    # no ports and a declined customer say nothing about how far it reaches
    visits = near_successes(12) + [
        Visit(d, False, reason, predicted="covered")
        for d, reason in [(2500, NO_PORTS), (2600, NO_PORTS), (2700, CUSTOMER_DECLINED)]
        * 3
    ]
    result = calibration.calibrate(visits, 3000)
    assert result.suggested_radius_m is None
    assert result.checked == 12 + 6  # the declined ones checked nothing
    assert result.wrong == 6  # "covered" and no port: a wrong prediction


def test_failed_installations_count_as_wrong():
    visits = [
        Visit(800, False, SIGNAL, installation=True),
        Visit(900, True, installation=True),
        Visit(900, False, CUSTOMER_DECLINED, installation=True),
        Visit(950, False, SIGNAL, predicted="marginal"),  # predicted right
    ]
    result = calibration.calibrate(visits, 1000)
    assert (result.checked, result.wrong) == (3, 1)


def test_result_reasons():
    calibration.check_result(True)
    calibration.check_result(False, LINE_OF_SIGHT)
    with pytest.raises(CalibrationError) as info:
        calibration.check_result(True, LINE_OF_SIGHT)
    assert info.value.code == "reason_on_feasible"
    with pytest.raises(CalibrationError) as info:
        calibration.check_result(False)
    assert info.value.code == "reason_required"


def test_best_cut_ties_go_to_the_longer_range():
    assert calibration.best_cut([(100, True), (200, False), (300, True)]) == (300, 2)
    assert calibration.best_cut([(100, False), (200, False)]) == (0.0, 2)
    assert calibration.best_cut([]) == (0.0, 0)


@given(
    st.lists(st.integers(min_value=50, max_value=5000), min_size=5, max_size=40),
    st.lists(st.integers(min_value=50, max_value=5000), min_size=5, max_size=40),
    st.integers(min_value=1000, max_value=8000),
)
def test_a_clean_step_is_found_exactly(near, far, current):
    """When every success is nearer than every failure, the cut is the
    farthest success, and it is suggested whenever the visits back it."""
    edge = max(near)
    far = [edge + 1 + d for d in far]
    visits = [Visit(d, True) for d in near] + [Visit(d, False, SIGNAL) for d in far]
    assert calibration.best_cut([(v.distance_m, v.success) for v in visits])[0] == edge
    result = calibration.calibrate(visits, current)
    if result.suggested_radius_m is not None:
        assert result.suggested_radius_m == edge // 10 * 10
        if result.code == calibration.REDUCE:
            assert result.suggested_radius_m < current
        else:
            assert result.suggested_radius_m > current
