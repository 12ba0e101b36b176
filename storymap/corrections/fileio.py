"""Reading and writing corrections.yaml: strict load, a save that keeps the teacher's layout.

YAML is read with PyYAML's *base* loader, which leaves every scalar a string: YAML 1.1
would read ``time: 10:30`` as the number 630 and ``hide: yes`` as true, and a teacher's
file should mean what it says. The entry parser then checks each field's type itself.
Aliases and deep nesting are refused while composing (yamlfile.py).

A save changes the file's text in place where it can (an entry's lines cut out, one line
added), so comments and order written by hand stay; it then reads the new text back with
the same parser and writes it only if it reads back as exactly the corrections meant
(else the file is written out whole, checked the same way, or nothing is written).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import CorrectionsError, InputError
from .model import SECTIONS, Corrections, Entry
from .parse import parse_document
from .yamlfile import Composed, compose, construct, entry_line, spliced

__all__ = [
    "BACKUP_BYTES",
    "BACKUP_DIR",
    "FILE_NAME",
    "KEEP_VERSIONS",
    "MAX_FILE_BYTES",
    "CorrectionsFile",
    "dump_corrections",
    "find_corrections",
    "gazetteer_ids",
    "load_corrections",
    "parse_entry",
    "parse_text",
    "read_corrections",
    "save_corrections",
]

FILE_NAME = "corrections.yaml"
BACKUP_DIR = ".corrections"
KEEP_VERSIONS = 50
#: The previous versions kept together take at most this many bytes (the newest always
#: stays): fifty copies of a large file were a disk filling up on every click.
BACKUP_BYTES = 32 * 1024 * 1024
#: A corrections file larger than this is refused when read, and never written: with
#: fields capped (parse.FIELD_LIMITS), it holds tens of thousands of entries.
MAX_FILE_BYTES = 16 * 1024 * 1024

_HEADER = ("# storymap corrections (docs/corrections.md). Written by `storymap serve --edit`;\n"
           "# you may edit it by hand too: your comments and order are kept when it saves.\n")


@dataclass(frozen=True)
class CorrectionsFile:
    """A corrections file as read: its entries and the text they came from (for saving)."""

    corrections: Corrections
    composed: Composed | None = None


def gazetteer_ids() -> frozenset[str]:
    """Ids of every curated place (places/*.yaml): what a correction may name."""
    from ..geo.gazetteer import load_gazetteer

    return frozenset(load_gazetteer().entries)


def find_corrections(texts: Sequence[Path]) -> Path | None:
    """Return the corrections.yaml beside the texts (the first text's folder, or the first
    folder given), if any."""
    for text in texts[:1]:
        candidate = (Path(text) if Path(text).is_dir() else Path(text).parent) / FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def load_corrections(path: Path, *, known_places: Collection[str] | None = None,
                     missing_ok: bool = False) -> Corrections:
    """Read and check a corrections file; raise CorrectionsError (one line) if it is bad.

    ``known_places`` defaults to the gazetteer's ids. With ``missing_ok`` a file that does
    not exist yet is an empty set of corrections (edit mode creates it on the first fix).
    """
    return read_corrections(path, known_places=known_places, missing_ok=missing_ok).corrections


def read_corrections(path: Path, *, known_places: Collection[str] | None = None,
                     missing_ok: bool = False) -> CorrectionsFile:
    """Like :func:`load_corrections`, keeping the text for a save that changes it in place."""
    from ..textio import decode_text, read_limited

    path = Path(path)
    if missing_ok and not path.exists():
        return CorrectionsFile(Corrections(path=str(path)))
    try:
        text = decode_text(read_limited(path, limit=MAX_FILE_BYTES,
                                        advice="remove the corrections you no longer need"),
                           name=str(path))
    except CorrectionsError:
        raise
    except InputError as exc:
        raise CorrectionsError(str(exc)) from None
    return parse_text(text, file=str(path),
                      known_places=gazetteer_ids() if known_places is None else known_places)


def parse_text(text: str, *, file: str, known_places: Collection[str]) -> CorrectionsFile:
    """Parse the text of a corrections file; raise CorrectionsError naming ``file``."""
    with _no_gc():
        composed = compose(text, file=file)
        data = construct(composed)
        corrections = parse_document(data, file=file, lines=_lines(composed.node),
                                     known_places=known_places)
    return CorrectionsFile(corrections, composed)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """The cycle collector paused: composing makes a node object per value and no cycles
    (aliases are refused), and its passes over them took 2–7× the parse of a large file."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _lines(node: Any) -> dict[tuple[str, int], int]:
    """Map (section, index) to the 1-based line of each entry, for messages."""
    import yaml

    out: dict[tuple[str, int], int] = {}
    if not isinstance(node, yaml.MappingNode):
        return out
    for key, value in node.value:
        if key.value in SECTIONS and isinstance(value, yaml.SequenceNode):
            for i, item in enumerate(value.value):
                out[(key.value, i)] = item.start_mark.line + 1
    return out


def parse_entry(data: Any, *, known_places: Collection[str], current: Corrections,
                source: str = "request") -> tuple[str, Entry]:
    """Return (section, entry) of a one-entry document such as ``{"events": [{…}]}``.

    The document is checked by the file's own parser (parse_document: the same code, so
    an entry the editor accepts is one the file reads back), with the current file's
    places known; it must hold exactly one entry. A time stamp is added. Raises
    CorrectionsError.
    """
    if not isinstance(data, dict):
        raise CorrectionsError(f"{source}: expected a JSON object like "
                               '{"events": [{"id": "…", "hide": true}]}')
    given = [(s, v) for s, v in data.items() if s in SECTIONS]
    if len(given) != 1 or not isinstance(given[0][1], list) or len(given[0][1]) != 1:
        raise CorrectionsError(f"{source}: expected exactly one entry in one of places, "
                               'names or events, like {"names": [{"name": "…", "person": true}]}')
    section, (raw,) = given[0]
    if isinstance(raw, dict):
        raw = {**raw, "at": raw.get("at") or now()}
    known = set(known_places) | current.place_ids()
    parsed = parse_document({**data, section: [raw]}, file=source, known_places=known)
    entry: Entry = getattr(parsed, section)[0]
    return section, entry


def now() -> str:
    """The current UTC time as ISO text (seconds), the time stamp of a correction."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def dump_corrections(corrections: Corrections) -> str:
    """Return the corrections as YAML: one flow mapping per entry, one entry per line."""
    lines = [_HEADER.rstrip("\n"), f"version: {corrections.version}"]
    for section in SECTIONS:
        entries = getattr(corrections, section)
        if not entries:
            lines.append(f"{section}: []")
            continue
        lines.append(f"{section}:")
        lines.extend(f"  - {entry_line(entry)}" for entry in entries)
    return "\n".join(lines) + "\n"


def save_corrections(corrections: Corrections, path: Path, *,
                     previous: CorrectionsFile | None = None,
                     known_places: Collection[str] | None = None) -> CorrectionsFile:
    """Write ``corrections`` to ``path`` atomically, keeping the previous version.

    ``previous`` is the file as last read (else it is read now): the change is made to its
    text in place, so a hand-edited file keeps its comments and order. The new text is
    read back with the file's own parser first; if it does not read back as exactly
    ``corrections``, or would be larger than MAX_FILE_BYTES, nothing is written
    (CorrectionsError). The old file is copied into ``.corrections/`` beside it (the
    last KEEP_VERSIONS, at most BACKUP_BYTES together) before the new one is renamed into
    place. Raises InputError if the folder is not writable. Returns the file as written.
    """
    from ..textio import write_atomic

    path = Path(path)
    known = gazetteer_ids() if known_places is None else known_places
    if previous is None and path.is_file():
        with contextlib.suppress(CorrectionsError):  # a broken file is replaced whole
            previous = read_corrections(path, known_places=known)
    candidates: list[Callable[[], str | None]] = []
    if previous is not None and previous.composed is not None:
        composed, before = previous.composed, previous.corrections
        candidates.append(lambda: spliced(composed, before, corrections))
    candidates.append(lambda: dump_corrections(corrections))  # only if the first fails
    problem = "it would not read back as the corrections meant"
    for make in candidates:
        text = make()
        if text is None:
            continue
        size = len(text.encode("utf-8"))
        if size > MAX_FILE_BYTES:
            raise CorrectionsError(
                f"{path}: would be {size / 1e6:.1f} MB, more than the "
                f"{MAX_FILE_BYTES // 1_000_000} MB storymap reads back; remove the corrections "
                "you no longer need; nothing was changed")
        try:
            written = parse_text(text, file=str(path), known_places=known)
        except CorrectionsError as exc:
            problem = str(exc)
            continue
        if written.corrections == corrections:
            break
    else:
        raise CorrectionsError(f"{path}: the change was not saved ({problem}); nothing was "
                               "changed")
    if path.is_file():
        _back_up(path)
    write_atomic(path, text)
    return CorrectionsFile(_with_path(written.corrections, path), written.composed)


def _with_path(corrections: Corrections, path: Path) -> Corrections:
    from dataclasses import replace

    return replace(corrections, path=str(path))


def _back_up(path: Path) -> None:
    backups = path.parent / BACKUP_DIR
    try:
        backups.mkdir(exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        # a plain copy: the old version is already safely on disk under its own name
        shutil.copyfile(path, backups / f"{path.stem}-{stamp}{path.suffix}")
    except OSError as exc:
        raise InputError(f"{backups}: cannot keep the previous corrections there "
                         f"({exc.strerror or exc}); make the folder writable") from None
    _prune(backups, path)


def _prune(backups: Path, path: Path) -> None:
    """Keep the newest KEEP_VERSIONS versions within BACKUP_BYTES (the newest always)."""
    versions = sorted(backups.glob(f"{path.stem}-*{path.suffix}"), reverse=True)
    total = 0
    for n, old in enumerate(versions):
        with contextlib.suppress(OSError):
            total += old.stat().st_size
            if n and (n >= KEEP_VERSIONS or total > BACKUP_BYTES):
                os.unlink(old)  # an undeletable old version costs disk space, no more


def to_json(corrections: Corrections) -> str:
    """The corrections as JSON (what the edit API returns)."""
    return json.dumps(corrections.to_dict(), ensure_ascii=False)
