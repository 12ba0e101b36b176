"""Benchmark the hostile inputs of issue 20: what each cost before and costs now.

Sections (``--only NAME`` runs one):

  bomb        a 447-byte YAML alias bomb as corrections.yaml: time and memory to refuse it
  writes      one editor write to corrections files of 1,000 to 50,000 entries: the in-place
              save (comments kept) against writing the file out whole, both read back
  sentences   sentence splitting of runs of "." 16 KB to 1 MB, and the old pattern (16/32 KB)
  storymapjs  a ~1 MB TimelineJS import of long ranges exported to StoryMapJS: bytes, time,
              peak memory (a fresh process)
  trickle     2,200 connections trickling a body byte every 5 s at `storymap serve`
              (2 workers): how long new clients wait (``--release DIR``: and on an older
              source tree, for the ratio)
  bigline     `gazetteer add` of a small zip holding one 3 GB line: time, peak memory
  bigtext     `storymap build` of a 19 MB text: refused up front (time, the line)

Everything is made here and runs on 127.0.0.1. The machine is shared and noisy: compare
the ratios within one run, and read the load average printed first.

    python benchmarks/bench_hostile.py [--only NAME] [--connections 2200]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bytecode import compile_package  # noqa: E402

STORYMAP = [sys.executable, "-m", "storymap"]


def timed(run: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    run()
    return time.perf_counter() - t0


Done = subprocess.CompletedProcess[str]


def child_peak(args: list[str], **kw: object) -> tuple[float, float, Done]:
    """Run a command; return (seconds, its peak memory in MB, the result)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False, **kw)  # type: ignore[call-overload]
    took = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return took, max(peak, before) / 1024, done


# -- bomb -----------------------------------------------------------------------------------
def bomb() -> None:
    from storymap.corrections import load_corrections
    from storymap.errors import CorrectionsError

    lines = ["version: 1", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]"
              for i in range(8)]
    text = "\n".join([*lines, "events:", "  - {id: e1, hide: *i}"]) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corrections.yaml"
        path.write_text(text, encoding="utf-8")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        try:
            load_corrections(path, known_places=())
            said = "accepted (!)"
        except CorrectionsError as exc:
            said = str(exc)[len(str(path)) + 2:][:90]
        took = time.perf_counter() - t0
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(f"bomb: {len(text)} bytes refused in {took * 1000:.1f} ms, memory grown "
          f"{grown:.1f} MB (was ~31 MB/s without end): {said}…")


# -- writes ---------------------------------------------------------------------------------
def writes() -> None:
    from storymap.corrections.fileio import (
        dump_corrections,
        parse_text,
        read_corrections,
        save_corrections,
    )
    from storymap.corrections.model import EventFix

    for n in (1_000, 10_000, 50_000):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "corrections.yaml"
            entries = "".join(f"  - {{id: e{i}, title: 'A title of event {i}', at: "
                              f"'2026-01-01T00:00:{i % 60:02}'}}  # note {i}\n"
                              for i in range(n))
            path.write_text("# my fixes\nversion: 1\nevents:\n" + entries, encoding="utf-8")
            size = path.stat().st_size / 1e6
            t0 = time.perf_counter()
            current = read_corrections(path, known_places=())
            read = time.perf_counter() - t0
            fix = EventFix(id="new", hide=True, at="2026-02-01T00:00:00")
            times = []
            for _ in range(3):
                changed = current.corrections.added(fix)
                t0 = time.perf_counter()
                current = save_corrections(changed, path, previous=current, known_places=())
                times.append(time.perf_counter() - t0)
                current = save_corrections(current.corrections.undone(), path,
                                           previous=current, known_places=())
            kept = "# note 7" in path.read_text(encoding="utf-8")
            t0 = time.perf_counter()
            whole = dump_corrections(current.corrections.added(fix))
            parse_text(whole, file="x", known_places=())
            dumped = time.perf_counter() - t0
            t0 = time.perf_counter()
            _old_dump(current.corrections.added(fix))  # the release's write: pure-Python
            old = time.perf_counter() - t0             # dump of every entry, no read-back
        print(f"writes: {n:>6,} entries ({size:.1f} MB): read {read:.2f} s; one write in "
              f"place {min(times):.2f} s (median {sorted(times)[1]:.2f} s, backup and read-"
              f"back included, comments kept: {kept}); written whole and read back "
              f"{dumped:.2f} s; the release's dump alone {old:.2f} s, comments lost")


