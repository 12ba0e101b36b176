"""The local engine (issue 19): this process reads beside its workers; batches shrink at the end.

``--jobs N`` reads in N processes: this one and N - 1 workers. These tests slow this
process's own reading down so that the worker surely reads some of the texts too, and
check that every text comes back once, read the same wherever it was read.
"""

from __future__ import annotations

import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from storymap.corpus import ReadOptions, engines
from storymap.corpus.engines import BATCH_TEXTS, Task, batches, run_local
from storymap.corpus.entry import decode
from storymap.pipeline import SourceText

WOTR = Path(__file__).parent / "data" / "wotr-60"


def tasks(n: int) -> list[Task]:
    return [(i, SourceText(id=p.stem, text=p.read_text(encoding="utf-8")))
            for i, p in enumerate(sorted(WOTR.glob("*.txt"))[:n])]


def test_batches_keep_the_order_and_shrink_towards_the_end() -> None:
    short = [(i, SourceText(id=str(i), text="x" * 100)) for i in range(1322)]
    got = list(batches(short, total=len(short), workers=2))
    assert [i for b in got for i, _ in b] == list(range(1322))
    sizes = [len(b) for b in got]
    assert max(sizes) == BATCH_TEXTS and sizes[:10] == [BATCH_TEXTS] * 10
    assert sizes[-5:] == [1] * 5  # a worker never holds a whole batch while the others idle
    assert sizes == sorted(sizes, reverse=True)
    # without a total (Dask's old way, or a stream of unknown length): full batches
    assert [len(b) for b in batches(short)][-2:] == [BATCH_TEXTS, 1322 % BATCH_TEXTS]


@pytest.mark.parametrize("encoded", [True, False], ids=["cache", "no-cache"])
def test_this_process_reads_beside_the_worker_and_every_text_comes_back_once(
        monkeypatch: pytest.MonkeyPatch, encoded: bool) -> None:
    todo = tasks(12)
    here: list[int] = []
    real = engines._read_here

    def slow(batch: list[Task], *args: Any, **kwargs: Any) -> Any:
        here.extend(i for i, _ in batch)
        time.sleep(0.3)  # the worker has started and reads meanwhile
        return real(batch, *args, **kwargs)

    monkeypatch.setattr(engines, "_read_here", slow)
    options = ReadOptions()
    got = dict(run_local(iter(todo), options, jobs=2, encoded=encoded, total=len(todo)))
    assert sorted(got) == list(range(12))
    assert here and set(here) != set(got)  # both this process and the worker read texts
    alone = dict(run_local(iter(todo), options, jobs=1, encoded=True))
    for i, outcome in got.items():
        assert outcome.error is None
        # kept where read here; an entry from a worker, and here only for the cache
        assert (i in here) == (outcome.analysis is not None)
        assert (outcome.data is not None) == (encoded or i not in here)
        analysis = outcome.analysis or decode(outcome.data or b"").analysis
        assert analysis.to_dict() == decode(alone[i].data or b"").analysis.to_dict()
        if outcome.data is not None:
            assert decode(outcome.data).years == (alone[i].years or {})
        if i in here:  # counted while the worker reads, not at the end
            assert outcome.years == alone[i].years


def test_at_the_end_a_batch_no_worker_started_is_taken_back() -> None:
    started: Future[Any] = Future()
    assert started.set_running_or_notify_cancel()
    waiting: Future[Any] = Future()
    batch = tasks(1)
    pending: dict[Future[Any], list[Task]] = {started: [], waiting: batch}
    assert engines._unstarted(pending) is batch
    assert waiting.cancelled() and list(pending) == [started]
    assert engines._unstarted(pending) is None  # a running batch stays with its worker
