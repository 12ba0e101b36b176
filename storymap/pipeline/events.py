"""Stage 5: resolved places + date expressions → events.

One event per sentence, or per clause when a sentence names several dates: the sentence
splits at its clause cuts ("…, and …", ";"), each place takes the date of its clause
(the nearest before it there, else the first after it). Words come from the profile
(``storymap/lang/<code>/events.yaml``).
A sentence without a date inherits one only where a careful reader would: from an earlier
sentence of the same paragraph that set the date, unless it opens by moving elsewhere in
time or place ("In another case", "Earlier", "Meanwhile"). A paragraph without a date of
its own continues the narration's day when the narration goes on from that day: the next
date the section sets is a day at most ``CONTINUES_DAYS`` later ("On Monday … ¶ The rebels
then seized the Four Courts. ¶ On Tuesday …"). Headings, titles, captions and list labels
(``Passage.structure``) and questions are never events. Events with the same dates and
places whose sentences say nearly the same thing merge, within and across documents
(storymap.pipeline.merge).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date as _date
from typing import Generic, TypeVar

from ..lang.cache import PerProfile
from ..lang.profile import Profile
from ..model import Event, PlaceRef, SourceRef, stable_id
from ..model.kinds import COARSE_KINDS
from ..text.passages import Passage
from .dates import DateExpr
from .mentions import Mention
from .merge import merge_events
from .people import Person
from .resolve import ResolvedMention
from .titles import title_of

__all__ = ["CONTINUES_DAYS", "build_events", "merge_events", "title_of"]

#: A dateless paragraph continues the day of the one before it when the narration's next
#: date is that day or at most this many days later: day-by-day narration, not a jump.
CONTINUES_DAYS = 7

_T = TypeVar("_T")

#: Kinds too coarse to pin for an event: they stay mentions (text view, mentions export).


def _alt(words: Sequence[str]) -> str:
    out = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in out)


@dataclass(frozen=True)
class _Lexicon:
    """The words of the event rules, from the profile's ``events.yaml``."""

    no_inherit: re.Pattern[str]  # openings that move elsewhere in time or place
    same_time: re.Pattern[str]  # openings that carry the previous paragraph's date
    points_back: re.Pattern[str]  # "They …": about the places of the sentence before
    # A date sets the frame for the sentences that follow only when it opens its sentence:
    # "Two days earlier, on 30 October, …" — not "They later withdrew on 29 October".
    frame_words: frozenset[str]
    commentary: re.Pattern[str]  # commentary is not narration: it never inherits a date
    clause_cut: re.Pattern[str]


def _lexicon_of(p: Profile) -> _Lexicon:
    def opening(key: str) -> re.Pattern[str]:
        return re.compile(rf"^(?:{_alt(p.phrases(key))})\b", re.IGNORECASE)

    return _Lexicon(
        no_inherit=opening("no_inherit_openings"), same_time=opening("same_time_openings"),
        points_back=opening("points_back_openings"),
        frame_words=p.words("frame_opening_words"),
        commentary=re.compile(rf"\b(?:{_alt(p.phrases('commentary_words'))})\b", re.IGNORECASE),
        clause_cut=re.compile(rf"\s*[;:]\s+|\s*[–—]\s+|,?\s+(?:{_alt(p.phrases('clause_conjunctions'))})"
                              rf"\s+|,\s+(?:{_alt(p.phrases('clause_comma_words'))})\s+",
                              re.IGNORECASE),
    )


_lexicon = PerProfile(_lexicon_of)


@dataclass(frozen=True)
class _When:
    date: str
    precision: str
    end_date: str | None
    time: str | None
    minute: int | None = field(default=None, compare=False)  # the order key of the time


def _when(d: DateExpr) -> _When:
    return _When(d.date, d.precision, d.end_date, d.time, d.minute)


