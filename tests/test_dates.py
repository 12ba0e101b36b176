"""Stage 4: date expressions found and resolved against the narration (invented texts and seeds)."""

from __future__ import annotations

import itertools
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storymap.pipeline.dates import DateExpr, find_dates, story_year, warn_if_yearless
from storymap.pipeline.dates.datetext import PARTS_OF_DAY, scan
from storymap.text.passages import Passage, normalise

SEEDS = Path(__file__).resolve().parents[1] / "storymap" / "examples" / "hungary-1956"
SEED_000 = SEEDS / "000_45b25660c8184322.txt"
SEED_001 = SEEDS / "001_9eae0018a0124b1b.txt"


def found(text: str, default_year: int | None = 1956) -> list[DateExpr]:
    return list(find_dates(normalise(text), default_year=default_year))


def one(text: str, default_year: int | None = 1956) -> DateExpr:
    dates = found(text, default_year)
    assert len(dates) == 1, [d.text for d in dates]
    return dates[0]


def when(text: str, default_year: int | None = 1956) -> list[tuple[str, str | None, str | None]]:
    return [(d.date, d.end_date, d.time) for d in found(text, default_year)]


@pytest.mark.parametrize(("text", "words", "iso", "kind"), [
    ("On 23 October 1956, students marched.", "On 23 October 1956", "1956-10-23", "absolute"),
    ("It began October 23, 1956, in Budapest.", "October 23, 1956", "1956-10-23", "absolute"),
    ("On October 23 the students marched.", "On October 23", "1956-10-23", "partial"),
    ("Tanks came on Oct. 25th at dawn.", "on Oct. 25th at dawn", "1956-10-25", "partial"),
    ("By the 26th of October, the city burned.", "By the 26th of October", "1956-10-26",
     "partial"),
    ("The form is dated 23.10.1956 in Pest.", "23.10.1956", "1956-10-23", "absolute"),
    ("An American cable of 10/23/1956 said so.", "10/23/1956", "1956-10-23", "absolute"),
    ("A British cable of 23/10/1956 said so.", "23/10/1956", "1956-10-23", "absolute"),
    ("The file 1956-10-23 was opened.", "1956-10-23", "1956-10-23", "absolute"),
    ("A tüntetés 1956. október 23. napján kezdődött.", "1956. október 23.", "1956-10-23",
     "absolute"),
    ("Sorted: 1956.10.23. in the archive.", "1956.10.23.", "1956-10-23", "absolute"),
])
def test_absolute_dates(text: str, words: str, iso: str, kind: str) -> None:
    d = one(text)
    assert (d.text, d.date, d.precision, d.kind) == (words, iso, "day", kind)


def test_ambiguous_slashes_read_day_first_unless_the_text_writes_us_dates() -> None:
    assert one("A note of 05/06/1956 survives.").date == "1956-06-05"
    us = found("A cable of 10/23/1956 and a note of 05/06/1956 survive.")
    assert [d.date for d in us] == ["1956-10-23", "1956-05-06"]


@pytest.mark.parametrize(("text", "first", "last"), [
    ("From 24 to 29 October, there were 71 clashes.", "1956-10-24", "1956-10-29"),
    ("Between 4 and 9 November, the army resisted.", "1956-11-04", "1956-11-09"),
    ("Fighting ceased 28 October – 4 November, as many believed.", "1956-10-28", "1956-11-04"),
    ("He travelled from 29 July to 1 August in secret.", "1956-07-29", "1956-08-01"),
    ("In the 24–29 October period, order returned.", "1956-10-24", "1956-10-29"),
    ("During October 24–29 they fought.", "1956-10-24", "1956-10-29"),
    ("A revolt lasting from 23 October until 10 November 1956.", "1956-10-23", "1956-11-10"),
    ("The Suez Crisis (29 October – 7 November 1956) intervened.", "1956-10-29", "1956-11-07"),
    ("From 28 December to 4 January 1957 it snowed.", "1956-12-28", "1957-01-04"),
    ("From 1950 to 1952, people were relocated.", "1950", "1952"),
    ("Hungary joined the Axis (1848? 49 was long past).", "1848", "1849"),
    ("Nagy was prime minister (1953–55) first.", "1953", "1955"),
])
def test_ranges(text: str, first: str, last: str) -> None:
    d = one(text)
    assert (d.date, d.end_date) == (first, last)


