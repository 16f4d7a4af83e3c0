"""The verdict by technology and by plan, and how it explains itself."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isp_lib import coverage
from isp_lib.coverage import (
    COVERED,
    FTTH,
    MARGINAL,
    OTHER,
    PLANNED,
    UNCOVERED,
    UNKNOWN,
    WIRELESS,
    Candidate,
    CoverageError,
)

PLANS = {
    "FIBRA300": [FTTH],
    "AIRE20": [WIRELESS],
    "HOGAR50": [FTTH, WIRELESS],
    "HUERFANO": [],
}


def nap(name="NAP-12", distance=140, free=3, **values):
    values.setdefault("capacity", 16)
    values.setdefault("used", 16 - 2 - (free or 0))
    values.setdefault("held", 2)
    return coverage.circle_candidate(
        name,
        name,
        FTTH,
        distance,
        150,
        values.pop("capacity"),
        free,
        node_type="nap",
        **values,
    )


def sector(name="Sector Norte", distance=2100, inside=True, outside=0.0, **values):
    return Candidate(
        node=name,
        name=name,
        technology=WIRELESS,
        inside=inside,
        distance_m=distance,
        outside_m=outside,
        reach_m=3000,
        footprint_type="polygon",
        node_type="access_point",
        **values,
    )


def planned_area(inside=True, date="2026-03-01", outside=0.0):
    return Candidate(
        node="Echesortu",
        name="Echesortu",
        technology=FTTH,
        inside=inside,
        distance_m=400,
        outside_m=outside,
        reach_m=600,
        footprint_type="polygon",
        area_state=coverage.AREA_PLANNED,
        available_date=date,
    )


# ------------------------------------------------------------
# one element
# ------------------------------------------------------------


@given(
    st.floats(min_value=0, max_value=1e6),
    st.integers(min_value=0, max_value=100_000),
    st.integers(min_value=0, max_value=100),
    st.integers(min_value=0, max_value=100),
    st.integers(min_value=0, max_value=200),
)
def test_a_circle_is_judged_as_today(distance, radius, capacity, free, margin):
    candidate = coverage.circle_candidate(
        1, "n", OTHER, distance, radius, capacity, free
    )
    assert coverage.judge(candidate, margin).verdict == coverage.verdict(
        distance, radius, capacity, free, margin
    )


def test_inside_with_free_ports():
    element = coverage.judge(nap())
    assert (element.verdict, element.code) == (COVERED, coverage.INSIDE)
    assert element.params == {
        "element": "NAP-12",
        "node_type": "nap",
        "footprint_type": "circle",
        "distance_m": 140,
        "free": 3,
        "capacity": 16,
        "held": 2,
    }


def test_a_full_element_is_marginal_and_says_why():
    element = coverage.judge(nap(free=0, used=14, held=2))
    assert (element.verdict, element.code) == (MARGINAL, coverage.FULL)
    assert element.params["taken"] == 16 and element.params["held"] == 2
    assert element.params["limited_by"] == "self"
    # full because its PON port is
    element = coverage.judge(
        nap(free=0, used=5, held=0, limited_by="parent", parent_name="PON 1/1/3")
    )
    assert element.code == coverage.FULL
    assert (element.params["limited_by"], element.params["parent"]) == (
        "parent",
        "PON 1/1/3",
    )


def test_unlimited_capacity_is_never_full():
    element = coverage.judge(sector(free=None, capacity=0))
    assert element.verdict == COVERED and element.params["free"] is None


def test_the_margin_is_a_percentage_of_the_reach():
    # 3 km sector, 20 %: marginal up to 600 m outside
    near = coverage.judge(sector(inside=False, outside=600, distance=3400))
    assert (near.verdict, near.code) == (MARGINAL, coverage.NEAR_EDGE)
    assert (near.params["outside_m"], near.params["margin_m"]) == (600, 600)
    far = coverage.judge(sector(inside=False, outside=601, distance=3400))
    assert (far.verdict, far.code) == (UNCOVERED, coverage.OUT_OF_REACH)
    assert coverage.judge(sector(inside=False, outside=1, distance=3), 0).verdict == (
        UNCOVERED
    )


def test_no_margin_into_a_hole():
    # 100 m inside a gated neighbourhood cut out of a 3 km sector
    hole = coverage.judge(sector(inside=False, outside=100, excluded=True))
    assert (hole.verdict, hole.code) == (UNCOVERED, coverage.OUT_OF_REACH)
    assert hole.params["excluded"] is True
    edge = coverage.judge(sector(inside=False, outside=100))
    assert edge.verdict == MARGINAL


def test_a_planned_area():
    element = coverage.judge(planned_area())
    assert (element.verdict, element.code) == (PLANNED, coverage.PLANNED_AREA)
    assert element.params["month"] == "2026-03"
    assert element.params["area_state"] == "planned"
    # no margin for a promise: just outside is not planned
    outside = coverage.judge(planned_area(inside=False, outside=5))
    assert outside.verdict == UNCOVERED
    assert outside.params["area_state"] == "planned"
    undated = coverage.judge(planned_area(date=None))
    assert undated.params["month"] is None


# ------------------------------------------------------------
# a point
# ------------------------------------------------------------


def render(entry):
    """A renderer as the models will write one (Spanish), to show that the
    codes and params are enough."""
    names = {FTTH: "Fibra", WIRELESS: "Inalámbrico", OTHER: "Otra"}
    kinds = {"nap": "caja", "access_point": "sector", "tower": "torre"}
    p = entry["explanation_params"]
    distance = p.get("distance_m", 0)
    where = (
        f"{distance / 1000:.1f} km".replace(".", ",")
        if distance >= 1000
        else f"{distance} m"
    )
    element = f"{kinds.get(p.get('node_type'), '')} {p.get('element', '')}".strip()
    element = element.replace("sector Sector", "sector")
    code = entry["explanation_code"]
    if code == coverage.INSIDE:
        text = f"{element} a {where}"
        if p["free"] is not None:
            text += f", {p['free']} de {p['capacity']} puertos libres"
        if entry["plan_sold"] is not False:
            text += " → con cobertura"
    elif code == coverage.FULL:
        text = (
            f"{p['element']} sin puertos libres ({p['taken']}/{p['capacity']}, "
            f"{p['held']} reservados)"
        )
    else:
        text = f"{element} a {where}"
    for note in entry["notes"]:
        if note["code"] == coverage.PLAN_NOT_SOLD:
            plan = {"FIBRA300": "300 Mb"}.get(note["params"]["plan"])
            text += f", el plan {plan} no se vende por aire"
    return f"{names[entry['technology']]}: {text}"


def test_the_example_of_the_issue():
    """ "Fibra: caja NAP-12 a 140 m, 3 de 16 puertos libres → con cobertura;
    Inalámbrico: sector Norte a 2,1 km, el plan 300 Mb no se vende por aire"."""
    result = coverage.assess([sector(), nap()], PLANS, plan_code="FIBRA300")
    assert (result.verdict, result.technology) == (COVERED, FTTH)
    assert (result.plan_verdict, result.plan_best.technology) == (COVERED, FTTH)
    entries = result.as_dict()["technologies"]
    assert "; ".join(render(entry) for entry in entries) == (
        "Fibra: caja NAP-12 a 140 m, 3 de 16 puertos libres → con cobertura; "
        "Inalámbrico: sector Norte a 2,1 km, el plan 300 Mb no se vende por aire"
    )
    json.dumps(result.as_dict())  # stored with the prospect as is


