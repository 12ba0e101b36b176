"""StoryMapJS and TimelineJS: the layout of the exports, escaping, import and round trips."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storymap.errors import ConfigError, InputError, StoryFormatError
from storymap.formats import EXPORTERS, get_exporter, to_storymapjs, to_timelinejs
from storymap.formats.knightlab.read import load_interchange
from storymap.model import Story

# Tags our exports may put in a text field; anything else came from a story string.
ALLOWED_TAGS = {"p", "ul", "li", "a", "strong", "span", "blockquote", "div"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _assert_only_our_markup(data: Any) -> None:
    for text in _strings(data):
        parser = _Tags()
        parser.feed(text)
        for tag, attrs in parser.tags:
            assert tag in ALLOWED_TAGS, (tag, text)
            assert not any(name.startswith("on") for name, _ in attrs), text
            assert all(v is None or not v.startswith("javascript:") for _, v in attrs)


def _key(story: Story) -> list[tuple[Any, ...]]:
    return sorted(((e.date, e.precision, e.end_date, e.time, e.title, e.quote, e.people)
                   for e in story.events), key=repr)


def _coords(story: Story) -> set[tuple[float, float]]:
    return {(round(p.lat, 6), round(p.lon, 6)) for _, _, p in story.iter_features()}


# -- TimelineJS -------------------------------------------------------------------------
def test_timelinejs_has_one_slide_per_event_with_precision_honoured(story: Story) -> None:
    data = json.loads(to_timelinejs(story))
    assert [e["unique_id"] for e in data["events"]] == [e.id for e in story.events]
    by_id = {e["unique_id"]: e for e in data["events"]}
    assert by_id["e1"]["start_date"] == {"year": "1956", "month": "10", "day": "23"}
    assert by_id["e2"]["start_date"] == {
        "year": "1956", "month": "10", "day": "23", "hour": "20", "minute": "0"}
    assert by_id["e4"]["end_date"] == {"year": "1956", "month": "11", "day": "3"}
    assert by_id["e6"]["start_date"] == {"year": "1957", "month": "1"}  # month: no day
    assert "end_date" not in by_id["e1"]
    assert by_id["e4"]["display_date"] == "1–3 November 1956"
    assert data["title"]["text"]["headline"] == "A small &lt;i&gt;test&lt;/i&gt; story"


def test_timelinejs_escapes_every_story_string(story: Story) -> None:
    data = json.loads(to_timelinejs(story))
    _assert_only_our_markup(data)
    e3 = next(e for e in data["events"] if e["unique_id"] == "e3")
    assert e3["text"]["headline"] == (
        "&lt;b&gt;Banner&lt;/b&gt; at &lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;")


# -- StoryMapJS -------------------------------------------------------------------------
def test_storymapjs_has_an_overview_then_a_slide_per_day_and_per_coarse_event(
        story: Story) -> None:
    data = json.loads(to_storymapjs(story))["storymap"]
    slides = data["slides"]
    assert slides[0]["type"] == "overview"
    assert data["map_as_image"] is False
    dates = [s["date"] for s in slides[1:]]
    coarse = [e.date for e in story.events if e.precision != "day"]
    assert dates == sorted([*story.days(), *coarse])
    assert [s["text"]["headline"] for s in slides[1:3]] == ["23 October 1956", "24 October 1956"]
    assert slides[-1]["text"]["headline"] == "January 1957"
    for slide in slides[1:]:
        places = "data-place" in slide["text"]["text"]
        if places or "storymap-continuing" not in slide["text"]["text"]:
            assert set(slide.get("location", {})) == (
                {"name", "lat", "lon", "zoom", "line"} if places else set())
    # Each day lists that day's events; a range is listed on each of its days (in full on
    # its first, reminded of on the rest: issue 20).
    for day in ("1956-11-01", "1956-11-02", "1956-11-03"):
        slide = next(s for s in slides if s.get("date") == day)
        assert 'data-event="e4"' in slide["text"]["text"]


def test_storymapjs_location_is_a_bounding_view_with_a_zoom_by_spread(story: Story) -> None:
    slides = {s.get("date"): s for s in json.loads(to_storymapjs(story))["storymap"]["slides"]}
    first = slides["1956-10-23"]["location"]
    places = [story.place(i) for i in ("parliament", "budapest", "radio")]
    # The middle of the bounding box, not the average of the points.
    lats, lons = [p.lat for p in places], [p.lon for p in places]
    assert first["lat"] == pytest.approx((min(lats) + max(lats)) / 2)
    assert first["lon"] == pytest.approx((min(lons) + max(lons)) / 2)
    single = slides["1956-10-24"]["location"]  # one building: close up
    assert (single["lat"], single["lon"]) == (47.485, 19.07)
    assert single["zoom"] > first["zoom"] > slides["1956-11-04"]["location"]["zoom"] - 3
    assert "location" not in slides["1957-01"]  # no places: StoryMapJS shows its overview


def test_storymapjs_places_far_apart_go_to_the_first_not_their_average(story: Story) -> None:
    from dataclasses import replace

    from storymap.model import PlaceRef

    both = replace(story.events[0], places=(PlaceRef("moscow", "Moscow"),
                                            PlaceRef("parliament", "Parliament")))
    slides = json.loads(to_storymapjs(replace(story, events=(both,))))["storymap"]["slides"]
    moscow = story.place("moscow")
    assert (slides[1]["location"]["lat"], slides[1]["location"]["lon"]) == (
        round(moscow.lat, 6), round(moscow.lon, 6))
    assert slides[1]["location"]["name"] == "Moscow"


def test_storymapjs_escapes_every_story_string(story: Story) -> None:
    data = json.loads(to_storymapjs(story))
    _assert_only_our_markup(data)
    assert "<script" not in to_storymapjs(story)
    assert "<img" not in to_storymapjs(story)


# -- round trips ------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["storymapjs", "timelinejs"])
def test_export_then_import_keeps_events_dates_and_places(story: Story, fmt: str) -> None:
    back = load_interchange(get_exporter(fmt)(story))
    assert len(back.events) == len(story.events)
    assert _key(back) == _key(story)
    assert _coords(back) == _coords(story)
    assert all(p.id.startswith("imported:") for p in back.places)
    assert back.title == story.title
    assert back.attributions == story.attributions
    e5 = next(e for e in back.events if e.title.startswith("Soviet forces"))
    assert [r.mention for r in e5.places] == ["Budapest", "Csepel"]


@pytest.mark.parametrize("fmt", ["storymapjs", "timelinejs"])
def test_imported_sources_point_at_the_quotes(story: Story, fmt: str) -> None:
    back = load_interchange(get_exporter(fmt)(story))
    (doc,) = back.documents
    for event in back.events:
        (src,) = event.sources
        assert doc.text[src.start:src.end] == event.quote
    assert back.mentions
    for m in back.mentions:
        assert doc.text[m.start:m.end] == m.text
    assert Story.from_json(back.to_json()) == back  # a valid storymap story


# Markup characters are drawn often, so escaping is tested, not just letters.
printable = st.text(
    st.one_of(st.sampled_from("<>&\"'/=;#!- `$\\"),
              st.characters(blacklist_categories=("Cs", "Cc"))),
    min_size=1,
).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None)
@given(title=printable, quote=printable)
def test_any_text_survives_a_timelinejs_round_trip(story: Story, title: str, quote: str) -> None:
    event = replace(story.events[0], title=title, quote=quote)
    back = load_interchange(to_timelinejs(replace(story, events=(event,))))
    assert back.events[0].title == " ".join(title.split())
    assert back.events[0].quote == " ".join(quote.split())


# -- Knight Lab's own files -------------------------------------------------------------
KNIGHT_STORYMAP = {
    "storymap": {
        "slides": [
            {"type": "overview", "date": "1790-2010",
             "text": {"headline": "US Westward Expansion <small>Mean center</small>",
                      "text": "<p>The mean center of population.</p>"}},
            {"date": "1790",
             "text": {"headline": "1790", "text": "<p>First census.</p><script>bad()</script>"},
             "location": {"name": "Kent County, Maryland", "lat": 39.275, "lon": -76.18667,
                          "zoom": 10, "line": True}},
            {"text": {"headline": "12 March 1800: Jefferson", "text": "Elected &amp; sworn."},
             "location": {"name": "Howard County, Maryland", "lat": 39.26833,
                          "lon": -76.94167, "zoom": 10, "line": True}},
        ]
    }
}
KNIGHT_TIMELINE = {
    "title": {"text": {"headline": "Basic Timeline", "text": "A basic timeline."}},
    "events": [
        {"start_date": {"year": "2012"},
         "text": {"headline": "2012 - A <b>Great</b> Year", "text": "<p>2012 was great</p>"}},
        {"start_date": {"year": 2013, "month": 2, "day": 14, "hour": 9, "minute": 30},
         "end_date": {"year": "2013", "month": "2", "day": "16"},
         "text": {"headline": "Another", "text": "Spanning days"}},
    ],
}


def test_imports_a_knight_lab_storymap() -> None:
    back = load_interchange(json.dumps(KNIGHT_STORYMAP), filename="demo.json")
    assert back.title == "US Westward Expansion Mean center"
    assert [(e.date, e.precision) for e in back.events] == [("1790", "year"),
                                                             ("1800-03-12", "day")]
    assert back.events[0].quote == "First census."  # the script's text is dropped
    assert back.events[1].quote == "Elected & sworn."
    assert back.places[0].id == "imported:kent-county-maryland"
    assert (back.places[1].lat, back.places[1].lon) == (39.26833, -76.94167)
    assert back.documents[0].id == "demo"


def test_imports_a_knight_lab_timeline(tmp_path: Path) -> None:
    path = tmp_path / "basic timeline.json"
    path.write_text(json.dumps(KNIGHT_TIMELINE), encoding="utf-8")
    back = load_interchange(path)
    assert back.title == "Basic Timeline"
    first, second = back.events
    assert (first.date, first.precision, first.title) == ("2012", "year", "2012 - A Great Year")
    assert (second.date, second.end_date, second.time) == ("2013-02-14", "2013-02-16", "09:30")
    assert second.days() == ("2013-02-14", "2013-02-15", "2013-02-16")
    assert back.documents[0].id == "basic-timeline"
    assert back.places == ()


def test_timeline_events_sharing_an_id_stay_apart() -> None:
    twice = {"events": [{"unique_id": "a", "start_date": {"year": str(y)}} for y in (1990, 1991)]}
    back = load_interchange(json.dumps(twice))
    assert [(e.id, e.date) for e in back.events] == [("a", "1990"), ("a-2", "1991")]


def test_a_storymap_story_json_passes_through(story: Story) -> None:
    assert load_interchange(story.to_json()) == story


# -- malformed input --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "got a JSON list"),
        ('{"slides": []}', "expected a TimelineJS JSON"),
        ('{"events": []}', "no events"),
        ('{"events": [{"text": {"headline": "x"}}]}', 'events[0]: needs a "start_date"'),
        ('{"events": [{"start_date": {"year": "1956", "month": "13"}}]}', "not a calendar date"),
        ('{"events": [{"start_date": {"year": "late"}}]}', "year must be a number"),
        ('{"events": [{"start_date": {"month": "3"}}]}', "a date needs a year"),
        ('{"storymap": {"slides": {"a": 1}}}', '"slides": {"a": 1}'),
        ('{"storymap": {"slides": [{"text": {"headline": "Spring"}}]}}', "no date storymap"),
        ('{"storymap": {"slides": [{"date": "1956", "location": {"lat": "x", "lon": 1}}]}}',
         "expected numeric lat and lon"),
        ('{"storymap": {"slides": [{"date": "1956", "text": "plain"}]}}', 'expected "text"'),
    ],
)
def test_malformed_input_raises_one_clear_line(text: str, expected: str) -> None:
    with pytest.raises(StoryFormatError) as info:
        load_interchange(text, filename="lesson.json")
    message = str(info.value)
    assert expected in message
    assert message.startswith("lesson.json")
    assert "\n" not in message


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_interchange(tmp_path / "nope.json")


def test_unknown_export_format_names_the_valid_ones() -> None:
    assert {"storymapjs", "timelinejs"} <= set(EXPORTERS)
    with pytest.raises(ConfigError, match="csv, geojson, json, mentions, storymapjs, timelinejs"):
        get_exporter("knightlab")


# -- hostile and imperfect imports (issue 11, issue 9 item 10) -------------------------
def test_an_absurd_span_is_kept_as_a_span_of_years() -> None:
    """One event from year 1 to 9999 took the server down when expanded day by day."""
    tl = {"events": [{"start_date": {"year": "1", "month": "1", "day": "1"},
                      "end_date": {"year": "9999", "month": "12", "day": "31"},
                      "text": {"headline": "All", "text": "Everything"}}]}
    story = load_interchange(json.dumps(tl))
    (event,) = story.events
    assert (event.date, event.end_date, event.precision) == ("0001", "9999", "year")
    assert event.days() == () and story.days() == ()
    slides = json.loads(to_storymapjs(story))["storymap"]["slides"]
    assert [s["date"] for s in slides] == ["0001/9999", "0001"]
    back = json.loads(to_timelinejs(story))["events"][0]
    assert (back["start_date"], back["end_date"]) == ({"year": "1"}, {"year": "9999"})


def test_a_range_over_a_year_is_kept_by_month() -> None:
    tl = {"events": [{"start_date": {"year": "1941", "month": "9", "day": "8"},
                      "end_date": {"year": "1944", "month": "1", "day": "27"}}]}
    (event,) = load_interchange(json.dumps(tl)).events
    assert (event.date, event.end_date, event.precision) == ("1941-09", "1944-01", "month")


def test_many_ranges_share_one_bounded_day_index(monkeypatch: pytest.MonkeyPatch) -> None:
    import storymap.model

    monkeypatch.setattr(storymap.model, "MAX_RANGE_DAYS", 50)
    tl = {"events": [{"start_date": {"year": "1956", "month": "1", "day": "1"},
                      "end_date": {"year": "1956", "month": "12", "day": "31"},
                      "text": {"headline": f"Range {i}"}} for i in range(20)]}
    story = load_interchange(json.dumps(tl))
    pairs = sum(len(story.events_on(d)) for d in story.days())
    assert pairs == 20  # no range fits the budget of 50 extra days: each on its first day
    assert story.events_on("1956-01-01") == story.events


def test_slides_without_a_date_are_skipped_with_a_warning() -> None:
    slides = {"storymap": {"slides": [
        {"date": "1956-10-23", "text": {"headline": "Dated", "text": "A march"},
         "location": {"name": "Budapest", "lat": 47.5, "lon": 19.05}},
        {"text": {"headline": "Undated", "text": "Some time"},
         "media": {"url": "https://example.org/a.jpg"}},
    ]}}
    heard: list[str] = []
    story = load_interchange(json.dumps(slides), filename="s.json", on_warning=heard.append)
    assert [e.title for e in story.events] == ["Dated"]
    assert heard[0].startswith("s.json: slides[1]: no date storymap can read")
    assert heard[0].endswith("skipped it")
    tl = {"events": [{"start_date": {"year": "1956"}, "media": {"url": "x.jpg"}},
                     {"text": {"headline": "no date"}}]}
    heard.clear()
    assert len(load_interchange(json.dumps(tl), filename="t.json",
                                on_warning=heard.append).events) == 1
    assert "events[1]" in heard[0] and "media" in heard[1]


def test_many_slides_sharing_a_name_import_in_linear_time() -> None:
    """8,000 slides at 'Camp' in different spots took 23 s (a scan per slide)."""
    import time

    def slides(n: int) -> str:
        return json.dumps({"storymap": {"slides": [
            {"date": "1863", "text": {"headline": f"S{i}"},
             "location": {"name": "Camp", "lat": 30 + i / 1000, "lon": -80}}
            for i in range(n)]}})

    small, large = slides(1000), slides(8000)
    t0 = time.perf_counter()
    load_interchange(small)
    t1 = time.perf_counter()
    story = load_interchange(large)
    t2 = time.perf_counter()
    assert len(story.places) == 8000 and story.places[-1].id == "imported:camp-8000"
    assert (t2 - t1) < 20 * (t1 - t0) + 1.0  # 8× the slides: linear, not 64×


def test_the_server_answers_an_absurd_span_in_a_few_bytes() -> None:
    """/api/days answered 175 MB for one event from year 1 to 9999."""
    from storymap.web import create_app

    tl = {"events": [
        {"start_date": {"year": "1", "month": "1", "day": "1"},
         "end_date": {"year": "9999", "month": "12", "day": "31"}},
        {"start_date": {"year": "1956", "month": "10", "day": "23"},
         "end_date": {"year": "1956", "month": "10", "day": "25"}},
    ]}
    client = create_app(load_interchange(json.dumps(tl)), testing=True).test_client()
    days = client.get("/api/days")
    assert days.status_code == 200 and len(days.data) < 1000
    assert [d["date"] for d in days.get_json()["days"]] == ["1956-10-23", "1956-10-24",
                                                            "1956-10-25"]
    day = client.get("/api/days/1956-10-24").get_json()
    assert [e["days"] for e in day["events"]] == [["1956-10-23", "1956-10-24", "1956-10-25"]]
