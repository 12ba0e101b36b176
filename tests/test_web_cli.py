"""``storymap serve``: loading stories, clear one-line errors, and a real waitress server."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from storymap.cli import serve as cli
from storymap.cli import server as settings
from storymap.cli.serve import serve
from tests.helpers import free_port

DATA = Path(__file__).parent / "data"
STORY = DATA / "story-small.json"


@pytest.fixture()
def busy_port() -> Iterator[int]:
    """A port on 127.0.0.1 that another socket is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


def test_port_in_use_is_one_line(runner: CliRunner, busy_port: int) -> None:
    result = runner.invoke(serve, [str(STORY), "--port", str(busy_port)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: port {busy_port} on 127.0.0.1 is in use; choose another with --port\n"
    )
    assert "Traceback" not in result.output


def test_unusable_host_is_one_line(runner: CliRunner) -> None:
    result = runner.invoke(serve, [str(STORY), "--host", "192.0.2.1", "--port", str(free_port())])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot listen on 192.0.2.1:")
    assert result.output.count("\n") == 1


def test_bad_json_story(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1, "title": ', encoding="utf-8")
    result = runner.invoke(serve, [str(bad)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {bad}: not valid JSON (line 1")
    assert "storymap build" in result.output
    assert result.output.count("\n") == 1


def test_story_of_another_version(runner: CliRunner, tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"version": 99, "title": "x"}), encoding="utf-8")
    result = runner.invoke(serve, [str(old)])
    assert result.exit_code == 1
    assert "expected a storymap story with version 1, got version 99" in result.output


def test_story_not_utf8(runner: CliRunner, tmp_path: Path) -> None:
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"title": "Kili\xe1n"}')
    result = runner.invoke(serve, [str(latin)])
    assert result.exit_code == 1
    assert f"{latin}: not UTF-8" in result.output


def test_one_story_at_a_time(runner: CliRunner) -> None:
    result = runner.invoke(serve, [str(STORY), str(DATA / "small.txt")])
    assert result.exit_code == 1
    assert "give one story at a time" in result.output


def test_missing_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(serve, [str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


@pytest.fixture()
def fake_waitress(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Replace waitress.create_server; the dict records its arguments and whether it ran."""
    import waitress

    seen: dict[str, Any] = {}

    class FakeServer:
        def __init__(self) -> None:
            self.active_channels: dict[int, Any] = {}

        def run(self) -> None:
            seen["ran"] = True

        def maintenance(self, now: float) -> None:
            pass

    def create_server(app: Any, **options: Any) -> FakeServer:
        seen.update(app=app, **options)
        return FakeServer()

    def run_workers(make_server: Any, workers: int) -> None:  # never fork inside pytest
        seen["workers"] = workers
        make_server().run()

    monkeypatch.setattr(waitress, "create_server", create_server)
    monkeypatch.setattr(cli, "run_workers", run_workers)
    yield seen
    for listener in seen.get("sockets", ()):
        listener.close()


def test_serves_with_waitress(runner: CliRunner, fake_waitress: dict[str, Any]) -> None:
    port = free_port()
    result = runner.invoke(serve, [str(STORY), "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"storymap: serving A small <i>test</i> story at http://127.0.0.1:{port}/\n"
    )
    assert fake_waitress["ran"] and fake_waitress["app"].debug is False
    assert fake_waitress["workers"] == settings.DEFAULT_WORKERS == 2
    (listener,) = fake_waitress["sockets"]  # two workers share one listening socket
    assert listener.getsockname() == ("127.0.0.1", port)


def test_one_worker_serves_host_and_port(runner: CliRunner,
                                         fake_waitress: dict[str, Any]) -> None:
    port = free_port()
    result = runner.invoke(serve, [str(STORY), "--port", str(port), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert fake_waitress["host"] == "127.0.0.1" and fake_waitress["port"] == port


def test_debug_uses_flask_dev_server(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    from flask import Flask

    seen: dict[str, Any] = {}
    monkeypatch.setattr(Flask, "run", lambda self, **options: seen.update(options))
    result = runner.invoke(serve, [str(STORY), "--port", str(free_port()), "--debug"])
    assert result.exit_code == 0, result.output
    assert seen["debug"] is True and seen["host"] == "127.0.0.1"


def test_text_files_are_built_with_the_pipeline(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, fake_waitress: dict[str, Any]
) -> None:
    import storymap.corrections.build as build

    monkeypatch.setattr(cli, "check_port", lambda host, port: None)
    built: list[Any] = []
    real = build.analyse_paths

    def analyse_paths(paths: Any, **options: Any) -> Any:
        built.append(list(paths))
        return real(paths, **options)

    monkeypatch.setattr(build, "analyse_paths", analyse_paths)
    result = runner.invoke(serve, [str(DATA / "small.txt"), "--port", str(free_port())])
    assert result.exit_code == 0, result.output
    assert built == [[DATA / "small.txt"]]
    assert fake_waitress["ran"]


def test_no_argument_serves_the_builtin_story(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, story: Any, fake_waitress: dict[str, Any]
) -> None:
    import storymap.inputs as inputs

    built: list[Any] = []

    def load_inputs(paths: Any, **options: Any) -> Any:
        built.append(inputs.text_paths(paths, "serve"))
        return inputs.Loaded(story=story)

    monkeypatch.setattr(inputs, "load_inputs", load_inputs)
    monkeypatch.setattr(cli, "check_port", lambda host, port: None)
    result = runner.invoke(serve, ["--port", str(free_port())])
    assert result.exit_code == 0, result.output
    assert [p.name for p in built[0]] == ["000_45b25660c8184322.txt", "001_9eae0018a0124b1b.txt"]
    assert fake_waitress["app"].extensions["storymap"].index.story is story


def test_importing_the_command_is_cheap() -> None:
    code = (
        "import sys, storymap.cli.serve; "
        "print(sorted(m for m in ('flask', 'waitress', 'werkzeug') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def _serve_story_file(port: int, *, stderr: int) -> subprocess.Popen[str]:
    """Start `storymap serve STORY --port PORT` in a real process (waitress, unbuffered)."""
    return subprocess.Popen(
        [sys.executable, "-c", "from storymap.cli.serve import serve; serve()", str(STORY),
         "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_real_server_answers_on_loopback(tmp_path: Path) -> None:
    port = free_port()
    proc = _serve_story_file(port, stderr=subprocess.PIPE)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line == f"storymap: serving A small <i>test</i> story at http://127.0.0.1:{port}/\n"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/api/days/1956-10-23")
        response = conn.getresponse()
        assert response.status == 200
        assert response.getheader("X-Frame-Options") == "DENY"
        assert response.getheader("Server") == "storymap"
        assert [e["id"] for e in json.loads(response.read())["events"]] == ["e1", "e2"]
        conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()


# -- idle and slow clients ---------------------------------------------------------------------
def test_waitress_is_told_to_drop_idle_and_slow_clients(
    runner: CliRunner, fake_waitress: dict[str, Any]
) -> None:
    result = runner.invoke(serve, [str(STORY), "--port", str(free_port()), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert fake_waitress["connection_limit"] >= 1000
    assert fake_waitress["channel_timeout"] <= 30
    assert fake_waitress["asyncore_use_poll"] is True  # select() stops at 1,024 sockets


class _Request:
    headers_finished = False


class _Channel:
    def __init__(self, request: Any) -> None:
        self.request = request
        self.requests: list[Any] = []
        self.will_close = False


class _Server:
    def __init__(self, channels: dict[int, _Channel], limit: int = 1000) -> None:
        self.active_channels = channels
        self.calls = 0
        self.adj = SimpleNamespace(connection_limit=limit)

    def maintenance(self, now: float) -> None:
        self.calls += 1


def test_headers_that_never_finish_lose_their_connection() -> None:
    slow, done, idle = _Channel(_Request()), _Channel(_Request()), _Channel(None)
    done.request.headers_finished = True
    server = _Server({3: slow, 4: done, 5: idle})
    settings.add_header_deadline(server, deadline=5)
    server.maintenance(100.0)  # first seen
    server.maintenance(104.0)
    assert not slow.will_close
    server.maintenance(105.0)
    assert slow.will_close and not done.will_close and not idle.will_close
    fresh = _Channel(_Request())  # a new request on the same descriptor starts a new clock
    server.active_channels[3] = fresh
    server.maintenance(106.0)
    assert not fresh.will_close


def test_250_idle_connections_do_not_block_a_real_request() -> None:
    port = free_port()
    proc = _serve_story_file(port, stderr=subprocess.DEVNULL)
    idle: list[socket.socket] = []
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("storymap: serving")
        for i in range(250):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            if i % 2:  # half of them start a request and never finish its headers
                sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            idle.append(sock)
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        assert response.status == 200
        response.read()
        conn.close()
        assert time.monotonic() - started <= 2.0
    finally:
        for sock in idle:
            sock.close()
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()
