"""The notebook view: a story as a folium Map, for looking at it inside Jupyter.

``Story.to_folium()`` calls ``story_to_folium``. With a day it draws a marker per place
of that day's events (district outlines too), each with a popup listing the events;
without one it puts every event on a time slider (folium's ``TimestampedGeoJson``,
Leaflet.TimeDimension), one step per day.

folium's HTML loads Leaflet and its plugins from CDNs: fine in a notebook, which is
online anyway, but this is not the standalone export (``storymap export --format html``
inlines everything). folium is imported only inside the function.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import ConfigError
from ..model import Event, Place, Story, lonlat
from .fragments import esc, event_date

#: Characters that are live inside the JavaScript template literals folium writes
#: popups and tooltips into: HTML-escaping leaves them alone, so they become entities.
_TEMPLATE_LITERAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def safe(text: str) -> str:
    """Return ``text`` escaped for HTML that folium embeds in a JavaScript template literal.

    >>> safe("<b>${x}</b> `tick`")
    '&lt;b&gt;&#36;{x}&lt;/b&gt; &#96;tick&#96;'
    """
    return esc(text).translate(_TEMPLATE_LITERAL)


def story_to_folium(story: Story, *, day: str | None = None) -> Any:
    """Return a folium Map of one day's events, or of every event on a time slider.

    Raises ConfigError when ``day`` is not a day of the story.
    """
    import folium

    if day is not None and day not in story.days():
        days = story.days()
        span = f"{days[0]} … {days[-1]}" if days else "none: the story has no dated days"
        raise ConfigError(
            f"day {day!r}: the story has no events on that day; expected an ISO day "
            f"from Story.days() ({span})"
        )
    events = story.events_on(day) if day else story.events
    places = story.places_of(events) or list(story.places)
    fmap = folium.Map(location=_centre(places), zoom_start=6, tiles="OpenStreetMap",
                      control_scale=True)
    if day is not None:
        _day_markers(fmap, story, events)
    else:
        _time_slider(fmap, story)
    if len(places) > 1:
        fmap.fit_bounds([[min(p.lat for p in places), min(p.lon for p in places)],
                         [max(p.lat for p in places), max(p.lon for p in places)]])
    return fmap


def _centre(places: list[Place]) -> list[float]:
    if not places:
        return [0.0, 0.0]
    return [sum(p.lat for p in places) / len(places), sum(p.lon for p in places) / len(places)]


def _popup(place: Place, events: Iterable[Event]) -> str:
    items = "".join(
        f"<li><b>{safe(e.title)}</b> <i>{safe(event_date(e))}</i><br>{safe(e.quote)}</li>"
        for e in events
    )
    return f"<h4>{safe(place.name)}</h4><ul>{items}</ul>"


def _day_markers(fmap: Any, story: Story, events: tuple[Event, ...]) -> None:
    import folium

    for place in story.places_of(events):
        here = [e for e in events if any(r.place_id == place.id for r in e.places)]
        if place.geometry:
            folium.GeoJson(dict(place.geometry), style_function=_district_style).add_to(fmap)
        folium.Marker(
            location=[place.lat, place.lon],
            popup=folium.Popup(_popup(place, here), max_width=320),
            tooltip=folium.Tooltip(safe(place.name)),
        ).add_to(fmap)


def _district_style(_feature: Any) -> dict[str, Any]:
    return {"color": "#b22222", "weight": 1, "fillOpacity": 0.1}


def _time_slider(fmap: Any, story: Story) -> None:
    from folium.plugins import TimestampedGeoJson

    features = []
    for event, _ref, place in story.iter_features():
        # A month or year has no day on the slider: it shows on its first day.
        days = event.days() or ((event.date + "-01-01")[:10],)
        for day in days:
            features.append({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": lonlat(lat=place.lat, lon=place.lon)},
                "properties": {
                    "times": [day],
                    "popup": _popup(place, [event]),
                    "tooltip": safe(place.name),
                    "icon": "circle",
                    "iconstyle": {"radius": 7, "color": "#b22222", "fillOpacity": 0.8},
                },
            })
    TimestampedGeoJson(  # type: ignore[no-untyped-call]
        {"type": "FeatureCollection", "features": features},
        period="P1D",
        duration="PT23H",  # a day's markers vanish when the slider moves to the next day
        auto_play=False,
        loop=False,
        add_last_point=False,
        date_options="YYYY-MM-DD",
    ).add_to(fmap)