def test_full_box_explained():
    result = coverage.assess([nap(free=0, used=14, held=2)], PLANS)
    assert result.verdict == MARGINAL
    assert render(result.as_dict()["technologies"][0]) == (
        "Fibra: NAP-12 sin puertos libres (16/16, 2 reservados)"
    )


def test_best_technology_and_element():
    result = coverage.assess(
        [
            nap("NAP-11", distance=120, free=0),  # full: marginal
            nap("NAP-12", distance=140, free=3),
            nap("NAP-13", distance=60, free=5),
            sector(),
        ],
        PLANS,
    )
    fibre, wireless = result.technologies
    # the nearest box with free ports; fibre before wireless among equals
    assert (fibre.technology, fibre.node, fibre.distance_m) == (FTTH, "NAP-13", 60)
    assert wireless.technology == WIRELESS
    assert result.best is fibre
    assert [element.candidate.node for element in fibre.elements] == [
        "NAP-13",
        "NAP-12",
        "NAP-11",
    ]
    assert fibre.plan_codes == ("FIBRA300", "HOGAR50")
    assert wireless.plan_codes == ("AIRE20", "HOGAR50")
    assert result.plan_codes == ("AIRE20", "FIBRA300", "HOGAR50")


def test_a_covered_wireless_beats_a_marginal_fibre():
    result = coverage.assess([nap(free=0), sector()], PLANS)
    assert (result.verdict, result.technology) == (COVERED, WIRELESS)


