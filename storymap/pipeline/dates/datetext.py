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

The ``Raw`` record and the joining of neighbours are in ``dates.raw``, what each pattern
hit means in ``dates.datehits``; their public names are exported from here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from storymap.lang.cache import PerProfile
from storymap.lang.profile import Profile
from storymap.pipeline.dates.datehits import _HANDLERS, _calendar, _Handler, _Hit, parse_clock
from storymap.pipeline.dates.datepatterns import Grammar, grammar, trie
from storymap.pipeline.dates.raw import PARTS_OF_DAY, Raw, _join

__all__ = ["PARTS_OF_DAY", "Raw", "month_number", "parse_clock", "scan", "us_style"]


def month_number(word: str, *, profile: Profile | None = None) -> int | None:
    """Return the number (1–12) of a month name or abbreviation of the profile (English).

    >>> month_number("Oct."), month_number("September"), month_number("október")
    (10, 9, 10)
    >>> month_number("Moon") is None
    True
    """
    return grammar(profile).month_number(word)


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
