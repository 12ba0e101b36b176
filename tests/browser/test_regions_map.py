"""The map goes where the story is: a story set in Prague, served and exported, in Chromium.

Every request that is not to 127.0.0.1, file: or data: is aborted (no tiles), so the page
draws its offline basemap: for this story the world's land and borders only, never a
Budapest layer. Screenshots go to artifacts/screenshots/ (gitignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storymap.formats.html import export_html
from storymap.model import Story
from tests.browser.test_page import SHOTS, Page
from tests.helpers import serve_story

pytestmark = pytest.mark.browser

PRAGUE = Path(__file__).resolve().parents[1] / "data" / "regions" / "prague-1968.txt"
KEY_DAY = "1968-08-21"
KEY_PLACES = ("Prague", "Brno", "Bratislava")  # the key day's places, by name

# Where a place's marker sits in the map, as fractions of the map's width and height.
MARKER_AT = """(id) => {
    const map = document.getElementById('sm-map').getBoundingClientRect();
    const dot = document.querySelector(`.leaflet-overlay-pane path[data-place="${id}"]`);
    if (!dot) return null;
    const r = dot.getBoundingClientRect();
    return [(r.left + r.width / 2 - map.left) / map.width,
            (r.top + r.height / 2 - map.top) / map.height];
}"""
BASEMAP_PATHS = "document.querySelectorAll('.leaflet-sm-basemap-pane path').length"


@pytest.fixture(scope="module")
def prague() -> Story:
    from storymap import build_story

    return build_story([PRAGUE])


@pytest.fixture(scope="module")
def server(prague: Story) -> Iterator[str]:
    yield from serve_story(prague)


def _ids(story: Story) -> list[str]:
    ids = [p.id for p in story.places if p.name in KEY_PLACES]
    assert len(ids) == len(KEY_PLACES), ids
    return ids


def _inside(at: Any, margin: float = 0.1) -> bool:
    return at is not None and margin < at[0] < 1 - margin and margin < at[1] < 1 - margin


def test_exported_story_elsewhere_opens_at_its_city(context: Any, prague: Story,
                                                    tmp_path: Path) -> None:  # fmt: skip
    path = tmp_path / "prague.html"
    path.write_text(export_html(prague), encoding="utf-8")
    pg = Page(context)
    page = pg.open(path.as_uri())
    page.wait_for_selector(".sm-offline-note")
    page.wait_for_function(f"() => {BASEMAP_PATHS} > 0")
    page.wait_for_timeout(300)  # let the first fit settle
    # It opens on its main phase (20 August, a day without places): the view is where the
    # story happens, Prague's dot (from January) on the map, not off in Hungary.
    at = page.evaluate(MARKER_AT, "prague")
    assert _inside(at, 0.0), at
    # The world's land and borders (and the detail: towns, rivers), nothing of Budapest.
    assert page.locator(".sm-bm-land").count() == 1 and page.locator(".sm-bm-border").count() == 1
    assert page.locator(".sm-bm-district, .sm-bm-city, .sm-bm-river-city").count() == 0
    assert "Budapest" not in str(page.locator(".leaflet-control-attribution").text_content())
    page.goto(f"{path.as_uri()}#day={KEY_DAY}")
    page.wait_for_function(
        "() => document.getElementById('sm-date').textContent.includes('21 August')")
    page.wait_for_timeout(400)
    for place in _ids(prague):
        assert _inside(page.evaluate(MARKER_AT, place)), place
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "prague-1968-key-day-offline.png"))
    about = page.locator("#sm-about").text_content() if page.locator("#sm-about").count() else ""
    assert "Budapest" not in str(about) and "Hungarian Revolution" not in str(about)
    pg.check_clean()


def test_served_story_elsewhere_fetches_only_the_world_basemap(context: Any, server: str,
                                                               prague: Story) -> None:  # fmt: skip
    fetched: list[str] = []
    context.on("request", lambda r: fetched.append(r.url) if "/basemap/" in r.url else None)
    pg = Page(context)
    page = pg.open(f"{server}/?day={KEY_DAY}")
    page.wait_for_selector(".sm-offline-note")
    page.wait_for_function(f"() => {BASEMAP_PATHS} > 0")
    page.wait_for_timeout(300)
    # The regions' files: the world's only (the detail's tiles are under basemap/detail/).
    assert [u.rsplit("/", 1)[1] for u in fetched if "/detail/" not in u] == ["world.json"]
    for place in _ids(prague):
        assert _inside(page.evaluate(MARKER_AT, place)), place
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "prague-1968-served.png"))
    pg.check_clean()


def test_place_names_follow_the_page_language(context: Any, server: str) -> None:
    pg = Page(context)
    page = pg.open(f"{server}/?day={KEY_DAY}&lang=hu")
    link = page.locator(".sm-place-link[data-place='prague']").first
    assert link.text_content() == "Prága"  # names.hu of places/world.yaml
    page = pg.open(f"{server}/?day={KEY_DAY}&lang=en")
    assert page.locator(".sm-place-link[data-place='prague']").first.text_content() == "Prague"
    pg.check_clean()
