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

#: How large a town a name with 's must own when the document has not placed it before:
#: "Hampton's cavalry", "Freeman's camp" are people's.
POSSESSIVE_POPULATION = 250_000


def first_pass(text: str, toks: Sequence[_Tok], used: list[bool], *,
               words: PlaceWords, curated: Callable[[int], int] | None = None) -> list[Found]:
    """Return the abbreviations and feature names of ``text``; block units and people.

    Runs before the curated lexicon, so "Mississippi River" is one name, "Washington,
    D. C." two, and "California" in "First California Volunteer Cavalry" none.
    ``curated(i)`` says how many tokens the longest curated name starting at token ``i``
    has (0 for none): an organisation's name is not blocked where a curated place covers
    its end ("the Hungarian Parliament", "Central Committee of the Communist Party
    building").
    """
    lower = {t.key for t in toks if t.text[:1].islower()}
    out = _abbreviations(text, toks, used, words, lower)
    _block_units_and_people(text, toks, used, words, curated or (lambda i: 0))
    i = 0
    while i < len(toks):
        if used[i] or _stop(toks[i], words) or not (
                toks[i].text[:1].isupper() or toks[i].key in words.heads_lower):
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
                max_words: int = 5, places: set[str] | None = None) -> list[Found]:
    """Return the known place names of ``text`` in unused tokens, decided by context.

    ``known(key)`` says how well a folded name is known: (-1, -1) for not at all, else
    the population of its largest namesake and of its largest place whose own name (not
    an alternate) it is, -1 if none (a curated place counts as large). ``before`` are the
    places found so far (a town before a state abbreviation is sure); ``lower`` are the
    words the document writes in lower case (common words, not names, when capitalised
    at random). ``places`` are the names the document has read as places so far (sure
    ones; added to here): a name with no context of its own is a place when the document
    already placed it. Tokens taken are marked in ``used``.
    """
    places = set() if places is None else places
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
        if nxt is not None and nxt.key in words.not_after and not _cap(nxt):
            i = found.last + 1  # "Ebola virus", "Spanish flu": a disease, not a place
            continue
        if context == 1 and own < 0:
            context = 0  # "of Allen" is not Aalen: an alternate name needs a sure cue
        if found.end < toks[found.last].end:
            # "China's", "Dublin's": a place the document placed or a city; a smaller
            # town's name with 's is a person's far more often ("Hampton's cavalry")
            if key not in places and own < POSSESSIVE_POPULATION:
                i = found.last + 1
                continue
            context = 0
        if context < 0:
            i += 1
            continue
        if context and _by_cue(toks, found.first, words, so_far):
            found = replace(found, how="cue")  # "in Debrecen": as sure as a cue makes it
        if context:
            out.append(found)
            so_far.add(found)
            strong.add(key)
        elif key in words.not_names or (single and key in lower):
            i += 1  # a word the text also writes in lower case ("Reading", "Mobile")
            continue
        elif single and nxt is not None and _cap(nxt) and not used[found.last + 1] \
                and _joined(text, toks[found.last], nxt) and _opens_sentence(text, toks, i):
            i += 1  # "FREDERICK MEARS", "George B. Drake" opening a sentence: a person
            continue
        else:
            weak.append(found)
        for k in range(found.first, found.last + 1):
            used[k] = True
        i = found.last + 1
    places.update(strong)
    for found in weak:
        # a name with no cue, at a sentence start or a headline too ("Antwerp fell on 4
        # September"): a place if the document placed it elsewhere, or if it is a town of
        # some size under its own name (people's names were left out above)
        key = fold(found.name)
        if key in places or known(key)[1] >= BARE_POPULATION:
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
        if t.text in words.postal and first and not used[first] and _postal(text, toks, first,
                                                                            words):
            out.append(Found(first, first, t.start, t.end, words.postal[t.text], "abbreviation"))
            used[first] = True
            continue
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
        initials = all(len(w) == 1 for w in folded.split())
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
        if (after is not None and _cap(after) and (_unit_word(after, words) or (
                initials and (len(after.text) == 1 or (after.key in words.titles
                                                       and not _caps(after)))))) or (
                before is not None and (before.key in words.ordinals
                                        or _ORDINAL_NUMBER.match(before.key))):
            continue  # "U. S. Army", "Third U. S. Cavalry", "Fifth MO. STATE MIL.": a unit
        comma = before is not None and "," in text[before.end : m.start()]
        if name_follows and (not after_place or (initials and not comma)
                             or folded in words.ambiguous):
            continue  # "W. T. Sherman", "Miss. Smith"; but "Rolla Mo. Report of …" and
            # "Washington, D.C. China's …"
        if initials and not after_place and after is not None and _caps(after) \
                and text[m.end() : after.start] == " ":
            continue  # "servant, W. T. LEEPER": a signature's initials
        if (folded in words.ambiguous or not dotted) and not after_place:
            continue
        if folded in words.ambiguous and not dotted and after is not None \
                and not _cap(after) and text[m.end() : after.start] == " ":
            continue  # "Time Man of the Year" (but "Guntown Miss June 10", dots lost)
        if not dotted and len(folded) < 3:
            continue
        out.append(Found(first, last, m.start(), m.end(), state, "abbreviation"))
        for k in range(first, last + 1):
            used[k] = True
    return out


