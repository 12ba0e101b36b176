"""Where this server is, for the links it writes about itself (oEmbed's iframe, the pages'
oEmbed Link header): the configured base URL, else the request's Host only when it names
a trusted host. A raw Host header is never copied into a response: behind a shared cache
a forged one would hand other readers an iframe of someone else's site.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
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


#: Request bodies the read-only app takes (it takes none worth more) and edit writes take.
MAX_BODY = 1024 * 1024
MAX_EDIT_BODY = 16 * 1024 * 1024


def is_loopback(host: str) -> bool:
    """True if listening on ``host`` reaches this machine only (127.0.0.0/8, ::1, localhost).

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    import ipaddress

    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_name(host: str) -> str:
    """The host of a Host header, lower-cased, without port or IPv6 brackets.

    >>> host_name("LocalHost:8000"), host_name("[::1]:80"), host_name("::1")
    ('localhost', '::1', '::1')
    """
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host.rstrip(".")


class HostGate:
    """WSGI middleware: a server bound to loopback answers only to the names of loopback.

    A DNS-rebinding page (evil.example, re-pointed at 127.0.0.1) reaches a loopback server
    with its own name in Host; answering it would hand the user's texts to that page. So
    any other Host gets 400 before anything is read. Like Jupyter's local-host check.
    """

    def __init__(self, app: Any, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(host_name(h) for h in allowed if h)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        host = environ.get("HTTP_HOST")
        if host is not None and host_name(host) not in self.allowed:
            body = (b'{"error": "this server answers only to ' + b", ".join(
                sorted(h.encode("ascii", "replace") for h in self.allowed)) +
                b'; open it by one of those names (or start it with --host or --base-url '
                b'naming this one)", "status": 400}')
            start_response("400 Bad Request", [("Content-Type", "application/json"),
                                               ("Content-Length", str(len(body))),
                                               ("Cache-Control", "no-store")])
            return [body]
        return self.app(environ, start_response)
