"""What one app holds: the story index and the page renderer (kept in ``app.extensions``)."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, cast

from flask import current_app

from ..model import Story
from .index import StoryIndex
from .security import csp_nonce

EXTENSION = "storymap"


class Renderer(Protocol):
    """The signature of ``storymap.render.render_page``: a story in, a whole HTML page out."""

    def __call__(
        self,
        story: Story,
        *,
        mode: str = ...,
        lang: str = ...,
        day: str | None = ...,
        options: Mapping[str, str] | None = ...,
    ) -> str: ...


@dataclass(frozen=True)
class WebState:
    """The precomputed story and the renderer (None: ``storymap.render`` on first use)."""

    index: StoryIndex
    renderer: Renderer | None = None


def current_state() -> WebState:
    """Return the state of the app handling the current request."""
    return cast(WebState, current_app.extensions[EXTENSION])


def render(*, mode: str, lang: str, day: str | None, options: Mapping[str, str]) -> str:
    """Render the page of the current app's story; pass a CSP nonce if the renderer takes one."""
    state = current_state()
    renderer = state.renderer
    if renderer is None:
        # Imported here so the JSON API works (and starts fast) without the templates.
        from ..render import render_page

        renderer = render_page
    kwargs: dict[str, object] = {"mode": mode, "lang": lang, "day": day, "options": options}
    if "nonce" in inspect.signature(renderer).parameters:
        kwargs["nonce"] = csp_nonce()  # only then does the CSP name a nonce
    return renderer(state.index.story, **kwargs)  # type: ignore[arg-type]
