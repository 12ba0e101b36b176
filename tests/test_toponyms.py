"""The general place reader, rule family by rule family, on invented sentences.

Names are "known" through a small table instead of GeoNames, so each test says exactly
which names a gazetteer knows and how large their largest namesake is.
"""

from __future__ import annotations

from pathlib import Path

from storymap.geo.gazetteer import load_gazetteer
from storymap.pipeline.mentions import Mention, find_mentions
from storymap.pipeline.people import find_people, surnames
from storymap.pipeline.resolve import resolve_mentions
from storymap.resolvers.base import Candidate
from storymap.resolvers.fake import FakeResolver
from storymap.text.passages import normalise

PLACES = Path(__file__).parent / "data" / "places"

# folded name → (population of the largest namesake, of the largest place of that own name)
KNOWN = {
    "franklin": (60_000, 60_000), "richmond": (230_000, 230_000), "texas": (10**9, 10**9),
    "california": (10**9, 10**9), "paris": (2_000_000, 2_000_000), "warrenton": (9_000, 9_000),
    "jackson": (170_000, 170_000), "pacific": (7_000, 7_000), "potomac": (45_000, 45_000),
    "independence": (117_000, 117_000), "allen": (130_000, -1), "vicksburg": (23_000, 23_000),
    "chicago": (2_700_000, 2_700_000), "memphis": (650_000, 650_000), "ohio": (10**9, 10**9),
    "new york": (8_000_000, 8_000_000), "sumter": (40_000, 40_000),
    "hilton head": (37_000, 37_000), "smith": (-1, -1),
}


def known(key: str) -> tuple[int, int]:
    return KNOWN.get(key, (-1, -1))


def read(text: str, gaz, *, people: bool = True) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    ps = normalise(text, doc="t")
    family = surnames(find_people(ps)) if people else frozenset()
    found = find_mentions(ps, gazetteer=gaz, surnames=family, not_places=frozenset(),
                          known=known)
    return [(m.text, m.how) for m in found]


def texts(found: list[tuple[str, str]]) -> list[str]:
    return [t for t, _ in found]


# --- abbreviations of states and territories -------------------------------------------

