"""Region knowledge as data: places/regions/, what a story uses, and where its map looks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from storymap.errors import GazetteerError
from storymap.geo.lines import decode_line
from storymap.geo.regions import load_regions
from storymap.model import Place, Story
from storymap.model.kinds import WIDE_KINDS
from storymap.outputs.mapview import map_credits, map_view

ROOT = Path(__file__).resolve().parents[1]
PRAGUE = ROOT / "tests" / "data" / "regions" / "prague-1968.txt"
SEEDS = ROOT / "storymap" / "examples" / "hungary-1956"


@pytest.fixture(scope="module")
def prague() -> Story:
    from storymap import build_story

    return build_story([PRAGUE])


@pytest.fixture(scope="module")
def hungary_1956() -> Story:
    from storymap import build_story

    return build_story(sorted(SEEDS.glob("*.txt")))


def points(coords: Any, decimals: int) -> list[tuple[float, float]]:
    if isinstance(coords, str):
        return [(lon, lat) for lon, lat in decode_line(coords, decimals)]
    return [p for c in coords for p in points(c, decimals)]


# -- the region files -----------------------------------------------------------------

def test_regions_form_one_tree_and_claim_existing_files() -> None:
    regions = load_regions()
    assert regions.root.id == "world"
    assert [r.id for r in regions.chain("budapest")] == ["world", "hungary", "budapest"]
    for region in regions.by_id.values():
        for name in region.places:
            assert (ROOT / "places" / name).is_file(), f"{region.id}: {name}"
    assert regions.for_file("landmarks-1956.yaml").id == "budapest"
    assert regions.for_file("countries.yaml").id == "world"
    assert regions.for_file("a-file-no-region-claims.yaml").id == "world"


def test_every_region_is_credited_and_its_basemap_is_built() -> None:
    for region in load_regions().by_id.values():
        assert region.attributions, region.id
        assert region.max_zoom >= 1 and region.place_zoom >= 1, region.id
        file = region.basemap.get("file")
        if file:
            assert (ROOT / "static" / "basemap" / file).is_file(), f"{region.id}: run build_basemap"
            assert region.basemap_credits, f"{region.id}: its basemap needs credits"


def test_basemap_layers_lie_within_their_region() -> None:
    for region in load_regions().by_id.values():
        if not region.basemap.get("file"):
            continue
        data = json.loads((ROOT / "static" / "basemap" / region.basemap["file"]).read_text())
        assert data["encoding"] == "polyline" and data["features"], region.id
        b = region.bounds
        for feature in data["features"]:
            pts = points(feature["geometry"]["coordinates"], feature["geometry"]["precision"])
            assert pts, region.id
            for lon, lat in pts:  # a margin for rounding and for the river beyond the city
                assert b.south - 0.2 <= lat <= b.north + 0.2, (region.id, lat)
                assert b.west - 0.5 <= lon <= b.east + 0.5, (region.id, lon)


def test_a_broken_region_file_says_what_to_fix(tmp_path: Path) -> None:
    (tmp_path / "regions").mkdir()
    (tmp_path / "regions" / "world.yaml").write_text("id: world\nnames: {en: World}\n"
                                                     "bounds: {south: -58, west: -180, "
                                                     "north: 80, east: 180}\n")
    (tmp_path / "regions" / "town.yaml").write_text("id: town\nparent: atlantis\n"
                                                    "bounds: {south: 1, west: 1, north: 2, "
                                                    "east: 2}\n")
    with pytest.raises(GazetteerError, match=r"town\.yaml: unknown parent 'atlantis'"):
        load_regions(tmp_path)
    (tmp_path / "regions" / "town.yaml").write_text("id: town\nparent: world\n")
    with pytest.raises(GazetteerError, match=r"town\.yaml: not a valid region .*bounds"):
        load_regions(tmp_path)


# -- names from region data -----------------------------------------------------------

def test_district_names_and_generic_words_come_from_the_region_files() -> None:
    from storymap.geo.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    for name in ("the eighth district", "8th district", "District VIII", "VIII. kerület",
                 "Budapest VIII", "District 8"):
        assert [c.id for c in gazetteer.candidates(name.removeprefix("the "))] == [
            "budapest-08"], name
    assert [c.id for c in gazetteer.candidates("Budaörsi Road")] == ["budaorsi-ut-barracks"]
    # Hungarian generic words belong to Hungary's places, not to Moscow's or Australia's.
    assert gazetteer.candidates("Red tér") == ()
    assert gazetteer.candidates("Christmas sziget") == ()


def test_ordinal_words_come_from_the_language_profile() -> None:
    from storymap.geo.gazetteer import ordinal_words
    from storymap.lang.profile import load_profile

    words = load_profile("en").phrases("ordinal_words")
    assert words[7] == "eighth"
    assert [ordinal_words(n)[1] for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd"]


def test_gazetteer_entries_keep_their_names_by_language() -> None:
    from storymap.geo.gazetteer import load_gazetteer

    parliament = load_gazetteer().entries["parliament"].candidate
    assert parliament.name == "Hungarian Parliament Building"
    assert parliament.names == {"en": "Hungarian Parliament Building", "hu": "Országház"}


def test_old_gazetteer_fields_get_a_clear_message(tmp_path: Path) -> None:
    from storymap.geo.gazetteer import load_gazetteer

    (tmp_path / "old.yaml").write_text("- {id: x, name: X, name_hu: Ix, kind: city, lat: 1, "
                                       "lon: 1, source: test}\n")
    (tmp_path / "regions").mkdir()
    (tmp_path / "regions" / "world.yaml").write_text(
        "id: world\nbounds: {south: -58, west: -180, north: 80, east: 180}\n")
    with pytest.raises(GazetteerError, match=r"names: \{en: …, hu: …\}"):
        load_gazetteer(tmp_path)


# -- the model ------------------------------------------------------------------------

def test_place_names_round_trip_and_old_stories_still_read(story: Story) -> None:
    place = Place("parliament", "Parliament", 47.5, 19.05, "building",
                  {"en": "Parliament", "hu": "Országház"})
    assert place.name_in("hu") == "Országház" and place.name_in("de") == "Parliament"
    data = json.loads(story.to_json())
    data["places"] = [{**p, "names": {}} for p in data["places"]]
    data["places"][0] = {k: v for k, v in data["places"][0].items() if k != "names"}
    data["places"][0]["name_hu"] = "Régi név"  # a story written before names by language
    old = Story.from_dict(data)
    assert old.places[0].names == {"hu": "Régi név"}
    again = Story.from_json(old.to_json())
    assert again.places[0].names == {"hu": "Régi név"} and "name_hu" not in old.to_json()


# -- a story set elsewhere ------------------------------------------------------------

def test_a_story_in_prague_uses_no_budapest_region(prague: Story) -> None:
    view = map_view(prague)
    assert [r["id"] for r in view["regions"]] == ["world"]
    assert view["basemaps"] == ["world.json"] and view["home"] is None
    texts = " ".join(a.text for a in map_credits(prague))
    assert "Budapest" not in texts and "Hungary" not in texts
    # Hungary is named (its troops), but a country's centroid pulls in no detail.
    assert any(p.id == "hungary" and p.kind in WIDE_KINDS for p in prague.places)


def test_the_first_view_is_at_the_story_city(prague: Story) -> None:
    (south, west), (north, east) = map_view(prague)["view"]
    city = prague.place("prague")
    assert south <= city.lat <= north and west <= city.lon <= east
    assert north - south < 5 and east - west < 5  # the country, not Moscow nor Hungary


def test_exports_of_a_story_elsewhere_carry_no_budapest_layer_or_credit(prague: Story) -> None:
    from storymap.formats.html import export_html

    html = export_html(prague)
    basemap = re.search(r'<script type="application/json" id="basemap-data">(.*?)</script>',
                        html, re.S)
    assert basemap is not None
    layers = {f["properties"]["layer"] for f in json.loads(basemap.group(1))["features"]}
    # "country": the names of big countries; the rest is the detail around Prague.
    assert layers == {"land", "border", "country", "town", "division", "waterway"}
    # Budapest may be named as a town of the detail (a big one near Prague), nothing more.
    rest = html.replace(basemap.group(1), "")
    assert "Budapest" not in rest and "Hungarian Revolution" not in html
    assert "OpenStreetMap contributors (Budapest" not in html
    story = re.search(r'<script type="application/json" id="story-data">(.*?)</script>',
                      html, re.S)
    assert story is not None and json.loads(story.group(1))["map"]["basemaps"] == ["world.json"]


def test_the_served_story_elsewhere_fetches_only_the_world_basemap(prague: Story) -> None:
    from storymap.web import create_app

    client = create_app(prague).test_client()
    page = client.get("/").get_data(as_text=True)
    assert "Budapest" not in page and "districts" not in page
    response = client.get("/static/basemap/world.json")
    assert response.status_code == 200
    response.close()


def test_the_1956_story_keeps_its_districts(hungary_1956: Story) -> None:
    from storymap.formats.html import export_html

    view = map_view(hungary_1956)
    assert [r["id"] for r in view["regions"]] == ["world", "hungary", "budapest"]
    assert view["home"] == "hungary"
    budapest = next(r for r in view["regions"] if r["id"] == "budapest")
    assert budapest["max_zoom"] == 13 and budapest["place_zoom"] == 14
    html = export_html(hungary_1956)
    assert '"layer":"district"' in html
    assert "© OpenStreetMap contributors" in html  # the districts' credit


def test_a_region_layer_is_credited_when_the_story_does_not_credit_its_dataset(
        story: Story) -> None:
    import dataclasses

    bare = dataclasses.replace(story, attributions=())  # places in Budapest, no credits
    texts = [a.text for a in map_credits(bare)]
    assert any("Budapest outline and districts of 1956" in t for t in texts), texts
    assert map_credits(story) == tuple(a for a in map_credits(bare)
                                       if a.name not in {b.name for b in story.attributions})


def test_the_front_end_knows_no_region() -> None:
    names = {n for r in load_regions().by_id.values() if r.parent for n in r.names.values()}
    assert "Budapest" in names
    for path in sorted((ROOT / "static" / "app").glob("*.js")):
        text = path.read_text(encoding="utf-8")
        assert not [n for n in names if n in text], f"{path.name} names a region"
