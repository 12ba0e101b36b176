"""The view options of a story page — one set, checked one way, for the served page, the
embed, oEmbed and the standalone export (and so the CLI).

``day`` (the opening day), ``lang`` (interface language), and for the embed and the export
``start``/``end`` (the days shown), ``autoplay`` and ``controls``. A value the page cannot
use is an :class:`OptionError` (a ConfigError) that says what is wrong with it, not only
what was expected: "day=1956-02-30: February 1956 has 29 days", "day=23-10-1956: write the
year first: 1956-10-23". Its message is in the interface strings (static/app/i18n.json,
keys ``opt_*``), so a Hungarian page's error says it in Hungarian; ``str()`` is English
(the CLI's and the JSON API's). An interface language we have no strings for is not an
error on a page: it falls back to English, so a link or an iframe with ``?lang=de`` still
shows the map; the CLI, which writes a file in the language asked for, refuses it
(``strict_lang``). A value that is no language code at all is an error everywhere.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import ConfigError
from . import strings

#: Interface languages (static/app/i18n.json), the first one the fallback.
LANGUAGES = ("en", "hu")
#: What a reader may write for one of them instead of its code (lower case).
LANGUAGE_NAMES = {"en": ("english", "angol"), "hu": ("magyar", "hungarian")}
CONTROLS = ("full", "minimal", "none")
#: The options an embed URL may carry, in the order they are written back.
EMBED_OPTIONS = ("start", "end", "day", "autoplay", "controls", "lang")
#: Modes that take the range and playback options; the full page has its own controls.
RANGE_MODES = ("embed", "standalone")
_TRUE = ("1", "true", "yes", "on", "")
_FALSE = ("0", "false", "no", "off")
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_LOOSE_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?\.?")
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_LANG_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")
_SHOWN = 40


class OptionError(ConfigError):
    """A view option with a value the page cannot use, and why.

    ``option`` is its name (day, start, end, lang, controls, autoplay), ``value`` what came
    (cut to 40 characters), ``key`` and ``params`` the reason in the interface strings.
    """

    def __init__(self, option: str, value: str, key: str, **params: object) -> None:
        self.option = option
        self.value = value if len(value) <= _SHOWN else value[:_SHOWN] + "…"
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def reason(self, lang: str | None = "en") -> str:
        """Return what is wrong, in ``lang``: "February 1956 has 29 days"."""
        params = {k: (v(lang) if callable(v) else v) for k, v in self.params.items()}
        return strings.text(lang, self.key, **params)

    def message(self, lang: str | None = "en") -> str:
        """Return the one-line message in ``lang``: "day=1956-02-30: February 1956 has 29 days"."""
        return f"{self.option}={self.value}: {self.reason(lang)}"


def _month(month: int) -> object:
    # The month's name in the message's language, chosen when the message is written.
    return lambda lang: strings.month_name(lang, month)


def _date_error(name: str, value: str) -> OptionError | None:
    """Return the error of a date option's value (YYYY, YYYY-MM or YYYY-MM-DD), or None."""
    iso = _ISO.fullmatch(value)
    if iso is None:
        loose = _LOOSE_ISO.fullmatch(value)
        if loose is not None:
            y, m, d = loose.group(1), int(loose.group(2)), loose.group(3)
            fixed = f"{y}-{m:02d}" + (f"-{int(d):02d}" if d else "")
            if _date_error(name, fixed) is None:
                key = "opt_hyphens" if re.search(r"[/.]", value) else "opt_two_digits"
                return OptionError(name, value, key, iso=fixed)
        day_first = _DAY_FIRST.fullmatch(value)
        if day_first is not None:
            a, b, y = int(day_first.group(1)), int(day_first.group(2)), day_first.group(3)
            readings = [f"{y}-{m:02d}-{d:02d}" for d, m in ((a, b), (b, a))
                        if _date_error(name, f"{y}-{m:02d}-{d:02d}") is None]  # fmt: skip
            readings = list(dict.fromkeys(readings))
            if len(readings) == 1:
                return OptionError(name, value, "opt_year_first", iso=readings[0])
            if len(readings) == 2:
                return OptionError(name, value, "opt_year_first_either", a=readings[0],
                                   b=readings[1])  # fmt: skip
        return OptionError(name, value, "opt_not_date")
    year, month, day = int(iso.group(1)), iso.group(2), iso.group(3)
    if year == 0:
        return OptionError(name, value, "opt_no_year_zero")
    if month is not None and not 1 <= int(month) <= 12:
        return OptionError(name, value, "opt_no_month", month=int(month))
    if day is not None and month is not None:
        if int(day) == 0:
            return OptionError(name, value, "opt_no_day_zero")
        days = calendar.monthrange(year, int(month))[1]
        if int(day) > days:
            return OptionError(name, value, "opt_month_days", month=_month(int(month)),
                               year=year, n=days)  # fmt: skip
    return None


