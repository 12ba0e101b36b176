"""The document's own evidence for its names, after each passage was read alone.

A name read as a place once is the same place where the document writes it again: a
name left for want of a cue is taken when the document places it later on ("Mesilla was
evacuated" before "the road to Mesilla"), and a name no gazetteer knows is taken
wherever it stands alone ("Jacksonport is 28 miles east" after "to occupy Jacksonport").
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

from ..text.folding import fold
from ..text.passages import Passage
from .placewords import PlaceWords, after_vessel
from .spans import Mention, Token, tokens
from .spans import contiguous as _contiguous
from .tokenview import Found

__all__ = ["named_again", "placed_later"]


#: The ways of reading a name that make it the document's place wherever it recurs.
_NAMING = frozenset({"cue", "name", "lexicon", "feature"})


def named_again(out: list[Mention], passages: Sequence[Passage], surnames: frozenset[str],
                 words: PlaceWords,
                 frozen: dict[str, tuple[frozenset[str], frozenset[str]]],
                 knows: Callable[[str], tuple[int, int]]) -> list[Mention]:
    """Add the other places where the document writes a name it read as a place, alone
    with no cue ("Jacksonport was only occupied by some 30 men" after "to occupy
    Jacksonport"): one name, one sense in a document. Only names no gazetteer knows (a
    known name without a mention was left on purpose: a unit's, a command's, a person's);
    not a word the document writes in lower case, a person's name, a name after a title,
    or part of a longer name."""
    names: dict[str, dict[str, set[str]]] = {}  # doc → first word → the whole names
    for m in out:
        if m.how in _NAMING and m.text[:1].isupper() and not m.text.isupper() \
                and all(w[:1].isupper() for w in m.text.split()) \
                and knows(key := fold(m.text))[0] < 0:
            names.setdefault(m.doc, {}).setdefault(key.split(" ", 1)[0], set()).add(key)
    if not names:
        return out
    taken = _taken(out)
    order = {(p.doc, p.index): n for n, p in enumerate(passages)}
    added: list[Mention] = []
    for p in passages:
        firsts = names.get(p.doc)
        if not firsts:
            continue
        lower, people = frozen[p.doc]
        text = p.text
        toks = tokens(text)
        used: list[bool] | None = None  # read at the first candidate: most passages have none
        for k, t in enumerate(toks):
            if t.key not in firsts or not t.text[:1].isupper():
                continue
            if used is None:
                used = _covered(toks, taken.get((p.doc, p.index), ()))
            for key in sorted(firsts[t.key], key=len, reverse=True):
                n = key.count(" ") + 1
                j = k + n - 1
                if j >= len(toks) or " ".join(x.key for x in toks[k : j + 1]) != key \
                        or (n > 1 and not _contiguous(text, toks[k : j + 1])):
                    continue
                a, b = t.start, toks[j].end
                if any(used[k : j + 1]) or not _alone(text, toks, k, j, words, lower) \
                        or (n == 1 and (key in lower or key in people or key in surnames)):
                    break
                added.append(Mention(doc=p.doc, passage=p.index, start=a, end=b,
                                     text=text[a:b], name=text[a:b], how="name"))
                used[k : j + 1] = [True] * n
                break
    if added:
        out = out + added
        out.sort(key=lambda m: (order[(m.doc, m.passage)], m.start))
    return out


def _alone(text: str, toks: Sequence[Token], k: int, j: int, words: PlaceWords,
           lower: frozenset[str]) -> bool:
    """True if tokens ``k``..``j`` are a name of their own: no capitalised word joins them
    before (but a sentence's first word may: "To Mesilla") or after, no title before."""
    if j + 1 < len(toks) and toks[j + 1].key in words.title_of:
        return False  # "the Defenses of New Orleans": a title's first words
    if k >= 2 and toks[k - 1].key in words.title_of and (
            toks[k - 2].key in words.commands or toks[k - 2].key in words.units
            or toks[k - 2].key in words.organisation_heads):
        return False  # "Division of West Mississippi": a command
    if after_vessel(tuple(t.key for t in toks[max(0, k - 2) : k]), words):
        return False  # "the tug Montones": a ship
    if k:
        prev = toks[k - 1]
        if prev.key in words.titles or (prev.capitalised and text[prev.end : toks[k].start] == " "
                                        and prev.key not in words.openers_next
                                        and prev.key not in words.cues):
            return False
    if j + 1 < len(toks):
        nxt = toks[j + 1]
        if nxt.capitalised and text[toks[j].end : nxt.start] == " " \
                and nxt.key not in words.openers_next and nxt.key not in lower \
                and nxt.key not in words.common:
            return False
    return True


def placed_later(out: list[Mention], unplaced: list[tuple[int, Passage, list[Found]]],
                 placed: dict[str, set[str]], passages: Sequence[Passage]) -> list[Mention]:
    """Add the names left for want of context that the document placed later on: "Mesilla
    was evacuated" before "the road to Mesilla" is Mesilla too. Text order kept."""
    if not any(fold(f.name) in placed[p.doc] for _, p, waiting in unplaced for f in waiting):
        return out
    order = {(p.doc, p.index): n for n, p in enumerate(passages)}
    taken = _taken(out)
    for _, p, waiting in unplaced:
        toks = tokens(p.text)
        used = _covered(toks, taken.get((p.doc, p.index), ()))
        for f in waiting:
            if fold(f.name) in placed[p.doc] and not any(used[f.first : f.last + 1]):
                out.append(Mention(doc=p.doc, passage=p.index, start=f.start, end=f.end,
                                   text=f.name, name=f.name, how=f.how))
                used[f.first : f.last + 1] = [True] * (f.last + 1 - f.first)
    out.sort(key=lambda m: (order[(m.doc, m.passage)], m.start))
    return out


def _taken(out: list[Mention]) -> dict[tuple[str, int], list[Mention]]:
    """The mentions found so far, per document and passage."""
    taken: dict[tuple[str, int], list[Mention]] = {}
    for m in out:
        taken.setdefault((m.doc, m.passage), []).append(m)
    return taken


def _covered(toks: Sequence[Token], found: Sequence[Mention]) -> list[bool]:
    """Which tokens the mentions ``found`` cover: looked up by bisection, so that a passage
    with thousands of names is read in n log n, not n² (no input may hang a stage)."""
    starts = [t.start for t in toks]
    used = [False] * len(toks)
    for m in found:
        first = max(0, bisect.bisect_right(starts, m.start) - 1)
        if first < len(toks) and toks[first].end <= m.start:
            first += 1  # the mention begins after this token
        last = bisect.bisect_left(starts, m.end)
        used[first:last] = [True] * max(0, last - first)
    return used
