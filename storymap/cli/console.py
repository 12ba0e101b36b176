"""Text from a document, shown in a terminal: control characters made visible.

A text (or a correction, or an import) is untrusted. Printed as it is, an escape sequence
in it would drive the user's terminal (move the cursor, retitle the window, hide a line),
so every line the CLI prints from such a source passes through :func:`printable` — the
terminal's form of the escaping the web pages do.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["printable"]

# C0 and C1 controls (tab kept: the listings are tab-separated) and the bidirectional
# overrides and isolates that make a line read differently from what it holds.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Return ``text`` with control and bidi-override characters shown as ``\\x..``/``\\u....``.

    >>> printable("Pest\\x1b[2Jside")
    'Pest\\\\x1b[2Jside'
    >>> printable("Budapest\\tBem tér")
    'Budapest\\tBem tér'
    """
    return _UNSAFE.sub(_escaped, unicodedata.normalize("NFC", text))


def _escaped(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
