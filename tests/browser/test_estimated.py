"""Issue 15, in headless Chromium: a place no data knows, estimated from the places the
text names beside it, is shown as approximate — a hollow dashed ring, never a solid pin —
and its name and popup say so and from what its point is borrowed.

The story is exported to file:// and opened offline. Screenshots go to
artifacts/screenshots/ (gitignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from storymap.formats.html import export_html
from storymap.pipeline import SourceText, build_story_from_texts
from tests.browser.test_page import SHOTS, Page
from tests.helpers import offline_context

pytestmark = pytest.mark.browser

TEXT = ("On 10 July 1863 General Gillmore's troops crossed from Folly Island to Morris "
        "Island, near Charleston. On 18 July 1863 the assault failed, and the wounded were "
        "carried from Charleston to Beaufort and Hilton Head.")


def test_an_estimated_place_is_drawn_and_named_as_approximate(browser: Any,
                                                                tmp_path: Path) -> None:
    story = build_story_from_texts([SourceText(id="morris", text=TEXT)])
    places = {p.name: p for p in story.places}
    island, town = places["Morris Island"], places["Charleston"]
    assert island.estimated and not town.estimated
    assert (island.lat, island.lon) == (town.lat, town.lon)  # borrowed, never invented
    assert "estimated" in island.source and "Charleston" in island.source
    path = tmp_path / "morris.html"
    path.write_text(export_html(story), encoding="utf-8")
    ctx = offline_context(browser, 1280, 800)
    try:
        pg = Page(ctx)
        page = pg.open(f"{path.as_uri()}#day=1863-07-10")
        ring = page.locator(f'path[data-place="{island.id}"]')
        pin = page.locator(f'path[data-place="{town.id}"]')
        ring.wait_for(state="attached")
        page.wait_for_timeout(400)
        # a dashed, nearly hollow ring for the estimate; the town's pin stays solid
        assert ring.get_attribute("stroke-dasharray")
        assert float(ring.get_attribute("fill-opacity") or 1) < 0.3
        assert not pin.get_attribute("stroke-dasharray")
        assert float(pin.get_attribute("fill-opacity") or 0) > 0.9
        ring_box, pin_box = ring.bounding_box(), pin.bounding_box()
        assert ring_box and pin_box and ring_box["width"] > pin_box["width"] + 6  # rings it
        # the day's event names it so too, and the town plainly
        links = page.locator(".sm-place-link").all_inner_texts()
        assert "Morris Island (approximate)" in links and "Charleston" in links, links
        # its name says so, for the eye (tooltip) and for a screen reader
        assert ring.get_attribute("aria-label") == "Morris Island (approximate)"
        assert pin.get_attribute("aria-label") == "Charleston"
        # the three share Charleston's point: one stack, led by the place the data knows,
        # its list saying which are approximate
        label = page.locator(".sm-label-place")
        assert label.inner_text() == "Charleston +2"
        page.locator(".sm-stack").click()
        page.wait_for_timeout(600)
        items = page.locator(".sm-stack-list button").all_inner_texts()
        assert sorted(items) == ["Charleston", "Folly Island (approximate)",
                                 "Morris Island (approximate)"], items
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "estimated-stack-1863-07-10.png"))
        page.locator(".leaflet-popup-close-button").click()
        page.locator(".leaflet-popup").wait_for(state="detached")
        ring.focus()
        page.keyboard.press("Enter")
        popup = page.locator(".leaflet-popup .sm-popup")
        popup.wait_for()
        page.wait_for_timeout(600)  # the popup fades in
        note = popup.locator(".sm-popup-estimated")
        assert note.locator("strong").inner_text() == "Approximate place, estimated:"
        assert "put at Charleston" in note.inner_text()
        page.screenshot(path=str(SHOTS / "estimated-morris-island-1863-07-10.png"))
        # In Hungarian the words are the page's own; the source stays as written.
        page.select_option("#sm-lang", "hu")
        page.wait_for_timeout(400)
        page.keyboard.press("Escape")
        pin.focus()
        ring.focus()  # a focused pin shows its name and tells it to a screen reader
        page.get_by_role("tooltip", name="Morris Island (hozzávetőleges)").wait_for()
        assert ring.get_attribute("aria-label") == "Morris Island (hozzávetőleges)"
        # a later day: the estimates stay as earlier places, grey dashed rings around
        # Charleston's pin (no stack: only today's pins stack)
        page.locator(".leaflet-popup-close-button").click()
        page.select_option("#sm-lang", "en")
        page.evaluate("location.hash = '#day=1863-07-18'")
        page.locator(".sm-label-place").filter(has_text="Beaufort").wait_for()
        page.wait_for_timeout(600)
        assert ring.get_attribute("stroke-dasharray")
        assert float(ring.get_attribute("fill-opacity") or 1) < 0.3
        page.screenshot(path=str(SHOTS / "estimated-rings-1863-07-18.png"))
        pg.check_clean()
    finally:
        ctx.close()
