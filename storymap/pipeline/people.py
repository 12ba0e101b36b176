"""People named in the passages: for events ("the people it names") and to keep surnames
from being read as places ("Imre Nagy" makes "Nagy" a person, not the village of Nagy).

A person is a run of two or three capitalised words that are not common capitalised
words of history prose (Soviet, Party, Committee…), not place names of the gazetteer, and
not organisation names; or a single capitalised word after a title ("General Maléter").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from ..lang.cache import PerProfile
from ..lang.profile import Profile, load_profile
from ..text.folding import fold
from ..text.passages import Passage
from .spans import Token, tokens

__all__ = ["Person", "find_people", "surnames"]


@dataclass(frozen=True)
class Person:
    """A person's name in a passage."""

    passage: int
    start: int
    end: int
    name: str


@dataclass(frozen=True)
class _Words:
    titles: frozenset[str]
    common: frozenset[str]
    heads: frozenset[str]
    tails: frozenset[str]
    cues: frozenset[str]
    not_runs: frozenset[str]  # "Sinn Féin": a party, though it reads like a name
    particles: frozenset[str]  # "de", "van": inside a name ("Éamon de Valera")
    followers: frozenset[str]  # "Shelby's command", "Reves' men": a leader's, a person
    given: frozenset[str] = frozenset()  # "George": a town's name after it is a surname


@functools.lru_cache(maxsize=8)
def _words(code: str) -> _Words:
    return _build(load_profile(code))


def _build(profile: Profile) -> _Words:
    def folded(key: str) -> frozenset[str]:
        return frozenset(fold(w) for w in profile.words(key))

    # "Batesville Ark", "Tucson Ariz": a state's abbreviation is no part of a name
    ambiguous = {fold(a) for a in profile.phrases("ambiguous_abbreviations")}
    states = {fold(a) for a in profile.table("state_abbreviations") if " " not in a.strip(".")}
    return _Words(titles=folded("person_titles"),
                  # titles, units and commands are no part of a name ("Lieutenant Colonel",
                  # "Volunteer Cavalry", "Commanding District")
                  common=(folded("person_not_names") | (states - ambiguous)
                          | folded("person_titles") | folded("person_suffix_titles")
                          | {f"{t}s" for t in folded("person_titles")}  # "Generals Lee"
                          | folded("ordinals")  # "Vicksburg Jackson Seventeenth Ohio"
                          | folded("unit_words") | folded("command_words")
                          | folded("organisation_words")
                          # "Woodstock Have heard nothing": a word, not a name
                          | (folded("common_words") if profile.has("common_words")
                             else frozenset())),
                  heads=folded("feature_heads") | folded("local_feature_heads"),
                  tails=folded("feature_tails") | folded("local_feature_tails"),
                  # "to" meets people as often as places ("wrote to Grant")
                  cues=folded("locative_cues") - {"to"},
                  not_runs=frozenset(fold(r) for r in profile.phrases("person_not_runs"))
                  if profile.has("person_not_runs") else frozenset(),
                  particles=folded("surname_particles") if profile.has("surname_particles")
                  else frozenset(),
                  followers=(folded("unit_words") | folded("people_nouns")
                             | folded("command_words")),
                  given=folded("given_names") if profile.has("given_names") else frozenset())


_built = PerProfile(_build)  # once per profile, not once per document


