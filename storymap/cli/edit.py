"""``storymap review`` and ``storymap serve --edit``: thin commands over the corrections library."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import story_options
from .console import printable

if TYPE_CHECKING:
    from ..corrections.session import EditSession
    from ..inputs import BuildOptions

__all__ = ["review", "serve_edit"]


def _session(paths: Sequence[Path], options: BuildOptions, what: str) -> EditSession:
    from ..errors import StorymapError
    from ..inputs import edit_session, text_paths
    from .common import announce_index, prepared, report_failures, report_online, warn
    from .progress import ProgressBar

    try:
        options, run = prepared(text_paths(paths, what), options)
    except StorymapError as exc:
        raise click.ClickException(str(exc)) from None
    announce_index(options.read.resolvers)
    try:
        fixes = options.corrections
        if fixes is not None and what == "review" and not fixes.exists():
            raise click.ClickException(f"{fixes}: no such file; check the path")
        with ProgressBar() as bar:
            session = edit_session(paths, options=options, what=what, on_warning=warn,
                                   on_progress=bar, online=run)
    except StorymapError as exc:
        raise click.ClickException(str(exc)) from None
    if run is not None:
        report_online(run)
    if len(paths) > 1 or session.failures:
        from ..inputs import Loaded

        report_failures(Loaded(story=session.story, failures=session.failures,
                               texts=len(session.analyses) + len(session.failures)))
    return session


@click.command()
@click.argument("texts", nargs=-1, type=click.Path(path_type=Path))
@click.option("--limit", type=click.IntRange(0), default=0,
              help="Show only the most doubtful N (default: all).")
@story_options
def review(texts: tuple[Path, ...], limit: int, options: BuildOptions) -> None:
    """List what the reader is unsure of in TEXTS (files or folders), most doubtful first.

    Ambiguous names (with their runners-up, country and distance), names it could not
    place, names read as people that are also places, dates taken from an earlier
    sentence, and corrections that no longer match. Settled items are left out.
    """
    session = _session(texts, options, "review")
    items = session.review()
    for item in items[: limit or None]:
        click.echo(printable(item.line()))
    click.echo(f"storymap: {len(items)} reading{'' if len(items) == 1 else 's'} to check",
               err=True)
    if session.failures:
        sys.exit(1)


def serve_edit(paths: Sequence[Path], *, host: str, port: int, options: BuildOptions,
               base_url: str | None = None, trusted_hosts: Sequence[str] = (),
               allowed_hosts: Sequence[str] | None = None, debug: bool = False,
               token: str | None = None) -> None:
    """Serve TEXTS in edit mode, read as ``build`` reads them (the same options): one
    process, a token (``token``, else a new one), and corrections saved as made."""
    from ..web import create_app
    from ..web.edit import check_token, new_token, register_edit
    from .server import add_header_deadline, check_port, port_message, server_url, waitress_options

    if token:
        problem = check_token(token)
        if problem:
            raise click.BadParameter(problem, param_hint="--token / $STORYMAP_TOKEN")
    session = _session(paths, options, "serve --edit")
    check_port(host, port)
    app = create_app(session.story, base_url=base_url, trusted_hosts=tuple(trusted_hosts),
                     allowed_hosts=allowed_hosts)
    token = token or new_token()
    register_edit(app, session, token=token)
    if debug:
        click.echo(f"storymap: editing {session.story.title} (debug); corrections are saved "
                   f"to {session.path}")
        click.echo(f"storymap: open {server_url(host, port)}?token={token}")
        app.run(host=host, port=port, debug=True, use_reloader=False)
        return
    import logging

    from waitress import create_server

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    try:
        # One process: the story changes with each correction, so workers cannot share it.
        server = create_server(app, host=host, port=port, **waitress_options(edit=True))
        add_header_deadline(server)
    except OSError as exc:
        raise click.ClickException(port_message(host, port, exc)) from None
    click.echo(f"storymap: editing {session.story.title}; corrections are saved to "
               f"{session.path}")
    click.echo(f"storymap: open {server_url(host, port)}?token={token}")
    server.run()
