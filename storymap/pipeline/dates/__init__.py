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
  a weekday is the next one on or after the context day. Times alone take the context day.
- **Coarser**: months and years keep their precision; seasons become years; decades are skipped.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from storymap.lang.cache import PerProfile
from storymap.lang.profile import Profile
from storymap.pipeline.dates.datetext import Raw, scan, us_style
from storymap.text.passages import Passage

__all__ = ["DateExpr", "find_dates", "story_year", "warn_if_yearless"]


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


@dataclass(frozen=True)
class _Context:
    base: int | None  # the section's year
    year: int | None = None
    month: int | None = None
    day: date | None = None
    passage: int = -1  # where the last anchor was

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
    w = _words(profile)
    head = _dateline(passages, us=us, profile=profile)
    if head is not None and head.year is not None:
        default_year = head.year  # the dateline's or title's year frames the whole text
    written = _written(head)
    found: list[DateExpr] = []
    ctx = _Context(base=default_year)
    section: int | None = None
    for p in passages:
        if p.section != section:
            section = p.section
            ctx = _Context(base=_heading_year(p.heading) or default_year)
        raws = scan(p.text, us_style=us, profile=profile)
        openings = [a for a, _ in p.sentences()] if raws else []
        for raw in raws:
            resolved = _resolve_day_only(raw, ctx, p.text, written, w) \
                or _resolve(raw, ctx, p.index)
            if resolved is None:
                continue
            first, last, kind = resolved
            # The sentence's start (bisect: one long line holds thousands of sentences),
            # read back at most _LOOKBACK characters so a sentence without end stays linear.
            at = bisect.bisect_right(openings, raw.start) - 1
            opening = max(openings[at] if at >= 0 else 0, raw.start - _LOOKBACK)
            at_head = head is not None and p is passages[0] and raw.start == head.start
            # A heading's date frames the section below it ("Day two: 2 July", "The night
            # of 3–4 June"); only one in parentheses is an aside.
            framing = p.structure and p.text[:raw.start].count("(") <= p.text[:raw.start].count(")")
            anchor = at_head or framing or _is_anchor(p.text, opening, raw, kind, first,
                                                      ctx.frame(p.index)[2], w)
            found.append(DateExpr(passage=p.index, start=raw.start, end=raw.end,
                                  text=p.text[raw.start:raw.end], date=_iso(first),
                                  precision=_precision(first),
                                  end_date=_iso(last) if last else None, time=raw.time,
                                  kind=kind, anchor=anchor))
            if anchor and kind != "time":
                y, m, d = first
                ctx = _Context(base=ctx.base, year=y, month=m,
                               day=date(y, m, d) if m and d else None, passage=p.index)
    return tuple(found)


_Point = tuple[int, int | None, int | None]
_LOOKBACK = 400


def _iso(point: _Point) -> str:
    y, m, d = point
    return f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if m and d else "")


def _precision(point: _Point) -> str:
    return "day" if point[1] and point[2] else "month" if point[1] else "year"


def _resolve(raw: Raw, ctx: _Context, passage: int) -> tuple[_Point, _Point | None, str] | None:
    """Return (first, last or None, kind) for one expression, or None if it cannot be dated."""
    year, month, day = ctx.frame(passage)
    try:
        if raw.explicit:
            return _resolve_explicit(raw, year, month)
        if raw.memoir and ctx.passage != passage:
            return None
        if raw.weekday is not None:
            if day is None:
                return None
            ahead = (raw.weekday - day.weekday()) % 7
            if raw.weekday_dir < 0:
                ahead = ahead - 7 if ahead else -7
            elif raw.weekday_dir > 0 and not ahead:
                ahead = 7
            return _day(day + timedelta(days=ahead)), None, "relative"
        if raw.unit == "year" and year is not None:
            return (year + raw.shift, None, None), None, "relative"
        if raw.unit == "month" and year is not None and month is not None:
            y, m = divmod(year * 12 + month - 1 + raw.shift, 12)
            return (y, m + 1, None), None, "relative"
        if day is None or raw.unit not in ("", "day"):
            return None
        shifted = day + timedelta(days=raw.shift)
        return _day(shifted), None, "relative" if raw.unit else "time"
    except (ValueError, OverflowError):  # 31 November, year 10000
        return None


