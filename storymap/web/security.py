"""Security headers for every response: CSP, framing rules, nosniff, referrer policy.

Only ``/embed`` and ``/static/...`` may be framed (by any origin) so lesson pages can
embed a story; every other route refuses framing. Scripts run only from our own origin
(plus a per-request nonce when the renderer asks for one), never inline.
"""

from __future__ import annotations

import secrets

from flask import Response, g, request

#: Endpoints that any site may put in an iframe.
FRAMEABLE_ENDPOINTS = frozenset({"storymap.embed", "static"})

#: OpenStreetMap's tile servers: the only images we load from elsewhere.
TILE_SOURCES = "https://*.tile.openstreetmap.org"


def csp_nonce() -> str:
    """Return this request's CSP nonce for inline scripts, creating it on first use."""
    nonce: str | None = g.get("csp_nonce")
    if nonce is None:
        nonce = secrets.token_urlsafe(18)
        g.csp_nonce = nonce
    return nonce


def content_security_policy(*, frameable: bool, nonce: str | None = None) -> str:
    """Return the Content-Security-Policy header value for one response.

    >>> "frame-ancestors 'none'" in content_security_policy(frameable=False)
    True
    >>> "'nonce-abc'" in content_security_policy(frameable=True, nonce="abc")
    True
    """
    scripts = "'self'" if nonce is None else f"'self' 'nonce-{nonce}'"
    # "*" covers http(s) pages only; "file:" lets a lesson page opened from disk embed too.
    ancestors = "* file:" if frameable else "'none'"
    directives = (
        "default-src 'self'",
        f"script-src {scripts}",
        # Inline styles only: Leaflet positions its panes with style attributes.
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: {TILE_SOURCES}",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-ancestors {ancestors}",
    )
    return "; ".join(directives)


def security_headers(*, frameable: bool, nonce: str | None = None) -> list[tuple[str, str]]:
    """Return the security headers of one response as (name, value) pairs."""
    headers = [
        ("Content-Security-Policy", content_security_policy(frameable=frameable, nonce=nonce)),
        ("X-Content-Type-Options", "nosniff"),
        # OpenStreetMap's tile policy wants a Referer; send only our origin across sites.
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    if not frameable:
        headers.append(("X-Frame-Options", "DENY"))
    return headers


def add_security_headers(response: Response) -> Response:
    """Set the security headers on ``response`` (an ``after_request`` hook for the app)."""
    frameable = request.endpoint in FRAMEABLE_ENDPOINTS
    for name, value in security_headers(frameable=frameable, nonce=g.get("csp_nonce")):
        response.headers[name] = value
    return response