def test_and_makes_a_range_only_after_between() -> None:
    assert when("Talks were held on 4 and 9 November.") == [("1956-11-09", None, None)]


@pytest.mark.parametrize(("text", "iso", "clock"), [
    ("On 23 October 1956, at 20 : 00 , Gerő spoke.", "1956-10-23", "20:00"),
    ("By 02 : 00 on 24 October , Soviet tanks entered Budapest .", "1956-10-24", "02:00"),
    ("On 24 October, at 9:30 p.m., the crowd left.", "1956-10-24", "21:30"),
    ("At around 3 p.m. on October 24, four thousand stood there.", "1956-10-24", "15:00"),
    ("At 06:00, 4 November, Kádár spoke in Szolnok.", "1956-11-04", "06:00"),
    ("By noon, on 24 October, tanks stood outside.", "1956-10-24", "12:00"),
    ("During the early morning hours of 4 November, Münnich spoke.", "1956-11-04",
     "early morning"),
    ("During the night of 23 October, Gerő asked for troops.", "1956-10-23", "night"),
    ("On the afternoon of Tuesday, October 23, 1956, they marched.", "1956-10-23", "afternoon"),
])
def test_times_joined_to_their_dates(text: str, iso: str, clock: str) -> None:
    d = one(text)
    assert (d.date, d.time) == (iso, clock)


def test_times_alone_take_the_context_day() -> None:
    text = ("On 4 November, Soviet tanks penetrated Budapest. At 03:00 they crossed the Danube "
            "and at 04:25 fired the first shots. In the morning the radio fell silent; that "
            "evening Kádár spoke, and that night it rained.")
    assert [(d.date, d.time, d.kind) for d in found(text)][1:] == [
        ("1956-11-04", "03:00", "time"), ("1956-11-04", "04:25", "time"),
        ("1956-11-04", "morning", "time"), ("1956-11-04", "evening", "relative"),
        ("1956-11-04", "night", "relative")]


def test_a_time_without_a_day_in_view_is_dropped() -> None:
    assert found("At 20:00, Gerő spoke on the radio.") == []


def test_time_values_are_clock_times_or_parts_of_day() -> None:
    for d in found(SEED_000.read_text(encoding="utf-8")):
        assert d.time is None or d.time in PARTS_OF_DAY or re.fullmatch(r"\d\d:\d\d", d.time)


@pytest.mark.parametrize(("follow", "iso"), [
    ("The next day, tanks came.", "1956-10-24"),
    ("The following day, tanks came.", "1956-10-24"),
    ("The day after, tanks came.", "1956-10-24"),
    ("A week later, tanks came.", "1956-10-30"),
    ("Two days later, tanks came.", "1956-10-25"),
    ("The previous day, tanks had come.", "1956-10-22"),
    ("That day, tanks came.", "1956-10-23"),
    ("The same day, tanks came.", "1956-10-23"),
    ("On Sunday, tanks came.", "1956-10-28"),
    ("On the 30th, tanks came.", "1956-10-30"),
    ("Two days earlier, on 30 October, tanks came.", "1956-10-30"),
    ("The day after 24 October, tanks came.", "1956-10-25"),
])
def test_relative_and_partial_dates(follow: str, iso: str) -> None:
    dates = found("On Tuesday, 23 October 1956, students marched. " + follow)
    assert dates[-1].date == iso
    assert dates[-1].anchor


def test_relative_dates_need_a_day_in_view() -> None:
    assert found("The next day, tanks came. On Sunday they left.") == []


def test_weekdays_are_read_only_near_a_context_day() -> None:
    assert found("Bloody Sunday was remembered.") == []
    assert when("On 23 October 1956 they met. Next Tuesday they met again.")[1][0] == "1956-10-30"


