"""Region knowledge as data: ``places/regions/*.yaml`` loaded once.

A region (the world, a country, a city) has an outline or bounds, the map's zoom levels
inside it, the gazetteer files of its places, the generic words and district naming its
place names use, an offline basemap and the credits its data need. The Python knows no
city: a new region is a new file (format: places/README.md, "Regions").

A story *uses* a region when one of its events' places lies in it (by country and outline);
the page then gets that region's bounds, zoom levels, basemap and credits, and no others.
The world region is the root that every story uses.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GazetteerError
from ..model import Attribution, Place
from ..model.kinds import WIDE_KINDS
from .derived import cached_json

__all__ = ["Bounds", "Region", "Regions", "load_regions"]



@dataclass(frozen=True)
class Bounds:
    """A latitude/longitude box."""

    south: float
    west: float
    north: float
    east: float

    def contains(self, *, lat: float, lon: float) -> bool:
        """Return whether the point lies in the box (edges included)."""
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    def leaflet(self) -> list[list[float]]:
        """Return ``[[south, west], [north, east]]``, the order Leaflet's bounds take.

        >>> Bounds(south=47.3, west=18.9, north=47.6, east=19.3).leaflet()
        [[47.3, 18.9], [47.6, 19.3]]
        """
        return [[round(self.south, 5), round(self.west, 5)],
                [round(self.north, 5), round(self.east, 5)]]  # fmt: skip

    @classmethod
    def around(cls, points: Iterable[tuple[float, float]]) -> Bounds | None:
        """Return the box around ``(lat, lon)`` points, or None when there are none."""
        pts = list(points)
        if not pts:
            return None
        lats, lons = [p[0] for p in pts], [p[1] for p in pts]
        return cls(south=min(lats), west=min(lons), north=max(lats), east=max(lons))


@dataclass(frozen=True)
class Districts:
    """How texts name a region's numbered districts: patterns by language code."""

    local: str
    names: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Region:
    """One region file of places/regions/."""

    id: str
    names: Mapping[str, str]
    bounds: Bounds
    parent: str = ""
    country: str = ""
    outline: tuple[tuple[tuple[float, float], ...], ...] = field(default=(), repr=False)
    max_zoom: int = 10
    place_zoom: int = 10
    places: tuple[str, ...] = ()
    generics: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    districts: Districts | None = None
    basemap: Mapping[str, Any] = field(default_factory=dict, repr=False)
    basemap_credits: tuple[Attribution, ...] = ()
    attributions: tuple[Attribution, ...] = ()

    @property
    def name(self) -> str:
        """The region's English name (its first name when it has none)."""
        return self.names.get("en") or next(iter(self.names.values()), self.id)

    def contains(self, place: Place) -> bool:
        """Return whether ``place`` lies in this region (country, then outline or bounds)."""
        if self.country and place.country and place.country != self.country:
            return False
        if not self.bounds.contains(lat=place.lat, lon=place.lon):
            return False
        return not self.outline or _inside(self.outline, lat=place.lat, lon=place.lon)


class Regions:
    """Every region, by id, with the world as root."""

    def __init__(self, regions: Iterable[Region]) -> None:
        self.by_id: dict[str, Region] = {}
        for region in regions:
            if region.id in self.by_id:
                raise GazetteerError(f"places/regions: two regions with id {region.id!r}")
            self.by_id[region.id] = region
        roots = [r for r in self.by_id.values() if not r.parent]
        if len(roots) != 1:
            raise GazetteerError(
                f"places/regions: expected one region without a parent (the world), got "
                f"{sorted(r.id for r in roots)}"
            )
        self.root = roots[0]
        for region in self.by_id.values():
            if region.parent and region.parent not in self.by_id:
                raise GazetteerError(
                    f"places/regions/{region.id}.yaml: unknown parent {region.parent!r}; "
                    f"expected one of {sorted(self.by_id)}"
                )
            self.chain(region.id)  # raises on a cycle
        self._file_region: dict[str, str] = {}
        for region in self.by_id.values():
            for name in region.places:
                if name in self._file_region:
                    raise GazetteerError(
                        f"places/regions: {name} is claimed by {self._file_region[name]} and "
                        f"{region.id}; a gazetteer file belongs to one region"
                    )
                self._file_region[name] = region.id
        self._memo: dict[tuple[float, float, str, bool], tuple[Region, ...]] = {}

    def chain(self, region_id: str) -> tuple[Region, ...]:
        """Return the regions from the root down to ``region_id``."""
        out: list[Region] = []
        region: Region | None = self.by_id[region_id]
        while region is not None:
            if region in out:
                raise GazetteerError(f"places/regions: parents of {region_id!r} form a cycle")
            out.append(region)
            region = self.by_id.get(region.parent) if region.parent else None
        return tuple(reversed(out))

    def for_file(self, name: str) -> Region:
        """Return the region whose places the gazetteer file ``name`` holds (else the root)."""
        return self.by_id[self._file_region.get(name, self.root.id)]

    def of(self, place: Place) -> tuple[Region, ...]:
        """Return the regions ``place`` lies in, root first (only the root for wide kinds)."""
        key = (place.lat, place.lon, place.country, place.kind in WIDE_KINDS)
        if key not in self._memo:
            inner = [] if key[3] else [r for r in self.by_id.values()
                                       if r is not self.root and r.contains(place)]
            deepest = max(inner, key=lambda r: len(self.chain(r.id)), default=self.root)
            self._memo[key] = self.chain(deepest.id)
        return self._memo[key]

    def used_by(self, places: Iterable[Place]) -> tuple[Region, ...]:
        """Return the regions ``places`` lie in, with their parents: root first, inner last."""
        used = {r.id: r for place in places for r in self.of(place)}
        used.setdefault(self.root.id, self.root)
        return tuple(sorted(used.values(), key=lambda r: (len(self.chain(r.id)), r.id)))


