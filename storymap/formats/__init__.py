"""Exports: a story in the formats other tools read, each a function ``(story) -> str``.

``EXPORTERS`` maps a format name to its function; ``get_exporter(name)`` looks one up and
names the valid formats when it fails. The standalone page (``html``) takes options and
is rendered by ``storymap.formats.html``; the notebook view (``notebook.to_folium``)
returns a folium Map rather than text, so it is not in the registry.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import ConfigError
from ..model import Story
from .knightlab.storymapjs import to_storymapjs
from .knightlab.timelinejs import to_timelinejs
from .tables import to_csv, to_geojson, to_json, to_mentions_csv

__all__ = [
    "EXPORTERS", "get_exporter", "to_csv", "to_geojson", "to_json", "to_mentions_csv",
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
