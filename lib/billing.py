"""What a won ticket bills: its contract's lines, its first period, its first
invoice.

A won ticket's recurring contract (OCA ``contract``) bills every month exactly
what the ticket sold (its frozen lines, priced by :mod:`.pricing`):

* a plan, a TV package or a recurring item is a line with the same quantity
  and unit price;
* a discount is one line of its own, with the amount it took off as a
  negative unit price. The desk's discounts are a percentage of the subtotal
  or a fixed amount, applied in order and capped by what is left; the
  contract's own ``discount`` is a percentage per line. One negative line per
  discount gives the same total to the cent, whatever the mix, and names the
  discount on the customer's invoice;
* a one-time fee is billed once, with the first invoice.

Billing follows calendar months. The contract starts on the installation day;
the first period either starts on the first of the next month (the days until
then are not billed) or is the rest of the installation month, prorated by
days (:data:`FIRST_PERIOD_SELECTION`, a setting).
"""

import calendar
from dataclasses import dataclass
from datetime import timedelta

from .pricing import DISCOUNT, ONE_TIME

NEXT_MONTH = "next_month"
PRORATED = "prorated"
FIRST_PERIOD_SELECTION = (
    (NEXT_MONTH, "Billing starts on the first of the next month"),
    (PRORATED, "The installation month is billed prorated"),
)
FIRST_PERIODS = tuple(code for code, _label in FIRST_PERIOD_SELECTION)
DEFAULT_FIRST_PERIOD = NEXT_MONTH


def _default_round(amount):
    return round(amount, 2)


@dataclass(frozen=True)
class ContractLine:
    """A line of the contract, as the ticket sold it."""

    kind: str
    quantity: float
    # signed: the amount a discount took off is negative
    price_unit: float
    # a one-time fee: billed with the first invoice only
    once: bool = False
    label: str = ""
    # the position of the sold line it comes from
    index: int = -1


def contract_lines(lines, line_amounts):
    """The contract lines of the sold ``lines`` (:class:`.pricing.Line`), given
    their signed amounts (:attr:`.pricing.Summary.line_amounts`).

    A line of no quantity, or a discount that took nothing off (the subtotal
    was used up by the discounts before it), bills nothing and is left out.
    """
    result = []
    for index, (line, amount) in enumerate(zip(lines, line_amounts, strict=True)):
        if line.kind == DISCOUNT:
            if amount:
                result.append(
                    ContractLine(DISCOUNT, 1.0, amount, label=line.label, index=index)
                )
        elif line.quantity:
            result.append(
                ContractLine(
                    line.kind,
                    line.quantity,
                    line.price_unit,
                    once=line.kind == ONE_TIME,
                    label=line.label,
                    index=index,
                )
            )
    return result


def month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def billing_start(install_date, first_period=DEFAULT_FIRST_PERIOD):
    """The first day billed: the installation day when the installation month
    is prorated (or when it is the first of a month), else the first of the
    next month."""
    if first_period == PRORATED or install_date.day == 1:
        return install_date
    return month_end(install_date) + timedelta(days=1)


def first_period(install_date, first_period=DEFAULT_FIRST_PERIOD):
    """The first period billed, as its first and last day."""
    start = billing_start(install_date, first_period)
    return start, month_end(start)


def period_share(first, last):
    """The part of a month that the period from ``first`` to ``last`` (both
    included, within one month) covers: ``(days, days_in_month)``."""
    days_in_month = calendar.monthrange(first.year, first.month)[1]
    return (last - first).days + 1, days_in_month


def period_price(price_unit, first, last, round_amount=_default_round):
    """The unit price for the period from ``first`` to ``last``: the monthly
    price for a whole month, the share of its days for a part of one."""
    days, days_in_month = period_share(first, last)
    if days >= days_in_month:
        return price_unit
    return round_amount(price_unit * days / days_in_month)


def first_invoice_total(
    lines, install_date, first_period_mode=DEFAULT_FIRST_PERIOD, round_amount=None
):
    """What the first invoice of a contract with ``lines``
    (:class:`ContractLine`) totals: each recurring line's price for the first
    period, every one-time fee in full, each line rounded as an invoice line
    is."""
    round_amount = round_amount or _default_round
    first, last = first_period(install_date, first_period_mode)
    total = 0.0
    for line in lines:
        price = (
            line.price_unit
            if line.once
            else period_price(line.price_unit, first, last, round_amount)
        )
        total += round_amount(line.quantity * price)
    return round_amount(total)
