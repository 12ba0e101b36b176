"""Edit mode (``storymap serve --edit``): corrections posted from the browser, behind a token.

Only an app passed to :func:`register_edit` has these routes; the normal page, the export
and the embed stay read-only. Every request here needs the token the server printed
(header ``X-Storymap-Token`` or ``?token=``), else 403 and nothing changes. A write names
the story it was made against with ``If-Match`` (the ETag of ``/api/story``); a stale one
gets 409 and the page reloads the story.

    POST /api/corrections         one entry of the file's shape: {"events": [{…}]}
    POST /api/corrections/undo    remove the newest correction the app added
    POST /api/corrections/remove  {"section": "names", "index": 3} (one that no longer matches)
    GET  /api/corrections         the file, the history with times, the ETag
    GET  /api/review              the doubtful readings, most doubtful first
    GET  /api/candidates?name=…   places a name could be (gazetteer and GeoNames)
    GET  /api/places/search?q=…   the search box: gazetteer, GeoNames, packs, answers asked
                                  online before; &online=1 asks the online geocoder too
    POST /api/online/lookup       "Look these up online": every unplaced name, in the
                                  background; GET /api/online polls it
    POST /api/online/reject       {"doc": …, "name": …, "id": …}: forget a proposal

Each write answers the updated story's ETag (header and body).
"""

from __future__ import annotations

import hmac
import re
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from flask import Flask, Response, request
from markupsafe import escape

from ..errors import StorymapError
from ..model.kinds import PLACE_KINDS
from ..model.records import as_dict
from ..model.storyjson import parse_json
from ..outputs.jsonhtml import json_bytes, script_json
from ..outputs.strings import edit_strings
from .index import build_index
from .origin import MAX_BODY, MAX_EDIT_BODY
from .pages import Pages
from .state import EXTENSION, WebState

if TYPE_CHECKING:
    from ..model import Story


class Editing(Protocol):
    """What edit mode needs from a story being corrected (storymap.corrections.EditSession).

    Named by this protocol so the web package stays independent of the text stages.
    """

    story: Story

    def add(self, data: Any) -> Story: ...
    def undo(self) -> Story: ...
    def remove(self, section: str, index: int) -> Story: ...
    def summary(self) -> dict[str, Any]: ...
    def history(self) -> list[dict[str, Any]]: ...
    def review_json(self) -> list[dict[str, Any]]: ...
    def candidates_for(self, name: str) -> list[dict[str, Any]]: ...
    def search(self, name: str, *, online: bool = False) -> list[dict[str, Any]]: ...
    def look_up_online(self) -> dict[str, Any]: ...
    def online_status(self) -> dict[str, Any]: ...
    def reject(self, data: Any) -> None: ...

__all__ = ["EDIT_SCRIPT", "check_token", "new_token", "register_edit"]

EDIT_SCRIPT = "edit/edit.js"
EDIT_STYLE = "edit/edit.css"
TOKEN_HEADER = "X-Storymap-Token"


def new_token() -> str:
    """A fresh one-time token for a server run (printed in the URL, like a notebook server)."""
    return secrets.token_urlsafe(24)


_TOKEN = re.compile(r"^[A-Za-z0-9._~-]{16,200}$")


def check_token(token: str) -> str:
    """The problem with a token chosen by the user (``--token``), or "" if it will do.

    >>> check_token("a-teachers-own-token-2024")
    ''
    >>> check_token("short")[:36]
    'the token must be 16 to 200 letters,'
    """
    if _TOKEN.match(token):
        return ""
    return ('the token must be 16 to 200 letters, digits, ".", "_", "~" or "-" (it goes in a '
            f"URL and is the only lock on editing); got {len(token)} characters")


