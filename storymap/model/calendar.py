"""The weekday a history text gives a date: dates are kept as written, in its calendar.

storymap keeps a date as the text writes it ("2 September 1666" is ``1666-09-02``) and
counts days with Python's ``date``, the proleptic Gregorian calendar. Counting days is
the same in any calendar; naming their weekdays is not. Before the Gregorian reform (15
October 1582) a history text's dates are Julian — historians' convention, and the
calendar the sources wrote — and some countries kept the Julian one for centuries after
(Britain until 1752, Russia until 1918). Between, only the text can say, by writing a
date with its weekday ("Sunday, 2 September 1666", a Thursday in the Gregorian calendar):
its *shift*, the days its weekdays run ahead of the proleptic Gregorian ones.

A text that writes no weekday with a date is read in the Julian calendar before the
reform and in the Gregorian one after it (:func:`default_shift`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from .parts import DateRecord

__all__ = ["REFORM", "default_shift", "julian_shift", "shift_of", "text_shifts",
           "written_weekday"]

#: The first day of the Gregorian calendar (Thursday 4 October 1582, Julian, was followed
#: by Friday 15 October 1582).
REFORM = date(1582, 10, 15)


def julian_shift(day: date) -> int:
    """Days (0–6) the weekday of ``day``, read as a Julian date, runs ahead of its weekday
    in the proleptic Gregorian calendar.

    >>> hastings = date(1066, 10, 14)  # a Saturday (Julian); a Sunday read as Gregorian
    >>> (hastings.weekday() + julian_shift(hastings)) % 7  # 0 is Monday
    5
    """
    a = (14 - day.month) // 12
    y = day.year + 4800 - a
    m = day.month + 12 * a - 3
    julian_day = day.day + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083
    return (julian_day - (day.toordinal() + 1721425)) % 7


def default_shift(day: date) -> int:
    """The shift of a text that writes no weekday with a date: Julian before the reform."""
    return julian_shift(day) if day < REFORM else 0


def written_weekday(day: date, shift: int | None) -> int:
    """The weekday (0 = Monday) a text gives ``day`` when its weekdays run ``shift`` days
    ahead of the proleptic Gregorian ones (None: it never said; :func:`default_shift`).

    >>> written_weekday(date(1666, 9, 2), 3), written_weekday(date(1956, 10, 23), None)
    (6, 1)
    """
    return (day.weekday() + (default_shift(day) if shift is None else shift)) % 7


def shift_of(day: date, weekday: int) -> int:
    """The shift of a text that writes ``day`` with ``weekday`` (0 = Monday)."""
    return (weekday - day.weekday()) % 7


def text_shifts(dates: Iterable[DateRecord]) -> dict[str, int]:
    """Each document's shift, from the days it writes with their weekdays (the shift most
    of them say; one slip of the pen does not move a text's calendar). A document that
    writes none is not listed."""
    said: dict[str, Counter[int]] = {}
    for d in dates:
        if d.weekday is None or d.precision != "day":
            continue
        try:
            day = date.fromisoformat(d.date)
        except ValueError:
            continue
        said.setdefault(d.doc, Counter())[shift_of(day, d.weekday)] += 1
    return {doc: counts.most_common(1)[0][0] for doc, counts in said.items()}
