"""The view options of a story page — one set, checked one way, for the served page, the
embed and the standalone export.

``day`` (the opening day), ``lang`` (interface language), and for the embed and the export
``start``/``end`` (the days shown), ``autoplay`` and ``controls``. A malformed value is an
:class:`OptionError` (a ConfigError) naming the option, what was expected and what came:
the CLI prints it on one line, the web app answers 400. An interface language we have no
strings for is not an error: the page falls back to English, so a link or an iframe with
``?lang=de`` still shows the map.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ..errors import ConfigError

#: Interface languages (static/app/i18n.json), the first one the fallback.
LANGUAGES = ("en", "hu")
CONTROLS = ("full", "minimal", "none")
#: The options an embed URL may carry, in the order they are written back.
EMBED_OPTIONS = ("start", "end", "day", "autoplay", "controls", "lang")
#: Modes that take the range and playback options; the full page has its own controls.
RANGE_MODES = ("embed", "standalone")
_TRUE = ("1", "true", "yes", "on", "")
_FALSE = ("0", "false", "no", "off")
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


class OptionError(ConfigError):
    """A view option with a value the page cannot use."""


@dataclass(frozen=True)
class ViewOptions:
    """Checked view options. ``lang`` None: no choice made (the reader's browser decides)."""

    lang: str | None = None
    day: str | None = None
    start: str | None = None
    end: str | None = None
    autoplay: bool = False
    controls: str = "full"

    def range_options(self) -> dict[str, str]:
        """Return start, end, autoplay and controls as URL values (only those that are set).

        >>> ViewOptions(start="1956-10-23", autoplay=True).range_options()
        {'start': '1956-10-23', 'autoplay': '1', 'controls': 'full'}
        """
        out = {k: v for k, v in (("start", self.start), ("end", self.end)) if v}
        if self.autoplay:
            out["autoplay"] = "1"
        out["controls"] = self.controls
        return out


def check_date(name: str, value: str) -> str:
    """Return ``value`` if it is a real calendar date as YYYY, YYYY-MM or YYYY-MM-DD.

    Raises OptionError otherwise.

    >>> check_date("day", "1956-10-23")
    '1956-10-23'
    >>> check_date("day", "1956-02-30")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    storymap.outputs.options.OptionError: day: expected a date as YYYY-MM-DD, ... got '1956-02-30'
    """
    ok = _DATE.fullmatch(value) is not None
    if ok:
        parts = [int(p) for p in value.split("-")] + [1, 1]
        try:
            date(parts[0], parts[1], parts[2])
        except ValueError:
            ok = False
    if not ok:
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise OptionError(f"{name}: expected a date as YYYY-MM-DD, YYYY-MM or YYYY, got {shown!r}")
    return value


def check_day(value: str) -> str:
    """Return ``value`` if it is a calendar day as YYYY-MM-DD; else raise OptionError."""
    shown = value if len(value) <= 40 else value[:40] + "…"
    if len(value) != 10:
        raise OptionError(f"expected a day as YYYY-MM-DD, got {shown!r}")
    try:
        return check_date("day", value)
    except OptionError:
        raise OptionError(f"expected a day as YYYY-MM-DD, got {shown!r}") from None


def choose_lang(value: str | None) -> str | None:
    """Return ``value`` if we have strings for it, "en" for any other language, None for none.

    >>> choose_lang("hu"), choose_lang("de"), choose_lang("")
    ('hu', 'en', None)
    """
    if value is None or value == "":
        return None
    return value if value in LANGUAGES else LANGUAGES[0]


def _text(args: Mapping[str, object], name: str) -> str | None:
    value = args.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise OptionError(f"{name}: expected text, got {type(value).__name__}")
    return value


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    lowered = str(value).lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise OptionError(f"autoplay: expected 1 or 0 (true/false), got {str(value)[:40]!r}")


def parse_options(
    args: Mapping[str, object] | None,
    *,
    mode: str = "standalone",
    preferred_lang: str | None = None,
) -> ViewOptions:
    """Check view options from a query string, an export's arguments or an embed URL.

    ``mode`` "page" ignores the range and playback options (the full page has its own
    controls); "embed" and "standalone" check them. ``preferred_lang`` (the browser's
    Accept-Language, already matched against LANGUAGES) is used when ``lang`` is absent.
    Unknown keys are ignored: the front end keeps its own state (place, view) in the URL.
    Raises OptionError for a malformed value.

    >>> parse_options({"day": "1956-10-23", "lang": "de", "controls": "none"})
    ViewOptions(lang='en', day='1956-10-23', start=None, end=None, autoplay=False, controls='none')
    """
    args = args or {}
    lang = choose_lang(_text(args, "lang")) or preferred_lang
    day = _text(args, "day")
    if day is not None:
        check_date("day", day)
    if mode not in RANGE_MODES:
        return ViewOptions(lang=lang, day=day)
    start, end = _text(args, "start"), _text(args, "end")
    if start is not None:
        check_date("start", start)
    if end is not None:
        check_date("end", end)
    # "-99" sorts after any day, so an end month or year includes all of its days.
    if start is not None and end is not None and start > end + "-99":
        raise OptionError(f"start ({start}) is after end ({end}); swap them")
    controls = _text(args, "controls") or "full"
    if controls not in CONTROLS:
        raise OptionError(
            f"controls: expected one of {', '.join(CONTROLS)}, got {controls[:40]!r}"
        )
    autoplay = args.get("autoplay")
    return ViewOptions(
        lang=lang,
        day=day,
        start=start,
        end=end,
        autoplay=False if autoplay is None else _flag(autoplay),
        controls=controls,
    )
