"""First-level divisions by name: "US.PA" → "Pennsylvania", and back from an address.

A reviewer choosing among three Columbias needs the state, not only "US": GeoNames towns
carry their division as ``parent`` ("US.PA"), and the names come from GeoNames'
admin1 table, vendored as ``places/sources/admin1-names.tsv``
(scripts/build_divisions.py). An online answer names its state in words
("Pennsylvania"); :func:`division_code` finds its code so both kinds of place say the same.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from ..text.folding import fold

__all__ = ["division_code", "division_name", "division_names"]


@functools.cache
def division_names() -> Mapping[str, str]:
    """Return {"US.PA": "Pennsylvania", …} for every first-level division GeoNames names."""
    from ..resources import data_dir

    path = data_dir("places") / "sources" / "admin1-names.tsv"
    out: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:  # a damaged install: divisions are a help for the reviewer, not needed
        return out
    for line in lines:
        if line.startswith("#"):
            continue
        code, _, name = line.partition("\t")
        if code and name:
            out[code] = name
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

    Words such as "State of", "County", "vármegye" around the name are tolerated when the
    rest is a division's whole name.

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
    # "heves varmegye", "state of sao paulo": the longest run of words that is a division
    for size in range(len(words) - 1, 0, -1):
        for start in range(len(words) - size + 1):
            found = table.get((country, " ".join(words[start:start + size])))
            if found:
                return found
    return ""
