"""Benchmark a corpus build (issue 19): jobs, Dask, the cache, the client's memory.

Usage: python benchmarks/bench_corpus.py [--corpus DIR] [--repeat N] [--no-dask] [--rebuild-only]

Builds the story of a folder of texts (default: the 1,322 WOTR train texts) with
``storymap build DIR`` in a fresh process per run, each cold (``--no-cache``):

- ``--jobs 1`` and ``--jobs 2`` (worker processes), and their ratio (target ≥ 1.6×);
- ``--engine dask --jobs 2`` on a LocalCluster;
- ``--scheduler tcp://127.0.0.1:PORT`` on a separately started ``dask scheduler`` and
  ``dask worker --nworkers 2`` (loopback only);

and prints for each the wall time, the CPU time of the client process (what a second
core cannot share; with ``--jobs 1`` it is the whole build), the client's peak memory
(max RSS of the process that runs ``storymap``, not of its workers; target < 1 GB) and
whether its story JSON is byte-identical to ``--jobs 1``'s. Then the rebuild: a cold
build with the cache (an empty cache directory), one text changed (a dated sentence with
a new place appended), and the build again: its time as a share of the cold build
(target ≤ 15 %), how many texts were read, and whether the change is in the story.

The machine is shared and noisy: the load average is printed before and after every
run; compare ratios within one run. ``--repeat N`` keeps the best of N runs of each.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bytecode import compile_package  # noqa: E402

CORPUS = Path("/work/shared/corpora/wotr-train/texts")
BIN = Path(sys.executable).parent

#: Run in the child: the storymap command, then this process's own peak memory.
CHILD = r"""
import json, resource, sys
from storymap.cli import main
code = 0
try:
    main.main(sys.argv[1:], standalone_mode=False)
except SystemExit as exc:
    code = exc.code or 0
me = resource.getrusage(resource.RUSAGE_SELF)
print("BENCH " + json.dumps({"peak_mb": me.ru_maxrss / 1024, "cpu": me.ru_utime + me.ru_stime,
                             "code": code}), file=sys.stderr)
"""


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def run(args: list[str], env: dict[str, str]) -> dict[str, object]:
    """Run ``storymap ARGS`` in a fresh process; return wall time, peak memory, stderr."""
    before = load()
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, *args], env=env, capture_output=True,
                          text=True, timeout=1800, check=False)
    wall = time.perf_counter() - t0
    report = {}
    for line in done.stderr.splitlines():
        if line.startswith("BENCH "):
            report = json.loads(line[6:])
    if not report or report.get("code"):
        raise SystemExit(f"storymap {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    summary = [x for x in done.stderr.splitlines() if " texts: " in x]
    return {"wall": wall, "peak_mb": report["peak_mb"], "cpu": report["cpu"],
            "load": f"{before} → {load()}",
            "summary": summary[-1].removeprefix("storymap: ") if summary else ""}


def best(n: int, args: list[str], env: dict[str, str]) -> dict[str, object]:
    runs = [run(args, env) for _ in range(n)]
    return min(runs, key=lambda r: float(r["wall"]))  # type: ignore[arg-type]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_cluster(env: dict[str, str]) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """Start `dask scheduler` and `dask worker --nworkers 2` on 127.0.0.1; wait for both."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = str(BIN / "dask")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    scheduler = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port",
                                  str(port), "--no-dashboard"], env=env, **quiet)
    worker = subprocess.Popen([dask, "worker", address, "--nworkers", "2", "--nthreads", "1",
                               "--no-dashboard", "--host", "127.0.0.1"], env=env, **quiet)
    from distributed import Client

    deadline = time.monotonic() + 120
    while True:
        try:
            with Client(address, timeout="5s") as client:
                client.wait_for_workers(2, timeout=max(1, deadline - time.monotonic()))
                break
        except (OSError, TimeoutError):
            if time.monotonic() > deadline:
                raise SystemExit("the dask scheduler and workers did not start") from None
            time.sleep(1)
    return address, [worker, scheduler]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--rebuild-only", action="store_true",
                        help="only the cold build with the cache and the rebuild")
    opts = parser.parse_args()
    print(compile_package())
    texts = sorted(opts.corpus.glob("*.txt"))
    size = sum(p.stat().st_size for p in texts) / 1e6
    print(f"corpus: {opts.corpus} ({len(texts)} texts, {size:.1f} MB); "
          f"{os.cpu_count()} cores; load average (1/5/15 min) now {load()}")
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp_name:
        tmp = Path(tmp_name)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        if opts.rebuild_only:
            rebuild(opts, tmp, texts, env)
            return
        out: dict[str, Path] = {}
        rows: list[tuple[str, dict[str, object]]] = []

        def build(name: str, *extra: str) -> None:
            out[name] = tmp / f"{name}.json"
            rows.append((name, best(opts.repeat, ["build", str(opts.corpus), "-o",
                                                  str(out[name]), "--no-cache", *extra], env)))

        build("--jobs 1", "--jobs", "1")
        build("--jobs 2", "--jobs", "2")
        if not opts.no_dask:
            build("--engine dask (LocalCluster, 2 workers)", "--engine", "dask", "--jobs", "2")
            address, procs = start_cluster(env)
            try:
                build("--scheduler (dask scheduler + dask worker --nworkers 2)",
                      "--scheduler", address)
            finally:
                for p in procs:
                    p.terminate()
                    p.wait(timeout=30)
        reference = digest(out["--jobs 1"])
        print(f"\n{'build':58} {'wall s':>7} {'client CPU s':>12} {'client MB':>9}  identical"
              "  load before → after")
        for name, r in rows:
            same = "yes" if digest(out[name]) == reference else "NO"
            print(f"{name:58} {r['wall']:7.2f} {r['cpu']:12.2f} {r['peak_mb']:9.0f}  "
                  f"{same:9}  {r['load']}")
        walls = dict(rows)
        speedup = float(walls["--jobs 1"]["wall"]) / float(walls["--jobs 2"]["wall"])  # type: ignore[arg-type]
        print(f"\n--jobs 2 vs --jobs 1: {speedup:.2f}x faster (target >= 1.6x)")
        rebuild(opts, tmp, texts, env)


