"""What the reader takes for a person, a place or neither (issue 15, the lesson texts).

Invented sentences with the shapes that real lesson texts showed read wrongly: a
battlefield's ground read as a person ("the Peach Orchard", "the two Round Tops"), a party
read as a person ("Sinn Féin"), a season, a headline's nouns and a portrait's subject read
as places, a building's name cut at "of". Names are "known" through a small table instead
of GeoNames, as in ``test_place_spans``.
"""

from __future__ import annotations

from pathlib import Path

from storymap.pipeline.cuenames import title_case
from storymap.pipeline.people import find_people
from storymap.pipeline.spans import tokens
from storymap.text.passages import normalise

from .reading import knows, read_places

PLACES = Path(__file__).parent / "data" / "places"

KNOWN = {
    "mao": (100_000, 100_000), "spring": (60_000, 60_000), "beijing": (10**7, 10**7),
    "ringgold": (3_500, 3_500), "louisville": (600_000, 600_000),
    "lincoln": (280_000, 280_000), "winter": (2_000, 2_000),
    "vicksburg": (23_000, 23_000), "jackson": (170_000, 170_000),
}


known = knows(KNOWN)


def people(text: str) -> list[str]:
    return [p.name for p in find_people(normalise(text, doc="t"), known=known)]


def read(text: str, gaz) -> list[str]:  # type: ignore[no-untyped-def]
    return read_places(text, gaz, known, people_known=known)


def test_a_battlefields_ground_is_no_person(gaz) -> None:  # type: ignore[no-untyped-def]
    text = ("Sickles moved his corps to the Peach Orchard without orders. The line ran to "
            "the two Round Tops. The army camped above Bound Brook. Lee crossed the river "
            "at Falling Waters.")
    assert people(text) == []
    assert read(text, gaz) == ["Peach Orchard", "Round Tops", "Bound Brook", "Falling Waters"]


def test_a_party_is_no_person() -> None:
    assert people("Sinn Féin won 73 seats; Fianna Fáil was founded later.") == []
    assert people("Patrick Pearse read the proclamation.") == ["Patrick Pearse"]


