"""In Chromium: a lesson page on another origin, or opened from disk, can frame /embed but not /."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storymap.model import Story
from storymap.web import create_app
from tests.helpers import serve_directory

pytestmark = pytest.mark.browser



@pytest.fixture()
def storymap_url(story: Story) -> Iterator[str]:
    """The app under waitress on a free 127.0.0.1 port, as `storymap serve` runs it."""
    import waitress

    server = waitress.create_server(create_app(story), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


@pytest.fixture()
def lesson_dir(tmp_path: Path, storymap_url: str) -> Path:
    """A lesson page framing the embed and the full page of the story."""
    (tmp_path / "lesson.html").write_text(
        "<!doctype html><meta charset='utf-8'><title>Lesson</title>"
        f'<iframe name="embed" src="{storymap_url}/embed?controls=minimal"></iframe>'
        f'<iframe name="page" src="{storymap_url}/"></iframe>',
        encoding="utf-8",
    )
    return tmp_path


@pytest.fixture()
def lesson_http_url(lesson_dir: Path) -> Iterator[str]:
    """The lesson page on another origin (another 127.0.0.1 port)."""
    with serve_directory(lesson_dir) as port:
        yield f"http://localhost:{port}/lesson.html"


def _frames(browser: Any, url: str) -> dict[str, str]:
    """Open ``url`` and return each iframe's name → the URL it ended on."""
    page = browser.new_page()
    # Nothing may leave the machine: tiles and any stray request are refused.
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://127.0.0.1", "http://localhost", "file:"))
            else route.abort()
        ),
    )
    page.goto(url)
    page.wait_for_load_state("load")
    frames = {f.name: f.url for f in page.frames if f.name}
    page.close()
    return frames


@pytest.mark.parametrize("where", ["http", "file"])
def test_embed_frames_and_page_does_not(
    browser: Any, where: str, lesson_dir: Path, lesson_http_url: str, storymap_url: str
) -> None:
    url = lesson_http_url if where == "http" else (lesson_dir / "lesson.html").as_uri()
    frames = _frames(browser, url)
    assert frames["embed"] == f"{storymap_url}/embed?controls=minimal"
    assert frames["page"].startswith("chrome-error://")  # refused by frame-ancestors 'none'
