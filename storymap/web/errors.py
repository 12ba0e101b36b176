"""Errors at the edge: a JSON body for the API and oEmbed, a small HTML page elsewhere.

The HTML page speaks the reader's language: every word on it comes from the interface
strings (``error_*`` in static/app/i18n.json), in the ``lang`` the URL asks for, else the
browser's. A bad view option (:class:`BadOption`) says what is wrong with it in that
language too; werkzeug's English descriptions are never shown on a page.
"""

from __future__ import annotations

from flask import Flask, Response, request
from markupsafe import escape
from werkzeug.exceptions import BadRequest, HTTPException

from ..outputs.jsonhtml import json_bytes
from ..outputs.options import LANGUAGES, OptionError, option_language
from ..outputs.strings import interface_strings, text

#: The longest error message sent back; the views already quote only short prefixes.
MAX_MESSAGE = 500

_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{code} {name} · storymap</title>
</head>
<body>
<main>
<h1>{code} {name}</h1>
<p>{description}</p>
{detail}<p><a href="{home}">{back}</a></p>
</main>
</body>
</html>
"""


class BadOption(BadRequest):
    """A 400 for a view option the page cannot use; the page says why in ``lang``."""

    def __init__(self, error: OptionError, *, lang: str) -> None:
        super().__init__(description=str(error))
        self.error = error
        self.lang = lang


def wants_json() -> bool:
    """Return True when the request is for the JSON API or oEmbed, which answer errors in JSON."""
    path = request.path
    return path.startswith("/api/") or path in ("/api", "/oembed", "/healthz")


def json_error(status: int, message: str) -> Response:
    """Return a JSON error response ``{"error": message, "status": status}``."""
    return Response(
        json_bytes({"error": message, "status": status}),
        status=status,
        mimetype="application/json",
    )


def page_language() -> str:
    """Return the language of an error page: the URL's ``lang`` if usable, else the browser's."""
    preferred = request.accept_languages.best_match(LANGUAGES, default=LANGUAGES[0])
    return option_language(request.args, preferred)


def error_page(code: int, *, lang: str, error: OptionError | None = None,
               english: str = "") -> str:
    """Return the HTML error page for status ``code`` in ``lang``; with ``error``, a line
    saying what is wrong with that option (its name and value as written in the URL); with
    ``english``, a message only said in English (marked as such)."""
    known = interface_strings()["en"]
    name_key = f"error_title_{code}" if f"error_title_{code}" in known else "error_title"
    text_key = f"error_text_{code}" if f"error_text_{code}" in known else "error_text"
    return _PAGE.format(
        lang=escape(lang),
        code=code,
        name=escape(text(lang, name_key)),
        description=escape(text(lang, text_key)),
        detail=(f'<p><strong><code translate="no">{escape(error.option)}={escape(error.value)}'
                f"</code>: {escape(error.reason(lang))}</strong></p>\n" if error is not None
                else f'<p lang="en">{escape(english)}</p>\n' if english else ""),
        home=escape(request.script_root + "/" + (f"?lang={lang}" if lang != "en" else "")),
        back=escape(text(lang, "error_back")),
    )


def handle_http_error(exc: HTTPException) -> Response:
    """Turn an HTTP error (404, 400, 405, 501...) into a JSON or an HTML response."""
    code = exc.code or 500
    description = exc.description or exc.name
    if len(description) > MAX_MESSAGE:  # a message quoting the request never echoes all of it
        description = description[:MAX_MESSAGE] + "…"
    if wants_json():
        response = json_error(code, description)
    else:
        bad = exc if isinstance(exc, BadOption) else None
        lang = bad.lang if bad else page_language()
        # Our own message (not werkzeug's stock text) is shown too, in English only.
        own = description if description != type(exc).description and not bad else ""
        response = Response(error_page(code, lang=lang, error=bad.error if bad else None,
                                       english=own), status=code, mimetype="text/html")
        response.headers["Content-Language"] = lang
    # Keep headers such as Allow (405) that the exception carries.
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def register_error_handlers(app: Flask) -> None:
    """Register the HTTP error handler on ``app`` (unhandled exceptions become a 500)."""
    app.register_error_handler(HTTPException, handle_http_error)
