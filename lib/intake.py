"""Checks and normalisation of what an outside caller sends to the desk.

``isp.sales.lead.intake`` (JSON-2), the public availability page and the
e-mail gateway hand their raw values to :func:`clean`; it returns trimmed
values of the right type, or raises :class:`IntakeError` with a code and the
parameters of a message (translated by the model, see
``models/rule_messages.py``).
"""

import math
import unicodedata

from .errors import RuleError
from .geo import GeoError, check_point

# longest accepted value of each text argument (characters, after trimming)
MAX_LENGTHS = {
    "name": 128,
    "phone": 32,
    "email": 254,
    "vat": 32,
    "street": 128,
    "street_number": 16,
    "city": 64,
    "zip": 16,
    "plan_code": 64,
    "source": 64,
    "medium": 64,
    "campaign": 64,
    "note": 2000,
    "external_ref": 128,
}
TEXT_FIELDS = tuple(MAX_LENGTHS)
CONTACT_TYPES = ("person", "company")


class IntakeError(RuleError):
    """A value an outside caller sent that the desk cannot take."""


# joiners that belong inside words and emoji of many scripts
JOINERS = ("\u200c", "\u200d")


def clean_text(value, multiline=False):
    """``value`` as a person typed it, without what no form should carry.

    Spaces of every kind (a non-breaking space between "Ana" and "María")
    become plain spaces; the zero-width joiners stay; control and format
    characters (a right-to-left override that disguises a name, a zero-width
    space, a NUL) go. A ``multiline`` text keeps its newlines and tabs.
    """
    chars = []
    for char in value:
        category = unicodedata.category(char)
        if multiline and char in "\n\t":
            chars.append(char)
        elif category in ("Zs", "Zl", "Zp") or char in "\t\n\r\x0b\x0c":
            chars.append(" ")
        elif char in JOINERS or category not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            chars.append(char)
    return "".join(chars).strip()


def _text(field, value):
    if value is None or value is False:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise IntakeError("not_text", field=field)
    text = clean_text(str(value), multiline=field == "note")
    if len(text) > MAX_LENGTHS[field]:
        raise IntakeError("too_long", field=field, max=MAX_LENGTHS[field])
    return text


def coordinate(field, value):
    """A latitude or longitude as a float; None when not given."""
    if value is None or value is False or value == "":
        return None
    if isinstance(value, bool):
        raise IntakeError("not_a_number", field=field)
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError as error:
            raise IntakeError("not_a_number", field=field) from error
    if not isinstance(value, (int, float)):
        raise IntakeError("not_a_number", field=field)
    try:
        value = float(value)
    except OverflowError as error:  # an integer of hundreds of digits (JSON)
        raise IntakeError("not_a_number", field=field) from error
    if math.isnan(value) or math.isinf(value):
        raise IntakeError("not_a_number", field=field)
    return value


def clean(**values):
    """The intake arguments, checked and normalised.

    Text is trimmed (empty text becomes ``""``), ``contact_type`` defaults to
    ``person``, coordinates become floats (both or none).
    """
    unknown = set(values) - set(TEXT_FIELDS) - {"contact_type", "latitude", "longitude"}
    if unknown:
        raise IntakeError("unknown_argument", field=min(unknown))
    result = {field: _text(field, values.get(field)) for field in TEXT_FIELDS}
    if not result["name"]:
        raise IntakeError("name_required", field="name")
    if result["phone"] and sum(char.isdigit() for char in result["phone"]) < 6:
        raise IntakeError("bad_phone", field="phone")
    if result["email"] and ("@" not in result["email"] or " " in result["email"]):
        raise IntakeError("bad_email", field="email")
    contact_type = values.get("contact_type") or "person"
    if contact_type not in CONTACT_TYPES:
        raise IntakeError("bad_contact_type", field="contact_type")
    result["contact_type"] = contact_type
    latitude = coordinate("latitude", values.get("latitude"))
    longitude = coordinate("longitude", values.get("longitude"))
    if (latitude is None) != (longitude is None):
        raise IntakeError("half_point", field="latitude")
    try:
        check_point(latitude, longitude)
    except GeoError as error:
        raise IntakeError(error.code, **error.params) from error
    result["latitude"], result["longitude"] = latitude, longitude
    return result


# what a visitor of the public page is told: the verdict only, never the node
# nor the distance; without a point nobody can tell yet
PUBLIC_ANSWERS = {
    "covered": "yes",
    "marginal": "check",
    "unknown": "check",
    "uncovered": "not_yet",
}


def public_answer(coverage):
    return PUBLIC_ANSWERS.get(coverage, "check")


def token_fresh(timestamp, now, max_age):
    """Whether a form token stamped at ``timestamp`` is still usable at ``now``
    (seconds); a token from the future is not."""
    try:
        timestamp = int(timestamp)
    except (TypeError, ValueError):
        return False
    return 0 <= now - timestamp <= max_age
