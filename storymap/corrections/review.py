"""The review list: what the reader was unsure of, most doubtful first.

A teacher checks the doubtful twenty instead of reading two hundred events:

* ``unmatched``  a correction that no longer matches the texts (always first);
* ``ambiguous``  a name several places share: the reader's choice and its runners-up, each
  with its country and its distance to the story's other places;
* ``estimated``  a place no data gives a point for, placed by estimate (a fort at the town
  it is named after): the reader says where it put it and why;
* ``unplaced``   a name read as a place that nothing could place;
* ``person``     a name read as a person that is also a place name;
* ``counted``    an event dated by counting from another date: "Two days later", "On
  Tuesday", "In January" after December, a clock time read in a narrated night ("At 10:30"
  after "At 22:00" is 22:30; "shortly after midnight" is the next day) — with the date it
  was counted from, so the reviewer sees why;
* ``inherited``  an event dated from an earlier sentence (its own names no date).

Each item carries the correction that *accepts* what the reader did (posting it confirms
the reading and the item leaves the list) and what it needs to be corrected instead.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..geo.admin1 import division_name
from ..model import Event, Story
from ..text.folding import fold
from .apply import Unmatched, describe, event_matches
from .model import Corrections

if TYPE_CHECKING:
    from ..geo.gazetteer import Gazetteer
    from ..pipeline.analysis import DocumentAnalysis
    from ..pipeline.dates import DateExpr
    from ..resolvers.base import Candidate

__all__ = ["Choice", "ReviewItem", "review", "review_json"]

_COARSE = frozenset({"country", "region", "sea", "river", "continent"})


@dataclass(frozen=True)
class Choice:
    """One place a name could be, for the reviewer: where it is and how far from the story."""

    id: str
    name: str
    kind: str
    country: str
    lat: float
    lon: float
    distance_km: int | None
    source: str
    chosen: bool = False
    #: the first-level division by name ("Pennsylvania"), "" when unknown
    division: str = ""
    #: an online answer near enough the document's places to be pinned (a proposal's best)
    best: bool = False

    def label(self) -> str:
        """"Columbia — town, Pennsylvania, US": what the reviewer tells namesakes apart by."""
        where = ", ".join(x for x in (self.kind, self.division, self.country) if x)
        return f"{self.name} — {where}" if where else self.name


@dataclass(frozen=True)
class ReviewItem:
    """One doubtful reading, with the correction that accepts it."""

    kind: str
    doubt: float
    doc: str
    text: str
    start: int
    end: int
    message: str
    key: str
    event_id: str = ""
    choices: tuple[Choice, ...] = ()
    accept: Mapping[str, Any] | None = None
    remove: tuple[str, int] | None = None
    count: int = 1
    extra: Mapping[str, str] = field(default_factory=dict)

    def line(self) -> str:
        """The item as one line for ``storymap review``."""
        where = f"{self.doc}:{self.start}" if self.doc else "-"
        head = f"{self.doubt:.2f}  {self.kind:<9}  {where}  {self.message}"
        # an unplaced name's message already names its first (best) online answer
        skip = 1 if self.kind == "unplaced" else 0
        runners = [c for c in self.choices[skip:] if not c.chosen][:3]
        if runners:
            head += "  — also: " + "; ".join(_choice_text(c) for c in runners)
        return head


def _choice_text(c: Choice) -> str:
    far = f", {c.distance_km} km away" if c.distance_km is not None else ""
    return f"{c.label()}{far}"


def review(story: Story, analyses: Sequence[DocumentAnalysis], *,
           corrections: Corrections | None = None, unmatched: Iterable[Unmatched] = (),
           gazetteer: Gazetteer | None = None,
           proposals: Mapping[tuple[str, str], Any] | None = None) -> list[ReviewItem]:
    """Return the doubtful readings of ``story`` (built from ``analyses``), most doubtful first.

    Readings a correction already settles are left out: an accepted item leaves the list.
    ``proposals`` are online answers by (document, folded name)
    (storymap.corrections.lookup.Proposal): an unplaced name shows them as its choices.
    """
    fixes = corrections or Corrections()
    centre = _centre(story)
    items: list[ReviewItem] = [_unmatched(u) for u in unmatched]
    for a in analyses:
        items += _names(a, story, fixes, centre, proposals or {})
        items += _people(a, fixes, gazetteer)
    items += _counted_dates(story, analyses, fixes)
    items += _inherited(story, fixes)
    items.sort(key=lambda x: (-x.doubt, x.doc, x.start))
    return items


def _unmatched(u: Unmatched) -> ReviewItem:
    return ReviewItem(kind="unmatched", doubt=1.0, doc=getattr(u.entry, "doc", "") or "",
                      text=describe(u.section, u.index, u.entry), start=0, end=0,
                      message=f"{describe(u.section, u.index, u.entry)} no longer matches "
                              f"({u.reason}); fix or delete it",
                      remove=(u.section, u.index),
                      key=f"unmatched:{u.section}:{u.index}")


def _settled(fixes: Corrections, doc: str, name: str) -> bool:
    key = fold(name)
    return any(fold(f.name) == key and f.doc in ("", doc) for f in fixes.names)


def _centre(story: Story) -> tuple[float, float] | None:
    pts = [(p.lat, p.lon) for p in story.places if p.kind not in _COARSE]
    if not pts:
        return None
    return statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts)


def _distance(c: Candidate, centre: tuple[float, float] | None) -> int | None:
    from ..geo.distance import distance_km

    return None if centre is None else round(distance_km(c.lat, c.lon, *centre))


def _names(a: DocumentAnalysis, story: Story, fixes: Corrections,
           centre: tuple[float, float] | None,
           proposals: Mapping[tuple[str, str], Any]) -> list[ReviewItem]:
    seen: dict[str, list[Any]] = {}
    records = {(m.doc, m.start, m.end): m for m in story.mentions}
    lookup = {p.index: p for p in a.passages}
    for r in a.mentions:
        key = fold(r.mention.name)
        if r.mention.how == "corrected" or _settled(fixes, a.id, r.mention.text):
            continue
        start, end = lookup[r.mention.passage].source_span(r.mention.start, r.mention.end)
        if key in seen:
            seen[key][1] += 1
            continue
        seen[key] = [r, 1, start, end]
    out = []
    for key, (r, count, start, end) in seen.items():
        text = r.mention.text
        if r.place is None:
            if (a.id, start, end) not in records:
                continue
            found = proposals.get((a.id, key))
            offered = _proposed(found, centre)
            message = (f"{text!r} reads as a place but nothing places it ({count}×); "
                       "place it on the map, or say it is not a place")
            if offered:
                best = next((c for c in offered if c.best), None)
                message += (f"; online: {_choice_text(best)}" if best else
                            f"; online only far away: {_choice_text(offered[0])}")
            out.append(ReviewItem(
                kind="unplaced", doubt=0.8, doc=a.id, text=text, start=start, end=end,
                count=count, key=f"unplaced:{a.id}:{key}", message=message, choices=offered,
                accept={"names": [{"doc": a.id, "name": text, "not_a_place": True}]}))
            continue
        if r.place.estimated:
            # the estimate first (chosen), then any online answers asked for it
            offered = _proposed(proposals.get((a.id, key)), centre)
            best = next((c for c in offered if c.best), None)
            online = f"; online: {_choice_text(best)}" if best else ""
            out.append(ReviewItem(
                kind="estimated", doubt=0.75, doc=a.id, text=text, start=start, end=end,
                count=count, key=f"estimated:{a.id}:{key}",
                choices=(*_choices(r.place, (), centre), *offered),
                message=(f"{text!r} ({count}×) placed by estimate: {r.place.source}; "
                         f"accept it, or place it where it was{online}"),
                accept={"names": [{"doc": a.id, "name": text, "place": r.place.id}]}))
            continue
        cands = a.candidates.get(key, ())
        if len({c.id for c in cands}) < 2:
            continue
        choices = _choices(r.place, cands, centre)
        chosen, runner = choices[0], choices[1]
        far = (chosen.distance_km or 0) > 2 * (runner.distance_km or 0) + 50
        doubt = 0.9 if far else 0.6 + min(0.2, 0.02 * (len(choices) - 2))
        out.append(ReviewItem(
            kind="ambiguous", doubt=doubt, doc=a.id, text=text, start=start, end=end,
            count=count, key=f"ambiguous:{a.id}:{key}", choices=choices,
            message=f"{text!r} ({count}×) read as {_choice_text(chosen)}",
            accept={"names": [{"doc": a.id, "name": text, "place": r.place.id}]}))
    return out


def _choices(chosen: Candidate | None, cands: Sequence[Candidate],
             centre: tuple[float, float] | None, *, best: str = "") -> tuple[Choice, ...]:
    ordered = [chosen, *[c for c in cands if c.id != chosen.id]] if chosen else list(cands)
    seen: set[str] = set()
    out = []
    for c in ordered:
        if c.id in seen:
            continue
        seen.add(c.id)
        out.append(Choice(id=c.id, name=c.name, kind=c.kind, country=c.country, lat=c.lat,
                          lon=c.lon, distance_km=_distance(c, centre), source=c.source,
                          chosen=c is chosen, division=division_name(c.parent),
                          best=bool(best) and c.id == best))
    return tuple(out)


def _proposed(found: Any, centre: tuple[float, float] | None) -> tuple[Choice, ...]:
    """The online answers for a name not placed or placed by estimate, as choices (the
    best one first)."""
    if found is None or not found.answers:
        return ()
    answers = sorted(found.answers, key=lambda c: c.id != found.best)
    return _choices(None, answers, centre, best=found.best)


def choices_json(cands: Sequence[Candidate], story: Story, *,
                 nearest_first: bool = False) -> list[dict[str, Any]]:
    """Places as the editor lists them: kind, division, country and distance from the
    story's places, with a ``label`` ("Columbia — town, Pennsylvania, US")."""
    from dataclasses import asdict

    choices = list(_choices(None, cands, _centre(story)))
    if nearest_first:
        choices.sort(key=lambda c: c.distance_km if c.distance_km is not None else 1 << 30)
    return [{**asdict(c), "label": c.label()} for c in choices]


