"""Reading texts safely (clear one-line errors) and writing atomically."""

from __future__ import annotations

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
