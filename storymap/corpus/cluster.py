"""The Dask engine: each text a task, on a LocalCluster or on a lab's running scheduler.

Dask is an optional extra (``pip install 'storymap[dask]'``); without it ``--engine dask``
says so in one line. The workers need the same storymap (code and data) as the client: each
outcome carries the worker's code fingerprint and the caller refuses one that differs.
Texts travel to the workers without their paths; analyses travel back and are cached and
combined here, on the client.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import ConfigError
from .engines import _IN_FLIGHT, Task, batches, quiet_dask_logs
from .worker import Outcome, ReadOptions, analyse_batch

__all__ = ["run_dask"]

#: How long to wait for a scheduler given by --scheduler before saying it cannot be reached.
CONNECT_TIMEOUT = "10s"

INSTALL = "--engine dask needs Dask's distributed scheduler; install it with: " \
          "pip install 'storymap[dask]'"


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ConfigError(INSTALL) from None
    return distributed


@contextlib.contextmanager
def _client(jobs: int, scheduler: str | None) -> Iterator[Any]:
    distributed = _distributed()
    quiet_dask_logs()
    if scheduler:
        try:
            client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT,
                                        set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ConfigError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); start "
                              "one with `dask scheduler` and workers with `dask worker "
                              "ADDRESS`, or check the address") from None
        with client:
            yield client
        return
    # On this machine's loopback only, every port chosen by the system: the scheduler's
    # HTTP server starts whatever dashboard_address says (None meant 0.0.0.0:8787, which
    # another program may hold — and all interfaces are more than a build should open).
    cluster = distributed.LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                       silence_logs=logging.WARNING)
    with cluster, distributed.Client(cluster, set_as_default=False) as client:
        yield client


def run_dask(tasks: Iterable[Task], options: ReadOptions, *, jobs: int,
             scheduler: str | None,
             total: int = 0) -> Iterator[tuple[int, Outcome]]:
    """Read the tasks' texts as Dask tasks; yield (index, Outcome) as each is done.

    A worker that dies on a text (Dask retries it, then gives up) is that text's failure.
    ``total`` is how many tasks there are (0: not known; see :func:`.engines.batches`).
    """
    distributed = _distributed()
    with _client(jobs, scheduler) as client:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or jobs)
        done = distributed.as_completed(loop=client.loop)
        batch_of: dict[str, list[Task]] = {}
        todo = batches(tasks, total=total, workers=workers)

        def submit(limit: int) -> None:
            for batch in todo:
                future = client.submit(analyse_batch, batch, options, encoded=True,
                                       pure=False)
                batch_of[future.key] = batch
                done.add(future)
                if done.count() >= limit:
                    return

        submit(workers * _IN_FLIGHT)
        for future in done:
            batch = batch_of.pop(future.key)
            try:
                outcomes = future.result()
            except Exception as exc:  # the worker died (KilledWorker) or lost the task
                failed = Outcome(error=f"the Dask worker failed on a task holding this text "
                                       f"({type(exc).__name__}: {exc})")
                outcomes = [(index, failed) for index, _ in batch]
            future.release()
            yield from outcomes
            submit(workers * _IN_FLIGHT)
