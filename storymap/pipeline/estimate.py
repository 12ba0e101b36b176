"""Names no data places, estimated from the places the text names beside them.

Most islands, fords, passes, bridges and posts of a nineteenth-century text are in no
offline gazetteer, yet the text says roughly where they are: "Pass Cavallo, Tex." is in
Texas, beside the Texan towns the same report names; "Morris Island" in a dispatch whose
every town lies around Charleston is near Charleston. Two rules, each measured for
precision (docs/decisions.md), place such a name at a place the text itself located:

* **a division named right after it** ("Morris Island, S. C."): the town of that division
  the text names nearest to it (the same passage first), when the text names two or more
  there and they lie within :data:`COMPACT_KM` of their middle one;
* **a document whose places lie close together**: when the towns a document placed (two
  distinct ones at least) all lie within :data:`COMPACT_KM` of their middle, the town named
  nearest to the name in the text.

The place is the name's own (``<anchor id>:<slug>``, kind ``area``), keeps the anchor's
point, division and source (so its data is credited), is marked ``estimated`` and says in
its ``source`` that it is an estimate and from which place: the review list groups it
under "Placed by estimate" and the page shows it as approximate. Never a point of its own:
no coordinates are invented, only borrowed from a place the text names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..geo.candidates import Candidate
from ..geo.distance import distance_km
from .context import TOWN_KINDS
from .focus import division
from .mentions import Mention

__all__ = ["COMPACT_KM", "estimate_places", "estimated_near", "state_after"]

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


def estimated_near(anchor: Candidate, name: str, key: str, why: str) -> Candidate:
    """Return the estimated place of ``name`` (folded ``key``) at ``anchor``'s point.

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
        source=(f"{anchor.source}: {anchor.name} (estimated: no data places {name}; put at "
                f"{anchor.name}, {why}; check it on a map)"))


def _compact(towns: Sequence[Candidate]) -> bool:
    """True if two or more distinct towns all lie within COMPACT_KM of their middle one."""
    points = list({c.id: c for c in towns}.values())
    if not 2 <= len(points) <= MAX_TOWNS:
        return False
    radius = min(max(distance_km(a.lat, a.lon, b.lat, b.lon) for b in points)
                 for a in points)
    return radius <= COMPACT_KM


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
    towns = [(k, p) for k, p in enumerate(places)
             if p is not None and not p.estimated and p.kind in TOWN_KINDS
             and mentions[k].how != WEAK]
    todo = [j for j in todo if mentions[j].how != WEAK]
    if not towns or not todo:
        return {}
    compact = _compact([p for _, p in towns])
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
            pool = towns
            why = (f"the town the text names nearest to it, all its towns lying within "
                   f"{COMPACT_KM:.0f} km of their middle one")
        else:
            continue
        if not pool:
            continue
        _, anchor = min(pool, key=lambda kp: _apart(mentions[kp[0]], m, abs(kp[0] - j)))
        out[j] = estimated_near(anchor, m.name, keys[j], why)
    return out
