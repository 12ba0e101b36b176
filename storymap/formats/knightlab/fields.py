"""The fields of a TimelineJS or StoryMapJS file, read one by one with one-line errors.

Dates come as "YYYY[-MM[-DD]]", TimelineJS date objects or StoryMapJS words ("23 October
1956"); times as "HH:MM" or a part of the day the date stage writes ("evening", from the
language profile). Each reader raises StoryFormatError naming ``where`` (the file and the
slide or event) and what was expected.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from ...errors import StoryFormatError
from ...lang import load_profile
from ..fragments import MONTHS, Node, parse_html

__all__ = ["checked", "coords", "iso_date", "one_precision", "people_of", "short",
           "slide_date", "slide_text", "time_of", "tl_date"]

ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_WORDS = re.compile(r"^(?:(\d{1,2})\s+)?(?:([A-Za-z]+)\s+)?(\d{4})\b")


@functools.cache
def _parts_of_day() -> frozenset[str]:
    return frozenset(load_profile("en").phrases("parts_of_day"))


def one_precision(day: str, end: str | None) -> tuple[str, str, str | None]:
    """Return (date, precision, end_date) with both dates cut to the coarser precision.

    A story's dates share one precision per event ("1956-10" to "1957"): an import
    may mix them, and a story that mixes them would not read back.

    >>> one_precision("0001-01", "0001")
    ('0001', 'year', None)
    """
    n = min(len(day), len(end)) if end else len(day)
    day, end = day[:n], end[:n] if end else None
    return day, {10: "day", 7: "month"}.get(n, "year"), end if end != day else None

def short(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False) if value is not None else "nothing"
    except (ValueError, RecursionError):  # a number too long to print, deep nesting
        return "a value too large to show"
    return text if len(text) <= 60 else text[:57] + "..."


def slide_text(slide: Mapping[str, Any], *, where: str) -> tuple[str, str]:
    text = slide.get("text") or {}
    if not isinstance(text, dict):
        raise StoryFormatError(
            f'{where}: expected "text": {{"headline": ..., "text": ...}}, got {short(text)}'
        )
    return str(text.get("headline") or ""), str(text.get("text") or "")


def people_of(tree: Node) -> tuple[str, ...]:
    return tuple(n.text() for n in tree.find_all(cls="storymap-person"))


def coords(lat: Any, lon: Any, *, where: str) -> tuple[float, float]:
    try:
        la, lo = float(lat), float(lon)
    except (TypeError, ValueError):
        raise StoryFormatError(
            f"{where}: expected numeric lat and lon, got lat={lat!r}, lon={lon!r}"
        ) from None
    if not (-90 <= la <= 90 and -180 <= lo <= 180):
        raise StoryFormatError(f"{where}: lat={la}, lon={lo} is not on Earth; fix the location")
    return la, lo


def iso_date(text: str, *, where: str) -> tuple[str, str]:
    """Return (ISO date cut to its precision, precision) for "YYYY[-MM[-DD]]"."""
    m = ISO.match(text.strip())
    if not m:
        raise StoryFormatError(
            f"{where}: expected a date like 1956-10-23, 1956-10 or 1956, got {text!r}"
        )
    parts = [int(p) for p in m.groups() if p]
    return checked(parts, where=where), ("year", "month", "day")[len(parts) - 1]


def checked(parts: list[int], *, where: str) -> str:
    year, month, day = [*parts, 1, 1][:3]
    try:
        date(year, month, day)
    except (ValueError, OverflowError) as exc:
        got = "-".join(str(p) if abs(p) < 10**12 else "(a huge number)" for p in parts)
        raise StoryFormatError(f"{where}: not a calendar date ({exc}); got {got}") from None
    return "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])])


def tl_date(value: Mapping[str, Any], *, where: str) -> tuple[str, str, str | None]:
    """Read a TimelineJS date object: (ISO date, precision, "HH:MM" or None)."""
    parts: list[int] = []
    for name in ("year", "month", "day"):
        raw = value.get(name)
        if raw in (None, ""):
            break
        try:
            parts.append(int(str(raw).strip()))
        except ValueError:
            raise StoryFormatError(
                f"{where}: {name} must be a number, got {short(raw)}") from None
    if not parts:
        raise StoryFormatError(f"{where}: a date needs a year, got {short(dict(value))}")
    time = None
    if len(parts) == 3 and value.get("hour") not in (None, ""):
        time = time_of(f"{value.get('hour')}:{value.get('minute') or 0}", where=where)
    return checked(parts, where=where), ("year", "month", "day")[len(parts) - 1], time


def time_of(text: str | None, *, where: str) -> str | None:
    if not text:
        return None
    if text in _parts_of_day():  # what the date stage writes instead of a clock time
        return text
    hour, _, minute = text.partition(":")
    try:
        h, m = int(hour), int(minute or 0)
    except ValueError:
        h = m = -1
    if not (0 <= h < 24 and 0 <= m < 60):
        raise StoryFormatError(f"{where}: expected a time like 20:00, got {text!r}")
    return f"{h:02d}:{m:02d}"


def slide_date(slide: Mapping[str, Any], headline: str, *, where: str) -> tuple[str, str]:
    """Read a StoryMapJS slide's date: ISO in "date", or "23 October 1956" words."""
    raw = str(slide.get("date") or "").strip()
    first = re.split(r"\s*/\s*", raw)[0] if raw else ""
    if ISO.match(first):
        return iso_date(first, where=where)
    for words in (first, parse_html(headline).text()):
        m = _WORDS.match(words)
        month = m.group(2).capitalize() if m and m.group(2) else None
        if m and (month is None or month in MONTHS):
            parts = [int(m.group(3))]
            if month:
                parts.append(MONTHS.index(month) + 1)
                if m.group(1):
                    parts.append(int(m.group(1)))
            return checked(parts, where=where), ("year", "month", "day")[len(parts) - 1]
    raise StoryFormatError(
        f'{where}: no date storymap can read (date {raw!r}, headline {headline[:40]!r}); '
        'expected "date": "1956-10-23", "1956-10" or "1956"; add one'
    )
