"""The order of a day's events: news by time of day, then what continues."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storymap.model import Event, SourceRef
from storymap.pipeline import SourceText, build_story_from_texts
from storymap.pipeline.timeorder import is_continuing, looks_back, order_events, time_rank


def _event(n: int, time: str | None, *, date: str = "1917-11-07", end: str | None = None,
           quote: str = "Something happened.", precision: str = "day") -> Event:
    return Event(id=f"e{n}", date=date, precision=precision, title=str(n), quote=quote,
                 places=(), sources=(SourceRef("d", n * 10, n * 10 + 5),), end_date=end,
                 time=time)


def test_named_parts_of_the_day_stand_between_clock_times() -> None:
    order = ["early morning", "08:59", "09:30", "afternoon", "17:00", "evening", "23:30",
             "night", "midnight"]
    assert sorted(order[::-1], key=time_rank) == order
    assert time_rank("00:00") == 0 and time_rank(None) == -1 and time_rank("elevenses") == -1


def test_a_days_events_are_ordered_by_time_not_as_text() -> None:
    told = [_event(1, "23:30"), _event(2, "evening"), _event(3, "09:00"),
            _event(4, "early morning"), _event(5, "night"), _event(6, "afternoon")]
    ordered = [e.time for e in order_events(told)]
    assert ordered == ["early morning", "09:00", "afternoon", "evening", "23:30", "night"]


def test_an_untimed_event_keeps_its_place_after_the_event_told_before_it() -> None:
    told = [_event(1, "afternoon"), _event(2, None), _event(3, "morning")]
    assert [e.id for e in order_events(told)] == ["e3", "e1", "e2"]


def test_ranges_and_retrospective_sentences_come_after_the_days_news() -> None:
    ranged = _event(1, None, end="1917-11-09")
    retro = _event(2, None, quote="The palace had long been the seat of the government.")
    news = _event(3, "night")
    assert is_continuing(ranged, "1917-11-08") and is_continuing(retro) and not is_continuing(news)
    # On its first day a range is the day's news, told in its place among the rest.
    assert [e.id for e in order_events([ranged, retro, news])] == ["e1", "e3", "e2"]
    assert is_continuing(_event(4, None, date="1917-11", precision="month"))


def test_a_range_is_news_on_its_first_day_and_continuing_on_the_days_after() -> None:
    trip = _event(1, None, date="1956-11-01", end="1956-11-03")
    assert not is_continuing(trip) and not is_continuing(trip, "1956-11-01")
    assert is_continuing(trip, "1956-11-02") and is_continuing(trip, "1956-11-03")
    assert not looks_back(trip)
    same_day = _event(2, None, date="1956-11-01", end="1956-11-01")
    assert not is_continuing(same_day, "1956-11-01")
    retro = _event(3, None, quote="The statue had stood there for years.")
    assert looks_back(retro) and is_continuing(retro, retro.date)


def test_the_page_lists_only_events_that_look_back_as_always_continuing() -> None:
    from dataclasses import replace

    from storymap.model import Document, Story
    from storymap.outputs.render import page_data
    trip = _event(1, None, date="1956-11-01", end="1956-11-03")
    retro = _event(2, None, quote="The statue had stood there for years.")
    told = [replace(e, continuing=looks_back(e)) for e in (trip, retro)]  # as combine does
    doc = Document(id="d", title="t", text="x" * 40)
    data = page_data(Story(title="s", documents=(doc,), places=(), events=tuple(told)))
    assert data["continuing"] == ["e2"]


def test_combine_stores_which_events_look_back() -> None:
    """The language decides on combine; outputs read the stored flag (no profile)."""
    from storymap.pipeline import SourceText, build_story_from_texts

    text = ("On 23 October 1956 students marched in Budapest. In Budapest the statue had "
            "stood there for years.")
    story = build_story_from_texts([SourceText(id="t", text=text)])
    assert [e.continuing for e in story.events] == [False, True]


def test_the_story_orders_a_day_by_time_of_day() -> None:
    text = ("On 7 November 1917, at 21:40, the cruiser fired on Petrograd. In the afternoon "
            "of 7 November 1917, Red Guards took the Mariinsky Palace in Petrograd. "
            "Early in the morning of 7 November 1917, troops occupied Moscow.")
    story = build_story_from_texts([SourceText(id="t", text=text)])
    day = [e.time for e in story.events if e.date == "1917-11-07"]
    assert day == sorted(day, key=time_rank) and len(day) == 3


_TIMES = st.sampled_from([None, "early morning", "morning", "afternoon", "evening", "night",
                          "midnight", "00:00", "09:00", "12:00", "21:30", "23:30", "teatime"])


@settings(max_examples=100, deadline=2000)
@given(st.lists(st.tuples(_TIMES, st.sampled_from(["1917-11-07", "1917-11-08"]),
                          st.booleans()), max_size=30))
def test_order_is_a_permutation_with_each_days_news_in_time_order(
        rows: list[tuple[str | None, str, bool]]) -> None:
    told = [_event(n, t, date=d, end="1917-11-20" if ranged else None)
            for n, (t, d, ranged) in enumerate(rows)]
    ordered = order_events(told)
    assert sorted(e.id for e in ordered) == sorted(e.id for e in told)
    assert [e.date for e in ordered] == sorted(e.date for e in ordered)
    for day in {e.date for e in told}:
        mine = [e for e in ordered if e.date == day]
        news = [e for e in mine if not is_continuing(e)]
        assert mine[:len(news)] == news  # continuing events after the day's news
        clocks = [time_rank(e.time) for e in news if time_rank(e.time) >= 0]
        assert clocks == sorted(clocks)
