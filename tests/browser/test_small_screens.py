"""Small screens in a classroom (issue 18): the lesson platform's 560×315 embed, a 300×200
embed, and a phone in portrait — the built-in 1956 story, served, tiles refused.

At 560×315 every title and quote wraps between words and the date shows whole; at 300×200
the day's events are read on a card (a pin selects on it, no popup to clip) and the
map's credits fold behind an ⓘ; on a 375×667 phone the stepper is at most a fifth of the
screen. Screenshots: artifacts/screenshots/small-*.png (looked at when this was written).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from storymap.model import Story
from tests.browser.test_page import SHOTS, Page
from tests.helpers import offline_context, serve_story

pytestmark = pytest.mark.browser

#: Places in the text of the elements of ``selector`` where a line breaks inside a word.
MID_WORD = r"""(selector) => {
  const bad = [];
  document.querySelectorAll(selector).forEach(node => {
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    let top = null, before = '';
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      for (let i = 0; i < t.length; i++) {
        const r = document.createRange(); r.setStart(t, i); r.setEnd(t, i + 1);
        const rects = r.getClientRects();
        if (!rects.length) continue;
        const ch = t.data[i];
        if (top !== null && rects[0].top > top + 2 && !/\s/.test(ch) && !/[\s\-–\/]/.test(before))
          bad.push(t.data.slice(Math.max(0, i - 15), i) + '⏎' + t.data.slice(i, i + 10));
        top = rects[0].top; before = ch;
      }
    }
  });
  return bad;
}"""

#: True when the text of #sm-date is wholly inside its box (no ellipsis, no clipping).
DATE_WHOLE = """() => { const n = document.getElementById('sm-date');
  const r = document.createRange(); r.selectNodeContents(n);
  return r.getBoundingClientRect().width <= n.getBoundingClientRect().width
    && n.getBoundingClientRect().right <= innerWidth; }"""

#: Whether the element's middle is what the reader sees there (not covered, inside the frame).
ON_TOP = """(id) => { const b = document.getElementById(id).getBoundingClientRect();
  if (b.width === 0 || b.bottom > innerHeight || b.right > innerWidth || b.top < 0) return false;
  const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
  return !!hit && !!hit.closest('#' + id); }"""


#: The titles of a day's events in the order the page lists them.
DAY_TITLES = """(day) => window.storymap.steps.find(s => s.date === day).events.map(e => e.title)"""


@pytest.fixture(scope="module")
def server(builtin: Story) -> Iterator[str]:
    yield from serve_story(builtin)


def _busy_days(story: Story) -> list[str]:
    days = sorted({d for e in story.events for d in e.days()})
    return sorted(days, key=lambda d: -len(story.events_on(d)))[:6]


@pytest.mark.parametrize("lang", ["en", "hu"])
def test_at_560x315_titles_wrap_between_words_and_the_date_shows_whole(
        browser: Any, server: str, builtin: Story, lang: str) -> None:
    ctx = offline_context(browser, 560, 315)
    try:
        pg = Page(ctx)
        days = _busy_days(builtin)
        page = pg.open(f"{server}/embed?day={days[0]}&lang={lang}")
        for day in days:
            page.evaluate(f"window.storymap.go('{day}')")
            assert page.evaluate(DATE_WHOLE), (day, pg.text("#sm-date"))
            assert page.evaluate(ON_TOP, "sm-date"), day
            broken = page.evaluate(MID_WORD, "#sm-day-title, .sm-event-title, .sm-event-places, "
                                             ".sm-quote, .sm-cite, #sm-phase")
            assert broken == [], (day, broken)
        assert "1956" in page.evaluate("document.getElementById('sm-date').textContent")
        page.wait_for_timeout(700)
        page.screenshot(path=str(SHOTS / f"small-embed-560x315-{lang}.png"))
        pg.check_clean()
    finally:
        ctx.close()


def test_at_300x200_the_days_events_are_read_on_a_card(browser: Any, server: str,
                                                      builtin: Story) -> None:
    day = "1956-10-25"
    ctx = offline_context(browser, 300, 200)
    try:
        pg = Page(ctx)
        page = pg.open(f"{server}/embed?day={day}")
        titles = page.evaluate(DAY_TITLES, day)  # in the page's order of the day
        assert page.is_hidden("#sm-panel")
        assert page.evaluate(ON_TOP, "sm-card") and page.evaluate(ON_TOP, "sm-next")
        assert page.evaluate(DATE_WHOLE)
        assert pg.text("#sm-card .sm-card-title") == titles[0]
        assert pg.text(".sm-card-count") == f"1/{len(titles)}"
        page.click(".sm-card-next")
        assert pg.text("#sm-card .sm-card-title") == titles[1]
        # The credits are one ⓘ; open, they show; the card steps aside.
        assert page.is_hidden(".leaflet-control-attribution")
        page.click(".sm-credits-btn")
        assert page.is_visible(".leaflet-control-attribution")
        assert "OpenStreetMap" in pg.text(".leaflet-control-attribution")
        page.click(".sm-credits-btn")
        assert page.is_hidden(".leaflet-control-attribution")
        # A pin selects its events on the card instead of opening a popup the frame clips.
        pin = page.evaluate("""() => [...document.querySelectorAll('path[data-place]')]
            .find(n => n.getAttribute('fill') === '#b3261e').getAttribute('data-place')""")
        page.locator(f'path[data-place="{pin}"]').dispatch_event("click")
        assert page.locator(".leaflet-popup").count() == 0
        shown = pg.text("#sm-card .sm-card-title")
        assert any(shown == e.title and pin in {r.place_id for r in e.places}
                   for e in builtin.events_on(day)), (pin, shown)
        page.wait_for_timeout(600)
        page.screenshot(path=str(SHOTS / "small-embed-300x200.png"))
        page.click("#sm-next")
        assert pg.text("#sm-card .sm-card-title") == page.evaluate(DAY_TITLES, "1956-10-26")[0]
        assert pg.text(".sm-card-count").startswith("1/")
        pg.check_clean()
    finally:
        ctx.close()


def test_a_frame_that_grows_trades_its_card_for_the_panel(browser: Any, server: str) -> None:
    ctx = offline_context(browser, 300, 200)
    try:
        pg = Page(ctx)
        page = pg.open(f"{server}/embed?day=1956-11-04&lang=hu")
        assert page.is_visible("#sm-card") and page.is_visible(".sm-credits-btn")
        page.set_viewport_size({"width": 560, "height": 315})
        page.wait_for_timeout(200)
        assert page.is_hidden("#sm-card") and page.is_visible("#sm-panel")
        assert page.is_visible(".leaflet-control-attribution")
        assert page.evaluate(DATE_WHOLE)
        pg.check_clean()
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["en", "hu"])
def test_on_a_phone_the_stepper_is_at_most_a_fifth_of_the_screen(browser: Any, server: str,
                                                                lang: str) -> None:
    ctx = offline_context(browser, 375, 667, is_mobile=True, has_touch=True,
                          device_scale_factor=2)
    try:
        pg = Page(ctx)
        page = pg.open(f"{server}/?day=1956-10-25&lang={lang}")
        for _ in range(3):  # a day, and steps of other phases with longer labels
            bar = page.evaluate("document.querySelector('.sm-controls').getBoundingClientRect()"
                                ".toJSON()")
            assert bar["height"] <= 667 / 5 and bar["bottom"] <= 667 + 0.5, bar
            assert page.evaluate(DATE_WHOLE)
            page.click("#sm-prev")
        map_box = page.evaluate("document.getElementById('sm-map').getBoundingClientRect()"
                                ".toJSON()")
        assert map_box["height"] >= 0.5 * 667, map_box
        # Speed and "Earlier places" are one tap away, above the stepper.
        assert page.is_hidden("#sm-speed")
        page.click("#sm-more")
        assert page.get_attribute("#sm-more", "aria-expanded") == "true"
        assert page.is_visible("#sm-speed") and page.is_visible("#sm-sofar")
        assert page.evaluate(ON_TOP, "sm-speed")
        page.screenshot(path=str(SHOTS / f"small-phone-375x667-{lang}.png"))
        page.click("#sm-sofar")
        assert "earlier=0" in page.url
        page.click("#sm-more")
        assert page.is_hidden("#sm-speed")
        pg.check_clean()
    finally:
        ctx.close()