def _unit_word(t: _Tok, words: PlaceWords) -> bool:
    """True for a word that makes the name before it a unit's or an organisation's."""
    key = t.key.split()[-1] if t.key else ""
    return (key in words.units or key in words.commands or key in words.organisations
            or key in words.organisation_heads)


def _postal(text: str, toks: Sequence[_Tok], i: int, words: PlaceWords) -> bool:
    """True for a postal code right after a town and a comma ("Austin, TX")."""
    before = toks[i - 1]
    if not _cap(before) or _caps(before) or text[before.end : toks[i].start] != ", ":
        return False
    after = toks[i + 1] if i + 1 < len(toks) else None
    # "Austin, TX 78701", "Austin, TX." but not "Smith, OK Corral"
    return after is None or not _cap(after) or text[toks[i].end : after.start].strip() != ""


def _person_or_unit(t: _Tok, words: PlaceWords) -> bool:
    last = t.key.split()[-1] if t.key else ""
    return (last in words.ordinals or last in words.titles or last in words.units
            or _ORDINAL_NUMBER.match(t.key) is not None)


def _block_units_and_people(text: str, toks: Sequence[_Tok], used: list[bool],
                            words: PlaceWords, curated: Callable[[int], int]) -> None:
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
        unit = any(w in words.units for key in keys for w in key.split()) and (
            keys[0].split()[0] in words.ordinals or len(keys) > 1)
        # "Dublin City Council", "the Chicago Tribune", "Manchester United": an organisation
        # (unless a curated place covers its end: "the Hungarian Parliament")
        organisation = (len(keys) > 1
                        and keys[-1].removesuffix(" s").split()[-1] in words.organisations
                        and not any(k + curated(k) > j for k in range(max(0, i - 6), j + 1)))
        if unit or organisation:
            for k in run:
                used[k] = True
        i = j + 1
    for i, t in enumerate(toks):
        if not (cap[i] or _ORDINAL_NUMBER.match(t.key) or t.key in words.ordinals):
            continue  # "Seventy-second Ohio" has a small-letter ordinal
        key_words = t.key.split()
        if not key_words:
            continue
        if ((key_words[-1] in words.commands or key_words[-1] in words.organisation_heads)
                and i + 2 < n and toks[i + 1].key == "of"
                and not any(k + curated(k) > i + 2 for k in range(max(0, i - 6), i + 1))):
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
                or ((len(t.text) == 1 or t.key in words.given) and t.text[:1].isupper()
                    and not t.text[1:].isupper()
                    and _gap(text, t, toks[i + 1] if i + 1 < n else t) == ". "):
            # "General James H. Carleton", "S. M. BARTON", "A. P. Hill", "Jeff. Davis": a
            # person; but "Queen Victoria Street", "King George Square" are places
            if t.key in words.street_titles and _facility_run(text, toks, i + 1, words):
                continue
            if len(t.text) == 1 or t.key in words.given:
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


def _facility_run(text: str, toks: Sequence[_Tok], i: int, words: PlaceWords) -> bool:
    """True if the capitalised run from token ``i`` ends in a feature word ("Victoria
    Street", "Albert Hall"): after a title it names a place, not a person."""
    n = len(toks)
    k = i
    while k < n and k - i < 4 and _cap(toks[k]):
        if toks[k].key.split()[-1] in words.tails:
            return k > i
        if k + 1 < n and not _joined(text, toks[k], toks[k + 1]):
            break
        k += 1
    return False


def _place_word(key: str, words: PlaceWords) -> bool:
    last = key.split()[-1]
    return last in words.heads or last in words.tails or last in words.titles \
        or f"{last} of" in words.phrases


def _stop(t: _Tok, words: PlaceWords) -> bool:
    """Words that end a name even in ALL-CAPS text ("CAMP ON RIO GRANDE")."""
    return (t.key in words.cues or t.key in words.weak_cues or t.key in words.stops
            or t.key in words.months or t.key in words.openers or t.key in words.commands)


def _particle(text: str, toks: Sequence[_Tok], j: int, words: PlaceWords) -> int:
    """Return how many lower-case particles from token ``j`` lead on to a capitalised word
    of the same name ("an der" in "Frankfurt an der Oder"); 0 if none do."""
    n = len(toks)
    k = j
    while k < n and k - j < 3 and toks[k].key in words.particles and not _cap(toks[k]) \
            and _gap(text, toks[k - 1], toks[k]) in (" ", "-"):
        k += 1
    if k == j or k >= n or not _cap(toks[k]) or _gap(text, toks[k - 1], toks[k]) not in (" ", "-"):
        return 0
    return k - j