def test_memoir_yesterday_and_today_need_a_day_in_the_same_paragraph() -> None:
    diary = "24 October 1956. Today the tanks came; yesterday we marched."
    assert [d.date for d in found(diary)] == ["1956-10-24", "1956-10-24", "1956-10-23"]
    assert [d.text for d in found("On 24 October 1956 they met.\n\nToday it is a museum.")] == [
        "On 24 October 1956"]
    assert len(found("On 24 October 1956, in today's dollars, it cost $5.")) == 1


@pytest.mark.parametrize(("text", "iso", "precision"), [
    ("In January 1957, representatives met in Budapest.", "1957-01", "month"),
    ("The group was returned to Budapest in 1989.", "1989", "year"),
    ("Nagy was executed after secret trials in June 1958.", "1958-06", "month"),
    ("In the summer of 1956, relations began to improve.", "1956", "year"),
    ("Refugees were resettled in spring 1957.", "1957", "year"),
    ("By the end of October, fighting had almost stopped.", "1956-10", "month"),
    ("Kádár was in Moscow in early November.", "1956-11", "month"),
    ("Strikes continued until mid-1957.", "1957", "year"),
])
def test_coarser_dates_keep_their_precision(text: str, iso: str, precision: str) -> None:
    d = one(text)
    assert (d.date, d.precision) == (iso, precision)


def test_decades_are_not_dates() -> None:
    assert found("Since the thaw of the 1980s, and in the early 1950s, it was studied.") == []


def test_the_year_comes_from_the_section_and_never_crosses_a_heading() -> None:
    text = ("= = 1968 = =\n\nOn 20 August, troops crossed the border. On 21 August, Prague fell."
            "\n\n= = Aftermath = =\n\nOn 27 August, Dubček returned.")
    assert [d.date for d in found(text, default_year=1956)] == [
        "1968-08-20", "1968-08-21", "1956-08-27"]
    text_1848 = "In 1848, revolution spread. On 15 March, Pest rose. On 11 April, laws passed."
    assert [d.date for d in found(text_1848, default_year=None)][1:] == [
        "1848-03-15", "1848-04-11"]


def test_an_earlier_month_does_not_roll_the_year_but_the_following_year_does() -> None:
    text = ("On 23 October 1956, students marched. On 14 May, the pact had been signed. "
            "In March the following year, Kádár ruled.")
    assert [d.date for d in found(text)] == ["1956-10-23", "1956-05-14", "1957-03"]


def test_a_year_named_in_passing_does_not_move_the_narration() -> None:
    text = ("On the afternoon of 23 October 1956, crowds gathered at the statue that was "
            "erected in 1951. On 24 October, tanks came. On 4 November, Nagy spoke; Jeszenszky "
            "in a 1998 interview criticised it, and the next day the fighting went on.")
    dates = found(text)
    assert [(d.date, d.anchor) for d in dates] == [
        ("1956-10-23", True), ("1951", False), ("1956-10-24", True), ("1956-11-04", True),
        ("1998", False), ("1956-11-05", True)]


def test_another_year_named_as_a_year_holds_only_for_its_paragraph() -> None:
    text = ("By 1963, most prisoners had been released. In May 1957, troops returned."
            "\n\nNagy was arrested when leaving the embassy on 22 November.")
    assert found(text)[-1].date == "1956-11-22"


@pytest.mark.parametrize(("text", "anchored"), [
    ("On 23 October, students marched.", True),
    ("By 30 October, councils had been sanctioned.", True),
    ("Nagy disbanded the ÁVH (on 28 October) and declared neutrality.", False),
    ("The resistance continued until 10 November.", False),
    ("He had been in exile since January 1955.", False),
    ("Minutes of the 31 October meeting record the decision.", False),
    ("Khrushchev said that Gerő's request on 23 October showed confidence.", False),
    ("Since then 23 October is a national holiday.", False),
    ("He was a hero of the Hungarian Revolution of 1848.", False),
    ("They reversed their decision from the previous day.", False),
])
def test_anchor_decisions(text: str, anchored: bool) -> None:
    dates = found("On 30 October 1956, they met. " + text)
    assert dates[-1].anchor is anchored, dates[-1]


