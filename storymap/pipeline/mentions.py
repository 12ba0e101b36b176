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
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ..geo.gazetteer import Gazetteer, ordinal_words, roman
from ..lang.profile import Profile
from ..model.kinds import WIDE_KINDS
from ..text.folding import fold
from ..text.passages import Passage
from .features import rivers
from .placewords import PlaceWords, place_words
from .toponyms import BARE_POPULATION, CURATED, first_pass, read_places

__all__ = ["Mention", "Token", "find_mentions", "known_names", "tokens"]


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
    known: Callable[[str], tuple[int, int]] | None = None,
) -> tuple[Mention, ...]:
    """Return every place mention of ``passages``, in text order.

    ``profile`` gives the language's words (English by default); ``known(key)`` says how
    well a folded name is known to the gazetteers (see ``toponyms.read_places``): by
    default the curated gazetteer, then GeoNames.
    """
    words = place_words(profile)
    ask = known or functools.partial(_known_default, gazetteer)
    # The default answers depend only on the gazetteers (never on a text): share them
    # between documents and calls. A caller's own ``known`` is asked once per name per call.
    memo: dict[str, tuple[int, int]] = {} if known else _shared_known(gazetteer)

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
    for p, passage_lower in zip(passages, small, strict=True):
        if (p.doc, p.section) != section:
            last, section = {}, (p.doc, p.section)
        doc_lower, names = frozen[p.doc]
        found = _passage_mentions(p, gazetteer, blocked, blocked_prefixes, max_words,
                                  names, words, knows, doc_lower,
                                  placed.setdefault(p.doc, set()), surnames, passage_lower)
        out.extend(_anaphora(p, found, last, words.generics))
    return tuple(out)


def known_names(gazetteer: Gazetteer) -> Callable[[str], tuple[int, int]]:
    """Return what the gazetteers know of a folded name, memoised as ``find_mentions``
    asks it by default (see ``_known_default``); for the people finder."""
    memo = _shared_known(gazetteer)

    def knows(key: str) -> tuple[int, int]:
        found = memo.get(key)
        if found is None:
            found = memo[key] = _known_default(gazetteer, key)
        return found

    return knows


@functools.lru_cache(maxsize=8)
def _prefixes(blocked: frozenset[str]) -> tuple[frozenset[str], int]:
    """The word prefixes of the not-place phrases, and their most words (once per list)."""
    prefixes = frozenset(" ".join(k.split(" ")[:n]) for k in blocked
                         for n in range(1, k.count(" ") + 2))
    return prefixes, max((k.count(" ") + 1 for k in blocked), default=1)


#: The default answers of ``_known_default`` per gazetteer object and GeoNames index and
#: installed packs (a pack added or removed starts a new table).
_KNOWN: weakref.WeakKeyDictionary[Gazetteer, tuple[object, dict[str, tuple[int, int]]]] = (
    weakref.WeakKeyDictionary())


def _shared_known(gazetteer: Gazetteer) -> dict[str, tuple[int, int]]:
    """Return the shared table of ``_known_default(gazetteer, key)`` answers."""
    from ..geo.geonames import index_path
    from ..resolvers.packs import installed

    stamp = (index_path(), installed())
    held = _KNOWN.get(gazetteer)
    if held is None or held[0] != stamp:
        held = (stamp, {})
        _KNOWN[gazetteer] = held
    return held[1]


def _known_default(gazetteer: Gazetteer, key: str) -> tuple[int, int]:
    """(-1, -1) if no gazetteer knows ``key``; else the population of its largest namesake
    and of its largest place whose own name it is (-1 if it is only an alternate name)."""
    if gazetteer.lookup(key):
        return (CURATED, CURATED)  # as sure as a capital
    from ..geo.geonames import key_stats
    from ..resolvers.packs import key_stats as pack_stats

    count, population, own = key_stats(key)
    more, pack_population, pack_own = pack_stats(key)  # names only an added pack knows
    if not count + more:
        # a division or a river no town is named after ("New South Wales", "Rapidan"):
        # asked last, only of names no town has (one more query each)
        from ..geo.divisions import key_stats as division_stats

        count, population, own = division_stats(key)
        return (population, own) if count else (-1, -1)
    return (max(population, pack_population), max(own, pack_own))


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
                      people: frozenset[str], passage_lower: frozenset[str]) -> list[Mention]:
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
                         before=first, lower=lower, places=placed):
        found.append(mention(f.start, f.end, f.name, f.how))
    for f in rivers(text, toks, used, words):  # "recrossed the Rapidan"
        found.append(mention(f.start, f.end, f.name, f.how))
    ends = frozenset(m.end for m in found)  # a list continues a place, not a person
    states = frozenset(m.start for m in found if m.how == "abbreviation")
    found.extend(_cue_mentions(p, toks, used, surnames, blocked, words, ends, states))
    found.sort(key=lambda m: m.start)
    return found


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


def _contiguous(text: str, window: Sequence[Token]) -> bool:
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


