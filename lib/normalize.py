"""Normalised forms of a lead's contact data, to find likely duplicates.

Phones are normalised by Odoo's ``phone_validation`` (it knows the numbering
plan of each country); e-mails and identity documents are plain text rules.
"""

import re

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")


def email(value):
    """The e-mail as compared: trimmed and lower-cased; '' when empty."""
    return (value or "").strip().lower()


def id_document(value):
    """The identity document as compared: only its letters and digits,
    upper-cased ("20-12.345.678-9" and "20123456789" are the same)."""
    return _NOT_ALNUM.sub("", value or "").upper()
