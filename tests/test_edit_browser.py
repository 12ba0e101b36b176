"""Edit mode in Chromium: drag a pin, change a date, mark a name as not a place; restart.

Runs the real ``storymap serve TEXT --edit`` in a subprocess (so the restart is real),
drives the page with Playwright and saves screenshots in artifacts/screenshots/edit-*.png.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import EditServer

pytestmark = pytest.mark.browser

NOTES = Path(__file__).parent / "data" / "corrections" / "class-notes.txt"
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"


@pytest.fixture()
def text(tmp_path: Path) -> Path:
    shutil.copy(NOTES, tmp_path / NOTES.name)
    return tmp_path / NOTES.name


@pytest.fixture()
def server(text: Path) -> Iterator[EditServer]:
    s = EditServer(text)
    yield s
    s.stop()


def open_page(browser: Any, url: str) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    page.goto(url)
    page.wait_for_selector("html.sm-ready")
    page.wait_for_selector(".sm-edit-bar")
    page.wait_for_function("() => window.storymapEdit && window.storymapEdit.ready")
    return page


def reloaded(page: Any, action: Any) -> None:
    """Run ``action`` (which saves a correction) and wait for the page to reload the story.

    Not ``expect_navigation``: the app's own history entries (a day, a place in the
    address) are navigations too, and one of them let the test read the story while the
    correction was still being saved. A mark on ``window`` goes only with a real reload.
    """
    page.evaluate("() => { window.smBeforeReload = true; }")
    action()
    page.wait_for_function("() => !window.smBeforeReload && window.storymapEdit"
                           " && window.storymapEdit.ready", timeout=30000)
    page.wait_for_selector("html.sm-ready")


def settled_box(page: Any, locator: Any) -> dict[str, float]:
    """The box of ``locator`` once the map has stopped moving and nothing covers its middle.

    The page flies to the first day (0.6 s, longer on a loaded machine); a box read during
    the flight is where the pin was, so the mouse went down on the map (or on another pin)
    beside it and the wrong thing moved. Three equal readings 150 ms apart, and the pin
    itself the topmost element at the box's middle: the mouse will take this pin.
    """
    deadline = time.time() + 30
    readings: list[Any] = []
    while time.time() < deadline:
        readings = [*readings[-2:], locator.bounding_box()]
        if len(readings) == 3 and readings[0] is not None and \
                readings[0] == readings[1] == readings[2]:
            box = dict(readings[0])
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            if locator.evaluate("(pin, [x, y]) => document.elementFromPoint(x, y) === pin",
                                [x, y]):
                return box
        page.wait_for_timeout(150)
    raise AssertionError(f"the pin kept moving (or stayed covered) for 30 s: {readings}")


def moved_places(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The ids of the places whose coordinates changed (what a failed drag did move)."""
    was = {p["id"]: (p.get("lat"), p.get("lon")) for p in before["places"]}
    return [p["id"] for p in after["places"] if was.get(p["id"]) != (p.get("lat"), p.get("lon"))]


def event_of(story: dict[str, Any], words: str) -> dict[str, Any]:
    return next(e for e in story["events"] if words in e["quote"])


def place_of(story: dict[str, Any], pid: str) -> dict[str, Any]:
    return next(p for p in story["places"] if p["id"] == pid)


