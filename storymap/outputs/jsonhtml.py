r"""The one JSON encoder for JSON that may end up inside HTML: script elements and API bodies.

Compact UTF-8 JSON in which ``<``, ``>``, ``&``, ``'`` and the line separators U+2028/9
are written as ``\uXXXX`` escapes. These characters can only occur inside JSON strings,
so escaping them changes no value; but no string can then close a ``<script>`` element
(``</script>``), open an HTML comment (``<!--``) or break a JavaScript string literal.
NaN and infinities are refused (they are not JSON; the page's JSON.parse would fail).
"""

from __future__ import annotations

import json
from typing import Any

_HTML_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(data: Any) -> str:
    r"""Return ``data`` as compact JSON safe inside ``<script type="application/json">``.

    Raises ValueError for NaN or an infinity anywhere in ``data``.

    >>> print(script_json({"a": "</script><!--&'"}))
    {"a":"\u003c/script\u003e\u003c!--\u0026\u0027"}
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _HTML_UNSAFE.items():
        text = text.replace(char, escaped)
    return text


def json_bytes(data: Any) -> bytes:
    """Return :func:`script_json` of ``data`` as UTF-8 bytes (an API response body)."""
    return script_json(data).encode("utf-8")
