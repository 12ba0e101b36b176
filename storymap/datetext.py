"""Date and time expressions in running text: the pure, context-free half of the date stage.

``scan(text)`` finds every date, range, time and relative expression in one normalised
passage and returns them as ``Raw`` records, in text order and without overlaps. It knows
nothing of context: "On 22 October" comes back with no year, "the next day" as a shift of
one day. ``storymap.dates`` resolves them against the narration.

Conventions (decisions, documented here and in ``storymap.dates``):

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

__all__ = ["PARTS_OF_DAY", "Raw", "month_number", "parse_clock", "scan", "us_style"]

PARTS_OF_DAY = ("early morning", "morning", "afternoon", "evening", "night", "midnight")

_FULL = ("January February March April May June July August September October November "
         "December").split()
_HU = ("január február március április május június július augusztus szeptember október "
       "november december").split()
_MONTHS = {name.lower(): n for n, name in enumerate(_FULL, 1)}
_MONTHS.update({name[:3].lower(): n for n, name in enumerate(_FULL, 1)})
_MONTHS.update({"sept": 9, **{name: n for n, name in enumerate(_HU, 1)}})
_WEEKDAYS = {d: n for n, d in enumerate("Monday Tuesday Wednesday Thursday Friday Saturday "
                                        "Sunday".split())}
_NUMBERS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten "
                                       "eleven twelve".split())}
_NUMBERS.update({"a": 1, "an": 1, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30})


def month_number(word: str) -> int | None:
    """Return the number (1–12) of an English or Hungarian month name or abbreviation.

    >>> month_number("Oct."), month_number("September"), month_number("október")
    (10, 9, 10)
    >>> month_number("Moon") is None
    True
    """
    return _MONTHS.get(word.rstrip(".").lower())


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

    @property
    def explicit(self) -> bool:
        """True when the text names a year, month or day."""
        return self.year is not None or self.month is not None or self.day is not None

    @property
    def relative(self) -> bool:
        """True when the date is counted from another one ("the next day", "on Sunday")."""
        return bool(self.unit) or self.weekday is not None


# --- Regular expressions, compiled once at import ---------------------------------------------
# Each pattern is tried only at the tokens that can start it (a number, a month name, "next",
# …): scanning the whole text once per pattern was twenty times slower. What may stand before
# the start ("on", "early", "the") is read afterwards by a small backward pattern.
_DAY = r"(?:[12][0-9]|3[01]|0[1-9]|[1-9])"
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
_YEND = r"\b(?![0-9]|[,.][0-9]|s\b|-[^\W_])"
_ORD = r"(?:st|nd|rd|th)?"
_FULL_ALT = "|".join(_FULL)
_SEP = r"\s*(?P<sep>[–—-]|(?i:to|until|till|through|and)\b)\s*"
_THE = r"(?:(?i:the)\s+)?"
_AMPM = r"(?P<ampm>[ap]\.m\.|[AP]\.M\.|[ap]\.m\b|[ap]m\b)"


def _mon(group: str) -> str:
    return (rf"(?P<{group}>(?:{_FULL_ALT})\b|"
            rf"(?:Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?:\.|\b))")


def _day(group: str) -> str:  # a day number that is not the tail of a longer number
    return rf"(?<![0-9,.])(?P<{group}>{_DAY})"


def _cap(*words: str) -> str:  # "Next|next": sentence-initial capital allowed
    return "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in words)


_PREPS = (r"on|by|in|at|during|from|between|until|till|since|before|after|around|about|"
          r"through|throughout|as\s+of|prior\s+to|up\s+to")
_QUALS = (r"early|late|mid|the\s+(?:end|beginning|start|middle|first\s+half|second\s+half|"
          r"first\s+days?|last\s+days?)\s+of")
_TPREPS = r"at|by|around|about|until|till|from|after|before|since|towards?"
_TQUALS = (r"around|about|approximately|roughly|exactly|precisely|shortly\s+after|"
           r"shortly\s+before|just\s+after|just\s+before|a\s+few\s+minutes\s+(?:after|before|past)")
_RPREPS = (r"on|by|in|at|during|from|until|till|since|before|after|through|throughout|over|"
           r"later|earlier|early|late|later\s+on|early\s+on")
_YEAR_CUES = (r"in|by|since|until|till|from|to|during|after|before|around|circa|c\.|ca\.|of|"
              r"for|early|late|mid|the|a|an|his|her|its|their|our|this|year")
_NUMWORD = "|".join(_NUMBERS)
_BACK_SRC = {
    "": r"\Z",
    "day": rf"(?:\b(?P<prep>{_PREPS})\s+)?(?:\b(?P<the>the)\s+)?\Z",
    "month": rf"(?:\b(?P<prep>{_PREPS})\s+)?(?:\b(?P<qual>{_QUALS})[\s-]+)?\Z",
    "year": rf"(?:\b(?P<prep>{_PREPS})\s+)?(?:\b(?P<cue>{_YEAR_CUES})[\s-]+|(?P<paren>\()\s*|"
            r"(?P<poss>['’]s)\s+|(?:\bthe\s+)?(?:\b(?:early|late|mid)[\s-]+)?"
            r"\b(?P<season>spring|summer|autumn|fall|winter)(?:\s+of)?,?\s+)\Z",
    "time": rf"(?:\b(?P<prep>{_TPREPS})\s+)?(?:\b(?:{_TQUALS})\s+)?\Z",
    "part": r"(?:\b(?P<prep>in|on|during|by|at|throughout|through|until|till|from|early\s+in|"
            r"late\s+in|later\s+in)\s+)?\bthe\s+(?:(?P<q>early|late|small)\s+)?\Z",
    "prep": r"(?:\b(?P<prep>by|in|at|until|around|from|before|after)\s+)?\Z",
    "rel": rf"(?:\b(?P<prep>{_RPREPS})\s+)?(?:\bthe\s+)?\Z",
    "rel_n": rf"(?:\b(?P<prep>{_RPREPS})\s+)?\b(?P<n>[0-9]{{1,2}}|{_NUMWORD})\s+\Z",
    "rel_the": rf"(?:\b(?P<prep>{_RPREPS})\s+)?\bthe\s+\Z",
    "weekday": rf"(?:\b(?P<prep>{_RPREPS})\s+)?(?:\b(?P<wq>last|next|that|this|the\s+following|"
               r"the\s+next|the\s+previous)\s+)?\Z",
    "ordinal": r"\b(?P<prep>on|by|until|till|from|since)\s+the\s+\Z",
}
_BACK = {name: re.compile(src, re.IGNORECASE) for name, src in _BACK_SRC.items()}
_NEEDS_BACK = frozenset(("year", "part", "rel_n", "rel_the", "ordinal"))  # must match

# (name, pattern, backward pattern)
_PATTERNS_SRC: list[tuple[str, str, str]] = [
    ("iso", r"(?P<y>" + _YEAR + r")(?<![0-9-][0-9]{4})-(?P<m>0[1-9]|1[0-2])-"
     r"(?P<d>0[1-9]|[12][0-9]|3[01])(?![0-9])", ""),
    ("dmy_dots", _day("d") + r"\.\s?(?P<m>1[0-2]|0?[1-9])\.\s?(?P<y>" + _YEAR + r")(?![0-9])", ""),
    ("ymd_dots", r"(?P<y>" + _YEAR + r")(?<![0-9.][0-9]{4})\.\s?(?P<m>1[0-2]|0?[1-9])\.\s?"
     r"(?P<d>" + _DAY + r")\.?(?![0-9])", ""),
    ("slash", r"(?<![0-9/])(?P<a>[0-9]{1,2})/(?P<b>[0-9]{1,2})/"
     r"(?P<y>" + _YEAR + r")(?![0-9/])", ""),
    ("hu", r"(?P<y>" + _YEAR + r")\.\s+(?P<m>" + "|".join(_HU) + r")\s+(?P<d>" + _DAY
     + r")(?:\.|-(?:[aáeé]n|i|ig|t[oóöő]l|j[aáeé]n?))?(?![0-9])", ""),
    ("hu_md", r"(?P<m>" + "|".join(_HU) + r")\s+(?P<d>" + _DAY
     + r")(?:\.|-(?:[aáeé]n|i|ig|t[oóöő]l|j[aáeé]n?))?(?![0-9])", ""),
    ("r_dm_dm", _day("d") + _ORD + r"(?:\s+of)?\s+" + _mon("m") + r"(?:\s+(?P<y>" + _YEAR
     + r"))?" + _SEP + _THE + r"(?P<d2>" + _DAY + r")" + _ORD + r"(?:\s+of)?\s+" + _mon("m2")
     + r"(?:,?\s+(?P<y2>" + _YEAR + r")" + _YEND + r")?", "day"),
    ("r_d_dm", _day("d") + _ORD + _SEP + _THE + r"(?P<d2>" + _DAY + r")" + _ORD
     + r"(?:\s+of)?\s+" + _mon("m") + r"(?:,?\s+(?P<y>" + _YEAR + r")" + _YEND + r")?", "day"),
    ("r_md", _mon("m") + r"\s+(?P<d>" + _DAY + r")" + _ORD + _SEP + r"(?:" + _mon("m2")
     + r"\s+)?(?P<d2>" + _DAY + r")" + _ORD + r"\b(?![0-9]|[:.,][0-9])(?:,?\s+(?P<y>" + _YEAR
     + r")" + _YEND + r")?", "month"),
    ("r_mm", r"(?P<m>" + _FULL_ALT + r")\b(?:\s+(?P<y>" + _YEAR + r"))?" + _SEP
     + r"(?P<m2>" + _FULL_ALT + r")\b(?!\s+[0-9]{1,2}\b)(?:,?\s+(?P<y2>" + _YEAR + r")" + _YEND
     + r")?", "month"),
    ("r_yy", r"(?P<y>" + _YEAR + r")(?<![0-9,.$/][0-9]{4})\s*(?P<sep>[–—-]|\?(?=\s)|"
     r"(?i:to|until|till|and)\b)\s*(?P<y2>[0-9]{4}|[0-9]{2})\b(?![0-9]|[,.][0-9]|-[0-9A-Za-z])",
     "month"),
    ("dmy", _day("d") + _ORD + r"(?:\s+of)?\s+" + _mon("m") + r"(?:\s+(?P<y>" + _YEAR + r")"
     + _YEND + r")?", "day"),
    ("mdy", _mon("m") + r"\s+(?P<d>" + _DAY + r")" + _ORD + r"\b(?![0-9]|[:.,][0-9]|\s*%)"
     r"(?:,?\s+(?P<y>" + _YEAR + r")" + _YEND + r")?", "month"),
    ("my", _mon("m") + r"(?:\s+of)?,?\s+(?P<y>" + _YEAR + r")" + _YEND, "month"),
    ("month", r"(?P<m>" + _FULL_ALT + r")\b(?!\s+(?:of\s+)?[0-9])", "month"),
    ("year", r"(?P<y>" + _YEAR + r")(?<![0-9,.$/:][0-9]{4})\b(?![0-9]|[,.][0-9]|s\b|['’]s\b|"
     r"-[^\W_])", "year"),
    ("clock", r"(?<![0-9:.,])(?P<h>[01]?[0-9]|2[0-4]):(?P<mi>[0-5][0-9])"
     r"(?![0-9]|:[0-9]|[,.][0-9])(?:\s*" + _AMPM + r"|\s*(?:hrs|hours|h)\b)?", "time"),
    ("ampm", r"(?<![0-9:.,])(?P<h>1[0-2]|0?[1-9])(?:[.:](?P<mi>[0-5][0-9]))?\s*" + _AMPM, "time"),
    ("oclock", r"(?<![0-9:.,])(?P<h>1[0-2]|0?[1-9])\s+o['’]clock\b",
     "time"),
    ("noon", r"(?P<nm>" + _cap("noon", "midday", "midnight") + r")\b", "time"),
    ("part", r"(?P<part>morning|afternoon|evening|night|hours)(?P<hours>\s+hours)?"
     r"(?P<of>\s+of\b)?", "part"),
    ("part2", r"(?P<w>" + _cap("mid-morning", "midmorning", "mid-afternoon", "midafternoon",
                               "dawn", "daybreak", "dusk", "nightfall", "overnight") + r")\b",
     "prep"),
    ("rel_next", r"(?P<dir>" + _cap("next", "following", "previous", "preceding", "same")
     + r")\s+(?P<unit>day|morning|afternoon|evening|night|week|month|year)\b", "rel"),
    ("rel_that", r"(?P<dir>" + _cap("that", "this") + r")\s+(?:same\s+|very\s+)?"
     r"(?P<unit>day|morning|afternoon|evening|night)\b", "rel"),
    ("rel_n", r"(?P<unit>days?|weeks?|months?|years?)\s+(?P<dir>later|afterwards?|earlier|"
     r"before|after|previously|beforehand|on)\b", "rel_n"),
    ("rel_day_ab", r"(?P<unit>day|morning|evening|night)\s+(?P<dir>after|before)\b", "rel_the"),
    ("memoir", r"(?P<w>" + _cap("yesterday", "today", "tomorrow") + r")\b(?!\s?['’]s)", ""),
    ("weekday", r"(?P<wd>" + "|".join(_WEEKDAYS) + r")\b(?:\s+(?P<part>morning|afternoon|"
     r"evening|night))?", "weekday"),
    ("ordinal", _day("d") + r"(?:st|nd|rd|th)\b(?=\s*(?:[,.;:)]|$)|\s+(?i:at|when|and|in|as|"
     r"the|a|to|until)\b)", "ordinal"),
    ("block", r"[0-9]{3}0(?:s|['’]s)\b|[0-9]{4}-(?=[^\W\d_])\w+"
     r"|[0-9]{1,4}(?:[ -][0-9]{2,4}){2,}\b|[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?", ""),
]
_COMPILED = {name: (re.compile(src), back) for name, src, back in _PATTERNS_SRC}
# Which tokens can start each pattern: lower-case words, "#4" a four-digit number (a year),
# "#" a shorter one (a day, an hour), "#*" any number.
_ENGLISH_MONTHS = " ".join([m.lower() for m in _FULL] + [m[:3].lower() for m in _FULL] + ["sept"])
_STARTS = {
    "hu_md": " ".join(_HU), "r_md": _ENGLISH_MONTHS, "r_mm": _ENGLISH_MONTHS,
    "mdy": _ENGLISH_MONTHS, "my": _ENGLISH_MONTHS, "month": _ENGLISH_MONTHS,
    "noon": "noon midday midnight", "part": "morning afternoon evening night hours",
    "part2": "mid midmorning midafternoon dawn daybreak dusk nightfall overnight",
    "rel_next": "next following previous preceding same", "rel_that": "that this",
    "rel_n": "day days week weeks month months year years",
    "rel_day_ab": "day morning evening night", "memoir": "yesterday today tomorrow",
    "weekday": " ".join(_WEEKDAYS).lower(),
    "iso": "#4", "ymd_dots": "#4", "hu": "#4", "r_yy": "#4", "year": "#4", "block": "#4 # #*",
}
_NOT_DATE_BEFORE = re.compile(r"(?:\b(?:pp?|pages?|art|articles?|nos?|vol|isbn|resolution|section|"
                              r"chapter)\.?|§|[$£€]|\bUS\$?|\bCHF|\bSFR)\s*\Z", re.IGNORECASE)
_COUNT_NOUN = re.compile(r"\s+(?:people|persons|men|women|soldiers|troops|tanks|km|kilometres|"
                         r"metres|meters|miles|feet|ft|cases|members|votes|copies|students|"
                         r"workers|refugees|dead|killed|wounded|communities|hours|minutes|"
                         r"kg|tons|tonnes|deaths|casualties|prisoners|m)\b", re.IGNORECASE)
_NUMBER_RANGE = re.compile(r"[0-9]\s*(?:to|and|[–—-])\s*\Z")
_YEAR_PREPS = frozenset("in by since until till from to during after before around circa c. ca. "
                        "early late mid".split())
_PART_WORDS = {"dawn": "early morning", "daybreak": "early morning", "dusk": "evening",
               "nightfall": "evening", "overnight": "night"}
_TIME_RANK: dict[str | None, int] = {None: 0, **{p: 1 for p in PARTS_OF_DAY}, "midnight": 2}
_GAP = re.compile(r"[\s,]*(?:(?i:on|of|at|in\s+the)\s+)?")


@dataclass(frozen=True)
class _Hit:
    """A pattern match joined with what its backward pattern read before it."""

    start: int  # start of the whole expression (preposition included)
    core: int  # start of the pattern's own match
    end: int
    text: str
    groups: dict[str, str | None]

    def __getitem__(self, name: str) -> str:
        value = self.groups.get(name)
        assert value is not None, name
        return value


def _num(s: str | None) -> int | None:
    return int(s) if s else None


def _month(s: str | None) -> int | None:
    return None if s is None else month_number(s) or (int(s) if s.isdigit() else None)


def _calendar(h: _Hit, us: bool) -> Raw | None:
    g = h.groups.get
    if g("a"):  # a slashed date: which number is the day?
        a, b = int(h["a"]), int(h["b"])
        day, month = (b, a) if (a <= 12 < b) or (us and a <= 12 and b <= 12) else (a, b)
        return None if month > 12 else Raw(h.start, h.end, year=int(h["y"]), month=month, day=day)
    start = h.start if g("prep") or g("the") or g("qual") else h.core
    raw = Raw(start, h.end, prep=_prep(h), year=_num(g("y")), month=_month(g("m")),
              day=_num(g("d")))
    if g("d2"):  # a range of days
        raw = replace(raw, end_year=_num(g("y2")), end_month=_month(g("m2")) or raw.month,
                      end_day=_num(g("d2")))
        if g("y2") is None and g("m2") is None:  # "24–29 October [1956]": one month, one year
            raw = replace(raw, end_year=raw.year)
        if raw.end_month == raw.month and (raw.end_day or 0) <= (raw.day or 0):
            return None
    elif g("m2"):  # a range of months
        raw = replace(raw, end_year=_num(g("y2")), end_month=_month(g("m2")))
        if raw.prep not in ("from", "between") and h["sep"] not in "–—-":
            return None
    if (g("sep") or "").lower() == "and" and raw.prep != "between":
        return None  # "on 4 and 9 November" is two dates
    return raw


def _bare_month(h: _Hit, us: bool) -> Raw | None:
    if not (h.groups.get("prep") or h.groups.get("qual")):
        return None  # a bare month needs "in", "by", "early", …: "the Polish October" is a name
    return Raw(h.start, h.end, prep=_prep(h), month=_month(h["m"]))


def _year(h: _Hit, us: bool) -> Raw | None:
    g = h.groups.get
    if g("y2"):  # a range of years: 1950–52, from 1950 to 1953, (1848? 49)
        y, tail = int(h["y"]), h["y2"]
        y2 = int(tail) if len(tail) == 4 else y // 100 * 100 + int(tail)
        if y2 <= y or (h["sep"].lower() == "and" and _prep(h) != "between"):
            return None
        return Raw(h.start if g("prep") else h.core, h.end, prep=_prep(h), year=y, end_year=y2)
    if _COUNT_NOUN.match(h.text, h.end) or _NUMBER_RANGE.search(h.text, max(0, h.core - 16),
                                                                   h.core):
        return None  # "the 1500 troops", "from 75 to 1000"
    cue = (g("cue") or "").lower()
    if g("season") or cue in _YEAR_PREPS:
        return Raw(h.start, h.end, prep=_prep(h) or cue, year=int(h["y"]))
    return Raw(h.core, h.end, year=int(h["y"]))  # "the 1989 protests": a modifier


def _clock(h: _Hit, us: bool) -> Raw | None:
    if h.groups.get("nm"):
        t: str | None = "midnight" if h["nm"].lower() == "midnight" else "12:00"
    else:
        t = parse_clock(int(h["h"]), int(h.groups.get("mi") or 0), h.groups.get("ampm") or "")
    return None if t is None else Raw(h.start, h.end, prep=_prep(h), time=t)


def _part(h: _Hit, us: bool) -> Raw | None:
    g = h.groups.get
    if g("w"):
        w = h["w"].lower().replace("-", "")
        if w != "overnight" and not w.startswith("mid") and not g("prep"):
            return None
        time = _PART_WORDS.get(w) or w.removeprefix("mid")
        return Raw(h.start, h.end, prep=_prep(h), time=time)
    part, q = h["part"], (g("q") or "").lower()
    if part == "hours":  # "the small hours", "the early hours of 4 November"
        if not q:
            return None
        part = "night" if q == "late" else "morning"
    elif not (g("prep") or g("of") or g("hours")):
        return None  # "the evening news"
    time = "early morning" if q in ("small", "early") and part == "morning" else part
    return Raw(h.start, h.end, prep=_prep(h), time=time, needs_date=bool(g("of")))


_DIRS = {"next": 1, "following": 1, "previous": -1, "preceding": -1, "same": 0, "that": 0,
         "this": 0, "later": 1, "afterwards": 1, "afterward": 1, "after": 1, "on": 1,
         "earlier": -1, "before": -1, "previously": -1, "beforehand": -1}


def _relative(h: _Hit, us: bool) -> Raw | None:
    unit, word = h["unit"].rstrip("s"), h["dir"].lower()
    if word == "this" and unit == "day":
        return None  # "to this day" means the present
    count = (h.groups.get("n") or "1").lower()
    n = _NUMBERS[count] if count in _NUMBERS else int(count)
    time = unit if unit in PARTS_OF_DAY else None
    if unit == "week":
        unit, n = "day", 7 * n
    elif time:
        unit = "day"
    needs = word in ("after", "before") and not re.match(r"\s*(?:[,.;:)]|$)", h.text[h.end:])
    return Raw(h.start, h.end, prep=_prep(h), unit=unit, shift=n * _DIRS[word], time=time,
               needs_date=needs)


def _memoir(h: _Hit, us: bool) -> Raw | None:
    before = h.text[max(0, h.start - 12):h.start].lower().split()
    if before and before[-1] in ("until", "till", "to", "of", "since"):
        return None
    shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[h["w"].lower()]
    return Raw(h.start, h.end, unit="day", shift=shift, memoir=True)


def _weekday(h: _Hit, us: bool) -> Raw | None:
    wq = " ".join((h.groups.get("wq") or "").lower().split())
    direction = {"last": -1, "the previous": -1, "next": 1, "the next": 1, "the following": 1}
    return Raw(h.start, h.end, prep=_prep(h), weekday=_WEEKDAYS[h["wd"]],
               weekday_dir=direction.get(wq, 0), time=h.groups.get("part") or None,
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
    "memoir": _memoir, "weekday": _weekday, "ordinal": _ordinal, "block": _block,
}
_Entry = tuple[int, re.Pattern[str], re.Pattern[str], bool, _Handler]
_BY_START: dict[str, list[_Entry]] = {}
for _rank, (_name, (_pattern, _back)) in enumerate(_COMPILED.items()):
    for _word in _STARTS.get(_name, "#").split():
        _BY_START.setdefault(_word, []).append(
            (_rank, _pattern, _BACK[_back], _back in _NEEDS_BACK, _HANDLERS.get(_name, _calendar)))


_Tree = dict[str, "_Tree"]


def _trie(words: list[str]) -> str:
    """Return a regex matching exactly ``words``, shaped as a trie (far faster than a|b|c)."""
    tree: _Tree = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: _Tree) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        if "" in node:
            return "(?:" + "|".join(alts) + ")?"
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(tree)


_TRIGGER = re.compile(r"[0-9]+|\b" + _trie([w for w in _BY_START if w[0] != "#"]) + r"\b")


def _lower(text: str) -> str:
    """Lower-case ``text`` keeping every offset ("İ".lower() is two characters)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low


