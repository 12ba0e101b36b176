"""The resolver interface: a name in, candidate places out.

A resolver answers "which places could this name be?"; choosing among the candidates
(by context, focus region, population) is the resolve stage's job. "Nothing found" is an
empty tuple, never an exception; a resolver raises GeocoderError only when it is broken
(a service that fails).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Candidate:
    """One place a name could refer to.

    ``id`` is unique across resolvers: curated ids as written in places/ ("parliament",
    "budapest-08"), GeoNames ids as "geonames:3054643", geopy ones as "geopy:<service>:<key>".
    ``population`` is 0 when unknown; ``country`` is an ISO 3166-1 alpha-2 code or "".
    ``name`` is the name the map shows; ``names`` holds the names the data knows by
    language code (``{"en": "Hungarian Parliament Building", "hu": "Országház"}``).
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
    geometry: dict[str, Any] | None = field(default=None, compare=False, hash=False)


class Resolver(Protocol):
    """What every resolver offers."""

    name: str

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Return the places ``name`` could be, best first; empty when none."""
        ...
