"""``storymap places``: the curated gazetteer, or what texts name that the map cannot show.

Registered on the main command group by ``storymap.cli`` (one line), so the place
commands live beside the place reader rather than in the CLI's core.
"""

from __future__ import annotations

from pathlib import Path

import click

from .console import printable

__all__ = ["places"]


@click.command()
@click.option("--unresolved", "texts", multiple=True, type=click.Path(path_type=Path),
              metavar="TEXT", help="List what TEXT names that nothing resolves, and the "
                                   "names it read as people (repeatable).")
@click.option("--kind", help="Only places of this kind (city, district, building, …).")
@click.option("--resolver", "resolvers", multiple=True, metavar="NAME",
              help="Resolvers to use, in order: gazetteer, geonames, packs, geopy:<service>. "
                   "Default: gazetteer, geonames, packs.")
def places(texts: tuple[Path, ...], kind: str | None, resolvers: tuple[str, ...]) -> None:
    """List the curated gazetteer, or the unresolved place names and the people of texts.

    With --unresolved, each line is NAME, how often, and where first (DOC:OFFSET):
    first the names read as places that no resolver knows (also those placed only by
    estimate, at a town the text names beside them); after a "features:" line,
    every named square, street, building or other feature, resolved or not, with the
    id of its place ("-" when nothing resolves it); then, after a "people:" line, the
    names read as people (a place read as a person never reaches the map).
    """
    from ..errors import StorymapError

    try:
        if texts:
            _report(texts, resolvers)
        else:
            _gazetteer(kind)
    except StorymapError as exc:
        raise click.ClickException(str(exc)) from None


def _report(texts: tuple[Path, ...], resolvers: tuple[str, ...]) -> None:
    from ..pipeline import SourceText, analyse
    from ..pipeline.placelist import unresolved_report
    from ..resolvers import DEFAULT_RESOLVERS, get_resolver
    from ..textio import read_text
    from .common import announce_index

    names = resolvers or DEFAULT_RESOLVERS
    announce_index(names)
    backends = [get_resolver(n) for n in names]
    analyses = [analyse(SourceText(id=p.stem, text=read_text(p), path=str(p)),
                        resolvers=backends) for p in texts]
    report = unresolved_report(analyses)
    for row in report.places:
        click.echo(printable(f"{row.name}\t{row.count}\t{row.doc}:{row.start}"))
    click.echo("features:")
    for feature in report.features:
        click.echo(printable(f"{feature.name}\t{feature.count}\t{feature.doc}:{feature.start}"
                             f"\t{feature.place or '-'}"))
    click.echo("people:")
    for row in report.people:
        click.echo(printable(f"{row.name}\t{row.count}\t{row.doc}:{row.start}"))
    places, people = len(report.places), len(report.people)
    features = len(report.features)
    click.echo(f"storymap: {places} unresolved name{'' if places == 1 else 's'}, "
               f"{features} named feature{'' if features == 1 else 's'}, "
               f"{people} name{'' if people == 1 else 's'} read as people", err=True)


def _gazetteer(kind: str | None) -> None:
    from ..geo.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    for entry in gazetteer.entries.values():
        c = entry.candidate
        if kind and c.kind != kind:
            continue
        names = ", ".join(dict.fromkeys(n for n in (c.name, *c.names.values()) if n))
        click.echo(f"{c.id}\t{c.kind}\t{c.lat:.5f},{c.lon:.5f}\t{names}")
    from ..resolvers.packs import installed, pack_places

    for pack in installed():  # then the packs of `storymap gazetteer add`, with their pack
        for c in pack_places(pack, kind=kind):
            click.echo(f"{c.id}\t{c.kind}\t{c.lat:.5f},{c.lon:.5f}\t{c.name}\tpack {pack.name}")
