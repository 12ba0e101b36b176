"""The word tables and compiled regular expressions that ``dates.datetext`` scans with.

Every word comes from the language profile (``storymap/lang/<code>/dates.yaml``, read by
:func:`storymap.lang.profile.load_profile`); :func:`grammar` builds the patterns from those
words once per profile. Only the shapes of numbers (days, years, clock times) are code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ...lang.cache import PerProfile
from ...lang.profile import Profile

__all__ = ["Grammar", "grammar", "trie"]


@dataclass(frozen=True)
class Grammar:
    """The words (as values) and compiled patterns of one language's date grammar."""

    months: Mapping[str, int]  # lower-case name or abbreviation → 1–12
    weekdays: Mapping[str, int]  # capitalised name → 0 (Monday) – 6
    numbers: Mapping[str, int]  # "two" → 2
    parts_of_day: tuple[str, ...]
    part_words: Mapping[str, str]  # "dawn" → "early morning"
    part_alone: frozenset[str]  # part words that need no preposition ("overnight")
    qualified_parts: Mapping[str, str]  # "small hours" → "early morning"
    noon_words: Mapping[str, str]  # "noon" → "12:00"
    directions: Mapping[str, int]  # "next" → +1
    memoir_days: Mapping[str, int]  # "yesterday" → -1
    weekday_quals: Mapping[str, int]  # "last" → -1
    year_preps: frozenset[str]
    unit_days: Mapping[str, int]  # "week" → 7
    plural_units: Mapping[str, str]  # "days" → "day"
    present: frozenset[str]  # "this day": the present, not a date
    day_after: frozenset[str]  # "the day after": needs a date after it
    memoir_not_after: frozenset[str]  # "until today" is no date
    season_months: Mapping[str, int]  # "spring" → 3: the month a season starts
    fixed_feasts: Mapping[str, tuple[int, int, str]]  # "christmas night" → (12, 25, "night")
    movable_feasts: Mapping[str, int]  # "good friday" → -2 (days from Easter Sunday)
    calendar_words: frozenset[str]  # "next", "following": "the following week" is a week
    am_parts: frozenset[str]  # "morning": "three in the morning" is 03:00
    patterns: Mapping[str, tuple[re.Pattern[str], str]]
    back: Mapping[str, re.Pattern[str]]
    needs_back: frozenset[str]
    starts: Mapping[str, str]
    not_date_before: re.Pattern[str]
    count_noun: re.Pattern[str]
    number_range: re.Pattern[str]
    gap: re.Pattern[str]
    any_slash: re.Pattern[str]
    us_slash: re.Pattern[str]
    eu_slash: re.Pattern[str]
    month_first: re.Pattern[str]
    day_first: re.Pattern[str]

    def unit_of(self, word: str) -> str:
        """Return the singular unit of ``word`` ("days" → "day")."""
        return self.plural_units.get(word, word)

    def month_number(self, word: str) -> int | None:
        """Return 1–12 for a month name or abbreviation ("Oct." → 10), else None."""
        return self.months.get(word.rstrip(".").lower())


def grammar(profile: Profile | None = None) -> Grammar:
    """Return the date grammar of ``profile`` (English by default), built once per profile."""
    return _grammars(profile)


def _alt(words: Iterable[str]) -> str:
    """An alternation of words or phrases (longest first; a space matches any white space)."""
    out = sorted({w for w in words}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in out)


def _cap(words: Iterable[str]) -> str:  # "Next|next": sentence-initial capital allowed
    return "|".join(f"[{w[0].upper()}{w[0]}]{re.escape(w[1:])}" for w in words)


def _feast_day(value: str) -> tuple[int, int, str]:
    """("12-25 night" →) month, day and the part of the day a fixed feast names."""
    day, _, part = value.partition(" ")
    month, _, number = day.partition("-")
    return int(month), int(number), part


def _int_table(p: Profile, key: str) -> dict[str, int]:
    return {str(k).lower(): int(v) for k, v in p.table(key).items()}


# Shapes of numbers: a day, a year, what may not follow a year.
_DAY = r"(?:[12][0-9]|3[01]|0[1-9]|[1-9])"
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
_YEND = r"\b(?![0-9]|[,.][0-9]|s\b|-[^\W_])"
_AMPM = r"(?P<ampm>[ap]\.m\.|[AP]\.M\.|[ap]\.m\b|[ap]m\b)"
_NEEDS_BACK = frozenset(("year", "part", "rel_n", "rel_the", "ordinal"))  # must match


