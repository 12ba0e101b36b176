"""The curated gazetteer: places/*.yaml loaded once into a name index.

Each entry lists a place's English and Hungarian names, aliases and historic names (see
places/README.md). Loading adds the variants a reader would write: English and Hungarian
generic words for each other ("Kossuth tér" / "Kossuth Square"), and the usual ways of
naming a Budapest district ("District VIII", "VIII. kerület", "the eighth district").
Names are compared folded (storymap.folding.fold): case-, accent- and ``?``-insensitive.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .errors import GazetteerError, StorymapError
from .folding import fold, wildcard_regex
from .resolvers.base import Candidate

__all__ = ["Gazetteer", "GazetteerEntry", "load_gazetteer", "ordinal_words", "roman"]

KINDS = frozenset(
    "country region city town village district neighbourhood square street building monument "
    "river lake sea island mountains airfield industrial cemetery junction memorial area".split()
)

# Hungarian generic words and their English equivalents, both ways.
_GENERICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ter", ("square",)),
    ("korter", ("circus", "square")),
    ("utca", ("street",)),
    ("ut", ("road", "avenue")),
    ("koz", ("passage", "alley")),
    ("korut", ("boulevard", "ring road")),
    ("hid", ("bridge",)),
    ("laktanya", ("barracks",)),
    ("palyaudvar", ("station", "railway station")),
    ("sziget", ("island",)),
    ("hegy", ("hill",)),
    ("rakpart", ("embankment", "quay")),
)

_ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
    "twenty-first twenty-second twenty-third"
).split()


def roman(n: int) -> str:
    """Return ``n`` (1–39) in Roman numerals.

    >>> roman(8), roman(14), roman(23)
    ('VIII', 'XIV', 'XXIII')
    """
    out = "X" * (n // 10)
    return out + ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")[n % 10]


def ordinal_words(n: int) -> tuple[str, str]:
    """Return the spelled and numeric English ordinals of ``n``.

    >>> ordinal_words(8), ordinal_words(21)
    (('eighth', '8th'), ('twenty-first', '21st'))
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return _ORDINALS[n - 1], f"{n}{suffix}"


@dataclass(frozen=True)
class GazetteerEntry:
    """One curated place with every name it answers to (as written in places/)."""

    candidate: Candidate
    names: tuple[str, ...]
    number: int = 0
    estimated: bool = False


