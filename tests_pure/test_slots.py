"""Installation slots, tested directly (no Odoo)."""

from datetime import datetime, timedelta

import pytest

from isp_lib import slots
from isp_lib.slots import Slot

NOW = datetime(2026, 3, 2, 12, 0)  # a Monday, noon UTC


def _windows(days=3):
    """9-13 and 14-18 UTC on the next ``days`` days."""
    result = []
    for day in range(days):
        base = datetime(2026, 3, 3) + timedelta(days=day)
        result += [
            (base.replace(hour=9), base.replace(hour=13)),
            (base.replace(hour=14), base.replace(hour=18)),
        ]
    return result


def test_windows_before_the_cutoff_and_full_ones_are_not_offered():
    windows = _windows()
    planned = [
        datetime(2026, 3, 3, 15, 0),  # Tuesday afternoon: full (capacity 1)
        datetime(2026, 3, 4, 9, 30),  # Wednesday morning: one of two crews
        datetime(2026, 3, 4, 13, 0),  # between windows: takes no window
    ]
    found = slots.free_slots(windows, planned, 1, NOW, 24, 10)
    # Tuesday 9-13 starts 21 h from now: before the 24 h cut-off
    assert [slot.start for slot in found] == [
        datetime(2026, 3, 4, 14, 0),
        datetime(2026, 3, 5, 9, 0),
        datetime(2026, 3, 5, 14, 0),
    ]
    found = slots.free_slots(windows, planned, 2, NOW, 24, 3)
    assert found == [
        Slot(datetime(2026, 3, 3, 14, 0), datetime(2026, 3, 3, 18, 0), 1),
        Slot(datetime(2026, 3, 4, 9, 0), datetime(2026, 3, 4, 13, 0), 1),
        Slot(datetime(2026, 3, 4, 14, 0), datetime(2026, 3, 4, 18, 0), 2),
    ]


def test_a_team_without_workers_still_has_one_crew():
    found = slots.free_slots(_windows(1), [], 0, NOW, 0, 5)
    assert [slot.free for slot in found] == [1, 1]


def test_the_lowest_free_seat_or_none_when_full():
    assert slots.pick_seat(2, 0, set()) == 1
    assert slots.pick_seat(2, 1, {1}) == 2
    # an order planned by hand takes a crew without a seat
    assert slots.pick_seat(2, 1, set()) == 1
    assert slots.pick_seat(2, 2, {1}) is None
    assert slots.pick_seat(1, 0, {1}) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-04T14:00:00Z", datetime(2026, 3, 4, 14, 0)),
        ("2026-03-04T11:00:00-03:00", datetime(2026, 3, 4, 14, 0)),
        ("2026-03-04T14:00:00", datetime(2026, 3, 4, 14, 0)),
    ],
)
def test_starts_are_read_as_utc(value, expected):
    assert slots.parse_start(value) == expected
    assert slots.format_start(expected) == "2026-03-04T14:00:00Z"


@pytest.mark.parametrize(
    "value", ["", "tomorrow", None, 12, "2026-13-40T00:00Z", "x" * 80]
)
def test_a_start_that_is_not_a_date_is_refused(value):
    with pytest.raises(slots.SlotError) as info:
        slots.parse_start(value)
    assert info.value.code == "slot_invalid"


def _check(start, current=None, offered=None):
    windows = [w[0] for w in _windows()]
    offered = windows if offered is None else offered
    slots.check_choice(start, windows, offered, current, NOW, 24)


@pytest.mark.parametrize(
    ("start", "current", "offered", "code"),
    [
        (datetime(2026, 3, 1, 9, 0), None, None, "slot_past"),
        (datetime(2026, 3, 3, 9, 0), None, None, "slot_too_soon"),
        # the chosen slot starts in 23 h: too late to move it
        (datetime(2026, 3, 4, 9, 0), datetime(2026, 3, 3, 11, 0), None, "slot_locked"),
        (datetime(2026, 3, 4, 10, 0), None, None, "slot_not_offered"),
        (datetime(2026, 3, 4, 9, 0), None, [], "slot_taken"),
    ],
)
def test_bad_choices_are_refused(start, current, offered, code):
    with pytest.raises(slots.SlotError) as info:
        _check(start, current, offered)
    assert info.value.code == code


def test_a_good_choice_and_a_change_before_the_cutoff_pass():
    _check(datetime(2026, 3, 4, 9, 0))
    _check(datetime(2026, 3, 4, 14, 0), current=datetime(2026, 3, 4, 9, 0))
    assert slots.can_change(None, NOW, 24)
    assert not slots.can_change(NOW + timedelta(hours=23), NOW, 24)
