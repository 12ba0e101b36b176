"""The curated gazetteer: places/*.yaml loaded once into a name index.

Each entry lists a place's names by language, aliases and historic names (see
places/README.md). Loading adds the variants a reader would write, as the place's region
describes them (places/regions/*.yaml): the local generic words and their English
equivalents ("Kossuth tér" / "Kossuth Square"), and the ways texts name a numbered
district ("District VIII", "VIII. kerület", "the eighth district"). This module knows no
region: it expands what the region files say, with ordinal words from the language
profile (storymap/lang/<code>/numbers.yaml).
Names are compared folded (storymap.text.folding.fold): case-, accent- and ``?``-insensitive.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, GazetteerError
from ..model.kinds import LANDMARK_KINDS, PLACE_KINDS
from ..text.folding import fold, wildcard_regex
from .candidates import Candidate
from .derived import cached_json
from .regions import Districts, Region, Regions, load_regions

__all__ = ["Gazetteer", "GazetteerEntry", "load_gazetteer", "ordinal_words", "roman"]

KINDS = frozenset(PLACE_KINDS)


def roman(n: int) -> str:
    """Return ``n`` (1–39) in Roman numerals.

    >>> roman(8), roman(14), roman(23)
    ('VIII', 'XIV', 'XXIII')
    """
    out = "X" * (n // 10)
    return out + ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")[n % 10]


def ordinal_words(n: int, lang: str = "en") -> tuple[str, str]:
    """Return the spelled and numeric ordinals of ``n`` in language ``lang``.

    The words come from the profile's ``ordinal_words`` and ``ordinal_suffixes`` sections;
    raises ConfigError when the profile lacks them or has no word for ``n``.

    >>> ordinal_words(8), ordinal_words(21), ordinal_words(12)
    (('eighth', '8th'), ('twenty-first', '21st'), ('twelfth', '12th'))
    """
    words, suffixes = _ordinals(lang)
    digits = str(n)
    ending = max((k for k in suffixes if k != "other" and digits.endswith(k)), key=len,
                 default="other")  # fmt: skip
    if not 1 <= n <= len(words):
        raise ConfigError(
            f"language profile {lang!r}: ordinal_words has {len(words)} words, no word for {n}"
        )
    return words[n - 1], f"{n}{suffixes.get(ending, '')}"


@functools.cache
def _ordinals(lang: str) -> tuple[tuple[str, ...], dict[str, str]]:
    from ..lang.profile import load_profile

    profile = load_profile(lang)
    suffixes = {str(k): str(v) for k, v in profile.table("ordinal_suffixes").items()}
    return profile.phrases("ordinal_words"), suffixes


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
        self._wild_prefix: dict[str, bool] = {}

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
        found = self._wild_prefix.get(key)
        if found is None:
            rx = wildcard_regex(key)
            found = self._wild_prefix[key] = any(
                rx.match(p) for p in self.prefixes if p[:1] == key[:1] or key[:1] == "?")
        return found

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Resolver interface: the curated places called ``name``."""
        return tuple(self.entries[i].candidate for i in self.lookup(fold(name)))


@dataclass(frozen=True)
class Naming:
    """What a region file says about its places' names: generic words, district patterns."""

    generics: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (folded, as written, English)
    districts: Districts | None = None
    region_names: Mapping[str, str] | None = None

    @classmethod
    def of(cls, chain: Sequence[Region]) -> Naming:
        """Return the naming of the last region of ``chain``, inheriting its parents' words."""
        generics: dict[str, tuple[str, str, tuple[str, ...]]] = {}
        districts, names = None, None
        for region in chain:
            for local, english in region.generics.items():
                generics[fold(local)] = (fold(local), local, tuple(english))
            if region.districts is not None:
                districts, names = region.districts, region.names
        return cls(generics=tuple(generics.values()), districts=districts, region_names=names)


def name_variants(name: str, naming: Naming) -> set[str]:
    """Return ``name`` and its local/English generic-word twins.

    >>> hu = Naming(generics=(("ter", "tér", ("square",)), ("ut", "út", ("road", "avenue"))))
    >>> sorted(name_variants("Kossuth tér", hu))
    ['Kossuth Square', 'Kossuth tér']
    >>> sorted(name_variants("Budaörsi Road", hu))
    ['Budaörsi Road', 'Budaörsi út']
    """
    out = {name}
    words = name.split()
    if len(words) < 2 or not naming.generics:
        return out
    head, last = " ".join(words[:-1]), fold(words[-1])
    two = fold(" ".join(words[-2:])) if len(words) >= 3 else ""
    for local, written, ens in naming.generics:
        if last == local:
            out.update(f"{head} {en.title()}" for en in ens)
        for en in ens:
            if last == en or two == en:
                base = " ".join(words[: -len(en.split())])
                out.add(f"{base} {written}")
    return out