class Gazetteer:
    """A name index over curated entries: folded name → entries (the "gazetteer" resolver)."""

    name = "gazetteer"

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self.entries: dict[str, GazetteerEntry] = {}
        self.index: dict[str, list[str]] = {}
        #: folded names written all in lower case in places/: they match lower-case text too.
        self.lowercase_ok: set[str] = set()
        for entry in entries:
            cid = entry.candidate.id
            if cid in self.entries:
                raise GazetteerError(f"places/: duplicate place id {cid!r}; ids must be unique")
            self.entries[cid] = entry
            for name in entry.names:
                key = fold(name)
                if not key:
                    continue
                ids = self.index.setdefault(key, [])
                if cid not in ids:
                    ids.append(cid)
                if name == name.lower():
                    self.lowercase_ok.add(key)
        self._finish()

    def _finish(self) -> None:
        self.max_words = max((k.count(" ") + 1 for k in self.index), default=1)
        #: every word-level prefix of a name ("radio", "radio budapest", …): lets the
        #: mention finder stop extending a window as soon as no name can start that way.
        self.prefixes: set[str] = set()
        self._by_first: dict[str, list[str]] = {}
        for key in self.index:
            words = key.split(" ")
            for n in range(1, len(words) + 1):
                self.prefixes.add(" ".join(words[:n]))
            self._by_first.setdefault(key[:1], []).append(key)
        self._wild_cache: dict[str, tuple[str, ...]] = {}

    def to_cache(self) -> dict[str, Any]:
        """Return the index as JSON-ready data (see ``from_cache``)."""
        return {
            "entries": [{"candidate": {k: v for k, v in asdict(e.candidate).items()
                                       if k != "geometry"},
                         "names": e.names, "number": e.number, "estimated": e.estimated}
                        for e in self.entries.values()],
            "index": self.index,
            "lowercase_ok": sorted(self.lowercase_ok),
        }

    @classmethod
    def from_cache(cls, data: Mapping[str, Any]) -> Gazetteer:
        """Rebuild a gazetteer from ``to_cache()`` data without re-reading places/."""
        self = cls.__new__(cls)
        self.entries = {
            e["candidate"]["id"]: GazetteerEntry(candidate=Candidate(**e["candidate"]),
                                                 names=tuple(e["names"]), number=e["number"],
                                                 estimated=e["estimated"])
            for e in data["entries"]
        }
        self.index = {k: list(v) for k, v in data["index"].items()}
        self.lowercase_ok = set(data["lowercase_ok"])
        self._finish()
        return self

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, key: str) -> tuple[str, ...]:
        """Return the ids of entries whose folded name is ``key`` (``?`` = one letter)."""
        if "?" not in key:
            return tuple(self.index.get(key, ()))
        if key not in self._wild_cache:
            rx = wildcard_regex(key)
            names = self.index if key.startswith("?") else self._by_first.get(key[:1], ())
            self._wild_cache[key] = tuple(
                cid for name in names if rx.match(name) for cid in self.index[name]
            )
        return self._wild_cache[key]

    def has_prefix(self, key: str) -> bool:
        """True if some name starts with the words of ``key`` (``?`` = one letter)."""
        if "?" not in key:
            return key in self.prefixes
        rx = wildcard_regex(key)
        return any(rx.match(p) for p in self.prefixes if p[:1] == key[:1] or key[:1] == "?")

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Resolver interface: the curated places called ``name``."""
        return tuple(self.entries[i].candidate for i in self.lookup(fold(name)))


def name_variants(name: str) -> set[str]:
    """Return ``name`` and its English/Hungarian generic-word twins.

    >>> sorted(name_variants("Kossuth tér"))
    ['Kossuth Square', 'Kossuth tér']
    >>> sorted(name_variants("Budaörsi Road"))
    ['Budaörsi Road', 'Budaörsi út']
    """
    out = {name}
    words = name.split()
    if len(words) < 2:
        return out
    head, last = " ".join(words[:-1]), fold(words[-1])
    two = fold(" ".join(words[-2:])) if len(words) >= 3 else ""
    for hu, ens in _GENERICS:
        if last == hu:
            out.update(f"{head} {en.title()}" for en in ens)
        for en in ens:
            if last == en or two == en:
                base = " ".join(words[: -len(en.split())])
                out.add(f"{base} {_HU_SPELLING.get(hu, hu)}")
    return out


# Accented spellings of the Hungarian generics (for display of generated names).
_HU_SPELLING = {"ter": "tér", "korter": "körtér", "ut": "út", "koz": "köz", "korut": "körút",
                "hid": "híd", "palyaudvar": "pályaudvar"}


def district_names(n: int) -> set[str]:
    """Return the ways a text names Budapest district ``n``.

    >>> sorted(district_names(8))[:4]
    ['8th district', 'Budapest VIII', 'District 8', 'District VIII']
    """
    r = roman(n)
    word, num = ordinal_words(n)
    return {f"District {r}", f"District {n}", f"{r}. kerület", f"{r} kerület", f"{r}. district",
            f"{num} district", f"{word} district", f"Budapest {r}", f"{r}th district",
            f"{r}. ker"}


def _entry(raw: Mapping[str, Any], *, file: str) -> GazetteerEntry:
    try:
        pid = str(raw["id"])
        kind = str(raw["kind"])
        lat, lon = float(raw["lat"]), float(raw["lon"])
        source = str(raw["source"])
    except (KeyError, TypeError, ValueError) as exc:
        raise GazetteerError(
            f"{file}: entry {raw.get('id', '?')!r} needs id, kind, lat, lon and source ({exc})"
        ) from None
    if kind not in KINDS:
        raise GazetteerError(
            f"{file}: {pid}: unknown kind {kind!r}; expected one of {sorted(KINDS)}"
        )
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise GazetteerError(f"{file}: {pid}: lat/lon {lat}, {lon} out of range")
    name = str(raw.get("name") or pid)
    name_hu = str(raw.get("name_hu") or "")
    names: set[str] = set()
    written = [name, name_hu, *(str(a) for a in raw.get("aliases") or ())]
    written += [str(h["name"] if isinstance(h, Mapping) else h) for h in raw.get("historic") or ()]
    for n in written:
        if n:
            names |= name_variants(n)
    number = int(raw.get("number") or 0)
    if kind == "district" and number:
        names |= district_names(number)
    cand = Candidate(
        id=pid, name=name, lat=lat, lon=lon, kind=kind, country=str(raw.get("country") or ""),
        population=int(raw.get("population") or 0), source=source, name_hu=name_hu,
        parent=str(raw.get("parent") or ""), geometry=None,
    )
    return GazetteerEntry(candidate=cand, names=tuple(sorted(names)), number=number,
                          estimated=bool(raw.get("estimated")))


@functools.cache
def load_gazetteer(directory: Path | None = None) -> Gazetteer:
    """Load every places/*.yaml file (once per directory); raise GazetteerError if broken.

    Parsing YAML and folding every name takes a few hundred milliseconds, so the built
    index is cached as JSON in the cache directory, keyed by the files' names, sizes and
    modification times: editing places/ rebuilds it.
    """
    from .resources import data_dir

    folder = directory or data_dir("places")
    files = sorted(folder.glob("*.yaml"))
    stamp = hashlib.sha1(repr([(f.name, f.stat().st_size, f.stat().st_mtime_ns, _CACHE_FORMAT)
                               for f in files]).encode()).hexdigest()[:16]
    cache = _cache_file(stamp)
    if cache is not None and cache.is_file():
        try:
            return Gazetteer.from_cache(json.loads(cache.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a stale or damaged cache is rebuilt below
    gazetteer = Gazetteer(_read_entries(files))
    if cache is not None:
        try:
            from .textio import write_atomic

            cache.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(cache, json.dumps(gazetteer.to_cache(), ensure_ascii=False))
        except (OSError, StorymapError):
            pass  # no writable cache directory: every run parses the YAML
    return gazetteer


_CACHE_FORMAT = 1


def _cache_file(stamp: str) -> Path | None:
    try:
        from .geonames import cache_dir

        return cache_dir() / f"gazetteer-{stamp}.json"
    except (OSError, RuntimeError):
        return None


def _read_entries(files: Sequence[Path]) -> list[GazetteerEntry]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    entries: list[GazetteerEntry] = []
    for path in files:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        except (OSError, yaml.YAMLError) as exc:
            raise GazetteerError(
                f"{path}: cannot load gazetteer file ({exc}); fix the YAML"
            ) from None
        if data is None:
            continue
        if not isinstance(data, list):
            raise GazetteerError(f"{path}: expected a list of places, got {type(data).__name__}")
        entries.extend(_entry(raw, file=str(path)) for raw in data)
    return entries


@functools.cache
def polygons(directory: Path | None = None) -> dict[str, dict[str, Any]]:
    """Return GeoJSON geometries by place id from places/*.geojson (features with properties.id)."""
    from .resources import data_dir

    folder = directory or data_dir("places")
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.geojson")):
        try:
            fc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise GazetteerError(f"{path}: cannot load polygons ({exc})") from None
        for feat in fc.get("features", ()):
            pid = (feat.get("properties") or {}).get("id")
            geometry = feat.get("geometry") or {}
            if pid and geometry.get("type") in ("Polygon", "MultiPolygon"):
                out.setdefault(str(pid), geometry)
    return out

