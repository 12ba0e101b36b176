"""Names read without a cue, kept only among the document's own places.

The reader (``toponyms.read_places``) takes a capitalised name that no cue introduces as a
place when the name is a large town's ("Antwerp fell"); a smaller town's name, or a town
under another of its names, it marks ``how="weak"``: "took Cherbourg", "Caen, which the
British had hoped to take", "slow to reach Calcutta". Such a word is as often a person's
or a ship's, so after resolving it stays a place only if the place chosen for it lies
within ``WEAK_KM`` of a place the document named with more certainty (a town, a street, a
building: not a country, region or river, whose points stand for a wide area). Else the
mention is dropped: neither a pin nor an "unresolved" name.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..geo.candidates import Candidate
from ..geo.distance import distance_km
from ..model.kinds import COARSE_KINDS, WIDE_KINDS
from .resolve import ResolvedMention

__all__ = ["WEAK_KM", "keep_nearby"]

#: How near a place the document named surely a weak name's place must lie: a battle's
#: villages, a city's suburbs, a region's towns (Caen and Bayeux, 25 km; Cherbourg, 100 km
#: from the landing beaches).
WEAK_KM = 120.0


def keep_nearby(resolved: Sequence[ResolvedMention]) -> tuple[ResolvedMention, ...]:
    """Return ``resolved`` without the weak mentions whose place lies far from the sure
    places of their document (or that nothing placed)."""
    if not any(r.mention.how == "weak" for r in resolved):
        return tuple(resolved)
    anchors: dict[str, list[Candidate]] = {}
    for r in resolved:
        if r.mention.how != "weak" and r.place is not None \
                and r.place.kind not in WIDE_KINDS and r.place.kind not in COARSE_KINDS \
                and not r.place.estimated:
            anchors.setdefault(r.mention.doc, []).append(r.place)
    return tuple(r for r in resolved if r.mention.how != "weak" or _near(
        r.place, anchors.get(r.mention.doc, ())))


def _near(place: Candidate | None, anchors: Sequence[Candidate]) -> bool:
    return place is not None and any(
        distance_km(place.lat, place.lon, a.lat, a.lon) <= WEAK_KM for a in anchors)
