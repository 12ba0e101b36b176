"""Issue 16 item 7, in headless Chromium: the page shows a day's events in the order Python
sent and sorts nothing — served by Flask and exported to file://, panel and print alike.

The night crackdown (tests/data/time/martial-law.txt) is the case: "shortly after midnight"
opens 13 December, which a sort by time of day would put last ("midnight" ranks after
23:59 on the day it ends). Screenshots: artifacts/screenshots/day-order-*.png (gitignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from storymap.formats.html import export_html
from storymap.model import Story
from storymap.pipeline import build_story
from storymap.pipeline.timeorder import time_rank
from tests.browser.test_page import SHOTS, Page
from tests.helpers import offline_context, serve_story

pytestmark = pytest.mark.browser

TEXT = Path(__file__).resolve().parents[1] / "data" / "time" / "martial-law.txt"
DAY = "1981-12-13"
TITLES = """() => [...document.querySelectorAll('#sm-events > li.sm-event')].map(li =>
    li.querySelector('.sm-event-title').textContent)"""
PRINTED = """() => [...document.querySelectorAll('#sm-print .sm-print-title')].map(h =>
    h.lastChild.textContent)"""


@pytest.fixture(scope="module")
def story() -> Story:
    return build_story([TEXT])


def test_a_days_events_are_shown_in_the_order_python_sent(browser: Any, story: Story,
                                                          tmp_path: Path) -> None:
    sent = [e.title for e in story.events_on(DAY)]
    times = [e.time for e in story.events_on(DAY)]
    assert times[0] == "midnight" and len(sent) >= 5
    # A page sorting by time of day would not show this order: it is Python's.
    assert sorted(times, key=lambda t: time_rank(t)) != times
    export = tmp_path / "martial-law.html"
    export.write_text(export_html(story), encoding="utf-8")
    ctx = offline_context(browser, 1280, 900)
    try:
        for url in serve_story(story):
            _shows_in_order(ctx, f"{url}/?day={DAY}", sent, shot="day-order-panel")
        _shows_in_order(ctx, f"{export.as_uri()}#day={DAY}", sent, shot="day-order-file")
    finally:
        ctx.close()


def _shows_in_order(ctx: Any, url: str, sent: list[str], *, shot: str) -> None:
    pg = Page(ctx)
    page = pg.open(url)
    assert page.evaluate(TITLES) == sent
    labels = page.evaluate("""() => [...document.querySelectorAll('#sm-events .sm-time')]
        .map(n => n.textContent)""")
    assert labels[:2] == ["midnight", "02:00"], labels
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"))
    page.evaluate("window.print = () => {}")
    page.click("#sm-print-open")
    assert page.evaluate(PRINTED) == sent  # the hand-out prints the same order
    pg.check_clean()


def test_the_page_opens_on_the_main_phases_first_day_with_a_pin(browser: Any,
                                                               story: Story) -> None:
    ctx = offline_context(browser, 1280, 900)
    try:
        for url in serve_story(story):
            pg = Page(ctx)
            page = pg.open(url + "/")
            assert story.opening_day() == "1981-12-12"
            assert pg.text("#sm-date") == "Saturday, 12 December 1981"
            assert page.locator("path[data-place]").count() >= 1  # a pin on the map
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "day-order-opening.png"))
            pg.check_clean()
    finally:
        ctx.close()
