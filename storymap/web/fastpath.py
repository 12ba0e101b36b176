"""``/api/story`` answered in front of Flask, from bytes prepared when the app was created.

The whole story is the one big, hot response (every page load fetches it), so it skips
Flask's request machinery: a plain WSGI middleware picks the gzip or identity bytes,
answers 304 when the client's ETag matches, and sets the same security headers as
every other response. Every other path goes on to Flask.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from werkzeug.http import parse_accept_header, parse_etags

from ..jsonhtml import json_bytes
from .index import Payload
from .security import security_headers

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

PATH = "/api/story"


class StoryFastPath:
    """WSGI middleware serving ``GET``/``HEAD /api/story``; everything else goes to ``app``."""

    def __init__(self, app: WSGIApplication, payload: Payload) -> None:
        self.app = app
        self.payload = payload
        common = [
            ("Cache-Control", "no-cache"),
            ("Vary", "Accept-Encoding"),
            *security_headers(frameable=False),
        ]
        self._identity = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(payload.identity))),
            ("ETag", f'"{payload.etag}"'),
            *common,
        ]
        self._gzip = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(payload.gzipped))),
            ("Content-Encoding", "gzip"),
            ("ETag", f'"{payload.etag_gzip}"'),
            *common,
        ]
        self._not_modified = {
            False: [("ETag", f'"{payload.etag}"'), *common],
            True: [("ETag", f'"{payload.etag_gzip}"'), *common],
        }
        self._not_allowed = json_bytes({"error": "only GET and HEAD are allowed", "status": 405})

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer ``/api/story`` here; pass any other request on to the Flask app."""
        if environ.get("PATH_INFO") != PATH:
            return self.app(environ, start_response)
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            start_response(
                "405 METHOD NOT ALLOWED",
                [
                    ("Content-Type", "application/json"),
                    ("Content-Length", str(len(self._not_allowed))),
                    ("Allow", "GET, HEAD"),
                    *security_headers(frameable=False),
                ],
            )
            return [self._not_allowed]
        accept = environ.get("HTTP_ACCEPT_ENCODING")
        gzipped = bool(accept) and parse_accept_header(accept)["gzip"] > 0
        etag = self.payload.etag_gzip if gzipped else self.payload.etag
        match = environ.get("HTTP_IF_NONE_MATCH")
        if match and parse_etags(match).contains_weak(etag):
            start_response("304 NOT MODIFIED", self._not_modified[gzipped])
            return []
        start_response("200 OK", self._gzip if gzipped else self._identity)
        if method == "HEAD":
            return []
        return [self.payload.gzipped if gzipped else self.payload.identity]
