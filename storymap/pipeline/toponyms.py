"""The general place reader: names any text may use, decided by their context.

The mention finder (``mentions.py``) first takes the names of the curated gazetteer; this
module then reads the rest of a passage the way a reader of any text would:

* **abbreviations** of states, territories and countries with their dots ("Mo.",
  "N. Mex.", "Wash. Ter.", "D. C.", "U.S."), after a town or in a heading
  (``abbreviations.py``);
* **feature names**: a feature word before or after capitalised words ("Fort Smith",
  "Camp Lincoln", "Morton's Ford", "Madison Court-House", "Liberty Hall", "Andrássy
  út"), known to a gazetteer or not (``features.py``);
* **known names**: runs of capitalised words (ALL-CAPS too) that GeoNames or the curated
  gazetteer knows, accepted where the context says place: after a cue ("in", "near",
  "of", "for", "on"), in a dateline ("Franklin, Tex.", "Richmond, March 5"), in a
  heading ("CAMP NEAR RICHMOND"), in a list of places, or anywhere when the name is a
  town of some size, has several words, or the passage already used it as a place.

Never places: people (after a title, with initials, before ", Major-General"; a name the
document read as a person's), units ("First California Volunteer Cavalry", "Fifth U. S.
Infantry"), commands and organisations ("Department of the Pacific", "Bank of England",
"Dublin City Council"), diseases ("Spanish flu"). Every word list comes from the
language profile (``storymap/lang/<code>/places.yaml``, ``localwords.yaml``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from ..text.folding import fold
from .abbreviations import read_abbreviations
from .features import block_units_and_people, feature
from .placewords import HEAD, TAIL, PlaceWords, after_vessel, feature_flags
from .tokenview import Found
from .tokenview import Tok as _Tok
from .tokenview import cap as _cap
from .tokenview import caps as _caps
from .tokenview import joined as _joined
from .tokenview import particle as _particle
from .tokenview import stop as _stop

__all__ = ["BARE_POPULATION", "Found", "read_places"]


#: What ``known`` says of a name the curated gazetteer has.
CURATED = 10**9

#: How large a town a name must own to be read as a place with no context at all.
BARE_POPULATION = 50_000

#: How large a town a name must own to be read as a place when it opens a sentence with no
#: cue and the document has not placed it: "Antwerp fell on 4 September" (529,000), but
#: "Lincoln delivered the address" (Lincoln, Nebraska: 295,000) is the president.
OPENING_POPULATION = 500_000

#: How large a town a name with no cue must own to be weighed by the document's places
#: (``pipeline.nearby``): mid-sentence, and opening a sentence (where a person's name is
#: far more often).
WEAK_POPULATION = 1_000
WEAK_OPENING = 10_000

#: How large a town a name with 's must own when the document has not placed it before:
#: "Hampton's cavalry", "Freeman's camp" are people's.
POSSESSIVE_POPULATION = 250_000


def first_pass(text: str, toks: Sequence[_Tok], used: list[bool], *,
               words: PlaceWords, curated: Callable[[int], int] | None = None,
               lower: frozenset[str] | None = None,
               known: Callable[[str], tuple[int, int]] | None = None) -> list[Found]:
    """Return the abbreviations and feature names of ``text``; block units and people.

    Runs before the curated lexicon, so "Mississippi River" is one name, "Washington,
    D. C." two, and "California" in "First California Volunteer Cavalry" none.
    ``curated(i)`` says how many tokens the longest curated name starting at token ``i``
    has (0 for none): an organisation's name is not blocked where a curated place covers
    its end ("the Hungarian Parliament", "Central Committee of the Communist Party
    building"). ``lower`` are the words the passage writes in lower case (read from it
    when not given). ``known`` (as ``read_places`` takes it) cuts feature names that ran
    together ("Camp Douglas | Utah").
    """
    if lower is None:
        lower = frozenset(t.key for t in toks if t.text[:1].islower())
    out = read_abbreviations(text, toks, used, words, lower)
    flags = [feature_flags(t.key, words) for t in toks]
    block_units_and_people(text, toks, used, words, curated or (lambda i: 0), flags)
    # where a feature word is, so that a capitalised word with none in reach is skipped
    # before the feature search (most are: asked of every capitalised word, it was slow)
    last_tail = -1  # the nearest feature word at or after a token, scanning back
    reach = [False] * len(toks)
    for k in range(len(toks) - 1, -1, -1):
        reach[k] = (flags[k] & HEAD) != 0 or (last_tail > k and last_tail - k <= 4)
        if flags[k] & TAIL:
            last_tail = k
    i = 0
    while i < len(toks):
        t = toks[i]
        if used[i] or not reach[i] or _stop(t, words) \
                or not (t.text[:1].isupper() or t.key in words.heads_lower):
            i += 1
            continue
        found = feature(text, toks, used, i, words, 5, lower, known)
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
                max_words: int = 5, places: set[str] | None = None,
                unplaced: list[Found] | None = None) -> list[Found]:
    """Return the known place names of ``text`` in unused tokens, decided by context.

    ``known(key)`` says how well a folded name is known: (-1, -1) for not at all, else
    the population of its largest namesake and of its largest place whose own name (not
    an alternate) it is, -1 if none (a curated place counts as large). ``before`` are the
    places found so far (a town before a state abbreviation is sure); ``lower`` are the
    words the document writes in lower case (common words, not names, when capitalised
    at random; this passage's words included, or read from it when empty). ``places``
    are the names the document has read as places so far (sure ones; added to here): a
    name with no context of its own is a place when the document already placed it.
    Tokens taken are marked in ``used``. The names left for want of context are added to
    ``unplaced``: the caller may take them when the document places them later on.
    """
    places = set() if places is None else places
    if not lower:  # the mention finder passes the document's, this passage's included
        lower = frozenset(t.key for t in toks if t.text[:1].islower())
    so_far = _Seen(before)
    out: list[Found] = []
    strong: set[str] = set()
    weak: list[Found] = []
    opening: set[int] = set()  # the weak names that open a sentence or a heading
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
        found = _with_prefix(text, toks, used, found, words, known)
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
        if single and key in words.seasons:
            i = found.last + 1  # "Beijing, Spring 1989": a date ("Spring Hill" is a name)
            continue
        if single and key in lower and own < BARE_POPULATION:
            i = found.last + 1  # "Colonel in Charge", "Guns mounted": a word, not a town
            continue
        if single and key in words.common and (context < 2 or own < BARE_POPULATION):
            i = found.last + 1  # "Richmond Give orders", "to Send a detachment": a word
            continue  # (a town of some size keeps its name after a cue: "in Nice")
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
        elif context and found.first and toks[found.first - 1].text in words.articles_definite:
            # "in the Wheatfield", "across the Atchafalaya": a name English writes with
            # "the" is a river, a region or a feature, a town of that name only nearby
            found = replace(found, how="article")
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
            if _opens_sentence(text, toks, found.first):
                opening.add(found.first)
        for k in range(found.first, found.last + 1):
            used[k] = True
        i = found.last + 1
    places.update(strong)
    for found in weak:
        # a name with no cue, at a sentence start or a headline too ("Antwerp fell on 4
        # September"): a place if the document placed it elsewhere, or if it is a town of
        # some size under its own name (people's names were left out above)
        key = fold(found.name)
        bare = OPENING_POPULATION if found.first in opening else BARE_POPULATION
        anywhere, own = known(key)
        if key in places or own >= bare:
            out.append(found)
        elif anywhere >= (WEAK_OPENING if found.first in opening else WEAK_POPULATION) \
                and not (found.first == found.last and (key in words.tails or key in words.heads)):
            # (not a feature word alone: "On the Road with Shakespeare")
            # "took Cherbourg", "Caen, which …": a smaller town, or a town under another
            # of its names ("Calcutta"), is a place only if it lies among the document's
            # own places (``pipeline.nearby`` keeps it after resolving, or drops it)
            out.append(replace(found, how="weak"))
            for k in range(found.first, found.last + 1):
                used[k] = False  # any other reading of these words goes first
        else:
            for k in range(found.first, found.last + 1):
                used[k] = False
            if unplaced is not None:
                unplaced.append(found)
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
                 words: PlaceWords, known: Callable[[str], tuple[int, int]]) -> Found:
    """Take in a word that begins a longer name ("New Berne" is not Bern, Switzerland), or
    that says which part of a region ("Southwest Missouri": the name stays Missouri)."""
    i = found.first
    if not (i and not used[i - 1] and _cap(toks[i - 1]) and _joined(text, toks[i - 1], toks[i])):
        return found
    word = toks[i - 1].key
    start = toks[i - 1].start
    whole = text[start : found.end]
    if word in words.qualifiers and known(fold(found.name))[1] >= CURATED \
            and known(fold(whole))[0] < 0:  # a curated region, not "North Anna" "
        return replace(found, first=i - 1, start=start)
    if word in words.prefixes:
        return replace(found, first=i - 1, start=start, name=whole)
    return found


def _opens_sentence(text: str, toks: Sequence[_Tok], i: int) -> bool:
    """True for the first word of a passage or of a sentence ("Since …", "As …")."""
    if i == 0:
        return True
    gap = text[toks[i - 1].end : toks[i].start]
    return any(c in gap for c in ".:;!?\n\"(")


def _place_word(key: str, words: PlaceWords) -> bool:
    last = key.split()[-1]
    return last in words.heads or last in words.tails or last in words.titles \
        or f"{last} of" in words.phrases


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
        if look not in words.not_names and look not in words.titles \
                and look not in words.suffix_titles and known(look)[0] >= 0:
            best, possessive = j, owner
        if owner:
            break  # "China's leaders": a possessive ends the name
        skip = _particle(text, toks, j + 1, words)
        if skip:  # "Frankfurt an der Oder", "Kingston upon Hull"
            key = " ".join([key, *(toks[k].key for k in range(j + 1, j + 1 + skip))])
            j += skip
        j += 1
    if best is None or (best == i and toks[i].key in words.articles):
        return None  # "Las" of "Las Cruses", "La" of "La Fourche": no name alone
    if possessive and best > i and toks[i].key in words.saints:
        possessive = False  # "Saint John's", "St. Mary's": the 's is the name's
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
    if prev is not None and after_vessel(tuple(t.key for t in toks[max(0, i - 2) : i]), words):
        return -1  # "the steamer Delaware", "the iron ram Tennessee": a ship
    if prev is not None:
        gap = text[prev.end : toks[i].start]
        if (gap == " " and prev.key == "of" and i >= 2 and _cap(toks[i - 2])
                and not _caps(toks[i - 2]) and not _place_word(toks[i - 2].key, words)
                and toks[i - 2].key not in words.place_of
                and so_far.by_last.get(i - 2) is None):
            return -1  # "the Declaration of Independence", "Army of Tennessee": a title
        if gap == " ":
            cue = prev.key
            if (not _cap(prev) or _caps(prev)) and (cue in words.cues or cue in words.weak_cues):
                if cue == "to" and i >= 2 and toks[i - 2].key in words.to_person:
                    return 0
                if cue == "of" and i >= 2 and toks[i - 2].key in words.person_of:
                    return -1  # "the portrait of Mao", "a statue of Lincoln": a person
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
    if prev is not None and i >= 2 and prev.text in words.articles_definite \
            and text[prev.end : toks[i].start] == " " and not _cap(toks[i - 2]) \
            and text[toks[i - 2].end : prev.start] == " " \
            and (toks[i - 2].key in words.cues or toks[i - 2].key in words.weak_cues) \
            and toks[i - 2].key not in words.title_of \
            and not (i == j and (toks[i].key in words.tails or toks[i].key in words.heads)) \
            and not (nxt is not None and after == " " and (
                nxt.key in words.units or nxt.key in words.people_nouns
                or (_cap(nxt) and nxt.key in words.not_names))):
        # "on the Rapidan", "across the Atchafalaya", "to the Gulf"; not "the Texas
        # regiment", "on the Missouri side", "the Continental Army" (a name before a noun
        # qualifies it), "the Monument" (a feature word alone), "the Republic of Mexico"
        return 1
    if _caps(toks[i]) and (i < 8 or (prev is not None and prev.key in words.openers)):
        return 1  # a heading: "CAMP NEAR RICHMOND", "HEADQUARTERS … FORT SMITH"
    return 0
