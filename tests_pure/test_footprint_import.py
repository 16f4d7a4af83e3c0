"""KML, KMZ and GeoJSON imports: the shipped samples, the mapping, the bad
files, and the export that imports back the same."""

import base64
import io
import json
import struct
import zipfile
from pathlib import Path

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from isp_lib import coverage, footprint
from isp_lib import footprint_import as fi
from isp_lib.footprint import FootprintError
from isp_lib.footprint_import import ImportFileError

DATA = Path(__file__).resolve().parent / "data"
ARGENTINA = (-55.1, -73.6, -21.7, -53.6)
TOWER = (-32.8895, -60.6880)  # Torre Alberdi


def sample(name, **kwargs):
    return fi.parse((DATA / name).read_bytes(), name, **kwargs)


def by_name(preview):
    return {feature["name"]: feature for feature in preview["features"]}


def file_error(content, filename, **kwargs):
    with pytest.raises(ImportFileError) as info:
        fi.parse(content, filename, **kwargs)
    return info.value


def kml(*placemarks, extra=""):
    body = "".join(placemarks)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<kml xmlns="http://www.opengis.net/kml/2.2">{extra}<Document>{body}'
        "</Document></kml>"
    ).encode()


def point_placemark(name, lon=-60.65, lat=-32.95, data=""):
    return (
        f"<Placemark><name>{name}</name><ExtendedData>{data}</ExtendedData>"
        f"<Point><coordinates>{lon},{lat},0</coordinates></Point></Placemark>"
    )