# After a day number: "the 2nd instant" is of this month, "the 28th ultimo" of the last.


def _written(head: Raw | None) -> date | None:
    if head is None or head.year is None or head.month is None or head.day is None:
        return None
    try:
        return date(head.year, head.month, head.day)
    except ValueError:
        return None


def _resolve_day_only(raw: Raw, ctx: _Context, text: str, written: date | None,
                      w: _Words) -> tuple[_Point, _Point | None, str] | None:
    """Date "on the 3rd" from the day the narration is at, or None to resolve it as usual.

    Narration moves forward: a day number below the context's day is in the next month
    ("A week later [27 November] … on the 3rd" is 3 December). A letter or report looks
    back from the day it was ``written`` (its dateline): "May 5 … on the 2nd" is 2 May,
    "on the 28th" 28 April; "instant" and "ultimo" name that month and the one before.
    """
    if raw.day is None or raw.month is not None or raw.year is not None \
            or raw.end_month is not None or raw.end_year is not None or raw.unit:
        return None
    day = written or ctx.day  # a day in view holds across paragraphs (_Context.frame)
    if day is None:
        return None
    if w.this_month.match(text, raw.end):
        shift = 0
    elif w.last_month.match(text, raw.end):
        shift = -1
    elif written is not None:
        shift = -1 if raw.day > day.day else 0
    else:
        shift = 1 if raw.day < day.day else 0
    y, m = divmod(day.year * 12 + day.month - 1 + shift, 12)
    try:
        date(y, m + 1, raw.day)
    except ValueError:  # "the 31st" of a 30-day month
        return None
    return (y, m + 1, raw.day), None, "partial"


def _day(d: date) -> _Point:
    return d.year, d.month, d.day


def _resolve_explicit(raw: Raw, year: int | None,
                      month: int | None) -> tuple[_Point, _Point | None, str] | None:
    kind = "absolute" if raw.year is not None or raw.end_year is not None else "partial"
    m = raw.month if raw.month is not None else month if raw.day is not None else None
    if raw.day is not None and m is None:
        return None  # "on the 30th" with no month in view
    y = raw.year
    if y is None and raw.end_year is not None:  # "28 October – 4 November 1956"
        y = raw.end_year - int((m or 1, raw.day or 1) > (raw.end_month or 12, raw.end_day or 31))
    if y is None:
        if year is None:
            return None
        y = year + (raw.shift if raw.unit == "year" else 0)
    first: _Point = (y, m, raw.day)
    if m is not None:
        date(y, m, raw.day or 1)  # raises on 31 November
    if raw.unit == "day" and raw.shift and raw.day is not None and m is not None:
        first = _day(date(y, m, raw.day) + timedelta(days=raw.shift))
    if raw.end_year is None and raw.end_month is None:
        return first, None, kind
    em, ed = raw.end_month, raw.end_day
    ey = raw.end_year
    if ey is None:
        ey = y + int((em or 12, ed or 31) < (m or 1, raw.day or 1))
    last: _Point = (ey, em, ed)
    if em is not None:
        date(ey, em, ed or 1)
    if (ey, em or 0, ed or 0) <= (y, m or 0, raw.day or 0):
        return None
    return first, last, kind


def _alt(words: Sequence[str]) -> str:
    out = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in out)


@dataclass(frozen=True)
class _Words:
    """The words of the context rules, from the profile's ``dates.yaml``."""

    bound: frozenset[str]
    frame: frozenset[str]
    qualifiers: frozenset[str]
    determiners: frozenset[str]
    range_openers: frozenset[str]
    leaders: re.Pattern[str]
    relative: re.Pattern[str]
    copula: re.Pattern[str]
    this_month: re.Pattern[str]
    last_month: re.Pattern[str]
    title_word: re.Pattern[str]
    prose_opener: re.Pattern[str]
    full_date_before: re.Pattern[str]


