"""Accessibility of the story map in headless Chromium: axe-core's WCAG 2 A/AA rules, the keyboard.

axe-core (test-only, vendored in tests/browser/vendor/axe-core/) is injected into each served
page at a desktop and a phone size; any violation fails with the rule ids and the elements.
The keyboard test tabs through the page and checks that every focused control shows a focus
ring, and that the arrow keys step the day and the live region announces it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import test_page

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PATHS = ["/", "/?view=list", "/?view=text", "/?lang=hu", "/embed"]
SIZES = {"desktop": (1280, 800), "phone": (375, 812)}

# The Flask app on a real 127.0.0.1 socket, shared with the page tests' definition.
server = test_page.server

# What axe returns, reduced to what a reader of a failure needs: rule, impact, elements.
RUN_AXE = """async () => {
    const result = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => [n.target.join(' '), n.failureSummary].join(': ')),
    }));
}"""

# The focused element's ring: outline and box-shadow as computed, or null when nothing is focused.
FOCUS_STYLE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const shadow = s.boxShadow !== 'none';
    const cls = typeof el.className === 'string' ? el.className.trim().split(/\\s+/) : [];
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + cls.map(c => '.' + c).join('');
    // A mark of its own on each element reached, not its index in the document: a pin's
    // tooltip opens on focus and closes after it, shifting every index, and two links
    // alike ("a.") took one key, which ended the round early.
    if (!el.dataset.smTabStop) {
        window.smTabStops = (window.smTabStops || 0) + 1;
        el.dataset.smTabStop = String(window.smTabStops);
    }
    const key = name + '@' + el.dataset.smTabStop;
    return {name, key, visible: ring || shadow, outline: s.outlineStyle + ' ' + s.outlineWidth,
            shadow: s.boxShadow};
}"""

CHANGED = "([id, old]) => document.getElementById(id).textContent.trim() !== old"


def _context(browser: Any, size: tuple[int, int]) -> Any:
    """A fresh context at ``size`` whose only network is 127.0.0.1 (tiles are aborted)."""
    # bypass_csp: the page's CSP (rightly) refuses the injected axe script.
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="en-GB",
                              bypass_csp=True)  # fmt: skip
    ctx.route(lambda url: not test_page.LOCAL.match(url), lambda route: route.abort())
    return ctx


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def sized(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    ctx = _context(browser, SIZES[request.param])
    yield ctx
    ctx.close()


def _format(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    {node}" for node in v["nodes"][:8])
    return "\n".join(lines)


@pytest.mark.parametrize("path", PATHS)
def test_axe_finds_no_wcag_a_or_aa_violations(sized: Any, server: str, path: str) -> None:
    pg = test_page.Page(sized)
    page = pg.open(server + path)
    page.wait_for_timeout(300)  # let the map and panel settle before measuring contrast
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE)
    assert violations == [], f"axe on {path}:\n{_format(violations)}"
    pg.check_clean()


# States that only appear after a click: the dialogs, a marker popup with the place panel, play.
STATES = {
    "about": ("/", "#sm-about-open"),
    "share": ("/", "#sm-share-open"),
    "popup": ("/?day=1956-10-23&event=e1", "path[data-place='parliament']"),
    "playing": ("/?lang=hu", "#sm-play"),
}


@pytest.mark.parametrize("state", list(STATES))
def test_axe_after_opening_dialogs_and_popups(sized: Any, server: str, state: str) -> None:
    path, target = STATES[state]
    pg = test_page.Page(sized)
    page = pg.open(server + path)
    page.locator(target).first.click()
    page.wait_for_timeout(300)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE)
    assert violations == [], f"axe on {path} after clicking {target}:\n{_format(violations)}"
    pg.check_clean()


def test_axe_sees_a_planted_violation(sized: Any, server: str) -> None:
    """The check can fail: an unlabelled button added to the page is reported."""
    pg = test_page.Page(sized)
    page = pg.open(server + "/")
    page.evaluate("document.querySelector('.sm-buttons').append(document.createElement('button'))")
    page.add_script_tag(path=str(AXE))
    ids = [v["id"] for v in page.evaluate(RUN_AXE)]
    assert "button-name" in ids


def _tab_stops(page: Any) -> list[dict[str, Any]]:
    """Press Tab until focus comes back round; the focus style of each stop, in order."""
    stops: list[dict[str, Any]] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        style = page.evaluate(FOCUS_STYLE)
        if style is None:  # focus left the document (the browser's own UI)
            continue
        if any(stop["key"] == style["key"] for stop in stops):
            break
        stops.append(style)
    return stops


def test_every_tab_stop_shows_focus_and_arrows_announce_the_day(sized: Any, server: str) -> None:
    pg = test_page.Page(sized)
    page = pg.open(server + "/?day=1956-11-01")  # mid-story: no stepper button is disabled
    stops = _tab_stops(page)
    hidden = [stop for stop in stops if not stop["visible"]]
    assert hidden == [], f"no visible focus ring on: {hidden}"
    names = " ".join(stop["name"] for stop in stops)
    # A phone's stepper has two rows: the slider reaches first and last, speed and
    # "Earlier places" open from #sm-more (and are tab stops then).
    phone = page.evaluate("innerWidth") <= 760
    for control in ("#sm-prev", "#sm-play", "#sm-next", "#sm-slider", "#sm-lang",
                    "#sm-about-open", "#sm-share-open", "sm-view", "leaflet-control-zoom-in",
                    "sm-in-text",
                    *(("#sm-more",) if phone else ("#sm-first", "#sm-last", "#sm-speed",
                                                   "#sm-sofar"))):  # fmt: skip
        assert control in names, f"{control} is not reached by Tab: {names}"
    if phone:
        page.click("#sm-more")
        page.focus("#sm-more")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "sm-speed"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "sm-sofar"
        page.keyboard.press("Escape")
        assert page.get_attribute("#sm-more", "aria-expanded") == "false"
        assert page.evaluate("document.activeElement.id") == "sm-more"
    page.evaluate("document.activeElement.blur()")
    date, live = pg.text("#sm-date"), pg.text("#sm-live")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(CHANGED, arg=["sm-date", date])
    page.wait_for_function(CHANGED, arg=["sm-live", live])
    assert pg.text("#sm-date") in pg.text("#sm-live")
    assert page.locator("#sm-live").get_attribute("aria-live") == "polite"
    pg.check_clean()


def test_focus_check_sees_a_removed_ring(browser: Any, server: str) -> None:
    """The focus check can fail: a page that strips the ring from buttons is caught."""
    ctx = _context(browser, SIZES["desktop"])
    try:
        page = test_page.Page(ctx).open(server + "/?day=1956-11-01")
        page.add_style_tag(content="button:focus-visible { outline: none !important; }")
        hidden = [stop["name"] for stop in _tab_stops(page) if not stop["visible"]]
        assert any("#sm-next" in name for name in hidden), hidden
    finally:
        ctx.close()
