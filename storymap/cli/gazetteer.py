"""``storymap gazetteer``: add, list and remove gazetteer packs (GeoNames dumps, CSV, GeoJSON).

Registered on the main command group by ``storymap.cli`` (one line). The work is done by
:mod:`storymap.resolvers.packs`; this module parses options and prints.
"""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["gazetteer"]


@click.group()
def gazetteer() -> None:
    """Add places beyond towns: forts, rivers, squares, buildings (used by every build)."""


@gazetteer.command("add")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name", help="Name of the pack (default: the file's name, e.g. US).")
@click.option("--licence", "--license", "licence", metavar="TEXT",
              help="Licence of the data, credited in every story that uses it "
                   "(default for a GeoNames dump: CC BY 4.0).")
@click.option("--url", help="Where the data comes from, for the credits.")
@click.option("--classes", metavar="LETTERS",
              help="GeoNames feature classes to keep (default AHLPRSTV: all but undersea).")
def add(file: Path, name: str | None, licence: str | None, url: str | None,
        classes: str | None) -> None:
    """Index FILE once: a GeoNames dump (US.zip, allCountries.zip), a CSV or a GeoJSON file.

    A CSV has the columns name,lat,lon and optionally kind, aliases (separated by ';'),
    country, population; a GeoJSON file holds features with a "name" property (polygons
    are placed at their centroid). Adding a pack of the same name replaces it.
    """
    from ..errors import StorymapError
    from ..resolvers.packfiles import DEFAULT_CLASSES
    from ..resolvers.packs import add_pack

    wanted = DEFAULT_CLASSES
    if classes:
        wanted = frozenset(c for c in classes.upper() if c.isalpha())
        if not wanted <= frozenset("AHLPRSTUV"):
            raise click.BadParameter(f"{classes!r}: expected GeoNames feature class letters "
                                     "from AHLPRSTUV, e.g. SHT", param_hint="--classes")

    def progress(count: int) -> None:
        if count % 500_000 == 0:
            click.echo(f"storymap: {count:,} places read…", err=True)

    try:
        pack = add_pack(file, name=name, licence=licence, url=url, classes=wanted,
                        on_progress=progress)
    except StorymapError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"storymap: pack {pack.name}: {pack.places:,} places from {pack.file} "
               f"({pack.licence or 'licence not stated'}) → {pack.path}", err=True)


@gazetteer.command("list")
def list_packs() -> None:
    """List the added packs: name, places, format, file, licence, date added."""
    from ..resolvers.packs import installed

    packs = installed()
    for p in packs:
        click.echo(f"{p.name}\t{p.places}\t{p.format}\t{p.file}\t"
                   f"{p.licence or 'licence not stated'}\t{p.added}")
    click.echo(f"storymap: {len(packs)} gazetteer packs", err=True)


@gazetteer.command("remove")
@click.argument("name")
def remove(name: str) -> None:
    """Remove the pack NAME (see `storymap gazetteer list`)."""
    from ..errors import StorymapError
    from ..resolvers.packs import remove_pack

    try:
        pack = remove_pack(name)
    except StorymapError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"storymap: removed pack {pack.name} ({pack.places:,} places)", err=True)