def check_date(name: str, value: str) -> str:
    """Return ``value`` if it is a real calendar date as YYYY, YYYY-MM or YYYY-MM-DD.

    Raises OptionError saying what is wrong otherwise.

    >>> check_date("day", "1956-10-23")
    '1956-10-23'
    >>> check_date("day", "1956-02-30")
    Traceback (most recent call last):
    ...
    storymap.outputs.options.OptionError: day=1956-02-30: February 1956 has 29 days
    >>> check_date("start", "23.10.1956")
    Traceback (most recent call last):
    ...
    storymap.outputs.options.OptionError: start=23.10.1956: write the year first: 1956-10-23
    """
    error = _date_error(name, value)
    if error is not None:
        raise error
    return value


def check_day(value: str, *, name: str = "day") -> str:
    """Return ``value`` if it is a calendar day as YYYY-MM-DD; else raise OptionError.

    >>> check_day("1956-10")
    Traceback (most recent call last):
    ...
    storymap.outputs.options.OptionError: day=1956-10: expected a day as YYYY-MM-DD, not a month
    """
    check_date(name, value)
    if len(value) != 10:
        key = "opt_not_day_month" if len(value) == 7 else "opt_not_day_year"
        raise OptionError(name, value, key)
    return value


def check_lang(value: str, *, strict: bool = False) -> str:
    """Return the interface language for ``value``: ours as it is ("hu", "HU", "hu-HU"),
    English for another language's code ("de") unless ``strict``.

    Raises OptionError for a value that is no language code ("magyar": write hu), and,
    when ``strict``, for a language we have no strings for.

    >>> check_lang("hu-HU"), check_lang("de")
    ('hu', 'en')
    >>> check_lang("Magyar")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    storymap.outputs.options.OptionError: lang=Magyar: ...: for Magyar write hu
    """
    tag = _LANG_TAG.fullmatch(value)
    if tag is None or len(value) > 35:
        for code, names in LANGUAGE_NAMES.items():
            if value.strip().lower() in names:
                return _raise_lang_name(value, code)
        raise OptionError("lang", value, "opt_lang_code")
    code = tag.group(1).lower()
    if code in LANGUAGES:
        return code
    if strict:
        raise OptionError("lang", value, "opt_lang_missing", codes=", ".join(LANGUAGES))
    return LANGUAGES[0]


def _raise_lang_name(value: str, code: str) -> str:
    raise OptionError("lang", value, "opt_lang_name", name=value.strip(), code=code)


def choose_lang(value: str | None, *, strict: bool = False) -> str | None:
    """Return :func:`check_lang` of ``value``, or None when no language was asked.

    >>> choose_lang("hu"), choose_lang("de"), choose_lang("")
    ('hu', 'en', None)
    """
    if value is None or value == "":
        return None
    return check_lang(value, strict=strict)


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


def _text(args: Mapping[str, object], name: str) -> str | None:
    value = args.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise OptionError(name, type(value).__name__, "opt_text")
    return value


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    lowered = str(value).lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise OptionError("autoplay", str(value), "opt_autoplay")


def parse_options(
    args: Mapping[str, object] | None,
    *,
    mode: str = "standalone",
    preferred_lang: str | None = None,
    strict_lang: bool = False,
) -> ViewOptions:
    """Check view options from a query string, an export's arguments or an embed URL.

    ``mode`` "page" ignores the range and playback options (the full page has its own
    controls); "embed" and "standalone" check them. ``preferred_lang`` (the browser's
    Accept-Language, already matched against LANGUAGES) is used when ``lang`` is absent;
    ``strict_lang`` refuses a language without strings (the CLI) instead of falling back.
    Unknown keys are ignored: the front end keeps its own state (place, view) in the URL.
    Raises OptionError saying what is wrong with a value.

    >>> parse_options({"day": "1956-10-23", "lang": "de", "controls": "none"})
    ViewOptions(lang='en', day='1956-10-23', start=None, end=None, autoplay=False, controls='none')
    """
    args = args or {}
    lang = choose_lang(_text(args, "lang"), strict=strict_lang) or preferred_lang
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
        raise OptionError("start", start, "opt_after", start=start, end=end)
    controls = _text(args, "controls") or "full"
    if controls not in CONTROLS:
        raise OptionError("controls", controls, "opt_controls", choices=", ".join(CONTROLS))
    autoplay = args.get("autoplay")
    return ViewOptions(
        lang=lang,
        day=day,
        start=start,
        end=end,
        autoplay=False if autoplay is None else _flag(autoplay),
        controls=controls,
    )


def option_language(args: Mapping[str, object], preferred: str | None) -> str:
    """Return the language to tell a reader about a bad option in: the ``lang`` asked for
    if it is usable, else ``preferred`` (the browser's), else English."""
    value = args.get("lang")
    if isinstance(value, str) and value:
        try:
            return check_lang(value)
        except OptionError as exc:  # "?lang=magyar" is refused, but in Hungarian
            code = exc.params.get("code")
            if isinstance(code, str):
                return code
    return preferred or LANGUAGES[0]
