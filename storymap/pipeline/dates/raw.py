"""The ``Raw`` record of one date expression as written, and the joining of two into one.

``Raw`` is what ``datetext.scan`` returns and what the date stage resolves; ``_join`` makes
one expression of two neighbours ("By 02:00" + "on 24 October"). They live apart from the
scanner so that the handlers of pattern hits (``datehits``), which make ``Raw`` records,
and the scanner, which joins them, can both import the record without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from storymap.lang.profile import load_profile
from storymap.pipeline.dates.datepatterns import Grammar

__all__ = ["PARTS_OF_DAY", "Raw"]

#: The values of ``Raw.time`` besides clock times (English profile: ``parts_of_day``).
PARTS_OF_DAY: tuple[str, ...] = load_profile("en").phrases("parts_of_day")  # the grammar's,
# read from the profile: building the whole grammar here cost every import 30 ms


@dataclass(frozen=True)
class Raw:
    """One expression as written: explicit parts, a relative part, a time; offsets into the text.

    ``unit``/``shift`` is the relative part ("day" +1 = the next day); it applies to the
    explicit date when there is one ("two days before 23 October"), else to the context.
    """

    start: int
    end: int
    prep: str = ""
    year: int | None = None
    month: int | None = None
    day: int | None = None
    end_year: int | None = None
    end_month: int | None = None
    end_day: int | None = None
    time: str | None = None
    unit: str = ""
    shift: int = 0
    weekday: int | None = None
    weekday_dir: int = 0  # +1 "next Sunday", -1 "last Sunday", 0 on or after the context
    #: The weekday a text writes with a date ("Sunday, 2 September 1666"): its calendar's
    #: (England's was still Julian, ten days behind), which weekdays after it count from.
    stated_weekday: int | None = None
    memoir: bool = False  # yesterday/today/tomorrow: only next to a dated sentence
    needs_date: bool = False  # "the day after …", "the evening of …": only joined to a date
    block: bool = False  # not a date ("1956-os", "the 1980s"); hides what overlaps it
    #: A clock time a 12-hour clock may mean twelve hours later: "10:30", "at six o'clock"
    #: (no a.m./p.m., no leading zero, no "hrs"); the narration decides (dates.night).
    clock12: bool = False
    season: int | None = None  # "the next spring": the month its season starts (unit "season")
    easter: int | None = None  # "on Good Friday": days from Easter Sunday of the year in view

    @property
    def explicit(self) -> bool:
        """True when the text names a year, month or day (a movable feast names a day)."""
        return (self.year is not None or self.month is not None or self.day is not None
                or self.easter is not None)


    @property
    def relative(self) -> bool:
        """True when the date is counted from another one ("the next day", "on Sunday")."""
        return bool(self.unit) or self.weekday is not None


def _time_rank(t: str | None) -> int:
    """Which of two times to keep when joining: a clock time, then midnight, then a part."""
    return 0 if t is None else 3 if t[0].isdigit() else 2 if t == "midnight" else 1


def _join(a: Raw, b: Raw, text: str, g: Grammar) -> Raw | None:
    """Join two neighbours into one expression ("By 02:00" + "on 24 October"), or None."""
    gap = text[a.end:b.start]
    if _clock_range(a, b, text, g):
        # "Between 08:00 and 09:00", "from 08:00 to 09:00": one span of time that begins
        # at its first clock; read as two times, the later one would date what follows.
        return replace(a, end=b.end)
    if len(gap) > 10 or g.gap.fullmatch(gap) is None or (b.needs_date and b.unit):
        return None
    if a.explicit and b.explicit:
        return None
    clocks = [t for t in (a.time, b.time) if t and t[0].isdigit()]
    if len(clocks) == 2:
        return None
    time = max(a.time, b.time, key=_time_rank)
    clock12 = a.clock12 if time == a.time else b.clock12
    if a.explicit or b.explicit:
        d, other = (a, b) if a.explicit else (b, a)
        year_shift = other.unit == "year" and d.year is None and d.month is not None
        if d.day is None and not year_shift:
            return None  # a time or "the next day" needs a day, not "in 1951"
        keep = year_shift or (other is a and a.needs_date)  # "two days before 23 October"
        # "Before dawn on 19 May": the bound is the time's; the date is still "on" one.
        prep = a.prep or d.prep
        if d is b and a.time and not a.relative and (b.prep or gap.strip()):
            prep = b.prep or " ".join(gap.split()).lower()
        return replace(d, start=a.start, end=b.end, prep=prep, time=time, clock12=clock12,
                       unit=other.unit if keep else d.unit, shift=other.shift if keep else d.shift,
                       stated_weekday=other.weekday if d.day is not None else None)
    if a.relative == b.relative:
        return None  # two bare times, or two relative dates
    r = a if a.relative else b
    if r.unit and r.needs_date:
        return None  # "the day after" needs a date after it, not a time
    prep = a.prep or r.prep
    return replace(r, start=a.start, end=b.end, prep=prep, time=time, clock12=clock12,
                   needs_date=r.needs_date and not prep)  # "On the afternoon of Tuesday"


def _clock_range(a: Raw, b: Raw, text: str, g: Grammar) -> bool:
    """True if ``a`` and ``b`` are the two clocks of one range ("between 08:00 and 09:00")."""
    bare = all(r.time and r.time[0].isdigit() and not r.explicit and not r.relative
               and not r.needs_date for r in (a, b))
    if not bare or b.prep or b.start - a.end > 8:
        return False
    m = g.number_range.search(text, a.start, b.start)
    if m is None or m.start() != a.end - 1:
        return False
    if "and" in m.group().lower():  # "08:00 and 09:00" is two times unless "between" opens it
        return a.prep == "between" or text[max(0, a.start - 8):a.start].lower().rstrip() \
            .endswith("between")
    return True
