"""The ``storymap`` command line: a thin layer over the library.

Commands parse their options, call the library, write results atomically and turn
StorymapError into a one-line message (exit code 1) — never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import cli_gazetteer as _cli_gazetteer
from . import cli_places as _cli_places
from .corrections.cli import review
from .serving import serve

if TYPE_CHECKING:
    from .model import Story

#: Formats of ``storymap export``; "html" is the standalone page.
EXPORT_FORMATS = ("json", "geojson", "csv", "mentions", "html", "storymapjs", "timelinejs")


def _fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


def _load_inputs(paths: Sequence[Path], *, resolvers: Sequence[str], title: str | None,
                 corrections: Path | None = None, year: int | None = None) -> Story:
    """Build or load the story of ``paths``; StorymapError becomes a one-line message."""
    from .errors import StorymapError
    from .inputs import load_inputs

    announce_index(resolvers)
    try:
        return load_inputs(paths, resolvers=resolvers, title=title, on_warning=_warn,
                           corrections=corrections, year=year)
    except StorymapError as exc:
        raise _fail(exc) from None


def _warn(message: str) -> None:
    click.echo(f"storymap: warning: {message}", err=True)


def write_output(output: Path, content: str) -> None:
    """Write ``content`` to ``output`` atomically, or to standard output for ``-``.

    Raises StorymapError (OutputError) for an output that cannot be written.
    """
    from .textio import write_atomic

    if str(output) == "-":
        sys.stdout.write(content)
        sys.stdout.flush()
    else:
        write_atomic(output, content)


def announce_index(resolvers: Sequence[str]) -> None:
    """Say so when the GeoNames index is about to be built (once, ~15 s): not a hang."""
    if "geonames" in resolvers:
        from .geonames import index_path

        if not index_path().exists():
            click.echo(f"storymap: building the GeoNames index once, in {index_path().parent} "
                       "(about 15 seconds)…", err=True)


_resolver_option = click.option(
    "--resolver", "resolvers", multiple=True, metavar="NAME",
    help="Resolvers to use, in order: gazetteer, geonames, packs, geopy:<service> "
         "(online, e.g. geopy:nominatim). Default: gazetteer, geonames, packs.",
)


year_option = click.option(
    "--year", type=click.IntRange(1, 9999), metavar="YEAR",
    help="The year of texts that name none (else the other texts' year; alone, their "
         "dates without a year are left out).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="storymap")
def main() -> None:
    """Turn a history text into a map you step through day by day."""


@main.command()
@click.argument("texts", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Where to write the story JSON ('-' for standard output).")
@click.option("--title", help="Title of the story (default: the first text's title).")
@click.option("--corrections", type=click.Path(path_type=Path), metavar="FILE",
              help="Corrections to apply (default: corrections.yaml beside the texts).")
@_resolver_option
@year_option
def build(texts: tuple[Path, ...], output: Path, title: str | None, corrections: Path | None,
          resolvers: tuple[str, ...], year: int | None) -> None:
    """Build a story JSON from TEXTS (or import a TimelineJS / StoryMapJS JSON).

    Several texts about the same events make one story. Without TEXTS, the built-in
    1956 example is used.
    """
    from .errors import StorymapError
    from .textio import check_story_size

    story = _load_inputs(texts, resolvers=resolvers or _default_resolvers(), title=title,
                         corrections=corrections, year=year)
    try:
        content = story.to_json() + "\n"
        # Never write a story that `export` and `serve` would refuse to read back.
        check_story_size(output, len(content.encode("utf-8")))
        write_output(output, content)
    except StorymapError as exc:
        raise _fail(exc) from None
    click.echo(f"storymap: {len(story.events)} events, {len(story.places)} places, "
               f"{len(story.unresolved)} unresolved mentions → {output}", err=True)


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="geojson",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Where to write the export ('-' for standard output).")
@click.option("--start", help="html: first day shown (YYYY-MM-DD).")
@click.option("--end", help="html: last day shown (YYYY-MM-DD).")
@click.option("--day", help="html: the day the page opens on (YYYY-MM-DD).")
@click.option("--lang", type=click.Choice(("en", "hu")), default="en", show_default=True,
              help="html: interface language.")
@click.option("--title", help="Title (default: the story's).")
@_resolver_option
@year_option
def export(inputs: tuple[Path, ...], fmt: str, output: Path, start: str | None,
           end: str | None, day: str | None, lang: str, title: str | None,
           resolvers: tuple[str, ...], year: int | None) -> None:
    """Export a story (a story JSON, or TEXTS built on the fly) to a file.

    Formats: json, geojson, csv, mentions (every place mention as CSV), html (one
    standalone page that works offline), storymapjs and timelinejs (Knight Lab).
    """
    from .errors import StorymapError

    story = _load_inputs(inputs, resolvers=resolvers or _default_resolvers(), title=title,
                         year=year)
    try:
        content = render_export(story, fmt, start=start, end=end, day=day, lang=lang,
                                title=title)
        write_output(output, content)
    except StorymapError as exc:
        raise _fail(exc) from None


def render_export(story: Story, fmt: str, *, start: str | None = None, end: str | None = None,
                  day: str | None = None, lang: str = "en", title: str | None = None) -> str:
    """Return ``story`` in export format ``fmt`` as text."""
    if fmt == "html":
        from .exports.html import export_html

        return export_html(story, start=start, end=end, day=day, lang=lang, title=title)
    from .exports import get_exporter

    return get_exporter(fmt)(story)


def _default_resolvers() -> tuple[str, ...]:
    from .resolvers import DEFAULT_RESOLVERS

    return DEFAULT_RESOLVERS


main.add_command(serve)
main.add_command(_cli_places.places)  # the place commands live in cli_places.py
main.add_command(_cli_gazetteer.gazetteer)  # gazetteer packs live in cli_gazetteer.py
main.add_command(review)


def run() -> None:
    """Entry point of the ``storymap`` command: ``main`` with a last line of defence.

    Expected problems are StorymapError and become one line in the commands themselves.
    Anything else is a bug in storymap: it still gets one line (and exit code 1) rather
    than a traceback, unless STORYMAP_DEBUG is set, for the bug report.
    """
    import os

    try:
        main.main(standalone_mode=True)
    except Exception as exc:
        if os.environ.get("STORYMAP_DEBUG"):
            raise
        click.echo(f"Error: storymap failed unexpectedly ({type(exc).__name__}: {exc}); "
                   "run again with STORYMAP_DEBUG=1 to see where, and please report it",
                   err=True)
        sys.exit(1)