def _hits(text: str, us: bool) -> list[tuple[int, int, int, Raw]]:
    """Try each pattern only where a token that can start it stands."""
    found: list[tuple[int, int, int, Raw]] = []
    for token in _TRIGGER.finditer(_lower(text)):
        core, word = token.start(), token.group()
        number = word[0].isdigit()
        if number:
            entries = _BY_START["#4" if len(word) == 4 else "#" if len(word) < 3 else "#*"]
        else:
            entries = _BY_START[word]
        for rank, pattern, back, needs_back, handler in entries:
            m = pattern.match(text, core)
            if m is None:
                continue
            if number and _NOT_DATE_BEFORE.search(text, max(0, core - 12), core):
                break  # "p. 1956", "Article 3", "$ 1956"
            b = back.search(text, max(0, core - 32), core)
            if b is None and needs_back:
                continue
            groups = m.groupdict()
            start = core
            if b is not None:
                groups.update(b.groupdict())
                start = b.start()
            raw = handler(_Hit(start, core, m.end(), text, groups), us)
            if raw is not None and raw.end > raw.start:
                found.append((raw.start, raw.start - raw.end, rank, raw))
    return found


def scan(text: str, *, us_style: bool = False) -> list[Raw]:
    """Find the date expressions of one passage: non-overlapping, in text order.

    >>> [(r.prep, r.year, r.month, r.day, r.time) for r in scan("By 02:00 on 24 October 1956")]
    [('by', 1956, 10, 24, '02:00')]
    >>> [(r.day, r.end_day, r.month) for r in scan("From 24 to 29 October, they fought.")]
    [(24, 29, 10)]
    >>> [(r.unit, r.shift) for r in scan("Two days later, 2,500 fled; the 1980s; 1956-os")]
    [('day', 2)]
    """
    found = _hits(text, us_style)
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
        joined = _join(merged[-1], raw, text) if merged else None
        if joined is not None:
            merged[-1] = joined
        else:
            merged.append(raw)
    return [r for r in merged if not r.needs_date]


