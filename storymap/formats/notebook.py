"""The notebook view: a story as a folium Map, for looking at it inside Jupyter.

``to_folium(story)`` is the notebook's map. With a day it draws a marker per place of that
day's events (district outlines too), each with a popup listing the events; the
"day" may be coarse ("1958-06", "1958": the events dated within that month or year).
Without one it puts every event on a time slider (folium's ``TimestampedGeoJson``,
Leaflet.TimeDimension), one step per day.

folium's HTML loads Leaflet and its plugins from CDNs: fine in a notebook that is online.
``offline=True`` makes a map that needs no network: the vendored Leaflet (static/vendor,
the same files the standalone export inlines) is inlined instead of folium's CDN links,
the offline basemap (Natural Earth, OpenStreetMap districts) is drawn instead of tiles,
and places are circle markers (Leaflet's pin image would be another download). The
time slider's plugin exists only on a CDN, so offline without a day shows every place
once with all its events in its popup. folium is imported only inside the function.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..errors import ConfigError
from ..geo.lines import decode_line
from ..model import Event, Place, Story, lonlat
from ..outputs import assets
from ..outputs.mapview import basemap_data
from ..outputs.options import check_date
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


def to_folium(story: Story, day: str | None = None, *, offline: bool = False) -> Any:
    """Return a folium Map of one day's (month's, year's) events, or of every event.

    ``day`` is an ISO day, month or year; ``offline`` makes a map that loads nothing from
    the network (see the module docstring). Raises ConfigError when ``day`` is malformed
    or the story has no event in it.
    """
    import folium

    events = story.events if day is None else _events_in(story, day)
    places = story.places_of(events) or list(story.places)
    fmap = folium.Map(location=_centre(places), zoom_start=6,
                      tiles=None if offline else "OpenStreetMap", control_scale=True)
    if offline:
        _go_offline(fmap, story)
    if day is not None or offline:
        _day_markers(fmap, story, events, circles=offline)
    else:
        _time_slider(fmap, story)
    if len(places) > 1:
        fmap.fit_bounds([[min(p.lat for p in places), min(p.lon for p in places)],
                         [max(p.lat for p in places), max(p.lon for p in places)]])
    return fmap


def _events_in(story: Story, period: str) -> tuple[Event, ...]:
    """Return the events of ``period``, an ISO day, month or year; raise ConfigError if none.

    A day holds the events covering it (a range counts on each of its days); a month or
    a year holds every event dated within it at that precision or finer.
    """
    check_date("day", period)  # says what is wrong: "February 1956 has 29 days"
    if len(period) == 10:
        events = story.events_on(period)
    else:
        n = len(period)
        events = tuple(e for e in story.events if len(e.date) >= n
                       and e.date[:n] <= period <= (e.end_date or e.date)[:n])
    if not events:
        days = story.days()
        span = f"{days[0]} … {days[-1]}" if days else "none: the story has no dated days"
        raise ConfigError(
            f"day {period!r}: the story has no events on that day; expected an ISO day "
            f"from Story.days() ({span}), or a month or year that has events"
        )
    return events


def _go_offline(fmap: Any, story: Story) -> None:
    """Swap folium's CDN assets for the vendored Leaflet, inlined, and draw the basemap."""
    import folium
    from branca.element import Element

    # Instance attributes shadow the class lists that JSCSSMixin turns into CDN links.
    fmap.default_js = []
    fmap.default_css = []
    header = fmap.get_root().header
    css = assets.read_text("vendor/leaflet/leaflet.css").replace("</", "<\\/")
    js = re.sub(r"</(script)", r"<\\/\1", assets.read_text("vendor/leaflet/leaflet.js"),
                flags=re.IGNORECASE)
    header.add_child(Element(f"<style>{css}</style>"), name="leaflet_css")
    header.add_child(Element(f"<script>{js}</script>"), name="leaflet")
    # folium builds popups with jQuery's $(html)[0]; jQuery is one more CDN file, so the
    # offline map gets the one thing of it that is used: a string of HTML to its element.
    header.add_child(Element(
        "<script>window.$ = window.$ || function (html) { var t = document.createElement("
        "'template'); t.innerHTML = String(html).trim(); return [t.content.firstChild]; };"
        "</script>"), name="jquery_html")
    basemap = _decoded(basemap_data(story))
    folium.GeoJson(basemap, name="basemap", style_function=_basemap_style,
                   attribution=_BASEMAP_CREDIT, interactive=False).add_to(fmap)


def _decoded(data: dict[str, Any]) -> dict[str, Any]:
    """Return the basemap collection with its encoded lines (storymap.geo.regions) as points.

    Names (points) and the detail drawn only in a range of zooms (towns, rivers) are left
    out: folium would draw a marker at every name and each band's rivers at every zoom.
    """
    features = [{"type": "Feature", "properties": f["properties"],
                 "geometry": {"type": f["geometry"]["type"],
                              "coordinates": _coords(f["geometry"]["coordinates"],
                                                     f["geometry"].get("precision", 5))
                              if data.get("encoding") == "polyline"
                              else f["geometry"]["coordinates"]}}
                for f in data["features"]
                if "Point" not in f["geometry"]["type"] and not f["properties"].get("zooms")]
    return {"type": "FeatureCollection", "features": features}


def _coords(value: Any, decimals: int) -> Any:
    if isinstance(value, str):
        return decode_line(value, decimals)
    return [_coords(v, decimals) for v in value]


_BASEMAP_CREDIT = "© OpenStreetMap contributors (ODbL), Natural Earth"

#: The basemap's layers drawn as the app's offline map draws them (static/app map module).
_BASEMAP_STYLE: dict[str, dict[str, Any]] = {
    "land": {"stroke": False, "fillColor": "#f1eee7", "fillOpacity": 1},
    "border": {"color": "#aaa398", "weight": 0.8, "fill": False},
    "country": {"color": "#7a7264", "weight": 1.5, "fillColor": "#fbf8f1", "fillOpacity": 1},
    "lake": {"color": "#7fa9cf", "weight": 1, "fillColor": "#b9d4ec", "fillOpacity": 1},
    "river": {"color": "#7fa9cf", "weight": 2, "fill": False},
    "river-city": {"color": "#7fa9cf", "weight": 4, "fill": False},
    "city": {"color": "#9b917f", "weight": 1.5, "fillColor": "#f2ede2", "fillOpacity": 1},
}


def _basemap_style(feature: Any) -> dict[str, Any]:
    layer = feature.get("properties", {}).get("layer")
    return _BASEMAP_STYLE.get(layer, {"color": "#b8ad99", "weight": 0.8, "fill": False})


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


def _day_markers(fmap: Any, story: Story, events: tuple[Event, ...], *,
                 circles: bool = False) -> None:
    import folium

    for place in story.places_of(events):
        here = [e for e in events if any(r.place_id == place.id for r in e.places)]
        if place.geometry:
            folium.GeoJson(dict(place.geometry), style_function=_district_style).add_to(fmap)
        popup = folium.Popup(_popup(place, here), max_width=320)
        tooltip = folium.Tooltip(safe(place.name))
        if circles:
            folium.CircleMarker(location=[place.lat, place.lon], radius=7, color="#ffffff",
                                weight=2, fill=True, fill_color="#b3261e", fill_opacity=0.95,
                                popup=popup, tooltip=tooltip).add_to(fmap)
        else:
            folium.Marker(location=[place.lat, place.lon], popup=popup,
                          tooltip=tooltip).add_to(fmap)


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
