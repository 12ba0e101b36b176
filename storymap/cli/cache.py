"""``storymap cache``: how much the analysis cache holds, and ``storymap cache clear``.

Only the analyses of texts (``storymap.corpus.cache``) are shown and cleared: the GeoNames
index, the gazetteer packs you added and the answers of online geocoders live in the same
folder but are not rebuilt from your texts, so ``clear`` leaves them alone.
"""

from __future__ import annotations

import click

__all__ = ["cache"]


def _size(n: int) -> str:
    if n < 1000:
        return f"{n} bytes"
    size = float(n)
    unit = "KB"
    for unit in ("KB", "MB", "GB"):  # noqa: B007 (the unit reached is the one shown)
        size /= 1000
        if size < 1000:
            break
    return f"{size:.1f} {unit}"


@click.group(invoke_without_command=True)
@click.pass_context
def cache(ctx: click.Context) -> None:
    """Show the size of the analysis cache (texts read before); `cache clear` empties it."""
    if ctx.invoked_subcommand is None:
        from ..corpus.cache import AnalysisCache

        info = AnalysisCache().info()
        click.echo(f"{info.path}\t{info.entries} analyses\t{_size(info.bytes)}")


@cache.command()
def clear() -> None:
    """Remove every cached analysis (the next build reads each text again)."""
    from ..corpus.cache import AnalysisCache

    removed = AnalysisCache().clear()
    click.echo(f"storymap: removed {removed.entries} analyses ({_size(removed.bytes)}) from "
               f"{removed.path}", err=True)
