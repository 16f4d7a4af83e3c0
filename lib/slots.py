"""Installation slots the customer may choose on their status page.

A slot is a time window of the working hours of the team that installs in the
customer's area (one window per attendance of its calendar, e.g. 9-13 and
14-18), that starts at least the cut-off after now (24 hours by default), and
that still has a crew free: the team has as many crews as workers (at least
one), and each order already planned in field service in the window takes
one.

A choice takes a *seat* of the window (1 to the team's capacity); the database
holds one open order per team, window and seat, so that two customers racing
for the last seat cannot both get it (:func:`pick_seat`).

Datetimes here are naive and in UTC, as Odoo stores them.
"""

import bisect
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .errors import RuleError

DEFAULT_CUTOFF_HOURS = 24
DEFAULT_HORIZON_DAYS = 21
DEFAULT_SLOT_COUNT = 8


class SlotError(RuleError):
    """A slot choice was refused; ``code`` names why."""


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    # crews still free in the window
    free: int


def free_slots(windows, planned_starts, capacity, now, cutoff_hours, limit):
    """The first ``limit`` windows with a crew free.

    ``windows``: (start, end) pairs, in order; ``planned_starts``: the start of
    every order planned for the team (any order); ``capacity``: the crews of
    the team. A window starting less than ``cutoff_hours`` after ``now`` is
    not offered; an order counts in the window in which it starts.
    """
    earliest = now + timedelta(hours=cutoff_hours)
    planned = sorted(planned_starts)
    capacity = max(capacity, 1)
    slots = []
    for start, end in windows:
        if start < earliest:
            continue
        taken = bisect.bisect_left(planned, end) - bisect.bisect_left(planned, start)
        if taken < capacity:
            slots.append(Slot(start, end, capacity - taken))
            if len(slots) >= limit:
                break
    return slots


def pick_seat(capacity, planned_count, used_seats):
    """The seat a new choice takes in a window where ``planned_count`` orders
    are planned and ``used_seats`` are held by choices: the lowest one free,
    or None when the window is full."""
    capacity = max(capacity, 1)
    if planned_count >= capacity:
        return None
    for seat in range(1, capacity + 1):
        if seat not in used_seats:
            return seat
    return None


def parse_start(value):
    """The slot start sent by the page (ISO 8601, UTC): a naive UTC datetime."""
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        raise SlotError("slot_invalid")
    try:
        start = datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise SlotError("slot_invalid") from error
    if start.tzinfo is not None:
        start = start.astimezone(UTC).replace(tzinfo=None)
    return start


def format_start(start):
    """A slot start as the page sends it back: ISO 8601 in UTC, e.g.
    ``2026-12-03T12:00:00Z``."""
    return start.replace(microsecond=0).isoformat() + "Z"


def can_change(current_start, now, cutoff_hours):
    """Whether an order scheduled at ``current_start`` (or not scheduled yet:
    None) may still be moved by the customer."""
    return current_start is None or current_start - now >= timedelta(hours=cutoff_hours)


def check_choice(start, window_starts, offered, current_start, now, cutoff_hours):
    """Refuse a choice of ``start``: in the past, too late to change the slot
    already chosen, too soon, not a window of the team (``window_starts``),
    or a window that is not among the ``offered`` starts any more (taken)."""
    if start <= now:
        raise SlotError("slot_past")
    if not can_change(current_start, now, cutoff_hours):
        raise SlotError("slot_locked", hours=cutoff_hours)
    if start - now < timedelta(hours=cutoff_hours):
        raise SlotError("slot_too_soon", hours=cutoff_hours)
    if start not in window_starts:
        raise SlotError("slot_not_offered")
    if start not in offered:
        raise SlotError("slot_taken")