@pytest.mark.parametrize("text", [
    "Over 2,500 Hungarians and 700 Soviet troops were killed.",
    "Pro-Soviet communists fought the 9.1 m statue.",
    "Article 3 of the treaty; see p. 1956 and pages 1950–1960.",
    "The 1956-os forradalom began.",
    "The Republic was declared on the 33rd anniversary of the revolution.",
    "After the 20th Party Congress, students drew up sixteen points.",
    "Call +36 1 1956 2345 for details.",
    "They may come, and the crowd may march; the Polish October mattered.",
    "Estimates range from 75 to 1000 dead.",
    "It cost US$ 1956 and the 1500 troops stayed.",
])
def test_not_dates(text: str) -> None:
    assert found(text) == []


def test_wikitext_artefacts_are_read_through_normalise() -> None:
    d = one("By 22 October 1956 , Technical University students had resurrected MEFESZ .")
    assert (d.text, d.date) == ("By 22 October 1956", "1956-10-22")
    assert one("At 13 : 20 on 28 October , Nagy announced a cease @-@ fire .").time == "13:20"


def test_story_year() -> None:
    assert story_year([SEED_000.read_text(encoding="utf-8")]) == 1956
    assert story_year(["In 1968 troops came; on 21 August 1968 Prague fell; 1956 had passed."]) \
        == 1968
    assert story_year(["No year here, 2 @,@ 500 men and the 1980s."]) is None


def _seed_dates(path: Path) -> dict[str, DateExpr]:
    return {d.text: d for d in found(path.read_text(encoding="utf-8"), default_year=None)}


def test_seed_000() -> None:
    dates = _seed_dates(SEED_000)
    expect = {
        "from 23 October until 10 November 1956": ("1956-10-23", "1956-11-10"),
        "On the afternoon of 23 October 1956": ("1956-10-23", None),
        "By 02:00 on 24 October": ("1956-10-24", None),
        "From 24 to 29 October": ("1956-10-24", "1956-10-29"),
        "between 28 October and 4 November": ("1956-10-28", "1956-11-04"),
        "Two days earlier, on 30 October": ("1956-10-30", None),
        "From 1 to 3 November": ("1956-11-01", "1956-11-03"),
        "At around midnight that evening": ("1956-11-03", None),
        "the next day": ("1956-11-04", None),
        "During the early morning hours of 4 November": ("1956-11-04", None),
        "By 21:30 on 3 November": ("1956-11-03", None),
        "Between 4 and 9 November": ("1956-11-04", "1956-11-09"),
        "by 8 November": ("1956-11-08", None),
        "on 22 November": ("1956-11-22", None),
        "on 6 December": ("1956-12-06", None),
        "On Sunday, 28 October 1956": ("1956-10-28", None),
        "On 1 March 2011": ("2011-03-01", None),
        "By January 1957": ("1957-01", None),
        "On 5 March 1953": ("1953-03-05", None),
        "on 19 October": ("1956-10-19", None),
    }
    assert {k: (dates[k].date, dates[k].end_date) for k in expect} == expect
    assert dates["At 13:20 on 28 October"].time == "13:20"
    assert not dates["until 11 November"].anchor
    assert not any("1956-os" in d or "1980" in d for d in dates)


def test_seed_001() -> None:
    dates = _seed_dates(SEED_001)
    assert dates["23 October – 4 November 1956"].end_date == "1956-11-04"
    assert dates["On the afternoon of Tuesday, October 23, 1956"].time == "afternoon"
    assert (dates["At around 3 p.m. on October 24"].date,
            dates["At around 3 p.m. on October 24"].time) == ("1956-10-24", "15:00")
    assert dates["by 21:30 hrs"].time == "21:30"
    assert dates["two days later"].date == "1956-10-29"
    assert dates["On 14 April"].date == "1955-04-14"  # the paragraph speaks of 1955
    assert dates["In October"].date == "1956-10"
    assert dates["On Sunday, January 6, 1957"].date == "1957-01-06"
    assert dates["By 12 November"].date == "1956-11-12"
    assert not dates["17 June 1953"].anchor  # in parentheses


