"""One request per interval to a service, across threads *and* processes.

Nominatim's usage policy allows one request per second from one application. A build
with ``--online``, a ``serve --edit`` whose teacher presses "Look these up online" and a
second build in another terminal are separate processes; they share the limit through a
small file in the cache directory that holds the time the last request finished, read and
written under an exclusive ``flock``. The lock is held for the whole request, so requests
never overlap, and the next one starts at least ``interval`` after the last one *ended*
(an answer's arrival, not its start, is what the service sees).

Where ``fcntl`` is missing (Windows) the limit holds across the threads of one process.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = ["SharedRateLimit"]

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: One lock per file for the threads of this process (flock is per open file description).
_THREAD_LOCKS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


class SharedRateLimit:
    """A gate that lets one caller through at a time, ``interval`` seconds after the last.

    ``path`` is the shared file (created on first use; its folder must be writable, else
    OSError). ``sleep`` and ``clock`` are for tests.
    """

    def __init__(self, path: Path, interval: float, *,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.interval = max(0.0, float(interval))
        self._sleep, self._clock = sleep, clock
        with _GUARD:
            self._lock = _THREAD_LOCKS.setdefault(str(self.path.resolve()), threading.Lock())

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for this caller's turn, run the block, record when it ended."""
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                last = _read_time(fd)
                now = self._clock()
                # A clock set back (or a file from the future) waits one interval at most.
                wait = min(self.interval, last + self.interval - now) if last else 0.0
                if wait > 0:
                    self._sleep(wait)
                try:
                    yield
                finally:
                    _write_time(fd, self._clock())
            finally:
                os.close(fd)  # closing the file releases the flock


def _read_time(fd: int) -> float:
    os.lseek(fd, 0, os.SEEK_SET)
    raw = os.read(fd, 64)
    try:
        return float(raw.decode("ascii").strip() or 0)
    except (UnicodeDecodeError, ValueError):
        return 0.0


def _write_time(fd: int, when: float) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, f"{when:.6f}\n".encode("ascii"))
