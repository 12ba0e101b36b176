"""Stage 5: events — which places a careful reader ties to which date."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from storymap.cli import main
from storymap.model import Event, PlaceRef, SourceRef, Story
from storymap.pipeline import SourceText, build_story_from_texts
from storymap.pipeline.dates import find_dates
from storymap.pipeline.events import build_events, merge_events, title_of
from storymap.text.passages import normalise


def build(text: str) -> Story:
    return build_story_from_texts([SourceText(id="t", text=text)])


def pins(story: Story) -> list[tuple[str, str | None, str]]:
    return [(e.date, e.end_date, r.place_id) for e in story.events for r in e.places]


def test_a_date_frames_the_sentences_that_follow_in_its_paragraph() -> None:
    story = build("On 4 November 1956, tanks entered Budapest. Armoured units crossed into "
                  "Buda.\n\nFighting went on in Szeged.")
    assert pins(story) == [("1956-11-04", None, "budapest"), ("1956-11-04", None, "buda")]


def test_a_date_late_in_its_sentence_does_not_frame_the_next() -> None:
    story = build("On 27 October 1956, troops secured Csepel. They later withdrew on 29 October. "
                  "Workers from the Láng factory marched in Angyalföld.")
    got = pins(story)
    assert ("1956-10-27", None, "budapest-21") in got
    assert ("1956-10-29", None, "budapest-21") in got  # "They" points back to Csepel
    assert not any(place in ("lang-factory", "angyalfold") for _, _, place in got)


def test_no_inheritance_after_a_shift_in_time_or_case() -> None:
    story = build("One example is in the town of Kecskemét on 26 October 1956. "
                  "In another case, a jet strafed a protest in the town of Tiszakécske. "
                  "Historians argue that crowds gathered in Győr.")
    assert pins(story) == [("1956-10-26", None, "kecskemet")]


def test_ranges_and_clauses() -> None:
    story = build("From 1 to 3 November 1956, Khrushchev left Moscow to meet leaders in "
                  "Bucharest. On 4 November tanks entered Budapest, and on 11 November "
                  "fighting ended in Dunaújváros.")
    got = pins(story)
    assert ("1956-11-01", "1956-11-03", "moscow") in got
    assert ("1956-11-01", "1956-11-03", "bucharest") in got
    assert ("1956-11-04", None, "budapest") in got
    assert ("1956-11-11", None, "dunaujvaros") in got


def test_countries_are_mentions_not_pins() -> None:
    story = build("On 1 November 1956, Nagy declared Hungary neutral in Budapest.")
    assert pins(story) == [("1956-11-01", None, "budapest")]
    assert any(m.place_id == "hungary" for m in story.mentions)


def test_same_time_opening_carries_the_date_into_a_new_paragraph() -> None:
    story = build("On 23 October 1956, crowds met at the Bem statue.\n\n"
                  "At about the same time, a crowd gathered at the Radio Budapest building.")
    assert ("1956-10-23", None, "radio") in pins(story)


def test_coarse_dates_keep_their_precision() -> None:
    story = build("In January 1957 strikes ended in Budapest. In 1989 Hungary became a republic "
                  "in a ceremony in Budapest.")
    assert [(e.date, e.precision) for e in story.events] == [("1957-01", "month"),
                                                             ("1989", "year")]


def test_duplicates_merge_across_sources() -> None:
    a = SourceText(id="a", text="On 4 November 1956, Soviet tanks entered Budapest at dawn.")
    b = SourceText(id="b", text="On 4 November 1956 Soviet tanks entered Budapest at dawn .")
    story = build_story_from_texts([a, b])
    assert len(story.events) == 1
    assert [s.doc for s in story.events[0].sources] == ["a", "b"]


def test_people_and_quotes() -> None:
    text = "On 3 November 1956, Pál Maléter was arrested at Tököl. Maléter was later executed."
    story = build(text)
    (event,) = story.events
    assert event.people == ("Pál Maléter",)
    s = event.sources[0]
    assert text[s.start : s.end] == event.quote


def test_titles_are_short_and_drop_the_date() -> None:
    assert title_of("On 23 October 1956, students marched.") == "Students marched"
    long = title_of("Students from every faculty of the university marched together across "
                    "the bridges towards the Parliament building in the rain.")
    assert long.endswith("…") and len(long.split()) <= 11


def test_an_aside_year_does_not_take_the_places_of_day_narration() -> None:
    # Set in Budapest: a statue of Stalin is Budapest's landmark only in a story set there.
    story = build("At 20:00 on 23 October 1956, Gerő spoke in Budapest. Angered, crowds pulled "
                  "down Stalin's bronze statue that was erected in 1951 on the site of a church.")
    assert ("1956-10-23", None, "stalin-monument") in pins(story)
    assert not any(e.date == "1951" for e in story.events)


def test_letters_lost_by_wikitext_are_restored_in_quotes_when_sure() -> None:
    a = SourceText(id="a", text="On 23 October 1956 , Ern? Ger? spoke in Budapest .")
    b = SourceText(id="b", text="Ernő Gerő was First Secretary.")
    story = build_story_from_texts([a, b])
    (event,) = story.events
    assert event.quote == "On 23 October 1956, Ernő Gerő spoke in Budapest."
    s = event.sources[0]
    assert a.text[s.start : s.end] == "On 23 October 1956 , Ern? Ger? spoke in Budapest ."


def test_unresolved_time_openings_stop_inheritance() -> None:
    story = build("On 6 November 1956 we reached the Keleti station. At Christmas we were still "
                  "in Budapest. Years later we went back to Vienna.")
    assert pins(story) == [("1956-11-06", None, "keleti-station")]


_SENTENCES = st.sampled_from([
    "On 23 October 1956, students marched. ", "The next day, tanks came. ",
    "At 21:30 the statue fell. ", "On 99999999999 October, nothing. ", "32 February 1956. ",
])


@settings(max_examples=30, deadline=5000)  # generous: two loaded cores
@given(st.lists(_SENTENCES, min_size=1, max_size=4), st.integers(1, 400), st.booleans())
def test_repeated_sentences_merge_into_one_event_each(pieces: list[str], repeat: int,
                                                      one_line: bool) -> None:
    unit = "".join(pieces)
    text = ("" if one_line else "\n\n").join([unit] * repeat)
    passages = normalise(text, doc="d")
    events = build_events(passages, [], find_dates(passages), [])
    assert len(events) <= len(pieces) * 2
    assert sum(len(e.sources) for e in events) <= len(pieces) * repeat * 2


def test_merging_keeps_every_source_once_and_the_first_time() -> None:
    e = Event(id="e", date="1956-10-23", precision="day", title="t", quote="Students marched.",
              places=(), sources=(SourceRef("a", 0, 5),))
    merged = merge_events([e, replace(e, sources=(SourceRef("b", 0, 5),), time="20:00"),
                           replace(e, quote="Students marched on."), e])
    assert len(merged) == 1
    assert merged[0].sources == (SourceRef("a", 0, 5), SourceRef("b", 0, 5))
    assert merged[0].time == "20:00"


def test_two_tellings_merge_when_one_names_a_place_the_other_leaves_unresolved() -> None:
    radio = Event(id="a", date="1956-11-04", precision="day", title="t", time="08:07",
                  quote="The radio station, Free Kossuth Radio, stopped broadcasting at 08:07 "
                        "An emergency Cabinet meeting was held in the Parliament.",
                  places=(PlaceRef("parliament", "Parliament"),), sources=(SourceRef("a", 0, 9),))
    again = replace(radio, id="b", quote="The radio station, Free Kossuth Radio, stopped "
                    "broadcasting at 08:07.", places=(), sources=(SourceRef("b", 0, 9),))
    merged = merge_events([radio, again])
    assert len(merged) == 1 and len(merged[0].sources) == 2
    assert [r.place_id for r in merged[0].places] == ["parliament"]
    # Another time, or a place that contradicts, keeps them apart.
    assert len(merge_events([radio, replace(again, time="09:00")])) == 2
    elsewhere = replace(again, places=(PlaceRef("szeged", "Szeged"),))
    assert len(merge_events([radio, elsewhere])) == 2


def test_a_title_is_not_cut_inside_a_number() -> None:
    title = title_of("The multitude had swollen to more than 200,000 people, who sang the anthem.")
    assert "200,000 people" in title


# --- Clauses of their own date, texts without a year (invented sentences) -----------------

def test_each_dated_clause_gets_its_own_date_and_places() -> None:
    story = build("Soviet troops entered Prague on 21 August 1968, and the leaders were "
                  "flown out to Moscow on 23 August 1968.")
    assert sorted(pins(story)) == [("1968-08-21", None, "prague"),
                                   ("1968-08-23", None, "moscow")]
    titles = sorted(e.title for e in story.events)
    assert titles[0].startswith("Soviet troops entered Prague") and titles[1].startswith("The")


def test_a_semicolon_splits_clauses_even_when_the_place_comes_first() -> None:
    story = build("In Vienna on 21 August 1968 crowds gathered; in Prague on 22 August 1968 "
                  "the congress met.")
    assert sorted(pins(story)) == [("1968-08-21", None, "vienna"),
                                   ("1968-08-22", None, "prague")]


def test_a_clause_without_a_date_stays_with_the_clause_before() -> None:
    story = build("On 21 August 1968 troops entered Prague, and crowds gathered in Vienna, "
                  "but on 23 August 1968 the leaders flew to Moscow.")
    assert sorted(pins(story)) == [("1968-08-21", None, "prague"),
                                   ("1968-08-21", None, "vienna"),
                                   ("1968-08-23", None, "moscow")]


def test_a_range_is_one_date_not_two_clauses() -> None:
    story = build("Between 23 October and 4 November 1956 fighting raged in Szeged.")
    assert pins(story) == [("1956-10-23", "1956-11-04", "szeged")]


def test_a_yearless_text_takes_the_year_of_the_others_or_of_the_option() -> None:
    notes = SourceText(id="notes", text="Troops entered Prague on 21 August.")
    other = SourceText(id="other", text="On 20 August 1968 the troops crossed into Brno.")
    story = build_story_from_texts([notes, other])
    assert ("1968-08-21", None, "prague") in pins(story)
    story = build_story_from_texts([notes], year=1969)
    assert pins(story) == [("1969-08-21", None, "prague")]
    story = build_story_from_texts([notes, other], year=1970)  # the option wins for notes
    assert ("1970-08-21", None, "prague") in pins(story)
    assert ("1968-08-20", None, "geonames:3078610") in pins(story)  # Brno keeps its own


def test_a_yearless_text_alone_says_so_on_one_line(runner: CliRunner, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("Troops entered Prague on 21 August.\n", encoding="utf-8")
    result = runner.invoke(main, ["export", str(text), "-f", "json", "-o", "-"])
    assert result.exit_code == 0
    assert [line for line in result.stderr.splitlines() if "no year" in line] == [
        "storymap: warning: notes names no year, so its 1 date without one is left out; "
        "give the year with --year YEAR"]
    result = runner.invoke(main, ["export", str(text), "-f", "json", "-o", "-",
                                  "--year", "1968"])
    assert '"1968-08-21"' in result.stdout and "no year" not in result.stderr


def test_a_place_right_before_a_date_takes_that_date() -> None:
    story = build("The government moved to Moscow on 12 March 1918, a few days after the "
                  "treaty was signed at Brest on 3 March 1918.")
    assert sorted(pins(story)) == [("1918-03-03", None, "brest-belarus"),
                                   ("1918-03-12", None, "moscow")]


def test_serve_reads_a_yearless_text_with_the_year_option(tmp_path: Path) -> None:
    from storymap.cli.serve import load_story
    from storymap.corpus import ReadOptions
    from storymap.inputs import BuildOptions

    text = tmp_path / "notes.txt"
    text.write_text("Troops entered Prague on 21 August.\n", encoding="utf-8")
    options = BuildOptions(read=ReadOptions(year=1968))
    assert pins(load_story([text], options=options)) == [("1968-08-21", None, "prague")]


def test_a_clock_range_dates_what_follows_from_its_start() -> None:
    # Two tellings of one morning: "during the same hour" and "between 07:00 and 08:00"
    # both leave the narration at 07:00, so the retold sentence (one more place named)
    # merges into one event instead of two an hour apart.
    a = SourceText(id="a", text="On 5 March 1921, the army marched.\n\nBy 07:00 the guards fled. "
                                "During the same hour, troops took the bridge at Szeged. Fighting "
                                "was fiercest in Budapest, which was shelled.")
    b = SourceText(id="b", text="On 5 March 1921, the army marched.\n\nBy 07:00, the guards had "
                                "fled. Between 07:00 and 08:00, troops took the bridge at Szeged. "
                                "Fighting was fiercest in Budapest, with Csepel shelled.")
    story = build_story_from_texts([a, b])
    fierce = [e for e in story.events if "fiercest" in e.quote]
    assert [(e.time, len(e.sources)) for e in fierce] == [("07:00", 2)]


def test_headings_titles_captions_and_questions_are_never_events() -> None:
    story = build("Leipzig, 16-19 October 1813\nLesson notes\n\n"
                  "Day one: 16 October in Leipzig\n\n"
                  "In the morning the allies fought at Wachau.\n\n"
                  "Map 1: Leipzig and its villages on 16 October 1813.\n\n"
                  "Questions\n\n1. Why did the Saxons change sides at Leipzig on 18 October?\n")
    quotes = [e.quote for e in story.events]
    assert quotes == ["In the morning the allies fought at Wachau."]
    # The heading's date frames the dates of the section below it.
    assert [(e.date, e.time) for e in story.events] == [("1813-10-16", "morning")]


def test_a_dateless_paragraph_continues_the_day_the_narration_goes_on_from() -> None:
    day = ("On 16 October 1813 the allies attacked Leipzig.\n\n"
           "The Austrians fought at Wachau.{aside}\n\n{next}\n")
    story = build(day.format(aside="", next="On 18 October the allies attacked again."))
    wachau = next(e for e in story.events if "Wachau" in e.quote)
    assert wachau.date == "1813-10-16" and wachau.time is None
    assert [r.mention for r in wachau.places] == ["Wachau"]
    # Not when the narration jumps back or ends, and never for commentary.
    for follow in ("In 1806 Prussia had been beaten at Jena.", ""):
        story = build(day.format(aside="", next=follow))
        assert not any("Wachau" in e.quote for e in story.events), follow
    story = build(day.format(aside=" Historians argue that Wachau decided it.",
                             next="On 18 October the allies attacked again."))
    assert [e.quote for e in story.events if "Historians" in e.quote] == []


def test_a_sentence_with_several_dates_and_no_place_is_one_event_at_its_anchor() -> None:
    story = build("On the afternoon of 3 June 1989 the army was ordered to clear the square "
                  "by six the next morning.")
    assert [(e.date, e.time) for e in story.events] == [("1989-06-03", "afternoon")]
