"""What the reader makes of one text: a frozen, JSON-serialisable DocumentAnalysis.

:func:`storymap.pipeline.analyse` reads one text into a DocumentAnalysis — its passages
(normalised, with offsets), the people it names, its place mentions with the candidates
the reader chose among and the place chosen, its date expressions and its events — and
:func:`storymap.pipeline.combine` makes the Story from several of them. An analysis depends
on nothing but its text, the gazetteer and the options (resolvers), so analyses can be
made one by one, on several machines, cached, and combined later; corrections (issue 8)
change analyses and the story, never the texts.

Ids are stable: a mention's id (``MentionRecord.id``) and an event's id are
:func:`storymap.model.stable_id` of the document id and the source span, never of the date
or the place the reader chose.

``to_dict()``/``from_dict()`` round-trip exactly (``from_dict(a.to_dict()) == a``); the
layout has its own ``version`` (:data:`ANALYSIS_VERSION`).

An analysis may travel and be kept *slim* (:meth:`DocumentAnalysis.slim`): without its
passages — the normalised text with an offset per character, several times the size of
the text — but with what ``combine`` needs of them (:class:`Records`: the source spans of
its mentions and dates, and its display edits). The passages come back from the text
whenever a step needs them (:meth:`DocumentAnalysis.restored`): the client of a corpus
build keeps analyses, not passages.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

from ..errors import StoryFormatError
from ..lang import load_profile
from ..model import DateRecord, Document, Event, MentionRecord, PlaceRef, SourceRef, Story
from ..model.records import as_dict as asdict  # asdict's result, several times faster
from ..model.storyjson import event_from_dict, parse_json_object
from ..resolvers.base import Candidate
from ..text.display import document_edits
from ..text.passages import Passage, normalise
from .dates import DateExpr
from .later import Later
from .mentions import Mention
from .people import Person
from .resolve import ResolvedMention

__all__ = ["ANALYSIS_VERSION", "Corrections", "DocumentAnalysis", "Records", "place_from_dict"]

_R = TypeVar("_R")

#: Version of the DocumentAnalysis JSON layout; bumped when it changes incompatibly.
#: 2 added ``records`` (slim analyses); version 1 analyses are still read.
ANALYSIS_VERSION = 2
_READABLE = (1, 2)


@dataclass(frozen=True)
class Records:
    """What ``combine`` needs of a document's passages, kept when the passages are not.

    The mention and date records (with their source spans) and the display edits
    (:func:`storymap.text.display.document_edits`).
    """

    mentions: tuple[MentionRecord, ...]
    dates: tuple[DateRecord, ...]
    edits: tuple[int | str, ...]


@dataclass(frozen=True)
class DocumentAnalysis:
    """Everything the reader found in one text, before it meets the other texts of a story.

    ``year`` is the text's own dominant year (None when it names none); ``default_year`` is
    the year its dates were read with — its own, or the story's when it had none
    (:func:`storymap.pipeline.with_year`). ``candidates`` maps each folded name to the
    places the reader chose among, best source first (the runners-up a reviewer is shown).
    ``resolvers`` names the resolvers it was read with; ``language`` the profile
    (``storymap/lang/<code>``) whose words it was read by.
    """

    document: Document
    passages: tuple[Passage, ...]
    people: Sequence[Person]
    mentions: Sequence[ResolvedMention]
    candidates: Mapping[str, tuple[Candidate, ...]]
    dates: Sequence[DateExpr]
    events: tuple[Event, ...]
    year: int | None
    default_year: int | None
    resolvers: tuple[str, ...] = ()
    language: str = "en"
    #: Set on a slim analysis (no passages): see :meth:`slim`.
    records: Records | None = None
    version: int = field(default=ANALYSIS_VERSION)

    @property
    def id(self) -> str:
        """The document id (the file stem for files)."""
        return self.document.id

    def slim(self) -> DocumentAnalysis:
        """Return the analysis without its passages, with the records made of them.

        Unchanged when a passage lost letters (WikiText): their display repairs draw on the
        story's other texts, so such an analysis keeps its passages.
        """
        if self.records is not None:
            return self
        edits = document_edits(self.document, self.passages)
        if edits is None:
            return self
        records = Records(mentions=tuple(self.mention_records()),
                          dates=tuple(self.date_records()), edits=tuple(edits))
        return replace(self, passages=(), records=records)

    def restored(self) -> DocumentAnalysis:
        """Return the analysis with its passages, read again from the text if it is slim.

        The passages are what :func:`storymap.text.passages.normalise` makes of the text
        with the analysis's language profile: the same as when it was read.
        """
        if self.records is None:
            return self
        passages = normalise(self.document.text, doc=self.id,
                             profile=load_profile(self.language))
        return replace(self, passages=tuple(passages), records=None)

    def mention_records(self) -> Iterator[MentionRecord]:
        """Yield every place mention with its source span and stable id, in text order."""
        if self.records is not None:
            yield from self.records.mentions
            return
        lookup = {p.index: p for p in self.passages}
        for r in self.mentions:
            m = r.mention
            start, end = lookup[m.passage].source_span(m.start, m.end)
            yield MentionRecord(doc=self.id, start=start, end=end, text=m.text,
                                place_id=r.place.id if r.place else None)

    def named_places(self) -> Iterable[Candidate]:
        """The places its mentions name, in the order first named (one may come again)."""
        known = self.mentions.places if isinstance(self.mentions, Later) else None
        if known is not None:  # an entry's: its mentions need not be made for them
            return known
        return (r.place for r in self.mentions if r.place is not None)

    def date_records(self) -> Iterator[DateRecord]:
        """Yield every resolved date expression with its source span, in text order."""
        if self.records is not None:
            yield from self.records.dates
            return
        lookup = {p.index: p for p in self.passages}
        for d in self.dates:
            start, end = lookup[d.passage].source_span(d.start, d.end)
            yield DateRecord(doc=self.id, start=start, end=end, text=d.text, date=d.date,
                             precision=d.precision, end_date=d.end_date, time=d.time,
                             weekday=d.weekday)

    # -- JSON ----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Return the analysis as JSON-ready dicts and lists."""
        return {
            "version": self.version,
            "document": asdict(self.document),
            "year": self.year,
            "default_year": self.default_year,
            "resolvers": list(self.resolvers),
            "language": self.language,
            "passages": [_passage_dict(p) for p in self.passages],
            "people": [asdict(x) for x in self.people],
            "mentions": [{"mention": asdict(r.mention),
                          "place": asdict(r.place) if r.place else None}
                         for r in self.mentions],
            "candidates": {k: [asdict(c) for c in v] for k, v in self.candidates.items()},
            "dates": [asdict(d) for d in self.dates],
            "events": [asdict(e) for e in self.events],
            "records": None if self.records is None else {
                "mentions": [asdict(m) for m in self.records.mentions],
                "dates": [asdict(d) for d in self.records.dates],
                "edits": list(self.records.edits)},
        }

    def to_json(self, *, indent: int | None = None) -> str:
        """Return the analysis as a JSON string."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, filename: str = "<analysis>",
                  places: Sequence[Candidate] = (),
                  candidates: Mapping[str, tuple[Candidate, ...]] | None = None,
                  later: bool = False) -> DocumentAnalysis:
        """Build an analysis from ``to_dict()``; raise StoryFormatError if it does not fit.

        ``places`` lets a mention's place and a candidate be given by their index in it
        instead of in full, ``candidates`` (used instead of the data's) lets them be
        read only when asked for, and ``later`` its people, date expressions and mentions
        (:class:`Later`; ``places`` are then the places its mentions name, in the order
        first named): how the corpus cache keeps an analysis (storymap.corpus.entry).
        """

        def place(value: Any) -> Candidate:
            return places[value] if isinstance(value, int) else place_from_dict(value)

        def records(raw: Sequence[Any], make: Callable[[Any], _R], *,
                    named: Sequence[Candidate] | None = None) -> Sequence[_R]:
            if later:
                return Later(raw, make, name=filename, places=named)
            return tuple(make(x) for x in raw)

        version = data.get("version")
        if version not in _READABLE:
            raise StoryFormatError(
                f"{filename}: expected a storymap document analysis with version "
                f"{ANALYSIS_VERSION}, got version {version!r}; analyse the text again"
            )
        try:
            return cls(
                document=Document(**data["document"]),
                passages=tuple(_passage(p) for p in data["passages"]),
                people=records(data["people"], lambda x: _make(Person, x)),
                mentions=records(data["mentions"], lambda r: _resolved(r, place),
                                 named=places),
                candidates=candidates if candidates is not None else {
                    str(k): tuple(place(c) for c in v) for k, v in data["candidates"].items()},
                dates=records(data["dates"], lambda d: _make(DateExpr, d)),
                events=tuple(_event(e) for e in data["events"]),
                year=_year(data["year"]),
                default_year=_year(data["default_year"]),
                resolvers=tuple(str(r) for r in data.get("resolvers", ())),
                language=str(data.get("language", "en")),
                records=_records(data.get("records")),
            )
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise StoryFormatError(
                f"{filename}: not a valid storymap document analysis "
                f"({type(exc).__name__}: {exc}); analyse the text again"
            ) from None

    @classmethod
    def from_json(cls, text: str, *, filename: str = "<analysis>") -> DocumentAnalysis:
        """Parse an analysis JSON string; raise StoryFormatError on bad JSON or layout."""
        return cls.from_dict(parse_json_object(text, filename=filename,
                                               advice="analyse the text again"),
                             filename=filename)


class Corrections(Protocol):
    """The seam for a user's corrections (issue 8), applied by ``combine``.

    ``combine`` calls :meth:`analyses` with every document's analysis before it merges
    them (name-level fixes: a name in one document is a place, not a place, a person; the
    pipeline's ``reassemble`` rebuilds a document's events from changed mentions without
    reading its text again), then :meth:`story` with the combined story (event-level
    fixes keyed by ``Event.id`` or by document and quote: hide, date, places, title; and
    places the gazetteer lacks).
    """

    def analyses(self, analyses: Sequence[DocumentAnalysis]) -> Sequence[DocumentAnalysis]:
        """Return the analyses with the corrections of names applied."""
        ...

    def story(self, story: Story) -> Story:
        """Return the combined story with the corrections of events and places applied."""
        ...

    def settles(self, doc: str, name: str) -> bool:
        """True if a correction decides how ``name`` reads in document ``doc`` (such a name
        is not looked up online)."""
        ...


def _records(data: Mapping[str, Any] | None) -> Records | None:
    if data is None:
        return None
    return Records(mentions=tuple(_make(MentionRecord, m) for m in data["mentions"]),
                   dates=tuple(_make(DateRecord, d) for d in data["dates"]),
                   edits=tuple(e if isinstance(e, str) else int(e) for e in data["edits"]))


def _make(cls: type[_R], value: Any) -> _R:
    """A record from its dict, or from a tuple of its values in field order: the corpus
    cache's form (storymap.corpus.entry), which JSON never gives."""
    return cls(*value) if isinstance(value, tuple) else cls(**value)


def _event(value: Any) -> Event:
    """An event from its dict, or the cache's tuple of its values in field order with its
    place and source references as tuples too."""
    if not isinstance(value, tuple):
        return event_from_dict(value)
    id_, date, precision, title, quote, places, sources, *rest = value
    return Event(id_, date, precision, title, quote, tuple(PlaceRef(*r) for r in places),
                 tuple(SourceRef(*r) for r in sources), *rest)


def _resolved(value: Any, place: Callable[[Any], Candidate]) -> ResolvedMention:
    """A resolved mention from ``{"mention": …, "place": …}`` or the cache's
    ``(mention, place)``."""
    mention, where = value if isinstance(value, tuple) else (value["mention"], value["place"])
    return ResolvedMention(mention=_make(Mention, mention),
                           place=None if where is None else place(where))


def _year(value: Any) -> int | None:
    return None if value is None else int(value)


def place_from_dict(data: Mapping[str, Any] | tuple[Any, ...]) -> Candidate:
    """Return the candidate of ``asdict(candidate)`` (lat and lon as floats), or of the
    cache's tuple of its values in field order."""
    if isinstance(data, tuple):
        return Candidate(*data)
    return Candidate(**{**data, "lat": float(data["lat"]), "lon": float(data["lon"])})


def _passage_dict(p: Passage) -> dict[str, Any]:
    data = asdict(p)
    data["offsets"] = _runs(p.offsets)
    return data


def _passage(data: Mapping[str, Any]) -> Passage:
    return Passage(**{**data, "offsets": _unruns(data["offsets"])})


def _runs(offsets: Sequence[int]) -> list[list[int]]:
    """Encode offsets as [first, length] runs of consecutive numbers (most of a text is one).

    >>> _runs([3, 4, 5, 9, 10, 2])
    [[3, 3], [9, 2], [2, 1]]
    >>> _unruns(_runs([3, 4, 5, 9, 10, 2]))
    (3, 4, 5, 9, 10, 2)
    """
    out: list[list[int]] = []
    for n in offsets:
        if out and out[-1][0] + out[-1][1] == n:
            out[-1][1] += 1
        else:
            out.append([n, 1])
    return out


def _unruns(runs: Sequence[Sequence[int]]) -> tuple[int, ...]:
    return tuple(n for first, length in runs for n in range(int(first), int(first) + int(length)))
