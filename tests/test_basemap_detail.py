"""The offline basemap's detail by zoom (issue 18): the tiles on disk, what a page is told of
them, and what a standalone file carries (the story's own area; the built-in story's file
within its 600 KB budget)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from storymap.geo.lines import decode_line
from storymap.model import Story
from storymap.outputs import assets
from storymap.outputs.basemapdetail import detail_features, detail_index, view_box
from storymap.outputs.mapview import basemap_data, map_view

DUBLIN = Path(__file__).parent / "data" / "regions" / "dublin-1916.txt"
BUDGET = 600 * 1024  # the standalone file of the built-in story (README, "Measuring")


@pytest.fixture(scope="module")
def dublin() -> Story:
    from storymap import build_story

    return build_story([DUBLIN])


def test_every_tile_the_index_lists_exists_and_says_its_zooms() -> None:
    index = detail_index("detail")
    assert index is not None
    bands = index["bands"]
    assert [b["zooms"][0] for b in bands] == sorted(b["zooms"][0] for b in bands)
    assert min(b["zooms"][0] for b in bands) == 5 and max(b["zooms"][1] for b in bands) == 13
    folder = assets.data_dir("static") / "basemap" / "detail"
    for band in bands:
        n, key, listed = 2 ** band["tile_zoom"], 0, set()
        for delta in band["tiles"]:
            assert delta > 0 or key == 0  # sorted, each once
            key += delta
            listed.add(f"{key // n}-{key % n}.json")
        on_disk = {p.name for p in (folder / band["id"]).iterdir()}
        assert listed == on_disk, band["id"]
        sample = json.loads((folder / band["id"] / sorted(on_disk)[0]).read_text("utf-8"))
        for feature in sample["features"]:
            least, most = feature["properties"]["zooms"]
            assert band["zooms"][0] <= least <= most <= band["zooms"][1]
            assert feature["properties"]["layer"] in {"town", "division", "waterway"}


def test_a_town_tile_names_the_big_towns_first(dublin: Story) -> None:
    features = detail_features("detail", [(53.35, -6.26)])
    towns = [f for f in features if f["properties"]["layer"] == "town"]
    assert towns
    for town in towns:
        names, start = town["properties"]["names"], town["properties"]["from"]
        assert len(names) == len(start) and start == sorted(start)
    near = {n for t in towns if t["properties"]["zooms"][0] == 11 for n in t["properties"]["names"]}
    assert {"Rathmines", "Sandymount", "Howth"} <= near
    far = {n for t in towns for n in t["properties"]["names"]}
    assert "Tokyo" not in far and "Moscow" not in far  # beyond a view at zoom 5


def test_the_page_is_told_where_the_detail_is_and_how_far_in_it_goes(dublin: Story) -> None:
    detail = map_view(dublin)["detail"]
    assert detail["index"] == "detail/index.json" and detail["zoom"] == 13
    assert {c["name"] for c in detail["credits"]} == {"GeoNames", "Natural Earth"}


def test_a_standalone_file_carries_the_detail_of_its_own_area_only(dublin: Story) -> None:
    data = basemap_data(dublin)
    assert data["detail_zoom"] == 13
    layers = {f["properties"]["layer"] for f in data["features"]}
    assert {"town", "division", "waterway", "land", "border"} <= layers
    # Points kept are within a view of the story's places at their band's least zoom.
    for feature in data["features"]:
        if feature["properties"]["layer"] != "town":
            continue
        west, south, east, north = view_box(53.3, -6.3, feature["properties"]["zooms"][0])
        for lon, lat in decode_line(feature["geometry"]["coordinates"],
                                    feature["geometry"]["precision"]):
            assert west - 1 <= lon <= east + 1 and south - 1 <= lat <= north + 1
    size = len(json.dumps(data).encode())
    assert size < 400_000, size


def test_the_built_in_story_file_stays_within_its_budget() -> None:
    """Its regions draw their own detail (Hungary's rivers, Budapest's districts), so the
    file carries none of the world's, and stays under 600 KB (README, "Measuring")."""
    from storymap.formats.html import export_html
    from storymap.pipeline import build_story, builtin_texts

    story = build_story(builtin_texts())
    assert "detail_zoom" not in basemap_data(story)
    html = export_html(story).encode("utf-8")
    assert len(html) <= BUDGET, f"{len(html):,} bytes, budget {BUDGET:,}"
    text = html.decode("utf-8")
    data = re.search(r'id="basemap-data">(.*?)</script>', text, re.S)
    assert data is not None and '"layer":"district"' in data.group(1)
