"""The general place reader: names any text may use, decided by their context.

The mention finder (``mentions.py``) first takes the names of the curated gazetteer; this
module then reads the rest of a passage the way a reader of any text would:

* **abbreviations** of states and territories with their dots ("Mo.", "N. Mex.",
  "Wash. Ter.", "D. C."), after a town or in a heading;
* **feature names**: a feature word before or after capitalised words ("Fort Smith",
  "Camp Lincoln", "Morton's Ford", "Madison Court-House", "Snake Creek Gap",
  "Andrássy út"), known to a gazetteer or not;
* **known names**: runs of capitalised words (ALL-CAPS too) that GeoNames or the curated
  gazetteer knows, accepted where the context says place: after a cue ("in", "near",
  "of", "for", "on"), in a dateline ("Franklin, Tex.", "Richmond, March 5"), in a
  heading ("CAMP NEAR RICHMOND"), in a list of places, or anywhere when the name is a
  town of some size, has several words, or the passage already used it as a place.

Never places: people (after a title, with initials, before ", Major-General"), units
("First California Volunteer Cavalry", "Fifth U. S. Infantry") and commands
("Department of the Pacific", "Army of the Potomac"). Every word list comes from the
language profile (``storymap/lang/<code>/places.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from ..text.folding import fold
from .placewords import PlaceWords, letters

__all__ = ["BARE_POPULATION", "Found", "read_places"]


@dataclass(frozen=True)
class Found:
    """A place name the reader found: token span, name to look up, and how."""

    first: int  # index of the first token
    last: int  # index of the last token (inclusive)
    start: int
    end: int
    name: str
    how: str  # "abbreviation" | "feature" | "name"


class _Tok(Protocol):
    """The view of a token the reader needs (mentions.Token has it)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def key(self) -> str: ...


_ORDINAL_NUMBER = re.compile(r"\d+(?:st|nd|rd|th|d)$")

#: What ``known`` says of a name the curated gazetteer has.
CURATED = 10**9

#: How large a town a name must own to be read as a place with no context at all.
BARE_POPULATION = 50_000


def first_pass(text: str, toks: Sequence[_Tok], used: list[bool], *,
               words: PlaceWords) -> list[Found]:
    """Return the abbreviations and feature names of ``text``; block units and people.

    Runs before the curated lexicon, so "Mississippi River" is one name, "Washington,
    D. C." two, and "California" in "First California Volunteer Cavalry" none.
    """
    lower = {t.key for t in toks if t.text[:1].islower()}
    out = _abbreviations(text, toks, used, words, lower)
    _block_units_and_people(text, toks, used, words)
    i = 0
    while i < len(toks):
        if used[i] or not toks[i].text[:1].isupper() or _stop(toks[i], words):
            i += 1
            continue
        found = _feature(text, toks, used, i, words, 5)
        if found is None:
            i += 1
            continue
        out.append(found)
        for k in range(found.first, found.last + 1):
            used[k] = True
        i = found.last + 1
    return out