def _join(a: Raw, b: Raw, text: str) -> Raw | None:
    """Join two neighbours into one expression ("By 02:00" + "on 24 October"), or None."""
    gap = text[a.end:b.start]
    if len(gap) > 10 or _GAP.fullmatch(gap) is None or (b.needs_date and b.unit):
        return None
    if a.explicit and b.explicit:
        return None
    clocks = [t for t in (a.time, b.time) if t and t[0].isdigit()]
    if len(clocks) == 2:
        return None
    time = max(a.time, b.time, key=lambda t: 3 if t and t[0].isdigit() else _TIME_RANK.get(t, 1))
    if a.explicit or b.explicit:
        d, other = (a, b) if a.explicit else (b, a)
        year_shift = other.unit == "year" and d.year is None and d.month is not None
        if d.day is None and not year_shift:
            return None  # a time or "the next day" needs a day, not "in 1951"
        keep = year_shift or (other is a and a.needs_date)  # "two days before 23 October"
        return replace(d, start=a.start, end=b.end, prep=a.prep or d.prep, time=time,
                       unit=other.unit if keep else d.unit, shift=other.shift if keep else d.shift)
    if a.relative == b.relative:
        return None  # two bare times, or two relative dates
    r = a if a.relative else b
    if r.unit and r.needs_date:
        return None  # "the day after" needs a date after it, not a time
    prep = a.prep or r.prep
    return replace(r, start=a.start, end=b.end, prep=prep, time=time,
                   needs_date=r.needs_date and not prep)  # "On the afternoon of Tuesday"


