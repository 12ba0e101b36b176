"""`--online` end to end against a stand-in Nominatim: context, choice, politeness, kept offline.

The stand-in (tests/nominatim_stub.py) answers from a table in which the namesakes in other
cities called Lancaster (England, Ohio, South Carolina) rank above the ones in Lancaster,
Pennsylvania that the text means; one square exists only in England.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storymap.geo.distance import distance_km
from storymap.pipeline import OnlineRun, SourceText, analyse, look_up_online
from storymap.pipeline.online import Ask, judge, lookup_documents, plan
from storymap.pipeline.resolve import ResolvedMention
from storymap.resolvers import DEFAULT_RESOLVERS, get_resolver
from storymap.resolvers.base import Candidate
from storymap.resolvers.geopy_backend import GeopyResolver

from .nominatim_stub import StubNominatim, feature, running

TEXT = Path(__file__).parent / "data" / "online" / "lancaster-1863.txt"
LANCASTER_PA = (40.03788, -76.30551)

PA = {"city": "Lancaster", "state": "Pennsylvania"}
ENGLAND = {"city": "Lancaster", "state": "England", "country": "United Kingdom", "code": "gb"}
OHIO = {"city": "Lancaster", "state": "Ohio"}
CAROLINA = {"city": "Lancaster", "state": "South Carolina"}
CHURCH = ("amenity", "place_of_worship")
FEATURES = [
    feature("Penn Square", 39.7136, -82.5993, **OHIO, importance=0.9),
    feature("Penn Square", 40.03794, -76.30571, **PA, importance=0.4),
    feature("Penn Square", 39.9524, -75.1636, city="Philadelphia", state="Pennsylvania",
            importance=0.95),
    feature("Fulton Opera House", 40.03658, -76.30845, **PA, kind=("amenity", "theatre")),
    feature("Dalton Square", 54.0476, -2.7990, **ENGLAND, importance=0.6),
    feature("Trinity Lutheran Church", 39.7140, -82.6001, **OHIO, kind=CHURCH, importance=0.7),
    feature("Trinity Lutheran Church", 40.03719, -76.30468, **PA, kind=CHURCH, importance=0.3),
    feature("Lancaster County Prison", 34.7204, -80.7709, **CAROLINA, kind=("building", "yes"),
            importance=0.8),
    feature("Lancaster County Prison", 40.03871, -76.29462, **PA, kind=("building", "yes"),
            importance=0.2),
    feature("St. James Church", 54.0490, -2.8010, **ENGLAND, kind=CHURCH, importance=0.9),
    feature("St. James Church", 40.04170, -76.30560, **PA, kind=CHURCH, importance=0.1),
]
#: every landmark the text names in Lancaster, Pennsylvania (Dalton Square is in England)
IN_TOWN = {"Penn Square", "Fulton Opera House", "Trinity Lutheran Church",
           "Lancaster County Prison", "St. James Church"}


@pytest.fixture()
def stub() -> Iterator[StubNominatim]:
    with running() as server:
        server.features = FEATURES
        yield server


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the module: the GeoNames index is built once (~15 s)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _fresh_answers(shared_cache: Path) -> None:
    """…but no test sees another's online answers, or its rate-limit clock."""
    for old in shared_cache.glob("geocode*"):
        old.unlink()


Done = subprocess.CompletedProcess[str]


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> tuple[Done, float]:
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "storymap", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=300)
    return done, time.monotonic() - start


