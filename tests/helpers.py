"""Helpers shared by the browser tests: a quiet static file server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_directory(folder: Path) -> Iterator[int]:
    """Serve ``folder`` over HTTP on a free 127.0.0.1 port; yield the port."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


if TYPE_CHECKING:
    from storymap.model import Story

#: What a browser test may load: the page itself and the loopback server, nothing else.
LOCAL = re.compile(r"^(file:|data:|blob:|about:|https?://127\.0\.0\.1[:/])")


def serve_story(story: Story) -> Iterator[str]:
    """Serve ``story``'s Flask app on 127.0.0.1 (a real socket, for iframes); yield its URL.

    A generator for module fixtures: ``yield from serve_story(story)``.
    """
    from werkzeug.serving import make_server

    from storymap.web import create_app

    httpd = make_server("127.0.0.1", 0, create_app(story), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()


def offline_context(browser: Any, width: int = 1280, height: int = 800, *,
                    locale: str = "en-GB", **extra: Any) -> Any:
    """A browser context of that size (and ``locale``: the browser's language) whose
    requests beyond LOCAL are refused."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale=locale,
                              **extra)
    ctx.route(lambda url: not LOCAL.match(url), lambda route: route.abort())
    return ctx
