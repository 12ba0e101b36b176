"""Applying corrections: names to the document analyses, events and places to the story.

:class:`Applier` is what :func:`storymap.pipeline.combine` takes as ``corrections``:

* ``analyses()`` changes how names are read in each analysis — a place, not a place, a
  person, in one document or everywhere — and rebuilds that document's events from the
  changed mentions (``pipeline.reassemble``), never reading its text again;
* ``story()`` applies the event entries (hide, date, end date, time, places, title, by
  stable id or by document + a piece of the quote) and the places of the file (new ones,
  and known ones moved by hand).

An entry that no longer matches (its name or event is gone from the texts) is kept in the
file and listed in :attr:`Applier.unmatched` — one line each, for ``build`` and the review
list; it is never an error and never dropped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..model import Event, Place, PlaceRef, Story
from ..pipeline.timeorder import order_events
from ..resolvers.base import Candidate
from ..text.folding import fold
from .model import Corrections, Entry, EventFix, NameFix, PlaceFix

if TYPE_CHECKING:
    from ..geo.gazetteer import Gazetteer
    from ..pipeline.analysis import DocumentAnalysis
    from ..pipeline.mentions import Mention
    from ..pipeline.resolve import ResolvedMention

__all__ = ["Applier", "Unmatched", "describe", "event_matches", "place_fix_of"]


@dataclass(frozen=True)
class Unmatched:
    """A correction that matched nothing in the texts (kept in the file, reported)."""

    section: str
    index: int
    entry: Entry
    reason: str
    file: str = ""

    def message(self) -> str:
        """One line naming the file, the entry, why and what to do."""
        where = f"{self.file}: " if self.file else ""
        return (f"{where}{describe(self.section, self.index, self.entry)}: no longer matches "
                f"({self.reason}); fix or delete it")


def describe(section: str, index: int, entry: Entry) -> str:
    """A short label for an entry: ``events[2] (doc notes, quote 'The next')``."""
    if isinstance(entry, EventFix):
        label = entry.target()
    elif isinstance(entry, NameFix):
        label = f"name {entry.name!r}" + (f" in {entry.doc}" if entry.doc else "")
    else:
        label = f"id {entry.id}"
    return f"{section}[{index}] ({label})"


class Applier:
    """The corrections of one file, ready for ``combine`` (see the module docstring)."""

    def __init__(self, corrections: Corrections, *, gazetteer: Gazetteer | None = None,
                 cache: dict[Any, Any] | None = None) -> None:
        self.corrections = corrections
        #: analyses already corrected, by (analysis, its name entries): shared by the
        #: Appliers of one edit session, so a fix in one document rebuilds only that one
        self._cache = cache
        self._gazetteer = gazetteer
        self.unmatched: list[Unmatched] = []
        #: the analyses as corrected by the last ``analyses()`` call (the review reads them)
        self.applied: list[DocumentAnalysis] = []
        self._fixes = {p.id: p for p in corrections.places}

    def settles(self, doc: str, name: str) -> bool:
        """True if a names entry decides how ``name`` is read in document ``doc`` (such a
        name is never looked up online)."""
        key = fold(name)
        return any(fold(f.name) == key and f.doc in ("", doc) for f in self.corrections.names)

    # -- the seam of combine ------------------------------------------------------------
    def analyses(self, analyses: Sequence[DocumentAnalysis]) -> list[DocumentAnalysis]:
        """Return the analyses with every name entry applied (events rebuilt where changed)."""
        self.unmatched = []
        docs = {a.id for a in analyses}
        matched = [False] * len(self.corrections.names)
        out = []
        for analysis in analyses:
            mine = [(i, f) for i, f in enumerate(self.corrections.names)
                    if not f.doc or f.doc == analysis.id]
            fixes = tuple(f for _, f in mine)
            key = (id(analysis), fixes, tuple(self._fixes.get(f.place) for f in fixes))
            cached = self._cache.get(key) if self._cache is not None else None
            if cached is None or cached[0] is not analysis:
                cached = (analysis, *self._names(analysis, fixes))
                if self._cache is not None:
                    if len(self._cache) > 64:  # old states of the file: let them go
                        self._cache.clear()
                    self._cache[key] = cached
            _, result, hits = cached
            for (i, _), hit in zip(mine, hits, strict=True):
                matched[i] = matched[i] or hit
            out.append(result)
        for i, fix in enumerate(self.corrections.names):
            if not matched[i]:
                why = (f"no document {fix.doc!r}" if fix.doc and fix.doc not in docs
                       else f"no text says {fix.name!r}")
                self._miss("names", i, fix, why)
        self.applied = out
        return out

    def _names(self, analysis: DocumentAnalysis,
               fixes: Sequence[NameFix]) -> tuple[DocumentAnalysis, tuple[bool, ...]]:
        """Apply ``fixes`` to one analysis; return it and which fixes matched something."""
        if not fixes:
            return analysis, ()
        mentions = list(analysis.mentions)
        people = list(analysis.people)
        lowered = [p.text.casefold() for p in analysis.passages]
        hits = []
        for fix in fixes:
            hit, mentions, people = self._name(analysis, fix, mentions, people, lowered)
            hits.append(hit)
        if any(hits):
            from ..pipeline import reassemble

            mentions.sort(key=lambda r: (r.mention.passage, r.mention.start))
            analysis = reassemble(replace(analysis, people=tuple(people)),
                                  default_year=analysis.default_year,
                                  mentions=mentions, gazetteer=self._gazetteer)
        return analysis, tuple(hits)

    def story(self, story: Story) -> Story:
        """Return the story with the event entries and the file's places applied."""
        events: list[Event | None] = list(story.events)
        for i, fix in enumerate(self.corrections.events):
            hits = [k for k, e in enumerate(events)
                    if e is not None and event_matches(fix, e, story)]
            if not hits:
                self._miss("events", i, fix, _why_not(fix, story))
                continue
            for k in hits:
                events[k] = self._event(fix, events[k])  # type: ignore[arg-type]  # hits: not None
        # Hidden events go; events without places stay, as combine keeps them (the built-in
        # story has 124 of 214), and the day is ordered as combine orders it: by time of
        # day (storymap.pipeline.timeorder), not by the time's spelling ("evening" < "morning").
        kept = order_events(e for e in events if e is not None)
        return replace(story, events=tuple(kept), places=self._places(story, kept))

    def report(self) -> list[str]:
        """One line per entry that no longer matches."""
        return [u.message() for u in self.unmatched]

    # -- names -------------------------------------------------------------------------
    def _name(self, analysis: DocumentAnalysis, fix: NameFix, mentions: list[ResolvedMention],
              people: list, lowered: Sequence[str],  # type: ignore[type-arg]
              ) -> tuple[bool, list[ResolvedMention], list]:  # type: ignore[type-arg]
        from ..pipeline.people import Person
        from ..pipeline.resolve import ResolvedMention

        key = fold(fix.name)
        same = [r for r in mentions if key in (_fold(r.mention.text), _fold(r.mention.name))]
        ours = {id(r) for r in same}
        others = [r for r in mentions if id(r) not in ours]
        # words inside a longer name the reader found ("Corvin" in "Corvin köz") are that name
        spans = [(p, a, b, t) for p, a, b, t in _occurrences(analysis, fix.name, lowered)
                 if not any(_inside(r, p, a, b) for r in others)]
        if not same and not spans:
            return False, mentions, people
        if fix.reading != "place":
            rest = others
            if fix.person:
                have = {(x.passage, x.start) for x in people}
                people = people + [Person(passage=p, start=a, end=b, name=fix.name)
                                   for p, a, b, _ in spans if (p, a) not in have]
            return True, rest, people
        place = self._candidate(fix.place)
        rest = [replace(r, place=place) if id(r) in ours else r for r in mentions]
        for p, a, b, text in spans:
            # the user's words win over a longer or shorter reading that overlaps them
            rest = [r for r in rest if _span(r) == (p, a, b) or not _overlaps(r, p, a, b)]
            if not any(_span(r) == (p, a, b) for r in rest):
                rest.append(ResolvedMention(
                    mention=_mention(analysis.id, p, a, b, text, fix.name), place=place))
        return True, rest, people

    def _candidate(self, place_id: str) -> Candidate:
        fix = self._fixes.get(place_id)
        if fix is not None:
            return Candidate(id=fix.id, name=fix.name, lat=fix.lat, lon=fix.lon, kind=fix.kind,
                             country=fix.country, source=fix.source, names=dict(fix.names))
        return self._gaz().entries[place_id].candidate

    def _gaz(self) -> Gazetteer:
        if self._gazetteer is None:
            from ..geo.gazetteer import load_gazetteer

            self._gazetteer = load_gazetteer()
        return self._gazetteer

    # -- events and places ---------------------------------------------------------------
    def _event(self, fix: EventFix, event: Event) -> Event | None:
        if fix.hide:
            return None
        changes: dict[str, object] = {}
        if fix.date:
            changes["date"], changes["precision"] = fix.date, _precision(fix.date)
            # A coarse date continues; a day keeps what the sentence says (a look back).
            said_so = event.continuing and event.precision == "day"
            changes["continuing"] = changes["precision"] != "day" or said_so
            end = event.end_date if fix.end_date is None else fix.end_date or None
            if end and (len(end) != len(fix.date) or end < fix.date):
                end = None  # a range that no longer fits its start
            changes["end_date"] = end
        elif fix.end_date is not None:
            end = fix.end_date or None
            changes["end_date"] = end if not end or end >= event.date else None
        if fix.time is not None:
            changes["time"] = fix.time or None
            changes["time_order"] = None  # a time set by hand is ordered by itself
        if fix.title is not None:
            changes["title"] = fix.title
        if fix.places is not None:
            said = {r.place_id: r.mention for r in event.places}
            changes["places"] = tuple(PlaceRef(place_id=pid, mention=said.get(pid)
                                               or self._candidate(pid).name)
                                      for pid in dict.fromkeys(fix.places))
        return replace(event, **changes)  # type: ignore[arg-type]

    def _places(self, story: Story, events: Sequence[Event]) -> tuple[Place, ...]:
        from ..geo.gazetteer import polygons

        used = {r.place_id for e in events for r in e.places}
        used |= {m.place_id for m in story.mentions if m.place_id}
        out = {p.id: p for p in story.places}
        for pid in used - set(out):
            if pid in self._fixes or pid in self._gaz().entries:
                c = self._candidate(pid)
                out[pid] = Place(id=c.id, name=c.name, lat=c.lat, lon=c.lon, kind=c.kind,
                                 names=c.names, country=c.country, source=c.source,
                                 geometry=polygons().get(c.id), estimated=c.estimated)
        for pid, fix in self._fixes.items():
            if pid in out:  # a known place moved by hand: its point moves, its area stays
                out[pid] = replace(out[pid], lat=fix.lat, lon=fix.lon, name=fix.name,
                                   source=fix.source, estimated=False)  # placed by hand
        return tuple(p for pid, p in out.items() if pid in used)

    def _miss(self, section: str, index: int, entry: Entry, reason: str) -> None:
        self.unmatched.append(Unmatched(section=section, index=index, entry=entry,
                                        reason=reason, file=self.corrections.path))