def find_people(passages: Sequence[Passage], *, place_words: Collection[str] = frozenset(),
                profile: Profile | None = None,
                known: Callable[[str], tuple[int, int]] | None = None) -> tuple[Person, ...]:
    """Return the people named in ``passages`` (words in ``place_words`` are never names).

    A run that begins with a feature word or ends with one ("Fort Sumter", "Winter
    Palace", "Rio Grande" is found by name) is a place, not a person. ``profile`` gives
    the language's words (English by default). ``known`` says what the gazetteers know of
    a folded name (as ``toponyms.read_places`` takes it): two towns in a run of towns are
    a list that lost its commas, not a person ("Vicksburg Jackson Grand Coteau",
    "between Richmond Savannah and Charleston").
    """
    w = _words("en") if profile is None else _built(profile)
    out: list[Person] = []
    for p in passages:
        toks = tokens(p.text)
        i = 0
        listed = -1  # where the last name of a list after "Generals", "Messrs." ends
        while i < len(toks):
            if not toks[i].text[:1].isupper():
                i += 1  # no name starts with a small letter (see _is_name_word)
                continue
            run = _name_run(p.text, toks, i, place_words, w)
            run = _with_particle(p.text, toks, i, run, w, known)
            after = i + len(run)
            if run and (run[0].key in w.heads or run[-1].key.split()[-1] in w.tails
                        or (after < len(toks) and toks[after].capitalised
                            and toks[after].key in w.tails
                            and p.text[run[-1].end : toks[after].start] == " ")):
                # "Fort Sumter", "Winter Palace", "Morton's Ford", "Victoria Street": a place
                i += len(run) + 1
                continue
            if known is not None and len(run) == 2 and _towns_in_a_list(p.text, toks, i,
                                                                      known):
                i += 2
                continue
            if known is not None and len(run) >= 3 and all(
                    known(t.key)[1] >= LIST_TOWN for t in run[:2]):
                i += 2  # "Vicksburg Jackson Carrion Crow": battles listed, commas lost
                continue
            if known is not None and len(run) == 2 and _town_then_word(p.text, toks, i, known,
                                                                      w.cues):
                i += 1  # "at Ringgold Instruct the cavalry": a town, then the next sentence
                continue
            if len(run) >= 2 and " ".join(t.key for t in run) in w.not_runs:
                i += len(run)  # "Sinn Féin won": a party
                continue
            titled = len(run) == 1 and i > 0 and toks[i - 1].capitalised and (
                toks[i - 1].key in w.titles)
            if len(run) == 1 and i > 0 and toks[i - 1].capitalised \
                    and toks[i - 1].key.endswith("s") and toks[i - 1].key[:-1] in w.titles:
                titled, listed = True, run[0].end  # "Generals Sherman, Steele and Curtis"
            elif len(run) == 1 and listed >= 0 and p.text[listed : toks[i].start] in _LIST_GAPS:
                titled, listed = True, run[0].end  # the list's next names: people too
            else:
                listed = -1
            if len(run) >= 2 or titled or (
                    len(run) == 1 and known is not None
                    and _leader(p.text, toks, i, w.followers, known)):
                a, b = run[0].start, run[-1].end
                name = p.text[a:b]
                if name.endswith(("'s", "’s")):
                    name, b = name[:-2], b - 2
                out.append(Person(passage=p.index, start=a, end=b, name=name))
                i += len(run)
            else:
                i += 1
    return tuple(out)


def _with_particle(text: str, toks: Sequence[Token], i: int, run: list[Token], w: _Words,
                   known: Callable[[str], tuple[int, int]] | None) -> list[Token]:
    """Return ``run`` (tokens from ``i``) taken on through one or two lower-case particles
    and a capitalised surname: "Éamon de Valera", "Johannes van der Waals" (not "Valera",
    a Venezuelan city, alone); not when the whole is a place's name ("Santiago de
    Compostela") or the run begins with a feature word ("Place de la Concorde")."""
    if not run or len(run) > 2 or run[0].key in w.heads or not w.particles:
        return run
    j = i + len(run)
    k = j
    while k < len(toks) and k - j < 2 and toks[k].key in w.particles \
            and toks[k].text.islower() and text[toks[k - 1].end : toks[k].start] == " ":
        k += 1
    if k == j or k >= len(toks) or text[toks[k - 1].end : toks[k].start] != " " \
            or not toks[k].capitalised or toks[k].key in w.common or len(toks[k].text) < 2:
        return run
    if known is not None and known(fold(text[run[0].start : toks[k].end]))[0] >= 0:
        return run  # "Santiago de Compostela", "Frankfurt an der Oder": a place
    return [*run, *toks[j : k + 1]]


#: How large a town each word must own to make a run of two a list of towns.
LIST_TOWN = 1_000


def _towns_in_a_list(text: str, toks: Sequence[Token], i: int,
                     known: Callable[[str], tuple[int, int]]) -> bool:
    """True if tokens ``i`` and ``i + 1`` are both towns and a third town touches them
    (before, after, or after "and"/a comma): a list that lost its commas."""
    def town(k: int) -> bool:
        t = toks[k]
        return t.capitalised and known(t.key.removesuffix(" s"))[1] >= LIST_TOWN

    if not (town(i) and town(i + 1)):
        return False
    if i and town(i - 1) and text[toks[i - 1].end : toks[i].start] in (" ", ", "):
        return True
    k = i + 2
    if k < len(toks) and toks[k].key in ("and", "or"):
        k += 1
    return k < len(toks) and toks[k].capitalised and (
        town(k) or (k + 1 < len(toks) and known(f"{toks[k].key} {toks[k + 1].key}")[1] >= 0))


