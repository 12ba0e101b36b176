"""What a worker does with one text: read it into an analysis, or say why it could not.

The same function runs in this process (``--jobs 1``), in a local worker process and in a
Dask worker on another machine, so every engine reads a text the same way. A worker keeps
the gazetteer and the resolvers between the texts it is given (their answers depend only
on a name, never on the text that asked). It never raises for a text: a failure comes
back as a message, so one text cannot stop the others or break a worker pool.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import StorymapError
from ..lang import load_profile
from ..pipeline import SourceText, analyse, remembering
from ..pipeline.dates import year_weights
from ..resolvers import DEFAULT_RESOLVERS
from .cache import code_fingerprint
from .entry import encode

if TYPE_CHECKING:
    from ..geo.gazetteer import Gazetteer
    from ..pipeline.analysis import DocumentAnalysis
    from ..resolvers.base import Resolver

__all__ = ["ENGINES", "Outcome", "ReadOptions", "analyse_batch", "analyse_here", "analyse_task"]


#: The cyclic collector's thresholds while texts are read: the command line's
#: (storymap.cli.main, which does not import the reader to know them).
GC_THRESHOLDS = (100_000, 50, 100)

#: How the texts can be read: in this process or worker processes, or as Dask tasks.
ENGINES = ("local", "dask")


@dataclass(frozen=True)
class ReadOptions:
    """What a text's reading depends on besides the text (all of it is in the cache key).

    ``resolvers`` in order; ``language`` the word profile (``storymap/lang/<code>``);
    ``year`` dates the texts that name no year of their own (``--year``).
    """

    resolvers: tuple[str, ...] = DEFAULT_RESOLVERS
    language: str = "en"
    year: int | None = None


@dataclass(frozen=True)
class Outcome:
    """One text's result: ``data`` (the encoded analysis), and ``analysis`` when read in
    this process (with its text's ``years`` when encoded too), or ``error`` (one line);
    ``code`` is the worker's :func:`~storymap.corpus.cache.code_fingerprint`, so a worker
    running another storymap is noticed rather than mixed in."""

    data: bytes | None = None
    analysis: DocumentAnalysis | None = None
    error: str | None = None
    code: str = ""
    #: with ``analysis``: how much its text names each year (what an entry carries)
    years: Mapping[int, int] | None = None


# Per process: (resolver names) → (gazetteer, resolvers that remember their answers).
_STATE: dict[tuple[str, ...], tuple[Gazetteer, list[Resolver]]] = {}


def _state(options: ReadOptions) -> tuple[Gazetteer, list[Resolver]]:
    from ..geo.gazetteer import load_gazetteer
    from ..resolvers import get_resolver

    found = _STATE.get(options.resolvers)
    if found is None:
        _STATE.clear()  # one build's options at a time; a long-lived worker may see others
        found = _STATE[options.resolvers] = (
            load_gazetteer(), remembering([get_resolver(n) for n in options.resolvers]))
    return found


def analyse_task(source: SourceText, options: ReadOptions, *, encoded: bool = True,
                 keep: bool = False, weigh: bool = False) -> Outcome:
    """Read ``source`` with ``options``; never raises for the text (see :class:`Outcome`).

    ``encoded`` returns the analysis as the cache stores it (an entry,
    :mod:`storymap.corpus.entry`, for the client to write as it is and to decode: that
    costs it less than unpickling the analysis would, 0.15 s against 0.20 s for the 1,322
    WOTR texts); ``keep`` returns the analysis object too (in this process: it is at hand),
    with its text's year weights when encoded or asked to ``weigh`` (this process reading
    beside workers: counted now, while they read, not at the end).
    """
    code = code_fingerprint()
    try:
        gazetteer, resolvers = _state(options)
        # Slim: what comes back and is kept is the analysis without its passages
        # (storymap.pipeline.analysis.DocumentAnalysis.slim), the client's memory bound.
        analysis = analyse(source, gazetteer=gazetteer, resolvers=resolvers,
                           default_year=options.year, language=options.language).slim()
        if encoded and not keep:
            return Outcome(data=encode(analysis), code=code)
        if not encoded and not weigh:
            return Outcome(analysis=analysis, code=code)
        # The weights an entry carries come along with the analysis, counted once.
        years = year_weights(analysis.document.text, profile=load_profile(analysis.language))
        return Outcome(data=encode(analysis, years=years) if encoded else None,
                       analysis=analysis, years=years, code=code)
    except StorymapError as exc:  # a broken resolver, an online geocoder that failed
        return Outcome(error=str(exc), code=code)
    except RecursionError:
        return Outcome(error="too deeply nested to read (RecursionError); please report it "
                             "with the text", code=code)
    except Exception as exc:  # a bug in a stage, met by this text only: the others go on
        return Outcome(error=f"storymap failed on this text ({type(exc).__name__}: {exc}); "
                             "please report it with the text", code=code)


def analyse_batch(sources: list[tuple[int, SourceText]], options: ReadOptions, *,
                  encoded: bool = True, keep: bool = False,
                  weigh: bool = False) -> list[tuple[int, Outcome]]:
    """:func:`analyse_task` for a few texts at once: one task carries several short texts,
    so what a task costs the pool or the scheduler is paid once for all of them.

    The cyclic collector runs as in the ``storymap`` command (storymap.cli.main: reading
    makes many small objects and few cycles) while the batch is read, so a worker reads
    as fast as ``--jobs 1`` does; a Dask worker's own setting is put back afterwards.
    """
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        return [(index, analyse_task(source, options, encoded=encoded, keep=keep, weigh=weigh))
                for index, source in sources]
    finally:
        gc.set_threshold(*before)


def analyse_here(tasks: Iterable[tuple[int, SourceText]], options: ReadOptions, *,
                 encoded: bool) -> Iterator[tuple[int, Outcome]]:
    """Read each (index, text) in this process, in order (``--jobs 1``), keeping the
    analyses; ``encoded`` makes each an entry too (for the cache)."""
    for index, source in tasks:
        yield index, analyse_task(source, options, encoded=encoded, keep=True)
