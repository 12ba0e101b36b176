"""Date and time expressions in running text: the pure, context-free half of the date stage.

``scan(text)`` finds every date, range, time and relative expression in one normalised
passage and returns them as ``Raw`` records, in text order and without overlaps. It knows
nothing of context: "On 22 October" comes back with no year, "the next day" as a shift of
one day. ``storymap.pipeline.dates`` resolves them against the narration.

Conventions (decisions, documented here and in ``storymap.pipeline.dates``):

- Month names count only capitalised ("may" and "march" are verbs); a bare month ("In
  October") needs a preposition or "early/late/mid/the end of" before it.
- Decades ("the 1980s") are not dates; seasons ("the summer of 1956") are kept as years.
- Ambiguous slashed dates (05/06/1956) read day first unless ``us_style`` is set.
- Times are "HH:MM" (24 h), or one of ``PARTS_OF_DAY``; noon is "12:00".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from storymap.lang.cache import PerProfile
from storymap.lang.profile import Profile, load_profile
from storymap.pipeline.dates.datepatterns import Grammar, grammar, trie

__all__ = ["PARTS_OF_DAY", "Raw", "month_number", "parse_clock", "scan", "us_style"]

#: The values of ``Raw.time`` besides clock times (English profile: ``parts_of_day``).
PARTS_OF_DAY: tuple[str, ...] = load_profile("en").phrases("parts_of_day")  # the grammar's,
# read from the profile: building the whole grammar here cost every import 30 ms


def month_number(word: str, *, profile: Profile | None = None) -> int | None:
    """Return the number (1–12) of a month name or abbreviation of the profile (English).

    >>> month_number("Oct."), month_number("September"), month_number("október")
    (10, 9, 10)
    >>> month_number("Moon") is None
    True
    """
    return grammar(profile).month_number(word)


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
_Entry = tuple[int, re.Pattern[str], re.Pattern[str], bool, _Handler]


@dataclass(frozen=True)
class _Index:
    grammar: Grammar
    by_start: dict[str, list[_Entry]]
    trigger: re.Pattern[str]


def _build_index(profile: Profile) -> _Index:
    """Index each pattern under the tokens that can start it ("#" for any number)."""
    g = grammar(profile)
    by_start: dict[str, list[_Entry]] = {}
    for rank, (name, (pattern, back)) in enumerate(g.patterns.items()):
        for word in g.starts.get(name, "#").split():
            by_start.setdefault(word, []).append(
                (rank, pattern, g.back[back], back in g.needs_back,
                 _HANDLERS.get(name, _calendar)))
    trigger = re.compile(r"[0-9]+|\b" + trie([w for w in by_start if w[0] != "#"]) + r"\b")
    return _Index(g, by_start, trigger)


_index = PerProfile(_build_index)


def _lower(text: str) -> str:
    """Lower-case ``text`` keeping every offset ("İ".lower() is two characters)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low


def _hits(text: str, us: bool, ix: _Index) -> list[tuple[int, int, int, Raw]]:
    """Try each pattern only where a token that can start it stands."""
    found: list[tuple[int, int, int, Raw]] = []
    for token in ix.trigger.finditer(_lower(text)):
        core, word = token.start(), token.group()
        number = word[0].isdigit()
        if number:
            entries = ix.by_start["#4" if len(word) == 4 else "#" if len(word) < 3 else "#*"]
        else:
            entries = ix.by_start[word]
        for rank, pattern, back, needs_back, handler in entries:
            m = pattern.match(text, core)
            if m is None:
                continue
            if number and ix.grammar.not_date_before.search(text, max(0, core - 12), core):
                break  # "p. 1956", "Article 3", "$ 1956"
            b = back.search(text, max(0, core - 32), core)
            if b is None and needs_back:
                continue
            groups = m.groupdict()
            start = core
            if b is not None:
                groups.update(b.groupdict())
                start = b.start()
            raw = handler(_Hit(start, core, m.end(), text, groups, ix.grammar), us)
            if raw is not None and raw.end > raw.start:
                found.append((raw.start, raw.start - raw.end, rank, raw))
    return found


def scan(text: str, *, us_style: bool = False, profile: Profile | None = None) -> list[Raw]:
    """Find the date expressions of one passage: non-overlapping, in text order.

    >>> [(r.prep, r.year, r.month, r.day, r.time) for r in scan("By 02:00 on 24 October 1956")]
    [('on', 1956, 10, 24, '02:00')]
    >>> [(r.day, r.end_day, r.month) for r in scan("From 24 to 29 October, they fought.")]
    [(24, 29, 10)]
    >>> [(r.unit, r.shift) for r in scan("Two days later, 2,500 fled; the 1980s; 1956-os")]
    [('day', 2)]
    """
    ix = _index(profile)
    found = _hits(text, us_style, ix)
    found.sort(key=lambda f: f[:3])
    chosen: list[Raw] = []
    for start, _, _, raw in found:
        if chosen and start < chosen[-1].end and raw.prep:  # "the day after" + "after 23 Oct"
            skip = re.match(rf"(?:\S+\s+){{{len(raw.prep.split())}}}", text[start:raw.end])
            if skip and start + skip.end() >= chosen[-1].end:
                raw = replace(raw, start=start + skip.end(), prep="")
                start = raw.start
        if not chosen or start >= chosen[-1].end:
            chosen.append(raw)
    merged: list[Raw] = []
    for raw in (r for r in chosen if not r.block):
        joined = _join(merged[-1], raw, text, ix.grammar) if merged else None
        if joined is not None:
            merged[-1] = joined
        else:
            merged.append(raw)
    return [r for r in merged if not r.needs_date]


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
                       unit=other.unit if keep else d.unit, shift=other.shift if keep else d.shift)
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


def us_style(texts: Sequence[str], *, profile: Profile | None = None) -> bool:
    """Return True if the texts write dates month first (10/23/1956, October 23, 1956).

    Unambiguous slashed dates decide; without them, "October 23, 1956" must outnumber
    "23 October 1956".

    >>> us_style(["On 10/23/1956 and 11/4/1956"]), us_style(["05/06/1956; 23 October 1956"])
    (True, False)
    """
    g = grammar(profile)
    if not any(g.any_slash.search(t) for t in texts):
        return False  # the style matters only for slashed dates
    us = sum(len(g.us_slash.findall(t)) for t in texts)
    eu = sum(len(g.eu_slash.findall(t)) for t in texts)
    if us or eu:
        return us > eu
    return (sum(len(g.month_first.findall(t)) for t in texts)
            > sum(len(g.day_first.findall(t)) for t in texts))
