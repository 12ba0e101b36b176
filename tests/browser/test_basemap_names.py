"""Issue 9 follow-ups, in headless Chromium: the offline world basemap names the big
countries it draws (a story set in Czechoslovakia, exported to file://, every request that
is not local aborted), and a printed day keeps the panel's "Continuing" group.

Screenshots go to artifacts/screenshots/ (gitignored).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from storymap.formats.html import export_html
from tests.browser.test_basemap_detail import zoom_to
from tests.browser.test_page import SHOTS, Page
from tests.browser.test_regions_map import BASEMAP_PATHS, PRAGUE
from tests.helpers import offline_context, serve_story

pytestmark = pytest.mark.browser

LABELS = """() => [...document.querySelectorAll('.sm-label-text')].map(n => {
    const r = n.getBoundingClientRect();
    return [n.className, n.textContent, r.left, r.top, r.right, r.bottom]; })"""


def test_the_offline_world_map_names_the_countries_around_the_story(browser: Any,
                                                                    tmp_path: Path) -> None:
    from storymap import build_story

    prague = build_story([PRAGUE])
    path = tmp_path / "prague.html"
    path.write_text(export_html(prague), encoding="utf-8")
    ctx = offline_context(browser, 1280, 800)
    try:
        pg = Page(ctx)
        page = pg.open(f"{path.as_uri()}#day=1968-08-21")
        page.wait_for_selector(".sm-offline-note")
        page.wait_for_function(f"() => {BASEMAP_PATHS} > 0")
        page.wait_for_function("() => document.querySelector('.sm-label-country')")
        page.wait_for_timeout(300)
        labels = page.evaluate(LABELS)
        countries = {t for c, t, *_ in labels if "sm-label-country" in c}
        places = {t for c, t, *_ in labels if "sm-label-place" in c}
        # Its neighbours by name (the view of the key day is at zoom 7 since the offline
        # detail reaches further in, so the names of those whose point is in view), never
        # the members of the state of 1968; the pins' own labels still shown: the names
        # rank below them.
        assert len(countries & {"Germany", "Poland", "Austria", "Hungary"}) >= 2, labels
        assert not countries & {"Czechia", "Slovakia", "Russia"}, labels
        assert places, labels
        boxes = [b[2:] for b in labels]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
        # Names only: the points draw no marker of their own.
        assert page.locator(".leaflet-marker-pane img").count() == 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "basemap-names-prague-1968.png"))
        # On the day of Prague alone (seen close in, among the towns of the offline detail),
        # zoomed out: the name of the state of 1968 (Brno's label took its spot on the key
        # day: a pin's label outranks a basemap name).
        page.goto(f"{path.as_uri()}#day=1968-01-05")
        page.wait_for_function(
            "() => document.getElementById('sm-date').textContent.includes('January')")
        page.wait_for_timeout(800)  # the fly to Prague
        zoom_to(page, 6)
        labels = page.evaluate(LABELS)
        assert "Czechoslovakia" in {t for c, t, *_ in labels if "sm-label-country" in c}, labels
        page.screenshot(path=str(SHOTS / "basemap-names-prague-1968-january.png"))
        pg.check_clean()
    finally:
        ctx.close()


def test_a_printed_day_groups_what_is_continuing(browser: Any) -> None:
    """4 November 1956: the day's news first, then what continues under its own heading,
    on paper as in the panel."""
    from pypdf import PdfReader

    from storymap.pipeline import build_story, builtin_texts

    story = build_story(builtin_texts())
    ctx = offline_context(browser, 1280, 800)
    try:
        for url in serve_story(story):
            pg = Page(ctx)
            page = pg.open(url + "/?day=1956-11-04")
            panel = page.evaluate("""() => [...document.querySelectorAll('#sm-events > li')]
                .map(li => li.className)""")
            news, later = panel.index("sm-continuing-head"), len(panel) - panel.index(
                "sm-continuing-head") - 1
            assert news >= 1 and later >= 1, panel
            page.evaluate("window.print = () => {}")
            page.click("#sm-print-open")
            assert page.locator("#sm-print .sm-print-continuing").count() == 1
            groups = page.evaluate("""() => [...document.querySelectorAll('#sm-print ol')]
                .map(ol => [...ol.querySelectorAll('.sm-print-title')]
                .map(h => h.lastChild.textContent))""")  # the title, not its time tag
            assert [len(g) for g in groups] == [news, later], groups
            pdf = page.pdf(format="A4", print_background=True)
            text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)
            text = " ".join(text.split())
            assert "Continuing" in text, (groups, text[:3000])
            # The titles' first words (a long title wraps, and the PDF's text breaks it).
            first_later = " ".join(groups[1][0].split()[:3])
            last_news = " ".join(groups[0][-1].split()[:3])
            assert last_news in text and first_later in text, (last_news, first_later, text)
            assert text.index(last_news) < text.index("Continuing") < text.index(first_later)
            page.emulate_media(media="print")
            page.screenshot(path=str(SHOTS / "print-continuing.png"), full_page=True)
            pg.check_clean()
    finally:
        ctx.close()