def build_events(passages: Sequence[Passage], resolved: Sequence[ResolvedMention],
                 dates: Sequence[DateExpr], people: Sequence[Person], *,
                 profile: Profile | None = None) -> tuple[Event, ...]:
    """Return the events of the passages (dated sentences or clauses), duplicates merged.

    ``profile`` gives the words of the rules (English by default).
    """
    lex = _lexicon(profile)
    by_passage: dict[tuple[str, int], list[ResolvedMention]] = {}
    named_by: dict[tuple[str, int], list[Mention]] = {}
    for r in resolved:
        named_by.setdefault((r.mention.doc, r.mention.passage), []).append(r.mention)
        if r.place is not None:
            by_passage.setdefault((r.mention.doc, r.mention.passage), []).append(r)
    dates_by: dict[int, list[DateExpr]] = {}
    for d in dates:
        dates_by.setdefault(d.passage, []).append(d)
    people_by: dict[int, list[Person]] = {}
    for person in people:
        people_by.setdefault(person.passage, []).append(person)
    full_names = _full_names(people)

    events: list[Event] = []
    carried: _When | None = None  # the date at the end of the previous paragraph
    section = -1
    following = _next_anchors(passages, dates_by)
    for p in passages:
        if p.section != section:
            carried, section = None, p.section
        pdates = dates_by.get(p.index, [])
        if p.structure:  # a heading frames the dates below it (the date stage) but tells nothing
            carried = None
            continue
        places = [r for r in by_passage.get((p.doc, p.index), [])
                  if r.place is not None and r.place.kind not in COARSE_KINDS
                  and r.mention.how != "eponym"]
        current: _When | None = carried if lex.same_time.match(p.text) else None
        if current is None and carried is not None and not _LIST_ITEM.match(p.text) \
                and _goes_on(carried, following.get(p.index)):
            current = replace(carried, time=None, minute=None)  # the day goes on; no hour said
        previous: list[ResolvedMention] = []
        in_dates = _Spans(pdates, [d.start for d in pdates])
        in_places = _Spans(places, [r.mention.start for r in places])
        named = named_by.get((p.doc, p.index), [])  # every name read as a place, for titles
        in_names = _Spans(named, [m.start for m in named])
        pp = people_by.get(p.index, [])
        in_people = _Spans(pp, [x.start for x in pp])
        for a, b in p.sentences():
            s_dates, s_places, s_people = in_dates.take(a, b), in_places.take(a, b), \
                in_people.take(a, b)
            sentence = p.text[a:b]
            if not p.lost_letters and _QUESTION.search(sentence):
                continue  # a question to the reader ("Why did they surrender?") tells nothing
            if current is not None and s_dates and not any(
                    d.anchor or d.precision == "day" for d in s_dates):
                s_dates = []  # an aside ("a statue erected in 1951") in day-by-day narration
            if s_dates:
                if not s_places and previous and lex.points_back.match(sentence):
                    s_places = previous
                groups = _clauses(p.text, a, b, s_dates, s_places, lex)
                frames = [d for d in s_dates
                          if d.anchor and d.precision == "day" and _opens(p.text[a : d.start], lex)]
                if frames:
                    current = _when(frames[-1])
                elif any(d.anchor for d in s_dates):
                    current = None  # the narration moved to another time
            elif (current is not None and s_places and not lex.no_inherit.match(sentence)
                  and not lex.commentary.search(sentence)):
                groups = [(current, s_places, (a, b))]
            else:
                groups = []
            for when, members, (ca, cb) in groups:
                clause_people = [x for x in s_people if ca <= x.start < cb] \
                    if (ca, cb) != (a, b) else s_people
                # The clause's date expressions and names, as offsets into its text: a
                # leading date drops from the title, a name is never cut.
                spans = [(d.start - ca, d.end - ca) for d in s_dates if ca <= d.start < cb]
                names = [(m.start - ca, m.end - ca) for m in in_names.take(ca, cb)]
                names += [(x.start - ca, x.end - ca) for x in clause_people]
                pins = [(r.mention.start - ca, r.mention.end - ca) for r in members
                        if ca <= r.mention.start < cb]
                events.append(_event(p, a, b, when, members, clause_people, full_names,
                                     title=title_of(p.text[ca:cb], profile=profile,
                                                    dates=spans, names=names, places=pins)))
            previous = s_places
        carried = current
    return tuple(merge_events(events))


#: A list item ("- arrange the withdrawal …", "2. …"): a point, not narration going on.
_LIST_ITEM = re.compile(r"\s*(?:[-*•]|[0-9]{1,2}[.)])\s")
#: A sentence that asks: its last mark, before closing quotes or brackets, is "?".
_QUESTION = re.compile(r"\?[\"'”’)\]]*\s*\Z")


def _next_anchors(passages: Sequence[Passage],
                  dates_by: Mapping[int, Sequence[DateExpr]]) -> dict[int, DateExpr | None]:
    """Map each passage to the first date that sets the narration from it on, in its section."""
    out: dict[int, DateExpr | None] = {}
    nxt: DateExpr | None = None
    section: int | None = None
    for p in reversed(passages):
        if p.section != section:
            nxt, section = None, p.section
        anchors = [d for d in dates_by.get(p.index, ()) if d.anchor]
        if anchors:
            nxt = min(anchors, key=lambda d: d.start)
        out[p.index] = nxt
    return out


def _goes_on(carried: _When | None, nxt: DateExpr | None) -> bool:
    """True if the narration goes on from the ``carried`` day to its next date ``nxt``.

    Both are days and ``nxt`` is the same day or at most ``CONTINUES_DAYS`` later: the
    paragraph between them tells the carried day. A jump back, a coarse date or the end of
    the section leaves the paragraph undated.
    """
    if carried is None or nxt is None or carried.precision != "day" or nxt.precision != "day":
        return False
    try:
        gap = (_date.fromisoformat(nxt.date) - _date.fromisoformat(carried.date)).days
    except ValueError:
        return False
    return 0 <= gap <= CONTINUES_DAYS