def _people(a: DocumentAnalysis, fixes: Corrections,
            gazetteer: Gazetteer | None) -> list[ReviewItem]:
    gaz = gazetteer
    if gaz is None:
        from ..geo.gazetteer import load_gazetteer

        gaz = load_gazetteer()
    lookup = {p.index: p for p in a.passages}
    out: dict[str, ReviewItem] = {}
    for person in a.people:
        key = fold(person.name)
        if key in out:
            out[key] = _counted(out[key])
            continue
        if _settled(fixes, a.id, person.name) or not gaz.lookup(key):
            continue
        start, end = lookup[person.passage].source_span(person.start, person.end)
        out[key] = ReviewItem(
            kind="person", doubt=0.7, doc=a.id, text=person.name, start=start, end=end,
            key=f"person:{a.id}:{key}",
            message=f"{person.name!r} read as a person, but it is also a place name",
            accept={"names": [{"doc": a.id, "name": person.name, "person": True}]})
    return list(out.values())


def _counted(item: ReviewItem) -> ReviewItem:
    from dataclasses import replace

    return replace(item, count=item.count + 1)


def _inherited(story: Story, fixes: Corrections) -> list[ReviewItem]:
    by_doc: dict[str, list[tuple[int, int, str]]] = {}
    for d in story.dates:
        by_doc.setdefault(d.doc, []).append((d.start, d.end, d.text))
    out = []
    for e in story.events:
        s = e.sources[0]
        dates = by_doc.get(s.doc, [])
        if any(s.start <= a < s.end for a, _, _ in dates):
            continue
        if any(event_matches(f, e, story) for f in fixes.events):
            continue
        before = [t for a, _, t in dates if a < s.start]
        source = f" (from {before[-1]!r})" if before else ""
        out.append(ReviewItem(
            kind="inherited", doubt=0.5, doc=s.doc, text=e.title, start=s.start, end=s.end,
            event_id=e.id, key=f"inherited:{e.id}",
            message=f"{_when(e)} taken from an earlier sentence{source}: {e.title!r}",
            accept={"events": [{"id": e.id, "date": e.date}]}))
    return out


