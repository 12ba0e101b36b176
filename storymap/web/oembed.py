"""oEmbed (https://oembed.com): turn a link to this server into a responsive ``<iframe>`` of /embed.

Only JSON is offered (XML answers 501, as the spec asks); a URL that does not point to
this server, or to a page other than ``/`` or ``/embed``, is not ours (404).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from markupsafe import escape

from ..outputs.options import EMBED_OPTIONS, parse_options

DEFAULT_WIDTH = 800
DEFAULT_HEIGHT = 600
MIN_SIZE = 100
_PIXELS = re.compile(r"[0-9]{1,6}")


class NotOurs(LookupError):
    """The URL given to oEmbed does not name a story page on this server."""


def _short(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _size(name: str, value: str | None, default: int) -> int:
    if value is None or value == "":
        return default
    # ASCII digits only: "²".isdigit() is True, and int() of it fails.
    if _PIXELS.fullmatch(value) is None or int(value) < MIN_SIZE:
        raise ValueError(
            f"{name}: expected a whole number of pixels ≥ {MIN_SIZE}, got {_short(value, 20)}"
        )
    return min(int(value), default)


def embed_src(url: str, *, base: str) -> str:
    """Return the /embed address for a link ``url`` to this server's page or embed.

    ``base`` is the server's own ``scheme://host[:port][/root]`` (see
    :func:`storymap.web.origin.public_base`); the address is built from it, never from
    ``url``. Raises NotOurs for a URL elsewhere, OptionError for malformed options in it.

    >>> embed_src("http://localhost:8000/?day=1956-10-25&x=1", base="http://localhost:8000")
    'http://localhost:8000/embed?day=1956-10-25'
    """
    own = urlsplit(base)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != own.netloc.lower():
        raise NotOurs(f"url: expected a link to this server ({own.netloc}), got {_short(url)}")
    root = own.path
    if parts.path not in (root + "/", root + "/embed", root):
        raise NotOurs(f"url: expected a link to {root}/ or {root}/embed, got {_short(url)}")
    query = dict(parse_qsl(parts.query))
    parse_options(query, mode="embed")  # raises OptionError for malformed values
    kept = [(k, query[k]) for k in EMBED_OPTIONS if query.get(k)]
    suffix = f"?{urlencode(kept)}" if kept else ""
    return f"{base}/embed{suffix}"


def oembed_response(args: Mapping[str, str], *, base: str, title: str) -> dict[str, Any]:
    """Return the oEmbed JSON for the request arguments ``args`` (url, maxwidth, maxheight).

    ``base`` is this server's own base URL. Raises ValueError for a missing url or a bad
    size, NotOurs for a URL elsewhere.
    """
    url = args.get("url", "")
    if not url:
        raise ValueError("url: expected the link of a story page on this server, got nothing")
    width = _size("maxwidth", args.get("maxwidth"), DEFAULT_WIDTH)
    height = _size("maxheight", args.get("maxheight"), DEFAULT_HEIGHT)
    # Keep the 4:3 shape inside whatever box the consumer allows.
    height = min(height, width * DEFAULT_HEIGHT // DEFAULT_WIDTH)
    width = min(width, height * DEFAULT_WIDTH // DEFAULT_HEIGHT)
    src = embed_src(url, base=base)
    html = (
        f'<iframe src="{escape(src)}" width="{width}" height="{height}" '
        f'title="{escape(title)}" loading="lazy" allowfullscreen '
        f'style="display:block;width:100%;max-width:{width}px;height:auto;'
        f'aspect-ratio:{width}/{height};border:0"></iframe>'
    )
    provider = f"{base}/"
    return {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": "storymap",
        "provider_url": provider,
        "width": width,
        "height": height,
        "html": html,
        "cache_age": 3600,
    }
