"""The geopy resolver against a local stub speaking Nominatim's /search protocol."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from storymap.errors import ConfigError, GeocoderError
from storymap.resolvers.geopy_backend import GeopyResolver

SZEGED = {
    "place_id": 123, "osm_type": "relation", "osm_id": 1036468, "lat": "46.2530102",
    "lon": "20.1414253", "class": "boundary", "type": "administrative", "addresstype": "city",
    "name": "Szeged", "display_name": "Szeged, Szegedi járás, Csongrád-Csanád, Magyarország",
    "importance": 0.7, "address": {"city": "Szeged", "country": "Magyarország",
                                    "country_code": "hu"},
}
KOSSUTH = {
    "place_id": 9, "osm_type": "way", "osm_id": 4, "lat": "47.5069", "lon": "19.0472",
    "class": "highway", "type": "pedestrian", "addresstype": "road", "name": "Kossuth Lajos tér",
    "display_name": "Kossuth Lajos tér, Budapest, Magyarország",
    "address": {"country_code": "hu"},
}
ANSWERS: dict[str, list[dict[str, Any]]] = {"Szeged": [SZEGED], "Kossuth tér": [KOSSUTH]}


class Stub(ThreadingHTTPServer):
    """A Nominatim stand-in that records every request and can be told to fail."""

    requests: list[tuple[float, dict[str, list[str]]]]
    fail_with: int | None


class Handler(BaseHTTPRequestHandler):
    server: Stub

    def do_GET(self) -> None:
        url = urlparse(self.path)
        params = parse_qs(url.query)
        self.server.requests.append((time.monotonic(), params))
        if self.server.fail_with is not None:
            self.send_error(self.server.fail_with, "stub failure")
            return
        if url.path != "/search" or params.get("format") != ["json"]:
            self.send_error(400, "expected /search?format=json")
            return
        body = json.dumps(ANSWERS.get(params["q"][0], [])).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


@pytest.fixture()
def stub() -> Iterator[Stub]:
    server = Stub(("127.0.0.1", 0), Handler)
    server.requests, server.fail_with = [], None
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def resolver(stub: Stub, cache: Path, **options: Any) -> GeopyResolver:
    options.setdefault("min_delay_seconds", 0.0)
    return GeopyResolver(domain=f"127.0.0.1:{stub.server_port}", scheme="http",
                         cache_path=cache, **options)


def test_results_become_candidates(stub: Stub, tmp_path: Path) -> None:
    (szeged,) = resolver(stub, tmp_path / "c.sqlite").candidates("Szeged")
    assert szeged.id == "geopy:nominatim:relation1036468"
    assert (szeged.name, szeged.kind, szeged.country) == ("Szeged", "city", "HU")
    assert (szeged.lat, szeged.lon) == (46.2530102, 20.1414253)
    assert szeged.source.startswith("geopy nominatim: Szeged, Szegedi")
    (_, params), = stub.requests
    assert params["q"] == ["Szeged"] and params["addressdetails"] == ["1"]
    assert stub.requests[0][1]["limit"] == ["5"]


def test_second_run_is_answered_from_the_cache(stub: Stub, tmp_path: Path) -> None:
    cache = tmp_path / "c.sqlite"
    first = resolver(stub, cache).candidates("Kossuth tér")
    assert first[0].kind == "street"
    assert len(stub.requests) == 1
    stub.fail_with = 500  # the server is now broken: only the cache can answer
    again = resolver(stub, cache)
    assert again.candidates("Kossuth  tér ") == first
    assert len(stub.requests) == 1


def test_not_found_is_empty_and_cached(stub: Stub, tmp_path: Path) -> None:
    cache = tmp_path / "c.sqlite"
    assert resolver(stub, cache).candidates("Nowhere at all") == ()
    assert resolver(stub, cache).candidates("Nowhere at all") == ()
    assert len(stub.requests) == 1
    assert resolver(stub, cache).candidates("   ") == ()
    assert len(stub.requests) == 1


def test_server_error_is_a_geocoder_error_and_not_cached(stub: Stub, tmp_path: Path) -> None:
    cache = tmp_path / "c.sqlite"
    stub.fail_with = 500
    r = resolver(stub, cache, max_retries=1, error_wait_seconds=0.01)
    with pytest.raises(GeocoderError, match=r"'Szeged' with geopy:nominatim failed"):
        r.candidates("Szeged")
    assert len(stub.requests) == 2  # one retry
    stub.fail_with = None
    assert r.candidates("Szeged")[0].name == "Szeged"


def test_requests_are_rate_limited(stub: Stub, tmp_path: Path) -> None:
    r = resolver(stub, tmp_path / "c.sqlite", min_delay_seconds=0.05)
    start = time.monotonic()
    for name in ("Szeged", "Kossuth tér", "Pécs", "Szeged"):  # the last is a cache hit
        r.candidates(name)
    elapsed = time.monotonic() - start
    assert len(stub.requests) == 3
    # Two waits between three requests; measured on the client, where the limiter acts.
    assert elapsed >= 0.1, elapsed


def test_unknown_service_names_the_fix() -> None:
    with pytest.raises(ConfigError, match=r"unknown geopy service 'nosuch'.*nominatim"):
        GeopyResolver("nosuch")


def test_unwritable_cache_is_a_geocoder_error(stub: Stub, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(GeocoderError, match="STORYMAP_CACHE_DIR"):
        resolver(stub, blocker / "c.sqlite").candidates("Szeged")


def test_the_registry_takes_geocoder_options_from_the_environment(
        stub: Stub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storymap.errors import ConfigError
    from storymap.resolvers import get_resolver

    monkeypatch.setenv("STORYMAP_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("STORYMAP_GEOPY_OPTIONS",
                       json.dumps({"domain": f"127.0.0.1:{stub.server_port}", "scheme": "http"}))
    found = get_resolver("geopy:nominatim").candidates("Szeged")
    assert [c.name for c in found] == ["Szeged"] and len(stub.requests) == 1
    monkeypatch.setenv("STORYMAP_GEOPY_OPTIONS", "[1, 2]")
    with pytest.raises(ConfigError, match="expected a JSON object"):
        get_resolver("geopy:nominatim")
