"""Measure the story map page: page-ready time, next-day step time, and the export's size.

Usage: ``python benchmarks/bench_page.py [story.json] [--runs N]``

Without a story file it builds the 1956 story from the bundled seed texts with
``storymap.build_story`` when the engine is there, else a stand-in story made here from
the same texts (regex dates, landmark names) so the page has realistic volume.
It renders the standalone export, opens it from file:// in headless Chromium with every
non-file request aborted (no tiles), and reads the page's own Performance API entries:
``storymap:load`` (script start → map, first day's markers and panel drawn, mark
``storymap:ready``) and ``storymap:step`` (one step, measured in the page). Prints
numbers; asserts nothing. It does so at a phone's width (375 px), a projector's
(1920×1080), in a 560×315 iframe of a lesson page (#embed), and at 1280×800. Budgets
(issues 3, 4 and 9): ready ≤ 1.0 s, step ≤ 50 ms, export ≤ 600 KB and ≤ 250 KB gzipped.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storymap.model import (  # noqa: E402
    DateRecord,
    Document,
    Event,
    MentionRecord,
    Place,
    PlaceRef,
    SourceRef,
    Story,
)

SEEDS = ROOT / "storymap" / "examples" / "hungary-1956"
GEO = ROOT.parent / "shared" / "data" / "geo"
CHROMIUM = "/usr/bin/chromium"
MONTHS = ("January February March April May June July August September October November "
          "December").split()  # fmt: skip
_DAY = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r")(?: (19\d\d))?\b")
PAINTED = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r") (19\d\d)\b")


def load_story(path: str | None) -> tuple[Story, str]:
    """Return the story to measure and where it came from."""
    if path:
        return Story.from_json(Path(path).read_text(encoding="utf-8"), filename=path), path
    try:
        from storymap import build_story  # type: ignore[attr-defined]

        texts = sorted(SEEDS.glob("*.txt"))
        return build_story(texts), "storymap.build_story(seed texts)"
    except Exception as exc:  # the engine may not exist yet: measure a stand-in
        return stand_in_story(), f"stand-in story ({type(exc).__name__}: engine unavailable)"


def stand_in_story() -> Story:
    """Build a 1956-sized story from the seed texts with regexes (for measuring only)."""
    import json

    places: list[Place] = [Place("budapest", "Budapest", 47.49835, 19.04045, "city",
                                   {"hu": "Budapest"})]
    aliases: dict[str, str] = {"Budapest": "budapest"}
    csv_path = GEO / "landmarks-1956.csv"
    if csv_path.is_file():
        with csv_path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                places.append(Place(row["id"], row["name_en"], float(row["lat"]), float(row["lon"]),
                                    row["kind"], {"hu": row["name_hu"]}))  # fmt: skip
                for alias in [row["name_en"], *row["aliases"].split("|")]:
                    if len(alias) > 3:
                        aliases[alias] = row["id"]
    for pid, name, lat, lon in (("moscow", "Moscow", 55.752, 37.618), ("vienna", "Vienna", 48.208,
                                16.372), ("warsaw", "Warsaw", 52.23, 21.01), ("poznan", "Poznań",
                                52.41, 16.93), ("gyor", "Győr", 47.687, 17.634)):  # fmt: skip
        places.append(Place(pid, name, lat, lon, "city"))
        aliases[name] = pid
    districts = GEO / "budapest-districts-1956.geojson"
    if districts.is_file():
        for f in json.loads(districts.read_text(encoding="utf-8"))["features"]:
            pid = f"district-{f['properties']['number']}"
            name = f"District {f['properties']['number_roman']} ({f['properties']['name_hu']})"
            places.append(Place(pid, name, 47.5, 19.05, "district",
                                {"hu": f["properties"]["name_hu"]}, geometry=f["geometry"]))
            aliases[f["properties"]["name_hu"]] = pid
    alias_re = re.compile("|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True)))
    docs, events, mentions, dates = [], [], [], []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        docs.append(Document(path.stem, f"Hungarian Revolution of 1956 ({path.stem})", text,
                             url="https://en.wikipedia.org/wiki/Hungarian_Revolution_of_1956",
                             license="CC BY-SA 4.0"))  # fmt: skip
        for m in alias_re.finditer(text):
            mentions.append(
                MentionRecord(path.stem, m.start(), m.end(), m.group(), aliases[m.group()])
            )
        for sm in re.finditer(r"[^.\n]+[.]", text):
            sentence, start = sm.group(), sm.start()
            found = _DAY.search(sentence) or _MONTH.search(sentence)
            if not found:
                continue
            if found.re is _DAY:
                year = found.group(3) or "1956"
                iso = f"{year}-{MONTHS.index(found.group(2)) + 1:02d}-{int(found.group(1)):02d}"
                precision = "day"
            else:
                iso = f"{found.group(2)}-{MONTHS.index(found.group(1)) + 1:02d}"
                precision = "month"
            dates.append(DateRecord(path.stem, start + found.start(), start + found.end(),
                                    found.group(), iso, precision))  # fmt: skip
            refs = {aliases[m.group()]: m.group() for m in alias_re.finditer(sentence)}
            events.append(Event(
                id=f"{path.stem[:3]}-{len(events)}", date=iso, precision=precision,
                title=sentence.strip()[:80], quote=sentence.strip(),
                places=tuple(PlaceRef(k, v) for k, v in refs.items()),
                sources=(SourceRef(path.stem, start, sm.end()),),
            ))  # fmt: skip
    return Story("The Hungarian Revolution of 1956", tuple(docs), tuple(places), tuple(events),
                 tuple(mentions), tuple(dates))  # fmt: skip


#: Where a class sees the page: a phone, a projector's 1080p screen, a video-sized iframe
#: in a lesson page (the standalone file's #embed mode), and the desktop of the old numbers.
VIEWS: tuple[tuple[str, int, int, bool], ...] = (
    ("phone 375x740", 375, 740, False),
    ("projector 1920x1080", 1920, 1080, False),
    ("iframe 560x315", 560, 315, True),
    ("desktop 1280x800", 1280, 800, False),
)


def measure(html: Path, *, runs: int, steps: int, width: int = 1280, height: int = 800,
            iframe: bool = False) -> tuple[list[float], list[float], list[float]]:
    """Open ``html`` ``runs`` times; return ready times, in-page step times, wall step times.

    With ``iframe`` the file is opened in #embed mode inside a ``width``×``height`` iframe of
    a host page (the browser window is then the lesson page, 1280×800).
    """
    from playwright.sync_api import sync_playwright

    host = html.with_name("lesson.html")
    host.write_text(f'<!doctype html><title>lesson</title><iframe src="{html.name}#embed" '
                    f'width="{width}" height="{height}" style="border:0"></iframe>',
                    encoding="utf-8")  # fmt: skip
    ready, step, wall = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])  # fmt: skip
        for _ in range(runs):
            size = {"width": 1280, "height": 800} if iframe else {"width": width, "height": height}
            context = browser.new_context(viewport=size)
            context.route(re.compile(r"^(?!file:|data:)"), lambda route: route.abort())
            page = context.new_page()
            page.goto((host if iframe else html).as_uri())
            frame = page.wait_for_selector("iframe").content_frame() if iframe else page.main_frame
            frame.wait_for_function("performance.getEntriesByName('storymap:ready').length > 0")
            ready.append(frame.evaluate(
                "performance.getEntriesByName('storymap:ready')[0].startTime"))  # fmt: skip
            frame.evaluate("window.storymap.go(window.storymap.steps.find(s => s.phase === 'main')"
                           "?.date || window.storymap.steps[0].date)")  # fmt: skip
            frame.evaluate("performance.clearMeasures('storymap:step')")  # the jump is no step
            for _ in range(steps):
                t0 = time.perf_counter()
                frame.click("#sm-next")
                frame.evaluate(PAINTED)
                wall.append((time.perf_counter() - t0) * 1000)
            step += frame.evaluate(
                "performance.getEntriesByName('storymap:step').map(m => m.duration)")  # fmt: skip
            context.close()
        browser.close()
    return ready, step, wall


def main() -> int:
    """Print the page and export numbers."""
    from storymap.formats.html import export_html

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("story", nargs="?")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=12)
    args = parser.parse_args()
    story, origin = load_story(args.story)
    t0 = time.perf_counter()
    html = export_html(story)
    render_ms = (time.perf_counter() - t0) * 1000
    raw = html.encode("utf-8")
    print(f"story: {origin}: {len(story.events)} events, {len(story.days())} days, "
          f"{len(story.places)} places, {len(story.documents)} documents")  # fmt: skip
    print(f"export: {len(raw) / 1024:.1f} KB raw (budget 600), "
          f"{len(gzip.compress(raw, 9)) / 1024:.1f} KB gzipped (budget 250), "
          f"rendered in {render_ms:.0f} ms")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "story.html"
        path.write_bytes(raw)
        for name, width, height, iframe in VIEWS:
            ready, step, wall = measure(path, runs=args.runs, steps=args.steps, width=width,
                                        height=height, iframe=iframe)  # fmt: skip
            p95 = sorted(step)[max(int(len(step) * 0.95) - 1, 0)]
            print(f"{name}: page ready (file://, no tiles) median "
                  f"{statistics.median(ready):.0f} ms, "
                  f"max {max(ready):.0f} ms over {len(ready)} loads (budget 1000); "
                  f"next-day step in page median {statistics.median(step):.1f} ms, "
                  f"p95 {p95:.1f} ms over {len(step)} steps (budget 50); "
                  f"click→painted median {statistics.median(wall):.1f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
