"""Exports that stream: JSON Lines and GeoParquet, for corpora too big for one JSON.

Each writes to a binary file as it goes — a line, or a batch of rows, at a time — so the
export of a story never exists as one string in memory (the story JSON of a corpus may be
larger than ``storymap`` reads back; these formats have no such limit).

``jsonl``: the first line describes the story (``"type": "story"``: title, credits, the
documents without their text), then one line per event (``"type": "event"``) with its
places spelt out (id, name, kind, lat, lon and the words the text used), so every line
stands alone. The credits travel with the data: GeoNames (CC BY) and OpenStreetMap (ODbL)
ask for it.

``geoparquet``: one row per (event, place), the columns of the CSV export plus a WKB Point
``geometry`` (GeoParquet 1.1, longitude/latitude, OGC:CRS84), written in row groups of
:data:`ROWS_PER_GROUP`; the story's title and credits are in the file's ``storymap``
metadata. pyarrow is an extra: ``pip install 'storymap[parquet]'``.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from typing import IO, Any

from ..errors import ConfigError, StoryFormatError
from ..model import Story

__all__ = ["ROWS_PER_GROUP", "STREAM_FORMATS", "write_geoparquet", "write_jsonl"]

#: Rows buffered before a Parquet row group is written (bounds the writer's memory).
ROWS_PER_GROUP = 10_000

#: The export formats written by streaming to a binary file.
STREAM_FORMATS = ("jsonl", "geoparquet")


def _line(data: Any) -> bytes:
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except ValueError as exc:
        raise StoryFormatError(f"story: {exc}; every latitude and longitude must be a "
                               "finite number") from None
    return text.encode("utf-8") + b"\n"


def _header(story: Story) -> dict[str, Any]:
    return {
        "type": "story", "version": 1, "title": story.title,
        "attributions": [{"text": a.text, "url": a.url} for a in story.attributions],
        "documents": [{"id": d.id, "title": d.title, "url": d.url, "license": d.license}
                      for d in story.documents],
    }


def write_jsonl(story: Story, out: IO[bytes]) -> None:
    """Write ``story`` as JSON Lines to ``out``: a story line, then one line per event.

    Raises StoryFormatError for a coordinate that is not a finite number.
    """
    places = {p.id: p for p in story.places}
    out.write(_line(_header(story)))
    for e in story.events:
        out.write(_line({
            "type": "event", "id": e.id, "date": e.date, "end_date": e.end_date,
            "precision": e.precision, "time": e.time, "title": e.title, "quote": e.quote,
            "people": list(e.people), "continuing": e.continuing,
            "places": [{"id": r.place_id, "name": places[r.place_id].name,
                        "kind": places[r.place_id].kind, "lat": places[r.place_id].lat,
                        "lon": places[r.place_id].lon, "mention": r.mention}
                       for r in e.places if r.place_id in places],
            "sources": [{"doc": s.doc, "start": s.start, "end": s.end} for s in e.sources],
        }))


_STRING_COLUMNS = ("date", "end_date", "precision", "time", "place", "place_id", "kind",
                   "mention", "event", "title", "quote", "source")


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ConfigError("--format geoparquet needs pyarrow; install it with: "
                          "pip install 'storymap[parquet]'") from None
    return pyarrow


def _rows(story: Story) -> Iterator[dict[str, Any]]:
    for event, ref, place in story.iter_features():
        source = event.sources[0]
        yield {"date": event.date, "end_date": event.end_date, "precision": event.precision,
               "time": event.time, "place": place.name, "place_id": place.id,
               "kind": place.kind, "mention": ref.mention, "event": event.id,
               "title": event.title, "quote": event.quote, "people": list(event.people),
               "source": source.doc, "start": source.start, "end": source.end,
               "lat": place.lat, "lon": place.lon,
               # WKB Point, little-endian: byte order 1, type 1, then x (lon) and y (lat)
               "geometry": struct.pack("<BIdd", 1, 1, place.lon, place.lat)}


def write_geoparquet(story: Story, out: IO[bytes]) -> None:
    """Write ``story`` as GeoParquet to ``out``, ROWS_PER_GROUP rows at a time.

    Raises ConfigError when pyarrow is not installed.
    """
    pa = _pyarrow()
    fields = [pa.field(name, pa.string()) for name in _STRING_COLUMNS]
    schema = pa.schema([
        *fields,
        pa.field("people", pa.list_(pa.string())),
        pa.field("start", pa.int64()), pa.field("end", pa.int64()),
        pa.field("lat", pa.float64()), pa.field("lon", pa.float64()),
        pa.field("geometry", pa.binary()),
    ], metadata={
        b"geo": json.dumps({
            "version": "1.1.0", "primary_column": "geometry",
            "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"]}},
        }).encode(),
        b"storymap": json.dumps(_header(story), ensure_ascii=False).encode("utf-8"),
    })
    names = schema.names
    with pa.parquet.ParquetWriter(out, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for row in _rows(story):
            batch.append(row)
            if len(batch) >= ROWS_PER_GROUP:
                writer.write_table(_table(pa, schema, names, batch))
                batch = []
        if batch:
            writer.write_table(_table(pa, schema, names, batch))


def _table(pa: Any, schema: Any, names: list[str], rows: list[dict[str, Any]]) -> Any:
    return pa.table({n: [r[n] for r in rows] for n in names}, schema=schema)
