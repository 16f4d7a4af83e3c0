"""Where a ticket stands, derived from its orders: status follows the work.

A ticket is never moved by hand between the board's columns. Its state is a
function of two facts: whether it was marked lost (with a reason) and the
states of its orders.
"""

from .errors import RuleError

PENDING = "pending"
IN_PROGRESS = "in_progress"
WON = "won"
LOST = "lost"
CLOSED_TICKET_STATES = (WON, LOST)
# the board's order; the models take their selections (and labels) from here
TICKET_STATE_SELECTION = (
    (PENDING, "Pending"),
    (IN_PROGRESS, "Order in progress"),
    (WON, "Won"),
    (LOST, "Lost"),
)
TICKET_STATES = tuple(code for code, _label in TICKET_STATE_SELECTION)

INSTALLATION = "installation"
FEASIBILITY = "feasibility"
ORDER_TYPE_SELECTION = ((INSTALLATION, "Installation"), (FEASIBILITY, "Feasibility"))
ORDER_TYPES = tuple(code for code, _label in ORDER_TYPE_SELECTION)

DRAFT = "draft"
SCHEDULED = "scheduled"
ORDER_IN_PROGRESS = "in_progress"
DONE = "done"
CANCELLED = "cancelled"
OPEN_ORDER_STATES = (DRAFT, SCHEDULED, ORDER_IN_PROGRESS)
CLOSED_ORDER_STATES = (DONE, CANCELLED)
ORDER_STATE_SELECTION = (
    (DRAFT, "Draft"),
    (SCHEDULED, "Scheduled"),
    (ORDER_IN_PROGRESS, "In progress"),
    (DONE, "Done"),
    (CANCELLED, "Cancelled"),
)
ORDER_STATES = tuple(code for code, _label in ORDER_STATE_SELECTION)

FEASIBLE = "feasible"
NOT_FEASIBLE = "not_feasible"
FEASIBILITY_RESULT_SELECTION = ((FEASIBLE, "Feasible"), (NOT_FEASIBLE, "Not feasible"))

# which order moves are allowed: from -> set of targets
ORDER_TRANSITIONS = {
    DRAFT: {SCHEDULED, ORDER_IN_PROGRESS, DONE, CANCELLED},
    SCHEDULED: {DRAFT, ORDER_IN_PROGRESS, DONE, CANCELLED},
    ORDER_IN_PROGRESS: {SCHEDULED, DONE, CANCELLED},
    DONE: set(),
    CANCELLED: set(),
}


class StatusError(RuleError):
    """A status move that the rules refuse."""


def ticket_state(is_lost, orders):
    """State of a ticket; ``orders`` is an iterable of (order_type, state)."""
    orders = list(orders)
    if any(t == INSTALLATION and s == DONE for t, s in orders):
        return WON
    if is_lost:
        return LOST
    if any(s in OPEN_ORDER_STATES for _t, s in orders):
        return IN_PROGRESS
    return PENDING


def check_can_create_order(ticket_state_, order_type, orders):
    """Refuse an order on a closed ticket, or a second open order of a type.

    One open order per type and ticket: two sellers pressing the same button
    must not send two crews to the same house.
    """
    if order_type not in ORDER_TYPES:
        raise StatusError("unknown_order_type", order_type=order_type)
    if ticket_state_ == WON:
        raise StatusError("ticket_won")
    if ticket_state_ == LOST:
        raise StatusError("ticket_lost")
    if any(t == order_type and s in OPEN_ORDER_STATES for t, s in orders):
        raise StatusError("open_order_exists", order_type=order_type)


def check_can_set_lost(ticket_state_):
    if ticket_state_ == WON:
        raise StatusError("ticket_won")
    if ticket_state_ == LOST:
        raise StatusError("already_lost")


def check_can_reopen(ticket_state_):
    if ticket_state_ != LOST:
        raise StatusError("not_lost")


def check_order_transition(current, target):
    if target not in ORDER_TRANSITIONS.get(current, set()):
        raise StatusError("bad_order_transition", current=current, target=target)
