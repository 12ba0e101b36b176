"""Resolve one scanned expression against what the narration is at (a :class:`View`).

``storymap.pipeline.dates.find_dates`` walks the passages and keeps the narration's context;
this module turns one ``Raw`` expression and that context into dates: explicit dates take
the missing year or month from it, relative ones are counted from its day.

Decisions (with those in ``storymap.pipeline.dates``):

- **Weekdays** are the next one on or after the narration's day ("On Monday, 24 April … On
  Tuesday"); after "since" (``weekday_back_preps``) the one on or before it, as a span to the
  narration's day ("had been under fire since Monday" on Friday: Monday to Friday). They are
  counted in the text's own calendar when it wrote a date with its weekday ("Sunday, 2
  September 1666 … By Tuesday" is the 4th: England's calendar was still the Julian), and in
  the Julian calendar before the Gregorian reform when it wrote none
  (``storymap.model.calendar``: "On Saturday 14 October 1066 … the next Monday" is the 16th).
- **Weeks.** "The following week" is the calendar week after the narration's, Monday to
  Sunday (a span); "a week later" is seven days on.
- **Seasons.** "The next spring" is the year of the first spring after the narration's month;
  "that summer" the narration's year (a season is kept as its year).
- **The turn of the year.** A month without a year at most two months after the narration's
  month across the new year ("In January" after December) is in the next year; the text's
  year then moves with it. History texts jump back, so a month further away never rolls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ...model.calendar import written_weekday
from .datetext import Raw

__all__ = ["ROLL_MONTHS", "Point", "View", "iso", "precision", "resolve", "resolve_day_only"]

Point = tuple[int, int | None, int | None]

#: A month named without a year this many months or fewer after the narration's month, across
#: the new year, is the next year's ("In January" after December; not "In May" after October).
ROLL_MONTHS = 2


@dataclass(frozen=True)
class View:
    """What the narration is at when an expression is read."""

    year: int | None
    month: int | None
    day: date | None
    #: The last month the narration told (year, month), here or before the section began.
    told: tuple[int, int] | None = None
    #: True when a day was set in this paragraph ("yesterday" needs one next to it).
    same_paragraph: bool = False
    back_preps: frozenset[str] = frozenset()
    #: Days the text's weekdays run ahead of the (proleptic Gregorian) calendar's, from a
    #: date it wrote with its weekday: "Sunday, 2 September 1666" is a Thursday in ours.
    #: None: it wrote none (Julian before the reform; storymap.model.calendar).
    weekday_shift: int | None = None


@dataclass(frozen=True)
class Resolved:
    """An expression's dates: ``first`` (and ``last`` for a span), its kind, and whether it
    turned the narration into the next year."""

    first: Point
    last: Point | None
    kind: str
    rolled: bool = False


def iso(point: Point) -> str:
    """Return the ISO date of a point cut to its precision ("1956-10", "1956-10-23")."""
    y, m, d = point
    return f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if m and d else "")


def precision(point: Point) -> str:
    """Return "day", "month" or "year" for a point."""
    return "day" if point[1] and point[2] else "month" if point[1] else "year"


def _day(d: date) -> Point:
    return d.year, d.month, d.day


def resolve(raw: Raw, view: View) -> Resolved | None:
    """Return the dates of one expression, or None if it cannot be dated."""
    year, month, day = view.year, view.month, view.day
    try:
        if raw.explicit:
            return _resolve_explicit(raw, view)
        if raw.memoir and not view.same_paragraph:
            return None
        if raw.weekday is not None:
            return _weekday(raw, view)
        if raw.unit == "season" and raw.season is not None and year is not None:
            return Resolved(_season(raw, year, month), None, "relative")
        if raw.unit == "week" and day is not None:
            monday = day - timedelta(days=written_weekday(day, view.weekday_shift)) \
                + timedelta(weeks=raw.shift)  # the text's own week (its calendar's weekdays)
            return Resolved(_day(monday), _day(monday + timedelta(days=6)), "relative")
        if raw.unit == "year" and year is not None:
            return Resolved((year + raw.shift, None, None), None, "relative")
        if raw.unit == "month" and year is not None and month is not None:
            y, m = divmod(year * 12 + month - 1 + raw.shift, 12)
            return Resolved((y, m + 1, None), None, "relative")
        if day is None or raw.unit not in ("", "day"):
            return None
        shifted = day + timedelta(days=raw.shift)
        return Resolved(_day(shifted), None, "relative" if raw.unit else "time")
    except (ValueError, OverflowError):  # 31 November, year 10000
        return None


def _weekday(raw: Raw, view: View) -> Resolved | None:
    day = view.day
    if day is None or raw.weekday is None:
        return None
    today = written_weekday(day, view.weekday_shift)  # the narration's day, as the text names it
    if raw.prep in view.back_preps:  # "since Monday": the Monday before, up to now
        back = day - timedelta(days=(today - raw.weekday) % 7)
        return Resolved(_day(back), _day(day) if back < day else None, "relative")
    ahead = (raw.weekday - today) % 7
    if raw.weekday_dir < 0:
        ahead = ahead - 7 if ahead else -7
    elif raw.weekday_dir > 0 and not ahead:
        ahead = 7
    return Resolved(_day(day + timedelta(days=ahead)), None, "relative")


def _season(raw: Raw, year: int, month: int | None) -> Point:
    start = raw.season or 1
    if raw.shift > 0:  # the first such season after the narration's month
        return (year if month is not None and month < start else year + 1), None, None
    if raw.shift < 0:
        return (year - 1 if month is None or month <= start else year), None, None
    return year, None, None


def _resolve_explicit(raw: Raw, view: View) -> Resolved | None:
    year, month = view.year, view.month
    if raw.easter is not None:  # "on Good Friday": Easter Sunday of its year, and the offset
        y = raw.year if raw.year is not None else year
        if y is None:
            return None
        return Resolved(_day(easter_sunday(y) + timedelta(days=raw.easter)), None,
                        "absolute" if raw.year is not None else "partial")
    kind = "absolute" if raw.year is not None or raw.end_year is not None else "partial"
    m = raw.month if raw.month is not None else month if raw.day is not None else None
    if raw.day is not None and m is None:
        return None  # "on the 30th" with no month in view
    y = raw.year
    rolled = False
    if y is None and raw.end_year is not None:  # "28 October – 4 November 1956"
        y = raw.end_year - int((m or 1, raw.day or 1) > (raw.end_month or 12, raw.end_day or 31))
    if y is None:
        if year is None:
            return None
        y = year + (raw.shift if raw.unit == "year" else 0)
        told = view.told
        if raw.month is not None and raw.unit != "year" and told is not None \
                and told[0] == year and raw.month < told[1] \
                and (raw.month - told[1]) % 12 <= ROLL_MONTHS:
            y, rolled = y + 1, True  # "In January" after December: the next year
    first: Point = (y, m, raw.day)
    if m is not None:
        date(y, m, raw.day or 1)  # raises on 31 November
    if raw.unit == "day" and raw.shift and raw.day is not None and m is not None:
        first = _day(date(y, m, raw.day) + timedelta(days=raw.shift))
    if raw.end_year is None and raw.end_month is None:
        return Resolved(first, None, kind, rolled)
    em, ed = raw.end_month, raw.end_day
    ey = raw.end_year
    if ey is None:
        ey = y + int((em or 12, ed or 31) < (m or 1, raw.day or 1))
    last: Point = (ey, em, ed)
    if em is not None:
        date(ey, em, ed or 1)
    if (ey, em or 0, ed or 0) <= (y, m or 0, raw.day or 0):
        return None
    return Resolved(first, last, kind, rolled)


def written_day(head: Raw | None) -> date | None:
    """The day a letter or report was written (its dateline's full date), or None."""
    if head is None or head.year is None or head.month is None or head.day is None:
        return None
    try:
        return date(head.year, head.month, head.day)
    except ValueError:
        return None


def resolve_day_only(raw: Raw, day: date | None, text: str, written: date | None, *,
                     this_month: re.Pattern[str],
                     last_month: re.Pattern[str]) -> Resolved | None:
    """Date "on the 3rd" from the day the narration is at, or None to resolve it as usual.

    Narration moves forward: a day number below the context's day is in the next month
    ("A week later [27 November] … on the 3rd" is 3 December). A letter or report looks
    back from the day it was ``written`` (its dateline): "May 5 … on the 2nd" is 2 May,
    "on the 28th" 28 April; "instant" and "ultimo" (``this_month``, ``last_month`` after
    the number) name that month and the one before.
    """
    if raw.day is None or raw.month is not None or raw.year is not None \
            or raw.end_month is not None or raw.end_year is not None or raw.unit:
        return None
    day = written or day  # a day in view holds across paragraphs
    if day is None:
        return None
    if this_month.match(text, raw.end):
        shift = 0
    elif last_month.match(text, raw.end):
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
    return Resolved((y, m + 1, raw.day), None, "partial")


def easter_sunday(year: int) -> date:
    """Western Easter Sunday of ``year``: the Gregorian computus from 1583, the Julian one
    before (as a date of the Julian calendar, which the texts of those years wrote).

    >>> easter_sunday(1916), easter_sunday(1956), easter_sunday(2024)
    (datetime.date(1916, 4, 23), datetime.date(1956, 4, 1), datetime.date(2024, 3, 31))
    >>> easter_sunday(1415)
    datetime.date(1415, 3, 31)
    """
    if year < 1583:  # Julian (Meeus)
        a, b, c = year % 4, year % 7, year % 19
        d = (19 * c + 15) % 30
        e = (2 * a + 4 * b - d + 34) % 7
        month, day = divmod(d + e + 114, 31)
        return date(year, month, day + 1)
    a, b, c = year % 19, year // 100, year % 100  # Gregorian (anonymous, Meeus/Jones/Butcher)
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)

