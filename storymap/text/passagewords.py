"""The passage reader's words from a language profile (``passages.yaml``), read once per profile.

Headings that name back matter, words that cannot end a sentence, abbreviations, caption
openers and clock marks. The paragraph reader (``text.passages``) and the sentence splitter
(``text.sentences``) both read them, so they are in a module of their own below both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lang.cache import PerProfile
from ..lang.profile import Profile


@dataclass(frozen=True)
class _Lexicon:
    back_matter: frozenset[str]  # whole headings, white space normalised
    cannot_end: frozenset[str]
    abbreviations: frozenset[str]
    caption: re.Pattern[str]  # "Figure 2:", "Map 1 –", "Plate IV."
    clock_marks: frozenset[str]  # "a.m", "p.m"


def _lexicon_of(p: Profile) -> _Lexicon:
    words = sorted(p.phrases("caption_openers"), key=lambda w: (-len(w), w))
    return _Lexicon(
        back_matter=frozenset(" ".join(h.split()) for h in p.phrases("back_matter_headings")),
        cannot_end=p.words("cannot_end_words"), abbreviations=p.words("sentence_abbreviations"),
        clock_marks=p.words("clock_marks"),
        caption=re.compile(r"^\s*(?:" + "|".join(re.escape(w) for w in words)
                           + r")(?:\s+(?:[0-9]+[a-z]?|[IVXLC]+))?\s*[.:–—-]\s", re.IGNORECASE))


_lexicon = PerProfile(_lexicon_of)
