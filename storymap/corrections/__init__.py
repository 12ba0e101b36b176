"""A teacher's corrections to what storymap read: a YAML file every build applies.

    model.py    frozen entries (PlaceFix, NameFix, EventFix) and the strict parser
    fileio.py   load (one-line errors), atomic save with the last 50 versions kept

Format and examples: docs/corrections.md; JSON Schema:
storymap/schema/corrections.schema.json.
"""

from __future__ import annotations

from .fileio import (
    BACKUP_DIR,
    FILE_NAME,
    KEEP_VERSIONS,
    dump_corrections,
    find_corrections,
    load_corrections,
    parse_entry,
    save_corrections,
)
from .model import Corrections, EventFix, NameFix, PlaceFix

__all__ = [
    "BACKUP_DIR",
    "FILE_NAME",
    "KEEP_VERSIONS",
    "Corrections",
    "EventFix",
    "NameFix",
    "PlaceFix",
    "dump_corrections",
    "find_corrections",
    "load_corrections",
    "parse_entry",
    "save_corrections",
]
