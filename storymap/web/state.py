"""What one app holds: the story index and its pages (kept in ``app.extensions``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from flask import current_app

from .index import Payload, StoryIndex
from .pages import Pages, Renderer
from .security import csp_nonce

EXTENSION = "storymap"

__all__ = ["EXTENSION", "Renderer", "WebState", "current_state", "page"]


@dataclass(frozen=True)
class WebState:
    """The precomputed story index and the story's pages."""

    index: StoryIndex
    pages: Pages


def current_state() -> WebState:
    """Return the state of the app handling the current request."""
    return cast(WebState, current_app.extensions[EXTENSION])


def page(*, mode: str, lang: str, day: str | None, options: Mapping[str, str]) -> Payload:
    """Return the current app's page for these options (a CSP nonce if the renderer asks)."""
    pages = current_state().pages
    nonce = csp_nonce() if pages.wants_nonce else None
    return pages.page(mode=mode, lang=lang, day=day, options=options, nonce=nonce)
