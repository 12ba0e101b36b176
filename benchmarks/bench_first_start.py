"""Measure a first start on a fresh install: the wheel, `storymap serve` and `storymap build`.

Usage: ``python benchmarks/bench_first_start.py [--runs N] [--compare] [--text FILE]``

Builds the wheel from this checkout (``python -m build --wheel --no-isolation``: the
check's venv has the build packages, and the wheel's build hook ships the GeoNames index
and the built-in story, see hatch_build.py), installs it with ``--no-deps`` into a fresh
virtualenv whose dependencies come from this venv (a ``.pth`` line: the install is fresh,
PyPI's downloads are not what is measured), then, each run with ``STORYMAP_CACHE_DIR`` set
to a new empty folder:

- serve: from starting ``storymap serve --port P`` to the first 200 answer to ``GET /``,
  and when its first line (progress or URL) came;
- build: ``storymap build TEXT -o story.json`` of a text it has never seen, wall time.

``--compare`` does the same with a wheel built without the prebuilt files
(``STORYMAP_WHEEL_PREBUILT=0``), to show what shipping them buys and costs in size. Prints
numbers; asserts nothing. The machine is shared: say what the load was (printed).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT = ROOT / "tests" / "data" / "lessons" / "gettysburg.txt"


def build_wheel(out: Path, *, prebuilt: bool) -> Path:
    """Build the wheel into ``out``; return its path."""
    env = {**os.environ, "STORYMAP_WHEEL_PREBUILT": "1" if prebuilt else "0"}
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                    str(out), str(ROOT)], check=True, env=env, capture_output=True)
    return next(out.glob("storymap-*.whl"))


def install(wheel: Path, venv: Path) -> Path:
    """Install ``wheel`` alone into a new virtualenv at ``venv``; return its bin folder."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--disable-pip-version-check", str(wheel)], check=True)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], check=True, capture_output=True, text=True)
    # The dependencies of this venv, as a plain path: its .pth files (the checkout's own
    # editable storymap) are not read from there, so storymap is the installed wheel's.
    Path(site.stdout.strip(), "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def first_serve(bin_dir: Path, cache: Path) -> tuple[float, float, str]:
    """Return (seconds to the first 200 of GET /, seconds to its first line, that line)."""
    port = free_port()
    env = {**os.environ, "STORYMAP_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    proc = subprocess.Popen([str(bin_dir / "storymap"), "serve", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    first_line: list[tuple[float, str]] = []
    try:
        import threading

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                if not first_line:
                    first_line.append((time.perf_counter() - start, line.strip()))

        threading.Thread(target=read, daemon=True).start()
        while time.perf_counter() - start < 180:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    if r.status == 200:
                        answered = time.perf_counter() - start
                        break
            except OSError:
                time.sleep(0.05)
            if proc.poll() is not None:
                raise SystemExit(f"storymap serve exited with {proc.returncode}")
        else:
            raise SystemExit("storymap serve did not answer in 180 s")
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
    line = first_line[0] if first_line else (float("nan"), "")
    return answered, line[0], line[1]


def first_build(bin_dir: Path, cache: Path, text: Path, out: Path) -> float:
    env = {**os.environ, "STORYMAP_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    subprocess.run([str(bin_dir / "storymap"), "build", str(text), "-o", str(out)], env=env,
                   check=True, capture_output=True)
    return time.perf_counter() - start


def measure(label: str, *, prebuilt: bool, runs: int, text: Path, tmp: Path) -> None:
    folder = tmp / label
    folder.mkdir()
    wheel = build_wheel(folder / "dist", prebuilt=prebuilt)
    with zipfile.ZipFile(wheel) as z:
        shipped = {i.filename.rsplit("/", 1)[1]: i.compress_size for i in z.infolist()
                   if "/prebuilt/" in i.filename}
    print(f"{label}: wheel {wheel.stat().st_size / 1e6:.1f} MB"
          + "".join(f"; {name} {size / 1e6:.1f} MB compressed" for name, size in shipped.items()))
    bin_dir = install(wheel, folder / "venv")
    serves, lines, builds = [], [], []
    for run in range(runs):
        answered, at, line = first_serve(bin_dir, folder / f"cache-serve-{run}")
        serves.append(answered)
        lines.append(at)
        builds.append(first_build(bin_dir, folder / f"cache-build-{run}", text,
                                  folder / "story.json"))
        print(f"  run {run + 1}: first serve answered / in {answered:.2f} s (first line at "
              f"{at:.2f} s: {line[:90]!r}); build of {text.name} {builds[-1]:.2f} s")
    print(f"  median: serve {statistics.median(serves):.2f} s (target 5), build "
          f"{statistics.median(builds):.2f} s (target 5), over {runs} fresh caches")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compare", action="store_true",
                        help="also measure a wheel without the prebuilt index and story")
    parser.add_argument("--text", type=Path, default=TEXT)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    tmp = Path(tempfile.mkdtemp(prefix="bench-first-start-"))
    try:
        measure("shipped", prebuilt=True, runs=args.runs, text=args.text, tmp=tmp)
        if args.compare:
            measure("lazy", prebuilt=False, runs=args.runs, text=args.text, tmp=tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