def environment(cache: Path, domain: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYMAP_")}
    env["STORYMAP_CACHE_DIR"] = str(cache)
    env["STORYMAP_GEOPY_OPTIONS"] = json.dumps({"domain": domain, "scheme": "http"})
    return env


def pins(story: dict[str, Any]) -> dict[str, dict[str, Any] | None]:
    """Each mention's text → its place (None when unplaced)."""
    places = {p["id"]: p for p in story["places"]}
    return {m["text"]: places.get(m["place_id"] or "") for m in story["mentions"]}


def test_online_build_places_every_landmark_in_its_city_and_keeps_them(
        stub: StubNominatim, tmp_path: Path, shared_cache: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    text = folder / TEXT.name
    text.write_text(TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    env = environment(shared_cache, stub.domain)
    offline, _ = run_cli("build", str(text), "-o", "offline.json", env=env, cwd=tmp_path)
    assert offline.returncode == 0, offline.stderr
    assert not stub.requests and not (folder / "corrections.yaml").exists()

    done, _ = run_cli("build", str(text), "--online", "-o", "story.json", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # 8 names: the five of IN_TOWN, Dalton Square, and Central Market and Franklin Hall
    # (read since issue 15; the stub knows neither, so they stay unresolved)
    assert "looking up 8 names online (OpenStreetMap Nominatim at 127.0.0.1:" in done.stderr
    assert "placed 5 of 8 names online; 1 answer lies far from the text's places" in done.stderr
    story = json.loads((tmp_path / "story.json").read_text(encoding="utf-8"))
    found = pins(story)
    for name in IN_TOWN:
        place = found[name]
        assert place is not None and place["id"].startswith("geopy:nominatim:"), name
        assert distance_km(place["lat"], place["lon"], *LANCASTER_PA) < 3, (name, place)
    # only in England: a proposal, never a pin; it keeps its offline estimate, at Lancaster
    # and flagged as estimated (the text's towns, Lancaster and York, lie close together)
    dalton = found["Dalton Square"]
    assert dalton is not None and dalton["estimated"] and dalton["id"].endswith(":dalton-square")
    assert any(a["text"] == "© OpenStreetMap contributors (ODbL)" for a in story["attributions"])
    # asked with context, in the area of the text's places, politely
    assert "Penn Square, Lancaster" in stub.queries()
    assert all(q.endswith((", Lancaster", ", Pennsylvania", ", United States"))
               for q in stub.queries())
    west, south, east, north = (float(x) for x in
                                stub.requests[0]["params"]["viewbox"][0].split(","))
    assert south < LANCASTER_PA[0] < north and west < LANCASTER_PA[1] < east
    assert min(stub.gaps()) >= 1.0, stub.gaps()
    assert all("github.com/storymap/storymap" in r["headers"]["User-Agent"]
               for r in stub.requests)
    # kept in the corrections file, with source and licence
    saved = (folder / "corrections.yaml").read_text(encoding="utf-8")
    assert "license: ODbL 1.0" in saved and "OpenStreetMap Nominatim: Penn Square" in saved
    assert "Dalton Square" not in saved
    asked = len(stub.requests)

    again, _ = run_cli("build", str(text), "--online", "-o", "again.json", env=env, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert len(stub.requests) - asked <= 3  # only Dalton Square's questions, from the cache
    assert len(stub.requests) == asked  # …which answers them: no request at all

    stub.fail_with = 500  # the service is gone: a rebuild without --online needs none
    plain, _ = run_cli("build", str(text), "-o", "plain.json", env=env, cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    rebuilt = pins(json.loads((tmp_path / "plain.json").read_text(encoding="utf-8")))
    assert {n: p and p["id"] for n, p in rebuilt.items()} == \
        {n: p and p["id"] for n, p in found.items()}
    exported, _ = run_cli("export", str(text), "-f", "geojson", "-o", "out.geojson", env=env,
                          cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    exported_ids = {f["properties"]["place_id"]
                    for f in json.loads((tmp_path / "out.geojson").read_text())["features"]}
    assert found["Penn Square"]["id"] in exported_ids
    assert len(stub.requests) == asked


@pytest.mark.parametrize("how", ["refused", "silent"])
def test_a_service_that_is_down_costs_at_most_15_seconds(stub: StubNominatim, tmp_path: Path,
                                                        shared_cache: Path, how: str) -> None:
    text = tmp_path / TEXT.name
    text.write_text(TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    domain = stub.domain
    if how == "refused":
        stub.shutdown()
        stub.server_close()
    else:
        stub.hang = True  # accepts, never answers
    env = environment(shared_cache, domain)
    base, _ = run_cli("build", str(text), "-o", "offline.json", env=env, cwd=tmp_path)
    assert base.returncode == 0, base.stderr  # (builds the GeoNames index if not yet there)
    base, offline_s = run_cli("build", str(text), "-o", "offline.json", env=env, cwd=tmp_path)
    done, online_s = run_cli("build", str(text), "--online", "-o", "s.json", env=env,
                             cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    notices = [line for line in done.stderr.splitlines() if "cannot be reached" in line]
    assert len(notices) == 1 and "finished offline: 8 names not looked up" in notices[0]
    assert "Traceback" not in done.stderr
    assert online_s - offline_s <= 15, (online_s, offline_s)
    story = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    offline = json.loads((tmp_path / "offline.json").read_text(encoding="utf-8"))
    assert story["places"] == offline["places"]
    assert not (tmp_path / "corrections.yaml").exists()


def test_limit_and_no_save(stub: StubNominatim, tmp_path: Path, shared_cache: Path) -> None:
    text = tmp_path / TEXT.name
    text.write_text(TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    env = environment(shared_cache, stub.domain)
    done, _ = run_cli("build", str(text), "--online", "--online-limit", "2", "--no-save",
                      "-o", "s.json", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(stub.requests) == 2
    assert "stopped at 2 online requests (--online-limit)" in done.stderr
    assert not (tmp_path / "corrections.yaml").exists()


def test_no_request_without_consent(stub: StubNominatim, tmp_path: Path,
                                    shared_cache: Path) -> None:
    text = tmp_path / TEXT.name
    text.write_text(TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    env = environment(shared_cache, stub.domain)
    for args in (["build", str(text), "-o", "s.json"],
                 ["export", str(text), "-f", "csv", "-o", "s.csv"],
                 ["review", str(text)]):
        done, _ = run_cli(*args, env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    assert stub.requests == []


# -- the rules, one by one, in the library ------------------------------------------------

def candidate(name: str, lat: float, lon: float, country: str = "US",
              kind: str = "town") -> Candidate:
    return Candidate(id=f"x:{name}:{lat}", name=name, lat=lat, lon=lon, kind=kind,
                     country=country)


LANCASTER = candidate("Lancaster", *LANCASTER_PA)


def test_the_nearest_answer_wins_not_the_first() -> None:
    ask = Ask(doc="d", key="penn square", name="Penn Square", queries=("Penn Square",),
              places=(LANCASTER,), countries=frozenset({"US"}))
    ohio = candidate("Penn Square", 39.71, -82.60)
    here = candidate("Penn Square", 40.038, -76.306)
    found = judge(ask, [ohio, here])
    assert found.place == here and found.answers == (here, ohio)


def test_far_or_abroad_answers_are_proposals_only() -> None:
    ask = Ask(doc="d", key="k", name="X", queries=("X",), places=(LANCASTER,),
              countries=frozenset({"US"}))
    ohio = candidate("X", 39.71, -82.60)  # 540 km
    assert judge(ask, [ohio]).place is None and judge(ask, [ohio]).answers == (ohio,)
    canada = candidate("X", 40.5, -76.3, country="CA")  # near, but not the text's country
    assert judge(ask, [canada]).place is None
    bare = Ask(doc="d", key="k", name="X", queries=("X",))
    assert judge(bare, [candidate("X", 40.0, -76.3)]).place is None  # nothing to judge by


def test_a_leading_article_is_not_sent_and_the_area_goes_along() -> None:
    from storymap.pipeline.mentions import Mention

    def mention(name: str, start: int) -> Mention:
        return Mention(doc="d", passage=0, start=start, end=start + len(name), text=name,
                       name=name, how="cue")

    resolved = [ResolvedMention(mention("Lancaster", 0), LANCASTER),
                ResolvedMention(mention("the Old Courthouse", 40), None),
                ResolvedMention(mention("The Hague", 80), None)]
    asks = plan("d", resolved, articles={"the"})
    assert [a.name for a in asks] == ["Old Courthouse", "Hague"]
    assert asks[0].queries[0] == "Old Courthouse, Lancaster"
    south, west, north, east = asks[0].near or (0, 0, 0, 0)
    assert south < LANCASTER.lat < north and west < LANCASTER.lon < east


def test_an_estimated_name_is_asked_and_a_near_answer_replaces_the_estimate() -> None:
    from storymap.pipeline.estimate import estimated_near
    from storymap.pipeline.mentions import Mention

    def mention(name: str, start: int) -> Mention:
        return Mention(doc="d", passage=0, start=start, end=start + len(name), text=name,
                       name=name, how="feature")

    guess = estimated_near(LANCASTER, "Penn Square", "penn square", "a town beside it")
    resolved = [ResolvedMention(mention("Lancaster", 0), LANCASTER),
                ResolvedMention(mention("Penn Square", 40), guess)]
    (ask,) = plan("d", resolved)
    assert ask.name == "Penn Square" and ask.places == (LANCASTER,)  # not the estimate
    here = candidate("Penn Square", 40.038, -76.306)

    class Online:  # answers from its cache: no request, no network
        name = label = license = "stub"
        requests = 0
        down = ""

        def candidates(self, name: str) -> tuple[Candidate, ...]:
            return ()

        def lookup(self, name: str, *, near: object = None) -> tuple[Candidate, ...]:
            raise AssertionError("no request: the cache answers")

        def cached(self, name: str, *, near: object = None) -> tuple[Candidate, ...]:
            return (here,) if name.startswith("Penn Square") else ()

    ((placed, _),) = lookup_documents([("d", resolved)], [Online()], OnlineRun())
    assert placed[1].place == here and placed[0].place == LANCASTER
    here = candidate("Penn Square", 39.71, -82.60)  # 540 km off: a proposal, not the place
    ((placed, answers),) = lookup_documents([("d", resolved)], [Online()], OnlineRun())
    assert placed[1].place == guess and answers["penn square"] == (here,)


def test_settled_names_are_never_asked(stub: StubNominatim, tmp_path: Path) -> None:
    online = GeopyResolver(domain=stub.domain, scheme="http", min_delay_seconds=0,
                           cache_path=tmp_path / "c.sqlite")
    backends = [get_resolver(n) for n in DEFAULT_RESOLVERS]
    a = analyse(SourceText(id="t", text=TEXT.read_text(encoding="utf-8")), resolvers=backends)
    run = OnlineRun()
    (placed,) = look_up_online([a], [online], run=run,
                               settled=lambda doc, name: name != "Fulton Opera House")
    assert stub.queries() == ["Fulton Opera House, Lancaster"]
    assert run.names == 1 and run.placed == 1
    chosen = {r.mention.text: r.place for r in placed.mentions}
    assert chosen["Fulton Opera House"] is not None
    # the answers are the name's candidates: the reviewer sees them
    assert placed.candidates["fulton opera house"][0].id.startswith("geopy:nominatim:")


def test_photon_is_an_alternative(stub: StubNominatim, tmp_path: Path) -> None:
    photon = GeopyResolver("photon", domain=stub.domain, scheme="http", min_delay_seconds=0,
                           cache_path=tmp_path / "c.sqlite")
    (found, *rest) = photon.lookup("Fulton Opera House, Lancaster", near=(40.0, -76.4, 40.1, -76.2))
    assert not rest and found.source.startswith("OpenStreetMap Photon: Fulton Opera House")
    assert (found.kind, found.country, found.parent) == ("building", "US", "US.PA")
    assert stub.requests[0]["path"] == "/api" and "lat" in stub.requests[0]["params"]
