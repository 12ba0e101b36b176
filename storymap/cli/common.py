"""What every command shares: one-line failures, warnings, atomic output, common options."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click


def fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


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
