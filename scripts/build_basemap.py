"""Build the offline basemap static/basemap/basemap.json from the shared geo reference data.

Usage: ``python scripts/build_basemap.py [--geo DIR] [--world-atlas FILE]``
(default DIR: ../shared/data/geo; default FILE: countries-110m.json from ``npm pack
world-atlas@2.0.2``, fetched into a temporary folder at build time only)

The page draws this layer when map tiles cannot load (an offline classroom, a file://
export without network). It holds a light land fill and country borders for Europe
(Natural Earth 1:110m, so days in Moscow, Brest, Bucharest, Vienna or Warsaw are not dots
on grey), then Hungary's outline, Lake Balaton, the Danube (country and city scale),
Budapest's outline and its 22 districts as in 1956, simplified so the standalone export
stays small. Sources and licences: static/basemap/SOURCES.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: The npm package holding Natural Earth 4.1.0 admin-0 countries as TopoJSON, pinned with
#: the SHA-256 of the one file used so a rebuild from another copy is caught.
WORLD_ATLAS = "world-atlas@2.0.2"
WORLD_ATLAS_FILE = "countries-110m.json"
WORLD_ATLAS_SHA256 = "2516c915867c7baf18ddec727aec46c315541a07cfb3d79a6559b05d5e94eee8"

#: Europe as (west, south, east, north) degrees: Iceland to the Caspian, Suez to the North
#: Cape, so the story's days from London to Moscow and Suez are not drawn past the clip edge.
EUROPE = (-25.0, 27.0, 50.0, 71.0)

#: Present-day countries that were one state in 1956: the borders between them were not
#: international then, so they are not drawn (a map of 1956 with a Russia-Belarus border
#: between Moscow and Brest would mislead). Cyprus was one British colony; Jordan held the
#: West Bank. The inner German border of 1956 is not in the data, so it is missing.
STATES_1956 = {
    "USSR": (
        "Russia",
        "Belarus",
        "Ukraine",
        "Moldova",
        "Lithuania",
        "Latvia",
        "Estonia",
        "Georgia",
        "Armenia",
        "Azerbaijan",
        "Kazakhstan",
        "Turkmenistan",
        "Uzbekistan",
    ),
    "Yugoslavia": (
        "Slovenia",
        "Croatia",
        "Bosnia and Herz.",
        "Serbia",
        "Montenegro",
        "Kosovo",
        "Macedonia",
    ),
    "Czechoslovakia": ("Czechia", "Slovakia"),
    "Cyprus": ("Cyprus", "N. Cyprus"),
    "Jordan": ("Jordan", "Palestine"),
}

#: Hungary's border comes from the finer 1:10m "country" layer below, so the 1:110m
#: lines around it are left out rather than drawn a few kilometres beside it.
FINER_COUNTRY = "Hungary"

#: (file stem, layer name, simplification tolerance in degrees, decimals kept)
LAYERS = (
    ("hungary-outline", "country", 0.004, 3),
    ("balaton", "lake", 0.003, 3),
    ("danube", "river", 0.003, 3),
    ("budapest-outline", "city", 0.0006, 4),
    ("danube-budapest", "river-city", 0.0002, 4),
    ("budapest-districts-1956", "district", 0.0004, 4),
)

#: Simplification tolerance for the 1:110m Europe layers (already coarse; this drops
#: near-collinear points only).
EUROPE_TOLERANCE = 0.02


def _round(coords: Any, decimals: int) -> Any:
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], decimals), round(coords[1], decimals)]
    return [_round(c, decimals) for c in coords]


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


def europe(topology: dict[str, Any]) -> list[tuple[str, Any]]:
    """Return ("land", polygons) and ("border", lines) for Europe, clipped to EUROPE.

    Borders are the arcs two countries share, less those inside one 1956 state and those
    of FINER_COUNTRY; the coast is left to the land fill.
    """
    from shapely import make_valid
    from shapely.geometry import LineString, MultiLineString, Polygon, box
    from shapely.ops import linemerge, unary_union

    arcs = _arcs(topology)
    clip = box(*EUROPE)
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
    state_of = {name: state for state, names in STATES_1956.items() for name in names}
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
        if len({state_of.get(n, n) for n in names}) > 1 and FINER_COUNTRY not in names
    ]
    borders = linemerge(MultiLineString(shared)).intersection(clip)
    return [("land", land), ("border", borders)]


def _feature(layer: str, name: str, geom: Any, decimals: int) -> dict[str, Any]:
    from shapely.geometry import mapping

    return {
        "type": "Feature",
        "properties": {"layer": layer, "name": name},
        "geometry": {
            "type": geom.geom_type,
            "coordinates": _round(mapping(geom)["coordinates"], decimals),
        },
    }


def build(geo: Path, topology: dict[str, Any]) -> dict[str, Any]:
    """Return the basemap FeatureCollection from the GeoJSON files in ``geo`` and ``topology``.

    Europe comes first: the page draws features in order, so it lies under Hungary.
    """
    from shapely.geometry import shape

    features = [
        _feature(layer, "", geom.simplify(EUROPE_TOLERANCE, preserve_topology=True), 3)
        for layer, geom in europe(topology)
    ]
    for stem, layer, tolerance, decimals in LAYERS:
        data = json.loads((geo / f"{stem}.geojson").read_text(encoding="utf-8"))
        for feature in data["features"]:
            geom = shape(feature["geometry"]).simplify(tolerance, preserve_topology=True)
            props = feature["properties"]
            name = props.get("name_en") or props.get("name_hu") or ""
            if layer == "district":
                name = f"{props['number_roman']}. {props['name_hu']}"
            features.append(_feature(layer, name, geom, decimals))
    return {
        "type": "FeatureCollection",
        "attribution": "© OpenStreetMap contributors (ODbL 1.0); Natural Earth (public domain)",
        "features": features,
    }


def main() -> int:
    """Write static/basemap/basemap.json and print its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geo", type=Path, default=ROOT.parent / "shared" / "data" / "geo")
    parser.add_argument(
        "--world-atlas",
        type=Path,
        default=None,
        help=f"{WORLD_ATLAS_FILE} of {WORLD_ATLAS} (default: npm pack it)",
    )
    args = parser.parse_args()
    if not (args.geo / "hungary-outline.geojson").is_file():
        raise SystemExit(f"{args.geo}: expected the shared geo data (hungary-outline.geojson ...)")
    out = ROOT / "static" / "basemap" / "basemap.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    basemap = build(args.geo, world_atlas(args.world_atlas))
    text = json.dumps(basemap, ensure_ascii=False, separators=(",", ":"))
    out.write_text(text + "\n", encoding="utf-8")
    print(f"{out.relative_to(ROOT)}: {len(text.encode()):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
