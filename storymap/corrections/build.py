"""Building with corrections, once: what ``storymap build`` (and export, serve) does.

:func:`build_corrected` reads the texts (:func:`storymap.corpus.analyse_paths`: the
cache, the engine, ``--year``, the language), applies a corrections file and reports the
entries that no longer match; :func:`corrections_path` finds the file that applies.
Edit mode builds the same way, then again on every fix (:mod:`.session`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..corpus import Analysed, Failure, Progress, ReadOptions, RunOptions, analyse_paths
from ..errors import InputError
from .apply import Applier
from .fileio import FILE_NAME, find_corrections, load_corrections
from .online import keep_online

if TYPE_CHECKING:
    from ..model import Story
    from ..pipeline.online import OnlineRun

__all__ = ["Built", "build_corrected", "corrections_path", "read_all"]


@dataclass(frozen=True)
class Built:
    """A story built with corrections, one line per correction that no longer matches,
    and the texts that could not be read (the story is made of the others)."""

    story: Story
    unmatched: tuple[str, ...]
    corrections: Path | None
    failures: tuple[Failure, ...] = ()
    cached: int = 0


def corrections_path(texts: Sequence[Path], given: Path | None, *,
                     builtin: bool = False) -> Path | None:
    """The corrections file to apply: ``given``, else corrections.yaml beside the texts.

    For the built-in story (``builtin``) it is corrections.yaml in the current folder,
    where ``storymap serve --edit`` saves it.
    """
    if given is not None:
        return given
    if builtin:
        here = Path.cwd() / FILE_NAME
        return here if here.is_file() else None
    return find_corrections(texts)


def build_corrected(paths: Sequence[Path], *, corrections: Path | None,
                    options: ReadOptions | None = None, run: RunOptions | None = None,
                    title: str | None = None, on_progress: Progress | None = None,
                    online: OnlineRun | None = None, save_to: Path | None = None) -> Built:
    """Build the story of text ``paths`` (files or folders) with the corrections file applied.

    The texts are read by :func:`storymap.corpus.analyse_paths` (the cache, the engine,
    ``--year`` and the language of ``options``), offline. With an online resolver among
    the resolvers, the names no text placed are then looked up here, for all texts at once:
    ``online`` caps and reports the lookups; ``save_to`` names the corrections file their
    answers are added to (the build's own, as a rule), so later builds place the same names
    offline. Raises InputError for a corrections file that cannot be used, or when no text
    could be read, and what ``analyse_paths`` raises.
    """
    from ..geo.gazetteer import load_gazetteer
    from ..pipeline import OnlineRun, combine, look_up_online
    from ..resolvers import get_resolver, online_resolvers

    applier = Applier(load_corrections(corrections)) if corrections is not None else None
    options = options or ReadOptions()
    analysed = read_all(paths, options, run, on_progress)
    analyses = analysed.analyses
    web = online_resolvers([get_resolver(n) for n in options.resolvers])
    if web:
        analyses = tuple(look_up_online(analyses, web, run=online or OnlineRun(),
                                        settled=applier.settles if applier else None,
                                        gazetteer=load_gazetteer()))
    story = combine(analyses, applier, title=title, year=analysed.year)
    if online is not None and save_to is not None:
        keep_online(story, save_to, online)
    return Built(story=story, unmatched=tuple(applier.report()) if applier else (),
                 corrections=corrections, failures=analysed.failures, cached=analysed.cached)


def read_all(paths: Sequence[Path], options: ReadOptions, run: RunOptions | None,
             on_progress: Progress | None) -> Analysed:
    """Read the texts of ``paths`` (:func:`storymap.corpus.analyse_paths`); raise
    InputError when not one could be read (naming the first reasons)."""
    analysed = analyse_paths(paths, options=options, run=run, on_progress=on_progress)
    if not analysed.analyses:
        reasons = "; ".join(f.message for f in analysed.failures[:3])
        raise InputError(f"no text could be read ({reasons})" if reasons else
                         "no text to read; give text files or a folder of them")
    return analysed
