"""The HTML routes: the map page (``/``) and the frameable embed (``/embed``)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, abort, request

from ..errors import ConfigError
from ..outputs.options import LANGUAGES, OptionError, option_language, parse_options
from .blueprint import bp
from .errors import BadOption
from .origin import UntrustedHost, public_base
from .state import page as render_page


def _html(mode: str) -> Response:
    """Check the URL options, render the page in ``mode`` and answer it (400 for bad options,
    saying what is wrong in the page's language)."""
    preferred = request.accept_languages.best_match(LANGUAGES, default=LANGUAGES[0])
    try:
        view = parse_options(request.args, mode=mode, preferred_lang=preferred)
        options = view.range_options() if mode == "embed" else {}
        # The day is checked here and read by the page from its own URL: one page serves
        # every day (made before the first visit, storymap.web.warm), not one per day.
        page = render_page(mode=mode, lang=view.lang or preferred, day=None, options=options)
    except OptionError as exc:
        raise BadOption(exc, lang=option_language(request.args, preferred)) from None
    except ConfigError as exc:  # an option the renderer refuses
        abort(400, description=str(exc))
    gzipped = request.accept_encodings["gzip"] > 0
    response = Response(page.gzipped if gzipped else page.identity, mimetype="text/html")
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.set_etag(page.etag_gzip if gzipped else page.etag)
    response.headers["Cache-Control"] = "no-cache"
    response.vary.update(("Accept-Language", "Accept-Encoding"))
    _link_oembed(response)
    response.make_conditional(request)  # 304 when If-None-Match names this page
    return response


def _link_oembed(response: Response) -> None:
    """Add the oEmbed discovery header (for consumers that read headers, not <link>).

    Only with an address this server knows is its own: never from a forged Host.
    """
    try:
        base = public_base()
    except UntrustedHost:
        return
    query = urlencode({"url": base + request.full_path.rstrip("?"), "format": "json"})
    response.headers["Link"] = (
        f'<{base}/oembed?{query}>; rel="alternate"; type="application/json+oembed"'
    )


@bp.get("/")
def page() -> Response:
    """The map page: stepper, side panel, text view."""
    return _html("page")


@bp.get("/embed")
def embed() -> Response:
    """The compact map for iframes; options start, end, day, autoplay, controls, lang."""
    return _html("embed")
