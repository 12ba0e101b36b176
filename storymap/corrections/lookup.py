"""The editor's online side: "Look these up online", its proposals, and the place search.

Nothing here sends a request unless asked: :meth:`OnlineLookups.start` runs when the
teacher presses the button (it names the service it sends the names to), and
:meth:`OnlineLookups.search` goes online only with ``online=True`` (the search box's own
consent). Every answer is a *proposal* the teacher accepts (a names entry, which copies
the place into the file with its source and licence) or rejects. Answers asked for before
are read from the geocoder's cache at no cost, so proposals come back after a restart
without a request — all but the rejected ones, which are remembered beside that cache
(:func:`rejections_file`, one file per corrections file).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import StorymapError
from ..pipeline.online import OnlineRun, lookup_documents
from ..resolvers import ONLINE_DEFAULT
from ..resources import cache_dir
from ..text.folding import fold
from ..textio import write_atomic

if TYPE_CHECKING:
    from ..geo.gazetteer import Gazetteer
    from ..model import Story
    from ..pipeline.analysis import DocumentAnalysis
    from ..resolvers.base import Box, Candidate, OnlineResolver

__all__ = ["OnlineLookups", "Proposal", "rejections_file", "search_places", "story_box"]


def rejections_file(corrections: Path) -> Path:
    """Where the proposals rejected for the story of ``corrections`` are remembered: in the
    cache directory, like the answers they reject (so clearing the cache forgets both),
    named by a hash of the corrections file's absolute path (one story's rejections never
    hide another's; the path itself is not written anywhere)."""
    digest = hashlib.sha256(str(corrections.resolve()).encode("utf-8", "surrogatepass"))
    return cache_dir() / "online-rejected" / f"{digest.hexdigest()[:24]}.json"


def _read_rejections(path: Path) -> set[tuple[str, str, str]]:
    """The rejections saved in ``path``; none for a missing or damaged file (it only saves
    the teacher from rejecting a proposal twice)."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(rows, list):
        return set()
    return {(r[0], r[1], r[2]) for r in rows
            if isinstance(r, list) and len(r) == 3 and all(isinstance(x, str) for x in r)}


@dataclass(frozen=True)
class Proposal:
    """The answers for one name of one document, nearest first; ``best`` is the id of the one
    near enough to the document's places to have been pinned ("" if none is)."""

    answers: tuple[Candidate, ...]
    best: str = ""


class _JobProgress:
    def __init__(self, job: dict[str, Any]) -> None:
        self.job = job

    def start(self, total: int, label: str) -> None:
        self.job.update(total=total, done=0, service=label)

    def advance(self, name: str) -> None:
        self.job["done"] = int(self.job.get("done", 0)) + 1
        self.job["current"] = name

    def finish(self) -> None:
        self.job.pop("current", None)


