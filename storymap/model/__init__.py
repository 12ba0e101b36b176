"""The Story model: what the engine produces and everything else (web app, exports) reads.

A Story is plain data: documents (with their text), places, dated events, and every
place and date mention found in the texts, so a reader can check each pin against its
source sentence. ``Story.to_json()`` / ``Story.from_json()`` round-trip exactly; the
JSON layout is described by ``storymap/schema/story.schema.json`` (``version`` 1).
The records it holds are in storymap.model.parts and importable from here.

The web side imports only this module (and nothing from the text stages).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from ..errors import StoryFormatError
from .calendar import text_shifts, written_weekday
from .parts import (
    MAX_EVENT_DAYS,
    MAX_MONTH_SPAN_DAYS,
    PRECISIONS,
    Attribution,
    DateRecord,
    Document,
    Event,
    MentionRecord,
    Place,
    PlaceRef,
    SourceRef,
    lonlat,
    stable_id,
)
from .phases import densest_run, story_emphasis
from .records import as_plain, record_lines, records_json

__all__ = ["MAX_EVENT_DAYS", "MAX_MONTH_SPAN_DAYS", "MAX_RANGE_DAYS", "PRECISIONS",
           "STORY_VERSION", "Attribution", "DateRecord", "Document", "Event", "MentionRecord",
           "Place", "PlaceRef", "SourceRef", "Story", "lonlat", "stable_id"]

STORY_VERSION = 1

#: How many days, beyond each range's first, all of a story's ranges may add to its day
#: lists together; later ranges past the budget are listed on their first day only. Keeps
#: the day index (and everything built from it) linear in the number of events.
MAX_RANGE_DAYS = 100_000


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

    def weekdays(self) -> dict[str, int | None]:
        """The days of the main phase that its texts name otherwise than the proleptic
        Gregorian calendar does: day → its weekday (0 = Monday) as the texts telling it
        count (storymap.model.calendar: a date written with its weekday sets its text's
        calendar; else Julian before the reform), None where they disagree. A day without
        events is counted by all the texts. Empty for most stories: the page names every
        day not listed by its Gregorian weekday.
        """
        phase = self.main_phase()
        if phase is None:
            return {}
        shifts = text_shifts(self.dates)
        everyone = {shifts.get(d.id) for d in self.documents} or {None}
        out: dict[str, int | None] = {}
        day, last = date.fromisoformat(phase[0]), date.fromisoformat(phase[1])
        while day <= last:
            iso = day.isoformat()
            told = {shifts.get(r.doc) for e in self.events_on(iso) for r in e.sources}
            named = {written_weekday(day, s) for s in told or everyone}
            weekday = named.pop() if len(named) == 1 else None
            if weekday != day.weekday():
                out[iso] = weekday
            day += timedelta(days=1)
        return out

    # -- JSON ----------------------------------------------------------------------
    def _layout(self) -> dict[str, Any]:
        """The story JSON's fields in order (schema version 1), its records as they are."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["unresolved"] = self.unresolved  # derived, for readers
        return {"version": data.pop("version"), **data}

    def to_dict(self) -> dict[str, Any]:
        """Return the story as JSON-ready dicts and lists (schema version 1)."""
        return {key: as_plain(value) for key, value in self._layout().items()}

    def to_json(self, *, indent: int | None = 1) -> str:
        """Return the story as a JSON string; raise StoryFormatError for NaN or Infinity.

        With ``indent`` (the default) each top-level field is a line and each document,
        place, event, mention and date a line of its own (a diff shows what changed, one
        record per line); ``indent=None`` gives one line. The records are encoded as they
        are, not first copied into ``to_dict``'s dicts (the same JSON).
        """
        try:
            if indent is None:
                return records_json(self._layout())
            return record_lines(self._layout(), " " * indent)
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

