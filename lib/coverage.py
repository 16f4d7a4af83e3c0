"""Coverage of a point by the ISP's network.

A node *reaches* the points within its radius plus the margin. The verdict of
a point is the best one any active node of its company gives it, the nearest
node first among equals (found by an indexed SQL query, see
``isp.network.node._isp_nearest_nodes``):

* ``covered``: inside a node's radius, and the node has free capacity
  (a capacity of 0 means unlimited);
* ``marginal``: inside the radius of a full node, or outside a node's radius
  by no more than ``margin_percent`` of it;
* ``uncovered``: no node reaches the point;
* ``unknown``: no point, or the company has no active node to compare with.

Because only the nodes that reach a point decide its verdict, adding, moving or
archiving a node can only change the verdicts within its reach (and of the
points it decided): a new small node next to a big tower does not take away
the coverage the tower gives. This module holds the verdict rules and the
geometry of the query's bounding box.

Coverage by technology (issue 18, second half of the module): the same rule
for any footprint (circle, sector, drop reach, polygon), with ``planned`` for
an area not launched yet, per technology and per plan, each verdict with an
explanation code and params, and a public wording that names no element.
The geometry is ``footprint.py``'s; this module only sees numbers, so the
models that import it need no Shapely.
"""

import math
from dataclasses import dataclass, field, replace

from .errors import RuleError
from .geo import EARTH_RADIUS_M

COVERED = "covered"
MARGINAL = "marginal"
UNCOVERED = "uncovered"
UNKNOWN = "unknown"
VERDICT_SELECTION = (
    (COVERED, "Covered"),
    (MARGINAL, "Marginal"),
    (UNCOVERED, "Not covered"),
    (UNKNOWN, "Unknown"),
)
VERDICTS = tuple(code for code, _label in VERDICT_SELECTION)

DEFAULT_MARGIN_PERCENT = 20
# radii (metres) of the successive bounding boxes searched for the nearest node;
# a node farther than the last one is not looked for: the point is uncovered
SEARCH_RADII_M = (5_000, 50_000, 500_000)

# a longitude range that no longitude falls in (BETWEEN 1 AND 0 is false)
EMPTY_RANGE = (1.0, 0.0)


def verdict(
    distance_m,
    radius_m,
    capacity=0,
    free_capacity=0,
    margin_percent=DEFAULT_MARGIN_PERCENT,
):
    """The coverage verdict of a point ``distance_m`` metres from its nearest
    node; ``distance_m`` is None when there is no point or no node.

    The rule of :func:`judge` for a circle: one rule for every footprint."""
    if distance_m is None or radius_m is None:
        return UNKNOWN
    return place_verdict(
        distance_m <= radius_m,
        distance_m - radius_m,
        radius_m,
        capacity > 0 and free_capacity <= 0,
        margin_percent,
    )


def place_verdict(inside, outside_m, reach_m, full, margin_percent):
    """The rule of every footprint, available now: inside is covered, or
    marginal when the element is full; outside by no more than
    ``margin_percent`` of its reach is marginal; farther is uncovered."""
    if inside:
        return MARGINAL if full else COVERED
    if outside_m <= reach_m * max(margin_percent, 0) / 100.0:
        return MARGINAL
    return UNCOVERED


def best_verdict(nodes, margin_percent=DEFAULT_MARGIN_PERCENT):
    """The verdict of a point given all the active nodes of its company, as
    ``(distance_m, radius_m, capacity, free_capacity)``: the plain definition
    that the SQL lookup computes with an index (tests compare the two)."""
    if not nodes:
        return UNKNOWN
    rank = {COVERED: 0, MARGINAL: 1, UNCOVERED: 2}
    return min(
        (verdict(*node, margin_percent=margin_percent) for node in nodes),
        key=rank.__getitem__,
    )


