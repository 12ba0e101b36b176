"""Divisions of every country, US counties and rivers, offline: a cached name index.

The data are vendored in ``places/divisions/divisions.tsv`` (first-level divisions of
every country: GeoNames admin1 names, CC BY 4.0, at Natural Earth admin-1 label points,
public domain; Natural Earth units GeoNames does not name, such as Irish and British
counties; US counties from the US Census Bureau Gazetteer, public domain) and
``places/rivers/rivers.tsv`` (named rivers of Natural Earth, each with its line and its
mouth), rebuilt by ``scripts/build_divisions.py``. How texts name them ("County
Wexford", "Wexford County", "Co. Wexford", "the Province of Ontario", "Rapidan River",
"River Thames") is data too: ``places/divisions/forms.yaml``.

Folding some 60,000 names takes a noticeable part of a second, so the first use builds a
small SQLite file in the cache directory (like the GeoNames index), keyed by the files'
names, sizes and times: editing the data rebuilds it; later runs open it in milliseconds.
A river's line is decoded only when a lookup returns it.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import GazetteerError
from ..text.folding import fold
from .candidates import Candidate
from .lines import geometry

__all__ = ["division_keys", "key_stats", "lookup", "river_keys"]

#: Bump when the layout of the SQLite file or the way keys are made changes.
INDEX_FORMAT = 2
#: Decimals of the encoded river lines (scripts/build_divisions.py writes 3: ~100 m).
LINE_DECIMALS = 3

_SCHEMA = """
CREATE TABLE place (n INTEGER PRIMARY KEY, id TEXT NOT NULL, name TEXT NOT NULL,
    kind TEXT NOT NULL, country TEXT NOT NULL, parent TEXT NOT NULL, lat REAL NOT NULL,
    lon REAL NOT NULL, population INTEGER NOT NULL, source TEXT NOT NULL, line TEXT NOT NULL,
    rank INTEGER NOT NULL);
CREATE TABLE name (key TEXT NOT NULL, n INTEGER NOT NULL, own INTEGER NOT NULL,
    PRIMARY KEY (key, n)) WITHOUT ROWID;
