"""Import a Knight Lab TimelineJS or StoryMapJS JSON file as a Story.

TimelineJS events and StoryMapJS slides become events (an exported StoryMapJS day slide
lists several events; each becomes its own again), their locations become places with
ids ``imported:<slug>``, and their HTML becomes plain text. The plain texts, one block
per event ("title" newline "quote"), make up the story's single document, so every
event's source offsets point into it. A storymap story JSON is accepted too.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import StoryFormatError
from ...model import (
    Attribution,
    Document,
    Event,
    MentionRecord,
    Place,
    PlaceRef,
    SourceRef,
    Story,
)
from ...model.storyjson import parse_json
from ...pipeline.credits import datasets
from ...text.folding import fold
from ..fragments import Node, parse_html
from .fields import (
    coords,
    iso_date,
    one_precision,
    people_of,
    short,
    slide_date,
    slide_text,
    time_of,
    tl_date,
)

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
    from ...textio import MAX_IMPORT_BYTES, read_limited

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
                raise StoryFormatError(f"{where}: expected an event object, got {short(slide)}")
            try:
                if not isinstance(slide.get("start_date"), dict):
                    raise StoryFormatError(
                        f'{where}: needs a "start_date" object like '
                        f'{{"year": "1956", "month": "10", "day": "23"}}; got {short(slide)}'
                    )
                day, precision, time = tl_date(slide["start_date"], where=where)
                end = slide.get("end_date")
                end_date = None
                if isinstance(end, dict):
                    end_date = tl_date(end, where=f"{where}.end_date")[0]
            except StoryFormatError as exc:
                self.skip(exc)
                continue
            self.media += bool(slide.get("media"))
            headline, body = slide_text(slide, where=where)
            tree = parse_html(body)
            quotes = tree.find_all(cls="storymap-quote")
            # Our own export marks the quote; any other text is the quote as a whole.
            quote = " ".join(n.text() for n in quotes) if quotes else tree.text(
                skip=frozenset({"storymap-places", "storymap-people"}))
            key = str(slide.get("unique_id") or f"event-{i + 1}")
            item = _Item(
                key=f"{key}-{i + 1}" if key in self.items else key,  # ids must stay apart
                title=parse_html(headline).text(), quote=quote, date=day, precision=precision,
                end_date=end_date if end_date != day else None, time=time, people=people_of(tree),
            )
            item.places = self._places_in(tree)
            self._add(item)

    def storymapjs(self, data: Mapping[str, Any]) -> None:
        slides = data.get("slides")
        if not isinstance(slides, list):
            raise StoryFormatError(
                f'{self.source}: expected "storymap": {{"slides": [...]}}, got "slides": '
                f"{short(slides)}"
            )
        for i, slide in enumerate(slides):
            where = f"{self.source}: slides[{i}]"
            if not isinstance(slide, dict):
                raise StoryFormatError(f"{where}: expected a slide object, got {short(slide)}")
            if slide.get("type") == "overview":
                self._title_slide(slide, where=where)
                continue
            headline, body = slide_text(slide, where=where)
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
                day, precision = slide_date(slide, headline, where=where)
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
        headline, body = slide_text(slide, where=where)
        self.title = self.title or parse_html(headline).text()
        for node in parse_html(body).find_all(attr="data-name"):
            self.attributions.append(Attribution(
                name=node.attrs["data-name"], license=node.attrs.get("data-license", ""),
                url=node.attrs.get("data-url", ""), text=node.text()))

    def _listed(self, node: Node, *, where: str) -> _Item:
        """Read one event exported by storymap (``data-event`` and its data attributes)."""
        a = node.attrs
        here = f"{where} event {a['data-event']!r}"
        day, precision = iso_date(a.get("data-date", ""), where=here)
        end = iso_date(a["data-end-date"], where=here)[0] if a.get("data-end-date") else None
        titles = node.find_all(cls="storymap-title")
        quotes = node.find_all(cls="storymap-quote")
        item = _Item(key=a["data-event"], title=titles[0].text() if titles else "",
                     quote=quotes[0].text() if quotes else "", date=day, precision=precision,
                     end_date=end, time=time_of(a.get("data-time"), where=here),
                     people=people_of(node))
        item.places = self._places_in(node)
        return item

    def _places_in(self, tree: Node) -> list[tuple[Place, str]]:
        found = []
        for node in tree.find_all(attr="data-lat"):
            name = node.text()
            lat, lon = coords(node.attrs.get("data-lat"), node.attrs.get("data-lon"),
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
            slide_text(slide, where=where)[0]).text() or "location"
        lat, lon = coords(loc.get("lat"), loc.get("lon"), where=f"{where}.location")
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
            day, precision, end_date = one_precision(item.date, item.end_date)
            events.append(Event(
                id=item.key, date=day, precision=precision, title=title,
                quote=item.quote, places=tuple(refs),
                sources=(SourceRef(doc=doc_id, start=span[0], end=span[1]),),
                end_date=end_date, time=item.time if precision == "day" else None,
                people=item.people, continuing=precision != "day",
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
