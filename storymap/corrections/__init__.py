"""A teacher's corrections to what storymap read: a YAML file every build applies.

    model.py    frozen entries (PlaceFix, NameFix, EventFix) and the strict parser
    parse.py    the strict parser: one-line errors naming file, entry and what to do
    fileio.py   load, atomic save with the last 50 versions kept
    apply.py    Applier: names to the analyses, events and places to the story (combine)
    review.py   the doubtful readings, most doubtful first
    session.py  build with corrections; EditSession for `storymap serve --edit`
    online.py   online answers kept offline: places (source, licence) and names entries
    lookup.py   the editor's online lookups, their proposals, and the place search
    cli.py      `storymap review` and `serve --edit`

Format and examples: docs/corrections.md; JSON Schema:
storymap/schema/corrections.schema.json.
"""

from __future__ import annotations

from .apply import Applier
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
    "Applier",
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