def feature_collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def point_feature(properties, lon=-60.65, lat=-32.95):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def kmz(entries, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


# ------------------------------------------------------------
# the shipped samples
# ------------------------------------------------------------


def test_wireless_kml():
    preview = sample("rosario_wireless.kml")
    assert preview["format"] == "kml"
    assert preview["errors"] == []
    assert preview["counts"] == {
        "found": 3,
        "features": 3,
        "errors": 0,
        "polygons": 3,
        "points": 0,
    }
    features = by_name(preview)

    norte = features["Sector Norte"]
    assert norte["external_id"] == "sector-norte"
    assert norte["folder"] == "Red Rosario - inalámbrico / Inalámbrico"
    assert (norte["technology"], norte["capacity"]) == (coverage.WIRELESS, 64)
    assert norte["node_type"] == "access_point"
    assert norte["footprint_type"] == footprint.POLYGON
    assert norte["point_source"] == "anchor"
    assert footprint.contains(norte["geometry"], norte["latitude"], norte["longitude"])

    sur = features["Sector Sur"]  # a point with sector parameters
    assert sur["footprint_type"] == footprint.SECTOR
    assert (sur["azimuth"], sur["beamwidth"], sur["radius_m"]) == (180, 120, 2500)
    assert (sur["latitude"], sur["longitude"]) == TOWER
    assert sur["point_source"] == "file"
    assert sur["technology"] == coverage.WIRELESS  # "Inalámbrico" in "Tecnología"
    assert sur["geometry"].equals(footprint.sector(*TOWER, 180, 120, 2500))

    oeste = features["Sector Oeste (RF)"]  # MultiGeometry, description table
    assert (oeste["latitude"], oeste["longitude"]) == (-32.929, -60.725)
    assert (oeste["technology"], oeste["capacity"]) == (coverage.WIRELESS, 32)
    assert "Excluye el barrio cerrado & la cancha" in oeste["description"]
    assert "<" not in oeste["description"]
    assert footprint.contains(oeste["geometry"], -32.94, -60.72)
    assert not footprint.contains(oeste["geometry"], -32.929, -60.738)  # the hole


def test_kmz_is_its_doc_kml():
    from_kml = sample("rosario_wireless.kml")
    from_kmz = sample("rosario_wireless.kmz")
    assert from_kmz["format"] == "kmz"
    assert fi.export_geojson(from_kmz["features"]) == fi.export_geojson(
        from_kml["features"]
    )


def test_fibre_boxes_geojson():
    preview = sample("rosario_fibre_boxes.geojson")
    assert preview["errors"] == []
    features = by_name(preview)
    assert sorted(features) == [f"NAP-1{i}" for i in range(6)]
    nap = features["NAP-12"]
    assert nap["footprint_type"] == footprint.CIRCLE
    assert nap["radius_m"] == 150
    assert (nap["technology"], nap["capacity"], nap["node_type"]) == ("ftth", 16, "nap")
    assert (nap["parent"], nap["external_id"]) == ("PON 1/1/3", "nap-12")
    assert nap["geometry"].equals(footprint.drop_reach(-32.9440, -60.6545, 150))
    # a box without its drop reach: a node without footprint
    bare = features["NAP-15"]
    assert bare["geometry"] is None and bare["footprint_type"] is None
    assert (bare["latitude"], bare["longitude"]) == (-32.9462, -60.6528)


def test_planned_area_geojson():
    [area] = sample("rosario_planned_area.geojson")["features"]
    assert area["name"] == "Echesortu (planificada)"
    assert area["technology"] == coverage.FTTH
    assert area["area_state"] == coverage.AREA_PLANNED
    assert area["available_date"] == "2026-03-01"
    assert area["external_id"] == "echesortu"
    assert footprint.contains(area["geometry"], -32.952, -60.672)


def test_mixed_kml_lists_every_refused_placemark():
    preview = sample("mixed.kml")
    assert [f["name"] for f in preview["features"]] == ["NAP-20"]
    assert preview["features"][0]["capacity"] == 16  # "16 puertos"
    assert preview["features"][0]["technology"] == coverage.FTTH  # "fibra"
    assert [(e["index"], e["name"], e["code"]) for e in preview["errors"]] == [
        (1, "Troncal Oroño", "no_geometry"),
        (2, "Caja rota", "bad_coordinates"),
        (3, "Torre del puerto", "unknown_technology"),
    ]
    assert preview["errors"][2]["params"]["value"] == "satelital"
    # a technology the company added is accepted
    extended = sample("mixed.kml", technologies=["satelital"])
    assert by_name(extended)["Torre del puerto"]["technology"] == "satelital"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("malformed.kml", "malformed_kml"),
        ("empty.kml", "no_features"),
        ("xxe.kml", "kml_doctype"),
        ("malformed.geojson", "malformed_geojson"),
        ("not_a_zip.kmz", "malformed_kmz"),
    ],
)
def test_bad_sample_files(name, code):
    assert file_error((DATA / name).read_bytes(), name).code == code


def test_bad_sample_features():
    [error] = sample("antimeridian.geojson")["errors"]
    assert (error["name"], error["code"]) == ("Taveuni", "crosses_antimeridian")
    [bowtie] = sample("bowtie.geojson")["features"]
    assert [code for code, _p in bowtie["warnings"]] == ["repaired"]
    # swapped: only the company's region tells (see test_footprint)
    assert sample("swapped.geojson")["errors"] == []
    [error] = sample("swapped.geojson", region=ARGENTINA)["errors"]
    assert error["code"] == "swapped_coordinates"


# ------------------------------------------------------------
# KML details
# ------------------------------------------------------------


def test_the_hardened_parser_resolves_no_entity_even_past_the_doctype_check():
    content = (DATA / "xxe.kml").read_bytes()
    from lxml import etree

    root = etree.fromstring(content, fi._kml_parser())
    assert "root:" not in "".join(root.itertext())


def test_a_doctype_after_a_comment_is_refused():
    content = (
        b'<?xml version="1.0"?><!-- a comment -->'
        b'<!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&b;</name>'
        b"<Point><coordinates>-60.65,-32.95</coordinates></Point></Placemark></kml>"
    )
    assert file_error(content, "laughs.kml").code == "kml_doctype"


def test_an_undeclared_entity_is_malformed():
    content = kml(point_placemark("&secret;"))
    assert file_error(content, "x.kml").code == "malformed_kml"


