"""The HTML routes: the map page (``/``) and the frameable embed (``/embed``)."""

from __future__ import annotations

from flask import Response, abort, request

from .blueprint import bp
from .options import LANGUAGES, OptionError, parse_options
from .state import render


def _html(mode: str) -> Response:
    """Check the URL options, render the page in ``mode`` and answer it (400 for bad options)."""
    preferred = None
    if "lang" not in request.args:
        preferred = request.accept_languages.best_match(LANGUAGES, default=LANGUAGES[0])
    try:
        view = parse_options(request.args, embed=mode == "embed", preferred_lang=preferred)
    except OptionError as exc:
        abort(400, description=str(exc))
    page = render(mode=mode, lang=view.lang, day=view.day, options=view.options)
    response = Response(page, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Accept-Language")
    return response


@bp.get("/")
def page() -> Response:
    """The map page: stepper, side panel, text view."""
    return _html("page")


@bp.get("/embed")
def embed() -> Response:
    """The compact map for iframes; options start, end, day, autoplay, controls, lang."""
    return _html("embed")
