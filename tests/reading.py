"""The place reader on the small test gazetteer (``tests/data/places``), for the reader's
unit tests: each module gives its own made-up table of what GeoNames knows of a name."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from storymap.geo.gazetteer import Gazetteer
from storymap.pipeline.mentions import find_mentions
from storymap.pipeline.people import find_people, surnames
from storymap.text.passages import normalise

#: The test gazetteer (the ``gaz`` fixture of tests/conftest.py loads it).
PLACES = Path(__file__).parent / "data" / "places"

Known = Callable[[str], tuple[int, int]]


def knows(table: Mapping[str, tuple[int, int]]) -> Known:
    """What the gazetteers know of a folded name, from ``table`` (else nothing)."""
    return lambda key: table.get(key, (-1, -1))


def read_places(text: str, gaz: Gazetteer, known: Known, *,
                people_known: Known | None = None) -> list[str]:
    """The place mentions read in ``text``, as written (the people finder told what
    ``people_known`` says of names, when given)."""
    ps = normalise(text, doc="t")
    found = find_mentions(ps, gazetteer=gaz,
                          surnames=surnames(find_people(ps, known=people_known)),
                          not_places=frozenset(), known=known)
    return [m.text for m in found]
