"""Names no data places, estimated from the places the text names beside them.

Most islands, fords, passes, bridges and posts of a nineteenth-century text are in no
offline gazetteer, yet the text says roughly where they are: "Pass Cavallo, Tex." is in
Texas, beside the Texan towns the same report names; "Morris Island" in a dispatch whose
every town lies around Charleston is near Charleston. Three rules, each measured for
precision (docs/decisions.md), place such a name at a place the text itself located:

* **a town the text names it in**: right after the town's possessive ("Beijing's
  Tiananmen Square") or before "in" and the town ("Tiananmen Square in Beijing"), for a
  feature's name (a square, a street, a building);

* **a division named right after it** ("Morris Island, S. C."): the town of that division
  the text names nearest to it (the same passage first), when the text names two or more
  there and they lie within :data:`COMPACT_KM` of their middle one;
* **a document whose places lie close together**: when the towns a document placed (two
  distinct ones at least) all lie within :data:`COMPACT_KM` of their middle, the town named
  nearest to the name in the text; or, when :data:`MOSTLY` of its town mentions lie within
  :data:`COMPACT_KM` of the town it names most (twice at least), the nearest of those.

The place is the name's own (``<anchor id>:<slug>``, kind ``area``), keeps the anchor's
point, division and source (so its data is credited), is marked ``estimated`` and says in
its ``source`` that it is an estimate and from which place: the review list groups it
under "Placed by estimate" and the page shows it as approximate. Never a point of its own:
no coordinates are invented, only borrowed from a place the text names.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeGuard

from ..geo.candidates import Candidate
from ..geo.distance import distance_km
from .context import TOWN_KINDS
from .focus import division
from .mentions import Mention

__all__ = ["COMPACT_KM", "MOSTLY", "WEAK", "OwnTown", "estimate_places", "estimated_near",
           "feature_of", "in_named_town", "most_named", "placed_town", "state_after",
           "sure_town"]

#: A document is compact when every town it placed lies this close to their middle one.
COMPACT_KM = 100.0
#: How the reader marks a name read without a cue (kept only near the text's sure places).
WEAK = "weak"
#: More distinct towns than this and a document is not judged compact (keeps it linear).
MAX_TOWNS = 40

_SLUG = re.compile(r"[^a-z0-9]+")


def state_after(mentions: Sequence[Mention], places: Sequence[Candidate | None],
                j: int) -> str:
    """Return the division named right after mention ``j`` ("Paris, Ky."), or ""."""
    if j + 1 >= len(mentions):
        return ""
    m, nxt, place = mentions[j], mentions[j + 1], places[j + 1]
    if nxt.passage != m.passage or not 0 <= nxt.start - m.end <= 2 or place is None:
        return ""
    return division(place) if place.kind == "region" else ""


def feature_of(key: str, words: frozenset[str]) -> bool:
    """True if folded name ``key`` ends in one of ``words`` ("king street"), or is one word:
    one word read as a feature ends in a street or square word ("alexanderplatz")."""
    return " " not in key or key.rsplit(" ", 1)[-1] in words


@dataclass(frozen=True)
class OwnTown:
    """The town a document is its own (storymap.pipeline.owntown), and why; ``declared``
    when its title, dateline or people name it (it then holds what nothing else placed)."""

    town: Candidate
    why: str
    declared: bool


#: What stands between a town and a feature the text places in it: "Beijing's Tiananmen
#: Square", "Tiananmen Square in Beijing" (the town before, the town after).
_OWNER_BEFORE = ("'s ", "’s ")
_OWNER_AFTER = (" in ",)


def in_named_town(mentions: Sequence[Mention], places: Sequence[Candidate | None],
                  keys: Sequence[str], texts: Mapping[tuple[str, int], str],
                  todo: Sequence[int], *, town_features: frozenset[str],
                  street_features: frozenset[str],
                  own: Callable[[str], OwnTown | None]) -> dict[int, Candidate]:
    """Return estimated places for the unplaced feature names at indexes ``todo`` that the
    text itself puts in a town it placed: right after the town's possessive ("Beijing's
    Tiananmen Square"), or — for a feature of a town, its last word in ``town_features``
    or one word ("Alexanderplatz") — right before "in" and the town ("Tiananmen Square
    in Beijing"; "Gunter Valley in Howell County" is not in a town); else, for a street,
    a square or a building of a town (``street_features``), the town its paragraph names
    nearest to it (the same name of one text: its first place), or the text's ``own``
    town when the paragraph's is named in another sentence, later, or far from it.
    ``texts`` are the passages' texts by (document, passage index)."""
    out: dict[int, Candidate] = {}
    named: dict[tuple[str, str], Candidate] = {}  # (document, name) → its first estimate
    for j in todo:
        m = mentions[j]
        if m.how != "feature":
            continue
        text = texts.get((m.doc, m.passage), "")
        in_town = feature_of(keys[j], town_features)
        in_streets = feature_of(keys[j], street_features)
        for k, between in ((j - 1, _OWNER_BEFORE), (j + 1, _OWNER_AFTER if in_town else ())):
            if not 0 <= k < len(mentions):
                continue
            town, other = places[k], mentions[k]
            if not placed_town(town) or other.doc != m.doc or other.passage != m.passage:
                continue
            gap = text[other.end:m.start] if k < j else text[m.end:other.start]
            if gap in between:
                out[j] = estimated_near(town, m.name, keys[j],
                                        "the town the text names it in")
                break
        else:
            if not in_streets:
                continue
            if (m.doc, keys[j]) in named:  # one name, one place in a text
                out[j] = named[m.doc, keys[j]]
            elif (found := _paragraph_town(mentions, places, j, text)) is not None:
                town, where = found
                home = own(m.doc)
                if home is not None and (where == "later" or (where == "earlier" and distance_km(
                        town.lat, town.lon, home.town.lat, home.town.lon) > COMPACT_KM)):
                    # another sentence's town, where the paragraph goes next or a town far
                    # from the text's own ("the summit in Vilnius" in a story of Kyiv)
                    out[j] = estimated_near(home.town, m.name, keys[j], home.why)
                else:
                    # "tried to form up in King Street": a street or a building of a town
                    # the paragraph names, the nearest to it in the text
                    out[j] = estimated_near(town, m.name, keys[j],
                                            "the town its paragraph names nearest to it")
        if j in out:
            named.setdefault((m.doc, keys[j]), out[j])
    return out


#: How many mentions either side of a name are looked at for its paragraph's town (the
#: nearest in the text is among them; a long paragraph of names stays linear).
_PARAGRAPH_WINDOW = 12


def _paragraph_town(mentions: Sequence[Mention], places: Sequence[Candidate | None],
                    j: int, text: str) -> tuple[Candidate, str] | None:
    """The placed town of mention ``j``'s paragraph (``text``): one its own sentence names
    first ("Denver has Hungarian Freedom Park", whatever town the sentence before named),
    then one named after a cue ("in Trenton", "from Princeton"; "Washington crossed …" is
    a general read as his city), then one named before it (the scene, not where the
    paragraph goes next), then the nearest in the text; or None. With it, where it is
    named: in the name's own "sentence", an "earlier" or a "later" one."""
    m = mentions[j]
    best: tuple[int, int, int, int, Candidate] | None = None
    for k in range(max(0, j - _PARAGRAPH_WINDOW), min(len(mentions), j + _PARAGRAPH_WINDOW + 1)):
        other, town = mentions[k], places[k]
        if k == j or not placed_town(town) or other.doc != m.doc \
                or other.passage != m.passage or other.how == WEAK or not sure_town(town):
            continue
        lo, hi = sorted((other.end, m.start) if k < j else (m.end, other.start))
        rank = (1 if _SENTENCE_END.search(text, lo, hi) else 0, 0 if other.how == "cue" else 1,
                0 if k < j else 1, abs(other.start - m.start))
        if best is None or rank < best[:4]:
            best = (*rank, town)
    if best is None:
        return None
    return best[4], "sentence" if best[0] == 0 else ("earlier" if best[2] == 0 else "later")


#: A town of this size or more (or one of storymap's own places) may hold the streets its
#: paragraph names: a text that names no town of its own had its cue-less names read as
#: small American towns ("Whitehall", "Temple" in a text on London), which must not draw
#: the streets of London after them.
PARAGRAPH_TOWN = 50_000


def placed_town(place: Candidate | None) -> TypeGuard[Candidate]:
    """True for a town a data source placed (not an estimate): what an estimate may borrow."""
    return place is not None and not place.estimated and place.kind in TOWN_KINDS


def sure_town(town: Candidate) -> bool:
    return town.population >= PARAGRAPH_TOWN or not town.id.startswith("geonames:")


#: The end of a sentence between two names: a full stop, "!" or "?" before a space.
_SENTENCE_END = re.compile(r"[.!?][\"')\]’”]*\s")


def estimated_near(anchor: Candidate, name: str, key: str, why: str, *,
                   lacking: str = "") -> Candidate:
    """Return the estimated place of ``name`` (folded ``key``) at ``anchor``'s point;
    ``lacking`` says what the data lacks (default: any place of that name).

    >>> town = Candidate(id="geonames:1", name="Indianola", lat=28.5, lon=-96.5,
    ...                  kind="village", source="GeoNames")
    >>> p = estimated_near(town, "Pass Cavallo", "pass cavallo", "a town named beside it")
    >>> p.id, p.kind, p.estimated, (p.lat, p.lon) == (town.lat, town.lon)
    ('geonames:1:pass-cavallo', 'area', True, True)
    >>> p.source.split("; ")  # doctest: +NORMALIZE_WHITESPACE
    ['GeoNames: Indianola (estimated: no data places Pass Cavallo',
     'put at Indianola, a town named beside it', 'check it on a map)']
    """
    return replace(
        anchor, id=f"{anchor.id}:{_SLUG.sub('-', key).strip('-')}", name=name, kind="area",
        population=0, names={}, estimated=True, geometry=None,
        source=(f"{anchor.source}: {anchor.name} (estimated: "
                f"{lacking or f'no data places {name}'}; put at {anchor.name}, {why}; "
                "check it on a map)"))


def _compact(towns: Sequence[Candidate]) -> bool:
    """True if two or more distinct towns all lie within COMPACT_KM of their middle one."""
    points = list({c.id: c for c in towns}.values())
    if not 2 <= len(points) <= MAX_TOWNS:
        return False
    radius = min(max(distance_km(a.lat, a.lon, b.lat, b.lon) for b in points)
                 for a in points)
    return radius <= COMPACT_KM


#: The share of a document's town mentions that must lie around its most-named town for
#: the document to be set there (the others are not anchors).
MOSTLY = 0.6


def _mostly_one_place(towns: list[tuple[int, Candidate]]
                      ) -> tuple[list[tuple[int, Candidate]], bool]:
    """The town mentions within COMPACT_KM of the document's most-named town (named twice
    at least), and True, when they are MOSTLY of all; else ``towns`` and False."""
    main = most_named(towns)
    if sum(p.id == main.id for _, p in towns) < 2:
        return towns, False
    near = [(k, p) for k, p in towns
            if distance_km(p.lat, p.lon, main.lat, main.lon) <= COMPACT_KM]
    if len(near) < MOSTLY * len(towns):
        return towns, False
    return near, True


#: How many mentions either side of a name its anchor is looked for among.
AROUND = 30


def _around(pool: Sequence[tuple[int, Candidate]], j: int) -> Sequence[tuple[int, Candidate]]:
    """The towns of ``pool`` (in text order) written within AROUND mentions of ``j``."""
    lo = bisect.bisect_left(pool, j - AROUND, key=lambda kp: kp[0])
    hi = bisect.bisect_right(pool, j + AROUND, key=lambda kp: kp[0])
    return pool[lo:hi]


def most_named(pool: Sequence[tuple[int, Candidate]]) -> Candidate:
    """The town of ``pool`` named most often (the first named, of equals)."""
    counts: dict[str, int] = {}
    for _, p in pool:
        counts[p.id] = counts.get(p.id, 0) + 1
    return max((p for _, p in pool), key=lambda p: counts[p.id])


def _apart(a: Mention, m: Mention, mentions_between: int) -> tuple[int, int]:
    """How far apart two mentions are written: in characters within a passage ("the
    Central Market in Lancaster" is Lancaster's, not York's named a sentence before), else
    by passages."""
    if a.passage == m.passage:
        return (0, max(a.start - m.end, m.start - a.end))
    return (1 + abs(a.passage - m.passage), mentions_between)


def estimate_places(mentions: Sequence[Mention], places: Sequence[Candidate | None],
                    keys: Sequence[str], todo: Sequence[int]) -> dict[int, Candidate]:
    """Return estimated places for the unplaced mentions at indexes ``todo`` of one
    document (``places`` are the places chosen for each mention, ``keys`` the folded
    names), by the two rules of this module; names neither rule places are left out."""
    # a name read without a cue ("weak", storymap.pipeline.nearby) is no town to judge by
    # and no name to estimate: it is kept afterwards only if its own place is near
    towns = [(k, p) for k, p in enumerate(places) if placed_town(p) and mentions[k].how != WEAK]
    todo = [j for j in todo if mentions[j].how != WEAK]
    if not towns or not todo:
        return {}
    compact = _compact([p for _, p in towns])
    around, why_doc = towns, (f"the town the text names nearest to it, all its towns lying "
                              f"within {COMPACT_KM:.0f} km of their middle one")
    if not compact:
        # most of the text in one place: a lesson on a city that also names a town or
        # two further off ("Dublin" three times, "Belfast" once): that place's towns only
        around, compact = _mostly_one_place(towns)
        if compact:
            why_doc = (f"the town the text names nearest to it of those within "
                       f"{COMPACT_KM:.0f} km of {most_named(around).name}, where most of "
                       f"the towns it names lie")
    out: dict[int, Candidate] = {}
    for j in todo:
        m = mentions[j]
        state = state_after(mentions, places, j)
        if state:
            # the division's own towns in the text, if they lie close together: a lone
            # town of a wide state says little (Brownsville for a pass 400 km up the coast)
            pool = [(k, p) for k, p in towns if division(p) == state]
            if not _compact([p for _, p in pool]):
                continue
            why = "a town the text names in the division named after it"
        elif compact:
            pool, why = around, why_doc
        else:
            continue
        if not pool:
            continue
        # the nearest-written town is among the mentions around it (a long text of
        # repeated names stays linear); else the first of the pool (the main town)
        near = _around(pool, j)
        anchor = min(near, key=lambda kp: _apart(mentions[kp[0]], m, abs(kp[0] - j)))[1] \
            if near else most_named(pool)
        out[j] = estimated_near(anchor, m.name, keys[j], why)
    return out
