"""Status follows the work: the ticket state rules, tested directly."""

import pytest

from isp_lib import ticket_status as ts


@pytest.mark.parametrize(
    ("is_lost", "orders", "expected"),
    [
        (False, [], ts.PENDING),
        (False, [(ts.FEASIBILITY, ts.DRAFT)], ts.IN_PROGRESS),
        (False, [(ts.INSTALLATION, ts.SCHEDULED)], ts.IN_PROGRESS),
        (False, [(ts.FEASIBILITY, ts.DONE)], ts.PENDING),
        (
            False,
            [(ts.INSTALLATION, ts.CANCELLED), (ts.FEASIBILITY, ts.CANCELLED)],
            ts.PENDING,
        ),
        (
            False,
            [(ts.FEASIBILITY, ts.DONE), (ts.INSTALLATION, ts.ORDER_IN_PROGRESS)],
            ts.IN_PROGRESS,
        ),
        (False, [(ts.INSTALLATION, ts.DONE)], ts.WON),
        (True, [], ts.LOST),
        (True, [(ts.INSTALLATION, ts.CANCELLED)], ts.LOST),
    ],
)
def test_ticket_state(is_lost, orders, expected):
    assert ts.ticket_state(is_lost, orders) == expected


def test_one_open_order_per_type():
    ts.check_can_create_order(
        ts.IN_PROGRESS, ts.INSTALLATION, [(ts.FEASIBILITY, ts.DRAFT)]
    )
    with pytest.raises(ts.StatusError) as info:
        ts.check_can_create_order(
            ts.IN_PROGRESS, ts.FEASIBILITY, [(ts.FEASIBILITY, ts.SCHEDULED)]
        )
    assert info.value.code == "open_order_exists"
    # a cancelled or done order does not block a new one
    ts.check_can_create_order(
        ts.PENDING, ts.FEASIBILITY, [(ts.FEASIBILITY, ts.CANCELLED)]
    )


@pytest.mark.parametrize(
    ("state", "code"), [(ts.WON, "ticket_won"), (ts.LOST, "ticket_lost")]
)
def test_no_order_on_closed_ticket(state, code):
    with pytest.raises(ts.StatusError) as info:
        ts.check_can_create_order(state, ts.INSTALLATION, [])
    assert info.value.code == code


def test_unknown_order_type():
    with pytest.raises(ts.StatusError) as info:
        ts.check_can_create_order(ts.PENDING, "repair", [])
    assert info.value.code == "unknown_order_type"


def test_lost_and_reopen_rules():
    ts.check_can_set_lost(ts.PENDING)
    ts.check_can_set_lost(ts.IN_PROGRESS)
    for state, code in ((ts.WON, "ticket_won"), (ts.LOST, "already_lost")):
        with pytest.raises(ts.StatusError) as info:
            ts.check_can_set_lost(state)
        assert info.value.code == code
    ts.check_can_reopen(ts.LOST)
    with pytest.raises(ts.StatusError):
        ts.check_can_reopen(ts.PENDING)


def test_order_transitions():
    ts.check_order_transition(ts.DRAFT, ts.SCHEDULED)
    ts.check_order_transition(ts.SCHEDULED, ts.DONE)
    for final in (ts.DONE, ts.CANCELLED):
        for target in ts.ORDER_STATES:
            with pytest.raises(ts.StatusError):
                ts.check_order_transition(final, target)
