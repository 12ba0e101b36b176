"""Choosing among a name's candidates (used by the resolve stage).

Each candidate is scored by its source, how well the name fits, its kind and population,
the story's focus, the places around the mention and the divisions the document names
(:func:`score_candidate`); :func:`choose_candidate` then refuses the best when it is not
believable: a hamlet far from the document's places, a river far from all of them, a
feature name that only a distant town of the same name answers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from ..geo.candidates import Candidate
from ..geo.distance import distance_km
from ..text.folding import fold
from .context import TOWN_KINDS, distance_to
from .focus import Focus, division, in_country

__all__ = ["FEATURE_KM", "MIN_POP_ELSEWHERE", "MIN_POP_FOCUS", "NEAR_KM", "RIVER_KM",
           "SMALL_KM", "canon", "choose_candidate", "far_from_home", "near_any", "near_home",
           "not_town", "own_name", "score_candidate"]


# Smallest population for a place found only by a cue ("in X"): inside the focus country
# and elsewhere. Keeps hamlets that share a name with a common word off the map.
MIN_POP_FOCUS = 500


MIN_POP_ELSEWHERE = 15_000


_KIND_RANK = {"city": 3, "town": 3, "district": 3, "country": 3, "village": 2,
              "neighbourhood": 2, "region": 2, "island": 2, "river": 2, "sea": 2}


#: A namesake further than this from every place around it is not "near" them.
NEAR_KM = 600.0


#: A feature name ("White River", "Camp Douglas") that only a town of the same name
#: answers is that town only if it lies this close to the places around it.
FEATURE_KM = 250.0


#: A river whose line passes farther than this from every sure place of the document (two
#: at least: one may be wrong) is a namesake elsewhere: rivers have no population to judge.
RIVER_KM = 1000.0


#: A hamlet below the population floors is the place a cue names only this close to the
#: places around it (else to the document's sure places).
SMALL_KM = 50.0


def canon(key: str, short: Mapping[str, str]) -> str:
    """Return a folded name with its abbreviated first word written out.

    >>> short = {"st": "saint", "mt": "mount"}
    >>> canon("st louis", short), canon("mt vernon", short), canon("stanton", short)
    ('saint louis', 'mount vernon', 'stanton')
    """
    first, _, rest = key.partition(" ")
    return f"{short[first]} {rest}" if rest and first in short else key


def score_candidate(c: Candidate, rank: int, key: str, focus: Focus | None,
           near: Sequence[Candidate] = (), divisions: frozenset[str] = frozenset(),
           short: Mapping[str, str] | None = None,
           home: frozenset[str] = frozenset()) -> float:
    score = -10.0 * rank  # earlier resolvers first
    if own_name(c, key, short or {}):
        score += 2
    score += _KIND_RANK.get(c.kind, 1) * 0.3
    score += math.log10(c.population + 10) * 0.8
    if focus:
        if c.country and in_country(c.country, focus.country):
            score += 2.5
        score -= min(distance_km(c.lat, c.lon, focus.lat, focus.lon), 5000.0) / 2500.0
    if near:  # the places named without doubt around it ("Gettysburg, Pennsylvania")
        score -= min(min(distance_to(c, n.lat, n.lon) for n in near), NEAR_KM) / 200
    if divisions and division(c) in divisions:
        score += 2.0  # a town of a state the document names ("Helena" in an Arkansas report)
    elif home and division(c) in home:
        score += 1.0  # a town of the division the document's sure places lie in
    return score


def own_name(c: Candidate, key: str, short: Mapping[str, str]) -> bool:
    return canon(key, short) in (canon(fold(c.name), short),
                                  *(canon(fold(n), short) for n in c.names.values()))


def not_town(key: str, not_towns: frozenset[str]) -> bool:
    words = key.split()
    return bool(words) and (words[0] in not_towns or words[-1] in not_towns)


def far_from_home(cands: list[tuple[int, Candidate]], focus: Focus) -> bool:
    return all(not in_country(c.country, focus.country)
               and distance_km(c.lat, c.lon, focus.lat, focus.lon) > 2000 for _, c in cands)


def near_home(c: Candidate, near: Sequence[Candidate]) -> bool:
    """True if ``c`` lies near the places around it: a town's point within FEATURE_KM,
    a state's (whose point only stands for an area) within NEAR_KM ("Cairo" 260 km from
    the middle of Tennessee is Cairo, Illinois, not Egypt's)."""
    return any(distance_to(c, n.lat, n.lon) <= (NEAR_KM if n.kind == "region" else FEATURE_KM)
               for n in near)


def near_any(c: Candidate, near: Sequence[Candidate], km: float) -> bool:
    return any(distance_to(c, n.lat, n.lon) <= km for n in near)


def choose_candidate(cands: list[tuple[int, Candidate]], key: str, focus: Focus | None, *,
            cue: bool, near: Sequence[Candidate] = (), divisions: frozenset[str] = frozenset(),
            feature: bool = False, feature_name: bool = False,
            short: Mapping[str, str] | None = None,
            home: frozenset[str] = frozenset(),
            spread: Sequence[Candidate] = ()) -> Candidate | None:
    if not cands:
        return None
    around = near or spread  # the places around it, else the document's sure places
    rank, best = max(cands, key=lambda rc: score_candidate(
        rc[1], rc[0], key, focus, around, divisions, short, home))
    if rank > 0 and best.id.startswith("geopy:"):
        return best  # an online geocoder gives no population; the user asked for it by name
    # the places around it and the story's centre ("Washington City" in a report from there)
    anchors = list(near) + ([] if focus is None else [Candidate(
        id="focus", name="", lat=focus.lat, lon=focus.lon, kind="city")])
    if (rank > 0 and best.kind == "river" and len(spread) >= 2
            and not near_any(best, spread, RIVER_KM)):
        return None  # the only "Snake River" known lies in Yukon: not the one of this story
    if rank > 0 and best.kind not in TOWN_KINDS:
        return best  # a fort, river or square of an added pack: no town, no population to judge
    if (feature or (feature_name and not own_name(best, key, short or {}))) and rank > 0:
        # "White River", "Rio Grande": a town of that name only if it is among the places
        # around it (a river or a fort is not a random town of its name); "Brashear City",
        # an old name of Morgan City, is Morgan City there, but "White House", an alternate
        # name of Casablanca, is not Casablanca in a story set in Budapest
        return best if near_any(best, anchors, FEATURE_KM) else None
    if cue and rank > 0:
        inside = focus is not None and in_country(best.country, focus.country)
        if (best.population < (MIN_POP_FOCUS if inside else MIN_POP_ELSEWHERE)
                and not near_any(best, around, SMALL_KM)
                and not (division(best) in divisions and near_any(best, around, NEAR_KM / 4))):
            # a hamlet is this place only among the document's own places ("Stanardsville"
            # beside Charlottesville); alone it is too often a word that is also a name
            return None
    return best
