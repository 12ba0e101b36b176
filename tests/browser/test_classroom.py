"""The map in a classroom, in headless Chromium: small embeds, phone, projector, paper.

Served by the Flask app (the small story, and the built-in 1956 story where a real day's
crowd matters) and exported to file://. Every request that is not local is aborted, so
tiles fail and the offline basemap is what is drawn. Screenshots of the embed, phone,
presenter and print views go to artifacts/screenshots/classroom-*.png (gitignored).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storymap.formats.html import export_html
from storymap.formats.notebook import to_folium
from storymap.model import Story
from tests.browser.test_page import READY, SHOTS, Page
from tests.helpers import offline_context, serve_directory, serve_story

pytestmark = pytest.mark.browser

NEXT_ON_TOP = """() => {
  const b = document.getElementById('sm-next').getBoundingClientRect();
  const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
  return hit && hit.closest('#sm-next') ? 'sm-next' : (hit ? hit.outerHTML.slice(0, 80) : null);
}"""


@pytest.fixture(scope="module")
def server(story: Story) -> Iterator[str]:
    """The small story, served on 127.0.0.1."""
    yield from serve_story(story)


@pytest.fixture(scope="module")
def big_server(builtin: Story) -> Iterator[str]:
    """The built-in 1956 story, served on 127.0.0.1."""
    yield from serve_story(builtin)


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"classroom-{name}.png"))


# -- embeds ------------------------------------------------------------------------------
@pytest.mark.parametrize(("width", "height"), [(560, 315), (320, 240), (300, 200)])
def test_a_small_embed_keeps_next_on_top_and_steps(browser: Any, server: str, width: int,
                                                   height: int) -> None:
    ctx = offline_context(browser, width, height)
    try:
        pg = Page(ctx)
        page = pg.open(server + "/embed?day=1956-10-24")
        assert page.evaluate(NEXT_ON_TOP) == "sm-next"
        assert page.locator("#sm-open-full").is_visible()
        page.click("#sm-next")
        assert "1 Nov" in pg.text("#sm-date")  # shortened to fit a small frame
        page.wait_for_timeout(800)  # the map's flight to the new day
        _shot(page, f"embed-{width}x{height}")
        pg.check_clean()
    finally:
        ctx.close()


def test_a_video_sized_iframe_steps_and_opens_the_full_map(browser: Any, server: str,
                                                           tmp_path: Path) -> None:
    # The lesson page is served too: frame-ancestors * admits http(s) hosts, not about:blank.
    (tmp_path / "lesson.html").write_text(
        f'<iframe src="{server}/embed?day=1956-11-01" width="560" height="315" '
        'style="border:0" title="map"></iframe>', encoding="utf-8")
    ctx = offline_context(browser, 900, 500)
    try:
        with serve_directory(tmp_path) as port:
            page = ctx.new_page()
            page.goto(f"http://127.0.0.1:{port}/lesson.html")
            frame = page.wait_for_selector("iframe").content_frame()
            frame.wait_for_function(READY)
            assert frame.evaluate(NEXT_ON_TOP) == "sm-next"
            frame.click("#sm-next")
            assert "2 November" in str(frame.locator("#sm-date").text_content())
            frame.focus("#sm-open-full")
            href = frame.get_attribute("#sm-open-full", "href")
            assert href == f"{server}/?day=1956-11-02"  # the full page, at the day shown
            _shot(page, "iframe-560x315")
    finally:
        ctx.close()


def test_the_standalone_file_embeds_small_too(browser: Any, story: Story, tmp_path: Path) -> None:
    out = tmp_path / "story.html"
    out.write_text(export_html(story), encoding="utf-8")
    ctx = offline_context(browser, 320, 240)
    try:
        pg = Page(ctx)
        page = pg.open(out.as_uri() + "#embed&day=1956-10-23")
        assert page.evaluate(NEXT_ON_TOP) == "sm-next"
        page.click("#sm-next")
        assert "event=e2" in page.url
        pg.check_clean()
    finally:
        ctx.close()


def test_the_offline_files_share_link_is_no_local_path(browser: Any, story: Story,
                                                       tmp_path: Path) -> None:
    out = tmp_path / "lesson" / "story.html"
    out.parent.mkdir()
    out.write_text(export_html(story), encoding="utf-8")
    ctx = offline_context(browser, 1280, 800)
    try:
        pg = Page(ctx)
        page = pg.open(out.as_uri() + "#day=1956-11-01")
        page.click("#sm-share-open")
        link = page.input_value("#sm-share-link")
        assert link.startswith("story.html#day=1956-11-01"), link
        assert "file:" not in link and str(tmp_path) not in page.input_value("#sm-share-embed")
        assert page.locator("#sm-share-note").is_visible()
    finally:
        ctx.close()


# -- order and the opening step -------------------------------------------------------------
def test_the_story_opens_on_its_main_phase_with_the_background_one_step_back(
        context: Any, server: str) -> None:
    pg = Page(context)
    page = pg.open(server + "/")
    assert pg.text("#sm-date") == "Thursday, 1 November 1956"  # main phase: 1–4 November
    page.click("#sm-prev")
    assert pg.text("#sm-phase").startswith("Background")
    # The slider gives the main phase most of its width, with a break where it starts.
    widths = page.evaluate("""() => [...document.querySelectorAll('.sm-bar')].map(b =>
        [b.className, b.getBoundingClientRect().width])""")
    main = sum(w for c, w in widths if "sm-bar-main" in c)
    assert main > 0.6 * sum(w for _, w in widths)
    assert page.locator(".sm-phase-start").count() == 2  # background | main | aftermath
    pg.check_clean()


def test_a_days_events_are_in_time_order_with_what_continues_below(browser: Any,
                                                                   big_server: str) -> None:
    from storymap.pipeline.timeorder import time_rank

    ctx = offline_context(browser, 1280, 900)
    try:
        pg = Page(ctx)
        page = pg.open(big_server + "/?day=1956-11-04")
        rows = page.evaluate("""() => [...document.querySelectorAll('#sm-events > li')].map(li =>
            [li.className, (li.querySelector('.sm-time') || {}).textContent || ''])""")
        times = [time_rank(t) for c, t in rows if "sm-event" in c and t and "continuing" not in c]
        assert len(times) >= 8
        assert times == sorted(times), rows
        kinds = [c for c, _ in rows]
        head = kinds.index("sm-continuing-head")
        assert all("sm-continuing" not in c for c in kinds[:head])
        assert all("sm-continuing" in c for c in kinds[head + 1:])
        pg.check_clean()
    finally:
        ctx.close()


def test_a_range_is_news_on_its_first_day_and_continuing_after(browser: Any,
                                                                big_server: str) -> None:
    """Khrushchev's trip (1–3 November 1956) is the news of 1 November, continuing on the 2nd."""
    ctx = offline_context(browser, 1280, 900)
    try:
        pg = Page(ctx)
        rows = {}
        for day in ("1956-11-01", "1956-11-02"):
            page = pg.open(big_server + f"/?day={day}")
            rows[day] = page.evaluate("""() => [...document.querySelectorAll('#sm-events > li')]
                .map(li => [li.className, li.textContent])""")
        def trip(day: str) -> list[str]:
            return [c for c, t in rows[day] if "Khrushchev left Moscow" in t]
        assert trip("1956-11-01") and all("sm-continuing" not in c for c in trip("1956-11-01"))
        assert trip("1956-11-02") and all("sm-continuing" in c for c in trip("1956-11-02"))
        pg.check_clean()
    finally:
        ctx.close()