def read_places(text: str, toks: Sequence[_Tok], used: list[bool], *, words: PlaceWords,
                known: Callable[[str], tuple[int, int]], surnames: frozenset[str] = frozenset(),
                before: Sequence[Found] = (), lower: frozenset[str] = frozenset(),
                max_words: int = 5) -> list[Found]:
    """Return the known place names of ``text`` in unused tokens, decided by context.

    ``known(key)`` says how well a folded name is known: (-1, -1) for not at all, else
    the population of its largest namesake and of its largest place whose own name (not
    an alternate) it is, -1 if none (a curated place counts as large). ``before`` are the
    places found so far (a town before a state abbreviation is sure); ``lower`` are the
    words the document writes in lower case (common words, not names, when capitalised
    at random). Tokens taken are marked in ``used``.
    """
    lower = lower | {t.key for t in toks if t.text[:1].islower()}
    so_far = _Seen(before)
    out: list[Found] = []
    strong: set[str] = set()
    weak: list[Found] = []
    i = 0
    while i < len(toks):
        if (used[i] or not toks[i].text[:1].isupper() or _stop(toks[i], words)
                or len(toks[i].text) < 2):
            i += 1
            continue
        found = _known(text, toks, used, i, words, known, max_words)
        if found is None:
            i += 1
            continue
        found = _with_prefix(text, toks, used, found, words)
        key = fold(found.name)
        context = _context(text, toks, used, found, words, so_far)
        single = found.first == found.last
        own = known(key)[1]
        nxt = toks[found.last + 1] if found.last + 1 < len(toks) else None
        acronym = _caps(toks[i]) and len(toks[i].text) <= 3 and own < CURATED
        if single and (acronym or (context < 2 and key in surnames)
                       or (nxt is not None and nxt.key in surnames and _cap(nxt)
                           and not used[found.last + 1]
                           and text[toks[i].end : nxt.start] == " " and nxt.key not in lower
                           and known(nxt.key)[1] < BARE_POPULATION)):
            i += 1  # "General Lee … Lee", "Allen Dulles", "UN": a person or an acronym
            continue
        if context == 1 and own < 0:
            context = 0  # "of Allen" is not Aalen: an alternate name needs a sure cue
        if context < 0:
            i += 1
            continue
        if context and _by_cue(toks, found.first, words, so_far):
            found = replace(found, how="cue")  # "in Debrecen": as sure as a cue makes it
        if context:
            out.append(found)
            so_far.add(found)
            strong.add(key)
        elif key in words.not_names or (single and (key in lower or _opens_sentence(text,
                                                                                  toks, i))):
            i += 1
            continue
        else:
            weak.append(found)
        for k in range(found.first, found.last + 1):
            used[k] = True
        i = found.last + 1
    for found in weak:
        key = fold(found.name)
        if key in strong or known(key)[1] >= BARE_POPULATION:
            out.append(found)
        else:
            for k in range(found.first, found.last + 1):
                used[k] = False
    out.sort(key=lambda f: f.start)
    return out


class _Seen:
    """The places found so far in a passage, indexed by their first and last token.

    Looked up around every candidate name: a list scanned each time made a long
    paragraph quadratic.
    """

    def __init__(self, found: Sequence[Found]) -> None:
        self.by_first: dict[int, Found] = {}
        self.by_last: dict[int, Found] = {}
        for f in found:
            self.add(f)

    def add(self, f: Found) -> None:
        self.by_first[f.first] = f
        self.by_last[f.last] = f

    def ending(self, k: int, how: str) -> bool:
        f = self.by_last.get(k)
        return f is not None and f.how == how


def _by_cue(toks: Sequence[_Tok], i: int, words: PlaceWords, so_far: _Seen) -> bool:
    """True after a locative cue or phrase, or in a list that follows one."""
    if i and toks[i - 1].key in words.cues:
        return True
    if i >= 2 and f"{toks[i - 2].key} {toks[i - 1].key}" in words.phrases:
        return True
    return any(so_far.ending(k, "cue") for k in range(i - 3, i))


def _with_prefix(text: str, toks: Sequence[_Tok], used: list[bool], found: Found,
                 words: PlaceWords) -> Found:
    """Take in a word that begins a longer name ("New Berne" is not Bern, Switzerland)."""
    i = found.first
    if i and not used[i - 1] and toks[i - 1].key in words.prefixes and _cap(toks[i - 1]) \
            and _joined(text, toks[i - 1], toks[i]):
        start = toks[i - 1].start
        return replace(found, first=i - 1, start=start, name=text[start : found.end])
    return found


def _opens_sentence(text: str, toks: Sequence[_Tok], i: int) -> bool:
    """True for the first word of a passage or of a sentence ("Since …", "As …")."""
    if i == 0:
        return True
    gap = text[toks[i - 1].end : toks[i].start]
    return any(c in gap for c in ".:;!?\n\"(")


def _cap(t: _Tok) -> bool:
    return t.text[:1].isupper()


