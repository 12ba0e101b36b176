"""Stage 2: passages → place mentions (spans of text that name a place).

Two ways a span becomes a mention:

* **lexicon**: the longest run of words whose folded form is a name in the curated
  gazetteer (places/*.yaml). Names written in lower case in places/ match lower-case text;
  all others need a capitalised word in the text ("the Parliament", not "parliament").
* **cue**: a capitalised name right after a locative cue ("in Szeged", "the town of
  Tiszakécske", "near Tököl") that the gazetteer does not know. The resolve stage looks
  such names up in GeoNames; if nothing fits they stay as unresolved mentions (data).

Spans in places/not-places.txt (organisations, broadcasters, treaties, nationality words)
are masked first, so "Radio Free Europe" or "Warsaw Pact" never becomes a pin. People's
surnames found in the text ("Imre Nagy" → "Nagy") are never cue mentions.

Beside this module: ``spans`` (the words and the ``Mention``), ``known`` (how well the
gazetteers know a name), ``cuenames`` (the cue reader), ``toponyms`` and ``features``
(names read by their own shape: feature words, abbreviations, units), ``docnames`` (a
name the document placed is a place where it recurs).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from ..geo.gazetteer import Gazetteer, ordinal_words, roman
from ..lang.profile import Profile
from ..model.kinds import WIDE_KINDS
from ..text.folding import fold
from ..text.passages import Passage
from .cuenames import cue_mentions
from .docnames import named_again, placed_later
from .features import rivers
from .known import known_default, known_names, shared_known
from .placewords import PlaceWords, place_words
from .spans import Mention, Token, tokens
from .spans import contiguous as _contiguous
from .tokenview import Found
from .toponyms import BARE_POPULATION, first_pass, read_places

__all__ = ["Mention", "Token", "find_mentions", "known_names", "tokens"]


def _district_number(word: str) -> int:
    w = word.rstrip(".").lower()
    for n in range(1, 24):
        if w in (*ordinal_words(n), roman(n).lower()):
            return n
    return 0


@functools.cache
def not_place_keys(path: Path | None = None) -> frozenset[str]:
    """Return the folded phrases of places/not-places.txt (loaded once)."""
    from ..resources import data_dir

    file = path or data_dir("places") / "not-places.txt"
    if not file.is_file():
        return frozenset()
    lines = file.read_text(encoding="utf-8").splitlines()
    return frozenset(fold(line) for line in lines if line.strip() and not line.startswith("#"))


def find_mentions(
    passages: Sequence[Passage], *, gazetteer: Gazetteer, surnames: frozenset[str] = frozenset(),
    not_places: frozenset[str] | None = None, profile: Profile | None = None,
    known: Callable[[str], tuple[int, int]] | None = None, weak: bool = False,
) -> tuple[Mention, ...]:
    """Return every place mention of ``passages``, in text order.

    ``profile`` gives the language's words (English by default); ``known(key)`` says how
    well a folded name is known to the gazetteers (see ``toponyms.read_places``): by
    default the curated gazetteer, then GeoNames. With ``weak``, also the smaller towns'
    names that no cue introduces (``how="weak"``), for ``pipeline.nearby`` to keep only
    among the document's own places.
    """
    words = place_words(profile)
    ask = known or functools.partial(known_default, gazetteer)
    # The default answers depend only on the gazetteers (never on a text): share them
    # between documents and calls. A caller's own ``known`` is asked once per name per call.
    memo: dict[str, tuple[int, int]] = {} if known else shared_known(gazetteer)

    def knows(key: str) -> tuple[int, int]:  # asked several times per name: once is enough
        found = memo.get(key)
        if found is None:
            found = memo[key] = ask(key)
        return found

    blocked = not_place_keys() if not_places is None else not_places
    blocked_prefixes, blocked_words = _prefixes(blocked)
    max_words = max(gazetteer.max_words, blocked_words)
    out: list[Mention] = []
    last: dict[str, Mention] = {}  # generic word → the last place named with it
    section: tuple[str, int] = ("", -1)
    lower: dict[str, set[str]] = {}  # per document: the words it writes in lower case
    given: dict[str, set[str]] = {}  # and the words it writes before a surname ("Allen Dulles")
    small: list[frozenset[str]] = []  # per passage: its words in lower case
    for p in passages:
        small.append(frozenset([t.key for t in tokens(p.text) if t.text[:1].islower()]))
        lower.setdefault(p.doc, set()).update(small[-1])
    for p in passages:
        toks = tokens(p.text)
        common = lower[p.doc]
        named = given.setdefault(p.doc, set())
        for k in [k for k, t in enumerate(toks) if k and t.key in surnames]:
            t, nxt = toks[k - 1], toks[k]
            if (t.capitalised and p.text[t.end : nxt.start] == " "
                    and nxt.key not in common  # "Richmond We want": a sentence, not a name
                    and knows(nxt.key)[1] < BARE_POPULATION):  # "Vicksburg Jackson": places
                named.add(t.key)
    placed: dict[str, set[str]] = {}  # per document: the names read as places so far
    # frozen once per document, not per passage (a copy per passage made a long text slow)
    frozen = {doc: (frozenset(words_), surnames | given[doc]) for doc, words_ in lower.items()}
    unplaced: list[tuple[int, Passage, list[Found]]] = []  # names that wait for context
    for n, (p, passage_lower) in enumerate(zip(passages, small, strict=True)):
        if (p.doc, p.section) != section:
            last, section = {}, (p.doc, p.section)
        doc_lower, names = frozen[p.doc]
        waiting: list[Found] = []
        found = _passage_mentions(p, gazetteer, blocked, blocked_prefixes, max_words,
                                  names, words, knows, doc_lower,
                                  placed.setdefault(p.doc, set()), surnames, passage_lower,
                                  waiting)
        sure = [m for m in found if m.how != "weak"]  # no back-reference to a weak name
        read = _anaphora(p, sure, last, words.generics)
        if weak and len(sure) < len(found):
            read = sorted(read + [m for m in found if m.how == "weak"], key=lambda m: m.start)
        out.extend(read)
        if waiting:
            unplaced.append((n, p, waiting))
    out = placed_later(out, unplaced, placed, passages)
    return tuple(named_again(out, passages, surnames, words, frozen, knows))


@functools.lru_cache(maxsize=8)
def _prefixes(blocked: frozenset[str]) -> tuple[frozenset[str], int]:
    """The word prefixes of the not-place phrases, and their most words (once per list)."""
    prefixes = frozenset(" ".join(k.split(" ")[:n]) for k in blocked
                         for n in range(1, k.count(" ") + 2))
    return prefixes, max((k.count(" ") + 1 for k in blocked), default=1)


@functools.lru_cache(maxsize=8)
def _generic_rx(generics: tuple[str, ...]) -> re.Pattern[str]:
    # "the embassy" points back to the last embassy the section named.
    return re.compile(rf"\bthe ({'|'.join(map(re.escape, generics))})\b(?! of\b)")


def _anaphora(p: Passage, found: list[Mention], last: dict[str, Mention],
              generics: tuple[str, ...]) -> list[Mention]:
    """Add a mention for each "the <generic>" that points back to a place named before."""
    out = list(found)
    taken = [(m.start, m.end) for m in found]
    events = sorted([(m.start, "name", m) for m in found if m.how == "lexicon"]
                    + [(x.start(), "the", x) for x in _generic_rx(generics).finditer(p.text)],
                    key=lambda t: t[0])
    for start, what, item in events:
        if what == "name" and isinstance(item, Mention):
            for word in generics:
                if word in fold(item.name).split():
                    last[word] = item
        elif isinstance(item, re.Match) and item.group(1) in last:
            if any(a <= start < b for a, b in taken):
                continue
            a, b = item.start(), item.end(1)
            out.append(Mention(doc=p.doc, passage=p.index, start=a, end=b, text=p.text[a:b],
                               name=last[item.group(1)].name, how="anaphora"))
    out.sort(key=lambda m: m.start)
    return out


def _passage_mentions(p: Passage, gaz: Gazetteer, blocked: frozenset[str],
                      blocked_prefixes: frozenset[str] | set[str], max_words: int,
                      surnames: frozenset[str],
                      words: PlaceWords, known: Callable[[str], tuple[int, int]],
                      lower: frozenset[str], placed: set[str],
                      people: frozenset[str], passage_lower: frozenset[str],
                      unplaced: list[Found]) -> list[Mention]:
    text = p.text
    toks = tokens(text)
    used = [False] * len(toks)
    found: list[Mention] = []

    def mention(a: int, b: int, name: str, how: str) -> Mention:
        return Mention(doc=p.doc, passage=p.index, start=a, end=b, text=text[a:b], name=name,
                       how=how)

    starts = [t.start for t in toks]

    def covered(a: int, b: int) -> range:  # the tokens starting in [a, b)
        return range(bisect.bisect_left(starts, a), bisect.bisect_left(starts, b))

    def claim(a: int, b: int) -> None:
        for i in covered(a, b):
            used[i] = True

    # District lists first: one mention per district named (looked for only in a passage
    # that has the word: the patterns try every word boundary).
    folded_text = text.casefold()
    lists = any(w in folded_text for w in words.district_words)
    for rx in (words.district_list, words.districts_prefix) if lists else ():
        for m in rx.finditer(text):
            for item in words.ordinal_item.finditer(m.group("list")):
                n = _district_number(item.group())
                if n:
                    a = m.start("list") + item.start()
                    found.append(mention(a, a + len(item.group()), f"District {roman(n)}",
                                         "district"))
            claim(m.start(), m.end())

    for m in words.possessive_thing.finditer(text):
        name = f"{m.group('who')} {m.group('what')}"
        if gaz.lookup(fold(name)) and not any(used[i] for i in covered(m.start(), m.end())):
            found.append(mention(m.start(), m.end(), name, "lexicon"))
            claim(m.start(), m.end())

    # Abbreviations and feature names before the lexicon ("Mississippi River" is one name,
    # "Washington, D. C." two); units and people blocked before it too.
    def curated(k: int) -> int:  # asked only where an organisation's name is blocked
        if not gaz.has_prefix(toks[k].key):
            return 0
        best = _longest_name(text, toks, [False] * len(toks), k, gaz, frozenset(), set(),
                             max_words)
        return best[0] if best is not None and best[1] == "place" else 0

    first = first_pass(text, toks, used, words=words, curated=curated, lower=passage_lower,
                       known=known)
    for f in first:
        how = "lexicon" if f.how == "feature" and gaz.lookup(fold(f.name)) else f.how
        found.append(mention(f.start, f.end, f.name, how))

    i = 0
    while i < len(toks):
        key = toks[i].key  # most words start no name: skip them before the window search
        if used[i] or (not gaz.has_prefix(key.removesuffix(" s"))
                       and key not in blocked_prefixes):
            i += 1
            continue
        best = _longest_name(text, toks, used, i, gaz, blocked, blocked_prefixes, max_words)
        if best is None:
            i += 1
            continue
        n, what = best
        a, b = toks[i].start, toks[i + n - 1].end
        if what == "place-s":
            what, b = "place", b - 2  # "China's", "Dublin's": the place without the suffix
        after = toks[i + n] if i + n < len(toks) else None
        if what == "place" and after is not None and not after.capitalised \
                and after.key in words.not_after:
            what = "blocked"  # "Spanish flu", "Ebola virus": a disease
        if what == "place" and n == 1 and fold(text[a:b]) in people \
                and not (i and toks[i - 1].key in words.cues and not toks[i - 1].capitalised):
            what = "blocked"  # "Lincoln" after "Abraham Lincoln": the person, unless "in"
        if what == "place":
            nxt = after.key if after is not None else ""
            how = ("eponym" if nxt in words.eponym_heads and after is not None
                   and after.capitalised else "lexicon")
            name = text[a:b]
            a, name, how = _lexicon_prefix(text, toks, used, i, a, name, how, gaz, words)
            if a < toks[i].start:
                used[i - 1] = True
            found.append(mention(a, b, name, how))
            placed.add(fold(name))
        for j in range(i, i + n):
            used[j] = True
        i += n

    for f in read_places(text, toks, used, words=words, known=known, surnames=surnames,
                         before=first, lower=lower, places=placed, unplaced=unplaced):
        found.append(mention(f.start, f.end, f.name, f.how))
    for f in rivers(text, toks, used, words):  # "recrossed the Rapidan"
        found.append(mention(f.start, f.end, f.name, f.how))
    ends = frozenset(m.end for m in found)  # a list continues a place, not a person
    states = frozenset(m.start for m in found if m.how == "abbreviation")
    found.extend(cue_mentions(p, toks, used, surnames, blocked, words, ends, states))
    found.sort(key=lambda m: m.start)
    return _weak_last([m for m in found if not _attributive(text, toks, starts, m, words)])


def _attributive(text: str, toks: Sequence[Token], starts: list[int], m: Mention,
                 words: PlaceWords) -> bool:
    """True for a place name that says where a body of troops comes from: "the Kansas
    troops", "three Texas regiments", "Oregon cavalry" — a unit named by its home, as
    "the North Cork Militia" is (the genre texts' rule: regiments and armies are no
    places). Not after a cue: "At Madison Court-House troops were found" is a sentence
    that lost its stop, "companies of Oregon cavalry" names the unit's home."""
    k = bisect.bisect_left(starts, m.end)  # the token after the name
    if k >= len(toks) or text[m.end : toks[k].start] != " ":
        return False
    nxt = toks[k]
    if nxt.capitalised or (nxt.key not in words.units and nxt.key not in words.people_nouns):
        return False
    i = bisect.bisect_left(starts, m.start)
    prev = toks[i - 1].key if i else ""
    return not (prev in words.cues
                or (i >= 2 and f"{toks[i - 2].key} {prev}" in words.phrases))


