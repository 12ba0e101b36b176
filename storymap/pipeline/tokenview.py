"""The view of a passage's tokens that the place reader's rules share.

``Found`` is a name a rule found (token span, name to look up, and how); the helpers say
whether a token is capitalised, how two tokens are joined, and which words end a name.
Split from ``toponyms.py`` so the abbreviation and feature rules live in modules of
their own (``abbreviations.py``, ``features.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .placewords import PlaceWords

__all__ = ["ORDINAL_NUMBER", "Found", "Tok", "cap", "caps", "gap", "joined", "particle",
           "stop"]


@dataclass(frozen=True)
class Found:
    """A place name the reader found: token span, name to look up, and how."""

    first: int  # index of the first token
    last: int  # index of the last token (inclusive)
    start: int
    end: int
    name: str
    how: str  # "abbreviation" | "feature" | "name" | "article" (after "the")


class Tok(Protocol):
    """The view of a token the reader needs (mentions.Token has it)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def key(self) -> str: ...


ORDINAL_NUMBER = re.compile(r"\d+(?:st|nd|rd|th|d)$")
def cap(t: Tok) -> bool:
    return t.text[:1].isupper()


def caps(t: Tok) -> bool:
    return t.text.isupper() and len(t.text) > 1


def gap(text: str, a: Tok, b: Tok) -> str:
    return text[a.end : b.start]


def joined(text: str, a: Tok, b: Tok) -> bool:
    """Words of one name: separated by a space, a hyphen or a dot after an initial."""
    between = gap(text, a, b)
    if between in (" ", "-", "'", "’"):
        return True
    if between in ("' ", "’ ", " ' ", " ’ ") and a.text.endswith("s"):
        return True  # "Banks' Ford", "Adams' Run": a possessive of a name in -s
    return between in (". ", ".") and len(a.text) <= 2 and a.text[:1].isupper()


def stop(t: Tok, words: PlaceWords) -> bool:
    """Words that end a name even in ALL-CAPS text ("CAMP ON RIO GRANDE")."""
    return t.key in words.enders


def particle(text: str, toks: Sequence[Tok], j: int, words: PlaceWords) -> int:
    """Return how many lower-case particles from token ``j`` lead on to a capitalised word
    of the same name ("an der" in "Frankfurt an der Oder"); 0 if none do."""
    n = len(toks)
    k = j
    while k < n and k - j < 3 and toks[k].key in words.particles and not cap(toks[k]) \
            and gap(text, toks[k - 1], toks[k]) in (" ", "-"):
        k += 1
    if k == j or k >= n or not cap(toks[k]) or gap(text, toks[k - 1], toks[k]) not in (" ", "-"):
        return 0
    return k - j
