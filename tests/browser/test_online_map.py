"""`storymap serve TEXT --online` in Chromium against a stand-in Nominatim (issue 17).

A text about the squares and buildings of Lancaster, Pennsylvania; the stand-in ranks
namesakes in Lancaster, England and Ohio first. The served map shows every landmark in
Lancaster, PA, credits OpenStreetMap, and a second server started without --online (the
service now broken) shows the same pins from corrections.yaml. Screenshots in
artifacts/screenshots/online-*.png.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from storymap.geo.distance import distance_km
from tests.helpers import free_port
from tests.nominatim_stub import running
from tests.test_online import FEATURES, IN_TOWN, LANCASTER_PA, TEXT

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def _png() -> bytes:
    """A 1×1 light grey PNG: the stand-in for every map tile."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xee\xec\xe6")) + chunk(b"IEND", b""))


BLANK_PNG = _png()


def serve(text: Path, env: dict[str, str], *extra: str) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "storymap", "serve", str(text), "--port", str(port),
         "--workers", "1", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    for line in proc.stdout:
        if re.search(r"serving .* at http://", line):
            break
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            return proc, base
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    err = proc.stderr.read() if proc.stderr else ""
    raise AssertionError("storymap serve did not start: " + err)


def stop(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    _, err = proc.communicate(timeout=30)
    return err


def story_of(base: str) -> dict[str, Any]:
    with urllib.request.urlopen(base + "/api/story", timeout=10) as r:
        data: dict[str, Any] = json.loads(r.read())
    return data


def test_served_online_map_pins_every_landmark_in_its_city(context: Any, tmp_path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    folder = tmp_path / "class"
    folder.mkdir()
    text = folder / TEXT.name
    text.write_text(TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    with running() as stub:
        stub.features = FEATURES
        env = {k: v for k, v in os.environ.items() if not k.startswith("STORYMAP_")}
        env["STORYMAP_CACHE_DIR"] = str(tmp_path / "cache")
        env["STORYMAP_GEOPY_OPTIONS"] = json.dumps({"domain": stub.domain, "scheme": "http"})
        proc, base = serve(text, env, "--online")
        try:
            story = story_of(base)
            places = {p["id"]: p for p in story["places"]}
            online = {m["text"]: places[m["place_id"]] for m in story["mentions"]
                      if (m["place_id"] or "").startswith("geopy:")}
            assert set(online) == IN_TOWN
            for name, p in online.items():
                assert distance_km(p["lat"], p["lon"], *LANCASTER_PA) < 3, name
            page = context.new_page()
            # blank tiles instead of none: the map is "online", so it zooms to the streets
            page.route(re.compile(r"^https://[abc]\.tile\.openstreetmap\.org/"),
                       lambda route: route.fulfill(body=BLANK_PNG, content_type="image/png"))
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base + "/?day=1863-07-04")  # every earlier place shows, faded
            page.wait_for_selector("html.sm-ready")
            for pid in {p["id"] for p in online.values()}:
                assert page.locator(f'path[data-place="{pid}"]').count() == 1, pid
            page.wait_for_timeout(800)  # the fly to the day
            page.screenshot(path=str(SHOTS / "online-1-lancaster-last-day.png"))
            square = next(p["id"] for n, p in online.items() if n == "Penn Square")
            page.locator(f'path[data-place="{square}"]').click(force=True)
            # at the day's zoom the town's landmarks share one stacked pin that lists them
            popup = page.locator(".leaflet-popup")
            popup.wait_for()
            assert "Penn Square" in popup.inner_text()
            page.locator(".leaflet-popup-close-button").click()
            box = page.locator(f'path[data-place="{square}"]').bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            for _ in range(6):  # down to the streets (around the pin): they stand apart
                page.mouse.wheel(0, -60)  # Leaflet: 60 px of wheel per zoom level
                page.wait_for_timeout(300)
            page.wait_for_timeout(500)
            page.screenshot(path=str(SHOTS / "online-1b-lancaster-zoomed.png"))
            page.locator("#sm-about-open").click()
            assert "OpenStreetMap" in page.locator("#sm-about-credits").inner_text()
            page.screenshot(path=str(SHOTS / "online-2-credits.png"))
            assert not errors
            page.close()
        finally:
            err = stop(proc)
        # 8: the reader also reads Central Market and Franklin Hall, which the stub lacks
        assert "looking up 8 names online" in err and "placed 5 of 8" in err
        assert min(stub.gaps()) >= 1.0
        asked = len(stub.requests)
        stub.fail_with = 500
        proc, base = serve(text, env)  # no --online: the pins come from corrections.yaml
        try:
            again = story_of(base)
            assert {p["id"] for p in again["places"]} == set(places)
        finally:
            stop(proc)
        assert len(stub.requests) == asked
