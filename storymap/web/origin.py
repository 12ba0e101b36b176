"""Where this server is, for the links it writes about itself (oEmbed's iframe, the pages'
oEmbed Link header): the configured base URL, else the request's Host only when it names
a trusted host. A raw Host header is never copied into a response: behind a shared cache
a forged one would hand other readers an iframe of someone else's site.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request
from werkzeug.sansio.utils import host_is_trusted

#: Hosts trusted when nothing else is configured: this machine.
LOOPBACK = ("localhost", "127.0.0.1", "::1")
BASE_URL = "STORYMAP_BASE_URL"
TRUSTED_HOSTS = "STORYMAP_TRUSTED_HOSTS"


class UntrustedHost(LookupError):
    """The request's Host is not one this server was told it answers to."""


def check_base_url(url: str) -> str:
    """Return ``url`` without a trailing slash if it is an http(s) origin with an optional path.

    Raises ValueError otherwise.

    >>> check_base_url("https://maps.school.example/history/")
    'https://maps.school.example/history'
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(
            f"base URL: expected http(s)://host[:port][/path], got {url[:80]!r}"
        )
    return url.rstrip("/")


def public_base() -> str:
    """Return this server's base URL (``scheme://host[:port][/root]``, no trailing slash).

    Raises UntrustedHost when no base URL is configured and the Host is not trusted.
    """
    configured: str | None = current_app.config.get(BASE_URL)
    if configured:
        return configured
    trusted = current_app.config.get(TRUSTED_HOSTS) or LOOPBACK
    host = request.host
    if not host_is_trusted(host, trusted):
        raise UntrustedHost(
            f"this server does not answer to the host {host[:60]!r}; start it with "
            "--base-url set to its public address to use oEmbed through it"
        )
    return f"{request.scheme}://{host}{request.script_root}"
