"""The web app: a Flask app factory serving one story as a map page, an embed and a JSON API.

    create_app(story) ─┬─ fastpath.py  /api/story  (precomputed bytes, ETag, gzip)
                       ├─ statics.py /static/...  (from memory: the app's bundle, Leaflet,
                       │             the basemaps; gzip, ETag, a year for versioned URLs)
                       ├─ views.py   /  and  /embed   (pages.py: rendered once per options
                       │             by storymap.outputs.render, kept gzipped with an ETag;
                       │             warm() renders them before the server answers)
                       ├─ api.py     /api/days, /api/days/<day>, /api/places/<id>,
                       │             /api/text, /oembed, /healthz   (JSON)
                       ├─ errors.py  JSON errors for the API, a small HTML page elsewhere
                       └─ security.py  CSP, framing, nosniff, referrer policy on every response

The web side imports the Story model only, never the text stages; Flask is imported
when an app is created, so ``import storymap`` stays fast.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import Story

if TYPE_CHECKING:
    from flask import Flask

    from .pages import Renderer

__all__ = ["create_app", "warm"]


def create_app(
    story: Story,
    *,
    testing: bool = False,
    renderer: Renderer | None = None,
    base_url: str | None = None,
    trusted_hosts: Sequence[str] | None = None,
    allowed_hosts: Sequence[str] | None = None,
) -> Flask:
    """Return a Flask app serving ``story``; its JSON is prepared once, here.

    ``renderer`` replaces ``storymap.outputs.render.render_page`` (tests use it to see what the
    views pass). ``base_url`` is the server's public address (for oEmbed and the links it
    writes about itself); without it, the request's Host is used only if it is one of
    ``trusted_hosts`` (default: localhost, 127.0.0.1, ::1). Raises ValueError for a
    malformed ``base_url``. ``allowed_hosts`` (for a server bound to loopback) are the only
    Host names it answers; any other gets 400 (DNS rebinding; origin.HostGate). Request
    bodies over origin.MAX_BODY are refused (413) before they are read. The app serves
    ``/static`` from the bundled static directory and never sets cookies.
    """

    from ..resources import data_dir
    from . import api, views  # noqa: F401  (they add their routes to the blueprint)
    from .blueprint import bp
    from .errors import register_error_handlers
    from .fastpath import PageMemo, StoryFastPath
    from .index import build_index
    from .origin import BASE_URL, LOOPBACK, MAX_BODY, TRUSTED_HOSTS, HostGate, check_base_url
    from .pages import Pages
    from .security import add_security_headers
    from .state import EXTENSION, WebState
    from .statics import StaticFiles

    try:
        static: str | None = str(data_dir("static"))
    except FileNotFoundError:
        static = None
    app = _app_class()(__name__, static_folder=static, static_url_path="/static",
                       template_folder=None)
    if allowed_hosts:
        app.host_gate = HostGate(app.wsgi_call, allowed_hosts)  # type: ignore[attr-defined]
    app.testing = testing
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.config[BASE_URL] = check_base_url(base_url) if base_url else None
    app.config[TRUSTED_HOSTS] = tuple(trusted_hosts) if trusted_hosts else LOOPBACK
    index = build_index(story)
    app.extensions[EXTENSION] = WebState(index=index, pages=Pages(story, renderer))
    app.register_blueprint(bp)
    register_error_handlers(app)
    app.after_request(add_security_headers)
    # The memo forgets its pages when the served story is swapped (edit mode does).
    memo = PageMemo(app.wsgi_app, generation=lambda: app.extensions[EXTENSION].index)
    files = StaticFiles(memo, Path(static) if static else None)
    app.wsgi_app = StoryFastPath(files, index.payload)  # type: ignore[method-assign]
    return app


def warm(app: Flask) -> None:
    """Make what a first visit needs before the server answers anyone: the pages of every
    interface language (page and embed, the options the browser adds itself left to the
    URL), the static files, and Flask's own first-request work. ``storymap serve`` calls
    it before it forks its workers, so every process answers its first visit at once."""
    from ..outputs import assets
    from ..outputs.options import LANGUAGES, ViewOptions
    from .state import EXTENSION, WebState

    state: WebState = app.extensions[EXTENSION]
    for lang in LANGUAGES:
        state.pages.page(mode="page", lang=lang, day=None, options={})
        state.pages.page(mode="embed", lang=lang, day=None, options=ViewOptions().range_options())
    client = app.test_client()
    for url in ("/", "/embed", assets.bundle_url("/static/"),
                "/static/vendor/leaflet/leaflet.js?v=1.9.4", "/healthz"):
        client.get(url, headers={"Accept-Encoding": "gzip"})



@functools.cache
def _app_class() -> type[Flask]:
    """Flask with a Host gate in front of everything, the /api/story fast path included
    (edit mode swaps ``wsgi_app``; the gate stays). Made on first use: Flask is imported
    only when an app is."""
    from flask import Flask

    class App(Flask):
        host_gate: Any = None

        def wsgi_call(self, environ: Any, start_response: Any) -> Any:
            return self.wsgi_app(environ, start_response)

        def __call__(self, environ: Any, start_response: Any) -> Any:
            gate = self.host_gate
            if gate is not None:
                return gate(environ, start_response)
            return self.wsgi_app(environ, start_response)

    return App
