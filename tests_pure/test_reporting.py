from datetime import date, datetime

import pytest

from isp_lib import reporting


def test_win_rate_is_won_over_closed():
    assert reporting.win_rate(3, 1) == 75.0
    assert reporting.win_rate(0, 4) == 0.0
    assert reporting.win_rate(0, 0) is None


def test_win_rate_of_groups_is_not_the_mean_of_rates():
    # two groups: 1/1 won and 1/4 won; together 2/5, not (100 + 25) / 2
    assert reporting.win_rate(1 + 1, 0 + 3) == 40.0


def test_month_bounds():
    assert reporting.month_bounds(2026, 2) == (
        datetime(2026, 2, 1),
        datetime(2026, 3, 1),
    )
    assert reporting.month_bounds(2025, 12)[1] == datetime(2026, 1, 1)
    with pytest.raises(ValueError):
        reporting.month_bounds(2026, 13)


def test_month_bounds_in_a_time_zone():
    # November in Rosario (UTC-3) starts at 03:00 UTC on November 1st
    assert reporting.month_bounds(2026, 11, "America/Argentina/Buenos_Aires") == (
        datetime(2026, 11, 1, 3),
        datetime(2026, 12, 1, 3),
    )
    # no zone, or an unknown one: UTC
    for tz in (None, "", "Mars/Olympus_Mons"):
        assert reporting.month_bounds(2026, 11, tz) == (
            datetime(2026, 11, 1),
            datetime(2026, 12, 1),
        )


def test_last_complete_month():
    assert reporting.last_complete_month(date(2026, 12, 1)) == (2026, 11)
    assert reporting.last_complete_month(date(2027, 1, 31)) == (2026, 12)


def test_future_month():
    today = date(2026, 5, 20)
    assert reporting.is_future_month(2026, 6, today)
    assert not reporting.is_future_month(2026, 5, today)
    assert not reporting.is_future_month(2025, 12, today)


def test_days_between():
    assert reporting.days_between(datetime(2026, 1, 1), datetime(2026, 1, 3, 12)) == 2.5


def test_pareto_sorts_and_accumulates():
    rows = reporting.pareto([("Precio", 1), ("Sin cobertura", 3)])
    assert rows == [("Sin cobertura", 3, 75.0), ("Precio", 1, 100.0)]
    assert reporting.pareto([]) == []