def _old_dump(corrections: object) -> str:
    import yaml

    from storymap.corrections.model import SECTIONS, entry_dict

    lines = []
    for section in SECTIONS:
        lines.append(f"{section}:")
        for entry in getattr(corrections, section):
            flow = yaml.safe_dump(entry_dict(entry), default_flow_style=True,
                                  allow_unicode=True, width=1 << 20, sort_keys=False).strip()
            lines.append(f"  - {flow}")
    return "\n".join(lines)


# -- sentences ------------------------------------------------------------------------------
OLD_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-ZÀ-Ý0-9])")


def sentences() -> None:
    from storymap.text.passages import sentence_spans

    for size in (16_000, 32_000):
        text = "It began" + "." * size + "x"
        old = timed(lambda text=text: list(OLD_END.finditer(text)))
        new = timed(lambda text=text: sentence_spans(text))
        print(f"sentences: {size // 1000} KB of '.': old pattern {old:.2f} s, now {new:.4f} s")
    for size in (250_000, 1_000_000):
        for mark in (".", "?!", ". "):
            text = "It began" + mark * (size // len(mark)) + " B"
            took = timed(lambda text=text: sentence_spans(text))
            print(f"sentences: {size // 1000} KB of {mark!r}: {took:.3f} s")


# -- storymapjs -----------------------------------------------------------------------------
CHILD_EXPORT = r"""
import json, resource, sys, time
from storymap.formats.knightlab.read import load_interchange
from storymap.formats import to_storymapjs
from storymap.formats.fragments import event_html
story = load_interchange(sys.argv[1])
t0 = time.perf_counter()
out = to_storymapjs(story)
took = time.perf_counter() - t0
# What the export held before: every event in full on every day it covers.
html = {e.id: len(event_html(story, e).encode()) for e in story.events}
old = sum(html[e.id] for d in story.days() for e in story.events_on(d))
print(json.dumps({"seconds": took, "bytes": len(out.encode()), "old_bytes": old,
                  "events": len(story.events), "days": len(story.days()),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def storymapjs() -> None:
    events = []
    for i in range(100):
        text = " ".join(f"word{i}x{j}" for j in range(1000))
        events.append({"start_date": {"year": "1900", "month": "1", "day": str(1 + i % 28)},
                       "end_date": {"year": "1900", "month": "12", "day": "31"},
                       "text": {"headline": f"Event {i}", "text": f"<p>{text}</p>"}})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ranges.json"
        path.write_text(json.dumps({"events": events}), encoding="utf-8")
        done = subprocess.run([sys.executable, "-c", CHILD_EXPORT, str(path)],
                              capture_output=True, text=True, check=True)
        got = json.loads(done.stdout)
        print(f"storymapjs: {path.stat().st_size / 1e6:.2f} MB import ({got['events']} events "
              f"over {got['days']} days) → {got['bytes'] / 1e6:.1f} MB in "
              f"{got['seconds']:.2f} s, peak {got['peak_mb']:.0f} MB (each event in full on "
              f"each of its days, as before: {got['old_bytes'] / 1e6:.0f} MB of slide text)")


# -- trickle --------------------------------------------------------------------------------
def trickle(connections: int, source: str | None = None) -> None:
    from storymap.cli.server import raise_file_limit

    raise_file_limit(connections + 500)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, **({"PYTHONPATH": source} if source else {})}
    server = subprocess.Popen([*STORYMAP, "serve", "--port", str(port), "--workers", "2"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env=env, cwd=source or None)
    held: list[socket.socket] = []
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.5)
        baseline = [_get(port) for _ in range(5)]
        opened = 0
        for _ in range(connections):
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=2)
                s.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n")
                held.append(s)
                opened += 1
            except OSError:
                break
        time.sleep(3)  # every worker has taken what it will take
        held_by_server = _established(port)
        waits = []
        for _ in range(6):  # a new client, then a byte from each trickle, every 5 s
            t_end = time.time() + 5
            waits.append(_get(port))
            for s in held:
                with contextlib.suppress(OSError):
                    s.sendall(b"x")
            time.sleep(max(0.0, t_end - time.time()))
        ok = [w for w in waits if w is not None]
        print(f"trickle{' (' + source + ')' if source else ''}: {opened:,} trickling "
              f"connections ({held_by_server:,} held by the server); new clients answered "
              f"{len(ok)}/{len(waits)}, median {sorted(ok)[len(ok) // 2] * 1000 if ok else 0:.0f}"
              f" ms, slowest {max(ok) * 1000 if ok else 0:.0f} ms (idle server: median "
              f"{sorted(w for w in baseline if w)[2] * 1000:.0f} ms)")
    finally:
        for s in held:
            s.close()
        server.terminate()
        server.wait(timeout=30)


def _established(port: int) -> int:
    """Connections the server processes hold on ``port`` (Linux ``ss``; -1 without it)."""
    try:
        out = subprocess.run(["ss", "-tnp", "state", "established", f"( sport = :{port} )"],
                             capture_output=True, text=True, check=False).stdout
    except OSError:
        return -1
    return out.count("users:")


def _get(port: int) -> float | None:
    t0 = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            if not s.recv(20).startswith(b"HTTP/1.1 200"):
                return None
    except OSError:
        return None
    return time.perf_counter() - t0


# -- bigline --------------------------------------------------------------------------------
def bigline() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "XX.zip"
        chunk = b"a" * (1 << 24)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, \
                zf.open("XX.txt", "w", force_zip64=True) as member:
            for _ in range(3 * 64):  # 3 GiB, one line
                member.write(chunk)
        env = {**os.environ, "STORYMAP_CACHE_DIR": str(Path(tmp) / "cache")}
        took, peak, done = child_peak([*STORYMAP, "gazetteer", "add", str(path)], env=env)
        left = list((Path(tmp) / "cache" / "packs").glob("*")) if (
            Path(tmp) / "cache" / "packs").exists() else []
        print(f"bigline: a {path.stat().st_size / 1e6:.1f} MB zip of one 3 GB line refused in "
              f"{took:.2f} s, peak {peak:.0f} MB (was MemoryError after 3.2 GB), "
              f"files left in the cache: {len(left)}: {done.stderr.strip()[-110:]}")


# -- bigtext --------------------------------------------------------------------------------
def bigtext() -> None:
    line = ("On 23 October 1956 students marched from the Technical University to the "
            "statue of Bem in Budapest, and that evening the crowd at the Radio building grew.\n")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.txt"
        path.write_text(line * (19_000_000 // len(line)), encoding="utf-8")
        took, peak, done = child_peak([*STORYMAP, "build", str(path), "-o",
                                       str(Path(tmp) / "s.json")])
        print(f"bigtext: a {path.stat().st_size / 1e6:.0f} MB text: exit {done.returncode} in "
              f"{took:.2f} s, peak {peak:.0f} MB (was ~180 s and ~3.3 GB, then refused): "
              f"{done.stderr.strip()[-160:]}")


SECTIONS = ("bomb", "writes", "sentences", "storymapjs", "trickle", "bigline", "bigtext")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=SECTIONS)
    parser.add_argument("--connections", type=int, default=2200)
    parser.add_argument("--release", metavar="DIR",
                        help="trickle: also serve from this source tree (e.g. `git archive` "
                             "of an older commit) and compare")
    args = parser.parse_args()
    print(compile_package())
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    for name in SECTIONS:
        if args.only and name != args.only:
            continue
        if name == "trickle":
            trickle(args.connections)
            if args.release:
                trickle(args.connections, args.release)
        else:
            globals()[name]()
        sys.stdout.flush()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
