"""Reading input texts safely and writing outputs atomically.

Bad input gets a clear one-line error that names the file and says what to do; a failed
write never leaves half a file behind (we write a temporary file next to the target and
rename it into place).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import EncodingError, InputError, InputTooLargeError

#: Texts larger than this are refused: a whole book is ~1–2 MB, and the engine reads
#: everything into memory with a per-character offset map.
MAX_TEXT_BYTES = 20 * 1024 * 1024


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
    if b"\x00" in data[:8192]:
        raise EncodingError(f"{name}: is a binary file, not text; give storymap a UTF-8 text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EncodingError(
            f"{name}: not UTF-8 (byte 0x{data[exc.start]:02x} at line {line}); "
            "save the file as UTF-8 and try again"
        ) from None
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > 8:
        raise EncodingError(f"{name}: is a binary file, not text; give storymap a UTF-8 text file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path) -> str:
    """Read a UTF-8 text file; raise InputError (one line, naming the file) when we cannot."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})") from None
    if path.is_dir():
        raise InputError(f"{path}: is a directory; give the text files inside it")
    if size > MAX_TEXT_BYTES:
        raise InputTooLargeError(
            f"{path}: {size / 1e6:.1f} MB is more than the {MAX_TEXT_BYTES // 1_000_000} MB "
            "storymap reads at once; split the text into chapters and pass them together"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})") from None
    return decode_text(data, name=str(path))


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file and a rename.

    Raises InputError if the directory does not exist or is not writable; the target is
    either the old file or the complete new one, never half written.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"{path}: directory {directory} does not exist; create it first")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError(f"{path}: cannot write there ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
