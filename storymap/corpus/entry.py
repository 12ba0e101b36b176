"""One analysis as the cache keeps it and as workers send it back: a compact entry.

An entry is :func:`marshal.dumps` of the analysis's ``to_dict()`` with each place listed
once (a mention's place and a name's candidates refer to it by index: a text names the
same town many times, and most candidates are shared by several names), its records
(places, events, mentions, dates, people) as tuples of their values in field order, and the weight
the text gives each year (:func:`storymap.pipeline.dates.year_weights`), so that the
story's year is found without scanning every text again. The candidates a name had
besides the chosen place are a marshal of their own inside, read when first asked for.

Why marshal rather than the JSON it was (issue 19, the rebuild after one text changed):
for the 1,322 WOTR texts, gunzip and ``json.loads`` took ~0.35 s of a 1.7 s rebuild,
marshal takes ~0.09 s; listing places once halves what is built from it. marshal, like
pickle, is not meant for data from strangers: an entry is storymap's own output, written
under a key that hashes this very code and this Python's version
(:func:`storymap.corpus.cache.context_key`) in the user's own cache directory, or sent by
the user's own workers (which Dask already trusts with pickles). Its format changes
between Python versions, so the header names the version that wrote it and an entry from
another is refused as a mismatch, never misread.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import StoryFormatError
from ..lang import load_profile
from ..model.records import as_dict
from ..pipeline.analysis import DocumentAnalysis, place_from_dict
from ..pipeline.dates import year_weights
from ..resolvers.base import Candidate

__all__ = ["Entry", "decode", "encode", "long_lived"]

#: The first bytes of every entry: the layout and the Python whose marshal wrote it.
MAGIC = f"storymap analysis entry 2, python {sys.version_info[0]}.{sys.version_info[1]}\n".encode()


@dataclass(frozen=True)
class Entry:
    """A decoded entry: the analysis and how much its text names each year."""

    analysis: DocumentAnalysis
    years: Mapping[int, int] = field(default_factory=dict)


def encode(analysis: DocumentAnalysis, *, years: Mapping[int, int] | None = None) -> bytes:
    """Return ``analysis`` as an entry (see the module docstring); ``years`` are its text's
    :func:`year_weights` when the caller has them already."""
    table: list[tuple[Any, ...]] = []
    seen: dict[int, int] = {}

    def ref(place: Candidate) -> int:
        # By object: the reader hands the same candidate to every mention of a name (the
        # objects live as long as this call, so their ids are theirs).
        index = seen.get(id(place))
        if index is None:
            index = seen[id(place)] = len(table)
            values = as_dict(place)  # lat and lon as floats, as place_from_dict makes them
            values["lat"], values["lon"] = float(place.lat), float(place.lon)
            table.append(tuple(values.values()))
        return index

    # Records as tuples of their values in field order (the reader that wrote them is the
    # reader that reads them: the key says so): no keys to store, read and pass.
    mentions = [(tuple(as_dict(r.mention).values()), None if r.place is None else ref(r.place))
                for r in analysis.mentions]
    chosen = len(table)  # the places of mentions come first: they are read at once
    names = {name: [ref(c) for c in cands] for name, cands in analysis.candidates.items()}
    # The runners-up (two places in three) are read only when a step asks for them.
    later = marshal.dumps((names, table[chosen:]))
    data = replace(analysis, mentions=(), candidates={}).to_dict()
    data["mentions"] = mentions
    for name in ("people", "dates"):
        data[name] = [tuple(x.values()) for x in data[name]]
    data["events"] = [tuple(_event_values(e)) for e in data["events"]]
    if data["records"] is not None:
        for name in ("mentions", "dates"):
            data["records"][name] = [tuple(x.values()) for x in data["records"][name]]
    if years is None:
        years = year_weights(analysis.document.text, profile=load_profile(analysis.language))
    return MAGIC + marshal.dumps((data, table[:chosen], sorted(years.items()), later))


def _event_values(event: dict[str, Any]) -> Iterator[Any]:
    for name, value in event.items():
        yield tuple(tuple(r.values()) for r in value) if name in ("places", "sources") \
            else value


def decode(data: bytes, *, name: str = "<analysis>") -> Entry:
    """Return the entry of :func:`encode`'s bytes; raise StoryFormatError if it is damaged
    or was written by another Python."""
    if not data.startswith(MAGIC):
        made = data[:len(MAGIC)].split(b"\n", 1)[0].decode("utf-8", "replace")
        raise StoryFormatError(f"{name}: not an analysis entry of this storymap and Python "
                               f"({made[:60]!r}); analyse the text again")
    try:
        body, table, years, later = marshal.loads(memoryview(data)[len(MAGIC):])
        places = [place_from_dict(p) for p in table]
        counts = {int(year): int(weight) for year, weight in years}
        if not isinstance(body, dict) or not isinstance(later, bytes):
            raise TypeError("not an analysis")
    except (EOFError, ValueError, TypeError, KeyError) as exc:
        raise StoryFormatError(f"{name}: damaged ({type(exc).__name__}); "
                               "analyse the text again") from None
    analysis = DocumentAnalysis.from_dict(body, filename=name, places=places,
                                          candidates=_Candidates(later, places, name),
                                          later=True)
    return Entry(analysis, counts)


@contextlib.contextmanager
def long_lived() -> Iterator[None]:
    """Put what is made inside straight into the cycle collector's oldest generation.

    A rebuild decodes the entries of every unchanged text: 100,000s of records that live
    until the story is written and hold no cycles (marshal data, frozen records). The
    collector's young-generation passes walked each of them once or twice for nothing
    (one pass of 24 ms in a 0.7 s rebuild of the 1,322 WOTR texts). Collection is paused
    while they are made; then ``gc.freeze`` and ``gc.unfreeze`` move everything young to
    the oldest generation (two list splices), whose full passes are rare. Nothing is
    left frozen, and garbage made meanwhile is still collected, later. Left alone when
    the collector is off or someone froze objects before (unfreezing would free theirs).
    """
    if not gc.isenabled() or gc.get_freeze_count():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.enable()


class _Candidates(Mapping[str, tuple[Candidate, ...]]):
    """An analysis's candidates, read from the entry the first time they are asked for.

    Only reviews, the editor and online lookups ask; a build's combine never does. Read
    once (two threads may both read it; they find the same). Pickled as a plain dict.
    """

    def __init__(self, data: bytes, chosen: list[Candidate], name: str) -> None:
        self._data: bytes | None = data
        self._chosen = chosen
        self._name = name
        self._read: dict[str, tuple[Candidate, ...]] = {}

    def _mapping(self) -> dict[str, tuple[Candidate, ...]]:
        data = self._data
        if data is not None:
            try:
                names, extra = marshal.loads(data)
                places = self._chosen + [place_from_dict(p) for p in extra]
                self._read = {str(k): tuple(places[i] for i in v) for k, v in names.items()}
            except (EOFError, ValueError, TypeError, KeyError, IndexError) as exc:
                raise StoryFormatError(f"{self._name}: damaged ({type(exc).__name__}); "
                                       "analyse the text again") from None
            self._data = None
        return self._read

    def __getitem__(self, key: str) -> tuple[Candidate, ...]:
        return self._mapping()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())

    def __reduce__(self) -> tuple[type[dict[str, tuple[Candidate, ...]]],
                                  tuple[dict[str, tuple[Candidate, ...]]]]:
        return dict, (dict(self._mapping()),)

    def __repr__(self) -> str:
        return repr(self._mapping())