def bounding_box(latitude, longitude, radius_m):
    """The box of all points within ``radius_m`` of the point, as
    ``(lat_min, lat_max, (lon_min1, lon_max1), (lon_min2, lon_max2))``.

    Two longitude ranges, because a box crossing the antimeridian is split in
    two; the second range is :data:`EMPTY_RANGE` when not needed. Near a pole
    the box spans every longitude.
    """
    angle = math.degrees(radius_m / EARTH_RADIUS_M)
    lat_min, lat_max = latitude - angle, latitude + angle
    if lat_min <= -90 or lat_max >= 90:
        return max(lat_min, -90.0), min(lat_max, 90.0), (-180.0, 180.0), EMPTY_RANGE
    # the box is widest, in degrees of longitude, at its latitude nearest a pole
    widest = math.cos(math.radians(max(abs(lat_min), abs(lat_max))))
    lon_angle = angle / widest
    if lon_angle >= 180:
        return lat_min, lat_max, (-180.0, 180.0), EMPTY_RANGE
    lon_min, lon_max = longitude - lon_angle, longitude + lon_angle
    if lon_min < -180:
        return lat_min, lat_max, (lon_min + 360, 180.0), (-180.0, lon_max)
    if lon_max > 180:
        return lat_min, lat_max, (lon_min, 180.0), (-180.0, lon_max - 360)
    return lat_min, lat_max, (lon_min, lon_max), EMPTY_RANGE


# ------------------------------------------------------------
# COVERAGE BY TECHNOLOGY (issue 18)
# ------------------------------------------------------------
#
# A point is judged against the *candidate* footprints of its company: those
# whose stored box meets the box of the company's largest margin around the
# point (SQL), measured by ``footprint.measure`` (Shapely). Each candidate
# gets a verdict of its own (:func:`judge`); each technology the best of its
# candidates; the point the best technology (:func:`assess`). Every verdict
# carries an explanation code and its params, rendered by the models in the
# reader's language, and a public wording that names no element and no
# distance (:func:`public_answer`).

FTTH = "ftth"
WIRELESS = "wireless"
OTHER = "other"
TECHNOLOGY_SELECTION = (
    (FTTH, "Fibre (FTTH)"),
    (WIRELESS, "Fixed wireless"),
    (OTHER, "Other (cable, copper...)"),
)
# the shipped technologies, best first: among equal verdicts, fibre wins
TECHNOLOGIES = tuple(code for code, _label in TECHNOLOGY_SELECTION)

PLANNED = "planned"
# the verdicts once issue 18 is wired: the prospect's ``coverage`` moves from
# VERDICT_SELECTION to this one (``planned`` is new)
FOOTPRINT_VERDICT_SELECTION = (
    (COVERED, "Covered"),
    (MARGINAL, "Marginal"),
    (PLANNED, "Planned"),
    (UNCOVERED, "Not covered"),
    (UNKNOWN, "Unknown"),
)
# better first; "marginal" (a visit may confirm it today) beats "planned"
# (nothing before the area's launch)
RANK = {COVERED: 0, MARGINAL: 1, PLANNED: 2, UNCOVERED: 3, UNKNOWN: 4}
REACHING = (COVERED, MARGINAL)

AVAILABLE = "available"
AREA_PLANNED = "planned"
BUILDING = "building"
AREA_STATE_SELECTION = (
    (AVAILABLE, "Available"),
    (AREA_PLANNED, "Planned"),
    (BUILDING, "Under construction"),
)
AREA_STATES = tuple(code for code, _label in AREA_STATE_SELECTION)
NOT_YET_AVAILABLE = (AREA_PLANNED, BUILDING)

# explanation codes of a technology's verdict (params in :func:`judge`)
INSIDE = "inside"  # covered: inside the footprint, with free capacity
FULL = "full"  # marginal: inside, but the element (or its parent) is full
NEAR_EDGE = "near_edge"  # marginal: outside by no more than the margin
PLANNED_AREA = "planned_area"  # planned: inside a planned or building area
OUT_OF_REACH = "out_of_reach"  # uncovered: the nearest element is too far
NO_ELEMENT = "no_element"  # uncovered: no element of the technology near
NO_NETWORK = "no_network"  # unknown: the company has no footprint
NO_POINT = "no_point"  # unknown: the prospect has no point
EXPLANATION_CODES = (
    INSIDE,
    FULL,
    NEAR_EDGE,
    PLANNED_AREA,
    OUT_OF_REACH,
    NO_ELEMENT,
    NO_NETWORK,
    NO_POINT,
)
# added to a technology's explanation when the chosen plan is not sold on it
PLAN_NOT_SOLD = "plan_not_sold"

