"""The "packs" resolver: gazetteers the user adds (GeoNames dumps, CSV, GeoJSON).

``storymap gazetteer add FILE`` indexes a file once into ``packs/<name>.sqlite`` in
storymap's cache directory (built under a temporary name, then renamed: a reader never
sees half a pack); every build then finds its forts, rivers, squares and buildings.
:func:`key_stats` lets the place reader see names only a pack knows; :func:`pack_datasets`
lets the credits name each pack and its licence. A GeoNames dump keeps GeoNames' ids
("geonames:5391959"), so a town it shares with the cities index is the same place.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..errors import ConfigError, GazetteerError
from ..model import Attribution
from ..model.datasets import Dataset
from ..resources import cache_dir
from ..text.folding import fold
from ..textio import sweep_temps, temp_path
from .base import Candidate
from .packfiles import DEFAULT_CLASSES, PackRow, file_format, read_rows

__all__ = ["Pack", "PackResolver", "add_pack", "installed", "key_stats", "lookup",
           "pack_datasets", "pack_places", "remove_pack"]

#: Bump when the layout of a pack file changes; packs of another layout must be re-added.
PACK_FORMAT = 1
GEONAMES_LICENCE = "CC BY 4.0"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_BATCH = 20_000

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE place (id INTEGER PRIMARY KEY, ref TEXT NOT NULL, name TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL, kind TEXT NOT NULL, country TEXT NOT NULL,
    population INTEGER NOT NULL, admin1 TEXT NOT NULL, aliases TEXT NOT NULL);
CREATE TABLE name (key TEXT NOT NULL, id INTEGER NOT NULL);
"""


@dataclass(frozen=True)
class Pack:
    """An installed pack: its name, file and what it was made from."""

    name: str
    path: Path
    format: str  # "geonames" | "csv" | "geojson"
    file: str  # the name (not the path) of the file it was made from
    licence: str
    url: str
    places: int
    added: str

    def source(self, ref: str) -> str:
        """Return the ``source`` of one of its places (credits read the dataset from it)."""
        if self.format == "geonames":
            return f"GeoNames {ref} (pack {self.name}, {self.licence})"
        return f"pack {self.name}: {self.file}, {self.licence or 'licence not stated'}"

    def place_id(self, ref: str) -> str:
        return f"geonames:{ref}" if self.format == "geonames" else f"pack:{self.name}:{ref}"


def packs_dir() -> Path:
    """Return the directory of the installed packs (it may not exist)."""
    return _packs_dir((os.environ.get("STORYMAP_CACHE_DIR"), os.environ.get("XDG_CACHE_HOME"),
                       os.environ.get("HOME")))


@functools.lru_cache(maxsize=8)
def _packs_dir(env: tuple[str | None, ...]) -> Path:
    # Asked for every name the reader weighs: Path.home() costs more than the lookup.
    return cache_dir() / "packs"


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ConfigError(f"pack name {name!r}: use letters, digits, '-', '_' or '.' "
                          "(at most 64), e.g. --name us-forts")
    return name


def _keys(name: str, aliases: Iterable[str]) -> set[str]:
    """The folded names a place is found by (like the GeoNames index: Latin script only)."""
    keys = set()
    for i, raw in enumerate((name, *aliases)):
        if i and len(raw) <= 3 and raw.isupper():
            continue  # codes ("FTZ"), not names anyone writes
        key = fold(raw)
        if len(key) >= 2 and key.isascii() and "?" not in key \
                and not key.replace(" ", "").isdigit():
            keys.add(key)
    return keys


def add_pack(path: Path, *, name: str | None = None, licence: str | None = None,
             url: str | None = None, classes: frozenset[str] = DEFAULT_CLASSES,
             on_progress: Callable[[int], None] | None = None) -> Pack:
    """Index ``path`` as the pack ``name`` (default: the file's stem), replacing one of that name.

    Streams the file into a temporary SQLite file and renames it into place. Raises
    GazetteerError for a file that cannot be read (naming it) or a cache that cannot be
    written, ConfigError for a bad name.
    """
    path = Path(path)
    fmt = file_format(path)
    pack_name = _check_name(name or path.name.split(".")[0])
    if licence is None:
        licence = GEONAMES_LICENCE if fmt == "geonames" else ""
    if url is None:
        url = "https://www.geonames.org" if fmt == "geonames" else ""
    target = packs_dir() / f"{pack_name}.sqlite"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        sweep_temps(target.parent, "pack")  # what a killed import left (843 MB of strays)
        tmp = temp_path(target.parent, "pack", f".{pack_name}")
    except OSError as exc:
        raise GazetteerError(f"cannot write the pack index in {target.parent}: {exc}; set "
                             "STORYMAP_CACHE_DIR to a writable directory") from None
    try:
        count = _write(tmp, read_rows(path, classes=classes), on_progress, meta={
            "name": pack_name, "format": fmt, "file": path.name, "licence": licence,
            "url": url, "added": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "pack_format": str(PACK_FORMAT)})
        if count == 0:
            raise GazetteerError(f"{path}: no places found in it; check the file (and "
                                 "--classes for a GeoNames dump)")
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        raise GazetteerError(f"cannot write the pack index {target}: {exc}; check the free "
                             "space in the cache directory (STORYMAP_CACHE_DIR)") from None
    except OSError as exc:  # the file vanished or is unreadable mid-import
        raise GazetteerError(f"{path}: cannot be read ({exc}); check the file and its "
                             "permissions") from None
    finally:  # also on Ctrl-C; a killed import's file goes at the next add
        tmp.unlink(missing_ok=True)
    _forget()
    return next(p for p in installed() if p.name == pack_name)


