"""Estimated monthly price of a prospect.

One source of truth for the prospect's stored amounts and for the live summary
of the ticket creation wizard. Amounts are plain floats rounded by the caller's
currency rounding (``round_amount``); the rules are:

* a service line costs ``quantity * price_unit``; neither may be negative;
* at most one internet plan per prospect;
* a discount only applies while a plan is chosen (:func:`strip_orphan_discounts`
  drops them when the plan goes away, :func:`compute` refuses them);
* a percentage discount applies to the subtotal of the services; a fixed
  discount is an amount per unit; discounts are applied in order and each is
  capped by what is left, so the total is never negative;
* a one-time fee (e.g. the installation) is charged once, with the first
  invoice: it is not part of the monthly subtotal nor of the estimated monthly
  total, and no discount applies to it (:attr:`Summary.one_time`).
"""

from dataclasses import dataclass, field

from .errors import RuleError

PLAN = "plan"
TV_PACKAGE = "tv_package"
RECURRING_ITEM = "recurring_item"
DISCOUNT = "discount"
ONE_TIME = "one_time"
SERVICE_KIND_SELECTION = (
    (PLAN, "Internet plan"),
    (TV_PACKAGE, "TV package"),
    (RECURRING_ITEM, "Recurring item"),
    (DISCOUNT, "Discount"),
    (ONE_TIME, "One-time fee"),
)
# billed every month (a discount is billed every month too, as a negative
# amount); a one-time fee is billed once
MONTHLY_KINDS = (PLAN, TV_PACKAGE, RECURRING_ITEM, DISCOUNT)
SERVICE_KINDS = tuple(code for code, _label in SERVICE_KIND_SELECTION)

PERCENT = "percent"
FIXED = "fixed"
DISCOUNT_TYPE_SELECTION = ((PERCENT, "Percentage"), (FIXED, "Fixed amount"))


class PricingError(RuleError):
    """A rule of the pricing was broken; ``code`` names the rule."""


@dataclass(frozen=True)
class Line:
    kind: str
    quantity: float = 1.0
    price_unit: float = 0.0
    # only for discounts: PERCENT (price_unit is the percentage) or FIXED
    discount_type: str = FIXED
    label: str = ""


@dataclass(frozen=True)
class Summary:
    plan: float = 0.0
    tv: float = 0.0
    items: float = 0.0
    subtotal: float = 0.0
    discount: float = 0.0
    total: float = 0.0
    # charged once, with the first invoice; not part of the monthly total
    one_time: float = 0.0
    # signed amount of each input line, in input order (discounts negative)
    line_amounts: tuple = field(default_factory=tuple)


def _default_round(amount):
    return round(amount, 2)


def validate_line(line):
    if line.kind not in SERVICE_KINDS:
        raise PricingError("unknown_kind", kind=line.kind)
    if line.quantity is None or line.quantity < 0:
        raise PricingError("negative_quantity", label=line.label)
    if line.price_unit is None or line.price_unit < 0:
        raise PricingError("negative_price", label=line.label)
    if line.kind == DISCOUNT:
        if line.discount_type not in (PERCENT, FIXED):
            raise PricingError("unknown_discount_type", label=line.label)
        if line.discount_type == PERCENT and line.price_unit > 100:
            raise PricingError("percent_over_100", label=line.label)


def has_plan(lines):
    return any(line.kind == PLAN and line.quantity > 0 for line in lines)


def strip_orphan_discounts(lines):
    """The lines without their discounts when no plan is left."""
    if has_plan(lines):
        return list(lines)
    return [line for line in lines if line.kind != DISCOUNT]


def compute(lines, round_amount=_default_round):
    """Validate ``lines`` and return their :class:`Summary`.

    Raises :class:`PricingError` on a broken rule.
    """
    lines = list(lines)
    for line in lines:
        validate_line(line)
    plans = [line for line in lines if line.kind == PLAN]
    if len(plans) > 1:
        raise PricingError("several_plans")
    discounts = [line for line in lines if line.kind == DISCOUNT]
    if discounts and not has_plan(lines):
        raise PricingError("discount_without_plan")

    by_kind = {PLAN: 0.0, TV_PACKAGE: 0.0, RECURRING_ITEM: 0.0}
    one_time = 0.0
    amounts = []
    for line in lines:
        if line.kind == DISCOUNT:
            amounts.append(None)
            continue
        amount = round_amount(line.quantity * line.price_unit)
        if line.kind == ONE_TIME:
            one_time += amount
        else:
            by_kind[line.kind] += amount
        amounts.append(amount)
    subtotal = round_amount(sum(by_kind.values()))

    left = subtotal
    for index, line in enumerate(lines):
        if line.kind != DISCOUNT:
            continue
        if line.discount_type == PERCENT:
            wanted = subtotal * line.price_unit / 100.0 * line.quantity
        else:
            wanted = line.quantity * line.price_unit
        applied = round_amount(min(max(wanted, 0.0), left))
        left = round_amount(left - applied)
        amounts[index] = -applied
    discount = round_amount(subtotal - left)
    return Summary(
        plan=round_amount(by_kind[PLAN]),
        tv=round_amount(by_kind[TV_PACKAGE]),
        items=round_amount(by_kind[RECURRING_ITEM]),
        subtotal=subtotal,
        discount=discount,
        total=round_amount(subtotal - discount),
        one_time=round_amount(one_time),
        line_amounts=tuple(amounts),
    )