def test_not_kml():
    assert file_error(b"<html><body/></html>", "x.kml").code == "not_kml"


def test_old_google_namespace_and_no_namespace():
    for xmlns in ('xmlns="http://earth.google.com/kml/2.1"', ""):
        content = (
            f"<kml {xmlns}><Document>{point_placemark('NAP-1')}</Document></kml>"
        ).encode()
        assert [f["name"] for f in fi.parse(content, "x.kml")["features"]] == ["NAP-1"]


def test_technology_from_folders():
    content = kml(
        "<Folder><name>Red</name><Folder><name>Fibra - Centro</name>"
        + point_placemark("NAP-1")
        + "</Folder></Folder>"
    )
    [feature] = fi.parse(content, "x.kml")["features"]
    assert feature["folder"] == "Red / Fibra - Centro"
    assert feature["technology"] == coverage.FTTH


def test_description_lines_are_properties():
    placemark = (
        "<Placemark><name>NAP-7</name><description>tecnologia: ftth&lt;br&gt;"
        "capacidad = 8</description>"
        "<Point><coordinates>-60.65,-32.95</coordinates></Point></Placemark>"
    )
    [feature] = fi.parse(kml(placemark), "x.kml")["features"]
    assert (feature["technology"], feature["capacity"]) == ("ftth", 8)


def test_extended_data_wins_over_the_description():
    placemark = (
        "<Placemark><name>NAP-7</name><description>capacidad: 8</description>"
        '<ExtendedData><Data name="capacidad"><value>16</value></Data></ExtendedData>'
        "<Point><coordinates>-60.65,-32.95</coordinates></Point></Placemark>"
    )
    [feature] = fi.parse(kml(placemark), "x.kml")["features"]
    assert feature["capacity"] == 16


def test_lines_are_ignored_beside_a_shape():
    placemark = (
        "<Placemark><name>NAP-7</name><MultiGeometry>"
        "<Point><coordinates>-60.65,-32.95</coordinates></Point>"
        "<LineString><coordinates>-60.65,-32.95 -60.64,-32.95</coordinates>"
        "</LineString></MultiGeometry></Placemark>"
    )
    [feature] = fi.parse(kml(placemark), "x.kml")["features"]
    assert feature["warnings"] == [("shapes_ignored", {"types": ["LineString"]})]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-60.65,-32.95,0 -60.64,-32.95,0", [[-60.65, -32.95], [-60.64, -32.95]]),
        ("-60.65,-32.95\n\t-60.64,-32.95", [[-60.65, -32.95], [-60.64, -32.95]]),
        ("-60.65,-32.95 -60.64,-32.95,12", [[-60.65, -32.95], [-60.64, -32.95]]),
        ("", []),
    ],
)
def test_kml_coordinates(text, expected):
    from lxml import etree

    element = etree.fromstring(f"<coordinates>{text}</coordinates>")
    assert fi._coordinates(element, "x") == expected


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("-60.65,-32.95 -60.64;-32.95", "-60.64;-32.95"),
        ("-60.65,-32.95 nan,-32.95", "nan,-32.95"),
        ("-60.65,-32.95,0,1", "-60.65,-32.95,0,1"),
        ("-60.65,-32.95 1e999,0", "1e999,0"),
    ],
)
def test_bad_kml_coordinates(text, bad):
    from lxml import etree

    element = etree.fromstring(f"<coordinates>{text}</coordinates>")
    with pytest.raises(FootprintError) as info:
        fi._coordinates(element, "x")
    assert (info.value.code, info.value.params["value"]) == ("bad_coordinates", bad)


def test_a_polygon_without_outer_ring():
    placemark = "<Placemark><name>P</name><Polygon></Polygon></Placemark>"
    [error] = fi.parse(kml(placemark), "x.kml")["errors"]
    assert error["code"] == "bad_polygon"


# ------------------------------------------------------------
# KMZ and zip bombs
# ------------------------------------------------------------


