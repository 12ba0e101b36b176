"""How well the gazetteers know a folded name: the population of its largest namesake and of
its largest place whose own name it is, asked of the curated gazetteer, then GeoNames, the
installed packs and the divisions, and remembered per gazetteer and index.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from ..geo.gazetteer import Gazetteer
from .toponyms import CURATED

__all__ = ["known_default", "known_names", "shared_known"]


def known_names(gazetteer: Gazetteer) -> Callable[[str], tuple[int, int]]:
    """Return what the gazetteers know of a folded name, memoised as ``find_mentions``
    asks it by default (see ``known_default``); for the people finder."""
    memo = shared_known(gazetteer)

    def knows(key: str) -> tuple[int, int]:
        found = memo.get(key)
        if found is None:
            found = memo[key] = known_default(gazetteer, key)
        return found

    return knows


#: The default answers of ``known_default`` per gazetteer object and GeoNames index and
#: installed packs (a pack added or removed starts a new table).
_KNOWN: weakref.WeakKeyDictionary[Gazetteer, tuple[object, dict[str, tuple[int, int]]]] = (
    weakref.WeakKeyDictionary())


def shared_known(gazetteer: Gazetteer) -> dict[str, tuple[int, int]]:
    """Return the shared table of ``known_default(gazetteer, key)`` answers."""
    from ..geo.geonames import index_path
    from ..resolvers.packs import installed

    stamp = (index_path(), installed())
    held = _KNOWN.get(gazetteer)
    if held is None or held[0] != stamp:
        held = (stamp, {})
        _KNOWN[gazetteer] = held
    return held[1]


def known_default(gazetteer: Gazetteer, key: str) -> tuple[int, int]:
    """(-1, -1) if no gazetteer knows ``key``; else the population of its largest namesake
    and of its largest place whose own name it is (-1 if it is only an alternate name)."""
    if gazetteer.lookup(key):
        return (CURATED, CURATED)  # as sure as a capital
    from ..geo.geonames import key_stats
    from ..resolvers.packs import key_stats as pack_stats

    count, population, own = key_stats(key)
    more, pack_population, pack_own = pack_stats(key)  # names only an added pack knows
    if not count + more:
        # a division or a river no town is named after ("New South Wales", "Rapidan"):
        # asked last, only of names no town has (one more query each)
        from ..geo.divisions import key_stats as division_stats

        count, population, own = division_stats(key)
        return (population, own) if count else (-1, -1)
    return (max(population, pack_population), max(own, pack_own))
