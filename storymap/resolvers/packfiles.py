"""Readers of the files ``storymap gazetteer add`` takes: GeoNames dumps, CSV and GeoJSON.

Each reader yields :class:`PackRow` values one at a time, so a 1.5 GB ``allCountries.zip``
is read as a stream (never whole into memory). A file that is not what it claims raises
GazetteerError naming the file, the line and what to do.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import GazetteerError
from .geonames import kind_for_population

__all__ = ["DUMP_URL", "PackRow", "file_format", "read_rows"]

#: Where GeoNames publishes its dumps (named in messages and docs; storymap never downloads).
DUMP_URL = "https://download.geonames.org/export/dump/"

#: Columns of the GeoNames "geoname" table (readme.txt of the dump).
_GEONAME_COLUMNS = 19


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
        for number, line in enumerate(lines, 1):  # noqa: B007 - the line number is reported
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
            reader = csv.DictReader(f)
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
    # A GeoJSON document is one JSON value: it is parsed whole (keep big ones as CSV).
    from shapely.geometry import shape

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise GazetteerError(f"{path}: not a readable GeoJSON file ({exc}); expected a "
                             "FeatureCollection of named features") from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise GazetteerError(f"{path}: expected a GeoJSON FeatureCollection with a "
                             "'features' list")
    for number, feat in enumerate(features):
        where = f"{path}: feature {number}"
        props: dict[str, Any] = (feat.get("properties") or {}) if isinstance(feat, dict) else {}
        name = str(props.get("name") or props.get("title") or "").strip()
        if not name:
            raise GazetteerError(f"{where}: no 'name' property; give every feature a name")
        try:
            geom = shape(feat["geometry"])
            point = geom if geom.geom_type == "Point" else geom.centroid
            lat, lon = _lat(str(point.y)), _lon(str(point.x))
        except Exception as exc:  # shapely raises several types for malformed geometry
            raise GazetteerError(f"{where} ({name}): unusable geometry ({exc}); expected a "
                                 "Point or a Polygon in [lon, lat]") from None
        try:
            population = int(props.get("population") or 0)
        except (TypeError, ValueError):
            raise GazetteerError(f"{where} ({name}): population "
                                 f"{props.get('population')!r} is not a whole number") from None
        raw_aliases = props.get("aliases") or ()
        if isinstance(raw_aliases, str):
            raw_aliases = raw_aliases.replace("|", ";").split(";")
        yield PackRow(ref=str(props.get("id") or number + 1), name=name, lat=lat, lon=lon,
                      kind=str(props.get("kind") or "place"),
                      country=str(props.get("country") or "").upper(),
                      population=population,
                      aliases=tuple(str(a).strip() for a in raw_aliases if str(a).strip()))
