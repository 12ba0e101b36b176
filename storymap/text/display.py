"""How each text of a story reads on the page: normalised and repaired, at its own offsets.

A pipeline stage, run once when a story is combined (``storymap.pipeline.combine``): the
edits are carried in the model (``Document.edits``, in the story JSON), so the renderer
reads them and never runs a text stage. A story without them shows its raw text.

The text view marks places, dates and quotes at offsets into the document's original
text, so it keeps those offsets and shows the source through a list of edits instead of
a second text. The edits are those of the pipeline's own reading: ``passages.normalise``
(WikiText-103's ``@-@`` joins and spaces before punctuation gone, one character swapped
for another) and ``repair`` (a letter WikiText lost, restored where exactly one word of
the story fits). Both only delete a character or swap one for another, so an edit is a
deletion of a run of characters or one new character at one offset, and a quote found at
``start:end`` of the source is still at ``start:end``.

Headings show their title without the markup around it; other text outside the passages
(skipped back matter) is shown as it stands.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from ..model import Document, Story
from .passages import _MD_HEADING, _WIKI_HEADING, Passage, normalise
from .repair import gap_words, repair, repairs, vocabulary

__all__ = ["display_edits", "with_display_edits"]


def with_display_edits(story: Story,
                       passages: Mapping[str, Sequence[Passage]] | None = None, *,
                       known: Mapping[str, Sequence[int | str]] | None = None) -> Story:
    """Return ``story`` with each document's ``edits`` set (see :func:`display_edits`).

    ``known`` gives the edits of documents worked out before (:func:`document_edits`).
    """
    edits = display_edits(story, passages, known=known)
    return replace(story, documents=tuple(replace(d, edits=tuple(edits.get(d.id, ())))
                                          for d in story.documents))


def display_edits(story: Story, passages: Mapping[str, Sequence[Passage]] | None = None,
                  *, known: Mapping[str, Sequence[int | str]] | None = None,
                  ) -> dict[str, list[int | str]]:
    """Return per document id its display edits as one flat list.

    ``passages`` are the documents' passages as the pipeline read them (by document id);
    ``known`` the edits of documents worked out before (:func:`document_edits`); any other
    document is normalised here (the English profile).

    The list holds pairs ``gap, what``: ``gap`` is the offset (code points) after the end
    of the previous edit, ``what`` a number of characters deleted there or a string of one
    character put in place of the one there. Deltas keep the numbers short in the page.

    >>> from storymap.model import Document, Place, Story
    >>> doc = Document(id="d", title="t", text="In 1956 @-@ 57 Pozna? rose .")
    >>> city = Place(id="p", name="Poznań", lat=52.4, lon=16.9, kind="city")
    >>> story = Story(title="s", documents=(doc,), places=(city,), events=())
    >>> display_edits(story)["d"]  # " @" and "@ " go, "?" is "ń", the space before "." goes
    [7, 2, 1, 2, 8, 'ń', 5, 1]
    """
    vocab: set[str] | None = None  # read only if some text lost letters
    out: dict[str, list[int | str]] = {}
    for doc in story.documents:
        if known is not None and doc.id in known:
            out[doc.id] = list(known[doc.id])
            continue
        source = doc.text
        drop: list[tuple[int, int]] = []   # (start, end) source ranges deleted
        swap: dict[int, str] = {}          # source offset → the character shown
        read = (passages or {}).get(doc.id)
        if read is None:
            read = normalise(source, doc=doc.id)
        gaps = gap_words(p.text for p in read if p.lost_letters)
        if gaps and vocab is None:
            vocab = vocabulary([*(d.text for d in story.documents), *_story_words(story)])
        table = repairs(gaps, vocab) if gaps and vocab is not None else {}
        for p in read:
            text = repair(p.text, table) if p.lost_letters and table else p.text
            kept = p.offsets[:-1]
            if len(text) == len(kept) and (not kept or kept[-1] < len(source)):
                _compare(source, text, kept, drop, swap)  # the same, without a loop per letter
                continue
            prev = kept[0] if kept else p.offsets[-1]
            for j, at in enumerate(kept):
                if at > prev + 1 and j:
                    drop.append((prev + 1, at))
                if at < len(source) and source[at] != text[j]:
                    swap[at] = text[j]
                prev = at
        drop += _heading_marks(source)
        out[doc.id] = _flatten(_merged(drop), swap)
    return out


def document_edits(document: Document, passages: Sequence[Passage]) -> list[int | str] | None:
    """Return the display edits of one document read into ``passages``, worked out alone.

    None when a passage lost letters: their repair draws on the story's other texts, so
    those edits are the story's to work out (:func:`display_edits`).
    """
    if any(p.lost_letters for p in passages):
        return None
    alone = Story(title="", documents=(document,), places=(), events=())
    return display_edits(alone, {document.id: passages})[document.id]


def _compare(source: str, text: str, kept: tuple[int, ...], drop: list[tuple[int, int]],
             swap: dict[int, str]) -> None:
    """The edits of one passage: ``text[j]`` is shown at source offset ``kept[j]``.

    Offsets that jump leave a deletion; a letter that differs from the source's is a swap.
    """
    # Where consecutive offsets are not one apart, found at C speed: most are.
    jumps = bytes(map((1).__ne__, map(operator.sub, kept[1:], kept)))
    k = jumps.find(1)
    while k >= 0:
        a, b = kept[k], kept[k + 1]
        if b > a + 1:
            drop.append((a + 1, b))
        k = jumps.find(1, k + 1)
    shown = "".join(map(source.__getitem__, kept))
    if shown != text:
        for j, (was, now) in enumerate(zip(shown, text, strict=True)):
            if was != now:
                swap[kept[j]] = now


def _heading_marks(source: str) -> list[tuple[int, int]]:
    """Return the source ranges of heading markup ("= = ", "##"): the title alone shows."""
    ranges: list[tuple[int, int]] = []
    at = 0
    for line in source.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        m = _WIKI_HEADING.match(body) or _MD_HEADING.match(body)
        if m:
            ranges += [(at, at + m.start("title")), (at + m.end("title"), at + len(body))]
        at += len(line)
    return [(a, b) for a, b in ranges if b > a]


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _story_words(story: Story) -> Iterable[str]:
    # Words the pipeline already restored (in quotes, titles, people) and place names: the
    # vocabulary a lost letter is restored from, as the pipeline's own repair did.
    for e in story.events:
        yield e.quote
        yield e.title
        yield from e.people
    for p in story.places:
        yield p.name
        yield from p.names.values()


def _flatten(drop: list[tuple[int, int]], swap: dict[int, str]) -> list[int | str]:
    edits: list[tuple[int, int | str]] = [(s, e - s) for s, e in drop]
    edits += [(at, ch) for at, ch in swap.items()]
    edits.sort(key=lambda x: x[0])
    flat: list[int | str] = []
    end = 0
    for at, what in edits:
        flat += [at - end, what]
        end = at + (what if isinstance(what, int) else 1)
    return flat
