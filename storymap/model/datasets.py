"""A dataset that can place pins or draw the map, and its credit (the model of credits)."""

from __future__ import annotations

from dataclasses import dataclass

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
        low = source.strip().lower()
        return any(low.startswith(s.lower()) for s in self.sources)
