"""The curated gazetteer in places/: schema, references, polygons, and honest sources."""

from __future__ import annotations

import csv
import functools
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PLACES = ROOT / "places"
# ../shared beside the checkout (or beside the folder of worktrees it sits in).
GEO = next((p / "shared" / "data" / "geo" for p in (ROOT.parent, ROOT.parent.parent)
            if (p / "shared" / "data" / "geo").is_dir()), ROOT.parent / "shared" / "data" / "geo")
KINDS = {"country", "region", "city", "town", "village", "district", "neighbourhood", "square",
         "street", "building", "monument", "river", "lake", "sea", "island", "mountains",
         "airfield", "industrial", "cemetery"}
REQUIRED = {"id": str, "names": dict, "kind": str, "lat": float, "lon": float, "source": str}
OPTIONAL = {"aliases": list, "historic": list, "number": int, "country": str,
            "parent": str, "population": int, "polygon": str, "geonameid": int,
            "estimated": bool, "note": str}
HISTORIC_STATES = {"SU", "YU", "CS", "DD"}
HONEST = re.compile(r"approximate|estimate|verify|representative|centroid|GeoNames|wikipedia"
                    r"|aroundus|checked|on the|via", re.IGNORECASE)


@functools.cache
def entries() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(PLACES.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        assert isinstance(data, list), path
        out += [(path.name, e) for e in data]
    return out


@functools.cache
def by_id() -> dict[str, dict[str, Any]]:
    return {e["id"]: e for _, e in entries()}


@functools.cache
def shapes() -> dict[tuple[str, str], Any]:
    from shapely.geometry import shape

    out = {}
    for path in sorted(PLACES.glob("*.geojson")):
        for feat in json.loads(path.read_text(encoding="utf-8"))["features"]:
            out[(path.name, feat["properties"]["id"])] = shape(feat["geometry"])
    return out


def point(e: dict[str, Any]) -> Any:
    from shapely.geometry import Point

    return Point(e["lon"], e["lat"])


def test_there_are_enough_places() -> None:
    counts: dict[str, int] = {}
    for name, _ in entries():
        counts[name] = counts.get(name, 0) + 1
    assert sum(counts.values()) >= 500, counts
    assert counts["landmarks-1956.yaml"] == 24


def test_every_entry_follows_the_schema() -> None:
    for name, e in entries():
        where = f"{name}: {e.get('id')}"
        for key, typ in REQUIRED.items():
            assert key in e, f"{where}: missing {key}"
            value = float(e[key]) if typ is float else e[key]
            assert isinstance(value, typ) and value != "", f"{where}: bad {key}"
        for key, value in e.items():
            if key not in REQUIRED:
                assert key in OPTIONAL, f"{where}: unknown key {key}"
                assert isinstance(value, OPTIONAL[key]), f"{where}: bad {key}"
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", e["id"]), where
        assert all(re.fullmatch(r"[a-z]{2,3}", lang) and isinstance(name, str) and name
                   for lang, name in e["names"].items()), f"{where}: names by language code"
        assert e["kind"] in KINDS, f"{where}: kind {e['kind']}"
        assert -90 <= e["lat"] <= 90 and -180 <= e["lon"] <= 180, where
        country = e.get("country", "")
        assert country == "" or re.fullmatch(r"[A-Z]{2}", country), where
        assert all(isinstance(a, str) and a for a in e.get("aliases", ())), where
        for h in e.get("historic", ()):
            assert set(h) == {"name", "from", "to"} and h["from"] <= h["to"], where


def test_ids_are_unique() -> None:
    seen: dict[str, str] = {}
    for name, e in entries():
        assert e["id"] not in seen, f"{e['id']} in {name} and {seen[e['id']]}"
        seen[e["id"]] = name


def test_parents_exist_and_contain_their_children() -> None:
    places = by_id()
    for _, e in entries():
        parent = e.get("parent")
        if not parent:
            continue
        assert parent in places, f"{e['id']}: unknown parent {parent}"
        area = shapes().get((places[parent].get("polygon", ""), parent))
        if area is not None:
            assert area.buffer(0.002).contains(point(e)), f"{e['id']} is outside {parent}"


def test_polygons_resolve_are_valid_and_hold_their_point() -> None:
    for _, e in entries():
        if "polygon" not in e:
            continue
        assert (PLACES / e["polygon"]).is_file(), e["id"]
        area = shapes().get((e["polygon"], e["id"]))
        assert area is not None, f"{e['id']}: no feature with properties.id in {e['polygon']}"
        assert area.is_valid and area.geom_type in ("Polygon", "MultiPolygon"), e["id"]
        assert area.contains(point(e)), f"{e['id']}: point outside its own polygon"


def test_budapest_has_the_22_districts_of_1956() -> None:
    districts = [e for _, e in entries() if e["kind"] == "district" and e.get("number")]
    assert sorted(e["number"] for e in districts) == list(range(1, 23))
    for e in districts:
        assert e["id"] == f"budapest-{e['number']:02d}" and e["polygon"]
    assert by_id()["soroksar"]["parent"] == "budapest-20"
    assert by_id()["budapest-08"]["names"] == {"en": "District VIII of Budapest",
                                               "hu": "Józsefváros"}


def test_hungarian_places_lie_in_hungary() -> None:
    hungary = shapes()[("natural-earth.geojson", "hungary")].buffer(0.01)
    for _, e in entries():
        if e.get("country") == "HU":
            assert hungary.contains(point(e)), f"{e['id']} is outside Hungary"
    assert not hungary.contains(point(by_id()["andau"]))


def test_every_coordinate_has_an_honest_source() -> None:
    for _, e in entries():
        if e.get("geonameid"):
            assert e["source"] == f"GeoNames {e['geonameid']}", e["id"]
        if e.get("estimated"):
            assert HONEST.search(e["source"]), f"{e['id']}: say how the estimate was made"


def test_historic_states_use_their_own_codes() -> None:
    codes = {e["id"]: e.get("country") for _, e in entries() if e["kind"] == "country"}
    assert {codes["soviet-union"], codes["yugoslavia"], codes["czechoslovakia"],
            codes["east-germany"]} == HISTORIC_STATES


@pytest.mark.skipif(not GEO.is_dir(), reason="reference data in ../shared/data/geo not here")
def test_all_28_landmarks_of_the_reference_data_are_kept() -> None:
    with (GEO / "landmarks-1956.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 28
    places = by_id()
    for row in rows:
        e = places[row["id"].replace("_", "-")]
        if e.get("geonameid"):  # the town rows: GeoNames' current point, within 2 km
            assert abs(e["lat"] - float(row["lat"])) < 0.02, e["id"]
            continue
        assert (e["lat"], e["lon"]) == (float(row["lat"]), float(row["lon"])), e["id"]
        assert e.get("estimated", False) == (row["estimated"] == "yes"), e["id"]
        assert e["source"].startswith(row["source"]), e["id"]


def test_the_engine_loads_the_gazetteer_and_knows_the_story_names() -> None:
    from storymap.geo.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    expect = {
        "Kossuth tér": "kossuth-ter", "Kossuth Square": "kossuth-ter",
        "Corvin Passage": "corvin-koz", "Corvin köz": "corvin-koz",
        "Marx tér": "nyugati-ter", "Köztársaság tér": "koztarsasag-ter",
        "Republic Square": "koztarsasag-ter", "Sztálinváros": "dunaujvaros",
        "Stalintown": "dunaujvaros", "Mosonmagyarovar": "mosonmagyarovar",
        "Magyaróvár": "mosonmagyarovar", "Tokol": "tokol", "Józsefváros": "budapest-08",
        "Brioni": "brijuni", "German Democratic Republic": "east-germany",
        "Soviet Union": "soviet-union", "Radio building": "radio", "Gy?r": "gyor",
        "Csepel Iron and Steel Works": "csepel-works", "Kilián barracks": "kilian-barracks",
        "Brest": "brest-belarus", "Érd": "erd", "Adriatic": "adriatic-sea",
    }
    for name, pid in expect.items():
        assert [c.id for c in gazetteer.candidates(name)] == [pid], name


def test_no_name_is_shared_by_two_places() -> None:
    from storymap.geo.gazetteer import load_gazetteer

    shared = {k: ids for k, ids in load_gazetteer().index.items() if len(ids) > 1}
    assert shared == {}


@pytest.mark.skipif(not GEO.is_dir(), reason="reference data in ../shared/data/geo not here")
def test_generated_parts_are_up_to_date() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_places.py"), "--check",
                          "--geo", str(GEO)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def test_no_place_data_names_a_path_on_a_curators_disk() -> None:
    """A place's ``source`` reaches /api/story and every export: no absolute local path."""
    absolute = re.compile(r"(?:^|[\s(\"',;:=])(/(?:work|tmp|home|root|Users|mnt|var)/\S*)")
    found = [(p.name, m.group(1)) for p in sorted(PLACES.rglob("*.yaml"))
             for m in absolute.finditer(p.read_text(encoding="utf-8"))]
    assert not found
