"""oEmbed (https://oembed.com): turn a link to this server into a responsive ``<iframe>`` of /embed.

Only JSON is offered (XML answers 501, as the spec asks); a URL that does not point to
this server, or to a page other than ``/`` or ``/embed``, is not ours (404).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from markupsafe import escape

from ..options import EMBED_OPTIONS, parse_options

DEFAULT_WIDTH = 800
DEFAULT_HEIGHT = 600
MIN_SIZE = 100


class NotOurs(LookupError):
    """The URL given to oEmbed does not name a story page on this server."""


def _size(name: str, value: str | None, default: int) -> int:
    if value is None or value == "":
        return default
    if not value.isdigit() or int(value) < MIN_SIZE:
        raise ValueError(f"{name}: expected a whole number of pixels ≥ {MIN_SIZE}, got {value!r}")
    return min(int(value), default)


def embed_src(url: str, *, host: str, root: str) -> str:
    """Return the /embed address for a link ``url`` to this server's page or embed.

    ``host`` is the server's ``host[:port]`` and ``root`` its script root ("" at /).
    Raises NotOurs for a URL elsewhere and OptionError for malformed options in it.

    >>> embed_src("http://localhost:8000/?day=1956-10-25&x=1", host="localhost:8000", root="")
    'http://localhost:8000/embed?day=1956-10-25'
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != host.lower():
        raise NotOurs(f"url: expected a link to this server ({host}), got {url!r}")
    if parts.path not in (root + "/", root + "/embed", root):
        raise NotOurs(f"url: expected a link to {root}/ or {root}/embed, got path {parts.path!r}")
    query = dict(parse_qsl(parts.query))
    parse_options(query, mode="embed")  # raises OptionError for malformed values
    kept = [(k, query[k]) for k in EMBED_OPTIONS if query.get(k)]
    suffix = f"?{urlencode(kept)}" if kept else ""
    return f"{parts.scheme}://{parts.netloc}{root}/embed{suffix}"


def oembed_response(args: Mapping[str, str], *, host: str, root: str, title: str) -> dict[str, Any]:
    """Return the oEmbed JSON for the request arguments ``args`` (url, maxwidth, maxheight).

    Raises ValueError for a missing url or a bad size, NotOurs for a URL elsewhere.
    """
    url = args.get("url", "")
    if not url:
        raise ValueError("url: expected the link of a story page on this server, got nothing")
    width = _size("maxwidth", args.get("maxwidth"), DEFAULT_WIDTH)
    height = _size("maxheight", args.get("maxheight"), DEFAULT_HEIGHT)
    # Keep the 4:3 shape inside whatever box the consumer allows.
    height = min(height, width * DEFAULT_HEIGHT // DEFAULT_WIDTH)
    width = min(width, height * DEFAULT_WIDTH // DEFAULT_HEIGHT)
    src = embed_src(url, host=host, root=root)
    html = (
        f'<iframe src="{escape(src)}" width="{width}" height="{height}" '
        f'title="{escape(title)}" loading="lazy" allowfullscreen '
        f'style="display:block;width:100%;max-width:{width}px;height:auto;'
        f'aspect-ratio:{width}/{height};border:0"></iframe>'
    )
    provider = f"{urlsplit(url).scheme}://{host}{root}/"
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
