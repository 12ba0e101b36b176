"""Measure the served page from navigation to its first pins, on a cold and a warm server.

Usage: ``python benchmarks/bench_first_pins.py [story.json] [--runs N] [--day DAY]
[--workers N] [--path /embed] [--generated N] [--steps N]``

``--generated 10000`` serves the generated story of issue 19.5 (tests/helpers.py
``generated_story``: 10,000 events over a year, 2,500 places) instead; ``--steps`` then
also clicks Next that many times after each load and prints the in-page step time
(``storymap:step``) and whether the day's events were there at once (fetched ahead).

For each run it starts a fresh ``storymap serve`` process (``--workers`` processes, as a
classroom laptop runs it) on the story (default: the built-in 1956 story, built once here
and written to a temporary story JSON), waits until it answers TCP, then opens
``/?day=DAY`` (default 1956-10-25) in headless Chromium with every request that is not to
the server aborted (no tiles: the offline basemap), in a fresh browser context each time
(an empty HTTP cache: a first visit). The first navigation is the *cold* one (the
server process has answered nothing yet); the next ``--warm`` navigations, each from a
new context, are *warm*. Timed in the page from ``performance.timeOrigin`` (the
navigation's start, request included) to the first story pin in the DOM
(``path.leaflet-interactive``, seen by a MutationObserver installed before any script) and
to the frame after it (painted). Also prints the response time of the HTML (responseEnd),
DOMContentLoaded and the app's own ``storymap:ready`` mark. Prints numbers; asserts nothing.
Issue 18 target: navigation → first pins ≤ 500 ms, cold server included.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bytecode import compile_package  # noqa: E402

sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"

#: Installed before the page's own scripts: notes when the first pin enters the DOM, and
#: when the frame after it is painted.
WATCH_PINS = """
(() => {
  const seen = () => document.querySelector('path.leaflet-interactive, .sm-cluster');
  const note = () => {
    if (window.__pins !== undefined) return true;
    if (!seen()) return false;
    window.__pins = performance.now();
    requestAnimationFrame(() => requestAnimationFrame(() => {
      window.__painted = performance.now();
    }));
    return true;
  };
  const obs = new MutationObserver(() => { if (note()) obs.disconnect(); });
  obs.observe(document, { childList: true, subtree: true });
})();
"""


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 120) -> float:
    """Wait until 127.0.0.1:port accepts; return the seconds waited. Raises if the server died."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"bench: the server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return time.perf_counter() - t0
        except OSError:
            time.sleep(0.02)
    raise SystemExit("bench: the server did not answer in time")


def story_file(arg: str | None, folder: Path, generated: int = 0) -> Path:
    """Return the story JSON to serve: the one given, a generated one of ``generated``
    events, else the built-in story built here."""
    if arg:
        return Path(arg)
    path = folder / "story.json"
    if generated:
        from tests.helpers import generated_story

        path.write_text(generated_story(generated).to_json(), encoding="utf-8")
        return path
    from storymap.pipeline import build_story, builtin_texts

    path.write_text(build_story(builtin_texts()).to_json(), encoding="utf-8")
    return path


def navigate(browser: object, url: str, port: int, steps: int = 0) -> dict[str, float]:
    """Open ``url`` in a fresh context; return the page's timings in ms (and, with
    ``steps``, the median in-page step and the share of steps shown with their words)."""
    local = re.compile(rf"^http://127\.0\.0\.1:{port}/")
    # bypass_csp: Playwright's polling evaluates its predicate, which the page's CSP refuses.
    context = browser.new_context(viewport={"width": 1280, "height": 800},  # type: ignore[attr-defined]
                                  bypass_csp=True)
    context.route(lambda u: not local.match(u), lambda route: route.abort())
    context.add_init_script(WATCH_PINS)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("window.__painted !== undefined", timeout=30_000)
    page.wait_for_function("performance.getEntriesByName('storymap:ready').length > 0")
    out = page.evaluate("""() => {
        const nav = performance.getEntriesByType('navigation')[0];
        return {pins: window.__pins, painted: window.__painted,
                response: nav.responseEnd, dcl: nav.domContentLoadedEventEnd,
                ready: performance.getEntriesByName('storymap:ready')[0].startTime};
    }""")
    if steps:
        page.wait_for_timeout(500)  # the steps around the first are fetched ahead
        whole = 0
        for _ in range(steps):
            page.click("#sm-next")
            whole += page.evaluate("!document.querySelector('#sm-events .sm-loading')")
            page.wait_for_timeout(150)  # a reader's pace: the next ones are fetched meanwhile
        times = page.evaluate("performance.getEntriesByName('storymap:step').map(m => m.duration)")
        out["step"] = statistics.median(times)
        out["step_max"] = max(times)
        out["whole"] = 100.0 * whole / steps
    context.close()
    return {k: float(v) for k, v in out.items()}


def main() -> int:
    """Print navigation → first pins, cold and warm."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("story", nargs="?")
    parser.add_argument("--runs", type=int, default=5, help="fresh servers (cold loads)")
    parser.add_argument("--warm", type=int, default=3, help="warm loads per server")
    parser.add_argument("--day", default="1956-10-25")
    parser.add_argument("--path", default="/")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--generated", type=int, default=0, metavar="N")
    parser.add_argument("--steps", type=int, default=0)
    args = parser.parse_args()
    print(compile_package())
    from playwright.sync_api import sync_playwright

    rows: dict[str, list[dict[str, float]]] = {"cold": [], "warm": []}
    starts: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        story = story_file(args.story, Path(tmp), args.generated)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])  # fmt: skip
        for _ in range(args.runs):
            port = free_port()
            proc = subprocess.Popen(
                [sys.executable, "-m", "storymap", "serve", str(story), "--port", str(port),
                 "--workers", str(args.workers)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )  # fmt: skip
            try:
                starts.append(wait_for_port(port, proc))
                url = f"http://127.0.0.1:{port}{args.path}?day={args.day}"
                rows["cold"].append(navigate(browser, url, port, args.steps))
                for _ in range(args.warm):
                    rows["warm"].append(navigate(browser, url, port, args.steps))
            finally:
                proc.terminate()
                proc.wait(timeout=10)
        browser.close()
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    print(f"served {args.path}?day={args.day}, {args.workers} workers, tiles blocked, "
          f"load average {load:.1f} on {os.cpu_count()} cores; server up in median "
          f"{statistics.median(starts):.2f} s")  # fmt: skip
    for kind, found in rows.items():
        def med(key: str, found: list[dict[str, float]] = found) -> float:
            return statistics.median(r[key] for r in found)

        pins = sorted(r["pins"] for r in found)
        print(f"{kind} ({len(found)} loads): navigation → first pins median {med('pins'):.0f} ms "
              f"(min {pins[0]:.0f}, max {pins[-1]:.0f}; target 500), painted {med('painted'):.0f} "
              f"ms; HTML response end {med('response'):.0f} ms, DOMContentLoaded "
              f"{med('dcl'):.0f} ms, storymap:ready {med('ready'):.0f} ms")  # fmt: skip
        if args.steps:
            print(f"  next day: in-page step median {med('step'):.1f} ms (worst load's max "
                  f"{max(r['step_max'] for r in found):.0f} ms; target 50), the day's events "
                  f"shown at once in {med('whole'):.0f}% of steps")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