def _write(tmp: Path, rows: Iterator[PackRow], on_progress: Callable[[int], None] | None,
           *, meta: dict[str, str]) -> int:
    con = sqlite3.connect(tmp)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        places: list[tuple[object, ...]] = []
        names: list[tuple[str, int]] = []
        count = 0
        for row in rows:
            count += 1
            places.append((count, row.ref, row.name, row.lat, row.lon, row.kind, row.country,
                           row.population, row.admin1, "; ".join(row.aliases[:20])
                           if meta["format"] != "geonames" else ""))
            names.extend((k, count) for k in _keys(row.name, row.aliases))
            if len(places) >= _BATCH:
                _flush(con, places, names)
                if on_progress:
                    on_progress(count)
        _flush(con, places, names)
        con.execute("CREATE INDEX name_key ON name (key)")
        con.executemany("INSERT INTO meta VALUES (?, ?)",
                        [*meta.items(), ("places", str(count))])
        con.commit()
    finally:
        con.close()
    return count


def _flush(con: sqlite3.Connection, places: list[tuple[object, ...]],
           names: list[tuple[str, int]]) -> None:
    con.executemany("INSERT INTO place VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", places)
    con.executemany("INSERT INTO name VALUES (?, ?)", names)
    places.clear()
    names.clear()


def remove_pack(name: str) -> Pack:
    """Remove the installed pack ``name``; raise ConfigError naming the installed ones."""
    for pack in installed():
        if pack.name == name:
            try:
                pack.path.unlink()
            except OSError as exc:
                raise GazetteerError(f"cannot remove {pack.path}: {exc}") from None
            _forget()
            return pack
    have = ", ".join(p.name for p in installed()) or "none"
    raise ConfigError(f"no gazetteer pack called {name!r} (installed: {have}); see "
                      "`storymap gazetteer list`")


#: How long the list of installed packs is trusted before the directory is looked at again.
#: The reader asks for every name it weighs (100,000s in a corpus): a stat() each time
#: cost more than the rest; a pack added by another process shows within this delay.
RECHECK_SECONDS = 1.0
_seen: list[tuple[float, tuple[Pack, ...]]] = []  # [(when looked, packs)], at most one


def installed() -> tuple[Pack, ...]:
    """Return the installed packs, by name (re-read when the packs directory changes)."""
    now = time.monotonic()
    if _seen and now - _seen[0][0] < RECHECK_SECONDS:
        return _seen[0][1]
    folder = packs_dir()
    try:
        stamp = os.stat(folder).st_mtime_ns
    except OSError:
        found: tuple[Pack, ...] = ()
    else:
        found = _installed(str(folder), stamp)
    _seen[:] = [(now, found)]
    return found


@functools.lru_cache(maxsize=4)
def _installed(folder: str, stamp: int) -> tuple[Pack, ...]:
    out = []
    for path in sorted(Path(folder).glob("*.sqlite")):
        try:
            con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            try:
                meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            finally:
                con.close()
        except sqlite3.Error:
            continue  # not a pack (or a damaged one): `gazetteer list` shows the rest
        if meta.get("pack_format") != str(PACK_FORMAT):
            continue
        out.append(Pack(name=meta["name"], path=path, format=meta["format"], file=meta["file"],
                        licence=meta["licence"], url=meta["url"],
                        places=int(meta["places"]), added=meta["added"]))
    return tuple(out)


_local = threading.local()


def _connection(pack: Pack) -> sqlite3.Connection:
    cons: dict[tuple[Path, str], sqlite3.Connection] = _local.__dict__.setdefault("cons", {})
    key = (pack.path, pack.added)
    con = cons.get(key)
    if con is None:
        con = sqlite3.connect(f"{pack.path.as_uri()}?mode=ro", uri=True)
        cons[key] = con
    return con