def test_kmz_picks_doc_kml_then_the_first_kml_at_the_root():
    good = kml(point_placemark("Bien"))
    other = kml(point_placemark("Otro"))
    content = kmz([("files/extra.kml", other), ("doc.kml", good)])
    assert fi.read_kmz(content) == good
    content = kmz([("sub/doc.kml", other), ("red.kml", good)])
    assert fi.read_kmz(content) == good
    assert file_error(kmz([("a.png", b"x")]), "x.kmz").code == "kmz_without_kml"


def test_kmz_with_too_many_entries():
    entries = [(f"files/{i}.png", b"x") for i in range(101)]
    assert file_error(kmz(entries), "x.kmz").code == "kmz_too_many_entries"


def no_expansion(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("the zip was expanded")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=1, max_value=50_000))
def test_a_zip_bomb_is_refused_before_it_is_expanded(excess):
    limits = fi.Limits(kml_bytes=100_000)
    content = kmz([("doc.kml", b" " * (limits.kml_bytes + excess))])
    with pytest.MonkeyPatch.context() as patch:
        no_expansion(patch)
        with pytest.raises(ImportFileError) as info:
            fi.parse(content, "bomb.kmz", limits=limits)
    assert info.value.code == "zip_bomb"
    assert info.value.params["reason"] == "size"


def test_a_zip_bomb_by_ratio(monkeypatch):
    content = kmz([("doc.kml", b"\0" * 3_000_000)])  # about 1000:1
    assert len(content) < 10_000
    no_expansion(monkeypatch)
    error = file_error(content, "bomb.kmz")
    assert (error.code, error.params["reason"]) == ("zip_bomb", "ratio")


def lie_about_size(content, declared):
    """The zip with its entry's uncompressed size rewritten, in the local
    header and in the central directory."""
    data = bytearray(content)
    local = data.find(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, declared)
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, declared)
    return bytes(data)


def test_a_zip_that_lies_about_its_size_is_stopped():
    limits = fi.Limits(kml_bytes=100_000)
    honest = kmz([("doc.kml", b" " * 1_000_000)])
    error = file_error(lie_about_size(honest, 1000), "liar.kmz", limits=limits)
    # zipfile stops at the declared size and finds a bad CRC: either way, at
    # most kml_bytes were ever expanded
    assert error.code in ("zip_bomb", "malformed_kmz")


def test_an_encrypted_kmz():
    content = bytearray(kmz([("doc.kml", kml(point_placemark("X")))]))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = content.find(signature)
        content[at + offset] |= 0x1
    error = file_error(bytes(content), "x.kmz")
    assert (error.code, error.params["reason"]) == ("malformed_kmz", "encrypted")


# ------------------------------------------------------------
# files and uploads
# ------------------------------------------------------------


def test_formats_from_the_file_name():
    assert fi.file_format("Red.KMZ") == "kmz"
    assert fi.file_format("cajas.JSON") == "geojson"
    assert file_error(b"x", "red.shp").code == "unknown_format"
    assert file_error(b"x", None).code == "unknown_format"


def test_upload_limits():
    limits = fi.Limits(upload_bytes=1000)
    content = kml(point_placemark("x" * 2000))
    error = file_error(content, "big.kml", limits=limits)
    assert (error.code, error.params["max"]) == ("file_too_large", 1000)
    assert file_error(b"  \n", "x.geojson").code == "empty_file"
    assert file_error("text", "x.kml").code == "bad_upload"


def test_decode_upload():
    content = kml(point_placemark("NAP-1"))
    assert fi.decode_upload(base64.b64encode(content).decode()) == content
    with pytest.raises(ImportFileError) as info:
        fi.decode_upload("not base64 !!")
    assert info.value.code == "bad_upload"
    with pytest.raises(ImportFileError) as info:
        fi.decode_upload(base64.b64encode(content), fi.Limits(upload_bytes=10))
    assert info.value.code == "file_too_large"


