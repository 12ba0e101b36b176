"""``storymap serve``: build or load a story and serve it on 127.0.0.1 with waitress.

This is the CLI side of the web app (it reads inputs and runs the story stages), kept out
of ``storymap.web`` so the web package depends only on the model and the outputs. Only
click is imported with this module; the story model, Flask and waitress are imported when
the command runs, so ``storymap --help`` stays fast.

Idle and slow clients cannot hold the server: waitress accepts up to CONNECTION_LIMIT
connections per process (poll, not select, so past 1,024 file descriptors), closes a
keep-alive connection idle for IDLE_TIMEOUT seconds, and a connection whose request
headers are not complete HEADER_DEADLINE seconds after they started (slowloris).
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from .model import Story

#: Worker threads for waitress; the API answers from precomputed bytes, so a few suffice.
THREADS = 8
#: Bytes waitress hands the socket at once. Its default (18 KB) sends the ~110 KB gzipped
#: story in seven turns of its loop; one turn cut p99 under 50 clients by about half here.
SEND_BYTES = 256 * 1024
#: Server processes: two use both cores of a classroom laptop (fork: POSIX only).
DEFAULT_WORKERS = 2 if hasattr(os, "fork") else 1
#: Connections per process before waitress stops accepting (its default, 100, let 250 idle
#: sockets on two workers lock everyone out for two minutes).
CONNECTION_LIMIT = 1000
#: Seconds a keep-alive connection may sit idle between requests (waitress: 120).
IDLE_TIMEOUT = 15
#: Seconds from the first byte of a request to the end of its headers.
HEADER_DEADLINE = 5
#: How often (seconds) waitress looks for connections to close.
CLEANUP_INTERVAL = 1


def waitress_options() -> dict[str, Any]:
    """Return the waitress settings ``serve`` uses (also read by the benchmarks)."""
    return {
        "threads": THREADS,
        "ident": "storymap",
        "send_bytes": SEND_BYTES,
        "connection_limit": CONNECTION_LIMIT,
        "channel_timeout": IDLE_TIMEOUT,
        "cleanup_interval": CLEANUP_INTERVAL,
        "asyncore_use_poll": True,
        "backlog": 1024,
    }


def add_header_deadline(server: Any, deadline: float = HEADER_DEADLINE) -> None:
    """Make ``server`` (a waitress server) close connections that send headers too slowly.

    waitress closes only connections idle for its channel_timeout, so a client sending a
    header byte every few seconds would keep a connection forever. Its periodic
    ``maintenance`` is extended: a request whose headers are still incomplete
    ``deadline`` seconds after maintenance first saw it loses its connection.
    """
    servers = getattr(server, "effective_listen", None) or [server]
    for one in servers:
        _wrap_maintenance(one, deadline)


def _wrap_maintenance(server: Any, deadline: float) -> None:
    original = server.maintenance
    first_seen: dict[int, tuple[Any, float]] = {}

    def maintenance(now: float) -> None:
        original(now)
        live: dict[int, tuple[Any, float]] = {}
        for fd, channel in list(server.active_channels.items()):
            request = getattr(channel, "request", None)
            if request is None or getattr(request, "headers_finished", True):
                continue
            seen, since = first_seen.get(fd, (None, now))
            if seen is not request:
                since = now
            if now - since >= deadline:
                channel.will_close = True
            live[fd] = (request, since)
        first_seen.clear()
        first_seen.update(live)

    server.maintenance = maintenance


def raise_file_limit(wanted: int = CONNECTION_LIMIT + 64) -> None:
    """Raise this process's open-file limit towards ``wanted`` (each connection is a file)."""
    try:
        import resource
    except ImportError:  # Windows: no such limit to raise
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def load_story(paths: Sequence[Path], *, corrections: Path | None = None,
               year: int | None = None) -> Story:
    """Return the story to serve: one story JSON (or TimelineJS / StoryMapJS file), or one
    built from text files (none = the built-in 1956 example).

    Raises click.ClickException with a one-line message for anything that cannot be used.
    """
    from .cli import announce_index
    from .errors import StorymapError
    from .inputs import load_inputs
    from .resolvers import DEFAULT_RESOLVERS

    if not any(p.suffix.lower() == ".json" for p in paths):
        announce_index(DEFAULT_RESOLVERS)
    try:
        return load_inputs(paths, corrections=corrections, year=year,
                           on_warning=lambda line: click.echo(f"storymap: {line}", err=True))
    except StorymapError as exc:
        raise click.ClickException(str(exc)) from None


