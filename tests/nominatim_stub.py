"""A stand-in for OpenStreetMap Nominatim (and Photon) on 127.0.0.1, for the online tests.

It answers ``/search`` (Nominatim's protocol, ``format=json``) and ``/api`` (Photon's
GeoJSON) from a table, the way the real service behaves where it matters to storymap:

* ``answers`` maps an exact query to a list of results (as Nominatim sends them);
* otherwise ``features`` are searched: "Penn Square, Lancaster" finds every feature called
  "Penn Square" whose address names "Lancaster" (any part of it), ranked by ``importance``
  — so a namesake in another city can be ranked above the one the text means.

Every request is recorded (monotonic time of arrival, path, parameters, headers).
``fail_with`` answers an HTTP error instead; ``hang`` holds each request without answering
(a service that accepts connections and never replies).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def feature(name: str, lat: float, lon: float, *, city: str = "", state: str = "",
            country: str = "United States", code: str = "us", kind: tuple[str, str] =
            ("place", "square"), importance: float = 0.5, osm_id: int = 0) -> dict[str, Any]:
    """One Nominatim result: a named feature with its address."""
    address = {k: v for k, v in (("city", city), ("state", state), ("country", country)) if v}
    address["country_code"] = code
    display = ", ".join(v for v in (name, city, state, country) if v)
    return {"place_id": osm_id or abs(hash((name, lat, lon))) % 10**8, "osm_type": "way",
            "osm_id": osm_id or abs(hash((name, lat, lon))) % 10**8, "lat": str(lat),
            "lon": str(lon), "class": kind[0], "type": kind[1], "addresstype": kind[1],
            "name": name, "display_name": display, "importance": importance,
            "address": address}


class StubNominatim(ThreadingHTTPServer):
    """The server; use :func:`running` to start and stop it."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answers: dict[str, list[dict[str, Any]]] = {}
        self.features: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.fail_with: int | None = None
        self.hang = False
        self.stopping = threading.Event()

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.server_port}"

    def queries(self) -> list[str]:
        return [r["params"].get("q", [""])[0] for r in self.requests]

    def gaps(self) -> list[float]:
        times = [r["at"] for r in self.requests]
        return [b - a for a, b in itertools.pairwise(times)]

    def search(self, q: str) -> list[dict[str, Any]]:
        if q in self.answers:
            return self.answers[q]
        name, *context = [_fold(p) for p in q.split(",")]
        found = []
        for f in self.features:
            if _fold(f["name"]) != name:
                continue
            where = [_fold(str(v)) for v in f["address"].values()]
            if all(c in where for c in context if c):
                found.append(f)
        return sorted(found, key=lambda f: -float(f.get("importance", 0)))


class _Handler(BaseHTTPRequestHandler):
    server: StubNominatim

    def do_GET(self) -> None:
        url = urlparse(self.path)
        params = parse_qs(url.query)
        self.server.requests.append({"at": time.monotonic(), "path": url.path,
                                     "params": params, "headers": dict(self.headers)})
        if self.server.hang:
            self.server.stopping.wait(30)
            return
        if self.server.fail_with is not None:
            self.send_error(self.server.fail_with, "stub failure")
            return
        q = params.get("q", [""])[0]
        limit = int(params.get("limit", ["10"])[0])
        found = self.server.search(q)[:limit]
        if url.path == "/search" and params.get("format") == ["json"]:
            body: Any = found
        elif url.path == "/api":
            body = {"type": "FeatureCollection", "features": [_photon(f) for f in found]}
        else:
            self.send_error(400, "expected /search?format=json or /api")
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


def _photon(f: dict[str, Any]) -> dict[str, Any]:
    address = f["address"]
    return {"type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(f["lon"]), float(f["lat"])]},
            "properties": {"osm_type": "W", "osm_id": f["osm_id"], "osm_key": f["class"],
                           "osm_value": f["type"], "type": f["addresstype"], "name": f["name"],
                           "city": address.get("city"), "state": address.get("state"),
                           "country": address.get("country"),
                           "countrycode": address["country_code"].upper()}}


@contextmanager
def running() -> Iterator[StubNominatim]:
    """Start a stub on a free port; stop it (and any held request) at the end."""
    server = StubNominatim()
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
