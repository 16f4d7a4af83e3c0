"""The contract's lines, its first period and its first invoice, tested
directly (no Odoo)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isp_lib import billing, pricing
from isp_lib.billing import NEXT_MONTH, PRORATED, ContractLine
from isp_lib.pricing import (
    DISCOUNT,
    FIXED,
    ONE_TIME,
    PERCENT,
    PLAN,
    RECURRING_ITEM,
    TV_PACKAGE,
    Line,
)

SOLD = [
    Line(PLAN, 1, 100.0, label="Plan 100 Mb"),
    Line(TV_PACKAGE, 1, 30.0, label="Pack TV"),
    Line(RECURRING_ITEM, 2, 10.0, label="IP pública"),
    Line(DISCOUNT, 1, 10.0, PERCENT, label="Nuevo cliente"),
    Line(DISCOUNT, 1, 25.0, FIXED, label="Retención"),
    Line(ONE_TIME, 1, 50.0, label="Instalación"),
]


def _contract(lines):
    summary = pricing.compute(lines)
    return summary, billing.contract_lines(lines, summary.line_amounts)


def test_a_one_time_fee_is_not_part_of_the_monthly_total():
    summary = pricing.compute(SOLD)
    assert summary.subtotal == 150.0
    # 10% of 150, then 25 fixed: the fee is neither discounted nor monthly
    assert summary.discount == 40.0
    assert summary.total == 110.0
    assert summary.one_time == 50.0
    assert summary.line_amounts == (100.0, 30.0, 20.0, -15.0, -25.0, 50.0)


def test_contract_lines_carry_what_was_sold():
    _summary, lines = _contract(SOLD)
    assert lines == [
        ContractLine(PLAN, 1, 100.0, False, "Plan 100 Mb", 0),
        ContractLine(TV_PACKAGE, 1, 30.0, False, "Pack TV", 1),
        ContractLine(RECURRING_ITEM, 2, 10.0, False, "IP pública", 2),
        # each discount: the amount it took off, as a negative line
        ContractLine(DISCOUNT, 1.0, -15.0, False, "Nuevo cliente", 3),
        ContractLine(DISCOUNT, 1.0, -25.0, False, "Retención", 4),
        ContractLine(ONE_TIME, 1, 50.0, True, "Instalación", 5),
    ]


def test_a_discount_that_took_nothing_off_and_empty_lines_bill_nothing():
    _summary, lines = _contract(
        [
            Line(PLAN, 1, 20.0),
            Line(RECURRING_ITEM, 0, 10.0),
            Line(DISCOUNT, 1, 30.0, FIXED),
            Line(DISCOUNT, 1, 10.0, PERCENT),
        ]
    )
    assert [(line.kind, line.price_unit, line.index) for line in lines] == [
        (PLAN, 20.0, 0),
        (DISCOUNT, -20.0, 2),
    ]


@pytest.mark.parametrize(
    ("installed", "mode", "first", "last"),
    [
        (date(2026, 3, 17), NEXT_MONTH, date(2026, 4, 1), date(2026, 4, 30)),
        (date(2026, 3, 17), PRORATED, date(2026, 3, 17), date(2026, 3, 31)),
        # installed on the first: the whole month either way
        (date(2026, 3, 1), NEXT_MONTH, date(2026, 3, 1), date(2026, 3, 31)),
        (date(2026, 12, 31), NEXT_MONTH, date(2027, 1, 1), date(2027, 1, 31)),
        (date(2028, 2, 10), PRORATED, date(2028, 2, 10), date(2028, 2, 29)),
    ],
)
def test_first_period(installed, mode, first, last):
    assert billing.first_period(installed, mode) == (first, last)


def test_the_first_invoice_is_the_monthly_total_plus_the_fee_from_next_month():
    summary, lines = _contract(SOLD)
    total = billing.first_invoice_total(lines, date(2026, 3, 17), NEXT_MONTH)
    assert total == summary.total + summary.one_time == 160.0


def test_a_prorated_first_invoice_bills_the_days_left_and_the_whole_fee():
    _summary, lines = _contract(SOLD)
    # 15 of March's 31 days: each monthly line's price prorated and rounded
    total = billing.first_invoice_total(lines, date(2026, 3, 17), PRORATED)
    expected = (
        round(100 * 15 / 31, 2)
        + round(30 * 15 / 31, 2)
        + 2 * round(10 * 15 / 31, 2)
        + round(-15 * 15 / 31, 2)
        + round(-25 * 15 / 31, 2)
        + 50.0
    )
    assert total == round(expected, 2) == 103.23
    assert billing.period_share(date(2026, 3, 17), date(2026, 3, 31)) == (15, 31)
    # from the first of the month, nothing to prorate
    assert billing.first_invoice_total(lines, date(2026, 4, 1), PRORATED) == 160.0


@given(
    st.integers(min_value=0, max_value=10**7),
    st.lists(
        st.tuples(
            st.sampled_from([TV_PACKAGE, RECURRING_ITEM, ONE_TIME]),
            st.integers(min_value=0, max_value=5),
            st.integers(min_value=0, max_value=10**7),
        ),
        max_size=5,
    ),
    st.lists(
        st.tuples(
            st.sampled_from([PERCENT, FIXED]),
            st.integers(min_value=0, max_value=10_000),
        ),
        max_size=3,
    ),
)
def test_first_invoice_is_the_estimate_to_the_cent(plan_cents, services, discounts):
    """Whatever was sold, the first invoice (from next month) is the ticket's
    estimated monthly total plus its one-time fees, to the cent."""
    lines = [Line(PLAN, 1, plan_cents / 100)]
    lines += [Line(kind, qty, cents / 100) for kind, qty, cents in services]
    lines += [Line(DISCOUNT, 1, value / 100, kind) for kind, value in discounts]
    summary, contract = _contract(lines)
    expected = round(summary.total + summary.one_time, 2)
    assert billing.first_invoice_total(contract, date(2026, 5, 20)) == expected
