"""``storymap review`` and ``storymap serve --edit``: thin commands over the corrections library."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from .common import online_options, resolver_option
from .console import printable

__all__ = ["review", "serve_edit"]


def _texts(paths: Sequence[Path], what: str) -> list[Path]:
    if any(p.suffix.lower() == ".json" for p in paths):
        raise click.ClickException(f"{what} reads the texts, not a story JSON; give the text "
                                   "files the story was built from")
    from ..pipeline import builtin_texts

    return list(paths) or list(builtin_texts())


def _session(paths: Sequence[Path], corrections: Path | None, what: str, *,  # type: ignore[no-untyped-def]
             year: int | None = None, resolvers: Sequence[str] = (), online: bool = False,
             online_limit: int = 200, save: bool = True):
    from ..corrections.fileio import FILE_NAME
    from ..corrections.session import EditSession
    from ..errors import StorymapError
    from ..resolvers import DEFAULT_RESOLVERS
    from .common import announce_index, online_run, report_online

    texts = _texts(paths, what)
    if corrections is None and not paths:  # the built-in story: fixes live where you are
        corrections = Path.cwd() / FILE_NAME
    names, run = online_run(texts, resolvers or DEFAULT_RESOLVERS, online=online,
                            limit=online_limit)
    announce_index(names)
    try:
        if corrections is not None and what == "review" and not corrections.exists():
            raise click.ClickException(f"{corrections}: no such file; check the path")
        session = EditSession.from_paths(texts, corrections=corrections, year=year,
                                         resolvers=names, online=run,
                                         save_online=online and save)
    except StorymapError as exc:
        raise click.ClickException(str(exc)) from None
    if run is not None:
        report_online(run)
    return session


@click.command()
@click.argument("texts", nargs=-1, type=click.Path(path_type=Path))
@click.option("--corrections", type=click.Path(path_type=Path), metavar="FILE",
              help="Corrections already made (default: corrections.yaml beside the texts).")
@click.option("--limit", type=click.IntRange(0), default=0,
              help="Show only the most doubtful N (default: all).")
@resolver_option
@online_options
def review(texts: tuple[Path, ...], corrections: Path | None, limit: int,
           resolvers: tuple[str, ...] = (), online: bool = False, online_limit: int = 200,
           no_save: bool = False) -> None:
    """List what the reader is unsure of in TEXTS, most doubtful first.

    Ambiguous names (with their runners-up, country and distance), names it could not
    place, names read as people that are also places, dates taken from an earlier
    sentence, and corrections that no longer match. Settled items are left out.
    """
    session = _session(texts, corrections, "review", resolvers=resolvers, online=online,
                       online_limit=online_limit, save=not no_save)
    items = session.review()
    for item in items[: limit or None]:
        click.echo(printable(item.line()))
    click.echo(f"storymap: {len(items)} reading{'' if len(items) == 1 else 's'} to check",
               err=True)


def serve_edit(paths: Sequence[Path], *, host: str, port: int, corrections: Path | None,
               base_url: str | None = None, trusted_hosts: Sequence[str] = (),
               allowed_hosts: Sequence[str] | None = None, year: int | None = None,
               debug: bool = False, token: str | None = None, resolvers: Sequence[str] = (),
               online: bool = False, online_limit: int = 200, save: bool = True) -> None:
    """Serve TEXTS in edit mode: one process, a token (``token``, else a new one), and
    corrections saved as made."""
    from ..web import create_app
    from ..web.edit import check_token, new_token, register_edit
    from .server import add_header_deadline, check_port, port_message, server_url, waitress_options

    if token:
        problem = check_token(token)
        if problem:
            raise click.BadParameter(problem, param_hint="--token / $STORYMAP_TOKEN")
    session = _session(paths, corrections, "serve --edit", year=year, resolvers=resolvers,
                       online=online, online_limit=online_limit, save=save)
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
