"""Place reading where a text lost its punctuation, and where names touch (issue 15).

Invented sentences, read as ``test_place_reading`` reads them: names are "known" through a
small table instead of GeoNames. Texts transcribed from print often lose their full stops
and commas ("at Camden Respectfully, your obedient servant", "Vicksburg Jackson Grand
Coteau"); a name must end where the next sentence or the next name begins.
"""

from __future__ import annotations

from pathlib import Path

from storymap.pipeline.people import find_people
from storymap.pipeline.placewords import place_words
from storymap.text.passages import normalise

from .reading import knows, read_places

PLACES = Path(__file__).parent / "data" / "places"

KNOWN = {
    "camden": (30_000, 30_000), "woodstock": (11_000, 11_000), "give": (4_000, 4_000),
    "send": (4_000, 4_000), "richmond": (230_000, 230_000), "nice": (340_000, 340_000),
    "utah": (3_000_000, 3_000_000), "milwaukee": (600_000, 600_000),
    "jacksonville": (900_000, 900_000), "keytesville": (400, 400),
    "chariton county": (7_000, 7_000), "vicksburg": (23_000, 23_000),
    "jackson": (170_000, 170_000), "grand coteau": (900, 900),
    "rapidan": (-1, 0), "texas": (10**9, 10**9), "gulf": (3_000, 3_000),
    "continental": (1_000, 1_000), "maidan": (2_000, 2_000),
    "beijing": (18_000_000, 18_000_000), "lee": (90_000, 90_000), "king": (90_000, 90_000),
    "london": (8_900_000, 8_900_000),
}


known = knows(KNOWN)


def read(text: str, gaz) -> list[str]:  # type: ignore[no-untyped-def]
    return read_places(text, gaz, known)


def test_the_common_words_are_data() -> None:
    common = place_words().common
    assert {"have", "respectfully", "send", "very"} <= common
    # names that prose capitalises, and the words names are built with, are not in it
    assert not {"mobile", "jackson", "fort", "river", "new", "north"} & common


