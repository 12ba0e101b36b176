"""The JSON API: a story's days, one day, one place, and oEmbed.

``/api/story`` (the whole story, with a strong ETag, 304 and gzip) is served in front of
Flask by :mod:`storymap.web.fastpath` from bytes prepared when the app was created.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, request

from ..outputs.jsonhtml import json_bytes
from ..outputs.options import OptionError, check_day
from .blueprint import bp
from .errors import json_error
from .index import Payload, event_json
from .oembed import NotOurs, oembed_response
from .origin import UntrustedHost, public_base
from .state import current_state


def _json(data: Any, *, status: int = 200) -> Response:
    return Response(json_bytes(data), status=status, mimetype="application/json")


def _payload(payload: Payload) -> Response:
    """Answer prepared JSON bytes: gzip when accepted, a strong ETag, 304 when it matches."""
    gzipped = request.accept_encodings["gzip"] > 0
    response = Response(payload.gzipped if gzipped else payload.identity,
                        mimetype="application/json")
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.set_etag(payload.etag_gzip if gzipped else payload.etag)
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Accept-Encoding")
    response.make_conditional(request)  # 304 when If-None-Match names these bytes
    return response


@bp.get("/api/text")
def text() -> Response:
    """The story's texts, their display edits, mentions and dates (the text view's data)."""
    return _payload(current_state().index.text_payload)


@bp.get("/api/days")
def days() -> Response:
    """Every day with events: its date, event count and phase, plus the main phase."""
    return _json(current_state().index.days_json())


@bp.get("/api/days/<day>")
def day(day: str) -> Response:
    """One day's events and their places; 400 for a malformed date, 404 for a day without."""
    try:
        check_day(day)
    except OptionError as exc:
        abort(400, description=str(exc))
    try:
        return _json(current_state().index.day_json(day))
    except KeyError:
        abort(404, description=f"no events on {day}; /api/days lists the days of this story")


#: The most events one ``/api/events`` request may name.
MAX_IDS = 200


@bp.get("/api/events")
def events() -> Response:
    """The events named by ``?ids=a,b,c`` (at most MAX_IDS), as /api/days gives them: what a
    large story's page fetches for a step that is no day (an event before or after the main
    phase). Ids this story does not have are left out; 400 for none or too many."""
    ids = [i for i in request.args.get("ids", "").split(",") if i]
    if not ids or len(ids) > MAX_IDS:
        abort(400, description=f"ids: expected 1 to {MAX_IDS} event ids separated by commas, "
                               f"got {len(ids)}")
    known = current_state().index.events_by_id
    return _json({"events": [event_json(known[i]) for i in dict.fromkeys(ids) if i in known]})


@bp.get("/api/places/<place_id>")
def place(place_id: str) -> Response:
    """One place and every event there; 404 for an unknown place id."""
    try:
        return _json(current_state().index.place_json(place_id))
    except KeyError:
        shown = place_id if len(place_id) <= 60 else place_id[:60] + "…"
        abort(404, description=f"no place with id {shown!r} in this story")


@bp.get("/oembed")
def oembed() -> Response:
    """oEmbed for links to this server's page or embed: JSON of type "rich"."""
    fmt = request.args.get("format", "json")
    if fmt != "json":
        return json_error(501, f"format: only json is implemented, got {fmt!r}")
    try:
        data = oembed_response(
            request.args, base=public_base(), title=current_state().index.story.title
        )
    except UntrustedHost as exc:
        return json_error(400, str(exc))
    except NotOurs as exc:
        return json_error(404, str(exc))
    except ValueError as exc:  # OptionError is a ValueError too
        return json_error(400, str(exc))
    return _json(data)


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness for a supervisor: ok, with the story's title and counts."""
    story = current_state().index.story
    return _json(
        {
            "status": "ok",
            "title": story.title,
            "events": len(story.events),
            "days": len(story.days()),
        }
    )