#: names repeat across mentions and fixes: fold each once
_fold = functools.lru_cache(maxsize=1 << 16)(fold)


def _span(r: ResolvedMention) -> tuple[int, int, int]:
    return r.mention.passage, r.mention.start, r.mention.end


def _inside(r: ResolvedMention, passage: int, start: int, end: int) -> bool:
    m = r.mention
    return m.passage == passage and m.start <= start and end <= m.end and (m.start, m.end) != (
        start, end)


def _overlaps(r: ResolvedMention, passage: int, start: int, end: int) -> bool:
    m = r.mention
    return m.passage == passage and start < m.end and m.start < end


def _precision(value: str) -> str:
    return {10: "day", 7: "month"}.get(len(value), "year")


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def event_matches(fix: EventFix, event: Event, story: Story) -> bool:
    """True if ``fix`` names ``event``: by id, or by document and a piece of its quote."""
    if fix.id:
        return event.id == fix.id
    piece = _squash(fix.quote)
    if piece in _squash(event.quote) and any(s.doc == fix.doc for s in event.sources):
        return True
    for s in event.sources:  # the quote as the text has it (before repairs, with its breaks)
        if s.doc == fix.doc:
            try:
                text = story.document(s.doc).text
            except KeyError:
                continue
            if piece in _squash(text[s.start:s.end]):
                return True
    return False


