"""Stage 2: place mentions, from the curated lexicon, district phrases and locative cues."""

from __future__ import annotations

from pathlib import Path

import pytest

from storymap.pipeline.mentions import find_mentions, not_place_keys
from storymap.pipeline.people import find_people
from storymap.text.passages import normalise

PLACES = Path(__file__).parent / "data" / "places"


def mentions(text: str, gaz, surnames: frozenset[str] = frozenset()):  # type: ignore[no-untyped-def]
    ps = normalise(text, doc="t")
    return find_mentions(ps, gazetteer=gaz, surnames=surnames,
                         not_places=not_place_keys(PLACES / "not-places.txt"))


def names(found) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(m.text, m.how) for m in found]


def test_longest_curated_name_wins(gaz) -> None:  # type: ignore[no-untyped-def]
    found = mentions("Crowds gathered at the Radio Budapest building in Budapest.", gaz)
    assert names(found) == [("Radio Budapest building", "lexicon"), ("Budapest", "lexicon")]


def test_english_and_hungarian_generic_words(gaz) -> None:  # type: ignore[no-untyped-def]
    found = mentions("They met on Kossuth Square, then on Kossuth tér again.", gaz)
    assert [m.text for m in found] == ["Kossuth Square", "Kossuth tér"]


@pytest.mark.parametrize("text", ["Mosonmagyarovar", "MOSONMAGYARÓVÁR", "Magyaróvár",
                                  "Mosonmagyaróvár"])
def test_accent_and_case_insensitive(gaz, text: str) -> None:  # type: ignore[no-untyped-def]
    assert [m.text for m in mentions(f"Shots were fired in {text}.", gaz)] == [text]


def test_wikitext_question_mark_is_one_lost_letter(gaz) -> None:  # type: ignore[no-untyped-def]
    found = mentions("crowds in Debrecen , Gy?r , Sopron and Pápa", gaz)
    assert names(found) == [("Debrecen", "cue"), ("Gy?r", "lexicon"), ("Sopron", "cue"),
                            ("Pápa", "cue")]


def test_historic_names(gaz) -> None:  # type: ignore[no-untyped-def]
    found = mentions("Fighting went on in Sztálinváros and in Stalintown.", gaz)
    assert [m.text for m in found] == ["Sztálinváros", "Stalintown"]


def test_district_references(gaz) -> None:  # type: ignore[no-untyped-def]
    found = mentions("Fighting in the eighth and ninth districts of Budapest. "
                     "District VIII held. The VIII. kerület burned. Józsefváros too.", gaz)
    got = [(m.text, m.name) for m in found]
    assert got[:2] == [("eighth", "District VIII"), ("ninth", "District IX")]
    assert ("District VIII", "District VIII") in got
    assert ("VIII. kerület", "VIII. kerület") in got
    assert ("Józsefváros", "Józsefváros") in got


def test_not_places_are_masked(gaz) -> None:  # type: ignore[no-untyped-def]
    found = mentions("Radio Free Europe urged them on; the Warsaw Pact met.", gaz)
    assert found == ()


def test_lower_case_text_needs_a_lower_case_alias(gaz) -> None:  # type: ignore[no-untyped-def]
    # "radio building" is written in lower case in places/, "budapest" is not.
    found = mentions("They seized the radio building and walked through budapest.", gaz)
    assert [m.text for m in found] == ["radio building"]


def test_cue_mentions_for_unknown_towns(gaz) -> None:  # type: ignore[no-untyped-def]
    found = mentions("Students in Szeged met. The town of Tiszakécske was strafed.", gaz)
    assert names(found) == [("Szeged", "cue"), ("Tiszakécske", "cue")]


def test_no_cue_mention_for_people_months_or_acronyms(gaz) -> None:  # type: ignore[no-untyped-def]
    found = mentions("Power passed to Nagy in October; they fought the ÁVH in June.", gaz,
                     surnames=frozenset({"nagy"}))
    assert found == ()


def test_offsets_point_into_the_source(gaz) -> None:  # type: ignore[no-untyped-def]
    text = "= = Revolution = =\nThe crowd , in Budapest , grew ."
    p = normalise(text, doc="t")
    (m,) = find_mentions(p, gazetteer=gaz, not_places=frozenset())
    start, end = p[0].source_span(m.start, m.end)
    assert text[start:end] == "Budapest"


def test_the_embassy_points_back_to_the_last_embassy_named() -> None:
    from storymap.geo.gazetteer import load_gazetteer as real

    text = ("Nagy took refuge in the Embassy of Yugoslavia. He was arrested when leaving "
            "the embassy on 22 November.\n\n== Later ==\nHe visited the embassy again.")
    found = find_mentions(normalise(text, doc="t"), gazetteer=real(), not_places=frozenset())
    assert [(m.text, m.how) for m in found] == [("Embassy of Yugoslavia", "lexicon"),
                                                ("the embassy", "anaphora")]
    assert found[1].name == "Embassy of Yugoslavia"


def test_capitalised_words_of_prose_are_not_cue_places(gaz) -> None:  # type: ignore[no-untyped-def]
    found = mentions("We prayed to God, went to Mass at Christmas and back to Mother.", gaz)
    assert found == ()


def test_to_after_a_verb_of_speech_or_surrender_meets_a_person(gaz) -> None:  # type: ignore[no-untyped-def]
    found = mentions("Vicksburg surrendered to Grant. He wrote to Kádár. They fled to Szeged.", gaz)
    assert names(found) == [("Szeged", "cue")]


def test_a_name_never_runs_across_a_sentence_end(gaz) -> None:  # type: ignore[no-untyped-def]
    found = mentions("Crowds gathered at Bornholmer Strasse. At midnight they left.", gaz)
    assert [m.text for m in found] == ["Bornholmer Strasse"]


def test_a_particle_inside_a_name_keeps_the_surname_a_person() -> None:
    # "Valera" alone is a Venezuelan city of 100,000: inside "Éamon de Valera", a surname
    def known(key: str) -> tuple[int, int]:
        return {"santiago de compostela": (90_000, 90_000)}.get(key, (-1, -1))

    def names(text: str) -> list[str]:
        return [p.name for p in find_people(normalise(text, doc="t"), known=known)]

    assert names("Éamon de Valera held the mill.") == ["Éamon de Valera"]
    assert names("Johannes van der Waals taught there.") == ["Johannes van der Waals"]
    assert names("They reached Santiago de Compostela at last.") == []
    assert names("They crossed the Place de la Concorde.") == []


def test_after_a_given_name_a_towns_name_is_a_surname(gaz) -> None:  # type: ignore[no-untyped-def]
    from storymap.pipeline.people import surnames

    towns = frozenset({"washington", "lincoln", "new york", "delaware"})

    def read(text: str) -> tuple[list[str], list[str]]:
        passages = normalise(text, doc="t")
        people = find_people(passages, place_words=towns)
        found = find_mentions(passages, gazetteer=gaz, surnames=surnames(people))
        return [p.name for p in people], [m.text for m in found]

    people, places = read("General George Washington lost New York. That night Washington "
                          "crossed the Delaware; in January he marched to Washington.")
    assert people == ["George Washington"]
    assert places.count("Washington") == 1  # the general alone is the person, "to" the city
    people, places = read("Abraham Lincoln spoke. They crossed the George Washington Bridge.")
    assert people == ["Abraham Lincoln"] and places == ["George Washington Bridge"]
