"""A resolver that answers from a dict: for tests of the stages that use resolvers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..text.folding import fold
from .base import Candidate

__all__ = ["FakeResolver"]


class FakeResolver:
    """Resolve names from a fixed mapping of name → candidates, folded like real resolvers.

    >>> from storymap.resolvers.base import Candidate
    >>> gyor = Candidate(id="gyor", name="Győr", lat=47.68, lon=17.63, kind="city")
    >>> r = FakeResolver({"Győr": [gyor]})
    >>> [c.id for c in r.candidates("GYOR")], r.candidates("Pécs"), r.calls
    (['gyor'], (), ['GYOR', 'Pécs'])
    """

    name = "fake"

    def __init__(self, places: Mapping[str, Sequence[Candidate]], *, name: str = "fake") -> None:
        self.name = name
        self._places = {fold(k): tuple(v) for k, v in places.items()}
        self.calls: list[str] = []

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Return the candidates given for ``name`` (compared folded), else ``()``."""
        self.calls.append(name)
        return self._places.get(fold(name), ())
