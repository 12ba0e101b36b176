"""What a text names that the map cannot show: unresolved place names and people.

``storymap places --unresolved TEXT`` prints this report so a user sees both sides of the
reader's choices: the names it read as places that no gazetteer resolves (to add to
places/ or a ``storymap gazetteer add`` file), every named square, street, building and
other feature whether it resolved or not (where history happens, and what a user checks
first), and the names it read as people (a place read as a person never reaches the
map, so it must be visible somewhere).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..geo.gazetteer import load_gazetteer
from ..model.kinds import WIDE_KINDS
from ..text.folding import fold
from .analysis import DocumentAnalysis

__all__ = ["FeatureCount", "NameCount", "UnresolvedReport", "unresolved_report"]

#: Kinds of named features narrower than a town: squares, streets, buildings, bridges…
_FEATURE_KINDS = frozenset(("building", "monument", "memorial", "street", "square",
                            "junction", "cemetery", "industrial", "airfield"))


@dataclass(frozen=True)
class NameCount:
    """A name, how often the texts use it, and where first (document id, offset)."""

    name: str
    count: int
    doc: str
    start: int


@dataclass(frozen=True)
class FeatureCount:
    """A named feature (square, street, building…), how often, where first, and the id of
    the place it resolved to (None when nothing resolves it)."""

    name: str
    count: int
    doc: str
    start: int
    place: str | None


@dataclass(frozen=True)
class UnresolvedReport:
    """The unresolved place names, the named features and the people of some texts, most
    frequent first."""

    places: tuple[NameCount, ...]
    people: tuple[NameCount, ...]
    features: tuple[FeatureCount, ...] = ()


def unresolved_report(analyses: Iterable[DocumentAnalysis]) -> UnresolvedReport:
    """Return the names read as places that nothing resolves, and the names read as people.

    A name placed only by estimate (storymap.pipeline.estimate, namedafter) is listed as
    unresolved too: no data places it, and adding it to places/ or a pack is the fix.
    """
    places: dict[str, list[tuple[str, int]]] = {}
    people: dict[str, list[tuple[str, int]]] = {}
    features: dict[str, list[tuple[str, int]]] = {}
    resolved: dict[str, str | None] = {}
    for a in analyses:
        offsets = {p.index: p for p in a.passages}
        for r in a.mentions:
            m = r.mention
            feature = m.how == "feature" or (
                r.place.kind in _FEATURE_KINDS if r.place is not None
                else m.how == "lexicon" and _curated_feature(m.name))
            unplaced = r.place is None or r.place.estimated
            if not unplaced and not feature:
                continue
            start, _ = offsets[m.passage].source_span(m.start, m.end)
            if unplaced:
                places.setdefault(m.text, []).append((m.doc, start))
            if feature and not (r.place is not None and r.place.kind in WIDE_KINDS):
                features.setdefault(m.text, []).append((m.doc, start))
                if resolved.get(m.text) is None:
                    resolved[m.text] = r.place.id if r.place is not None else None
        for person in a.people:
            start, _ = offsets[person.passage].source_span(person.start, person.end)
            people.setdefault(person.name, []).append((a.document.id, start))
    named = [FeatureCount(row.name, row.count, row.doc, row.start, resolved.get(row.name))
             for row in _counted(features)]
    return UnresolvedReport(places=_counted(places), people=_counted(people),
                            features=tuple(named))


def _curated_feature(name: str) -> bool:
    """True if the curated gazetteer knows ``name`` as a square, street or building (one
    that did not resolve here: a landmark of another region's list)."""
    gaz = load_gazetteer()
    return any(gaz.entries[e].candidate.kind in _FEATURE_KINDS for e in gaz.lookup(fold(name)))


def _counted(found: dict[str, list[tuple[str, int]]]) -> tuple[NameCount, ...]:
    rows = [NameCount(name, len(where), *where[0]) for name, where in found.items()]
    return tuple(sorted(rows, key=lambda r: (-r.count, r.name)))
