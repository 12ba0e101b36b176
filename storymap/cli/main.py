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

from . import gazetteer as _cli_gazetteer
from . import places as _cli_places
from .common import (
    announce_index,
    check_view_options,
    fail,
    online_options,
    online_run,
    report_online,
    resolver_option,
    warn,
    write_output,
    year_option,
)
from .edit import review
from .serve import serve

if TYPE_CHECKING:
    from ..model import Story

#: Formats of ``storymap export``; "html" is the standalone page.
EXPORT_FORMATS = ("json", "geojson", "csv", "mentions", "html", "storymapjs", "timelinejs")


def _load_inputs(paths: Sequence[Path], *, resolvers: Sequence[str], title: str | None,
                 corrections: Path | None = None, year: int | None = None,
                 online: bool = False, online_limit: int = 200, save: bool = True) -> Story:
    """Build or load the story of ``paths``; StorymapError becomes a one-line message.

    ``online`` adds the online geocoder (``--online``) and saves its answers to the
    corrections file unless not ``save`` (``--no-save``).
    """
    from ..errors import StorymapError
    from ..inputs import load_inputs

    resolvers, run = online_run(paths, resolvers, online=online, limit=online_limit)
    announce_index(resolvers)
    try:
        story = load_inputs(paths, resolvers=resolvers, title=title, on_warning=warn,
                            corrections=corrections, year=year, online=run,
                            save_online=online and save)
    except StorymapError as exc:
        raise fail(exc) from None
    if run is not None:
        report_online(run)
    return story


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
@resolver_option
@year_option
@online_options
def build(texts: tuple[Path, ...], output: Path, title: str | None, corrections: Path | None,
          resolvers: tuple[str, ...], year: int | None, online: bool = False,
          online_limit: int = 200, no_save: bool = False) -> None:
    """Build a story JSON from TEXTS (or import a TimelineJS / StoryMapJS JSON).

    Several texts about the same events make one story. Without TEXTS, the built-in
    1956 example is used.
    """
    from ..errors import StorymapError
    from ..textio import check_story_size

    story = _load_inputs(texts, resolvers=resolvers or _default_resolvers(), title=title,
                         corrections=corrections, year=year, online=online,
                         online_limit=online_limit, save=not no_save)
    try:
        content = story.to_json() + "\n"
        # Never write a story that `export` and `serve` would refuse to read back.
        check_story_size(output, len(content.encode("utf-8")))
        write_output(output, content)
    except StorymapError as exc:
        raise fail(exc) from None
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
@click.option("--lang", help="html: interface language, en (default) or hu.")
@click.option("--title", help="Title (default: the story's).")
@resolver_option
@year_option
@online_options
def export(inputs: tuple[Path, ...], fmt: str, output: Path, start: str | None,
           end: str | None, day: str | None, lang: str | None, title: str | None,
           resolvers: tuple[str, ...], year: int | None, online: bool = False,
           online_limit: int = 200, no_save: bool = False) -> None:
    """Export a story (a story JSON, or TEXTS built on the fly) to a file.

    Formats: json, geojson, csv, mentions (every place mention as CSV), html (one
    standalone page that works offline), storymapjs and timelinejs (Knight Lab).
    """
    from ..errors import StorymapError

    # Checked before the texts are read: a typo in --day should not cost a whole build.
    view = {"start": start, "end": end, "day": day, "lang": lang}
    check_view_options(view)
    if fmt != "html" and any(view.values()):
        warn(f"--{next(k for k, v in view.items() if v)} applies to --format html only; "
             "ignored")
    lang = lang or "en"
    story = _load_inputs(inputs, resolvers=resolvers or _default_resolvers(), title=title,
                         year=year, online=online, online_limit=online_limit,
                         save=not no_save)
    try:
        content = render_export(story, fmt, start=start, end=end, day=day, lang=lang,
                                title=title)
        write_output(output, content)
    except StorymapError as exc:
        raise fail(exc) from None


def render_export(story: Story, fmt: str, *, start: str | None = None, end: str | None = None,
                  day: str | None = None, lang: str = "en", title: str | None = None) -> str:
    """Return ``story`` in export format ``fmt`` as text."""
    if fmt == "html":
        from ..formats.html import export_html

        return export_html(story, start=start, end=end, day=day, lang=lang, title=title)
    from ..formats import get_exporter

    return get_exporter(fmt)(story)


def _default_resolvers() -> tuple[str, ...]:
    from ..resolvers import DEFAULT_RESOLVERS

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