def _forget() -> None:
    for con in _local.__dict__.pop("cons", {}).values():
        con.close()
    _installed.cache_clear()
    _key_stats.cache_clear()
    _seen.clear()


_SELECT = ("SELECT p.ref, p.name, p.lat, p.lon, p.kind, p.country, p.population, p.admin1,"
           " p.aliases FROM name n JOIN place p ON p.id = n.id WHERE n.key = ?"
           " ORDER BY p.population DESC, p.id LIMIT ?")


def lookup(name: str, *, limit: int = 20) -> tuple[Candidate, ...]:
    """Return the places of every installed pack called ``name`` (folded), largest first."""
    key = fold(name)
    packs = installed()
    if not packs or len(key) < 2 or "?" in key:
        return ()
    out: list[Candidate] = []
    for pack in packs:
        try:
            rows = _connection(pack).execute(_SELECT, (key, limit)).fetchall()
        except sqlite3.Error as exc:
            raise GazetteerError(f"gazetteer pack {pack.path} cannot be read ({exc}); add "
                                 f"it again or `storymap gazetteer remove {pack.name}`") from None
        out.extend(_candidate(pack, row) for row in rows)
    out.sort(key=lambda c: -c.population)
    return tuple(out[:limit])


def _candidate(pack: Pack, row: tuple[object, ...]) -> Candidate:
    # ``names`` stays empty: it is keyed by language, and a pack's aliases have none
    ref, name, lat, lon, kind, country, population, admin1, _aliases = row
    return Candidate(
        id=pack.place_id(str(ref)), name=str(name), lat=float(str(lat)), lon=float(str(lon)),
        kind=str(kind), country=str(country), population=int(str(population)),
        source=pack.source(str(ref)),
        parent=f"{country}.{admin1}" if country and admin1 else "",
    )


def key_stats(key: str) -> tuple[int, int, int]:
    """Return what the installed packs know of folded name ``key``, like
    :func:`storymap.geo.geonames.key_stats`: (places, largest population, largest population
    of a place whose own name it is, or -1). ``(0, 0, -1)`` when none (or no packs)."""
    packs = installed()
    if not packs:
        return (0, 0, -1)
    return _key_stats(packs, key)


@functools.lru_cache(maxsize=1 << 16)
def _key_stats(packs: tuple[Pack, ...], key: str) -> tuple[int, int, int]:
    if "?" in key or len(key) < 2:
        return (0, 0, -1)
    count, largest, own = 0, 0, -1
    for pack in packs:
        for name, pop in _connection(pack).execute(
                "SELECT p.name, p.population FROM name n JOIN place p ON p.id = n.id"
                " WHERE n.key = ?", (key,)):
            count += 1
            largest = max(largest, pop)
            if fold(name) == key:
                own = max(own, pop)
    return (count, largest, own)


def pack_places(pack: Pack, *, kind: str | None = None) -> Iterator[Candidate]:
    """Yield every place of ``pack`` (of one kind if given), in file order, streamed."""
    sql = ("SELECT ref, name, lat, lon, kind, country, population, admin1, aliases FROM place"
           + (" WHERE kind = ?" if kind else "") + " ORDER BY id")
    con = sqlite3.connect(f"{pack.path.as_uri()}?mode=ro", uri=True)
    try:
        for row in con.execute(sql, (kind,) if kind else ()):
            yield _candidate(pack, row)
    finally:
        con.close()


def pack_datasets() -> tuple[Dataset, ...]:
    """Return a credits Dataset for each installed CSV or GeoJSON pack.

    A GeoNames dump needs none of its own: its places' sources start "GeoNames", which
    the GeoNames entry of places/credits/datasets.json credits (CC BY 4.0).
    """
    out = []
    for pack in installed():
        if pack.format == "geonames":
            continue
        licence = pack.licence or "licence not stated"
        out.append(Dataset(
            id=f"pack-{pack.name}",
            attribution=Attribution(name=f"{pack.name} ({pack.file})", license=pack.licence,
                                    url=pack.url,
                                    text=f"Places from {pack.file} (gazetteer pack "
                                         f"{pack.name}), {licence}"),
            sources=(f"pack {pack.name}:",)))
    return tuple(out)


class PackResolver:
    """Resolve names against the installed packs, offline; ``()`` when none is installed."""

    name = "packs"

    def __init__(self, *, limit: int = 20) -> None:
        self.limit = limit

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Return the pack places called ``name``, most populous first."""
        return lookup(name, limit=self.limit)

