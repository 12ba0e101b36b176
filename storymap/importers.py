"""Import a Knight Lab TimelineJS or StoryMapJS JSON file as a Story.

TimelineJS events and StoryMapJS slides become events (an exported StoryMapJS day slide
lists several events; each becomes its own again), their locations become places with
ids ``imported:<slug>``, and their HTML becomes plain text. The plain texts, one block
per event ("title" newline "quote"), make up the story's single document, so every
event's source offsets point into it. A storymap story JSON is accepted too.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .credits import datasets
from .errors import StoryFormatError
from .exports.fragments import MONTHS, Node, parse_html
from .folding import fold
from .model import (
    Attribution,
    Document,
    Event,
    MentionRecord,
    Place,
    PlaceRef,
    SourceRef,
    Story,
)
from .storyjson import parse_json

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_WORDS = re.compile(r"^(?:(\d{1,2})\s+)?(?:([A-Za-z]+)\s+)?(\d{4})\b")


#: Called with one line per slide or event that was skipped, and why.
Warn = Callable[[str], None]

_log = logging.getLogger("storymap")


def load_interchange(path_or_text: str | os.PathLike[str], *, filename: str = "",
                     on_warning: Warn | None = None) -> Story:
    """Read a TimelineJS or StoryMapJS JSON (a path, or the JSON text itself) as a Story.

    Raises InputError for a missing, unreadable or too large file and StoryFormatError
    when the JSON is malformed or is neither format. A slide or event without a date
    storymap can read is skipped with a warning to ``on_warning`` (default: the
    ``storymap`` logger); a file where no slide has one is refused.
    """
    source, text = _read(path_or_text, filename=filename)
    data = parse_json(text, filename=source,
                      advice="expected a TimelineJS or StoryMapJS JSON file")
    return import_data(data, source=source, on_warning=on_warning)


def import_data(data: Any, *, source: str, on_warning: Warn | None = None) -> Story:
    """Return the Story of parsed TimelineJS / StoryMapJS (or storymap story) JSON ``data``.

    ``source`` names the file in messages. Raises StoryFormatError as load_interchange.
    """
    if isinstance(data, dict) and "version" in data and "documents" in data:
        return Story.from_dict(data, filename=source)
    builder = _Builder(source, on_warning=on_warning or _log.warning)
    try:
        _fill(builder, data)
    except RecursionError:  # HTML nested beyond what a tree walk can follow
        raise StoryFormatError(
            f"{source}: HTML nested too deeply to read; expected slides with ordinary HTML"
        ) from None
    builder.report_media()
    return builder.story()


def _fill(builder: _Builder, data: Any) -> None:
    source = builder.source
    if isinstance(data, dict) and isinstance(data.get("storymap"), dict):
        builder.storymapjs(data["storymap"])
    elif isinstance(data, dict) and isinstance(data.get("events"), list):
        builder.timelinejs(data)
    else:
        got = f"an object with keys {sorted(data)[:8]}" if isinstance(data, dict) else (
            f"a JSON {type(data).__name__}")
        raise StoryFormatError(
            f'{source}: expected a TimelineJS JSON ({{"events": [...]}}) or a StoryMapJS JSON '
            f'({{"storymap": {{"slides": [...]}}}}), got {got}'
        )


def _read(path_or_text: str | os.PathLike[str], *, filename: str) -> tuple[str, str]:
    if isinstance(path_or_text, str) and path_or_text.lstrip().startswith(("{", "[")):
        return filename or "<interchange JSON>", path_or_text
    from .textio import MAX_IMPORT_BYTES, read_limited

    path = Path(path_or_text)
    raw = read_limited(path, limit=MAX_IMPORT_BYTES, advice="split the timeline into files")
    try:
        return filename or str(path), raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StoryFormatError(
            f"{path}: not UTF-8 text (byte {exc.start}); expected a JSON file"
        ) from None


@dataclass
class _Item:
    """One event read from a slide, before it has offsets in the document."""

    key: str
    title: str
    quote: str
    date: str
    precision: str
    end_date: str | None = None
    time: str | None = None
    places: list[tuple[Place, str]] = field(default_factory=list)
    people: tuple[str, ...] = ()


class _Builder:
    """Collect title, items, places and credits, then assemble the Story."""

    def __init__(self, source: str, *, on_warning: Warn) -> None:
        self.source = source
        self.title = ""
        self.items: dict[str, _Item] = {}
        self.places: dict[str, Place] = {}
        self.attributions: list[Attribution] = []
        self.warn = on_warning
        self.skipped: list[str] = []
        self.media = 0
        # (slug, lat, lon) → place id, and the last number used per slug: finding a
        # place is one lookup however many slides share a name (was a scan per slide).
        self._ids: dict[tuple[str, float, float], str] = {}
        self._numbered: dict[str, int] = {}

    def skip(self, exc: StoryFormatError) -> None:
        """Leave out one slide whose date cannot be read, and say so."""
        self.skipped.append(str(exc))
        self.warn(f"{exc}; skipped it")

    def report_media(self) -> None:
        if self.media:
            self.warn(f"{self.source}: {self.media} slides carry media (images, video); "
                      "storymap events have no media yet, so they were left out")

    # -- the two formats -------------------------------------------------------------
    def timelinejs(self, data: Mapping[str, Any]) -> None:
        title = data.get("title")
        if isinstance(title, dict):
            self._title_slide(title, where=f"{self.source}: title")
        for i, slide in enumerate(data["events"]):
            where = f"{self.source}: events[{i}]"
            if not isinstance(slide, dict):
                raise StoryFormatError(f"{where}: expected an event object, got {_short(slide)}")
            try:
                if not isinstance(slide.get("start_date"), dict):
                    raise StoryFormatError(
                        f'{where}: needs a "start_date" object like '
                        f'{{"year": "1956", "month": "10", "day": "23"}}; got {_short(slide)}'
                    )
                day, precision, time = _tl_date(slide["start_date"], where=where)
                end = slide.get("end_date")
                end_date = None
                if isinstance(end, dict):
                    end_date = _tl_date(end, where=f"{where}.end_date")[0]
            except StoryFormatError as exc:
                self.skip(exc)
                continue
            self.media += bool(slide.get("media"))
            headline, body = _text(slide, where=where)
            tree = parse_html(body)
            quotes = tree.find_all(cls="storymap-quote")
            # Our own export marks the quote; any other text is the quote as a whole.
            quote = " ".join(n.text() for n in quotes) if quotes else tree.text(
                skip=frozenset({"storymap-places", "storymap-people"}))
            key = str(slide.get("unique_id") or f"event-{i + 1}")
            item = _Item(
                key=f"{key}-{i + 1}" if key in self.items else key,  # ids must stay apart
                title=parse_html(headline).text(), quote=quote, date=day, precision=precision,
                end_date=end_date if end_date != day else None, time=time, people=_people(tree),
            )
            item.places = self._places_in(tree)
            self._add(item)

    def storymapjs(self, data: Mapping[str, Any]) -> None:
        slides = data.get("slides")
        if not isinstance(slides, list):
            raise StoryFormatError(
                f'{self.source}: expected "storymap": {{"slides": [...]}}, got "slides": '
                f"{_short(slides)}"
            )
        for i, slide in enumerate(slides):
            where = f"{self.source}: slides[{i}]"
            if not isinstance(slide, dict):
                raise StoryFormatError(f"{where}: expected a slide object, got {_short(slide)}")
            if slide.get("type") == "overview":
                self._title_slide(slide, where=where)
                continue
            headline, body = _text(slide, where=where)
            tree = parse_html(body)
            listed = tree.find_all(attr="data-event")
            if listed:
                for node in listed:
                    try:
                        self._add(self._listed(node, where=where))
                    except StoryFormatError as exc:
                        self.skip(exc)
                continue
            try:
                day, precision = _slide_date(slide, headline, where=where)
            except StoryFormatError as exc:
                self.skip(exc)
                continue
            self.media += bool(slide.get("media"))
            item = _Item(key=f"slide-{i}", title=parse_html(headline).text(), quote=tree.text(),
                         date=day, precision=precision)
            item.places = self._places_in(tree) or self._location(slide, where=where)
            self._add(item)

    # -- pieces ----------------------------------------------------------------------
    def _title_slide(self, slide: Mapping[str, Any], *, where: str) -> None:
        headline, body = _text(slide, where=where)
        self.title = self.title or parse_html(headline).text()
        for node in parse_html(body).find_all(attr="data-name"):
            self.attributions.append(Attribution(
                name=node.attrs["data-name"], license=node.attrs.get("data-license", ""),
                url=node.attrs.get("data-url", ""), text=node.text()))

    def _listed(self, node: Node, *, where: str) -> _Item:
        """Read one event exported by storymap (``data-event`` and its data attributes)."""
        a = node.attrs
        here = f"{where} event {a['data-event']!r}"
        day, precision = _iso(a.get("data-date", ""), where=here)
        end = _iso(a["data-end-date"], where=here)[0] if a.get("data-end-date") else None
        titles = node.find_all(cls="storymap-title")
        quotes = node.find_all(cls="storymap-quote")
        item = _Item(key=a["data-event"], title=titles[0].text() if titles else "",
                     quote=quotes[0].text() if quotes else "", date=day, precision=precision,
                     end_date=end, time=_time(a.get("data-time"), where=here),
                     people=_people(node))
        item.places = self._places_in(node)
        return item

    def _places_in(self, tree: Node) -> list[tuple[Place, str]]:
        found = []
        for node in tree.find_all(attr="data-lat"):
            name = node.text()
            lat, lon = _coords(node.attrs.get("data-lat"), node.attrs.get("data-lon"),
                               where=f"{self.source}: place {name!r}")
            place = self._place(name, lat=lat, lon=lon, key=node.attrs.get("data-place", ""),
                                kind=node.attrs.get("data-kind", ""),
                                country=node.attrs.get("data-country", ""))
            found.append((place, node.attrs.get("data-mention") or name))
        return found

    def _location(self, slide: Mapping[str, Any], *, where: str) -> list[tuple[Place, str]]:
        loc = slide.get("location")
        if not isinstance(loc, dict) or "lat" not in loc:
            return []
        name = parse_html(str(loc.get("name") or "")).text() or parse_html(
            _text(slide, where=where)[0]).text() or "location"
        lat, lon = _coords(loc.get("lat"), loc.get("lon"), where=f"{where}.location")
        return [(self._place(name, lat=lat, lon=lon, key="", kind="point", country=""), name)]

    def _place(self, name: str, *, lat: float, lon: float, key: str, kind: str,
               country: str) -> Place:
        slug = "-".join(fold(key or name).replace("?", "").split()) or "place"
        known = self._ids.get((slug, lat, lon))
        if known is not None:
            return self.places[known]
        pid = f"imported:{slug}"
        while pid in self.places:  # the name is taken by a place elsewhere: number it
            self._numbered[slug] = n = self._numbered.get(slug, 1) + 1
            pid = f"imported:{slug}-{n}"
        self._ids[(slug, lat, lon)] = pid
        return self.places.setdefault(pid, Place(
            id=pid, name=name or slug, lat=lat, lon=lon, kind=kind or "point",
            country=country, source=f"imported from {self.source}"))

    def _add(self, item: _Item) -> None:
        if item.key in self.items:  # an event listed on each day it spans
            known = self.items[item.key].places
            known += [p for p in item.places if p not in known]
            return
        self.items[item.key] = item

    # -- the result ------------------------------------------------------------------
    def story(self) -> Story:
        if not self.items and self.skipped:
            raise StoryFormatError(
                f"{self.skipped[0]}; no other event or slide has a date either, so there is "
                "nothing to import"
            )
        if not self.items:
            raise StoryFormatError(
                f"{self.source}: no events or slides with a date; expected at least one"
            )
        stem = Path(self.source).stem if not self.source.startswith("<") else "imported"
        doc_id = "-".join(fold(stem).split()) or "imported"
        text, events, mentions = "", [], []
        for item in self.items.values():
            title = item.title or item.quote[:80] or item.date
            title_start = len(text)
            text += title + "\n"
            start = len(text)
            text += item.quote + "\n\n"
            refs = []
            for place, mention in item.places:
                refs.append(PlaceRef(place_id=place.id, mention=mention))
                at = item.quote.find(mention) if mention else -1
                if at >= 0:
                    mentions.append(MentionRecord(doc=doc_id, start=start + at,
                                                  end=start + at + len(mention), text=mention,
                                                  place_id=place.id))
            # The source is the quote; an event with no text points at its title.
            span = (start, start + len(item.quote)) if item.quote else (title_start, start - 1)
            day, precision, end_date = _one_precision(item.date, item.end_date)
            events.append(Event(
                id=item.key, date=day, precision=precision, title=title,
                quote=item.quote, places=tuple(refs),
                sources=(SourceRef(doc=doc_id, start=span[0], end=span[1]),),
                end_date=end_date, time=item.time if precision == "day" else None,
                people=item.people,
            ))
        title = self.title or stem
        credit = Attribution(name=title, license="", url="",
                             text=f"Imported from {Path(self.source).name}")
        keep = tuple(d.attribution for d in datasets() if d.basemap)  # the basemap
        return Story(
            title=title,
            documents=(Document(id=doc_id, title=title, text=text),),  # no local path
            places=tuple(self.places.values()),
            events=tuple(events),
            mentions=tuple(mentions),
            attributions=tuple(self.attributions) or (credit, *keep),
            gazetteer=f"imported from {Path(self.source).name}",
        )


# -- fields --------------------------------------------------------------------------
def _one_precision(day: str, end: str | None) -> tuple[str, str, str | None]:
    """Return (date, precision, end_date) with both dates cut to the coarser precision.

    A story's dates share one precision per event ("1956-10" to "1957"): an import
    may mix them, and a story that mixes them would not read back.

    >>> _one_precision("0001-01", "0001")
    ('0001', 'year', None)
    """
    n = min(len(day), len(end)) if end else len(day)
    day, end = day[:n], end[:n] if end else None
    return day, {10: "day", 7: "month"}.get(n, "year"), end if end != day else None

def _short(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False) if value is not None else "nothing"
    except (ValueError, RecursionError):  # a number too long to print, deep nesting
        return "a value too large to show"
    return text if len(text) <= 60 else text[:57] + "..."


def _text(slide: Mapping[str, Any], *, where: str) -> tuple[str, str]:
    text = slide.get("text") or {}
    if not isinstance(text, dict):
        raise StoryFormatError(
            f'{where}: expected "text": {{"headline": ..., "text": ...}}, got {_short(text)}'
        )
    return str(text.get("headline") or ""), str(text.get("text") or "")


def _people(tree: Node) -> tuple[str, ...]:
    return tuple(n.text() for n in tree.find_all(cls="storymap-person"))


def _coords(lat: Any, lon: Any, *, where: str) -> tuple[float, float]:
    try:
        la, lo = float(lat), float(lon)
    except (TypeError, ValueError):
        raise StoryFormatError(
            f"{where}: expected numeric lat and lon, got lat={lat!r}, lon={lon!r}"
        ) from None
    if not (-90 <= la <= 90 and -180 <= lo <= 180):
        raise StoryFormatError(f"{where}: lat={la}, lon={lo} is not on Earth; fix the location")
    return la, lo


def _iso(text: str, *, where: str) -> tuple[str, str]:
    """Return (ISO date cut to its precision, precision) for "YYYY[-MM[-DD]]"."""
    m = _ISO.match(text.strip())
    if not m:
        raise StoryFormatError(
            f"{where}: expected a date like 1956-10-23, 1956-10 or 1956, got {text!r}"
        )
    parts = [int(p) for p in m.groups() if p]
    return _checked(parts, where=where), ("year", "month", "day")[len(parts) - 1]


def _checked(parts: list[int], *, where: str) -> str:
    year, month, day = [*parts, 1, 1][:3]
    try:
        date(year, month, day)
    except (ValueError, OverflowError) as exc:
        got = "-".join(str(p) if abs(p) < 10**12 else "(a huge number)" for p in parts)
        raise StoryFormatError(f"{where}: not a calendar date ({exc}); got {got}") from None
    return "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])])


def _tl_date(value: Mapping[str, Any], *, where: str) -> tuple[str, str, str | None]:
    """Read a TimelineJS date object: (ISO date, precision, "HH:MM" or None)."""
    parts: list[int] = []
    for name in ("year", "month", "day"):
        raw = value.get(name)
        if raw in (None, ""):
            break
        try:
            parts.append(int(str(raw).strip()))
        except ValueError:
            raise StoryFormatError(
                f"{where}: {name} must be a number, got {_short(raw)}") from None
    if not parts:
        raise StoryFormatError(f"{where}: a date needs a year, got {_short(dict(value))}")
    time = None
    if len(parts) == 3 and value.get("hour") not in (None, ""):
        time = _time(f"{value.get('hour')}:{value.get('minute') or 0}", where=where)
    return _checked(parts, where=where), ("year", "month", "day")[len(parts) - 1], time


#: Parts of day the date stage writes instead of a clock time ("that evening").
_PARTS_OF_DAY = frozenset({"early morning", "morning", "afternoon", "evening", "night",
                           "midnight"})


def _time(text: str | None, *, where: str) -> str | None:
    if not text:
        return None
    if text in _PARTS_OF_DAY:
        return text
    hour, _, minute = text.partition(":")
    try:
        h, m = int(hour), int(minute or 0)
    except ValueError:
        h = m = -1
    if not (0 <= h < 24 and 0 <= m < 60):
        raise StoryFormatError(f"{where}: expected a time like 20:00, got {text!r}")
    return f"{h:02d}:{m:02d}"


def _slide_date(slide: Mapping[str, Any], headline: str, *, where: str) -> tuple[str, str]:
    """Read a StoryMapJS slide's date: ISO in "date", or "23 October 1956" words."""
    raw = str(slide.get("date") or "").strip()
    first = re.split(r"\s*/\s*", raw)[0] if raw else ""
    if _ISO.match(first):
        return _iso(first, where=where)
    for words in (first, parse_html(headline).text()):
        m = _WORDS.match(words)
        month = m.group(2).capitalize() if m and m.group(2) else None
        if m and (month is None or month in MONTHS):
            parts = [int(m.group(3))]
            if month:
                parts.append(MONTHS.index(month) + 1)
                if m.group(1):
                    parts.append(int(m.group(1)))
            return _checked(parts, where=where), ("year", "month", "day")[len(parts) - 1]
    raise StoryFormatError(
        f'{where}: no date storymap can read (date {raw!r}, headline {headline[:40]!r}); '
        'expected "date": "1956-10-23", "1956-10" or "1956"; add one'
    )
