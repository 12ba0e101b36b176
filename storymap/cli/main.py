"""The ``storymap`` command line: a thin layer over the library.

Commands parse their options, call the library, write results atomically and turn
StorymapError into a one-line message (exit code 1) — never a traceback.
"""

from __future__ import annotations

import atexit
import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import gazetteer as _cli_gazetteer
from . import places as _cli_places
from .cache import cache
from .common import (
    announce_index,
    check_view_options,
    fail,
    prepared,
    report_failures,
    report_online,
    story_options,
    warn,
    write_output,
)
from .edit import review
from .progress import ProgressBar
from .serve import serve

if TYPE_CHECKING:
    from ..inputs import BuildOptions, Loaded
    from ..model import Story

#: Formats of ``storymap export``; "html" is the standalone page; jsonl and geoparquet are
#: written as they are made (storymap.formats.stream).
EXPORT_FORMATS = ("json", "geojson", "csv", "mentions", "html", "storymapjs", "timelinejs",
                  "jsonl", "geoparquet")


def _load_inputs(paths: Sequence[Path], *, options: BuildOptions) -> Loaded:
    """Build or load the story of ``paths``; StorymapError becomes a one-line message.

    ``--online`` adds the online geocoder and saves its answers to the corrections file
    unless ``--no-save``.
    """
    from ..errors import StorymapError
    from ..inputs import load_inputs

    options, run = prepared(paths, options)
    announce_index(options.read.resolvers)
    try:
        with ProgressBar() as bar:
            loaded = load_inputs(paths, options=options, on_warning=warn, on_progress=bar,
                                 online=run)
    except StorymapError as exc:
        raise fail(exc) from None
    if run is not None:
        report_online(run)
    return loaded


def _finish(loaded: Loaded) -> None:
    """The summary of the texts; exit code 1 if any could not be read (issue 19)."""
    report_failures(loaded)
    if loaded.failures:
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="storymap")
def main() -> None:
    """Turn a history text into a map you step through day by day."""
    # A command makes and keeps hundreds of thousands of small records (a corpus's
    # analyses, events, mentions) and leaves almost no cycles to collect; CPython's
    # default of a collection every 700 new objects spent a quarter of a rebuild from the
    # cache walking them (0.35 s of 1.4 s for the 1,322 WOTR texts). A larger first
    # generation, as mypy does, keeps collections for the garbage there is (the workers
    # that read texts run so too).
    gc.set_threshold(100_000, 50, 100)  # as storymap.corpus.worker.GC_THRESHOLDS
    # And none over all of them as the process ends (its memory goes back to the system
    # as a whole): the last collection of a corpus build's objects cost it 0.05 s.
    atexit.register(gc.freeze)


@main.command()
@click.argument("texts", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Where to write the story JSON ('-' for standard output).")
@story_options
def build(texts: tuple[Path, ...], output: Path, options: BuildOptions) -> None:
    """Build a story JSON from TEXTS and folders of texts (or import a TimelineJS /
    StoryMapJS JSON).

    Several texts about the same events make one story; a folder stands for its *.txt.
    Without TEXTS, the built-in 1956 example is used.
    """
    from ..errors import StorymapError
    from ..textio import check_story_size

    loaded = _load_inputs(texts, options=options)
    story = loaded.story
    try:
        # Encoded once, here (a corpus's story is MBs: each copy of it costs).
        content = story.to_json().encode("utf-8") + b"\n"
        # Never write a story that `export` and `serve` would refuse to read back.
        check_story_size(output, len(content))
        write_output(output, content)
    except StorymapError as exc:
        raise fail(exc) from None
    click.echo(f"storymap: {len(story.events)} events, {len(story.places)} places, "
               f"{len(story.unresolved)} unresolved mentions → {output}", err=True)
    _finish(loaded)


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="geojson",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Where to write the export ('-' for standard output).")
@click.option("--start", help="First day exported (YYYY-MM-DD; html: first day shown).")
@click.option("--end", help="Last day exported (YYYY-MM-DD; html: last day shown).")
@click.option("--day", help="html: the day the page opens on (YYYY-MM-DD).")
@click.option("--lang", help="html: interface language, en (default) or hu.")
@story_options
def export(inputs: tuple[Path, ...], fmt: str, output: Path, start: str | None,
           end: str | None, day: str | None, lang: str | None, options: BuildOptions) -> None:
    """Export a story (a story JSON, or TEXTS built on the fly) to a file.

    Formats: json, geojson, csv, mentions (every place mention as CSV), html (one
    standalone page that works offline), storymapjs and timelinejs (Knight Lab), and
    for corpora too big for one JSON, written as they are made: jsonl (one event per
    line) and geoparquet (one row per event and place; needs pyarrow).
    """
    from ..errors import StorymapError

    # Checked before the texts are read: a typo in --day should not cost a whole build.
    view = {"start": start, "end": end, "day": day, "lang": lang}
    check_view_options(view)
    if fmt != "html" and any(view.values()):
        warn(f"--{next(k for k, v in view.items() if v)} applies to --format html only; "
             "ignored")
    lang = lang or "en"
    loaded = _load_inputs(inputs, options=options)
    try:
        if fmt in ("jsonl", "geoparquet"):
            _stream(loaded.story, fmt, output)
        else:
            content = render_export(loaded.story, fmt, start=start, end=end, day=day,
                                    lang=lang, title=options.title)
            write_output(output, content)
    except StorymapError as exc:
        raise fail(exc) from None
    _finish(loaded)


def _stream(story: Story, fmt: str, output: Path) -> None:
    """Write a streaming format to ``output`` as it is made (atomically; '-': stdout)."""
    from ..formats.stream import write_geoparquet, write_jsonl
    from ..textio import open_atomic

    write = write_jsonl if fmt == "jsonl" else write_geoparquet
    if str(output) == "-":
        write(story, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    with open_atomic(output) as f:
        write(story, f)


def render_export(story: Story, fmt: str, *, start: str | None = None, end: str | None = None,
                  day: str | None = None, lang: str = "en", title: str | None = None) -> str:
    """Return ``story`` in export format ``fmt`` as text."""
    if fmt == "html":
        from ..formats.html import export_html

        return export_html(story, start=start, end=end, day=day, lang=lang, title=title)
    from ..formats import between, get_exporter

    part = between(story, start, end)
    if fmt == "storymapjs":  # one slide per day: the days outside are left out too
        from ..formats.knightlab.storymapjs import to_storymapjs

        return to_storymapjs(part, start=start, end=end)
    return get_exporter(fmt)(part)


main.add_command(serve)
main.add_command(_cli_places.places)  # the place commands live in cli_places.py
main.add_command(_cli_gazetteer.gazetteer)  # gazetteer packs live in cli_gazetteer.py
main.add_command(review)
main.add_command(cache)  # the analysis cache (storymap.corpus.cache)


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
