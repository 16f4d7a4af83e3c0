#!/usr/bin/env python3
"""Micro-benchmark of the pure footprint rules (no database, no Odoo).

Usage::

    python3 tools/bench_footprint.py                 # 5,000 footprints
    python3 tools/bench_footprint.py --footprints 500 --points 200

It times the Python side of issue 18's figures (section 7), so that the model
engineer knows what is left of each budget for SQL and the ORM:

1. building the footprints: 4 in 5 circles and sectors (150 m - 3 km), 1 in
   5 polygons of 500 vertices, over 40 x 40 km around Rosario;
2. one point's verdict (budget: 5 ms): the candidates whose box meets the
   point's margin box (an STRtree here, the indexed SQL in the model: not
   timed), each measured by ``footprint.candidate`` and judged by
   ``coverage.assess``, the geometries already parsed (``GeometryCache``); and
   the same with every geometry parsed from its stored GeoJSON (a cold cache);
3. the recompute of one footprint's box (budget: 1 s with 10,000 prospects,
   commit included): ``footprint.measure_many`` over 10,000 points;
4. a 500-placemark KML import preview (budget: 10 s);
5. the whole-area map at zoom 11 (budget: 100 ms, 300 KB): every footprint
   simplified and rounded (``map_geojson``), and the union by technology
   that a map at that zoom can show instead.
"""

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests_pure"))
from conftest import load_isp_lib  # lib/ as isp_lib, without Odoo

load_isp_lib()
import numpy as np
import shapely

from isp_lib import coverage, footprint, geodesy
from isp_lib import footprint_import as fi

CENTRE = (-32.95, -60.65)
SPAN = 0.18  # degrees either side: about 40 x 40 km


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, (time.perf_counter() - start) * 1000.0


def random_point(rng):
    return (
        CENTRE[0] + rng.uniform(-SPAN, SPAN),
        CENTRE[1] + rng.uniform(-SPAN, SPAN),
    )


def rough_polygon(rng, lat, lon, radius, vertices=500):
    """A polygon as an RF tool draws one: a noisy circle."""
    angles = np.linspace(0, 360, vertices, endpoint=False)
    ranges = radius * (0.7 + 0.3 * np.abs(np.sin(np.radians(angles) * 3)))
    ranges *= 1 + 0.05 * np.array([rng.random() for _ in angles])
    lats, lons = geodesy.destination(lat, lon, angles, ranges)
    ring = list(zip(lons.tolist(), lats.tolist(), strict=True))
    ring.append(ring[0])
    return footprint.from_rings([[ring]]).geometry


def build_network(rng, count):
    network = []
    for index in range(count):
        lat, lon = random_point(rng)
        kind = index % 5
        if kind == 0:
            radius = rng.uniform(1000, 3000)
            geometry = rough_polygon(rng, lat, lon, radius)
            technology, reach = coverage.WIRELESS, footprint.nominal_reach_m(geometry)
        elif kind in (1, 2):
            radius = rng.uniform(1000, 3000)
            geometry = footprint.sector(lat, lon, rng.uniform(0, 360), 90, radius)
            technology, reach = coverage.WIRELESS, radius
        else:
            radius = rng.uniform(150, 300)
            geometry = footprint.drop_reach(lat, lon, radius)
            technology, reach = coverage.FTTH, radius
        network.append(
            {
                "id": index,
                "lat": lat,
                "lon": lon,
                "technology": technology,
                "geometry": geometry,
                "text": footprint.to_geojson_text(geometry),
                "reach": reach,
            }
        )
    return network


def verdict(network, index, lat, lon, margin_m, parse=False):
    candidates = []
    for position in index.query(
        shapely.box(
            lon - margin_m / 90_000,
            lat - margin_m / 110_000,
            lon + margin_m / 90_000,
            lat + margin_m / 110_000,
        )
    ):
        node = network[position]
        geometry = (
            footprint.Prepared(footprint.load_stored(node["text"]))
            if parse
            else node["prepared"]
        )
        candidates.append(
            footprint.candidate(
                geometry,
                lat,
                lon,
                node=node["id"],
                name=str(node["id"]),
                technology=node["technology"],
                node_lat=node["lat"],
                node_lon=node["lon"],
                reach_m=node["reach"],
                free=5,
                capacity=16,
            )
        )
    return coverage.assess(candidates, {"P": [coverage.FTTH]}), len(candidates)


