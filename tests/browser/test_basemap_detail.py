"""Issue 18: an offline map you can orient by, in headless Chromium, every tile request
aborted. A story in Dublin (far from every finer region) shows towns, division names,
rivers and its own labels from zoom 5 to 13, exported to file:// and served; the grey pins
of earlier days name their place on hover and on keyboard focus.

Screenshots go to artifacts/screenshots/ (gitignored): look at them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storymap.formats.html import export_html
from storymap.model import Story
from tests.browser.test_page import SHOTS, Page
from tests.browser.test_regions_map import PRAGUE
from tests.helpers import serve_story

pytestmark = pytest.mark.browser

DUBLIN = Path(__file__).resolve().parents[1] / "data" / "regions" / "dublin-1916.txt"
DAY = "1916-04-26"  # Ringsend and Drumcondra; Dublin, Rathmines and Kingstown before

LABELS = """() => [...document.querySelectorAll('.sm-label-text')].map(n => {
    const r = n.getBoundingClientRect();
    return [n.className, n.textContent, r.left, r.top, r.right, r.bottom]; })"""
# Basemap paths of a layer that cross the map's box (a path wholly outside draws nothing).
PATHS_IN_VIEW = """(layer) => {
    const map = document.getElementById('sm-map').getBoundingClientRect();
    return [...document.querySelectorAll('.leaflet-sm-basemap-pane path.sm-bm-' + layer)]
      .filter(p => { const r = p.getBoundingClientRect();
        return r.right > map.left && r.left < map.right && r.bottom > map.top && r.top < map.bottom;
      }).length; }"""


@pytest.fixture(scope="module")
def dublin() -> Story:
    from storymap import build_story

    return build_story([DUBLIN])


def zoom_to(page: Any, zoom: int) -> None:
    """Zoom the map with the keyboard (+ and -) until it shows ``zoom``; let labels settle."""
    page.wait_for_selector("#sm-map[data-zoom]", state="attached")
    for _ in range(16):
        now = int(page.get_attribute("#sm-map", "data-zoom") or -1)
        if now == zoom:
            break
        page.focus("#sm-map")
        page.keyboard.press("Equal" if now < zoom else "Minus")
        page.wait_for_function("(z) => document.getElementById('sm-map').dataset.zoom !== z",
                               arg=str(now))
    page.wait_for_timeout(500)  # the zoom animation, the labels' frame, the tiles' fetches
    assert page.get_attribute("#sm-map", "data-zoom") == str(zoom)


def no_overlaps(labels: list[Any]) -> None:
    boxes = [b[2:] for b in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b, labels)


def look_around(page: Any, name: str, zooms: tuple[int, ...]) -> dict[int, dict[str, Any]]:
    """At each zoom: the labels by kind, the rivers in view; a screenshot named ``name``."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    seen = {}
    for zoom in zooms:
        zoom_to(page, zoom)
        labels = page.evaluate(LABELS)
        no_overlaps(labels)
        kinds: dict[str, list[str]] = {}
        for cls, text, *_ in labels:
            for kind in ("town", "division", "waterway", "country", "place"):
                if f"sm-label-{kind}" in cls.split():
                    kinds.setdefault(kind, []).append(text)
        seen[zoom] = {"labels": kinds, "rivers": page.evaluate(PATHS_IN_VIEW, "waterway")}
        page.screenshot(path=str(SHOTS / f"{name}-z{zoom}.png"))
    return seen


