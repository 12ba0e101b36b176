"""The resolver interface: a name in, candidate places out.

A resolver answers "which places could this name be?"; choosing among the candidates
(by context, focus region, population) is the resolve stage's job. "Nothing found" is an
empty tuple, never an exception; a resolver raises GeocoderError only when it is broken
(a service that fails).
"""

from __future__ import annotations

from typing import Protocol

from ..geo.candidates import Candidate

__all__ = ["Candidate", "Resolver"]


class Resolver(Protocol):
    """What every resolver offers."""

    name: str

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Return the places ``name`` could be, best first; empty when none."""
        ...
