"""Footprints from KML, KMZ and GeoJSON files: a preview that creates nothing.

:func:`parse` reads an uploaded file into a :data:`Preview` -- the features it
found, each a plain dict (see :func:`parse`), and the features it refused,
with their error codes -- and the model creates or updates the nodes from it
(or, in a dry run, shows it). A file the reader cannot read at all raises
:class:`ImportFileError`, a ``RuleError`` with a code and params.

Safety. The upload is refused past ``Limits.upload_bytes`` before anything
is decoded. KML goes through lxml with a parser that resolves no entity,
opens no network and refuses huge trees, and a KML with a DOCTYPE is refused
outright (KML never needs one: it is how XXE and "billion laughs" come in).
A KMZ is a zip read in memory, never extracted to disk: too many entries, a
KML entry whose declared size passes ``Limits.kml_bytes`` or whose declared
ratio passes ``Limits.ratio`` is refused before it is expanded, and the
expansion itself stops at ``Limits.kml_bytes`` whatever the header says.
GeoJSON is refused past the upload size, with NaN/Infinity, or nested deeper
than the JSON parser can follow.

Properties. Each feature's node name, technology, capacity, area state,
expected date, radius, azimuth, beamwidth, node type, parent and reference
come from a property named by ``mapping`` (``{"capacity": "Puertos"}``) or
else by the first of :data:`DEFAULT_COLUMNS` found; keys compare without
case, accents, spaces or punctuation ("Tecnología" is "tecnologia"). In KML,
properties are ExtendedData (``Data/value`` and ``SchemaData/SimpleData``),
then the ``key: value`` lines or two-cell table rows of the description.
A KML placemark without a technology takes one from the names of its folders
("Fibra / Centro" gives ``ftth``).
"""

import base64
import binascii
import html
import io
import json
import math
import re
import unicodedata
import zipfile
from collections import namedtuple
from pathlib import PurePosixPath

import numpy as np
from lxml import etree

from . import coverage, footprint
from .footprint import FootprintError
from .intake import clean_text

KML, KMZ, GEOJSON = "kml", "kmz", "geojson"
FORMATS = {".kml": KML, ".kmz": KMZ, ".geojson": GEOJSON, ".json": GEOJSON}

Limits = namedtuple(
    "Limits",
    "upload_bytes kml_bytes ratio ratio_floor entries features vertices",
    defaults=(
        10_000_000,  # the uploaded file
        20_000_000,  # the KML expanded from a KMZ
        100,  # the KML's declared expansion ratio in a KMZ...
        1_000_000,  # ...checked past this declared size
        100,  # entries in a KMZ
        5_000,  # features in a file
        footprint.MAX_VERTICES,  # vertices of one feature
    ),
)
Limits.__doc__ = "The limits of an import (every field has a default)."
LIMITS = Limits()

# feature fields and the property names they are read from, first found wins
DEFAULT_COLUMNS = {
    "name": ("name", "nombre"),
    "technology": ("technology", "tecnologia", "tech"),
    "capacity": ("capacity", "capacidad", "puertos", "ports"),
    "area_state": ("area_state", "estado", "state", "status"),
    "available_date": ("available_date", "fecha", "disponible", "launch_date"),
    "radius": ("radius_m", "radius", "range", "radio", "alcance", "drop_reach"),
    "azimuth": ("azimuth", "azimut", "acimut"),
    "beamwidth": ("beamwidth", "apertura", "beam"),
    "footprint_type": ("footprint_type",),
    "node_type": ("node_type", "tipo", "type"),
    "parent": ("parent", "padre", "pon"),
    "external_id": ("external_id", "ref", "codigo", "code"),
    "latitude": ("latitude", "latitud", "lat"),
    "longitude": ("longitude", "longitud", "lon", "lng"),
}
MAPPED_FIELDS = tuple(DEFAULT_COLUMNS)

