"""Build the offline basemap static/basemap/basemap.json from the shared geo reference data.

Usage: ``python scripts/build_basemap.py [--geo DIR]``  (default DIR: ../shared/data/geo)

The page draws this layer when map tiles cannot load (an offline classroom, a file://
export without network). It holds Hungary's outline, Lake Balaton, the Danube (country
and city scale), Budapest's outline and its 22 districts as in 1956, simplified so the
standalone export stays small. Sources and licences: static/basemap/SOURCES.md.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: (file stem, layer name, simplification tolerance in degrees, decimals kept)
LAYERS = (
    ("hungary-outline", "country", 0.004, 3),
    ("balaton", "lake", 0.003, 3),
    ("danube", "river", 0.003, 3),
    ("budapest-outline", "city", 0.0006, 4),
    ("danube-budapest", "river-city", 0.0002, 4),
    ("budapest-districts-1956", "district", 0.0004, 4),
)


def _round(coords: Any, decimals: int) -> Any:
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], decimals), round(coords[1], decimals)]
    return [_round(c, decimals) for c in coords]


def build(geo: Path) -> dict[str, Any]:
    """Return the basemap FeatureCollection built from the GeoJSON files in ``geo``."""
    from shapely.geometry import mapping, shape

    features = []
    for stem, layer, tolerance, decimals in LAYERS:
        data = json.loads((geo / f"{stem}.geojson").read_text(encoding="utf-8"))
        for feature in data["features"]:
            geom = shape(feature["geometry"]).simplify(tolerance, preserve_topology=True)
            props = feature["properties"]
            name = props.get("name_en") or props.get("name_hu") or ""
            if layer == "district":
                name = f"{props['number_roman']}. {props['name_hu']}"
            features.append(
                {
                    "type": "Feature",
                    "properties": {"layer": layer, "name": name},
                    "geometry": {
                        "type": geom.geom_type,
                        "coordinates": _round(mapping(geom)["coordinates"], decimals),
                    },
                }
            )
    return {
        "type": "FeatureCollection",
        "attribution": "© OpenStreetMap contributors (ODbL 1.0); Natural Earth (public domain)",
        "features": features,
    }


def main() -> int:
    """Write static/basemap/basemap.json and print its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geo", type=Path, default=ROOT.parent / "shared" / "data" / "geo")
    args = parser.parse_args()
    if not (args.geo / "hungary-outline.geojson").is_file():
        raise SystemExit(f"{args.geo}: expected the shared geo data (hungary-outline.geojson ...)")
    out = ROOT / "static" / "basemap" / "basemap.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(build(args.geo), ensure_ascii=False, separators=(",", ":"))
    out.write_text(text + "\n", encoding="utf-8")
    print(f"{out.relative_to(ROOT)}: {len(text.encode()):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
