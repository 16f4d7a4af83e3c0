"""Used, held, free, the parent level, and the holds (issue 19)."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isp_lib import capacity
from isp_lib.capacity import HELD, RELEASED, USED, CapacityError, Level


def refused(call, *args, **kwargs):
    with pytest.raises(CapacityError) as info:
        call(*args, **kwargs)
    return info.value


def test_free():
    assert capacity.free(16, 11, 2) == 3
    assert capacity.free(16, 14, 2) == 0
    assert capacity.free(16, 15, 4) == 0  # over capacity: never negative
    assert capacity.free(0, 500, 20) is None  # 0 is unlimited
    assert capacity.over_capacity(16, 15, 4) == 3
    assert capacity.over_capacity(0, 15, 4) == 0


def test_a_box_is_no_freer_than_its_pon_port():
    box = Level(16, 4, 1)  # 11 free
    port = Level(64, 60, 2)  # 2 free for all its boxes
    assert capacity.effective_free(box, port) == (2, "parent", 11, 2)
    assert capacity.effective_free(box, Level(64, 10, 0)) == (11, "self", 11, 54)
    assert capacity.effective_free(box) == (11, "self", 11, None)
    assert capacity.effective_free(Level(0, 4, 0), port) == (2, "parent", None, 2)
    assert capacity.effective_free(Level(0, 4, 0), Level(0, 9, 9)) == (
        None,
        None,
        None,
        None,
    )


levels = st.builds(
    Level,
    st.integers(min_value=0, max_value=128),
    st.integers(min_value=0, max_value=128),
    st.integers(min_value=0, max_value=128),
)


@given(levels, st.none() | levels)
def test_effective_free_is_the_smaller_level(own, parent):
    result = capacity.effective_free(own, parent)
    figures = [
        f
        for f in (capacity.free(*own), parent and capacity.free(*parent))
        if f is not None
    ]
    assert result.free == (min(figures) if figures else None)
    assert capacity.chain_free([own] + ([parent] if parent else []))[0] == result.free


def test_capacity_changes():
    assert capacity.check_capacity(16, 10) == 16
    assert capacity.check_capacity(0, 10) == 0  # unlimited
    error = refused(capacity.check_capacity, 8, 10)
    assert (error.code, error.params) == (
        "capacity_below_used",
        {"capacity": 8, "used": 10},
    )
    assert refused(capacity.check_capacity, -1).code == "negative_capacity"
    assert refused(capacity.check_capacity, 2.5).code == "not_a_whole_number"
    # below used + held is allowed: the holds stay, the element says it
    assert capacity.check_capacity(11, 10) == 11


def test_hold_moves():
    level = Level(16, 10, 0)
    level = capacity.apply(level, None, HELD)
    assert level == Level(16, 10, 1)
    level = capacity.apply(level, HELD, USED)
    assert level == Level(16, 11, 0)
    level = capacity.apply(capacity.apply(level, None, HELD), HELD, RELEASED)
    assert level == Level(16, 11, 0)
    assert capacity.apply(level, USED, RELEASED) == Level(16, 10, 0)
    for current, target in ((RELEASED, HELD), (USED, HELD), (HELD, HELD), (None, USED)):
        assert refused(capacity.hold_delta, current, target).code == "bad_hold_move"


@given(st.lists(st.sampled_from(["take", "install", "release", "leave"]), max_size=40))
def test_counters_stay_exact(moves):
    """Whatever the order of the moves, used and held are the counts of the
    holds in those states."""
    level, holds = Level(0, 0, 0), []
    for move in moves:
        if move == "take":
            holds.append(HELD)
            level = capacity.apply(level, None, HELD)
            continue
        wanted = {"install": HELD, "release": HELD, "leave": USED}[move]
        target = {"install": USED, "release": RELEASED, "leave": RELEASED}[move]
        if wanted in holds:
            holds[holds.index(wanted)] = target
            level = capacity.apply(level, wanted, target)
    assert level.used == holds.count(USED)
    assert level.held == holds.count(HELD)


def test_check_hold():
    free_box = [Level(16, 10, 2)]
    capacity.check_hold(True, 0, free_box)
    assert refused(capacity.check_hold, True, 0, free_box, active=False).code == (
        "element_archived"
    )
    assert refused(capacity.check_hold, False, 0, free_box).code == "hold_out_of_reach"
    error = refused(capacity.check_hold, True, 1, free_box)
    assert (error.code, error.params) == ("hold_exists", {"count": 1})
    error = refused(capacity.check_hold, True, 0, [Level(16, 14, 2)])
    assert (error.code, error.params) == ("element_full", {"limited_by": 0})
    # the box has ports, its PON port has none
    error = refused(capacity.check_hold, True, 0, [Level(16, 2, 0), Level(64, 60, 4)])
    assert error.params == {"limited_by": 1}
    capacity.check_hold(True, 0, [Level(0, 99, 9)])  # unlimited


def test_hold_expiry():
    taken = datetime(2026, 3, 2, 10, 0)
    expire = capacity.expiry_date(taken)
    assert expire == taken + timedelta(days=capacity.DEFAULT_HOLD_DAYS)
    assert capacity.expiry_date(taken, 3) == datetime(2026, 3, 5, 10, 0)
    before, after = expire - timedelta(seconds=1), expire
    assert not capacity.is_expired(HELD, expire, False, before)
    assert capacity.is_expired(HELD, expire, False, after)
    # a scheduled order keeps its slot; used and released holds do not expire
    assert not capacity.is_expired(HELD, expire, True, after)
    assert not capacity.is_expired(USED, expire, False, after)
    assert not capacity.is_expired(RELEASED, expire, False, after)
    rows = [
        (1, HELD, expire, False),
        (2, HELD, expire, True),
        (3, USED, expire, False),
        (4, HELD, expire + timedelta(days=1), False),
        (5, HELD, None, False),
    ]
    assert capacity.expired(rows, after) == [1]