def _why_not(fix: EventFix, story: Story) -> str:
    if fix.id:
        return f"no event has id {fix.id}"
    if all(d.id != fix.doc for d in story.documents):
        return f"no document {fix.doc!r}"
    return f"no event of {fix.doc} has the words {fix.quote[:60]!r}"


def _occurrences(analysis: DocumentAnalysis, name: str,
                 lowered: Sequence[str]) -> Iterator[tuple[int, int, int, str]]:
    """Yield (passage, start, end, text) wherever ``name`` stands as whole words.

    ``lowered`` holds the passages' texts case-folded: only those containing the first
    word are searched.
    """
    words = name.split()
    if not words:
        return
    first = words[0].casefold()
    rx = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)",
                    re.IGNORECASE)
    for p, low in zip(analysis.passages, lowered, strict=True):
        if first in low:
            for m in rx.finditer(p.text):
                yield p.index, m.start(), m.end(), m.group(0)


def _mention(doc: str, passage: int, start: int, end: int, text: str, name: str) -> Mention:
    from ..pipeline.mentions import Mention

    return Mention(doc=doc, passage=passage, start=start, end=end, text=text, name=name,
                   how="corrected")


def place_fix_of(place: Place | Candidate, *, lat: float, lon: float, at: str = "") -> PlaceFix:
    """The entry that moves ``place`` to ``lat``/``lon`` (what dragging a pin writes)."""
    return PlaceFix(id=place.id, name=place.name, kind=place.kind, lat=lat, lon=lon,
                    names=dict(place.names), country=place.country,
                    source="moved by hand in storymap", at=at)