def _weak_last(found: list[Mention]) -> list[Mention]:
    """Drop the weak names (no cue: ``toponyms.read_places``) that another reading of the
    same words overlaps ("Dead Man" inside "Dead Man's Hole")."""
    if not any(m.how == "weak" for m in found):
        return found
    # the other readings by start, with the furthest end reached so far: one search per
    # weak name (a passage of thousands of names stays linear-logarithmic, not quadratic)
    sure = sorted((m.start, m.end) for m in found if m.how != "weak")
    starts = [a for a, _ in sure]
    reach = list(itertools.accumulate((b for _, b in sure), max))

    def overlapped(m: Mention) -> bool:
        k = bisect.bisect_left(starts, m.end)  # readings that begin before it ends
        return k > 0 and reach[k - 1] > m.start

    return [m for m in found if m.how != "weak" or not overlapped(m)]


def _lexicon_prefix(text: str, toks: Sequence[Token], used: list[bool], i: int, a: int,
                    name: str, how: str, gaz: Gazetteer,
                    words: PlaceWords) -> tuple[int, str, str]:
    """Return the start, name and how of a curated name with the word before it taken in:
    "Southwest Missouri", "West Florida" (the part of a region: the name stays the
    region's) or "New Berne" (a longer name: not Bern, Switzerland)."""
    if not i or used[i - 1] or not toks[i - 1].capitalised \
            or text[toks[i - 1].end : toks[i].start] != " ":
        return a, name, how
    word = toks[i - 1].key
    if word in words.qualifiers and any(gaz.entries[e].candidate.kind in WIDE_KINDS
                                        for e in gaz.lookup(fold(name))):
        return toks[i - 1].start, name, how
    if word in words.prefixes and word not in words.qualifiers:
        start = toks[i - 1].start
        return start, text[start : a + len(name)], "name"
    return a, name, how