def _answer(data: Any, *, status: int = 200, etag: str | None = None) -> Response:
    response = Response(json_bytes(data), status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    if etag:
        response.headers["ETag"] = f'"{etag}"'
    return response


def _error(status: int, message: str, **extra: Any) -> Response:
    return _answer({"error": message, "status": status, **extra}, status=status,
                   etag=extra.get("etag"))


def _bare(tag: str) -> str:
    tag = tag.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    tag = tag.strip('"')
    return tag[:-5] if tag.endswith("-gzip") else tag


class _Editor:
    """The routes' shared state: the session, the token and how to swap the served story."""

    def __init__(self, app: Flask, session: Editing, token: str) -> None:
        self.app = app
        self.session = session
        self.token = token
        self.inner = getattr(app.wsgi_app, "app", app.wsgi_app)  # under the /api/story fast path
        self.lock = threading.Lock()
        self.to_dict = StoryDict()

    def etag(self) -> str:
        state: WebState = self.app.extensions[EXTENSION]
        return state.index.payload.etag

    def allowed(self) -> bool:
        given = request.headers.get(TOKEN_HEADER) or request.args.get("token") or ""
        return hmac.compare_digest(given.encode(), self.token.encode())

    def stale(self) -> bool:
        match = request.headers.get("If-Match")
        if not match or match.strip() == "*":
            return False
        return all(_bare(t) != self.etag() for t in match.split(","))

    def serve(self, story: Story) -> None:
        """Serve ``story`` from now on: new index, new /api/story bytes and ETag."""
        from .fastpath import StoryFastPath

        # each correction: speed over bytes, and the records that did not change reused
        index = build_index(story, gzip_level=1, data=self.to_dict(story))
        state: WebState = self.app.extensions[EXTENSION]
        self.app.extensions[EXTENSION] = replace(state, index=index,
                                                 pages=Pages(story, edit_page))
        self.app.wsgi_app = StoryFastPath(self.inner, index.payload)  # type: ignore[method-assign]

    def write(self, change: Callable[[], Story]) -> Response:
        if not self.allowed():
            return _error(403, f"edit needs the token the server printed ({TOKEN_HEADER} "
                               "header or ?token=); nothing was changed")
        refused = _refused_origin()
        if refused:
            return _error(403, refused)
        if not request.is_json:  # a cross-site form can post text/plain, never JSON
            return _error(400, "expected a JSON body (Content-Type: application/json); "
                               "nothing was changed")
        with self.lock:  # check, change and serve as one step: two tabs cannot interleave
            if self.stale():
                return _error(409, "the story changed since this page loaded (another tab?); "
                                   "reload it and try again", etag=self.etag())
            try:
                story = change()
            except StorymapError as exc:
                return _error(400, str(exc), etag=self.etag())
            self.serve(story)
        return _answer({"etag": self.etag(), **self.session.summary()}, etag=self.etag())


class StoryDict:
    """``Story.to_dict()`` that reuses the dicts of records it converted last time.

    A correction to an event leaves the story's documents, mentions and dates the very
    same objects, and converting them is most of ``to_dict()``'s time.
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, dict[str, Any]]] = {}

    def __call__(self, story: Story) -> dict[str, Any]:
        """Return what ``story.to_dict()`` returns."""
        seen: dict[int, tuple[object, dict[str, Any]]] = {}

        def convert(record: Any) -> dict[str, Any]:
            hit = self._memo.get(id(record))
            if hit is None or hit[0] is not record:
                hit = (record, as_dict(record))
            seen[id(record)] = hit
            return hit[1]

        data: dict[str, Any] = {}
        for f in fields(story):
            value = getattr(story, f.name)
            if isinstance(value, tuple) and value and is_dataclass(value[0]):
                data[f.name] = tuple(convert(x) for x in value)
            else:
                data[f.name] = as_dict(value) if is_dataclass(value) else value
        data["unresolved"] = [convert(m) for m in story.unresolved]
        self._memo = seen  # only what the current story holds: no growth, no stale ids
        return {"version": data.pop("version"), **data}


def register_edit(app: Flask, session: Editing, *, token: str) -> None:
    """Add the edit routes to ``app`` and serve the session's story, behind ``token``."""
    editor = _Editor(app, session, token)
    editor.serve(session.story)
    writes = frozenset({"edit_add", "edit_undo", "edit_remove"})
    app.config["MAX_CONTENT_LENGTH"] = MAX_EDIT_BODY

    @app.before_request
    def small_bodies() -> Response | None:
        # Only a write may send up to MAX_EDIT_BODY; anything else keeps the app's MAX_BODY.
        size = request.content_length or 0
        if size > MAX_BODY and request.endpoint not in writes:
            return _error(413, f"a request body of at most {MAX_BODY // 1024} KB is taken here")
        return None

    def body() -> Any:
        if not request.is_json:
            raise _BadRequest("expected a JSON body (Content-Type: application/json)")
        # parse_json, not get_json: JSON nested 100,000 deep was a RecursionError (500)
        # and a 5,000-digit number "expected a JSON body"; now each is one line, 400
        return parse_json(request.get_data(as_text=True), filename="request",
                          advice='send one entry like {"events": [{"id": "…", "hide": true}]}')

    def add() -> Response:
        return editor.write(lambda: session.add(body()))

    def undo() -> Response:
        def change() -> Story:
            if request.get_data().strip() and body() != {}:
                raise _BadRequest("undo takes an empty JSON object {}")
            return session.undo()

        return editor.write(change)

    def remove() -> Response:
        def change() -> Story:
            data = body()
            if (not isinstance(data, dict) or set(data) != {"section", "index"}
                    or not isinstance(data["section"], str)
                    or not isinstance(data["index"], int) or isinstance(data["index"], bool)):
                raise _BadRequest('expected {"section": "names", "index": 0} and nothing else')
            return session.remove(data["section"], data["index"])

        return editor.write(change)

    def read(make: Callable[[], Any]) -> Callable[[], Response]:
        def view() -> Response:
            if not editor.allowed():
                return _error(403, f"edit needs the token the server printed ({TOKEN_HEADER} "
                                   "header or ?token=)")
            return _answer(make(), etag=editor.etag())

        return view

    def corrections() -> dict[str, Any]:
        return {"etag": editor.etag(), **session.summary(), "history": session.history()}

    def candidates() -> dict[str, Any]:
        return {"name": request.args.get("name", ""),
                "choices": session.candidates_for(request.args.get("name", ""))}

    def review_online() -> dict[str, Any]:
        return {"etag": editor.etag(), "items": session.review_json(),
                "online": session.online_status()}

    def search() -> Response:
        if not editor.allowed():
            return _error(403, f"edit needs the token the server printed ({TOKEN_HEADER} "
                               "header or ?token=)")
        q = request.args.get("q", "")
        online = request.args.get("online") == "1"
        try:
            found = session.search(q, online=online)
        except StorymapError as exc:  # the online geocoder failed: say so, keep the rest
            return _answer({"q": q, "choices": session.search(q), "error": str(exc)})
        return _answer({"q": q, "choices": found, "online": online})

    def guarded() -> Response | None:
        """The checks of a write for the online routes: token, this site, a JSON body."""
        if not editor.allowed():
            return _error(403, f"edit needs the token the server printed ({TOKEN_HEADER} "
                               "header or ?token=); nothing was sent")
        refused = _refused_origin()
        if refused:
            return _error(403, refused)
        if not request.is_json:
            return _error(400, "expected a JSON body (Content-Type: application/json)")
        return None

    def online_lookup() -> Response:
        denied = guarded()
        if denied is not None:
            return denied
        try:
            return _answer(session.look_up_online())
        except StorymapError as exc:
            return _error(400, str(exc))

    def reject() -> Response:
        denied = guarded()
        if denied is not None:
            return denied
        try:
            session.reject(body())
        except StorymapError as exc:
            return _error(400, str(exc))
        return _answer({"items": session.review_json(), "online": session.online_status()})

    app.add_url_rule("/api/corrections", "edit_add", add, methods=["POST"])
    app.add_url_rule("/api/corrections/undo", "edit_undo", undo, methods=["POST"])
    app.add_url_rule("/api/corrections/remove", "edit_remove", remove, methods=["POST"])
    app.add_url_rule("/api/corrections", "edit_corrections", read(corrections), methods=["GET"])
    app.add_url_rule("/api/review", "edit_review", read(review_online), methods=["GET"])
    app.add_url_rule("/api/candidates", "edit_candidates", read(candidates), methods=["GET"])
    app.add_url_rule("/api/places/search", "edit_search", search, methods=["GET"])
    app.add_url_rule("/api/online", "edit_online", read(session.online_status),
                     methods=["GET"])
    app.add_url_rule("/api/online/lookup", "edit_online_lookup", online_lookup,
                     methods=["POST"])
    app.add_url_rule("/api/online/reject", "edit_online_reject", reject, methods=["POST"])


def _refused_origin() -> str | None:
    """Why a write from another site is refused, or None for this page's own request.

    Browsers send ``Origin`` with every cross-site POST; a write whose Origin is not this
    server (scheme, host and port) is refused, so a page elsewhere cannot make one even if
    it learnt the token. Tools that send no Origin (curl, the tests) are let through: the
    token and the JSON body still hold them.
    """
    origin = request.headers.get("Origin")
    if origin is None:
        return None
    if origin == f"{request.scheme}://{request.host}":
        return None
    return (f"a write from another site ({origin[:60]}) is refused; make corrections from "
            "the page this server serves")


class _BadRequest(StorymapError):
    """A request body that is not what the endpoint takes (answered 400)."""


def edit_page(story: Story, *, mode: str = "page", lang: str | None = "en",
              day: str | None = None, options: Mapping[str, Any] | None = None) -> str:
    """The page renderer of edit mode: the map page plus the editor (never the embed)."""
    from ..outputs.render import render_page

    # The editor's tools read the texts: the page carries them (a plain page fetches them).
    html = render_page(story, mode=mode, lang=lang, day=day, options=options, text=True)
    if mode != "page":
        return html
    script = escape(f"/static/{EDIT_SCRIPT}")
    style = escape(f"/static/{EDIT_STYLE}")
    # The kinds a pin may have: the model's one vocabulary, not a copy in the script.
    kinds = script_json(list(PLACE_KINDS))
    # The editor's words, in every language: sent with the edit page only.
    words = script_json(edit_strings())
    tags = (f'<link rel="stylesheet" href="{style}">\n'
            f'<script type="application/json" id="sm-place-kinds">{kinds}</script>\n'
            f'<script type="application/json" id="sm-edit-i18n">{words}</script>\n'
            f'<script type="module" src="{script}"></script>\n')
    # Before the app's own module: edit.js must listen before main.js announces the app.
    at = html.find('<script type="module"')
    return html[:at] + tags + html[at:] if at >= 0 else html.replace("</body>", tags + "</body>")