"""


def _files(folder: Path) -> tuple[Path, Path, Path]:
    return (folder / "divisions" / "divisions.tsv", folder / "rivers" / "rivers.tsv",
            folder / "divisions" / "forms.yaml")


@functools.cache
def _forms(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise TypeError("expected a mapping")
        return {
            "division": tuple(str(f) for f in data["division_forms"]),
            "abbreviations": {str(k): tuple(str(a) for a in v)
                              for k, v in (data.get("abbreviations") or {}).items()},
            "river": tuple(str(f) for f in data["river_forms"]),
            "not_bare": frozenset(fold(w) for line in data.get("rivers_not_bare") or ()
                                  for w in str(line).split()),
        }
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise GazetteerError(f"{path}: cannot read the forms of division and river names "
                             f"({exc}); see places/SOURCES.md") from None


def division_keys(names: Sequence[str], designator: str, *, bare: bool,
                  forms: Mapping[str, Any]) -> set[str]:
    """Return the folded keys of a division: its names, and with its designator.

    >>> f = {"division": ("{name} {type}", "{type} of {name}", "{type} {name}"),
    ...      "abbreviations": {"county": ("co",)}}
    >>> sorted(division_keys(["Wexford"], "county", bare=False, forms=f))
    ['co wexford', 'county of wexford', 'county wexford', 'wexford co', 'wexford county']
    """
    types = [designator, *forms["abbreviations"].get(designator, ())] if designator else []
    keys: set[str] = set()
    for name in names:
        if bare:
            keys.add(fold(name))
        for i, t in enumerate(types):
            for form in forms["division"]:
                if i and " of " in form and len(t) < 5:
                    continue  # "Co. of Wexford" is no one's usage; "Territory of Utah" is
                keys.add(fold(form.format(name=name, type=t)))
    keys.discard("")
    return keys


def river_keys(names: Sequence[str], forms: Mapping[str, Any]) -> set[str]:
    """Return the folded keys of a river: "Rapidan", "Rapidan River", "River Rapidan".

    A name that is a common word ("Red", "White") is a key only with "River".

    >>> f = {"river": ("{name} River", "River {name}"), "not_bare": frozenset({"red"})}
    >>> sorted(river_keys(["Red"], f)), sorted(river_keys(["Rapidan River"], f))
    (['red river', 'river red'], ['rapidan', 'rapidan river', 'river rapidan'])
    """
    keys: set[str] = set()
    for name in names:
        key = fold(name)
        base = key[: -len(" river")] if key.endswith(" river") else key
        if not base:
            continue
        if base not in forms["not_bare"]:
            keys.add(base)
        keys.update(fold(form.format(name=base)) for form in forms["river"])
    return keys


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        lines = (line for line in f if not line.startswith("#"))
        yield from csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE,
                                  escapechar="\\")


def build_index(target: Path, folder: Path) -> Path:
    """Build the SQLite index at ``target`` from the files in ``folder``, atomically.

    Raises GazetteerError when a file cannot be read or the cache cannot be written.
    """
    divisions, rivers, forms_file = _files(folder)
    forms = _forms(forms_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        places: list[tuple[Any, ...]] = []
        names: list[tuple[str, int, int]] = []
        for row in _rows(divisions):
            n = len(places)
            own = row["names"].split("|")
            places.append((n, row["id"], own[0], row["kind"], row["country"], row["parent"],
                           float(row["lat"]), float(row["lon"]), int(row["population"]),
                           row["source"], "", 0))
            bare = not row["id"].startswith("us-county:")  # a county needs its designator
            for key in division_keys(own, row["designator"], bare=bare, forms=forms):
                names.append((key, n, int(key in {fold(x) for x in own})))
        for row in _rows(rivers):
            n = len(places)
            own = row["names"].split("|")
            # "Red River", "Rio Grande", "Dnieper River": the name a reader knows it by
            display = own[0] if " " in own[0].strip() else f"{own[0]} River"
            places.append((n, row["id"], display, "river", row["country"], "",
                           float(row["lat"]), float(row["lon"]), 0, row["source"],
                           row["line"], int(row["scalerank"])))
            names.extend((key, n, 1) for key in river_keys(own, forms))
        con = sqlite3.connect(tmp)
        try:
            con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
            con.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", places)
            con.executemany("INSERT OR IGNORE INTO name VALUES (?,?,?)", names)
            con.commit()
        finally:
            con.close()
        os.replace(tmp, target)
    except (OSError, ValueError, KeyError, sqlite3.Error, csv.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise GazetteerError(
            f"could not build the index of divisions and rivers {target} from {folder}: "
            f"{exc}; check places/divisions and places/rivers (scripts/build_divisions.py "
            "rebuilds them) and that the cache directory is writable (STORYMAP_CACHE_DIR)"
        ) from exc
    return target


_LOCK = threading.Lock()
_local = threading.local()


@functools.lru_cache(maxsize=8)
def _index_path(folder: Path, cache: Path) -> Path:
    try:
        stamp = hashlib.sha1(repr([(p.name, p.stat().st_size, p.stat().st_mtime_ns)
                                   for p in _files(folder)] + [INDEX_FORMAT]).encode())
    except OSError as exc:
        raise GazetteerError(f"{folder}: the divisions and rivers data are missing ({exc}); "
                             "reinstall storymap") from None
    return cache / f"divisions-{stamp.hexdigest()[:16]}.sqlite"


def _connection(folder: Path | None) -> sqlite3.Connection:
    from ..resources import cache_dir, data_dir, shipped

    where = folder or data_dir("places")
    # An installed wheel ships the index of its own places/ (hatch_build.py).
    path = (shipped(f"divisions-f{INDEX_FORMAT}.sqlite") if folder is None else None) or \
        _index_path(where, cache_dir())
    cons: dict[Path, sqlite3.Connection] = _local.__dict__.setdefault("cons", {})
    con = cons.get(path)
    if con is None:
        if not path.exists():
            with _LOCK:
                if not path.exists():
                    build_index(path, where)
        con = cons[path] = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True,
                                           check_same_thread=False)
    return con


def lookup(name: str, *, folder: Path | None = None) -> tuple[Candidate, ...]:
    """Return the divisions and rivers called ``name``: most populous, then largest first.

    Nothing found is ``()``; a ``?`` (a lost letter) matches nothing here. A river comes
    with its line as ``geometry``. Raises GazetteerError when the index cannot be built.
    """
    key = fold(name)
    if len(key) < 2 or "?" in key:
        return ()
    rows = _connection(folder).execute(
        "SELECT p.id, p.name, p.kind, p.country, p.parent, p.lat, p.lon, p.population,"
        " p.source, p.line FROM name k JOIN place p ON p.n = k.n WHERE k.key = ?"
        " ORDER BY p.population DESC, p.rank, p.n", (key,)).fetchall()
    return tuple(_candidate(*row) for row in rows)


def _candidate(pid: str, name: str, kind: str, country: str, parent: str, lat: float,
               lon: float, population: int, source: str, line: str) -> Candidate:
    return Candidate(id=pid, name=name, lat=lat, lon=lon, kind=kind, country=country,
                     population=population, source=source, parent=parent,
                     geometry=geometry(line.split(" "), LINE_DECIMALS) if line else None)


def key_stats(key: str, *, folder: Path | None = None) -> tuple[int, int, int]:
    """Return (places, largest population, largest population under its own name or -1)
    for a folded name, as :func:`storymap.geo.geonames.key_stats` does for towns."""
    if len(key) < 2 or "?" in key:
        return (0, 0, -1)
    rows = _connection(folder).execute(
        "SELECT p.population, k.own FROM name k JOIN place p ON p.n = k.n WHERE k.key = ?",
        (key,)).fetchall()
    own = [pop for pop, is_own in rows if is_own]
    return (len(rows), max((pop for pop, _ in rows), default=0), max(own, default=-1))
