"""One language per page: the Hungarian page shows no word of the English interface strings.

The walk reads every text and every aria-label, title, alt and placeholder of the page
after it has been used (a day with many events, a place's popup and list, About, Share,
the print hand-out, the list and text views; the embed; the standalone file; a page
switched to Hungarian after it opened; the error pages), skipping only what is marked as
written in another language — the story's own titles, quotes and names carry the texts'
``lang`` (English), whatever the interface's — or as a name that no language translates
(``translate="no"``: a licence, "CC BY 4.0", a dataset, "GeoNames"), and web addresses.
A word counts as English when it is in an English interface string and in no Hungarian
one ("Page Down" is in both).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storymap.formats.html import export_html
from storymap.model import Story
from storymap.outputs import assets
from tests.browser.test_page import SHOTS, Page
from tests.helpers import offline_context, serve_story

pytestmark = pytest.mark.browser

#: Every text of the page written in the interface's language ("hu"), as [where, text].
WALK = """(lang) => {
  const out = [];
  // What is marked as another language's, or as a name no language translates, is not ours.
  const own = (node) => { const e = node.closest ? node.closest('[lang]') : null;
                          return (!e || e.lang === lang) && !node.closest('[translate="no"]'); };
  const walker = document.createTreeWalker(document.body,
                                           NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let n = walker.currentNode; n; n = walker.nextNode()) {
    if (n.nodeType === Node.TEXT_NODE) {
      const p = n.parentElement;
      if (!p || p.closest('script, style, noscript') || !own(p)) continue;
      if (n.textContent.trim()) out.push([p.tagName + '.' + p.className, n.textContent]);
    } else if (own(n)) {
      for (const a of ['aria-label', 'title', 'alt', 'placeholder']) {
        if (n.getAttribute(a)) out.push([n.tagName + '@' + a, n.getAttribute(a)]);
      }
    }
  }
  return out;
}"""


def english_words() -> set[str]:
    strings = json.loads(assets.read_text(assets.I18N_PATH))

    def words(table: dict[str, str]) -> set[str]:
        text = " ".join(v for k, v in table.items() if k != "months")
        text = re.sub(r"\{\w+\}", " ", text)  # placeholders are filled with other words
        return {w.lower() for w in re.findall(r"[^\W\d_]{2,}", text)}

    return words(strings["en"]) - words(strings["hu"]) - words({"m": strings["hu"]["months"]})


def english_in(rows: list[list[str]]) -> str:
    """Return a line for each English interface word among the texts (empty: none)."""
    english = english_words()
    found = []
    for where, text in rows:
        text = re.sub(r"https?://\S+", " ", text)  # an address is no word
        for word in re.findall(r"[^\W\d_]{2,}", text):
            if word.lower() in english:
                found.append(f"{word!r} in {where}: {text[:80]!r}")
    return "\n".join(dict.fromkeys(found))


@pytest.fixture(scope="module")
def server(builtin: Story) -> Iterator[str]:
    yield from serve_story(builtin)


def use_everything(page: Any) -> None:
    """Open what a reader opens: a place's popup and list, About, Share, print, views."""
    page.evaluate("window.print = () => {}")
    page.locator(".sm-place-link").first.click()
    page.wait_for_selector(".leaflet-popup")
    page.locator(".leaflet-popup .sm-btn").click()  # the place's list of events
    page.click("#sm-about-open")
    page.keyboard.press("Escape")
    page.click("#sm-share-open")
    page.keyboard.press("Escape")
    page.click("#sm-print-open")
    page.click(".sm-view[data-view='list']")
    page.click(".sm-view[data-view='text']")
    page.wait_for_selector("#sm-text .sm-doc")


def test_the_hungarian_page_has_no_english_interface_word(browser: Any, server: str) -> None:
    ctx = offline_context(browser, 1280, 900)
    try:
        pg = Page(ctx)
        page = pg.open(server + "/?day=1956-11-04&lang=hu")
        page.wait_for_selector(".sm-offline-note")  # the tiles failed: the basemap's credits
        page.click(".sm-view[data-view='map']")
        use_everything(page)
        rows = page.evaluate(WALK, "hu")
        assert len(rows) > 100
        assert english_in(rows) == ""
        page.click(".sm-view[data-view='map']")
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / "language-hu-page.png"))
        pg.check_clean()
    finally:
        ctx.close()


def test_a_page_switched_to_hungarian_says_everything_in_hungarian(browser: Any,
                                                                  server: str) -> None:
    ctx = offline_context(browser, 1280, 900)
    try:
        pg = Page(ctx)
        page = pg.open(server + "/?day=1956-10-23")
        page.wait_for_selector(".sm-offline-note")
        page.select_option("#sm-lang", "hu")
        use_everything(page)
        assert english_in(page.evaluate(WALK, "hu")) == ""
        pg.check_clean()
    finally:
        ctx.close()


def test_the_embed_and_the_file_in_hungarian(browser: Any, server: str, builtin: Story,
                                             tmp_path: Path) -> None:
    out = tmp_path / "story.html"
    out.write_text(export_html(builtin, lang="hu"), encoding="utf-8")
    ctx = offline_context(browser, 560, 315)
    try:
        for url in (server + "/embed?day=1956-11-04&lang=hu", out.as_uri() + "#embed"):
            pg = Page(ctx)
            page = pg.open(url)
            page.wait_for_selector(".sm-offline-note")
            page.locator("path.leaflet-interactive").first.dispatch_event("click")
            page.wait_for_selector(".leaflet-popup")
            assert english_in(page.evaluate(WALK, "hu")) == ""
            pg.check_clean()
    finally:
        ctx.close()


@pytest.mark.parametrize("path", ["/?day=1956-02-30&lang=hu", "/embed?start=1956.10.23.",
                                  "/no-such-page"])
def test_error_pages_speak_the_readers_language(browser: Any, server: str, path: str) -> None:
    ctx = offline_context(browser, 800, 600, locale="hu-HU")
    try:
        page = ctx.new_page()
        response = page.goto(server + path)
        assert response is not None and response.status in (400, 404)
        assert page.evaluate("document.documentElement.lang") == "hu"
        rows = page.evaluate(WALK, "hu")
        assert rows and english_in(rows) == ""
        if "1956-02-30" in path:
            assert "1956. február 29 napos" in page.text_content("body")
    finally:
        ctx.close()


def test_the_english_words_are_the_interfaces() -> None:
    words = english_words()
    assert {"events", "sources", "contributors", "zoom"} <= words
    assert "page" not in words and "down" not in words  # "Page Down" is a key in both
