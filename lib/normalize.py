"""Normalised forms of a lead's contact data, to find likely duplicates.

Phones are normalised by Odoo's ``phone_validation`` (it knows the numbering
plan of each country); e-mails and identity documents are plain text rules.
"""

import re

import phonenumbers

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
_NOT_DIGIT = re.compile(r"[^0-9]")
# what a phone or a document is written with, besides its digits
_NOT_PHONE_CHAR = re.compile(r"[^0-9\s.\-()+]")
# Argentine mobiles are dialled +54 9 <area> <number> from abroad and
# <area> 15 <number> at home; the same line without the 9 is a landline form
_AR_MOBILE = "549"


def email(value):
    """The e-mail as compared: trimmed and lower-cased; '' when empty."""
    return (value or "").strip().lower()


def id_document(value):
    """The identity document as compared: only its letters and digits,
    upper-cased ("20-12.345.678-9" and "20123456789" are the same)."""
    return _NOT_ALNUM.sub("", value or "").upper()


def digits(value):
    """Only the digits of ``value`` ("0341 15 523-9981" -> "0341155239981")."""
    return _NOT_DIGIT.sub("", value or "")


def looks_like_phone_or_document(value, min_digits=5):
    """True for what a seller types to find someone by phone or ID document:
    digits and the separators people write them with ("15-523-9981",
    "+54 9 341 523 9981", "20.123.456"), at least ``min_digits`` of them;
    not a reference ("MV/2026/00012") nor a name."""
    text = (value or "").strip()
    if not text or _NOT_PHONE_CHAR.search(text):
        return False
    return len(digits(text)) >= min_digits


def phone_tails(value, region=None):
    """The endings a phone typed as ``value`` may have in a stored key: its
    digits, and for Argentina, a local mobile dialled with its 15
    ("15-523-9981" is the line +54 9 <area> 523-9981) also without the 15."""
    number = digits(value)
    tails = [number] if number else []
    if region == "AR" and number.startswith("15") and len(number) >= 8:
        tails.append(number[2:])
    return tails


def e164(number, region=None):
    """The number in international E.164 form for ``region`` (the company's
    country code), or None when it cannot be a phone number there.

    One parse by phonenumbers (the library behind Odoo's phone_validation,
    which parses twice and validates more strictly): this runs on every
    duplicate check and lead search, so it must cost microseconds."""
    if not number:
        return None
    candidates = [number]
    if number.strip().startswith("00"):  # 0054... dialled from abroad
        candidates.append("+" + number.strip()[2:])
    for candidate in candidates:
        try:
            parsed = phonenumbers.parse(candidate, region or None)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(parsed):
            return phonenumbers.format_number(
                parsed, phonenumbers.PhoneNumberFormat.E164
            )
    return None


def phone_key(number):
    """The key under which two writings of one phone line meet: the digits of
    its international (E.164) form, and for Argentina without the mobile 9
    ("+54 9 341 523-9981" and "+54 341 523-9981" are one line).

    ``number`` should already be in E.164 (phone_validation formats it with
    the company's country); anything else is reduced to its digits."""
    key = digits(number)
    if key.startswith(_AR_MOBILE):
        key = "54" + key[len(_AR_MOBILE) :]
    return key


def setting_int(value, default, minimum=1):
    """A number of the desk's settings as stored in ``ir.config_parameter``
    (text, or nothing when never saved): ``default`` when it is missing, not a
    whole number, or below ``minimum``."""
    if value is None or value is False or value == "":
        return default  # never saved (not a zero, whatever the minimum)
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number >= minimum else default
