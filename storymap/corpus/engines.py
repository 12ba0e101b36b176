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
from .worker import Outcome, ReadOptions, analyse_task

__all__ = ["ENGINES", "Task", "run_local"]

ENGINES = ("local", "dask")

#: Tasks in flight per worker: enough to keep each busy, few enough to bound memory.
_IN_FLIGHT = 4

Task = tuple[int, SourceText]


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
    forbids. The fork server imports the reader once; each worker is forked from it.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["storymap.corpus.worker"])
        return ctx
    return multiprocessing.get_context("spawn")


def _run_pool(tasks: Iterable[Task], options: ReadOptions, *, jobs: int,
              encoded: bool) -> Iterator[tuple[int, Outcome]]:
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context())
    pending: dict[Future[Outcome], int] = {}
    todo = iter(tasks)
    try:
        while True:
            for index, source in todo:
                future = pool.submit(analyse_task, source, options, encoded=encoded, keep=True)
                pending[future] = index
                if len(pending) >= jobs * _IN_FLIGHT:
                    break
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                index = pending.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    raise StorymapError(
                        "a worker process could not start or died while reading (out of "
                        "memory?); run again with fewer --jobs, or --jobs 1 to find the "
                        "text (in a Python script, build under `if __name__ == "
                        "\"__main__\":`, as for any process pool)") from None
                yield index, outcome
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def quiet_dask_logs() -> None:
    """Dask logs every worker start at INFO: noise in a terminal that shows a progress bar."""
    for name in ("distributed", "distributed.scheduler", "distributed.nanny",
                 "distributed.worker", "distributed.core", "distributed.http.proxy"):
        logging.getLogger(name).setLevel(logging.WARNING)
