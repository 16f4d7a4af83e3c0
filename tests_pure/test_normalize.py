"""Normalisation of contact data for duplicate detection, tested directly."""

from hypothesis import given
from hypothesis import strategies as st

from isp_lib import normalize


def test_email_is_case_and_space_insensitive():
    assert normalize.email("  Ana.Perez@Example.COM ") == "ana.perez@example.com"
    assert normalize.email(None) == normalize.email("") == ""


def test_id_document_ignores_separators():
    assert normalize.id_document("20-12.345.678-9") == "20123456789"
    assert normalize.id_document("ab 123") == "AB123"
    assert normalize.id_document(False) == ""


@given(st.text())
def test_id_document_is_idempotent(value):
    once = normalize.id_document(value)
    assert normalize.id_document(once) == once
    assert once.isalnum() or once == ""


def test_phone_key_joins_the_argentine_mobile_forms():
    assert normalize.phone_key("+5493415239981") == "543415239981"
    assert normalize.phone_key("+543415239981") == "543415239981"
    assert normalize.phone_key("+1 (415) 555-0100") == "14155550100"
    assert normalize.phone_key("") == ""
    assert normalize.phone_key(None) == ""


def test_digits():
    assert normalize.digits("0341 15 523-9981") == "0341155239981"
    assert normalize.digits(None) == ""


def test_e164_reads_local_argentine_forms():
    for typed in ("0341 15 523-9981", "+54 9 341 523-9981", "(0341) 15 523 9981"):
        assert normalize.e164(typed, "AR") == "+5493415239981", typed
    assert normalize.e164("0054 9 341 523 9981", "AR") == "+5493415239981"
    assert normalize.phone_key(normalize.e164("341 523-9981", "AR")) == "543415239981"
    assert normalize.e164("hello", "AR") is None
    assert normalize.e164("", "AR") is None


def test_setting_int_falls_back_to_the_default():
    assert normalize.setting_int("30", 7) == 30
    assert normalize.setting_int(30, 7) == 30
    for bad in (None, False, "", "abc", "1.5", "0", "-3"):
        assert normalize.setting_int(bad, 7) == 7, bad
    assert normalize.setting_int("0", 10, minimum=0) == 0
    assert normalize.setting_int("-1", 10, minimum=0) == 10
    # a parameter never saved (get_param gives False) is not a zero
    assert normalize.setting_int(False, 24, minimum=0) == 24
    assert normalize.setting_int(None, 24, minimum=0) == 24
    assert normalize.setting_int(0, 24, minimum=0) == 0


def test_what_looks_like_a_phone_or_a_document():
    for value in ("15-523-9981", "+54 9 341 523 9981", "(0341) 15 523-9981",
                  "20.123.456", "20-12345678-9", "  5239981 "):  # fmt: skip
        assert normalize.looks_like_phone_or_document(value), value
    for value in ("MV/2026/00012", "Ana Pérez", "1234", "", None, "Calle 1234 5678"):
        assert not normalize.looks_like_phone_or_document(value), value


def test_phone_tails_of_a_local_argentine_mobile():
    # dialled at home as 15 + number: the stored line ends with the number
    assert normalize.phone_tails("15-523-9981", "AR") == ["155239981", "5239981"]
    assert normalize.phone_tails("523-9981", "AR") == ["5239981"]
    # elsewhere a 15 is part of the number
    assert normalize.phone_tails("15-523-9981", "US") == ["155239981"]
    assert normalize.phone_tails("", "AR") == []