# what the public page and the intake say: never an element, never a distance
PUBLIC_FIBRE = "fibre_here"  # "Hay fibra en tu cuadra"
PUBLIC_WIRELESS = "wireless_here"  # "Llegamos por aire"
PUBLIC_SERVICE = "service_here"  # "Tenemos servicio en tu zona"
PUBLIC_CHECK = "check"  # "Necesitamos verificar tu domicilio"
PUBLIC_PLANNED = "coming_soon"  # "Llegamos en marzo: te anotamos" ({month})
PUBLIC_NOT_YET = "not_yet"  # "Todavía no llegamos"
PUBLIC_CODES = (
    PUBLIC_FIBRE,
    PUBLIC_WIRELESS,
    PUBLIC_SERVICE,
    PUBLIC_CHECK,
    PUBLIC_PLANNED,
    PUBLIC_NOT_YET,
)
PUBLIC_COVERED = {FTTH: PUBLIC_FIBRE, WIRELESS: PUBLIC_WIRELESS}


class CoverageError(RuleError):
    """A sale the coverage refuses (a plan where nothing offers it)."""


# built for every candidate of every verdict: slots, not frozen (a frozen
# dataclass costs six times as much to build); treat them as read-only
@dataclass(slots=True)
class Candidate:
    """A footprint near the point, as the model measured it.

    ``node`` is the element's key (its id), opaque here. ``distance_m`` is
    from the point to the element itself (the box, the tower, the polygon's
    node point), ``outside_m`` to the footprint (0 inside), ``reach_m`` the
    length the margin is a percentage of (a circle's radius, a sector's range,
    a polygon's ``footprint.nominal_reach_m``). ``free`` is the effective free
    capacity (``capacity.effective_free``: own and parent level), None when
    unlimited; ``limited_by`` is ``"parent"`` when the parent decides it.
    ``available_date`` is an ISO date (``"2026-03-01"``) or None.
    ``excluded``: the point lies in a hole of the footprint (cut out on
    purpose), where the margin does not reach.
    """

    node: object
    name: str
    technology: str
    inside: bool
    distance_m: float
    outside_m: float = 0.0
    reach_m: float = 0.0
    footprint_type: str = "circle"
    node_type: str = ""
    capacity: int = 0
    used: int = 0
    held: int = 0
    free: int | None = None
    limited_by: str | None = None
    parent_name: str = ""
    area_state: str = AVAILABLE
    available_date: str | None = None
    excluded: bool = False

    @property
    def full(self):
        return self.free is not None and self.free <= 0


@dataclass(slots=True)
class ElementVerdict:
    """The verdict one candidate gives the point."""

    candidate: Candidate
    verdict: str
    code: str
    params: dict

    def sort_key(self, technology_order=TECHNOLOGIES):
        candidate = self.candidate
        # covered: the nearest element (the shortest drop); otherwise the
        # nearest footprint
        distance = candidate.distance_m if self.verdict == COVERED else None
        if distance is None:
            distance = candidate.outside_m
        return (
            RANK[self.verdict],
            _tech_rank(candidate.technology, technology_order),
            distance,
            str(candidate.node),
        )


def _tech_rank(technology, technology_order):
    try:
        return technology_order.index(technology)
    except ValueError:
        return len(technology_order)


def circle_candidate(
    node,
    name,
    technology,
    distance_m,
    radius_m,
    capacity=0,
    free_capacity=0,
    **values,
):
    """A :class:`Candidate` of today's circle, decided exactly by its distance
    (no polygon): what :func:`verdict` judges. ``capacity`` 0 is unlimited."""
    return Candidate(
        node=node,
        name=name,
        technology=technology,
        inside=distance_m <= radius_m,
        distance_m=distance_m,
        outside_m=max(distance_m - radius_m, 0.0),
        reach_m=radius_m,
        capacity=capacity,
        free=free_capacity if capacity and capacity > 0 else None,
        **values,
    )


