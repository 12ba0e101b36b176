"""A story's JSON coming in: parsed strictly, upgraded from older layouts, checked.

``Story.from_json`` / ``Story.from_dict`` (storymap.model) call this module: JSON that
json.loads would let through or die on is refused with one line (NaN, Infinity, numbers
too long, nesting too deep); stories written before today's layout are upgraded (a
document's local path dropped, ``name_hu`` → ``names``, mention ids added); the result is
validated against the schema (storymap.model.validate) and for what a schema cannot say (dates
on the calendar, events pointing at places, documents and offsets the story has).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import date as _date
from typing import Any

from ..errors import StoryFormatError
from ..textio import bad_character
from . import (
    STORY_VERSION,
    Attribution,
    DateRecord,
    Document,
    Event,
    MentionRecord,
    Place,
    PlaceRef,
    SourceRef,
    Story,
    stable_id,
)
from .validate import path_key

__all__ = ["event_from_dict", "parse_json", "parse_json_object", "story_from_dict"]


def story_from_dict(data: Mapping[str, Any], *, filename: str = "<story>") -> Story:
    """Build a Story from its JSON form; raise StoryFormatError if it does not fit."""
    try:
        version = data.get("version")
        if version != STORY_VERSION:
            raise StoryFormatError(
                f"{filename}: expected a storymap story with version {STORY_VERSION}, "
                f"got version {version!r}; rebuild it with `storymap build`"
            )
        from .validate import validate_story

        data = _current_layout(data)
        validate_story(data, filename=filename)
        _check_consistent(data, filename=filename)
        return Story(
            title=str(data["title"]),
            documents=tuple(_document(d) for d in data["documents"]),
            places=tuple(_place(p) for p in data["places"]),
            events=tuple(event_from_dict(e) for e in data["events"]),
            mentions=tuple(MentionRecord(**m) for m in data.get("mentions", ())),
            dates=tuple(DateRecord(**d) for d in data.get("dates", ())),
            attributions=tuple(Attribution(**a) for a in data.get("attributions", ())),
            gazetteer=str(data.get("gazetteer", "")),
        )
    except StoryFormatError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StoryFormatError(
            f"{filename}: not a valid storymap story ({type(exc).__name__}: {exc}); "
            "rebuild it with `storymap build`"
        ) from None


class _NotFinite(ValueError):
    """NaN, Infinity or a number too large for a float: not JSON (RFC 8259)."""


def _refuse_constant(name: str) -> Any:
    raise _NotFinite(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _NotFinite(f"{text[:20]} is too large for a number")
    return value


def parse_json(text: str, *, filename: str, advice: str) -> Any:
    """Parse JSON; raise StoryFormatError naming the file, what is wrong, and ``advice``.

    Refuses what json.loads would let through or die on: NaN and Infinity (not JSON),
    numbers too large for a float or an int, nesting deeper than Python can follow, and
    strings holding a lone surrogate or a control character (``"\\ud800"`` reads, but
    no later save can write it; see :func:`storymap.textio.bad_character`), naming the
    JSON path of the string.
    """
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise StoryFormatError(
            f"{filename}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            f"{advice}"
        ) from None
    except _NotFinite as exc:
        raise StoryFormatError(f"{filename}: not valid JSON ({exc}); {advice}") from None
    except RecursionError:
        raise StoryFormatError(
            f"{filename}: nested too deeply (arrays or objects inside each other over 1,000 "
            f"levels); {advice}"
        ) from None
    except ValueError as exc:  # an integer longer than Python's int-string limit
        raise StoryFormatError(
            f"{filename}: a number too long to read ({str(exc).split(':')[0]}); {advice}"
        ) from None
    if _MAYBE_BAD.search(text):  # one scan in C; the walk only when a string may be bad
        _check_strings(data, filename=filename, advice=advice)
    return data


#: Where a bad character can come from in JSON text: an escape (raw control characters
#: are not JSON) or a raw DEL or C1 character. A match only means "look closer".
_MAYBE_BAD = re.compile(r"\\u(?:00[01189]|007[fF]|[dD][89a-fA-F])|\\b|[\x7f-\x9f]")


def _check_strings(data: Any, *, filename: str, advice: str) -> None:
    """Raise StoryFormatError for the first string (or key) holding a bad character."""
    stack: list[tuple[Any, str]] = [(data, "$")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            problem = bad_character(value)
            if problem:
                raise StoryFormatError(f"{filename}: {path}: {problem}; {advice}")
        elif isinstance(value, dict):
            for key, item in value.items():
                problem = bad_character(key)
                if problem:
                    raise StoryFormatError(f"{filename}: {path}: a field name holds {problem}; "
                                           f"{advice}")
                stack.append((item, path + path_key(key)))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]") for i, item in enumerate(value))


def parse_json_object(text: str, *, filename: str, advice: str) -> dict[str, Any]:
    """Parse JSON that must be an object (a story, an analysis); raise StoryFormatError.

    >>> parse_json_object("[1]", filename="s.json", advice="rebuild it")
    Traceback (most recent call last):
    ...
    storymap.errors.StoryFormatError: s.json: expected a JSON object, got list
    """
    data = parse_json(text, filename=filename, advice=advice)
    if not isinstance(data, dict):
        raise StoryFormatError(f"{filename}: expected a JSON object, got {type(data).__name__}")
    return data


def _current_layout(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return ``data`` in today's layout, so stories written before it validate.

    The same upgrades ``_document``, ``_place`` and ``MentionRecord`` make when they
    build the story: a document's "path" is dropped, "name_hu" becomes "names", a mention
    gets its id. Only the parts that change are copied.
    """
    out = dict(data)
    docs, places, mentions = (data.get(k) for k in ("documents", "places", "mentions"))
    if isinstance(docs, list) and any(isinstance(d, dict) and "path" in d for d in docs):
        out["documents"] = [_without(d, "path") for d in docs]
    if isinstance(places, list) and any(isinstance(p, dict) and "name_hu" in p for p in places):
        out["places"] = [_names_by_language(p) for p in places]
    if isinstance(mentions, list) and any(isinstance(m, dict) and "id" not in m
                                          for m in mentions):
        out["mentions"] = [_with_id(m) for m in mentions]
    if isinstance(data.get("unresolved"), list):
        out["unresolved"] = [_with_id(m) for m in data["unresolved"]]
    return out


