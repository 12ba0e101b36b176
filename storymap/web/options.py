"""URL options of the page and the embed: parsed and checked before they reach the renderer.

``/`` takes ``day`` and ``lang``; ``/embed`` also takes ``start``, ``end``, ``autoplay`` and
``controls``. A malformed value is the caller's mistake: :class:`OptionError` says which
option, what was expected and what came, and the views answer it with 400.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..errors import ConfigError

#: Interface languages, the first one the default.
LANGUAGES = ("en", "hu")
CONTROLS = ("full", "minimal", "none")
EMBED_OPTIONS = ("start", "end", "day", "autoplay", "controls", "lang")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


class OptionError(ConfigError):
    """A URL option with a value the page cannot use."""


@dataclass(frozen=True)
class ViewOptions:
    """What the renderer gets: language, opening day and the embed's extra options."""

    lang: str
    day: str | None = None
    options: Mapping[str, str] = field(default_factory=dict)


def check_date(name: str, value: str) -> str:
    """Return ``value`` if it is an ISO date (YYYY, YYYY-MM or YYYY-MM-DD); else raise OptionError.

    >>> check_date("day", "1956-10-23")
    '1956-10-23'
    >>> check_date("day", "1956-02-30")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    storymap.web.options.OptionError: day: expected a date as YYYY-MM-DD, ... got '1956-02-30'
    """
    ok = _DATE.fullmatch(value) is not None
    if ok:
        parts = [int(p) for p in value.split("-")] + [1, 1]
        try:
            date(parts[0], parts[1], parts[2])
        except ValueError:
            ok = False
    if not ok:
        raise OptionError(f"{name}: expected a date as YYYY-MM-DD, YYYY-MM or YYYY, got {value!r}")
    return value


def check_day(value: str) -> str:
    """Return ``value`` if it is a calendar day as YYYY-MM-DD; else raise OptionError."""
    if len(value) != 10:
        raise OptionError(f"expected a day as YYYY-MM-DD, got {value!r}")
    try:
        return check_date("day", value)
    except OptionError:
        raise OptionError(f"expected a day as YYYY-MM-DD, got {value!r}") from None


def _choice(name: str, value: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise OptionError(f"{name}: expected one of {', '.join(choices)}, got {value!r}")
    return value


def _flag(name: str, value: str) -> str:
    lowered = value.lower()
    if lowered in _TRUE or lowered == "":
        return "1"
    if lowered in _FALSE:
        return "0"
    raise OptionError(f"{name}: expected 1 or 0 (true/false), got {value!r}")


def parse_options(
    args: Mapping[str, str], *, embed: bool, preferred_lang: str | None = None
) -> ViewOptions:
    """Check the URL options of ``/`` (``embed=False``) or ``/embed`` and return them.

    ``preferred_lang`` (from the browser's Accept-Language) is used when there is no
    ``lang`` option. Raises OptionError for a malformed value; unknown options are ignored
    because the front end keeps its own state (place, view) in the URL too.
    """
    lang = args.get("lang") or preferred_lang or LANGUAGES[0]
    lang = _choice("lang", lang, LANGUAGES)
    day = args.get("day") or None
    if day is not None:
        check_date("day", day)
    options: dict[str, str] = {}
    if embed:
        for name in ("start", "end"):
            if args.get(name):
                options[name] = check_date(name, args[name])
        if "start" in options and "end" in options and options["start"] > options["end"]:
            raise OptionError(
                f"start ({options['start']}) is after end ({options['end']}); swap them"
            )
        if "autoplay" in args:
            options["autoplay"] = _flag("autoplay", args["autoplay"])
        options["controls"] = _choice("controls", args.get("controls") or "full", CONTROLS)
    return ViewOptions(lang=lang, day=day, options=options)
