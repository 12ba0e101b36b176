"""Benchmark ``/api/story`` and ``/`` under 50 concurrent clients on loopback.

Targets: ``/api/story`` p99 ≤ 20 ms; ``/`` (the page) p99 ≤ 50 ms at ≥ 1,000 requests/s.

Starts ``storymap serve`` (waitress) in a subprocess on a free 127.0.0.1 port, serving the
built-in 1956 story when the story engine is available and the small test story otherwise;
then 50 client threads, each with its own keep-alive connection, send 40 requests each;
and, where Debian's ``wrk`` is installed, the same 50 connections from wrk, a C client
whose numbers are not inflated by a Python client fighting the server for 2 cores.
Prints p50/p90/p99/max latency, errors and requests per second, as a browser asks
(gzip), without compression, and as a browser revalidates (If-None-Match → 304; waitress
closes the connection after a 304, so that row includes reconnecting). ``--baseline``
also times a hello-world WSGI app on the same waitress settings: the ceiling this
machine puts on any app.

    .venv/bin/python benchmarks/bench_api.py [--clients 50] [--requests 40] [--baseline]
                                             [--path /api/story --path /]
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bytecode import compile_package  # noqa: E402

SMALL_STORY = ROOT / "tests" / "data" / "story-small.json"
#: Per path: (p99 target in ms, requests/s target or 0 for none).
TARGETS = {"/api/story": (20.0, 0.0), "/": (50.0, 1000.0)}


@dataclass
class Results:
    """Latencies (seconds) and errors collected by the client threads."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def engine_available() -> bool:
    """True when storymap.pipeline imports, so the built-in story can be built."""
    probe = [sys.executable, "-c", "import storymap.pipeline"]
    return subprocess.run(probe, cwd=ROOT, capture_output=True).returncode == 0


#: A WSGI app that does nothing, served by waitress like `storymap serve` does.
BASELINE = """
import logging, sys, waitress
from storymap.cli.server import THREADS
logging.getLogger("waitress.queue").setLevel(logging.ERROR)
body = b"{}" * 700
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(body)))])
    return [body]
server = waitress.create_server(app, host="127.0.0.1", port=int(sys.argv[1]), threads=THREADS)
print("storymap: serving the baseline", flush=True)
server.run()
"""