def _month(available_date):
    return available_date[:7] if available_date else None


def judge(candidate, margin_percent=DEFAULT_MARGIN_PERCENT):
    """The :class:`ElementVerdict` of one candidate.

    * inside an area not available yet (planned, building): ``planned``,
      ``planned_area`` {element, area_state, month, distance_m};
    * inside, full: ``marginal``, ``full`` {element, node_type, distance_m,
      capacity, used, held, taken (used + held), limited_by, parent};
    * inside: ``covered``, ``inside`` {element, node_type, footprint_type,
      distance_m, free, capacity, held};
    * outside by no more than ``margin_percent`` of its reach (and available):
      ``marginal``, ``near_edge`` {element, node_type, footprint_type,
      distance_m, outside_m, margin_m, free, full};
    * otherwise, or in a hole of the footprint: ``uncovered``,
      ``out_of_reach`` {element, node_type, footprint_type, distance_m,
      outside_m, area_state, excluded}.

    Distances in params are whole metres. A planned area has no margin: the
    promise of a month is made inside it only.
    """
    c = candidate
    base = {
        "element": c.name,
        "node_type": c.node_type,
        "footprint_type": c.footprint_type,
        "distance_m": round(c.distance_m),
    }
    margin_m = max(c.reach_m, 0.0) * max(margin_percent, 0) / 100.0
    if c.area_state in NOT_YET_AVAILABLE:
        if c.inside:
            params = dict(base, area_state=c.area_state, month=_month(c.available_date))
            return ElementVerdict(c, PLANNED, PLANNED_AREA, params)
        place = UNCOVERED
    elif c.excluded and not c.inside:
        place = UNCOVERED
    else:
        place = place_verdict(
            c.inside, c.outside_m, max(c.reach_m, 0.0), c.full, margin_percent
        )
    if place == COVERED:
        params = dict(base, free=c.free, capacity=c.capacity, held=c.held)
        return ElementVerdict(c, COVERED, INSIDE, params)
    if place == MARGINAL and c.inside:
        params = dict(
            base,
            capacity=c.capacity,
            used=c.used,
            held=c.held,
            taken=c.used + c.held,
            limited_by=c.limited_by or "self",
            parent=c.parent_name,
        )
        return ElementVerdict(c, MARGINAL, FULL, params)
    if place == MARGINAL:
        params = dict(
            base,
            outside_m=round(c.outside_m),
            margin_m=round(margin_m),
            free=c.free,
            full=c.full,
        )
        return ElementVerdict(c, MARGINAL, NEAR_EDGE, params)
    params = dict(
        base,
        outside_m=round(c.outside_m),
        area_state=c.area_state,
        excluded=c.excluded,
    )
    return ElementVerdict(c, UNCOVERED, OUT_OF_REACH, params)


@dataclass(frozen=True)
class TechnologyVerdict:
    """The verdict of one technology at the point: its best element's.

    ``plan_codes``: the plans sold on the technology, when it reaches the
    point (covered or marginal); ``plan_sold``: whether the chosen plan is
    sold on it (None when no plan was chosen); ``notes``: further
    ``(code, params)`` of the explanation (:data:`PLAN_NOT_SOLD`);
    ``elements``: every candidate's verdict, best first.
    """

    technology: str
    verdict: str
    explanation_code: str
    explanation_params: dict
    node: object = None
    node_name: str = ""
    distance_m: int | None = None
    free: int | None = None
    available_date: str | None = None
    plan_codes: tuple = ()
    plan_sold: bool | None = None
    notes: tuple = ()
    elements: tuple = field(default=(), repr=False)

    def as_dict(self):
        """The JSON-ready entry of ``isp.network.node.check_point`` (and of
        the explanation stored with the prospect)."""
        return {
            "technology": self.technology,
            "verdict": self.verdict,
            "explanation_code": self.explanation_code,
            "explanation_params": dict(self.explanation_params),
            "notes": [{"code": code, "params": dict(p)} for code, p in self.notes],
            "node_id": self.node,
            "node_name": self.node_name,
            "distance_m": self.distance_m,
            "free": self.free,
            "available_date": self.available_date,
            "plan_codes": list(self.plan_codes),
            "plan_sold": self.plan_sold,
        }