def _longest_name(text: str, toks: Sequence[Token], used: list[bool], i: int, gaz: Gazetteer,
                  blocked: frozenset[str], blocked_prefixes: frozenset[str] | set[str],
                  max_words: int) -> tuple[int, str] | None:
    """Return (words, "place" | "blocked") of the longest name starting at token ``i``.

    A not-place wins over a place of the same length.
    """
    best: tuple[int, str] | None = None
    key = ""
    capitalised = False
    for n in range(1, min(max_words, len(toks) - i) + 1):
        j = i + n - 1
        if used[j] or (n > 1 and not _contiguous(text, toks[j - 1 : j + 1])):
            break
        key = toks[j].key if n == 1 else f"{key} {toks[j].key}"
        capitalised = capitalised or toks[j].capitalised
        maybe_place = gaz.has_prefix(key)
        if not maybe_place and key not in blocked_prefixes:
            if key.endswith(" s") and toks[j].capitalised and gaz.lookup(key[:-2]) \
                    and toks[j].text.endswith(("'s", "’s")) and key[:-2] not in blocked:
                return (n, "place-s")  # "China's": a possessive ends the name
            break
        if key in blocked:
            best = (n, "blocked")
        elif maybe_place and gaz.lookup(key) and (capitalised or key in gaz.lowercase_ok):
            best = (n, "place")
    return best