class OnlineLookups:
    """Online lookups for one edit session (``service``: a ``geopy:<service>`` name)."""

    def __init__(self, *, service: str = ONLINE_DEFAULT, limit: int = 200,
                 resolver: OnlineResolver | None = None) -> None:
        self.service = service
        self.limit = limit
        self._resolver = resolver
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.proposals: dict[tuple[str, str], Proposal] = {}
        self._rejected: set[tuple[str, str, str]] = set()
        self._remember: Path | None = None  # where rejections are kept (remember_in)
        self._from_cache = False
        self.job: dict[str, Any] = {"state": "idle"}

    def resolver(self) -> OnlineResolver:
        """The online geocoder (made on first use; no request). Raises ConfigError."""
        if self._resolver is None:
            from ..resolvers import get_resolver, online_resolvers

            found = online_resolvers([get_resolver(self.service)])
            if not found:
                from ..errors import ConfigError

                raise ConfigError(f"{self.service!r} is not an online geocoder")
            self._resolver = found[0]
        return self._resolver

    def label(self) -> str:
        """The service's name for people ("OpenStreetMap Nominatim")."""
        try:
            return self.resolver().label
        except StorymapError:
            return self.service

    # -- the button ---------------------------------------------------------------------
    def start(self, analyses: Sequence[DocumentAnalysis], settled: Callable[[str, str], bool],
              done: Callable[[], None] = lambda: None) -> dict[str, Any]:
        """Look up the unplaced names of ``analyses`` in the background; return the job.

        ``done`` is called when it ends (the session refreshes its review). Raises
        ConfigError for a geocoder that cannot be set up.
        """
        resolver = self.resolver()
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return dict(self.job)
            self.job = {"state": "running", "total": 0, "done": 0, "service": resolver.label}
            job = self.job
            docs = list(analyses)
            self._thread = threading.Thread(target=self._run, args=(docs, settled, job, done),
                                            name="storymap-online", daemon=True)
            self._thread.start()
            return dict(job)

    def _run(self, docs: Sequence[DocumentAnalysis], settled: Callable[[str, str], bool],
             job: dict[str, Any], done: Callable[[], None]) -> None:
        run = OnlineRun(limit=self.limit, progress=_JobProgress(job))
        try:
            self._collect(docs, settled, run)
            job.update(state="failed" if run.failure else "done", failure=run.failure,
                       placed=run.placed, proposed=run.proposed, not_asked=run.not_asked,
                       names=run.names, requests=run.requests)
        except Exception as exc:  # a thread has no one to raise to: the page shows it
            job.update(state="failed", failure=f"{type(exc).__name__}: {exc}")
        finally:
            done()

    def _collect(self, docs: Sequence[DocumentAnalysis], settled: Callable[[str, str], bool],
                 run: OnlineRun) -> None:
        from ..lang import load_profile

        languages = {a.id: a.language for a in docs}
        results = lookup_documents(
            [(a.id, a.mentions) for a in docs], [self.resolver()], run, settled=settled,
            articles=lambda doc: load_profile(languages.get(doc, "en")).words("articles"))
        found: dict[tuple[str, str], Proposal] = {}
        for a, (mentions, answers) in zip(docs, results, strict=True):
            best = {fold(r.mention.name): r.place.id for r in mentions if r.place is not None}
            for key, cands in answers.items():
                kept = tuple(c for c in cands if (a.id, key, c.id) not in self._rejected)
                if kept:
                    found[(a.id, key)] = Proposal(answers=kept, best=best.get(key, ""))
        with self._lock:
            self.proposals.update(found)

    def status(self) -> dict[str, Any]:
        """The job as the page polls it: state, total, done, placed near, proposed far."""
        return {**self.job, "service": self.job.get("service") or self.label()}

    def load_cached(self, analyses: Sequence[DocumentAnalysis],
                    settled: Callable[[str, str], bool]) -> None:
        """Proposals from the answers asked for before (once per session; no request)."""
        if self._from_cache:
            return
        self._from_cache = True
        try:
            resolver = self.resolver()
        except StorymapError:
            return
        if not getattr(resolver, "cache_path", None) or not resolver.cache_path.exists():  # type: ignore[attr-defined]
            return
        try:
            self._collect(analyses, settled, OnlineRun(cache_only=True))
        except StorymapError:
            return  # an unreadable cache: no proposals, nothing broken

    def remember_in(self, path: Path) -> None:
        """Keep rejections in ``path`` (see :func:`rejections_file`): read those saved
        before, and save each new one, so a rejected answer stays rejected after a restart."""
        with self._lock:
            self._remember = path
            self._rejected |= _read_rejections(path)
            for key, found in list(self.proposals.items()):
                kept = tuple(c for c in found.answers if (*key, c.id) not in self._rejected)
                if not kept:
                    del self.proposals[key]
                elif kept != found.answers:
                    best = found.best if any(c.id == found.best for c in kept) else ""
                    self.proposals[key] = Proposal(answers=kept, best=best)

    def reject(self, doc: str, name: str, pid: str = "") -> None:
        """Forget the proposal ``pid`` (every proposal, without one) for ``name`` in ``doc``."""
        key = (doc, fold(name))
        with self._lock:
            found = self.proposals.get(key)
            if found is None:
                return
            kept = tuple(c for c in found.answers if pid and c.id != pid)
            self._rejected.update((doc, key[1], c.id) for c in found.answers if c not in kept)
            if kept:
                self.proposals[key] = Proposal(answers=kept,
                                               best=found.best if found.best != pid else "")
            else:
                del self.proposals[key]
            if self._remember is not None:
                try:
                    self._remember.parent.mkdir(parents=True, exist_ok=True)
                    write_atomic(self._remember, json.dumps(sorted(map(list, self._rejected)),
                                                            ensure_ascii=False))
                except (OSError, StorymapError):
                    pass  # an unwritable cache: the rejection holds for this session

    def offered(self) -> Mapping[str, Candidate]:
        """Every place proposed, by id (what an accepted proposal copies into the file)."""
        with self._lock:
            return {c.id: c for p in self.proposals.values() for c in p.answers}

    # -- the search box -----------------------------------------------------------------
    def search(self, name: str, *, near: Box | None, online: bool) -> list[Candidate]:
        """Places called ``name`` among the answers given before, and — only when
        ``online`` — the service's answers now. Raises GeocoderError or ConfigError."""
        resolver = self.resolver()
        found = list(resolver.search_cache(name))
        if online:
            ids = {c.id for c in found}
            found += [c for c in resolver.lookup(name, near=near) if c.id not in ids]
        return found


def search_places(name: str, *, gazetteer: Gazetteer, lookups: OnlineLookups, story: Story,
                  online: bool = False) -> list[Candidate]:
    """The search box's places called ``name``: the gazetteer, GeoNames, the packs, the
    answers asked online before, and — only with ``online`` — the service's answers now
    (preferring the story's area). Raises GeocoderError or ConfigError (online only)."""
    import contextlib

    from ..resolvers import get_resolver

    name = " ".join(name.split())[:200]
    if not name:
        return []
    found: list[Candidate] = list(gazetteer.candidates(name))
    for backend in ("geonames", "packs"):
        with contextlib.suppress(StorymapError):  # no index, no packs: the others
            found += get_resolver(backend).candidates(name)
    with contextlib.suppress(StorymapError) if not online else contextlib.nullcontext():
        found += lookups.search(name, near=story_box(story), online=online)
    return list({c.id: c for c in found}.values())


def story_box(story: Story) -> Box | None:
    """The area of the story's located places (online questions prefer it)."""
    from ..model.kinds import COARSE_KINDS

    pts = [(p.lat, p.lon) for p in story.places if p.kind not in COARSE_KINDS]
    if not pts:
        return None
    return (min(p[0] for p in pts) - 0.05, min(p[1] for p in pts) - 0.05,
            max(p[0] for p in pts) + 0.05, max(p[1] for p in pts) + 0.05)
