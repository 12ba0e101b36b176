"""Weekdays in a text's own calendar (storymap.model.calendar): the dates it counts from
them (storymap.pipeline.dates) and the days the page names (Story.weekdays, page data).

Texts: tests/data/calendar/ (written for these tests): a Great Fire account that writes
"Sunday, 2 September 1666" (England's Julian calendar; a Thursday in the Gregorian one),
and a Norman Conquest one that writes no weekday with a date, before the reform.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storymap.model import DateRecord
from storymap.model.calendar import (
    REFORM,
    default_shift,
    julian_shift,
    shift_of,
    text_shifts,
    written_weekday,
)
from storymap.outputs.pagedata import page_data
from storymap.pipeline import build_story
from storymap.pipeline.dates import find_dates
from storymap.text.passages import normalise

DATA = Path(__file__).parent / "data" / "calendar"
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


@pytest.mark.parametrize(("day", "weekday"), [
    (date(1582, 10, 4), THU),   # the last Julian day of the reform, and the first Gregorian
    (date(1066, 10, 14), SAT),  # Hastings
    (date(1666, 9, 2), SUN),    # the Great Fire began (England: Julian until 1752)
    (date(1752, 9, 2), WED),    # Britain's last Julian day
    (date(1917, 10, 25), WED),  # the October Revolution (Russia: Julian until 1918)
    (date(1, 1, 1), SAT),
])
def test_julian_weekdays(day: date, weekday: int) -> None:
    assert (day.weekday() + julian_shift(day)) % 7 == weekday


def test_the_default_is_julian_before_the_reform_and_gregorian_after() -> None:
    assert written_weekday(date(1582, 10, 4), None) == THU
    assert written_weekday(REFORM, None) == FRI and default_shift(REFORM) == 0
    assert written_weekday(date(1956, 10, 23), None) == TUE
    assert written_weekday(date(1666, 9, 2), shift_of(date(1666, 9, 2), SUN)) == SUN


def test_a_texts_shift_is_what_most_of_its_weekdays_say() -> None:
    def rec(doc: str, day: str, weekday: int | None, precision: str = "day") -> DateRecord:
        return DateRecord(doc=doc, start=0, end=1, text="x", date=day, precision=precision,
                          weekday=weekday)

    got = text_shifts([rec("a", "1666-09-02", SUN), rec("a", "1666-09-04", TUE),
                       rec("a", "1666-09-05", MON),  # a slip of the pen
                       rec("b", "1956-10-23", None), rec("c", "1956-10", MON, "month"),
                       rec("d", "1956-10-23", TUE)])
    assert got == {"a": 3, "d": 0}


def _dates(text: str) -> list[tuple[str, str, int | None]]:
    return [(d.text, d.date, d.weekday) for d in find_dates(normalise(text, doc="t"))]


def test_a_date_written_with_its_weekday_keeps_it_and_sets_the_count() -> None:
    got = _dates((DATA / "fire-1666.txt").read_text(encoding="utf-8"))
    assert got[0] == ("In the early hours of Sunday, 2 September 1666", "1666-09-02", SUN)
    assert [(t, d) for t, d, _ in got[1:]] == [
        ("On Monday", "1666-09-03"), ("By Tuesday", "1666-09-04"), ("in that night", "1666-09-04"),
        ("On Wednesday", "1666-09-05")]


def test_before_the_reform_weekdays_count_in_the_julian_calendar() -> None:
    got = _dates((DATA / "hastings-1066.txt").read_text(encoding="utf-8"))
    # 14 October 1066 was a Saturday (a Sunday in the proleptic Gregorian calendar, where
    # "On Monday" would be the 15th)
    assert [(t, d) for t, d, _ in got] == [("On 14 October 1066", "1066-10-14"),
                                           ("On Monday", "1066-10-16")]
    # after it, as before: 23 October 1956 was a Tuesday
    assert _dates("On 23 October 1956 students marched. On Friday tanks came.")[1][1] == \
        "1956-10-26"


def test_the_story_names_its_days_as_its_texts_count_them() -> None:
    fire = build_story([DATA / "fire-1666.txt"])
    assert fire.weekdays() == {"1666-09-02": SUN, "1666-09-03": MON, "1666-09-04": TUE,
                               "1666-09-05": WED}
    assert page_data(fire)["weekdays"] == fire.weekdays()
    hastings = build_story([DATA / "hastings-1066.txt"])
    assert hastings.weekdays()["1066-10-14"] == SAT
    assert build_story([Path(__file__).parent / "data" / "small.txt"]).weekdays() == {}


def test_texts_that_count_a_day_differently_leave_its_weekday_unnamed(tmp_path: Path) -> None:
    gregorian = tmp_path / "newstyle.txt"  # the same days written in the Gregorian calendar
    gregorian.write_text("The Fire\n\nOn Thursday, 2 September 1666, a fire began in "
                         "Pudding Lane, London.\n", encoding="utf-8")
    story = build_story([DATA / "fire-1666.txt", gregorian])
    assert story.weekdays()["1666-09-02"] is None  # the texts disagree: no weekday shown
    assert story.weekdays()["1666-09-04"] == TUE  # told by the Julian text alone
