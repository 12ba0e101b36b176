"""Parsing a corrections document strictly: one-line errors naming the file, entry and fix.

Anything not understood is refused: an unknown key, an unknown place id (neither in the
gazetteer nor in the file's own places), a malformed date or time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from typing import Any

from ..errors import CorrectionsError
from ..model.kinds import PLACE_KINDS
from ..outputs.options import OptionError
from ..outputs.options import check_date as check_view_date
from ..pipeline.dates.datetext import PARTS_OF_DAY
from ..textio import bad_character
from .model import SECTIONS, VERSION, Corrections, EventFix, NameFix, PlaceFix

__all__ = ["FIELD_LIMITS", "brief", "check_date", "check_time", "parse_document"]

#: The most characters a field may hold. A title is a headline, a quote a few words of
#: one sentence, a note a remark: past these a value is a paste gone wrong, and a file of
#: such entries grows past what storymap reads back (issue 20: three 10 MB titles).
FIELD_LIMITS: Mapping[str, int] = {
    "title": 300, "name": 300, "quote": 2000, "note": 2000, "source": 500, "id": 200,
    "doc": 200, "place": 200, "country": 10, "kind": 40, "at": 40, "date": 100,
    "end_date": 100, "time": 100,
}
#: Names and aliases of one place: more is a list pasted by mistake.
MAX_NAMES = 100
#: Characters of a value quoted in a message (a 10 MB title is not echoed back).
QUOTE_CHARS = 40


def brief(value: Any, limit: int = QUOTE_CHARS) -> str:
    """Return ``repr(value)`` cut to ``limit`` characters, never formatting more of it.

    >>> brief("x" * 100)
    "'xxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxx'"
    >>> brief([1, [2, [3]]])
    '[1, [2, [3]]]'
    """
    import reprlib

    short = reprlib.Repr()
    short.maxstring = short.maxother = limit
    short.maxlist = short.maxdict = short.maxtuple = short.maxset = 4
    short.maxlevel = 3
    text = short.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"

_ID = re.compile(r"^[a-z0-9][a-z0-9:._-]*$")
_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class _Where:
    """Names one entry in messages: file, section, index and line."""

    def __init__(self, file: str, section: str, index: int, line: int | None,
                 entry: Mapping[str, Any] | None = None) -> None:
        # Put in words only on failure: a file of 10,000 good entries pays nothing.
        self.file, self.section, self.index, self.line, self.entry = (file, section, index,
                                                                      line, entry)

    @property
    def text(self) -> str:
        label = ""
        if self.entry is not None:
            for key in ("id", "name", "quote"):
                if isinstance(self.entry.get(key), str) and self.entry[key]:
                    label = f" ({key} {brief(self.entry[key])})"
                    break
        at = f" (line {self.line})" if self.line else ""
        return f"{self.file}: {self.section}[{self.index}]{label}{at}"

    def fail(self, problem: str, todo: str) -> CorrectionsError:
        return CorrectionsError(f"{self.text}: {problem}; {todo}")


def _text(where: _Where, raw: Mapping[str, Any], key: str, *, required: bool = False) -> str:
    value = raw.get(key)
    if value is None:
        if required:
            raise where.fail(f"missing {key!r}", f"add {key}: …")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float | date):
        raise where.fail(f"{key} must be text, got {type(value).__name__}", f"write {key}: …")
    return _checked(where, key, str(value)).strip()


def _checked(where: _Where, key: str, text: str) -> str:
    """``text`` if it is within its field's limit and holds no character a file cannot."""
    limit = FIELD_LIMITS.get(key, 300)
    if len(text) > limit:
        raise where.fail(f"{key} is {len(text):,} characters long, more than the {limit:,} "
                         "it may have", f"shorten the {key}")
    problem = bad_character(text)
    if problem:
        raise where.fail(f"{key} holds {problem}", f"retype the {key}")
    return text


def _flag(where: _Where, raw: Mapping[str, Any], key: str) -> bool | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise where.fail(f"{key} must be true or false, got {brief(value)}", f"write {key}: true")


def _number(where: _Where, raw: Mapping[str, Any], key: str, low: float, high: float) -> float:
    value = raw.get(key)
    try:
        if isinstance(value, bool) or value is None:
            raise ValueError
        number = float(value)
    except (TypeError, ValueError):
        raise where.fail(f"{key} must be a number, got {brief(value)}",
                         f"write {key} in decimal degrees") from None
    if not low <= number <= high:
        raise where.fail(f"{key} {number} is out of range", f"use {low} to {high}")
    return number


