"""The order of a story's events: by day, then the day's news by time of day, then what continues.

An event's ``time`` is a clock time ("09:00") or a named part of the day ("early morning",
"evening"). Named parts are placed on the clock where a reader would put them
(``time_ranks`` in ``storymap/lang/<code>/dates.yaml``): "early morning" < 09:00 <
"afternoon" < "evening" < 23:30 < "night" < "midnight".

Decisions:

- An event's time is ordered by its ``time_order`` when the text gave it one: the date stage
  places times within a narrated night (storymap.pipeline.dates.night: "shortly after
  midnight" on the night's next day is 0, "in the early hours" after "At 04:00" stays after
  it); else by the rank of its time.
- An event without a time keeps its place in the text: it takes the rank of the event told
  before it on the same day in the same document (the narration's time), else the day's
  start. "Students gathered. At 15:00 they marched. They sang." stays in that order.
- *Continuing* events come after the day's news. Whether an event continues is a matter
  of the day: a range of days ("From 24 to 29 October, …") is news on its first day and
  continuing on the days after it; a retrospective sentence ("The statue had stood there
  since 1951") or a date coarser than a day looks back on every day it is listed on.
  Derived, not stored: ``looks_back`` reads it from the event's dates and quote (the
  renderer lists those events for the page) and ``is_continuing(event, day)`` adds the
  ranges' later days, which the page derives the same way (static/app/steps.js).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..lang.cache import PerProfile
from ..lang.profile import Profile, load_profile
from ..model import Event

__all__ = ["is_continuing", "looks_back", "order_events", "time_rank"]

_CLOCK = re.compile(r"([01]?[0-9]|2[0-4]):([0-5][0-9])\Z")
_DAY_END = 24 * 60


def time_rank(time: str | None, *, profile: Profile | None = None) -> int:
    """Return the minutes after the day's start of ``time`` (-1 for none; night after 23:59).

    >>> [time_rank(t) for t in ("early morning", "09:00", "afternoon", "evening", "23:30", "night")]
    [300, 540, 900, 1140, 1410, 1441]
    >>> time_rank(None), time_rank("teatime")
    (-1, -1)
    """
    if not time:
        return -1
    m = _CLOCK.match(time)
    if m:
        return int(m.group(1)) * 60 + int(m.group(2))
    ranks = (profile or load_profile("en")).table("time_ranks")
    rank = ranks.get(time.lower())
    if rank is None:
        return -1
    return int(rank) if isinstance(rank, int) else _clock_rank(str(rank))


def _clock_rank(value: str) -> int:
    """Ranks are written as clock times; "24:01" and later place a part after the day's end."""
    hours, _, minutes = value.partition(":")
    return int(hours) * 60 + int(minutes or 0)


def _retrospective_of(profile: Profile) -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in profile.phrases("retrospective_openers"))
    return re.compile(rf"\b(?:{words})\b", re.IGNORECASE)


#: Made once per profile: combine asks for every event of a story (the pattern's source
#: was joined and escaped again each time, 2,600 times for a corpus).
_retrospective = PerProfile(_retrospective_of)


def looks_back(event: Event, *, profile: Profile | None = None) -> bool:
    """Return True if ``event`` continues on every day it is listed on, its first included.

    A date coarser than a day, or a sentence that looks back ("had been …", "had
    already …") without a date of its own.

    >>> from storymap.model import Event
    >>> e = Event(id="e", date="1956-10-24", precision="day", title="t",
    ...           quote="The statue had stood there for years.", places=(), sources=())
    >>> looks_back(e)
    True
    """
    if event.precision != "day":
        return True
    p = profile or load_profile("en")
    return not any(map(str.isdigit, event.quote)) and bool(_retrospective(p).search(event.quote))


def is_continuing(event: Event, day: str | None = None, *, profile: Profile | None = None) -> bool:
    """Return True if ``event`` goes on over ``day`` rather than being its news.

    ``day`` (ISO, default the event's own first day): a range of days is news on its
    first day and continuing on the days after; an event that looks back
    (:func:`looks_back`) is continuing on every day.

    >>> from storymap.model import Event
    >>> e = Event(id="e", date="1956-10-24", precision="day", title="t", quote="Fighting.",
    ...           places=(), sources=(), end_date="1956-10-29")
    >>> is_continuing(e), is_continuing(e, "1956-10-24"), is_continuing(e, "1956-10-25")
    (False, False, True)
    """
    if event.end_date and event.end_date != event.date and (day or event.date) > event.date:
        return True
    return looks_back(event, profile=profile)


def order_events(events: Iterable[Event], *, profile: Profile | None = None) -> list[Event]:
    """Return ``events`` sorted by first day, then news by time of day, then what looks back.

    Within a day, an event without a time takes the rank of the one told before it in the
    same document (text order), so untimed news is not pushed to the top of the day.
    """
    p = profile or load_profile("en")
    listed = list(events)
    in_text = sorted(range(len(listed)), key=lambda i: _text_key(listed[i]))
    rank: dict[int, int] = {}
    last: dict[tuple[str, str], int] = {}  # (doc, day) → rank of the last event told
    for i in in_text:
        e = listed[i]
        day = (e.sources[0].doc if e.sources else "", e.date)
        own = e.time_order if e.time and e.time_order is not None else time_rank(e.time, profile=p)
        rank[i] = own if own >= 0 else last.get(day, -1)
        last[day] = rank[i]
    retro = _retrospective(p)

    def key(i: int) -> tuple[str, bool, int, str, int]:
        e = listed[i]  # listed on its first day, where a range is news
        continuing = e.precision != "day" or (bool(retro.search(e.quote))
                                              and not any(map(str.isdigit, e.quote)))
        doc, start = _text_key(e)
        return e.date, continuing, rank[i], doc, start

    return [listed[i] for i in sorted(range(len(listed)), key=key)]


def _text_key(e: Event) -> tuple[str, int]:
    return (e.sources[0].doc, e.sources[0].start) if e.sources else ("", 0)

