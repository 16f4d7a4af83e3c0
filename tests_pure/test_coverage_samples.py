"""The shipped Rosario samples end to end, as the models will wire them:
import -> footprints with their boxes -> the boxes' pre-filter (SQL's job) ->
one candidate per footprint (Shapely) -> the verdict by technology and plan.

The points and verdicts here are the ones the Odoo tests and the demo can
rely on (tests_pure/data/README.md lists them)."""

from pathlib import Path

import pytest
from geographiclib.geodesic import Geodesic

from isp_lib import capacity, coverage, footprint
from isp_lib import footprint_import as fi
from isp_lib.coverage import COVERED, FTTH, MARGINAL, PLANNED, UNCOVERED, WIRELESS

DATA = Path(__file__).resolve().parent / "data"
TOWER = (-32.8895, -60.6880)  # Torre Alberdi: Sector Norte and Sector Sur
NAP_12 = (-32.9440, -60.6545)
NAP_13 = (-32.9440, -60.6512)
DEFAULT_DROP_M = 150  # what the model gives a box without a drop reach
MARGIN = coverage.DEFAULT_MARGIN_PERCENT
PLANS = {"FIBRA300": [FTTH], "AIRE20": [WIRELESS], "HOGAR50": [FTTH, WIRELESS]}


def walk(lat, lon, azimuth, distance):
    end = Geodesic.WGS84.Direct(lat, lon, azimuth, distance)
    return end["lat2"], end["lon2"]


def load_network():
    """What the model stores per node: the feature, its footprint, the
    reach its margin is a percentage of, and the footprint's box."""
    nodes = []
    for name in (
        "rosario_wireless.kml",
        "rosario_fibre_boxes.geojson",
        "rosario_planned_area.geojson",
    ):
        for feature in fi.parse((DATA / name).read_bytes(), name)["features"]:
            geometry = feature["geometry"]
            if geometry is None:  # a box without its drop reach
                geometry = footprint.drop_reach(
                    feature["latitude"], feature["longitude"], DEFAULT_DROP_M
                )
            if feature["footprint_type"] == footprint.POLYGON:
                reach = footprint.nominal_reach_m(geometry)
            else:
                reach = feature["radius_m"] or DEFAULT_DROP_M
            shapely_prepared = footprint.load_stored(
                footprint.to_geojson_text(geometry)
            )
            nodes.append((feature, shapely_prepared, reach, footprint.bbox(geometry)))
    return nodes


NETWORK = load_network()


def check_point(lat, lon, plan=None, counters=None):
    """``isp.network.node.check_point`` in plain Python. ``counters``:
    ``{name: (Level, parent Level or None, parent name)}``."""
    counters = counters or {}
    largest = max(reach for _f, _g, reach, _b in NETWORK) * MARGIN / 100
    box = coverage.bounding_box(lat, lon, largest * 1.01 + 1)
    candidates = []
    for feature, geometry, reach, stored_box in NETWORK:
        if not footprint.bbox_overlaps(stored_box, box):
            continue  # what the indexed SQL pre-filter leaves out
        own, parent, parent_name = counters.get(
            feature["name"], (capacity.Level(feature["capacity"] or 0, 0, 0), None, "")
        )
        free = capacity.effective_free(own, parent)
        candidates.append(
            footprint.candidate(
                geometry,
                lat,
                lon,
                node=feature["name"],
                name=feature["name"],
                technology=feature["technology"],
                node_lat=feature["latitude"],
                node_lon=feature["longitude"],
                reach_m=reach,
                footprint_type=feature["footprint_type"] or footprint.CIRCLE,
                node_type=feature["node_type"] or "",
                capacity=own.capacity,
                used=own.used,
                held=own.held,
                free=free.free,
                limited_by=free.limited_by,
                parent_name=parent_name,
                area_state=feature["area_state"] or coverage.AVAILABLE,
                available_date=feature["available_date"],
            )
        )
    return coverage.assess(
        candidates,
        PLANS,
        plan_code=plan,
        margin_percent=MARGIN,
        technologies=[FTTH, WIRELESS],
    )


def entry(result, technology):
    return next(e for e in result.technologies if e.technology == technology)


def test_the_prefilter_keeps_few_candidates():
    result = check_point(*walk(*NAP_12, 270, 140))
    names = {c.candidate.name for e in result.technologies for c in e.elements}
    assert "NAP-12" in names
    # the boxes around, not the sectors kilometres away
    assert not names & {"Sector Norte", "Sector Sur", "Sector Oeste (RF)"}


def test_fibre_box_within_drop_reach():
    result = check_point(*walk(*NAP_12, 270, 140))
    fibre = entry(result, FTTH)
    assert (fibre.verdict, fibre.node, fibre.distance_m) == (COVERED, "NAP-12", 140)
    assert fibre.free == 16
    assert entry(result, WIRELESS).verdict == UNCOVERED
    assert (result.verdict, result.technology) == (COVERED, FTTH)
    assert coverage.public_answer(result) == ("fibre_here", {})
    assert coverage.check_plan(result, "FIBRA300", PLANS).node == "NAP-12"


