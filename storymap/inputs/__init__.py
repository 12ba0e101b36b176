"""What the commands read: a story JSON, a TimelineJS / StoryMapJS file, or texts to build.

One function for ``storymap build``, ``export``, ``places --unresolved`` and ``serve``, so
every command accepts the same inputs and says the same thing about bad ones.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, StoryFormatError
from ..model import Story
from ..model.storyjson import parse_json
from ..resolvers import DEFAULT_RESOLVERS

if TYPE_CHECKING:
    from ..pipeline.online import OnlineRun

#: Called with one line for each part of an input that was skipped (and why).
Warn = Callable[[str], None]

__all__ = ["load_inputs"]


def load_inputs(paths: Sequence[Path], *, resolvers: Sequence[str] = DEFAULT_RESOLVERS,
                title: str | None = None, on_warning: Warn | None = None,
                corrections: Path | None = None, year: int | None = None,
                online: OnlineRun | None = None, save_online: bool = True) -> Story:
    """Return the story of ``paths``: one JSON file, or texts (none = the built-in example).

    Texts get the corrections of ``corrections`` (default: corrections.yaml beside them);
    each correction that no longer matches is one line to ``on_warning``. With an online
    resolver among ``resolvers``, ``online`` caps and reports the lookups, and (with
    ``save_online``) their answers are added to that corrections file. Raises
    InputError (or a subclass: EncodingError, StoryFormatError, CorrectionsError…) for
    files that cannot be used and ConfigError for an unknown resolver. ``on_warning``
    hears about parts of an import that were skipped (default: the ``storymap`` logger).
    """
    jsons = [p for p in paths if p.suffix.lower() == ".json"]
    if jsons:
        if len(paths) != 1:
            raise InputError(
                f"{jsons[0]}: expected one story .json or some text files, got {len(paths)} "
                "files; give one story at a time"
            )
        if corrections is not None:
            raise InputError(f"{corrections}: corrections apply to texts, not to a story "
                             f"JSON; build the story from its texts with --corrections")
        return load_json(jsons[0], on_warning=on_warning)
    from ..corrections.fileio import FILE_NAME
    from ..corrections.session import build_corrected, corrections_path
    from ..pipeline import builtin_texts

    texts = list(paths) or list(builtin_texts())
    fixes = corrections_path(texts, corrections, builtin=not paths)
    save_to = None
    if online is not None and save_online:
        save_to = fixes or (Path.cwd() if not paths else texts[0].parent) / FILE_NAME
        if not save_to.exists():
            fixes = None  # --corrections new.yaml: the lookups' answers start it
    with _forwarded(on_warning):  # the stages' warnings ("names no year") as the others
        built = build_corrected(texts, corrections=fixes, resolvers=resolvers, title=title,
                                year=year,  # year: for texts naming none (--year)
                                online=online, save_to=save_to)
    for line in built.unmatched:
        _warn(on_warning, line)
    return built.story


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
