"""How much a story tells of each day, and its main phase: the densest run of days.

Functions of the day index (``Story.events_by_day``), behind ``Story.emphasis`` and
``Story.main_phase``; kept apart from the records so the model's module stays a list of
the story's data.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .parts import Event

__all__ = ["densest_run", "story_emphasis"]


def story_emphasis(events_by_day: Mapping[str, Sequence[Event]],
                   place_ids: Collection[str]) -> dict[str, float]:
    """Day → how much the story tells of it (see ``Story.emphasis``)."""
    counts: dict[str, list[float]] = {}
    for day, events in events_by_day.items():
        for event in events:  # as the day lists them: a range on each of its days
            if event.continuing:
                continue  # a look back tells of another time
            row = counts.setdefault(day, [0.0, 0.0, 0.0])
            row[0] += 1
            row[1] += len({r.place_id for r in event.places if r.place_id in place_ids})
            row[2] += len(event.quote.split())
    if not counts:
        return {}
    means = [sum(r[k] for r in counts.values()) / len(counts) for k in range(3)]
    return {d: sum(r[k] / means[k] for k in range(3) if means[k]) for d, r in counts.items()}


def densest_run(weight: Mapping[str, float], days: Sequence[str]) -> tuple[str, str] | None:
    """First and last day of the densest run of ``weight``'s days (see
    ``Story.main_phase``); ``days`` (sorted) give the span when no day has a weight."""
    if not weight:
        return (days[0], days[-1]) if days else None  # only ranges or looks back
    told = sorted(weight)
    cost = sum(weight.values()) / len(weight) / 3  # a third of an average told day
    # Kadane over the told days, a quiet gap costing ``cost`` for each of its days.
    best: tuple[float, int, int] | None = None  # (sum, -length, first) of the best run
    run_sum, run_first = 0.0, 0
    for i, day in enumerate(told):
        gap = (date.fromisoformat(day) - date.fromisoformat(told[i - 1])).days - 1 if i else 0
        carried = run_sum - gap * cost
        if i == 0 or carried <= 0:
            run_sum, run_first = 0.0, i
        else:
            run_sum = carried
        run_sum += weight[day] - cost
        length = (date.fromisoformat(day) - date.fromisoformat(told[run_first])).days
        key = (run_sum, length, -run_first)
        if best is None or key > (best[0], -best[1], -best[2]):
            best = (run_sum, -length, run_first)
        if run_sum <= 0:
            run_sum = 0.0
    assert best is not None
    first_i = best[2]
    last_day = date.fromisoformat(told[first_i]) + timedelta(days=-best[1])
    return told[first_i], last_day.isoformat()
