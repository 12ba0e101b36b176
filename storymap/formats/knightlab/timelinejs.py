"""Export a story as Knight Lab TimelineJS JSON: a title slide and one slide per event.

The layout follows TimelineJS 3 (``src/js/core/TimelineConfig.js`` and ``date/TLDate.js``
of @knight-lab/timelinejs 3.9): ``{"title": slide, "events": [slide, ...], "scale":
"human"}``; a slide has ``start_date`` / ``end_date`` {``year``, ``month``, ``day``,
``hour``, ``minute`` as digit strings}, ``text`` {``headline``, ``text`` (HTML)},
``unique_id`` and ``display_date``. A month-precise event has no ``day``; a year-precise
one only a ``year``. Every story string in the output is HTML-escaped.
"""

from __future__ import annotations

from typing import Any

from ...model import Event, Story
from ..fragments import esc, event_date, event_html, overview_html
from ..tables import dumps


def to_timelinejs(story: Story) -> str:
    """Return the story as a TimelineJS JSON string (UTF-8 text, not ASCII-escaped)."""
    return dumps(timelinejs_data(story), indent=1)


def timelinejs_data(story: Story) -> dict[str, Any]:
    """Return the TimelineJS document as JSON-ready dicts and lists."""
    return {
        "title": {
            "text": {"headline": esc(story.title), "text": overview_html(story)},
            "unique_id": "storymap-title",
        },
        "events": [_slide(story, e) for e in story.events],
        "scale": "human",
    }


def _slide(story: Story, event: Event) -> dict[str, Any]:
    slide: dict[str, Any] = {
        "unique_id": event.id,
        "start_date": tl_date(event.date, time=event.time),
        "display_date": esc(event_date(event)),
        "text": {
            "headline": esc(event.title),
            "text": event_html(story, event, tag="div", title=False),
        },
    }
    if event.end_date and event.end_date != event.date:
        slide["end_date"] = tl_date(event.end_date)
    return slide


def tl_date(iso: str, *, time: str | None = None) -> dict[str, str]:
    """Return a TimelineJS date object for an ISO date cut to its precision.

    >>> tl_date("1956-10-23", time="20:05")
    {'year': '1956', 'month': '10', 'day': '23', 'hour': '20', 'minute': '5'}
    >>> tl_date("1956-10-23", time="afternoon")
    {'year': '1956', 'month': '10', 'day': '23'}
    >>> tl_date("1957-01")
    {'year': '1957', 'month': '1'}
    """
    out: dict[str, str] = {}
    for name, part in zip(("year", "month", "day"), iso.split("-"), strict=False):
        out[name] = str(int(part))
    if time and "day" in out and time[:1].isdigit():  # "afternoon" has no hour to give
        hour, _, minute = time.partition(":")
        out["hour"] = str(int(hour))
        out["minute"] = str(int(minute or 0))
    return out