def _caps(t: _Tok) -> bool:
    return t.text.isupper() and len(t.text) > 1


def _gap(text: str, a: _Tok, b: _Tok) -> str:
    return text[a.end : b.start]


def _joined(text: str, a: _Tok, b: _Tok) -> bool:
    """Words of one name: separated by a space, a hyphen or a dot after an initial."""
    gap = _gap(text, a, b)
    if gap in (" ", "-", "'", "’"):
        return True
    return gap in (". ", ".") and len(a.text) <= 2 and a.text[:1].isupper()


def _abbreviations(text: str, toks: Sequence[_Tok], used: list[bool], words: PlaceWords,
                   lower: set[str]) -> list[Found]:
    out: list[Found] = []
    for first, t in enumerate(toks):
        # tried only where an abbreviation can start: a capitalised first part ("N", "Wash")
        if t.key not in words.abbreviation_starts or not t.text[:1].isupper() or used[first]:
            continue
        m = words.abbreviations.match(text, t.start)
        if m is None:
            continue
        folded = letters(m.group())
        state = words.states.get(folded)
        last = first + len(folded.split()) - 1
        if state is None or last >= len(toks) or any(used[first : last + 1]):
            continue
        dotted = m.group().endswith(".")
        before = toks[first - 1] if first else None
        after = toks[last + 1] if last + 1 < len(toks) else None
        after_place = (before is not None and _cap(before)
                       and text[before.end : m.start()] in (" ", ", ", ",")
                       and not _person_or_unit(before, words))  # not "First Iowa Cavalry"
        # a capitalised name, not a word that opens the next sentence ("D. C. The …")
        name_follows = (after is not None and _cap(after) and not _caps(after)
                        and after.key not in words.months and after.key not in lower
                        and text[m.end() : after.start] in (" ", ""))
        # "Jackson, Miss." but not "Miss. Smith"; "Franklin Tex" but not "Tex Ritter"
        if before is not None and (before.key in words.titles or (_caps(before) and
                                   len(before.text) < 4 and not after_place)):
            continue  # "Lieutenant S. C. BOYLSTON", "JAS. W. T. SMITH"
        initials = all(len(w) == 1 for w in folded.split())
        if name_follows and (not after_place or initials or folded in words.ambiguous):
            continue  # "W. T. Sherman", "Miss. Smith"; but "Rolla Mo. Report of …"
        if (folded in words.ambiguous or not dotted) and not after_place:
            continue
        if not dotted and len(folded) < 3:
            continue
        out.append(Found(first, last, m.start(), m.end(), state, "abbreviation"))
        for k in range(first, last + 1):
            used[k] = True
    return out


def _person_or_unit(t: _Tok, words: PlaceWords) -> bool:
    last = t.key.split()[-1] if t.key else ""
    return (last in words.ordinals or last in words.titles or last in words.units
            or _ORDINAL_NUMBER.match(t.key) is not None)


