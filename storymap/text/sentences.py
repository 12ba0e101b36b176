"""Sentence spans of a normalised passage: where a run of ".", "!" or "?" ends a sentence.

An abbreviation ("Gen.", "Nov."), an initial, a clock mark ("At 6 a.m. General …") or a
number before a lower-case word does not end one; in WikiText-103 sources a "?" glued to a
letter is a lost letter. Apart from ``text.passages`` because it reads text already
normalised: the later stages split each passage with it (``Passage.sentences``).
"""

from __future__ import annotations

import functools
import re

from ..lang.profile import Profile
from .passagewords import _lexicon

__all__ = ["sentence_spans"]

# Starts only where a run of . ! ? starts (the look-behind): from inside a run of n marks
# it would try n starts, each running to the run's end — 32 KB of "." took 27 s.
_SENTENCE_END = re.compile(r"(?<![.!?])[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-ZÀ-Ý0-9])")
#: The word before a full stop, looked for in at most this many characters before it
#: (an abbreviation is short; searching from the sentence start was quadratic).
_WORD_REACH = 64
_WORD_BEFORE = re.compile(r"[\w.]+\Z")
_LOWER_NEXT = re.compile(r"\s+[a-z]")


@functools.lru_cache(maxsize=4096)
def _sentences(text: str, lost_letters: bool) -> tuple[tuple[int, int], ...]:
    # The dates and the events stages both split every passage (English profile).
    return tuple(sentence_spans(text, lost_letters=lost_letters))


def sentence_spans(text: str, *, lost_letters: bool = False,
                   profile: Profile | None = None) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of ``text``.

    With ``lost_letters`` (WikiText-103 sources), a "?" glued to a letter is a letter
    WikiText lost ("Ern? Ger? spoke"), not the end of a question.

    >>> t = "Gen. Serov came. On 4 Nov. the tanks rolled. It ended."
    >>> [t[a:b] for a, b in sentence_spans(t)]
    ['Gen. Serov came.', 'On 4 Nov. the tanks rolled.', 'It ended.']
    >>> len(sentence_spans("Ern? Ger? spoke.", lost_letters=True))
    1
    """
    spans: list[tuple[int, int]] = []
    start = 0
    abbreviations = _lexicon(profile).abbreviations
    for m in _SENTENCE_END.finditer(text):
        if lost_letters and text[m.start()] == "?" and m.start() and text[m.start() - 1].isalpha():
            continue
        if text[m.start()] == ".":
            word = _WORD_BEFORE.search(text[max(start, m.start() - _WORD_REACH) : m.start()])
            token = word.group().lower() if word else ""
            if token in abbreviations or (len(token) == 1 and token.isalpha()):
                continue
            if token in _lexicon(profile).clock_marks and m.start() - start <= 24 \
                    and len(text[start:m.start()].split()) <= 3:
                continue  # "At 6 a.m. General Jaruzelski spoke": no sentence is a time alone
            if token.isdigit() and token.isascii() and _LOWER_NEXT.match(text, m.end()):
                continue
        spans.append((start, m.end()))
        start = m.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        spans.append((start, len(text.rstrip()) if text.rstrip() else len(text)))
    return [(a, b) for a, b in spans if b > a]
