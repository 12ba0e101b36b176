"""From files to analyses, for a text or a corpus: the one road every command takes.

:func:`analyse_paths` expands folders (their ``*.txt``), reads each text with its
``sources.json`` description, takes the analyses the cache has (:mod:`.cache`), reads the
others on an engine (:mod:`.engines`: this process, ``jobs`` worker processes, or Dask)
and returns them in the order given, with one :class:`Failure` per text that could not be
read. ``combine`` then runs here, on the client. Whatever the engine and the number of
jobs, the analyses — and so the story — are the same.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError, InputError, StorymapError
from ..pipeline import SourceText, read_texts
from ..pipeline.analysis import DocumentAnalysis
from ..pipeline.sources import Descriptions
from .cache import AnalysisCache, context_key, text_digest, text_key
from .entry import Entry, decode, long_lived
from .textindex import TextIndex
from .worker import ENGINES, Outcome, ReadOptions, analyse_here
from .years import date_yearless

if TYPE_CHECKING:
    from .engines import Task

__all__ = ["ENGINES", "Analysed", "Failure", "ReadOptions", "RunOptions", "analyse_paths",
           "default_jobs", "expand_paths"]

#: Called with (texts done, texts in all) as the texts are read or found in the cache.
Progress = Callable[[int, int], None]


def default_jobs() -> int:
    """The cores this process may use (its CPU affinity where the system tells)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class RunOptions:
    """How the texts are read (none of it changes the result).

    ``jobs`` worker processes (None: :func:`default_jobs`); ``engine`` "local" or "dask";
    ``scheduler`` the address of a running Dask scheduler (implies dask; else a
    LocalCluster of ``jobs`` workers); ``cache`` reuses and keeps analyses;
    ``keep_going`` reads the other texts when one fails (else the first failure raises).
    """

    jobs: int | None = None
    engine: str = "local"
    scheduler: str | None = None
    cache: bool = True
    keep_going: bool = True


@dataclass(frozen=True)
class Failure:
    """A text that could not be read: its path and one line that names it and says why."""

    path: str
    message: str