def rebuild(opts: argparse.Namespace, tmp: Path, texts: list[Path],
            env: dict[str, str]) -> None:
    """A cold build with the cache, one text changed, the build again."""
    corpus = tmp / "corpus"
    corpus.mkdir()
    for p in texts:
        shutil.copy(p, corpus / p.name)
    for extra in ("sources.json",):
        if (opts.corpus / extra).is_file():
            shutil.copy(opts.corpus / extra, corpus / extra)
    cache = tmp / "cache"
    cache.mkdir()
    from storymap.geo.geonames import index_path

    if index_path().exists():  # the GeoNames index is not what is measured: share it
        (cache / index_path().name).symlink_to(index_path())
    renv = {**env, "STORYMAP_CACHE_DIR": str(cache)}
    # The texts just copied are younger than the 2 s after which a build trusts a text's
    # stat (storymap.corpus.textindex): wait, as a corpus one builds is older than that.
    time.sleep(2.1)
    colds = []
    for _ in range(max(1, opts.repeat)):  # cold each time: an empty analysis cache
        shutil.rmtree(cache / "analyses", ignore_errors=True)
        colds.append(run(["build", str(corpus), "-o", str(tmp / "cold.json")], renv))
    cold = min(colds, key=lambda r: float(r["wall"]))  # type: ignore[arg-type]
    # One text changed per run (--repeat N: N runs, another text each time; the best kept).
    runs = []
    for n in range(max(1, opts.repeat)):
        changed = sorted(corpus.glob("*.txt"))[len(texts) // 2 + n]
        with changed.open("a", encoding="utf-8") as f:
            f.write("\n\nOn 17 September 1862 the corps reached Sharpsburg, Maryland.\n")
        out = tmp / f"warm{n}.json"
        warm = run(["build", str(corpus), "-o", str(out)], renv)
        story = json.loads(out.read_text(encoding="utf-8"))
        shown = any(e["date"] == "1862-09-17" and any(s["doc"] == changed.stem
                                                     for s in e["sources"])
                    for e in story["events"])
        runs.append((float(warm["wall"]), warm, changed, shown))  # type: ignore[arg-type]
    _, warm, changed, shown = min(runs, key=lambda r: r[0])
    share = float(warm["wall"]) / float(cold["wall"])  # type: ignore[arg-type]
    print(f"\nrebuild (default --jobs, with the cache; load {cold['load']} / {warm['load']})")
    print(f"  cold build        {cold['wall']:6.2f} s  client CPU {cold['cpu']:5.2f} s  "
          f"client {cold['peak_mb']:.0f} MB  ({cold['summary']})")
    print(f"  one text changed  {warm['wall']:6.2f} s  client CPU {warm['cpu']:5.2f} s  "
          f"client {warm['peak_mb']:.0f} MB  ({warm['summary']})")
    if len(runs) > 1:
        print("  best of each; every run: cold "
              + ", ".join(f"{float(r['wall']):.2f} s" for r in colds)  # type: ignore[arg-type]
              + "; one text changed " + ", ".join(f"{r[0]:.2f} s" for r in runs))
    print(f"  rebuild / cold: {share:.0%} (target <= 15%); the change ({changed.name}, "
          f"1862-09-17) is in the story: {'yes' if shown else 'NO'}")


if __name__ == "__main__":
    main()