# values of a technology, an area state and a node type, as people write them
TECHNOLOGY_ALIASES = {
    coverage.FTTH: [
        "ftth",
        "fttx",
        "ftto",
        "fibra",
        "fiber",
        "fibre",
        "fibraoptica",
        "fo",
        "gpon",
        "xgspon",
        "epon",
    ],
    coverage.WIRELESS: [
        "wireless",
        "inalambrico",
        "inalambrica",
        "radio",
        "aire",
        "wisp",
        "fwa",
        "wifi",
        "ptmp",
    ],
    coverage.OTHER: [
        "other",
        "otro",
        "otra",
        "cable",
        "coaxial",
        "hfc",
        "cobre",
        "copper",
        "dsl",
        "adsl",
        "vdsl",
    ],
}
AREA_STATE_ALIASES = {
    coverage.AVAILABLE: [
        "available",
        "disponible",
        "activo",
        "activa",
        "active",
        "habilitado",
    ],
    coverage.AREA_PLANNED: [
        "planned",
        "planificado",
        "planificada",
        "planeado",
        "planeada",
        "proyectado",
        "futuro",
    ],
    coverage.BUILDING: [
        "building",
        "construction",
        "underconstruction",
        "enconstruccion",
        "construccion",
        "obra",
    ],
}
NODE_TYPE_ALIASES = {
    "tower": ["tower", "torre"],
    "access_point": ["access_point", "accesspoint", "ap", "sector", "antena"],
    "olt": ["olt"],
    "nap": ["nap", "cto", "caja", "napbox", "splitter"],
}


def _key(name):
    """A name or value as compared: no case, accents, spaces or punctuation
    ("Tecnología" is "tecnologia", "En construcción" is "enconstruccion")."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def _alias_keys(aliases):
    return {_key(word): code for code, words in aliases.items() for word in words}


TECHNOLOGY_KEYS = _alias_keys(TECHNOLOGY_ALIASES)
AREA_STATE_KEYS = _alias_keys(AREA_STATE_ALIASES)
NODE_TYPE_KEYS = _alias_keys(NODE_TYPE_ALIASES)

MAX_NAME = 128
MAX_TEXT = 2_000
MAX_VALUE = 1_000
MAX_PROPERTIES = 100

Preview = dict  # see parse()


class ImportFileError(FootprintError):
    """A file the reader cannot read at all; ``code`` says why."""


# ------------------------------------------------------------
# ENTRY POINTS
# ------------------------------------------------------------


def file_format(filename):
    """``kml``, ``kmz`` or ``geojson`` from the file name's extension."""
    suffix = PurePosixPath((filename or "").lower()).suffix
    if suffix not in FORMATS:
        raise ImportFileError("unknown_format", filename=filename or "")
    return FORMATS[suffix]


