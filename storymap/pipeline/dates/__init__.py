"""Stage 4: passages → resolved date expressions (``DateExpr``), read as a careful reader would.

``datetext.scan`` finds the expressions of each passage; this module resolves them by walking
the passages in order with a context (the date, month and year the narration is at).

Decisions:

- **Sections.** The context resets at every heading: to the year the heading names, else to
  the text's frame: the year of its dateline or title line ("Petrograd, 1917", "Richmond,
  Va., March 5, 1864."), else ``default_year`` (the text's dominant year, ``story_year``).
  Never to a year read further down the section ("On 24 October … On 17 June 1953 …" stays
  1956), so one later year never rewrites the dates before it.
- **Day numbers alone** ("on the 3rd") move forward from the narration's day into the next
  month; in a text with a dated dateline (a letter, a report) they look back from the day
  of writing; "instant" and "ultimo" name the month.
- **No year at all**: partial dates are left out, and ``warn_if_yearless`` says so.
- **Years of partial dates** ("On 22 October") come from the context. A context in the
  section's base year, or one at day precision (day-by-day narration), carries across
  paragraphs; another year named only as a year or month ("By 1963, …", "In May 1957, …")
  holds for its own paragraph. The year never rolls over because a month is earlier than the
  context's (history texts jump back) — only "the following year" moves it.
- **Anchors** set the context; other expressions are resolved but leave it alone. Not anchors:
  expressions in parentheses, after a bound ("until", "since", "before", "after"), in a
  relative clause ("that was erected in 1951"), used as a modifier or name ("the 1989
  protests", "the Revolution of 1956", "the 31 October meeting"), a date as subject ("23
  October is a holiday"), or a bare year named mid-sentence in day-by-day narration of
  another year (an aside). Anchors: the sentence's opening phrase ("Two days earlier, on 30
  October, …", "At the Melbourne Olympics in 1956, …"), and expressions after "on", "by",
  "in", "at", "during", "from", "between".
- **Relative** days need a context day (else they are dropped); "yesterday/today/tomorrow" only
  a context day set in the same paragraph (memoir style; in an encyclopaedia "today" is now);
  a weekday is the next one on or after the context day (``resolve`` for weeks, seasons,
  "since Monday" and the turn of the year). Below a heading that names no date, relative
  dates and times count from the last day the section before told ("The strikes ¶ On
  Monday …"), if it is in the section's year. Each counted date keeps the words and date of
  the one it was counted from (``DateExpr.basis``), for the review list.
- **Times** alone take the context day, placed within the narrated night (``night``): "At
  10:30" after "At 22:00" is 22:30, "shortly after midnight" and "By 01:30" the next day.
- **Plans** are not the narration: a date after "ordered to", "planned to" … (``plan_words``)
  is no anchor ("ordered to clear the square by six the next morning"). A bound on a time is
  the time's ("Before dawn on 19 May" is an anchor on 19 May).
- **Headings** (marked up, or plain-text ``Passage.structure``) frame the dates below them:
  their dates are anchors.
- **Coarser**: months and years keep their precision; seasons become years; decades are skipped.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from storymap.lang.profile import Profile
from storymap.model.calendar import shift_of
from storymap.pipeline.dates.anchors import Words, is_anchor, words
from storymap.pipeline.dates.datetext import Raw, scan, us_style
from storymap.pipeline.dates.night import place
from storymap.pipeline.dates.resolve import (
    Point,
    View,
    iso,
    precision,
    resolve,
    resolve_day_only,
    written_day,
)
from storymap.text.passages import Passage

__all__ = ["DateExpr", "dominant_year", "find_dates", "story_year", "warn_if_yearless",
           "year_weights"]


@dataclass(frozen=True)
class DateExpr:
    """A date expression of a passage, resolved to an ISO date cut to its precision."""

    passage: int
    start: int
    end: int
    text: str
    date: str
    precision: str
    end_date: str | None
    time: str | None
    kind: str
    anchor: bool
    #: Where its time stands on its day, in minutes: the key a day's events are ordered by
    #: (storymap.pipeline.dates.night); None without a time.
    minute: int | None = None
    #: For a date counted from another ("Two days later", "On Tuesday", "At 10:30"): the
    #: words and the ISO date of the one it was counted from, so a reviewer sees why.
    basis: str = ""
    basis_date: str = ""
    #: The weekday the text writes with it (0 = Monday), or None.
    weekday: int | None = None


@dataclass(frozen=True)
class _Context:
    base: int | None  # the section's year
    year: int | None = None
    month: int | None = None
    day: date | None = None
    passage: int = -1  # where the last anchor was
    basis: tuple[str, str] = ("", "")  # the words and ISO date of that anchor
    clock: int | None = None  # the narration's clock on ``day`` (storymap.pipeline.dates.night)
    clock_basis: tuple[str, str] = ("", "")  # the words and ISO date of the last time told

    def frame(self, passage: int) -> tuple[int | None, int | None, date | None]:
        """Return the (year, month, day) that holds at ``passage``."""
        if self.year is None:
            return self.base, None, None
        if self.year == self.base or self.day is not None or self.passage == passage:
            return self.year, self.month, self.day
        return self.base, None, None


def find_dates(passages: Sequence[Passage], *, default_year: int | None = None,
               profile: Profile | None = None) -> tuple[DateExpr, ...]:
    """Find and resolve every date expression of the passages, in text order.

    ``default_year`` (else the passages' ``story_year``) dates what no context dates.
    Expressions that cannot be resolved (a partial date without any year, "the next day"
    without a day) are left out; this never raises on text.

    >>> from storymap.text.passages import normalise
    >>> ps = normalise("On 23 October 1956 , at 20 : 00 , they met . The next day , tanks came .")
    >>> [(d.text, d.date, d.time, d.kind) for d in find_dates(ps)]
    [('On 23 October 1956, at 20:00', '1956-10-23', '20:00', 'absolute'), \
('The next day', '1956-10-24', None, 'relative')]
    """
    if default_year is None:
        default_year = story_year([p.text for p in passages], profile=profile)
    us = us_style([p.text for p in passages], profile=profile)
    w = words(profile)
    head = _dateline(passages, us=us, profile=profile)
    if head is not None and head.year is not None:
        default_year = head.year  # the dateline's or title's year frames the whole text
    written = written_day(head)
    found: list[DateExpr] = []
    # The text's weekdays against the calendar's (resolve.View.weekday_shift): None until
    # it writes a date with its weekday (storymap.model.calendar).
    shift: int | None = None
    ctx = _Context(base=default_year)
    told: _Context | None = None  # the last day or month the narration told, in any section
    section: int | None = None
    for p in passages:
        if p.section != section:
            section = p.section
            ctx = _Context(base=_heading_year(p.heading) or default_year)
        raws = scan(p.text, us_style=us, profile=profile)
        openings = [a for a, _ in p.sentences()] if raws else []
        for raw in raws:
            view, seen = _view(ctx, told, p.index, w, shift)
            resolved = resolve_day_only(raw, view.day, p.text, written,
                                        this_month=w.this_month, last_month=w.last_month) \
                or resolve(raw, view)
            if resolved is None:
                continue
            first, last, kind = resolved.first, resolved.last, resolved.kind
            stated = None
            if raw.stated_weekday is not None and first[1] and first[2]:
                stated = raw.stated_weekday  # the text's weekday of a day: its calendar
                shift = shift_of(date(first[0], first[1], first[2]), stated)
            time, minute, clock = raw.time, None, None
            if raw.time and precision(first) == "day" and last is None:
                placed = place(raw.time, clock12=raw.clock12, profile=profile,
                               narration=seen.clock if kind == "time" else None,
                               new_paragraph=seen.passage != p.index)
                if placed.shift:
                    first = _shifted(first, placed.shift)
                time, minute, clock = placed.time, placed.minute, placed.clock
            # The sentence's start (bisect: one long line holds thousands of sentences),
            # read back at most _LOOKBACK characters so a sentence without end stays linear.
            at = bisect.bisect_right(openings, raw.start) - 1
            opening = max(openings[at] if at >= 0 else 0, raw.start - _LOOKBACK)
            at_head = head is not None and p is passages[0] and raw.start == head.start
            # A heading's date frames the section below it ("Day two: 2 July", "The night
            # of 3–4 June"); only one in parentheses is an aside.
            framing = p.structure and p.text[:raw.start].count("(") <= p.text[:raw.start].count(")")
            anchor = at_head or framing or is_anchor(p.text, opening, raw, kind, first,
                                                     view.day, w)
            text = p.text[raw.start:raw.end]
            # What it was counted from: a time from the last time told, else the day.
            basis = ("", "") if kind == "absolute" or at_head else \
                seen.clock_basis if kind == "time" and seen.clock_basis[0] else seen.basis
            found.append(DateExpr(passage=p.index, start=raw.start, end=raw.end, text=text,
                                  date=iso(first), precision=precision(first),
                                  end_date=iso(last) if last else None, time=time,
                                  kind=kind, anchor=anchor, minute=minute,
                                  basis=basis[0], basis_date=basis[1], weekday=stated))
            if resolved.rolled and anchor:
                default_year = first[0]  # the narration turned into the next year
            if not anchor:
                continue
            if kind == "time":  # the narrated day stays; its clock moves on
                ctx = replace(seen, clock=clock, passage=p.index, clock_basis=(text, iso(first)))
            else:
                y, m, d = first
                ctx = _Context(base=first[0] if resolved.rolled else ctx.base, year=y, month=m,
                               day=date(y, m, d) if m and d else None, passage=p.index,
                               basis=(text, iso(first)), clock=clock,
                               clock_basis=(text, iso(first)) if time else ("", ""))
            if ctx.month is not None:
                told = ctx
    return tuple(found)


def _view(ctx: _Context, told: _Context | None, passage: int,
          w: Words, shift: int | None = None) -> tuple[View, _Context]:
    """What an expression of ``passage`` is read against, and the context that says so.

    The section's context; where it has no day yet (just below a heading), relative dates
    and times count from the last day the narration told in the section before, if that day
    is in the section's year ("The strikes ¶ On Monday …").
    """
    year, month, day = ctx.frame(passage)
    seen = ctx
    if day is None and told is not None and told.day is not None \
            and (year is None or told.day.year == year) and month is None:
        seen = told
    return View(year=year, month=month, day=day if seen is ctx else seen.day,
                told=(told.year, told.month) if told is not None and told.year is not None
                and told.month is not None else None,
                same_paragraph=ctx.passage == passage, back_preps=w.back_preps,
                weekday_shift=shift), seen


def _shifted(point: Point, days: int) -> Point:
    y, m, d = point
    if m is None or d is None:
        return point
    moved = date(y, m, d) + timedelta(days=days)
    return moved.year, moved.month, moved.day


_LOOKBACK = 400


_YEAR_TOKEN = re.compile(r"(?<![0-9,.$])(1[0-9]{3}|20[0-9]{2})(?![0-9]|[,.][0-9]|s\b|['’]s\b)")
_AT_JOIN = re.compile(r" ?@([-,.])@ ?")


def story_year(texts: Sequence[str], *, profile: Profile | None = None) -> int | None:
    """Return the dominant year of the texts: most mentioned, full dates weighing three times.

    Ties go to the earlier year; None when no text names a year.

    >>> story_year(["In 1945 …, on 23 October 1956 , … 1956 @-@ os …", "until 10 November 1956"])
    1956
    >>> story_year(["No years here, only 2 @,@ 500 people and the 1980s."]) is None
    True
    """
    counts: Counter[int] = Counter()
    for text in texts:
        counts.update(year_weights(text, profile=profile))
    return dominant_year(counts)


def year_weights(text: str, *, profile: Profile | None = None) -> Counter[int]:
    """Return how much ``text`` names each year (:func:`story_year` adds the texts' up).

    >>> year_weights("On 4 July 1863 … in 1863 and 1864")
    Counter({1863: 4, 1864: 1})
    """
    counts: Counter[int] = Counter()
    w = words(profile)
    text = _AT_JOIN.sub(r"\1", text)
    for m in _YEAR_TOKEN.finditer(text):
        full = w.full_date_before.search(text, max(0, m.start() - 24), m.start())
        counts[int(m.group(1))] += 3 if full else 1
    return counts


def dominant_year(counts: Mapping[int, int]) -> int | None:
    """Return the year of most weight in ``counts`` (ties: the earlier), None if empty."""
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], -y))


_DATELINE_LENGTH = 160


def _dateline(passages: Sequence[Passage], *, us: bool, profile: Profile | None) -> Raw | None:
    """Return the date of the text's dateline or title line, if it has one, else None.

    "Petrograd, 1917", "Richmond, Va., March 5, 1864.", "HEADQUARTERS …, FORT SMITH, ARK.,
    May 5, 1863": the text's first expression with a year, within its first line and
    preceded only by names (capitalised words, abbreviations, "of", "the" …). Its year
    frames the text until a date says otherwise; its day is the day of writing.
    """
    if not passages:
        return None
    first = passages[0]
    text = first.text[:_DATELINE_LENGTH]
    bare = _YEAR_TOKEN.search(text)  # "Petrograd, 1917": a year alone is no date in prose
    w = words(profile)
    for raw in scan(text, us_style=us, profile=profile):
        if bare is not None and bare.start() < raw.start:
            break
        if raw.year is None:
            if raw.explicit:
                return None  # a date without a year opens the text: no dateline
            continue
        return raw if _heads(first.text, raw.start, raw.end, w) else None
    if bare is not None and _heads(first.text, bare.start(), bare.end(), w):
        return Raw(bare.start(), bare.end(), year=int(bare.group(1)))
    return None


# After a dateline: its end, or the next line's capital ("…, 1864. Sir:", "…, 1863 Corporal").
_HEAD_END = re.compile(r"[\s.,:;]*(?:$|[(\[A-ZÀ-Þ])")


def _heads(text: str, start: int, end: int, w: Words) -> bool:
    """True if ``text[start:end]`` ends a heading line: only names before it, a new line after."""
    prefix = text[:start]
    return (not w.title_word.sub(" ", prefix).strip() and not w.prose_opener.match(prefix)
            and _HEAD_END.match(text, end) is not None)


_log = logging.getLogger("storymap")


def warn_if_yearless(passages: Sequence[Passage], *, profile: Profile | None = None) -> bool:
    """Say so (one warning on the ``storymap`` logger) if the text has dates but no year at all.

    Its days and months cannot be dated: they are left out rather than guessed. Returns
    True if it warned. The pipeline calls this for a text that neither names a year nor
    gets one from ``--year`` or the other texts of its story.
    """
    if story_year([p.text for p in passages], profile=profile) is not None \
            or any(_heading_year(p.heading) for p in passages):
        return False
    us = us_style([p.text for p in passages], profile=profile)
    undated = sum(1 for p in passages for r in scan(p.text, us_style=us, profile=profile)
                  if r.month is not None or r.day is not None)
    if not undated:
        return False
    doc = passages[0].doc or "the text"
    _log.warning("%s names no year, so its %d date%s without one %s left out; "
                 "give the year with --year YEAR", doc, undated, "" if undated == 1 else "s",
                 "is" if undated == 1 else "are")
    return True


def _heading_year(heading: str) -> int | None:
    years = set(_YEAR_TOKEN.findall(heading))
    return int(years.pop()) if len(years) == 1 else None
