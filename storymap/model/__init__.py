"""The Story model: what the engine produces and everything else (web app, exports) reads.

A Story is plain data: documents (with their text), places, dated events, and every
place and date mention found in the texts, so a reader can check each pin against its
source sentence. ``Story.to_json()`` / ``Story.from_json()`` round-trip exactly; the
JSON layout is described by ``storymap/schema/story.schema.json`` (``version`` 1).

The web side imports only this module (and nothing from the text stages).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date as _date
from datetime import timedelta
from functools import cached_property
from typing import Any

from ..errors import StoryFormatError
from .phases import densest_run, story_emphasis
from .records import as_dict as asdict  # asdict's result, several times faster
from .records import record_lines

STORY_VERSION = 1

#: Dates are ISO strings cut to their precision: "1956-10-23", "1957-01" or "1989".
PRECISIONS = ("day", "month", "year")

#: A day-precise event spanning more days than this is kept at month precision (and one
#: spanning more than a century at year precision): it is shown as a span, never listed
#: day by day. A day-by-day map of a longer range says nothing about any one day.
MAX_EVENT_DAYS = 366
MAX_MONTH_SPAN_DAYS = 36_525

#: How many days, beyond each range's first, all of a story's ranges may add to its day
#: lists together; later ranges past the budget are listed on their first day only. Keeps
#: the day index (and everything built from it) linear in the number of events.
MAX_RANGE_DAYS = 100_000


@dataclass(frozen=True)
class Attribution:
    """A source the story used (a text, a gazetteer, a basemap), credited wherever it is shown.

    A story carries only the attributions of what it used: its own texts and the datasets
    of its places (see ``storymap/pipeline/credits.py`` and ``places/credits/datasets.json``).
    """

    name: str
    license: str
    url: str
    text: str


@dataclass(frozen=True)
class Document:
    """One source text of the story, kept whole so every quote can be checked.

    ``edits`` say how the text reads on the page, normalised and repaired, at unchanged
    offsets: flat pairs ``gap, what`` (``gap`` code points after the previous edit's end,
    ``what`` a number of characters deleted there or the one character shown instead of
    the one there). The pipeline computes them (storymap.text.display); a story without them
    shows its raw text.
    """

    id: str
    title: str
    text: str
    url: str = ""
    license: str = ""
    edits: tuple[int | str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.edits, tuple):  # read from JSON as a list
            object.__setattr__(self, "edits", tuple(self.edits))

    def shown(self, start: int, end: int) -> str:
        """Return ``text[start:end]`` as the page shows it: with the edits applied.

        (The page's text view does the same, static/app/textview.js ``shownText``.)

        >>> Document("d", "T", "Pozna? 1956 @-@ 57", edits=(5, "ń", 6, 1, 1, 1)).shown(0, 18)
        'Poznań 1956 - 57'
        """
        out: list[str] = []
        at, pos = start, 0
        flat = self.edits
        for k in range(0, len(flat) - 1, 2):
            gap, what = flat[k], flat[k + 1]
            first = pos + int(gap)
            last = first + (what if isinstance(what, int) else 1)
            pos = last
            if last <= start:
                continue
            if first >= end:
                break
            if first > at:
                out.append(self.text[at:first])
            if isinstance(what, str) and first >= start:
                out.append(what)
            at = max(at, min(last, end))
        out.append(self.text[at:end])
        return "".join(out)


@dataclass(frozen=True)
class Place:
    """A resolved place: where a pin goes.

    ``name`` is what the map shows by default; ``names`` holds the place's names by
    language code (``{"en": "Hungarian Parliament Building", "hu": "Országház"}``), for
    a page in another language. ``geometry`` is an optional GeoJSON Polygon/MultiPolygon
    for areas (districts); ``source`` says where the coordinates come from.
    ``estimated`` marks a point no data gives for the place itself, borrowed from a place
    the text names beside it (a fort at the town of its name, an island among a report's
    towns): the page shows it as approximate, and ``source`` says from what.
    """

    id: str
    name: str
    lat: float
    lon: float
    kind: str
    names: Mapping[str, str] = field(default_factory=dict, hash=False)
    country: str = ""
    source: str = ""
    geometry: Mapping[str, Any] | None = field(default=None, compare=False, hash=False)
    estimated: bool = False

    def name_in(self, lang: str) -> str:
        """Return the place's name in language ``lang``, else its default name.

        >>> Place("p", "Parliament", 47.5, 19.0, "building", {"hu": "Országház"}).name_in("hu")
        'Országház'
        """
        return self.names.get(lang) or self.name


@dataclass(frozen=True)
class SourceRef:
    """Where an event's quote stands: character offsets into a document's original text."""

    doc: str
    start: int
    end: int


@dataclass(frozen=True)
class PlaceRef:
    """A place an event names, with the words the text used for it."""

    place_id: str
    mention: str


@dataclass(frozen=True)
class Event:
    """Something that happened at some places on some date, with its source sentence."""

    id: str
    date: str
    precision: str
    title: str
    quote: str
    places: tuple[PlaceRef, ...]
    sources: tuple[SourceRef, ...]
    end_date: str | None = None
    time: str | None = None
    people: tuple[str, ...] = ()
    #: Listed as continuing on every day it is listed on, its first included: a date coarser
    #: than a day, or a sentence that looks back ("had stood there for years"). Computed when
    #: the story is combined (storymap.pipeline.timeorder.looks_back reads the language), so
    #: outputs never read a language profile. Optional in the JSON schema (older stories).
    continuing: bool = False
    #: Where the event stands in its day, in minutes after the day's start: its clock time, a
    #: named part of the day on the clock, or the time the narration had reached when it was
    #: told ("At 04:00 … in the early hours" keeps that order; "shortly after midnight" on
    #: the night's next day is 0). Computed from the text (storymap.pipeline.dates.night), so
    #: the day panel, the exports and the print order a day alike without reading a language.
    #: None: no time, or one set by hand (ordered by the time itself). Optional in the JSON.
    time_order: int | None = None

    def __post_init__(self) -> None:
        # Coarse honesty for absurd spans: a range longer than MAX_EVENT_DAYS keeps its
        # dates at month (or, beyond a century, year) precision rather than day by day.
        if self.precision != "day" or not self.end_date or self.end_date == self.date:
            return
        try:
            span = (_date.fromisoformat(self.end_date) - _date.fromisoformat(self.date)).days
        except ValueError:
            return  # not a calendar date: from_dict refuses it with a clear message
        if span > MAX_EVENT_DAYS:
            cut = 7 if span <= MAX_MONTH_SPAN_DAYS else 4
            object.__setattr__(self, "precision", "month" if cut == 7 else "year")
            object.__setattr__(self, "date", self.date[:cut])
            object.__setattr__(self, "end_date", self.end_date[:cut])
            object.__setattr__(self, "time", None)
            object.__setattr__(self, "time_order", None)

    def continues_on(self, day: str) -> bool:
        """True if the event goes on over ``day`` rather than being its news.

        A range is news on its first day and continues on the days after; an event that
        looks back (``continuing``) continues on every day it is listed on
        (storymap.pipeline.timeorder.is_continuing reads the language for a story without
        the flag).
        """
        return self.continuing or bool(self.end_date and self.end_date != self.date
                                       and day > self.date)

    def days(self) -> tuple[str, ...]:
        """Every ISO day the event covers (empty unless its precision is "day").

        At most MAX_EVENT_DAYS + 1 days: longer ranges are coarsened when constructed.
        """
        if self.precision != "day":
            return ()
        first = _date.fromisoformat(self.date)
        last = _date.fromisoformat(self.end_date) if self.end_date else first
        span = min(max((last - first).days, 0), MAX_EVENT_DAYS) + 1
        return tuple((first + timedelta(days=i)).isoformat() for i in range(span))


@dataclass(frozen=True)
class MentionRecord:
    """A place name in a document; ``place_id`` is None when nothing resolved it.

    ``id`` is :func:`stable_id` of the document and the source span ("m…"): it survives a
    rebuild and a change of the place; a record made without one gets it.
    """

    doc: str
    start: int
    end: int
    text: str
    place_id: str | None = None
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", stable_id("m", self.doc, self.start, self.end))


@dataclass(frozen=True)
class DateRecord:
    """A date expression in a document, as resolved (for highlighting the text view)."""

    doc: str
    start: int
    end: int
    text: str
    date: str
    precision: str
    end_date: str | None = None
    time: str | None = None


@dataclass(frozen=True)
class Story:
    """A whole story: documents, places, events and the mentions behind them."""

    title: str
    documents: tuple[Document, ...]
    places: tuple[Place, ...]
    events: tuple[Event, ...]
    mentions: tuple[MentionRecord, ...] = ()
    dates: tuple[DateRecord, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    gazetteer: str = "storymap places/ + GeoNames cities500"
    version: int = STORY_VERSION

    # -- lookups -------------------------------------------------------------------
    def place(self, place_id: str) -> Place:
        """Return the place with id ``place_id``; raise KeyError if the story has none."""
        for p in self.places:
            if p.id == place_id:
                return p
        raise KeyError(place_id)

    def document(self, doc_id: str) -> Document:
        """Return the document with id ``doc_id``; raise KeyError if the story has none."""
        for d in self.documents:
            if d.id == doc_id:
                return d
        raise KeyError(doc_id)

    @property
    def unresolved(self) -> tuple[MentionRecord, ...]:
        """Place mentions that no resolver could place: data for the user to add to places/."""
        return tuple(m for m in self.mentions if m.place_id is None)

    def days(self) -> tuple[str, ...]:
        """Every ISO day on which some day-precise event happens, sorted."""
        return self._days

    def events_on(self, day: str) -> tuple[Event, ...]:
        """The events that cover ``day`` (ranges count on each of their days)."""
        return self.events_by_day.get(day, ())

    @cached_property
    def events_by_day(self) -> Mapping[str, tuple[Event, ...]]:
        """Day → the events covering it, in the order the day is told; computed once.

        The day's news first, then what continues over it (a range on the days after its
        first, an event that looks back: :meth:`Event.continues_on`), each in story order
        — the pipeline sorts the story's events by day and time of day
        (storymap.pipeline.timeorder), so this is the one order of a day that the page, the
        exports and the print show. Ranges count on each of their days, within a story-wide
        budget (MAX_RANGE_DAYS): past it, a range is listed on its first day only, so the
        index stays linear.
        """
        news: dict[str, list[Event]] = {}
        going: dict[str, list[Event]] = {}
        budget = MAX_RANGE_DAYS
        for event in self.events:
            days = event.days()
            if len(days) > 1:
                if len(days) - 1 > budget:
                    days = days[:1]
                budget -= len(days) - 1
            for day in days:
                news.setdefault(day, [])
                (going.setdefault(day, []) if event.continues_on(day) else news[day]).append(event)
        return {d: (*es, *going.get(d, ())) for d, es in news.items()}

    @cached_property
    def _days(self) -> tuple[str, ...]:
        return tuple(sorted(self.events_by_day))

    def events_at(self, place_id: str) -> tuple[Event, ...]:
        """Every event that names the place ``place_id``, in story order."""
        return tuple(e for e in self.events if any(r.place_id == place_id for r in e.places))

    def main_phase(self) -> tuple[str, str] | None:
        """First and last day of the story's main phase: its densest run of days.

        Dense by the story's own emphasis (:meth:`emphasis`): a day weighs what the text
        spends on it, so the decisive days fall inside the phase however many quiet days
        lie around them. The phase is the run of calendar days whose emphasis, less a third
        of the emphasis of an average told day for every day of the run (told or not), adds
        up to the most (ties: the longer, then the earlier run): a day told at least a third
        as fully as the average one pays for itself, a quiet stretch has to be carried by
        the days around it. It starts on its first day with a pin, the day the page opens on.
        Before and after it the stepper moves event by event. None for a story with no
        day-precise events.
        """
        return self._main_phase

    def emphasis(self) -> dict[str, float]:
        """Day → how much the story tells of it, for the days it tells.

        The day's events as the day lists them (a range on each of its days; not those that
        look back), their pinned places and the words of their sentences, each counted
        against the story's own average per told day and added: a day told in three
        sentences at two places weighs more than a day named in passing, in a short text as
        in a long one.
        """
        return story_emphasis(self.events_by_day, {p.id for p in self.places})

    @cached_property
    def _main_phase(self) -> tuple[str, str] | None:
        return densest_run(self.emphasis(), self.days())

    def opening_day(self) -> str | None:
        """The day a page opens on when none is asked: the main phase's first day with a pin.

        A map that opens on a day without a pin shows nothing; the phase's first day whose
        news names a place on the map is the first a reader sees. None without a main phase.
        """
        phase = self.main_phase()
        if phase is None:
            return None
        known = {p.id for p in self.places}
        for day in sorted(d for d in self.events_by_day if phase[0] <= d <= phase[1]):
            if any(not e.continues_on(day) and any(r.place_id in known for r in e.places)
                   for e in self.events_by_day[day]):
                return day
        return phase[0]

    # -- JSON ----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Return the story as JSON-ready dicts and lists (schema version 1)."""
        data = asdict(self)
        # derived, for readers: the very dicts of those mentions (each converted once)
        data["unresolved"] = [m for m in data["mentions"] if m["place_id"] is None]
        return {"version": data.pop("version"), **data}

    def to_json(self, *, indent: int | None = 1) -> str:
        """Return the story as a JSON string; raise StoryFormatError for NaN or Infinity.

        With ``indent`` (the default) each top-level field is a line and each document,
        place, event, mention and date a line of its own (a diff shows what changed, one
        record per line); ``indent=None`` gives one line.
        """
        try:
            if indent is None:
                return json.dumps(self.to_dict(), ensure_ascii=False, allow_nan=False)
            return record_lines(self.to_dict(), " " * indent)
        except ValueError as exc:  # NaN / Infinity: not JSON, and no browser would read it
            raise StoryFormatError(f"story {self.title[:40]!r}: {exc}; every latitude and "
                                   "longitude must be a finite number") from None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, filename: str = "<story>") -> Story:
        """Build a Story from ``to_dict()`` output; raise StoryFormatError if it does not fit.

        Stories of an older layout are upgraded, then checked against the schema and for
        what it cannot say (storymap.model.storyjson).
        """
        from .storyjson import story_from_dict

        return story_from_dict(data, filename=filename)

    @classmethod
    def from_json(cls, text: str, *, filename: str = "<story>") -> Story:
        """Parse a story JSON string; raise StoryFormatError on bad JSON or layout."""
        from .storyjson import parse_json_object

        return cls.from_dict(parse_json_object(text, filename=filename,
                                               advice="rebuild it with `storymap build`"),
                             filename=filename)

    @cached_property
    def places_by_id(self) -> Mapping[str, Place]:
        """Place id → place; made once (a lookup per event was a pass over every place)."""
        return {p.id: p for p in self.places}

    def places_of(self, events: Iterable[Event]) -> list[Place]:
        """Return the places ``events`` name, each once, in order of first mention."""
        by_id = self.places_by_id
        seen: dict[str, Place] = {}
        for event in events:
            for ref in event.places:
                if ref.place_id in by_id:
                    seen.setdefault(ref.place_id, by_id[ref.place_id])
        return list(seen.values())

    def iter_features(self) -> Iterator[tuple[Event, PlaceRef, Place]]:
        """Yield (event, place reference, place) for every place of every event."""
        by_id = self.places_by_id
        for event in self.events:
            for ref in event.places:
                if ref.place_id in by_id:
                    yield event, ref, by_id[ref.place_id]


def stable_id(prefix: str, doc: str, start: int, end: int) -> str:
    """Return the id of what stands at ``[start, end)`` of document ``doc``.

    Derived from where the words are, never from what the reader made of them, so a
    mention or an event keeps its id across rebuilds and when its date or place changes
    (corrections key on it). ``prefix`` is "m" for mentions and "e" for events.

    >>> stable_id("e", "class-notes", 120, 188)
    'e3c917f65fc'
    """
    digest = hashlib.sha1(f"{doc}\x00{start}\x00{end}".encode()).hexdigest()
    return f"{prefix}{digest[:10]}"


def lonlat(*, lat: float, lon: float) -> list[float]:
    """Return GeoJSON's ``[lon, lat]`` order: the one place that conversion happens.

    >>> lonlat(lat=47.5, lon=19.05)
    [19.05, 47.5]
    """
    return [round(lon, 6), round(lat, 6)]