def decode_upload(file_content, limits=LIMITS):
    """The bytes of a base64 upload (``import_footprints``' ``file_content``),
    refused past ``limits.upload_bytes`` before it is decoded."""
    if isinstance(file_content, str):
        file_content = file_content.encode("ascii", "replace")
    if not isinstance(file_content, (bytes, bytearray)):
        raise ImportFileError("bad_upload")
    if len(file_content) * 3 // 4 > limits.upload_bytes + 3:
        raise ImportFileError(
            "file_too_large", size=len(file_content) * 3 // 4, max=limits.upload_bytes
        )
    try:
        return base64.b64decode(file_content, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ImportFileError("bad_upload") from error


def parse(
    content,
    filename,
    mapping=None,
    region=None,
    technologies=None,
    limits=LIMITS,
):
    """Read a KML, KMZ or GeoJSON file (``content`` as bytes) into a preview::

        {"format": "kml" | "kmz" | "geojson",
         "features": [feature, ...],     # what can be created
         "errors": [{"index", "name", "code", "params"}, ...],  # refused
         "counts": {"found", "features", "errors", "polygons", "points"}}

    Each feature is a dict::

        {"index": 0,                      # its position in the file
         "name": "Sector Norte",
         "external_id": "sector-norte" | None,  # KML id / GeoJSON id / ref
         "folder": "Red / Inalámbrico" | None,  # KML folders
         "description": "plain text",     # tags stripped: never HTML
         "footprint_type": "polygon" | "circle" | "sector" | None,
         "geometry": Polygon | MultiPolygon | None,  # None: a point only
         "latitude": -32.95, "longitude": -60.65,   # the node's point
         "point_source": "file" | "anchor",  # anchor: taken from the polygon
         "radius_m", "azimuth", "beamwidth": float | None,
         "technology": "ftth" | "wireless" | "other" | <a code of
                       ``technologies``> | None,
         "capacity": int | None,
         "area_state": "available" | "planned" | "building" | None,
         "available_date": "2026-03-01" | None,
         "node_type": "tower" | "access_point" | "olt" | "nap" | None,
         "parent": str | None,
         "properties": {str: value},      # every property as read
         "columns": {field: property name},  # where each field was read
         "warnings": [(code, params), ...]}

    A point placemark with a radius (and an azimuth and a beamwidth below
    360) becomes a circle (a sector), built here; a point without one is a
    node without a footprint (a NAP box: the model gives it its drop reach).
    ``region`` (``(min_lat, min_lon, max_lat, max_lon)``, the company's area)
    turns on the swapped-coordinates check by region. ``technologies``: the
    technology codes the company has beyond the shipped ones.

    The import is all or nothing: the model creates nothing when ``errors``
    is not empty (the preview lists them all at once).
    """
    kind = file_format(filename)
    if not isinstance(content, (bytes, bytearray)):
        raise ImportFileError("bad_upload")
    if len(content) > limits.upload_bytes:
        raise ImportFileError(
            "file_too_large", size=len(content), max=limits.upload_bytes
        )
    if not bytes(content).strip():
        raise ImportFileError("empty_file")
    stem = PurePosixPath(filename).stem
    context = _Context(mapping, region, technologies, limits, stem)
    if kind == GEOJSON:
        raw = _geojson_features(bytes(content), limits)
    else:
        if kind == KMZ:
            content = read_kmz(bytes(content), limits)
        raw = _kml_features(bytes(content), limits)
    if not raw:
        raise ImportFileError("no_features")
    if len(raw) > limits.features:
        raise ImportFileError("too_many_features", count=len(raw), max=limits.features)
    features, errors = [], []
    for index, item in enumerate(raw):
        try:
            features.append(_feature(index, item, context))
        except FootprintError as error:
            errors.append(
                {
                    "index": index,
                    "name": _item_name(item, context, index),
                    "code": error.code,
                    "params": dict(error.params),
                }
            )
    return {
        "format": kind,
        "features": features,
        "errors": errors,
        "counts": {
            "found": len(raw),
            "features": len(features),
            "errors": len(errors),
            "polygons": sum(1 for f in features if f["geometry"] is not None),
            "points": sum(1 for f in features if f["geometry"] is None),
        },
    }


def export_geojson(features, precision=footprint.PRECISION):
    """A GeoJSON ``FeatureCollection`` (dict) of features shaped as
    :func:`parse` returns them (the model builds them from its nodes).

    The geometry is the footprint, or the node's point when it has none; the
    node's point, name and every field of the feature are properties, after
    the feature's other ``properties``: importing the export gives the same
    features back.
    """
    result = []
    for feature in features:
        geometry = feature.get("geometry")
        lat, lon = feature.get("latitude"), feature.get("longitude")
        if geometry is None:
            geojson = {
                "type": "Point",
                "coordinates": [round(lon, precision), round(lat, precision)],
            }
        else:
            geojson = footprint.to_geojson(geometry, precision)
        own = {
            "name": feature.get("name"),
            "technology": feature.get("technology"),
            "capacity": feature.get("capacity"),
            "footprint_type": feature.get("footprint_type"),
            "radius_m": feature.get("radius_m"),
            "azimuth": feature.get("azimuth"),
            "beamwidth": feature.get("beamwidth"),
            "area_state": feature.get("area_state"),
            "available_date": feature.get("available_date"),
            "node_type": feature.get("node_type"),
            "parent": feature.get("parent"),
            "external_id": feature.get("external_id"),
            "latitude": round(lat, precision) if lat is not None else None,
            "longitude": round(lon, precision) if lon is not None else None,
        }
        used = set((feature.get("columns") or {}).values())
        properties = {
            key: value
            for key, value in (feature.get("properties") or {}).items()
            if key not in used and _key(key) not in _OWN_KEYS
        }
        properties.update(
            {key: value for key, value in own.items() if value is not None}
        )
        item = {"type": "Feature", "geometry": geojson, "properties": properties}
        if feature.get("external_id"):
            item["id"] = feature["external_id"]
        result.append(item)
    return {"type": "FeatureCollection", "features": result}


# ------------------------------------------------------------
# KMZ
# ------------------------------------------------------------


def read_kmz(content, limits=LIMITS):
    """The KML of a KMZ: ``doc.kml`` at the root, else the first ``.kml``
    (Google Earth's rule), refused before expansion when the zip is a bomb
    (``kmz_too_many_entries``, ``zip_bomb`` {reason: size | ratio | expanded})
    and when it is no zip (``malformed_kmz``) or holds no KML
    (``kmz_without_kml``)."""
    if len(content) > limits.upload_bytes:
        raise ImportFileError(
            "file_too_large", size=len(content), max=limits.upload_bytes
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise ImportFileError("malformed_kmz", reason="zip") from error
    if len(entries) > limits.entries:
        raise ImportFileError(
            "kmz_too_many_entries", count=len(entries), max=limits.entries
        )
    kmls = [
        e for e in entries if not e.is_dir() and e.filename.lower().endswith(".kml")
    ]
    if not kmls:
        raise ImportFileError("kmz_without_kml")
    root = [e for e in kmls if "/" not in e.filename.strip("/")]
    named = [e for e in root if e.filename.lower() == "doc.kml"]
    entry = (named or root or kmls)[0]
    if entry.flag_bits & 0x1:
        raise ImportFileError("malformed_kmz", reason="encrypted")
    if entry.file_size > limits.kml_bytes:
        raise ImportFileError(
            "zip_bomb", reason="size", size=entry.file_size, max=limits.kml_bytes
        )
    if entry.file_size > limits.ratio_floor and entry.file_size > limits.ratio * max(
        entry.compress_size, 1
    ):
        raise ImportFileError(
            "zip_bomb",
            reason="ratio",
            ratio=entry.file_size // max(entry.compress_size, 1),
            max=limits.ratio,
        )
    chunks, total = [], 0
    try:
        with archive.open(entry) as stream:
            while True:
                chunk = stream.read(64 * 1024)
                if not chunk:
                    break
                total += len(chunk)
                if total > limits.kml_bytes:
                    raise ImportFileError(
                        "zip_bomb", reason="expanded", max=limits.kml_bytes
                    )
                chunks.append(chunk)
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError) as error:
        # a corrupt stream, a CRC that does not match, an unknown method
        raise ImportFileError("malformed_kmz", reason="entry") from error
    return b"".join(chunks)


# ------------------------------------------------------------
# KML
# ------------------------------------------------------------

_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _kml_parser():
    # one per call: an lxml parser must not be shared between threads
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def _tag(element):
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else None


def _children(element, name):
    return [child for child in element if _tag(child) == name]


def _child(element, name):
    for child in element:
        if _tag(child) == name:
            return child
    return None


def _text(element):
    if element is None:
        return ""
    return "".join(t for t in element.itertext() if isinstance(t, str)).strip()


def load_kml(content):
    """The root element of a KML document, through the hardened parser;
    ``kml_doctype``, ``malformed_kml`` or ``not_kml`` otherwise."""
    start = _ROOT_START.search(content)
    prolog = content[: start.start()] if start else content
    if _DOCTYPE.search(prolog):
        raise ImportFileError("kml_doctype")
    try:
        root = etree.fromstring(content, _kml_parser())
    except etree.XMLSyntaxError as error:
        raise ImportFileError(
            "malformed_kml", line=getattr(error, "lineno", None) or 0
        ) from error
    except ValueError as error:
        raise ImportFileError("malformed_kml", line=0) from error
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ImportFileError("kml_doctype")
    if _tag(root) != "kml":
        raise ImportFileError("not_kml", root=_tag(root) or "")
    return root


def _coordinates(element, where):
    """The positions of a KML ``coordinates`` text (``lon,lat[,alt]`` tuples
    cut by white space) as ``[lon, lat]`` lists of floats."""
    tokens = _text(element).split()
    commas = {token.count(",") for token in tokens}
    if len(commas) == 1 and commas <= {1, 2}:
        # the usual case, one parse for the whole ring
        width = commas.pop() + 1
        try:
            values = np.array(",".join(tokens).split(","), dtype=float)
        except ValueError:
            values = None
        if values is not None and np.isfinite(values).all():
            return values.reshape(-1, width)[:, :2].tolist()
    positions = []
    for token in tokens:
        values = token.split(",")
        try:
            numbers = [float(value) for value in values]
        except ValueError as error:
            raise FootprintError(
                "bad_coordinates", where=where, value=token[:40]
            ) from error
        if len(values) not in (2, 3) or not all(map(math.isfinite, numbers)):
            raise FootprintError("bad_coordinates", where=where, value=token[:40])
        positions.append(numbers[:2])
    return positions


def _kml_polygon(element, where):
    outer = _child(element, "outerBoundaryIs")
    ring = _child(outer, "LinearRing") if outer is not None else None
    coordinates = _child(ring, "coordinates") if ring is not None else None
    if coordinates is None:
        raise FootprintError("bad_polygon", where=where)
    rings = [_coordinates(coordinates, where)]
    for inner in _children(element, "innerBoundaryIs"):
        for ring in _children(inner, "LinearRing"):
            coords = _child(ring, "coordinates")
            if coords is not None:
                rings.append(_coordinates(coords, where))
    return rings


def _kml_geometries(element, where, found):
    """Collect the polygons, points and ignored shapes under ``element``."""
    for child in element:
        name = _tag(child)
        if name == "Polygon":
            found["polygons"].append(_kml_polygon(child, where))
        elif name == "Point":
            coords = _child(child, "coordinates")
            positions = _coordinates(coords, where) if coords is not None else []
            if len(positions) != 1:
                raise FootprintError("bad_coordinates", where=where, value="Point")
            found["points"].append(positions[0][:2])
        elif name == "MultiGeometry":
            _kml_geometries(child, where, found)
        elif name in ("LineString", "LinearRing", "Model", "Track", "MultiTrack"):
            found["ignored"].append(name)


def _kml_properties(placemark):
    properties = {}
    extended = _child(placemark, "ExtendedData")
    if extended is not None:
        for data in extended.iter():
            name = _tag(data)
            if name == "Data" and data.get("name"):
                properties[data.get("name")] = _text(_child(data, "value"))
            elif name == "SimpleData" and data.get("name"):
                properties[data.get("name")] = _text(data)
    return properties


_BREAK = re.compile(r"<\s*(br|/p|/tr|/div|/li|/h\d)\b[^>]*>", re.IGNORECASE)
_CELL = re.compile(r"<\s*/t[dh]\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_LINE_PAIR = re.compile(r"^\s*([^:=\t]{1,40}?)\s*[:=\t]\s*(.+?)\s*$")


def plain_text(description):
    """A KML description (HTML, often in CDATA) as plain text: line breaks
    and table rows become lines, cells are cut by tabs, tags go."""
    text = _BREAK.sub("\n", description or "")
    text = _CELL.sub("\t", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [line.strip(" \t") for line in text.replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def description_properties(text):
    """The ``key: value`` (or ``key = value``, or two cells) lines of a
    plain-text description."""
    properties = {}
    for line in text.split("\n"):
        match = _LINE_PAIR.match(line)
        if match and match.group(1).strip() and match.group(2).strip("\t "):
            properties.setdefault(match.group(1).strip(), match.group(2).strip("\t "))
    return properties


def _kml_features(content, limits):
    root = load_kml(content)
    items = []
    for placemark in root.iter():
        if _tag(placemark) != "Placemark":
            continue
        if len(items) >= limits.features:
            raise ImportFileError(
                "too_many_features", count=len(items) + 1, max=limits.features
            )
        folders = []
        parent = placemark.getparent()
        while parent is not None:
            if _tag(parent) in ("Folder", "Document"):
                label = _text(_child(parent, "name"))
                if label:
                    folders.append(label)
            parent = parent.getparent()
        description = plain_text(_text(_child(placemark, "description")))
        properties = description_properties(description)
        properties.update(_kml_properties(placemark))
        items.append(
            {
                "name": _text(_child(placemark, "name")),
                "external_id": placemark.get("id"),
                "folder": " / ".join(reversed(folders)) or None,
                "description": description,
                "properties": properties,
                "element": placemark,
            }
        )
    return items


# ------------------------------------------------------------
# GEOJSON
# ------------------------------------------------------------

_WGS84_CRS = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:ogc::crs84",
    "urn:ogc:def:crs:epsg::4326",
    "epsg:4326",
    "crs84",
}


def _check_crs(data):
    crs = data.get("crs") if isinstance(data, dict) else None
    if crs is None:
        return
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if not isinstance(name, str) or name.strip().lower() not in _WGS84_CRS:
        raise ImportFileError("unsupported_crs", crs=str(name)[:80])


def _geojson_features(content, limits):
    try:
        data = footprint.load_json(
            content,
            limits.upload_bytes,
            code="malformed_geojson",
            too_large="file_too_large",
        )
    except ImportFileError:
        raise
    except FootprintError as error:
        raise ImportFileError(error.code, **error.params) from error
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ImportFileError("malformed_geojson", reason="not_geojson")
    _check_crs(data)
    kind = data["type"]
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise ImportFileError("malformed_geojson", reason="features")
    elif kind == "Feature":
        features = [data]
    elif kind in _GEOMETRY_TYPES:
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    else:
        raise ImportFileError("malformed_geojson", reason="type")
    if len(features) > limits.features:
        raise ImportFileError(
            "too_many_features", count=len(features), max=limits.features
        )
    items = []
    for feature in features:
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            items.append({"name": "", "error": ("malformed_feature", {})})
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            items.append({"name": "", "error": ("malformed_feature", {})})
            continue
        external_id = feature.get("id")
        items.append(
            {
                "name": "",
                "external_id": str(external_id) if external_id is not None else None,
                "folder": None,
                "description": "",
                "properties": properties,
                "geojson": feature.get("geometry"),
            }
        )
    return items


_GEOMETRY_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)


def _geojson_geometries(geometry, where, found, depth=0):
    if geometry is None:
        return
    if not isinstance(geometry, dict) or geometry.get("type") not in _GEOMETRY_TYPES:
        raise FootprintError("bad_geojson", where=where, reason="geometry")
    kind = geometry["type"]
    if kind == "GeometryCollection":
        members = geometry.get("geometries")
        if depth or not isinstance(members, list):
            raise FootprintError("bad_geojson", where=where, reason="geometry")
        for member in members:
            _geojson_geometries(member, where, found, depth + 1)
        return
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list):
        raise FootprintError("bad_geojson", where=where, reason="coordinates")
    if kind == "Polygon":
        found["polygons"].append(coordinates)
    elif kind == "MultiPolygon":
        found["polygons"].extend(coordinates)
    elif kind == "Point":
        x, y = footprint._position(coordinates, where)
        found["points"].append([x, y])
    elif kind == "MultiPoint" and len(coordinates) == 1:
        x, y = footprint._position(coordinates[0], where)
        found["points"].append([x, y])
    else:
        found["ignored"].append(kind)


# ------------------------------------------------------------
# FEATURES
# ------------------------------------------------------------


class _Context:
    def __init__(self, mapping, region, technologies, limits, stem):
        self.mapping = {key: value for key, value in (mapping or {}).items() if value}
        unknown = set(self.mapping) - set(MAPPED_FIELDS)
        if unknown:
            raise ImportFileError("unknown_mapping", field=min(unknown))
        self.region = region
        self.technologies = set(technologies or ()) | set(coverage.TECHNOLOGIES)
        self.limits = limits
        self.stem = stem


_OWN_KEYS = {_key(key) for keys in DEFAULT_COLUMNS.values() for key in keys[:1]}


def _lookup(properties, field, context):
    """``(property name, value)`` of a mapped field in ``properties``, the
    first of its names that has a value; ``(None, None)`` when absent."""
    keyed = {}
    for name, value in properties.items():
        keyed.setdefault(_key(name), (name, value))
    wanted = context.mapping.get(field)
    for name in (wanted,) if wanted else DEFAULT_COLUMNS[field]:
        found = keyed.get(_key(name))
        if found is not None and found[1] is not None and found[1] != "":
            return found
    return None, None


def _alias(value, keys):
    """The code of ``value`` in a table of :func:`_alias_keys`."""
    return keys.get(_key(value))


_NUMBER = re.compile(
    r"^\s*(-?\d+(?:[.,]\d+)?)\s*(km|m|°|deg|grados)?\s*$", re.IGNORECASE
)


def _float(field, value, where):
    if isinstance(value, bool):
        raise FootprintError("bad_number", where=where, field=field)
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        match = _NUMBER.match(str(value))
        if not match:
            raise FootprintError(
                "bad_number", where=where, field=field, value=str(value)[:40]
            )
        number = float(match.group(1).replace(",", "."))
        if (match.group(2) or "").lower() == "km":
            number *= 1000.0
    if not math.isfinite(number):
        raise FootprintError("bad_number", where=where, field=field)
    return number


_CAPACITY = re.compile(r"^\s*(\d{1,7})(?:[.,]0+)?(?:\s+[^\d\s].*)?$")


def _capacity(value, where):
    if isinstance(value, bool):
        raise FootprintError("bad_capacity", where=where, value=str(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if value < 0 or value > 9_999_999:
            raise FootprintError("bad_capacity", where=where, value=str(value))
        return value
    match = _CAPACITY.match(str(value))
    if not match:
        raise FootprintError("bad_capacity", where=where, value=str(value)[:40])
    return int(match.group(1))


_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*$")
_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})/(\d{4})\s*$")


def _date(value, where):
    text = str(value)
    match = _DATE.match(text)
    if match:
        year, month, day = (
            int(match.group(1)),
            int(match.group(2)),
            int(match.group(3) or 1),
        )
    else:
        match = _MONTH_YEAR.match(text)
        if not match:
            raise FootprintError("bad_date", where=where, value=text[:40])
        year, month, day = int(match.group(2)), int(match.group(1)), 1
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2999):
        raise FootprintError("bad_date", where=where, value=text[:40])
    return f"{year:04d}-{month:02d}-{day:02d}"