def start_server(
    port: int, *, builtin: bool, threads: int | None, baseline: bool = False
) -> tuple[subprocess.Popen[str], str]:
    """Start ``storymap serve`` and return the process and its first line (after it is up)."""
    args = [] if builtin else [str(SMALL_STORY)]
    code = "import storymap.cli.serve as c; c.serve()"
    if threads is not None:
        code = ("import storymap.cli.serve as c, storymap.cli.server as s; "
                f"s.THREADS = {threads}; c.serve()")
    if baseline:
        code, args = BASELINE, []
    proc = subprocess.Popen(
        [sys.executable, "-u", "-c", code, *args, "--port", str(port)]
        if not baseline
        else [sys.executable, "-u", "-c", code, str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("storymap: serving"):
        proc.kill()
        raise SystemExit(f"bench_api: the server did not start (said {line!r})")
    return proc, line


def client(
    port: int,
    path: str,
    n: int,
    headers: dict[str, str],
    start: threading.Barrier,
    results: Results,
) -> None:
    """Send ``n`` GET ``path`` on one keep-alive connection and record each latency."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    mine: list[float] = []
    errors: list[str] = []
    start.wait()
    for _ in range(n):
        t0 = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            if response.status == 304 and "If-None-Match" in headers:
                pass  # a revalidation: 304 with no body is the right answer
            elif response.status != 200 or not body:
                errors.append(f"HTTP {response.status}")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        mine.append(time.perf_counter() - t0)
    conn.close()
    with results.lock:
        results.latencies.extend(mine)
        results.errors.extend(errors)


def run(
    port: int, path: str, *, clients: int, requests: int, headers: dict[str, str]
) -> tuple[Results, float]:
    """Run ``clients`` threads of ``requests`` each; return results and wall time."""
    results = Results()
    barrier = threading.Barrier(clients + 1)
    threads = [
        threading.Thread(target=client, args=(port, path, requests, headers, barrier, results))
        for _ in range(clients)
    ]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return results, time.perf_counter() - t0


def percentile(values: list[float], q: float) -> float:
    """Return the ``q`` quantile (0..1) of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def fetch(port: int, path: str, headers: dict[str, str]) -> tuple[int, str]:
    """Return the body size and ETag of one GET ``path``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    size, etag = len(response.read()), response.getheader("ETag", "")
    conn.close()
    return size, etag


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=40, help="requests per client")
    parser.add_argument("--threads", type=int, help="waitress threads (default: serve's)")
    parser.add_argument("--baseline", action="store_true", help="also time a hello-world app")
    parser.add_argument("--path", action="append", choices=sorted(TARGETS),
                        help="what to load (repeatable; default: both)")
    opts = parser.parse_args()
    print(compile_package())
    builtin = engine_available()
    port = free_port()
    proc, line = start_server(port, builtin=builtin, threads=opts.threads)
    try:
        print(line)
        print(f"story: {'built-in 1956 (storymap.pipeline)' if builtin else 'small test story'}")
        gzip = {"Accept-Encoding": "gzip"}
        for path in opts.path or ["/api/story", "/"]:
            etag = fetch(port, path, gzip)[1]
            for label, headers in (
                ("gzip", gzip),
                ("identity", {}),
                ("revalidate, 304", {**gzip, "If-None-Match": etag}),
            ):
                report(path, label, port, headers, opts.clients, opts.requests)
                report_wrk(path, label, port, headers, opts.clients)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    if opts.baseline:
        port = free_port()
        proc, _ = start_server(port, builtin=False, threads=None, baseline=True)
        try:
            report("/", "hello-world WSGI app, identity", port, {}, opts.clients, opts.requests)
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def verdict(path: str, p99: float, rate: float, errors: bool) -> str:
    """Return "meets …" or "MISSES …" for the targets of ``path``."""
    target_p99, target_rate = TARGETS.get(path, (float("inf"), 0.0))
    ok = p99 <= target_p99 and rate >= target_rate and not errors
    goal = f"p99 ≤ {target_p99:.0f} ms" + (f", ≥ {target_rate:.0f} req/s" if target_rate else "")
    return f"{'meets' if ok else 'MISSES'} {goal}"


def report_wrk(path: str, label: str, port: int, headers: dict[str, str], clients: int) -> None:
    """Run the same load with wrk (a C client, so the client's own GIL is out of the way)."""
    if not shutil.which("wrk"):
        print(f"{path} [{label}] wrk: not installed (apt-get install wrk) — skipped")
        return
    args = ["wrk", "-t2", f"-c{clients}", "-d5s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, f"http://127.0.0.1:{port}{path}"], capture_output=True,
                         text=True, check=False).stdout
    found = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)$", out, re.MULTILINE))
    rate = re.search(r"Requests/sec:\s+(\S+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", out)
    p99 = _ms(found.get("99", "nan"))
    per_s = float(rate.group(1)) if rate else 0.0
    print(f"{path} [{label}] wrk {clients} connections × 5 s: "
          f"p50 {_ms(found.get('50', 'nan')):.1f} ms, "
          f"p90 {_ms(found.get('90', 'nan')):.1f} ms, p99 {p99:.1f} ms, "
          f"errors {errors.group(0) if errors else 0}, {per_s:.0f} req/s "
          f"→ {verdict(path, p99, per_s, bool(errors))}")


def _ms(value: str) -> float:
    """Return a wrk duration ("12.43ms", "1.02s", "850.00us") in milliseconds."""
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if value.endswith(unit):
            return float(value[: -len(unit)]) * factor
    return float("nan")


def report(
    path: str, label: str, port: int, headers: dict[str, str], clients: int, requests: int
) -> None:
    """Warm up, run the load and print one line of numbers for it."""
    size = fetch(port, path, headers)[0]
    run(port, path, clients=5, requests=5, headers=headers)  # warm up connections and caches
    results, wall = run(port, path, clients=clients, requests=requests, headers=headers)
    ms = [x * 1000 for x in results.latencies]
    p99 = percentile(ms, 0.99)
    rate = len(ms) / wall
    print(
        f"{path} [{label}, {size / 1024:.0f} KB] {clients} clients × {requests}: "
        f"p50 {statistics.median(ms):.1f} ms, p90 {percentile(ms, 0.90):.1f} ms, "
        f"p99 {p99:.1f} ms, max {max(ms):.1f} ms, errors {len(results.errors)}, "
        f"{rate:.0f} req/s → {verdict(path, p99, rate, bool(results.errors))}"
    )


if __name__ == "__main__":
    main()
