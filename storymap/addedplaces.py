"""Places a user adds: GeoNames dumps, CSV or GeoJSON files, indexed once into the cache.

``storymap gazetteer add FILE`` reads

* a **GeoNames dump** (``US.zip``, ``CZ.zip``, ``allCountries.zip`` from
  https://download.geonames.org/export/dump/, CC BY 4.0, or the ``.txt`` inside): every
  feature class, so forts, rivers, islands, squares and buildings become places;
* a **CSV** with a header and the columns ``name,lat,lon`` and, optionally, ``kind``,
  ``aliases`` (separated by ``;`` or ``|``), ``country`` and ``population``;
* a **GeoJSON** FeatureCollection whose features have a ``name`` property (points; other
  geometries are placed at the middle of their bounding box),

into ``added-places.sqlite`` in storymap's cache directory, beside the GeoNames index.
Every build then finds them through the ``geonames`` resolver; ``storymap gazetteer
remove NAME`` takes a file's places out again. Nothing is downloaded.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import sqlite3
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import GazetteerError
from .folding import fold

__all__ = ["AddedSource", "add_file", "added_path", "lookup_added", "remove_source", "sources"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS source (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                                   file TEXT NOT NULL, places INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS place (
    id INTEGER PRIMARY KEY, source INTEGER NOT NULL, ref TEXT NOT NULL, name TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL, kind TEXT NOT NULL, country TEXT NOT NULL,
    population INTEGER NOT NULL, admin1 TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS name (key TEXT NOT NULL, place INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS name_key ON name (key);
CREATE INDEX IF NOT EXISTS place_source ON place (source);
"""

#: GeoNames feature codes → the kinds storymap knows (the class letter decides otherwise).
_CODES = {"FT": "fort", "CMP": "camp", "STM": "river", "STMX": "river", "CRKT": "river",
          "ISL": "island", "ISLS": "island", "LK": "lake", "BAY": "bay", "SQR": "square",
          "ST": "street", "BDG": "bridge", "CH": "church", "RSTN": "station", "PASS": "pass",
          "GAP": "pass", "MT": "mountain", "HLL": "hill", "VAL": "valley", "FRD": "ford",
          "CSTL": "building", "PAL": "building", "BLDG": "building", "MUS": "building",
          "ADM1": "region", "ADM2": "region", "PCLI": "country"}
_CLASSES = {"P": "town", "H": "water", "T": "hill", "S": "building", "L": "area", "A": "region",
            "V": "area", "R": "road", "U": "sea"}


@dataclass(frozen=True)
class AddedSource:
    """A file whose places were added: its name (for ``remove``), path and count."""

    name: str
    file: str
    places: int


@dataclass(frozen=True)
class AddedPlace:
    """One added place, as the geonames resolver returns it."""

    ref: str
    name: str
    lat: float
    lon: float
    kind: str
    country: str
    population: int
    admin1: str
    source: str


def added_path() -> Path:
    """Return where the added places live (beside the GeoNames index)."""
    from .geonames import index_path

    return index_path().parent / "added-places.sqlite"  # index_path is cached per environment