def _clean_properties(properties, warnings):
    clean = {}
    for name, value in list(properties.items()):
        if len(clean) >= MAX_PROPERTIES:
            warnings.append(("properties_dropped", {"max": MAX_PROPERTIES}))
            break
        key = clean_text(str(name))[:MAX_NAME]
        if isinstance(value, str):
            value = clean_text(value, multiline=True)[:MAX_VALUE]
        elif value is not None and not isinstance(value, (bool, int, float)):
            # nested JSON: kept as its JSON text
            value = clean_text(json.dumps(value, ensure_ascii=False))[:MAX_VALUE]
        if key:
            clean[key] = value
    return clean


def _item_name(item, context, index):
    name = item.get("name") or _lookup(item.get("properties") or {}, "name", context)[1]
    return clean_text(str(name))[:MAX_NAME] if name else f"{context.stem} {index + 1}"


def _feature_name(index, item, value, context, warnings):
    raw = value("name") if "name" in context.mapping else None
    raw = raw or item.get("name") or value("name")
    if not raw:
        name = f"{context.stem} {index + 1}"
        warnings.append(("name_from_file", {"name": name}))
        return name
    name = clean_text(str(raw))
    if len(name) > MAX_NAME:
        warnings.append(("name_truncated", {"max": MAX_NAME}))
    return name[:MAX_NAME]