def district_names(n: int, naming: Naming) -> set[str]:
    """Return the ways a text names district ``n``, from the region's patterns.

    >>> from .regions import Districts
    >>> d = Districts(local="kerület", names={"en": ("District {roman}", "{ordinal_word} "
    ...     "district", "{region} {roman}"), "hu": ("{roman}. {local}",)})
    >>> sorted(district_names(8, Naming(districts=d, region_names={"en": "Budapest"})))
    ['Budapest VIII', 'District VIII', 'VIII. kerület', 'eighth district']
    """
    if naming.districts is None:
        return set()
    out: set[str] = set()
    names = naming.region_names or {}
    for lang, patterns in naming.districts.names.items():
        values: dict[str, Any] = {"n": n, "roman": roman(n), "local": naming.districts.local,
                                  "region": names.get(lang) or names.get("en", "")}
        if any("{ordinal" in p for p in patterns):
            values["ordinal_word"], values["ordinal"] = ordinal_words(n, lang)
        try:
            out.update(p.format(**values) for p in patterns)
        except (KeyError, IndexError, ValueError) as exc:
            raise GazetteerError(
                f"places/regions: district name pattern of {lang!r} uses an unknown field "
                f"({exc}); expected {{n}}, {{roman}}, {{ordinal}}, {{ordinal_word}}, {{local}}, "
                "{region}"
            ) from None
    return out


def _entry(raw: Mapping[str, Any], *, file: str, naming: Naming,
           region: str = "") -> GazetteerEntry:
    try:
        pid = str(raw["id"])
        kind = str(raw["kind"])
        lat, lon = float(raw["lat"]), float(raw["lon"])
        source = str(raw["source"])
        if "name" in raw or "name_hu" in raw:
            raise ValueError("write names by language, names: {en: …, hu: …}, instead of "
                             "name and name_hu")
        given = raw.get("names") or {}
        if not isinstance(given, Mapping) or not given:
            raise ValueError("names must map language codes to names, e.g. {en: Budapest}")
        by_lang = {str(k): str(v) for k, v in given.items() if v}
    except (KeyError, TypeError, ValueError) as exc:
        raise GazetteerError(
            f"{file}: entry {raw.get('id', '?')!r} needs id, names, kind, lat, lon and "
            f"source ({exc})"
        ) from None
    if kind not in KINDS:
        raise GazetteerError(
            f"{file}: {pid}: unknown kind {kind!r}; expected one of {sorted(KINDS)}"
        )
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise GazetteerError(f"{file}: {pid}: lat/lon {lat}, {lon} out of range")
    name = by_lang.get("en") or next(iter(by_lang.values()), pid)
    names: set[str] = set()
    written = [*by_lang.values(), *(str(a) for a in raw.get("aliases") or ())]
    written += [str(h["name"] if isinstance(h, Mapping) else h) for h in raw.get("historic") or ()]
    for n in written:
        if n:
            names |= name_variants(n, naming)
    number = int(raw.get("number") or 0)
    if kind == "district" and number:
        names |= district_names(number, naming)
    cand = Candidate(
        id=pid, name=name, lat=lat, lon=lon, kind=kind, country=str(raw.get("country") or ""),
        population=int(raw.get("population") or 0), source=source, names=by_lang,
        parent=str(raw.get("parent") or ""), geometry=None,
        # a landmark of a region's file is that region's: a candidate only in its stories
        scope=region if kind in LANDMARK_KINDS else "",
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
    from ..resources import data_dir

    folder = directory or data_dir("places")
    files = sorted(folder.glob("*.yaml"))
    # The region files and the language's number words shape the index too.
    shaping = [*sorted((folder / "regions").glob("*.yaml")),
               *sorted((Path(__file__).parent.parent / "lang").glob("*/numbers.yaml"))]
    return cached_json("gazetteer", [*files, *shaping], version=_CACHE_FORMAT,
                       build=lambda: Gazetteer(_read_entries(files, load_regions(directory))),
                       load=Gazetteer.from_cache, dump=Gazetteer.to_cache)


_CACHE_FORMAT = 3


def _read_entries(files: Sequence[Path], regions: Regions) -> list[GazetteerEntry]:
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
        region = regions.for_file(path.name)
        naming = Naming.of(regions.chain(region.id))
        scope = "" if region is regions.root else region.id
        entries.extend(_entry(raw, file=str(path), naming=naming, region=scope) for raw in data)
    return entries


@functools.cache
def polygons(directory: Path | None = None) -> dict[str, dict[str, Any]]:
    """Return GeoJSON geometries by place id from places/*.geojson (features with properties.id)."""
    from ..resources import data_dir

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

