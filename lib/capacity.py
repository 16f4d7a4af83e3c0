"""Capacity of the serving elements: used, held, free, and the holds.

Each element (a NAP box, a PON port, a wireless sector) has a ``capacity``
(ports, or subscriber slots; 0 means unlimited), ``used`` (installed
customers) and ``held`` (sales in progress, one hold per installation order).
Its free capacity is ``capacity - used - held``, never below 0, and an element
hanging from a parent (a box on a PON port or splitter) is no freer than its
parent: :func:`effective_free`.

Used and held are stored counters that the hold moves keep exact
(:func:`hold_delta`): the model applies a move as one conditional ``UPDATE``
of the element and of each level above it, so the last slot is sold once
under concurrency (see lib/README.md). Nothing here counts tickets.
"""

from collections import namedtuple
from datetime import timedelta

from .errors import RuleError

HELD = "held"
USED = "used"
RELEASED = "released"
HOLD_STATE_SELECTION = ((HELD, "Held"), (USED, "Used"), (RELEASED, "Released"))
HOLD_STATES = tuple(code for code, _label in HOLD_STATE_SELECTION)
ACTIVE_HOLD_STATES = (HELD, USED)

# a hold whose order is still unscheduled this many days after it was taken
# expires (the setting's default)
DEFAULT_HOLD_DAYS = 7

# the moves of a hold and what they do to the element's (used, held)
HOLD_MOVES = {
    (None, HELD): (0, 1),  # an installation order takes a slot
    (HELD, USED): (1, -1),  # the installation is done
    (HELD, RELEASED): (0, -1),  # cancelled, lost, or expired
    (USED, RELEASED): (-1, 0),  # the customer leaves the element
}

Level = namedtuple("Level", "capacity used held")
Level.__doc__ = """One level's counters: ``capacity`` (0 = unlimited),
``used`` and ``held``."""

Free = namedtuple("Free", "free limited_by own parent")
Free.__doc__ = """The effective free capacity: ``free`` (None = unlimited),
``limited_by`` (``"self"``, ``"parent"`` or None when unlimited), and each
level's own free figure (``parent`` is None without a parent)."""


class CapacityError(RuleError):
    """A capacity or a hold the rules refuse; ``code`` says which."""


def _count(field, value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise CapacityError("not_a_whole_number", field=field)
    if value < 0:
        raise CapacityError("negative_capacity", field=field, value=value)
    return value


def free(capacity, used=0, held=0):
    """``capacity - used - held``, never below 0; None when unlimited."""
    if not capacity:
        return None
    return max(capacity - used - held, 0)


def over_capacity(capacity, used=0, held=0):
    """How many slots past its capacity an element is (0 when it is not):
    what a resized element reports, keeping its holds."""
    if not capacity:
        return 0
    return max(used + held - capacity, 0)


def effective_free(own, parent=None):
    """The :class:`Free` of an element (a :class:`Level`), given its parent's
    level (a PON port, already counting the holds and customers of all its
    boxes): the smaller of the two, None when both are unlimited."""
    own_free = free(*own)
    parent_free = free(*parent) if parent is not None else None
    if own_free is None and parent_free is None:
        return Free(None, None, None, None)
    if parent_free is not None and (own_free is None or parent_free < own_free):
        return Free(parent_free, "parent", own_free, parent_free)
    return Free(own_free, "self", own_free, parent_free)


def chain_free(levels):
    """The free capacity along a chain of levels (the element first, then its
    parent, its parent's parent...): ``(free, index of the limiting level)``,
    ``(None, None)`` when every level is unlimited."""
    best, limiting = None, None
    for index, level in enumerate(levels):
        level_free = free(*level)
        if level_free is not None and (best is None or level_free < best):
            best, limiting = level_free, index
    return best, limiting


def check_capacity(capacity, used=0):
    """Refuse a capacity that is not a whole number >= 0, or one below the
    customers already installed (``capacity_below_used`` {capacity, used}).
    A capacity below used + held is allowed: the holds stay, and the element
    reports :func:`over_capacity`."""
    capacity = _count("capacity", capacity)
    used = _count("used", used)
    if capacity and capacity < used:
        raise CapacityError("capacity_below_used", capacity=capacity, used=used)
    return capacity


def hold_delta(current, target):
    """``(used, held)`` to add to the element (and each level above) for a
    hold moving from ``current`` (None for a new hold) to ``target``; refuses
    any other move (``bad_hold_move`` {current, target})."""
    try:
        return HOLD_MOVES[(current, target)]
    except KeyError as error:
        raise CapacityError("bad_hold_move", current=current, target=target) from error


def apply(level, current, target):
    """The :class:`Level` after the move (the plain arithmetic of the
    ``UPDATE``; for tests and previews)."""
    used, held = hold_delta(current, target)
    return Level(level.capacity, level.used + used, level.held + held)


def check_hold(reaches, active_holds, levels, active=True):
    """Refuse a new hold of an installation order on an element:

    * ``element_archived``: the element is archived;
    * ``hold_out_of_reach``: the element does not reach the prospect's point
      (its verdict there is neither covered nor marginal);
    * ``hold_exists`` {count}: the order already holds a slot (held or used),
      here or elsewhere: one hold per order; release it to move it;
    * ``element_full`` {limited_by}: no free slot along ``levels`` (the
      element's :class:`Level`, then its parent's): ``limited_by`` is 0 for
      the element, 1 for its parent...

    The model checks this before its conditional ``UPDATE``, which alone
    settles a race for the last slot; ``element_full`` is then what the
    losers get too (with :func:`coverage.next_best`).
    """
    if not active:
        raise CapacityError("element_archived")
    if not reaches:
        raise CapacityError("hold_out_of_reach")
    if active_holds:
        raise CapacityError("hold_exists", count=active_holds)
    slots, limiting = chain_free(levels)
    if slots is not None and slots < 1:
        raise CapacityError("element_full", limited_by=limiting)


def expiry_date(taken_at, days=DEFAULT_HOLD_DAYS):
    """When a hold taken at ``taken_at`` expires if its order is still
    unscheduled (``date_expire``)."""
    return taken_at + timedelta(days=days)


def is_expired(state, date_expire, scheduled, now):
    """Whether a hold expires now: still ``held``, its order not scheduled
    (a scheduled order keeps its slot whatever the date), past its date."""
    return (
        state == HELD
        and not scheduled
        and date_expire is not None
        and now >= date_expire
    )


def expired(holds, now):
    """The keys of the holds the cron releases, from ``(key, state,
    date_expire, scheduled)`` rows (a batch read by one query)."""
    return [
        key
        for key, state, date_expire, scheduled in holds
        if is_expired(state, date_expire, scheduled, now)
    ]
