"""The interface strings (``static/app/i18n.json``): one table per language, for every
string a page shows — its labels, its credits' framing, its error pages and the messages
of the view options.

Keys starting with ``SERVER_ONLY`` prefixes are used only here, in Python (error pages,
option messages); :func:`page_strings` leaves them out of what the page is sent, so the
standalone file does not carry them. Month and weekday names and the date patterns serve
both: the page writes its dates with them (no Intl formatter to build before first paint).
"""

from __future__ import annotations

import functools
import json

from . import assets

#: Keys the page never reads: option messages and error pages (Python only).
SERVER_ONLY = ("opt_", "error_")
#: Keys only the editor reads (``serve --edit``): sent with the edit page alone.
EDIT_ONLY = ("edit_",)
#: Server-only keys the editor also reads: it checks a typed date as the options do.
_EDIT_ALSO = ("opt_not_date", "opt_no_year_zero", "opt_no_month", "opt_no_day_zero",
              "opt_month_days", "months")


@functools.cache
def interface_strings() -> dict[str, dict[str, str]]:
    """Return every language's strings (the first language, English, is the fallback)."""
    strings: dict[str, dict[str, str]] = json.loads(assets.read_text(assets.I18N_PATH))
    return strings


@functools.cache
def page_strings() -> dict[str, dict[str, str]]:
    """Return the strings the page's script reads: all but the server-only keys."""
    return {lang: {k: v for k, v in table.items() if not k.startswith(SERVER_ONLY + EDIT_ONLY)}
            for lang, table in interface_strings().items()}  # fmt: skip


@functools.cache
def edit_strings() -> dict[str, dict[str, str]]:
    """Return the strings of the editor (``edit_…``, and the date messages it shares with
    the view options), which only the edit page is sent."""
    return {lang: {k: v for k, v in table.items()
                   if k.startswith(EDIT_ONLY) or k in _EDIT_ALSO}
            for lang, table in interface_strings().items()}  # fmt: skip


def text(lang: str | None, key: str, **params: object) -> str:
    """Return string ``key`` in ``lang`` (English when the language or the key is missing)
    with ``{name}`` placeholders filled from ``params``.

    >>> text("hu", "opt_month_days", month="február", year=1956, n=29)
    '1956. február 29 napos'
    """
    tables = interface_strings()
    table = tables.get(lang or "en") or tables["en"]
    out = table.get(key, tables["en"].get(key, key))
    for name, value in params.items():
        out = out.replace("{" + name + "}", str(value))
    return out


def month_name(lang: str | None, month: int) -> str:
    """Return the name of ``month`` (1–12) in ``lang``: ``month_name("en", 2)`` is "February"."""
    return text(lang, "months").split()[month - 1]
