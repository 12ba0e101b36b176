"""Names no data places, estimated from the places the text names beside them
(storymap.pipeline.estimate), and a state named after a name (issue 15, resolution)."""

from __future__ import annotations

import csv
import io
import json

from storymap.formats.tables import to_csv, to_geojson, to_mentions_csv
from storymap.model import Story
from storymap.outputs.pagedata import page_data
from storymap.pipeline import SourceText, build_story_from_texts
from storymap.pipeline.estimate import COMPACT_KM
from storymap.pipeline.mentions import Mention
from storymap.pipeline.resolve import resolve_mentions
from storymap.resolvers.base import Candidate
from storymap.resolvers.fake import FakeResolver


def town(cid: str, name: str, lat: float, lon: float, parent: str,
         population: int = 20_000) -> Candidate:
    return Candidate(id=cid, name=name, lat=lat, lon=lon, kind="town", country="US",
                     population=population, parent=parent, source=f"GeoNames {cid}")


def state(cid: str, name: str, lat: float, lon: float) -> Candidate:
    return Candidate(id=cid, name=name, lat=lat, lon=lon, kind="region", country="US")


CHARLESTON = town("g:1", "Charleston", 32.78, -79.93, "US.SC")
MOUNT_PLEASANT = town("g:2", "Mount Pleasant", 32.79, -79.86, "US.SC")
RICHMOND = town("g:3", "Richmond", 37.54, -77.44, "US.VA")
POPLAR_BLUFF = town("g:4", "Poplar Bluff", 36.76, -90.39, "US.MO")
GREENVILLE = town("g:5", "Greenville", 37.13, -90.45, "US.MO")
PATTERSON_LA = town("g:6", "Patterson", 29.69, -91.30, "US.LA")
POINT_PLEASANT = town("g:7", "Point Pleasant", 38.84, -82.14, "US.WV", 4_000)
LITTLE_ROCK = town("g:8", "Little Rock", 34.75, -92.29, "US.AR")
MISSOURI = state("us-mo", "Missouri", 38.46, -92.30)
VIRGINIA = state("us-va", "Virginia", 37.5, -78.8)
TOWNS = {c.name: [c] for c in (CHARLESTON, MOUNT_PLEASANT, RICHMOND, POPLAR_BLUFF,
                               GREENVILLE, POINT_PLEASANT, LITTLE_ROCK)}
TOWNS["Patterson"] = [PATTERSON_LA]
STATES = {"Mo.": [MISSOURI], "Va.": [VIRGINIA]}


def mentions(*parts: str | tuple[str, str]) -> list[Mention]:
    """Mentions of one passage; a bare string is a name read by a cue, "|" a gap of
    words (so the next name is not right after the last)."""
    out, at = [], 0
    for part in parts:
        if part == "|":
            at += 40
            continue
        name, how = part if isinstance(part, tuple) else (part, "cue")
        out.append(Mention(doc="d", passage=0, start=at, end=at + len(name), text=name,
                           name=name, how=how))
        at += len(name) + 1
    return out


def places(names: list[Mention]) -> dict[str, Candidate | None]:
    found = resolve_mentions(names, resolvers=[FakeResolver(STATES), FakeResolver(TOWNS)])
    return {r.mention.name: r.place for r in found}


def test_a_feature_in_a_document_whose_towns_lie_close_together_is_estimated() -> None:
    got = places(mentions("Charleston", "|", ("Morris Island", "feature"), "|",
                          "Mount Pleasant"))
    island = got["Morris Island"]
    assert island is not None and island.estimated and island.kind == "area"
    assert island.name == "Morris Island" and island.id == "g:1:morris-island"
    # the point is borrowed from the town named nearest to it, never invented
    assert (island.lat, island.lon) == (CHARLESTON.lat, CHARLESTON.lon)
    assert island.source.startswith("GeoNames g:1: Charleston (estimated")
    assert f"within {COMPACT_KM:.0f} km" in island.source
    assert not got["Charleston"].estimated  # type: ignore[union-attr]


def test_a_feature_stays_unplaced_when_the_documents_towns_are_far_apart() -> None:
    got = places(mentions("Charleston", "|", ("Morris Island", "feature"), "|", "Richmond"))
    assert got["Morris Island"] is None
    # nor beside a single town: one place says nothing of how spread the story is
    assert places(mentions("Charleston", "|", ("Morris Island", "feature")))[
        "Morris Island"] is None


def test_a_town_of_another_state_is_not_the_one_a_state_after_it_names() -> None:
    names = mentions("Patterson", "Mo.", "|", "Little Rock", "|", "Richmond")
    assert places(names)["Patterson"] is None  # not Patterson, Louisiana, 830 km away


def test_a_name_with_a_state_after_it_is_estimated_among_that_states_towns() -> None:
    names = mentions("Poplar Bluff", "|", "Greenville", "|", "Patterson", "Mo.", "|",
                     "Little Rock", "|", "Richmond")
    got = places(names)
    patterson = got["Patterson"]
    assert patterson is not None and patterson.estimated
    assert patterson.id == "g:5:patterson"  # Greenville, Mo.: named nearest to it
    assert "division named after it" in patterson.source
    # a lone town of the state says too little about where in the state
    names = mentions("Poplar Bluff", "|", "Patterson", "Mo.", "|", "Little Rock")
    assert places(names)["Patterson"] is None


