"""What outside callers give the desk's public methods, checked first.

Every method without a leading underscore is an API: JSON-2 hands it the
caller's JSON as it came, ids included (``Model.browse(ids)``). A wrong type
(``true``, a string, a list, an object, a number past PostgreSQL's integer)
must be a clear 422, never a server error; a caller without the right to
the records gets a 403 before anything else happens.
"""

from odoo.api import NewId
from odoo.exceptions import ValidationError

MAX_ID = 2**31 - 1  # PostgreSQL's integer: the ids' type


def is_record_id(value):
    """Whether ``value`` can be a record's id (``True`` is no id)."""
    return type(value) is int and 0 < value <= MAX_ID


def check_ids(records):
    """Refuse ``records`` whose ids are not record ids."""
    for record_id in records._ids:
        if not (isinstance(record_id, NewId) or is_record_id(record_id)):
            raise ValidationError(
                records.env._(
                    "%(value)s is not the id of a record of %(model)s.",
                    value=repr(record_id)[:40],
                    model=records._name,
                )
            )
    return records


def check_call(records, operation, single=False):
    """The records of a public method, as an outside caller gave them: real
    ids (one record when ``single``), and the caller's right to
    ``operation`` (read, write) them."""
    check_ids(records)
    if single and len(records) != 1:
        raise ValidationError(
            records.env._(
                "This action works on one record of %(model)s at a time.",
                model=records._name,
            )
        )
    records.check_access(operation)
    return records


def check_vals(env, vals):
    """``write``'s values: an object of field names."""
    if not isinstance(vals, dict) or not all(isinstance(key, str) for key in vals):
        raise ValidationError(
            env._("The values must be an object of field names and values.")
        )
    return vals


def check_vals_list(env, vals_list):
    """``create``'s values: a list of objects of field names."""
    if not isinstance(vals_list, list):
        raise ValidationError(
            env._("The values must be a list of objects of field names and values.")
        )
    for vals in vals_list:
        check_vals(env, vals)
    return vals_list
