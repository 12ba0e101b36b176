"""Feature names and the names that are not places, for the place reader's first pass.

* **feature names**: a feature word before or after capitalised words ("Fort Smith",
  "Morton's Ford", "Liberty Hall", "Changan Avenue"), the local words of other countries
  ("rue de Rivoli", "plac Zamkowy", "Andrássy út", "Heldenplatz"), known to a gazetteer
  or not;
* **blocked runs**: units ("First California Volunteer Cavalry", "4th Ohio"), commands
  and organisations ("Department of the Pacific", "Bank of England", "Dublin City
  Council", "the Chicago Tribune") and people (after a title, with initials, before
  ", Major-General").

Every word comes from the language profile (``placewords.PlaceWords``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .placewords import (
    COMMAND,
    GIVEN,
    HEAD,
    ORDINAL,
    ORG,
    SUFFIX_TITLE,
    TAIL,
    TITLE,
    UNIT,
    PlaceWords,
    feature_flags,
)
from .splits import Known, head_stops_before, tail_start
from .tokenview import ORDINAL_NUMBER as _ORDINAL_NUMBER
from .tokenview import Found
from .tokenview import Tok as _Tok
from .tokenview import cap as _cap
from .tokenview import caps as _caps
from .tokenview import gap as _gap
from .tokenview import joined as _joined
from .tokenview import particle as _particle
from .tokenview import stop as _stop

__all__ = ["block_units_and_people", "feature", "rivers"]


def block_units_and_people(text: str, toks: Sequence[_Tok], used: list[bool],
                            words: PlaceWords, curated: Callable[[int], int],
                            flags: Sequence[int] = ()) -> None:
    """Mark as used the words of unit and command names and of people's names.

    ``flags`` are the tokens' ``placewords.feature_flags`` when the caller has them.
    """
    n = len(toks)
    cap = [t.text[:1].isupper() for t in toks]  # _cap of each token, asked many times
    fl = flags or [feature_flags(t.key, words) for t in toks]
    i = 0
    while i < n:
        if not cap[i]:
            i += 1
            continue
        # the run of capitalised words starting here
        j = i
        while j + 1 < n and cap[j + 1] and _joined(text, toks[j], toks[j + 1]) \
                and toks[j + 1].key not in words.openers_next:
            j += 1  # "via Stevensburg | The Third Division": a sentence word ends the run
        run = range(i, j + 1)
        # "First California Volunteer Cavalry", "Second Cavalry California Volunteers"
        unit = any(fl[k] & UNIT for k in run) and (
            toks[i].key.split()[0] in words.ordinals or j > i)
        # "Dublin City Council", "the Chicago Tribune", "Manchester United": an organisation
        # (unless a curated place covers its end: "the Hungarian Parliament")
        organisation = (j > i and fl[j] & ORG
                        and not any(k + curated(k) > j for k in range(max(0, i - 6), j + 1)))
        if unit and j - i >= 5:
            # a long run that lost its commas: the unit begins at its ordinal or a few
            # words before its unit word ("Vicksburg Jackson Grand Coteau | Seventy-seventh
            # Regiment Illinois Volunteer Infantry")
            u = next(k for k in run if fl[k] & UNIT)
            first = max(i, u - 3)
            for k in range(u - 1, first - 1, -1):
                if toks[k].key.split()[0] in words.ordinals \
                        or _ORDINAL_NUMBER.match(toks[k].key):
                    first = k
                    break
            run = range(first, j + 1)
        if unit or organisation:
            for k in run:
                used[k] = True
        i = j + 1
    # most words start none of the rules below: only these are looked at
    starts = [k for k, t in enumerate(toks) if fl[k] & (COMMAND | ORDINAL | TITLE | GIVEN)
              or (cap[k] and len(t.text) == 1) or t.key[:1].isdigit()]
    for i in starts:
        t = toks[i]
        f = fl[i]
        number = t.key[:1].isdigit() and _ORDINAL_NUMBER.match(t.key) is not None
        if not (cap[i] or f & ORDINAL or number):
            continue  # "Seventy-second Ohio" has a small-letter ordinal, "4th Ohio" a digit
        if (f & COMMAND and cap[i] and i + 2 < n
                and (toks[i + 1].key == "of" or (toks[i + 1].key == "from"
                                                 and t.key.split()[-1] in words.commands))
                and not any(k + curated(k) > i + 2 for k in range(max(0, i - 6), i + 1))):
            # "Department of the Pacific", "ARMY OF THE POTOMAC", "the Column from
            # California": a command, not a place
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
        elif (f & ORDINAL or number) and i + 1 < n \
                and _cap(toks[i + 1]) and _gap(text, t, toks[i + 1]) == " ":
            # "4th Ohio", "Second New York", "Twenty-fifth Ohio Battery": a regiment
            k = i + 1
            while k < n and _cap(toks[k]) and k - i <= 3 and toks[k].key not in words.heads:
                used[k] = True
                if k + 1 < n and not _joined(text, toks[k], toks[k + 1]):
                    break
                k += 1
        elif (f & TITLE and cap[i] and i + 1 < n and _joined(text, t, toks[i + 1])) \
                or ((len(t.text) == 1 or f & GIVEN) and t.text[:1].isupper()
                    and not t.text[1:].isupper()
                    and _gap(text, t, toks[i + 1] if i + 1 < n else t) == ". "):
            # "General James H. Carleton", "S. M. BARTON", "A. P. Hill", "Jeff. Davis": a
            # person; but "Queen Victoria Street", "King George Square" are places
            if t.key in words.street_titles and _facility_run(text, toks, i + 1, words) \
                    and not (i > 1 and toks[i - 1].key in words.joiners
                             and toks[i - 2].key in words.street_titles):
                continue  # but "King and Queen Court-House": the pair is one name
            if len(t.text) == 1 or f & GIVEN:
                if len(t.text) == 1 and not used[i]:
                    _given_names(text, toks, used, i, fl, words)  # "Thomas L. Roberts"
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
    for i in [k - 1 for k in range(1, n) if fl[k] & SUFFIX_TITLE]:
        t = toks[i]
        nxt = toks[i + 1]
        if cap[i] and not used[i] and _gap(text, t, nxt) == ", " and _cap(nxt):
            k = i
            while k >= 0 and _cap(toks[k]) and i - k < 3 and not used[k] \
                    and (_caps(toks[k]) == _caps(t) or len(toks[k].text) == 1) \
                    and toks[k].key not in words.heads and toks[k].key not in words.tails:
                # "in West Florida ASBOTH, Brigadier-General": the name is one case
                if k < i and not _joined(text, toks[k], toks[k + 1]):
                    break
                k -= 1
            if i - k >= 2:
                for x in range(k + 1, i + 1):
                    used[x] = True


def _given_names(text: str, toks: Sequence[_Tok], used: list[bool], i: int,
                 fl: Sequence[int], words: PlaceWords) -> None:
    """Mark the given name before the initial at token ``i`` ("Thomas L. Roberts", "GEORGE
    B. DRAKE"): a name, an initial and a surname of the same case are a person's. Not
    after a cue ("near Berryville JOHN B. SANBORN" lost its full stop) nor before more
    initials ("Washington D. C.", "Tucson H. S. STEVENS")."""
    k = i - 1
    if k < 0 or i + 1 >= len(toks) or used[k] or len(toks[i + 1].text) < 2:
        return
    name, surname = toks[k], toks[i + 1]
    if not _cap(name) or not _cap(surname) or len(name.text) < 2 \
            or _caps(name) != _caps(surname) or _gap(text, name, toks[i]) != " " \
            or fl[k] & (TAIL | HEAD | TITLE):
        return
    before = toks[k - 1].key if k else ""
    if k and (((before in words.cues or before in words.weak_cues) and not _cap(toks[k - 1]))
              or (_cap(toks[k - 1]) and _gap(text, toks[k - 1], name) == " ")):
        return  # after a cue, or the end of a longer name ("New Orleans X. Commanding")
    used[k] = True


def _facility_run(text: str, toks: Sequence[_Tok], i: int, words: PlaceWords) -> bool:
    """True if the capitalised run from token ``i`` ends in a feature word ("Victoria
    Street", "Albert Hall"), or is one ("King | Street"): after a royal title it names a
    place, not a person."""
    n = len(toks)
    k = i
    while k < n and k - i < 4 and _cap(toks[k]):
        if toks[k].key.split()[-1] in words.tails:
            return True
        if k + 1 < n and not _joined(text, toks[k], toks[k + 1]):
            break
        k += 1
    return False


def _suffixed(t: _Tok, words: PlaceWords) -> bool:
    """True for one word that ends in a street or square word ("Heldenplatz")."""
    key = t.key
    return " " not in key and any(key.endswith(x) and len(key) >= len(x) + 3
                                  for x in words.suffixes)


def _ends_name(toks: Sequence[_Tok], k: int, i: int, words: PlaceWords) -> bool:
    """True if token ``k`` cannot continue the name begun at ``i``: the pronoun "I", a
    title, or a change between ALL-CAPS and ordinary case ("FORT BARRETT Pima Villages",
    "Fort Ridgely COLONEL:", "Fort Craig I have" in texts that lost their commas)."""
    t = toks[k]
    if t.text == "I" or t.key in words.titles or t.key in words.suffix_titles:
        return True
    if k > i + 1 and t.text.endswith(("'s", "’s")):
        return True  # "Camp Independence | Owen's River"
    return k > i + 1 and _caps(t) != _caps(toks[k - 1])


def feature(text: str, toks: Sequence[_Tok], used: list[bool], i: int, words: PlaceWords,
             max_words: int, lower: frozenset[str] | set[str] = frozenset(),
             known: Known | None = None) -> Found | None:
    """Return the feature name starting at token ``i`` ("Fort Smith", "Morton's Ford").

    A head word before capitalised words ("Fort Smith", "Place de la Concorde", lower case
    for local words: "rue de Rivoli", "plac Zamkowy"); capitalised words before a tail
    word ("Morton's Ford", "Changan Avenue", lower case for some: "Andrássy út"); or one
    word ending in a street word ("Heldenplatz"). Lower-case particles may join the words
    of a name ("Frankfurt an der Oder") but never end it. ``known`` (what the gazetteers
    know of a name, see ``splits``) cuts runs of names that lost their commas ("Camp
    Douglas | Utah", "Keytesville | Chariton County").
    """
    t = toks[i]
    n = len(toks)
    lower_head = not _cap(t)
    if lower_head and t.key not in words.heads_lower:
        return None
    if t.key == "co" and i and "&" in _gap(text, toks[i - 1], t):
        return None  # "Coleman & Co.": a firm
    if t.key in words.of_heads and not lower_head:
        # "Gulf of California", "Isle of Wight", "Sea of Azov", "Lake of the Woods"
        k = _of_name(text, toks, used, i, words)
        if k is not None:
            return Found(i, k, t.start, toks[k].end, text[t.start : toks[k].end], "feature")
    if (t.key in words.heads or lower_head) and not _stop(t, words):
        j = i
        while j + 1 < n and j - i < 3 and not used[j + 1]:
            nxt = toks[j + 1]
            if _cap(nxt) and _joined(text, toks[j], nxt) and not _stop(nxt, words) \
                    and nxt.key not in words.heads and not _ends_name(toks, j + 1, i, words) \
                    and not (j > i and (nxt.key in lower or nxt.key in words.common
                                        or nxt.key in words.openers_next)
                             and nxt.key not in words.tails) \
                    and not (j > i and known is not None
                             and head_stops_before(text, toks, i, j + 1, words, known)):
                # "Fort Clarke As I …", "Fort Craig Read the …": a word the text writes in
                # lower case, or a common word, opens a sentence; "Camp Douglas Utah": the
                # next place
                j += 1
                continue
            skip = _particle(text, toks, j + 1, words)
            if skip and j > i - 1 and not any(used[j + 1 : j + 2 + skip]):
                j += skip + 1  # "Place de la Concorde", "Puerta del Sol"
                continue
            break
        # "Battery F", "Fort No. 2": a unit or a number, not a name
        if j > i and not (j == i + 1 and (len(toks[j].text) == 1
                                        or toks[j].key in ("no", "nos", "number", "numbers"))):
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
        if toks[j].key in words.heads and j > i and (best is not None or (
                toks[j].key in words.heads_first and j + 1 < n and _cap(toks[j + 1])
                and _joined(text, toks[j], toks[j + 1])
                and toks[j + 1].key.split()[-1] not in words.tails
                and not _stop(toks[j + 1], words)
                and not all(toks[k].key in words.prefixes for k in range(i, j)))):
            break  # "Raft River | Fort Hall", "Arkansas Post | Port Gibson": a head word
            # begins the next name (but "Old Fort Arbuckle")
        tail = toks[j].key.split()[-1]
        lower_tail = not _cap(toks[j])
        if j > i and ((tail in words.tails and not lower_tail) or
                      (lower_tail and toks[j].key in words.tails_lower)):
            best = j
        if lower_tail or (best is not None and best < j):
            break  # "Champion's Hill | Black River Bridge": a name word after the feature
        if best is None and (skip := _particle(text, toks, j + 1, words)):
            j += skip  # "Frankfurt an der Oder Bridge": particles only inside a name
        j += 1
    if best is None:
        return None
    if best > i + 1 and toks[i].key in words.common \
            and (i == 0 or any(c in _gap(text, toks[i - 1], t) for c in ".:;!?\n")):
        return None  # ". Struck | South Fork", ". Find | Boland's Mill": a sentence's verb
        # (but "the Main Market Square")
    if known is not None and best > i + 1:
        i = tail_start(toks, i, best, words, known)  # "Keytesville | Chariton County"
        t = toks[i]
    if toks[i].key in words.determiners or toks[i].key in words.ordinals \
            or (toks[i].key in words.not_names and not (
                best == i + 1 and _cap(toks[best]) and toks[best].key not in words.heads
                and toks[i].key not in words.titles and toks[i].key not in words.suffix_titles)):
        # "The Hill", "Second Bridge" are no names; "Indian Territory", "Central Park",
        # "Union Station" are (a capitalised word before a capitalised feature word)
        return None
    if toks[best].key in words.of_heads and _cap(toks[best]) \
            and (k := _of_name(text, toks, used, best, words)) is not None:
        best = k  # "North Fork of Eel River", "South Fork of the Humboldt"
    elif best > i and toks[best].key in words.of_tails and _cap(toks[best]) \
            and (k := _of_name(text, toks, used, best, words, longest=3)) is not None:
        best = k  # "the Royal College of Surgeons", "the Great Hall of the People"
    end = toks[best].end
    last = toks[best]
    if last.key in words.dotted and text.startswith(".", end) \
            and text[last.start : last.end].lower() == last.key:
        # "Lamar Co.", "Fifth Ave.": the dot is part of the name; not after a word that
        # only folds to an abbreviation ("Bem tér." is a square at a sentence's end)
        end += 1
    return Found(i, best, t.start, end, text[t.start : end], "feature")


def _of_name(text: str, toks: Sequence[_Tok], used: list[bool], i: int,
             words: PlaceWords, *, longest: int = 1) -> int | None:
    """Return the last token of the name after the "of" that follows the feature word at
    ``i`` ("Gulf of | California", "Fork of | Eel River", "Lake of the | Woods"), or None.

    The name is one word (and a feature word after it), or up to ``longest`` capitalised
    words ("College of | Physicians and Surgeons" stops at "and").
    """
    n = len(toks)
    if i + 2 >= n or toks[i + 1].text != "of" or _gap(text, toks[i], toks[i + 1]) != " ":
        return None
    k = i + 2
    if toks[k].text == "the" and k + 1 < n:
        k += 1
    if not _cap(toks[k]) or used[k] or _stop(toks[k], words) \
            or toks[k].key in words.not_names:
        return None
    if k + 1 < n and _cap(toks[k + 1]) and not used[k + 1] \
            and _joined(text, toks[k], toks[k + 1]) \
            and toks[k + 1].key.split()[-1] in words.tails:
        return k + 1  # "Fork of Eel River"
    last = k
    while k + 1 < n and k + 1 - last < longest and _cap(toks[k + 1]) and not used[k + 1] \
            and _joined(text, toks[k], toks[k + 1]) and not _stop(toks[k + 1], words) \
            and toks[k + 1].key not in words.not_names:
        k += 1
    return k


def rivers(text: str, toks: Sequence[_Tok], used: list[bool], words: PlaceWords) -> list[Found]:
    """Return the names after a water cue and "the": "recrossed the Rapidan", "up the
    Osage", "the mouth of the Lachlan" (rivers named without the word River), known to a
    gazetteer or not. Tokens taken are marked in ``used``.
    """
    out: list[Found] = []
    n = len(toks)
    lower: set[str] | None = None  # the passage's lower-case words, read when first needed
    for i in range(1, n - 1):
        if toks[i].text != "the" or used[i + 1] or not _cap(toks[i + 1]) \
                or _cap(toks[i - 1]) or text[toks[i - 1].end : toks[i].start] != " ":
            continue  # "crossed the …", not "Banks' Ford. The Hill"
        before = toks[i - 1].key
        if before not in words.river_cues and not (
                i >= 2 and f"{toks[i - 2].key} {before}" in words.river_phrases):
            continue
        k = j = i + 1
        while j + 1 < n and j - k < 2 and _cap(toks[j + 1]) and not used[j + 1] \
                and _joined(text, toks[j], toks[j + 1]) and not _stop(toks[j + 1], words):
            if lower is None:
                lower = {t.key for t in toks if t.text[:1].islower()}
            if toks[j + 1].key in lower:
                break  # "down the Grossetete After having …": the next sentence's word
            j += 1
        run = range(k, j + 1)
        if any(toks[x].key in words.not_names or toks[x].key in words.titles
               or toks[x].key in words.units or toks[x].key in words.organisations
               or toks[x].key.endswith(" s") or len(toks[x].text) < 3 for x in run):
            continue  # "over the President", "across the Indians' country"
        a, b = toks[k].start, toks[j].end
        out.append(Found(k, j, a, b, text[a:b], "cue"))
        for x in run:
            used[x] = True
    return out