@dataclass(frozen=True)
class Assessment:
    """The coverage of a point, by technology and for the chosen plan.

    ``verdict``/``technology``/``best``: the best technology at the point,
    whatever the plan (fibre first among equals). ``plan_verdict``/
    ``plan_best``: the best among the technologies the chosen plan is sold on
    (None without a plan). ``technologies``: every technology's verdict, best
    first. ``plan_codes``: the plans that can be sold at the point.
    """

    verdict: str
    technology: str | None
    best: TechnologyVerdict | None
    technologies: tuple
    plan_code: str | None = None
    plan_verdict: str | None = None
    plan_best: TechnologyVerdict | None = None
    plan_codes: tuple = ()

    @property
    def deciding(self):
        """The technology verdict that answers: the plan's when a plan was
        chosen, else the best."""
        return self.plan_best if self.plan_code else self.best

    def as_dict(self):
        return {
            "verdict": self.verdict,
            "technology": self.technology,
            "plan_code": self.plan_code,
            "plan_verdict": self.plan_verdict,
            "plan_technology": self.plan_best.technology if self.plan_best else None,
            "plan_codes": list(self.plan_codes),
            "technologies": [entry.as_dict() for entry in self.technologies],
        }


def _plans_by_technology(plans):
    by_technology = {}
    for plan_code, technologies in (plans or {}).items():
        for technology in technologies or ():
            by_technology.setdefault(technology, []).append(plan_code)
    return {tech: tuple(sorted(codes)) for tech, codes in by_technology.items()}


def _technology_verdict(technology, elements, sold_here, plan_code, plans):
    if not elements:
        entry = TechnologyVerdict(technology, UNCOVERED, NO_ELEMENT, {})
    else:
        best = elements[0]
        candidate = best.candidate
        entry = TechnologyVerdict(
            technology=technology,
            verdict=best.verdict,
            explanation_code=best.code,
            explanation_params=best.params,
            node=candidate.node,
            node_name=candidate.name,
            distance_m=round(candidate.distance_m),
            free=candidate.free,
            available_date=candidate.available_date,
            plan_codes=sold_here if best.verdict in REACHING else (),
            elements=tuple(elements),
        )
    if plan_code is None:
        return entry
    sold = technology in ((plans or {}).get(plan_code) or ())
    notes = () if sold else ((PLAN_NOT_SOLD, {"plan": plan_code}),)
    return replace(entry, plan_sold=sold, notes=notes)


def assess(
    candidates,
    plans=None,
    plan_code=None,
    margin_percent=DEFAULT_MARGIN_PERCENT,
    technologies=None,
    has_network=True,
    technology_order=TECHNOLOGIES,
):
    """The :class:`Assessment` of a point.

    ``candidates``: the :class:`Candidate` footprints near the point (None
    when there is no point). ``plans``: ``{plan_code: technology codes}``.
    ``plan_code``: the chosen plan, if any. ``technologies``: the
    technologies to report even without a candidate (the company's), each
    then ``uncovered`` / ``no_element``. ``has_network``: False when the
    company has no active footprint at all (then everything is ``unknown``,
    as today).
    """
    if candidates is None or not has_network:
        code = NO_POINT if candidates is None else NO_NETWORK
        entries = tuple(
            TechnologyVerdict(tech, UNKNOWN, code, {}) for tech in technologies or ()
        )
        return Assessment(
            verdict=UNKNOWN,
            technology=None,
            best=None,
            technologies=entries,
            plan_code=plan_code,
            plan_verdict=UNKNOWN if plan_code else None,
        )
    by_technology = {tech: [] for tech in technologies or ()}
    for candidate in candidates:
        by_technology.setdefault(candidate.technology, []).append(
            judge(candidate, margin_percent)
        )
    sold = _plans_by_technology(plans)
    entries = []
    for technology, elements in by_technology.items():
        elements.sort(key=lambda element: element.sort_key(technology_order))
        entries.append(
            _technology_verdict(
                technology, elements, sold.get(technology, ()), plan_code, plans
            )
        )
    entries.sort(
        key=lambda entry: (
            RANK[entry.verdict],
            _tech_rank(entry.technology, technology_order),
            entry.distance_m if entry.distance_m is not None else float("inf"),
        )
    )
    best = entries[0] if entries else None
    plan_best = None
    if plan_code is not None:
        plan_best = next((entry for entry in entries if entry.plan_sold), None)
    plan_codes = sorted({code for entry in entries for code in entry.plan_codes})
    return Assessment(
        verdict=best.verdict if best else UNCOVERED,
        technology=best.technology if best else None,
        best=best,
        technologies=tuple(entries),
        plan_code=plan_code,
        plan_verdict=(plan_best.verdict if plan_best else UNCOVERED)
        if plan_code is not None
        else None,
        plan_best=plan_best,
        plan_codes=tuple(plan_codes),
    )