def report(label, samples, budget=None):
    samples = sorted(samples)
    median = statistics.median(samples)
    p90 = samples[int(len(samples) * 0.9) - 1]
    tail = f"  (budget {budget})" if budget else ""
    print(f"{label:<48} median {median:8.2f} ms   p90 {p90:8.2f} ms{tail}")


def kml_of(network, count):
    placemarks = []
    for node in network[:count]:
        coords = (
            " ".join(f"{x:.6f},{y:.6f},0" for x, y in node["geometry"].exterior.coords)
            if node["geometry"].geom_type == "Polygon"
            else ""
        )
        placemarks.append(
            f"<Placemark><name>N{node['id']}</name><ExtendedData>"
            f'<Data name="tecnologia"><value>{node["technology"]}</value></Data>'
            f'<Data name="capacidad"><value>16</value></Data></ExtendedData>'
            f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{coords}"
            "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        + "".join(placemarks)
        + "</Document></kml>"
    ).encode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--footprints", type=int, default=5000)
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    network, ms = timed(build_network, rng, args.footprints)
    print(
        f"built {len(network)} footprints in {ms / 1000:.1f} s "
        f"({ms / len(network):.2f} ms each)"
    )
    index = shapely.STRtree([node["geometry"] for node in network])
    for node in network:
        node["prepared"] = footprint.Prepared(node["geometry"])
    margin_m = max(node["reach"] for node in network) * 0.2

    warm, cold, counts = [], [], []
    for _ in range(args.points):
        lat, lon = random_point(rng)
        (_result, count), ms = timed(verdict, network, index, lat, lon, margin_m)
        warm.append(ms)
        counts.append(count)
        _result, ms = timed(verdict, network, index, lat, lon, margin_m, parse=True)
        cold.append(ms)
    print(
        f"candidates per point: median {statistics.median(counts)}, max {max(counts)}"
    )
    report("one point's verdict, geometries cached", warm, "5 ms")
    report("one point's verdict, every geometry parsed", cold)

    polygon = next(node for node in network if node["id"] % 5 == 0)
    lats = polygon["lat"] + np.array([rng.uniform(-0.03, 0.03) for _ in range(10_000)])
    lons = polygon["lon"] + np.array([rng.uniform(-0.03, 0.03) for _ in range(10_000)])
    _m, ms = timed(footprint.measure_many, polygon["geometry"], lats, lons, 500)
    print(
        f"{'measure_many, 10,000 points, 500-vertex polygon':<48} {ms:8.1f} ms"
        "          (budget 1 s with SQL and commit)"
    )

    content = kml_of([n for n in network if n["id"] % 5 == 0], 500)
    preview, ms = timed(fi.parse, content, "bench.kml")
    label = f"import preview, {len(preview['features'])} placemarks of 500 vertices"
    print(f"{label:<48} {ms:8.1f} ms          (budget 10 s with the creation)")

    zoom = 11
    payload, ms = timed(
        lambda: [footprint.map_geojson(node["geometry"], zoom) for node in network]
    )
    size = len(json.dumps(payload, separators=(",", ":")))
    print(
        f"{'map, every footprint at zoom %d' % zoom:<48} {ms:8.1f} ms, "
        f"{size / 1024:7.0f} KB (budget 100 ms, 300 KB)"
    )

    def union_by_technology():
        return {
            technology: footprint.merge_for_map(
                [n["geometry"] for n in network if n["technology"] == technology],
                zoom,
            )
            for technology in coverage.TECHNOLOGIES
        }

    merged, ms = timed(union_by_technology)
    size = len(json.dumps(merged, separators=(",", ":")))
    print(
        f"{'map, union by technology at zoom %d' % zoom:<48} {ms:8.1f} ms, "
        f"{size / 1024:7.0f} KB (to compute on change, and cache)"
    )
    print(
        f"python {sys.version.split()[0]}, shapely {shapely.__version__}, "
        f"GEOS {shapely.geos_version_string}"
    )


if __name__ == "__main__":
    main()
