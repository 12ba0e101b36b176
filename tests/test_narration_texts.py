"""Issue 16 on three texts written for it (tests/data/time/, original, MIT): a night
crackdown told in clock times, a battle over three days with a retreat "two days later", and
a December story that goes on "in January". What a teacher would expect, end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from storymap.model import Story
from storymap.pipeline import build_story

TEXTS = Path(__file__).parent / "data" / "time"


@pytest.fixture(scope="module")
def martial_law() -> Story:
    return build_story([TEXTS / "martial-law.txt"])


@pytest.fixture(scope="module")
def leipzig() -> Story:
    return build_story([TEXTS / "leipzig.txt"])


@pytest.fixture(scope="module")
def stalingrad() -> Story:
    return build_story([TEXTS / "stalingrad.txt"])


def _opening(story: Story, day: str) -> list[tuple[str | None, str]]:
    return [(e.time, " ".join(e.quote.split()[:3])) for e in story.events_on(day)]


def test_the_night_crackdown_is_told_in_the_order_it_happened(martial_law: Story) -> None:
    assert _opening(martial_law, "1981-12-12") == [
        (None, "On Saturday, 12"), ("20:00", "At 20:00 the"), ("23:30", "At 11:30 the"),
        ("23:30", "Police units surrounded")]
    assert _opening(martial_law, "1981-12-13") == [
        ("midnight", "Shortly after midnight"), ("02:00", "By 2:00 some"),
        ("early morning", "In the early"), ("06:00", "At 6 a.m."),
        ("morning", "The next morning")]


def test_headings_the_title_and_the_questions_are_not_events(martial_law: Story) -> None:
    quotes = " ".join(e.quote for e in martial_law.events)
    for line in ("The Night the Tanks Came", "Notes for a lesson", "The strikes", "Questions",
                 "Why did the government", "How far apart"):
        assert line not in quotes


def test_weekdays_after_a_heading_count_in_the_narrated_week(martial_law: Story) -> None:
    by_day = {e.date: e for e in martial_law.events if e.quote.startswith("On ")}
    assert [r.mention for r in by_day["1981-12-14"].places] == ["Gdańsk", "Szczecin"]
    assert [r.mention for r in by_day["1981-12-16"].places] == ["Katowice"]
    week = next(e for e in martial_law.events if e.quote.startswith("The following week"))
    assert (week.date, week.end_date) == ("1981-12-21", "1981-12-27")


def test_the_main_phase_is_the_night_and_the_strikes_after_it(martial_law: Story) -> None:
    phase = martial_law.main_phase()
    assert phase is not None and phase[0] == "1981-12-12" and phase[1] >= "1981-12-14"
    assert phase[1] < "1981-12-21"  # not the week after, told in one sentence
    assert martial_law.opening_day() == "1981-12-12"


def test_the_three_days_of_battle_and_the_retreat_two_days_later(leipzig: Story) -> None:
    dated = [(e.date, e.time, " ".join(e.quote.split()[:2])) for e in leipzig.events]
    assert ("1813-10-17", None, "On Sunday") in dated
    assert ("1813-10-18", "night", "That night") in dated
    retreat = next(e for e in leipzig.events if e.quote.startswith("Two days later"))
    assert retreat.date == "1813-10-21"  # two days after 19 October, the sentence before
    assert [r.mention for r in retreat.places] == ["Weißenfels"]
    # The casualty totals name no date: under their own heading, they are no event.
    assert not any("ninety thousand" in e.quote for e in leipzig.events)
    phase = leipzig.main_phase()  # the three days of battle, at least
    assert phase is not None and phase[0] == "1813-10-16" and phase[1] >= "1813-10-19"


def test_a_december_story_goes_on_into_january_of_the_next_year(stalingrad: Story) -> None:
    dated = {" ".join(e.quote.split()[:3]): (e.date, e.precision) for e in stalingrad.events}
    assert dated["In January the"] == ("1943-01", "month")
    assert dated["On 31 January"] == ("1943-01-31", "day")
    assert dated["The next spring"] == ("1943", "year")
    assert not any(e.date.startswith("1942-0") for e in stalingrad.events)
