"""Readers of the files ``storymap gazetteer add`` takes: GeoNames dumps, CSV and GeoJSON.

Each reader yields :class:`PackRow` values one at a time, so a 1.5 GB ``allCountries.zip``
is read as a stream (never whole into memory), a line at most MAX_LINE characters (a 3 MB
zip holding one 3 GB line was read whole). A GeoJSON file is one JSON value, read whole up
to MAX_GEOJSON_BYTES, and every shape in it is checked before shapely sees it. A file that
is not what it claims raises GazetteerError naming the file, the line or feature and what
to do.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import GazetteerError, InputError
from .geonames import kind_for_population

__all__ = ["DUMP_URL", "PackRow", "file_format", "read_rows"]

#: Where GeoNames publishes its dumps (named in messages and docs; storymap never downloads).
DUMP_URL = "https://download.geonames.org/export/dump/"

#: Columns of the GeoNames "geoname" table (readme.txt of the dump).
_GEONAME_COLUMNS = 19
#: The longest line read from a dump or a CSV (a GeoNames line is a few KB at most).
MAX_LINE = 1_000_000
#: The largest GeoJSON file read (it is parsed whole: keep bigger ones as CSV).
MAX_GEOJSON_BYTES = 256 * 1024 * 1024


def _bounded(path: Path, lines: IO[str], *, first: int = 1) -> Iterator[str]:
    """Yield the lines of ``lines``; raise GazetteerError for one over MAX_LINE characters."""
    number = first - 1
    while True:
        line = lines.readline(MAX_LINE + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE and not line.endswith("\n"):
            raise GazetteerError(f"{path}: line {number} is longer than {MAX_LINE:,} characters; "
                                 "this is not a gazetteer file storymap can read line by line")
        yield line


@dataclass(frozen=True)
class PackRow:
    """One place of a pack file, with the names it may be written as."""

    ref: str  # the file's own id: a geonameid, or a row number
    name: str
    lat: float
    lon: float
    kind: str
    country: str = ""
    population: int = 0
    admin1: str = ""
    aliases: tuple[str, ...] = ()


# GeoNames feature codes (https://www.geonames.org/export/codes.html) → storymap kinds.
_CODES = {
    "FT": "fort", "FTS": "fort", "CSTL": "castle", "PAL": "palace", "BLDG": "building",
    "CH": "church", "CTRR": "church", "MSQE": "mosque", "SYG": "synagogue", "TMPL": "temple",
    "MNMT": "monument", "HSTS": "historic site", "SQR": "square", "RSTN": "station",
    "RSTP": "station", "BDG": "bridge", "CMTY": "cemetery", "HSP": "hospital",
    "SCH": "school", "UNIV": "school", "MUS": "museum", "THTR": "theatre", "AIRP": "airfield",
    "AIRF": "airfield", "PRT": "port", "GATE": "gate", "CAMP": "camp", "MILB": "camp",
    "BTL": "battlefield", "PRK": "park", "ST": "street", "RD": "road", "RR": "railway",
    "STM": "river", "STMI": "river", "STMX": "river", "CNL": "canal", "LK": "lake",
    "LKS": "lake", "RSV": "lake", "BAY": "bay", "COVE": "bay", "SEA": "sea", "GULF": "sea",
    "INLT": "inlet", "SD": "sound", "SPNG": "spring", "ISL": "island", "ISLS": "island",
    "ISLET": "island", "PEN": "peninsula", "CAPE": "cape", "MT": "mountains",
    "MTS": "mountains", "PK": "mountains", "HLL": "hill", "HLLS": "hill", "RDGE": "ridge",
    "PASS": "pass", "GAP": "pass", "VAL": "valley", "PLN": "plain", "PCLI": "country",
    "PCL": "country", "PCLD": "country", "PCLF": "country", "PCLH": "country",
    "ADM1": "region", "ADM1H": "region", "ADM2": "region", "ADM2H": "region",
    "PPLX": "district",
}
_CLASSES = {"A": "region", "H": "water", "L": "area", "R": "road", "S": "building",
            "T": "terrain", "V": "forest"}
#: Feature classes a GeoNames dump is read with by default: U (undersea) is left out.
DEFAULT_CLASSES = frozenset("AHLPRSTV")


def geonames_kind(feature_class: str, code: str, population: int) -> str:
    """Return the storymap kind of a GeoNames feature.

    >>> geonames_kind("S", "FT", 0), geonames_kind("P", "PPL", 250_000), geonames_kind("H", "X", 0)
    ('fort', 'city', 'water')
    """
    if code in _CODES:
        return _CODES[code]
    if feature_class == "P":
        return kind_for_population(population)
    return _CLASSES.get(feature_class, "place")


def file_format(path: Path) -> str:
    """Return "geonames", "csv" or "geojson" for a pack file, by its name; else raise."""
    name = path.name.lower()
    if name.endswith((".zip", ".txt", ".tsv")):
        return "geonames"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith((".geojson", ".json")):
        return "geojson"
    raise GazetteerError(
        f"{path}: not a file storymap can add as a gazetteer; expected a GeoNames dump "
        f"(.zip or .txt from {DUMP_URL}), a CSV (.csv: name,lat,lon,kind,aliases) or a "
        "GeoJSON file (.geojson)")


def read_rows(path: Path, *, classes: frozenset[str] = DEFAULT_CLASSES) -> Iterator[PackRow]:
    """Yield the places of ``path`` one by one; raise GazetteerError for a bad file."""
    fmt = file_format(path)
    if not path.is_file():
        raise GazetteerError(f"{path}: no such file; give the path of the file to add")
    if fmt == "geonames":
        return _geonames(path, classes)
    if fmt == "csv":
        return _csv(path)
    return _geojson(path)


def _geonames(path: Path, classes: frozenset[str]) -> Iterator[PackRow]:
    if path.name.lower().endswith(".zip"):
        try:
            archive = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise GazetteerError(f"{path}: not a readable zip file ({exc}); download it "
                                 f"again from {DUMP_URL}") from None
        with archive:
            members = [i for i in archive.infolist() if i.filename.lower().endswith(".txt")
                       and not i.filename.lower().endswith("readme.txt")]
            if not members:
                raise GazetteerError(f"{path}: the zip holds no GeoNames table (XX.txt); use "
                                     f"a country file such as US.zip from {DUMP_URL}")
            member = max(members, key=lambda i: i.file_size)
            with archive.open(member) as raw:
                yield from _geoname_lines(path, io.TextIOWrapper(raw, encoding="utf-8",
                                                                 newline="\n"), classes)
        return
    with path.open(encoding="utf-8", newline="\n") as f:
        yield from _geoname_lines(path, f, classes)


def _geoname_lines(path: Path, lines: IO[str], classes: frozenset[str]) -> Iterator[PackRow]:
    number = 0
    try:
        for number, line in enumerate(_bounded(path, lines), 1):  # noqa: B007 - reported
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\r\n").split("\t")
            if len(cols) != _GEONAME_COLUMNS:
                raise ValueError(f"{len(cols)} tab-separated columns, expected the "
                                 f"{_GEONAME_COLUMNS} of the GeoNames 'geoname' table")
            if cols[6] not in classes:
                continue
            population = int(cols[14] or 0)
            yield PackRow(
                ref=str(int(cols[0])), name=cols[1], lat=_lat(cols[4]), lon=_lon(cols[5]),
                kind=geonames_kind(cols[6], cols[7], population), country=cols[8],
                population=population, admin1=cols[10],
                aliases=tuple(a for a in (cols[2], *cols[3].split(",")) if a),
            )
    except UnicodeDecodeError as exc:
        raise GazetteerError(f"{path}: line {number + 1}: not UTF-8 ({exc.reason}); use the "
                             f"dump as GeoNames publishes it ({DUMP_URL})") from None
    except (ValueError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise GazetteerError(f"{path}: line {number}: {exc}; use a GeoNames dump as "
                             f"published at {DUMP_URL} (e.g. US.zip)") from None


def _lat(text: str) -> float:
    value = float(text)
    if not -90 <= value <= 90:
        raise ValueError(f"latitude {text!r} outside -90..90")
    return value


def _lon(text: str) -> float:
    value = float(text)
    if not -180 <= value <= 180:
        raise ValueError(f"longitude {text!r} outside -180..180")
    return value


def _csv(path: Path) -> Iterator[PackRow]:
    number = 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(_bounded(path, f))
            fields = {(h or "").strip().lower() for h in reader.fieldnames or ()}
            if not {"name", "lat", "lon"} <= fields:
                raise ValueError(f"the header has {sorted(fields)}, expected at least "
                                 "name, lat, lon (and optionally kind, aliases, country)")
            for number, raw in enumerate(reader, 2):
                row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()
                       if isinstance(v, str) or v is None}
                if not row.get("name"):
                    raise ValueError("empty name")
                aliases = tuple(a.strip() for a in row.get("aliases", "").replace("|", ";")
                                .split(";") if a.strip())
                yield PackRow(ref=str(number - 1), name=row["name"], lat=_lat(row["lat"]),
                              lon=_lon(row["lon"]), kind=row.get("kind") or "place",
                              country=row.get("country", "").upper(),
                              population=int(row.get("population") or 0), aliases=aliases)
    except UnicodeDecodeError as exc:
        raise GazetteerError(f"{path}: not UTF-8 text ({exc.reason}); save the CSV as "
                             "UTF-8") from None
    except (ValueError, csv.Error, OSError) as exc:
        raise GazetteerError(f"{path}: line {number}: {exc}; expected a CSV with the columns "
                             "name,lat,lon,kind,aliases (aliases separated by ';')") from None


def _geojson(path: Path) -> Iterator[PackRow]:
    from ..model.storyjson import parse_json
    from ..textio import decode_text, read_limited

    try:
        text = decode_text(read_limited(path, limit=MAX_GEOJSON_BYTES,
                                        advice="save big gazetteers as CSV (name,lat,lon)"),
                           name=str(path))
        data = parse_json(text, filename=str(path),
                          advice="expected a FeatureCollection of named features")
    except InputError as exc:
        raise GazetteerError(str(exc)) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise GazetteerError(f"{path}: expected a GeoJSON FeatureCollection with a "
                             "'features' list")
    for number, feat in enumerate(features):
        yield _feature_row(path, number, feat)


def _feature_row(path: Path, number: int, feat: Any) -> PackRow:
    """One GeoJSON feature as a PackRow; GazetteerError (one line) for anything amiss."""
    where = f"{path}: feature {number}"
    if not isinstance(feat, dict):
        raise GazetteerError(f"{where}: expected a feature object, got {type(feat).__name__}")
    props = feat.get("properties") or {}
    if not isinstance(props, dict):
        raise GazetteerError(f"{where}: 'properties' must be an object, got "
                             f"{type(props).__name__}")
    raw_name = props.get("name") or props.get("title") or ""
    if not isinstance(raw_name, str | int | float) or isinstance(raw_name, bool):
        raise GazetteerError(f"{where}: 'name' must be text, got {type(raw_name).__name__}")
    name = str(raw_name).strip()[:300]
    if not name:
        raise GazetteerError(f"{where}: no 'name' property; give every feature a name")
    try:
        lon, lat = _point_of(feat.get("geometry"))
    except ValueError as exc:
        raise GazetteerError(f"{where} ({name[:40]}): unusable geometry ({exc}); expected a "
                             "Point, LineString or Polygon (or Multi…) in [lon, lat]") from None
    try:
        population = int(props.get("population") or 0)
    except (TypeError, ValueError, OverflowError):
        raise GazetteerError(f"{where} ({name[:40]}): population "
                             f"{str(props.get('population'))[:40]!r} is not a whole "
                             "number") from None
    raw_aliases = props.get("aliases") or ()
    if isinstance(raw_aliases, str):
        raw_aliases = raw_aliases.replace("|", ";").split(";")
    if not isinstance(raw_aliases, list | tuple):
        raise GazetteerError(f"{where} ({name[:40]}): 'aliases' must be a list or text "
                             "separated by ';'")
    return PackRow(ref=str(props.get("id") or number + 1)[:200], name=name, lat=lat, lon=lon,
                   kind=str(props.get("kind") or "place")[:40],
                   country=str(props.get("country") or "").upper()[:10],
                   population=population,
                   aliases=tuple(str(a).strip()[:300] for a in raw_aliases[:100]
                                 if str(a).strip()))


#: GeoJSON geometry types and how deep their positions are nested.
_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2,
          "MultiPolygon": 3}


def _point_of(geometry: Any) -> tuple[float, float]:
    """Return (lon, lat) of ``geometry``: the point, or the centroid of a shape.

    Every position is checked first (two or three finite numbers, in range; lines of at
    least two positions, closed rings of four): shapely is handed only well-formed shapes.
    Raises ValueError saying what is wrong.
    """
    if not isinstance(geometry, dict):
        raise ValueError(f"no geometry object (got {type(geometry).__name__})")
    kind = geometry.get("type")
    if kind not in _DEPTH:
        raise ValueError(f"type {str(kind)[:30]!r} is not one storymap reads")
    coords: Any = geometry.get("coordinates")
    _check_positions(coords, _DEPTH[kind], kind)
    if kind == "Point":
        return float(coords[0]), float(coords[1])
    from shapely.geometry import shape

    try:
        centre = shape(geometry).centroid
        if not centre.is_empty:
            lon, lat = float(centre.x), float(centre.y)
            if math.isfinite(lon) and math.isfinite(lat):
                return lon, lat
    except Exception:  # shapely (GEOS) refuses some valid-looking shapes its own way
        pass
    positions = list(_positions(coords, _DEPTH[kind]))  # a line of area 0: their middle
    return (sum(p[0] for p in positions) / len(positions),
            sum(p[1] for p in positions) / len(positions))


def _check_positions(coords: Any, depth: int, kind: str) -> None:
    if depth == 0:
        if (not isinstance(coords, list) or len(coords) not in (2, 3)
                or not all(isinstance(c, int | float) and not isinstance(c, bool)
                           and math.isfinite(c) for c in coords)):
            raise ValueError(f"a position must be [lon, lat] numbers, got {str(coords)[:40]}")
        if not (-180 <= coords[0] <= 180 and -90 <= coords[1] <= 90):
            raise ValueError(f"position {str(coords)[:40]} is outside [-180..180, -90..90]")
        return
    if not isinstance(coords, list) or not coords:
        raise ValueError(f"a {kind} needs a non-empty list of coordinates")
    # depth 1 is one line or ring: lines need two positions, rings four (closed)
    least = {"LineString": 2, "MultiLineString": 2, "Polygon": 4, "MultiPolygon": 4}.get(kind, 1)
    if depth == 1 and len(coords) < least:
        raise ValueError(f"a {kind} needs at least {least} positions, got {len(coords)}")
    for item in coords:
        _check_positions(item, depth - 1, kind)
    if depth == 1 and kind in ("Polygon", "MultiPolygon") and coords[0] != coords[-1]:
        raise ValueError(f"a {kind} ring must end where it starts")


def _positions(coords: Any, depth: int) -> Iterator[list[float]]:
    if depth == 0:
        yield coords
        return
    for item in coords:
        yield from _positions(item, depth - 1)