def _inside(rings: Sequence[Sequence[tuple[float, float]]], *, lat: float, lon: float) -> bool:
    # Even-odd rule over every ring (outer rings and holes alike), in lon/lat.
    inside = False
    for ring in rings:
        j = len(ring) - 1
        for i in range(len(ring)):
            (xi, yi), (xj, yj) = ring[i], ring[j]
            if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
    return inside


@functools.cache
def load_regions(directory: Path | None = None) -> Regions:
    """Load places/regions/*.yaml (once per directory); raise GazetteerError if broken.

    Rendering a page needs the regions but should not import a YAML parser: the parsed
    files are cached as JSON in the cache directory, keyed by their names, sizes and
    modification times (as the gazetteer is).
    """
    from ..resources import data_dir

    places = directory or data_dir("places")
    files = sorted((places / "regions").glob("*.yaml"))
    if not files:
        raise GazetteerError(f"{places / 'regions'}: no region files; expected at least world.yaml")
    raws = _cached_raw(files)
    return Regions(_region(raw, places=places, file=path)
                   for path, raw in zip(files, raws, strict=True))


def _cached_raw(files: Sequence[Path]) -> list[Mapping[str, Any]]:
    return cached_json("regions", files, build=lambda: _parsed(files),
                       load=lambda data: _same_count(data, files), dump=lambda raws: raws)


def _same_count(data: Any, files: Sequence[Path]) -> list[Mapping[str, Any]]:
    if not isinstance(data, list) or len(data) != len(files):
        raise ValueError("not one parsed region per file")
    return data


def _parsed(files: Sequence[Path]) -> list[Mapping[str, Any]]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raws = []
    for path in files:
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        except (OSError, yaml.YAMLError) as exc:
            raise GazetteerError(f"{path}: cannot load region file ({exc}); fix the YAML") from None
        if not isinstance(raw, Mapping):
            raise GazetteerError(f"{path}: expected a mapping (id, names, bounds …)")
        raws.append(raw)
    return raws


def _region(raw: Mapping[str, Any], *, places: Path, file: Path) -> Region:
    try:
        rid = str(raw["id"])
        names = {str(k): str(v) for k, v in (raw.get("names") or {}).items()}
        outline: tuple[tuple[tuple[float, float], ...], ...] = ()
        if raw.get("outline"):
            outline = _outline(places / str(raw["outline"]["file"]), str(raw["outline"]["id"]))
        if raw.get("bounds"):
            b = raw["bounds"]
            bounds = Bounds(south=float(b["south"]), west=float(b["west"]),
                            north=float(b["north"]), east=float(b["east"]))  # fmt: skip
        else:
            box = Bounds.around((y, x) for ring in outline for x, y in ring)
            if box is None:
                raise KeyError("bounds (or an outline)")
            bounds = box
        view = raw.get("view") or {}
        districts = None
        if raw.get("districts"):
            d = raw["districts"]
            districts = Districts(
                local=str(d.get("local") or ""),
                names={str(k): tuple(str(p) for p in v) for k, v in d["names"].items()},
            )
        return Region(
            id=rid, names=names, bounds=bounds, parent=str(raw.get("parent") or ""),
            country=str(raw.get("country") or ""), outline=outline,
            max_zoom=int(view.get("max_zoom", 10)), place_zoom=int(view.get("place_zoom", 10)),
            places=tuple(str(p) for p in raw.get("places") or ()),
            generics={str(k): tuple(str(e) for e in v)
                      for k, v in (raw.get("generics") or {}).items()},
            districts=districts, basemap=dict(raw.get("basemap") or {}),
            basemap_credits=_credits((raw.get("basemap") or {}).get("credits")),
            attributions=_credits(raw.get("attributions")),
        )  # fmt: skip
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise GazetteerError(
            f"{file}: not a valid region ({type(exc).__name__}: {exc}); see places/README.md"
        ) from None


def _credits(raw: Any) -> tuple[Attribution, ...]:
    return tuple(Attribution(name=str(a["name"]), license=str(a["license"]), url=str(a["url"]),
                             text=str(a["text"])) for a in raw or ())


def _outline(path: Path, feature_id: str) -> tuple[tuple[tuple[float, float], ...], ...]:
    """Return every ring of the feature ``feature_id`` in the GeoJSON file ``path``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GazetteerError(f"{path}: cannot load the region outline ({exc})") from None
    for feature in data.get("features", ()):
        if (feature.get("properties") or {}).get("id") == feature_id:
            geometry = feature["geometry"]
            polygons = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                        else geometry["coordinates"])  # fmt: skip
            return tuple(tuple((float(x), float(y)) for x, y, *_ in ring)
                         for polygon in polygons for ring in polygon)  # fmt: skip
    raise GazetteerError(f"{path}: no feature with properties.id {feature_id!r}")
