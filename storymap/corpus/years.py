"""The story's year for the texts that name none, found and applied once per build.

``combine`` dates a text that names no year with the story's year, the dominant year of
the other texts (:func:`storymap.pipeline.with_year`: its dates and events are made again
from its passages). For a corpus that is done here, after the texts are read, the same
way whatever the engine: the year from the weights the entries carry (no text is scanned
again) and each such text's dated analysis from the cache when it has it — a rebuild
after one text changed does neither again. ``combine`` is then given that year and finds
these analyses already dated with it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping

from ..errors import StorymapError
from ..lang import load_profile
from ..pipeline import with_year
from ..pipeline.analysis import DocumentAnalysis
from ..pipeline.dates import dominant_year, year_weights
from .cache import AnalysisCache
from .entry import decode, encode

__all__ = ["date_yearless"]


def date_yearless(analyses: Mapping[int, DocumentAnalysis], *, year: int | None,
                  weights: Mapping[int, Mapping[int, int]],
                  cache: AnalysisCache | None, keys: Mapping[int, str],
                  ) -> tuple[dict[int, DocumentAnalysis], int | None]:
    """Return the analyses (by the index of their text) with the yearless ones dated,
    and the story's year.

    ``year`` is ``--year`` (else the dominant year of the texts that name one, from
    ``weights``: index → that text's :func:`year_weights`, computed here where missing);
    ``keys`` are the texts' cache keys by index. The year is returned as given when every
    text names its own (nothing to date); None when no text names one.
    """
    out = dict(analyses)
    if all(a.year is not None for a in analyses.values()):
        return out, year
    if year is None:
        counts: Counter[int] = Counter()
        for index, a in analyses.items():
            if a.year is not None:
                counts.update(weights.get(index) or year_weights(
                    a.document.text, profile=load_profile(a.language)))
        year = dominant_year(counts)
    for index, a in analyses.items():
        if a.year is not None or year is None or a.default_year == year:
            continue
        key = hashlib.sha256(f"{keys[index]}\0dated {year}".encode()).hexdigest() \
            if cache is not None and index in keys else None
        dated = _cached(cache, key)
        if dated is None:
            dated = with_year(a, year).slim()
            if cache is not None and key is not None:
                cache.put(key, encode(dated))
        out[index] = dated
    return out, year


def _cached(cache: AnalysisCache | None, key: str | None) -> DocumentAnalysis | None:
    if cache is None or key is None:
        return None
    data = cache.get(key)
    if data is None:
        return None
    try:
        return decode(data, name="cached dated analysis").analysis
    except StorymapError:
        cache.forget(key)
        return None
