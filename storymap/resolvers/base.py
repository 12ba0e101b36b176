"""The resolver interface: a name in, candidate places out.

A resolver answers "which places could this name be?"; choosing among the candidates
(by context, focus region, population) is the resolve stage's job. "Nothing found" is an
empty tuple, never an exception; a resolver raises GeocoderError only when it is broken
(a service that fails).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ..geo.candidates import Candidate

__all__ = ["Box", "Candidate", "OnlineResolver", "Resolver"]

#: An area to prefer answers in: (south, west, north, east) in degrees.
Box = tuple[float, float, float, float]


class Resolver(Protocol):
    """What every resolver offers."""

    name: str

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Return the places ``name`` could be, best first; empty when none."""
        ...


@runtime_checkable
class OnlineResolver(Protocol):
    """A resolver that asks a service over the network (``geopy:<service>``).

    ``label`` names the service for people ("OpenStreetMap Nominatim"), ``license`` the
    licence of its answers; ``requests`` counts what this run sent, ``down`` says why the
    service is unusable for the rest of the run ("" while it answers).
    """

    name: str
    label: str
    license: str
    requests: int
    down: str

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Return the places ``name`` could be, best first; empty when none."""
        ...

    def lookup(self, name: str, *, near: Box | None = None) -> tuple[Candidate, ...]:
        """Ask (or answer from the cache) preferring the area ``near``; GeocoderError if
        the service fails."""
        ...

    def cached(self, name: str, *, near: Box | None = None) -> tuple[Candidate, ...] | None:
        """The answer given before to the same question, None if never asked (no request)."""
        ...

    def search_cache(self, name: str, *, limit: int = 20) -> list[Candidate]:
        """Places called ``name`` among the answers given before (no request)."""
        ...
