"""Exports for data work: story JSON, GeoJSON, CSV of events, CSV of every place mention."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from ..errors import StoryFormatError
from ..model import Event, Place, PlaceRef, Story, lonlat

__all__ = ["FEATURE_COLUMNS", "cell", "dumps", "to_csv", "to_geojson", "to_json", "to_mentions_csv"]

#: Properties of every GeoJSON feature, and the columns of the CSV export (plus lat, lon).
FEATURE_COLUMNS = ("date", "end_date", "precision", "time", "place", "place_id", "kind",
                   "mention", "event", "title", "quote", "people", "source", "start", "end")
MENTION_COLUMNS = ("doc", "start", "end", "mention", "place_id", "kind", "lat", "lon",
                   "estimated")


def dumps(data: Any, *, indent: int | None = None) -> str:
    """Return ``data`` as JSON text (UTF-8, not ASCII-escaped), refusing NaN and Infinity.

    Raises StoryFormatError: NaN is not JSON, and a page given it never loads.
    """
    try:
        return json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)
    except ValueError as exc:
        raise StoryFormatError(f"story: {exc}; every latitude and longitude must be a "
                               "finite number") from None


def to_json(story: Story) -> str:
    """Return the story as storymap JSON (what ``storymap build`` writes)."""
    return story.to_json() + "\n"


def _rows(story: Story) -> Iterator[tuple[Event, PlaceRef, Place, dict[str, Any]]]:
    for event, ref, place in story.iter_features():
        source = event.sources[0]
        yield event, ref, place, {
            "date": event.date,
            "end_date": event.end_date,
            "precision": event.precision,
            "time": event.time,
            "place": place.name,
            "place_id": place.id,
            "kind": place.kind,
            "mention": ref.mention,
            "event": event.id,
            "title": event.title,
            "quote": event.quote,
            "people": "; ".join(event.people),
            "source": source.doc,
            "start": source.start,
            "end": source.end,
        }


def to_geojson(story: Story) -> str:
    """Return a GeoJSON FeatureCollection: one Point per (event, place).

    Areas (districts) also carry their polygon in the ``area`` property; every source of a
    merged event is listed in ``sources``.
    """
    features = []
    for event, _ref, place, props in _rows(story):
        props["sources"] = [{"doc": s.doc, "start": s.start, "end": s.end} for s in event.sources]
        if place.geometry is not None:
            props["area"] = place.geometry
        if place.estimated:  # a borrowed point: its source says from what
            props["estimated"] = True
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": lonlat(lat=place.lat, lon=place.lon)},
            "properties": props,
        })
    fc = {"type": "FeatureCollection", "name": story.title,
          "attribution": "; ".join(a.text for a in story.attributions), "features": features}
    return dumps(fc) + "\n"


#: What a spreadsheet takes for the start of a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """Return a CSV cell that no spreadsheet runs as a formula: text starting with
    ``= + - @``, a tab or a carriage return gets a leading ``'`` (OWASP's advice); numbers
    stay numbers. A carriage return becomes a line feed: the csv module quotes a field
    holding "\\n" but not one holding a lone "\\r", which then split the row in two.

    >>> cell("=1+2"), cell("@SUM(A1)"), cell("-12"), cell(-12.5), cell("Győr")
    ("'=1+2", "'@SUM(A1)", "'-12", -12.5, 'Győr')
    """
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


def to_csv(story: Story) -> str:
    """Return the GeoJSON export's rows as CSV (columns FEATURE_COLUMNS + lat, lon,
    estimated: "yes" for a point estimated from a town the text names beside it).

    Text that a spreadsheet would run as a formula is defused (:func:`cell`).
    """
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=(*FEATURE_COLUMNS, "lat", "lon", "estimated"),
                            lineterminator="\n")
    writer.writeheader()
    for _event, _ref, place, props in _rows(story):
        writer.writerow({k: cell(v) for k, v in props.items()} | {
            "lat": place.lat, "lon": place.lon, "estimated": "yes" if place.estimated else ""})
    return out.getvalue()


def to_mentions_csv(story: Story) -> str:
    """Return every place mention, dated or not, as CSV; lat/lon empty when unresolved.

    Text that a spreadsheet would run as a formula is defused (:func:`cell`).
    """
    places = {p.id: p for p in story.places}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(MENTION_COLUMNS)
    for m in story.mentions:
        place = places.get(m.place_id) if m.place_id else None
        writer.writerow([cell(m.doc), m.start, m.end, cell(m.text), cell(m.place_id or ""),
                         cell(place.kind) if place else "", place.lat if place else "",
                         place.lon if place else "",
                         "yes" if place and place.estimated else ""])
    return out.getvalue()