def test_too_many_features():
    limits = fi.Limits(features=2)
    placemarks = [point_placemark(f"NAP-{i}") for i in range(3)]
    assert file_error(kml(*placemarks), "x.kml", limits=limits).code == (
        "too_many_features"
    )
    features = [point_feature({"name": f"NAP-{i}"}) for i in range(3)]
    assert file_error(
        feature_collection(*features).encode(), "x.geojson", limits=limits
    ).code == ("too_many_features")


# ------------------------------------------------------------
# GeoJSON details
# ------------------------------------------------------------


def test_column_mapping():
    content = feature_collection(
        point_feature({"Nodo": "Caja 3", "Tec": "GPON", "Bocas": "8", "name": "x"})
    ).encode()
    [feature] = fi.parse(
        content,
        "x.geojson",
        mapping={"name": "Nodo", "technology": "Tec", "capacity": "Bocas"},
    )["features"]
    assert (feature["name"], feature["technology"], feature["capacity"]) == (
        "Caja 3",
        coverage.FTTH,
        8,
    )
    assert file_error(content, "x.geojson", mapping={"colour": "x"}).code == (
        "unknown_mapping"
    )


def test_default_columns_ignore_case_and_accents():
    content = feature_collection(
        point_feature({"NOMBRE": "Caja 4", "Tecnología": "Fibra", "Capacidad": 16.0})
    ).encode()
    [feature] = fi.parse(content, "x.geojson")["features"]
    assert (feature["name"], feature["technology"], feature["capacity"]) == (
        "Caja 4",
        coverage.FTTH,
        16,
    )


@pytest.mark.parametrize(
    ("properties", "code"),
    [
        ({"capacity": -1}, "bad_capacity"),
        ({"capacity": "muchos"}, "bad_capacity"),
        ({"capacity": True}, "bad_capacity"),
        ({"fecha": "2026-13"}, "bad_date"),
        ({"fecha": "pronto"}, "bad_date"),
        ({"estado": "quizás"}, "unknown_area_state"),
        ({"radius": "lejos"}, "bad_number"),
        ({"radius": 500, "beamwidth": 400}, "bad_beamwidth"),
        ({"radius": 500, "azimuth": 0, "beamwidth": 0}, "bad_beamwidth"),
        ({"radius": 0}, "bad_radius"),
    ],
)
def test_bad_property_values(properties, code):
    content = feature_collection(point_feature({"name": "N", **properties}))
    [error] = fi.parse(content.encode(), "x.geojson")["errors"]
    assert error["code"] == code


def test_values_people_write():
    content = feature_collection(
        point_feature({"name": "N", "fecha": "03/2026", "estado": "En construcción"}),
        point_feature({"name": "M", "alcance": "1,5 km", "capacidad": "16 puertos"}),
    )
    first, second = fi.parse(content.encode(), "x.geojson")["features"]
    assert first["available_date"] == "2026-03-01"
    assert first["area_state"] == coverage.BUILDING
    assert (second["radius_m"], second["capacity"]) == (1500, 16)


def test_names_are_cleaned_and_given():
    content = feature_collection(
        point_feature({"name": "NAP\u202e-12\x00"}),
        point_feature({"name": "N" * 300}),
        point_feature({}),
    )
    first, second, third = fi.parse(content.encode(), "cajas.geojson")["features"]
    assert first["name"] == "NAP-12"
    assert len(second["name"]) == fi.MAX_NAME
    assert second["warnings"] == [("name_truncated", {"max": fi.MAX_NAME})]
    assert third["name"] == "cajas 3"
    assert third["warnings"] == [("name_from_file", {"name": "cajas 3"})]


def test_nested_properties_are_kept_as_json_text():
    content = feature_collection(
        point_feature({"name": "N", "puertos": {"libres": 3}, "extra": [1, 2]})
    )
    [feature] = (
        fi.parse(content.encode(), "x.geojson")["errors"]
        or fi.parse(content.encode(), "x.geojson")["features"]
    )
    # "puertos" maps to capacity: a dict is no capacity
    assert feature.get("code") == "bad_capacity"
    content = feature_collection(point_feature({"name": "N", "extra": {"a": [1, 2]}}))
    [feature] = fi.parse(content.encode(), "x.geojson")["features"]
    assert feature["properties"]["extra"] == '{"a": [1, 2]}'


