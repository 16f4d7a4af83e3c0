"""Checks of what an outside caller sends (lib/intake.py)."""

import pytest

from isp_lib import intake
from isp_lib.intake import IntakeError


def test_values_are_trimmed_and_defaulted():
    values = intake.clean(name="  Ana Pérez ", phone=" 341 555 1234 ", email=None)
    assert values["name"] == "Ana Pérez"
    assert values["phone"] == "341 555 1234"
    assert values["email"] == ""
    assert values["contact_type"] == "person"
    assert values["latitude"] is None and values["longitude"] is None


def test_name_is_required():
    with pytest.raises(IntakeError) as error:
        intake.clean(name="   ")
    assert error.value.code == "name_required"


@pytest.mark.parametrize(
    ("field", "size"), [("name", 128), ("note", 2000), ("phone", 32)]
)
def test_lengths(field, size):
    values = {"name": "Ana", field: "1" * size}
    assert intake.clean(**values)[field] == "1" * size
    values[field] = "1" * (size + 1)
    with pytest.raises(IntakeError) as error:
        intake.clean(**values)
    assert (error.value.code, error.value.params["max"]) == ("too_long", size)


def test_control_characters_are_dropped_but_a_note_keeps_its_lines():
    values = intake.clean(name="Ana\x00\x1b", note="line 1\nline 2")
    assert values["name"] == "Ana"
    assert values["note"] == "line 1\nline 2"


def test_markup_is_kept_as_text():
    # escaping is the job of whoever displays it; the value is not altered
    assert intake.clean(name="<script>alert(1)</script>")["name"] == (
        "<script>alert(1)</script>"
    )


@pytest.mark.parametrize(
    ("latitude", "longitude", "code"),
    [
        (91, 0, "latitude_range"),
        (-90.5, 0, "latitude_range"),
        (0, 181, "longitude_range"),
        ("norte", -60, "not_a_number"),
        (-32, "abc", "not_a_number"),
        (True, -60, "not_a_number"),
        (float("nan"), -60, "not_a_number"),
        ("inf", -60, "not_a_number"),
        (10**400, -60, "not_a_number"),  # JSON's integers have no bound
        ([1], -60, "not_a_number"),
        (-32.9, None, "half_point"),
    ],
)
def test_bad_coordinates(latitude, longitude, code):
    with pytest.raises(IntakeError) as error:
        intake.clean(name="Ana", latitude=latitude, longitude=longitude)
    assert error.value.code == code


def test_coordinates_as_numbers_or_numeric_text():
    values = intake.clean(name="Ana", latitude="-32,95", longitude=-60)
    assert (values["latitude"], values["longitude"]) == (-32.95, -60.0)
    assert isinstance(values["longitude"], float)


def test_text_where_text_expected():
    with pytest.raises(IntakeError) as error:
        intake.clean(name={"a": 1})
    assert (error.value.code, error.value.params["field"]) == ("not_text", "name")
    assert intake.clean(name="Ana", street_number=1234)["street_number"] == "1234"


def test_contact_type_and_email():
    assert intake.clean(name="ACME", contact_type="company")["contact_type"] == (
        "company"
    )
    with pytest.raises(IntakeError):
        intake.clean(name="ACME", contact_type="robot")
    with pytest.raises(IntakeError) as error:
        intake.clean(name="Ana", email="not an email")
    assert error.value.code == "bad_email"


def test_unknown_argument():
    with pytest.raises(IntakeError) as error:
        intake.clean(name="Ana", colour="red")
    assert error.value.code == "unknown_argument"


def test_a_phone_has_digits():
    with pytest.raises(IntakeError) as error:
        intake.clean(name="Ana", phone="abc 12")
    assert error.value.code == "bad_phone"


def test_public_answer_reveals_only_the_verdict():
    assert intake.public_answer("covered") == "yes"
    assert intake.public_answer("marginal") == "check"
    assert intake.public_answer("unknown") == "check"
    assert intake.public_answer("uncovered") == "not_yet"
    assert intake.public_answer("anything else") == "check"


def test_token_freshness():
    assert intake.token_fresh("1000", 1500, 3600)
    assert not intake.token_fresh("1000", 5000, 3600)
    assert not intake.token_fresh("2000", 1000, 3600)
    assert not intake.token_fresh("abc", 1000, 3600)


def test_spaces_of_every_kind_and_joiners_are_kept():
    # a non-breaking space is a space ("Ana María", not "AnaMaría"); the
    # zero-width joiner belongs inside emoji and words of many scripts
    values = intake.clean(name="Ana\u00a0María\u2009López", note="👨\u200d👩\u200d👧")
    assert values["name"] == "Ana María López"
    assert values["note"] == "👨\u200d👩\u200d👧"


def test_format_characters_that_disguise_text_are_dropped():
    # a right-to-left override and a zero-width space hide what a name says
    assert intake.clean(name="Juan\u202e\u200bPérez\x00")["name"] == "JuanPérez"
