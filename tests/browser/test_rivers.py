"""Issue 15, in headless Chromium: a river a day's sentence names is drawn as its line,
highlighted, never as a pin at a centroid; a day without it does not draw it.

The story is exported to file:// and opened offline (every request that is not local is
aborted), so the line is drawn over the offline basemap. Screenshots go to
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

TEXT = ("On 4 May 1864 the Army of the Potomac crossed the Rapidan River at Germanna Ford "
        "and marched toward Fredericksburg, Virginia. On 6 May 1864 fighting went on near "
        "Richmond, Virginia.")

RIVER_PATHS = "document.querySelectorAll('path[data-river]').length"


def test_a_river_named_on_a_day_is_drawn_as_its_line(browser: Any, tmp_path: Path) -> None:
    story = build_story_from_texts([SourceText(id="wilderness", text=TEXT)])
    (river,) = [p for p in story.places if p.kind == "river"]
    assert river.name == "Rapidan River"
    assert river.geometry is not None and river.geometry["type"].endswith("LineString")
    assert "Natural Earth" in river.source
    path = tmp_path / "wilderness.html"
    path.write_text(export_html(story), encoding="utf-8")
    ctx = offline_context(browser, 1280, 800)
    try:
        pg = Page(ctx)
        page = pg.open(f"{path.as_uri()}#day=1864-05-04")
        page.wait_for_function(f"{RIVER_PATHS} > 0")
        page.wait_for_timeout(400)
        # the line, not a pin: no marker of the river's place
        assert page.locator(f'path[data-place="{river.id}"]').count() == 0
        stroke = page.evaluate("getComputedStyle(document.querySelector('path[data-river]'))"
                               ".stroke")
        assert stroke in ("rgb(21, 101, 192)", "#1565c0"), stroke
        box = page.locator("path[data-river]").first.bounding_box()
        assert box and box["width"] > 20, box  # seen at the day's zoom, not a dot
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "river-rapidan-1864-05-04.png"))
        # The next day's sentence names no river: the line goes.
        page.evaluate("location.hash = '#day=1864-05-06'")
        page.wait_for_function(f"{RIVER_PATHS} === 0")
        pg.check_clean()
    finally:
        ctx.close()
