"""The records a story is made of: its documents, places, events, mentions, dates and credits.

Frozen dataclasses with their own small rules (an event's absurd span coarsened, a document's
text shown with its edits, a mention's id derived from where it stands) and the two helpers
every output shares (``stable_id``, ``lonlat``). The Story that holds them, with its day index
and JSON, is the package's module (storymap.model); the records live here so that module stays
the story itself. Import them from storymap.model: it re-exports every one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date as _date
from datetime import timedelta
from typing import Any

__all__ = ["MAX_EVENT_DAYS", "MAX_MONTH_SPAN_DAYS", "PRECISIONS", "Attribution", "DateRecord",
           "Document", "Event", "MentionRecord", "Place", "PlaceRef", "SourceRef", "lonlat",
           "stable_id"]

#: Dates are ISO strings cut to their precision: "1956-10-23", "1957-01" or "1989".
PRECISIONS = ("day", "month", "year")

#: A day-precise event spanning more days than this is kept at month precision (and one
#: spanning more than a century at year precision): it is shown as a span, never listed
#: day by day. A day-by-day map of a longer range says nothing about any one day.
MAX_EVENT_DAYS = 366
MAX_MONTH_SPAN_DAYS = 36_525


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
    #: The weekday the text writes with it (0 = Monday: "Sunday, 2 September 1666" is 6),
    #: or None: how the page names the days of a text in its own calendar
    #: (storymap.model.calendar). Optional in the JSON (stories before it).
    weekday: int | None = None


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