def _feature_point(found, value, where, context, warnings):
    """The node's ``[lon, lat]`` given by the file (a point of the placemark
    or feature, else its latitude/longitude properties), checked; or None."""
    point = found["points"][0] if found["points"] else None
    if point is None:
        lat, lon = value("latitude"), value("longitude")
        if lat is not None and lon is not None:
            point = [_float("longitude", lon, where), _float("latitude", lat, where)]
    if point is not None:
        warnings += footprint.check_positions(
            np.array([point[0]]),
            np.array([point[1]]),
            region=context.region,
            where=where,
        )
    return point


def _feature_shape(found, point, shape, where, context, warnings):
    """``(footprint_type, geometry)`` of a feature: its polygons, or the
    circle or sector of its point's radius (and azimuth and beamwidth), or
    ``(None, None)`` for a point alone."""
    radius, azimuth, beamwidth, declared = shape
    if beamwidth is not None:
        footprint.check_beamwidth(beamwidth)
    if found["polygons"]:
        checked = footprint.from_rings(
            found["polygons"],
            region=context.region,
            max_vertices=context.limits.vertices,
            where=where,
        )
        warnings += checked.warnings
        if declared in (footprint.CIRCLE, footprint.SECTOR) and radius and point:
            return declared, checked.geometry  # an export of ours: its shape
        return footprint.POLYGON, checked.geometry
    if point is None:
        raise FootprintError("no_geometry", where=where)
    if radius is None:
        return None, None
    lon, lat = point
    if azimuth is not None and beamwidth is not None and beamwidth < 360:
        return footprint.SECTOR, footprint.sector(lat, lon, azimuth, beamwidth, radius)
    return footprint.CIRCLE, footprint.circle(lat, lon, radius)