def _block_units_and_people(text: str, toks: Sequence[_Tok], used: list[bool],
                            words: PlaceWords) -> None:
    """Mark as used the words of unit and command names and of people's names."""
    n = len(toks)
    cap = [t.text[:1].isupper() for t in toks]  # _cap of each token, asked many times
    i = 0
    while i < n:
        if not cap[i]:
            i += 1
            continue
        # the run of capitalised words starting here
        j = i
        while j + 1 < n and cap[j + 1] and _joined(text, toks[j], toks[j + 1]):
            j += 1
        run = range(i, j + 1)
        keys = [toks[k].key for k in run]
        # "First California Volunteer Cavalry", "Second Cavalry California Volunteers"
        if any(w in words.units for key in keys for w in key.split()) and (
                keys[0].split()[0] in words.ordinals or len(keys) > 1):
            for k in run:
                used[k] = True
        i = j + 1
    for i, t in enumerate(toks):
        if not (cap[i] or _ORDINAL_NUMBER.match(t.key)):
            continue
        key_words = t.key.split()
        if not key_words:
            continue
        if (key_words[-1] in words.commands and i + 2 < n and toks[i + 1].key == "of"):
            # "Department of the Pacific", "ARMY OF THE POTOMAC": a command, not a place
            k = i + 2
            if toks[k].key == "the" and k + 1 < n:
                k += 1
            caps = _caps(toks[k])
            stop = min(n, k + 3)
            while k < stop and _cap(toks[k]) and (_caps(toks[k]) == caps):
                used[k] = True
                if k + 1 < n and not _joined(text, toks[k], toks[k + 1]):
                    break
                k += 1
        elif (key_words[-1] in words.ordinals or _ORDINAL_NUMBER.match(t.key)) and i + 1 < n \
                and _cap(toks[i + 1]) and _gap(text, t, toks[i + 1]) == " ":
            # "4th Ohio", "Second New York", "Twenty-fifth Ohio Battery": a regiment
            k = i + 1
            while k < n and _cap(toks[k]) and k - i <= 3 and toks[k].key not in words.heads:
                used[k] = True
                if k + 1 < n and not _joined(text, toks[k], toks[k + 1]):
                    break
                k += 1
        elif (key_words[-1] in words.titles and i + 1 < n and _joined(text, t, toks[i + 1])) \
                or (len(t.text) == 1 and t.text.isupper() and _gap(text, t, toks[i + 1]
                                                                     if i + 1 < n else t) == ". "):
            # "General James H. Carleton", "S. M. BARTON", "A. P. Hill": a person
            if len(t.text) == 1:
                used[i] = True
            k = i + 1
            while k < n and _cap(toks[k]) and k - i <= 4 and not used[k]:
                if toks[k].key in words.heads:
                    break
                used[k] = True
                if k + 1 < n and not _joined(text, toks[k], toks[k + 1]):
                    break
                k += 1
    # "ARNOLD ELZEY, Major-General": a name before a title after a comma
    for i in range(n - 1):
        t = toks[i]
        nxt = toks[i + 1]
        if (cap[i] and not used[i] and _gap(text, t, nxt) == ", "
                and nxt.key.split()[0] in words.suffix_titles and _cap(nxt)):
            k = i
            while k >= 0 and _cap(toks[k]) and i - k < 3 and not used[k] \
                    and toks[k].key not in words.heads and toks[k].key not in words.tails:
                if k < i and not _joined(text, toks[k], toks[k + 1]):
                    break
                k -= 1
            if i - k >= 2:
                for x in range(k + 1, i + 1):
                    used[x] = True


def _place_word(key: str, words: PlaceWords) -> bool:
    last = key.split()[-1]
    return last in words.heads or last in words.tails or last in words.titles \
        or f"{last} of" in words.phrases


def _stop(t: _Tok, words: PlaceWords) -> bool:
    """Words that end a name even in ALL-CAPS text ("CAMP ON RIO GRANDE")."""
    return (t.key in words.cues or t.key in words.weak_cues or t.key in words.stops
            or t.key in words.months or t.key in words.openers or t.key in words.commands)


def _feature(text: str, toks: Sequence[_Tok], used: list[bool], i: int, words: PlaceWords,
             max_words: int) -> Found | None:
    """Return the feature name starting at token ``i`` ("Fort Smith", "Morton's Ford")."""
    t = toks[i]
    n = len(toks)
    if t.key in words.heads and not _stop(t, words):
        j = i
        while (j + 1 < n and j - i < 3 and not used[j + 1] and _cap(toks[j + 1])
               and _joined(text, toks[j], toks[j + 1]) and not _stop(toks[j + 1], words)
               and toks[j + 1].key not in words.heads):
            j += 1
        if j > i:
            # "Fort Walla Walla", "Lake Providence"; a tail may follow ("Point Lookout Bay")
            return Found(i, j, t.start, toks[j].end, text[t.start : toks[j].end], "feature")
    # "Morton's Ford", "Snake Creek Gap", "Madison Court-House", "the Winchester road"
    best = None
    j = i
    while j < n and j - i < max_words and not used[j] and not _stop(toks[j], words):
        if j > i and not _joined(text, toks[j - 1], toks[j]):
            break
        tail = toks[j].key.split()[-1]
        lower_tail = not _cap(toks[j])
        if j > i and ((tail in words.tails and not lower_tail) or
                      (lower_tail and toks[j].key in words.tails_lower)):
            best = j
        if lower_tail:
            break
        j += 1
    if best is None:
        return None
    if toks[i].key in words.not_names or toks[i].key in words.ordinals:
        return None
    return Found(i, best, t.start, toks[best].end, text[t.start : toks[best].end], "feature")


