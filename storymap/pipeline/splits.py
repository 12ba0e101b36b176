"""Where one feature name ends and the next begins, in a run of capitalised words.

Texts that lost their commas run names together: "Camp Douglas Utah", "Fort Gibson
Cherokee Nation", "Keytesville Chariton County", "Collierville White's Station",
"Champion's Hill Black River Bridge". The feature reader (``features.feature``) asks
these helpers where to cut, using what the gazetteers know of each part (``known``, as
``toponyms.read_places`` gets it); the part cut off is read by the later rules on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .placewords import PlaceWords
from .tokenview import Tok, cap, joined

__all__ = ["Known", "head_stops_before", "tail_start"]

#: What a gazetteer knows of a folded name: (population of its largest namesake, of its
#: largest place of that own name); (-1, -1) for unknown.
Known = Callable[[str], tuple[int, int]]

#: How large a town a word must name on its own to begin a new name inside a run after a
#: head word's name ("Camp Douglas | Utah", "Fort Clinch | Jacksonville"), and not be a
#: second word of it ("Fort Walla Walla").
NEXT_TOWN = 1_000

#: How large a town must be for its possessive before a name to be the town's own name
#: ("Beijing's Tiananmen Square"): a town of a few thousand is as often a person's name
#: ("Lincoln's Inn Fields" beside a Lincoln of 4,000).
OWNER_TOWN = 50_000


def _possessive(t: Tok) -> bool:
    return t.text.endswith(("'s", "’s")) and len(t.text) > 3


def _town_owns(owner: Tok, nxt: Tok, words: PlaceWords, known: Known) -> bool:
    """True if ``owner`` is a town's possessive that begins a run of another name: the
    town is a name of its own and the feature's name begins after it ("Beijing's |
    Tiananmen Square", "London's | Trafalgar Square"). Not when the next word is itself a
    feature word ("Lee's Mill Road": the road is named after Lee's Mill), nor for a word
    or a title ("King's Cross Station")."""
    if not _possessive(owner) or nxt.key in words.tails or nxt.key in words.heads:
        return False
    town = owner.key.removesuffix(" s")
    if town in words.common or town in words.titles or town in words.street_titles:
        return False
    return known(town)[1] >= OWNER_TOWN


def _key(toks: Sequence[Tok], a: int, b: int) -> str:
    return " ".join(toks[k].key for k in range(a, b + 1))


def head_stops_before(text: str, toks: Sequence[Tok], i: int, k: int, words: PlaceWords,
                      known: Known) -> bool:
    """True if token ``k`` begins another place after the head-word name ``toks[i:k]``
    ("Camp Douglas | Utah", "Fort Bowie | Apache Pass", "Fort Pulaski | Saint Helena"),
    unless the whole run is one known name."""
    if known(_key(toks, i, k))[0] >= 0:
        return False  # "Fort Des Moines" is one name
    t = toks[k]
    if t.key.split()[-1] in words.tails:
        return False  # "Mount Carmel Church", "Port Royal Harbor": one name
    n = len(toks)
    nxt = toks[k + 1] if k + 1 < n else None
    joined_next = nxt is not None and cap(nxt) and joined(text, t, nxt)
    if joined_next and nxt is not None and nxt.key.split()[-1] in words.tails:
        return True  # "Fort Gibson | Cherokee Nation", "Camp Independence | Oak Creek"
    if (t.key in words.saints or t.key in words.prefixes) and joined_next:
        return known(_key(toks, k, k + 1))[1] >= 0  # "Fort Pulaski | Saint Helena"
    return known(t.key)[1] >= NEXT_TOWN  # "Camp Reno | Milwaukee", "Fort Clinch | Jacksonville"


def tail_start(toks: Sequence[Tok], i: int, best: int, words: PlaceWords,
               known: Known) -> int:
    """Return where the name ending in the feature word at ``best`` begins, from ``i``.

    A possessive inside the run begins the name when the words before it are a place or
    another possessive ("Collierville | White's Station", "Lee's | Varnell's Station"); a
    known town before the name of a division is its own name ("Keytesville | Chariton
    County", "Paris | Monroe County"), unless the longer run is known too ("White Oak
    River", "Pine Bluff Landing").
    """
    start = i
    for k in range(i + 1, best):
        left = _key(toks, start, k - 1)
        if k == i + 1 and _town_owns(toks[i], toks[k], words, known):
            start = k  # "Beijing's | Tiananmen Square", "Moscow's | Red Square"
            continue
        if toks[start].key in words.prefixes or toks[start].key in words.qualifiers \
                or toks[start].key in words.articles:
            continue  # "Van Horn's Wells", "Mount Carmel Church", "Little Rock Landing"
        if _possessive(toks[k]):
            if _possessive(toks[k - 1]) or known(left)[1] >= NEXT_TOWN:
                start = k
            continue
        if _possessive(toks[start]) or toks[k].key in words.tails \
                or toks[k].key in words.not_names:
            continue  # "Umatilla Indian Reservation"
        if toks[k].key in words.heads:  # "Brownsville | Fort Esperanza"
            if known(left)[1] >= NEXT_TOWN:
                start = k
            continue
        # a town before a division ("Keytesville | Chariton County"); not before another
        # feature: "Overland Mail Route", "Umatilla Indian Reservation" are one name
        if toks[best].key.split()[-1] not in words.division_tails:
            continue
        if known(left)[1] >= 0 and known(_key(toks, start, k))[0] < 0 \
                and known(_key(toks, start, best))[0] < 0:
            start = k
    return start
