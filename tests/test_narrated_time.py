"""Issue 16: times within a narrated night, and dates counted from the sentence they follow."""

from __future__ import annotations

import pytest

from storymap.pipeline.dates import DateExpr, find_dates
from storymap.pipeline.dates.night import place
from storymap.text.passages import normalise


def found(text: str, default_year: int | None = 1989) -> list[DateExpr]:
    return list(find_dates(normalise(text), default_year=default_year))


def read(text: str, default_year: int | None = 1989) -> list[tuple[str, str, str | None]]:
    return [(d.text, d.date if not d.end_date else f"{d.date}/{d.end_date}", d.time)
            for d in found(text, default_year)]


NIGHT = ("On 3 June the army gathered. At 22:00 troops opened fire. At 10:30 they reached the "
         "barricades. Shortly after midnight the first vehicles arrived. By 01:30 they held the "
         "north side. At 04:00 the lights went out, and in the early hours the students left. "
         "By six o'clock the square was empty. The next morning the city woke to silence.")


def test_a_night_told_in_clock_times_stays_in_order_across_midnight() -> None:
    assert read(NIGHT) == [
        ("On 3 June", "1989-06-03", None),
        ("At 22:00", "1989-06-03", "22:00"),
        ("At 10:30", "1989-06-03", "22:30"),  # after 22:00, the 12-hour reading
        ("Shortly after midnight", "1989-06-04", "midnight"),
        ("By 01:30", "1989-06-04", "01:30"),
        ("At 04:00", "1989-06-04", "04:00"),
        ("in the early hours", "1989-06-04", "early morning"),
        ("By six o'clock", "1989-06-04", "06:00"),
        ("The next morning", "1989-06-04", "morning"),  # counted from the night's day
    ]
    minutes = [d.minute for d in found(NIGHT)][1:]
    # The order key: midnight opens the next day; "in the early hours" keeps its place
    # after 04:00 (told after it, inside the part of the day it names).
    assert minutes == [1320, 1350, 0, 90, 240, 240, 360, 540]


@pytest.mark.parametrize(("text", "expected"), [
    # A leading zero, a.m. or "hrs" is not a 12-hour clock: after 22:00 it is the next day.
    ("On 3 June, at 22:00, it began. At 09:30 it ended.", ("1989-06-04", "09:30")),
    ("On 3 June, at 22:00, it began. At 9:30 a.m. it ended.", ("1989-06-04", "09:30")),
    # Before noon the narration does not turn a clock twelve hours on.
    ("On 3 June, at 10:00, it began. At 9:30 they had met.", ("1989-06-03", "09:30")),
    # A time the night cannot reach going forward is a look back on the same day.
    ("On 3 June, at 22:00, it began. At 14:00 the crowd had gathered.", ("1989-06-03", "14:00")),
    # Past noon, a 12-hour clock goes forward: "at 3:30" after 14:00 is 15:30.
    ("On 3 June, at 14:00, it began. At 3:30 it ended.", ("1989-06-03", "15:30")),
    # Midnight with no evening told is the end of its day; after the evening, the next day.
    ("On 3 June at midnight the guns fell silent.", ("1989-06-03", "midnight")),
    ("On the night of 3 June the tanks came. After midnight they left.",
     ("1989-06-04", "midnight")),
    ("On the evening of 3 June the tanks came. In the morning they left.",
     ("1989-06-04", "morning")),
])
def test_clock_readings_follow_the_narration(text: str, expected: tuple[str, str]) -> None:
    last = found(text)[-1]
    assert (last.date, last.time) == expected


def test_a_plan_is_not_the_narrations_date_and_a_bound_on_the_time_is_not_the_dates() -> None:
    dates = found("On the afternoon of 3 June the army was ordered to clear the square by six "
                  "the next morning. Before dawn on 19 May the chief came.")
    assert [(d.text, d.date, d.time, d.anchor) for d in dates] == [
        ("On the afternoon of 3 June", "1989-06-03", "afternoon", True),
        ("by six the next morning", "1989-06-04", "06:00", False),
        ("Before dawn on 19 May", "1989-05-19", "early morning", True),
    ]


