"""What the reader asks of the resolvers and of the gazetteer, for the texts of a build.

The resolvers a text is read with (the defaults unless given), answering each name once
for as long as they are kept (:func:`remembering`: a corpus repeats its names); the
candidates each name had, the runners-up a reviewer is shown; and the word sets derived
from a gazetteer, made once per gazetteer rather than once per text. Apart from
:mod:`storymap.pipeline` (the order of the stages) so that each stays short.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..geo.gazetteer import Gazetteer
from ..resolvers import DEFAULT_RESOLVERS, Resolver, get_resolver, is_online
from ..resolvers.base import Candidate
from ..text.folding import fold
from ..text.repair import vocabulary
from .resolve import ResolvedMention

__all__ = ["MAX_CANDIDATES", "backends_of", "candidates_of", "gazetteer_vocabulary",
           "remembering", "single_words"]

#: How many candidates per name an analysis keeps (the runners-up a reviewer is shown).
MAX_CANDIDATES = 8


class _Remembering:
    """A resolver whose answers are kept for one build: a name is looked up once.

    A resolver's answer depends only on the name, so sharing answers between the texts of
    a build changes nothing in how each is read; it saves the GeoNames queries that the
    texts of a corpus repeat (each document resolves its own names).
    """

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.name = resolver.name
        self.answers: dict[str, tuple[Candidate, ...]] = {}

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        found = self.answers.get(name)
        if found is None:
            found = self.answers[name] = self.resolver.candidates(name)
        return found


def remembering(resolvers: Sequence[Resolver]) -> list[Resolver]:
    """Return ``resolvers`` answering each name once for as long as they are kept.

    What a resolver answers depends only on the name, so the texts of a build (or of one
    worker) share the answers without changing how any of them is read.
    """
    return [_Remembering(b) for b in resolvers]


def backends_of(resolvers: Sequence[Resolver] | None) -> list[Resolver]:
    """Return ``resolvers``, or the default ones when None is given."""
    if resolvers is not None:
        return list(resolvers)
    return [get_resolver(n) for n in DEFAULT_RESOLVERS]


# Word sets derived from a gazetteer, computed once per gazetteer rather than once per text:
# {(what, id(gazetteer)): (gazetteer, words)} (the gazetteer is kept so its id stays its own).
_WORDS: dict[tuple[str, int], tuple[Gazetteer, frozenset[str]]] = {}


def single_words(gazetteer: Gazetteer) -> frozenset[str]:
    """The gazetteer's one-word names (folded), which a person's name does not take."""
    return _words("single", gazetteer)


def gazetteer_vocabulary(gazetteer: Gazetteer) -> frozenset[str]:
    """The words with letters outside ASCII of the gazetteer's names (for repairs)."""
    return _words("vocabulary", gazetteer)


def _words(what: str, gazetteer: Gazetteer) -> frozenset[str]:
    key = (what, id(gazetteer))
    cached = _WORDS.get(key)
    if cached is None or cached[0] is not gazetteer:
        if what == "single":
            words = frozenset(k for k in gazetteer.index if " " not in k)
        else:
            words = frozenset(vocabulary(n for entry in gazetteer.entries.values()
                                         for n in entry.names))
        if len(_WORDS) > 8:  # tests and long-lived servers may load several gazetteers
            _WORDS.clear()
        cached = _WORDS[key] = (gazetteer, words)
    return cached[1]


def candidates_of(resolved: Sequence[ResolvedMention],
                resolvers: Sequence[Resolver]) -> dict[str, tuple[Candidate, ...]]:
    """The places each name could be, as the resolve stage sees them (curated ones first)."""
    out: dict[str, tuple[Candidate, ...]] = {}
    offline = [b for b in resolvers if not is_online(b)]
    for r in resolved:
        key = fold(r.mention.name)
        if key in out:
            continue
        found: list[Candidate] = []
        for rank, resolver in enumerate(offline):
            got = resolver.candidates(r.mention.name)
            found.extend(got)
            if got and rank == 0:
                break  # as in resolve: a curated place always wins
        out[key] = tuple(found[:MAX_CANDIDATES])
    return out
