"""Recognition of every place a history text names (issue 15), rule by rule.

Invented sentences; names are "known" through a small table instead of GeoNames, so each
test says exactly which names a gazetteer knows and how large their largest namesake is.
"""

from __future__ import annotations

from pathlib import Path

from storymap.geo.gazetteer import load_gazetteer
from storymap.pipeline.mentions import find_mentions
from storymap.pipeline.people import find_people
from storymap.text.passages import normalise

from .reading import knows, read_places

PLACES = Path(__file__).parent / "data" / "places"

# folded name → (population of the largest namesake, of the largest place of that own name)
KNOWN = {
    "antwerp": (529_000, 529_000), "brisbane": (958_000, 958_000), "nelson": (54_000, 54_000),
    "lincoln": (295_000, 295_000), "frankfurt an der oder": (57_000, -1),
    "stratford upon avon": (30_000, 30_000), "kingston upon hull": (314_000, 314_000),
    "chicago": (2_700_000, 2_700_000), "dublin": (1_000_000, 1_000_000),
    "kansas city": (470_000, 470_000), "china": (10**9, 10**9), "ebola": (-1, -1),
    "hampton": (137_000, 137_000), "austin": (930_000, 930_000), "spanish": (-1, -1),
    "mons": (95_000, 95_000), "washington": (10**9, 10**9), "tottenham": (5_000, 5_000),
    "wexford": (20_000, 20_000), "cork": (190_000, 190_000), "lamar": (10_000, 10_000),
}


known = knows(KNOWN)


def read(text: str, gaz) -> list[str]:  # type: ignore[no-untyped-def]
    return read_places(text, gaz, known)


# --- 1. facilities and streets without a gazetteer entry ---------------------------------

def test_buildings_streets_and_hills_are_places_not_people(gaz) -> None:  # type: ignore[no-untyped-def]
    text = ("The rebels held Liberty Hall and the Four Courts, then Boland's Mill. Troops "
            "dug in on Cemetery Hill and students marched down Changan Avenue past "
            "Delville Wood.")
    assert read(text, gaz) == ["Liberty Hall", "Four Courts", "Boland's Mill", "Cemetery Hill",
                               "Changan Avenue", "Delville Wood"]
    people = [p.name for p in find_people(normalise(text, doc="t"))]
    assert "Liberty Hall" not in people and "Four Courts" not in people


