"""The static files (``/static/...``) answered from memory, in front of Flask.

A page loads Leaflet and the app's bundled modules (``app/bundle.js``, made from
static/app/ by storymap.outputs.jsbundle; no file on disk) and, offline, the basemap
files: each is read once, kept with its gzip bytes and ETag, and answered without
Flask's request machinery — on a loaded classroom laptop that is most of a file's time.
A versioned URL (``?v=…``, which changes with the content) is cached by browsers for a
year; any other is revalidated (304). Only files inside the static folder are served
(werkzeug's ``safe_join``); a missing one, a file over MAX_FILE or another method goes on
to Flask (404, 405).
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from werkzeug.http import parse_accept_header, parse_etags
from werkzeug.security import safe_join

from ..outputs import assets
from .index import Payload
from .security import security_headers

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

PREFIX = "/static/"
#: Larger files are left to Flask (streamed from disk, not kept).
MAX_FILE = 4 * 1024 * 1024
#: Types worth compressing.
_TEXT = ("text/", "application/javascript", "application/json", "image/svg+xml")
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".json": "application/json"}  # fmt: skip


class StaticFiles:
    """WSGI middleware answering ``GET``/``HEAD /static/<file>`` from memory."""

    def __init__(self, app: WSGIApplication, folder: Path | None) -> None:
        self.app = app
        self.folder = folder
        self._kept: dict[str, tuple[str, Payload] | None] = {}
        self._lock = threading.Lock()

    def _file(self, name: str) -> tuple[str, Payload] | None:
        """Return (content type, payload) of static file ``name``, or None (not ours)."""
        with self._lock:
            if name in self._kept:
                return self._kept[name]
        found = self._read(name)
        with self._lock:
            self._kept[name] = found
        return found

    def _read(self, name: str) -> tuple[str, Payload] | None:
        try:
            data = assets.served_file(name).encode("utf-8")
        except KeyError:
            if self.folder is None:
                return None
            joined = safe_join(str(self.folder), name)
            if joined is None:
                return None
            path = Path(joined)
            if not path.is_file() or path.stat().st_size > MAX_FILE:
                return None
            data = path.read_bytes()
        suffix = Path(name).suffix.lower()
        kind = _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        payload = Payload.of_bytes(data, level=9)
        if not kind.startswith(_TEXT):
            payload = Payload(identity=data, gzipped=b"", etag=payload.etag, etag_gzip="")
        return kind, payload

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer a static file from memory; pass anything else on to the app."""
        path = str(environ.get("PATH_INFO", ""))
        method = environ.get("REQUEST_METHOD", "GET")
        if not path.startswith(PREFIX) or method not in ("GET", "HEAD"):
            return self.app(environ, start_response)
        found = self._file(path[len(PREFIX):])
        if found is None:
            return self.app(environ, start_response)
        kind, payload = found
        accept = environ.get("HTTP_ACCEPT_ENCODING")
        gzipped = bool(payload.gzipped) and bool(accept) and parse_accept_header(accept)["gzip"] > 0
        etag = payload.etag_gzip if gzipped else payload.etag
        versioned = "v=" in str(environ.get("QUERY_STRING", ""))
        headers = [
            ("ETag", f'"{etag}"'),
            # A versioned URL names one content for ever; any other is checked each time.
            ("Cache-Control", "public, max-age=31536000, immutable" if versioned else "no-cache"),
            ("Vary", "Accept-Encoding"),
            *security_headers(frameable=True),
        ]
        match = environ.get("HTTP_IF_NONE_MATCH")
        if match and parse_etags(match).contains_weak(etag):
            start_response("304 NOT MODIFIED", headers)
            return []
        body = payload.gzipped if gzipped else payload.identity
        headers += [("Content-Type", kind), ("Content-Length", str(len(body)))]
        if gzipped:
            headers.append(("Content-Encoding", "gzip"))
        start_response("200 OK", headers)
        return [] if method == "HEAD" else [body]
