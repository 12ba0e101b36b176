"""The spans the place reader works on: a passage's words (``Token``, ``tokens``) and the
place mentions it finds in them (``Mention``).

Apart from ``mentions`` so that the people finder and the cue reader share the words
without importing the whole reader.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ..text.folding import fold

__all__ = ["Mention", "Token", "contiguous", "tokens"]


@dataclass(frozen=True)
class Mention:
    """A place name in a passage: ``text`` as written, ``name`` as to look up."""

    doc: str
    passage: int
    start: int
    end: int
    text: str
    name: str
    # "lexicon" | "district" | "cue" | "article" (after "the": "in the Wheatfield") |
    # "eponym" (names an event: "Suez Crisis") | …
    how: str


class Token(NamedTuple):
    """A word of a passage with its offsets and folded form.

    A named tuple, not a dataclass: a text of 1 MB has 200,000 of them, and a frozen
    dataclass takes three times as long to make.
    """

    start: int
    end: int
    text: str
    key: str

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


_TOKEN = re.compile(r"[^\W_][\w?]*(?:['’-][\w?]+)*|\?(?=\w)[\w?]*")

#: Folded forms of the words seen (a plain dict: an lru_cache call costs more than the
#: lookup); bounded, a word past the bound is folded each time.
_FOLDED: dict[str, str] = {}
_MAX_FOLDED = 1 << 17


@functools.lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[Token, ...]:
    """Split ``text`` into word tokens (``?`` counts as a letter inside a word).

    Cached: the people and mention finders both read every passage.

    >>> [t.text for t in tokens("Ern? Ger?'s men, in Gy?r-Moson.")]
    ['Ern?', "Ger?'s", 'men', 'in', 'Gy?r-Moson']
    """
    out: list[Token] = []
    add = out.append
    folded = _FOLDED.get
    for m in _TOKEN.finditer(text):
        word = m.group()
        key = folded(word)
        if key is None:
            key = fold(word)
            if len(_FOLDED) < _MAX_FOLDED:
                _FOLDED[word] = key
        add(_new_token(Token, (m.start(), m.end(), word, key)))
    return tuple(out)


_new_token = tuple.__new__  # Token(...) without the keyword-argument wrapper


def contiguous(text: str, window: Sequence[Token]) -> bool:
    """Words of a name are separated only by spaces, hyphens, apostrophes or dots.

    A dot joins only after an abbreviation ("St. Petersburg"): after a longer word it ends
    a sentence ("Bornholmer Strasse. At 11:30 …").
    """
    for x, y in itertools.pairwise(window):
        gap = text[x.end : y.start]
        if len(gap) > 2 or any(c not in " -'’." for c in gap):
            return False
        if "." in gap and len(x.text) > 3 and not x.text.isupper():  # "VIII. kerület"
            return False
    return True