def test_a_bare_geometry_and_a_single_feature():
    polygon = {
        "type": "Polygon",
        "coordinates": [
            [[-60.66, -32.96], [-60.64, -32.96], [-60.64, -32.94], [-60.66, -32.96]]
        ],
    }
    [feature] = fi.parse(json.dumps(polygon).encode(), "zona.json")["features"]
    assert feature["name"] == "zona 1" and feature["point_source"] == "anchor"
    single = {"type": "Feature", "geometry": polygon, "properties": {"name": "Z"}}
    [feature] = fi.parse(json.dumps(single).encode(), "z.geojson")["features"]
    assert feature["name"] == "Z"


def test_a_geometry_collection_is_a_multigeometry():
    ring = [[-60.66, -32.96], [-60.64, -32.96], [-60.64, -32.94], [-60.66, -32.96]]
    feature = {
        "type": "Feature",
        "properties": {"name": "AP"},
        "geometry": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Point", "coordinates": [-60.65, -32.955]},
                {"type": "Polygon", "coordinates": [ring]},
            ],
        },
    }
    [result] = fi.parse(json.dumps(feature).encode(), "x.geojson")["features"]
    assert (result["latitude"], result["longitude"]) == (-32.955, -60.65)
    assert result["footprint_type"] == footprint.POLYGON


@pytest.mark.parametrize(
    ("feature", "code"),
    [
        ({"type": "Feature", "geometry": None, "properties": {}}, "no_geometry"),
        (
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
                "properties": {},
            },
            "no_geometry",
        ),
        ({"type": "Nope"}, "malformed_feature"),
        ({"type": "Feature", "properties": [1]}, "malformed_feature"),
        (
            {"type": "Feature", "geometry": {"type": "Circle"}, "properties": {}},
            "bad_geojson",
        ),
        (
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [200, 100]},
                "properties": {},
            },
            "coordinates_out_of_range",
        ),
    ],
)
def test_bad_geojson_features(feature, code):
    content = json.dumps({"type": "FeatureCollection", "features": [feature]})
    [error] = fi.parse(content.encode(), "x.geojson")["errors"]
    assert error["code"] == code


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b'{"type": "FeatureCollection"}', "malformed_geojson"),
        (b'{"type": "Topology"}', "malformed_geojson"),
        (b"[1, 2]", "malformed_geojson"),
        (b'{"type": "FeatureCollection", "features": []}', "no_features"),
        (b'{"type": "Point", "coordinates": [NaN, 0]}', "malformed_geojson"),
        (b"[" * 50_000 + b"]" * 50_000, "malformed_geojson"),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [],
                    "crs": {
                        "type": "name",
                        "properties": {"name": "urn:ogc:def:crs:EPSG::3857"},
                    },
                }
            ).encode(),
            "unsupported_crs",
        ),
    ],
)
def test_bad_geojson_files(content, code):
    assert file_error(content, "x.geojson").code == code


def test_wgs84_crs_is_accepted():
    content = {
        "type": "FeatureCollection",
        "crs": {
            "type": "name",
            "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"},
        },
        "features": [point_feature({"name": "N"})],
    }
    assert fi.parse(json.dumps(content).encode(), "x.geojson")["errors"] == []


# ------------------------------------------------------------
# export
# ------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "rosario_wireless.kml",
        "rosario_fibre_boxes.geojson",
        "rosario_planned_area.geojson",
    ],
)
def test_export_then_import_gives_the_same_features(name):
    first = fi.export_geojson(sample(name)["features"])
    text = json.dumps(first)
    again = fi.parse(text.encode(), "export.geojson")
    assert again["errors"] == []
    assert fi.export_geojson(again["features"]) == first
    features = {f["properties"]["name"]: f for f in first["features"]}
    for feature in again["features"]:
        exported = features[feature["name"]]["properties"]
        assert feature["footprint_type"] == exported.get("footprint_type")
        assert feature["technology"] == exported.get("technology")


