"""Reading input files safely and writing outputs atomically.

Bad input gets a clear one-line error that names the file and says what to do. Size
limits are enforced on the bytes actually read, so ``/dev/zero``, a pipe or a file that
grows while we read it stops at the limit instead of filling memory. A failed write never
leaves half a file behind (we write a temporary file next to the target and rename it
into place), and temporary files a killed writer left behind are removed on the next
write to the same target.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import EncodingError, InputError, InputTooLargeError, OutputError

#: The texts of one build may hold this much, together: a whole book is ~1–2 MB, and
#: reading 10 MB takes about 47 s and 700 MB on a quiet two-core laptop (bench_scaling),
#: inside issue 20's bound of 60 s and 1.5 GB; a 19 MB text took ~180 s and ~3.3 GB and
#: its story was then too large to read back. Past it a text is refused before it is
#: read, with a line saying to split it (docs/decisions.md, issue 20).
MAX_TEXT_BYTES = 10 * 1024 * 1024

#: A story JSON holds its texts whole (JSON-escaped), every event's quote, and a record
#: per place and date mention: measured 2.1× the text (WOTR prose) to 5.6× (the seeds).
#: The story limit leaves room over the text limit, so what ``storymap build`` writes
#: from texts it accepts reads back (and stories of the 20 MB texts accepted before
#: still load); ``build`` refuses to write anything larger (see ``check_story_size``)
#: rather than a story ``export`` and ``serve`` would refuse.
STORY_BYTES_PER_TEXT_BYTE = 8
MAX_STORY_BYTES = STORY_BYTES_PER_TEXT_BYTE * 20 * 1024 * 1024

#: TimelineJS / StoryMapJS files and corrections: as large as a story may be.
MAX_IMPORT_BYTES = MAX_STORY_BYTES

#: A temporary file of a write is stale (its writer was killed) when the process that
#: made it is gone, or in any case after this many seconds.
STALE_TEMP_SECONDS = 24 * 3600

_CHUNK = 1024 * 1024


def _mb(n: int) -> str:
    return f"{n // 1_000_000} MB" if n >= 1_000_000 else f"{n} bytes"


def read_limited(path: Path, *, limit: int, advice: str) -> bytes:
    """Return the bytes of ``path``, reading at most ``limit`` of them.

    Raises InputError for a missing, unreadable or directory path and InputTooLargeError
    (naming the file and ``advice``) as soon as more than ``limit`` bytes have been read,
    whatever the file system says about the size (pipes and devices say nothing).
    """
    try:
        with open(path, "rb") as f:
            chunks: list[bytes] = []
            total = 0
            while True:
                chunk = f.read(min(_CHUNK, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:
                    raise InputTooLargeError(
                        f"{path}: more than the {_mb(limit)} storymap reads at once; {advice}"
                    )
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory; give the files inside it") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    return b"".join(chunks)


def decode_text(data: bytes, *, name: str) -> str:
    """Decode ``data`` as UTF-8 text; raise EncodingError for binary or non-UTF-8 bytes.

    >>> decode_text("Győr".encode(), name="x.txt")
    'Győr'
    >>> decode_text(b"\\xff\\xfeG\\x00", name="x.txt")
    Traceback (most recent call last):
    ...
    storymap.errors.EncodingError: x.txt: looks like UTF-16 text; save it as UTF-8 and try again
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise EncodingError(f"{name}: looks like UTF-16 text; save it as UTF-8 and try again")
    nul = data.find(b"\x00")  # anywhere, not only in the first 8 KB
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        where = "" if nul < 8192 else f" (a NUL byte at line {line})"
        raise EncodingError(
            f"{name}: is a binary file, not text{where}; give storymap a UTF-8 text file"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EncodingError(
            f"{name}: not UTF-8 (byte 0x{data[exc.start]:02x} at line {line}); "
            "save the file as UTF-8 and try again"
        ) from None
    controls = len(_CONTROLS.findall(text, 0, 8192))
    if controls > 8:
        raise EncodingError(f"{name}: is a binary file, not text; give storymap a UTF-8 text file")
    if _BAD_CHAR.search(text):
        # A stray control character means nothing to a reader; a space in its place keeps
        # every offset, and nothing read from a text then holds a character that the
        # story JSON, the exports and the corrections file refuse (see bad_character).
        text = _BAD_CHAR.sub(" ", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: Characters no string in storymap's files may hold: lone surrogates (not Unicode
#: characters: nothing can write them as UTF-8, so a save would fail) and control
#: characters other than tab, line feed, carriage return and form feed (C0, DEL and C1).
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: C0 control characters but tab, line feed, carriage return and form feed: more than a
#: few in a text's first 8 KB mark a binary file (a pattern: a loop over characters took
#: 0.25 s of a corpus rebuild)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def bad_character(text: str) -> str | None:
    """Describe the first character of ``text`` that no storymap file may hold, or None.

    >>> bad_character("Győr") is None
    True
    >>> bad_character("a" + chr(0xD800))
    'a lone surrogate U+D800 (not a character; it cannot be saved as UTF-8) at character 2'
    >>> bad_character("\x01")
    'a control character U+0001 at character 1'
    """
    m = _BAD_CHAR.search(text)
    if m is None:
        return None
    c = m.group()
    what = ("a lone surrogate" if "\ud800" <= c <= "\udfff" else "a control character")
    why = " (not a character; it cannot be saved as UTF-8)" if what[2] == "l" else ""
    return f"{what} U+{ord(c):04X}{why} at character {m.start() + 1}"


def read_text(path: Path, *, limit: int | None = None) -> str:
    """Read a UTF-8 text file of at most ``limit`` bytes (default MAX_TEXT_BYTES).

    Raises InputError (one line, naming the file) when we cannot: missing, a directory,
    unreadable, too large (InputTooLargeError) or not UTF-8 text (EncodingError).
    """
    data = read_limited(Path(path), limit=MAX_TEXT_BYTES if limit is None else limit,
                        advice="split the text into parts and build a story of each")
    return decode_text(data, name=str(path))


def check_story_size(path: Path, size: int) -> None:
    """Raise OutputError if a story of ``size`` bytes is more than storymap reads back."""
    if size > MAX_STORY_BYTES:
        raise OutputError(
            f"{path}: the story would be {size / 1e6:.0f} MB, more than the "
            f"{_mb(MAX_STORY_BYTES)} storymap reads back; build from fewer texts at once"
        )


def write_cached(path: Path, data: bytes) -> bool:
    """Write a file of a cache: a temporary file beside it, then a rename; return False,
    leaving nothing behind, when the cache cannot be written (the work is done again next
    time rather than failing the command).

    No ``fsync``, unlike :func:`write_atomic`: a cache file lost to a crash is only made
    again, and a corpus build writes thousands of them.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    return True


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file and a rename.

    A symlink is written through (its target is replaced, the link stays). Raises
    OutputError, one line naming the file, when the directory does not exist, the path
    is a directory, the disk is full, or permission or a read-only file system forbids
    the write; the target is either the old file or the complete new one.
    """
    with open_atomic(path) as f:
        f.write(content.encode("utf-8") if isinstance(content, str) else content)


@contextlib.contextmanager
def open_atomic(path: Path) -> Iterator[IO[bytes]]:
    """Open ``path`` to write bytes as :func:`write_atomic` does, for a writer that
    streams: the complete file is renamed into place when the block ends without an
    exception, and the temporary file is removed when it ends with one. Raises OutputError
    as :func:`write_atomic` does (also for an error while writing).
    """
    path = Path(path)
    if path.exists() and not path.is_file() and not path.is_dir():
        # /dev/null, /dev/stdout, a FIFO: write into it by the name given (a rename would
        # replace the device with a file; /dev/stdout's link resolves to "pipe:[…]")
        try:
            with open(path, "wb") as f:
                yield f
        except OSError as exc:
            raise _output_error(path, exc) from None
        return
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(f"{path}: directory {directory} does not exist; create it first")
    if path.is_dir():
        raise OutputError(f"{path}: is a directory; give a file name to write to")
    prefix = f".{path.name}.{os.getpid()}."
    _remove_stale_temps(directory, path.name)
    try:
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _output_error(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _output_error(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def temp_path(directory: Path, kind: str, suffix: str = "") -> Path:
    """Create and return an empty temporary file ``.<kind>.<pid>.<random><suffix>.tmp`` in
    ``directory``, for a file built there and renamed into place; :func:`sweep_temps`
    removes the ones whose process was killed. Raises OSError if it cannot be created."""
    fd, name = tempfile.mkstemp(prefix=f".{kind}.{os.getpid()}.", suffix=f"{suffix}.tmp",
                                dir=directory)
    os.close(fd)
    return Path(name)


def sweep_temps(directory: Path, kind: str) -> int:
    """Remove the temporary files of :func:`temp_path` in ``directory`` whose process is
    gone (killed mid-build) or that are older than STALE_TEMP_SECONDS; return how many."""
    removed = 0
    try:
        leftovers = list(Path(directory).glob(f".{_glob_escape(kind)}.*.tmp"))
    except OSError:
        return 0
    now = time.time()
    for tmp in leftovers:
        pid = tmp.name[len(kind) + 2:].split(".", 1)[0]
        try:
            if now - tmp.stat().st_mtime > STALE_TEMP_SECONDS or (
                    pid.isdigit() and not _alive(int(pid))):
                tmp.unlink()
                removed += 1
        except OSError:
            continue  # another process removed it, or we may not
    return removed


def _output_error(path: Path, exc: OSError) -> OutputError:
    advice = {
        errno.ENOSPC: "free some space or write elsewhere",
        errno.EDQUOT: "free some space or write elsewhere",
        errno.EACCES: "check the permissions or write elsewhere",
        errno.EPERM: "check the permissions or write elsewhere",
        errno.EROFS: "write somewhere else",
        errno.EISDIR: "give a file name to write to",
    }.get(exc.errno or 0, "check the path")
    return OutputError(f"{path}: cannot write it ({exc.strerror or exc}); {advice}")


def _remove_stale_temps(directory: Path, name: str) -> None:
    """Remove ``.<name>.<pid>.*.tmp`` files whose writer is gone (killed mid-write)."""
    try:
        leftovers = list(directory.glob(f".{_glob_escape(name)}.*.tmp"))
    except OSError:
        return
    now = time.time()
    for tmp in leftovers:
        pid = tmp.name[len(name) + 2:].split(".", 1)[0]
        try:
            old = now - tmp.stat().st_mtime > STALE_TEMP_SECONDS
            if old or (pid.isdigit() and not _alive(int(pid))):
                tmp.unlink()
        except OSError:
            continue  # another writer removed it, or we may not: not our business


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name != "posix":
        return True  # on Windows os.kill would end the process: rely on the age there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)
