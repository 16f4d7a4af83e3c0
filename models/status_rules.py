"""Status facts change only through the public actions, whoever the caller.

A ticket's status, loss reason and won/lost dates, an order's status and
completion date: these facts carry side effects (cancelled orders, a new
customer, the field-service planning, a frozen sale) that only the actions
perform. So a plain ``create``/``write`` of them, over JSON-2, an import, the
UI or another module, is refused with a clear error and changes nothing; the
actions alone may write them.

The actions mark their records with :func:`as_action`. The mark is a Python
object in the context: an RPC caller can send any JSON context, but never this
very object, so it cannot pass itself off as an action.
"""

from odoo.exceptions import UserError

from ..lib import ticket_status
from .rule_messages import rule_message

_ACTION_KEY = "isp_status_action"
_ACTION = object()


def as_action(records):
    """``records`` in an environment where the status facts may be written."""
    if in_action(records):
        return records
    return records.with_context(**{_ACTION_KEY: _ACTION})


def in_action(records):
    return records.env.context.get(_ACTION_KEY) is _ACTION


def _differs(record, field, value):
    # sudo: the status facts are refused even to those who may not read them
    current = field.convert_to_cache(record.sudo()[field.name], record, validate=False)
    return field.convert_to_cache(value, record, validate=False) != current


def refused_fields(records, vals, names, initial=None, even_in_action=False):
    """The fields of ``names`` that ``vals`` would change on ``records``.

    For a create (``initial`` given, ``records`` the empty model), a field is
    refused unless ``vals`` gives it an empty value or its ``initial`` one
    (e.g. a new order's ``draft``).
    A write that gives a field the value it already has changes nothing and is
    let through, so that a client saving a whole record is not refused.
    """
    if in_action(records) and not even_in_action:
        return []
    refused = []
    for name in names:
        if name not in vals:
            continue
        field = records._fields[name]
        if initial is not None:
            if vals[name] and vals[name] != initial.get(name):
                refused.append(field)
        elif any(_differs(record, field, vals[name]) for record in records):
            refused.append(field)
    return refused


def check_status_write(records, vals, names, actions, initial=None):
    """Raise a translated :class:`UserError` if ``vals`` would change a
    status fact of ``records`` outside an action; ``actions`` names the
    actions to use instead, for the message."""
    refused = refused_fields(records, vals, names, initial)
    if refused:
        env = records.env
        raise UserError(
            env._(
                "%(fields)s of %(model)s only change through its actions "
                "(%(actions)s), never by editing them directly.",
                fields=", ".join(field._description_string(env) for field in refused),
                model=env["ir.model"]._get(records._name).name,
                actions=actions,
            )
        )


def check_birth_write(records, vals, names):
    """Raise a translated :class:`UserError` if ``vals`` would change one of
    ``names``, the fields that say what the records are for, set at their
    creation and never changed (not even by an action)."""
    refused = refused_fields(records, vals, names, even_in_action=True)
    if refused:
        env = records.env
        raise UserError(
            env._(
                "%(fields)s of %(model)s are set when it is created: cancel it "
                "and create another one instead.",
                fields=", ".join(field._description_string(env) for field in refused),
                model=env["ir.model"]._get(records._name).name,
            )
        )


def check_ticket_rule(tickets, check):
    """Apply a rule of lib/ticket_status to each ticket's state, turning a
    broken rule into a clear error naming the ticket."""
    for ticket in tickets:
        try:
            check(ticket.state)
        except ticket_status.StatusError as error:
            raise UserError(
                tickets.env._(
                    "%(ticket)s: %(reason)s",
                    ticket=ticket.name,
                    reason=rule_message(tickets.env, error),
                )
            ) from error
