"""The "geonames" resolver: every town of the world, from the cached GeoNames index, and
the divisions of every country, US counties and rivers (storymap.geo.divisions)."""

from __future__ import annotations

from ..geo import divisions
from ..geo.geonames import GeoName, lookup
from .base import Candidate

__all__ = ["GeoNamesResolver", "kind_for_population"]

#: Population thresholds for the kind of a GeoNames place (GeoNames has no "city" flag).
CITY_POPULATION = 100_000
TOWN_POPULATION = 2_000


def kind_for_population(population: int) -> str:
    """Return "city", "town" or "village" for a GeoNames population.

    >>> kind_for_population(1_700_000), kind_for_population(10_164), kind_for_population(600)
    ('city', 'town', 'village')
    """
    if population >= CITY_POPULATION:
        return "city"
    if population >= TOWN_POPULATION:
        return "town"
    return "village"


def to_candidate(place: GeoName) -> Candidate:
    """Return the resolver candidate for one GeoNames place."""
    return Candidate(
        id=f"geonames:{place.geonameid}",
        name=place.name,
        lat=place.lat,
        lon=place.lon,
        kind=kind_for_population(place.population),
        country=place.country,
        population=place.population,
        source=f"GeoNames {place.geonameid}",
        # the first-level division ("US.TX"): "Franklin, Tex." keeps the Texan Franklins
        parent=f"{place.country}.{place.admin1}" if place.country and place.admin1 else "",
    )


class GeoNamesResolver:
    """Resolve names against GeoNames' cities500 (about 235,000 places), offline, and
    against the divisions and rivers of places/divisions and places/rivers.

    One resolver, so a town and the division or river of its name compete on the same
    footing (the resolve stage chooses by context, not by which list answered). The indexes
    are built on first use (seconds, once per data version); raises GazetteerError from
    ``candidates`` only when one cannot be built.
    """

    name = "geonames"

    def __init__(self, *, limit: int = 20, divisions: bool = True) -> None:
        self.limit = limit
        self.divisions = divisions

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Return the GeoNames towns called ``name`` (most populous first), then the
        divisions and rivers."""
        towns = tuple(to_candidate(p) for p in lookup(name, limit=self.limit))
        if not self.divisions:
            return towns
        return towns + divisions.lookup(name)[: self.limit]
