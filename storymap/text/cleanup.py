"""The ``Passage`` record, and the character clean-ups that make its text from a paragraph's lines.

Every clean-up deletes characters or swaps one for another (WikiText-103 "@-@" joins, spaces
before punctuation, wiki and Markdown emphasis and link marks), so every character of a
passage keeps the offset of the source character it came from (``Passage.offsets``). Apart
from ``text.passages``, which decides where paragraphs, headings and sections are, because
this is the one place that makes and keeps the offset map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .sentences import _sentences

__all__ = ["Passage"]


@dataclass(frozen=True)
class Passage:
    """A paragraph of normalised text.

    ``offsets[i]`` is the offset in the original document of ``text[i]``; the extra last
    entry is the offset just past the paragraph.
    """

    doc: str
    index: int
    section: int
    heading: str
    text: str
    offsets: tuple[int, ...]
    #: True for WikiText-103 tokenised sources, where a "?" glued to a word is a lost letter.
    lost_letters: bool = False
    #: A heading, title, caption or list label written as plain text: it opens a section
    #: and frames the dates below it, but is never an event (storymap.pipeline.events).
    structure: bool = False

    def sentences(self) -> list[tuple[int, int]]:
        """Return the (start, end) spans of this passage's sentences."""
        return list(_sentences(self.text, self.lost_letters))

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``text[start:end]`` to (start, end) offsets in the original document."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


# Character-level clean-ups, each as (pattern, group to delete or swap).
# WikiText-103 joins: " @-@ " → "-", " @,@ " → ",", " @.@ " → ".".
_AT_JOIN = re.compile(r" ?@([-,.])@ ?")
# Space before closing punctuation or a clitic: "word ," "People 's" "( x )" "03 : 00".
# A "?" is closing punctuation only alone ("Why ?"): "??? ???" are WikiText words whose
# letters were lost (Cyrillic, CJK), kept apart (joined, they made one run of 160 KB).
_SPACE_BEFORE = re.compile(r" +(?=[,.;:!)\]%]|\?(?![?\w])(?! [a-z0-9(])|'s\b|'\s|n't\b)")
_SPACE_AFTER_OPEN = re.compile(r"(?<=[(\[]) +")
_TIME_COLON = re.compile(r"(?<=\d) : (?=\d\d\b)")
# WikiText replaced dashes between clauses with "?": "word ? word" → "word – word".
_DASH_QMARK = re.compile(r"(?<= )\?(?= [a-z0-9(])")
_MARKUP = re.compile(r"\*\*|__|'''|''|\[\[(?:[^|\]]*\|)?|\]\]|\[(?=[^\]]*\]\()|\]\([^)]*\)")
_SPACES = re.compile(r"[ \t\u00a0]{2,}|\t")


def _passage(lines: list[tuple[int, str]], *, doc: str, index: int, section: int,
             heading: str, lost_letters: bool) -> Passage:
    offsets: list[int] = []
    for n, (start, body) in enumerate(lines):
        if n:  # a line break inside a paragraph reads as a space
            offsets.append(start - 1)
        offsets.extend(range(start, start + len(body)))
    raw = " ".join(body for _, body in lines)
    # Marks and runs, not a loop over characters: a paragraph is read in a few regex passes.
    drop = bytearray(len(raw))  # 1 = deleted
    swap: dict[int, str] = {}

    def delete(pattern: re.Pattern[str], keep_group: int | None = None) -> None:
        for m in pattern.finditer(raw):
            a, b = m.span()
            if keep_group is not None and m.start(keep_group) >= 0:
                ka, kb = m.span(keep_group)
                drop[a:ka] = b"\1" * (ka - a)
                drop[kb:b] = b"\1" * (b - kb)
            else:
                drop[a:b] = b"\1" * (b - a)

    delete(_AT_JOIN, keep_group=1)
    delete(_SPACE_BEFORE)
    delete(_SPACE_AFTER_OPEN)
    delete(_TIME_COLON)
    for m in _TIME_COLON.finditer(raw):  # keep the colon itself: "20 : 00" → "20:00"
        drop[m.start() + 1] = 0
    delete(_MARKUP)
    for m in _DASH_QMARK.finditer(raw):
        swap[m.start()] = "–"
    if swap:
        letters = list(raw)
        for i, ch in swap.items():
            letters[i] = ch
        raw = "".join(letters)
    # The characters kept, with their offsets.
    pieces: list[str] = []
    kept_offsets: list[int] = []
    for run in _KEPT.finditer(drop):
        a, b = run.span()
        pieces.append(raw[a:b])
        kept_offsets.extend(offsets[a:b])
    kept = "".join(pieces)
    # Collapse runs of white space left by the deletions: each run becomes one space (none
    # at the start or the end of the paragraph). A single space inside is already right.
    out_chars: list[str] = []
    out_offsets: list[int] = []
    pos = 0
    for m in _BLANKS.finditer(kept):
        a, b = m.span()
        out_chars.append(kept[pos:a])
        out_offsets.extend(kept_offsets[pos:a])
        if a and b < len(kept):
            out_chars.append(" ")
            out_offsets.append(kept_offsets[a])
        pos = b
    out_chars.append(kept[pos:])
    out_offsets.extend(kept_offsets[pos:])
    end = out_offsets[-1] + 1 if out_offsets else (lines[0][0] if lines else 0)
    return Passage(doc=doc, index=index, section=section, heading=heading,
                   text="".join(out_chars), offsets=(*out_offsets, end),
                   lost_letters=lost_letters)


_KEPT = re.compile(rb"\x00+")
_BLANKS = re.compile("^[ \t\u00a0]+|[ \t\u00a0]+\\Z|[ \t\u00a0]{2,}|[\t\u00a0]")
