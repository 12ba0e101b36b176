"""Benchmark edit mode: from a correction posted to the updated story served (target ≤ 300 ms).

Starts ``storymap serve --edit`` (waitress, one process) on the built-in 1956 story in a
subprocess on a free 127.0.0.1 port, with its corrections file in a temporary folder.
Then, for each kind of correction — an event's date, an event hidden, a pin moved, a name
that is not a place (which rebuilds that document's events from its analysis), a name that
is a person, and undo — it POSTs the correction and GETs ``/api/story`` (gzip, as a
browser asks) and times the two together: what a teacher waits for after a click. The
texts are never read again (corrections are applied to the analyses held in memory).

Then the same corrections in this process, without HTTP: the session's change (apply,
save) and the served index rebuilt, split — what the server itself spends.

    .venv/bin/python benchmarks/bench_corrections.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bytecode import compile_package  # noqa: E402

TARGET_MS = 300.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(port: int, method: str, path: str, body: Any = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    data = None if body is None else json.dumps(body).encode()
    hdrs = dict(headers or {})
    if data is not None:
        hdrs["Content-Type"] = "application/json"
    con.request(method, path, body=data, headers=hdrs)
    r = con.getresponse()
    payload = r.read()
    con.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, payload


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(compile_package())
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        fixes = Path(tmp) / "corrections.yaml"
        proc = subprocess.Popen(
            [sys.executable, "-m", "storymap", "serve", "--edit", "--port", str(port),
             "--corrections", str(fixes)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp)
        try:
            t0 = time.perf_counter()
            token = ""
            assert proc.stdout is not None
            for line in proc.stdout:
                m = re.search(r"\?token=(\S+)", line)
                if m:
                    token = m.group(1)
                    break
            if not token:
                print("server did not start:", proc.stderr.read() if proc.stderr else "")
                return 1
            print(f"server ready in {time.perf_counter() - t0:.1f} s (texts read once)")
            auth = {"X-Storymap-Token": token, "Accept-Encoding": "gzip"}
            _, _, body = request(port, "GET", "/api/story")
            story = json.loads(body)
            events = story["events"]
            place = next(p for p in story["places"] if p["kind"] not in ("country", "region"))
            name = next(m["text"] for m in story["mentions"] if m["place_id"] == place["id"])
            doc = story["documents"][0]["id"]
            kinds: dict[str, list[float]] = {}

            def timed(kind: str, path: str, body: Any) -> None:
                start = time.perf_counter()
                status, _, answer = request(port, "POST", path, body, auth)
                if status != 200:
                    raise SystemExit(f"{kind}: HTTP {status}: {answer[:200]!r}")
                status, _, _ = request(port, "GET", "/api/story", None, auth)
                if status != 200:
                    raise SystemExit(f"{kind}: GET /api/story: HTTP {status}")
                kinds.setdefault(kind, []).append(time.perf_counter() - start)

            for i in range(args.rounds):
                event = events[(7 * i) % len(events)]
                timed("event date", "/api/corrections",
                      {"events": [{"id": event["id"], "date": "1956-10-2" + str(i % 9 + 1)}]})
                timed("event hidden", "/api/corrections",
                      {"events": [{"id": events[(11 * i + 3) % len(events)]["id"],
                                   "hide": True}]})
                timed("pin moved", "/api/corrections",
                      {"places": [{"id": place["id"], "name": place["name"],
                                   "kind": place["kind"], "lat": place["lat"] + 0.001 * i,
                                   "lon": place["lon"]}]})
                timed("not a place (doc)", "/api/corrections",
                      {"names": [{"doc": doc, "name": name, "not_a_place": True}]})
                timed("a person (everywhere)", "/api/corrections",
                      {"names": [{"name": "Szolnok", "person": True}]})
                timed("undo", "/api/corrections/undo", {})
            print(f"{'correction':<24}{'n':>4}{'median ms':>11}{'max ms':>9}")
            worst = 0.0
            for kind, times in kinds.items():
                worst = max(worst, max(times))
                print(f"{kind:<24}{len(times):>4}{statistics.median(times) * 1000:>11.0f}"
                      f"{max(times) * 1000:>9.0f}")
            every = [t for times in kinds.values() for t in times]
            print(f"all: median {statistics.median(every) * 1000:.0f} ms, "
                  f"max {worst * 1000:.0f} ms (target ≤ {TARGET_MS:.0f} ms) "
                  f"{'OK' if worst * 1000 <= TARGET_MS else 'OVER'}")
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            if proc.stdout is not None:
                proc.stdout.close()
            if proc.stderr is not None:
                proc.stderr.close()
        in_process(Path(tmp) / "in-process.yaml", args.rounds)
    return 0


def in_process(fixes: Path, rounds: int) -> None:
    """Time the server's own work per correction: session change, then the index."""
    from storymap.corrections.session import EditSession
    from storymap.pipeline import builtin_texts
    from storymap.web.edit import StoryDict
    from storymap.web.index import build_index

    session = EditSession.from_paths(list(builtin_texts()), corrections=fixes)
    convert = StoryDict()
    build_index(session.story, gzip_level=1, data=convert(session.story))
    events = session.story.events
    doc = session.story.documents[0].id
    rows: dict[str, list[tuple[float, float]]] = {}
    for i in range(rounds):
        event = events[(7 * i) % len(events)].id
        for kind, change in [
            ("event date", lambda e=event: session.add(  # type: ignore[misc]
                {"events": [{"id": e, "date": "1956-10-25"}]})),
            ("not a place (doc)", lambda: session.add(
                {"names": [{"doc": doc, "name": "Szolnok", "not_a_place": True}]})),
            ("undo", session.undo),
        ]:
            t0 = time.perf_counter()
            story = change()
            t1 = time.perf_counter()
            build_index(story, gzip_level=1, data=convert(story))
            rows.setdefault(kind, []).append((t1 - t0, time.perf_counter() - t1))
    print(f"\nin process (no HTTP)     {'change ms':>10}{'index ms':>10}{'total ms':>10}")
    for kind, times in rows.items():
        change_ms = statistics.median(t[0] for t in times) * 1000
        index_ms = statistics.median(t[1] for t in times) * 1000
        print(f"{kind:<24}{change_ms:>10.0f}{index_ms:>10.0f}{change_ms + index_ms:>10.0f}")


if __name__ == "__main__":
    raise SystemExit(main())