def _suffixed(t: _Tok, words: PlaceWords) -> bool:
    """True for one word that ends in a street or square word ("Heldenplatz")."""
    key = t.key
    return " " not in key and any(key.endswith(x) and len(key) >= len(x) + 3
                                  for x in words.suffixes)


def _feature(text: str, toks: Sequence[_Tok], used: list[bool], i: int, words: PlaceWords,
             max_words: int) -> Found | None:
    """Return the feature name starting at token ``i`` ("Fort Smith", "Morton's Ford").

    A head word before capitalised words ("Fort Smith", "Place de la Concorde", lower case
    for local words: "rue de Rivoli", "plac Zamkowy"); capitalised words before a tail
    word ("Morton's Ford", "Changan Avenue", lower case for some: "Andrássy út"); or one
    word ending in a street word ("Heldenplatz"). Lower-case particles may join the words
    of a name ("Frankfurt an der Oder") but never end it.
    """
    t = toks[i]
    n = len(toks)
    lower_head = not _cap(t)
    if lower_head and t.key not in words.heads_lower:
        return None
    if t.key == "co" and i and "&" in _gap(text, toks[i - 1], t):
        return None  # "Coleman & Co.": a firm
    if (t.key in words.heads or lower_head) and not _stop(t, words):
        j = i
        while j + 1 < n and j - i < 3 and not used[j + 1]:
            if _cap(toks[j + 1]) and _joined(text, toks[j], toks[j + 1]) \
                    and not _stop(toks[j + 1], words) and toks[j + 1].key not in words.heads:
                j += 1
                continue
            skip = _particle(text, toks, j + 1, words)
            if skip and j > i - 1 and not any(used[j + 1 : j + 2 + skip]):
                j += skip + 1  # "Place de la Concorde", "Puerta del Sol"
                continue
            break
        # "Battery F", "Fort No. 2": a unit or a number, not a name
        if j > i and not (j == i + 1 and (len(toks[j].text) == 1 or toks[j].key in ("no", "nos"))):
            # "Fort Walla Walla", "Lake Providence"; a tail may follow ("Point Lookout Bay")
            return Found(i, j, t.start, toks[j].end, text[t.start : toks[j].end], "feature")
        if lower_head:
            return None
    if _suffixed(t, words) and toks[i].key not in words.not_names:
        return Found(i, i, t.start, t.end, t.text, "feature")  # "Heldenplatz"
    # "Morton's Ford", "Snake Creek Gap", "Madison Court-House", "the Winchester road"
    best = None
    j = i
    while j < n and j - i < max_words and not used[j] and not _stop(toks[j], words):
        if j > i and not _joined(text, toks[j - 1], toks[j]):
            break
        if best is not None and toks[j].key in words.heads:
            break  # "Raft River | Fort Hall": a head word begins the next name
        tail = toks[j].key.split()[-1]
        lower_tail = not _cap(toks[j])
        if j > i and ((tail in words.tails and not lower_tail) or
                      (lower_tail and toks[j].key in words.tails_lower)):
            best = j
        if lower_tail:
            break
        if best is None and (skip := _particle(text, toks, j + 1, words)):
            j += skip  # "Frankfurt an der Oder Bridge": particles only inside a name
        j += 1
    if best is None:
        return None
    if toks[i].key in words.not_names or toks[i].key in words.ordinals:
        return None
    end = toks[best].end
    if toks[best].key in words.dotted and text.startswith(".", end):
        end += 1  # "Lamar Co.", "Fifth Ave.": the dot is part of the name
    return Found(i, best, t.start, end, text[t.start : end], "feature")


def _known(text: str, toks: Sequence[_Tok], used: list[bool], i: int, words: PlaceWords,
           known: Callable[[str], tuple[int, int]], max_words: int) -> Found | None:
    """Return the longest name starting at token ``i`` that a gazetteer knows."""
    best = None
    key = ""
    possessive = False
    j = i
    n = len(toks)
    while j < min(n, i + max_words):
        if used[j] or not _cap(toks[j]) or (j > i and not _joined(text, toks[j - 1], toks[j])):
            break
        if j > i and _stop(toks[j], words):
            break
        key = toks[j].key if j == i else f"{key} {toks[j].key}"
        if "?" in key:
            break
        owner = _possessive(toks[j])
        look = key[:-2] if owner else key
        if look not in words.not_names and known(look)[0] >= 0:
            best, possessive = j, owner
        if owner:
            break  # "China's leaders": a possessive ends the name
        skip = _particle(text, toks, j + 1, words)
        if skip:  # "Frankfurt an der Oder", "Kingston upon Hull"
            key = " ".join([key, *(toks[k].key for k in range(j + 1, j + 1 + skip))])
            j += skip
        j += 1
    if best is None:
        return None
    a, b = toks[i].start, toks[best].end - (2 if possessive else 0)
    return Found(i, best, a, b, text[a:b], "name")


def _possessive(t: _Tok) -> bool:
    return t.text.endswith(("'s", "’s")) and len(t.text) > 3


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