class _Spans(Generic[_T]):
    """Items of a passage by start offset: those of one sentence found by bisection.

    One long line may hold thousands of sentences: filtering every item per sentence
    was quadratic.
    """

    def __init__(self, items: Sequence[_T], starts: Sequence[int]) -> None:
        order = sorted(range(len(items)), key=lambda i: starts[i])
        self.items = [items[i] for i in order]
        self.starts = [starts[i] for i in order]

    def take(self, a: int, b: int) -> list[_T]:
        return self.items[bisect.bisect_left(self.starts, a):bisect.bisect_left(self.starts, b)]


def _opens(prefix: str, lex: _Lexicon) -> bool:
    """True if only framing words ("Two days earlier, on") stand before a date."""
    if len(prefix) > 200:
        return False  # no run of framing words is this long; keeps long sentences linear
    return all(w in lex.frame_words or w.isdigit() for w in re.findall(r"[^\W_]+", prefix.lower()))


_Group = tuple[_When, list[ResolvedMention], tuple[int, int]]


def _clauses(text: str, a: int, b: int, s_dates: Sequence[DateExpr],
             s_places: Sequence[ResolvedMention], lex: _Lexicon) -> list[_Group]:
    """Split a sentence naming several dates into clauses, each with its date and places.

    "Troops entered Prague on 21 August, and the leaders were flown to Moscow on 23
    August": a clause runs from one cut ("and", "but", ";" …) to the next, and a clause
    without a date of its own belongs to the one before. Within a clause, each place is
    tied to the date right after it ("at Brest on 3 March"), else to the nearest date
    before it, else to the first after it.
    """
    order = sorted(s_dates, key=lambda d: d.start)
    whens = [_when(d) for d in order]
    if len(set(whens)) == 1:
        return [(whens[0], list(s_places), (a, b))]
    if not s_places:
        # A sentence with no place is one event when a date opens it and sets its narration
        # ("On the afternoon of 3 June the army was ordered to clear the square by the next
        # morning"). Dates in passing (a summary's span, "… on 4 November, and until …") none.
        main = next((d for d in order if d.anchor and _opens(text[a:d.start], lex)), None)
        return [] if main is None else [(_when(main), [], (a, b))]
    cuts = [m for m in lex.clause_cut.finditer(text, a, b)
            if not any(d.start < m.end() and m.start() < d.end for d in order)]
    spans: list[list[int]] = []  # [start, end] of clauses, each holding a date
    start = a
    for edge in [*(m.start() for m in cuts), b]:
        if any(start <= d.start < edge for d in order) or not spans:
            spans.append([start, edge])
        else:
            spans[-1][1] = edge
        start = next((m.end() for m in cuts if m.start() == edge), b)
    if len(spans) > 1 and not any(spans[0][0] <= d.start < spans[0][1] for d in order):
        spans[1][0] = spans[0][0]  # a dateless opening clause belongs to the next
        del spans[0]
    groups: dict[_When, _Group] = {}
    for r in s_places:
        ca, cb = next(((x, y) for x, y in spans if x <= r.mention.start < y), (a, b))
        mine = [d for d in order if ca <= d.start < cb] or order
        # "… signed at Brest on 3 March": a date right after the place is its date.
        right = [d for d in mine if d.start >= r.mention.end and d.anchor
                 and not text[r.mention.end:d.start].strip(" ,")]
        before = [d for d in mine if d.end <= r.mention.start]
        d = right[0] if right else before[-1] if before else mine[0]
        if len(spans) == 1:
            ca, cb = a, b
        group = groups.setdefault(_when(d), (_when(d), [], (ca, cb)))
        group[1].append(r)
    return list(groups.values())


def _event(p: Passage, a: int, b: int, when: _When, members: Sequence[ResolvedMention],
           s_people: Sequence[Person], full_names: Mapping[str, str], *, title: str) -> Event:
    quote = p.text[a:b]
    start, end = p.source_span(a, b)
    refs: list[PlaceRef] = []
    for r in members:
        assert r.place is not None
        ref = PlaceRef(place_id=r.place.id, mention=r.mention.text)
        if all(x.place_id != ref.place_id for x in refs):
            refs.append(ref)
    names: list[str] = []
    for person in s_people:
        name = full_names.get(person.name.split()[-1], person.name)
        if name not in names:
            names.append(name)
    # The id comes from where the sentence stands, not from its date or places, so it
    # survives rebuilds and corrections; clauses of one sentence are told apart by the
    # pipeline (storymap.pipeline._distinct_ids).
    return Event(id=stable_id("e", p.doc, start, end), date=when.date, precision=when.precision,
                 title=title, quote=quote, places=tuple(refs),
                 sources=(SourceRef(p.doc, start, end),),
                 end_date=when.end_date, time=when.time, people=tuple(names),
                 time_order=when.minute if when.time else None)


def _full_names(people: Sequence[Person]) -> dict[str, str]:
    """Map surnames to the longest full name the text gives for them."""
    out: dict[str, str] = {}
    for person in people:
        parts = person.name.split()
        if len(parts) >= 2 and len(person.name) > len(out.get(parts[-1], "")):
            out[parts[-1]] = person.name
    return out
