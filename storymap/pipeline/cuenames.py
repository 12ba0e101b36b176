"""Cue mentions: a capitalised name the gazetteer does not know, read as a place because of
the words before it ("in Szeged", "the town of Tiszakécske", "near Tököl"), because it
continues a list of places ("in Debrecen, Győr, Sopron") or because it heads a letter
("GRANT, Culpeper March 5").
"""

from __future__ import annotations

from collections.abc import Sequence

from ..text.passages import Passage
from .placewords import PlaceWords, after_vessel
from .spans import Mention, Token
from .spans import contiguous as _contiguous

__all__ = ["cue_mentions"]


def cue_mentions(p: Passage, toks: Sequence[Token], used: list[bool], surnames: frozenset[str],
                 blocked: frozenset[str], words: PlaceWords,
                 ends: frozenset[int] = frozenset(),
                 states: frozenset[int] = frozenset()) -> list[Mention]:
    """Return the cue mentions of passage ``p`` in unused tokens (marked used).

    ``ends`` are where the places found so far end (a list continues them), ``states``
    where the state abbreviations found start (a letter's address).
    """
    out: list[Mention] = []
    text = p.text
    if title_case(text, toks):
        return out  # "from Mourning to Massacre": a headline capitalises its words
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
        if after_vessel(tuple(x.key for x in toks[max(0, i - 2) : i]), words):
            continue  # "the gun-boat Smith Briggs": a ship
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
                                or base.split()[-1] in words.ordinals
                                or base.endswith(words.demonym_endings)))):
            continue  # "the Kansas troops", "in the Defenses of", "at the Monument", "the
            # Texans" (a people)
        if toks[j].key.removesuffix(" s") in surnames:
            continue  # "to Imre Nagy": a person
        if j == i and base in words.seasons:
            continue  # "in Spring 1862": a season
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


#: A headline in title case: at most this many words, and this share of its longer words
#: capitalised.
HEADLINE_WORDS = 24
HEADLINE_SHARE = 0.75


def title_case(text: str, toks: Sequence[Token]) -> bool:
    """True if ``text`` is a headline in title case ("Beijing, Spring 1989: from Mourning to
    Massacre"): short, not ended by a full stop, with nearly all its words of five letters
    or more capitalised. There a cue proves nothing: every noun is capitalised, and only
    names a gazetteer knows are read as places.
    """
    if len(toks) > HEADLINE_WORDS or text.rstrip().endswith("."):
        return False
    long = [t for t in toks if len(t.text) >= 5 and t.text[:1].isalpha()]
    if len(long) < 3 or any(t.text.isupper() for t in long):
        return False  # ALL-CAPS headings have rules of their own ("CAMP NEAR RICHMOND")
    return sum(t.capitalised for t in long) >= HEADLINE_SHARE * len(long)


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
