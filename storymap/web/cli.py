"""``storymap serve``: build or load a story and serve it on 127.0.0.1 with waitress.

Only click is imported with this module; the story model, Flask and waitress are
imported when the command runs, so ``storymap --help`` stays fast.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..model import Story

#: Worker threads for waitress; the API answers from precomputed bytes, so a few suffice.
THREADS = 8


def load_story(paths: Sequence[Path]) -> Story:
    """Return the story to serve: one story JSON (or TimelineJS / StoryMapJS file), or one
    built from text files (none = the built-in 1956 example).

    Raises click.ClickException with a one-line message for anything that cannot be used.
    """
    from ..errors import StorymapError
    from ..inputs import load_inputs

    try:
        return load_inputs(paths)
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
def serve(inputs: tuple[Path, ...], host: str, port: int, debug: bool) -> None:
    """Serve a story as a day-by-day map in the browser.

    With no argument, serve the built-in 1956 story; with a story .json, serve it;
    with text files, build a story from them first.
    """
    story = load_story(inputs)
    check_port(host, port)
    from . import create_app

    app = create_app(story)
    if debug:
        click.echo(f"storymap: serving {story.title} at {_url(host, port)} (debug)")
        app.run(host=host, port=port, debug=True, use_reloader=False)
        return
    import logging

    from waitress import create_server

    # "Task queue depth is N" on every burst of requests is noise for a classroom server.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    try:
        server = create_server(app, host=host, port=port, threads=THREADS, ident="storymap")
    except OSError as exc:  # lost a race for the port after check_port
        raise click.ClickException(port_message(host, port, exc)) from None
    click.echo(f"storymap: serving {story.title} at {_url(host, port)}")
    server.run()
