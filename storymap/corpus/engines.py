"""Where the texts are read: in this process, in local worker processes, or on Dask.

Each engine takes (index, text) tasks and yields (index, Outcome) as the texts are read,
in whatever order they finish; the caller puts them back in the order given, so the story
never depends on the engine or the number of workers. At most a few tasks per worker are
in flight at once: a corpus larger than memory is sent as it is read back.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..errors import StorymapError
from ..pipeline import SourceText
from .worker import ENGINES, Outcome, ReadOptions, analyse_batch, analyse_here

__all__ = ["BATCH_CHARS", "BATCH_TEXTS", "ENGINES", "Task", "batches", "run_local"]


#: Tasks in flight per worker: enough to keep each busy, few enough to bound memory.
_IN_FLIGHT = 4

#: A task carries texts up to this many characters (or this many texts): what a task
#: costs the pool or the Dask scheduler (~1 ms) is then paid once for a batch of short
#: texts (WOTR's average 1,400 characters), and a long text is a task of its own.
BATCH_CHARS = 50_000
BATCH_TEXTS = 32

Task = tuple[int, SourceText]


def batches(tasks: Iterable[Task], *, total: int = 0,
            workers: int = 1) -> Iterator[list[Task]]:
    """Group tasks in order into batches of at most BATCH_CHARS characters / BATCH_TEXTS.

    Given the ``total`` number of tasks, the batches shrink towards the end (never more
    texts than what is left over four per worker): the last batches are small, so no
    worker is still reading a whole batch while the others have nothing left to do.

    >>> from storymap.pipeline import SourceText
    >>> texts = [(i, SourceText(id=str(i), text="x" * n)) for i, n in enumerate([10, 60_000, 5])]
    >>> [[i for i, _ in b] for b in batches(texts)]
    [[0], [1], [2]]
    >>> texts = [(i, SourceText(id=str(i), text="x")) for i in range(100)]
    >>> [len(b) for b in batches(texts, total=100, workers=2)][:12]
    [12, 11, 9, 8, 7, 6, 5, 5, 4, 4, 3, 3]
    """
    batch: list[Task] = []
    size = sent = 0
    for task in tasks:
        n = len(task[1].text)
        limit = BATCH_TEXTS if not total else \
            max(1, min(BATCH_TEXTS, (total - sent) // (4 * workers)))
        if batch and (size + n > BATCH_CHARS or len(batch) >= limit):
            yield batch
            sent += len(batch)
            batch, size = [], 0
        batch.append(task)
        size += n
    if batch:
        yield batch


def run_local(tasks: Iterable[Task], options: ReadOptions, *, jobs: int, encoded: bool,
              total: int = 0) -> Iterator[tuple[int, Outcome]]:
    """Read every task's text in ``jobs`` processes: this one, and ``jobs - 1`` worker
    processes; yield (index, Outcome) as each is done. Workers send entries (the cache's
    form: it costs this process less to decode than an analysis to unpickle); ``encoded``
    asks for the texts read here as entries too (for the cache). ``total`` is how many
    tasks there are (0: not known). Raises StorymapError when a worker process dies.
    """
    if jobs <= 1:
        yield from analyse_here(tasks, options, encoded=encoded)
    else:
        yield from _run_pool(tasks, options, jobs=jobs, encoded=encoded, total=total)


def _context() -> Any:
    """A fresh interpreter per worker (forkserver on POSIX, else spawn), never a fork.

    A fork would copy whatever this process holds open — a GeoNames or pack SQLite
    connection of an earlier build in the same program — into every worker, which SQLite
    forbids. The fork server imports the reader once and makes it ready (storymap.corpus.warm);
    each worker is forked from it.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["storymap.corpus.worker", "storymap.corpus.warm"])
        return ctx
    return multiprocessing.get_context("spawn")


def _run_pool(tasks: Iterable[Task], options: ReadOptions, *, jobs: int, encoded: bool,
              total: int) -> Iterator[tuple[int, Outcome]]:
    """``jobs - 1`` workers read batches while this process reads one whenever none of
    theirs is done (docs/decisions.md, "This process reads too"): no core waits while the
    workers start or while this process only collects what they send."""
    workers = jobs - 1
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context())
    todo = batches(tasks, total=total, workers=jobs)
    try:
        first = next(todo, None)
        if first is None:
            return
        # The first submit starts the fork server, which imports and warms the reader
        # (~0.3 s) before it forks a worker; this process reads meanwhile.
        starting = _Submit(pool, first, options)
        while starting.is_alive():
            batch = next(todo, None)
            if batch is None:
                break
            yield from _read_here(batch, options, encoded=encoded, keep=True, weigh=True)
        pending = {starting.future(): first}  # each batch a worker was given, by future
        left = True
        while left or pending:
            while left and len(pending) < workers * _IN_FLIGHT:
                batch = next(todo, None)
                if batch is None:
                    left = False
                else:
                    pending[pool.submit(analyse_batch, batch, options)] = batch
            done = {future for future in pending if future.done()}
            if not done:
                # The workers are busy: read a batch here meanwhile — a new one, or at the
                # end one a worker has not started (else this process would wait for it).
                batch = next(todo, None) if left else None
                left = batch is not None
                if batch is None:
                    batch = _unstarted(pending)
                if batch is not None:
                    yield from _read_here(batch, options, encoded=encoded, keep=True, weigh=True)
                    continue
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                del pending[future]
                yield from future.result()
    except BrokenProcessPool:
        raise StorymapError(
            "a worker process could not start or died while reading (out of memory?); run "
            "again with fewer --jobs, or --jobs 1 to find the text (in a Python script, "
            "build under `if __name__ == \"__main__\":`, as for any process pool)") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


#: How this process reads a batch itself (a name of its own: a test slows it down).
_read_here = analyse_batch


def _unstarted(pending: dict[Future[Any], list[Task]]) -> list[Task] | None:
    """Take back the last batch no worker has started, if any (its future is cancelled)."""
    for future in reversed(pending):
        if future.cancel():
            return pending.pop(future)
    return None


class _Submit(threading.Thread):
    """Submit one batch to ``pool`` from a thread: the submit that starts a worker waits
    for it to be forked, and this process need not wait with it."""

    def __init__(self, pool: ProcessPoolExecutor, batch: list[Task],
                 options: ReadOptions) -> None:
        super().__init__(name="storymap-start-workers", daemon=True)
        self._call = (pool, batch, options)
        self._future: Future[list[tuple[int, Outcome]]] | None = None
        self._error: BaseException | None = None
        self.start()

    def run(self) -> None:
        pool, batch, options = self._call
        try:
            self._future = pool.submit(analyse_batch, batch, options)
        except BaseException as exc:  # raised again in the reading thread (future())
            self._error = exc

    def future(self) -> Future[list[tuple[int, Outcome]]]:
        """The submitted batch's future, once the worker started; raises what submit did."""
        self.join()
        if self._error is not None:
            raise self._error
        assert self._future is not None
        return self._future


def quiet_dask_logs() -> None:
    """Dask logs every worker start at INFO: noise in a terminal that shows a progress bar."""
    for name in ("distributed", "distributed.scheduler", "distributed.nanny",
                 "distributed.worker", "distributed.core", "distributed.http.proxy"):
        logging.getLogger(name).setLevel(logging.WARNING)
