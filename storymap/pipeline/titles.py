"""An event's title from its sentence: who did what, where — in the sentence's own words.

A title is the sentence's main clause, cut: its opening date or time ("On 13 May", "At
22:00", "Two days later"), a connective ("However,"), a leading conjunction ("But", "And",
"Then") and an aside about a date ("On 22 April, the day of the funeral, …") drop; an
appositive after the subject drops ("Hu Yaobang, a former leader of the Party who …, died" →
"Hu Yaobang died"), a name in apposition joins its title ("the party chief, Zhao Ziyang,
came" → "Party chief Zhao Ziyang came"); a long subject loses what hangs on it before the
verb ("students from the universities in the north-west of Beijing were laying wreaths" →
"Students were laying wreaths"). The rest is cut between words after about ten, never
inside a place's or a person's name or a quotation (the quote stays whole, else is left out),
never after a number, a preposition or an article. Words are the profile's (``events.yaml``,
``passages.yaml``'s ``cannot_end_words``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..lang.cache import PerProfile
from ..lang.profile import Profile

__all__ = ["title_of"]

#: About how many words a title keeps; a name or a quote may take it to ``_MOST_WORDS``.
_TITLE_WORDS = 10
_MOST_WORDS = 16
#: A subject this long before its verb loses what hangs on it ("students from …").
_LONG_SUBJECT = 7


def _alt(words: Sequence[str]) -> str:
    out = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in out)


@dataclass(frozen=True)
class _Words:
    lead: re.Pattern[str]  # a connective or time opening ending at a comma
    bare: re.Pattern[str]  # a conjunction or opening word without a comma ("But", "Then")
    date_aside: re.Pattern[str]  # "the day of the funeral," after a leading date
    appositive: re.Pattern[str]  # words that open an appositive ("a", "who", "with" …)
    verbs: frozenset[str]  # auxiliaries and common past tenses: where a subject ends
    prepositions: frozenset[str]
    cannot_end: frozenset[str]
    clause: re.Pattern[str]  # " but", " and" after a comma: the next clause


def _words_of(p: Profile) -> _Words:
    return _Words(
        lead=re.compile(rf"(?:[^,]{{0,40}}\d[^,]{{0,30}}|"
                        rf"(?:{_alt(p.phrases('title_time_openings'))}) \w+|"
                        rf"{_alt(p.phrases('title_connectives'))})\s*,\s+", re.IGNORECASE),
        bare=re.compile(rf"(?:{_alt(p.phrases('title_conjunctions'))})\b,?\s+", re.IGNORECASE),
        date_aside=re.compile(rf"(?:the|a|an)\s+(?:{_alt(p.phrases('date_aside_nouns'))})\b"
                              r"[^,]{0,60},\s+", re.IGNORECASE),
        appositive=re.compile(rf"(?:{_alt(p.phrases('appositive_openers'))})\b", re.IGNORECASE),
        verbs=frozenset(w.lower() for w in p.words("title_verbs")),
        prepositions=p.words("title_prepositions"),
        cannot_end=p.words("cannot_end_words"),
        clause=re.compile(rf"\s+(?:{_alt(p.phrases('clause_conjunctions'))})\b", re.IGNORECASE),
    )


_words = PerProfile(_words_of)
_WORD = re.compile(r"\S+")
_NAME = re.compile(r"(?:[A-ZÀ-Þ][\w'’.-]*\s?){1,4}")
_NUMBER_END = re.compile(r"\d[.,]?$")
_CLAUSE_COMMA = re.compile(r",(?!\d)")
_QUOTES = {"“": "”", '"': '"', "‘": "’"}


def title_of(sentence: str, *, profile: Profile | None = None,
             dates: Sequence[tuple[int, int]] = (),
             names: Sequence[tuple[int, int]] = (),
             places: Sequence[tuple[int, int]] = ()) -> str:
    """Return a short title for an event from its sentence.

    ``dates`` are the spans of the sentence's date expressions (offsets into ``sentence``),
    ``names`` those of the places and people it names, ``places`` those of its pins: a
    leading date drops, a name is never cut, and the title reaches its first pin if it can.

    >>> title_of("On 23 October 1956, students marched to the Parliament building.")
    'Students marched to the Parliament building'
    >>> title_of("At 03:00 on 4 November, Soviet tanks penetrated Budapest along the Pest side.")
    'Soviet tanks penetrated Budapest along the Pest side'
    >>> title_of("From 24 to 29 October, however, there were 71 armed clashes.")
    'There were 71 armed clashes'
    >>> title_of("But it did not satisfy the students.")
    'It did not satisfy the students'
    >>> title_of("By evening the multitude had swollen to more than 200,000 people in the square.")
    'By evening the multitude had swollen to more than 200,000 people…'
    """
    w = _words(profile)
    end = len(sentence.rstrip().rstrip(".!?;:").rstrip())
    start = _opening(sentence, 0, end, dates, w)
    words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(sentence, start, end)]
    words, where = _where_first(words, names, w)
    if words and words[0][1] != start:  # after "In that vein of freedom, on 22 October, …"
        again = _opening(sentence, words[0][1], end, dates, w)
        words = [x for x in words if x[1] >= again]
    words = _without_appositive(words, sentence, w)
    words = _short_subject(words, places, w)
    whole = [*names, *dates]  # never cut inside a name or a date expression
    if not where:
        return _cut(words, whole, w, places=places)
    # "At Liubukou, a tank drove into the students" → "A tank drove into the students at
    # Liubukou": who did what, then where.
    head = _cut(words, whole, w, most=_TITLE_WORDS - 3).rstrip("…")
    tail = " ".join(t for t, _, _ in where).rstrip(",")
    return f"{head} {tail[:1].lower()}{tail[1:]}"


def _where_first(words: list[_Word], names: Sequence[tuple[int, int]],
                 w: _Words) -> tuple[list[_Word], list[_Word]]:
    """Split off a leading place phrase ending at a comma ("At Liubukou on Changan Avenue,").

    Returns (the rest, the phrase) when the phrase names a place, else (the rest without a
    phrase of no place, []) — "In the south, the Austrians …" drops "In the south".
    """
    if not words or words[0][0].lower() not in w.prepositions:
        return words, []
    comma = next((i for i, (t, _, _) in enumerate(words[:7]) if t.endswith(",")), None)
    if comma is None or len(words) - comma - 1 < 3:
        return words, []
    phrase, rest = words[:comma + 1], words[comma + 1:]
    named = any(phrase[0][1] <= a < phrase[-1][2] for a, _ in names)
    return rest, (phrase if named else [])


def _opening(s: str, start: int, end: int, dates: Sequence[tuple[int, int]], w: _Words) -> int:
    """Where the main clause starts: after a leading date, connective or conjunction."""
    dropped_date = False
    for _ in range(6):
        at = start
        while at < end and s[at] in " ,":
            at += 1
        moved = next((b for a, b in dates if a == at and b < end), None)
        if moved is not None:
            dropped_date = True
        else:
            m = w.lead.match(s, at, end) or w.bare.match(s, at, end)
            if m is None and dropped_date:
                m = w.date_aside.match(s, at, end)
            moved = m.end() if m else None
        if moved is None or len(s[moved:end].split()) < 2:
            return at  # a title keeps at least a subject and a verb
        start = moved
    return start


_Word = tuple[str, int, int]


def _without_appositive(words: list[_Word], s: str, w: _Words) -> list[_Word]:
    """Drop an appositive after a short subject; a name in apposition joins it."""
    comma = next((i for i, (t, _, _) in enumerate(words[:7]) if t.endswith(",")), None)
    if comma is None:
        return words
    close = next((i for i in range(comma + 1, min(len(words), comma + 24))
                  if words[i][0].endswith(",")), None)
    if close is None or close + 1 >= len(words):
        return words
    inner = " ".join(t for t, _, _ in words[comma + 1:close + 1]).rstrip(",")
    after = words[close + 1][0].lower()
    if after in ("and", "or", "nor") or any(c.isdigit() for c in inner):
        return words  # a list ("Warsaw, Kraków, and Wrocław rose"), a date
    subject = words[:comma + 1]
    # A name in apposition follows a common noun ("the party chief, Zhao Ziyang,"); after a
    # name it is a list ("the armies of Austria, Prussia, Russia and Sweden").
    name = _NAME.fullmatch(inner + " ") is not None and len(inner.split()) <= 4 \
        and subject[-1][0][:1].islower()
    if not (name or w.appositive.match(inner)):
        return words
    last, a, b = subject[-1]
    subject[-1] = (last[:-1], a, b - 1)
    if name and subject[0][0].lower() == "the" and len(subject) > 1:
        # "the party chief, Zhao Ziyang, came" → "party chief Zhao Ziyang came"
        return [*subject[1:], *words[comma + 1:close], _unpunct(words[close]), *words[close + 1:]]
    return [*subject, *words[close + 1:]]


def _unpunct(word: _Word) -> _Word:
    text, a, b = word
    return text.rstrip(","), a, b - (len(text) - len(text.rstrip(",")))


def _short_subject(words: list[_Word], places: Sequence[tuple[int, int]],
                   w: _Words) -> list[_Word]:
    """A long subject loses what hangs on it: "students from the universities … were laying
    wreaths" → "students were laying wreaths".

    Not when what it loses holds a pin the rest of the clause does not name: the title
    still says where ("a strike at the Lenin Shipyard in Gdańsk gave birth to …").
    """
    verb = _verb(words, w)
    if verb is None or verb < _LONG_SUBJECT or any(t.endswith(",") for t, _, _ in words[:verb]):
        return words
    cut = next((i for i in range(1, verb) if words[i][0].lower() in w.prepositions), None)
    if cut is None:
        return words
    lost = any(words[cut][1] <= a < words[verb][1] for a, _ in places)
    if lost and not any(a >= words[verb][1] for a, _ in places):
        return words
    return [*words[:cut], *words[verb:]]


def _verb(words: list[_Word], w: _Words) -> int | None:
    """The index of the clause's first verb, as far as the profile's words tell, else None."""
    return next((i for i, (t, _, _) in enumerate(words[:14])
                 if t.lower().strip(",") in w.verbs or _past(t.strip(","))), None)


def _past(word: str) -> bool:
    """A regular past tense: lower-case, ending in "-ed" ("marched", "fired")."""
    return len(word) > 4 and word.islower() and word.endswith("ed") and word.isalpha()


def _cut(words: list[_Word], names: Sequence[tuple[int, int]], w: _Words, *,
         most: int = _TITLE_WORDS, places: Sequence[tuple[int, int]] = ()) -> str:
    if not words:
        return ""
    n = len(words)
    if n > most + 2:  # two words more are no reason to cut
        n = most
        # Where it happened: a title that would end before the clause's first pin reaches
        # it, within _MOST_WORDS ("… attacked Napoleon's army around Leipzig").
        pin = min((a for a, _ in places if a >= words[0][1]), default=None)
        if pin is not None and pin > words[n - 1][2]:
            reach = next((i + 1 for i, (_, a, b) in enumerate(words) if a <= pin < b), None)
            if reach is not None and reach <= _MOST_WORDS:
                n = reach
        # Never end inside a name or a quote, nor on a number ("more than 200,000 people"):
        # go on to its end, within _MOST_WORDS; a quote that does not fit is left out.
        while n < len(words) and n < _MOST_WORDS and (
                _inside(words, n, names) or _open_quote(words[:n]) is not None
                or (_NUMBER_END.search(words[n - 1][0]) and n < _TITLE_WORDS + 2)):
            n += 1
        opened = _open_quote(words[:n])
        if opened is not None:
            n = opened
        while n > 1 and _inside(words, n, names):
            n -= 1
    cut = n < len(words)
    kept = words[:n]
    if cut:
        while len(kept) > 3 and kept[-1][0].lower().strip(",;:") in w.cannot_end:
            kept = kept[:-1]
    text = " ".join(t for t, _, _ in kept)
    if cut:
        # At a comma between clauses: late in the title, or before a conjunction.
        # Not before the verb: "the armies of Austria, Prussia, Russia and Sweden attacked".
        verb = _verb(kept, w)
        after = len(" ".join(t for t, _, _ in kept[:verb + 1])) if verb is not None else None
        commas = [m.start() for m in _CLAUSE_COMMA.finditer(text)
                  if (after is None or m.start() >= after)
                  and (m.start() > 25 or (m.start() > 12 and w.clause.match(text, m.end())))]
        if commas:
            text = text[:commas[-1]]
        text = text.rstrip(",;:–—- ") + "…"
    return text[:1].upper() + text[1:]


def _inside(words: list[_Word], n: int, names: Sequence[tuple[int, int]]) -> bool:
    """True if a cut after ``words[n - 1]`` falls inside one of the ``names``."""
    if n >= len(words):
        return False
    left, right = words[n - 1][2], words[n][1]
    return any(a < left and b > right for a, b in names)


def _open_quote(words: list[_Word]) -> int | None:
    """The index of the word that opens a quotation still open at the end, else None."""
    opened: tuple[int, str] | None = None
    for i, (t, _, _) in enumerate(words):
        for ch in t:
            if opened is not None and ch == opened[1] and not (ch == "’" and t[-1:] != ch
                                                                 and t.index(ch) < len(t) - 1):
                opened = None
            elif opened is None and ch in _QUOTES and t.startswith(ch):
                opened = (i, _QUOTES[ch])
    return None if opened is None else opened[0]
