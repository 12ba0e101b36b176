"""What the commands read: a story JSON, a TimelineJS / StoryMapJS file, or texts to build.

One road for ``storymap build``, ``export``, ``serve``, ``serve --edit`` and ``review``:
every command accepts the same inputs (files, folders of texts), reads texts with the same
options (:class:`BuildOptions`: title, corrections, resolvers, language, ``--year``, and
how: jobs, engine, cache) through :mod:`storymap.corpus`, and says the same thing about
bad ones.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..corpus import Failure, Progress, ReadOptions, RunOptions
from ..errors import InputError, StoryFormatError
from ..model import Story
from ..model.storyjson import parse_json

if TYPE_CHECKING:
    from ..corrections.session import EditSession
    from ..pipeline.online import OnlineRun

#: Called with one line for each part of an input that was skipped (and why).
Warn = Callable[[str], None]

__all__ = ["BuildOptions", "Loaded", "edit_session", "load_inputs", "load_json", "text_paths"]


@dataclass(frozen=True)
class BuildOptions:
    """Every option of the road from texts to a story, the same for every command.

    ``title`` (default: the first text's), ``corrections`` (default: corrections.yaml
    beside the texts), ``read`` (resolvers, language, year: what the reading depends on),
    ``run`` (jobs, engine, cache, keep going: how, never what), and ``online`` (look up
    online what nothing offline places, at most ``online_limit`` requests, the answers
    saved to the corrections file with ``save_online``).
    """

    title: str | None = None
    corrections: Path | None = None
    read: ReadOptions = field(default_factory=ReadOptions)
    run: RunOptions = field(default_factory=RunOptions)
    online: bool = False
    online_limit: int = 200
    save_online: bool = False


@dataclass(frozen=True)
class Loaded:
    """The story of some inputs, the texts that could not be read, and how many of the
    texts came from the cache (of ``texts`` read)."""

    story: Story
    failures: tuple[Failure, ...] = ()
    cached: int = 0
    texts: int = 0


def text_paths(paths: Sequence[Path], what: str) -> list[Path]:
    """The texts (files or folders) to read: ``paths``, or the built-in example for none.

    Raises InputError for a story JSON: ``what`` ("serve --edit", "review") reads texts.
    """
    if any(p.suffix.lower() == ".json" for p in paths):
        raise InputError(f"{what} reads the texts, not a story JSON; give the text "
                         "files the story was built from")
    from ..pipeline import builtin_texts

    return list(paths) or list(builtin_texts())


def load_inputs(paths: Sequence[Path], *, options: BuildOptions | None = None,
                on_warning: Warn | None = None, on_progress: Progress | None = None,
                online: OnlineRun | None = None) -> Loaded:
    """Return the story of ``paths``: one JSON file, or texts and folders of texts (none =
    the built-in example), read with ``options``.

    Texts get the corrections of ``options.corrections`` (default: corrections.yaml beside
    them); each correction that no longer matches is one line to ``on_warning``. With an
    online resolver among the resolvers, ``online`` caps and reports the lookups, and (with
    ``options.save_online``) their answers are added to that corrections file. A text
    that cannot be read is a Failure in the result (with ``keep_going``; else it raises).
    Raises InputError (or a subclass: EncodingError, StoryFormatError, CorrectionsError…)
    for files that cannot be used, ConfigError for a bad option. ``on_warning`` hears
    about parts of an import that were skipped (default: the ``storymap`` logger);
    ``on_progress`` how many texts are done.
    """
    options = options or BuildOptions()
    jsons = [p for p in paths if p.suffix.lower() == ".json" and not p.is_dir()]
    if jsons:
        if len(paths) != 1:
            raise InputError(
                f"{jsons[0]}: expected one story .json or some text files, got {len(paths)} "
                "files; give one story at a time"
            )
        if options.corrections is not None:
            raise InputError(f"{options.corrections}: corrections apply to texts, not to a "
                             "story JSON; build the story from its texts with --corrections")
        return Loaded(story=load_json(jsons[0], on_warning=on_warning))
    from ..corrections.fileio import FILE_NAME
    from ..corrections.session import build_corrected, corrections_path

    texts = text_paths(paths, "build")
    fixes = corrections_path(texts, options.corrections, builtin=not paths)
    if not paths and fixes is None and online is None and options.title is None and \
            options.read == ReadOptions():
        ready = shipped_builtin()
        if ready is not None:
            count = len(ready.documents)
            return Loaded(story=ready, cached=count, texts=count)
    save_to = None
    if online is not None and options.save_online:
        first = texts[0]
        save_to = fixes or (Path.cwd() if not paths else
                            first if first.is_dir() else first.parent) / FILE_NAME
        if not save_to.exists():
            fixes = None  # --corrections new.yaml: the lookups' answers start it
    with _forwarded(on_warning):  # the stages' warnings ("names no year") as the others
        built = build_corrected(texts, corrections=fixes, options=options.read,
                                run=options.run, title=options.title, on_progress=on_progress,
                                online=online, save_to=save_to)
    for line in built.unmatched:
        _warn(on_warning, line)
    return Loaded(story=built.story, failures=built.failures, cached=built.cached,
                  texts=len(built.story.documents) + len(built.failures))


def shipped_builtin() -> Story | None:
    """Return the built-in story as an installed wheel ships it (built from the same code
    and texts when the wheel was: hatch_build.py), or None: in a checkout, or when a
    gazetteer pack is installed (it may place names the shipped story left unplaced).

    Raises StoryFormatError if the shipped file is damaged (reinstall storymap).
    """
    from ..resources import shipped

    path = shipped("builtin-story.json")
    if path is None:
        return None
    from ..resolvers.packs import installed

    return None if installed() else load_json(path)


def edit_session(paths: Sequence[Path], *, options: BuildOptions | None = None,
                 what: str = "serve --edit", on_warning: Warn | None = None,
                 on_progress: Progress | None = None,
                 online: OnlineRun | None = None) -> EditSession:
    """Read texts for correcting (``serve --edit``, ``review``) the way ``build`` reads them.

    Corrections are ``options.corrections``, else corrections.yaml beside the texts, else
    (the built-in story) corrections.yaml in the current folder; ``online`` as in
    :func:`load_inputs`. Raises as :func:`load_inputs`.
    """
    from ..corrections.fileio import FILE_NAME
    from ..corrections.session import EditSession

    options = options or BuildOptions()
    texts = text_paths(paths, what)
    corrections = options.corrections
    if corrections is None and not paths:  # the built-in story: fixes live where you are
        corrections = Path.cwd() / FILE_NAME
    with _forwarded(on_warning):
        return EditSession.from_paths(texts, corrections=corrections, options=options.read,
                                      run=options.run, title=options.title,
                                      on_progress=on_progress, online=online,
                                      save_online=options.save_online)


def load_json(path: Path, *, on_warning: Warn | None = None) -> Story:
    """Load a storymap story JSON, or import a TimelineJS / StoryMapJS file.

    At most MAX_STORY_BYTES are read (counted while reading); the JSON is parsed once and
    a story is validated against the schema (StoryFormatError: file, JSON path, expected).
    """
    from ..textio import MAX_STORY_BYTES, decode_text, read_limited

    raw = read_limited(path, limit=MAX_STORY_BYTES,
                       advice="is it a story JSON? Build smaller stories from fewer texts")
    data = parse_json(decode_text(raw, name=str(path)), filename=str(path),
                      advice="rebuild it with `storymap build`, or fix the TimelineJS or "
                      "StoryMapJS file")
    if isinstance(data, dict) and "version" in data:
        return Story.from_dict(data, filename=str(path))
    if isinstance(data, dict) and ("storymap" in data or "events" in data):
        from ..formats.knightlab.read import import_data

        return import_data(data, source=str(path), on_warning=on_warning)
    raise StoryFormatError(
        f"{path}: expected a storymap story, a TimelineJS or a StoryMapJS JSON file; "
        "build a story from text with `storymap build TEXT -o story.json`"
    )


@contextlib.contextmanager
def _forwarded(on_warning: Warn | None) -> Iterator[None]:
    """Send the ``storymap`` logger's warnings to ``on_warning`` while building, if given."""
    if on_warning is None:
        yield
        return
    handler = _Forward(on_warning)
    log = logging.getLogger("storymap")
    log.addHandler(handler)
    try:
        yield
    finally:
        log.removeHandler(handler)


class _Forward(logging.Handler):
    def __init__(self, on_warning: Warn) -> None:
        super().__init__(logging.WARNING)
        self.on_warning = on_warning

    def emit(self, record: logging.LogRecord) -> None:
        self.on_warning(record.getMessage())


def _warn(on_warning: Warn | None, line: str) -> None:
    if on_warning is not None:
        on_warning(line)
    else:
        logging.getLogger("storymap").warning("%s", line)