def test_drag_date_not_a_place_survive_a_restart(browser: Any, server: EditServer,
                                                 text: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    before = server.story()
    bem = place_of(before, "bem-statue")
    page = open_page(browser, server.url)
    assert "token=" not in page.url  # the token leaves the address bar (and the history)
    page.screenshot(path=str(SHOTS / "edit-1-open.png"))

    # 1. drag a pin
    pin = page.locator('path[data-place="bem-statue"]')
    box = settled_box(page, pin)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    def drag() -> None:
        page.mouse.move(x, y)
        page.mouse.down()
        for i in range(1, 11):
            page.mouse.move(x + 12 * i, y + 6 * i)
        page.mouse.up()

    reloaded(page, drag)
    after = server.story()
    moved = place_of(after, "bem-statue")
    # on failure: what did move, and what the page said after reloading (a 409 reloads too)
    assert (moved["lat"], moved["lon"]) != (bem["lat"], bem["lon"]), \
        (moved_places(before, after), page.locator(".sm-edit-status").text_content())
    assert moved["lon"] > bem["lon"] and moved["lat"] < bem["lat"]  # right and down
    page.screenshot(path=str(SHOTS / "edit-2-dragged.png"))

    # 2. change a date: Edit on the event, new date, Save
    evening = event_of(before, "Later that evening")
    page.locator(f'#ev-{evening["id"]} .sm-edit-event').click()
    page.locator(".sm-edit-dialog").wait_for()
    date = page.locator(".sm-edit-field", has_text="Date (YYYY").locator("input")
    date.fill("1956-10-22")
    page.screenshot(path=str(SHOTS / "edit-3-event-form.png"))
    reloaded(page, lambda: page.locator(".sm-edit-save").click())
    assert event_of(server.story(), "Later that evening")["date"] == "1956-10-22"

    # 3. select words in the text view → "Not a place"
    page.locator('.sm-view[data-view="text"]').click()
    page.wait_for_selector("#sm-text article.sm-doc")
    page.evaluate("""() => {
      const words = "Kilián barracks";
      const walker = document.createTreeWalker(document.querySelector("#sm-text .sm-doc-text"),
                                               NodeFilter.SHOW_TEXT);
      let node;
      while ((node = walker.nextNode())) {
        const at = node.textContent.indexOf(words);
        if (at >= 0) {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + words.length);
          const sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          const r = range.getBoundingClientRect();
          node.parentNode.dispatchEvent(new MouseEvent("mouseup", {bubbles: true,
            clientX: r.left, clientY: r.bottom}));
          return;
        }
      }
      throw new Error("words not in the text view");
    }""")
    tools = page.locator(".sm-edit-selection")
    tools.wait_for(state="visible")
    assert "Kilián barracks" in tools.inner_text()
    page.screenshot(path=str(SHOTS / "edit-4-selection.png"))
    reloaded(page, lambda: page.locator(".sm-edit-not-place").click())
    after = server.story()
    assert all(r["place_id"] != "kilian-barracks" for e in after["events"] for r in e["places"])
    assert not page.errors
    page.close()

    # restart: a new process reads the texts and corrections.yaml again
    server.stop()
    again = EditServer(text)
    try:
        story = again.story()
        assert place_of(story, "bem-statue")["lat"] == moved["lat"]
        assert event_of(story, "Later that evening")["date"] == "1956-10-22"
        assert all(r["place_id"] != "kilian-barracks"
                   for e in story["events"] for r in e["places"])
        page = open_page(browser, again.url)
        page.locator(".sm-edit-open-history").click()
        history = page.locator(".sm-edit-history li")
        history.first.wait_for()
        assert history.count() == 3
        page.screenshot(path=str(SHOTS / "edit-5-after-restart-history.png"))
        page.locator(".sm-edit-close").click()
        page.locator(".sm-edit-open-review").click()
        page.locator(".sm-edit-dialog-body p, .sm-edit-review").first.wait_for()
        page.screenshot(path=str(SHOTS / "edit-6-review.png"))
        assert not page.errors
        page.close()
    finally:
        again.stop()
    saved = (text.parent / "corrections.yaml").read_text(encoding="utf-8")
    assert "bem-statue" in saved and "1956-10-22" in saved and "not_a_place: true" in saved


def test_escaped_and_read_only_elsewhere(browser: Any, server: EditServer, text: Path) -> None:
    """A hostile title typed into the editor is shown as text; the embed has no editor."""
    page = open_page(browser, server.url)
    ev = event_of(server.story(), "Soviet tanks")
    page.goto(server.base + "/?day=1956-11-04")
    page.wait_for_selector("html.sm-ready")
    page.wait_for_function("() => window.storymapEdit && window.storymapEdit.ready")
    page.locator(f'#ev-{ev["id"]} .sm-edit-event').click()
    page.locator(".sm-edit-field", has_text="Title").locator("input").fill(
        '<img src=x onerror="window.pwned=1">Tanks')
    reloaded(page, lambda: page.locator(".sm-edit-save").click())
    title = page.locator(f'#ev-{ev["id"]} .sm-event-title')
    assert title.inner_text() == '<img src=x onerror="window.pwned=1">Tanks'
    assert page.evaluate("() => window.pwned") is None
    # a pin's Edit: the places its name could be, with country and distance
    page.goto(server.base + "/?day=1956-11-04")
    page.wait_for_selector("html.sm-ready")
    page.wait_for_function("() => window.storymapEdit && window.storymapEdit.ready")
    page.locator('path[data-place="szolnok"]').click()
    page.locator(".sm-edit-pin").click()
    choice = page.locator(".sm-edit-choice").first
    choice.wait_for()
    # kind, first-level division and country tell the namesakes apart
    assert re.search(r"^Szolnok — city, (Jász-Nagykun-Szolnok, )?HU · \d+ km away",
                     choice.inner_text()), choice.inner_text()
    page.screenshot(path=str(SHOTS / "edit-7-pin-choices.png"))
    embed = browser.new_page()
    embed.goto(server.base + "/embed")
    embed.wait_for_selector("html.sm-ready")
    assert embed.locator(".sm-edit-bar").count() == 0
    embed.close()
    page.close()
