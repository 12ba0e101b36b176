"""Events told more than once merged into one: within a text and across a story's texts.

Two events merge when they have the same dates and places (or one place set holds the
other) and their sentences say nearly the same thing; the merged event keeps the sources,
people and places of all its tellings and the first time one of them gives. ``build_events``
merges each text's events and the pipeline merges those of all of a story's texts when it
combines them; kept apart from the reading of events (storymap.pipeline.events) because it
reads no text, only events.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace

from ..model import Event, PlaceRef, SourceRef

__all__ = ["merge_events"]


@functools.lru_cache(maxsize=1 << 14)
def _words(text: str) -> frozenset[str]:  # combine merges the same quotes after each edit
    return frozenset(_WORD.findall(text.lower()))


_WORD = re.compile(r"\w+")


def _similar(wa: frozenset[str], wb: frozenset[str]) -> bool:
    """Return True if the two word sets share half their words (Jaccard >= 0.5).

    The shared words are at most the smaller set and the union at least the larger, so
    sets of which one is less than half the other are never similar: most pairs a
    corpus compares (one date, many sentences) are told apart by their sizes alone.
    """
    la, lb = len(wa), len(wb)
    if not (la and lb) or 2 * min(la, lb) < max(la, lb):
        return False
    shared = len(wa & wb)
    return shared / (la + lb - shared) >= 0.5


def _retold(wa: frozenset[str], wb: frozenset[str]) -> bool:
    """Return True if one quote holds (nearly) every word of the other, a short one too.

    Two revisions of a text tell an event once each, one of them run on into the next
    sentence ("… stopped broadcasting at 08:07 An emergency Cabinet meeting …", where a
    lost full stop joined them): all words of the shorter are in the longer.
    """
    small = min(len(wa), len(wb))
    return small >= 6 and len(wa & wb) / small >= 0.9


#: How many distinct events of one date and place set a new event is compared with: the
#: comparison is all-pairs within a key, so it is bounded to keep merging linear in the
#: number of events (a text of 2 MB repeating one sentence took 147 s before).
_MERGE_WINDOW = 64


def merge_events(events: Sequence[Event]) -> list[Event]:
    """Merge events with the same dates and places told in nearly the same words.

    Linear in the number of events: each is looked up by its key (dates and places) and,
    within the key, first by its exact word set, then against the last ``_MERGE_WINDOW``
    distinct events of that key.
    """
    kept: list[Event] = []
    sources: list[dict[SourceRef, None]] = []
    people: list[dict[str, None]] = []
    times: list[str | None] = []
    orders: list[int | None] = []  # each time's order key, kept with it
    index: dict[tuple[str, str | None, frozenset[str]],
                list[tuple[frozenset[str], int]]] = {}
    exact: dict[tuple[tuple[str, str | None, frozenset[str]], frozenset[str]], int] = {}
    places: list[dict[str, PlaceRef]] = []
    # Same dates, any places: one telling may name a place the other leaves unresolved
    # (or names none), so the same event had two place sets and was never compared.
    by_dates: dict[tuple[str, str | None], list[tuple[frozenset[str], int]]] = {}
    for e in events:
        ids = frozenset(r.place_id for r in e.places)
        key = (e.date, e.end_date, ids)
        words = _words(e.quote)
        i = exact.get((key, words)) if words else None
        if i is None:
            group = index.get(key, [])
            i = next((j for w, j in group[-_MERGE_WINDOW:] if _similar(w, words)),
                     None)
        if i is None:
            i = _told_again(e, words, ids, by_dates.get((e.date, e.end_date), []), kept,
                            places)
        if i is None:
            i = len(kept)
            index.setdefault(key, []).append((words, i))
            by_dates.setdefault((e.date, e.end_date), []).append((words, i))
            kept.append(e)
            sources.append(dict.fromkeys(e.sources))
            people.append(dict.fromkeys(e.people))
            times.append(e.time)
            orders.append(e.time_order)
            places.append({r.place_id: r for r in e.places})
        else:
            sources[i].update(dict.fromkeys(e.sources))
            people[i].update(dict.fromkeys(e.people))
            if times[i] is None and e.time:
                times[i], orders[i] = e.time, e.time_order
            for r in e.places:
                places[i].setdefault(r.place_id, r)
        if words:
            exact.setdefault((key, words), i)
    return [replace(e, sources=tuple(sources[i]), people=tuple(people[i]), time=times[i],
                    time_order=orders[i], places=tuple(places[i].values()))
            if len(sources[i]) != len(e.sources) or len(people[i]) != len(e.people)
            or times[i] != e.time or len(places[i]) != len(e.places) else e
            for i, e in enumerate(kept)]


def _told_again(e: Event, words: frozenset[str], ids: frozenset[str],
                told: list[tuple[frozenset[str], int]], kept: Sequence[Event],
                places: Sequence[dict[str, PlaceRef]]) -> int | None:
    """Return the first of the last ``_MERGE_WINDOW`` events of ``e``'s dates (``told``:
    their words and index) that ``e`` tells again with other places (:func:`_same_telling`),
    or None."""
    for w, j in told[-_MERGE_WINDOW:]:
        pa = places[j].keys()
        # Most events of a day name another place: neither set holds the other (the
        # first test of _same_telling, here without a call for each of them).
        if (pa <= ids or ids <= pa) and _same_telling(kept[j], e, w, words, pa, ids):
            return j
    return None


def _same_telling(a: Event, b: Event, wa: frozenset[str], wb: frozenset[str],
                  pa: AbstractSet[str], pb: frozenset[str]) -> bool:
    """Return True if ``b`` tells event ``a`` again with other (or no) places named.

    Only when one place set holds the other (no place is contradicted), the times agree
    (or one has none) and the words are nearly the same or one telling holds the other.
    """
    if not (pa <= pb or pb <= pa) or pa == pb:
        return False
    if a.time and b.time and a.time != b.time:
        return False
    return _similar(wa, wb) or (bool(a.time or b.time) and _retold(wa, wb))
