"""Issue 16 items 5 and 7: the main phase by the story's emphasis, and one order of a day."""

from __future__ import annotations

from storymap.model import Event, Place, PlaceRef, SourceRef, Story
from storymap.outputs.render import page_data

PLACE = Place("square", "The Square", 39.9, 116.4, "square")


def _event(n: int, day: str, *, words: int = 8, pin: bool = True, end: str | None = None,
           time: str | None = None, continuing: bool = False) -> Event:
    return Event(id=f"e{n}", date=day, precision="day", title=f"t{n}",
                 quote=" ".join(["word"] * words),
                 places=(PlaceRef("square", "the Square"),) if pin else (),
                 sources=(SourceRef("d", n * 100, n * 100 + 50),), end_date=end, time=time,
                 continuing=continuing)


def _story(*events: Event) -> Story:
    return Story(title="t", documents=(), places=(PLACE,), events=events)


def test_the_main_phase_is_where_the_story_dwells_not_its_longest_run() -> None:
    # Six weeks of protests told a sentence a day, then one night told at length.
    quiet = [_event(i, f"1989-05-{d:02d}", words=10) for i, d in enumerate(range(10, 22, 2))]
    night = [_event(20 + i, "1989-06-03", words=30) for i in range(4)] + \
        [_event(30 + i, "1989-06-04", words=30) for i in range(5)]
    story = _story(*quiet, *night, _event(40, "1989-06-05", words=12))
    assert story.main_phase() == ("1989-06-03", "1989-06-05")


def test_a_quiet_day_between_heavy_ones_stays_in_the_phase_a_long_silence_does_not() -> None:
    days = ["1813-10-16", "1813-10-18", "1813-10-19"]
    story = _story(*[_event(i, d, words=40) for i, d in enumerate(days)],
                   _event(9, "1813-11-30", words=40))
    assert story.main_phase() == ("1813-10-16", "1813-10-19")
    # Weighted the same, the tie goes to the longer run, then the earlier.
    assert _story(_event(1, "1900-01-01"), _event(2, "1900-03-01")).main_phase() == (
        "1900-01-01", "1900-01-01")


def test_the_page_opens_on_the_phases_first_day_with_a_pin() -> None:
    story = _story(_event(1, "1981-12-12", words=40, pin=False),
                   _event(2, "1981-12-13", words=40), _event(3, "1981-12-13", words=40))
    assert story.main_phase() == ("1981-12-12", "1981-12-13")
    assert story.opening_day() == "1981-12-13"
    assert _story().main_phase() is None and _story().opening_day() is None


def test_a_day_lists_its_news_in_story_order_then_what_continues() -> None:
    trip = _event(1, "1956-11-01", end="1956-11-03")
    looks_back = _event(2, "1956-11-02", continuing=True)
    early, late = _event(3, "1956-11-02", time="midnight"), _event(4, "1956-11-02", time="09:00")
    story = _story(trip, early, late, looks_back)  # the pipeline's order: by day and time
    assert [e.id for e in story.events_on("1956-11-01")] == ["e1"]  # news on its first day
    assert [e.id for e in story.events_on("1956-11-02")] == ["e3", "e4", "e1", "e2"]
    # The page gets that order for each day of the main phase, as indices: it sorts nothing.
    data = page_data(story)
    phase = story.main_phase()
    assert phase is not None
    assert data["day_order"]["1956-11-02"] == [1, 2, 0, 3]
    assert set(data["day_order"]) == {d for d in story.days() if phase[0] <= d <= phase[1]}
