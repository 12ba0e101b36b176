"""Helpers shared by the tests: a quiet static file server on 127.0.0.1, a free port, and
``storymap serve --edit`` in a subprocess."""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_directory(folder: Path) -> Iterator[int]:
    """Serve ``folder`` over HTTP on a free 127.0.0.1 port; yield the port."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


if TYPE_CHECKING:
    from storymap.model import Story

#: What a browser test may load: the page itself and the loopback server, nothing else.
LOCAL = re.compile(r"^(file:|data:|blob:|about:|https?://127\.0\.0\.1[:/])")


def serve_story(story: Story, *, warmed: bool = False) -> Iterator[str]:
    """Serve ``story``'s Flask app on 127.0.0.1 (a real socket, for iframes); yield its URL.

    A generator for module fixtures: ``yield from serve_story(story)``. ``warmed``: its
    pages made before the first visit, as `storymap serve` does.
    """
    from werkzeug.serving import make_server

    from storymap.web import create_app, warm

    app = create_app(story)
    if warmed:
        warm(app)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()


def offline_context(browser: Any, width: int = 1280, height: int = 800, *,
                    locale: str = "en-GB", **extra: Any) -> Any:
    """A browser context of that size (and ``locale``: the browser's language) whose
    requests beyond LOCAL are refused."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale=locale,
                              **extra)
    ctx.route(lambda url: not LOCAL.match(url), lambda route: route.abort())
    return ctx


def generated_story(n_events: int = 10_000, *, seed: int = 1914, year: int = 1914) -> Story:
    """A story of ``n_events`` events over one year, for the page at scale (issue 19.5).

    Like a newspaper year read by storymap: about n/4 places across Europe named with a
    skewed frequency (a capital in hundreds of events, most towns in a few), each event
    at one to three places, every day of the year with news (so the main phase is the
    year), a few ranges of days, some month-dated events, clock times on a third; twenty
    documents hold the sentences the events quote, at their offsets. Deterministic.
    """
    import random
    from datetime import date, timedelta

    from storymap.model import Document, Event, Place, PlaceRef, SourceRef, Story

    rng = random.Random(seed)
    places = tuple(
        Place(f"p{i:05d}", f"Town {i}", round(rng.uniform(36.0, 60.0), 4),
              round(rng.uniform(-9.0, 30.0), 4), "city", source="generated")
        for i in range(max(4, n_events // 4)))  # fmt: skip
    cum, total = [], 0.0
    for i in range(len(places)):  # Zipf: a few places in most of the news
        total += 1.0 / (i + 1)
        cum.append(total)
    start = date(year, 1, 1)
    rows = []
    for i in range(n_events):
        day = start + timedelta(days=rng.randrange(365))
        chosen = {p.id: p for p in rng.choices(places, cum_weights=cum, k=rng.choice((1, 1, 2, 3)))}
        kind = rng.random()
        precision, when, end = "day", day.isoformat(), None
        if kind < 0.02:
            precision, when = "month", when[:7]
        elif kind < 0.05:
            end = (day + timedelta(days=rng.randrange(1, 5))).isoformat()
        clock = f"{rng.randrange(24):02d}:{rng.choice((0, 15, 30, 45)):02d}" \
            if precision == "day" and rng.random() < 0.33 else None
        names = " and ".join(p.name for p in chosen.values())
        who = rng.choice(("crowds", "troops", "delegates", "workers", "refugees"))
        did = rng.choice(("gathered", "marched", "arrived", "met", "waited"))
        quote = f"On {when} the correspondents reported that {who} {did} in {names}, " \
                f"dispatch {i} of the year."
        rows.append((when, clock or "", i, precision, end, clock, quote, tuple(chosen.values())))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    texts: list[list[str]] = [[] for _ in range(20)]
    events = []
    for when, _, i, precision, end, clock, quote, at in rows:
        doc = i % len(texts)
        offset = sum(len(s) + 1 for s in texts[doc])
        texts[doc].append(quote)
        events.append(Event(
            id=f"g{i:05d}", date=when, precision=precision,
            title=quote[:70].rsplit(" ", 1)[0] + "…",
            quote=quote, places=tuple(PlaceRef(p.id, p.name) for p in at),
            sources=(SourceRef(f"d{doc:02d}", offset, offset + len(quote)),), end_date=end,
            time=clock))  # fmt: skip
    documents = tuple(Document(f"d{k:02d}", f"Dispatches {k + 1}", " ".join(parts))
                      for k, parts in enumerate(texts))  # fmt: skip
    return Story(f"A year of dispatches ({n_events} events)", documents, places, tuple(events))


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on (now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EditServer:
    """``storymap serve TEXT --edit [EXTRA…]`` in a subprocess on a free port; ``url``
    carries the token it printed, ``base`` is the server's root."""

    def __init__(self, text: Path, *extra: str, env: dict[str, str] | None = None) -> None:
        port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "storymap", "serve", str(text), "--edit", "--port",
             str(port), *extra], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env=env)
        self.base = f"http://127.0.0.1:{port}"
        self.url = ""
        assert self.proc.stdout is not None
        deadline = time.time() + 120
        for line in self.proc.stdout:
            m = re.search(r"(http://\S+\?token=\S+)", line)
            if m:
                self.url = m.group(1)
                break
            if time.time() > deadline:
                break
        if not self.url:
            self.stop()
            raise AssertionError("storymap serve --edit printed no URL")
        for _ in range(100):  # the line is printed just before the server runs
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)

    def story(self) -> dict[str, Any]:
        """The story the server serves now (``/api/story``)."""
        with urllib.request.urlopen(self.base + "/api/story", timeout=10) as r:
            data: dict[str, Any] = json.loads(r.read())
        return data

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


#: The shared geoparsing scorer (``../shared/eval``), absent outside the workplace.
SCORER = Path("/work/shared/eval/score_mentions.py")


def mention_scorer() -> ModuleType:
    """``score_mentions.py`` loaded as a module (its ``load`` and ``score``)."""
    spec = importlib.util.spec_from_file_location("score_mentions", SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

