"""The geopy resolver against a local stub speaking Nominatim's /search protocol."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storymap.errors import ConfigError, GeocoderError
from storymap.pipeline.mentions import Mention
from storymap.pipeline.online import resolve_unresolved
from storymap.pipeline.resolve import resolve_mentions
from storymap.resolvers.base import Candidate
from storymap.resolvers.fake import FakeResolver
from storymap.resolvers.geopy_backend import GeopyResolver

from .nominatim_stub import StubNominatim, running

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


Stub = StubNominatim


@pytest.fixture()
def stub() -> Iterator[Stub]:
    with running() as server:
        server.answers = ANSWERS
        yield server


def resolver(stub: Stub, cache: Path, **options: Any) -> GeopyResolver:
    options.setdefault("min_delay_seconds", 0.0)
    return GeopyResolver(domain=stub.domain, scheme="http", cache_path=cache, **options)


def test_results_become_candidates(stub: Stub, tmp_path: Path) -> None:
    (szeged,) = resolver(stub, tmp_path / "c.sqlite").candidates("Szeged")
    assert szeged.id == "geopy:nominatim:relation1036468"
    assert (szeged.name, szeged.kind, szeged.country) == ("Szeged", "city", "HU")
    assert (szeged.lat, szeged.lon) == (46.2530102, 20.1414253)
    assert szeged.source.startswith("OpenStreetMap Nominatim: Szeged, Szegedi")
    (request,) = stub.requests
    params = request["params"]
    assert params["q"] == ["Szeged"] and params["addressdetails"] == ["1"]
    assert params["limit"] == ["8"]
    # who asks, and where to read about it (Nominatim's usage policy)
    assert re.fullmatch(r"storymap/\S+ \(\+https://github\.com/storymap/storymap\)",
                        request["headers"]["User-Agent"])


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


def test_a_failing_service_is_down_for_the_run_and_nothing_is_cached(stub: Stub,
                                                                     tmp_path: Path) -> None:
    cache = tmp_path / "c.sqlite"
    stub.fail_with = 500
    r = resolver(stub, cache, retry_wait_seconds=0.01)
    with pytest.raises(GeocoderError, match=r"OpenStreetMap Nominatim at 127.0.0.1:\d+ cannot "
                                            r"be reached \(GeocoderServiceError"):
        r.candidates("Szeged")
    assert len(stub.requests) == 2 and r.down  # one retry, then down
    stub.fail_with = None
    with pytest.raises(GeocoderError, match="cannot be reached"):
        r.candidates("Kossuth tér")  # remembered for the run: no request at all
    assert len(stub.requests) == 2
    # the next run asks again (nothing was cached)
    assert resolver(stub, cache).candidates("Szeged")[0].name == "Szeged"


def test_a_refused_question_is_remembered_and_the_others_go_on(stub: Stub,
                                                               tmp_path: Path) -> None:
    r = resolver(stub, tmp_path / "c.sqlite")
    stub.fail_with = 400
    with pytest.raises(GeocoderError, match="could not look up 'Szeged'"):
        r.candidates("Szeged")
    stub.fail_with = None
    with pytest.raises(GeocoderError, match="could not look up 'Szeged'"):
        r.candidates("Szeged")
    assert len(stub.requests) == 1 and not r.down
    assert r.candidates("Kossuth tér")[0].kind == "street"


def test_an_unreachable_service_fails_fast_once(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = GeopyResolver(domain=f"127.0.0.1:{port}", scheme="http", cache_path=tmp_path / "c")
    start = time.monotonic()
    with pytest.raises(GeocoderError, match=r"cannot be reached .*Connection refused"):
        r.candidates("Szeged")
    with pytest.raises(GeocoderError, match="cannot be reached"):
        r.candidates("Pécs")
    assert time.monotonic() - start < 5 and r.requests == 1


def test_a_service_that_never_answers_costs_two_timeouts(stub: Stub, tmp_path: Path) -> None:
    stub.hang = True
    r = resolver(stub, tmp_path / "c.sqlite", timeout=0.5, retry_wait_seconds=0.1)
    start = time.monotonic()
    with pytest.raises(GeocoderError, match=r"cannot be reached .*GeocoderTimedOut"):
        r.candidates("Szeged")
    assert time.monotonic() - start < 3 and len(stub.requests) == 2


def test_requests_are_rate_limited(stub: Stub, tmp_path: Path) -> None:
    r = resolver(stub, tmp_path / "c.sqlite", min_delay_seconds=0.05)
    start = time.monotonic()
    for name in ("Szeged", "Kossuth tér", "Pécs", "Szeged"):  # the last is a cache hit
        r.candidates(name)
    elapsed = time.monotonic() - start
    assert len(stub.requests) == 3
    assert elapsed >= 0.1, elapsed
    # measured where it matters: the service sees the requests that far apart
    assert min(stub.gaps()) >= 0.05, stub.gaps()


def test_the_rate_limit_holds_across_processes(stub: Stub, tmp_path: Path) -> None:
    """Two processes sharing the cache folder take turns: ≥ 0.3 s between any two requests."""
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path\n"
        "from storymap.resolvers.geopy_backend import GeopyResolver\n"
        "r = GeopyResolver(domain=sys.argv[1], scheme='http', min_delay_seconds=0.3,"
        " cache_path=Path(sys.argv[2]) / 'c.sqlite')\n"
        "for name in sys.argv[3:]: r.candidates(name)\n")
    names = [[f"Town {who}{i}" for i in range(4)] for who in "AB"]
    procs = [subprocess.Popen([sys.executable, "-c", script, stub.domain, str(tmp_path), *n])
             for n in names]
    for p in procs:
        assert p.wait(timeout=60) == 0
    assert len(stub.requests) == 8
    assert min(stub.gaps()) >= 0.29, stub.gaps()


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


# Online geocoding as the last resort: only what nothing offline resolves, asked with context.

def answer(name: str, lat: float, lon: float, country: str = "ru") -> dict[str, Any]:
    return {"place_id": abs(hash(name)) % 10**6, "osm_type": "way", "osm_id": len(name),
            "lat": str(lat), "lon": str(lon), "class": "place", "type": "square",
            "addresstype": "square", "name": name.split(",")[0], "display_name": name,
            "address": {"country_code": country}}


ANSWERS.update({
    "Red Square, Moscow": [answer("Red Square, Moscow", 55.7539, 37.6208)],
    "Blorpf Gate, Szeged": [answer("Blorpf Gate, Szeged", 46.25, 20.15, "hu")],
    "Zaryadye Gate, Moscow": [answer("Zaryadye Gate, Moscow", 55.751, 37.628)],
    "Fort Zarah, Kansas": [answer("Fort Zarah, Kansas", 38.37, -98.76, "us")],
    "Blorpf Gate, Hungary": [answer("Blorpf Gate, Hungary", 47.5, 19.0, "hu")],
})
MOSCOW = Candidate(id="moscow", name="Moscow", lat=55.7558, lon=37.6173, kind="city",
                   country="RU")
KREMLIN = Candidate(id="kremlin", name="Kremlin", lat=55.752, lon=37.6175, kind="building",
                    country="RU")
SZEGED_C = Candidate(id="geonames:715429", name="Szeged", lat=46.253, lon=20.1414,
                     kind="city", country="HU", population=160_000)
DEBRECEN = Candidate(id="geonames:721472", name="Debrecen", lat=47.5316, lon=21.6273,
                     kind="city", country="HU", population=200_000)
LEAVENWORTH = Candidate(id="geonames:4274305", name="Leavenworth", lat=39.31, lon=-94.92,
                        kind="town", country="US", population=35_000, parent="US.KS")
KANSAS = Candidate(id="us-ks", name="Kansas", lat=38.5, lon=-98.0, kind="region",
                   country="US")


def mentions_of(text: str, *names: str) -> list[Mention]:
    """The mentions of every occurrence of ``names`` in ``text`` (one passage), in order."""
    out = [Mention(doc="d", passage=0, start=m.start(), end=m.end(), text=name, name=name,
                   how="cue")
           for name in names for m in re.finditer(re.escape(name), text)]
    return sorted(out, key=lambda m: m.start)


def resolve_with(stub: Stub, tmp_path: Path, text: str, offline: dict[str, list[Candidate]],
                 *names: str) -> dict[str, str | None]:
    online = resolver(stub, tmp_path / "c.sqlite")
    offline_first = resolve_mentions(mentions_of(text, *names),
                                     resolvers=[FakeResolver(offline), online])
    found = resolve_unresolved(offline_first, [online])  # the pipeline's online step
    return {r.mention.name: r.place.name if r.place else None for r in found}


def asked(stub: Stub) -> list[str]:
    return stub.queries()


@pytest.mark.parametrize("text", ["Troops paraded on Red Square, Moscow, at dawn.",
                                  "Troops paraded on Red Square in Moscow at dawn."])
def test_the_place_named_next_to_a_name_is_its_context(stub: Stub, tmp_path: Path,
                                                       text: str) -> None:
    found = resolve_with(stub, tmp_path, text, {"Moscow": [MOSCOW]}, "Red Square", "Moscow")
    assert found == {"Red Square": "Red Square", "Moscow": "Moscow"}
    assert asked(stub) == ["Red Square, Moscow"]


def test_names_resolved_offline_are_never_sent(stub: Stub, tmp_path: Path) -> None:
    text = "Students met in Szeged at the Blorpf Gate, Szeged, and in Debrecen."
    found = resolve_with(stub, tmp_path, text, {"Szeged": [SZEGED_C], "Debrecen": [DEBRECEN]},
                         "Szeged", "Blorpf Gate", "Debrecen")
    assert found["Blorpf Gate"] == "Blorpf Gate"
    assert asked(stub) == ["Blorpf Gate, Szeged"]


def test_the_documents_city_is_the_context_of_a_lone_name(stub: Stub, tmp_path: Path) -> None:
    text = "In Moscow the guards left the Kremlin. Later, crowds gathered at Zaryadye Gate."
    found = resolve_with(stub, tmp_path, text, {"Moscow": [MOSCOW], "Kremlin": [KREMLIN]},
                         "Moscow", "Kremlin", "Zaryadye Gate")
    assert found["Zaryadye Gate"] == "Zaryadye Gate"
    assert asked(stub) == ["Zaryadye Gate, Moscow"]


def test_broader_contexts_are_asked_only_when_narrower_ones_find_nothing(
        stub: Stub, tmp_path: Path) -> None:
    text = "The regiment left Leavenworth, in Kansas, for Fort Zarah."
    found = resolve_with(stub, tmp_path, text,
                         {"Leavenworth": [LEAVENWORTH], "Kansas": [KANSAS]},
                         "Leavenworth", "Kansas", "Fort Zarah")
    assert found["Fort Zarah"] == "Fort Zarah"
    assert asked(stub) == ["Fort Zarah, Leavenworth", "Fort Zarah, Kansas"]


def test_the_documents_country_is_the_last_context(stub: Stub, tmp_path: Path) -> None:
    text = "Students marched in Szeged and in Debrecen, and at the Blorpf Gate."
    found = resolve_with(stub, tmp_path, text, {"Szeged": [SZEGED_C], "Debrecen": [DEBRECEN]},
                         "Szeged", "Debrecen", "Blorpf Gate")
    assert found["Blorpf Gate"] == "Blorpf Gate"
    assert asked(stub) == ["Blorpf Gate, Hungary"]


def test_a_name_with_nothing_around_it_is_asked_alone_and_never_pinned(
        stub: Stub, tmp_path: Path) -> None:
    found = resolve_with(stub, tmp_path, "Crowds gathered in Szeged.", {}, "Szeged")
    # a bare guess is a proposal for the reviewer, not a pin
    assert found == {"Szeged": None} and asked(stub) == ["Szeged"]


def test_a_build_asks_the_service_only_about_unresolved_names(stub: Stub,
                                                              tmp_path: Path) -> None:
    from storymap.pipeline import SourceText, analyse
    from storymap.resolvers import DEFAULT_RESOLVERS, get_resolver

    backends = [*(get_resolver(n) for n in DEFAULT_RESOLVERS),
                resolver(stub, tmp_path / "c.sqlite")]
    text = "On 23 October 1956 students gathered at the Blorpf Gate, Szeged, then in Debrecen."
    a = analyse(SourceText(id="t", text=text), resolvers=backends)
    placed = {r.mention.text: r.place.id if r.place else None for r in a.mentions}
    assert placed["Blorpf Gate"] is not None and placed["Blorpf Gate"].startswith("geopy:")
    assert asked(stub) == ["Blorpf Gate, Szeged"]


def test_an_answer_for_another_area_serves_without_a_request(stub: Stub, tmp_path: Path) -> None:
    r = resolver(stub, tmp_path / "c.sqlite")
    first = r.lookup("Szeged", near=(46.0, 20.0, 46.5, 20.5))
    assert len(stub.requests) == 1 and "viewbox" in stub.requests[0]["params"]
    # the text gained a place: a slightly different area, the same question
    assert r.lookup("Szeged", near=(46.0, 19.9, 46.6, 20.5)) == first
    assert r.cached("Szeged") == first and len(stub.requests) == 1
    assert r.cached("Szegedi") is None