def test_the_hungarian_ui_translates_time_tags_but_marks_quotes_english(
        browser: Any, big_server: str) -> None:
    ctx = offline_context(browser, 1280, 800)
    try:
        pg = Page(ctx)
        page = pg.open(big_server + "/?day=1956-11-04&lang=hu")
        tags = page.evaluate("[...document.querySelectorAll('#sm-events .sm-time')]"
                             ".map(n => n.textContent)")
        assert "kora reggel" in tags and "este" in tags and "evening" not in tags
        assert page.evaluate("document.documentElement.lang") == "hu"
        langs = page.evaluate("[...document.querySelectorAll('.sm-quote')].map(n => n.lang)")
        assert langs and set(langs) == {"en"}
        pg.check_clean()
    finally:
        ctx.close()


def test_about_lists_each_dataset_once(context: Any, server: str) -> None:
    pg = Page(context)
    page = pg.open(server + "/")
    page.click("#sm-about-open")
    items = page.evaluate("[...document.querySelectorAll('#sm-about .sm-about-list li')]"
                          ".map(li => li.textContent)")
    for dataset in ("GeoNames", "OpenStreetMap", "Natural Earth", "Leaflet"):
        assert sum(dataset in item for item in items) == 1, (dataset, items)
    pg.check_clean()


