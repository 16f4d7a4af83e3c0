"""The pricing rules, tested directly (no Odoo)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isp_lib import pricing
from isp_lib.pricing import (
    DISCOUNT,
    FIXED,
    PERCENT,
    PLAN,
    RECURRING_ITEM,
    TV_PACKAGE,
    Line,
)


def test_plan_items_tv_and_percent_discount():
    summary = pricing.compute(
        [
            Line(PLAN, 1, 100.0),
            Line(TV_PACKAGE, 1, 30.0),
            Line(RECURRING_ITEM, 2, 10.0),
            Line(DISCOUNT, 1, 10.0, PERCENT),
        ]
    )
    assert (summary.plan, summary.tv, summary.items) == (100.0, 30.0, 20.0)
    assert summary.subtotal == 150.0
    assert summary.discount == 15.0
    assert summary.total == 135.0
    assert summary.line_amounts == (100.0, 30.0, 20.0, -15.0)


def test_fixed_discount_is_capped_by_the_subtotal():
    summary = pricing.compute([Line(PLAN, 1, 50.0), Line(DISCOUNT, 1, 80.0, FIXED)])
    assert summary.discount == 50.0
    assert summary.total == 0.0
    assert summary.line_amounts == (50.0, -50.0)


def test_discounts_apply_in_order_and_never_exceed_what_is_left():
    summary = pricing.compute(
        [
            Line(PLAN, 1, 100.0),
            Line(DISCOUNT, 1, 70.0, FIXED),
            Line(DISCOUNT, 1, 50.0, PERCENT),
        ]
    )
    # 70 off, then 50% of the subtotal (50) capped by the 30 left
    assert summary.line_amounts == (100.0, -70.0, -30.0)
    assert summary.total == 0.0


def test_discount_without_plan_is_refused():
    with pytest.raises(pricing.PricingError) as info:
        pricing.compute([Line(RECURRING_ITEM, 1, 10.0), Line(DISCOUNT, 1, 5.0)])
    assert info.value.code == "discount_without_plan"


def test_plan_with_zero_quantity_does_not_count_as_a_plan():
    with pytest.raises(pricing.PricingError) as info:
        pricing.compute([Line(PLAN, 0, 10.0), Line(DISCOUNT, 1, 5.0)])
    assert info.value.code == "discount_without_plan"


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (Line(PLAN, -1, 10.0), "negative_quantity"),
        (Line(PLAN, 1, -10.0), "negative_price"),
        (Line("router", 1, 1.0), "unknown_kind"),
        (Line(DISCOUNT, 1, 101.0, PERCENT), "percent_over_100"),
        (Line(DISCOUNT, 1, 1.0, "bogus"), "unknown_discount_type"),
    ],
)
def test_bad_lines_are_refused(line, code):
    lines = [Line(PLAN, 1, 10.0), line] if line.kind == DISCOUNT else [line]
    with pytest.raises(pricing.PricingError) as info:
        pricing.compute(lines)
    assert info.value.code == code


def test_two_plans_are_refused():
    with pytest.raises(pricing.PricingError) as info:
        pricing.compute([Line(PLAN, 1, 10.0), Line(PLAN, 1, 20.0)])
    assert info.value.code == "several_plans"


def test_strip_orphan_discounts():
    lines = [Line(RECURRING_ITEM, 1, 5.0), Line(DISCOUNT, 1, 10.0, PERCENT)]
    assert pricing.strip_orphan_discounts(lines) == [lines[0]]
    with_plan = [Line(PLAN, 1, 5.0), *lines]
    assert pricing.strip_orphan_discounts(with_plan) == with_plan


def test_rounding_is_the_callers():
    summary = pricing.compute(
        [Line(PLAN, 3, 0.333)], round_amount=lambda a: round(a, 0)
    )
    assert summary.total == 1.0


def test_empty_prospect_costs_nothing():
    assert pricing.compute([]) == pricing.Summary()


amounts = st.floats(
    min_value=0, max_value=1_000_000, allow_nan=False, allow_infinity=False
)
quantities = st.floats(
    min_value=0, max_value=100, allow_nan=False, allow_infinity=False
)
service_lines = st.builds(
    Line, st.sampled_from([TV_PACKAGE, RECURRING_ITEM]), quantities, amounts
)
discount_lines = st.one_of(
    st.builds(Line, st.just(DISCOUNT), quantities, amounts, st.just(FIXED)),
    st.builds(
        Line,
        st.just(DISCOUNT),
        quantities,
        st.floats(min_value=0, max_value=100, allow_nan=False),
        st.just(PERCENT),
    ),
)


@given(
    plan=st.one_of(st.none(), st.builds(Line, st.just(PLAN), quantities, amounts)),
    services=st.lists(service_lines, max_size=5),
    discounts=st.lists(discount_lines, max_size=3),
)
def test_total_is_never_negative_and_adds_up(plan, services, discounts):
    lines = ([plan] if plan else []) + services + discounts
    lines = pricing.strip_orphan_discounts(lines)
    summary = pricing.compute(lines)
    assert summary.total >= 0
    assert summary.discount <= summary.subtotal
    assert summary.subtotal == pytest.approx(
        summary.plan + summary.tv + summary.items, abs=0.05
    )
    assert summary.total == pytest.approx(
        summary.subtotal - summary.discount, abs=0.011
    )
    # the signed line amounts add up to the total
    assert sum(summary.line_amounts) == pytest.approx(
        summary.total, abs=0.01 * (len(lines) + 1)
    )
    if not pricing.has_plan(lines):
        assert not any(line.kind == DISCOUNT for line in lines)
        assert summary.discount == 0


@given(
    services=st.lists(service_lines, min_size=1, max_size=5),
    discounts=st.lists(discount_lines, min_size=1, max_size=3),
)
def test_no_discount_survives_without_plan(services, discounts):
    lines = services + discounts
    with pytest.raises(pricing.PricingError):
        pricing.compute(lines)
    stripped = pricing.strip_orphan_discounts(lines)
    assert all(line.kind != DISCOUNT for line in stripped)
    assert pricing.compute(stripped).discount == 0
