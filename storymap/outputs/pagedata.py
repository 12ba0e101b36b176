"""What the page reads of a story: its data, compact, without local paths, light geometry.

The renderer (storymap.outputs.render) puts it in the page: all of it in the standalone
file; without the texts in the served page and embed, which fetch them (``text_data``,
at /api/text) when the text view opens. Credits are rows the page frames in its own
language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..geo.lines import simplify
from ..model import Story
from . import mapview

#: The language of the story's texts, so of its titles, quotes and names (the page marks
#: them with it, whatever the interface's language): the pipeline reads English.
TEXT_LANG = "en"

#: Credits for what every page loads whatever the story: (kind, name, licence, url). The
#: datasets of the story's places and its basemap are the story's own attributions
#: (``Story.attributions``, from storymap/pipeline/credits.py), listed under "Credits"; the
#: basemap layers of the regions it uses add theirs (storymap.outputs.mapview.map_credits).
#: The page frames each line in its own language (``credit_<kind>`` in i18n.json).
MAP_CREDITS: tuple[tuple[str, str, str, str], ...] = (
    ("tiles", "OpenStreetMap", "ODbL 1.0", "https://www.openstreetmap.org/copyright"),
    ("software", "Leaflet 1.9.4", "BSD-2-Clause", "https://leafletjs.com"),
)


#: Fields of events and places the page reads as "none" when they are missing.
_OPTIONAL = frozenset({"end_date", "time", "people", "names", "country", "source", "geometry",
                       "places", "estimated"})


def _empty(value: Any) -> bool:
    return (value is None or value is False or value == ""
            or (isinstance(value, (list, tuple, dict)) and not value))


#: A served story with more events than this is sent as their dates and places only; the
#: page fetches a step's words (title, quote, sources, people) when it shows it.
LAZY_EVENTS = 2000


def page_data(story: Story, *, text: bool = True, quotes_from_text: bool = False,
              lazy: bool = False) -> dict[str, Any]:
    """Return the story as the page reads it: compact, without local paths, light geometry.

    It is ``Story.to_dict()`` except that ``mentions`` and ``dates`` are rows
    (``[doc index, start, end, place_id]`` and ``[doc index, start, end, date, precision,
    end_date, time]``: their text is ``documents[i].text[start:end]``), so are each event's
    ``sources`` (``[doc index, start, end]``), ``compact`` says so,
    only areas small enough to draw as shapes (districts, not countries) and rivers' lines
    keep a geometry,
    each document carries its ``edits`` (``Document.edits``: how the text view shows it
    normalised and repaired at unchanged offsets; none for a story built without them),
    ``continuing`` lists the events that look back on every day they are listed on
    (``Event.continuing``, decided on combine; the page adds a range's days after its
    first), ``day_order`` each day of the main phase with its events in the order they are
    told (:func:`day_order`), and empty optional fields of events and places are left out, so
    are an event's ``precision`` when it is "day", its ``time_order`` (the order is sent as
    the events' order and ``day_order``) and a place's name in the texts' language when
    it is its ``name`` (the page reads them so). With ``quotes_from_text`` (the standalone
    file, which carries the texts), an event's quote is left out when it is its first
    source as the page shows it (``Document.shown``): the page takes it from there.
    Without ``text`` (the served page) the documents keep only their titles, urls and
    licences, and ``mentions``, ``dates`` and the texts are :func:`text_data`, which the
    page fetches when its text view opens. ``lazy`` (a served story past LAZY_EVENTS
    events) sends each event without its words (title, quote, sources, people) and its
    places as ids: the page fetches a day's from /api/days/<date> as it shows it.
    """
    data = story.to_dict()
    data.pop("unresolved", None)  # derived: the page computes it from mentions
    doc_index = {doc["id"]: i for i, doc in enumerate(data["documents"])}
    for doc in data["documents"]:
        doc["edits"] = list(doc.get("edits") or ())  # how the text view shows it (the model's)
        doc.pop("path", None)  # a local file path says nothing to readers and leaks the machine
    for place in data["places"]:
        geometry = place.get("geometry")
        if geometry and geometry.get("type") in ("LineString", "MultiLineString"):
            pass  # a river's line, drawn when a day's sentence names it (already simplified)
        elif geometry:
            place["geometry"] = simplify_geometry(geometry) if _is_small_area(geometry) else None
    if text:
        data.update(_text_rows(story, doc_index))
    else:
        del data["mentions"], data["dates"]
        for doc in data["documents"]:
            del doc["text"], doc["edits"]
    # Listed below the day's news on every day; a range only on the days after its first.
    data["continuing"] = sorted(e.id for e in story.events if e.continuing)
    for event in data["events"]:
        event.pop("continuing", None)  # carried by the list above
        event.pop("time_order", None)  # the order itself is sent: events and day_order
        event["sources"] = [[doc_index.get(r["doc"], -1), r["start"], r["end"]]
                            for r in event["sources"]]  # fmt: skip
    # Empty optional fields (no end date, no time, no people, no country) say nothing the
    # page does not assume: left out, they keep the standalone file within its budget.
    for row in (*data["events"], *data["places"]):
        for key in [k for k, v in row.items() if k in _OPTIONAL and _empty(v)]:
            del row[key]
    docs = {d.id: d for d in story.documents}
    for event, row in zip(story.events, data["events"], strict=True):
        if row.get("precision") == "day":
            del row["precision"]
        src = event.sources[0] if event.sources else None
        if quotes_from_text and src and src.doc in docs and \
                docs[src.doc].shown(src.start, src.end) == event.quote:
            del row["quote"]
    for row in data["places"]:
        names = row.get("names")
        if names and names.get(TEXT_LANG) == row["name"]:
            del names[TEXT_LANG]
            if not names:
                del row["names"]
    if lazy:
        known = {p.id for p in story.places}
        for event, row in zip(story.events, data["events"], strict=True):
            for key in ("title", "quote", "sources", "people"):
                row.pop(key, None)
            ids = list(dict.fromkeys(r.place_id for r in event.places if r.place_id in known))
            if ids:
                row["places"] = ids  # a day's words bring the places as the text names them
            else:
                row.pop("places", None)
    data["attributions"] = credit_rows(story)
    data["compact"] = [c for c in ("mentions", "dates", "sources")
                       if (text or c == "sources") and not (lazy and c == "sources")]
    data["lazy"] = lazy
    data["day_order"] = day_order(story)
    data["weekdays"] = story.weekdays()  # the days the texts name in another calendar
    data["map"] = mapview.map_view(story)  # where the map looks, which basemaps it draws
    return data


def day_order(story: Story) -> dict[str, list[int]]:
    """Return each day of the main phase with its events, as indices into ``story.events``.

    The order Python decided (``Story.events_by_day``: the day's news by time of day, then
    what continues): the page shows the days of its main phase in it and sorts nothing;
    before and after the phase it steps through ``events`` in their order.
    """
    phase = story.main_phase()
    if phase is None:
        return {}
    index = {id(e): i for i, e in enumerate(story.events)}
    return {day: [index[id(e)] for e in events]
            for day, events in sorted(story.events_by_day.items())
            if phase[0] <= day <= phase[1]}


def _text_rows(story: Story, doc_index: Mapping[str, int]) -> dict[str, Any]:
    return {
        "mentions": [[doc_index.get(m.doc, -1), m.start, m.end, m.place_id]
                     for m in story.mentions],
        "dates": [[doc_index.get(d.doc, -1), d.start, d.end, d.date, d.precision, d.end_date,
                   d.time] for d in story.dates],
    }  # fmt: skip


def text_data(story: Story) -> dict[str, Any]:
    """Return what the served page's text view fetches (/api/text): each document's text
    and display edits, in the order of the page data's documents, and the mentions and
    dates as the rows of :func:`page_data` (``compact``)."""
    doc_index = {d.id: i for i, d in enumerate(story.documents)}
    return {"documents": [{"id": d.id, "text": d.text, "edits": list(d.edits)}
                          for d in story.documents],
            **_text_rows(story, doc_index), "compact": ["mentions", "dates"]}  # fmt: skip


def credit_rows(story: Story) -> list[dict[str, str]]:
    """Return the story's credits as the page frames them: kind ("text" for a source text,
    "data" for a dataset), name, licence and url; the English ``text`` is left out (the page
    says "Text: …" or "Szöveg: …" itself)."""
    texts = {(d.title, d.url) for d in story.documents}
    return [{"kind": "text" if (a.name, a.url) in texts else "data", "name": a.name,
             "license": a.license, "url": safe_url(a.url)} for a in story.attributions]


def map_credit_rows(story: Story) -> list[dict[str, str]]:
    """Return the credits of what the map draws beyond the story's own: its regions'
    basemap datasets, the tiles and the software (a dataset the story credits already,
    OpenStreetMap, is listed once)."""
    credited = {a.url for a in story.attributions}
    return [*({"kind": "data", "name": a.name, "license": a.license, "url": safe_url(a.url)}
              for a in mapview.map_credits(story)),
            *({"kind": kind, "name": name, "license": lic, "url": url}
              for kind, name, lic, url in MAP_CREDITS if url not in credited)]  # fmt: skip


def _is_small_area(geometry: Mapping[str, Any], *, max_degrees: float = 0.25) -> bool:
    """Return True for an area up to about 25 km across: drawn as a shape, not a marker.

    >>> _is_small_area({"type": "Polygon", "coordinates": [[[19, 47.4], [19.1, 47.4], [19, 47.5]]]})
    True
    """
    points: list[Any] = []
    stack: list[Any] = [geometry.get("coordinates") or []]
    while stack:
        item = stack.pop()
        if item and isinstance(item[0], (int, float)):
            points.append(item)
        else:
            stack.extend(item)
    if not points:
        return False
    xs, ys = [float(p[0]) for p in points], [float(p[1]) for p in points]
    return max(max(xs) - min(xs), max(ys) - min(ys)) <= max_degrees


def simplify_geometry(geometry: Mapping[str, Any], *, tolerance: float = 0.00008) -> dict[str, Any]:
    """Return a (Multi)Polygon with rings simplified (about 9 m) and rounded to 5 decimals.

    >>> square = {"type": "Polygon", "coordinates": [[[0, 0], [0.5, 0], [1, 0], [1, 1], [0, 0]]]}
    >>> simplify_geometry(square)["coordinates"]
    [[[0, 0], [1, 0], [1, 1], [0, 0]]]
    """
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        return {"type": kind, "coordinates": [_ring(r, tolerance) for r in coords]}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [[_ring(r, tolerance) for r in p] for p in coords]}
    return dict(geometry)


def _ring(ring: list[list[float]], tolerance: float) -> list[list[float]]:
    points = [[round(x, 5), round(y, 5)] for x, y, *_ in ring]
    if len(points) <= 4:
        return points
    out = simplify(points, tolerance)  # Douglas–Peucker (storymap.geo.lines)
    return out if len(out) >= 4 else points


def safe_url(url: str) -> str:
    """Return ``url`` when it is http(s), else "" (story strings never become script URLs)."""
    return url if re.match(r"^https?://", url or "", re.IGNORECASE) else ""
