"""``storymap serve``: build or load a story and serve it on 127.0.0.1 with waitress.

This is the CLI side of the web app (it reads inputs and runs the story stages), kept out
of ``storymap.web`` so the web package depends only on the model and the outputs. Only
click is imported with this module; the story model, Flask and waitress are imported when
the command runs, so ``storymap --help`` stays fast.

The waitress settings that hold off idle and slow clients are in ``storymap.cli.server``.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .common import story_options
from .server import (
    DEFAULT_WORKERS,
    add_header_deadline,
    check_port,
    port_message,
    raise_file_limit,
    run_workers,
    server_url,
    waitress_options,
)

if TYPE_CHECKING:
    from ..inputs import BuildOptions
    from ..model import Story

def load_story(paths: Sequence[Path], *, options: BuildOptions | None = None) -> Story:
    """Return the story to serve: one story JSON (or TimelineJS / StoryMapJS file), or one
    built from text files and folders (none = the built-in 1956 example), as ``build``
    builds it. Texts that cannot be read are reported and the others served.

    Raises click.ClickException with a one-line message for anything that cannot be used.
    """
    from ..errors import StorymapError
    from ..inputs import BuildOptions, load_inputs
    from ..resources import shipped
    from .common import announce_index, prepared, report_failures, report_online
    from .progress import ProgressBar

    options, run = prepared(paths, options or BuildOptions())
    if not any(p.suffix.lower() == ".json" for p in paths):
        announce_index(options.read.resolvers)
    if not paths and shipped("builtin-story.json") is None:
        # A checkout reads the built-in texts (seconds the first time; an installed wheel
        # ships the story built): a line, so the wait is not taken for a hang.
        click.echo("storymap: reading the built-in story's texts…", err=True)
    try:
        with ProgressBar() as bar:
            loaded = load_inputs(paths, options=options, on_progress=bar, online=run,
                                 on_warning=lambda line: click.echo(f"storymap: {line}",
                                                                    err=True))
    except StorymapError as exc:
        raise click.ClickException(str(exc)) from None
    if run is not None:
        report_online(run)
    report_failures(loaded)
    return loaded.story


@click.command()
@click.argument(
    "inputs",
    nargs=-1,
    metavar="[STORY_OR_TEXT]...",
    type=click.Path(exists=True, path_type=Path),
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
@click.option("--allow-remote-edit", is_flag=True,
              help="Let --edit listen on an address other computers reach (the token then "
                   "travels in clear over HTTP).")
@click.option("--token", envvar="STORYMAP_TOKEN", metavar="TOKEN",
              help="With --edit: the token to use instead of a new one each run (also "
                   "$STORYMAP_TOKEN), so a bookmarked edit URL keeps working.")
@story_options
def serve(
    inputs: tuple[Path, ...], host: str, port: int, debug: bool, workers: int,
    base_url: str | None, edit: bool, options: BuildOptions, allow_remote_edit: bool = False,
    token: str | None = None,
) -> None:
    """Serve a story as a day-by-day map in the browser.

    With no argument, serve the built-in 1956 story; with a story .json, serve it;
    with text files or folders of texts, build a story from them first (as `build`
    does). With --edit, serve texts for correcting (docs/corrections.md).
    """
    from urllib.parse import urlsplit

    from ..web.origin import LOOPBACK, check_base_url, is_loopback

    if base_url:
        try:
            base_url = check_base_url(base_url)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--base-url") from None
    # Links about itself name a Host only if it is this machine or the --host asked for.
    named = () if host in ("", "0.0.0.0", "::") else (host.strip("[]"),)
    # Bound to loopback, the server answers only to its own names (DNS rebinding).
    allowed = ((*LOOPBACK, *named, urlsplit(base_url).hostname or "" if base_url else "")
               if is_loopback(host) else None)
    if edit:
        from .edit import serve_edit

        _check_remote_edit(host, allow_remote_edit)
        if workers > 1 and _given("workers"):
            click.echo(f"storymap: --workers {workers} ignored: edit mode serves from one "
                       "process, so every tab sees each correction", err=True)
        return serve_edit(inputs, host=host, port=port, options=options,
                          base_url=base_url, trusted_hosts=(*LOOPBACK, *named),
                          allowed_hosts=allowed, debug=debug, token=token)
    story = load_story(inputs, options=options)
    check_port(host, port)
    from ..web import create_app, warm

    app = create_app(story, base_url=base_url, trusted_hosts=(*LOOPBACK, *named),
                     allowed_hosts=allowed)
    warm(app)  # pages and files made once, before the workers fork: no slow first visit
    if debug:
        click.echo(f"storymap: serving {story.title} at {server_url(host, port)} (debug)")
        app.run(host=host, port=port, debug=True, use_reloader=False)
        return
    import logging

    from waitress import create_server

    # "Task queue depth is N" on every burst of requests is noise for a classroom server.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    settings = waitress_options()
    raise_file_limit()

    def make_server(**where: Any) -> Any:
        server = create_server(app, **where, **settings)
        add_header_deadline(server)
        return server

    if workers > 1 and hasattr(os, "fork"):
        try:
            listener = socket.create_server((host, port), backlog=1024)
        except OSError as exc:  # lost a race for the port after check_port
            raise click.ClickException(port_message(host, port, exc)) from None
        listener.setblocking(False)
        click.echo(f"storymap: serving {story.title} at {server_url(host, port)}")
        run_workers(lambda: make_server(sockets=[listener]), workers)
        return
    try:
        server = make_server(host=host, port=port)
    except OSError as exc:  # lost a race for the port after check_port
        raise click.ClickException(port_message(host, port, exc)) from None
    click.echo(f"storymap: serving {story.title} at {server_url(host, port)}")
    server.run()


def _given(name: str) -> bool:
    """True if option ``name`` was given on the command line (not its default)."""
    from click.core import ParameterSource

    source = click.get_current_context().get_parameter_source(name)
    return source not in (None, ParameterSource.DEFAULT)


def _check_remote_edit(host: str, allowed: bool) -> None:
    """Refuse --edit on an address other computers reach, unless --allow-remote-edit."""
    from ..web.origin import is_loopback

    if is_loopback(host):
        return
    if not allowed:
        raise click.ClickException(
            f"--edit on {host} lets anyone on the network who sees the token change the "
            "corrections (it travels in clear over HTTP); serve on 127.0.0.1, or add "
            "--allow-remote-edit if you mean it")
    click.echo(f"storymap: warning: editing is open to the network on {host}; the token "
               "travels in clear over HTTP: use it only on a network you trust", err=True)
