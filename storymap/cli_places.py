"""``storymap places``: the curated gazetteer, or what texts name that the map cannot show.

Registered on the main command group by ``storymap.cli`` (one line), so the place
commands live beside the place reader rather than in the CLI's core.
"""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["gazetteer", "places"]


@click.command()
@click.option("--unresolved", "texts", multiple=True, type=click.Path(path_type=Path),
              metavar="TEXT", help="List what TEXT names that nothing resolves, and the "
                                   "names it read as people (repeatable).")
@click.option("--kind", help="Only places of this kind (city, district, building, …).")
@click.option("--resolver", "resolvers", multiple=True, metavar="NAME",
              help="Resolvers to use, in order: gazetteer, geonames, geopy:<service>. "
                   "Default: gazetteer then geonames.")
def places(texts: tuple[Path, ...], kind: str | None, resolvers: tuple[str, ...]) -> None:
    """List the curated gazetteer, or the unresolved place names and the people of texts.

    With --unresolved, each line is NAME, how often, and where first (DOC:OFFSET):
    first the names read as places that no resolver knows, then, after a "people:" line,
    the names read as people (a place read as a person never reaches the map).
    """
    from .errors import StorymapError

    try:
        if texts:
            _report(texts, resolvers)
        else:
            _gazetteer(kind)
    except StorymapError as exc:
        raise click.ClickException(str(exc)) from None


def _report(texts: tuple[Path, ...], resolvers: tuple[str, ...]) -> None:
    from .cli import announce_index
    from .pipeline import SourceText, analyse
    from .placelist import unresolved_report
    from .resolvers import DEFAULT_RESOLVERS, get_resolver
    from .textio import read_text

    names = resolvers or DEFAULT_RESOLVERS
    announce_index(names)
    backends = [get_resolver(n) for n in names]
    analyses = [analyse(SourceText(id=p.stem, text=read_text(p), path=str(p)),
                        resolvers=backends) for p in texts]
    report = unresolved_report(analyses)
    for row in report.places:
        click.echo(f"{row.name}\t{row.count}\t{row.doc}:{row.start}")
    click.echo("people:")
    for row in report.people:
        click.echo(f"{row.name}\t{row.count}\t{row.doc}:{row.start}")
    click.echo(f"storymap: {len(report.places)} unresolved names, "
               f"{len(report.people)} names read as people", err=True)


def _gazetteer(kind: str | None) -> None:
    from .gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    for entry in gazetteer.entries.values():
        c = entry.candidate
        if kind and c.kind != kind:
            continue
        names = ", ".join(dict.fromkeys(n for n in (c.name, *c.names.values()) if n))
        click.echo(f"{c.id}\t{c.kind}\t{c.lat:.5f},{c.lon:.5f}\t{names}")
    if kind is None:
        from .addedplaces import sources

        for source in sources():
            click.echo(f"added:{source.name}\t{source.places} places\t{source.file}")


@click.group()
def gazetteer() -> None:
    """Add places of your own (GeoNames dumps, CSV, GeoJSON) to every build, or remove them.

    \b
    GeoNames country dumps (US.zip, CZ.zip …) or allCountries.zip, with forts, rivers,
    islands and buildings: https://download.geonames.org/export/dump/ (CC BY 4.0, credit
    GeoNames). A CSV needs a header with name,lat,lon (kind, aliases, country, population
    optional); a GeoJSON FeatureCollection needs a "name" property on each feature.
    """


@gazetteer.command("add")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--name", help="Name to remove it by later (default: the file's stem).")
def gazetteer_add(file: Path, name: str | None) -> None:
    """Index the places of FILE once into storymap's cache."""
    from .addedplaces import add_file
    from .errors import StorymapError

    try:
        added = add_file(file, name=name)
    except StorymapError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"storymap: {added.places} places added as {added.name!r} "
               f"(remove with: storymap gazetteer remove {added.name})", err=True)


@gazetteer.command("remove")
@click.argument("name")
def gazetteer_remove(name: str) -> None:
    """Remove the places added as NAME."""
    from .addedplaces import remove_source, sources

    removed = remove_source(name)
    if not removed:
        known = ", ".join(s.name for s in sources()) or "none"
        raise click.ClickException(f"no places were added as {name!r}; added: {known}")
    click.echo(f"storymap: {removed} places of {name!r} removed", err=True)