def _check(passages: tuple[Passage, ...]) -> None:
    for d in find_dates(passages):
        p = passages[d.passage]
        assert p.text[d.start:d.end] == d.text
        assert d.precision in ("day", "month", "year")
        assert d.kind in ("absolute", "partial", "relative", "time")
        for iso in (d.date, d.end_date):
            if iso is not None:
                parts = [int(x) for x in iso.split("-")]
                date(parts[0], *[*parts[1:], 1, 1][:2])
        assert len(d.date.split("-")) == {"year": 1, "month": 2, "day": 3}[d.precision]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_offsets_slice_to_the_text(text: str) -> None:
    _check(normalise(text))


_DATEISH = st.lists(st.sampled_from([
    "On", "on", "23", "October", "1956", ",", "the", "next", "day", "at", "20:00", "–", "to",
    "from", "between", "and", "31", "February", "12", "p.m.", "Sunday", "that", "evening",
    "(", ")", ".", "29", "1957", "2,500", "the 30th", "two", "days", "later", "in", "Oct.",
    "12/31/1956", "31.12.1956", "1956-02-30", "1848? 49", "mid-", "yesterday", "\n\n= = H = =\n\n",
]), max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_DATEISH, st.one_of(st.none(), st.integers(1000, 2100)))
def test_date_like_noise_resolves_to_valid_dates(text: str, year: int | None) -> None:
    passages = normalise(text)
    _check(passages)
    find_dates(passages, default_year=year)


def test_scan_on_raw_text_is_ordered_and_disjoint() -> None:
    raws = scan("On 23 October, at 20:00, and the next day, from 1 to 3 November 1956.")
    assert all(a.end <= b.start for a, b in itertools.pairwise(raws))


def test_ordinal_day_before_any_lower_case_word_but_ranks() -> None:
    text = "On 4 November 1956 we woke.\n\nOn the 6th we went out. The 6th army left."
    found = [(d.text, d.date) for d in find_dates(normalise(text))]
    assert found == [("On 4 November 1956", "1956-11-04"), ("On the 6th", "1956-11-06")]


# Huge and malformed numbers, dates and repeats: nothing crashes or hangs the date reader.
_HOSTILE = st.lists(st.one_of(st.sampled_from([
    "on 99999999999 October", "32 February", "year 0", "in 0000", "99999", "in 99999",
    "On 29 February 1900", "0/0/0000", "00:00", "24:00", "99:99", "the 0th", "the 99th",
    "From 31 December 9999 to 1 January 0001", "9999-12-31", "0001-01-01", "on the 3rd",
    "a week later", "1" * 60, "October " * 30, "the next day " * 20, "?" * 30,
]), st.integers(-10**30, 10**30).map(str)), max_size=30).map(" ".join)


@settings(max_examples=200, deadline=3000)  # generous: two loaded cores
@given(_HOSTILE, st.integers(1, 50), st.one_of(st.none(), st.integers(-5, 99999)))
def test_hostile_dates_and_repeats_neither_crash_nor_hang(text: str, repeat: int,
                                                           year: int | None) -> None:
    sentence = (text + ". ") if text else "On 23 October 1956 we met. "
    passages = normalise(sentence * repeat)
    _check(passages)
    find_dates(passages, default_year=year)


# --- Heading years, datelines, memoir months (invented texts) --------------------------------

def test_a_title_line_year_frames_the_text_and_a_later_year_does_not_rewrite_it() -> None:
    text = ("Valmora, 1921\n\nOn 4 April, the strikers held the Old Mill. On 9 April, the "
            "army came.\n\nThe charter was signed on 2 June 1923, and on 3 June 1923 the "
            "mills reopened.")
    dates = {d.text: d.date for d in found(text, default_year=None)}
    assert dates["On 4 April"] == "1921-04-04" and dates["On 9 April"] == "1921-04-09"
    assert dates["on 2 June 1923"] == "1923-06-02"


def test_a_heading_year_frames_its_section() -> None:
    text = "# Ostrava, 1931\n\nOn 12 May the miners struck. On 3 March 1932 they stopped."
    assert found(text, default_year=1932)[0].date == "1931-05-12"


