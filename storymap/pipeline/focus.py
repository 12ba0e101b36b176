"""Where a story happens: its main country and centre, and the first-level division of a
place (used by the resolve stage to judge namesakes).

A historic state's towns are filed by GeoNames under today's countries: a story of
Czechoslovakia in 1968 has its focus on towns coded CZ and SK.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..geo.candidates import Candidate

__all__ = ["Focus", "division", "find_focus", "in_country"]


@dataclass(frozen=True)
class Focus:
    """Where a story happens: its main country and centre."""

    country: str
    lat: float
    lon: float


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
    # the centre is where the home country's places are: a famous place abroad named
    # alone ("Warsaw" in a Missouri dispatch) must not be the centre its namesakes are
    # judged by while a state of the home country was named
    coarse = [p for p in places if _modern(p.country) == home and p.kind == "region"]
    pts = [p for p in located if _modern(p.country) == home] or coarse or located
    lat = sorted(p.lat for p in pts)[len(pts) // 2]
    lon = sorted(p.lon for p in pts)[len(pts) // 2]
    return Focus(country=home, lat=lat, lon=lon)


def division(c: Candidate) -> str:
    """Return the first-level division of a candidate ("US.TX"), or "".

    GeoNames candidates carry it as ``parent``; a curated state is its own
    ("us-tx" → "US.TX").

    >>> division(Candidate(id="us-tx", name="Texas", lat=31, lon=-99, kind="region",
    ...                    country="US"))
    'US.TX'
    """
    if c.parent and "." in c.parent:
        return c.parent
    if c.kind == "region" and c.country and c.id.startswith(f"{c.country.lower()}-"):
        return f"{c.country}.{c.id.split('-', 1)[1].upper()}"
    return ""
