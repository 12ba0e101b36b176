"""Issue 15, items 5 and 6: divisions and rivers offline, namesakes decided by the document.

The namesake rules are tested with small fake gazetteers (a curated resolver first, a
GeoNames-like one second, as in the default order); the division and river forms and the
vendored data with the real files of places/divisions and places/rivers.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from storymap.geo import divisions
from storymap.geo.lines import decode_line, encode_line, simplify
from storymap.pipeline import SourceText, build_story_from_texts
from storymap.pipeline.context import after_article, prefer
from storymap.pipeline.mentions import Mention
from storymap.pipeline.resolve import resolve_mentions
from storymap.resolvers.base import Candidate
from storymap.resolvers.fake import FakeResolver
from storymap.text.passages import normalise

ROOT = Path(__file__).resolve().parents[1]


def town(cid: str, name: str, lat: float, lon: float, country: str, pop: int,
         parent: str = "") -> Candidate:
    return Candidate(id=cid, name=name, lat=lat, lon=lon, kind="city" if pop >= 100_000
                     else "town", country=country, population=pop, parent=parent)


def mentions(doc: str, names: list[tuple[int, str]], how: str = "name") -> list[Mention]:
    """One mention per (passage, name), in text order."""
    return [Mention(doc=doc, passage=p, start=0, end=len(n), text=n, name=n, how=how)
            for p, n in names]


def chosen(resolved: tuple[object, ...]) -> list[str | None]:
    return [r.place.id if r.place else None for r in resolved]  # type: ignore[attr-defined]


# Namesakes in context -------------------------------------------------------------------

CURATED = FakeResolver({
    "London": [town("london", "London", 51.507, -0.128, "GB", 8_900_000)],
    "Paris": [town("paris", "Paris", 48.857, 2.352, "FR", 2_100_000)],
    "Moscow": [town("moscow", "Moscow", 55.756, 37.617, "RU", 12_000_000)],
}, name="gazetteer")
WORLD = FakeResolver({
    "Toronto": [town("g:toronto", "Toronto", 43.70, -79.42, "CA", 2_600_000, "CA.08")],
    "Hamilton": [town("g:hamilton", "Hamilton", 43.25, -79.85, "CA", 520_000, "CA.08")],
    "Brantford": [town("g:brantford", "Brantford", 43.13, -80.26, "CA", 90_000, "CA.08")],
    "London": [town("g:london-on", "London", 42.98, -81.23, "CA", 346_000, "CA.08"),
               town("g:london-ky", "London", 37.13, -84.08, "US", 8_000, "US.KY")],
    "Paris": [town("g:paris-tx", "Paris", 33.66, -95.56, "US", 25_000, "US.TX"),
              town("g:paris-on", "Paris", 43.20, -80.38, "CA", 12_000, "CA.08")],
    "Tyler": [town("g:tyler", "Tyler", 32.35, -95.30, "US", 100_000, "US.TX")],
    "Sherman": [town("g:sherman", "Sherman", 33.64, -96.61, "US", 40_000, "US.TX")],
    "Moscow": [town("g:moscow-id", "Moscow", 46.73, -117.00, "US", 25_000, "US.ID")],
    "Tula": [town("g:tula", "Tula", 54.20, 37.62, "RU", 480_000, "RU.76")],
    "Kaluga": [town("g:kaluga", "Kaluga", 54.51, 36.26, "RU", 330_000, "RU.25")],
}, name="geonames")


def test_london_and_paris_in_a_story_of_ontario_towns_are_the_ontario_ones() -> None:
    # each in a paragraph of its own: the document's sure places decide, not a window
    found = resolve_mentions(mentions("on", [(0, "Toronto"), (1, "Hamilton"), (2, "Brantford"),
                                             (3, "London"), (4, "Paris")]),
                             resolvers=[CURATED, WORLD])
    assert chosen(found) == ["g:toronto", "g:hamilton", "g:brantford", "g:london-on",
                             "g:paris-on"]


def test_paris_in_a_local_paper_from_texas_is_paris_texas() -> None:
    found = resolve_mentions(mentions("tx", [(0, "Tyler"), (1, "Sherman"), (2, "Paris")]),
                             resolvers=[CURATED, WORLD])
    assert chosen(found)[-1] == "g:paris-tx"


def test_moscow_in_a_story_of_russia_is_not_moscow_idaho() -> None:
    found = resolve_mentions(mentions("ru", [(0, "Tula"), (1, "Kaluga"), (2, "Moscow")]),
                             resolvers=[CURATED, WORLD])
    assert chosen(found)[-1] == "moscow"
    # and the Idaho one where the document is set there
    idaho = FakeResolver({"Lewiston": [town("g:lewiston", "Lewiston", 46.42, -117.02, "US",
                                            32_000, "US.ID")],
                          "Pullman": [town("g:pullman", "Pullman", 46.73, -117.18, "US",
                                           34_000, "US.WA")]}, name="more")
    found = resolve_mentions(mentions("id", [(0, "Lewiston"), (1, "Pullman"), (2, "Moscow")]),
                             resolvers=[CURATED, WORLD, idaho])
    assert chosen(found)[-1] == "g:moscow-id"


def test_without_context_population_still_decides() -> None:
    found = resolve_mentions(mentions("x", [(0, "Paris")]), resolvers=[CURATED, WORLD])
    assert chosen(found) == ["paris"]


# Region-scoped landmarks ------------------------------------------------------------------

def _places_of(text: str) -> set[str]:
    story = build_story_from_texts([SourceText(id="t", text=text)])
    return {m.place_id for m in story.mentions if m.place_id}


def test_a_curated_landmark_is_a_candidate_only_in_a_story_of_its_region() -> None:
    vienna = _places_of("On 12 March 1938 crowds filled the streets of Vienna. In the "
                        "evening they gathered before the Parliament.")
    assert "parliament" not in vienna
    budapest = _places_of("On 23 October 1956 students marched in Budapest. In the evening "
                          "they gathered before the Parliament.")
    assert "parliament" in budapest


def test_a_district_by_its_own_name_needs_no_region_but_a_numbered_one_does() -> None:
    assert "pest" in _places_of("In 1848 the printers of Pest rose.")
    assert not {"budapest-08"} & _places_of("In 1968 students of Paris held the eighth "
                                             "district.")


# Divisions ----------------------------------------------------------------------------------

@pytest.mark.parametrize("form", ["County Wexford", "Wexford County", "Co. Wexford",
                                  "County of Wexford"])
def test_an_irish_county_resolves_in_its_common_forms(form: str) -> None:
    ids = [c.id for c in divisions.lookup(form)]
    assert ids[0].startswith("ne-admin1:IRL-"), ids
    (irish,) = [c for c in divisions.lookup(form) if c.country == "IE"]
    assert abs(irish.lat - 52.4) < 0.3 and abs(irish.lon + 6.6) < 0.5
    assert irish.kind == "region" and irish.source.startswith("Natural Earth")


def test_first_level_divisions_of_every_country_and_us_counties() -> None:
    ontario = divisions.lookup("Province of Ontario")
    assert [c.parent for c in ontario] == ["CA.08"]
    assert ontario[0].source.startswith("GeoNames 6093943 (name)")
    assert [c.country for c in divisions.lookup("Bavaria")] == ["DE"]
    assert divisions.lookup("Leinster")[0].parent == "IE.L"
    parishes = divisions.lookup("Orleans Parish")
    assert [c.parent for c in parishes] == ["US.LA"]
    assert "US Census Bureau" in parishes[0].source
    # a county needs its designator: a bare "Franklin" is a town or a person
    assert not [c for c in divisions.lookup("Franklin") if c.id.startswith("us-county:")]
    assert len(divisions.lookup("Franklin County")) > 20


def test_a_county_of_the_state_named_after_it_is_chosen() -> None:
    text = "Scouts rode through Jackson County, Mo. and Clay County, Mo. in June 1862."
    story = build_story_from_texts([SourceText(id="mo", text=text)])
    places = {p.id: p for p in story.places}
    counties = [p for p in places.values() if p.id.startswith("us-county:")]
    assert {p.name for p in counties} == {"Jackson", "Clay"}
    assert all(p.id.startswith("us-county:29") for p in counties)  # 29: Missouri's FIPS code
    assert any(a.name == "US Census Bureau" for a in story.attributions)


def test_a_bare_name_is_the_town_not_its_county() -> None:
    cands = [(1, town("g:wexford", "Wexford", 52.33, -6.46, "IE", 20_000, "IE.L")),
             (1, Candidate(id="ne-admin1:IRL-718", name="Wexford", lat=52.44, lon=-6.59,
                           kind="region", country="IE", parent="IE.L"))]
    assert [c.id for _, c in prefer(cands, river_name=False, article=False)] == ["g:wexford"]


# Rivers ------------------------------------------------------------------------------------

def test_a_river_is_its_line_with_its_mouth_as_point() -> None:
    (rapidan,) = divisions.lookup("Rapidan River")
    assert rapidan.kind == "river" and rapidan.geometry is not None
    ends = [pt for line in (rapidan.geometry["coordinates"]
                            if rapidan.geometry["type"] == "MultiLineString"
                            else [rapidan.geometry["coordinates"]]) for pt in (line[0], line[-1])]
    # its point is the end where it meets the Rappahannock, not a centroid
    assert any(math.isclose(rapidan.lon, x, abs_tol=1e-3) and math.isclose(rapidan.lat, y,
                                                                           abs_tol=1e-3)
               for x, y in ends)
    assert abs(rapidan.lat - 38.39) < 0.05 and abs(rapidan.lon + 77.63) < 0.05
    mississippi = [c for c in divisions.lookup("Mississippi River") if c.country == "US"]
    assert abs(mississippi[0].lat - 29.2) < 0.3  # the mouth, at the Gulf


def test_a_colour_is_a_river_only_with_the_river_word() -> None:
    assert divisions.lookup("Red") == ()
    assert {c.kind for c in divisions.lookup("Red River")} == {"river"}


def test_the_article_makes_a_state_name_its_river() -> None:
    the = frozenset({"the"})
    text = "They crossed the Mississippi near the Iowa line."
    assert after_article(text, 17, 28, the, frozenset({"line"}))
    assert not after_article(text, 37, 41, the, frozenset({"line"}))
    state = (0, Candidate(id="us-ms", name="Mississippi", lat=32.35, lon=-89.4, kind="region",
                          country="US"))
    river = (1, Candidate(id="r", name="Mississippi River", lat=29.2, lon=-89.0, kind="river"))
    assert prefer([state, river], river_name=False, article=True) == [river]
    assert prefer([state, river], river_name=False, article=False) == [state]
    city = (1, town("g:stl", "Saint Louis", 38.6, -90.2, "US", 300_000, "US.MO"))
    stl_river = (1, Candidate(id="r2", name="Saint Louis", lat=46.7, lon=-92.1, kind="river"))
    # "the Saint Louis papers": a city has the name
    assert prefer([city, stl_river], river_name=False, article=True) == [city]


def test_the_mississippi_in_a_text_resolves_to_the_river() -> None:
    text = "On 4 July 1863 Vicksburg surrendered and the Mississippi was open to Memphis."
    passages = normalise(text, doc="v")
    start = passages[0].text.index("Mississippi")
    m = Mention(doc="v", passage=0, start=start, end=start + 11, text="Mississippi",
                name="Mississippi", how="lexicon")
    from storymap.resolvers import get_resolver

    (r,) = resolve_mentions([m], resolvers=[get_resolver("gazetteer"), get_resolver("geonames")],
                            passages=passages)
    assert r.place is not None and r.place.kind == "river"


# The vendored data ------------------------------------------------------------------------

def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\"))


@pytest.mark.parametrize("file", ["divisions/divisions.tsv", "rivers/rivers.tsv"])
def test_every_vendored_coordinate_has_its_source(file: str) -> None:
    rows = _rows(ROOT / "places" / file)
    assert len(rows) > 3000
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for row in rows:
        lat, lon = float(row["lat"]), float(row["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, row["id"]
        assert row["source"].startswith(("GeoNames ", "Natural Earth ", "US Census Bureau ")), row
        assert row["names"], row["id"]
        if "line" in row:
            points = [p for part in row["line"].split(" ") for p in decode_line(part, 3)]
            assert len(points) >= 2, row["id"]
            # the point is on its line: its mouth
            assert min(abs(x - lon) + abs(y - lat) for x, y in points) < 0.02, row["id"]


def test_encoded_lines_round_trip_and_simplify() -> None:
    line = [[-77.6, 38.39], [-77.9, 38.69], [-78.14, 38.88]]
    assert decode_line(encode_line(line, 3), 3) == line
    assert simplify([[0, 0], [0.5, 0.001], [1, 0]], 0.01) == [[0, 0], [1, 0]]
    with pytest.raises(ValueError):
        decode_line("_", 3)