def _technology(value, folder, where, context):
    raw = value("technology")
    if raw is None:
        # innermost folder first: "Red / Fibra / Centro" gives ftth
        for part in reversed(re.split(r"[/\\|>-]", folder or "")):
            for word in part.split():
                code = _alias(word, TECHNOLOGY_KEYS)
                if code:
                    return code
        return None
    code = _alias(raw, TECHNOLOGY_KEYS)
    if code is None and str(raw).strip().lower() in context.technologies:
        code = str(raw).strip().lower()
    if code is None:
        raise FootprintError("unknown_technology", where=where, value=str(raw)[:40])
    return code


def _area_state(value, where):
    raw = value("area_state")
    if raw is None:
        return None
    code = _alias(raw, AREA_STATE_KEYS)
    if code is None:
        raise FootprintError("unknown_area_state", where=where, value=str(raw)[:40])
    return code


def _node_type(value, warnings):
    raw = value("node_type")
    if raw is None:
        return None
    code = _alias(raw, NODE_TYPE_KEYS)
    if code is None:
        warnings.append(("unknown_node_type", {"value": str(raw)[:40]}))
    return code


def _text_or_none(raw):
    return clean_text(str(raw))[:MAX_NAME] if raw is not None and raw != "" else None


def _feature(index, item, context):
    if item.get("error"):
        code, params = item["error"]
        raise FootprintError(code, **params)
    warnings = []
    properties = _clean_properties(item.get("properties") or {}, warnings)
    columns = {}

    def value(field, convert=None):
        column, raw = _lookup(properties, field, context)
        if raw is None:
            return None
        columns[field] = column
        return convert(raw) if convert else raw

    name = _feature_name(index, item, value, context, warnings)
    where = name

    found = {"polygons": [], "points": [], "ignored": []}
    if "element" in item:
        _kml_geometries(item["element"], where, found)
    else:
        _geojson_geometries(item.get("geojson"), where, found)
    if found["ignored"]:
        warnings.append(("shapes_ignored", {"types": sorted(set(found["ignored"]))}))
    if len(found["points"]) > 1:
        warnings.append(("extra_points_ignored", {"count": len(found["points"]) - 1}))
    shape = (
        value("radius", lambda v: _float("radius", v, where)),
        value("azimuth", lambda v: _float("azimuth", v, where)),
        value("beamwidth", lambda v: _float("beamwidth", v, where)),
        value("footprint_type", _key),
    )
    point = _feature_point(found, value, where, context, warnings)
    footprint_type, geometry = _feature_shape(
        found, point, shape, where, context, warnings
    )
    if point is None:
        lat, lon = footprint.anchor(geometry)
    else:
        lon, lat = point
    if "external_id" in context.mapping:
        external_id = value("external_id")
    else:
        external_id = item.get("external_id") or value("external_id")
    return {
        "index": index,
        "name": name,
        "external_id": _text_or_none(external_id),
        "folder": item.get("folder"),
        "description": clean_text(item.get("description") or "", multiline=True)[
            :MAX_TEXT
        ],
        "footprint_type": footprint_type,
        "geometry": geometry,
        "latitude": float(lat),
        "longitude": float(lon),
        "point_source": "file" if point is not None else "anchor",
        "radius_m": shape[0],
        "azimuth": shape[1],
        "beamwidth": shape[2],
        "technology": _technology(value, item.get("folder"), where, context),
        "capacity": value("capacity", lambda v: _capacity(v, where)),
        "area_state": _area_state(value, where),
        "available_date": value("available_date", lambda v: _date(v, where)),
        "node_type": _node_type(value, warnings),
        "parent": _text_or_none(value("parent")),
        "properties": properties,
        "columns": columns,
        "warnings": warnings,
    }
