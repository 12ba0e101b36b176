"""Benchmark reading real prose at 0.1, 1 and 10 MB: time per MB, its growth, peak memory.

The prose is the built-in seed texts and the WOTR training texts (``/work/shared/corpora``
or ``--corpus``) concatenated, repeated as needed to reach a size (the corpus is ~2 MB,
so the 10 MB text holds every sentence about five times: repeated sentences are part of
what must stay linear). Each size is built by ``storymap build`` in a fresh process with
the default resolvers, so its peak memory (max RSS) is its own, and the JSON written is
read back by ``storymap export`` (a story ``build`` writes must read back).

Printed per size: seconds, seconds per MB (without the one-off gazetteer load) and its
ratio to the smallest size's (a linear pipeline stays within 1.5×), peak memory, and
the stages whose time per MB grew most.
Targets (issue 11): 10 MB in at most 30 s and 1 GB. Machines here are shared and noisy:
compare the ratios within one run.

    python benchmarks/bench_scaling.py [--sizes 0.1 1 10] [--corpus DIR] [--timeout 600]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bytecode import compile_package  # noqa: E402

SEEDS = ROOT / "storymap" / "examples" / "hungary-1956"
CORPUS = Path("/work/shared/corpora/wotr-train/texts")

#: Run in the child: build with per-stage timings, write the story, report as JSON.
CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from storymap.pipeline import SourceText, Timings, build_story, build_story_from_texts
from storymap.textio import write_atomic
# One-off costs (gazetteer, GeoNames index, language data) are paid before the clock runs.
build_story_from_texts([SourceText(id="warm", text="On 23 October 1856 in Richmond, Virginia.")])
timings = Timings()
t0 = time.perf_counter()
story = build_story([Path(sys.argv[1])], timings=timings)
built = time.perf_counter() - t0
text = story.to_json() + "\n"
write_atomic(Path(sys.argv[2]), text)
total = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"build": built, "total": total, "stages": timings.stages, "peak_mb": peak,
                  "events": len(story.events), "story_mb": len(text.encode()) / 1e6}))
"""


def prose(corpus: Path) -> str:
    """Return the seed texts and the corpus texts, one after the other.

    Each starts with a heading of its own, as a chapter would: a heading ends the back
    matter (References, See also) of the text before, which is otherwise never read.
    """
    files = sorted(SEEDS.glob("*.txt")) + sorted(corpus.glob("*.txt"))
    return "".join(f"= = {f.stem} = =\n\n" + f.read_text(encoding="utf-8").strip() + "\n\n"
                   for f in files)


def sized(text: str, megabytes: float) -> str:
    """Return ``text`` repeated and cut (at a paragraph) to about ``megabytes`` MB."""
    want = int(megabytes * 1_000_000)
    body = text
    while len(body.encode()) < want:
        body += text
    cut = body.encode()[:want].decode("utf-8", "ignore")
    return cut[: cut.rfind("\n\n")] if "\n\n" in cut else cut


def run(path: Path, out: Path, timeout: float) -> dict[str, object] | None:
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(out)],
                              capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        raise SystemExit(f"build of {path} failed: {done.stderr.strip()[-400:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def reads_back(story: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "storymap", "export", str(story), "-f", "geojson",
                    "-o", "/dev/null"], check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.1, 1.0, 10.0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds one size may take before it counts as a hang")
    args = parser.parse_args()
    print(compile_package())
    text = prose(args.corpus)
    print(f"prose: {len(text.encode()) / 1e6:.2f} MB of seeds + {args.corpus}")
    base: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.sizes:
            path = Path(tmp) / f"prose-{mb}.txt"
            path.write_text(sized(text, mb), encoding="utf-8")
            real = path.stat().st_size / 1e6
            result = run(path, Path(tmp) / f"story-{mb}.json", args.timeout)
            if result is None:
                print(f"{real:6.2f} MB  did not finish in {args.timeout:.0f} s")
                continue
            total = float(result["total"])  # type: ignore[arg-type]
            stages: dict[str, float] = result["stages"]  # type: ignore[assignment]
            per_mb = {k: v / real for k, v in stages.items()}
            # The gazetteer loads once whatever the size: leave it out of the growth.
            per_mb["total"] = (total - stages.get("gazetteer", 0.0)) / real
            for k, v in per_mb.items():
                base.setdefault(k, v)
            growth = {k: v / base[k] for k, v in per_mb.items()
                      if k != "total" and base.get(k, 0) > 0.005}
            worst = sorted(growth.items(), key=lambda kv: -kv[1])[:3]
            back = reads_back(Path(tmp) / f"story-{mb}.json")
            print(f"{real:6.2f} MB  {total:7.1f} s  {per_mb['total']:6.2f} s/MB "
                  f"(×{per_mb['total'] / base['total']:.2f})  peak {result['peak_mb']:.0f} MB  "
                  f"story {result['story_mb']:.1f} MB, read back in {back:.1f} s  "
                  f"{result['events']} events")
            print("          per stage s/MB: " + ", ".join(
                f"{k} {v:.2f}" for k, v in sorted(per_mb.items(), key=lambda kv: -kv[1])
                if k != "total"))
            print("          grew most: " + ", ".join(f"{k} ×{g:.2f}" for k, g in worst))


if __name__ == "__main__":
    main()
