"""A generated story of 10,000 events served (issue 19.5), in headless Chromium.

The page carries the events' dates and places and fetches each step's words as it shows
it (the steps around it ahead of time); earlier places cluster by zoom. Budgets: ready
≤ 2 s from navigation, next day ≤ 50 ms in the page with its events shown at once, the
slider as fluid. The machine is shared and noisy: ready is the best of three fresh loads
(the least disturbed), a step the median of ten. Screenshot: artifacts/screenshots/
big-story-10000.png (looked at when this was written).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from typing import Any

import pytest

from storymap.model import Story
from tests.browser.test_page import SHOTS, Page
from tests.helpers import generated_story, offline_context, serve_story

pytestmark = pytest.mark.browser

READY_MS = 2000
STEP_MS = 50


@pytest.fixture(scope="module")
def big() -> Story:
    return generated_story(10_000)


@pytest.fixture(scope="module")
def server(big: Story) -> Iterator[str]:
    """The story served as `storymap serve` serves it: its pages made before the first visit."""
    yield from serve_story(big, warmed=True)


def _ready(page: Any) -> float:
    return float(page.evaluate("performance.getEntriesByName('storymap:ready')[0].startTime"))


def test_ten_thousand_events_are_ready_in_two_seconds_and_step_in_fifty_ms(
        browser: Any, server: str, big: Story) -> None:
    ready: list[float] = []
    for _ in range(3):
        ctx = offline_context(browser, 1280, 800)
        try:
            pg = Page(ctx)
            page = pg.open(server + "/?day=1914-11-20")
            ready.append(_ready(page))
            # Late in the year: most places are earlier places, drawn as clusters.
            assert page.locator(".sm-cluster").count() > 5
            assert page.locator("path.leaflet-interactive").count() < 400
            pg.check_clean()
        finally:
            ctx.close()
    assert min(ready) <= READY_MS, ready

    ctx = offline_context(browser, 1280, 800)
    try:
        pg = Page(ctx)
        page = pg.open(server + "/?day=1914-06-28")
        page.wait_for_selector("#sm-events .sm-event")  # the first day's words
        page.wait_for_timeout(500)  # the days around it are fetched ahead
        page.evaluate("performance.clearMeasures('storymap:step')")
        for _ in range(10):
            page.click("#sm-next")
            # The day's events are there at once: fetched ahead, never "Loading…".
            assert page.locator("#sm-events .sm-loading").count() == 0
            date = page.evaluate("window.storymap.steps.find(s => s.date === "
                                 "new URL(location.href).searchParams.get('day')).date")
            shown = page.locator("#sm-events .sm-event-title").all_text_contents()
            assert sorted(shown) == sorted(e.title for e in big.events_on(date)), date
            page.wait_for_timeout(150)  # a reader's pace
        steps = page.evaluate("performance.getEntriesByName('storymap:step').map(m => m.duration)")
        assert len(steps) == 10 and statistics.median(steps) <= STEP_MS, steps
        page.screenshot(path=str(SHOTS / "big-story-10000.png"))
        pg.check_clean()
    finally:
        ctx.close()


def test_the_slider_stays_fluid_and_its_resting_day_gets_its_words(browser: Any,
                                                                   server: str) -> None:
    ctx = offline_context(browser, 1280, 800)
    try:
        pg = Page(ctx)
        page = pg.open(server + "/?day=1914-03-01")
        page.evaluate("performance.clearMeasures('storymap:step')")
        # Drag across two months, one input event a frame, as a pointer does.
        page.evaluate("""async () => {
            const s = document.getElementById('sm-slider');
            const from = +s.value;
            for (let k = 1; k <= 60; k++) {
                s.value = String(from + k * 2.6);
                s.dispatchEvent(new Event('input', { bubbles: true }));
                await new Promise(r => requestAnimationFrame(r));
            }
            s.dispatchEvent(new Event('change', { bubbles: true }));
        }""")
        steps = page.evaluate("performance.getEntriesByName('storymap:step').map(m => m.duration)")
        assert len(steps) >= 40 and statistics.median(steps) <= STEP_MS, steps
        # Only the day it rests on asks for its words, and shows them.
        page.wait_for_selector("#sm-events .sm-event")
        assert "day=1914-0" in page.url
        pg.check_clean()
    finally:
        ctx.close()


def test_a_cluster_zooms_in_and_a_busy_places_list_opens(browser: Any, server: str,
                                                         big: Story) -> None:
    ctx = offline_context(browser, 1280, 800)
    try:
        pg = Page(ctx)
        page = pg.open(server + "/?day=1914-10-01")
        page.wait_for_selector("#sm-events .sm-event")
        # A cluster zooms in to its places (Leaflet's zoom proxy scales by 2^zoom).
        scale = ("+/scale\\(([\\d.e+-]+)/"
                 ".exec(document.querySelector('.leaflet-proxy').style.transform)[1]")
        before = page.evaluate(scale)
        page.locator(".sm-cluster").first.click()
        page.wait_for_timeout(900)  # the zoom's animation
        assert page.evaluate(scale) > before
        # The busiest place's list: every one of its events, fetched when asked for.
        page.locator(".sm-place-link", has_text="Town 0").first.click()
        page.wait_for_selector(".leaflet-popup")
        page.locator(".leaflet-popup .sm-btn").click()
        # (A selector, not a function: the page's CSP refuses Playwright's polled eval.)
        page.wait_for_selector("#sm-place-events li:nth-child(500) button")
        count = sum(1 for e in big.events if any(r.place_id == "p00000" for r in e.places))
        assert page.locator("#sm-place-events li").count() == count
        pg.check_clean()
    finally:
        ctx.close()