def test_marginal_beats_planned_beats_uncovered():
    near = sector(inside=False, outside=100, distance=3100)
    result = coverage.assess([planned_area(), near], PLANS)
    assert [e.verdict for e in result.technologies] == [MARGINAL, PLANNED]
    result = coverage.assess([planned_area(), sector(inside=False, outside=5000)])
    assert [e.verdict for e in result.technologies] == [PLANNED, UNCOVERED]
    assert result.verdict == PLANNED


def test_plan_restrictions():
    # wireless only at the point
    result = coverage.assess([sector()], PLANS, plan_code="FIBRA300")
    assert result.verdict == COVERED  # the place is covered...
    assert result.plan_verdict == UNCOVERED  # ...but not for that plan
    [wireless] = result.technologies
    assert wireless.plan_sold is False
    assert wireless.notes == ((coverage.PLAN_NOT_SOLD, {"plan": "FIBRA300"}),)
    with pytest.raises(CoverageError) as info:
        coverage.check_plan(result, "FIBRA300", PLANS)
    assert info.value.code == "plan_not_offered"
    assert info.value.params == {"plan": "FIBRA300", "technologies": [FTTH]}
    # a plan sold on wireless is fine
    entry = coverage.check_plan(result, "AIRE20", PLANS)
    assert entry.technology == WIRELESS
    assert coverage.check_plan(result, "HOGAR50", PLANS).technology == WIRELESS


def test_plan_refusals():
    result = coverage.assess([planned_area(), sector(inside=False, outside=9000)])
    with pytest.raises(CoverageError) as info:
        coverage.check_plan(result, "FIBRA300", PLANS)
    assert info.value.code == "plan_planned"
    assert info.value.params == {
        "plan": "FIBRA300",
        "technology": FTTH,
        "month": "2026-03",
    }
    for plan, code in (("HUERFANO", "plan_without_technology"), ("X", "unknown_plan")):
        with pytest.raises(CoverageError) as info:
            coverage.check_plan(result, plan, PLANS)
        assert info.value.code == code


def test_a_marginal_plan_is_not_refused():
    result = coverage.assess([nap(free=0)], PLANS)
    assert coverage.check_plan(result, "FIBRA300", PLANS).verdict == MARGINAL


def test_unknown_and_no_element():
    result = coverage.assess(None, PLANS, technologies=[FTTH])
    assert result.verdict == UNKNOWN
    assert result.technologies[0].explanation_code == coverage.NO_POINT
    result = coverage.assess([], PLANS, technologies=[FTTH], has_network=False)
    assert result.verdict == UNKNOWN
    assert result.technologies[0].explanation_code == coverage.NO_NETWORK
    result = coverage.assess([], PLANS, technologies=[FTTH, WIRELESS])
    assert result.verdict == UNCOVERED
    assert [e.explanation_code for e in result.technologies] == [
        coverage.NO_ELEMENT,
        coverage.NO_ELEMENT,
    ]
    assert coverage.assess([], PLANS).verdict == UNCOVERED