_CLOCK = re.compile(r"\b([0-9]{1,2})[:.][0-9]{2}\b")


def _counted_dates(story: Story, analyses: Sequence[DocumentAnalysis],
                   fixes: Corrections) -> list[ReviewItem]:
    """Events whose date the reader counted from another date, with that date."""
    starts: dict[str, list[tuple[int, Event]]] = {}
    for e in story.events:
        for s in e.sources:
            starts.setdefault(s.doc, []).append((s.start, e))
    out: dict[str, ReviewItem] = {}
    for a in analyses:
        passages = {p.index: p for p in a.passages}
        told = sorted(starts.get(a.id, ()), key=lambda x: x[0])
        for d in a.dates:
            if not d.basis or not _guessed(d):
                continue
            at, _ = passages[d.passage].source_span(d.start, d.end)
            event = next((e for start, e in reversed(told) if start <= at
                          and any(s.doc == a.id and s.start <= at < s.end for s in e.sources)
                          and e.date == d.date), None)
            if event is None or event.id in out \
                    or any(event_matches(f, event, story) for f in fixes.events):
                continue
            out[event.id] = ReviewItem(
                kind="counted", doubt=0.45, doc=a.id, text=event.title, start=at,
                end=at + len(d.text), event_id=event.id, key=f"counted:{event.id}",
                message=f"{d.text!r} read as {_when(event)}, counted from {d.basis!r} "
                        f"({d.basis_date}): {event.title!r}",
                accept={"events": [{"id": event.id, "date": event.date}]},
                extra={"basis": d.basis, "basis_date": d.basis_date})
    return list(out.values())


def _guessed(d: DateExpr) -> bool:
    """True if a date was counted, not just carried: a relative date, a weekday, a month
    turned into the next year, or a clock time moved by the night it was told in."""
    if d.kind == "relative":
        return d.date != d.basis_date[:len(d.date)]  # "that evening" counts nothing
    if d.kind == "partial":
        return d.basis_date[:4] != d.date[:4]
    if d.kind != "time":
        return False
    if d.date != d.basis_date[:10]:
        return True
    written = _CLOCK.search(d.text)
    return bool(written and d.time and d.time[:1].isdigit()
                and int(written.group(1)) != int(d.time[:2]))


def _when(e: Event) -> str:
    return e.date + (f" {e.time}" if e.time else "")


def review_json(items: Sequence[ReviewItem]) -> list[dict[str, Any]]:
    """The items as JSON-ready dicts (for the edit page)."""
    from dataclasses import asdict

    return [{**asdict(i), "remove": list(i.remove) if i.remove else None,
             "choices": [{**asdict(c), "label": c.label()} for c in i.choices]}
            for i in items]