def test_earlier_places_off_is_kept_on_reload(context: Any, server: str) -> None:
    pg = Page(context)
    page = pg.open(server + "/?day=1956-11-02")
    page.click("#sm-sofar")
    assert "earlier=0" in page.url
    page.reload()
    page.wait_for_function(READY)
    assert page.is_checked("#sm-sofar") is False
    pg.check_clean()


# -- keys and the projector ------------------------------------------------------------------
def test_page_down_and_arrows_step_whatever_has_focus(context: Any, server: str) -> None:
    pg = Page(context)
    page = pg.open(server + "/?day=1956-11-01")
    page.keyboard.press("PageDown")
    assert pg.text("#sm-date") == "Friday, 2 November 1956"
    page.click("#sm-map", position={"x": 30, "y": 300})  # the map has focus: Leaflet's arrows
    centre = page.evaluate("document.querySelector('.leaflet-map-pane').style.transform")
    page.keyboard.press("ArrowRight")
    assert pg.text("#sm-date") == "Saturday, 3 November 1956"
    assert page.evaluate("document.querySelector('.leaflet-map-pane').style.transform") == centre
    page.keyboard.press("PageUp")
    assert pg.text("#sm-date") == "Friday, 2 November 1956"
    page.focus("#sm-play")
    page.keyboard.press("PageDown")
    assert pg.text("#sm-date") == "Saturday, 3 November 1956"
    page.focus("#sm-speed")  # a form field keeps its keys
    page.keyboard.press("PageDown")
    assert pg.text("#sm-date") == "Saturday, 3 November 1956"
    pg.check_clean()


def test_presenter_mode_reveals_a_days_events_one_by_one(browser: Any, big_server: str) -> None:
    ctx = offline_context(browser, 1920, 1080)
    try:
        pg = Page(ctx)
        page = pg.open(big_server + "/?day=1956-11-04&present")
        visible = "document.querySelectorAll('#sm-events .sm-event:not(.sm-later)').length"
        assert page.evaluate(visible) == 1
        size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        assert size >= 22  # large type
        page.keyboard.press("PageDown")
        page.keyboard.press("PageDown")
        assert page.evaluate(visible) == 3
        assert "present" in page.url
        assert pg.text("#sm-date").endswith("4 November 1956")
        _shot(page, "presenter-1920")
        page.keyboard.press("PageUp")
        assert page.evaluate(visible) == 2
        pg.check_clean()
    finally:
        ctx.close()


def test_presenter_mode_hides_the_skip_link_until_it_has_focus(browser: Any,
                                                                big_server: str) -> None:
    """Large type made the skip link taller than its offset: its frame showed at the top."""
    ctx = offline_context(browser, 1920, 1080)
    try:
        pg = Page(ctx)
        page = pg.open(big_server + "/?present&day=1956-11-04")
        skip = "document.querySelector('.sm-skip').getBoundingClientRect().bottom"
        assert page.evaluate(skip) <= 0
        page.keyboard.press("Tab")  # the first stop: the skip link, now in sight
        assert page.evaluate("document.activeElement.className") == "sm-skip"
        assert page.evaluate(skip) > 0
        pg.check_clean()
    finally:
        ctx.close()


