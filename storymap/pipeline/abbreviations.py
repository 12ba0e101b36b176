"""Abbreviations of states, provinces and countries as whole spans ("Mo.", "N. Mex.",
"Wash. Ter.", "D. C.", "U.S.", "N.S.W.") and postal codes after a town ("Austin, TX").

Part of the place reader's first pass (``toponyms.first_pass``): an abbreviation is read
after a town or in a heading, never as a person's initials ("W. T. Sherman"), a title
("Miss. Smith") or part of a unit ("U. S. Army", "Third U. S. Cavalry"). The tables are
the language profile's (``state_abbreviations``, ``postal_abbreviations``).
"""

from __future__ import annotations

from collections.abc import Sequence

from .placewords import PlaceWords, letters
from .tokenview import ORDINAL_NUMBER as _ORDINAL_NUMBER
from .tokenview import Found
from .tokenview import Tok as _Tok
from .tokenview import cap as _cap
from .tokenview import caps as _caps

__all__ = ["person_or_unit", "read_abbreviations"]


def read_abbreviations(text: str, toks: Sequence[_Tok], used: list[bool], words: PlaceWords,
                       lower: frozenset[str] | set[str]) -> list[Found]:
    """Return the abbreviations of ``text`` as places; ``lower`` are the words the passage
    writes in lower case. Tokens taken are marked in ``used``."""
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
                       and not person_or_unit(before, words))  # not "First Iowa Cavalry"
        # a capitalised name, not a word that opens the next sentence ("D. C. The …")
        name_follows = (after is not None and _cap(after) and not _caps(after)
                        and after.key not in words.months and after.key not in lower
                        # "Washington D. C. If you …": the next sentence, not a surname
                        and after.key not in words.openers_next
                        and text[m.end() : after.start] in (" ", ""))
        # "Jackson, Miss." but not "Miss. Smith"; "Franklin Tex" but not "Tex Ritter"
        if before is not None and (before.key in words.titles or (_caps(before) and
                                   len(before.text) < 4 and not after_place)):
            continue  # "Lieutenant S. C. BOYLSTON", "JAS. W. T. SMITH"
        if (after is not None and after.key in words.units) or (
                after is not None and _cap(after) and (_unit_word(after, words) or (
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


def person_or_unit(t: _Tok, words: PlaceWords) -> bool:
    last = t.key.split()[-1] if t.key else ""
    return (last in words.ordinals or last in words.titles or last in words.units
            or _ORDINAL_NUMBER.match(t.key) is not None)
