"""First-level divisions by name for people: "US.PA" → "Pennsylvania", and back.

A reviewer choosing among three Columbias needs the state, not only "US": GeoNames towns
carry their division as ``parent`` ("US.PA"); the names are the first-level rows of
``places/divisions/divisions.tsv`` (GeoNames admin1 names, CC BY 4.0; built by
scripts/build_divisions.py, read here without its place index). An online answer names
its state in words ("Pennsylvania"); :func:`division_code` finds its code, so both kinds
of place say the same.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping

from ..text.folding import fold

__all__ = ["division_code", "division_name", "division_names"]


@functools.cache
def division_names() -> Mapping[str, str]:
    """Return {"US.PA": "Pennsylvania", …} for every first-level division with a code."""
    from ..resources import data_dir

    path = data_dir("places") / "divisions" / "divisions.tsv"
    out: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = csv.DictReader((line for line in f if not line.startswith("#")),
                                  delimiter="\t")
            for row in rows:
                code, names = row.get("code") or "", row.get("names") or ""
                if code and names:
                    out.setdefault(code, names.split("|")[0])
    except (OSError, csv.Error):  # a damaged install: divisions help the reviewer, no more
        return out
    return out


def division_name(parent: str) -> str:
    """Return the name of the division ``parent`` names ("US.PA" → "Pennsylvania"), or "".

    >>> division_name("US.PA"), division_name("budapest"), division_name("")
    ('Pennsylvania', '', '')
    """
    if "." not in parent:
        return ""
    return division_names().get(parent, "")


@functools.cache
def _by_name() -> Mapping[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for code, name in division_names().items():
        out.setdefault((code.split(".", 1)[0], fold(name)), code)
    return out


def division_code(country: str, name: str) -> str:
    """Return the code of the division of ``country`` called ``name`` ("US", "Pennsylvania"
    → "US.PA"), or "" when none is called so.

    Words around the name ("State of", "vármegye") are tolerated when the rest is a
    division's whole name.

    >>> division_code("US", "Pennsylvania"), division_code("HU", "Heves vármegye")
    ('US.PA', 'HU.11')
    >>> division_code("US", "Atlantis")
    ''
    """
    country = country.upper()
    key = fold(name)
    if not country or not key:
        return ""
    table = _by_name()
    found = table.get((country, key))
    if found:
        return found
    words = key.split()
    for size in range(len(words) - 1, 0, -1):  # the longest run of words that is one
        for start in range(len(words) - size + 1):
            found = table.get((country, " ".join(words[start:start + size])))
            if found:
                return found
    return ""
