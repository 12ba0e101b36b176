"""The server's settings: waitress options that hold off idle and slow clients, ports, workers.

Idle and slow clients cannot hold the server: waitress accepts up to CONNECTION_LIMIT
connections per process (poll, not select, so past 1,024 file descriptors), closes a
keep-alive connection idle for IDLE_TIMEOUT seconds, and a connection whose request
headers are not complete HEADER_DEADLINE seconds after they started (slowloris). When the
connections come near the limit, the ones that have sent nothing for STALL_SECONDS (a
body trickled a byte every few seconds, an idle keep-alive) are closed, oldest first, so
RESERVED slots stay free for new clients. Request bodies over MAX_BODY (MAX_EDIT_BODY in
edit mode) are refused by waitress from their Content-Length, before any is read.
``storymap serve`` and ``storymap serve --edit`` both run with these.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import click

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
#: Connections kept free for new clients: near the limit, stalled ones are closed.
RESERVED = 100
#: Seconds without a byte after which a connection counts as stalled (only near the limit).
STALL_SECONDS = 2.0


def waitress_options(*, edit: bool = False) -> dict[str, Any]:
    """Return the waitress settings ``serve`` uses (also read by the benchmarks)."""
    from ..web.origin import MAX_BODY, MAX_EDIT_BODY

    return {
        "max_request_body_size": MAX_EDIT_BODY if edit else MAX_BODY,
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
        _keep_slots(server, now)
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


def _keep_slots(server: Any, now: float) -> None:
    """Near the connection limit, close the stalled connections (oldest first) so that
    RESERVED slots are free: 2,200 clients trickling a body byte every 5 s locked every
    new client out of a server whose limit is 1,000 per process."""
    limit = server.adj.connection_limit
    floor = max(1, limit - RESERVED)
    excess = len(server.active_channels) - floor
    if excess <= 0:
        return
    stalled = sorted(
        (channel.last_activity, fd) for fd, channel in server.active_channels.items()
        if not channel.requests and not channel.will_close
        and now - channel.last_activity >= STALL_SECONDS)
    for _, fd in stalled[:excess]:
        server.active_channels[fd].will_close = True


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


def server_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def run_workers(make_server: Callable[[], Any], workers: int) -> None:
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