def test_offline_dublin_file_shows_towns_rivers_and_labels_at_every_zoom(
        context: Any, dublin: Story, tmp_path: Path) -> None:  # fmt: skip
    path = tmp_path / "dublin.html"
    path.write_text(export_html(dublin), encoding="utf-8")
    pg = Page(context)
    page = pg.open(f"{path.as_uri()}#day={DAY}")
    page.wait_for_selector(".sm-offline-note")
    seen = look_around(page, "detail-dublin-file", (5, 7, 9, 11, 13))
    for zoom, found in seen.items():
        towns = found["labels"].get("town", [])
        assert len(towns) >= 5, (zoom, found)
        # The day's own places keep their labels: the detail's names give way to them.
        assert found["labels"].get("place"), (zoom, found)
    assert {"London", "Belfast"} <= set(seen[5]["labels"]["town"]), seen[5]
    assert {"Cork", "Galway"} & set(seen[7]["labels"]["town"]), seen[7]
    assert {"Bray", "Naas", "Malahide"} & set(seen[9]["labels"]["town"]), seen[9]
    assert {"Donnybrook", "Sandymount", "Rathgar", "Milltown"} & set(
        seen[13]["labels"]["town"]), seen[13]
    # Irish counties at mid zoom; rivers (the Shannon, the Barrow) out to zoom 9: Natural
    # Earth has no river through Dublin itself (the Prague test sees one at zoom 13).
    assert seen[9]["labels"].get("division"), seen[9]
    for zoom in (5, 7, 9):
        assert seen[zoom]["rivers"] > 0, (zoom, seen[zoom])
    credits = str(page.locator(".leaflet-control-attribution").text_content())
    assert "GeoNames" in credits and "Natural Earth" in credits
    pg.check_clean()


@pytest.fixture(scope="module")
def prague_server() -> Iterator[str]:
    from storymap import build_story

    yield from serve_story(build_story([PRAGUE]))


def test_served_map_fetches_the_tiles_of_the_view_and_draws_the_river_close_in(
        context: Any, prague_server: str) -> None:  # fmt: skip
    fetched: list[tuple[str, int]] = []
    context.on("response", lambda r: fetched.append((r.url, r.status))
               if "/basemap/detail/" in r.url else None)
    pg = Page(context)
    page = pg.open(f"{prague_server}/?day=1968-01-05")  # Prague alone
    page.wait_for_selector(".sm-offline-note")
    seen = look_around(page, "detail-prague-served", (7, 11, 13))
    for zoom in (7, 11, 13):
        assert len(seen[zoom]["labels"].get("town", [])) >= 3, (zoom, seen[zoom])
        assert seen[zoom]["rivers"] > 0, (zoom, seen[zoom])  # the Vltava through Prague
    assert "Vltava" in seen[11]["labels"].get("waterway", []) + seen[13]["labels"].get(
        "waterway", []), seen
    # Only what exists was asked for (the index lists the tiles), and few of them.
    assert fetched and all(status == 200 for _, status in fetched), fetched
    tiles = [u for u, _ in fetched if not u.endswith("index.json")]
    assert len(tiles) <= 24, tiles
    pg.check_clean()


def test_earlier_places_are_named_on_hover_and_keyboard_focus(context: Any,
                                                               dublin: Story) -> None:
    for url in serve_story(dublin):
        pg = Page(context)
        page = pg.open(f"{url}/?day={DAY}")
        earlier = [p.id for p in dublin.places if p.name in ("Rathmines", "Dublin")]
        assert len(earlier) == 2
        dot = page.locator(f".leaflet-overlay-pane path[data-place='{earlier[0]}']")
        dot.hover(force=True)
        page.wait_for_selector(".sm-tip")
        name = next(p.name for p in dublin.places if p.id == earlier[0])
        assert page.locator(".sm-tip").text_content() == name
        page.mouse.move(5, 5)
        page.wait_for_timeout(300)
        # The pins are one Tab stop; ↓ walks them, today's first, and names each one.
        page.evaluate("document.activeElement.blur()")
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate("!!document.activeElement.getAttribute('data-place')"):
                break
        focused = page.evaluate("document.activeElement.getAttribute('data-place')")
        today = {r.place_id for e in dublin.events if e.date == DAY for r in e.places}
        assert focused in today
        names: list[str] = []
        for _ in range(len(today) + 3):
            page.wait_for_timeout(300)  # a closed tooltip fades out for 200 ms
            names.append(str(page.locator(".sm-tip").text_content()))
            page.keyboard.press("ArrowDown")
        assert {"Rathmines", "Dublin", "Ringsend", "Drumcondra"} <= set(names), names
        assert page.locator("[data-place][tabindex='0']").count() == 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "detail-dublin-focus.png"))
        page.keyboard.press("Enter")
        page.wait_for_selector(".leaflet-popup")
        assert page.locator(".leaflet-popup .sm-popup-title").text_content() in {
            p.name for p in dublin.places}
        pg.check_clean()
