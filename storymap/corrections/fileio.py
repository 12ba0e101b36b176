"""Reading and writing corrections.yaml: strict load, atomic save, the last 50 versions kept.

YAML is read with PyYAML's *base* loader, which leaves every scalar a string: YAML 1.1
would read ``time: 10:30`` as the number 630 and ``hide: yes`` as true, and a teacher's
file should mean what it says. The entry parser then checks each field's type itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Collection, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import CorrectionsError, InputError
from .model import SECTIONS, Corrections, Entry, entry_dict
from .parse import parse_document

__all__ = [
    "BACKUP_DIR",
    "FILE_NAME",
    "KEEP_VERSIONS",
    "dump_corrections",
    "find_corrections",
    "gazetteer_ids",
    "load_corrections",
    "parse_entry",
    "save_corrections",
]

FILE_NAME = "corrections.yaml"
BACKUP_DIR = ".corrections"
KEEP_VERSIONS = 50

_HEADER = ("# storymap corrections (docs/corrections.md). Written by `storymap serve --edit`;\n"
           "# you may edit it by hand too. Comments are not kept when the app saves it.\n")


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
    import yaml

    path = Path(path)
    if missing_ok and not path.exists():
        return Corrections(path=str(path))
    from ..textio import read_text

    try:
        text = read_text(path)
    except CorrectionsError:
        raise
    except InputError as exc:
        raise CorrectionsError(str(exc)) from None
    loader_class = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise CorrectionsError(f"{path}: not valid YAML{where} ({problem}); fix the YAML "
                               "(docs/corrections.md shows the format)") from None
    finally:
        loader.dispose()
    return parse_document(data, file=str(path), lines=_lines(node),
                          known_places=gazetteer_ids() if known_places is None else known_places)


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

    The entry is checked like a file's (the current file's places count as known); a
    time stamp is added. Raises CorrectionsError.
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
    parsed = parse_document({"version": data.get("version", 1), section: [raw]}, file=source,
                            known_places=known)
    entry: Entry = getattr(parsed, section)[0]
    return section, entry


def now() -> str:
    """The current UTC time as ISO text (seconds), the time stamp of a correction."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def dump_corrections(corrections: Corrections) -> str:
    """Return the corrections as YAML: one flow mapping per entry, one entry per line."""
    import yaml

    lines = [_HEADER.rstrip("\n"), f"version: {corrections.version}"]
    for section in SECTIONS:
        entries = getattr(corrections, section)
        if not entries:
            lines.append(f"{section}: []")
            continue
        lines.append(f"{section}:")
        for entry in entries:
            flow = yaml.safe_dump(entry_dict(entry), default_flow_style=True,
                                  allow_unicode=True, width=1 << 20, sort_keys=False).strip()
            lines.append(f"  - {flow}")
    return "\n".join(lines) + "\n"


def save_corrections(corrections: Corrections, path: Path) -> None:
    """Write ``corrections`` to ``path`` atomically, keeping the previous version.

    The old file is copied into ``.corrections/`` beside it (time-stamped; the last
    KEEP_VERSIONS are kept) before the new one is renamed into place, so neither a crash
    nor a bad edit loses work. Raises InputError if the folder is not writable.
    """
    from ..textio import write_atomic

    path = Path(path)
    if path.is_file():
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
    write_atomic(path, dump_corrections(corrections))


def _prune(backups: Path, path: Path) -> None:
    versions = sorted(backups.glob(f"{path.stem}-*{path.suffix}"))
    for old in versions[:-KEEP_VERSIONS]:
        with contextlib.suppress(OSError):  # an undeletable old version costs disk space
            os.unlink(old)


def to_json(corrections: Corrections) -> str:
    """The corrections as JSON (what the edit API returns)."""
    return json.dumps(corrections.to_dict(), ensure_ascii=False)
