"""The JSON API: the whole story, its days, one day, one place, and oEmbed.

``/api/story`` serves bytes prepared when the app was created, with a strong ETag
(304 on If-None-Match) and gzip when the client accepts it.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, request

from .blueprint import bp
from .errors import json_error
from .index import Payload, json_bytes
from .oembed import NotOurs, oembed_response
from .options import OptionError, check_day
from .state import current_state


def _json(data: Any, *, status: int = 200) -> Response:
    return Response(json_bytes(data), status=status, mimetype="application/json")


def payload_response(payload: Payload) -> Response:
    """Answer with ``payload``: gzip if accepted, 304 if the client's ETag still matches."""
    gzipped = request.accept_encodings["gzip"] > 0
    etag = payload.etag_gzip if gzipped else payload.etag
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        response = Response(
            payload.gzipped if gzipped else payload.identity, mimetype="application/json"
        )
        if gzipped:
            response.headers["Content-Encoding"] = "gzip"
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Vary"] = "Accept-Encoding"
    return response


@bp.get("/api/story")
def story() -> Response:
    """The whole story as JSON (schema version 1)."""
    return payload_response(current_state().index.payload)


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


@bp.get("/api/places/<place_id>")
def place(place_id: str) -> Response:
    """One place and every event there; 404 for an unknown place id."""
    try:
        return _json(current_state().index.place_json(place_id))
    except KeyError:
        abort(404, description=f"no place with id {place_id!r} in this story")


@bp.get("/oembed")
def oembed() -> Response:
    """oEmbed for links to this server's page or embed: JSON of type "rich"."""
    fmt = request.args.get("format", "json")
    if fmt != "json":
        return json_error(501, f"format: only json is implemented, got {fmt!r}")
    try:
        data = oembed_response(
            request.args,
            host=request.host,
            root=request.script_root,
            title=current_state().index.story.title,
        )
    except NotOurs as exc:
        return json_error(404, str(exc))
    except ValueError as exc:  # OptionError is a ValueError too
        return json_error(400, str(exc))
    return _json(data)