def _known(text: str, toks: Sequence[_Tok], used: list[bool], i: int, words: PlaceWords,
           known: Callable[[str], tuple[int, int]], max_words: int) -> Found | None:
    """Return the longest name starting at token ``i`` that a gazetteer knows."""
    best = None
    key = ""
    for j in range(i, min(len(toks), i + max_words)):
        if used[j] or not _cap(toks[j]) or (j > i and not _joined(text, toks[j - 1], toks[j])):
            break
        if j > i and _stop(toks[j], words):
            break
        key = toks[j].key if j == i else f"{key} {toks[j].key}"
        if "?" in key:
            break
        if key not in words.not_names and known(key)[0] >= 0:
            best = j
    if best is None:
        return None
    a, b = toks[i].start, toks[best].end
    name = text[a:b]
    if name.endswith(("'s", "’s")):
        return None  # "Lincoln's": a person's
    return Found(i, best, a, b, name, "name")


def _context(text: str, toks: Sequence[_Tok], used: list[bool], found: Found,
             words: PlaceWords, so_far: _Seen) -> int:
    """Return how strongly the words around ``found`` say place: 0 none, 1 some, 2 sure."""
    i, j = found.first, found.last
    prev = toks[i - 1] if i else None
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    after = text[toks[j].end : nxt.start] if nxt else ""
    # followed by a state ("Franklin, Tex.", "Paris, Ky.") or a date ("Richmond, March 5")
    if nxt is not None and after in (" ", ", ", ","):
        if (f := so_far.by_first.get(j + 1)) is not None and f.how == "abbreviation":
            return 2
        if nxt.key in words.months and j + 2 < len(toks) and toks[j + 2].text[:1].isdigit():
            return 2
    if prev is not None:
        gap = text[prev.end : toks[i].start]
        if (gap == " " and prev.key == "of" and i >= 2 and _cap(toks[i - 2])
                and not _caps(toks[i - 2]) and not _place_word(toks[i - 2].key, words)
                and so_far.by_last.get(i - 2) is None):
            return -1  # "the Declaration of Independence", "Battle of Gettysburg": a title
        if gap == " ":
            cue = prev.key
            if (not _cap(prev) or _caps(prev)) and (cue in words.cues or cue in words.weak_cues):
                if cue == "to" and i >= 2 and toks[i - 2].key in words.to_person:
                    return 0
                return 2 if cue in words.cues else 1
            if i >= 2 and f"{toks[i - 2].key} {cue}" in words.phrases:
                return 2
            if cue in words.openers and _caps(toks[i]):
                return 2
        # a list: "at Richmond, Petersburg and Lynchburg" (or, commas lost, "Vicksburg
        # Jackson")
        if gap == " " and (f := so_far.by_last.get(i - 1)) is not None \
                and f.how != "abbreviation":
            return 1
        # a list: "at Richmond, Petersburg and Lynchburg"
        if gap.strip() == "," or (gap == " " and prev.key in words.joiners):
            k = i - (1 if gap.strip() else 2)
            if k >= 0 and (so_far.by_last.get(k) is not None or (used[k] and _cap(toks[k])
                                                                  and not _caps(toks[k]))):
                return 1
    if _caps(toks[i]) and (i < 8 or (prev is not None and prev.key in words.openers)):
        return 1  # a heading: "CAMP NEAR RICHMOND", "HEADQUARTERS … FORT SMITH"
    return 0