def _open(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    con.executescript(_SCHEMA)
    return con


def add_file(file: Path, *, name: str | None = None) -> AddedSource:
    """Index the places of ``file`` (GeoNames dump, CSV or GeoJSON) under ``name``.

    ``name`` defaults to the file's stem; adding a name again replaces its places.
    Raises GazetteerError (one line naming the file) for a file it cannot read.
    """
    label = name or file.stem
    try:
        rows = list(_read(file))
    except (OSError, ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile,
            csv.Error, UnicodeDecodeError) as exc:
        raise GazetteerError(f"{file}: cannot read places from it ({exc}); expected a GeoNames "
                             "dump (.zip or .txt), a CSV with name,lat,lon or a GeoJSON "
                             "FeatureCollection") from None
    if not rows:
        raise GazetteerError(f"{file}: no places found in it (see `storymap gazetteer add -h`)")
    try:
        con = _open(added_path())
        with con:
            _delete(con, label)
            sid = con.execute("INSERT INTO source (name, file, places) VALUES (?, ?, ?)",
                              (label, str(file), len(rows))).lastrowid
            for place, names in rows:
                pid = con.execute(
                    "INSERT INTO place (source, ref, name, lat, lon, kind, country, population,"
                    " admin1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (sid, *place)).lastrowid
                con.executemany("INSERT INTO name VALUES (?, ?)", ((k, pid) for k in names))
        con.close()
    except sqlite3.Error as exc:
        raise GazetteerError(f"{added_path()}: cannot write the added places ({exc}); set "
                             "STORYMAP_CACHE_DIR to a writable directory") from None
    _changed()
    return AddedSource(label, str(file), len(rows))


def remove_source(name: str) -> int:
    """Remove the places added under ``name``; return how many there were (0 if none)."""
    path = added_path()
    if not path.exists():
        return 0
    con = _open(path)
    with con:
        n = _delete(con, name)
    con.close()
    _changed()
    return n


def _delete(con: sqlite3.Connection, name: str) -> int:
    row = con.execute("SELECT id, places FROM source WHERE name = ?", (name,)).fetchone()
    if row is None:
        return 0
    con.execute("DELETE FROM name WHERE place IN (SELECT id FROM place WHERE source = ?)",
                (row[0],))
    con.execute("DELETE FROM place WHERE source = ?", (row[0],))
    con.execute("DELETE FROM source WHERE id = ?", (row[0],))
    return int(row[1])


def sources() -> tuple[AddedSource, ...]:
    """Return the files added so far."""
    path = added_path()
    if not path.exists():
        return ()
    con = _open(path)
    try:
        return tuple(AddedSource(*r) for r in
                     con.execute("SELECT name, file, places FROM source ORDER BY name"))
    finally:
        con.close()


def lookup_added(key: str) -> tuple[AddedPlace, ...]:
    """Return the added places whose folded name is ``key`` (most populous first)."""
    path = added_path()
    if not path.exists():
        return ()
    return _lookup(str(path), _stamp(path), key)


def _stamp(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@functools.lru_cache(maxsize=1 << 15)
def _lookup(path: str, stamp: float, key: str) -> tuple[AddedPlace, ...]:
    con = sqlite3.connect(f"{Path(path).as_uri()}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT p.ref, p.name, p.lat, p.lon, p.kind, p.country, p.population, p.admin1,"
            " s.name FROM name n JOIN place p ON p.id = n.place JOIN source s"
            " ON s.id = p.source WHERE n.key = ? ORDER BY p.population DESC, p.id", (key,))
        return tuple(AddedPlace(*r) for r in rows)
    finally:
        con.close()


def _changed() -> None:
    _lookup.cache_clear()


# --- reading the three formats ------------------------------------------------------------

Row = tuple[tuple[str, str, float, float, str, str, int, str], set[str]]


def _read(file: Path) -> Iterator[Row]:
    suffix = file.suffix.lower()
    if suffix == ".zip":
        with zipfile.ZipFile(file) as z:
            inner = [n for n in z.namelist() if n.endswith(".txt") and "readme" not in n.lower()]
            if not inner:
                raise ValueError("no .txt GeoNames table in the zip")
            with z.open(inner[0]) as raw:
                yield from _geonames(io.TextIOWrapper(raw, encoding="utf-8"))
        return
    if suffix in (".json", ".geojson"):
        yield from _geojson(json.loads(file.read_text(encoding="utf-8")), file.stem)
        return
    with file.open(encoding="utf-8", newline="") as f:
        first = f.readline()
        f.seek(0)
        if first.count("\t") >= 18:
            yield from _geonames(f)
        else:
            yield from _csv(f, file.stem)


def _keys(names: Iterable[str]) -> set[str]:
    out = set()
    for raw in names:
        key = fold(raw)
        if len(key) >= 2 and "?" not in key and not key.replace(" ", "").isdigit():
            out.add(key)
    return out


def _geonames(lines: Iterable[str]) -> Iterator[Row]:
    from .resolvers.geonames import kind_for_population

    for line in lines:
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 15:
            continue
        population = int(cols[14] or 0)
        kind = _CODES.get(cols[7]) or (kind_for_population(population) if cols[6] == "P"
                                       else _CLASSES.get(cols[6], "place"))
        alternates = [a for a in cols[3].split(",") if a and not (len(a) <= 3 and a.isupper())]
        yield ((f"geonames:{int(cols[0])}", cols[1], float(cols[4]), float(cols[5]), kind,
                cols[8], population, cols[10]), _keys([cols[1], cols[2], *alternates]))


def _csv(f: io.TextIOBase | Any, stem: str) -> Iterator[Row]:
    reader = csv.DictReader(f)
    fields = {k.strip().lower(): k for k in reader.fieldnames or ()}
    missing = {"name", "lat", "lon"} - set(fields)
    if missing:
        raise ValueError(f"missing column(s) {', '.join(sorted(missing))}")
    for n, row in enumerate(reader, start=1):
        def get(col: str, row: dict[str, str] = row) -> str:
            return (row.get(fields.get(col, ""), "") or "").strip()

        name = get("name")
        aliases = [a.strip() for a in re.split(r"[;|]", get("aliases")) if a.strip()]
        yield ((f"user:{stem}:{n}", name, _coord(get("lat"), 90), _coord(get("lon"), 180),
                get("kind") or "place", get("country").upper(), int(get("population") or 0), ""),
               _keys([name, *aliases]))


def _coord(value: str, bound: float) -> float:
    x = float(value)
    if not -bound <= x <= bound:
        raise ValueError(f"coordinate {value} out of range")
    return x


def _geojson(data: Any, stem: str) -> Iterator[Row]:
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise ValueError("not a GeoJSON FeatureCollection")
    for n, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        name = str(props.get("name") or "").strip()
        if not name:
            continue
        lon, lat = _middle(feature.get("geometry") or {})
        aliases = props.get("aliases") or []
        if isinstance(aliases, str):
            aliases = re.split(r"[;|]", aliases)
        yield ((f"user:{stem}:{n}", name, _coord(str(lat), 90), _coord(str(lon), 180),
                str(props.get("kind") or "place"), str(props.get("country") or "").upper(),
                int(props.get("population") or 0), ""),
               _keys([name, *map(str, aliases)]))


def _middle(geometry: dict[str, Any]) -> tuple[float, float]:
    points: list[tuple[float, float]] = []

    def walk(c: Any) -> None:
        if isinstance(c, list) and len(c) >= 2 and all(isinstance(v, int | float) for v in c[:2]):
            points.append((float(c[0]), float(c[1])))
        elif isinstance(c, list):
            for x in c:
                walk(x)

    walk(geometry.get("coordinates"))
    if not points:
        raise ValueError("a feature without coordinates")
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
