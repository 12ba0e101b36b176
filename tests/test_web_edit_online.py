"""Edit mode's online and search routes over HTTP: consent, token, proposals, rejection."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storymap.corrections.session import EditSession
from storymap.web import create_app
from storymap.web.edit import register_edit

from .nominatim_stub import StubNominatim, feature, running

NOTES = Path(__file__).parent / "data" / "corrections" / "class-notes.txt"
TOKEN = "t0k3n-for-tests"
H = {"X-Storymap-Token": TOKEN}


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")  # the GeoNames index is built once


@pytest.fixture()
def stub(cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StubNominatim]:
    for old in cache.glob("geocode*"):
        old.unlink()
    with running() as server:
        server.features = [feature("Szeged", 46.253, 20.141, city="Szeged", state="Csongrád",
                                   country="Magyarország", code="hu", kind=("place", "city"))]
        monkeypatch.setenv("STORYMAP_GEOPY_OPTIONS",
                           json.dumps({"domain": server.domain, "scheme": "http"}))
        monkeypatch.setenv("STORYMAP_CACHE_DIR", str(cache))
        yield server


@pytest.fixture()
def client(tmp_path: Path, stub: StubNominatim) -> Any:
    shutil.copy(NOTES, tmp_path / NOTES.name)
    session = EditSession.from_paths([tmp_path / NOTES.name])
    app = create_app(session.story, testing=True)
    register_edit(app, session, token=TOKEN)
    return app.test_client()


def test_search_is_offline_unless_asked(client: Any, stub: StubNominatim) -> None:
    r = client.get("/api/places/search?q=Szeged", headers=H)
    assert r.status_code == 200
    choices = r.get_json()["choices"]
    assert choices and choices[0]["name"] == "Szeged" and choices[0]["label"].startswith(
        "Szeged — ")
    assert stub.requests == []  # gazetteer and GeoNames only: nothing sent
    r = client.get("/api/places/search?q=Szeged&online=1", headers=H)
    assert r.status_code == 200 and stub.queries() == ["Szeged"]
    online = [c for c in r.get_json()["choices"] if c["id"].startswith("geopy:")]
    assert online and online[0]["source"].startswith("OpenStreetMap Nominatim: Szeged")
    # asked once: later searches find it in the cache, with no request
    r = client.get("/api/places/search?q=Szeg", headers=H)
    assert any(c["id"].startswith("geopy:") for c in r.get_json()["choices"])
    assert len(stub.requests) == 1
    assert client.get("/api/places/search?q=Szeged").status_code == 403


def test_the_online_button_needs_the_token_and_this_site(client: Any,
                                                         stub: StubNominatim) -> None:
    assert client.post("/api/online/lookup", json={}).status_code == 403
    r = client.post("/api/online/lookup", json={},
                    headers={**H, "Origin": "https://evil.example"})
    assert r.status_code == 403
    r = client.post("/api/online/lookup", data="{}", headers=H)  # not JSON: a form
    assert r.status_code == 400
    assert stub.requests == []
    r = client.post("/api/online/lookup", json={}, headers=H)
    assert r.status_code == 200 and r.get_json()["state"] == "running"
    deadline = time.monotonic() + 30
    while client.get("/api/online", headers=H).get_json()["state"] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    job = client.get("/api/online", headers=H).get_json()
    assert job["state"] == "done" and job["service"].startswith("OpenStreetMap Nominatim")
    review = client.get("/api/review", headers=H).get_json()
    assert review["online"]["state"] == "done"


def test_reject_is_checked(client: Any) -> None:
    r = client.post("/api/online/reject", json={"doc": 3}, headers=H)
    assert r.status_code == 400 and "expected" in r.get_json()["error"]
    r = client.post("/api/online/reject", json={"doc": "d", "name": "Nowhere"}, headers=H)
    assert r.status_code == 200
