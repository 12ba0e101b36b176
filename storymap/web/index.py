"""What the web app computes once per story: JSON bytes, ETags and lookups by day and place.

Everything here is derived from a :class:`~storymap.model.Story` when the app is created,
so requests only look things up; ``/api/story`` serves bytes prepared in advance.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ..model import Event, Place, Story
from ..outputs.jsonhtml import json_bytes


@dataclass(frozen=True)
class Payload:
    """A body prepared once: identity and gzip bytes, each with its strong ETag."""

    identity: bytes
    gzipped: bytes
    etag: str
    etag_gzip: str

    @classmethod
    def of(cls, data: Any) -> Payload:
        """Serialise ``data`` as JSON and precompute its gzip form and ETags."""
        return cls.of_bytes(json_bytes(data))

    @classmethod
    def of_bytes(cls, identity: bytes, *, level: int = 9) -> Payload:
        """Precompute the gzip form (at ``level``) and the ETags of ``identity``."""
        digest = hashlib.sha256(identity).hexdigest()[:32]
        # mtime=0 makes the gzip bytes (and so the response) reproducible.
        gzipped = gzip.compress(identity, compresslevel=level, mtime=0)
        return cls(identity=identity, gzipped=gzipped, etag=digest, etag_gzip=f"{digest}-gzip")


@dataclass(frozen=True)
class StoryIndex:
    """A story with the lookups the API needs, built once by :func:`build_index`."""

    story: Story
    payload: Payload
    days: tuple[str, ...]
    main_phase: tuple[str, str] | None
    events_by_day: Mapping[str, tuple[Event, ...]]
    events_by_place: Mapping[str, tuple[Event, ...]]
    places: Mapping[str, Place]

    @functools.cached_property
    def text_payload(self) -> Payload:
        """The body of ``/api/text``: the texts the page's text view fetches (made on first use)."""
        from ..outputs.pagedata import text_data

        return Payload.of(text_data(self.story))

    @functools.cached_property
    def events_by_id(self) -> Mapping[str, Event]:
        """Event id → event (for ``/api/events``), made on first use."""
        return {e.id: e for e in self.story.events}

    def phase_of(self, day: str) -> str:
        """Return "before", "main" or "after": where ``day`` lies against the main phase."""
        if self.main_phase is None:
            return "main"
        first, last = self.main_phase
        if day < first:
            return "before"
        return "after" if day > last else "main"

    def days_json(self) -> dict[str, Any]:
        """Return the body of ``/api/days``: every day with its event count and phase."""
        phase = None
        if self.main_phase is not None:
            phase = {"start": self.main_phase[0], "end": self.main_phase[1]}
        return {
            "main_phase": phase,
            "days": [
                {"date": d, "events": len(self.events_by_day[d]), "phase": self.phase_of(d)}
                for d in self.days
            ],
        }

    def day_json(self, day: str) -> dict[str, Any]:
        """Return the body of ``/api/days/<day>``; raise KeyError if no event covers ``day``."""
        events = self.events_by_day[day]
        return {
            "date": day,
            "phase": self.phase_of(day),
            "events": [event_json(e) for e in events],
            "places": [place_json(p) for p in self.story.places_of(events)],
        }

    def place_json(self, place_id: str) -> dict[str, Any]:
        """Return the body of ``/api/places/<id>``; raise KeyError for an unknown place."""
        place = self.places[place_id]
        return {
            "place": place_json(place),
            "events": [event_json(e) for e in self.events_by_place.get(place_id, ())],
        }


def event_json(event: Event) -> dict[str, Any]:
    """Return one event as JSON-ready data, with the days it covers."""
    return {**asdict(event), "days": list(event.days())}


def place_json(place: Place) -> dict[str, Any]:
    """Return one place as JSON-ready data."""
    data = asdict(place)
    data["geometry"] = None if place.geometry is None else dict(place.geometry)
    return data


def build_index(story: Story, *, gzip_level: int = 9,
                data: Mapping[str, Any] | None = None) -> StoryIndex:
    """Precompute the JSON payload and the by-day and by-place lookups of ``story``.

    ``gzip_level`` 1 and ``data`` (``story.to_dict()`` made faster) are for edit mode,
    which rebuilds the index on every correction.
    """
    by_place: dict[str, list[Event]] = {}
    for event in story.events:
        for place_id in dict.fromkeys(r.place_id for r in event.places):
            by_place.setdefault(place_id, []).append(event)
    return StoryIndex(
        story=story,
        payload=Payload.of_bytes(json_bytes(story.to_dict() if data is None else data),
                                 level=gzip_level),
        days=story.days(),
        main_phase=story.main_phase(),
        events_by_day=story.events_by_day,  # bounded: see Story.events_by_day
        events_by_place={p: tuple(es) for p, es in by_place.items()},
        places={p.id: p for p in story.places},
    )
