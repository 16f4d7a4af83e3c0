"""Calibration of an element's range from what the technicians found.

Every feasibility order records what the desk predicted when it was created
(verdict, element, distance); its result says *feasible* or *not feasible*
with a reason code. Installations count too: one completed is a success at
its distance, one cancelled for a technical reason a failure. From these
:class:`Visit` records, per element, :func:`calibrate` reports the
predictions ``checked``, how many were ``wrong``, and a **suggested range**.

The rule of the suggestion
--------------------------
The suggested range is the distance that best separates the visits that
succeeded from those that failed *because of the range*: the cut ``c``
(0 or a visit's distance) that maximises::

    successes at or within c  +  range failures beyond c

(the visits that a range of ``c`` would have predicted right), the longer
cut among equals, so that coverage is never cut on a tie. It is suggested
only when it moves the range by at least :data:`MIN_CHANGE` and the visits
that the change re-judges say so:

* **reduce** to ``c`` when at least ``min_side`` visits lie between ``c`` and
  the current range and more than half of them failed: "Sector Norte: 6 of 9
  visits beyond 2.4 km failed (line of sight) -- reduce the range to 2.4 km";
* **extend** to ``c`` when at least ``min_side`` visits lie between the
  current range and ``c`` and at least :data:`EXTEND_SUCCESS` (90 %) of them
  succeeded (a longer range sells more, so it needs stronger evidence);

and never before ``min_visits`` visits in all. The suggestion is rounded
down to :data:`ROUND_M` metres.

Why this rule and not "the largest distance at which the success rate of the
visits up to it stays >= 90 %": a cumulative rate is dominated by the many
visits near the element, which nearly all succeed, and hides a failing tail.
With 60 successes within 2.4 km and then 9 visits out to 3 km of which 6
failed, 63 of the 69 visits up to 3 km succeeded (91 %): the cumulative rule
keeps 3 km although two visits in three beyond 2.4 km failed. The cut above
finds 2.4 km with 60 successes or with 6 (tests_pure/test_calibration.py).
It is the maximum-likelihood threshold of a step model (success within the
range, failure beyond), costs one sort, and explains itself in one sentence.

Only range failures (line of sight, distance, signal, terrain) enter the cut:
a box with no free port or a customer who declined says nothing about how
far the element reaches. They still count in ``checked`` (all but the
non-technical ones) and in ``wrong`` (a *covered* prediction that failed).
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from .errors import RuleError

LINE_OF_SIGHT = "line_of_sight"
DISTANCE = "distance"
SIGNAL = "signal"
NO_PORTS = "no_ports"
TERRAIN = "terrain"
CUSTOMER_DECLINED = "customer_declined"
# the shipped feasibility reasons (an extendable list: the model adds records)
REASON_SELECTION = (
    (LINE_OF_SIGHT, "No line of sight"),
    (DISTANCE, "Too far"),
    (SIGNAL, "Weak signal"),
    (NO_PORTS, "No free ports"),
    (TERRAIN, "Terrain or building"),
    (CUSTOMER_DECLINED, "Customer declined"),
)
REASONS = tuple(code for code, _label in REASON_SELECTION)
# failures that say the element does not reach that far
RANGE_REASONS = frozenset({LINE_OF_SIGHT, DISTANCE, SIGNAL, TERRAIN})
# failures that say nothing about the network: not a checked prediction
NON_TECHNICAL_REASONS = frozenset({CUSTOMER_DECLINED})

MIN_VISITS = 10
MIN_SIDE = 5
MIN_CHANGE = 0.05
EXTEND_SUCCESS = 0.9
ROUND_M = 10

# the codes of a calibration's explanation
REDUCE = "reduce"
EXTEND = "extend"
KEEP = "keep"
TOO_FEW_VISITS = "too_few_visits"


class CalibrationError(RuleError):
    """A feasibility result the rules refuse."""


@dataclass(frozen=True)
class Visit:
    """One check of a prediction: a feasibility result, or an installation
    (completed: ``success``; cancelled for a technical reason: not).

    ``predicted`` is the verdict recorded at the order's creation
    (``covered``, ``marginal``...), None when unknown.
    """

    distance_m: float
    success: bool
    reason_code: str | None = None
    predicted: str | None = None
    installation: bool = False


@dataclass(frozen=True)
class Calibration:
    """What the visits of one element say: ``checked``, ``wrong``,
    ``suggested_radius_m`` (None: nothing to suggest) and the explanation
    ``code`` (:data:`REDUCE`, :data:`EXTEND`, :data:`KEEP`,
    :data:`TOO_FEW_VISITS`) with its ``params``:

    * reduce: {distance_m, current_m, beyond, failed, reason};
    * extend: {distance_m, current_m, beyond, succeeded};
    * keep: {current_m, visits};
    * too_few_visits: {visits, needed}.
    """

    checked: int
    wrong: int
    suggested_radius_m: int | None
    code: str
    params: dict = field(default_factory=dict)


def check_result(feasible, reason_code=None):
    """Refuse a reason code on a feasible result (``reason_on_feasible``)
    and a not-feasible result without one (``reason_required``)."""
    if feasible and reason_code:
        raise CalibrationError("reason_on_feasible", reason=reason_code)
    if not feasible and not reason_code:
        raise CalibrationError("reason_required")


def _technical(visit):
    return visit.success or visit.reason_code not in NON_TECHNICAL_REASONS


def is_wrong(visit):
    """A wrong prediction: a *covered* prediction that failed for a technical
    reason, or an installation that failed for one."""
    if visit.success or not _technical(visit):
        return False
    return visit.installation or visit.predicted == "covered"


def best_cut(visits):
    """The cut of the module docstring over ``(distance_m, success)`` pairs:
    ``(distance, score)``; ``(0.0, failures)`` when no success."""
    ordered = sorted(visits, key=lambda visit: visit[0])
    failures_beyond = sum(1 for _distance, success in ordered if not success)
    best, best_score = 0.0, failures_beyond
    successes_within = 0
    for index, (distance, success) in enumerate(ordered):
        if success:
            successes_within += 1
        else:
            failures_beyond -= 1
        if index + 1 < len(ordered) and ordered[index + 1][0] == distance:
            continue  # cut between distinct distances only
        score = successes_within + failures_beyond
        if score >= best_score:
            best, best_score = distance, score
    return best, best_score


def calibrate(
    visits,
    current_range_m,
    min_visits=MIN_VISITS,
    min_side=MIN_SIDE,
    range_reasons=RANGE_REASONS,
):
    """The :class:`Calibration` of an element of range ``current_range_m``
    from its :class:`Visit` records (see the module docstring)."""
    visits = list(visits)
    technical = [visit for visit in visits if _technical(visit)]
    checked = len(technical)
    wrong = sum(1 for visit in technical if is_wrong(visit))
    relevant = [
        (float(visit.distance_m), visit.success)
        for visit in technical
        if visit.success or visit.reason_code in range_reasons
    ]
    if len(relevant) < min_visits:
        return Calibration(
            checked,
            wrong,
            None,
            TOO_FEW_VISITS,
            {"visits": len(relevant), "needed": min_visits},
        )
    cut, _score = best_cut(relevant)
    suggested = int(math.floor(cut / ROUND_M) * ROUND_M)
    current = float(current_range_m)
    if cut < current * (1 - MIN_CHANGE):
        between = [v for v in relevant if cut < v[0] <= current]
        failed = [v for v in between if not v[1]]
        if len(between) >= min_side and 2 * len(failed) > len(between):
            reasons = Counter(
                visit.reason_code
                for visit in technical
                if not visit.success
                and visit.reason_code in range_reasons
                and cut < visit.distance_m <= current
            )
            return Calibration(
                checked,
                wrong,
                suggested,
                REDUCE,
                {
                    "distance_m": suggested,
                    "current_m": round(current),
                    "beyond": len(between),
                    "failed": len(failed),
                    "reason": min(reasons, key=lambda r: (-reasons[r], r)),
                },
            )
    elif cut > current * (1 + MIN_CHANGE):
        between = [v for v in relevant if current < v[0] <= cut]
        succeeded = [v for v in between if v[1]]
        if (
            len(between) >= min_side
            and len(succeeded) >= EXTEND_SUCCESS * len(between)
            and suggested > current
        ):
            return Calibration(
                checked,
                wrong,
                suggested,
                EXTEND,
                {
                    "distance_m": suggested,
                    "current_m": round(current),
                    "beyond": len(between),
                    "succeeded": len(succeeded),
                },
            )
    return Calibration(
        checked,
        wrong,
        None,
        KEEP,
        {"current_m": round(current), "visits": len(relevant)},
    )