def reaching(candidates, margin_percent=DEFAULT_MARGIN_PERCENT, technology=None):
    """The elements that reach the point (covered or marginal), best first:
    those a seller may hold a slot on."""
    elements = [
        judge(candidate, margin_percent)
        for candidate in candidates
        if technology is None or candidate.technology == technology
    ]
    elements = [element for element in elements if element.verdict in REACHING]
    return sorted(elements, key=lambda element: element.sort_key())


def next_best(
    candidates, exclude, margin_percent=DEFAULT_MARGIN_PERCENT, technology=None
):
    """The best element other than ``exclude`` (a node key, or a set of them)
    that reaches the point and has a free slot: the one the refusal of a full
    element names. None when there is none (then propose a feasibility order).
    """
    excluded = (
        exclude if isinstance(exclude, (set, frozenset, list, tuple)) else {exclude}
    )
    for element in reaching(candidates, margin_percent, technology):
        candidate = element.candidate
        if candidate.node not in excluded and not candidate.full:
            return element
    return None


def check_plan(assessment, plan_code, plans):
    """The :class:`TechnologyVerdict` a plan would be sold on at the point,
    or a :class:`CoverageError`:

    * ``unknown_plan`` {plan}: not a plan of ``plans``;
    * ``plan_without_technology`` {plan}: a plan with no technology is sold
      nowhere;
    * ``plan_planned`` {plan, technology, month}: only a planned area of its
      technologies holds the point (the ticket joins the waiting list);
    * ``plan_not_offered`` {plan, technologies}: no footprint of its
      technologies reaches the point (a feasibility order may still be made,
      as for an uncovered point today).

    A marginal answer is returned, not refused: as today, the seller may go
    on and a feasibility visit decides.
    """
    if plan_code not in (plans or {}):
        raise CoverageError("unknown_plan", plan=plan_code)
    technologies = tuple(plans[plan_code] or ())
    if not technologies:
        raise CoverageError("plan_without_technology", plan=plan_code)
    offered = [
        entry
        for entry in assessment.technologies
        if entry.technology in technologies and entry.verdict in REACHING
    ]
    if offered:
        return offered[0]
    planned = [
        entry
        for entry in assessment.technologies
        if entry.technology in technologies and entry.verdict == PLANNED
    ]
    if planned:
        raise CoverageError(
            "plan_planned",
            plan=plan_code,
            technology=planned[0].technology,
            month=_month(planned[0].available_date),
        )
    raise CoverageError(
        "plan_not_offered", plan=plan_code, technologies=list(technologies)
    )


def public_answer(assessment):
    """``(code, params)`` for the public page and the intake, from the plan's
    verdict when a plan was chosen, else from the best: never an element's
    name nor a distance; the only param is the planned area's ``month``
    (``"2026-03"``, or None when the area has no date)."""
    if assessment.plan_code is not None:
        entry, verdict = assessment.plan_best, assessment.plan_verdict
    else:
        entry, verdict = assessment.best, assessment.verdict
    if verdict == COVERED:
        return PUBLIC_COVERED.get(entry.technology, PUBLIC_SERVICE), {}
    if verdict == PLANNED:
        return PUBLIC_PLANNED, {"month": _month(entry.available_date)}
    if verdict == UNCOVERED:
        return PUBLIC_NOT_YET, {}
    return PUBLIC_CHECK, {}
