"""One place a name could be: what every resolver and the curated gazetteer answer with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Candidate"]


@dataclass(frozen=True)
class Candidate:
    """One place a name could refer to.

    ``id`` is unique across resolvers: curated ids as written in places/ ("parliament",
    "budapest-08"), GeoNames ids as "geonames:3054643", geopy ones as "geopy:<service>:<key>".
    ``population`` is 0 when unknown; ``country`` is an ISO 3166-1 alpha-2 code or "".
    ``name`` is the name the map shows; ``names`` holds the names the data knows by
    language code (``{"en": "Hungarian Parliament Building", "hu": "Országház"}``).
    ``scope`` is the id of the region (places/regions) whose stories alone may use it: a
    curated landmark of one city ("the Parliament" of Budapest) is no candidate in a story
    set elsewhere. ``geometry`` is a GeoJSON area (a district) or line (a river).
    ``estimated`` marks a point no data gives for this place itself (a fort placed at the
    town it is named after): the review list shows it, and ``source`` says so.
    """

    id: str
    name: str
    lat: float
    lon: float
    kind: str
    country: str = ""
    population: int = 0
    source: str = ""
    names: Mapping[str, str] = field(default_factory=dict, hash=False)
    parent: str = ""
    scope: str = ""
    geometry: dict[str, Any] | None = field(default=None, compare=False, hash=False)
    estimated: bool = False
