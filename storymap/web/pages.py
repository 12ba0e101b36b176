"""The HTML pages (``/`` and ``/embed``), rendered once per set of options and kept.

The story's page data is serialised once (:class:`storymap.outputs.render.PreparedStory`); each
distinct (mode, language, day, range options) is rendered on its first request and kept
as identity and gzip bytes with strong ETags, the most recent PAGE_CACHE_SIZE of them. A
renderer that asks for a CSP nonce gets a fresh one per request and is never cached.
"""

from __future__ import annotations

import inspect
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from ..model import Story
from .index import Payload

if TYPE_CHECKING:
    from ..outputs.render import PreparedStory

#: Rendered pages kept per app: a few hundred KB each; day links make the keys vary.
PAGE_CACHE_SIZE = 32
#: gzip level for pages compressed on a miss: 6 is about as small as 9 at a third the time.
GZIP_LEVEL = 6


class Renderer(Protocol):
    """The signature of ``outputs.render.render_page``: a story in, a whole HTML page out."""

    def __call__(
        self,
        story: Story,
        *,
        mode: str = ...,
        lang: str = ...,
        day: str | None = ...,
        options: Mapping[str, str] | None = ...,
    ) -> str: ...


class Pages:
    """Renders and keeps the pages of one story (shared by the threads of one app)."""

    def __init__(self, story: Story, renderer: Renderer | None = None) -> None:
        self.story = story
        self.renderer = renderer
        self.wants_nonce = renderer is not None and "nonce" in inspect.signature(
            renderer
        ).parameters
        self._prepared: PreparedStory | None = None
        self._pages: OrderedDict[tuple[Any, ...], Payload] = OrderedDict()
        self._lock = threading.Lock()

    def _render(self, *, nonce: str | None, **kwargs: Any) -> str:
        if self.renderer is not None:
            if nonce is not None:
                kwargs["nonce"] = nonce  # only then does the CSP name a nonce
            return self.renderer(self.story, **kwargs)
        # Imported here so the JSON API works (and starts fast) without the templates.
        from ..outputs.render import PreparedStory, render_page

        with self._lock:
            if self._prepared is None:
                self._prepared = PreparedStory.of(self.story)
        return render_page(self._prepared, **kwargs)

    def page(
        self,
        *,
        mode: str,
        lang: str,
        day: str | None,
        options: Mapping[str, str],
        nonce: str | None = None,
    ) -> Payload:
        """Return the page for these options, rendering it on first use.

        Raises ConfigError (a 400 for the views) when the renderer refuses an option.
        """
        kwargs: dict[str, Any] = {"mode": mode, "lang": lang, "day": day, "options": options}
        if self.wants_nonce:
            return Payload.of_bytes(self._render(nonce=nonce, **kwargs).encode(), level=GZIP_LEVEL)
        key = (mode, lang, day, tuple(sorted(options.items())))
        with self._lock:
            hit = self._pages.get(key)
            if hit is not None:
                self._pages.move_to_end(key)
                return hit
        payload = Payload.of_bytes(self._render(nonce=None, **kwargs).encode(), level=GZIP_LEVEL)
        with self._lock:
            self._pages[key] = payload
            while len(self._pages) > PAGE_CACHE_SIZE:
                self._pages.popitem(last=False)
        return payload
