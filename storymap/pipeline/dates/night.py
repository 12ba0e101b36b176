"""Times within a narrated night: which day a time falls on, how it reads, where it stands.

The date stage keeps the narration's clock (minutes on the narrated day's timeline; 1440 and
more are the next day, after midnight) and places each time told without a date of its own:

- **Forward.** Narration moves forward: of the readings a time allows, the first at or after
  the narration's clock is the one meant. After "At 22:00", "At 10:30" is 22:30 — a clock
  written without a.m./p.m., a leading zero or "hrs" may be read on a 12-hour clock, and that
  reading is tried once the narration is past noon.
- **The night.** Once the narration is in the evening (``evening_from`` in ``dates.yaml``,
  18:00) a time before noon is the next day's ("At 22:00 … By 01:30 …"), and so are
  "midnight", "after midnight" and "in the early hours"; after midnight every time is the
  next day's until a date is told again. A time the narration cannot reach going forward is a
  look back on the same day ("At 22:00 … at 14:00 the crowd had gathered").
- **Order key.** Every placed time has a minute on its own day, the key the day's events are
  ordered by: a clock its own minutes; a named part of the day its rank (``time_ranks``),
  unless the narration's last time on that day lies inside the part (``time_windows``), when
  it keeps its place after that time ("At 04:00 … in the early hours …").

A time with its own date ("On the night of 4 July", "the next morning") is on that date; it
sets the narration's clock for what follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ...lang.cache import PerProfile
from ...lang.profile import Profile

__all__ = ["DAY", "MIDNIGHT", "Placed", "place"]

DAY = 24 * 60
NOON = 12 * 60
#: The time value of "midnight" (storymap.pipeline.dates.datetext).
MIDNIGHT = "midnight"


@dataclass(frozen=True)
class _Clock:
    ranks: Mapping[str, int]  # a named part of the day → its minute for ordering
    windows: Mapping[str, tuple[int, int]]  # a named part → [from, to) minutes
    evening: int  # from this minute the narration is in the evening
    night_ends: int  # before this minute a time is of the small hours


def _minutes(value: str) -> int:
    hours, _, minutes = str(value).partition(":")
    return int(hours) * 60 + int(minutes or 0)


def _clock_of(p: Profile) -> _Clock:
    windows: dict[str, tuple[int, int]] = {}
    for part, span in p.table("time_windows").items():
        a, _, b = str(span).partition("-")
        windows[str(part)] = (_minutes(a), _minutes(b))
    return _Clock(ranks={str(k): _minutes(v) for k, v in p.table("time_ranks").items()},
                  windows=windows, evening=_minutes(p.phrases("evening_from")[0]),
                  night_ends=_minutes(p.phrases("night_ends")[0]))


_clocks = PerProfile(_clock_of)


@dataclass(frozen=True)
class Placed:
    """Where a time goes: ``shift`` days after the narrated day, read as ``time``.

    ``minute`` is its order key on its own day; ``clock`` the narration's clock after it
    (on the narrated day's timeline: 1440 and more are the next day).
    """

    shift: int
    time: str
    minute: int
    clock: int


def _written(time: str, c: _Clock) -> int | None:
    """The minute a time names on its own day (a named part at its rank), or None."""
    if time[:1].isdigit():
        return _minutes(time)
    return c.ranks.get(time)


def place(time: str, *, clock12: bool = False, narration: int | None = None,
          new_paragraph: bool = False, profile: Profile | None = None) -> Placed:
    """Place ``time`` after the narration's clock ``narration`` (None: no time told yet).

    ``new_paragraph``: the narration's clock was set in an earlier paragraph. A paragraph
    may start its own thread of the day ("Later that evening, Kádár … ¶ By 08:00 the
    defence had collapsed"): from the evening, only a time of the small hours (before
    ``night_ends``) or "midnight" goes on into the next day there.

    >>> place("10:30", clock12=True, narration=22 * 60)
    Placed(shift=0, time='22:30', minute=1350, clock=1350)
    >>> place("midnight", narration=22 * 60).shift, place("01:30", narration=22 * 60).shift
    (1, 1)
    >>> place("09:00", narration=14 * 60)
    Placed(shift=0, time='09:00', minute=540, clock=540)
    """
    c = _clocks(profile)
    own = _written(time, c)
    if own is None:  # a time the profile does not rank: as written, on the day
        return Placed(0, time, -1, narration if narration is not None else -1)
    if time == MIDNIGHT:
        if narration is not None and narration >= c.evening:  # the night's: the next day's start
            return Placed(1, time, 0, max(narration, DAY))
        return Placed(0, time, own, DAY)
    value = min(own, DAY - 1)  # "night" is late on the narrated day
    readings = [value]
    if clock12 and narration is not None and narration % DAY >= NOON:
        readings.append((value + NOON) % DAY)  # "10:30" after "22:00": the 12-hour reading
    if narration is None:
        return Placed(0, time, own, value)
    candidates: list[int] = []
    night_ends = c.night_ends if new_paragraph else NOON
    for r in readings:
        if narration < DAY:
            candidates.append(r)
        if narration >= DAY or (narration >= c.evening and r < night_ends):
            candidates.append(DAY + r)
    ahead = [x for x in candidates if x >= narration]
    chosen = min(ahead) if ahead else (DAY + value if narration >= DAY else value)
    read = chosen % DAY
    if time[:1].isdigit():
        shown = f"{read // 60:02d}:{read % 60:02d}"
        return Placed(chosen // DAY, shown, read, chosen)
    minute = own
    window = c.windows.get(time)
    if window is not None and narration // DAY == chosen // DAY \
            and window[0] <= narration % DAY < window[1]:
        minute = narration % DAY  # told after the narration's last time inside its part
    return Placed(chosen // DAY, time, minute, chosen)
