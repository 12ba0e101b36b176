"""storymap: turn a history text into a map you step through day by day.

    from storymap import build_story, create_app
    story = build_story(["1956.txt"])        # a Story: documents, places, events
    story.days()                             # ('1953-06-17', …, '1956-10-23', …)
    create_app(story).run()                  # the map in a browser

Heavy parts load on first use: ``build_story`` imports the text stages, ``create_app``
imports Flask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import StorymapError
from .model import Event, Place, Story

if TYPE_CHECKING:
    from .pipeline import build_story
    from .web import create_app

__all__ = ["Event", "Place", "Story", "StorymapError", "build_story", "create_app"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "build_story":
        from .pipeline import build_story

        return build_story
    if name == "create_app":
        from .web import create_app

        return create_app
    raise AttributeError(f"module 'storymap' has no attribute {name!r}")
