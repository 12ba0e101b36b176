"""Which date expressions set the narration's date (anchors), and the words that decide it.

An anchor moves the narration: what follows is read from it. The rules are in
``storymap.pipeline.dates`` ("Anchors"); the words are the profile's (``dates.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ...lang.cache import PerProfile
from ...lang.profile import Profile
from .datetext import Raw
from .resolve import Point

__all__ = ["Words", "is_anchor", "words"]


def _alt(words: Sequence[str]) -> str:
    out = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in out)


@dataclass(frozen=True)
class Words:
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
    plan: re.Pattern[str]  # "ordered to …": a date after it is the plan's, not the narration's
    back_preps: frozenset[str]  # "since Monday": a weekday before the narration's day


def _words_of(p: Profile) -> Words:
    months = _alt([m.capitalize() for m in (*p.table("months"), *p.table("month_abbreviations"))])
    ords = _alt(p.phrases("date_ordinals"))
    return Words(
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
        plan=re.compile(rf"\b(?:{_alt(p.phrases('plan_words'))})\b", re.IGNORECASE),
        back_preps=frozenset(p.phrases("weekday_back_preps")),
    )


_WORD = re.compile(r"[^\W\d_][\w'’-]*|[0-9]+")


def is_anchor(text: str, opening: int, raw: Raw, kind: str, first: Point,
              context_day: date | None, w: Words) -> bool:
    """Decide whether the narration that follows takes this expression as its date.

    ``opening`` is where its sentence starts in ``text``; ``first`` its (first) date;
    ``context_day`` the day the narration is at.
    """
    before = text[opening:raw.start]
    if w.plan.search(before):
        return False  # "ordered to clear the square by six the next morning": a plan
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


words = PerProfile(_words_of)
