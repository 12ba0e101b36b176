"""Building with corrections again on every fix in edit mode.

:class:`EditSession` keeps the analyses of the texts in memory, so a new correction is
applied to them and the story recombined without reading the texts again (the issue's
target: ≤ 300 ms from a correction posted to the story served). The build of
``storymap build`` (:func:`build_corrected`) is in :mod:`.build`, named here too.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..corpus import Failure, Progress, ReadOptions, RunOptions
from ..errors import CorrectionsError, StorymapError
from ..text.folding import fold
from .apply import Applier
from .build import Built, build_corrected, corrections_path, read_all
from .fileio import (
    FILE_NAME,
    load_corrections,
    parse_entry,
    read_corrections,
    save_corrections,
)
from .lookup import OnlineLookups, rejections_file
from .model import SECTIONS, Corrections, PlaceFix
from .online import keep_online, place_fix

if TYPE_CHECKING:
    from ..geo.gazetteer import Gazetteer
    from ..model import Story
    from ..pipeline.analysis import DocumentAnalysis
    from ..pipeline.online import OnlineRun
    from ..resolvers.base import Candidate
    from .review import ReviewItem

__all__ = ["Built", "EditSession", "build_corrected", "corrections_path"]


class EditSession:
    """A story being corrected: analyses read once; each change re-applies the corrections.

    Changes are serialised by a lock; the file is saved (atomically, previous version kept)
    before the new story replaces the old one, so what is served is always what is saved.
    """

    def __init__(self, analyses: Sequence[DocumentAnalysis], *, path: Path,
                 title: str | None = None, gazetteer: Gazetteer | None = None,
                 year: int | None = None, lookups: OnlineLookups | None = None,
                 failures: Sequence[Failure] = ()) -> None:
        from ..geo.gazetteer import load_gazetteer

        #: the online side: "Look these up online", proposals, the search box's online part
        self.lookups = lookups or OnlineLookups()
        # Corrections are applied again on every change: keep the passages at hand.
        self.analyses = tuple(a.restored() for a in analyses)
        self.path = Path(path)
        self.lookups.remember_in(rejections_file(self.path))  # rejected stays rejected
        self.title = title
        self.year = year  # --year: as in `build` (texts that name no year take it)
        self.failures = tuple(failures)
        self.gazetteer = gazetteer or load_gazetteer()
        self.known = frozenset(self.gazetteer.entries)
        self._lock = threading.Lock()
        self._offered: dict[str, Candidate] = {}
        self._base: tuple[Any, Story, list[Any], list[Any]] | None = None
        self._analysed: dict[Any, Any] = {}
        self._file = read_corrections(self.path, known_places=self.known, missing_ok=True)
        self.corrections = self._file.corrections
        self._stamp = _stamp(self.path)
        self.story, self.applier = self._build(self.corrections)

    @classmethod
    def from_paths(cls, paths: Sequence[Path], *, corrections: Path | None = None,
                   options: ReadOptions | None = None, run: RunOptions | None = None,
                   title: str | None = None, on_progress: Progress | None = None,
                   online: OnlineRun | None = None,
                   save_online: bool = False) -> EditSession:
        """Read and analyse the texts once, as ``build`` does (:func:`build_corrected`);
        corrections default to corrections.yaml beside them.

        With an online resolver among the resolvers the names nothing offline places are
        looked up (``online`` caps and reports it) and, with ``save_online``, the answers
        are added to the corrections file; the editor's own lookups use that service.
        """
        from ..geo.gazetteer import load_gazetteer
        from ..pipeline import OnlineRun, look_up_online
        from ..resolvers import ONLINE_DEFAULT, get_resolver
        from ..resolvers import online_resolvers as online_of

        options = options or ReadOptions()
        analysed = read_all(paths, options, run, on_progress)
        analyses = analysed.analyses
        gazetteer = load_gazetteer()
        web = online_of([get_resolver(n) for n in options.resolvers])
        first = Path(paths[0])
        path = corrections or (first if first.is_dir() else first.parent) / FILE_NAME
        online = online or OnlineRun()
        if web:
            fixes = Applier(load_corrections(path, missing_ok=True))
            analyses = tuple(look_up_online(analyses, web, run=online, settled=fixes.settles,
                                            gazetteer=gazetteer))
        lookups = OnlineLookups(service=web[0].name if web else ONLINE_DEFAULT,
                                limit=online.limit, resolver=web[0] if web else None)
        session = cls(analyses, path=path, title=title, gazetteer=gazetteer, year=analysed.year,
                      lookups=lookups, failures=analysed.failures)
        if web and save_online:
            keep_online(session.story, path, online)
            with session._lock:
                session._sync()
        return session

    def _build(self, corrections: Corrections) -> tuple[Story, Applier]:
        """Apply ``corrections``; the combined story of the names is reused while they stay.

        Most fixes are to events and places (a date, a pin): those change only the story,
        so the analyses are combined again only when the names change.
        """
        from ..pipeline import combine

        applier = Applier(corrections, gazetteer=self.gazetteer, cache=self._analysed)
        named = {f.place for f in corrections.names}
        key = (corrections.names, tuple(p for p in corrections.places if p.id in named))
        if self._base is None or self._base[0] != key:
            names_only = _NamesOnly(applier)
            base = combine(self.analyses, names_only, title=self.title, gazetteer=self.gazetteer,
                           year=self.year)
            self._base = (key, base, list(applier.unmatched), list(applier.applied))
        _, base, unmatched, applied = self._base
        applier.unmatched, applier.applied = list(unmatched), list(applied)
        return applier.story(base), applier

    # -- changes ----------------------------------------------------------------------
    def add(self, data: Any) -> Story:
        """Check one entry (``{"events": [{…}]}``), save it and return the updated story.

        A names/events entry may name a runner-up candidate or a place of the story that is
        not curated (``geonames:…``): it is copied into the file's places first, so the file
        stands on its own. Raises CorrectionsError for an entry that cannot be used.
        """
        with self._lock:
            self._sync()
            extra = self._places_named(data)
            current = self.corrections
            for fix in extra:
                current = current.added(fix)
            _, entry = parse_entry(data, known_places=self.known, current=current)
            if isinstance(entry, PlaceFix) and not entry.license:
                # a pin moved keeps its source; the file says under which licence
                from dataclasses import replace as _replace

                from .online import license_of

                entry = _replace(entry, license=license_of(entry.source))
            return self._commit(current.added(entry))

    def undo(self) -> Story:
        """Remove the most recent correction the app added; save; return the story."""
        with self._lock:
            self._sync()
            return self._commit(self.corrections.undone())

    def remove(self, section: str, index: int) -> Story:
        """Remove entry ``index`` of ``section`` (a correction that no longer matches)."""
        with self._lock:
            self._sync()
            try:
                if section not in SECTIONS:
                    raise IndexError(section)
                changed = self.corrections.without(section, index)
            except IndexError:
                raise CorrectionsError(f"{self.path}: no entry {section[:40]!r}[{index}]; "
                                       "reload the page") from None
            return self._commit(changed)

    def _commit(self, corrections: Corrections) -> Story:
        """Build, then save (checked by reading it back), then serve: all or nothing."""
        story, applier = self._build(corrections)
        self._file = save_corrections(corrections, self.path, previous=self._file,
                                      known_places=self.known)
        self.corrections, self.story, self.applier = corrections, story, applier
        self._stamp = _stamp(self.path)
        return story

    def _sync(self) -> None:
        """Take in the file as it is on disk if someone edited it by hand meanwhile.

        Raises CorrectionsError (one line) if the hand edit broke it: nothing is written
        over it then.
        """
        if _stamp(self.path) == self._stamp:
            return
        found = read_corrections(self.path, known_places=self.known, missing_ok=True)
        self.story, self.applier = self._build(found.corrections)
        self._file, self.corrections, self._stamp = found, found.corrections, _stamp(self.path)

    def _places_named(self, data: Any) -> list[PlaceFix]:
        """PlaceFix entries for uncurated places an incoming entry names by id."""
        wanted: list[str] = []
        if isinstance(data, Mapping):  # its shape is checked after, by parse_entry
            names, events = data.get("names"), data.get("events")
            for raw in names if isinstance(names, list) else ():
                if isinstance(raw, Mapping) and isinstance(raw.get("place"), str):
                    wanted.append(raw["place"])
            for raw in events if isinstance(events, list) else ():
                if isinstance(raw, Mapping) and isinstance(raw.get("places"), list):
                    wanted += [p for p in raw["places"] if isinstance(p, str)]
        have = self.known | self.corrections.place_ids()
        found = self._candidates()
        return [place_fix(found[pid]) for pid in dict.fromkeys(wanted)
                if pid not in have and pid in found]

    def _candidates(self) -> dict[str, Candidate]:
        from ..resolvers.base import Candidate

        out: dict[str, Candidate] = {**self.lookups.offered(), **self._offered}
        for a in self.analyses:
            for cands in a.candidates.values():
                for c in cands:
                    out.setdefault(c.id, c)
        for p in self.story.places:
            out.setdefault(p.id, Candidate(id=p.id, name=p.name, lat=p.lat, lon=p.lon,
                                           kind=p.kind, country=p.country, source=p.source,
                                           names=p.names))
        return out

    # -- reading ----------------------------------------------------------------------
    def review(self) -> list[ReviewItem]:
        """The doubtful readings of the current story, most doubtful first."""
        from .review import review

        self.lookups.load_cached(self.applier.applied, self.applier.settles)
        return review(self.story, self.applier.applied, corrections=self.corrections,
                      unmatched=self.applier.unmatched, gazetteer=self.gazetteer,
                      proposals=self.lookups.proposals)

    def review_json(self) -> list[dict[str, Any]]:
        """The review list as JSON-ready dicts (for the edit page)."""
        from .review import review_json

        return review_json(self.review())

    def summary(self) -> dict[str, Any]:
        """The file's name and content, and the entries that no longer match."""
        return {"path": self.path.name, "corrections": len(self.corrections),
                "file": self.corrections.to_dict(), "unmatched": self.applier.report()}

    def candidates_for(self, name: str, *, limit: int = 12) -> list[dict[str, Any]]:
        """Places ``name`` could be (curated, then GeoNames), with country and distance."""
        from ..resolvers import get_resolver
        from .review import choices_json

        name = name.strip()[:200]
        if not name:
            return []
        found: list[Candidate] = list(self.gazetteer.candidates(name))
        with contextlib.suppress(StorymapError):  # no GeoNames index: curated places only
            found += get_resolver("geonames").candidates(name)
        for c in found[:limit]:  # a match picked from this list may then be named by id
            self._offered.setdefault(c.id, c)
        return choices_json(found[:limit], self.story)

    def search(self, name: str, *, online: bool = False, limit: int = 20) -> list[dict[str, Any]]:
        """The search box: places called ``name`` in the gazetteer, GeoNames, the packs and
        the answers asked online before — and the service's answers now, only with
        ``online`` (the teacher's consent). Nearest the story's places first, each with
        its kind, division and country. Raises GeocoderError or ConfigError (online)."""
        from .lookup import search_places
        from .review import choices_json

        found = search_places(name, gazetteer=self.gazetteer, lookups=self.lookups,
                              story=self.story, online=online)
        for c in found:  # a result picked from this list may then be named by id
            self._offered.setdefault(c.id, c)
        key = fold(name)  # the places called so first, then those that have it as an alias
        out = choices_json(found, self.story, nearest_first=True)
        return sorted(out, key=lambda c: fold(str(c["name"])) != key)[:limit]

    # -- online ---------------------------------------------------------------------------
    def look_up_online(self) -> dict[str, Any]:
        """Start looking up every unplaced name online (the teacher pressed the button);
        return the job. Raises ConfigError for a geocoder that cannot be set up."""
        with self._lock:
            self._sync()
            applied, settles = self.applier.applied, self.applier.settles
        return self.lookups.start(applied, settles)

    def online_status(self) -> dict[str, Any]:
        """The button's job: state, how many names done of how many, what came of it."""
        return self.lookups.status()

    def reject(self, data: Any) -> None:
        """Forget a proposal: ``{"doc": …, "name": …, "id": …}`` (no id: all for the name).
        Raises CorrectionsError for a malformed request."""
        if not isinstance(data, Mapping) or not all(
                isinstance(data.get(k, ""), str) for k in ("doc", "name", "id")) \
                or not data.get("name"):
            raise CorrectionsError('request: expected {"doc": "…", "name": "…", "id": "…"}')
        self.lookups.reject(str(data.get("doc", "")), data["name"], str(data.get("id", "")))

    def history(self) -> list[dict[str, Any]]:
        """The corrections the app added, oldest first: section, index, time, entry."""
        from .apply import describe
        from .model import entry_dict

        return [{"section": s, "index": i, "at": e.at, "what": describe(s, i, e),
                 "entry": entry_dict(e)} for s, i, e in self.corrections.history()]


def _stamp(path: Path) -> tuple[int, int] | None:
    """(modification time, size) of ``path``, None if it does not exist."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


class _NamesOnly:
    """An Applier's name step alone: combine then leaves the events to ``Applier.story``."""

    def __init__(self, applier: Applier) -> None:
        self.applier = applier

    def analyses(self, analyses: Sequence[DocumentAnalysis]) -> Sequence[DocumentAnalysis]:
        return self.applier.analyses(analyses)

    def settles(self, doc: str, name: str) -> bool:
        return self.applier.settles(doc, name)

    def story(self, story: Story) -> Story:
        return story