def test_a_town_across_a_moved_border_keeps_the_state_named_after_it() -> None:
    # Point Pleasant, Va. in 1862 is in West Virginia today
    got = places(mentions("Point Pleasant", "Va.", "|", "Richmond"))
    assert got["Point Pleasant"] == POINT_PLEASANT


def test_an_estimate_is_flagged_in_the_story_its_exports_and_the_page() -> None:
    text = ("On 10 July 1863 General Gillmore's troops crossed from Folly Island to Morris "
            "Island, near Charleston. On 18 July 1863 the wounded were carried to Beaufort "
            "and Hilton Head.")
    story = build_story_from_texts([SourceText(id="morris", text=text)])
    by_name = {p.name: p for p in story.places}
    island = by_name["Morris Island"]
    assert island.estimated and not by_name["Charleston"].estimated
    assert Story.from_json(story.to_json()).places == story.places  # kept in the JSON
    rows = {r["mention"]: r for r in csv.DictReader(io.StringIO(to_mentions_csv(story)))}
    assert rows["Morris Island"]["estimated"] == "yes"
    assert rows["Charleston"]["estimated"] == ""
    table = {r["place"]: r["estimated"] for r in csv.DictReader(io.StringIO(to_csv(story)))}
    assert table["Morris Island"] == "yes" and table["Charleston"] == ""
    features = json.loads(to_geojson(story))["features"]
    flags = {f["properties"]["place"]: f["properties"].get("estimated") for f in features}
    assert flags["Morris Island"] is True and flags["Charleston"] is None
    page = {p["name"]: p for p in page_data(story)["places"]}
    assert page["Morris Island"]["estimated"] is True
    assert "estimated" not in page["Charleston"]  # false is left out, as the page assumes


def test_a_name_read_without_a_cue_neither_anchors_nor_gets_an_estimate() -> None:
    # "Richmond" read weakly (no cue) may be a person: it neither spreads the document's
    # towns (Morris Island is still estimated) nor is itself estimated when unplaced
    names = mentions("Charleston", "|", ("Morris Island", "feature"), "|", "Mount Pleasant",
                     "|", ("Richmond", "weak"), "|", ("Seabrook", "weak"))
    got = places(names)
    island = got["Morris Island"]
    assert island is not None and island.estimated
    assert got["Seabrook"] is None


def test_a_text_set_mostly_in_one_place_estimates_among_that_places_towns() -> None:
    # Charleston twice and Mount Pleasant beside it, Richmond once far off: 3 of 4 town
    # mentions lie around the town named most, so the island borrows the nearest of those
    got = places(mentions("Charleston", "|", "Richmond", "|", ("Morris Island", "feature"),
                          "|", "Mount Pleasant", "|", "Charleston"))
    island = got["Morris Island"]
    assert island is not None and island.estimated
    assert (island.lat, island.lon) in {(CHARLESTON.lat, CHARLESTON.lon),
                                        (MOUNT_PLEASANT.lat, MOUNT_PLEASANT.lon)}
    assert "where most of the towns it names lie" in island.source
    # half the text elsewhere: no place to estimate from
    got = places(mentions("Charleston", "|", "Richmond", "|", ("Morris Island", "feature"),
                          "|", "Richmond", "|", "Charleston"))
    assert got["Morris Island"] is None


def test_names_with_several_namesakes_are_decided_together() -> None:
    # neither name is sure (each has namesakes); the first choice by population put
    # Williamsburg in New York, but beside Richmond, Virginia, it is Virginia's
    towns = {"Richmond": [town("r:va", "Richmond", 37.54, -77.44, "US.VA", 226_000),
                          town("r:ca", "Richmond", 37.94, -122.35, "US.CA", 110_000)],
             "Williamsburg": [town("w:ny", "Williamsburg", 40.71, -73.96, "US.NY", 33_000),
                              town("w:va", "Williamsburg", 37.27, -76.71, "US.VA", 15_000)]}
    found = resolve_mentions(mentions("Richmond", "|", "Williamsburg"),
                             resolvers=[FakeResolver({}), FakeResolver(towns)])
    got = {r.mention.name: r.place.id if r.place else None for r in found}
    assert got == {"Richmond": "r:va", "Williamsburg": "w:va"}


def test_a_voyages_ports_do_not_decide_a_namesake() -> None:
    # Christchurch between Port Moresby and Southampton: the ports lie in no one region,
    # so the bigger Christchurch (New Zealand) stays, not the one near Southampton
    def port(cid: str, name: str, lat: float, lon: float, country: str,
             population: int) -> Candidate:
        return Candidate(id=cid, name=name, lat=lat, lon=lon, kind="city", country=country,
                         population=population, parent=f"{country}.01")
    towns = {"Christchurch": [port("c:nz", "Christchurch", -43.53, 172.63, "NZ", 363_000),
                              port("c:gb", "Christchurch", 50.73, -1.78, "GB", 40_000)],
             "Port Moresby": [port("p:pg", "Port Moresby", -9.48, 147.15, "PG", 283_000),
                              port("p:x", "Port Moresby", 10.0, 10.0, "XX", 10)],
             "Southampton": [port("s:gb", "Southampton", 50.90, -1.40, "GB", 246_000),
                             port("s:us", "Southampton", 40.88, -72.39, "US", 3_000)]}
    found = resolve_mentions(mentions("Port Moresby", "|", "Christchurch", "|", "Southampton"),
                             resolvers=[FakeResolver({}), FakeResolver(towns)])
    assert {r.mention.name: r.place.id if r.place else None
            for r in found}["Christchurch"] == "c:nz"

