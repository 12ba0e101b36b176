"""The one module that knows the order of the stages.

text → passages (normalised, with offsets) → place mentions → resolved places →
date expressions → events → Story.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from .dates import DateExpr, find_dates, story_year
from .errors import InputError
from .events import build_events, merge_events
from .gazetteer import Gazetteer, load_gazetteer, polygons
from .mentions import find_mentions
from .model import DateRecord, Document, Event, MentionRecord, Place, Story
from .passages import Passage, normalise
from .people import find_people, surnames
from .repair import gap_words, repair, repairs, vocabulary
from .resolve import ResolvedMention, resolve_mentions
from .resolvers import DEFAULT_RESOLVERS, Resolver, get_resolver
from .resolvers.base import Candidate
from .textio import read_text
from .timeorder import order_events

__all__ = ["SourceText", "Timings", "build_story", "build_story_from_texts", "builtin_texts"]


@dataclass(frozen=True)
class SourceText:
    """A text to read: its id (file stem), its content and where it came from.

    ``title``, ``url`` and ``license`` describe the source for its readers; empty values
    are filled from the text (its first heading) when the story is built.
    """

    id: str
    text: str
    path: str = ""
    title: str = ""
    url: str = ""
    license: str = ""


@dataclass
class Timings:
    """Seconds spent per stage (filled in when passed to build_story_from_texts)."""

    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - t0


def builtin_texts() -> tuple[Path, ...]:
    """Return the bundled 1956 example texts (two Wikipedia revisions, CC BY-SA)."""
    folder = Path(__file__).parent / "examples" / "hungary-1956"
    return tuple(sorted(folder.glob("*.txt")))


def build_story(paths: Sequence[Path], *, resolvers: Sequence[str] = DEFAULT_RESOLVERS,
                title: str | None = None, timings: Timings | None = None) -> Story:
    """Read text files and build one story from them.

    Raises InputError (or a subclass) for a file that is not a readable UTF-8 text and
    ConfigError for an unknown resolver name.
    """
    clock = timings or Timings()
    with clock.stage("read"):
        texts = [SourceText(id=Path(p).stem, text=read_text(Path(p)), path=str(p),
                            **_described(Path(p))) for p in paths]
    with clock.stage("gazetteer"):  # loading the resolvers loads the gazetteer
        backends = [get_resolver(name) for name in resolvers]
    return build_story_from_texts(texts, resolvers=backends, title=title, timings=clock)


def build_story_from_texts(texts: Sequence[SourceText], *,
                           resolvers: Sequence[Resolver] | None = None, title: str | None = None,
                           timings: Timings | None = None) -> Story:
    """Build one story from texts already in memory (the library entry point)."""
    clock = timings or Timings()
    backends = list(resolvers) if resolvers is not None else [get_resolver(n)
                                                               for n in DEFAULT_RESOLVERS]
    with clock.stage("gazetteer"):
        gazetteer = load_gazetteer()
    with clock.stage("passages"):
        docs = [(t, normalise(t.text, doc=t.id)) for t in texts]
    all_passages = [p for _, ps in docs for p in ps]
    with clock.stage("mentions"):
        single_words = {k for k in gazetteer.index if " " not in k}
        people = {t.id: find_people(ps, place_words=single_words) for t, ps in docs}
        family = surnames([x for group in people.values() for x in group])
        mentions = find_mentions(all_passages, gazetteer=gazetteer, surnames=family)
    with clock.stage("resolve"):
        resolved = resolve_mentions(mentions, resolvers=backends)
    with clock.stage("dates"):
        year = story_year([t.text for t in texts])
        dates = {t.id: find_dates(ps, default_year=year) for t, ps in docs}
    with clock.stage("events"):
        events: list[Event] = []
        for t, ps in docs:
            mine = [r for r in resolved if r.mention.doc == t.id]
            events.extend(build_events(ps, mine, dates[t.id], people[t.id]))
        merged = _repaired(merge_events(events), texts, gazetteer)
        merged = order_events(merged)  # by day, then time of day (storymap.timeorder)
    with clock.stage("story"):
        story = Story(
            title=title or _title(texts),
            documents=tuple(Document(id=t.id, title=t.title or _doc_title(t), text=t.text,
                                     path=t.path, url=t.url, license=t.license)
                            for t in texts),
            places=_places(resolved),
            events=tuple(merged),
            mentions=tuple(_mention_records(resolved, all_passages)),
            dates=tuple(_date_records(dates, docs)),
        )
    return story


def _repaired(events: list[Event], texts: Sequence[SourceText],
              gazetteer: Gazetteer) -> list[Event]:
    """Show quotes, titles and people with letters WikiText lost restored where sure."""
    gaps = gap_words(e.quote for e in events)
    if not gaps:
        return events
    names = (n for entry in gazetteer.entries.values() for n in entry.names)
    table = repairs(gaps, vocabulary([*(t.text for t in texts), *names]))
    return [replace(e, quote=repair(e.quote, table), title=repair(e.title, table),
                    people=tuple(repair(p, table) for p in e.people)) for e in events]


def _described(path: Path) -> dict[str, str]:
    """Return title, url and license of ``path`` from a sources.json beside it, if any.

    sources.json maps a file's stem to {"title", "url", "license"}: how a folder of texts
    says where each came from (the built-in example uses it for its Wikipedia credit).
    """
    meta = path.parent / "sources.json"
    if not meta.is_file():
        return {}
    try:
        entry = json.loads(meta.read_text(encoding="utf-8")).get(path.stem) or {}
    except (OSError, ValueError, AttributeError) as exc:
        raise InputError(f"{meta}: cannot read the sources of the texts here ({exc}); "
                         "fix or remove the file") from None
    return {k: str(entry[k]) for k in ("title", "url", "license") if entry.get(k)}


_TITLE_LINE = re.compile(r"^\s*(?:=\s*)+([^=\n]+?)(?:\s*=)+\s*$|^\s*#\s+(.+)$", re.MULTILINE)


def _doc_title(t: SourceText) -> str:
    m = _TITLE_LINE.search(t.text[:2000])
    if m and t.text[: m.start()].strip() == "":
        return (m.group(1) or m.group(2)).strip()
    first = t.text.strip().split("\n", 1)[0][:80]
    return first.split(" (")[0].split(" or ")[0].strip() or t.id


def _title(texts: Sequence[SourceText]) -> str:
    return _doc_title(texts[0]) if texts else "Empty story"


def _places(resolved: Sequence[ResolvedMention]) -> tuple[Place, ...]:
    shapes = polygons()
    seen: dict[str, Candidate] = {}
    for r in resolved:
        if r.place is not None:
            seen.setdefault(r.place.id, r.place)
    return tuple(
        Place(id=c.id, name=c.name, lat=c.lat, lon=c.lon, kind=c.kind, name_hu=c.name_hu,
              country=c.country, source=c.source, geometry=shapes.get(c.id))
        for c in seen.values()
    )


def _mention_records(resolved: Sequence[ResolvedMention],
                     passages: Sequence[Passage]) -> Iterator[MentionRecord]:
    lookup = {(p.doc, p.index): p for p in passages}
    for r in resolved:
        m = r.mention
        start, end = lookup[(m.doc, m.passage)].source_span(m.start, m.end)
        yield MentionRecord(doc=m.doc, start=start, end=end, text=m.text,
                            place_id=r.place.id if r.place else None)


def _date_records(dates: Mapping[str, Sequence[DateExpr]],
                  docs: Sequence[tuple[SourceText, Sequence[Passage]]]) -> Iterator[DateRecord]:
    for t, ps in docs:
        by_index = {p.index: p for p in ps}
        for d in dates[t.id]:
            start, end = by_index[d.passage].source_span(d.start, d.end)
            yield DateRecord(doc=t.id, start=start, end=end, text=d.text, date=d.date,
                             precision=d.precision, end_date=d.end_date, time=d.time)
