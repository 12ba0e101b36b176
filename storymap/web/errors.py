"""Errors at the edge: a JSON body for the API and oEmbed, a small HTML page elsewhere."""

from __future__ import annotations

from flask import Flask, Response, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from ..outputs.jsonhtml import json_bytes

#: The longest error message sent back; the views already quote only short prefixes.
MAX_MESSAGE = 500

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{code} {name} · storymap</title>
</head>
<body>
<main>
<h1>{code} {name}</h1>
<p>{description}</p>
<p><a href="{home}">Back to the map</a></p>
</main>
</body>
</html>
"""


def wants_json() -> bool:
    """Return True when the request is for the JSON API or oEmbed, which answer errors in JSON."""
    path = request.path
    return path.startswith("/api/") or path in ("/api", "/oembed", "/healthz")


def json_error(status: int, message: str) -> Response:
    """Return a JSON error response ``{"error": message, "status": status}``."""
    return Response(
        json_bytes({"error": message, "status": status}),
        status=status,
        mimetype="application/json",
    )


def handle_http_error(exc: HTTPException) -> Response:
    """Turn an HTTP error (404, 400, 405, 501...) into a JSON or an HTML response."""
    code = exc.code or 500
    description = exc.description or exc.name
    if len(description) > MAX_MESSAGE:  # a message quoting the request never echoes all of it
        description = description[:MAX_MESSAGE] + "…"
    if wants_json():
        response = json_error(code, description)
    else:
        page = _PAGE.format(
            code=code,
            name=escape(exc.name),
            description=escape(description),
            home=escape(request.script_root + "/"),
        )
        response = Response(page, status=code, mimetype="text/html")
    # Keep headers such as Allow (405) that the exception carries.
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def register_error_handlers(app: Flask) -> None:
    """Register the HTTP error handler on ``app`` (unhandled exceptions become a 500)."""
    app.register_error_handler(HTTPException, handle_http_error)
