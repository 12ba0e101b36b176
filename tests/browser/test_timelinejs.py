"""A real client for the TimelineJS export: Knight Lab's TimelineJS renders it in Chromium.

The library is the npm package vendored under ``vendor/timelinejs`` (test-only). The
page and the export are served from 127.0.0.1; every other request is aborted, so a
stray CDN fetch shows up as a console error and fails the test.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from storymap.formats import to_timelinejs
from storymap.model import Story
from tests.helpers import serve_directory

pytestmark = pytest.mark.browser

VENDOR = Path(__file__).parent / "vendor" / "timelinejs"

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>TimelineJS check</title>
<link rel="stylesheet" href="timelinejs/css/timeline.css">
<script src="timelinejs/js/timeline.js"></script></head>
<body><div id="timeline" style="width: 1000px; height: 600px"></div>
<script>
fetch("timeline.json").then(r => r.json()).then(data => {
  window.timeline = new TL.Timeline("timeline", data, {
    font: null, theme: null, hash_bookmark: false, ga_property_id: null,
    script_path: location.href.replace(/[^/]*$/, "timelinejs/js/")
  });
  window.timeline.on("loaded", () => { window.tlLoaded = true; });
});
</script></body></html>
"""


@pytest.fixture()
def site(tmp_path: Path, story: Story) -> Iterator[str]:
    """Serve the TimelineJS page, the vendored library and the export on 127.0.0.1."""
    shutil.copytree(VENDOR, tmp_path / "timelinejs")
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "timeline.json").write_text(to_timelinejs(story), encoding="utf-8")
    with serve_directory(tmp_path) as port:
        yield f"http://127.0.0.1:{port}/"


@pytest.fixture()
def page(browser):  # type: ignore[no-untyped-def]
    """A headless Chromium page that may reach 127.0.0.1 only."""
    context = browser.new_context()
    context.route(
        "**/*",
        lambda route: route.continue_()
        if route.request.url.startswith("http://127.0.0.1:")
        else route.abort(),
    )
    yield context.new_page()
    context.close()


def test_timelinejs_renders_every_event_without_console_errors(page, site, story):  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script("window.alerts = []; window.alert = m => window.alerts.push(String(m));")
    page.goto(site + "index.html")
    page.wait_for_function("window.tlLoaded === true", timeout=15_000)

    # One slide per event plus the title slide, one marker per event on the time nav.
    assert page.locator(".tl-slide").count() == len(story.events) + 1
    assert page.locator(".tl-timemarker").count() == len(story.events)
    headlines = page.locator(".tl-slide .tl-headline").all_inner_texts()
    assert "Students march to the Parliament" in headlines
    # Hostile strings arrive as text: the escaped <script> is visible, never run.
    assert any("<script>alert('t')</script>" in h for h in headlines)
    assert page.locator(".tl-slide script, .tl-slide img[src='x']").count() == 0
    assert page.evaluate("window.alerts") == []
    # Month precision survives: the January 1957 event is shown without a day.
    assert any("January 1957" in t for t in page.locator(".tl-slide .tl-headline-date")
               .all_inner_texts())
    assert errors == []
