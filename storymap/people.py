"""People named in the passages: for events ("the people it names") and to keep surnames
from being read as places ("Imre Nagy" makes "Nagy" a person, not the village of Nagy).

A person is a run of two or three capitalised words that are not common capitalised
words of history prose (Soviet, Party, Committee…), not place names of the gazetteer, and
not organisation names; or a single capitalised word after a title ("General Maléter").
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from .folding import fold
from .mentions import Token, tokens
from .passages import Passage

__all__ = ["Person", "find_people", "surnames"]


@dataclass(frozen=True)
class Person:
    """A person's name in a passage."""

    passage: int
    start: int
    end: int
    name: str


_TITLES = frozenset(
    "mr mrs ms dr general gen colonel col major captain lieutenant cardinal premier president "
    "chairman secretary minister marshal comrade father archbishop bishop king queen prince "
    "count countess emperor tsar chancellor ambassador senator governor leader".split()
)
# Capitalised words of history prose that are not parts of personal names.
_COMMON = frozenset(fold(w) for w in
    """soviet soviets hungarian hungarians hungary party committee central army union republic
    people people's peoples council revolution radio free europe european national nations united
    state states security police workers workers' minister ministry general prime first second
    secretary communist communists western eastern northern southern world war pact treaty day
    square street road building embassy university institute academy church cathedral museum
    the a an in on at of and for with by from to but as after before during when while his her
    their this that these those it its there then however although though although yet since
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday new old great greater little upper
    lower saint st mount lake river sea ocean island islands north south east west middle
    politburo presidium congress assembly parliament government office ministry department
    federal democratic socialist social liberal conservative independent smallholders
    smallholder peasant peasants working association federation organisation organization
    front movement youth students student writers writers' union's circle club league
    americans american british french german germans polish poles czech slovak romanian russian
    russians yugoslav austrian chinese israeli egyptian english italian israel egypt
    ávh avh kgb nkvd mdp un usa ussr uk nato cia bbc
    cold iron steel works factory barracks square passage bridge station hotel cinema
    operation plan doctrine crisis uprising rising revolt memorial monument statue prize
    order law act declaration program programme points demands report resolution
    according following during despite""".split()
)


def find_people(passages: Sequence[Passage], *,
                place_words: Collection[str] = frozenset()) -> tuple[Person, ...]:
    """Return the people named in ``passages`` (words in ``place_words`` are never names)."""
    out: list[Person] = []
    for p in passages:
        toks = tokens(p.text)
        i = 0
        while i < len(toks):
            run = _name_run(p.text, toks, i, place_words)
            if len(run) >= 2 or (len(run) == 1 and i > 0 and toks[i - 1].key in _TITLES
                                 and toks[i - 1].capitalised):
                a, b = run[0].start, run[-1].end
                name = p.text[a:b]
                if name.endswith(("'s", "’s")):
                    name, b = name[:-2], b - 2
                out.append(Person(passage=p.index, start=a, end=b, name=name))
                i += len(run)
            else:
                i += 1
    return tuple(out)


def _is_name_word(t: Token, place_words: Collection[str]) -> bool:
    word = t.text.rstrip("?")
    if len(word) == 1:
        return word.isupper()  # an initial ("Robert E. Lee"); a name has another word too
    return (t.capitalised and not word.isupper() and t.key not in _COMMON
            and t.key.removesuffix(" s") not in _COMMON and t.key not in place_words
            and not any(c.isdigit() for c in word))


def _name_run(text: str, toks: Sequence[Token], i: int,
              place_words: Collection[str]) -> list[Token]:
    run: list[Token] = []
    j = i
    while j < len(toks) and len(run) < 4 and _is_name_word(toks[j], place_words):
        if run and text[run[-1].end : toks[j].start] not in (" ", ". "):
            break
        if run and text[run[-1].end : toks[j].start] == ". " and len(run[-1].text) > 1:
            break  # only an initial ends in a dot inside a name ("Robert E. Lee")
        run.append(toks[j])
        if toks[j].text.endswith(("'s", "’s")):
            break
        j += 1
    return run


def surnames(people: Sequence[Person]) -> frozenset[str]:
    """Return the folded last words of the people's names (surnames in English order)."""
    out = set()
    for person in people:
        last = tokens(person.name)[-1:]
        if last:
            out.add(last[0].key.removesuffix(" s"))
    return frozenset(out)
