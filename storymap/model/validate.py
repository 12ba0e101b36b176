"""Check story JSON against storymap/schema/story.schema.json, with a one-line message.

A small validator for the part of JSON Schema (2020-12) the story schema uses, compiled
once into nested checks. We do not use the ``jsonschema`` package at run time: it would
add four packages (one compiled) to every install for one file, and it is slower on a
story of a long text (hundreds of thousands of mention records). The schema file stays
the one description of the format: a keyword this module does not know is refused when
the schema is compiled (and a test compiles it), so a schema change cannot be ignored
silently; tests/test_schema.py checks this validator agrees with ``jsonschema``.

The message names the file, the JSON path of the first problem, what was expected and
what came: ``story.json: $.events[3].date: expected a string matching ^[0-9]{4}$, got 123``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import Any

from ..errors import ConfigError, StoryFormatError

__all__ = ["compile_schema", "story_schema", "validate_story"]

Check = Callable[[Any], None]

#: Keywords that only describe; they never fail a value.
_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "$comment", "examples",
                          "default", "$defs", "definitions"})
_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
                        and math.isfinite(v),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class Invalid(Exception):
    """A value that does not match: the path to it (built while unwinding) and why."""

    def __init__(self, expected: str, got: Any) -> None:
        super().__init__(expected)
        self.expected = expected
        self.got = got
        self.path: list[str | int] = []
        self.depth = 0  # how deep the check went before failing: the best anyOf branch

    def where(self) -> str:
        """Return the JSON path of the value, like ``$.events[3].date``."""
        out = "$"
        for part in reversed(self.path):
            out += f"[{part}]" if isinstance(part, int) else path_key(part)
        return out


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")


def path_key(key: str) -> str:
    r"""Return one step of a JSON path for an object's ``key``, safe in a one-line message.

    A plain name is ``.name``; anything else (a newline, quotes, 200 characters) is quoted
    as JSON and cut, so a hostile field name cannot break the message's line.

    >>> path_key("date"), path_key("a\nb")
    ('.date', '["a\\nb"]')
    """
    if _NAME.fullmatch(key):
        return f".{key}"
    return f"[{json.dumps(key[:40])}]"


class Said(str):
    """What came, already put in words (not a JSON value to quote)."""


def _short(value: Any) -> str:
    if isinstance(value, Said):
        return str(value)
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _nested(check: Check, value: Any, key: str | int) -> None:
    try:
        check(value)
    except Invalid as exc:
        exc.path.append(key)
        exc.depth += 1
        raise


def compile_schema(schema: Mapping[str, Any]) -> Check:
    """Return a function that raises Invalid for a value ``schema`` does not accept.

    Raises ConfigError for a keyword this validator does not implement.
    """
    defs: Mapping[str, Any] = schema.get("$defs", {})
    compiled: dict[str, Check] = {}

    def ref(name: str) -> Check:
        def check(value: Any) -> None:
            compiled[name](value)

        return check

    def build(node: Any) -> Check:
        if node is True or node == {}:
            return lambda value: None
        if node is False:
            def never(value: Any) -> None:
                raise Invalid("nothing here", value)
            return never
        checks: list[Check] = []
        for key, arg in node.items():
            if key in _ANNOTATIONS:
                continue
            maker = _KEYWORDS.get(key)
            if maker is None:
                if key in ("then", "else"):
                    continue  # compiled with "if"
                raise ConfigError(f"story schema: keyword {key!r} is not supported by "
                                  "storymap.model.validate; add it there")
            checks.append(maker(arg, node, build, ref))
        if len(checks) == 1:
            return checks[0]

        def all_of(value: Any) -> None:
            for check in checks:
                check(value)

        return all_of

    for name, node in defs.items():
        compiled[name] = build(node)
    return build(schema)


Builder = Callable[[Any], Check]
Ref = Callable[[str], Check]


def _type(arg: Any, node: Any, build: Builder, ref: Ref) -> Check:
    names = [arg] if isinstance(arg, str) else list(arg)
    tests = [_TYPES[n] for n in names]
    expected = " or ".join("null" if n == "null" else ("an " if n[0] in "aeiou" else "a ") + n
                           for n in names)
    plain = {"object": dict, "array": list, "string": str}
    if len(names) == 1 and names[0] in plain:  # the common case, checked most often
        kind = plain[names[0]]

        def check_one(value: Any) -> None:
            if type(value) is not kind and not isinstance(value, kind):
                raise Invalid(expected, value)

        return check_one

    def check(value: Any) -> None:
        for test in tests:
            if test(value):
                return
        raise Invalid(expected, value)

    return check


def _const(arg: Any, node: Any, build: Builder, ref: Ref) -> Check:
    def check(value: Any) -> None:
        if value != arg or isinstance(value, bool) != isinstance(arg, bool):
            raise Invalid(_short(arg), value)

    return check


def _enum(arg: Any, node: Any, build: Builder, ref: Ref) -> Check:
    expected = "one of " + ", ".join(_short(a) for a in arg)

    def check(value: Any) -> None:
        if not any(value == a and type(value) is type(a) for a in arg):
            raise Invalid(expected, value)

    return check


def _pattern(arg: Any, node: Any, build: Builder, ref: Ref) -> Check:
    regex = re.compile(arg)

    def check(value: Any) -> None:
        if isinstance(value, str) and not regex.search(value):
            raise Invalid(f"a string matching {arg}", value)

    return check


def _bound(name: str, ok: Callable[[float, float], bool], what: str) -> Any:
    def make(arg: Any, node: Any, build: Builder, ref: Ref) -> Check:
        def check(value: Any) -> None:
            if _TYPES["number"](value) and not ok(value, arg):
                raise Invalid(f"a number {what} {arg}", value)
        return check
    return make


def _length(kind: type[str] | type[list[Any]], ok: Callable[[int, int], bool], what: str) -> Any:
    def make(arg: Any, node: Any, build: Builder, ref: Ref) -> Check:
        def check(value: Any) -> None:
            if isinstance(value, kind) and not ok(len(value), arg):
                raise Invalid(what.format(arg), value)
        return check
    return make


def _required(arg: Any, node: Any, build: Builder, ref: Ref) -> Check:
    names = tuple(arg)

    def check(value: Any) -> None:
        if isinstance(value, dict):
            for name in names:
                if name not in value:
                    raise Invalid(f'a "{name}" field', Said("an object without it"))

    return check


def _properties(arg: Any, node: Any, build: Builder, ref: Ref) -> Check:
    props = {name: build(sub) for name, sub in arg.items()}
    extra = node.get("additionalProperties", True)
    extra_check = None if isinstance(extra, bool) else build(extra)

    def check(value: Any) -> None:
        if not isinstance(value, dict):
            return
        for key, item in value.items():
            sub = props.get(key)
            if sub is not None:
                _nested(sub, item, key)
            elif extra is False:
                raise Invalid(f"only the fields {', '.join(props)}", Said(f"a field {key!r}"))
            elif extra_check is not None:
                _nested(extra_check, item, key)

    return check


def _additional(arg: Any, node: Any, build: Builder, ref: Ref) -> Check:
    if "properties" in node:
        return lambda value: None  # checked with "properties"
    return _properties({}, node, build, ref)


def _property_names(arg: Any, node: Any, build: Builder, ref: Ref) -> Check:
    sub = build(arg)

    def check(value: Any) -> None:
        if isinstance(value, dict):
            for key in value:
                try:
                    sub(key)
                except Invalid as exc:
                    raise Invalid(f"field names that are {exc.expected}",
                                  Said(f"a field {_short(key)}")) from None

    return check


def _items(arg: Any, node: Any, build: Builder, ref: Ref) -> Check:
    sub = build(arg)

    def check(value: Any) -> None:
        if isinstance(value, list):
            for i, item in enumerate(value):
                _nested(sub, item, i)

    return check


def _ref(arg: Any, node: Any, build: Builder, ref: Ref) -> Check:
    if not arg.startswith("#/$defs/"):
        raise ConfigError(f"story schema: only local #/$defs/ references are supported, "
                          f"got {arg!r}")
    return ref(arg.removeprefix("#/$defs/"))


def _all_of(arg: Any, node: Any, build: Builder, ref: Ref) -> Check:
    checks = [build(sub) for sub in arg]

    def check(value: Any) -> None:
        for sub in checks:
            sub(value)

    return check


def _any_of(arg: Any, node: Any, build: Builder, ref: Ref) -> Check:
    checks = [build(sub) for sub in arg]

    def check(value: Any) -> None:
        failures = []
        for sub in checks:
            try:
                sub(value)
                return
            except Invalid as exc:
                failures.append(exc)
        deepest = max(failures, key=lambda e: (e.depth, len(e.path)))
        if deepest.depth > 0:
            raise deepest  # the branch that matched the value's shape says most
        raise Invalid(" or ".join(dict.fromkeys(e.expected for e in failures)), value)

    return check


def _if(arg: Any, node: Any, build: Builder, ref: Ref) -> Check:
    test = build(arg)
    then = build(node["then"]) if "then" in node else None
    other = build(node["else"]) if "else" in node else None

    def check(value: Any) -> None:
        try:
            test(value)
        except Invalid:
            if other is not None:
                other(value)
            return
        if then is not None:
            then(value)

    return check


_KEYWORDS: dict[str, Callable[[Any, Any, Builder, Ref], Check]] = {
    "type": _type,
    "const": _const,
    "enum": _enum,
    "pattern": _pattern,
    "minimum": _bound("minimum", lambda v, a: v >= a, "≥"),
    "maximum": _bound("maximum", lambda v, a: v <= a, "≤"),
    "exclusiveMinimum": _bound("exclusiveMinimum", lambda v, a: v > a, ">"),
    "exclusiveMaximum": _bound("exclusiveMaximum", lambda v, a: v < a, "<"),
    "minLength": _length(str, lambda n, a: n >= a, "a string of at least {} characters"),
    "maxLength": _length(str, lambda n, a: n <= a, "a string of at most {} characters"),
    "minItems": _length(list, lambda n, a: n >= a, "an array of at least {} items"),
    "maxItems": _length(list, lambda n, a: n <= a, "an array of at most {} items"),
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional,
    "propertyNames": _property_names,
    "items": _items,
    "$ref": _ref,
    "allOf": _all_of,
    "anyOf": _any_of,
    "if": _if,
}


@cache
def story_schema() -> Mapping[str, Any]:
    """Return the story JSON Schema shipped in the package."""
    text = resources.files("storymap").joinpath("schema", "story.schema.json").read_text(
        encoding="utf-8")
    loaded: Mapping[str, Any] = json.loads(text)
    return loaded


@cache
def _story_check() -> Check:
    return compile_schema(story_schema())


def validate_story(data: Any, *, filename: str) -> None:
    """Raise StoryFormatError (one line: file, JSON path, expected, got) unless ``data``
    matches the story schema."""
    try:
        _story_check()(data)
    except Invalid as exc:
        raise StoryFormatError(
            f"{filename}: {exc.where()}: expected {exc.expected}, got {_short(exc.got)}; "
            "fix it or rebuild the story with `storymap build`"
        ) from None