def _cue_mentions(p: Passage, toks: Sequence[Token], used: list[bool], surnames: frozenset[str],
                  blocked: frozenset[str], words: PlaceWords,
                  ends: frozenset[int] = frozenset(),
                  states: frozenset[int] = frozenset()) -> list[Mention]:
    out: list[Mention] = []
    text = p.text
    placed = set(ends)  # with this rule's own: "from Aldie and Middleburg"
    for i, t in enumerate(toks):
        if used[i] or not t.text[:1].isupper():
            continue
        if t.text.endswith(("'s", "’s")) and not (
                i + 1 < len(toks) and toks[i + 1].capitalised and not used[i + 1]
                and _contiguous(text, toks[i : i + 2])):
            continue  # "at Hamlin's": someone's house or store ("at Brice's Cross-Roads" is)
        base = t.key
        if (base in words.not_names or base in surnames or base in words.enders
                or not words.titles.isdisjoint(base.split())):
            continue
        if i == 0 or not (_after_cue(toks, i, text, words)
                          or _in_list(toks, used, i, text, placed)
                          or _address(toks, used, i, text, words, states)):
            continue
        if t.key in blocked or t.text.isupper():
            continue  # "ÁVH", "USSR": acronyms are organisations far more often than places;
            # "U" of "U.S. Army", "A." of "A. Smith": a letter is no name
        j = i
        while (j + 1 < len(toks) and j - i < 2 and toks[j + 1].capitalised and not used[j + 1]
               and _contiguous(text, toks[j : j + 2])
               # "Proctorsville Which …", "Simkins With this …": the next sentence
               and toks[j + 1].key not in words.openers_next
               # "to Keatsville JOHN B. SANBORN": a change of case begins the next name
               and (toks[j + 1].text.isupper() == t.text.isupper()
                    or len(toks[j + 1].text) == 1)
               and (toks[j + 1].key not in words.not_names
                    # "New South Wales": a compass word inside a name
                    or (toks[j + 1].key in words.prefixes and j + 2 < len(toks)
                        and j + 1 - i < 2 and toks[j + 2].capitalised and not used[j + 2]
                        and _contiguous(text, toks[j + 1 : j + 3])
                        and toks[j + 2].key not in words.not_names))):
            j += 1
        if j + 1 < len(toks) and toks[j + 1].key in words.not_after \
                and not toks[j + 1].capitalised:
            continue  # "Spanish flu"
        if toks[i - 1].text in words.articles_definite and (
                (j + 1 < len(toks) and (toks[j + 1].key in words.units
                                        or toks[j + 1].key in words.people_nouns
                                        or toks[j + 1].key in words.particles
                                        or toks[j + 1].key in words.title_of))
                or (j == i and (base in words.tails or base in words.heads
                                or base.split()[-1] in words.ordinals))):
            continue  # "the Kansas troops", "in the Defenses of", "at the Monument"
        if toks[j].key.removesuffix(" s") in surnames:
            continue  # "to Imre Nagy": a person
        if j == i and base in words.common:
            continue  # "went to Send a detachment": a sentence's verb, not a name
        a, b = t.start, toks[j].end
        name = text[a:b]
        if name.endswith(("'s", "’s")) and not (j > i and t.key in words.saints):
            name = name[:-2]  # "to Smith's Ferry" keeps it, "Saint Mary's" too
        out.append(Mention(doc=p.doc, passage=p.index, start=a, end=a + len(name), text=name,
                           name=name, how="cue"))
        for k in range(i, j + 1):
            used[k] = True
        placed.add(toks[j].end)
    return out


def _in_list(toks: Sequence[Token], used: list[bool], i: int, text: str,
             ends: frozenset[int] | set[int]) -> bool:
    """ "in Debrecen, Győr, Sopron and other cities": later items of a list of places
    (``ends`` are where the places found so far end; "DE FORREST, Aide-de-Camp" follows a
    person)."""
    j = i - 1
    if toks[j].key in ("and", "or") and text[toks[j].end : toks[i].start] == " ":
        j -= 1
    elif text[toks[j].end : toks[i].start].strip() != ",":
        return False
    return j >= 0 and used[j] and toks[j].capitalised and toks[j].end in ends


def _address(toks: Sequence[Token], used: list[bool], i: int, text: str, words: PlaceWords,
             states: frozenset[int]) -> bool:
    """ "DEPARTMENT OF THE GULF, Grand Ecore La. April 16", "GRANT, Culpeper March 5": a
    name after a comma that a state abbreviation or a date follows is where a letter was
    written or sent (``states`` are where the abbreviations found start)."""
    if not used[i - 1] or text[toks[i - 1].end : toks[i].start] != ", ":
        return False
    k = i
    while k < len(toks) and k - i < 3 and toks[k].capitalised and not used[k] \
            and toks[k].key not in words.months:
        k += 1
    if k == i or k >= len(toks):
        return False
    if toks[k].start in states:
        return True
    return (toks[k].key in words.months and k + 1 < len(toks)
            and toks[k + 1].text[:1].isdigit())


def _after_cue(toks: Sequence[Token], i: int, text: str, words: PlaceWords) -> bool:
    prev = toks[i - 1]
    if text[prev.end : toks[i].start].strip(" "):
        return False  # punctuation between cue and name
    if prev.key in words.cues and not prev.capitalised:
        # "surrendered to Grant", "wrote to Kádár": after these, "to" meets a person.
        return not (prev.key == "to" and i >= 2 and toks[i - 2].key in words.to_person)
    if i >= 2:
        pair = f"{toks[i - 2].key} {prev.key}"
        if pair in words.phrases:
            return True
        before = toks[i - 2]
        # "into the Atchafalaya", "at the Glaize": a name no gazetteer knows after a cue
        # and "the" (not "to the President": titles and such words are no names)
        return (prev.text in words.articles_definite and before.key in words.cues
                and not before.capitalised and before.key != "to"
                and text[before.end : prev.start] == " ")
    return False
