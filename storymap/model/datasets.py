"""A dataset that can place pins or draw the map, and its credit (the model of credits)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .parts import Attribution

__all__ = ["Dataset"]


@dataclass(frozen=True)
class Dataset:
    """A dataset that can place pins or draw the map, and its credit."""

    id: str
    attribution: Attribution
    sources: tuple[str, ...]
    basemap: bool = False

    def matches(self, source: str) -> bool:
        """True if a place's ``source`` (or an outline file's attribution) names this dataset."""
        return source.strip().lower().startswith(self._prefixes)

    @cached_property
    def _prefixes(self) -> tuple[str, ...]:
        # A story's places have ~1,500 distinct sources ("GeoNames 5520993"): each is
        # asked of every dataset once, lowercasing these every time was half the work.
        return tuple(s.lower() for s in self.sources)
