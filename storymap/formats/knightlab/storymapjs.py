"""Export a story as Knight Lab StoryMapJS JSON: a title slide, then one slide per day.

The layout follows StoryMapJS's "JSON syntax" (storymap.knightlab.com/advanced and its
``demo.json``): ``{"storymap": {"slides": [...], "map_type": ..., "map_as_image": false}}``;
a slide has ``type`` ("overview" for the title slide), ``date``, ``text`` {``headline``,
``text`` (HTML)} and, when it has places, ``location`` {``name``, ``lat``, ``lon``,
``zoom``, ``line``}. A slide without places has no location: StoryMapJS then shows its
overview of every point (it makes no marker without lat/lon), which is honest where a
made-up point would not be.

Every day-precise day gets one slide listing that day's events; an event of month or year
precision gets a slide of its own. An event spanning days is given in full (title, quote,
places, people) on its first slide and only reminded of (its title, cut) on the later
ones: listed whole on each day, a 1 MB import exported to 388 MB. The export is refused
past MAX_EXPORT_BYTES with a line suggesting ``--start``/``--end``, counted as it is
made. Every story string in the output is HTML-escaped.
"""

from __future__ import annotations

import math
from typing import Any

from ...errors import OutputError
from ...model import Event, Place, Story
from ..fragments import esc, event_html, event_reminder, format_date, overview_html
from ..tables import dumps

#: The largest StoryMapJS document written: StoryMapJS loads it whole into a page.
MAX_EXPORT_BYTES = 64_000_000

#: Zoom for a slide whose places are all at one point, by the kind of place.
_POINT_ZOOM = {"building": 15, "street": 15, "square": 15, "district": 13, "city": 11}


def to_storymapjs(story: Story, *, start: str | None = None, end: str | None = None) -> str:
    """Return the story as a StoryMapJS JSON string (UTF-8 text, not ASCII-escaped), with
    the slides from ``start`` to ``end`` (ISO dates) only when given.

    Raises OutputError when it would be larger than MAX_EXPORT_BYTES.
    """
    return dumps(storymapjs_data(story, start=start, end=end), indent=1)


def storymapjs_data(story: Story, *, start: str | None = None,
                    end: str | None = None) -> dict[str, Any]:
    """Return the StoryMapJS document as JSON-ready dicts and lists (see to_storymapjs)."""
    slides: list[dict[str, Any]] = [_overview(story)]
    shown: set[str] = set()
    size = 0
    for key, headline, events in _units(story):
        if (start and key + "\uffff" < start) or (end and key[:len(end)] > end):
            continue
        items = []
        for e in events:
            items.append(event_reminder(e) if e.id in shown else event_html(story, e))
            shown.add(e.id)
        text = '<ul class="storymap-events">' + "".join(items) + "</ul>"
        size += len(text) + len(headline)
        if size > MAX_EXPORT_BYTES:
            raise OutputError(
                f"the StoryMapJS export would be over {MAX_EXPORT_BYTES / 1e6:.0f} MB by "
                f"{format_date(key)}; export part of the story with --start and --end "
                "(YYYY-MM-DD)")
        slide: dict[str, Any] = {
            "date": key,
            "text": {"headline": esc(headline), "text": text},
        }
        location = _location(story.places_of(events))
        if location is not None:
            slide["location"] = location
        slides.append(slide)
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


#: Widest spread (degrees) shown as one bounding view; wider, the slide goes to its first
#: place: the middle of Poznań and Moscow is Belarus, where nothing happened.
_MAX_BOUNDING_SPREAD = 3.0


def _location(places: list[Place]) -> dict[str, Any] | None:
    """Return a slide location for ``places``, or None when there are none.

    Places close together get a bounding view (the middle of their bounding box, zoomed
    to show them all); places far apart get the first place, at the zoom of its kind.
    """
    if not places:
        return None
    south, north = min(p.lat for p in places), max(p.lat for p in places)
    west, east = min(p.lon for p in places), max(p.lon for p in places)
    spread = max(north - south, east - west)
    if spread > _MAX_BOUNDING_SPREAD:
        places = places[:1]
        south = north = places[0].lat
        west = east = places[0].lon
        spread = 0.0
    if spread < 1e-4:
        zoom = max(_POINT_ZOOM.get(p.kind, 9) for p in places)
    else:
        zoom = min(15, max(2, int(math.log2(360 / spread)) - 1))
    return {
        "name": esc(", ".join(p.name for p in places)),
        "lat": round((south + north) / 2, 6),
        "lon": round((west + east) / 2, 6),
        "zoom": zoom,
        "line": True,
    }
