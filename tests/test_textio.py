"""Reading texts safely (clear one-line errors) and writing atomically."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from storymap.errors import EncodingError, InputError, InputTooLargeError, OutputError
from storymap.textio import read_text, write_atomic


def test_reads_utf8_with_bom_and_crlf(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes("\ufeffGyőr\r\nPécs\r\n".encode())
    assert read_text(f) == "Győr\nPécs\n"


@pytest.mark.parametrize(("data", "words"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("Győr".encode("iso8859_2"), "not UTF-8"),
    ("Győr".encode("utf-16"), "UTF-16"),
])
def test_bad_bytes_are_refused_with_the_file_name(tmp_path: Path, data: bytes,
                                                  words: str) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(data)
    with pytest.raises(EncodingError) as err:
        read_text(f)
    message = str(err.value)
    assert str(f) in message and words in message and "\n" not in message


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)


def test_huge_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import storymap.textio

    monkeypatch.setattr(storymap.textio, "MAX_TEXT_BYTES", 10)
    f = tmp_path / "big.txt"
    f.write_text("x" * 11)
    with pytest.raises(InputTooLargeError, match="split the text"):
        read_text(f)


def test_atomic_write_leaves_old_file_on_failure(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")

    def boom(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        write_atomic(target, "new content")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temp file left


def test_atomic_write_needs_an_existing_directory(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_atomic(tmp_path / "missing" / "x.json", "x")
    write_atomic(tmp_path / "x.json", "data")
    assert (tmp_path / "x.json").read_text() == "data"


# -- limits counted while reading (issue 11) -----------------------------------------
def test_dev_zero_stops_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import storymap.textio

    monkeypatch.setattr(storymap.textio, "MAX_TEXT_BYTES", 3 * 1024 * 1024)
    with pytest.raises(InputTooLargeError, match="/dev/zero: more than the 3 MB"):
        read_text(Path("/dev/zero"))


def test_a_pipe_stops_at_the_limit(tmp_path: Path) -> None:
    import os
    import threading

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    stop = threading.Event()

    def write_forever() -> None:
        # Unbuffered, and the close inside the try: a buffered file flushes on close, and
        # that flush into the pipe the reader has closed raised BrokenPipeError in the
        # thread (a warning, so an error) whenever the reader stopped mid-write.
        try:
            with open(fifo, "wb", buffering=0) as f:
                while not stop.is_set():
                    f.write(b"word " * 4096)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=write_forever, daemon=True)
    writer.start()
    try:
        with pytest.raises(InputTooLargeError, match=r"pipe\.txt: more than"):
            read_text(fifo, limit=1_000_000)
    finally:
        stop.set()
        writer.join(timeout=5)
    assert not writer.is_alive()


def test_nul_bytes_after_the_first_8_kb_are_refused(tmp_path: Path) -> None:
    f = tmp_path / "late.txt"
    f.write_bytes(b"Budapest is a city.\n" * 1000 + b"x\x00y")
    with pytest.raises(EncodingError, match=r"binary file, not text \(a NUL byte at line 1001\)"):
        read_text(f)


# -- writing: one line for ordinary OS failures, symlinks, stale temp files --------------
def test_a_directory_as_output_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory"):
        write_atomic(tmp_path, "x")


@pytest.mark.parametrize(("code", "words"), [
    (errno.ENOSPC, "free some space"), (errno.EACCES, "check the permissions"),
    (errno.EROFS, "write somewhere else"),
])
def test_os_failures_name_the_file_and_leave_nothing(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     code: int, words: str) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")

    def fail(_fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr("os.fsync", fail)
    with pytest.raises(OutputError) as err:
        write_atomic(target, "new")
    assert str(target) in str(err.value) and words in str(err.value)
    assert os.strerror(code) in str(err.value)
    assert target.read_text() == "old" and sorted(tmp_path.iterdir()) == [target]


def test_a_read_only_directory_is_one_line(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**_kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    with pytest.raises(OutputError, match="Read-only file system"):
        write_atomic(tmp_path / "x.json", "x")


def test_a_device_or_fifo_is_written_into_not_replaced(tmp_path: Path) -> None:
    """`-o /dev/null` as root replaced the device with a regular file (a rename onto it)."""
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_atomic(fifo, "through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
    finally:
        os.close(reader)
    assert fifo.is_fifo() and not list(tmp_path.glob(".*.tmp"))
    if not Path("/proc/self/fd").is_dir():
        return  # Linux's /proc: the rest is /dev/stdout's case
    link = tmp_path / "stdout"  # like /dev/stdout -> /proc/self/fd/1 -> pipe:[…]
    read_end, write_end = os.pipe()
    try:
        link.symlink_to(f"/proc/self/fd/{write_end}")
        write_atomic(link, "into the pipe")
        assert os.read(read_end, 100) == b"into the pipe"
    finally:
        os.close(read_end)
        os.close(write_end)


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new" and link.read_text() == "new"


def test_temp_files_of_a_killed_writer_are_removed_on_the_next_write(tmp_path: Path) -> None:
    """kill -9 while writing leaves a hidden temp file; the next write removes it."""
    target = tmp_path / "story.json"
    script = (
        "import sys, tempfile, time, os\n"
        "from pathlib import Path\n"
        f"p = Path({str(target)!r})\n"
        "fd, tmp = tempfile.mkstemp(prefix=f'.{p.name}.{os.getpid()}.', suffix='.tmp', "
        "dir=p.parent)\n"
        "os.write(fd, b'half'); print(tmp, flush=True); time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    left = Path(child.stdout.readline().strip())
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert left.exists()
    busy = tmp_path / f".story.json.{os.getpid()}.inuse.tmp"  # a live writer's: kept
    busy.write_text("mine")
    write_atomic(target, "whole")
    assert target.read_text() == "whole" and not left.exists() and busy.exists()
