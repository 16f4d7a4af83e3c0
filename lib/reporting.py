"""Rules of the sales desk's reports, free of Odoo.

The models compute the figures in SQL (one aggregate per group); these are
the helpers the reports use for their month and their ratios.
"""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def win_rate(won, lost):
    """Percentage of the closed tickets that were won: won / (won + lost).

    ``None`` when nothing is closed yet: a rate of 0 would read as "all lost".
    """
    closed = (won or 0) + (lost or 0)
    if not closed:
        return None
    return 100.0 * (won or 0) / closed


def month_bounds(year, month, tz=None):
    """First instant of the month and first instant of the next one, for
    ``start <= x < end``: midnight in the time zone ``tz`` (a name such as
    "America/Argentina/Buenos_Aires"; UTC when empty or unknown), as naive
    UTC datetimes, as Odoo stores them. A month is the one its readers live
    in: the dashboard's date filter counts in the browser's time zone."""
    if not 1 <= month <= 12:
        raise ValueError("month must be between 1 and 12")
    start = datetime(year, month, 1)
    end = datetime(year + month // 12, month % 12 + 1, 1)
    zone = _zone(tz)
    if zone is None:
        return start, end
    return tuple(
        moment.replace(tzinfo=zone).astimezone(timezone.utc).replace(tzinfo=None)
        for moment in (start, end)
    )


def _zone(tz):
    if not tz:
        return None
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def last_complete_month(today):
    """(year, month) of the last month that is over on ``today`` (a date)."""
    if today.month == 1:
        return today.year - 1, 12
    return today.year, today.month - 1


def is_future_month(year, month, today):
    """True when the month starts after ``today`` (a date)."""
    return date(year, month, 1) > date(today.year, today.month, 1)


def days_between(start, end):
    """Days (with fractions) from ``start`` to ``end``."""
    return (end - start).total_seconds() / 86400.0


def pareto(counts):
    """``[(label, count, cumulative_percent)]`` sorted by count, largest
    first: the loss reasons that explain most losses come first."""
    rows = sorted(counts, key=lambda item: (-item[1], str(item[0])))
    total = sum(count for _label, count in rows)
    result, running = [], 0
    for label, count in rows:
        running += count
        result.append((label, count, 100.0 * running / total if total else 0.0))
    return result
