"""Build something from a language profile once per profile object (grammars, word sets)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from .profile import Profile, load_profile

__all__ = ["PerProfile"]

_T = TypeVar("_T")


class PerProfile(Generic[_T]):
    """``build(profile)`` cached per profile: ``PerProfile(build)(profile or None)``.

    A Profile holds a mapping, so it cannot key a ``functools.cache``; this keys on the
    object itself (kept alive beside its value, so an id is never reused while cached).
    None means the English profile.
    """

    def __init__(self, build: Callable[[Profile], _T]) -> None:
        self._build = build
        self._cache: dict[int, tuple[Profile, _T]] = {}
        self._lock = threading.Lock()

    def __call__(self, profile: Profile | None = None) -> _T:
        p = profile if profile is not None else load_profile("en")
        hit = self._cache.get(id(p))
        if hit is None or hit[0] is not p:
            value = self._build(p)
            with self._lock:
                self._cache[id(p)] = (p, value)
            return value
        return hit[1]