def test_place_reads_the_words_of_the_profile() -> None:
    assert place("night", narration=None).minute == 1441  # after 23:59, as time_ranks says
    assert place("teatime", narration=600).minute == -1  # not a part the profile knows


WEEK = ("On Monday, 24 April 1916, the rebels rose.\n\nOn Tuesday troops came. By Thursday the "
        "guns fired. On Friday the post office, under fire since Monday, burned.\n\n"
        "The surrender\n\nOn Saturday Pearse gave up. The following week the leaders were tried. "
        "A week later the first were shot.")


def test_weekdays_count_in_the_narrated_week_and_since_looks_back() -> None:
    assert read(WEEK, 1916) == [
        ("On Monday, 24 April 1916", "1916-04-24", None),
        ("On Tuesday", "1916-04-25", None),
        ("By Thursday", "1916-04-27", None),
        ("On Friday", "1916-04-28", None),
        ("since Monday", "1916-04-24/1916-04-28", None),  # the Monday before, up to Friday
        ("On Saturday", "1916-04-29", None),  # below a heading: the narrated week goes on
        ("The following week", "1916-05-01/1916-05-07", None),  # Monday to Sunday
        ("A week later", "1916-05-08", None),  # seven days on from the week's start
    ]


def test_weekdays_count_in_the_texts_own_calendar() -> None:
    """England kept the Julian calendar until 1752: the text's "Sunday, 2 September 1666" is
    a Thursday in ours, and its Tuesday two days on, not the Gregorian Tuesday after."""
    fire = ("In the early hours of Sunday, 2 September 1666, a fire broke out.\n\n"
            "By Tuesday it had reached Cheapside. On Wednesday the wind dropped. "
            "On Thursday, 6 September, it was out. The next Sunday the king came.")
    assert [(t, d) for t, d, _ in read(fire, None)] == [
        ("In the early hours of Sunday, 2 September 1666", "1666-09-02"),
        ("By Tuesday", "1666-09-04"),
        ("On Wednesday", "1666-09-05"),
        ("On Thursday, 6 September", "1666-09-06"),
        ("The next Sunday", "1666-09-09"),
    ]
    # a weekday that agrees with the calendar changes nothing (24 April 1916 was a Monday)
    assert read(WEEK, 1916)[1] == ("On Tuesday", "1916-04-25", None)


def test_each_counted_date_keeps_the_date_it_was_counted_from() -> None:
    by_text = {d.text: d for d in found(WEEK, 1916)}
    assert (by_text["On Tuesday"].basis, by_text["On Tuesday"].basis_date) == (
        "On Monday, 24 April 1916", "1916-04-24")
    assert by_text["On Saturday"].basis == "On Friday"  # across the heading
    assert by_text["On Monday, 24 April 1916"].basis == ""  # absolute: counted from nothing
    night = {d.text: d for d in found(NIGHT)}
    assert night["At 10:30"].basis == "At 22:00"
    assert night["Shortly after midnight"].basis_date == "1989-06-03"


def test_a_month_just_after_the_new_year_turns_the_year_and_the_text_with_it() -> None:
    text = ("On 24 December 1942 the relief force fell back.\n\n"
            "The end\n\nIn January the final attack began. On 10 January the guns opened fire."
            "\n\nOn 31 January Paulus surrendered.\n\nThe next spring families came back. "
            "That summer the first factory reopened.")
    assert read(text, 1942) == [
        ("On 24 December 1942", "1942-12-24", None),
        ("In January", "1943-01", None),
        ("On 10 January", "1943-01-10", None),
        ("On 31 January", "1943-01-31", None),  # a paragraph later: still the new year
        ("The next spring", "1943", None),  # the first spring after January 1943
        ("That summer", "1943", None),
    ]
    # History texts jump back: a month further from the narration's keeps its year.
    assert read("On 23 October 1956 students marched. On 14 May the pact had been signed.",
                1956)[-1] == ("On 14 May", "1956-05-14", None)