def test_a_fort_ends_before_a_common_word(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("He returned to Fort Lyon Make ready the train for the men.",
                gaz) == ["Fort Lyon"]
    assert read("We rested at Fort Hoskins Very respectfully, your servant.",
                gaz) == ["Fort Hoskins"]


def test_a_common_word_after_a_town_is_no_surname(gaz) -> None:  # type: ignore[no-untyped-def]
    # "Woodstock Have" is no person, so Woodstock stays a place
    assert read("About 200 were at Woodstock Have heard nothing from Major Bell.",
                gaz) == ["Woodstock"]
    people = [p.name for p in find_people(normalise("at Woodstock Have heard", doc="t"))]
    assert people == []


def test_a_capitalised_common_word_is_no_town(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("We reached Richmond Give orders to them.", gaz) == ["Richmond"]
    assert read("He went to Send a detachment at once.", gaz) == []
    assert read("The court sat in Nice for a week.", gaz) == ["Nice"]  # a city keeps it


def test_a_state_before_the_next_sentence(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("To General Halleck, Washington D. C. If you approve, I will march.",
                gaz) == ["Washington", "D. C."]


def test_a_head_name_ends_before_the_next_place(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("HEADQUARTERS, Camp Douglas Utah Ter., April 9.", gaz) == [
        "Camp Douglas", "Utah Ter."]
    assert read("Report to Camp Reno Milwaukee and wait.", gaz) == ["Camp Reno", "Milwaukee"]
    assert read("Stores at Fort Clinch Jacksonville and elsewhere.", gaz) == [
        "Fort Clinch", "Jacksonville"]
    assert read("He marched to Fort Gibson Cherokee Nation on the 24th.", gaz) == [
        "Fort Gibson", "Cherokee Nation"]
    # a feature word after the name continues it
    assert read("They camped near Mount Carmel Church that night.", gaz) == [
        "Mount Carmel Church"]


def test_a_town_before_a_county_is_its_own_name(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("Send 20 men to Keytesville Chariton County at once.", gaz) == [
        "Keytesville", "Chariton County"]


def test_a_possessive_begins_the_next_name(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("The enemy moved south of Jacksonville White's Station yesterday.", gaz) == [
        "Jacksonville", "White's Station"]
    assert read("Hold the gap from Lee's Varnell's Station until dawn.", gaz)[-1] == (
        "Varnell's Station")
    assert read("We marched to Van Horn's Wells by noon.", gaz) == ["Van Horn's Wells"]


def test_a_citys_possessive_is_its_own_name(gaz) -> None:  # type: ignore[no-untyped-def]
    # how news and lessons name a square: the city, then the square
    assert read("On 4 June troops cleared Beijing's Tiananmen Square.", gaz) == [
        "Beijing", "Tiananmen Square"]
    assert read("Crowds filled London’s Trafalgar Square at noon.", gaz) == [
        "London", "Trafalgar Square"]
    # the same names known as large towns, yet one name: a feature word after the
    # possessive (the road is named after the mill), a title's possessive, and a feature
    # word right after it ("Morton's Ford")
    assert read("They took Lee's Mill Road north.", gaz) == ["Lee's Mill Road"]
    assert read("He reached King's Cross Station late.", gaz) == ["King's Cross Station"]
    assert read("The army crossed at Morton's Ford.", gaz) == ["Morton's Ford"]


def test_a_name_word_after_a_feature_begins_the_next(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("Engagements: Champion's Hill Black River Bridge and the siege.", gaz) == [
        "Champion's Hill", "Black River Bridge"]


def test_a_known_name_after_a_cue_and_the(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("The brigade was first across the Rapidan that day.", gaz) == ["Rapidan"]
    assert read("Crowds gathered on the Maidan in the cold.", gaz) == ["Maidan"]
    # a name before a noun qualifies it; "of the" joins the parts of a title
    assert read("The enemy drove the Maidan regiment back.", gaz) == []
    assert read("He marched with the Continental Army to the river.", gaz) == []
    assert read("Headquarters Department of the Gulf.", gaz) == []


def test_a_list_continues_places_not_people(gaz) -> None:  # type: ignore[no-untyped-def]
    # "Aide-de-Camp" follows a person's name and a comma: no item of a list of places
    assert read("Sent by CYRUS H. DE FORREST, Aide-de-Camp.", gaz) == []
    assert read("They left Vicksburg, Jackson and Grand Coteau.", gaz) == [
        "Vicksburg", "Jackson", "Grand Coteau"]


def test_a_name_after_a_signature_and_before_a_date_is_an_address(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("HEADQUARTERS DEPARTMENT OF THE GULF, Grand Ecore April 12, 1864.",
                gaz) == ["Grand Ecore"]
    assert read("Major-General BANKS, Grand Ecore La. April 12, 1864.", gaz) == [
        "Grand Ecore", "La."]


def test_a_hyphenated_title_after_a_name_makes_a_person(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("Your servant, JOHN JACKSON, Brigadier-General, Commanding.", gaz) == []


def test_a_railroad_or_mines_after_a_name_is_part_of_it(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("The column crossed the Macon railroad at dawn.", gaz) == ["Macon railroad"]
    assert read("Miners went to the Pino Alto mines in May.", gaz) == ["Pino Alto mines"]


def test_a_fork_takes_its_river(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("Indians were seen on the North Fork of Eel River last week.", gaz) == [
        "North Fork of Eel River"]
    assert read("We camped at South Fork of Spring River that night.", gaz) == [
        "South Fork of Spring River"]


def test_a_sentence_verb_is_no_part_of_a_feature_name(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("We turned northwest. Struck South Fork and followed it.", gaz) == [
        "South Fork"]
    assert read("Trams cross the Main Market Square daily.", gaz) == ["Main Market Square"]


def test_a_territory_keeps_its_dot(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("HEADQUARTERS, Camp Douglas Utah Ter., April 9.", gaz)[-1] == "Utah Ter."


def test_an_unknown_name_after_a_cue_and_the(gaz) -> None:  # type: ignore[no-untyped-def]
    assert read("Drive them into the Atchafalaya but stay here.", gaz) == ["Atchafalaya"]
    assert read("Our forces at the Gasconade crossing are idle.", gaz) == ["Gasconade"]
    # people nouns, a title's "of", a feature word alone and an ordinal are no names
    assert read("He fought in the Weaverville company.", gaz) == []
    assert read("He served in the Defenses of the city.", gaz) == []
    assert read("They met at the Monument at noon.", gaz) == []
    assert read("Detachments from the Eighty-second New York came.", gaz) == []


def read_listing(text: str, gaz) -> list[str]:  # type: ignore[no-untyped-def]
    """As ``read``, with the people finder told what the gazetteers know."""
    return read_places(text, gaz, known, people_known=known)


def test_towns_in_a_list_are_no_person(gaz) -> None:  # type: ignore[no-untyped-def]
    # a list that lost its commas: two towns beside a third are not a forename and surname
    text = "We marched through Vicksburg Jackson Grand Coteau to the river."
    assert "Vicksburg Jackson" not in read_listing(text, gaz)
    assert {"Vicksburg", "Jackson"} <= set(read_listing(text, gaz))
    # two towns alone stay what the people finder says (a name like "Jackson Richmond")
    assert find_people(normalise("Vicksburg Jackson spoke.", doc="t"), known=known)


def test_a_fort_or_port_begins_the_next_name(gaz) -> None:  # type: ignore[no-untyped-def]
    found = read("The boats left Arkansas Post Port Gibson behind.", gaz)
    assert "Port Gibson" in found
    assert not any(m.startswith("Arkansas Post Port") for m in found)
