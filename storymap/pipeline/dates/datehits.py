"""What each pattern hit of ``datetext.scan`` means: the handlers that make it a ``Raw`` date.

A pattern of ``datepatterns`` matches the shape of an expression; its handler (``_HANDLERS``,
by pattern name) reads the groups and decides whether the words are a date, a time or a
relative date at all ("the Polish October" is a name, "the 1500 troops" no year), and
returns the ``Raw`` record or None. They are apart from the scanner because they are the
one place that knows the meaning of each pattern's groups; the scanner only finds where
the patterns match.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from storymap.pipeline.dates.datepatterns import Grammar
from storymap.pipeline.dates.raw import Raw

__all__ = ["parse_clock"]


def parse_clock(hour: int, minute: int = 0, suffix: str = "") -> str | None:
    """Return "HH:MM" for a clock time, or None if it is not one.

    >>> parse_clock(9, 30, "p.m."), parse_clock(12, 0, "am"), parse_clock(20), parse_clock(25)
    ('21:30', '00:00', '20:00', None)
    """
    s = suffix.lower().replace(".", "").strip()
    if s in ("am", "pm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if s == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59) and (hour, minute) != (24, 0):
        return None
    return f"{hour:02d}:{minute:02d}"


@dataclass(frozen=True)
class _Hit:
    """A pattern match joined with what its backward pattern read before it."""

    start: int  # start of the whole expression (preposition included)
    core: int  # start of the pattern's own match
    end: int
    text: str
    groups: dict[str, str | None]
    g: Grammar

    def __getitem__(self, name: str) -> str:
        value = self.groups.get(name)
        assert value is not None, name
        return value


def _num(s: str | None) -> int | None:
    return int(s) if s else None


def _month(h: _Hit, s: str | None) -> int | None:
    return None if s is None else h.g.month_number(s) or (int(s) if s.isdigit() else None)


def _calendar(h: _Hit, us: bool) -> Raw | None:
    g = h.groups.get
    if g("a"):  # a slashed date: which number is the day?
        a, b = int(h["a"]), int(h["b"])
        day, month = (b, a) if (a <= 12 < b) or (us and a <= 12 and b <= 12) else (a, b)
        return None if month > 12 else Raw(h.start, h.end, year=int(h["y"]), month=month, day=day)
    start = h.start if g("prep") or g("the") or g("qual") else h.core
    raw = Raw(start, h.end, prep=_prep(h), year=_num(g("y")), month=_month(h, g("m")),
              day=_num(g("d")))
    if g("d2"):  # a range of days
        raw = replace(raw, end_year=_num(g("y2")), end_month=_month(h, g("m2")) or raw.month,
                      end_day=_num(g("d2")))
        if g("y2") is None and g("m2") is None:  # "24–29 October [1956]": one month, one year
            raw = replace(raw, end_year=raw.year)
        if raw.end_month == raw.month and (raw.end_day or 0) <= (raw.day or 0):
            return None
    elif g("m2"):  # a range of months
        raw = replace(raw, end_year=_num(g("y2")), end_month=_month(h, g("m2")))
        if raw.prep not in ("from", "between") and h["sep"] not in "–—-":
            return None
    if (g("sep") or "").lower() == "and" and raw.prep != "between":
        return None  # "on 4 and 9 November" is two dates
    return raw


def _bare_month(h: _Hit, us: bool) -> Raw | None:
    if not (h.groups.get("prep") or h.groups.get("qual")):
        return None  # a bare month needs "in", "by", "early", …: "the Polish October" is a name
    return Raw(h.start, h.end, prep=_prep(h), month=_month(h, h["m"]))


def _year(h: _Hit, us: bool) -> Raw | None:
    g = h.groups.get
    if g("y2"):  # a range of years: 1950–52, from 1950 to 1953, (1848? 49)
        y, tail = int(h["y"]), h["y2"]
        y2 = int(tail) if len(tail) == 4 else y // 100 * 100 + int(tail)
        if y2 <= y or (h["sep"].lower() == "and" and _prep(h) != "between"):
            return None
        return Raw(h.start if g("prep") else h.core, h.end, prep=_prep(h), year=y, end_year=y2)
    if h.g.count_noun.match(h.text, h.end) \
            or h.g.number_range.search(h.text, max(0, h.core - 16), h.core):
        return None  # "the 1500 troops", "from 75 to 1000"
    cue = (g("cue") or "").lower()
    if g("season") or cue in h.g.year_preps:
        return Raw(h.start, h.end, prep=_prep(h) or cue, year=int(h["y"]))
    return Raw(h.core, h.end, year=int(h["y"]))  # "the 1989 protests": a modifier


def _clock(h: _Hit, us: bool) -> Raw | None:
    g = h.groups.get
    if g("nm"):
        t: str | None = h.g.noon_words.get(h["nm"].lower(), "12:00")
        return None if t is None else Raw(h.start, h.end, prep=_prep(h), time=t)
    hour = h["h"]
    t = parse_clock(int(hour), int(g("mi") or 0), g("ampm") or "")
    # "10:30" or "6 o'clock" may be read on a 12-hour clock; "09:30", "21:00", "20:00 hrs"
    # and "10 p.m." may not.
    twelve = not g("ampm") and not g("hw24") and not hour.startswith("0") \
        and 1 <= int(hour) <= 12
    return None if t is None else Raw(h.start, h.end, prep=_prep(h), time=t, clock12=twelve)


def _word_clock(h: _Hit, us: bool) -> Raw | None:
    """ "six o'clock", "three in the morning", "by six the next morning": an hour in words."""
    g = h.groups.get
    word = h["hw"].lower()
    hour = h.g.numbers.get(word) if not word.isdigit() else int(word)
    if hour is None or not 1 <= hour <= 12:
        return None
    part = (g("pd") or g("ahead") or "").lower().split()
    if not (g("oc") or g("pd") or g("ahead")):
        return None  # a number alone is no time
    if not g("prep") and not g("oc") and not (g("pd") and word.isdigit()):
        return None  # "at six the next morning", "3 in the morning"; not "no one in the morning"
    suffix = ""
    if part:
        suffix = "am" if part[-1] in h.g.am_parts else "pm"
    t = parse_clock(hour, 0, suffix)
    return None if t is None else Raw(h.start, h.end, prep=_prep(h), time=t,
                                      clock12=not suffix)


def _part(h: _Hit, us: bool) -> Raw | None:
    g = h.groups.get
    if g("w"):
        w = h["w"].lower()
        if w not in h.g.part_alone and not g("prep"):
            return None  # "dawn" alone is a noun; "at dawn", "overnight" are times
        return Raw(h.start, h.end, prep=_prep(h), time=h.g.part_words[w])
    part, q = h["part"].lower(), (g("q") or "").lower()
    time = h.g.qualified_parts.get(f"{q} {part}")  # "the small hours", "the early morning"
    if part == "hours":
        if time is None:
            return None  # "the hours": no time
    elif not (g("prep") or g("of") or g("hours")):
        return None  # "the evening news"
    return Raw(h.start, h.end, prep=_prep(h), time=time or part, needs_date=bool(g("of")))


def _relative(h: _Hit, us: bool) -> Raw | None:
    g = h.g
    unit, word = g.unit_of(h["unit"].lower()), h["dir"].lower()
    if f"{word} {unit}" in g.present:
        return None  # "to this day" means the present
    if h.groups.get("season"):  # "the next spring", "that summer": a season's year
        return Raw(h.start, h.end, prep=_prep(h), unit="season", shift=g.directions[word],
                   season=g.season_months[unit])
    count = (h.groups.get("n") or "1").lower()
    n = g.numbers[count] if count in g.numbers else int(count)
    time = unit if unit in g.parts_of_day else None
    if unit in g.unit_days and h.groups.get("n") is None and word in g.calendar_words:
        # "the following week" is the calendar week after the narration's, Monday to
        # Sunday; "a week later" (a count) is seven days on.
        return Raw(h.start, h.end, prep=_prep(h), unit=unit, shift=g.directions[word])
    if unit in g.unit_days:  # "a week later": seven days
        unit, n = "day", g.unit_days[unit] * n
    elif time:
        unit = "day"
    needs = word in g.day_after and not re.match(r"\s*(?:[,.;:)]|$)", h.text[h.end:])
    return Raw(h.start, h.end, prep=_prep(h), unit=unit, shift=n * g.directions[word],
               time=time, needs_date=needs)


def _memoir(h: _Hit, us: bool) -> Raw | None:
    before = h.text[max(0, h.start - 12):h.start].lower().split()
    if before and before[-1] in h.g.memoir_not_after:
        return None  # "until today", "of tomorrow"
    return Raw(h.start, h.end, unit="day", shift=h.g.memoir_days[h["w"].lower()], memoir=True)


def _feast(h: _Hit, us: bool) -> Raw | None:
    name = " ".join(h["feast"].lower().replace("’", "'").split())
    year = _num(h.groups.get("y"))
    if name in h.g.movable_feasts:
        return Raw(h.start, h.end, prep=_prep(h), year=year, easter=h.g.movable_feasts[name])
    month, day, part = h.g.fixed_feasts[name]
    return Raw(h.start, h.end, prep=_prep(h), year=year, month=month, day=day,
               time=part or None)


def _weekday(h: _Hit, us: bool) -> Raw | None:
    wq = " ".join((h.groups.get("wq") or "").lower().split())
    return Raw(h.start, h.end, prep=_prep(h), weekday=h.g.weekdays[h["wd"]],
               weekday_dir=h.g.weekday_quals.get(wq, 0), time=h.groups.get("part") or None,
               needs_date=not (_prep(h) or wq))


def _ordinal(h: _Hit, us: bool) -> Raw | None:
    return Raw(h.start, h.end, prep=_prep(h), day=int(h["d"]))


def _block(h: _Hit, us: bool) -> Raw | None:
    return Raw(h.core, h.end, block=True)


def _prep(h: _Hit) -> str:
    p = h.groups.get("prep")
    return " ".join(p.lower().split()) if p else ""


_Handler = Callable[[_Hit, bool], Raw | None]
_HANDLERS: dict[str, _Handler] = {
    "month": _bare_month, "r_yy": _year, "season": _year, "year": _year, "clock": _clock,
    "ampm": _clock, "oclock": _clock, "noon": _clock, "part": _part, "part2": _part,
    "rel_next": _relative, "rel_that": _relative, "rel_n": _relative, "rel_day_ab": _relative,
    "rel_season": _relative, "wclock": _word_clock,
    "memoir": _memoir, "feast": _feast, "weekday": _weekday, "ordinal": _ordinal, "block": _block,
}
