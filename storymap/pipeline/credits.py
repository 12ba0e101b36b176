"""Credits from what a story used: its own texts and the datasets of its places.

A story credits each of its documents (the title, url and licence a ``sources.json`` gave
it, else its own title) and only the datasets that placed its pins or draw its map. Which
dataset a place comes from is read from its ``source`` ("GeoNames 3054643") and, for an
outline, from the ``attribution`` of the places/*.geojson file that holds it; the credit
text of each dataset comes from one table, ``places/credits/datasets.json``, so a region
can add its own datasets without code.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import GazetteerError
from ..geo.derived import cached_json
from ..model import Attribution, Document, Place
from ..model.datasets import Dataset
from ..resolvers.packs import pack_datasets  # the packs added with `gazetteer add`

__all__ = ["datasets", "story_attributions", "text_attribution"]


def story_attributions(documents: Sequence[Document],
                       places: Iterable[Place]) -> tuple[Attribution, ...]:
    """Return the credits of a story: each text, then each dataset its places used.

    The basemap datasets (``basemap: true``) are always credited: every view draws them.
    """
    out: list[Attribution] = []
    seen: set[Attribution] = set()  # a list's `in` made 1,322 texts take 870,000 compares
    for doc in documents:
        credit = text_attribution(doc)
        if credit not in seen:
            seen.add(credit)
            out.append(credit)
    table = datasets() + pack_datasets()
    outlines = outline_sources()
    used: set[str] = {d.id for d in table if d.basemap}
    named: dict[str, set[str]] = {}  # source → the datasets it names (few distinct sources)
    for place in places:
        sources = [place.source]
        if place.geometry is not None and place.id in outlines:
            sources.append(outlines[place.id])
        for s in sources:
            if s:
                found = named.get(s)
                if found is None:
                    found = named[s] = {d.id for d in table if d.matches(s)}
                used |= found
    out.extend(d.attribution for d in table if d.id in used)
    return tuple(out)


def text_attribution(doc: Document) -> Attribution:
    """Return the credit of one source text (never another text's: only its own title)."""
    text = f"Text: {doc.title}" + (f", {doc.license}" if doc.license else "")
    return Attribution(name=doc.title, license=doc.license, url=doc.url, text=text)


@functools.cache
def datasets(path: Path | None = None) -> tuple[Dataset, ...]:
    """Return the datasets of places/credits/datasets.json; raise GazetteerError if broken."""
    from ..resources import data_dir

    file = path or data_dir("places") / "credits" / "datasets.json"
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(raw, list):
            raise TypeError(f"expected a list of datasets, got {type(raw).__name__}")
        return tuple(_dataset(entry) for entry in raw)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GazetteerError(f"{file}: cannot read the datasets to credit ({exc}); "
                             "fix the file (see places/credits/README.md)") from None


def _dataset(entry: Mapping[str, Any]) -> Dataset:
    sources = entry.get("sources") or [entry["name"]]
    if not isinstance(sources, list):
        raise TypeError(f"dataset {entry.get('id')!r}: sources must be a list")
    return Dataset(
        id=str(entry["id"]),
        attribution=Attribution(name=str(entry["name"]), license=str(entry["license"]),
                                url=str(entry["url"]), text=str(entry["text"])),
        sources=tuple(str(s) for s in sources),
        basemap=bool(entry.get("basemap", False)),
    )


@functools.cache
def outline_sources(directory: Path | None = None) -> dict[str, str]:
    """Return {place id: attribution of the places/*.geojson file with its outline}.

    Parsing the outlines takes tens of milliseconds, so the answer is cached in the cache
    directory, keyed by the files' names, sizes and times (like the parsed gazetteer).
    """
    from ..resources import data_dir

    folder = directory or data_dir("places")
    files = sorted(folder.glob("*.geojson"))
    return cached_json("outline-credits", files, build=lambda: _outline_sources(files),
                       load=_credit_table, dump=lambda table: table)


def _outline_sources(files: Sequence[Path]) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in files:
        try:
            fc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise GazetteerError(f"{path}: cannot load outlines ({exc})") from None
        credit = str(fc.get("attribution") or fc.get("source") or "")
        for feat in fc.get("features", ()):
            pid = (feat.get("properties") or {}).get("id")
            if pid:
                out.setdefault(str(pid), credit)
    return out


def _credit_table(data: Any) -> dict[str, str]:
    if not isinstance(data, dict):
        raise ValueError("not a table of credits")
    return {str(k): str(v) for k, v in data.items()}