def test_state_abbreviations_with_their_dots(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("The column left Franklin, Tex., and reached Santa Fe, N. Mex., then "
                 "Olympia, Wash. Ter., and Washington, D. C.", gaz)
    assert ("Tex.", "abbreviation") in found
    assert ("N. Mex.", "abbreviation") in found
    assert ("Wash. Ter.", "abbreviation") in found
    assert ("D. C.", "abbreviation") in found
    assert "Franklin" in texts(found)  # a town before a state is a place


def test_all_caps_abbreviation_and_lost_punctuation(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("HEADQUARTERS, Batesville ARK. March 5, 1864. The scouts came from "
                 "Rolla Mo. Report of the officer follows.", gaz)
    assert ("ARK.", "abbreviation") in found and ("Mo.", "abbreviation") in found


def test_an_abbreviation_that_is_a_title_is_not_a_state(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("We thanked Miss. Harper and Col. Dobbs, then rode to Jackson, Miss.", gaz)
    assert texts(found).count("Miss.") == 1 and "Col." not in texts(found)
    assert found[-1] == ("Miss.", "abbreviation")


def test_initials_are_not_states(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("The order was signed by W. T. Sherman and by Lieutenant S. C. Boylston.", gaz)
    assert not any(how == "abbreviation" for _, how in found)


# --- feature words -----------------------------------------------------------------------

def test_feature_words_make_places_no_gazetteer_knows(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("The garrison of Fort Quillan crossed Bitterwater Creek near Camp Orlov "
                 "and halted at Lantry Station below Snake Tooth Gap.", gaz)
    assert texts(found) == ["Fort Quillan", "Bitterwater Creek", "Camp Orlov", "Lantry Station",
                            "Snake Tooth Gap"]
    assert all(how == "feature" for _, how in found)


def test_possessive_and_court_house_names(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("They forded at Morton's Ford and camped at Madison Court-House.", gaz)
    assert texts(found) == ["Morton's Ford", "Madison Court-House"]


def test_squares_streets_and_buildings_in_other_languages(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("Crowds filled Wenzel Platz, then Moricz utca and the Smolny Institute.", gaz)
    assert texts(found) == ["Wenzel Platz", "Moricz utca", "Smolny Institute"]


def test_a_river_is_one_name_with_its_state(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("Gunboats went up the Ohio River to the mouth of the Potomac.", gaz)
    assert texts(found)[0] == "Ohio River"


# --- datelines, headings and ALL-CAPS ----------------------------------------------------

def test_dateline_and_all_caps_heading(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("CAMP NEAR RICHMOND, February 29, 1864. Warrenton, March 3, 1864. GENERAL: "
                 "I have the honor to report.", gaz)
    assert ("RICHMOND", "cue") in found
    assert ("Warrenton", "name") in found  # small town, sure because a date follows it
    assert "GENERAL" not in texts(found)


def test_fort_in_capitals(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("FORT SUMTER, S. C., April 12, 1861.", gaz)[:2] == [("FORT SUMTER", "feature"),
                                                                    ("S. C.", "abbreviation")]


def test_a_small_town_needs_a_context_a_large_one_does_not(gaz) -> None:  # type: ignore[no-untyped-def]
    assert texts(read("The Warrenton people were calm.", gaz)) == []
    assert texts(read("The meeting was held after Memphis had fallen.", gaz)) == ["Memphis"]


def test_weak_cues_of_for_on(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("The attack on Vicksburg failed; we started for Warrenton.", gaz)
    assert texts(found) == ["Vicksburg", "Warrenton"]


# --- not places: units, commands, titles, people ------------------------------------------

def test_unit_names_are_not_places(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("The First California Volunteer Cavalry and the 4th Ohio joined the Fifth "
                 "U. S. Infantry and the Second New York.", gaz)
    assert found == []


def test_commands_are_not_places(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("HEADQUARTERS DEPARTMENT OF THE PACIFIC. The Army of the Potomac and the "
                 "District of the Pacific were told.", gaz)
    assert found == []


def test_people_by_title_initials_and_signature(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("General Jackson wrote to James H. Richmond. PARIS FRANKLIN, Major-General.",
                 gaz)
    assert found == []


def test_a_surname_blocks_a_bare_name_but_not_a_sure_place(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("Thomas J. Jackson fought well. Jackson, Tenn., was quiet. Jackson left.", gaz)
    assert texts(found) == ["Jackson", "Tenn."]


def test_a_title_phrase_is_not_a_place(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("The Declaration of Independence was read.", gaz) == []
    assert read("The Army of Richmond was read the order.", gaz) == []


def test_a_battle_is_named_after_its_place(gaz) -> None:  # type: ignore[no-untyped-def]
    # "the Battle of Gettysburg": the event's name names where it happened
    assert texts(read("The Battle of Richmond was lost. The Siege of Paris ended.", gaz)) \
        == ["Richmond", "Paris"]


def test_an_alternate_name_needs_a_sure_cue(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("The letter of Allen was read.", gaz) == []  # Allen: only an alternate name
    assert texts(read("They lived in Allen for a year.", gaz)) == ["Allen"]


def test_fort_and_palace_are_never_people() -> None:
    ps = normalise("Fort Sumter fell. Winter Palace was stormed. Ivan Petrov spoke.", doc="t")
    assert [p.name for p in find_people(ps)] == ["Ivan Petrov"]


# --- resolution: namesakes by neighbourhood, states, historic names ----------------------

def cand(cid: str, name: str, lat: float, lon: float, *, pop: int = 5_000, country: str = "US",
         division: str = "", kind: str = "town") -> Candidate:
    return Candidate(id=cid, name=name, lat=lat, lon=lon, kind=kind, country=country,
                     population=pop, parent=division)


PARIS_KY = cand("g:ky", "Paris", 38.21, -84.25, pop=9_800, division="US.KY")
PARIS_TX = cand("g:tx", "Paris", 33.66, -95.56, pop=25_000, division="US.TX")
PARIS_FR = cand("g:fr", "Paris", 48.85, 2.35, pop=2_100_000, country="FR", division="FR.11")
KENTUCKY = cand("us-ky", "Kentucky", 37.5, -85.3, kind="region", pop=0)
LEXINGTON = cand("g:lex", "Lexington", 38.05, -84.5, pop=320_000, division="US.KY")


def mention(name: str, start: int, how: str = "name") -> Mention:
    return Mention(doc="d", passage=0, start=start, end=start + len(name), text=name, name=name,
                   how=how)


def test_a_state_after_a_town_narrows_it() -> None:
    curated = FakeResolver({"Kentucky": [KENTUCKY]})
    geonames = FakeResolver({"Paris": [PARIS_FR, PARIS_TX, PARIS_KY]})
    found = resolve_mentions([mention("Paris", 0), mention("Kentucky", 7, "abbreviation")],
                             resolvers=[curated, geonames])
    assert found[0].place == PARIS_KY


def test_a_namesake_near_the_other_places_wins() -> None:
    curated = FakeResolver({})
    geonames = FakeResolver({"Paris": [PARIS_FR, PARIS_TX, PARIS_KY], "Lexington": [LEXINGTON]})
    found = resolve_mentions([mention("Lexington", 0), mention("Paris", 30)],
                             resolvers=[curated, geonames])
    assert found[1].place == PARIS_KY


def test_a_famous_place_abroad_yields_to_a_town_among_the_documents_places() -> None:
    cairo_eg = cand("cairo", "Cairo", 30.04, 31.24, pop=9_000_000, country="EG", kind="city")
    cairo_il = cand("g:il", "Cairo", 37.0, -89.18, pop=2_000, division="US.IL")
    mound = cand("g:mc", "Mound City", 37.08, -89.16, pop=1_500, division="US.IL")
    smithland = cand("g:sl", "Smithland", 37.14, -88.4, pop=1_200, division="US.KY")
    curated = FakeResolver({"Cairo": [cairo_eg]})
    geonames = FakeResolver({"Cairo": [cairo_il], "Mound City": [mound],
                             "Smithland": [smithland]})
    found = resolve_mentions([mention("Mound City", 0), mention("Smithland", 20),
                              mention("Cairo", 40)], resolvers=[curated, geonames])
    assert found[2].place == cairo_il


def test_a_river_is_not_a_distant_town_of_its_name() -> None:
    town = cand("g:wr", "White River", 43.57, -100.74, pop=600, division="US.SD")
    near = cand("g:bv", "Batesville", 35.77, -91.64, pop=10_000, division="US.AR")
    geonames = FakeResolver({"White River": [town], "Batesville": [near]})
    found = resolve_mentions([mention("Batesville", 0), mention("White River", 20, "feature")],
                             resolvers=[FakeResolver({}), geonames])
    assert found[1].place is None


def test_historic_names_through_alternate_names() -> None:
    # GeoNames lists "Pressburg" among the alternate names of Bratislava: a sure cue finds it.
    gaz = load_gazetteer(PLACES)
    ps = normalise("In 1848 the diet met in Pressburg.", doc="t")
    found = find_mentions(ps, gazetteer=gaz, not_places=frozenset(),
                          known=lambda k: (430_000, -1) if k == "pressburg" else (-1, -1))
    assert [(m.text, m.how) for m in found] == [("Pressburg", "cue")]


def test_a_prefix_word_takes_in_the_known_name_after_it(gaz) -> None:  # type: ignore[no-untyped-def]
    # "Paris" alone is known; "New Paris" is a name of its own, not the French capital
    assert read("The brigade advanced toward New Paris at dawn.", gaz) == [("New Paris", "cue")]


def test_a_state_name_in_a_regiment_is_no_abbreviation(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("The First Iowa Cavalry and the Third Iowa Infantry marched.", gaz)
    assert found == []


def test_a_hyphenated_adjective_is_no_part_of_a_name() -> None:
    ps = normalise("The Moscow-backed Ivan Petrov spoke, and the Party-led Anna Kovacs left. "
                   "General Smith-Dorrien rode on.", doc="t")
    assert [p.name for p in find_people(ps)] == ["Ivan Petrov", "Anna Kovacs", "Smith-Dorrien"]
