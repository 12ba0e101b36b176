"""What the commands read: a story JSON, a TimelineJS / StoryMapJS file, or texts to build.

One function for ``storymap build``, ``export``, ``places --unresolved`` and ``serve``, so
every command accepts the same inputs and says the same thing about bad ones.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import InputError, StoryFormatError
from .model import Story
from .resolvers import DEFAULT_RESOLVERS

__all__ = ["load_inputs"]


def load_inputs(paths: Sequence[Path], *, resolvers: Sequence[str] = DEFAULT_RESOLVERS,
                title: str | None = None, corrections: Path | None = None,
                on_unmatched: Callable[[str], None] | None = None) -> Story:
    """Return the story of ``paths``: one JSON file, or texts (none = the built-in example).

    Texts get the corrections of ``corrections`` (default: corrections.yaml beside them);
    ``on_unmatched`` hears one line per correction that no longer matches. Raises
    InputError (or a subclass: EncodingError, StoryFormatError, CorrectionsError…) for
    files that cannot be used and ConfigError for an unknown resolver.
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
        return load_json(jsons[0])
    from .corrections.session import build_corrected, corrections_path
    from .pipeline import builtin_texts

    texts = list(paths) or list(builtin_texts())
    fixes = corrections_path(texts, corrections, builtin=not paths)
    built = build_corrected(texts, corrections=fixes, resolvers=resolvers, title=title)
    for line in built.unmatched:
        (on_unmatched or (lambda _: None))(line)
    return built.story


def load_json(path: Path) -> Story:
    """Load a storymap story JSON, or import a TimelineJS / StoryMapJS file."""
    from .textio import read_text

    text = read_text(path)
    try:
        data = json.loads(text)
    except ValueError:
        return Story.from_json(text, filename=str(path))  # raises with line and column
    if isinstance(data, dict) and "version" in data:
        return Story.from_dict(data, filename=str(path))
    if isinstance(data, dict) and ("storymap" in data or "events" in data):
        from .importers import load_interchange

        return load_interchange(path)
    raise StoryFormatError(
        f"{path}: expected a storymap story, a TimelineJS or a StoryMapJS JSON file; "
        "build a story from text with `storymap build TEXT -o story.json`"
    )
