"""Where bundled data lives: places/, templates/ and static/.

In a source checkout they sit at the project's top level (the design card asks for
that); in an installed wheel hatchling's force-include puts them in ``storymap/_data``.
"""

from __future__ import annotations

import functools
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def data_dir(name: str) -> Path:
    """Return the directory of bundled data ``name`` ("places", "templates" or "static").

    Raises FileNotFoundError when neither the wheel nor the checkout has it.
    """
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"storymap data directory {name!r} is missing; reinstall storymap")
