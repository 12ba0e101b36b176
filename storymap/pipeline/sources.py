"""The texts a story is read from, and what a folder says about where they came from.

A text file becomes a :class:`SourceText`: its id (the file stem), its content, and the
title, url and licence a ``sources.json`` beside it gives (the built-in example's
Wikipedia credit comes from one). Its path stays on this machine: it is for messages only.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import textio
from ..errors import InputError, InputTooLargeError
from ..model.storyjson import parse_json
from ..textio import read_text

__all__ = ["Descriptions", "SourceText", "builtin_texts", "read_texts", "text_title"]


@dataclass(frozen=True)
class SourceText:
    """A text to read: its id (file stem), its content and where it came from.

    ``title``, ``url`` and ``license`` describe the source for its readers; empty values
    are filled from the text (its first heading) when the story is built. ``path`` is for
    messages on this machine only: it never enters an analysis or a story.
    """

    id: str
    text: str
    path: str = ""
    title: str = ""
    url: str = ""
    license: str = ""


def builtin_texts() -> tuple[Path, ...]:
    """Return the bundled 1956 example texts (two Wikipedia revisions, CC BY-SA)."""
    folder = Path(__file__).parent.parent / "examples" / "hungary-1956"
    return tuple(sorted(folder.glob("*.txt")))


def read_texts(paths: Sequence[Path], *,
               described: Descriptions | None = None) -> list[SourceText]:
    """Read text files (with their sources.json descriptions); raise InputError if one is bad.

    A text larger than MAX_TEXT_BYTES is refused up front, from its size on disk, before
    any text is read (InputTooLargeError); each read also stops at the limit (a pipe).
    A corpus of many texts has no such bound: its texts are read in parallel.
    ``described`` shares the folders' sources.json between calls (a corpus reads its
    texts one call each, so that one bad text does not stop the others).
    """
    limit = textio.MAX_TEXT_BYTES
    files = [Path(p) for p in paths]
    for path in files:
        try:
            st = os.stat(path)
        except OSError:
            continue  # read_text says what is wrong with it
        size = st.st_size if stat.S_ISREG(st.st_mode) else 0
        if size > limit:
            raise InputTooLargeError(
                f"{path}: {size / 1e6:.0f} MB, more than the {limit / 1e6:.0f} MB storymap reads "
                "as one text (about a minute on a laptop); split the text into parts (files "
                "of one folder are read in parallel)")
    described = described or Descriptions()
    return [SourceText(id=path.stem, text=read_text(path), path=str(path), **described(path))
            for path in files]


class Descriptions:
    """What the sources.json of each folder says of its texts, the file looked at once per
    folder (a corpus of 1,000s of texts: one stat of it, not one per text)."""

    def __init__(self) -> None:
        self._folders: dict[Path, tuple[Path, object] | None] = {}

    def __call__(self, path: Path) -> dict[str, str]:
        """Return title, url and license of ``path`` from a sources.json beside it, if any.

        sources.json maps a file's stem to {"title", "url", "license"}: how a folder of
        texts says where each came from (the built-in example uses it for its Wikipedia
        credit). Raises InputError for a sources.json or an entry that is not one.
        """
        folder = path.parent
        if folder not in self._folders:
            self._folders[folder] = _sources_of(folder)
        found = self._folders[folder]
        if found is None:
            return {}
        meta, data = found
        entry = data.get(path.stem) if isinstance(data, dict) else None
        if entry is None:
            return {}
        if not isinstance(entry, dict):
            raise InputError(f"{meta}: expected {{\"{path.stem}\": {{\"title\": …, \"url\": "
                             f"…, \"license\": …}}}}, got {type(entry).__name__}; fix or remove "
                             "the file")
        return {k: str(entry[k])[:_MAX_SOURCE_FIELD] for k in ("title", "url", "license")
                if entry.get(k)}


def _sources_of(folder: Path) -> tuple[Path, object] | None:
    meta = folder / "sources.json"
    try:
        st = meta.stat()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return meta, _sources(str(meta), st.st_mtime_ns, st.st_size)


#: A folder's sources.json describes its texts in a few lines; more is not a description.
_MAX_SOURCES_BYTES = 1024 * 1024
_MAX_SOURCE_FIELD = 2000


@functools.lru_cache(maxsize=8)
def _sources(meta: str, _mtime: int, _size: int) -> object:
    """The parsed sources.json, once per version of the file (a folder of 1,000s of texts
    asks for it once per text)."""
    # Read like any input: bounded while reading (a FIFO or a huge file cannot exhaust
    # memory), strict JSON, one line naming the file.
    return parse_json(read_text(Path(meta), limit=_MAX_SOURCES_BYTES), filename=meta,
                      advice="fix or remove the file")


_TITLE_LINE = re.compile(r"^\s*(?:=\s*)+([^=\n]+?)(?:\s*=)+\s*$|^\s*#\s+(.+)$", re.MULTILINE)


def text_title(text: str) -> str:
    """Return a text's title: its first heading, else its first line cut between words.

    >>> text_title("= Hungarian Revolution of 1956 =\\nThe revolution began")
    'Hungarian Revolution of 1956'
    """
    m = _TITLE_LINE.search(text[:2000])
    if m and text[: m.start()].strip() == "":
        return (m.group(1) or m.group(2)).strip()
    first = text.strip().split("\n", 1)[0]
    first = first.split(" (")[0].split(" or ")[0].strip()
    if len(first) > 80:  # cut between words, never inside one ("… 1989 hal")
        first = first[:80].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return first
