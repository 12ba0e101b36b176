"""Name folding: the one way storymap compares place names.

Folding is case-, accent- and punctuation-insensitive, so "Mosonmagyaróvár",
"Mosonmagyarovar" and "MOSONMAGYARÓVÁR" meet. WikiText-103 replaced letters outside
Latin-1 with ``?``: a ``?`` in a name is a wildcard for one letter ("Gy?r" = "Győr").
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["WildcardPattern", "fold", "has_wildcard", "wildcard_match", "wildcard_regex"]

# Letters that do not decompose into base letter + combining mark.
_SPECIAL = str.maketrans({
    "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "þ": "th",
    "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "ħ": "h",
    "‘": "'", "’": "'", "ʼ": "'", "`": "'", "´": "'",
    "–": "-", "—": "-", "‐": "-", "‑": "-",
})
_NON_WORD = re.compile(r"[^\w?]+")


@functools.lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """Return the comparison key of a name: lower case, no accents, single spaces.

    Hyphens, apostrophes and dots become spaces; ``?`` is kept (it is a wildcard).

    >>> fold("Mosonmagyaróvár")
    'mosonmagyarovar'
    >>> fold("Pécs – Mecsek")
    'pecs mecsek'
    >>> fold("Stalin's  dacha"), fold("Gy?r"), fold("Łódź")
    ('stalin s dacha', 'gy?r', 'lodz')
    """
    text = name.translate(_SPECIAL)
    if not text.isascii():  # ASCII has nothing to decompose
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", text.casefold().replace("_", " ")).strip()


def has_wildcard(key: str) -> bool:
    """Return True if a folded key holds a ``?`` standing for a lost letter."""
    return "?" in key


#: A run of more ``?`` than this is a whole word lost (Cyrillic, Greek, Chinese), not a
#: letter or two of a Latin name: such a key matches nothing.
MAX_WILDCARD_RUN = 6


class WildcardPattern:
    """A compiled wildcard key: literal letters and runs of ``?`` (each 1–2 letters).

    Matching walks the name once per element of the key, keeping the set of positions the
    key can have reached (no backtracking), so it takes at most len(key) × len(name) steps
    whatever the key: a regex with one ``[a-z]{1,2}`` per ``?`` was exponential in the
    length of a run of ``?``.
    """

    __slots__ = ("_parts", "key")

    def __init__(self, key: str) -> None:
        self.key = key
        parts: list[tuple[str, int, int]] = []  # (literal, 0, 0) or ("", min, max)
        for m in re.finditer(r"\?+|[^?]+", key):
            piece = m.group()
            if piece[0] != "?":
                parts.append((piece, 0, 0))
                continue
            n = len(piece)
            if n > MAX_WILDCARD_RUN:
                parts = [("\0", 0, 0)]  # matches no folded name
                break
            at_word_end = m.end() == len(key) or key[m.end()] == " "
            # A lost letter may have been one that folds to two (ß → ss); at the end of a
            # word "?" may also be a lost dash glued to it ("Bem? a national hero").
            parts.append(("", n - 1 if at_word_end else n, 2 * n))
        self._parts = tuple(parts)

    def match(self, name: str) -> bool:
        """Return True if all of ``name`` matches the key."""
        reach = {0}
        size = len(name)
        for literal, low, high in self._parts:
            nxt: set[int] = set()
            if literal:
                for p in reach:
                    if name.startswith(literal, p):
                        nxt.add(p + len(literal))
            else:
                for p in reach:
                    for k in range(high + 1):
                        if k and (p + k > size or not "a" <= name[p + k - 1] <= "z"):
                            break
                        if k >= low:
                            nxt.add(p + k)
            if not nxt:
                return False
            reach = nxt
        return size in reach

    def length_range(self) -> tuple[int, int]:
        """Return the shortest and longest name the key can match."""
        low = sum(len(lit) if lit else lo for lit, lo, _ in self._parts)
        high = sum(len(lit) if lit else hi for lit, _, hi in self._parts)
        return low, high


def wildcard_regex(key: str) -> WildcardPattern:
    """Return a matcher for folded names where each ``?`` of ``key`` is any one letter.

    A lost letter may have been one that folds to two (ß → ss), so ``?`` takes 1–2. At
    the end of a word ``?`` may also be a lost dash glued to it ("Bem? a national hero"),
    so there it takes 0–2. (The name is historic: it is no longer a regex, so that no key
    can make matching exponential.)

    >>> wildcard_regex("statue of bem?").match("statue of bem")
    True
    >>> wildcard_regex("a" + "?" * 30).match("a" * 29 + "b")
    False
    """
    return WildcardPattern(key)


def wildcard_match(key: str, name_key: str) -> bool:
    """Return True if folded ``name_key`` matches folded ``key`` (``?`` = one letter).

    >>> wildcard_match("gy?r", "gyor"), wildcard_match("ern? ger?", "erno gero")
    (True, True)
    >>> wildcard_match("gy?r", "gyoer r")
    False
    """
    if not has_wildcard(key):
        return key == name_key
    return wildcard_regex(key).match(name_key)
