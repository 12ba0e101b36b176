"""Where bundled data lives (places/, templates/, static/) and where caches go.

In a source checkout they sit at the project's top level (the design card asks for
that); in an installed wheel hatchling's force-include puts them in ``storymap/_data``.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    """Return storymap's cache directory (not created here).

    ``$STORYMAP_CACHE_DIR``, else ``$XDG_CACHE_HOME/storymap``, else ``~/.cache/storymap``.
    """
    explicit = os.environ.get("STORYMAP_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "storymap"


def shipped(name: str) -> Path | None:
    """Return the file ``name`` that an installed wheel ships prebuilt, or None.

    The wheel's build hook (hatch_build.py) puts there what a first start would otherwise
    build: the GeoNames index and the built-in story. A checkout (or an editable install)
    has none; it builds them into the cache on first use.
    """
    path = _PACKAGE / "_data" / "prebuilt" / name
    return path if path.is_file() else None


@functools.cache
def data_dir(name: str) -> Path:
    """Return the directory of bundled data ``name`` ("places", "templates" or "static").

    Raises FileNotFoundError when neither the wheel nor the checkout has it.
    """
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"storymap data directory {name!r} is missing; reinstall storymap")