# ------------------------------------------------------------
# the public words
# ------------------------------------------------------------


@pytest.mark.parametrize(
    ("candidates", "plan", "answer"),
    [
        ([nap()], None, ("fibre_here", {})),  # "Hay fibra en tu cuadra"
        ([sector()], None, ("wireless_here", {})),  # "Llegamos por aire"
        ([nap(), sector()], "AIRE20", ("wireless_here", {})),
        ([sector()], "FIBRA300", ("not_yet", {})),
        ([nap(free=0)], None, ("check", {})),
        ([planned_area()], None, ("coming_soon", {"month": "2026-03"})),
        ([sector(inside=False, outside=9000)], None, ("not_yet", {})),
        (None, None, ("check", {})),
    ],
)
def test_public_answer(candidates, plan, answer):
    result = coverage.assess(candidates, PLANS, plan_code=plan)
    assert coverage.public_answer(result) == answer


def test_other_technologies_say_service():
    other = coverage.circle_candidate("c", "Cable 1", OTHER, 10, 500)
    assert coverage.public_answer(coverage.assess([other])) == ("service_here", {})


# an explicit alphabet: st.text() over all of Unicode makes Hypothesis build
# its character table first, seconds on a fresh checkout (a failed health
# check in CI)
NAME_CHARACTERS = (
    "ABCDEFGHIJKLMNÑOPQRSTUVWXYZabcdeéfghijklmnñoópqrstuúvwxyz0123456789 -/"
)


@st.composite
def candidates(draw):
    name = draw(st.text(alphabet=NAME_CHARACTERS, min_size=3, max_size=12))
    inside = draw(st.booleans())
    return Candidate(
        node=name,
        name=name,
        technology=draw(st.sampled_from(coverage.TECHNOLOGIES)),
        inside=inside,
        distance_m=draw(st.floats(min_value=0, max_value=50_000)),
        outside_m=0.0 if inside else draw(st.floats(min_value=0, max_value=5000)),
        reach_m=draw(st.floats(min_value=0, max_value=5000)),
        capacity=draw(st.integers(min_value=0, max_value=64)),
        free=draw(st.none() | st.integers(min_value=0, max_value=64)),
        area_state=draw(st.sampled_from(coverage.AREA_STATES)),
        available_date=draw(st.none() | st.just("2026-03-01")),
    )


@given(st.lists(candidates(), max_size=6), st.sampled_from([None, *PLANS]))
def test_public_answers_never_name_an_element_nor_a_distance(items, plan):
    plans = {code: techs for code, techs in PLANS.items() if techs}
    result = coverage.assess(items, plans, plan_code=plan if plan in plans else None)
    code, params = coverage.public_answer(result)
    assert code in coverage.PUBLIC_CODES
    assert set(params) <= {"month"}
    if params:
        assert params["month"] in (None, "2026-03")
    # and every verdict is one of the selection
    assert result.verdict in dict(coverage.FOOTPRINT_VERDICT_SELECTION)


# ------------------------------------------------------------
# elements for a hold
# ------------------------------------------------------------


def test_reaching_and_next_best():
    items = [
        nap("NAP-11", distance=120, free=0),
        nap("NAP-12", distance=140, free=3),
        nap("NAP-14", distance=400, free=9),  # out of reach
        sector(inside=False, outside=100, distance=3100, free=4),
    ]
    assert [e.candidate.node for e in coverage.reaching(items)] == [
        "NAP-12",
        "NAP-11",
        "Sector Norte",
    ]
    assert [e.candidate.node for e in coverage.reaching(items, technology=FTTH)] == [
        "NAP-12",
        "NAP-11",
    ]
    # NAP-12's last port was taken by another seller: the next best with a
    # free slot (NAP-11 is full), even on another technology
    assert coverage.next_best(items, "NAP-12").candidate.node == "Sector Norte"
    assert coverage.next_best(items, "NAP-12", technology=FTTH) is None
    assert coverage.next_best(items, {"NAP-12", "Sector Norte"}) is None
