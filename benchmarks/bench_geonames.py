"""Measure the GeoNames index: build time, file size, open time and lookup times.

Usage: python benchmarks/bench_geonames.py [--rebuild]

Builds into a temporary directory with --rebuild (the user's cache is left alone);
otherwise measures the cached index, building it first if needed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUERIES = ["Győr", "Budapest", "Mosonmagyarovar", "Tokol", "Brest", "Melbourne",
           "Springfield", "Xqzzyqx"]
WILDCARDS = ["Gy?r", "Pozna?", "?ód?"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="time a fresh build too")
    args = parser.parse_args()
    tmp = None
    if args.rebuild:
        tmp = tempfile.TemporaryDirectory()
        os.environ["STORYMAP_CACHE_DIR"] = tmp.name

    from storymap.geo import geonames

    start = time.perf_counter()
    path = geonames.ensure_index()
    print(f"ensure_index:   {time.perf_counter() - start:8.3f} s   {path}")
    print(f"index size:     {path.stat().st_size / 1e6:8.1f} MB")
    info = geonames.index_info()
    print(f"places / keys:  {info['places']} / {info['keys']}")

    start = time.perf_counter()
    geonames.lookup("Szeged")
    print(f"first lookup:   {(time.perf_counter() - start) * 1000:8.2f} ms (opens the file)")
    for label, names in (("exact", QUERIES), ("wildcard", WILDCARDS)):
        for name in names:
            times = []
            for _ in range(20):
                start = time.perf_counter()
                found = geonames.lookup(name)
                times.append(time.perf_counter() - start)
            best = found[0].name if found else "-"
            print(f"{label:9} {name:16} {statistics.median(times) * 1000:8.2f} ms"
                  f"  {len(found):2} found, first {best}")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
