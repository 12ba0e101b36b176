"""What a corrections file holds: frozen entries for places, names and events.

A teacher's fixes are data kept beside the texts (``corrections.yaml``, documented in
docs/corrections.md, JSON Schema in storymap/schema/corrections.schema.json). The entries are
frozen dataclasses; parse.py makes them from a parsed YAML or JSON document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["SECTIONS", "Corrections", "Entry", "EventFix", "NameFix", "PlaceFix", "entry_dict"]

VERSION = 1
SECTIONS = ("places", "names", "events")


@dataclass(frozen=True)
class PlaceFix:
    """A place the gazetteer lacks, or new coordinates for one it has (same id).

    ``source`` says where it comes from ("OpenStreetMap Nominatim: <address>") and
    ``license`` under which licence, for a place taken from a dataset or a service.
    """

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    names: Mapping[str, str] = field(default_factory=dict, hash=False)
    country: str = ""
    aliases: tuple[str, ...] = ()
    source: str = "storymap corrections"
    license: str = ""
    note: str = ""
    at: str = ""


@dataclass(frozen=True)
class NameFix:
    """How a name is read: in one document (``doc``) or everywhere (``doc`` empty).

    Exactly one of ``place`` (a place id), ``person`` and ``not_a_place`` is set.
    """

    name: str
    doc: str = ""
    place: str = ""
    person: bool = False
    not_a_place: bool = False
    note: str = ""
    at: str = ""

    @property
    def reading(self) -> str:
        """"place", "person" or "not_a_place"."""
        return "place" if self.place else "person" if self.person else "not_a_place"


@dataclass(frozen=True)
class EventFix:
    """A change to one event, found by its stable ``id`` or by ``doc`` + a piece of ``quote``.

    Fields left as None are not changed; ``end_date`` and ``time`` set to "" are cleared;
    ``places`` replaces the event's places (an empty tuple removes them all).
    """

    id: str = ""
    doc: str = ""
    quote: str = ""
    hide: bool | None = None
    date: str | None = None
    end_date: str | None = None
    time: str | None = None
    places: tuple[str, ...] | None = None
    title: str | None = None
    note: str = ""
    at: str = ""

    def target(self) -> str:
        """How this entry names its event, for messages."""
        return f"id {self.id}" if self.id else f"doc {self.doc}, quote {self.quote!r}"


Entry = PlaceFix | NameFix | EventFix


@dataclass(frozen=True)
class Corrections:
    """Every correction of one file, in file order; ``path`` names it in messages."""

    places: tuple[PlaceFix, ...] = ()
    names: tuple[NameFix, ...] = ()
    events: tuple[EventFix, ...] = ()
    path: str = field(default="", compare=False)
    version: int = VERSION

    def __len__(self) -> int:
        return len(self.places) + len(self.names) + len(self.events)

    def entries(self) -> list[tuple[str, int, Entry]]:
        """Every entry as (section, index in section, entry), in file order."""
        out: list[tuple[str, int, Entry]] = []
        for section in SECTIONS:
            out.extend((section, i, e) for i, e in enumerate(getattr(self, section)))
        return out

    def added(self, entry: Entry) -> Corrections:
        """Return a copy with ``entry`` appended to its section.

        A place with the id of one already in the file replaces it (a pin dragged twice
        keeps one entry).
        """
        if isinstance(entry, PlaceFix):
            rest = tuple(p for p in self.places if p.id != entry.id)
            return replace(self, places=(*rest, entry))
        if isinstance(entry, NameFix):
            return replace(self, names=(*self.names, entry))
        return replace(self, events=(*self.events, entry))

    def history(self) -> list[tuple[str, int, Entry]]:
        """Entries the app added (those with a time), oldest first."""
        timed = [x for x in self.entries() if x[2].at]
        return sorted(timed, key=lambda x: x[2].at)

    def without(self, section: str, index: int) -> Corrections:
        """Return a copy without entry ``index`` of ``section`` (IndexError if none)."""
        if section not in SECTIONS:  # never getattr a name from a request ("__class__")
            raise IndexError(section)
        items = getattr(self, section)
        if not 0 <= index < len(items):
            raise IndexError(index)
        return replace(self, **{section: items[:index] + items[index + 1:]})

    def undone(self) -> Corrections:
        """Return a copy without the most recently added (timed) entry; same if none."""
        hist = self.history()
        if not hist:
            return self
        section, index, _ = hist[-1]
        return self.without(section, index)

    def place_ids(self) -> frozenset[str]:
        """Ids of the places this file defines."""
        return frozenset(p.id for p in self.places)

    def to_dict(self) -> dict[str, Any]:
        """Return the file's content as plain data (defaults left out), ready for YAML/JSON."""
        return {"version": self.version,
                **{s: [entry_dict(e) for e in getattr(self, s)] for s in SECTIONS}}


def entry_dict(entry: Entry) -> dict[str, Any]:
    """Return one entry as plain data, leaving out fields at their defaults."""
    out: dict[str, Any] = {}
    for name, spec in type(entry).__dataclass_fields__.items():
        value = getattr(entry, name)
        if isinstance(value, Mapping):
            if value:
                out[name] = dict(value)
            continue
        if value == spec.default and not (isinstance(entry, EventFix) and value == ""
                                          and name in ("end_date", "time")):
            continue
        out[name] = list(value) if isinstance(value, tuple) else value
    return out
