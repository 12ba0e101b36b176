"""The offline basemap's detail (towns, rivers, division names by zoom) for one story.

The detail is tiled by zoom under ``static/basemap/<folder>/`` (``scripts/basemap_detail.py``
says how): the served page fetches the tiles of what it shows. A standalone file cannot
fetch, so it carries the detail of the story's own area only: for each band, the tiles
around the places where the story happens, and of those only the towns and division names
within a view of them (a view at the band's least zoom, centred on each place). Rivers are
kept whole within the chosen tiles (they are already cut to the tile). The built-in story's
file stays within its budget that way (docs/decisions.md, "Offline basemap detail").
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..geo.lines import decode_line, encode_line
from . import assets

__all__ = ["detail_features", "detail_index"]

#: The view a standalone file is assumed to be seen in (px): a classroom laptop's map.
VIEW_PX = (1280, 800)

#: A box of longitudes and latitudes.
Box = tuple[float, float, float, float]  # west, south, east, north


@functools.cache
def detail_index(folder: str) -> Mapping[str, Any] | None:
    """Return ``static/basemap/<folder>/index.json`` (bands and their tiles), or None."""
    try:
        data: Mapping[str, Any] = json.loads(assets.read_text(f"basemap/{folder}/index.json"))
    except FileNotFoundError:
        return None
    return data


def _tiles(band: Mapping[str, Any]) -> set[tuple[int, int]]:
    n, key, out = 2 ** int(band["tile_zoom"]), 0, set()
    for delta in band["tiles"]:
        key += int(delta)
        out.add((key // n, key % n))
    return out


def _tile_of(lat: float, lon: float, z: int) -> tuple[int, int]:
    n = 2**z
    rad = math.radians(max(min(lat, 85.0), -85.0))
    x = min(max(int((lon + 180.0) / 360.0 * n), 0), n - 1)
    y = min(max(int((1.0 - math.log(math.tan(rad) + 1.0 / math.cos(rad)) / math.pi) / 2.0 * n),
                0), n - 1)  # fmt: skip
    return x, y


def view_box(lat: float, lon: float, zoom: int) -> Box:
    """Return the box a VIEW_PX view at ``zoom`` centred on the point shows.

    >>> [round(v, 2) for v in view_box(0.0, 0.0, 8)]
    [-3.52, -2.2, 3.52, 2.2]
    """
    degrees_per_px = 360.0 / (256 * 2**zoom)
    half_w = VIEW_PX[0] / 2 * degrees_per_px
    half_h = VIEW_PX[1] / 2 * degrees_per_px * math.cos(math.radians(lat))
    return (lon - half_w, max(lat - half_h, -85.0), lon + half_w, min(lat + half_h, 85.0))


def _inside(boxes: Sequence[Box], lon: float, lat: float) -> bool:
    return any(w <= lon <= e and s <= lat <= n for w, s, e, n in boxes)


def detail_features(folder: str, points: Iterable[tuple[float, float]]) -> list[dict[str, Any]]:
    """Return the detail features of the area around ``points`` ((lat, lon)), every band.

    Raises FileNotFoundError when the index lists a tile that is missing (rebuild with
    scripts/build_basemap.py).
    """
    index = detail_index(folder)
    where = sorted(set(points))
    if index is None or not where:
        return []
    features: list[dict[str, Any]] = []
    for band in index["bands"]:
        z, least = int(band["tile_zoom"]), int(band["zooms"][0])
        boxes = [view_box(lat, lon, least) for lat, lon in where]
        wanted: set[tuple[int, int]] = set()
        for w, s, e, n in boxes:
            x0, y0 = _tile_of(n, w, z)
            x1, y1 = _tile_of(s, e, z)
            wanted |= {(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)}
        for x, y in sorted(wanted & _tiles(band)):
            tile = json.loads(assets.read_text(f"basemap/{folder}/{band['id']}/{x}-{y}.json"))
            for feature in tile["features"]:
                kept = _cut(feature, boxes)
                if kept is not None:
                    features.append(kept)
    return features


def _cut(feature: dict[str, Any], boxes: Sequence[Box]) -> dict[str, Any] | None:
    """Return a named-points feature with only its points in ``boxes`` (lines unchanged)."""
    geometry = feature["geometry"]
    decimals = int(geometry["precision"])
    if geometry["type"] == "MultiLineString":
        lines = [kept for line in geometry["coordinates"]
                 for kept in _clip(decode_line(line, decimals), boxes)]
        if not lines:
            return None
        return {"type": "Feature", "properties": feature["properties"],
                "geometry": {"type": "MultiLineString", "precision": decimals,
                             "coordinates": [encode_line(c, decimals) for c in lines]}}
    if geometry["type"] != "MultiPoint":
        return feature
    points = decode_line(geometry["coordinates"], decimals)
    props = feature["properties"]
    keep = [i for i, (lon, lat) in enumerate(points) if _inside(boxes, lon, lat)]
    if not keep:
        return None
    out_props = {k: ([v[i] for i in keep] if isinstance(v, list) and len(v) == len(points)
                     and k != "zooms" else v) for k, v in props.items()}  # fmt: skip
    return {"type": "Feature", "properties": out_props,
            "geometry": {"type": "MultiPoint", "precision": decimals,
                         "coordinates": encode_line([points[i] for i in keep], decimals)}}


def _clip(line: Sequence[Sequence[float]],
          boxes: Sequence[Box]) -> list[list[Sequence[float]]]:
    """Return the runs of ``line`` inside ``boxes``, each with one vertex more at either end
    (so the line runs on to the edge of the view instead of stopping short of it).

    >>> _clip([(0, 0), (1, 0), (2, 0), (3, 0), (4, 0)], [(1.5, -1, 2.5, 1)])
    [[(1, 0), (2, 0), (3, 0)]]
    """
    inside = [_inside(boxes, x, y) for x, y in line]
    keep = [inside[i] or (i > 0 and inside[i - 1]) or (i + 1 < len(line) and inside[i + 1])
            for i in range(len(line))]  # fmt: skip
    runs: list[list[Sequence[float]]] = []
    run: list[Sequence[float]] = []
    for point, kept in zip(line, keep, strict=True):
        if kept:
            run.append(point)
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return [r for r in runs if len(r) > 1]