# -- phone ------------------------------------------------------------------------------
def test_at_375px_a_popup_fits_and_the_stepper_stays(browser: Any, big_server: str) -> None:
    ctx = offline_context(browser, 375, 740, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        pg = Page(ctx)
        page = pg.open(big_server + "/?day=1956-11-04")
        page.evaluate("window.scrollTo(0, 1400)")
        assert page.locator("#sm-next").is_visible()  # the stepper did not scroll away
        page.locator(".sm-place-link").first.click()  # below the map: it is brought into view
        page.wait_for_timeout(700)  # the popup's pan into view
        box = page.evaluate("""() => {
            const r = document.querySelector('.leaflet-popup').getBoundingClientRect();
            const b = document.querySelector('.leaflet-popup .sm-btn').getBoundingClientRect();
            const a = document.querySelector('.leaflet-control-attribution')
                .getBoundingClientRect();
            return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, w: innerWidth,
                    h: innerHeight, button: b.bottom, attribution: a.top};
        }""")
        assert box["left"] >= 0 and box["right"] <= box["w"], box
        assert box["top"] >= 0 and box["bottom"] <= box["h"], box
        assert box["button"] <= box["attribution"], box
        _shot(page, "phone-375")
        pg.check_clean()
    finally:
        ctx.close()


PIN_AND_ATTRIBUTION = """(id) => {
    const pin = document.querySelector(`path[data-place="${id}"]`).getBoundingClientRect();
    const a = document.querySelector('.leaflet-control-attribution').getBoundingClientRect();
    return {x: pin.left + pin.width / 2, y: pin.top + pin.height / 2, bottom: pin.bottom,
            attribution: a.top};
}"""


def test_at_375px_a_popup_at_the_maps_bottom_edge_lifts_its_pin_clear(browser: Any,
                                                                      big_server: str) -> None:
    ctx = offline_context(browser, 375, 740, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        pg = Page(ctx)
        page = pg.open(big_server + "/?day=1956-11-04")
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(1000)  # the day's flight to its places
        at = page.evaluate(PIN_AND_ATTRIBUTION, "szolnok")
        # Drag the map until the pin sits on the attribution's top edge, half under it.
        page.mouse.move(at["x"], at["y"] - 20)
        page.mouse.down()
        page.mouse.move(at["x"], at["attribution"] - 20, steps=8)
        page.wait_for_timeout(300)  # held still: no inertia carries the map on
        page.mouse.up()
        page.wait_for_timeout(300)
        at = page.evaluate(PIN_AND_ATTRIBUTION, "szolnok")
        assert at["bottom"] > at["attribution"], at  # the pin is half under the attribution
        hit = page.evaluate("""([x, y]) => { const e = document.elementFromPoint(x, y);
            return e && (e.getAttribute('data-place') || e.outerHTML.slice(0, 120)); }""",
                            [at["x"], at["attribution"] - 3])
        assert hit and "szolnok" in hit, (hit, at)
        page.mouse.click(at["x"], at["attribution"] - 3)  # its visible top
        page.wait_for_selector(".leaflet-popup")
        page.wait_for_timeout(700)  # the popup's pan into view
        after = page.evaluate(PIN_AND_ATTRIBUTION, "szolnok")
        assert after["bottom"] <= after["attribution"], after
        _shot(page, "phone-375-bottom-edge")
        pg.check_clean()
    finally:
        ctx.close()


def test_offline_a_day_outside_every_finer_region_shows_its_country(browser: Any) -> None:
    """A story set in Saxony (no region file): one day's pin is seen with the land around
    it, not alone on blank land: the offline detail names the towns around it (issue 18;
    before it, the view was held at zoom 6, where the world basemap still draws)."""
    from storymap.pipeline import SourceText, build_story_from_texts

    text = ("On 9 October 1989 about 70,000 people marched in Leipzig. "
            "On 4 November 1989 half a million people gathered in East Berlin.")
    story = build_story_from_texts([SourceText(id="leipzig", text=text)])
    ctx = offline_context(browser, 1024, 700)
    try:
        for url in serve_story(story):
            pg = Page(ctx)
            page = pg.open(url + "/?day=1989-11-04")
            page.wait_for_timeout(1200)  # the tiles fail, the basemap is drawn
            where = page.evaluate("""() => {
                const m = document.getElementById('sm-map').getBoundingClientRect();
                return [...document.querySelectorAll('path[data-place]')].map(p => {
                    const r = p.getBoundingClientRect();
                    return [p.getAttribute('data-place'), r.left >= m.left && r.right <= m.right
                            && r.top >= m.top && r.bottom <= m.bottom];
                });
            }""")
            # Today's East Berlin is on the map, among the towns around it.
            assert dict(where)["east-berlin"], where
            towns = page.locator(".sm-label-town").count()
            assert towns >= 5, towns
            _shot(page, "offline-elsewhere")
            pg.check_clean()
    finally:
        ctx.close()


# -- labels ------------------------------------------------------------------------------
def test_labels_never_overlap_and_stacked_pins_open_as_a_list(browser: Any,
                                                              big_server: str) -> None:
    ctx = offline_context(browser, 1280, 800)
    try:
        pg = Page(ctx)
        page = pg.open(big_server + "/?day=1956-11-04")
        page.wait_for_timeout(900)
        boxes = page.evaluate("""() => [...document.querySelectorAll('.sm-label-text')].map(n => {
            const r = n.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })""")
        assert len(boxes) >= 3
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
        badge = page.locator(".sm-stack").first
        count = int(str(badge.text_content()))
        assert count >= 2
        badge.click()
        assert page.locator(".leaflet-popup .sm-stack-list li").count() == count
        pg.check_clean()
    finally:
        ctx.close()


# -- text view ----------------------------------------------------------------------------
def test_the_text_view_shows_the_repaired_text(browser: Any, big_server: str) -> None:
    ctx = offline_context(browser, 1280, 800)
    try:
        pg = Page(ctx)
        page = pg.open(big_server + "/?day=1956-10-23")
        page.locator(".sm-in-text").first.click()
        page.wait_for_selector("#sm-text .hl-quote")  # the texts are fetched on first use
        text = pg.text("#sm-text")
        assert "Poznań" in text and "@-@" not in text and "Pozna?" not in text
        top = page.evaluate(
            "document.querySelector('#sm-text .hl-quote').getBoundingClientRect().top")
        assert 150 < top < 650  # the quote is in the middle, not at the screen's edge
        pg.check_clean()
    finally:
        ctx.close()


# -- paper --------------------------------------------------------------------------------
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_printed_day_has_its_events_and_the_credits(browser: Any, server: str,
                                                      story: Story, paper: str) -> None:
    from pypdf import PdfReader

    ctx = offline_context(browser, 1280, 800)
    try:
        pg = Page(ctx)
        page = pg.open(server + "/?day=1956-11-02")
        page.evaluate("window.print = () => {}")
        page.click("#sm-print-open")
        pdf = page.pdf(format=paper, print_background=True)
        text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)
        text = " ".join(text.split())
        for event in story.events_on("1956-11-02"):
            assert event.title in text
        assert "Data: GeoNames, CC BY 4.0" in text and "OpenStreetMap" in text
        assert page.locator(".sm-print-map > svg").count() == 1
        page.emulate_media(media="print")
        _shot(page, f"print-{paper}")
        pg.check_clean()
    finally:
        ctx.close()


# -- the notebook, offline ------------------------------------------------------------------
def test_to_folium_offline_draws_with_no_network(browser: Any, story: Story,
                                                 tmp_path: Path) -> None:
    out = tmp_path / "notebook.html"
    to_folium(story, day="1956-10-23", offline=True).save(str(out))
    ctx = offline_context(browser, 900, 600)
    try:
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(out.as_uri())
        assert page.evaluate("window.L && window.L.version") == "1.9.4"
        assert page.locator("path.leaflet-interactive").count() >= 3
        _shot(page, "folium-offline")
        assert errors == []
    finally:
        ctx.close()


