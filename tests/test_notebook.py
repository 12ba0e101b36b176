"""to_folium: one day's markers, or every event on a time slider, with text escaped."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import folium
import pytest

from storymap.errors import ConfigError
from storymap.formats.notebook import to_folium
from storymap.model import Story


def _html(fmap: folium.Map) -> str:
    return fmap.get_root().render()


def _slider_features(html: str) -> list[dict[str, object]]:
    match = re.search(r"L\.geoJson\((\{.*?\}), \{\s*pointToLayer", html, re.S)
    assert match, "no TimestampedGeoJson data in the page"
    data = json.loads(match.group(1))
    features: list[dict[str, object]] = data["features"]
    return features


def test_a_day_has_a_marker_per_place_with_popups(story: Story) -> None:
    fmap = to_folium(story, day="1956-10-23")
    assert isinstance(fmap, folium.Map)
    html = _html(fmap)
    assert html.count("L.marker(") == 3  # Parliament, Budapest, Radio
    for lat in ("47.50694", "47.49835", "47.4933"):
        assert lat in html
    assert "Students march to the Parliament" in html
    assert "Shots at the Radio building" in html
    assert "23 October 1956, 20:00" in html
    assert "Moscow" not in html  # another day's place


def test_a_day_draws_district_outlines(story: Story) -> None:
    html = _html(to_folium(story, day="1956-11-04"))
    assert html.count("L.marker(") == 2
    assert "[19.03, 47.4]" in html  # Csepel's polygon ring


def test_hostile_strings_are_escaped_in_day_popups_and_tooltips(story: Story) -> None:
    html = _html(to_folium(story, day="1956-10-24"))
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;place&#x27;)&lt;/script&gt;" in html  # the place name
    assert "&lt;b&gt;Banner&lt;/b&gt;" in html  # the event title


def test_template_literal_characters_are_neutralised(story: Story) -> None:
    hostile = "`${alert(1)}` \\`"
    event = replace(story.events[0], title=hostile)
    place = replace(story.place("parliament"), name=hostile)
    tricky = replace(story, events=(event,),
                     places=tuple(place if p.id == "parliament" else p for p in story.places))
    html = _html(to_folium(tricky, day="1956-10-23"))
    assert "${alert(1)}" not in html
    assert "&#96;&#36;{alert(1)}&#96; &#92;&#96;" in html


def test_without_a_day_every_event_is_on_a_time_slider(story: Story) -> None:
    fmap = to_folium(story)
    assert isinstance(fmap, folium.Map)
    html = _html(fmap)
    assert "L.timeDimension(" in html
    features = _slider_features(html)
    expected = sum(len(e.days()) or 1 for e, _, _ in story.iter_features())
    assert len(features) == expected
    times = sorted({t for f in features for t in f["properties"]["times"]})  # type: ignore[index]
    assert times == list(story.days())
    moscow = [f for f in features if f["geometry"]["coordinates"] == [37.61781, 55.75204]]  # type: ignore[index]
    assert len(moscow) == 3  # 1–3 November: on the slider each day


def test_the_slider_escapes_hostile_strings(story: Story) -> None:
    html = _html(to_folium(story))
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "</script>\"" not in html
    popups = [f["properties"]["popup"] for f in _slider_features(html)]  # type: ignore[index]
    assert any("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in p for p in popups)


def test_an_unknown_day_is_a_config_error(story: Story) -> None:
    with pytest.raises(ConfigError, match=r"1956-10-25.*1956-10-23 … 1956-11-04"):
        to_folium(story, day="1956-10-25")


def test_a_coarse_day_shows_the_events_dated_within_it(story: Story) -> None:
    html = _html(to_folium(story, day="1956-11"))
    assert html.count("L.marker(") == 3  # Moscow (1–3 Nov), Budapest and Csepel (4 Nov)
    assert "Khrushchev leaves Moscow" in html
    assert "Students march" not in html  # October
    month = _html(to_folium(story, day="1957-01"))
    assert "L.timeDimension(" not in month  # a month is a map of its events, not a slider


def test_a_coarse_day_without_events_or_a_malformed_one_is_a_config_error(story: Story) -> None:
    with pytest.raises(ConfigError, match=r"'1958-06'.*month or year that has events"):
        to_folium(story, day="1958-06")
    with pytest.raises(ConfigError, match=r"day=23 Oct: expected a date as YYYY-MM-DD"):
        to_folium(story, day="23 Oct")


def _loads(html: str) -> list[str]:
    return re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"([^\"]+)\"", html)


def test_offline_inlines_the_vendored_leaflet_and_loads_nothing(story: Story) -> None:
    online = _html(to_folium(story, day="1956-10-23"))
    assert any("cdn" in url for url in _loads(online))  # the default: folium's CDN links
    html = _html(to_folium(story, day="1956-10-23", offline=True))
    assert _loads(html) == []
    assert "tile.openstreetmap.org" not in html
    assert "Leaflet 1.9.4" in html or '"1.9.4"' in html  # the vendored copy, not folium's 1.9.3
    assert html.count("L.circleMarker(") == 3
    assert "Lake Balaton" in html  # the offline basemap instead of tiles
    assert "</script>\"" not in html


def test_offline_without_a_day_shows_every_place_once(story: Story) -> None:
    html = _html(to_folium(story, offline=True))
    assert "L.timeDimension(" not in html  # its plugin exists only on a CDN
    assert _loads(html) == []
    assert html.count("L.circleMarker(") == len(story.places_of(story.events))