def _town_then_word(text: str, toks: Sequence[Token], i: int,
                    known: Callable[[str], tuple[int, int]], cues: frozenset[str]) -> bool:
    """True if tokens ``i`` and ``i + 1`` are a town after a locative cue and the first word
    of the next sentence, where a text lost its full stop ("at Ringgold Instruct the
    cavalry", "toward Louisville Gives similar report"): not a person, since a person's
    given name after "at" or "near" is rare, nor one name, since no gazetteer knows the
    two words together."""
    if not i or toks[i - 1].key not in cues or toks[i - 1].capitalised \
            or text[toks[i - 1].end : toks[i].start] != " ":
        return False
    return (known(toks[i].key)[1] >= LIST_TOWN
            and known(f"{toks[i].key} {toks[i + 1].key.removesuffix(' s')}")[0] < 0)


#: What separates the names of a list after a plural title ("Generals Sherman, Steele and
#: Curtis").
_LIST_GAPS = frozenset({", ", ",", " and ", ", and ", " or "})

#: A name with 's before troops is a town's only if a town this large owns it ("Georgia's
#: regiments"; but "Hampton's cavalry", "Shelby's command" are people's).
LEADER_TOWN = 250_000


def _leader(text: str, toks: Sequence[Token], i: int, followers: frozenset[str],
            known: Callable[[str], tuple[int, int]]) -> bool:
    """True if token ``i`` is a possessive before troops ("Shelby's command", "Reves '
    men", "Davis' company"): their leader, a person — not a town under its own name
    ("Richmond's defenders" is no unit word either)."""
    t = toks[i]
    if i + 1 >= len(toks):
        return False
    nxt = toks[i + 1]
    if t.text.endswith(("'s", "’s")):
        if text[t.end : nxt.start] != " ":
            return False
    elif text[t.end : nxt.start].replace(" ", "") not in ("'", "’") or not t.text.endswith("s"):
        return False
    return (not nxt.capitalised and nxt.key in followers
            and known(t.key.removesuffix(" s"))[1] < LEADER_TOWN)


def _is_name_word(t: Token, place_words: Collection[str], w: _Words) -> bool:
    word = t.text.rstrip("?")
    if len(word) == 1:
        return word.isupper()  # an initial ("Robert E. Lee"); a name has another word too
    base = t.key.removesuffix(" s")
    return (t.capitalised and not word.isupper() and not _adjective_compound(word)
            and t.key not in w.common
            and base not in w.common and t.key not in place_words and base not in place_words
            and not any(c.isdigit() for c in word))


def _adjective_compound(word: str) -> bool:
    """True for a hyphenated word with a small-letter part: an adjective, not a name.

    "Soviet-controlled Rákosi", "US-backed Diem", "Communist-led": the compound qualifies
    the name after it. Double-barrelled names capitalise every part ("Smith-Dorrien").
    """
    if "-" not in word and "‐" not in word and "‑" not in word:
        return False  # most words: no split needed
    parts = re.split(r"[-‐‑]", word)
    return len(parts) > 1 and any(x[:1].islower() for x in parts[1:])


def _name_run(text: str, toks: Sequence[Token], i: int,
              place_words: Collection[str], w: _Words) -> list[Token]:
    run: list[Token] = []
    j = i
    while j < len(toks) and len(run) < 4 and (
            _is_name_word(toks[j], place_words, w)
            or (run and run[-1].key in w.given and _is_name_word(toks[j], (), w))):
        # "George Washington": after a given name, a town's name ends the run as a surname
        if run and run[-1].key in w.given and not _is_name_word(toks[j], place_words, w):
            if text[run[-1].end : toks[j].start] == " ":
                run.append(toks[j])
            break
        if run and text[run[-1].end : toks[j].start] not in (" ", ". "):
            break
        if run and text[run[-1].end : toks[j].start] == ". " and len(run[-1].text) > 1:
            break  # only an initial ends in a dot inside a name ("Robert E. Lee")
        if len(toks[j].text) == 1 and (not text.startswith(".", toks[j].end)
                                       or text[toks[j].start - 1 : toks[j].start] == "."):
            break  # "I", "A": a word, not an initial; "D.C.", "U.S.": an abbreviation
        run.append(toks[j])
        if toks[j].text.endswith(("'s", "’s")):
            break
        j += 1
    while run and len(run[-1].text) == 1:
        run.pop()  # a name ends in a word, not an initial
    return run


def surnames(people: Sequence[Person]) -> frozenset[str]:
    """Return the folded last words of the people's names (surnames in English order)."""
    out = set()
    for person in people:
        last = tokens(person.name)[-1:]
        if last:
            out.add(last[0].key.removesuffix(" s"))
    return frozenset(out)
