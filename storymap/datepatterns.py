"""The word tables and compiled regular expressions that ``storymap.datetext`` scans with."""

from __future__ import annotations

import re

__all__ = [
    "ANY_SLASH", "BACK", "COUNT_NOUN", "DAY_FIRST", "EU_SLASH", "GAP", "MONTHS", "MONTH_FIRST",
    "NEEDS_BACK", "NOT_DATE_BEFORE", "NUMBERS", "NUMBER_RANGE", "PATTERNS", "STARTS", "US_SLASH",
    "WEEKDAYS", "trie",
]

# The words the patterns are built from; ``storymap.datetext`` also reads them as values.
_FULL = ("January February March April May June July August September October November "
         "December").split()
_HU = ("január február március április május június július augusztus szeptember október "
       "november december").split()
MONTHS = {name.lower(): n for n, name in enumerate(_FULL, 1)}
MONTHS.update({name[:3].lower(): n for n, name in enumerate(_FULL, 1)})
MONTHS.update({"sept": 9, **{name: n for n, name in enumerate(_HU, 1)}})
WEEKDAYS = {d: n for n, d in enumerate("Monday Tuesday Wednesday Thursday Friday Saturday "
                                       "Sunday".split())}
NUMBERS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten "
                                      "eleven twelve".split())}
NUMBERS.update({"a": 1, "an": 1, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30})


# --- Regular expressions, compiled once at import ---------------------------------------------
# Each pattern is tried only at the tokens that can start it (a number, a month name, "next",
# …): scanning the whole text once per pattern was twenty times slower. What may stand before
# the start ("on", "early", "the") is read afterwards by a small backward pattern.
_DAY = r"(?:[12][0-9]|3[01]|0[1-9]|[1-9])"
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
_YEND = r"\b(?![0-9]|[,.][0-9]|s\b|-[^\W_])"
# "the 3d", "March 2d, 1864": the period's short ordinals, after 2 and 3 only.
_ORD = r"(?:st|nd|rd|th|(?<=[23])d)?"
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
_NUMWORD = "|".join(NUMBERS)
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
BACK = {name: re.compile(src, re.IGNORECASE) for name, src in _BACK_SRC.items()}
NEEDS_BACK = frozenset(("year", "part", "rel_n", "rel_the", "ordinal"))  # must match

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
    ("weekday", r"(?P<wd>" + "|".join(WEEKDAYS) + r")\b(?:\s+(?P<part>morning|afternoon|"
     r"evening|night))?", "weekday"),
    # "on the 6th we went": any lower-case word may follow, but not the nouns that make an
    # ordinal a rank ("the 6th army", "the 20th century", "the 33rd anniversary").
    ("ordinal", _day("d") + r"(?:st|nd|rd|th|(?<=[23])d)\b(?=\s*(?:[,.;:)]|$)|\s+I\b|"
     r"\s+(?!(?:army|armies|armoured|corps|division|divisions|regiment|battalion|brigade|fleet|century|centuries|"
     r"floor|grade|district|districts|congress|anniversary|time|times|of|round|place|most|"
     r"largest|party|parliament|session|day|week|year|birthday|edition|street|avenue)\b)"
     r"[a-z])", "ordinal"),
    ("block", r"[0-9]{3}0(?:s|['’]s)\b|[0-9]{4}-(?=[^\W\d_])\w+"
     r"|[0-9]{1,4}(?:[ -][0-9]{2,4}){2,}\b|[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?", ""),
]
PATTERNS = {name: (re.compile(src), back) for name, src, back in _PATTERNS_SRC}
# Which tokens can start each pattern: lower-case words, "#4" a four-digit number (a year),
# "#" a shorter one (a day, an hour), "#*" any number.
_ENGLISH_MONTHS = " ".join([m.lower() for m in _FULL] + [m[:3].lower() for m in _FULL] + ["sept"])
STARTS = {
    "hu_md": " ".join(_HU), "r_md": _ENGLISH_MONTHS, "r_mm": _ENGLISH_MONTHS,
    "mdy": _ENGLISH_MONTHS, "my": _ENGLISH_MONTHS, "month": _ENGLISH_MONTHS,
    "noon": "noon midday midnight", "part": "morning afternoon evening night hours",
    "part2": "mid midmorning midafternoon dawn daybreak dusk nightfall overnight",
    "rel_next": "next following previous preceding same", "rel_that": "that this",
    "rel_n": "day days week weeks month months year years",
    "rel_day_ab": "day morning evening night", "memoir": "yesterday today tomorrow",
    "weekday": " ".join(WEEKDAYS).lower(),
    "iso": "#4", "ymd_dots": "#4", "hu": "#4", "r_yy": "#4", "year": "#4", "block": "#4 # #*",
}

# What rules a number out as a date: "p. 1956" before it, "1500 troops" after it, or
# "from 75 to 1000" before it.
NOT_DATE_BEFORE = re.compile(r"(?:\b(?:pp?|pages?|art|articles?|nos?|vol|isbn|resolution|"
                             r"section|chapter)\.?|§|[$£€]|\bUS\$?|\bCHF|\bSFR)\s*\Z",
                             re.IGNORECASE)
COUNT_NOUN = re.compile(r"\s+(?:people|persons|men|women|soldiers|troops|tanks|km|kilometres|"
                        r"metres|meters|miles|feet|ft|cases|members|votes|copies|students|"
                        r"workers|refugees|dead|killed|wounded|communities|hours|minutes|"
                        r"kg|tons|tonnes|deaths|casualties|prisoners|m)\b", re.IGNORECASE)
NUMBER_RANGE = re.compile(r"[0-9]\s*(?:to|and|[–—-])\s*\Z")
# What may stand between two halves of one expression ("By 02:00" + "on 24 October").
GAP = re.compile(r"[\s,]*(?:(?i:on|of|at|in\s+the)\s+)?")


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


# Cues for ``us_style``: which way round the texts write their dates.
ANY_SLASH = re.compile(r"[0-9]/[0-9]{1,2}/[0-9]")
US_SLASH = re.compile(r"(?<![0-9/])(?:0?[1-9]|1[0-2])/(?:1[3-9]|2[0-9]|3[01])/[0-9]{4}")
EU_SLASH = re.compile(r"(?<![0-9/])(?:1[3-9]|2[0-9]|3[01])/(?:0?[1-9]|1[0-2])/[0-9]{4}")
MONTH_FIRST = re.compile(_mon("m") + r"\s+[0-9]{1,2}(?:st|nd|rd|th)?,\s+[0-9]{4}")
DAY_FIRST = re.compile(r"\b[0-9]{1,2}(?:st|nd|rd|th)?\s+" + _mon("m") + r"\s+[0-9]{4}")