@dataclass(frozen=True)
class Analysed:
    """The analyses of the texts that were read, in the order given, and the failures.

    ``year`` is the story's year, which the texts that name none were dated with
    (:mod:`.years`; ``combine`` takes it), or ``--year``; ``cached`` and ``read`` count
    the texts found in the cache and those read now.
    """

    analyses: tuple[DocumentAnalysis, ...]
    failures: tuple[Failure, ...] = ()
    cached: int = 0
    read: int = 0
    year: int | None = None


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Return the text files of ``paths``: a folder stands for its ``*.txt``, sorted.

    Raises InputError for a folder without any.
    """
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = _texts_in(path)
            if not found:
                raise InputError(f"{path}: a folder without .txt files; give the texts or "
                                 "the folder that holds them")
            out += found
        else:
            out.append(path)
    return out


def _texts_in(folder: Path) -> list[Path]:
    """The ``*.txt`` files of ``folder`` sorted as paths sort, from one listing of it: no
    stat per file (a directory entry knows its type), no comparison of Path objects (the
    names of one folder sort as their paths do) — half the time of a glob on 1,322 texts."""
    with os.scandir(folder) as listing:
        names = [e.name for e in listing if fnmatch.fnmatch(e.name, "*.txt") and e.is_file()]
    return [folder / name for name in sorted(names, key=os.path.normcase)]


def analyse_paths(paths: Sequence[Path], *, options: ReadOptions | None = None,
                  run: RunOptions | None = None,
                  on_progress: Progress | None = None) -> Analysed:
    """Read the texts of ``paths`` (files or folders) into analyses; see the module docstring.

    Raises ConfigError for a bad option (unknown language, resolver or engine, Dask
    missing, a scheduler out of reach), InputError for a folder without texts, and — only
    without ``keep_going`` — the first text's failure (InputError for a file that cannot
    be read, StorymapError otherwise). A worker running another storymap is a ConfigError.
    """
    options = options or ReadOptions()
    run = run or RunOptions()
    engine = "dask" if run.scheduler else run.engine
    jobs = run.jobs or default_jobs()
    options = _checked(options, engine)
    files = expand_paths(paths)
    cache = AnalysisCache() if run.cache else None
    context = context_key(resolvers=options.resolvers, language=options.language,
                          year=options.year) if cache else ""
    state = _Reading(files, cache=cache, context=context, keep_going=run.keep_going,
                     on_progress=on_progress)
    # First what the cache has (a text unchanged since it was read is not read again to
    # know its key: .textindex); then only the texts it lacks go to an engine — none is
    # started when nothing is left to read. Without the cache every text goes: they are
    # read as the workers ask for them, and the first workers start at once.
    todo: Iterator[tuple[int, SourceText]]
    state.progress()
    if state.cached_in is None:
        todo, count = state.to_read(), len(files)
    else:
        with long_lived():  # the entries of the unchanged texts are decoded here
            listed = list(state.to_read())
        todo, count = iter(listed), len(listed)
        state.cached_in[1].save()
    if engine == "local":  # a worker pool is not worth starting for fewer texts than workers
        jobs = max(1, min(jobs, count // 2))
    if count and (jobs > 1 or engine == "dask"):
        _before_workers(options)
    # Workers send entries (storymap.corpus.entry), cache or not: the client decodes one
    # faster than it unpickles the analysis, and leaves the candidates unread. A text read
    # here is made an entry only for the cache.
    encoded = cache is not None
    outcomes = _run(todo, options, engine=engine, jobs=jobs, scheduler=run.scheduler,
                    encoded=encoded, total=count) if count else iter(())
    for index, outcome in outcomes:
        _check_worker(outcome.code)
        state.take(index, outcome)
    results, year = date_yearless(state.results, year=options.year, weights=state.weights,
                                  cache=cache, keys=state.keys)
    analyses = tuple(results[i] for i in sorted(results))
    failures = tuple(state.failures[i] for i in sorted(state.failures))
    return Analysed(analyses=analyses, failures=failures, cached=state.cached,
                    read=len(analyses) - state.cached, year=year)


class _Reading:
    """What :func:`analyse_paths` has found so far, by the index of each text."""

    def __init__(self, files: list[Path], *, cache: AnalysisCache | None, context: str,
                 keep_going: bool, on_progress: Progress | None) -> None:
        self.files = files
        #: the cache and the index of the texts read before, or None (``--no-cache``)
        self.cached_in = None if cache is None else (cache, TextIndex())
        self.context = context
        self.keep_going = keep_going
        self.on_progress = on_progress
        self.results: dict[int, DocumentAnalysis] = {}
        self.weights: dict[int, Mapping[int, int]] = {}  # how much each text names each year
        self.failures: dict[int, Failure] = {}
        self.keys: dict[int, str] = {}
        self.done = self.cached = 0
        self.described = Descriptions()  # each folder's sources.json read once

    def progress(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.done, len(self.files))

    def found(self, index: int, entry: Entry, *, cached: bool) -> None:
        self.results[index], self.weights[index] = entry.analysis, entry.years
        self.cached += cached
        self.done += 1
        self.progress()

    def failed(self, index: int, message: str, exc: StorymapError | None = None) -> None:
        if not self.keep_going:
            raise exc if exc is not None else StorymapError(message)
        self.failures[index] = Failure(path=str(self.files[index]), message=message)

    def to_read(self) -> Iterator[tuple[int, SourceText]]:
        """Yield the texts the cache does not have (every text without a cache)."""
        for index, path in enumerate(self.files):
            if self._unchanged(index, path):
                continue
            try:
                st = os.stat(path)  # before the read: a change after it is seen next time
            except OSError:
                st = None
            try:
                (source,) = read_texts([path], described=self.described)
            except InputError as exc:
                self.failed(index, str(exc), exc)
                self.done += 1
                self.progress()
                continue
            if not self._in_cache(index, path, source, st):
                yield index, replace(source, path="")  # no local path leaves the machine

    def _unchanged(self, index: int, path: Path) -> bool:
        """Take text ``index`` from the cache without reading it, if it is unchanged since
        it was last read (:class:`.textindex.TextIndex`) and its entry is there."""
        if self.cached_in is None:
            return False
        cache, texts = self.cached_in
        try:
            digest = texts.digest(path, os.stat(path))
            if digest is None:
                return False
            about = SourceText(id=path.stem, text="", **self.described(path))
        except (OSError, InputError):
            return False  # read_texts says what is wrong with it
        key = text_key(about, self.context, digest=digest)
        entry = _entry(cache, key, path)
        if entry is None:
            return False
        self.keys[index] = key
        self.found(index, entry, cached=True)
        return True

    def _in_cache(self, index: int, path: Path, source: SourceText,
                  st: os.stat_result | None) -> bool:
        """Take text ``index``, just read, from the cache if its entry is there."""
        if self.cached_in is None:
            return False
        cache, texts = self.cached_in
        digest = text_digest(source.text)
        if st is not None:
            texts.remember(path, st, digest)
        key = self.keys[index] = text_key(source, self.context, digest=digest)
        entry = _entry(cache, key, path)
        if entry is None:
            return False
        self.found(index, entry, cached=True)
        return True

    def take(self, index: int, outcome: Outcome) -> None:
        """Keep what an engine made of text ``index`` (and put it in the cache)."""
        if outcome.error is not None:
            self.failed(index, f"{self.files[index]}: {outcome.error}")
        else:
            if self.cached_in is not None and outcome.data is not None:
                self.cached_in[0].put(self.keys[index], outcome.data)
            if outcome.analysis is None:
                self.found(index, decode(outcome.data or b"", name=str(self.files[index])),
                           cached=False)
                return
            self.results[index] = outcome.analysis
            if outcome.years is not None:
                self.weights[index] = outcome.years
        self.done += 1
        self.progress()


def _entry(cache: AnalysisCache, key: str, path: Path) -> Entry | None:
    data = cache.get(key)
    if data is None:
        return None
    try:
        return decode(data, name=f"{path} (cached analysis)")
    except StorymapError:
        cache.forget(key)  # damaged: read the text again
        return None


def _run(tasks: Iterator[Task], options: ReadOptions, *, engine: str, jobs: int,
         scheduler: str | None, encoded: bool, total: int) -> Iterator[tuple[int, Outcome]]:
    if engine == "dask":
        from .cluster import run_dask

        return run_dask(tasks, options, jobs=jobs, scheduler=scheduler, total=total)
    if jobs <= 1:  # in this process: nothing of the pools is imported (15 ms)
        return analyse_here(tasks, options, encoded=encoded)
    from .engines import run_local

    return run_local(tasks, options, jobs=jobs, encoded=encoded, total=total)


def _checked(options: ReadOptions, engine: str) -> ReadOptions:
    """Refuse a bad option once, here, rather than once per text in the workers; return
    the options with the offline resolvers only.

    Texts are read offline: an online geocoder is asked afterwards, on the client, for all
    texts at once (``storymap.pipeline.look_up_online``), one request at a time.
    """
    from ..lang import load_profile
    from ..resolvers import get_resolver, is_online

    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}; expected one of: {', '.join(ENGINES)}")
    load_profile(options.language)
    offline = tuple(n for n in options.resolvers if not is_online(get_resolver(n)))
    return replace(options, resolvers=offline)


def _before_workers(options: ReadOptions) -> None:
    """Build here, once, what every local worker would otherwise build at the same time,
    each for itself: the gazetteer's derived cache and the GeoNames index (~15 s)."""
    from ..geo.gazetteer import load_gazetteer
    from ..geo.geonames import ensure_index

    load_gazetteer()
    if "geonames" in options.resolvers:
        ensure_index()


def _check_worker(code: str) -> None:
    from .cache import code_fingerprint

    if code and code != code_fingerprint():
        raise ConfigError(f"a worker runs another storymap than this one (code {code[:12]}, "
                          f"here {code_fingerprint()[:12]}); install the same storymap on "
                          "every worker")