def test_a_season_is_no_place(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("Beijing, Spring 1989. The students marched.", gaz) == ["Beijing"]
    assert read("They wintered in Spring 1862 near the river.", gaz) == []
    # a season word before a feature word is a name
    assert read("The regiment camped at Spring Hill that night.", gaz) == ["Spring Hill"]


def test_a_headline_capitalises_its_nouns(gaz) -> None:  # type: ignore[no-untyped-def]
    headline = "Beijing, Spring 1989: from Mourning to Massacre"
    assert title_case(headline, tokens(headline))
    assert read(headline, gaz) == ["Beijing"]
    # a sentence, or an ALL-CAPS heading, is no title-case headline
    sentence = "The students walked from Tiananmen to Xinhuamen in silence."
    assert not title_case(sentence, tokens(sentence))
    assert read(sentence, gaz) == ["Tiananmen", "Xinhuamen"]
    caps = "HEADQUARTERS DISTRICT OF ARIZONA, Tucson, September 6"
    assert not title_case(caps, tokens(caps))


def test_a_portraits_subject_is_a_person(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("Students faced the portrait of Mao across the square.", gaz) == []
    assert read("A statue of Lincoln stands there.", gaz) == []
    # the same name after a place's own "of" stays a place
    assert read("He was born near the town of Lincoln.", gaz) == ["Lincoln"]


def test_a_buildings_name_goes_on_after_of(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("The rebels withdrew into the Royal College of Surgeons.", gaz) == [
        "Royal College of Surgeons"]
    assert read("Delegates met in the Great Hall of the People on Monday.", gaz) == [
        "Great Hall of the People"]
    # a name of its own after "and" is not taken in; nor a feature word alone before "of"
    assert read("They held the Royal College of Physicians and the Mansion House.",
                gaz) == ["Royal College of Physicians", "Mansion House"]
    assert read("The Church of England was disestablished in Wales.", gaz)[:1] != [
        "Church of England"]


def test_a_town_then_the_next_sentence_is_no_person(gaz) -> None:  # type: ignore[no-untyped-def]
    text = "The main stores will be at Ringgold Instruct the cavalry to watch."
    assert people(text) == []
    assert read(text, gaz) == ["Ringgold"]
    assert read("Says no force is moving toward Louisville Gives similar report.",
                gaz) == ["Louisville"]
    # after "to" (wrote to, sent to) a person stays a person
    assert people("He wrote to Ringgold Smith about it.") == ["Ringgold Smith"]


def test_a_place_before_troops_qualifies_them(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("The Kansas troops crossed the line with three Texas regiments.",
                gaz) == []
    # after a cue the name is where: a sentence that lost its full stop
    assert read("At Louisville troops were found in the streets.", gaz) == ["Louisville"]


def test_a_countrys_abbreviation_stays_a_place(gaz) -> None:  # type: ignore[no-untyped-def]
    # a modifier is still a mention (the genre gold's rule), but not in a unit's name
    assert read("The U. S. marshal came; in the U.S. alone 40 died.", gaz) == [
        "U. S.", "U.S."]
    assert read("The U. S. Army and the U. S. troops left.", gaz) == []


def test_a_name_placed_later_is_a_place_before(gaz) -> None:  # type: ignore[no-untyped-def]
    # a small town opening a sentence is a place when the document places it later on
    assert read("Ringgold was evacuated by the rebels. We then marched to Ringgold.",
                gaz) == ["Ringgold", "Ringgold"]
    assert read("Ringgold was evacuated by the rebels.", gaz) == []
    # a town no gazetteer knows, read after a cue, is the same place where it recurs
    assert read("We occupied Jacksonport on Monday. Jacksonport is 28 miles east.",
                gaz) == ["Jacksonport", "Jacksonport"]
    # but not inside a longer name, nor where it is a ship's or a command's
    assert read("We marched to Jacksonport. The Jacksonport Rifles paraded.",
                gaz) == ["Jacksonport"]
    assert read("He went to Cuscowilla. The steamer Cuscowilla sank. Division of "
                "Cuscowilla.", gaz) == ["Cuscowilla"]


def test_a_ship_is_no_place(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("The steamer Delaware sailed at noon with the gun-boat Smith Briggs.",
                gaz) == []
    assert read("Captain Rowe, of the Smith Briggs, was wounded.", gaz) == []


def test_a_number_is_no_part_of_a_name() -> None:
    assert people("Seen from the direction of Mesilla One of them proved to be") == []


def test_a_leaders_troops_make_him_a_person(gaz) -> None:  # type: ignore[no-untyped-def]
    text = "Shelby's command crossed the river; we chased Shelby for miles."
    assert people(text) == ["Shelby"]
    assert read(text, gaz) == []
    assert people("Private Henry Cook, Davis ' company, had nothing.")[-1:] == ["Davis"]
    # a large town's name with 's stays the town's ("Louisville's militia")
    assert people("Louisville's militia turned out.") == []


def test_a_list_after_a_plural_title_is_of_people() -> None:
    assert people("He telegraphed to Generals Sherman, Steele, Curtis, and Kimball.") == [
        "Sherman", "Steele", "Curtis", "Kimball"]
    assert people("Colonels Hatch and Saxton crossed.") == ["Hatch", "Saxton"]


def test_towns_listed_without_commas_are_no_person() -> None:
    assert people("Battles: Port Gibson Louisville Ringgold Crow and others.") == []
    # an ordinal begins a unit's name, never a person's
    assert not any("Jackson" in name for name in people("Vicksburg Jackson Carrion Crow"))
    assert people("Colonel Mears, Seventeenth Regiment") == ["Mears"]


def test_a_people_after_the_is_no_place(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("They learned the whereabouts of the Texans and camped at the Quelites.",
                gaz) == ["Quelites"]
    assert read("We were attacked by the Texans at dawn.", gaz) == []


def test_a_royal_title_before_a_street_word_is_the_streets_name(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("The fire began at the corner of Richmond Street and King Street.",
                gaz) == ["Richmond Street", "King Street"]
    # "King and Queen Court-House" is one name: "Queen Court-House" is none
    assert "Queen Court-House" not in read("He camped near King and Queen Court-House.", gaz)


def test_buildings_of_a_city_are_features(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("They met in front of the National Gallery, beside the Middlesex "
                "Guildhall, and marched past the Trade Unions Building to the Dynamo stadium.",
                gaz) == ["National Gallery", "Middlesex Guildhall", "Trade Unions Building",
                         "Dynamo stadium"]


def test_to_after_these_words_meets_a_person(gaz) -> None:  # type: ignore[no-untyped-def]
    # a small town's name after these is a person's (a city keeps its name: "Louisville")
    assert read("A messenger left with orders to Ringgold.", gaz) == []
    assert read("A report came relative to Ringgold and his men.", gaz) == []
    assert read("The brigade marched to Louisville.", gaz) == ["Louisville"]
