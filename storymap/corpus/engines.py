"""Where the texts are read: in this process, in local worker processes, or on Dask.

Each engine takes (index, text) tasks and yields (index, Outcome) as the texts are read,
in whatever order they finish; the caller puts them back in the order given, so the story
never depends on the engine or the number of workers. At most a few tasks per worker are
in flight at once: a corpus larger than memory is sent as it is read back.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..errors import StorymapError
from ..pipeline import SourceText
from .worker import ENGINES, Outcome, ReadOptions, analyse_batch, analyse_task

__all__ = ["BATCH_CHARS", "BATCH_TEXTS", "ENGINES", "Task", "batches", "run_local"]


#: Tasks in flight per worker: enough to keep each busy, few enough to bound memory.
_IN_FLIGHT = 4

#: A task carries texts up to this many characters (or this many texts): what a task
#: costs the pool or the Dask scheduler (~1 ms) is then paid once for a batch of short
#: texts (WOTR's average 1,400 characters), and a long text is a task of its own.
BATCH_CHARS = 50_000
BATCH_TEXTS = 32

Task = tuple[int, SourceText]


def batches(tasks: Iterable[Task]) -> Iterator[list[Task]]:
    """Group tasks in order into batches of at most BATCH_CHARS characters / BATCH_TEXTS.

    >>> from storymap.pipeline import SourceText
    >>> texts = [(i, SourceText(id=str(i), text="x" * n)) for i, n in enumerate([10, 60_000, 5])]
    >>> [[i for i, _ in b] for b in batches(texts)]
    [[0], [1], [2]]
    """
    batch: list[Task] = []
    size = 0
    for task in tasks:
        n = len(task[1].text)
        if batch and (size + n > BATCH_CHARS or len(batch) >= BATCH_TEXTS):
            yield batch
            batch, size = [], 0
        batch.append(task)
        size += n
    if batch:
        yield batch


def run_local(tasks: Iterable[Task], options: ReadOptions, *, jobs: int,
              encoded: bool) -> Iterator[tuple[int, Outcome]]:
    """Read every task's text here (``jobs`` 1) or in ``jobs`` worker processes; yield
    (index, Outcome) as each is done. ``encoded`` asks for the analyses as the cache
    stores them. Raises StorymapError when a worker process dies.
    """
    if jobs <= 1:
        for index, source in tasks:
            yield index, analyse_task(source, options, encoded=encoded, keep=True)
    else:
        yield from _run_pool(tasks, options, jobs=jobs, encoded=encoded)


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


def _run_pool(tasks: Iterable[Task], options: ReadOptions, *, jobs: int,
              encoded: bool) -> Iterator[tuple[int, Outcome]]:
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context())
    pending: set[Future[list[tuple[int, Outcome]]]] = set()
    todo = batches(tasks)
    try:
        while True:
            for batch in todo:
                pending.add(pool.submit(analyse_batch, batch, options, encoded=encoded))
                if len(pending) >= jobs * _IN_FLIGHT:
                    break
            if not pending:
                break
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    raise StorymapError(
                        "a worker process could not start or died while reading (out of "
                        "memory?); run again with fewer --jobs, or --jobs 1 to find the "
                        "text (in a Python script, build under `if __name__ == "
                        "\"__main__\":`, as for any process pool)") from None
                yield from outcomes
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def quiet_dask_logs() -> None:
    """Dask logs every worker start at INFO: noise in a terminal that shows a progress bar."""
    for name in ("distributed", "distributed.scheduler", "distributed.nanny",
                 "distributed.worker", "distributed.core", "distributed.http.proxy"):
        logging.getLogger(name).setLevel(logging.WARNING)
