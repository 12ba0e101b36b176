"""What every command shares: one-line failures, warnings, atomic output, common options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .console import printable

if TYPE_CHECKING:
    from ..inputs import BuildOptions
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


def write_output(output: Path, content: str | bytes) -> None:
    """Write ``content`` (bytes: UTF-8) to ``output`` atomically, or to standard output
    for ``-``.

    Raises StorymapError (OutputError) for an output that cannot be written.
    """
    from ..textio import write_atomic

    if str(output) == "-":
        sys.stdout.write(content.decode("utf-8") if isinstance(content, bytes) else content)
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


#: The engines of `--engine` (storymap.corpus.ENGINES; spelt out here so that `storymap
#: --help` does not import the reader; tests/test_corpus.py checks they agree).
ENGINES = ("local", "dask")

_STORY_OPTIONS = (
    click.option("--title", help="Title of the story (default: the first text's title)."),
    click.option("--corrections", type=click.Path(dir_okay=False, path_type=Path),
                 metavar="FILE", help="Corrections to apply (default: corrections.yaml "
                 "beside the texts; serve --edit saves there)."),
    resolver_option,
    year_option,
    click.option("--language", default="en", show_default=True, metavar="CODE",
                 help="The language the texts are written in (a profile in storymap/lang)."),
    click.option("--jobs", type=click.IntRange(1, 1024), metavar="N",
                 help="Texts read at once, in N processes: this one and N-1 workers "
                      "(default: the machine's cores)."),
    click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
                 help="local: worker processes here; dask: Dask tasks (a LocalCluster of "
                      "--jobs workers, or --scheduler)."),
    click.option("--scheduler", metavar="ADDRESS",
                 help="A running Dask scheduler (tcp://host:port) to read the texts on "
                      "(implies --engine dask)."),
    click.option("--cache/--no-cache", default=True, show_default=True,
                 help="Reuse the analyses of texts read before (`storymap cache`)."),
    click.option("--keep-going/--no-keep-going", default=True, show_default=True,
                 help="A text that fails is reported and the others are read (exit code 1)."),
)


_ONLINE_OPTIONS = (
    click.option(
        "--online", is_flag=True,
        help="Look up online the names nothing offline places (OpenStreetMap Nominatim, "
             "or the geopy: resolver named); the answers are saved to the corrections "
             "file, so later builds are offline."),
    click.option(
        "--online-limit", type=click.IntRange(0), default=200, show_default=True,
        metavar="N", help="With --online: send at most N requests to the geocoder."),
    click.option(
        "--no-save", is_flag=True,
        help="With --online: do not write the answers to the corrections file."),
)


def story_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options of the road from texts to a story; the command gets ``options``.

    ``build``, ``export``, ``serve`` (and ``serve --edit``) and ``review`` take the same
    options with the same meaning (issue 16: one road), as one BuildOptions; with
    ``--online``, the online geocoder joins the resolvers (:func:`prepared`).
    """

    @functools.wraps(func)
    def command(*args: Any, title: str | None, corrections: Path | None,
                resolvers: tuple[str, ...], year: int | None, language: str,
                jobs: int | None, engine: str, scheduler: str | None, cache: bool,
                keep_going: bool, online: bool, online_limit: int, no_save: bool,
                **kwargs: Any) -> Any:
        from ..corpus import ReadOptions, RunOptions
        from ..inputs import BuildOptions
        from ..resolvers import DEFAULT_RESOLVERS

        options = BuildOptions(
            title=title, corrections=corrections,
            read=ReadOptions(resolvers=resolvers or DEFAULT_RESOLVERS, language=language,
                             year=year),
            run=RunOptions(jobs=jobs, engine=engine, scheduler=scheduler, cache=cache,
                           keep_going=keep_going),
            online=online, online_limit=online_limit, save_online=online and not no_save)
        return func(*args, options=options, **kwargs)

    for option in reversed((*_STORY_OPTIONS, *_ONLINE_OPTIONS)):
        command = option(command)
    return command


def prepared(paths: Sequence[Path], options: BuildOptions) -> tuple[BuildOptions, OnlineRun | None]:
    """The options of a build with the online geocoder among the resolvers when
    ``--online`` (or a geopy: resolver) asks for it, and the run that caps and reports the
    lookups (None when nothing is looked up online)."""
    from dataclasses import replace

    names, run = online_run(paths, options.read.resolvers, online=options.online,
                            limit=options.online_limit)
    return replace(options, read=replace(options.read, resolvers=names)), run


def report_failures(loaded: Any) -> None:
    """Say which texts could not be read (one line each), and how many texts came from the
    cache; nothing for a single text read as asked."""
    for failure in loaded.failures:
        warn(printable(failure.message))
    failed = len(loaded.failures)
    if loaded.texts > 1 or failed:
        read = loaded.texts - loaded.cached - failed
        click.echo(f"storymap: {loaded.texts} texts: {read} read, {loaded.cached} from the "
                   f"cache, {failed} failed", err=True)
