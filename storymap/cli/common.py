"""What every command shares: one-line failures, warnings, atomic output, common options."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from ..pipeline.online import OnlineRun


def fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


def check_view_options(values: dict[str, str | None]) -> None:
    """Check the page's view options (day, start, end, lang) as every page does.

    Raises a one-line ClickException naming the flag and what is wrong with its value:
    ``--day 1956-02-30: February 1956 has 29 days``. A language without interface strings
    is refused here (the page would fall back to English, the file was asked for in it).
    """
    from ..outputs.options import OptionError, parse_options

    try:
        parse_options({k: v for k, v in values.items() if v is not None}, mode="standalone",
                      strict_lang=True)
    except OptionError as exc:
        raise click.ClickException(f"--{exc.option} {exc.value}: {exc.reason()}") from None


def warn(message: str) -> None:
    click.echo(f"storymap: warning: {message}", err=True)


def write_output(output: Path, content: str) -> None:
    """Write ``content`` to ``output`` atomically, or to standard output for ``-``.

    Raises StorymapError (OutputError) for an output that cannot be written.
    """
    from ..textio import write_atomic

    if str(output) == "-":
        sys.stdout.write(content)
        sys.stdout.flush()
    else:
        write_atomic(output, content)


def announce_index(resolvers: Sequence[str]) -> None:
    """Say so when the GeoNames index is about to be built (once, ~15 s): not a hang."""
    if "geonames" in resolvers:
        from ..geo.geonames import index_path

        if not index_path().exists():
            click.echo(f"storymap: building the GeoNames index once, in {index_path().parent} "
                       "(about 15 seconds)…", err=True)


resolver_option = click.option(
    "--resolver", "resolvers", multiple=True, metavar="NAME",
    help="Resolvers to use, in order: gazetteer, geonames, packs, geopy:<service> "
         "(online, e.g. geopy:nominatim). Default: gazetteer, geonames, packs.",
)


year_option = click.option(
    "--year", type=click.IntRange(1, 9999), metavar="YEAR",
    help="The year of texts that name none (else the other texts' year; alone, their "
         "dates without a year are left out).",
)


def online_options(command: Any) -> Any:
    """``--online``, ``--online-limit`` and ``--no-save``: the options of an online lookup."""
    command = click.option(
        "--no-save", is_flag=True,
        help="With --online: do not write the answers to the corrections file.")(command)
    command = click.option(
        "--online-limit", type=click.IntRange(0), default=200, show_default=True,
        metavar="N", help="With --online: send at most N requests to the geocoder.")(command)
    return click.option(
        "--online", is_flag=True,
        help="Look up online the names nothing offline places (OpenStreetMap Nominatim, "
             "or the geopy: resolver named); the answers are saved to the corrections "
             "file, so later builds are offline.")(command)


def online_run(paths: Sequence[Path], resolvers: Sequence[str], *, online: bool,
               limit: int) -> tuple[tuple[str, ...], OnlineRun | None]:
    """The resolvers of a build (with the online geocoder when ``online``) and its online
    run (None when nothing is looked up online)."""
    from ..resolvers import with_online

    names = with_online(resolvers) if online else tuple(resolvers)
    if online and any(p.suffix.lower() == ".json" for p in paths):
        warn("--online reads texts; a story JSON is used as it is")
    if not any(n.startswith("geopy:") for n in names):
        return names, None
    from ..pipeline.online import OnlineRun

    return names, OnlineRun(limit=limit, progress=OnlineProgress())


class OnlineProgress:
    """The progress of an online lookup on standard error: a line, and a bar on a terminal."""

    def __init__(self) -> None:
        self._bar: Any = None

    def start(self, total: int, label: str) -> None:
        click.echo(f"storymap: looking up {total} name{'' if total == 1 else 's'} online "
                   f"({label})…", err=True)
        if total and sys.stderr.isatty():
            self._bar = click.progressbar(length=total, file=sys.stderr, show_pos=True,
                                          item_show_func=lambda name: name)
            self._bar.__enter__()

    def advance(self, name: str) -> None:
        if self._bar is not None:
            self._bar.update(1, name)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def report_online(run: OnlineRun) -> None:
    """Say what an online lookup came to: placed, proposed, saved where."""
    if not run.names:
        return
    names = f"{run.names} name{'' if run.names == 1 else 's'}"
    line = f"storymap: placed {run.placed} of {names} online"
    if run.proposed:
        line += (f"; {run.proposed} answer{' lies' if run.proposed == 1 else 's lie'} far from "
                 "the text's places: proposals only (`storymap review`, or "
                 "`storymap serve --edit`)")
    click.echo(line, err=True)
    if run.saved:
        click.echo(f"storymap: saved {run.saved} online answer{'' if run.saved == 1 else 's'} "
                   f"to {run.saved_to}; later builds need no network", err=True)
