"""A tuple of records made the first time it is asked for (the corpus cache's analyses)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, overload

from ..errors import StoryFormatError
from ..resolvers.base import Candidate

__all__ = ["Later"]

_R = TypeVar("_R")


class Later(Sequence[_R]):
    """Records made from the cache's compact form the first time they are asked for.

    A rebuild decodes the entry of every unchanged text, and ``combine`` reads none of
    their people, date expressions or mentions (their records and places are enough):
    making those ~28,000 records of the 1,322 WOTR texts was a quarter of the decoding.
    Stands for the tuple it makes: equal to it, hashed and pickled as it. ``places``
    (of mentions) are the places they name, in the order first named, or None. Made
    once (two threads may both make it; they make the same); a damaged entry raises
    StoryFormatError when first read.
    """

    __slots__ = ("_items", "_make", "_name", "_raw", "places")

    def __init__(self, raw: Sequence[Any], make: Callable[[Any], _R], *, name: str,
                 places: Sequence[Candidate] | None = None) -> None:
        self._raw: Sequence[Any] = raw
        self._make = make
        self._name = name
        self._items: tuple[_R, ...] | None = None
        self.places = places

    def _all(self) -> tuple[_R, ...]:
        items = self._items
        if items is None:
            try:
                items = tuple(self._make(x) for x in self._raw)
            except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
                raise StoryFormatError(f"{self._name}: damaged ({type(exc).__name__}); "
                                       "analyse the text again") from None
            self._items, self._raw = items, ()
        return items

    def __len__(self) -> int:
        return len(self._raw) if self._items is None else len(self._items)

    @overload
    def __getitem__(self, index: int) -> _R: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[_R, ...]: ...

    def __getitem__(self, index: int | slice) -> _R | tuple[_R, ...]:
        return self._all()[index]

    def __iter__(self) -> Iterator[_R]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, Later)):
            return self._all() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self) -> tuple[type[tuple[_R, ...]], tuple[tuple[_R, ...]]]:
        return tuple, (self._all(),)
