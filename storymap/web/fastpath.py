"""Answers given in front of Flask: ``/api/story`` from bytes prepared when the app was
created, and repeated page requests (PageMemo) from the views' own earlier answers.

The whole story is the one big, hot response (every page load fetches it), so it skips
Flask's request machinery: a plain WSGI middleware picks the gzip or identity bytes,
answers 304 when the client's ETag matches, and sets the same security headers as
every other response. Every other path goes on to Flask.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from werkzeug.http import parse_accept_header, parse_etags, unquote_etag

from ..outputs.jsonhtml import json_bytes
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


#: Pages the memo answers; their view reads only the inputs in PageMemo's key.
PAGE_PATHS = frozenset({"/", "/embed"})
#: Responses kept by the memo (each a few hundred KB).
MEMO_SIZE = 32


class PageMemo:
    """WSGI middleware that replays the app's ``200`` answers for ``GET /`` and ``GET /embed``.

    The views already render each page once (storymap.web.pages); this skips Flask's
    request machinery for a repeated request, which is most of what is left of a page's
    time. The key holds everything the views read — path, query, Accept-Language, whether
    gzip is accepted, Host, scheme and script root — so a replay is byte for byte what the
    view would answer; If-None-Match is answered here (304) from the kept ETag. Answers
    that are not 200, or carry a per-request CSP nonce, are never kept. ``generation``
    names the story being served (edit mode swaps it): when it changes, all is forgotten.
    """

    def __init__(
        self,
        app: WSGIApplication,
        *,
        generation: Callable[[], object] = lambda: None,
        size: int = MEMO_SIZE,
    ) -> None:
        self.app = app
        self.size = size
        self.generation = generation
        self._seen_generation: object = None
        self._memo: OrderedDict[tuple[str, ...], _Kept] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Replay a kept page, or ask the app and keep its answer."""
        if environ.get("PATH_INFO") not in PAGE_PATHS or environ.get("REQUEST_METHOD") != "GET":
            return self.app(environ, start_response)
        accept = environ.get("HTTP_ACCEPT_ENCODING")
        key = (
            str(environ.get("PATH_INFO")),
            str(environ.get("QUERY_STRING", "")),
            str(environ.get("HTTP_ACCEPT_LANGUAGE", "")),
            "gzip" if accept and parse_accept_header(accept)["gzip"] > 0 else "",
            str(environ.get("HTTP_HOST", "")),
            str(environ.get("wsgi.url_scheme", "")),
            str(environ.get("SCRIPT_NAME", "")),
        )
        generation = self.generation()
        with self._lock:
            if generation is not self._seen_generation:
                self._memo.clear()
                self._seen_generation = generation
            kept = self._memo.get(key)
            if kept is not None:
                self._memo.move_to_end(key)
        if kept is None:
            return self._ask(key, environ, start_response)
        match = environ.get("HTTP_IF_NONE_MATCH")
        if match and parse_etags(match).contains_weak(kept.etag):
            start_response("304 NOT MODIFIED", kept.not_modified)
            return []
        start_response("200 OK", kept.headers)
        return [kept.body]

    def _ask(
        self, key: tuple[str, ...], environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        # Ask without If-None-Match, so the answer is the full page that can be kept.
        plain = {k: v for k, v in environ.items() if k != "HTTP_IF_NONE_MATCH"}
        seen: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen[:] = [status, headers]
            return lambda data: None  # the app returns its body; nothing writes here

        iterable = self.app(plain, capture)
        try:
            body = b"".join(iterable)
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()
        status, headers = seen
        kept = _Kept.of(headers, body) if status.startswith("200 ") else None
        if kept is not None and kept.cacheable:
            with self._lock:
                # Not kept if the story was swapped while this page was being made.
                if self.generation() is self._seen_generation:
                    self._memo[key] = kept
                    while len(self._memo) > self.size:
                        self._memo.popitem(last=False)
        match = environ.get("HTTP_IF_NONE_MATCH")
        if kept is not None and match and parse_etags(match).contains_weak(kept.etag):
            start_response("304 NOT MODIFIED", kept.not_modified)
            return []
        start_response(status, headers)
        return [body]


@dataclass(frozen=True)
class _Kept:
    """One page answer: its headers and body, and the headers of its 304."""

    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    not_modified: list[tuple[str, str]]
    cacheable: bool

    @classmethod
    def of(cls, headers: list[tuple[str, str]], body: bytes) -> _Kept:
        """Return the kept form of a 200 answer (``cacheable`` False: answer it, keep it not)."""
        named = {k.lower(): v for k, v in headers}
        etag = unquote_etag(named.get("etag", ""))[0] or ""
        dropped = {"content-length", "content-type", "content-encoding"}
        return cls(
            headers=headers,
            body=body,
            etag=etag,
            not_modified=[(k, v) for k, v in headers if k.lower() not in dropped],
            cacheable=bool(etag) and "nonce-" not in named.get("content-security-policy", ""),
        )