def _without(d: Any, key: str) -> Any:
    return {k: v for k, v in d.items() if k != key} if isinstance(d, dict) else d


def _names_by_language(p: Any) -> Any:
    if not isinstance(p, dict) or "name_hu" not in p:
        return p
    out = _without(p, "name_hu")
    names = out.get("names")
    if p["name_hu"] and (names is None or isinstance(names, dict)):
        out["names"] = {"hu": p["name_hu"], **(names or {})}
    out.setdefault("names", {})
    return out


def _with_id(m: Any) -> Any:
    if not isinstance(m, dict) or "id" in m:
        return m
    try:
        return {**m, "id": stable_id("m", m["doc"], m["start"], m["end"])}
    except (KeyError, TypeError):
        return m  # the schema says what is missing


def _check_consistent(data: Mapping[str, Any], *, filename: str) -> None:
    """Raise StoryFormatError for what the schema cannot say: ids used twice, dates that
    are not on the calendar, and events pointing at places, documents or offsets the story
    lacks."""
    places = {p["id"] for p in data["places"]}
    texts = {d["id"]: len(d["text"]) for d in data["documents"]}

    def fail(path: str, message: str) -> StoryFormatError:
        return StoryFormatError(f"{filename}: {path}: {message}; fix it or rebuild the story "
                                "with `storymap build`")

    # Corrections, the review list and links key on ids: two records with one id would
    # send a fix to the wrong one.
    for kind in ("documents", "places", "events", "mentions"):
        seen: set[str] = set()
        for i, record in enumerate(data.get(kind, ())):
            if record["id"] in seen:
                raise fail(f"$.{kind}[{i}].id",
                           f"expected an id no other record has, got {record['id'][:60]!r} again")
            seen.add(record["id"])

    for kind in ("events", "dates"):
        for i, record in enumerate(data[kind]):
            for name in ("date", "end_date"):
                value = record.get(name)
                if value is None:
                    continue
                try:
                    _date.fromisoformat((value + "-01-01")[:10])
                except ValueError:
                    raise fail(f"$.{kind}[{i}].{name}",
                               f"expected a date on the calendar, got {value!r}") from None
    for i, event in enumerate(data["events"]):
        for j, ref in enumerate(event["places"]):
            if ref["place_id"] not in places:
                raise fail(f"$.events[{i}].places[{j}].place_id",
                           f"expected the id of one of the story's places, got "
                           f"{ref['place_id'][:60]!r}")
        for j, src in enumerate(event["sources"]):
            if src["doc"] not in texts:
                raise fail(f"$.events[{i}].sources[{j}].doc",
                           f"expected the id of one of the story's documents, got "
                           f"{src['doc'][:60]!r}")
            if not src["start"] <= src["end"] <= texts[src["doc"]]:
                raise fail(f"$.events[{i}].sources[{j}]",
                           f"expected start ≤ end ≤ {texts[src['doc']]} (the text's length), "
                           f"got {src['start']}–{src['end']}")


def _document(d: Mapping[str, Any]) -> Document:
    # Stories written before 2026-12 kept the text's local path; it is dropped on load.
    return Document(**{k: v for k, v in d.items() if k != "path"})


def _place(p: Mapping[str, Any]) -> Place:
    fields = {**p, "lat": float(p["lat"]), "lon": float(p["lon"])}
    # Stories written before names were keyed by language carry a "name_hu" field.
    old_hu = fields.pop("name_hu", "")
    names = {str(k): str(v) for k, v in (fields.get("names") or {}).items()}
    if old_hu:
        names.setdefault("hu", str(old_hu))
    fields["names"] = names
    return Place(**fields)


def event_from_dict(e: Mapping[str, Any]) -> Event:
    """Build an Event from its ``asdict`` form (the story JSON's ``events[]``)."""
    fields: dict[str, Any] = dict(e)
    fields["places"] = tuple(PlaceRef(**r) for r in e["places"])
    fields["sources"] = tuple(SourceRef(**s) for s in e["sources"])
    fields["people"] = tuple(e.get("people", ()))
    # Stories written before the field existed: a date coarser than a day continues (the
    # language-dependent part, a sentence that looks back, is known only when texts are read).
    fields.setdefault("continuing", e.get("precision") != "day")
    return Event(**fields)
