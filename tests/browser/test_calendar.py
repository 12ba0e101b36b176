"""In headless Chromium: a day is headed with the weekday its text gives it, in the text's
own calendar (storymap.model.calendar) — served by Flask and exported to file://.

"Sunday, 2 September 1666" (England's Julian calendar) is a Thursday in the Gregorian one
the browser counts in; 14 October 1066, before the reform, a Saturday (a Sunday there).
Screenshots: artifacts/screenshots/calendar-*.png (gitignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from storymap.formats.html import export_html
from storymap.pipeline import build_story
from tests.browser.test_page import SHOTS, Page
from tests.helpers import offline_context, serve_story

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "data" / "calendar"


def test_days_are_headed_with_the_texts_own_weekdays(browser: Any, tmp_path: Path) -> None:
    fire = build_story([DATA / "fire-1666.txt"])
    hastings = build_story([DATA / "hastings-1066.txt"])
    export = tmp_path / "fire.html"
    export.write_text(export_html(fire), encoding="utf-8")
    ctx = offline_context(browser, 1280, 900)
    try:
        for url in serve_story(fire):
            _headed(ctx, f"{url}/?day=1666-09-02", "Sunday, 2 September 1666", "calendar-fire")
            _headed(ctx, f"{url}/?day=1666-09-04", "Tuesday, 4 September 1666", "")
        _headed(ctx, f"{export.as_uri()}#day=1666-09-02", "Sunday, 2 September 1666",
                "calendar-fire-file")
        for url in serve_story(hastings):
            _headed(ctx, f"{url}/?day=1066-10-14", "Saturday, 14 October 1066",
                    "calendar-hastings")
    finally:
        ctx.close()


def _headed(ctx: Any, url: str, title: str, shot: str) -> None:
    pg = Page(ctx)
    page = pg.open(url)
    assert pg.text("#sm-day-title") == title
    if shot:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{shot}.png"))
    page.close()
    pg.check_clean()
