"""``storymap review`` and ``storymap serve --edit``: thin commands over the corrections library."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from .console import printable

__all__ = ["review", "serve_edit"]


def _texts(paths: Sequence[Path], what: str) -> list[Path]:
    if any(p.suffix.lower() == ".json" for p in paths):
        raise click.ClickException(f"{what} reads the texts, not a story JSON; give the text "
                                   "files the story was built from")
    from ..pipeline import builtin_texts

    return list(paths) or list(builtin_texts())


def _session(paths: Sequence[Path], corrections: Path | None, what: str,  # type: ignore[no-untyped-def]
             year: int | None = None):
    from ..corrections.fileio import FILE_NAME
    from ..corrections.session import EditSession
    from ..errors import StorymapError
    from ..resolvers import DEFAULT_RESOLVERS
    from .common import announce_index

    texts = _texts(paths, what)
    if corrections is None and not paths:  # the built-in story: fixes live where you are
        corrections = Path.cwd() / FILE_NAME
    announce_index(DEFAULT_RESOLVERS)
    try:
        if corrections is not None and what == "review" and not corrections.exists():
            raise click.ClickException(f"{corrections}: no such file; check the path")
        return EditSession.from_paths(texts, corrections=corrections, year=year)
    except StorymapError as exc:
        raise click.ClickException(str(exc)) from None


@click.command()
@click.argument("texts", nargs=-1, type=click.Path(path_type=Path))
@click.option("--corrections", type=click.Path(path_type=Path), metavar="FILE",
              help="Corrections already made (default: corrections.yaml beside the texts).")
@click.option("--limit", type=click.IntRange(0), default=0,
              help="Show only the most doubtful N (default: all).")
def review(texts: tuple[Path, ...], corrections: Path | None, limit: int) -> None:
    """List what the reader is unsure of in TEXTS, most doubtful first.

    Ambiguous names (with their runners-up, country and distance), names it could not
    place, names read as people that are also places, dates taken from an earlier
    sentence, and corrections that no longer match. Settled items are left out.
    """
    session = _session(texts, corrections, "review")
    items = session.review()
    for item in items[: limit or None]:
        click.echo(printable(item.line()))
    click.echo(f"storymap: {len(items)} reading{'' if len(items) == 1 else 's'} to check",
               err=True)


def serve_edit(paths: Sequence[Path], *, host: str, port: int, corrections: Path | None,
               base_url: str | None = None, trusted_hosts: Sequence[str] = (),
               allowed_hosts: Sequence[str] | None = None, year: int | None = None,
               debug: bool = False) -> None:
    """Serve TEXTS in edit mode: one process, a one-time token, corrections saved as made."""
    from ..web import create_app
    from ..web.edit import new_token, register_edit
    from .server import add_header_deadline, check_port, port_message, server_url, waitress_options

    session = _session(paths, corrections, "serve --edit", year=year)
    check_port(host, port)
    app = create_app(session.story, base_url=base_url, trusted_hosts=tuple(trusted_hosts),
                     allowed_hosts=allowed_hosts)
    token = new_token()
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
