"""Online answers kept offline: the places a lookup found, written to corrections.yaml.

A build with ``--online`` (and every answer a teacher accepts in the editor) leaves the
place in the file's ``places:`` — with its source ("OpenStreetMap Nominatim: <address>")
and licence — and a ``names:`` entry linking the name in that document to it, so every
later build, export and class is offline and shows the same pins.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.kinds import PLACE_KINDS
from ..text.folding import fold
from .fileio import load_corrections, now, save_corrections
from .model import Corrections, Entry, NameFix, PlaceFix

if TYPE_CHECKING:
    from ..model import Place, Story
    from ..pipeline.online import OnlineRun
    from ..resolvers.base import Candidate

__all__ = ["ONLINE_PREFIX", "keep_online", "license_of", "online_entries", "place_fix",
           "save_online"]

#: The id prefix of places an online geocoder found (storymap.resolvers.geopy_backend).
ONLINE_PREFIX = "geopy:"


def license_of(source: str) -> str:
    """The licence of the dataset a place's ``source`` names ("OpenStreetMap …" → ODbL), or ""."""
    from ..pipeline.credits import datasets
    from ..resolvers.packs import pack_datasets

    for d in (*datasets(), *pack_datasets()):
        if d.matches(source):
            return d.attribution.license
    return ""


def place_fix(c: Candidate | Place, *, note: str = "") -> PlaceFix:
    """A ``places:`` entry that holds ``c`` on its own: coordinates, source and licence."""
    from .parse import FIELD_LIMITS

    kind = c.kind if c.kind in PLACE_KINDS else "area"
    # a service's address can be long: the file keeps what it can read back
    source = (c.source or "storymap corrections")[:FIELD_LIMITS["source"]]
    return PlaceFix(id=c.id, name=c.name[:FIELD_LIMITS["name"]], kind=kind, lat=c.lat,
                    lon=c.lon, names=dict(c.names), country=c.country[:FIELD_LIMITS["country"]],
                    source=source, license=license_of(c.source), note=note, at=now())


def online_entries(story: Story, current: Corrections, *, note: str) -> list[Entry]:
    """The entries that keep ``story``'s online pins: each place once, each name once per
    document; nothing the file already says."""
    settled = {(f.doc, fold(f.name)) for f in current.names}
    have = current.place_ids()
    places = {p.id: p for p in story.places}
    out: list[Entry] = []
    named: set[tuple[str, str]] = set()
    for m in story.mentions:
        pid = m.place_id or ""
        key = (m.doc, fold(m.text))
        if (not pid.startswith(ONLINE_PREFIX) or pid not in places or key in named
                or key in settled or ("", key[1]) in settled):
            continue
        named.add(key)
        if pid not in have:
            have = have | {pid}
            out.append(place_fix(places[pid], note=note))
        out.append(NameFix(name=m.text, doc=m.doc, place=pid, note=note, at=now()))
    return out


def save_online(story: Story, path: Path, *, note: str,
                known_places: Sequence[str] | None = None) -> int:
    """Add the entries that keep ``story``'s online pins to the corrections file ``path``
    (created if missing); return how many names were added.

    Raises CorrectionsError for a file that cannot be read back and InputError for one
    that cannot be written.
    """
    current = load_corrections(path, missing_ok=True,
                               known_places=None if known_places is None else set(known_places))
    entries = online_entries(story, current, note=note)
    if not entries:
        return 0
    for entry in entries:
        current = current.added(entry)
    save_corrections(current, path)
    return sum(isinstance(e, NameFix) for e in entries)


def keep_online(story: Story, path: Path, run: OnlineRun) -> None:
    """Write the online answers of ``story`` to ``path``; a file that cannot be written is
    one warning (the story itself is fine)."""
    import logging

    from ..errors import StorymapError

    try:
        run.saved = save_online(story, path, note=f"looked up online ({run.label})")
    except StorymapError as exc:
        logging.getLogger("storymap").warning(
            "the online answers were not saved (%s); give --corrections FILE, or --no-save", exc)
        return
    run.saved_to = str(path)
