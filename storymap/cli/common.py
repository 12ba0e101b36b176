"""What every command shares: one-line failures, warnings, atomic output, common options."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click


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