_ANY_SLASH = re.compile(r"[0-9]/[0-9]{1,2}/[0-9]")
_US_SLASH = re.compile(r"(?<![0-9/])(?:0?[1-9]|1[0-2])/(?:1[3-9]|2[0-9]|3[01])/[0-9]{4}")
_EU_SLASH = re.compile(r"(?<![0-9/])(?:1[3-9]|2[0-9]|3[01])/(?:0?[1-9]|1[0-2])/[0-9]{4}")
_MONTH_FIRST = re.compile(_mon("m") + r"\s+[0-9]{1,2}(?:st|nd|rd|th)?,\s+[0-9]{4}")
_DAY_FIRST = re.compile(r"\b[0-9]{1,2}(?:st|nd|rd|th)?\s+" + _mon("m") + r"\s+[0-9]{4}")


def us_style(texts: Sequence[str]) -> bool:
    """Return True if the texts write dates month first (10/23/1956, October 23, 1956).

    Unambiguous slashed dates decide; without them, "October 23, 1956" must outnumber
    "23 October 1956".

    >>> us_style(["On 10/23/1956 and 11/4/1956"]), us_style(["05/06/1956; 23 October 1956"])
    (True, False)
    """
    if not any(_ANY_SLASH.search(t) for t in texts):
        return False  # the style matters only for slashed dates
    us = sum(len(_US_SLASH.findall(t)) for t in texts)
    eu = sum(len(_EU_SLASH.findall(t)) for t in texts)
    if us or eu:
        return us > eu
    return (sum(len(_MONTH_FIRST.findall(t)) for t in texts)
            > sum(len(_DAY_FIRST.findall(t)) for t in texts))