def test_export_shape():
    [area] = sample("rosario_planned_area.geojson")["features"]
    collection = fi.export_geojson([area])
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["id"] == "echesortu"
    assert feature["geometry"]["type"] == "Polygon"
    properties = feature["properties"]
    assert properties["name"] == "Echesortu (planificada)"
    assert properties["technology"] == "ftth"
    assert properties["area_state"] == "planned"
    assert properties["available_date"] == "2026-03-01"
    assert properties["descripcion"].startswith("Tendido")
    # the raw spellings the import read are not exported twice
    assert "nombre" not in properties and "tecnologia" not in properties


# text as the import keeps it (clean_text: plain spaces, no control
# characters, trimmed), from an explicit alphabet: st.characters() over all
# of Unicode makes Hypothesis build its character table first, seconds on a
# fresh checkout (a failed health check in CI)
names = st.text(
    alphabet="ABCDEFGHIJKLMNÑOPQRSTUVWXYZáéíóúüñ abcdefghijklmnopqrstuvwxyz"
    "0123456789-/().,&'\"«»¿?¡!€",
    min_size=1,
    max_size=40,
).map(str.strip)


@st.composite
def features(draw):
    lat = draw(st.floats(min_value=-40, max_value=-25))
    lon = draw(st.floats(min_value=-70, max_value=-55))
    kind = draw(st.sampled_from(["circle", "sector", "point", "polygon"]))
    radius = draw(st.integers(min_value=50, max_value=5000))
    azimuth = draw(st.integers(min_value=0, max_value=359))
    beamwidth = draw(st.integers(min_value=10, max_value=300))
    geometry, footprint_type = None, None
    if kind == "circle":
        geometry, footprint_type = footprint.circle(lat, lon, radius), "circle"
    elif kind == "sector":
        geometry = footprint.sector(lat, lon, azimuth, beamwidth, radius)
        footprint_type = "sector"
    elif kind == "polygon":
        geometry = footprint.circle(lat, lon, radius).envelope
        footprint_type = "polygon"
    name = draw(names)
    return {
        "name": name or "N",
        "external_id": draw(
            st.none() | st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True)
        ),
        "footprint_type": footprint_type,
        "geometry": geometry,
        "latitude": lat,
        "longitude": lon,
        "radius_m": radius if kind in ("circle", "sector") else None,
        "azimuth": azimuth if kind == "sector" else None,
        "beamwidth": beamwidth if kind == "sector" else None,
        "technology": draw(st.sampled_from([None, *coverage.TECHNOLOGIES])),
        "capacity": draw(st.none() | st.integers(min_value=0, max_value=1024)),
        "area_state": draw(st.sampled_from([None, *coverage.AREA_STATES])),
        "available_date": draw(st.none() | st.just("2026-03-01")),
        "node_type": draw(st.sampled_from([None, "tower", "nap", "olt"])),
        "parent": draw(st.none() | st.just("PON 1/1/3")),
        "properties": {"nota": draw(names)},
    }


@settings(max_examples=40, deadline=None)
@given(st.lists(features(), min_size=1, max_size=4))
def test_an_exported_then_imported_geojson_is_equal(items):
    exported = fi.export_geojson(items)
    again = fi.parse(json.dumps(exported).encode(), "export.geojson")
    assert again["errors"] == []
    assert fi.export_geojson(again["features"]) == exported
    for item, feature in zip(items, again["features"], strict=True):
        for field in ("footprint_type", "technology", "capacity", "area_state"):
            assert feature[field] == item[field]
        if item["geometry"] is not None:
            assert (
                shapely.hausdorff_distance(feature["geometry"], item["geometry"]) < 1e-6
            )


def test_parse_errors_are_footprint_errors():
    """One ``except FootprintError`` catches the file's errors too."""
    assert issubclass(ImportFileError, FootprintError)
