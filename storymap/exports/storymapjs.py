"""Export a story as Knight Lab StoryMapJS JSON: a title slide, then one slide per day.

The layout follows StoryMapJS's "JSON syntax" (storymap.knightlab.com/advanced and its
``demo.json``): ``{"storymap": {"slides": [...], "map_type": ..., "map_as_image": false}}``;
a slide has ``type`` ("overview" for the title slide), ``date``, ``text`` {``headline``,
``text`` (HTML)} and, except the overview, ``location`` {``name``, ``lat``, ``lon``,
``zoom``, ``line``}.

Every day-precise day gets one slide listing that day's events (an event spanning days
is listed on each); an event of month or year precision gets a slide of its own. Every
story string in the output is HTML-escaped.
"""

from __future__ import annotations

import math
from typing import Any

from ..model import Event, Place, Story
from .fragments import esc, event_html, format_date, overview_html
from .tables import dumps

#: Zoom for a slide whose places are all at one point, by the kind of place.
_POINT_ZOOM = {"building": 15, "street": 15, "square": 15, "district": 13, "city": 11}


def to_storymapjs(story: Story) -> str:
    """Return the story as a StoryMapJS JSON string (UTF-8 text, not ASCII-escaped)."""
    return dumps(storymapjs_data(story), indent=1)


def storymapjs_data(story: Story) -> dict[str, Any]:
    """Return the StoryMapJS document as JSON-ready dicts and lists."""
    fallback = list(story.places)
    slides: list[dict[str, Any]] = [_overview(story)]
    for key, headline, events in _units(story):
        places = story.places_of(events)
        slides.append({
            "date": key,
            "text": {
                "headline": esc(headline),
                "text": '<ul class="storymap-events">'
                        + "".join(event_html(story, e) for e in events) + "</ul>",
            },
            "location": _location(places, fallback=fallback),
        })
    return {
        "storymap": {
            "slides": slides,
            "map_type": "osm:standard",
            "map_as_image": False,
            "calculate_zoom": False,
            "language": "en",
            "attribution": esc("; ".join(a.text for a in story.attributions)),
        }
    }


def _overview(story: Story) -> dict[str, Any]:
    dates = sorted(e.date for e in story.events)
    ends = sorted(e.end_date or e.date for e in story.events)
    return {
        "type": "overview",
        "date": f"{dates[0]}/{ends[-1]}" if dates else "",
        "text": {"headline": esc(story.title), "text": overview_html(story)},
    }


def _units(story: Story) -> list[tuple[str, str, tuple[Event, ...]]]:
    """Return (date, headline, events) in date order: each day, each coarser event alone."""
    units = [(d, format_date(d), story.events_on(d)) for d in story.days()]
    units += [(e.date, format_date(e.date, end=e.end_date), (e,))
              for e in story.events if e.precision != "day"]
    # "1957-01" sorts before "1957-01-01": a month's slide comes before its days.
    return sorted(units, key=lambda u: u[0])


def _location(places: list[Place], *, fallback: list[Place]) -> dict[str, Any]:
    """Return a slide location: the centroid of ``places`` with a zoom that shows them all.

    A slide without places points at the centroid of the whole story, far out, and is
    left off the connecting line.
    """
    chosen = places or fallback
    if not chosen:
        return {"name": "", "lat": 0.0, "lon": 0.0, "zoom": 2, "line": False}
    lat = sum(p.lat for p in chosen) / len(chosen)
    lon = sum(p.lon for p in chosen) / len(chosen)
    spread = max(max(p.lat for p in chosen) - min(p.lat for p in chosen),
                 max(p.lon for p in chosen) - min(p.lon for p in chosen))
    if not places:
        zoom = 4
    elif spread < 1e-4:
        zoom = max(_POINT_ZOOM.get(p.kind, 9) for p in chosen)
    else:
        zoom = min(15, max(2, int(math.log2(360 / spread)) - 1))
    return {
        "name": esc(", ".join(p.name for p in places)),
        "lat": round(lat, 6),
        "lon": round(lon, 6),
        "zoom": zoom,
        "line": bool(places),
    }