def check_port(host: str, port: int) -> None:
    """Raise click.ClickException unless ``host``:``port`` can be listened on right now."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise click.ClickException(f"cannot resolve host {host!r}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # Like waitress: TIME_WAIT leftovers are fine, a live listener is not.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise click.ClickException(port_message(host, port, exc)) from None


def port_message(host: str, port: int, exc: OSError) -> str:
    """Return the one-line message for a failure to listen on ``host``:``port``."""
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is in use; choose another with --port"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}; try another --host or --port"


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


@click.command()
@click.argument(
    "inputs",
    nargs=-1,
    metavar="[STORY_OR_TEXT]...",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port."
)
@click.option("--debug", is_flag=True, help="Use Flask's debugger and dev server (never in class).")
@click.option(
    "--workers", type=click.IntRange(1, 64), default=DEFAULT_WORKERS, show_default=True,
    help="Server processes sharing the port (POSIX only; more than one needs fork).",
)
@click.option(
    "--base-url", metavar="URL",
    help="The server's public address (e.g. https://maps.school.example), for oEmbed links.",
)
@click.option("--edit", is_flag=True,
              help="Edit mode: fix the map in the browser (prints a URL with a one-time token).")
@click.option("--corrections", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Corrections to apply, and where edit mode saves them "
                   "(default: corrections.yaml beside the texts).")
@click.option("--year", type=click.IntRange(1, 9999), metavar="YEAR",
              help="The year of texts that name none (else the other texts' year).")
def serve(
    inputs: tuple[Path, ...], host: str, port: int, debug: bool, workers: int,
    base_url: str | None, edit: bool, corrections: Path | None, year: int | None = None,
) -> None:
    """Serve a story as a day-by-day map in the browser.

    With no argument, serve the built-in 1956 story; with a story .json, serve it;
    with text files, build a story from them first. With --edit, serve texts for
    correcting (docs/corrections.md).
    """
    from .web.origin import LOOPBACK, check_base_url

    if base_url:
        try:
            base_url = check_base_url(base_url)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--base-url") from None
    # Links about itself name a Host only if it is this machine or the --host asked for.
    named = () if host in ("", "0.0.0.0", "::") else (host.strip("[]"),)
    if edit:
        from .corrections.cli import serve_edit

        return serve_edit(inputs, host=host, port=port, corrections=corrections,
                          base_url=base_url, trusted_hosts=(*LOOPBACK, *named))
    story = load_story(inputs, corrections=corrections, year=year)
    check_port(host, port)
    from .web import create_app

    app = create_app(story, base_url=base_url, trusted_hosts=(*LOOPBACK, *named))
    if debug:
        click.echo(f"storymap: serving {story.title} at {_url(host, port)} (debug)")
        app.run(host=host, port=port, debug=True, use_reloader=False)
        return
    import logging

    from waitress import create_server

    # "Task queue depth is N" on every burst of requests is noise for a classroom server.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    options = waitress_options()
    raise_file_limit()

    def make_server(**where: Any) -> Any:
        server = create_server(app, **where, **options)
        add_header_deadline(server)
        return server

    if workers > 1 and hasattr(os, "fork"):
        try:
            listener = socket.create_server((host, port), backlog=1024)
        except OSError as exc:  # lost a race for the port after check_port
            raise click.ClickException(port_message(host, port, exc)) from None
        listener.setblocking(False)
        click.echo(f"storymap: serving {story.title} at {_url(host, port)}")
        _run_workers(lambda: make_server(sockets=[listener]), workers)
        return
    try:
        server = make_server(host=host, port=port)
    except OSError as exc:  # lost a race for the port after check_port
        raise click.ClickException(port_message(host, port, exc)) from None
    click.echo(f"storymap: serving {story.title} at {_url(host, port)}")
    server.run()


def _run_workers(make_server: Callable[[], Any], workers: int) -> None:
    """Run ``workers`` server processes on one listening socket (this one and forks).

    waitress is one process, so the GIL caps it at one core; forks share the socket and
    the kernel spreads connections. Children stop with the parent.
    """
    children: list[int] = []
    for _ in range(workers - 1):
        pid = os.fork()
        if pid == 0:
            parent = os.getppid()
            threading.Thread(target=_exit_with(parent), daemon=True).start()
            make_server().run()
            os._exit(0)
        children.append(pid)
    try:
        make_server().run()
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


def _exit_with(parent: int) -> Callable[[], None]:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)  # the parent is gone (killed hard): do not linger on the port

    return watch
