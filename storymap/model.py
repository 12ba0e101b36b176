"""The Story model: what the engine produces and everything else (web app, exports) reads.

A Story is plain data: documents (with their text), places, dated events, and every
place and date mention found in the texts, so a reader can check each pin against its
source sentence. ``Story.to_json()`` / ``Story.from_json()`` round-trip exactly; the
JSON layout is described by ``storymap/schema/story.schema.json`` (``version`` 1).

The web side imports only this module (and nothing from the text stages).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from .errors import StoryFormatError

STORY_VERSION = 1

#: Dates are ISO strings cut to their precision: "1956-10-23", "1957-01" or "1989".
PRECISIONS = ("day", "month", "year")


@dataclass(frozen=True)
class Attribution:
    """A data source that must be credited wherever the story is shown."""

    name: str
    license: str
    url: str
    text: str


#: The attributions every story carries (see places/SOURCES.md).
DEFAULT_ATTRIBUTIONS: tuple[Attribution, ...] = (
    Attribution(
        name="Wikipedia",
        license="CC BY-SA 4.0",
        url="https://en.wikipedia.org/wiki/Hungarian_Revolution_of_1956",
        text="Text: Wikipedia contributors, “Hungarian Revolution of 1956”, CC BY-SA 4.0",
    ),
    Attribution(
        name="GeoNames",
        license="CC BY 4.0",
        url="https://www.geonames.org",
        text="Contains data from GeoNames (https://www.geonames.org), CC BY 4.0",
    ),
    Attribution(
        name="OpenStreetMap",
        license="ODbL 1.0",
        url="https://www.openstreetmap.org/copyright",
        text="© OpenStreetMap contributors (ODbL)",
    ),
    Attribution(
        name="Natural Earth",
        license="Public domain",
        url="https://www.naturalearthdata.com",
        text="Made with Natural Earth",
    ),
)


@dataclass(frozen=True)
class Document:
    """One source text of the story, kept whole so every quote can be checked."""

    id: str
    title: str
    text: str
    path: str = ""
    url: str = ""
    license: str = ""


@dataclass(frozen=True)
class Place:
    """A resolved place: where a pin goes.

    ``geometry`` is an optional GeoJSON Polygon/MultiPolygon for areas (districts);
    ``source`` says where the coordinates come from.
    """

    id: str
    name: str
    lat: float
    lon: float
    kind: str
    name_hu: str = ""
    country: str = ""
    source: str = ""
    geometry: Mapping[str, Any] | None = field(default=None, compare=False, hash=False)


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

    def days(self) -> tuple[str, ...]:
        """Every ISO day the event covers (empty unless its precision is "day")."""
        if self.precision != "day":
            return ()
        from datetime import date, timedelta

        first = date.fromisoformat(self.date)
        last = date.fromisoformat(self.end_date) if self.end_date else first
        if last < first:
            last = first
        span = (last - first).days + 1
        return tuple((first + timedelta(days=i)).isoformat() for i in range(span))


@dataclass(frozen=True)
class MentionRecord:
    """A place name in a document; ``place_id`` is None when nothing resolved it."""

    doc: str
    start: int
    end: int
    text: str
    place_id: str | None = None


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
    attributions: tuple[Attribution, ...] = DEFAULT_ATTRIBUTIONS
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
        return tuple(sorted({d for e in self.events for d in e.days()}))

    def events_on(self, day: str) -> tuple[Event, ...]:
        """The events that cover ``day`` (ranges count on each of their days)."""
        return tuple(e for e in self.events if day in e.days())

    def events_at(self, place_id: str) -> tuple[Event, ...]:
        """Every event that names the place ``place_id``, in story order."""
        return tuple(e for e in self.events if any(r.place_id == place_id for r in e.places))

    def main_phase(self) -> tuple[str, str] | None:
        """First and last day of the densest run of days (gaps of at most 3 days).

        Before and after it the stepper moves event by event. None for a story with no
        day-precise events.
        """
        from datetime import date

        days = [date.fromisoformat(d) for d in self.days()]
        if not days:
            return None
        best: tuple[int, int, int] = (0, 0, 0)  # (event-days, first index, last index)
        i = 0
        while i < len(days):
            j = i
            while j + 1 < len(days) and (days[j + 1] - days[j]).days <= 3:
                j += 1
            if j - i + 1 > best[0]:
                best = (j - i + 1, i, j)
            i = j + 1
        return days[best[1]].isoformat(), days[best[2]].isoformat()

    # -- JSON ----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Return the story as JSON-ready dicts and lists (schema version 1)."""
        data = asdict(self)
        data["unresolved"] = [asdict(m) for m in self.unresolved]  # derived, for readers
        return {"version": data.pop("version"), **data}

    def to_json(self, *, indent: int | None = 1) -> str:
        """Return the story as a JSON string."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, filename: str = "<story>") -> Story:
        """Build a Story from ``to_dict()`` output; raise StoryFormatError if it does not fit."""
        try:
            version = data.get("version")
            if version != STORY_VERSION:
                raise StoryFormatError(
                    f"{filename}: expected a storymap story with version {STORY_VERSION}, "
                    f"got version {version!r}; rebuild it with `storymap build`"
                )
            return cls(
                title=str(data["title"]),
                documents=tuple(Document(**d) for d in data["documents"]),
                places=tuple(_place(p) for p in data["places"]),
                events=tuple(_event(e) for e in data["events"]),
                mentions=tuple(MentionRecord(**m) for m in data.get("mentions", ())),
                dates=tuple(DateRecord(**d) for d in data.get("dates", ())),
                attributions=tuple(Attribution(**a) for a in data.get("attributions", ()))
                or DEFAULT_ATTRIBUTIONS,
                gazetteer=str(data.get("gazetteer", "")),
            )
        except StoryFormatError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise StoryFormatError(
                f"{filename}: not a valid storymap story ({type(exc).__name__}: {exc}); "
                "rebuild it with `storymap build`"
            ) from None

    @classmethod
    def from_json(cls, text: str, *, filename: str = "<story>") -> Story:
        """Parse a story JSON string; raise StoryFormatError on bad JSON or layout."""
        data = parse_json(text, filename=filename, advice="rebuild it with `storymap build`")
        if not isinstance(data, dict):
            raise StoryFormatError(f"{filename}: expected a JSON object, got {type(data).__name__}")
        return cls.from_dict(data, filename=filename)

    def places_of(self, events: Iterable[Event]) -> list[Place]:
        """Return the places ``events`` name, each once, in order of first mention."""
        by_id = {p.id: p for p in self.places}
        seen: dict[str, Place] = {}
        for event in events:
            for ref in event.places:
                if ref.place_id in by_id:
                    seen.setdefault(ref.place_id, by_id[ref.place_id])
        return list(seen.values())

    def iter_features(self) -> Iterator[tuple[Event, PlaceRef, Place]]:
        """Yield (event, place reference, place) for every place of every event."""
        by_id = {p.id: p for p in self.places}
        for event in self.events:
            for ref in event.places:
                if ref.place_id in by_id:
                    yield event, ref, by_id[ref.place_id]

    def to_folium(self, day: str | None = None, *, offline: bool = False) -> Any:
        """Return a folium Map of one day's (or month's) events, or of all events.

        ``offline=True`` inlines the vendored Leaflet and the offline basemap instead of
        folium's CDN links and tiles. Raises ConfigError for a day without events.
        """
        from .exports.notebook import story_to_folium

        return story_to_folium(self, day=day, offline=offline)


def parse_json(text: str, *, filename: str, advice: str) -> Any:
    """Parse JSON; raise StoryFormatError naming the file, line and column, and ``advice``."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise StoryFormatError(
            f"{filename}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            f"{advice}"
        ) from None


def _place(p: Mapping[str, Any]) -> Place:
    return Place(**{**p, "lat": float(p["lat"]), "lon": float(p["lon"])})


def _event(e: Mapping[str, Any]) -> Event:
    fields: dict[str, Any] = dict(e)
    fields["places"] = tuple(PlaceRef(**r) for r in e["places"])
    fields["sources"] = tuple(SourceRef(**s) for s in e["sources"])
    fields["people"] = tuple(e.get("people", ()))
    return Event(**fields)


def lonlat(*, lat: float, lon: float) -> list[float]:
    """Return GeoJSON's ``[lon, lat]`` order: the one place that conversion happens.

    >>> lonlat(lat=47.5, lon=19.05)
    [19.05, 47.5]
    """
    return [round(lon, 6), round(lat, 6)]

