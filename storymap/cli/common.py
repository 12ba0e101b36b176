"""What every command shares: one-line failures, warnings, atomic output, common options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from .console import printable


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
                 help="Texts read at once, in N worker processes (default: the machine's "
                      "cores)."),
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


def story_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options of the road from texts to a story; the command gets ``options``.

    ``build``, ``export``, ``serve`` (and ``serve --edit``) and ``review`` take the same
    options with the same meaning (issue 16: one road), as one BuildOptions.
    """

    @functools.wraps(func)
    def command(*args: Any, title: str | None, corrections: Path | None,
                resolvers: tuple[str, ...], year: int | None, language: str,
                jobs: int | None, engine: str, scheduler: str | None, cache: bool,
                keep_going: bool, **kwargs: Any) -> Any:
        from ..corpus import ReadOptions, RunOptions
        from ..inputs import BuildOptions
        from ..resolvers import DEFAULT_RESOLVERS

        options = BuildOptions(
            title=title, corrections=corrections,
            read=ReadOptions(resolvers=resolvers or DEFAULT_RESOLVERS, language=language,
                             year=year),
            run=RunOptions(jobs=jobs, engine=engine, scheduler=scheduler, cache=cache,
                           keep_going=keep_going))
        return func(*args, options=options, **kwargs)

    for option in reversed(_STORY_OPTIONS):
        command = option(command)
    return command


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
