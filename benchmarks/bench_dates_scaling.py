"""Benchmark the date and event stages on repeated prose: time per MB at growing sizes.

Repeated sentences once made merging events quadratic (2 MB of repeats took 147 s). This
prints, for 0.1 MB and 1 MB (add ``--sizes 0.1 1 10`` for more) of repeated dated prose,
in paragraphs and as one long line, the seconds per MB of ``normalise`` → ``find_dates``
and of ``build_events`` + ``merge_events``, and the ratio of each size's time per MB to the
smallest one's. Linear stages print ratios near 1 (machines here are noisy: within 1.5×).

    python benchmarks/bench_dates_scaling.py [--sizes 0.1 1]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from storymap.pipeline.dates import find_dates
from storymap.pipeline.events import build_events
from storymap.text.passages import normalise

PROSE = ("On 23 October 1956, students marched to the Parliament in Budapest. At 21:30 the "
         "statue fell. The next day, tanks came. Two days later, on 26 October, fighting "
         "went on; a week later, on the 3rd, talks began. ")


def _text(megabytes: float, *, paragraphs: bool) -> str:
    n = max(1, int(megabytes * 1_000_000 / len(PROSE)))
    return ("\n\n" if paragraphs else "").join([PROSE] * n)


def _seconds(fn: Callable[..., object], *args: object) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.1, 1.0])
    args = parser.parse_args()
    for paragraphs in (True, False):
        shape = "paragraphs" if paragraphs else "one line"
        base: dict[str, float] = {}
        for mb in args.sizes:
            text = _text(mb, paragraphs=paragraphs)
            real_mb = len(text) / 1_000_000
            passages = normalise(text, doc="d")
            dates = find_dates(passages)  # warm
            t_dates = _seconds(find_dates, passages) / real_mb
            t_events = _seconds(build_events, passages, [], dates, []) / real_mb
            for name, value in (("dates", t_dates), ("events", t_events)):
                base.setdefault(name, value)
            print(f"{shape:10s} {real_mb:6.2f} MB  dates {t_dates:7.3f} s/MB "
                  f"(×{t_dates / base['dates']:.2f})  events {t_events:7.3f} s/MB "
                  f"(×{t_events / base['events']:.2f})")


if __name__ == "__main__":
    main()