def test_local_words_of_other_countries(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("They met at Heldenplatz, crossed Václavské náměstí and plac Zamkowy, "
                 "walked the rue de Rivoli to the Place de la Concorde and the Plaza Mayor, "
                 "and ended on Andrássy út.", gaz)
    assert found == ["Heldenplatz", "Václavské náměstí", "plac Zamkowy", "rue de Rivoli",
                     "Place de la Concorde", "Plaza Mayor", "Andrássy út"]


def test_local_words_of_more_countries(gaz) -> None:  # type: ignore[no-untyped-def]
    # Dutch, Scandinavian, Turkish, Arabic and South Asian street, square and building words
    assert read("They walked along the Herengracht to the Leidseplein and the Nieuwe Kerk.",
                gaz) == ["Herengracht", "Leidseplein", "Nieuwe Kerk"]
    assert read("Protesters filled Taksim Meydanı and marched down Istiklal Caddesi.",
                gaz) == ["Taksim Meydanı", "Istiklal Caddesi"]
    assert read("Crowds met at Midan Tahrir, in Chandni Chowk and at the Royal Exchange.",
                gaz) == ["Midan Tahrir", "Chandni Chowk", "Royal Exchange"]


def test_a_bare_landmark_word_is_no_name(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("They crossed the square and entered the hall by the gate.", gaz) == []


def test_a_street_named_after_a_queen_is_a_street(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("Barricades went up in Queen Victoria Street.", gaz) == [
        "Queen Victoria Street"]
    assert read("Report of Colonel John Taylor Wood follows.", gaz) == []


def test_counties_keep_their_abbreviated_word(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("Rebels rose in County Wexford and Co. Cork; peaches came from Lamar Co. "
                 "The firm of Coleman & Co. shipped them.", gaz)
    assert found == ["County Wexford", "Co. Cork", "Lamar Co."]


# --- 2. names without a cue ---------------------------------------------------------------

def test_a_known_city_opening_a_sentence_is_a_place(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("Antwerp fell on 4 September.", gaz) == ["Antwerp"]


def test_a_name_opening_a_sentence_before_a_surname_is_a_person(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("Hampton Mears wrote the report.", gaz) == []


# --- 3. abbreviations and possessives -------------------------------------------------------

def test_dotted_country_abbreviations_are_whole_spans(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("Aid came from the U.S. and the U.K. to Washington, D.C. The N.S.W. "
                 "government agreed.", gaz)
    assert found == ["U.S.", "U.K.", "Washington", "D.C.", "N.S.W."]


def test_an_abbreviation_in_a_unit_name_is_not_a_place(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("Captain Shinn, U.S. Army, and the Third U.S. Cavalry arrived.", gaz) == []


def test_postal_codes_after_a_town(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("The flood reached Austin, TX on Monday.", gaz) == ["Austin", "TX"]


def test_possessives_give_the_place(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("China's leaders met while Dublin's streets burned.", gaz) == ["China",
                                                                                "Dublin"]
    # a town's name with 's is a person's, and "at Hamlin's" is a house
    assert read("Hampton's cavalry camped at Hamlin's that night.", gaz) == []


# --- 4. not places -----------------------------------------------------------------------------

def test_organisations_and_newspapers_built_on_place_names(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("Dublin City Council met. The Chicago Tribune and the Kansas City Star "
                 "reported that the Bank of England would lend to Chicago.", gaz)
    assert found == ["Chicago"]


def test_diseases_named_after_places(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("The Spanish flu and the Ebola virus spread to Dublin.", gaz) == ["Dublin"]


def test_a_name_read_as_a_person_stays_a_person(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("Abraham Lincoln spoke. Lincoln wept. Horatio Nelson sailed. Nelson won. "
                 "Later the court sat in Lincoln.", gaz)
    assert found == ["Lincoln"] and found  # only after the locative cue


# --- 7. spans -------------------------------------------------------------------------------

def test_names_with_particles_are_one_span(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("The company played in Frankfurt an der Oder, then in Stratford-upon-Avon "
                 "and in Kingston upon Hull.", gaz)
    assert found == ["Frankfurt an der Oder", "Stratford-upon-Avon", "Kingston upon Hull"]


def test_a_compass_word_inside_a_name_after_a_cue(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("Settlers moved into New South Wales.", gaz) == ["New South Wales"]


def test_a_name_does_not_run_on_into_the_next(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("Indians gathered near Raft River Fort Hall.", gaz)
    assert found == ["Raft River", "Fort Hall"]
    assert read("The troops camped on Malheur River.", gaz) == ["Malheur River"]


def test_a_part_of_a_region_keeps_the_region_name(gaz) -> None:  # type: ignore[no-untyped-def]
    ps = normalise("Raiders crossed into Southwest Missouri.", doc="t")
    found = find_mentions(ps, gazetteer=load_gazetteer(), not_places=frozenset(), known=known)
    assert [(m.text, m.name) for m in found] == [("Southwest Missouri", "Missouri")]


def test_a_word_that_begins_names_is_no_name_alone(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("The column pushed on to Las Cruses where quarters were found.", gaz) == [
        "Las Cruses"]


def test_a_fort_does_not_run_on_into_the_next_sentence(gaz) -> None:  # type: ignore[no-untyped-def]
    # texts that lost their punctuation: "Fort Craig I have …", "FORT BARRETT Pima Villages"
    assert read("Near Fort Craig I have seen them.", gaz) == ["Fort Craig"]
    assert read("HEADQUARTERS FORT BARRETT Pima Villages, May 14.", gaz) == ["FORT BARRETT",
                                                                            "Pima Villages"]
    assert read("We went to Fort Ridgely COLONEL: I report.", gaz) == ["Fort Ridgely"]


# --- rivers named without the word River --------------------------------------------------

def test_a_name_after_a_water_cue_is_a_place(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("We recrossed the Rapidan at dawn, went up the Osage and camped at the "
                 "mouth of the Lachlan.", gaz)
    assert found == ["Rapidan", "Osage", "Lachlan"]


def test_a_water_cue_before_a_title_or_a_people_is_no_place(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("Word went over the President's head, down the Indians' trail.", gaz) == []


def test_a_given_name_before_an_initial_is_a_person(gaz) -> None:  # type: ignore[no-untyped-def]
    # "Lincoln" is a known city, but "Lincoln P. Miller" is a man; "Washington, D.C." and
    # a place before a signature that lost its full stop stay places
    found = read("Signed by Lincoln P. Miller and Antwerp J. Rowe. The mail reached "
                 "Washington D. C. yesterday, and the scouts rode on to Dublin GEORGE M. DEWEY.",
                 gaz)
    assert "Lincoln" not in found and "Antwerp" not in found
    assert found[:2] == ["Washington", "D. C."] and "Dublin" in found


def test_a_saints_possessive_is_the_whole_name(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("A boat came from Saint Mary's to the landing.", gaz) == ["Saint Mary's"]


def test_a_name_ends_where_a_lost_full_stop_was(gaz) -> None:  # type: ignore[no-untyped-def]
    # texts that lost their punctuation: the next sentence's first word is no part of a name
    found = read("It was a dash at Richmond Our forces returned. We advanced toward Simkins "
                 "With this understanding the boats left.", gaz)
    assert found == ["Richmond", "Simkins"]


def test_races_and_regiments_named_after_places(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("The Dublin Grand Prix was cancelled and the Chicago Fusiliers marched.",
                gaz) == []
