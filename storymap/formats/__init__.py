"""Exports: a story in the formats other tools read, each a function ``(story) -> str``.

``EXPORTERS`` maps a format name to its function; ``get_exporter(name)`` looks one up and
names the valid formats when it fails. The standalone page (``html``) takes options and
is rendered by ``storymap.formats.html``; the notebook view (``notebook.to_folium``)
returns a folium Map rather than text, so it is not in the registry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from ..errors import ConfigError
from ..model import Story
from .knightlab.storymapjs import to_storymapjs
from .knightlab.timelinejs import to_timelinejs
from .tables import to_csv, to_geojson, to_json, to_mentions_csv

__all__ = [
    "EXPORTERS", "between", "get_exporter", "to_csv", "to_geojson", "to_json", "to_mentions_csv",
    "to_storymapjs", "to_timelinejs",
]

#: Format name → function returning the story in that format as text.
EXPORTERS: dict[str, Callable[[Story], str]] = {
    "json": to_json,
    "geojson": to_geojson,
    "csv": to_csv,
    "mentions": to_mentions_csv,
    "storymapjs": to_storymapjs,
    "timelinejs": to_timelinejs,
}


def get_exporter(name: str) -> Callable[[Story], str]:
    """Return the export function for format ``name``; raise ConfigError naming the valid ones."""
    try:
        return EXPORTERS[name]
    except KeyError:
        valid = ", ".join(sorted(EXPORTERS))
        raise ConfigError(
            f"unknown export format {name!r}; expected one of: {valid}"
        ) from None


_DAY = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def between(story: Story, start: str | None = None, end: str | None = None) -> Story:
    """Return ``story`` with only the events that overlap ``start``..``end`` (ISO dates,
    either may be None); its documents, places and mentions stay whole.

    Raises ConfigError for a date that is not YYYY-MM-DD, YYYY-MM or YYYY.
    """
    for name, value in (("--start", start), ("--end", end)):
        if value is not None and not _DAY.match(value):
            raise ConfigError(f"{name} {value[:20]!r}: expected a date like 1956-10-23")
    if start is None and end is None:
        return story
    low = start or ""
    high = (end or "9999") + "\uffff"  # "1956-10" takes in every day of October

    def overlaps(date: str, last: str | None) -> bool:
        return date <= high and (last or date) + "\uffff" >= low

    return replace(story, events=tuple(e for e in story.events
                                       if overlaps(e.date, e.end_date)))
