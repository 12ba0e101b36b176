"""Load a language profile: ``storymap/lang/<code>/*.yaml`` merged into one Profile.

Each YAML file of a language folder is a mapping of section names to either a list of
entries (words or phrases; a string entry holding spaces in a ``words`` section is split)
or a mapping (``months: {january: 1, jan: 1}``). Sections are grouped by the stage that
reads them, one file per stage (``places.yaml``, ``dates.yaml`` …), and a section name is
defined in one file only. A profile may name others it includes (``include: [hu-loans]``):
English texts use Hungarian words such as *utca* and *tér*, so ``en`` includes them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..resources import cache_dir
from ..textio import write_cached

__all__ = ["Profile", "load_profile"]

_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Profile:
    """The words of one language (with those of the profiles it includes)."""

    code: str
    sections: Mapping[str, Any] = field(repr=False)

    def _get(self, key: str) -> Any:
        try:
            return self.sections[key]
        except KeyError:
            raise ConfigError(
                f"language profile {self.code!r} has no section {key!r}; add it to a file "
                f"in storymap/lang/{self.code}/"
            ) from None

    def words(self, key: str) -> frozenset[str]:
        """Return section ``key`` as a set of single words (whitespace-separated strings split).

        Raises ConfigError if the profile has no such section.
        """
        return frozenset(w for entry in self._list(key) for w in entry.split())

    def phrases(self, key: str) -> tuple[str, ...]:
        """Return section ``key`` as an ordered tuple of entries (words or phrases)."""
        return self._list(key)

    def table(self, key: str) -> Mapping[str, Any]:
        """Return section ``key`` as a mapping (``months: {january: 1}``)."""
        value = self._get(key)
        if not isinstance(value, Mapping):
            raise ConfigError(f"language profile {self.code!r}: section {key!r} is not a mapping")
        return value

    def has(self, key: str) -> bool:
        """Return whether the profile defines section ``key``."""
        return key in self.sections

    def _list(self, key: str) -> tuple[str, ...]:
        value = self._get(key)
        if not isinstance(value, list):
            raise ConfigError(f"language profile {self.code!r}: section {key!r} is not a list")
        return tuple(str(v) for v in value)


def available() -> tuple[str, ...]:
    """Return the codes of the bundled profiles.

    >>> "en" in available()
    True
    """
    return tuple(sorted(p.name for p in _HERE.iterdir() if p.is_dir() and p.name[0] not in "_."))


@functools.cache
def load_profile(code: str = "en") -> Profile:
    """Return the profile of language ``code``, loaded once.

    Raises ConfigError for an unknown code (naming the known ones) or a malformed file.
    """
    return Profile(code=code, sections=_parsed(code))


def _parsed(code: str) -> dict[str, Any]:
    """Return the merged sections of profile ``code``, from a copy in the cache directory
    while no file of the profiles changed.

    Parsing the YAML (and importing the parser) cost every command 15-20 ms, a tenth of a
    corpus rebuild from the cache. The copy is marshal data named by the files' names,
    sizes, modification and change times (a write always changes the latter) and the
    Python version; anything wrong with it, or a profile marshal cannot hold, and the YAML
    is parsed as before.
    """
    stamp = []
    for path in sorted(_HERE.rglob("*.yaml")):
        with contextlib.suppress(OSError):
            st = path.stat()
            stamp.append((path.relative_to(_HERE).as_posix(), st.st_size, st.st_mtime_ns,
                          st.st_ctime_ns))
    key = hashlib.sha256(repr((code, stamp, sys.version_info[:2])).encode()).hexdigest()[:24]
    copy = cache_dir() / "profiles" / f"{code}-{key}.marshal"
    with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
        sections = marshal.loads(copy.read_bytes())
        if isinstance(sections, dict):
            return sections
    sections = _load(code, ())
    with contextlib.suppress(ValueError):  # a value marshal cannot hold: parsed each time
        write_cached(copy, marshal.dumps(sections))
    return sections


def _load(code: str, stack: tuple[str, ...]) -> dict[str, Any]:
    folder = _HERE / code
    if not folder.is_dir() or code in stack:
        known = ", ".join(available())
        raise ConfigError(f"unknown or circular language profile {code!r}; known: {known}")
    merged: dict[str, Any] = {}
    owner: dict[str, str] = {}
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: same data, 8× faster
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"{path}: cannot read this language file ({exc})") from None
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: expected a mapping of section names")
        for included in data.pop("include", None) or ():
            for key, value in _load(str(included), (*stack, code)).items():
                merged.setdefault(key, value)
        for key, value in data.items():
            if key in owner:
                raise ConfigError(f"{path}: section {key!r} is already defined in {owner[key]}")
            owner[key] = path.name
            merged[key] = value
    return merged
