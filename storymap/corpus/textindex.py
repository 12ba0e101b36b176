"""What the texts of earlier builds held, by file: so that a rebuild reads only the texts
that changed.

A cache key hashes a text's bytes (:func:`storymap.corpus.cache.text_key`); finding it
meant reading every text of the corpus again (0.09 s of a 0.9 s rebuild of 1,322 texts).
This index remembers, for each file read, its size, modification and change times and
inode with the hash of its text, in ``<cache dir>/analyses/texts.marshal`` (cleared
with the analyses); a file whose stat is
unchanged has the text it had. As make and git do, with git's care for the "racily
clean": a file changed less than :data:`SETTLE_NS` before it was read is not remembered
(a write in the same clock tick as the read could leave its times unchanged), and the
change time, which no program can set, must match too. A text whose analysis is not in
the cache is read anyway, and so is every text with ``--no-cache``.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import time
from pathlib import Path

from ..resources import cache_dir
from ..textio import write_cached

__all__ = ["TextIndex"]

#: A file changed this recently (ns) when read is not remembered: it may still be written.
SETTLE_NS = 2_000_000_000

_FORMAT = 1
_Signature = tuple[int, int, int, int, int]


def _signature(st: os.stat_result) -> _Signature:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


class TextIndex:
    """The hash of each file's text as last read, valid while its stat is unchanged."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else cache_dir() / "analyses" / "texts.marshal"
        self._known: dict[str, tuple[_Signature, bytes]] = {}
        self._changed = False
        with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
            data = marshal.loads(self.path.read_bytes())
            if isinstance(data, tuple) and len(data) == 2 and data[0] == _FORMAT \
                    and isinstance(data[1], dict):
                self._known = data[1]  # anything else: start again (only slower)

    def digest(self, path: Path, st: os.stat_result) -> bytes | None:
        """Return the hash of ``path``'s text if it was read with this very stat, else None."""
        known = self._known.get(os.path.abspath(path))
        if known is None or tuple(known[0]) != _signature(st):
            return None
        return known[1] if isinstance(known[1], bytes) else None

    def remember(self, path: Path, st: os.stat_result, digest: bytes) -> None:
        """Remember ``digest`` as the hash of ``path``'s text, read when its stat was ``st``."""
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < SETTLE_NS:
            return  # racily clean: its next read may not see a change by its times
        key = os.path.abspath(path)
        entry = (_signature(st), digest)
        if self._known.get(key) != entry:
            self._known[key] = entry
            self._changed = True

    def save(self) -> None:
        """Write the index if it changed (atomically; a cache that cannot be written is
        skipped, as the analyses are)."""
        if not self._changed:
            return
        write_cached(self.path, marshal.dumps((_FORMAT, self._known)))
        self._changed = False