def _day(group: str) -> str:  # a day number that is not the tail of a longer number
    return rf"(?<![0-9,.])(?P<{group}>{_DAY})"


def _grammar(p: Profile) -> Grammar:
    full = [m.capitalize() for m in p.table("months")]
    abbr = [m.capitalize() for m in p.table("month_abbreviations")]
    loans = list(p.table("loan_months"))
    months = {**_int_table(p, "months"), **_int_table(p, "month_abbreviations"),
              **_int_table(p, "loan_months")}
    weekdays = {k.capitalize(): v for k, v in _int_table(p, "weekdays").items()}
    numbers = _int_table(p, "date_numbers")
    # Each pattern is tried only at the tokens that can start it (a number, a month name,
    # "next", …): scanning the whole text once per pattern was twenty times slower. What may
    # stand before the start ("on", "early", "the") is read afterwards by a backward pattern.
    ordinal = "|".join([*map(re.escape, p.phrases("date_ordinals")), r"(?<=[23])d"])
    ordn = rf"(?:{ordinal})?"  # "the 3d", "March 2d, 1864": old short ordinals after 2 and 3
    full_alt = "|".join(full)
    loan_suffix = "|".join(p.phrases("loan_day_suffixes"))
    sep = rf"\s*(?P<sep>[–—-]|(?i:{_alt(p.phrases('range_words'))})\b)\s*"
    the = rf"(?:(?i:{_alt(p.phrases('articles'))})\s+)?"

    def mon(group: str) -> str:
        return rf"(?P<{group}>(?:{full_alt})\b|(?:{'|'.join(abbr)})(?:\.|\b))"

    parts = p.phrases("day_part_words")
    units = p.phrases("relative_units")
    directions = _int_table(p, "relative_directions")
    part_words = {str(k): str(v) for k, v in p.table("part_words").items()}
    alone = frozenset(p.phrases("part_words_alone"))
    part2 = list(part_words)
    noon = {str(k): str(v) for k, v in p.table("noon_words").items()}
    memoir = _int_table(p, "memoir_days")
    fixed = {str(k): _feast_day(str(v)) for k, v in p.table("fixed_feasts").items()} \
        if p.has("fixed_feasts") else {}
    movable = _int_table(p, "movable_feasts") if p.has("movable_feasts") else {}
    wquals = _int_table(p, "weekday_quals")
    rel_preps = _alt(p.phrases("rel_preps"))
    back_src = {
        "": r"\Z",
        "day": rf"(?:\b(?P<prep>{_alt(p.phrases('date_preps'))})\s+)?(?:\b(?P<the>the)\s+)?\Z",
        "month": rf"(?:\b(?P<prep>{_alt(p.phrases('date_preps'))})\s+)?"
                 rf"(?:\b(?P<qual>{_alt(p.phrases('month_quals'))})[\s-]+)?\Z",
        "year": rf"(?:\b(?P<prep>{_alt(p.phrases('date_preps'))})\s+)?"
                rf"(?:\b(?P<cue>{_alt(p.phrases('year_cues'))})[\s-]+|(?P<paren>\()\s*|"
                r"(?P<poss>['’]s)\s+|(?:\bthe\s+)?(?:\b(?:"
                + _alt(p.phrases("date_qualifiers")) + r")[\s-]+)?"
                rf"\b(?P<season>{_alt(p.phrases('seasons'))})(?:\s+of)?,?\s+)\Z",
        "time": rf"(?:\b(?P<prep>{_alt(p.phrases('time_preps'))})\s+)?"
                rf"(?:\b(?:{_alt(p.phrases('time_quals'))})\s+)?\Z",
        "part": rf"(?:\b(?P<prep>{_alt(p.phrases('part_preps'))})\s+)?\bthe\s+"
                rf"(?:(?P<q>{_alt(p.phrases('part_quals'))})\s+)?\Z",
        "prep": rf"(?:\b(?P<prep>{_alt(p.phrases('short_preps'))})\s+)?\Z",
        "rel": rf"(?:\b(?P<prep>{rel_preps})\s+)?(?:\bthe\s+)?\Z",
        "rel_n": rf"(?:\b(?P<prep>{rel_preps})\s+)?\b(?P<n>[0-9]{{1,2}}|{_alt(numbers)})\s+\Z",
        "rel_the": rf"(?:\b(?P<prep>{rel_preps})\s+)?\bthe\s+\Z",
        "weekday": rf"(?:\b(?P<prep>{rel_preps})\s+)?(?:\b(?P<wq>{_alt(wquals)})\s+)?\Z",
        "ordinal": rf"\b(?P<prep>{_alt(p.phrases('ordinal_preps'))})\s+the\s+\Z",
    }
    plural = "|".join(f"{u}s?" for u in p.phrases("count_units"))
    hour_words = [w for w, n in numbers.items() if 1 <= n <= 12 and len(w) > 2]
    clock_parts = [*p.phrases("am_parts"), *p.phrases("pm_parts")]
    rel_n_dirs = _alt(w for w in directions if w not in p.phrases("rel_adjectives"))
    patterns_src: list[tuple[str, str, str]] = [
        ("iso", r"(?P<y>" + _YEAR + r")(?<![0-9-][0-9]{4})-(?P<m>0[1-9]|1[0-2])-"
         r"(?P<d>0[1-9]|[12][0-9]|3[01])(?![0-9])", ""),
        ("dmy_dots", _day("d") + r"\.\s?(?P<m>1[0-2]|0?[1-9])\.\s?(?P<y>" + _YEAR
         + r")(?![0-9])", ""),
        ("ymd_dots", r"(?P<y>" + _YEAR + r")(?<![0-9.][0-9]{4})\.\s?(?P<m>1[0-2]|0?[1-9])\.\s?"
         r"(?P<d>" + _DAY + r")\.?(?![0-9])", ""),
        ("slash", r"(?<![0-9/])(?P<a>[0-9]{1,2})/(?P<b>[0-9]{1,2})/"
         r"(?P<y>" + _YEAR + r")(?![0-9/])", ""),
        ("hu", r"(?P<y>" + _YEAR + r")\.\s+(?P<m>" + "|".join(loans) + r")\s+(?P<d>" + _DAY
         + r")(?:\.|-(?:" + loan_suffix + r"))?(?![0-9])", ""),
        ("hu_md", r"(?P<m>" + "|".join(loans) + r")\s+(?P<d>" + _DAY
         + r")(?:\.|-(?:" + loan_suffix + r"))?(?![0-9])", ""),
        ("r_dm_dm", _day("d") + ordn + r"(?:\s+of)?\s+" + mon("m") + r"(?:\s+(?P<y>" + _YEAR
         + r"))?" + sep + the + r"(?P<d2>" + _DAY + r")" + ordn + r"(?:\s+of)?\s+" + mon("m2")
         + r"(?:,?\s+(?P<y2>" + _YEAR + r")" + _YEND + r")?", "day"),
        ("r_d_dm", _day("d") + ordn + sep + the + r"(?P<d2>" + _DAY + r")" + ordn
         + r"(?:\s+of)?\s+" + mon("m") + r"(?:,?\s+(?P<y>" + _YEAR + r")" + _YEND + r")?",
         "day"),
        ("r_md", mon("m") + r"\s+(?P<d>" + _DAY + r")" + ordn + sep + r"(?:" + mon("m2")
         + r"\s+)?(?P<d2>" + _DAY + r")" + ordn + r"\b(?![0-9]|[:.,][0-9])(?:,?\s+(?P<y>"
         + _YEAR + r")" + _YEND + r")?", "month"),
        ("r_mm", r"(?P<m>" + full_alt + r")\b(?:\s+(?P<y>" + _YEAR + r"))?" + sep
         + r"(?P<m2>" + full_alt + r")\b(?!\s+[0-9]{1,2}\b)(?:,?\s+(?P<y2>" + _YEAR + r")"
         + _YEND + r")?", "month"),
        ("r_yy", r"(?P<y>" + _YEAR + r")(?<![0-9,.$/][0-9]{4})\s*(?P<sep>[–—-]|\?(?=\s)|"
         r"(?i:" + _alt(p.phrases("year_range_words")) + r")\b)\s*(?P<y2>[0-9]{4}|[0-9]{2})\b"
         r"(?![0-9]|[,.][0-9]|-[0-9A-Za-z])", "month"),
        ("dmy", _day("d") + ordn + r"(?:\s+of)?\s+" + mon("m") + r"(?:\s+(?P<y>" + _YEAR + r")"
         + _YEND + r")?", "day"),
        ("mdy", mon("m") + r"\s+(?P<d>" + _DAY + r")" + ordn + r"\b(?![0-9]|[:.,][0-9]|\s*%)"
         r"(?:,?\s+(?P<y>" + _YEAR + r")" + _YEND + r")?", "month"),
        ("my", mon("m") + r"(?:\s+of)?,?\s+(?P<y>" + _YEAR + r")" + _YEND, "month"),
        ("month", r"(?P<m>" + full_alt + r")\b(?!\s+(?:of\s+)?[0-9])", "month"),
        ("year", r"(?P<y>" + _YEAR + r")(?<![0-9,.$/:][0-9]{4})\b(?![0-9]|[,.][0-9]|s\b|"
         r"['’]s\b|-[^\W_])", "year"),
        ("clock", r"(?<![0-9:.,])(?P<h>[01]?[0-9]|2[0-4]):(?P<mi>[0-5][0-9])"
         r"(?![0-9]|:[0-9]|[,.][0-9])(?:\s*" + _AMPM + r"|\s*(?P<hw24>"
         + _alt(p.phrases("hour_words")) + r")\b)?", "time"),
        ("ampm", r"(?<![0-9:.,])(?P<h>1[0-2]|0?[1-9])(?:[.:](?P<mi>[0-5][0-9]))?\s*" + _AMPM,
         "time"),
        ("oclock", r"(?<![0-9:.,])(?P<h>1[0-2]|0?[1-9])\s+(?:" + _alt(p.phrases("oclock_words"))
         + r")\b", "time"),
        ("noon", r"(?P<nm>" + _cap(noon) + r")\b", "time"),
        # An hour in words, or a number, with what makes it a time: "six o'clock", "three
        # in the morning", "by six the next morning" (joined with "the next morning").
        ("wclock", r"(?<![0-9:.,])(?P<hw>" + _cap(hour_words) + r"|1[0-2]|0?[1-9])\b"
         r"(?:\s+(?P<oc>" + _alt(p.phrases("oclock_words")) + r"))?"
         r"(?:\s+(?:in|at)\s+the\s+(?P<pd>" + _alt(clock_parts) + r")\b"
         r"|(?=\s+(?:(?:the\s+)?(?:" + _alt(p.phrases("next_words")) + r")|"
         + _alt(p.phrases("that_words")) + r")\s+(?P<ahead>" + _alt(clock_parts) + r")\b))?",
         "time"),
        ("part", r"(?P<part>" + _alt([*parts, "hours"]) + r")(?P<hours>\s+hours)?"
         r"(?P<of>\s+of\b)?", "part"),
        ("part2", r"(?P<w>" + _cap(sorted(part2, key=lambda w: (-len(w), w))) + r")\b", "prep"),
        ("rel_next", r"(?P<dir>" + _cap(p.phrases("next_words")) + r")\s+(?P<unit>"
         + _alt(units) + r")\b", "rel"),
        ("rel_that", r"(?P<dir>" + _cap(p.phrases("that_words")) + r")\s+(?:same\s+|very\s+)?"
         r"(?P<unit>" + _alt(p.phrases("that_units")) + r")\b", "rel"),
        ("rel_season", r"(?P<dir>" + _cap([*p.phrases("next_words"), *p.phrases("that_words")])
         + r")\s+(?P<unit>(?P<season>" + _alt(p.table("season_months")) + r"))\b", "rel"),
        ("rel_n", r"(?P<unit>" + plural + r")\s+(?P<dir>" + rel_n_dirs + r")\b", "rel_n"),
        ("rel_day_ab", r"(?P<unit>" + _alt(p.phrases("day_after_units")) + r")\s+(?P<dir>"
         + _alt(p.phrases("day_after_words")) + r")\b", "rel_the"),
        ("memoir", r"(?P<w>" + _cap(memoir) + r")\b(?!\s?['’]s)", ""),
        # "on Good Friday", "Christmas night", "by New Year's Day 1777"; not "the Good
        # Friday Agreement"
        ("feast", r"(?P<feast>(?i:" + _alt([*fixed, *movable]).replace("'", "['’]") + r"))\b"
         r"(?!\s+(?i:" + _alt(p.phrases("feast_not_before")) + r")\b)"
         r"(?:,?\s+(?P<y>" + _YEAR + r")" + _YEND + r")?", "day"),
        ("weekday", r"(?P<wd>" + "|".join(weekdays) + r")\b(?:\s+(?P<part>" + _alt(parts)
         + r"))?", "weekday"),
        # "on the 6th we went": any lower-case word may follow, but not the nouns that make an
        # ordinal a rank ("the 6th army", "the 20th century", "the 33rd anniversary").
        ("ordinal", _day("d") + rf"(?:{ordinal})\b(?=\s*(?:[,.;:)]|$)|\s+I\b|\s+(?!(?:"
         + _alt(p.phrases("rank_nouns")) + r")\b)[a-z])", "ordinal"),
        ("block", r"[0-9]{3}0(?:s|['’]s)\b|[0-9]{4}-(?=[^\W\d_])\w+"
         r"|[0-9]{1,4}(?:[ -][0-9]{2,4}){2,}\b|[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?", ""),
    ]
    # Which tokens can start each pattern: lower-case words, "#4" a four-digit number (a
    # year), "#" a shorter one (a day, an hour), "#*" any number.
    month_starts = " ".join([m.lower() for m in full] + [m.lower() for m in abbr])
    starts = {
        "hu_md": " ".join(loans), "r_md": month_starts, "r_mm": month_starts,
        "mdy": month_starts, "my": month_starts, "month": month_starts,
        "noon": " ".join(noon), "part": " ".join([*parts, "hours"]),
        "wclock": " ".join([*hour_words, "#"]),
        "rel_season": " ".join([*p.phrases("next_words"), *p.phrases("that_words")]),
        "part2": " ".join(sorted({w.split("-")[0] for w in part2})),
        "rel_next": " ".join(p.phrases("next_words")),
        "rel_that": " ".join(p.phrases("that_words")),
        "rel_n": " ".join(w for u in plural.split("|") for w in (u[:-2], u[:-2] + "s")),
        "rel_day_ab": " ".join(p.phrases("day_after_units")), "memoir": " ".join(memoir),
        "feast": " ".join(sorted({w.split()[0] for w in [*fixed, *movable]})),
        "weekday": " ".join(weekdays).lower(),
        "iso": "#4", "ymd_dots": "#4", "hu": "#4", "r_yy": "#4", "year": "#4",
        "block": "#4 # #*",
    }
    not_date = _alt(p.phrases("not_date_before"))
    return Grammar(
        months=months, weekdays=weekdays, numbers=numbers,
        parts_of_day=p.phrases("parts_of_day"), part_words=part_words, part_alone=alone,
        qualified_parts={str(k): str(v) for k, v in p.table("qualified_parts").items()},
        noon_words=noon, directions=directions, memoir_days=memoir, weekday_quals=wquals,
        year_preps=frozenset(p.phrases("year_preps")),
        unit_days=_int_table(p, "unit_days"),
        plural_units={f"{u}s": u for u in p.phrases("count_units")},
        present=frozenset(p.phrases("present_phrases")),
        day_after=frozenset(p.phrases("day_after_words")),
        memoir_not_after=frozenset(p.phrases("memoir_not_after")),
        season_months=_int_table(p, "season_months"),
        fixed_feasts=fixed, movable_feasts=movable,
        calendar_words=frozenset(p.phrases("rel_adjectives")),
        am_parts=frozenset(p.phrases("am_parts")),
        patterns={name: (re.compile(src), back) for name, src, back in patterns_src},
        back={name: re.compile(src, re.IGNORECASE) for name, src in back_src.items()},
        needs_back=_NEEDS_BACK, starts=starts,
        # What rules a number out as a date: "p. 1956" before it, "1500 troops" after it, or
        # "from 75 to 1000" before it.
        not_date_before=re.compile(rf"(?:\b(?:{not_date})\.?|§|[$£€]|\bUS\$?|\bCHF|\bSFR)\s*\Z",
                                   re.IGNORECASE),
        count_noun=re.compile(rf"\s+(?:{_alt(p.phrases('count_nouns'))})\b", re.IGNORECASE),
        number_range=re.compile(rf"[0-9]\s*(?:{_alt(p.phrases('number_range_words'))}|[–—-])"
                                r"\s*\Z"),
        # What may stand between two halves of one expression ("By 02:00" + "on 24 October").
        gap=re.compile(rf"[\s,]*(?:(?i:{_alt(p.phrases('gap_words'))})\s+)?"),
        # Cues for ``us_style``: which way round the texts write their dates.
        any_slash=re.compile(r"[0-9]/[0-9]{1,2}/[0-9]"),
        us_slash=re.compile(r"(?<![0-9/])(?:0?[1-9]|1[0-2])/(?:1[3-9]|2[0-9]|3[01])/[0-9]{4}"),
        eu_slash=re.compile(r"(?<![0-9/])(?:1[3-9]|2[0-9]|3[01])/(?:0?[1-9]|1[0-2])/[0-9]{4}"),
        month_first=re.compile(mon("m") + rf"\s+[0-9]{{1,2}}{ordn},\s+[0-9]{{4}}"),
        day_first=re.compile(rf"\b[0-9]{{1,2}}{ordn}\s+" + mon("m") + r"\s+[0-9]{4}"),
    )


_grammars = PerProfile(_grammar)
_Tree = dict[str, "_Tree"]


def trie(words: list[str]) -> str:
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
