"""Stage 1: text → normalised passages, each with a map back to the original offsets.

Reads plain text, MediaWiki-style text (``==Heading==``, an Infobox block at the top),
Markdown and WikiText-103 tokenised text (``@-@``, spaces before punctuation, ``= = H = =``
headings). Normalisation only deletes characters or swaps one character for another,
so every character of a passage keeps the offset of the source character it came from.

Headings split the text into sections: ``Passage.section`` increases at every heading,
and later stages never carry context (dates) across a section boundary. A plain-text heading
(a short line without a sentence's end, above the prose it heads: "Aftermath", "Day two: 2
July", the title block) and a caption ("Figure 2: …") are *structure*: they stay passages
(their names are mentions, their dates frame what is below them) marked
``Passage.structure``, and tell no event.

``Passage`` and the character clean-ups are in ``text.cleanup``, the sentence splitter
in ``text.sentences``, the profile's words in ``text.passagewords``; ``Passage`` and
``sentence_spans`` are exported from here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from ..lang.profile import Profile
from .cleanup import Passage, _passage
from .passagewords import _Lexicon, _lexicon
from .sentences import sentence_spans

__all__ = ["Passage", "normalise", "sentence_spans"]


# A heading: WikiText-103 "= = Title = =" (with stray leading "#"), MediaWiki "==Title==",
# or Markdown "## Title".
_WIKI_HEADING = re.compile(r"^\s*#*\s*(=(?:\s*=)*)\s*(?P<title>[^=].*?)\s*(=(?:\s*=)*)\s*$")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+(?P<title>\S.*?)\s*#*\s*$")
_INFOBOX_START = re.compile(r"^\s*(\{\{\s*)?infobox\b", re.IGNORECASE)
_INFOBOX_FIELD = re.compile(r"^\s*(-|\|)\s*[\w ]+\s*[:=]")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+\S")


def normalise(text: str, *, doc: str = "", profile: Profile | None = None) -> tuple[Passage, ...]:
    """Split ``text`` into normalised paragraphs (passages) with offset maps.

    >>> [p.text for p in normalise("= = First shots = =\\nOn 23 October , at 20 : 00 .")]
    ['On 23 October, at 20:00.']
    >>> p = normalise("Pro @-@ Soviet forces")[0]
    >>> p.text, p.source_span(0, len(p.text))
    ('Pro-Soviet forces', (0, 21))
    """
    return _normalised(text, doc, _lexicon(profile))


@functools.lru_cache(maxsize=16)
def _normalised(text: str, doc: str, lexicon: _Lexicon) -> tuple[Passage, ...]:
    # The reading of a text and its display edits (storymap.text.display) both normalise it,
    # and edit mode does so again after each correction: the last few are kept.
    passages: list[Passage] = []
    lost = is_wikitext(text)
    section = 0
    heading = ""
    para: list[tuple[int, str]] = []  # (offset of line, line) of the paragraph being read
    in_infobox = False
    back_matter, cannot_end = lexicon.back_matter, lexicon.cannot_end

    def flush() -> None:
        if not para:
            return
        for lines, structure in _structure_split(para, lexicon):
            p = _passage(lines, doc=doc, index=len(passages), section=section,
                         heading=heading, lost_letters=lost)
            if p.text.strip():
                passages.append(replace(p, structure=structure) if structure else p)
        para.clear()

    lines = text.splitlines(keepends=True)
    offset = 0
    for n, line in enumerate(lines):
        start, offset = offset, offset + len(line)
        body = line.rstrip("\r\n")
        if not body.strip():
            if not _continues(para, lines, n, cannot_end):
                flush()
            in_infobox = False
            continue
        if _INFOBOX_START.match(body) and not passages and not para:
            in_infobox = True
            continue
        if in_infobox and (_INFOBOX_FIELD.match(body) or body.strip() in ("}}", "|}")):
            continue
        in_infobox = False
        m = _WIKI_HEADING.match(body) or _MD_HEADING.match(body)
        if m:
            flush()
            section += 1
            heading = _clean_heading(m.group("title"))
            continue
        if heading.lower() in back_matter:
            continue
        if _LIST_ITEM.match(body) or (para and _LIST_ITEM.match(para[0][1])
                                      and not body[:1].isspace()):
            flush()  # every list item is a paragraph of its own, and so is what follows
        para.append((start, body))
    flush()
    return _sectioned(passages, lexicon)


def _continues(para: list[tuple[int, str]], lines: list[str], n: int,
               cannot_end: frozenset[str]) -> bool:
    """A paragraph cut mid-sentence by a blank line goes on in the next line."""
    if not para or para[-1][1].rstrip().endswith((".", "!", "?", ":", '"', "'", ")", "”")):
        return False
    if len(para[-1][1]) < 40:
        return False  # a short unpunctuated line is a title or a list item
    last = para[-1][1].split()[-1]
    for k in range(n + 1, len(lines)):  # not lines[n + 1:]: a copy per blank line
        line = lines[k]
        if line.strip():
            first = line.lstrip()[:1]
            if not first.isalpha() or _WIKI_HEADING.match(line):
                return False
            # "in the | working-class stronghold", "the Budapest Hungarian | Working People's
            # Party": a lower-case start, a word that cannot end a sentence, or a name
            # running on. "had been released | With most of" is a new paragraph.
            return (first.islower() or last.lower() in cannot_end
                    or (last[:1].isupper() and first.isupper()))
    return False




#: A plain-text heading is short: at most this many words and characters on its line.
_HEADING_WORDS = 12
_HEADING_CHARS = 100
#: What ends a line of prose: a sentence's end or a clause's, perhaps inside a quote.
_PROSE_END = re.compile(r"[.!?;:,…][\"'”’)\]]*\s*$")


def _structure_line(body: str) -> bool:
    """True if a line reads as a heading, a title or a label: short, with no sentence end.

    It starts with a capital or a digit ("The Rising", "Day two: 2 July", "1914–1918"),
    holds a letter, and does not end as prose does ("Aftermath" yes, "He died." no, nor a
    line that introduces a list: "Several events alarmed them:").
    """
    line = body.strip()
    if not line or len(line) > _HEADING_CHARS or len(line.split()) > _HEADING_WORDS:
        return False
    first = line.lstrip("-*•([\"'“‘#")[:1]
    return ((first.isupper() or first.isdigit()) and any(c.isalpha() for c in line)
            and _PROSE_END.search(line) is None)


def _structure_split(para: list[tuple[int, str]],
                     lexicon: _Lexicon) -> list[tuple[list[tuple[int, str]], bool]]:
    """Split a paragraph into its leading heading lines and its prose: [(lines, structure)].

    A paragraph of heading lines only ("The Easter Rising: Dublin, 1916 / A handout") is
    structure; so are heading lines that open a paragraph of prose on the next line
    ("Aftermath / The week left …"), and a caption ("Figure 2: The square at dawn.").
    Hard-wrapped prose has long lines: its unpunctuated line ends stay prose.
    """
    lines = list(para)
    if len(lines) == 1 and lexicon.caption.match(lines[0][1]) \
            and len(lines[0][1].split()) <= 3 * _HEADING_WORDS:
        return [(lines, True)]
    heads = 0
    while heads < len(lines) and _structure_line(lines[heads][1]):
        heads += 1
    if heads == len(lines):
        return [(lines, True)]
    if heads and lines[heads][1].lstrip()[:1].isupper():
        return [(lines[:heads], True), (lines[heads:], False)]
    return [(lines, False)]


def _sectioned(passages: list[Passage], lexicon: _Lexicon) -> tuple[Passage, ...]:
    """Confirm plain-text headings and open a section at each one.

    A heading heads something: a structure passage with no prose after it in the text (a
    lone line, a signature at the end) is prose. A caption stays structure wherever it is.
    Each confirmed heading opens a section named by it, as a marked-up heading does; under
    a plain heading that names back matter ("References"), the passages are skipped.
    """
    if not any(p.structure for p in passages):
        return tuple(passages)
    prose_after = [False] * (len(passages) + 1)
    for i in range(len(passages) - 1, -1, -1):
        prose_after[i] = prose_after[i + 1] or not passages[i].structure
    out: list[Passage] = []
    bump = 0  # sections opened by plain headings so far
    marked = None  # (section, heading) of the last marked-up heading seen
    plain: str | None = None
    for i, p in enumerate(passages):
        if (p.section, p.heading) != marked:
            marked, plain = (p.section, p.heading), None
        caption = p.structure and lexicon.caption.match(p.text) is not None
        heading = p.structure and not caption and prose_after[i + 1]
        if heading:
            bump += 1
            plain = _clean_heading(p.text)
        elif plain is not None and " ".join(plain.lower().split()) in lexicon.back_matter:
            continue
        out.append(replace(p, index=len(out), section=p.section + bump,
                           heading=plain if plain is not None else p.heading,
                           structure=heading or caption))
    return tuple(out)


def _clean_heading(title: str) -> str:
    return re.sub(r"\s+", " ", title.replace("=", " ")).strip()


def is_wikitext(text: str) -> bool:
    """True if ``text`` looks WikiText-103 tokenised (" @-@ ", " , " and " . " joins).

    >>> is_wikitext("Pro @-@ Soviet forces , 2 @,@ 500 men ."), is_wikitext("Pro-Soviet forces.")
    (True, False)
    """
    sample = text[:20000]
    spaced = len(re.findall(r" [,.;:](?= |$)", sample, re.MULTILINE))
    glued = len(re.findall(r"\w[,.;:](?= |$)", sample, re.MULTILINE))
    return " @-@ " in sample or " @,@ " in sample or (spaced >= 2 and spaced > glued)