def test_a_dateline_is_the_day_of_writing_and_a_letter_looks_back_from_it() -> None:
    text = ("CAMP NEAR BLUE CREEK, Okla., June 6, 1866. Sir: On the 3d I marched to the ford. "
            "On the 28th ultimo the train left. On the 2nd instant we camped. On June 8 we rest.")
    dates = {d.text: d.date for d in found(text, default_year=1870)}
    assert dates["June 6, 1866"] == "1866-06-06"
    assert dates["On the 3d"] == "1866-06-03"
    assert dates["On the 28th"] == "1866-05-28"
    assert dates["On the 2nd"] == "1866-06-02"
    assert dates["On June 8"] == "1866-06-08"


def test_a_dateline_needs_names_before_it_and_a_new_line_after_it() -> None:
    # Prose opening with a date is no dateline: the dominant year still frames the text.
    text = "On Friday, 3 May 1912, the weavers marched. On 5 May they met. In 1913, on 4 May 1913 …"
    assert found(text, default_year=1912)[1].date == "1912-05-05"


def test_a_day_number_in_memoir_narration_takes_the_next_month_after_a_later_day() -> None:
    text = ("We left Tarvin on 24 March 1947. A week later we reached the coast, and on the "
            "2nd we sailed for Lisbon.")
    assert [d.date for d in found(text, default_year=None)] == [
        "1947-03-24", "1947-03-31", "1947-04-02"]


def test_a_day_number_in_the_month_of_the_narration_stays_in_it() -> None:
    text = "On 4 March 1947 we left. On the 9th we arrived."
    assert found(text)[-1].date == "1947-03-09"


def test_a_text_without_a_year_leaves_its_dates_out_and_says_so(
        caplog: pytest.LogCaptureFixture) -> None:
    passages = normalise("Troops entered the town on 21 August, and left on 23 August.",
                         doc="notes")
    assert find_dates(passages) == ()
    assert warn_if_yearless(passages) is True
    assert "notes" in caplog.text and "--year" in caplog.text
    assert len(caplog.records) == 1
    assert [d.date for d in find_dates(passages, default_year=1968)] == [
        "1968-08-21", "1968-08-23"]
    assert warn_if_yearless(normalise("On 3 May 1968 we met.")) is False


def test_a_clock_range_is_one_time_at_its_start() -> None:
    def times(text: str) -> list[str | None]:
        return [r.time for r in scan(text)]

    assert times("Between 14:00 and 15:00, the guards left.") == ["14:00"]
    assert times("From 14:00 to 15:30 they marched.") == ["14:00"]
    assert times("At 14:00–15:00 they rested.") == ["14:00"]
    assert times("At 14:00 and 18:00 shots rang out.") == ["14:00", "18:00"]  # two times


@pytest.mark.parametrize(("text", "iso", "time"), [
    ("On Good Friday a German ship was caught.", "1916-04-21", None),
    ("The leaders met on Easter Sunday.", "1916-04-23", None),
    ("On Easter Monday they rose.", "1916-04-24", None),
    ("They crossed on Christmas night.", "1916-12-25", "night"),
    ("By New Year's Day the army was in winter quarters.", "1916-01-01", None),
    ("He landed on St Patrick’s Day.", "1916-03-17", None),
    ("On Christmas Day 1914 the guns fell silent.", "1914-12-25", None),
    ("On Whit Monday 1381 the rebels marched.", "1381-06-03", None),
])
def test_feast_days_are_days_of_the_year_in_view(text: str, iso: str, time: str | None) -> None:
    # the movable feasts count from Easter Sunday of that year (23 April 1916; in 1381, in
    # the Julian calendar the chroniclers wrote, Whit Sunday was 2 June)
    d = one(text, default_year=1916)
    assert (d.date, d.time) == (iso, time)


def test_a_feast_before_an_event_word_is_a_name_not_a_day() -> None:
    assert found("The Good Friday Agreement was signed in Belfast.", default_year=1998) == []
    assert found("The Boxing Day tsunami struck the coast.", default_year=2004) == []
