"""What a text names that the map cannot show: unresolved place names and people.

``storymap places --unresolved TEXT`` prints this report so a user sees both sides of the
reader's choices: the names it read as places that no gazetteer resolves (to add to
places/ or a ``storymap gazetteer add`` file) and the names it read as people (a place
read as a person never reaches the map, so it must be visible somewhere).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .analysis import DocumentAnalysis

__all__ = ["NameCount", "UnresolvedReport", "unresolved_report"]


@dataclass(frozen=True)
class NameCount:
    """A name, how often the texts use it, and where first (document id, offset)."""

    name: str
    count: int
    doc: str
    start: int


@dataclass(frozen=True)
class UnresolvedReport:
    """The unresolved place names and the people of some texts, most frequent first."""

    places: tuple[NameCount, ...]
    people: tuple[NameCount, ...]


def unresolved_report(analyses: Iterable[DocumentAnalysis]) -> UnresolvedReport:
    """Return the names read as places that nothing resolves, and the names read as people."""
    places: dict[str, list[tuple[str, int]]] = {}
    people: dict[str, list[tuple[str, int]]] = {}
    for a in analyses:
        offsets = {p.index: p for p in a.passages}
        for r in a.mentions:
            if r.place is None:
                m = r.mention
                start, _ = offsets[m.passage].source_span(m.start, m.end)
                places.setdefault(m.text, []).append((m.doc, start))
        for person in a.people:
            start, _ = offsets[person.passage].source_span(person.start, person.end)
            people.setdefault(person.name, []).append((a.document.id, start))
    return UnresolvedReport(places=_counted(places), people=_counted(people))


def _counted(found: dict[str, list[tuple[str, int]]]) -> tuple[NameCount, ...]:
    rows = [NameCount(name, len(where), *where[0]) for name, where in found.items()]
    return tuple(sorted(rows, key=lambda r: (-r.count, r.name)))