def _words_of(p: Profile) -> _Words:
    months = _alt([m.capitalize() for m in (*p.table("months"), *p.table("month_abbreviations"))])
    ords = _alt(p.phrases("date_ordinals"))
    return _Words(
        bound=p.words("bound_words"), frame=p.words("frame_words"),
        qualifiers=p.words("date_qualifiers"), determiners=p.words("determiners"),
        range_openers=p.words("range_openers"),
        leaders=re.compile(rf"(?:(?:{_alt(p.phrases('sentence_leaders'))}|[0-9]+\.)[\s,]+)*",
                           re.IGNORECASE),
        relative=re.compile(rf"\b(?:{_alt(p.phrases('relative_pronouns'))})\b", re.IGNORECASE),
        copula=re.compile(rf"\s+(?:{_alt(p.phrases('copulas'))})\b"),
        this_month=re.compile(rf"\s+(?:{_alt(p.phrases('this_month_words'))})\b\.?",
                              re.IGNORECASE),
        last_month=re.compile(rf"\s+(?:{_alt(p.phrases('last_month_words'))})\b\.?",
                              re.IGNORECASE),
        title_word=re.compile(r"[A-ZÀ-Þ][\w'’.-]*|[0-9]+(?:st|nd|rd|th|d)?|"
                              rf"(?:{_alt(p.phrases('dateline_connectors'))})\b|"
                              r"[,.:;()\[\]&–—-]+"),
        prose_opener=re.compile(rf"(?i:{_alt(p.phrases('prose_openers'))})\b"),
        # Read backwards from a year: "23 October " or "October 23, " makes a full date.
        full_date_before=re.compile(
            rf"(?:\b[0-9]{{1,2}}(?:{ords})?\s+(?:{months})\b\.?\s*,?|"
            rf"\b(?:{months})\b\.?\s+[0-9]{{1,2}}(?:{ords})?\s*,)\s+\Z"),
    )


_WORD = re.compile(r"[^\W\d_][\w'’-]*|[0-9]+")


def _is_anchor(text: str, opening: int, raw: Raw, kind: str, first: _Point,
               context_day: date | None, w: _Words) -> bool:
    """Decide whether the narration that follows takes this expression as its date."""
    before = text[opening:raw.start]
    words = [w.lower() for w in _WORD.findall(before)]
    lead = raw.prep.split()[0] if raw.prep else (words[-1] if words else "")
    if lead in w.qualifiers:  # "until mid-1957"
        lead = words[-1] if words else ""
    if lead in w.range_openers and raw.end_year is None and raw.end_month is None:
        return False  # "from the previous day": a bound; only ranges start a time frame
    if before.count("(") > before.count(")") or lead in w.bound:
        return False
    if not raw.prep and w.copula.match(text, raw.end):
        return False  # "23 October is now a national holiday"
    if w.relative.search(re.split(r"[,;:–—]", before)[-1]):
        return False  # "the statue that was erected in 1951"
    head = w.leaders.sub("", before.strip(" ,"), count=1).strip(" ,")
    if not head or ("," not in before and len(words) <= 8 and text.startswith(",", raw.end)
                    and lead not in w.determiners):
        return True  # the sentence's opening phrase
    if raw.year is not None and raw.month is None and context_day is not None \
            and first[0] != context_day.year:
        return False  # a year named in passing within day-by-day narration
    if lead in w.frame:
        return True
    return kind in ("relative", "time") and lead not in w.determiners


_words = PerProfile(_words_of)
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
    w = _words(profile)
    for text in texts:
        text = _AT_JOIN.sub(r"\1", text)
        for m in _YEAR_TOKEN.finditer(text):
            full = w.full_date_before.search(text, max(0, m.start() - 24), m.start())
            counts[int(m.group(1))] += 3 if full else 1
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
    w = _words(profile)
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


def _heads(text: str, start: int, end: int, w: _Words) -> bool:
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