def check_date(value: str) -> str | None:
    """Return what is wrong with an ISO date cut to its precision, in plain words, or None.

    The words are the view options' (storymap.outputs.options), so the file, the editor
    and a link say the same thing about the same date.

    >>> check_date("1956-10-24") is None, check_date("1956-10") is None
    (True, True)
    >>> check_date("1956-02-30")
    'February 1956 has 29 days'
    >>> check_date("1956-13-01")
    'there is no month 13: months are 01 to 12'
    >>> check_date("24.10.1956")
    'write the year first: 1956-10-24'
    >>> check_date("0000")
    'there is no year 0'
    """
    try:
        check_view_date("date", value)
    except OptionError as exc:
        return exc.reason("en")
    return None


def check_time(value: str) -> str | None:
    """Return the problem with a time of day, or None: "HH:MM" (24 h) or a part of the day.

    >>> check_time("10:30") is None, check_time("morning") is None
    (True, True)
    >>> check_time("25:00")
    'not HH:MM (24 h) or one of early morning, morning, afternoon, evening, night, midnight'
    """
    if _CLOCK.match(value) or value in PARTS_OF_DAY:
        return None
    return f"not HH:MM (24 h) or one of {', '.join(PARTS_OF_DAY)}"


def _keys(where: _Where, raw: Mapping[str, Any], allowed: Collection[str]) -> None:
    unknown = [k for k in raw if k not in allowed]
    if unknown:
        raise where.fail(f"unknown key {brief(unknown[0])}",
                         f"use only {', '.join(sorted(allowed))} (see docs/corrections.md)")


def _place(where: _Where, raw: Mapping[str, Any]) -> PlaceFix:
    _keys(where, raw, ("id", "name", "kind", "lat", "lon", "names", "country", "aliases",
                       "source", "license", "note", "at"))
    pid = _text(where, raw, "id", required=True)
    if not _ID.match(pid):
        raise where.fail(f"id {brief(pid)} is not lower-case letters, digits and hyphens",
                         "write an id like prater-utca")
    kind = _text(where, raw, "kind", required=True)
    if kind not in PLACE_KINDS:
        raise where.fail(f"unknown kind {brief(kind)}",
                         f"use one of {', '.join(sorted(PLACE_KINDS))}")
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise where.fail("aliases must be a list of names", "write aliases: [Name, Other name]")
    if len(aliases) > MAX_NAMES:
        raise where.fail(f"{len(aliases):,} aliases, more than the {MAX_NAMES} a place may "
                         "have", "keep the names readers use")
    aliases = [_checked(where, "name", a) for a in aliases]
    return PlaceFix(id=pid, name=_text(where, raw, "name", required=True), kind=kind,
                    lat=_number(where, raw, "lat", -90, 90),
                    lon=_number(where, raw, "lon", -180, 180),
                    names=_names(where, raw), country=_text(where, raw, "country"),
                    aliases=tuple(a.strip() for a in aliases if a.strip()),
                    source=_text(where, raw, "source") or "storymap corrections",
                    license=_text(where, raw, "license"), note=_text(where, raw, "note"),
                    at=_text(where, raw, "at"))


def _names(where: _Where, raw: Mapping[str, Any]) -> dict[str, str]:
    names = raw.get("names") or {}
    if not isinstance(names, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in names.items()):
        raise where.fail("names must map language codes to names", "write names: {hu: Práter utca}")
    if len(names) > MAX_NAMES:
        raise where.fail(f"{len(names):,} names, more than the {MAX_NAMES} a place may have",
                         "keep the languages readers use")
    return {_checked(where, "kind", k): _checked(where, "name", v).strip()
            for k, v in names.items() if v.strip()}


def _name(where: _Where, raw: Mapping[str, Any], known: Callable[[str], bool]) -> NameFix:
    _keys(where, raw, ("name", "doc", "place", "person", "not_a_place", "note", "at"))
    place = _text(where, raw, "place")
    person = bool(_flag(where, raw, "person"))
    not_a_place = bool(_flag(where, raw, "not_a_place"))
    if (bool(place) + person + not_a_place) != 1:
        raise where.fail("say how the name is read",
                         "give exactly one of place: <id>, person: true, not_a_place: true")
    if place and not known(place):
        raise where.fail(f"unknown place id {brief(place)}",
                         "use an id from places/ or add the place under places: in this file")
    return NameFix(name=_text(where, raw, "name", required=True), doc=_text(where, raw, "doc"),
                   place=place, person=person, not_a_place=not_a_place,
                   note=_text(where, raw, "note"), at=_text(where, raw, "at"))


