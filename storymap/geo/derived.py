"""Data derived from bundled files, cached as JSON in the cache directory.

Parsing the gazetteer's YAML, the region files or the outlines' GeoJSON takes tens to
hundreds of milliseconds that every run would pay again. What is built from them is kept
as JSON beside the GeoNames index, keyed by the files' names, sizes and modification
times (editing a file rebuilds it). A cache that is missing, stale or damaged is rebuilt;
a cache directory that cannot be written is not an error: every run then builds anew.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from ..errors import StorymapError

__all__ = ["cached_json"]

T = TypeVar("T")


def cached_json(kind: str, files: Sequence[Path], *, build: Callable[[], T],
                load: Callable[[Any], T], dump: Callable[[T], Any],
                version: object = None) -> T:
    """Return what ``build()`` makes of ``files``, from the JSON cache when it is current.

    ``dump`` turns the value into JSON data and ``load`` back; ``load`` raises ValueError,
    KeyError or TypeError for data it cannot use (then the value is built again).
    ``version`` changes the key when the format of the derived data changes. Exceptions
    of ``build`` (a broken file: GazetteerError) pass through.
    """
    cache = _cache_file(kind, files, version)
    for found in (cache, _shipped(kind, files)):
        if found is not None and found.is_file():
            try:
                return load(json.loads(found.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                pass  # a stale or damaged cache is rebuilt below
    value = build()
    if cache is not None:
        try:
            from ..textio import write_atomic

            cache.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(cache, json.dumps(dump(value), ensure_ascii=False))
        except (OSError, StorymapError):
            pass  # no writable cache directory: every run builds it
    return value


def _shipped(kind: str, files: Sequence[Path]) -> Path | None:
    """The derived data an installed wheel ships (hatch_build.py), for the bundled files it
    was built from: files of the installed package, places/ among them (their times change
    on install, so the cache's stamp cannot say the data are theirs)."""
    from ..resources import shipped

    found = shipped(f"derived-{kind}.json")
    if found is None:
        return None
    package = Path(__file__).resolve().parents[1]
    try:
        bundled = all(f.resolve().is_relative_to(package) for f in files)
    except OSError:
        return None
    return found if bundled else None


def _cache_file(kind: str, files: Sequence[Path], version: object) -> Path | None:
    try:
        from ..resources import cache_dir

        stamp = hashlib.sha1(repr([(str(f), f.stat().st_size, f.stat().st_mtime_ns, version)
                                   for f in files]).encode()).hexdigest()[:16]
        return cache_dir() / f"{kind}-{stamp}.json"
    except (OSError, RuntimeError):
        return None
