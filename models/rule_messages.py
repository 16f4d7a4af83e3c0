"""The messages of the pure rules' errors, translated: one map for them all.

``lib/`` raises a :class:`~..lib.errors.RuleError` with a code and the
parameters of its message; the user reads the sentence of that code here, in
their language. A code means the same thing whichever rule raised it (a
latitude out of range is one message, from the map, the wizard or the API).
"""

from odoo.exceptions import ValidationError

from ..lib import geo


def field_label(env, field):
    """The translated label of an argument of the intake or of a point."""
    labels = {
        "name": env._("Name"),
        "phone": env._("Phone"),
        "email": env._("Email"),
        "vat": env._("ID Document"),
        "contact_type": env._("Contact Type"),
        "street": env._("Street"),
        "street_number": env._("Number"),
        "city": env._("City"),
        "zip": env._("Zip"),
        "latitude": env._("Latitude"),
        "longitude": env._("Longitude"),
        "plan_code": env._("Plan"),
        "source": env._("Source"),
        "medium": env._("Medium"),
        "campaign": env._("Campaign"),
        "note": env._("Note"),
        "external_ref": env._("External Reference"),
    }
    return labels.get(field, field or "")


def rule_message(env, error):
    """The translated sentence of a :class:`RuleError` of ``lib/``."""
    params = dict(error.params)
    field = field_label(env, params.get("field"))
    label = params.get("label") or ""
    value = params.get("value")
    messages = {
        # a point
        "not_a_number": lambda: env._("%(field)s must be a number.", field=field),
        "latitude_range": lambda: env._(
            "Latitude %(value)s is out of range: it must be between -90 and 90.",
            value=value,
        ),
        "longitude_range": lambda: env._(
            "Longitude %(value)s is out of range: it must be between -180 and 180.",
            value=value,
        ),
        "half_point": lambda: env._("Give both latitude and longitude, or neither."),
        # the intake's arguments
        "not_text": lambda: env._("%(field)s must be text.", field=field),
        "too_long": lambda: env._(
            "%(field)s can have at most %(max)s characters.",
            field=field,
            max=params.get("max"),
        ),
        "name_required": lambda: env._("A name is required."),
        "bad_email": lambda: env._(
            "%(field)s is not a valid e-mail address.", field=field
        ),
        "bad_phone": lambda: env._(
            "%(field)s is not a valid phone number.", field=field
        ),
        "bad_contact_type": lambda: env._(
            "The contact type must be 'person' or 'company'."
        ),
        "unknown_argument": lambda: env._("Unknown argument %(field)s.", field=field),
        "unknown_plan": lambda: env._("Choose one of the plans of the list."),
        # pricing
        "unknown_kind": lambda: env._(
            "Unknown service kind %(kind)s.", kind=params.get("kind")
        ),
        "negative_quantity": lambda: env._(
            "The quantity of %(label)s cannot be negative.", label=label
        ),
        "negative_price": lambda: env._(
            "The price of %(label)s cannot be negative.", label=label
        ),
        "unknown_discount_type": lambda: env._(
            "The discount %(label)s has no valid discount type.", label=label
        ),
        "percent_over_100": lambda: env._(
            "The discount %(label)s cannot be more than 100%%.", label=label
        ),
        "several_plans": lambda: env._("A prospect can have only one internet plan."),
        "discount_without_plan": lambda: env._(
            "A discount can only be applied once an internet plan is chosen."
        ),
        # status moves
        "unknown_order_type": lambda: env._(
            "Unknown order type %(type)s.", type=params.get("order_type")
        ),
        "ticket_won": lambda: env._(
            "This ticket is already won: it cannot take new orders or be marked lost."
        ),
        "ticket_lost": lambda: env._(
            "This ticket is lost: reopen it before creating an order."
        ),
        "already_lost": lambda: env._("This ticket is already lost."),
        "not_lost": lambda: env._("Only a lost ticket can be reopened."),
        "open_order_exists": lambda: env._(
            "This ticket already has an open %(type)s order.",
            type=_order_type_label(env, params.get("order_type")),
        ),
        "bad_order_transition": lambda: env._(
            "This order cannot go from its current state to the requested one."
        ),
    }
    return messages[error.code]()


def _order_type_label(env, order_type):
    field = env["isp.sales.order"]._fields["order_type"]
    return dict(field._description_selection(env)).get(order_type, order_type)


def check_point_or_raise(env, latitude, longitude):
    """Refuse a point out of range with a translated message."""
    try:
        geo.check_point(latitude, longitude)
    except geo.GeoError as error:
        raise ValidationError(rule_message(env, error)) from error
