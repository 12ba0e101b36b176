"""Benchmark `storymap export` on one seed: whole-process wall time and peak memory.

Prints the median of several runs of the real command (interpreter start included), the
bare interpreter's start for comparison (machines here are noisy: compare the ratio), the
peak resident memory of the export process, and the time of each pipeline stage measured
in-process. Targets: ≤ 0.5 s (issue 15) and ≤ 300 MB (issue 2) on a 2-core machine.

    python benchmarks/bench_export.py [TEXT] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bytecode import compile_package  # noqa: E402

SEED = ROOT / "storymap" / "examples" / "hungary-1956" / "000_45b25660c8184322.txt"


def run(cmd: list[str]) -> tuple[float, int]:
    """Return (wall seconds, peak RSS in KB) of one run of ``cmd``."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode:
        sys.exit(f"bench_export: {' '.join(cmd)} failed: {proc.stderr.strip()[-500:]}")
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("text", nargs="?", type=Path, default=SEED)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(compile_package())
    out = Path(tempfile.mkdtemp()) / "out.geojson"
    export = [sys.executable, "-m", "storymap", "export", str(args.text), "--format", "geojson",
              "-o", str(out)]
    run(export)  # warm: builds the GeoNames and gazetteer caches once, fills the OS cache
    walls, peak = [], 0
    bare = []
    for _ in range(args.runs):
        wall, rss = run(export)
        walls.append(wall)
        peak = max(peak, rss)
        bare.append(run([sys.executable, "-c", "pass"])[0])
    median, interp = statistics.median(walls), statistics.median(bare)
    print(f"text: {args.text.name} ({args.text.stat().st_size / 1000:.1f} kB), {args.runs} runs, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    print(f"storymap export --format geojson: median {median:.3f} s "
          f"(min {min(walls):.3f}, max {max(walls):.3f}); target ≤ 0.5 s")
    print(f"bare interpreter start: median {interp:.3f} s; export/bare ratio {median / interp:.1f}")
    print(f"peak memory of the export process: {peak / 1024:.1f} MB; target ≤ 300 MB")

    sys.path.insert(0, str(ROOT))
    t0 = time.perf_counter()
    from storymap.pipeline import Timings, build_story

    imported = time.perf_counter() - t0
    timings = Timings()
    t1 = time.perf_counter()
    story = build_story([args.text], timings=timings)
    total = time.perf_counter() - t1
    print(f"in-process: import {imported * 1000:.0f} ms, build {total * 1000:.0f} ms "
          f"({len(story.events)} events, {len(story.places)} places)")
    for stage, seconds in timings.stages.items():
        print(f"  {stage:<10} {seconds * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
