"""The JSON cache of data derived from bundled files (gazetteer, regions, outline credits)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from storymap.geo.derived import cached_json


@pytest.fixture
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STORYMAP_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "words.txt"
    path.write_text("a b c", encoding="utf-8")
    return path


def _derive(path: Path, calls: list[str]) -> list[str]:
    def build() -> list[str]:
        calls.append("build")
        return path.read_text(encoding="utf-8").split()

    def load(data: Any) -> list[str]:
        if not isinstance(data, list):
            raise ValueError("not a list")
        return [str(x) for x in data]

    return cached_json("words", [path], build=build, load=load, dump=lambda v: v)


def test_built_once_then_read_from_the_cache(source: Path) -> None:
    calls: list[str] = []
    assert _derive(source, calls) == ["a", "b", "c"]
    assert _derive(source, calls) == ["a", "b", "c"]
    assert calls == ["build"]


def test_an_edited_file_is_derived_again(source: Path) -> None:
    calls: list[str] = []
    _derive(source, calls)
    source.write_text("a b c d", encoding="utf-8")
    os.utime(source, ns=(1, 10**18))
    assert _derive(source, calls) == ["a", "b", "c", "d"]
    assert calls == ["build", "build"]


def test_a_damaged_cache_is_rebuilt(source: Path, tmp_path: Path) -> None:
    calls: list[str] = []
    _derive(source, calls)
    (cached,) = (tmp_path / "cache").glob("words-*.json")
    cached.write_text('{"not": "a list"}', encoding="utf-8")
    assert _derive(source, calls) == ["a", "b", "c"]
    cached.write_text("{broken", encoding="utf-8")
    assert _derive(source, calls) == ["a", "b", "c"]
    assert calls == ["build"] * 3


def test_an_unwritable_cache_directory_is_no_error(source: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("STORYMAP_CACHE_DIR", str(blocker / "cache"))
    calls: list[str] = []
    assert _derive(source, calls) == _derive(source, calls) == ["a", "b", "c"]
    assert calls == ["build", "build"]
