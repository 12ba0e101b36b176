"""Stage 3: place mentions → resolved places (or None: "not found" is data).

Each resolver proposes candidates for a mention's name; the choice among them uses:

* the source: curated places/ beat GeoNames, which beats online geocoders;
* how well the name fits: a place's own name beats one of its aliases;
* the story's focus: the country and centre of the places resolved without doubt (in the
  1956 story, Hungary and Budapest), so "Józsefváros" is the Budapest district;
* the places named without doubt in the same paragraph ("Gettysburg, Pennsylvania");
* population, so "Brest" is the city of 340,000 in Belarus rather than the French port.

Names found only by a locative cue ("in Szeged") must resolve to a populated place of some
size, or they stay unresolved, listed for the user to add to places/.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .folding import fold
from .mentions import Mention
from .resolvers.base import Candidate, Resolver

__all__ = ["Focus", "ResolvedMention", "find_focus", "resolve_mentions"]


@dataclass(frozen=True)
class ResolvedMention:
    """A mention and the place chosen for it (None when nothing fits)."""

    mention: Mention
    place: Candidate | None


@dataclass(frozen=True)
class Focus:
    """Where a story happens: its main country and centre."""

    country: str
    lat: float
    lon: float


# Smallest population for a place found only by a cue ("in X"): inside the focus country
# and elsewhere. Keeps hamlets that share a name with a common word off the map.
MIN_POP_FOCUS = 500
MIN_POP_ELSEWHERE = 15_000

_KIND_RANK = {"city": 3, "town": 3, "district": 3, "country": 3, "village": 2,
              "neighbourhood": 2, "region": 2, "island": 2, "river": 2, "sea": 2}


# States that no longer exist, and the countries GeoNames files their towns under today:
# a story about Czechoslovakia in 1968 has its focus on towns coded CZ and SK.
_SUCCESSORS = {
    "SU": frozenset("RU UA BY LT LV EE GE AM AZ KZ UZ TM KG TJ MD".split()),
    "CS": frozenset({"CZ", "SK"}),
    "YU": frozenset("RS HR SI BA MK ME XK".split()),
    "DD": frozenset({"DE"}),
}
_PREDECESSOR = {modern: old for old, news in _SUCCESSORS.items() for modern in news}


def _modern(country: str) -> str:
    """Vote with today's code where a historic state had one successor ("DD" → "DE")."""
    successors = _SUCCESSORS.get(country)
    return next(iter(successors)) if successors and len(successors) == 1 else country


def in_country(country: str, focus: str) -> bool:
    """True if ``country`` is the focus country, a successor of it, or its predecessor.

    >>> in_country("CZ", "CS"), in_country("SK", "CZ"), in_country("HU", "CS")
    (True, True, False)
    """
    if not country or not focus:
        return False
    family = {focus, *_SUCCESSORS.get(focus, ()), _PREDECESSOR.get(focus, focus)}
    family |= _SUCCESSORS.get(_PREDECESSOR.get(focus, ""), frozenset())
    return country in family


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres.

    >>> round(distance_km(47.4979, 19.0402, 55.7558, 37.6173))
    1569
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(math.sqrt(min(1.0, a)))


def find_focus(places: Sequence[Candidate]) -> Focus | None:
    """Return the focus of a story from places resolved without doubt (None if none).

    Every place votes for the country ("Pennsylvania" and "Maryland" make a story
    American); only the ones smaller than a region place its centre.
    """
    votes = Counter(_modern(p.country) for p in places if p.country).most_common(1)
    home = votes[0][0] if votes else ""
    located = [p for p in places if p.kind not in ("country", "region", "sea", "continent")]
    if not located:
        coarse = [p for p in places if _modern(p.country) == home] or list(places)
        if not coarse:
            return None
        return Focus(country=home, lat=coarse[0].lat, lon=coarse[0].lon)
    pts = [p for p in located if _modern(p.country) == home] or located
    lat = sorted(p.lat for p in pts)[len(pts) // 2]
    lon = sorted(p.lon for p in pts)[len(pts) // 2]
    return Focus(country=home, lat=lat, lon=lon)


def _score(c: Candidate, rank: int, key: str, focus: Focus | None,
           near: Sequence[Candidate] = ()) -> float:
    score = -10.0 * rank  # earlier resolvers first
    if key == fold(c.name) or any(key == fold(n) for n in c.names.values()):
        score += 2
    score += _KIND_RANK.get(c.kind, 1) * 0.3
    score += math.log10(c.population + 10) * 0.8
    if focus:
        if c.country and in_country(c.country, focus.country):
            score += 2.5
        score -= min(distance_km(c.lat, c.lon, focus.lat, focus.lon), 5000.0) / 2500.0
    if near:  # places named without doubt in the same paragraph ("Gettysburg, Pennsylvania")
        score -= min(min(distance_km(c.lat, c.lon, n.lat, n.lon) for n in near), 2000.0) / 1000.0
    return score


def _lookup(name: str, resolvers: Sequence[Resolver]) -> list[tuple[int, Candidate]]:
    out: list[tuple[int, Candidate]] = []
    for rank, resolver in enumerate(resolvers):
        found = resolver.candidates(name)
        out.extend((rank, c) for c in found)
        if found and rank == 0:
            break  # a curated place always wins over the same name elsewhere
    return out


def resolve_mentions(mentions: Sequence[Mention], *, resolvers: Sequence[Resolver],
                     focus: Focus | None = None) -> tuple[ResolvedMention, ...]:
    """Choose a place for every mention; mentions nothing fits get ``place=None``."""
    cache: dict[str, list[tuple[int, Candidate]]] = {}
    for m in mentions:
        key = fold(m.name)
        if key not in cache:
            cache[key] = _lookup(m.name, resolvers)
    if focus is None:
        sure = [cands[0][1] for cands in cache.values() if len(cands) == 1 and cands[0][0] == 0]
        focus = find_focus(sure)
    near: dict[tuple[str, int], list[Candidate]] = {}
    for m in mentions:
        cands = cache[fold(m.name)]
        if len(cands) == 1 and cands[0][1].kind not in ("country", "continent", "sea"):
            near.setdefault((m.doc, m.passage), []).append(cands[0][1])
    out = []
    chosen: dict[tuple[str, tuple[str, ...]], Candidate | None] = {}
    for m in mentions:
        key = fold(m.name)
        context = [c for c in near.get((m.doc, m.passage), ()) if fold(c.name) != key]
        memo = (key, tuple(c.id for c in context) if len(cache[key]) > 1 else ())
        if memo not in chosen:
            chosen[memo] = _choose(cache[key], key, focus, cue=(m.how in ("cue", "name")),
                                   near=context)
        out.append(ResolvedMention(mention=m, place=chosen[memo]))
    return tuple(out)


def _choose(cands: list[tuple[int, Candidate]], key: str, focus: Focus | None, *,
            cue: bool, near: Sequence[Candidate] = ()) -> Candidate | None:
    if not cands:
        return None
    rank, best = max(cands, key=lambda rc: _score(rc[1], rc[0], key, focus, near))
    if cue and rank > 0 and not best.id.startswith("geopy:"):
        # (an online geocoder gives no population; the user asked for it by name)
        home = focus is not None and in_country(best.country, focus.country)
        if best.population < (MIN_POP_FOCUS if home else MIN_POP_ELSEWHERE):
            return None
    return best
