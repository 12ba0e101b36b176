"""Posts, camps and crossings named after the town they stand by ("Fort Yuma", "Camp
Lapwai", "Culpeper Court-House", "Varnell's Station"), placed at that town, as estimated.

No offline data knows most forts, camps, fords and stations of a nineteenth-century text;
many are named after the town beside them. When nothing answers the feature's own name,
the town of its name is its place only if that town lies among the document's own places
(within :data:`NEAR_KM` of the places around the mention, else of the document's sure
places), or the document itself placed the bare name at that town ("Yuma … Fort Yuma")
and it lies within :data:`FAR_KM` of them. A fort named after a person ("Fort Sumter",
"Fort Putnam") whose namesake town lies elsewhere stays unplaced: a wrong pin is worse
than none. The place keeps the town's point and source, says it is estimated (its
``source`` and ``Candidate.estimated``), and the review list shows it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from ..geo.candidates import Candidate
from ..text.folding import fold
from .context import TOWN_KINDS, distance_to
from .mentions import Mention

__all__ = ["FAR_KM", "NEAR_KM", "estimated_place", "place_features", "stem"]

#: The town a feature is named after is its place when this close to the places around it.
NEAR_KM = 50.0
#: … or this close, when the document named the town itself and placed it there.
FAR_KM = 250.0


def stem(key: str, heads: frozenset[str], tails: Sequence[str]) -> str:
    """Return the town name inside a folded feature name, or "" when it has none.

    >>> stem("fort yuma", frozenset({"fort"}), ("ford",))
    'yuma'
    >>> stem("varnell s station", frozenset(), ("station",))
    'varnell'
    >>> stem("culpeper court house", frozenset(), ("court house", "house"))
    'culpeper'
    >>> stem("fort", frozenset({"fort"}), ()), stem("yuma", frozenset({"fort"}), ())
    ('', '')
    """
    words = key.split()
    rest: list[str] = []
    if len(words) > 1 and words[0] in heads:
        rest = words[1:]
    else:
        for tail in tails:
            n = len(tail.split())
            if len(words) > n and " ".join(words[-n:]) == tail:
                rest = words[:-n]
                break
    if rest and rest[-1] == "s" and len(rest) > 1:  # "Varnell's": the possessive's s
        rest = rest[:-1]
    return " ".join(rest) if rest and len("".join(rest)) > 2 else ""


_SLUG = re.compile(r"[^a-z0-9]+")


def estimated_place(name: str, key: str, town_key: str,
                    towns: Iterable[Candidate], around: Sequence[Candidate],
                    placed: Callable[[str], Iterable[Candidate]]) -> Candidate | None:
    """Return the estimated place of feature ``name`` (folded ``key``) at the town of its
    name (folded ``town_key``), or None when no such town lies among the document's places.

    ``towns`` are the candidates of the town's name, ``around`` the sure places near the
    mention (else the document's), ``placed(town_key)`` the places the document chose
    for the bare name.
    """
    own = {c.id for c in placed(town_key)}
    best: tuple[float, Candidate] | None = None
    for c in towns:
        if c.kind not in TOWN_KINDS:
            continue
        others = [a for a in around if a.id != c.id]
        if not others:
            continue
        d = min(distance_to(c, a.lat, a.lon) for a in others)
        if (d <= NEAR_KM or (c.id in own and d <= FAR_KM)) and (best is None or d < best[0]):
            best = (d, c)
    if best is None:
        return None
    town = best[1]
    return replace(
        town, id=f"{town.id}:{_SLUG.sub('-', key).strip('-')}", name=name, kind="area",
        population=0, names={}, estimated=True,
        source=(f"{town.source}: {town.name}, the town {name} is named after (estimated: "
                "no data places it; check it on a map)"))


def place_features(mentions: Sequence[Mention], places: Sequence[Candidate | None],
                   todo: Sequence[int], *, heads: frozenset[str], tails: Sequence[str],
                   towns: Callable[[str], Sequence[Candidate]],
                   window: int) -> dict[int, Candidate]:
    """Return the estimated places of the unplaced feature names at indexes ``todo`` of a
    document's ``mentions`` (``places`` are the places chosen for each; ``towns(key)`` the
    candidates of a folded name; ``window`` mentions either side in the same passage are
    the places around one)."""
    keys = [fold(m.name) for m in mentions]
    sure = [p for p in places if p is not None and p.kind in TOWN_KINDS]
    placed: dict[str, list[Candidate]] = {}
    for p, key in zip(places, keys, strict=True):
        if p is not None:
            placed.setdefault(key, []).append(p)
    done: dict[str, Candidate | None] = {}
    out: dict[int, Candidate] = {}
    for j in todo:
        key = keys[j]
        if key not in done:
            town = stem(key, heads, tails)
            done[key] = estimated_place(
                mentions[j].name, key, town, towns(town),
                _around(mentions, places, j, window) or sure,
                lambda k: placed.get(k, ())) if town else None
        found = done[key]
        if found is not None:
            out[j] = found
    return out


def _around(mentions: Sequence[Mention], places: Sequence[Candidate | None], j: int,
            window: int) -> list[Candidate]:
    """The towns placed within ``window`` mentions of mention ``j`` in its passage."""
    m = mentions[j]
    return [p for k in range(max(0, j - window), min(len(mentions), j + window + 1))
            if k != j and mentions[k].passage == m.passage
            for p in [places[k]] if p is not None and p.kind in TOWN_KINDS]