def _event(where: _Where, raw: Mapping[str, Any], known: Callable[[str], bool]) -> EventFix:
    changes = ("hide", "date", "end_date", "time", "places", "title")
    _keys(where, raw, ("id", "doc", "quote", *changes, "note", "at"))
    eid, doc, quote = (_text(where, raw, k) for k in ("id", "doc", "quote"))
    if not eid and not (doc and quote):
        raise where.fail("no event named",
                         "give id: (from the story JSON) or doc: and quote: (words of its "
                         "sentence)")
    if eid and quote:
        raise where.fail("both id and quote given", "give id: or doc: + quote:, not both")
    if not any(k in raw for k in changes):
        raise where.fail("no change given", f"add one of {', '.join(changes)}")
    fields: dict[str, Any] = {}
    for key in ("date", "end_date"):
        if key in raw:
            value = _cleared(raw[key]) if key == "end_date" else _text(where, raw, key)
            problem = check_date(value) if value else None if key == "end_date" else "empty"
            if problem:
                raise where.fail(f"{key} {brief(value)} is not a date: {problem}",
                                 "write a date like 1956-10-24, 1956-10 or 1956")
            fields[key] = value
    if fields.get("date") and fields.get("end_date") and fields["end_date"] < fields["date"]:
        raise where.fail(f"end_date {fields['end_date']} is before date {fields['date']}",
                         "swap them or remove end_date")
    if "time" in raw:
        value = _cleared(raw["time"])
        problem = check_time(value) if value else None
        if problem:
            raise where.fail(f"time {brief(value)} is malformed ({problem})",
                             "write time: '10:30' (quoted) or time: morning")
        fields["time"] = value
    if "places" in raw:
        ids = raw["places"] if raw["places"] is not None else []
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise where.fail("places must be a list of place ids", "write places: [id, other-id]")
        if len(ids) > MAX_NAMES:
            raise where.fail(f"{len(ids):,} places, more than the {MAX_NAMES} an event may "
                             "have", "keep the places the event happened at")
        for pid in ids:
            if not known(pid):
                raise where.fail(f"unknown place id {brief(pid)}",
                                 "use an id from places/ or add the place under places: "
                                 "in this file")
        fields["places"] = tuple(ids)
    if "title" in raw:
        fields["title"] = _text(where, raw, "title")
    return EventFix(id=eid, doc=doc, quote=quote, hide=_flag(where, raw, "hide"),
                    note=_text(where, raw, "note"), at=_text(where, raw, "at"), **fields)


def _cleared(value: Any) -> str:
    """"" for a value that clears a field (null, ~, empty), else the value as text."""
    if value is None:
        return ""
    if not isinstance(value, str | int | float | date) or isinstance(value, bool):
        return brief(value)  # malformed, and said so by the date or time check
    text = str(value.isoformat() if isinstance(value, date) else value).strip()
    return "" if text in ("null", "~", "none", "None") else text


def parse_document(data: Any, *, file: str, known_places: Collection[str],
                   lines: Mapping[tuple[str, int], int] | None = None) -> Corrections:
    """Return the corrections in ``data`` (a parsed YAML or JSON document).

    ``known_places`` are the ids of the gazetteer; the file's own places count too.
    ``lines`` maps (section, index) to a line number for messages. Raises
    CorrectionsError, one line naming the file, the entry and what to do.
    """
    if data is None:
        return Corrections(path=file)
    if not isinstance(data, Mapping):
        raise CorrectionsError(f"{file}: expected a mapping with version, places, names and "
                               f"events, got {type(data).__name__}; see docs/corrections.md")
    unknown = [k for k in data if k not in ("version", *SECTIONS)]
    if unknown:
        raise CorrectionsError(f"{file}: unknown section {brief(unknown[0])}; use only version, "
                               "places, names and events (see docs/corrections.md)")
    version = data.get("version", VERSION)
    if str(version) != str(VERSION) or isinstance(version, bool):
        raise CorrectionsError(f"{file}: version {brief(version)} is not supported; "
                               f"write version: {VERSION}")
    sections: dict[str, Sequence[Any]] = {}
    for section in SECTIONS:
        items = data.get(section)
        if items in (None, "", "null", "~"):
            items = []
        if not isinstance(items, list):
            raise CorrectionsError(f"{file}: {section} must be a list of entries (lines starting "
                                   f"with '- '), got {type(items).__name__}")
        sections[section] = items

    def where(section: str, i: int, raw: Any) -> _Where:
        line = (lines or {}).get((section, i))
        w = _Where(file, section, i, line, raw if isinstance(raw, Mapping) else None)
        if not isinstance(raw, Mapping):
            raise w.fail(f"expected an entry like {{key: value, …}}, got {brief(raw)}",
                         "see docs/corrections.md")
        return w

    places = tuple(_place(where("places", i, r), r) for i, r in enumerate(sections["places"]))
    seen: set[str] = set()
    for i, p in enumerate(places):
        if p.id in seen:
            raise where("places", i, sections["places"][i]).fail(
                f"place id {p.id!r} appears twice", "keep one entry per id")
        seen.add(p.id)
    own = {p.id for p in places}

    def known(pid: str) -> bool:
        return pid in own or pid in known_places

    names = tuple(_name(where("names", i, r), r, known) for i, r in enumerate(sections["names"]))
    events = tuple(_event(where("events", i, r), r, known)
                   for i, r in enumerate(sections["events"]))
    return Corrections(places=places, names=names, events=events, path=file)
