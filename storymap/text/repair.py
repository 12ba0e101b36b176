"""Restore letters that WikiText-103 replaced with ``?`` ("Ger?" → "Gerő") for display.

A word with ``?`` is repaired only when exactly one word of the story's vocabulary (the
other texts, the gazetteer's names) fits it letter for letter, with a letter outside
ASCII where each ``?`` stands. Quotes and titles are shown repaired; offsets, mentions and
the documents themselves keep the source as it is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

__all__ = ["repair", "repairs", "vocabulary"]

_GAP_WORD = re.compile(r"[^\W\d_]*\?[^\W\d_?]*(?:\?[^\W\d_?]*)*")
_WORD = re.compile(r"[^\W\d_]+")


def repairs(gap_words: Iterable[str], vocabulary: Iterable[str]) -> dict[str, str]:
    """Return {"Ger?": "Gerő", …} for the gap words exactly one vocabulary word fits.

    >>> repairs(["Ger?", "Gy?r", "Pet?fi"], ["Gerő", "Győr", "Gyűr", "Petőfi"])
    {'Ger?': 'Gerő', 'Pet?fi': 'Petőfi'}
    """
    by_length: dict[int, list[str]] = {}
    for word in set(vocabulary):
        by_length.setdefault(len(word), []).append(word)
    out: dict[str, str] = {}
    for gap in sorted(set(gap_words)):
        if "?" not in gap or not gap.strip("?"):
            continue
        rx = re.compile("".join("[^\\x00-\\x7f]" if c == "?" else re.escape(c) for c in gap)
                        + r"\Z")
        fits = [w for w in by_length.get(len(gap), ()) if rx.match(w)]
        if len(fits) == 1:
            out[gap] = fits[0]
    return out


def repair(text: str, table: Mapping[str, str]) -> str:
    """Return ``text`` with every repairable word restored.

    >>> repair("Ern? Ger?'s men", {"Ern?": "Ernő", "Ger?": "Gerő"})
    "Ernő Gerő's men"
    """
    if not table or "?" not in text:
        return text
    return _GAP_WORD.sub(lambda m: table.get(m.group(), m.group()), text)


def gap_words(texts: Iterable[str]) -> set[str]:
    """Return the words of ``texts`` that hold a ``?``."""
    # A text without "?" holds no such word: tested at C speed before the pattern runs.
    return {w for t in texts if "?" in t for w in _GAP_WORD.findall(t) if w.strip("?")}


def vocabulary(texts: Iterable[str]) -> set[str]:
    """Return the words of ``texts`` that have a letter outside ASCII."""
    out: set[str] = set()
    for t in texts:
        if t.isascii():  # no word of it can have a letter outside ASCII (checked at C speed)
            continue
        if len(t) >= 1000:  # a document: edit mode reads the same ones after every change
            out |= _vocabulary_of(t)
        else:  # a quote or a name: not worth a place in the cache
            out.update(w for w in _WORD.findall(t) if not w.isascii())
    return out


@functools.lru_cache(maxsize=64)
def _vocabulary_of(text: str) -> frozenset[str]:
    # Edit mode rebuilds a story from the same texts after every correction.
    return frozenset(w for w in _WORD.findall(text) if not w.isascii())
