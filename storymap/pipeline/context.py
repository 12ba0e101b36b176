"""What a document's own places say about its namesakes (used by the resolve stage).

A name with several candidates is decided by the places the same document names without
doubt: their points (distance), their first-level divisions, and the regions they lie in
(places/regions). This module gathers that context once per document and filters the
candidates of a name by rules that hold whatever the document:

* a river answers "the Rapidan" and "Red River"; a bare "Cumberland" is a town first;
* a division yields its bare name to its own town ("Wexford" is the town; "County
  Wexford" the county);
* a curated landmark of one region ("the Parliament" of Budapest) is a candidate only
  when the document has a sure place inside that region.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..geo.candidates import Candidate
from ..geo.distance import distance_km
from ..geo.regions import load_regions
from ..model import Place
from ..model.kinds import WIDE_KINDS

__all__ = ["DocumentContext", "after_article", "distance_to", "document_context", "prefer",
           "scoped_in"]

#: At most this many of a document's sure places (most named first) are its anchors: the
#: distance from a namesake to the nearest anchor stays O(candidates × anchors).
MAX_ANCHORS = 40
#: Kinds of populated places: a division yields its bare name to one of these.
TOWN_KINDS = frozenset({"city", "town", "village"})
#: Kinds whose point says nothing of where a document is set (they cross borders).
_NO_EVIDENCE = frozenset({"river", "sea", "mountains", "continent"})


@dataclass(frozen=True)
class DocumentContext:
    """The places a document names without doubt, and what they tell."""

    #: sure places with a point of their own (no countries, rivers, seas), most named first
    anchors: tuple[Candidate, ...] = ()
    #: first-level divisions ("US.TX") that hold at least two of the anchors
    home: frozenset[str] = frozenset()
    #: ids of the regions (places/regions) some sure place lies in
    regions: frozenset[str] = frozenset()


def document_context(sure: Sequence[Candidate | None],
                     landmarks: Sequence[Candidate] = ()) -> DocumentContext:
    """Return the context of a document from the sure place of each of its mentions.

    ``landmarks`` are the region-scoped places its names have as their only candidate: a
    document with no sure place of its own that names two distinct landmarks of one region
    ("Kossuth tér", "the Kilián barracks") is set in that region.
    """
    counts = Counter(c.id for c in sure if c is not None)
    first: dict[str, Candidate] = {}
    for c in sure:
        if c is not None:
            first.setdefault(c.id, c)
    located = [c for c in first.values() if c.kind not in WIDE_KINDS and c.kind != "continent"]
    located.sort(key=lambda c: -counts[c.id])
    anchors = tuple(located[:MAX_ANCHORS])
    divisions = Counter(d for c in anchors for d in [_division(c)] if d)
    home = frozenset(d for d, n in divisions.items() if n >= 2)
    regions = _regions([c for c in first.values() if not c.scope and c.kind not in _NO_EVIDENCE])
    if not anchors:
        scopes = Counter(c.scope for c in {c.id: c for c in landmarks if c.scope}.values())
        regions |= {scope for scope, n in scopes.items() if n >= 2}
    return DocumentContext(anchors=anchors, home=home, regions=frozenset(regions))


def _division(c: Candidate) -> str:
    return c.parent if "." in c.parent else ""


def _regions(places: Sequence[Candidate]) -> set[str]:
    regions = load_regions()
    inner = [r for r in regions.by_id.values() if r is not regions.root]
    out: set[str] = set()
    for c in places:
        point = Place(id=c.id, name=c.name, lat=c.lat, lon=c.lon, kind=c.kind,
                      country=c.country)
        out.update(r.id for r in inner if r.id not in out and r.contains(point))
    return out


def scoped_in(c: Candidate, context: DocumentContext) -> bool:
    """True unless ``c`` is a landmark of a region the document has no sure place in."""
    return not c.scope or c.scope in context.regions


_WORD_BEFORE = re.compile(r"(\w+)\s+$")
_WORD_AFTER = re.compile(r"\s*(\w+)")


def after_article(text: str, start: int, end: int, articles: frozenset[str],
                  attributive: frozenset[str] = frozenset()) -> bool:
    """True if the name at ``start:end`` of ``text`` follows a definite article and is not
    used as an adjective: "the Mississippi", not "the Iowa line" (one of ``attributive``
    after it).

    >>> the = frozenset({"the"})
    >>> after_article("crossed the Rapidan at dawn", 12, 19, the)
    True
    >>> after_article("to the Iowa line", 7, 11, the, frozenset({"line"}))
    False
    >>> after_article("in Rapidan", 3, 10, the)
    False
    """
    m = _WORD_BEFORE.search(text[max(0, start - 12):start])
    if not m or m.group(1).lower() not in articles:
        return False
    nxt = _WORD_AFTER.match(text, end)
    return not nxt or nxt.group(1).lower() not in attributive


def distance_to(c: Candidate, lat: float, lon: float) -> float:
    """Kilometres from a point to a candidate: to its line for a river, else its point.

    >>> river = Candidate(id="r", name="R", lat=0.0, lon=0.0, kind="river", geometry={
    ...     "type": "LineString", "coordinates": [[0.0, 0.0], [0.0, 10.0]]})
    >>> round(distance_to(river, 10.0, 0.1)), round(distance_to(river, 0.0, 0.1))
    (11, 11)
    """
    # a namesake is measured against the same towns again and again (for each name around
    # it, and once more when names are decided together): each pair once
    line = c.geometry is not None and c.geometry.get("type") in ("LineString",
                                                                 "MultiLineString")
    key = (c.id if line else "", c.lat, c.lon, lat, lon)
    found = _DISTANCES.get(key)
    if found is None:
        if len(_DISTANCES) > 200_000:
            _DISTANCES.clear()
        found = _DISTANCES[key] = (
            min(distance_km(y, x, lat, lon) for x, y in _vertices(c)) if line
            else distance_km(c.lat, c.lon, lat, lon))
    return found


#: Distances asked before: (river id or "", lat, lon, lat, lon) → km.
_DISTANCES: dict[tuple[str, float, float, float, float], float] = {}


_VERTICES: dict[str, tuple[tuple[float, float], ...]] = {}


def _vertices(c: Candidate) -> tuple[tuple[float, float], ...]:
    """Up to ~200 vertices of a candidate's line (kept per id: a river is asked often)."""
    found = _VERTICES.get(c.id)
    if found is None:
        assert c.geometry is not None
        coords = c.geometry["coordinates"]
        lines = [coords] if c.geometry["type"] == "LineString" else coords
        points = [(float(p[0]), float(p[1])) for line in lines for p in line]
        step = max(1, len(points) // 200)
        found = (*points[::step], points[-1])
        if len(_VERTICES) > 4096:
            _VERTICES.clear()
        _VERTICES[c.id] = found
    return found


def prefer(cands: list[tuple[int, Candidate]], *, river_name: bool,
           article: bool) -> list[tuple[int, Candidate]]:
    """Return the candidates a name's form allows, whatever the document.

    ``river_name``: the name has the river word ("Red River", "River Thames"): its rivers
    only, when it has any. ``article``: the text wrote "the" before it ("the Mississippi"):
    a river before the state or town of that name, unless a city has it ("the Saint Louis
    papers"). Otherwise a river is a candidate only
    when nothing else answers (a bare "Cumberland" is the town), and a division whose own
    town has its name yields to that town ("Wexford").
    """
    rivers = [rc for rc in cands if rc[1].kind == "river"]
    if rivers and (river_name or (article and not any(c.kind == "city" for _, c in cands))):
        return rivers
    out = [rc for rc in cands if rc[1].kind != "river"] or rivers
    towns = {_division(c) for r, c in out if r > 0 and c.kind in TOWN_KINDS}
    if towns:
        kept = [rc for rc in out
                if not (rc[0] > 0 and rc[1].kind == "region" and _division(rc[1]) in towns)]
        out = kept or out
    return out