def test_beyond_drop_reach():
    near = entry(check_point(*walk(*NAP_13, 90, 170)), FTTH)
    assert (near.verdict, near.explanation_code) == (MARGINAL, coverage.NEAR_EDGE)
    far = check_point(*walk(*NAP_13, 90, 200))
    assert entry(far, FTTH).verdict == UNCOVERED
    assert entry(far, FTTH).node == "NAP-13"
    assert coverage.public_answer(far) == ("not_yet", {})


def test_a_full_box_and_a_full_pon_port():
    point = walk(*NAP_12, 270, 140)
    full = {"NAP-12": (capacity.Level(16, 14, 2), None, "")}
    fibre = entry(check_point(*point, counters=full), FTTH)
    assert (fibre.verdict, fibre.explanation_code) == (MARGINAL, coverage.FULL)
    assert fibre.explanation_params["taken"] == 16
    port_full = {
        "NAP-12": (capacity.Level(16, 3, 0), capacity.Level(64, 62, 2), "PON 1/1/3")
    }
    fibre = entry(check_point(*point, counters=port_full), FTTH)
    assert fibre.explanation_code == coverage.FULL
    assert fibre.explanation_params["limited_by"] == "parent"
    assert fibre.explanation_params["parent"] == "PON 1/1/3"


def test_inside_sector_norte():
    result = check_point(*walk(*TOWER, 20, 1000))
    wireless = entry(result, WIRELESS)
    assert (wireless.verdict, wireless.node) == (COVERED, "Sector Norte")
    # the polygon came without its tower: the node stands on its anchor, and
    # the distance shown is to it
    norte = next(f for f, *_rest in NETWORK if f["name"] == "Sector Norte")
    assert norte["point_source"] == "anchor"
    point = walk(*TOWER, 20, 1000)
    assert wireless.distance_m == round(
        footprint.distance_m(*point, norte["latitude"], norte["longitude"])
    )
    assert coverage.public_answer(result) == ("wireless_here", {})
    # the fibre plan is not sold by air
    result = check_point(*walk(*TOWER, 20, 1000), plan="FIBRA300")
    assert result.plan_verdict == UNCOVERED
    assert entry(result, WIRELESS).notes == (
        (coverage.PLAN_NOT_SOLD, {"plan": "FIBRA300"}),
    )
    assert coverage.public_answer(result) == ("not_yet", {})
    with pytest.raises(coverage.CoverageError) as info:
        coverage.check_plan(result, "FIBRA300", PLANS)
    assert info.value.code == "plan_not_offered"


def test_behind_the_sectors():
    wireless = entry(check_point(*walk(*TOWER, 290, 1000)), WIRELESS)
    assert wireless.verdict == UNCOVERED


def test_behind_the_hill_of_sector_norte():
    # the RF polygon stops at 2.4 km on its eastern half
    assert entry(check_point(*walk(*TOWER, 50, 2300)), WIRELESS).verdict == COVERED
    assert entry(check_point(*walk(*TOWER, 50, 2500)), WIRELESS).verdict == MARGINAL
    assert entry(check_point(*walk(*TOWER, 50, 2800)), WIRELESS).verdict == UNCOVERED
    # while its western half reaches 3 km
    assert entry(check_point(*walk(*TOWER, 0, 2800)), WIRELESS).verdict == COVERED


def test_sector_sur_from_its_parameters():
    wireless = entry(check_point(*walk(*TOWER, 180, 1500)), WIRELESS)
    assert (wireless.verdict, wireless.node) == (COVERED, "Sector Sur")
    assert wireless.explanation_params["footprint_type"] == footprint.SECTOR


def test_sector_oeste_and_its_gated_neighbourhood():
    assert entry(check_point(-32.94, -60.72), WIRELESS).verdict == COVERED
    hole = entry(check_point(-32.929, -60.738), WIRELESS)
    assert hole.verdict == UNCOVERED
    assert hole.explanation_params["excluded"] is True


def test_the_planned_area():
    result = check_point(-32.952, -60.672)
    fibre = entry(result, FTTH)
    assert (fibre.verdict, fibre.node) == (PLANNED, "Echesortu (planificada)")
    assert fibre.explanation_params["month"] == "2026-03"
    assert result.verdict == PLANNED
    assert coverage.public_answer(result) == ("coming_soon", {"month": "2026-03"})
    with pytest.raises(coverage.CoverageError) as info:
        coverage.check_plan(result, "FIBRA300", PLANS)
    assert info.value.code == "plan_planned"


def test_far_from_everything():
    result = check_point(-32.99, -60.60)
    assert result.verdict == UNCOVERED
    assert [e.explanation_code for e in result.technologies] == [
        coverage.NO_ELEMENT,
        coverage.NO_ELEMENT,
    ]
