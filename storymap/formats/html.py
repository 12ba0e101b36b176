"""The standalone HTML export: one file that opens from file:// with no network.

It is the served page rendered in "standalone" mode by :func:`storymap.outputs.render.render_page`
(same template, same script) with Leaflet, the app's JS/CSS, the offline basemap and the
story inlined. Writing the file is the CLI's job; this only renders.
"""

from __future__ import annotations

from ..model import Story


def export_html(
    story: Story,
    *,
    start: str | None = None,
    end: str | None = None,
    day: str | None = None,
    lang: str = "en",
    title: str | None = None,
) -> str:
    """Return ``story`` as one self-contained HTML document.

    ``start``/``end`` limit the days shown, ``day`` is the opening day, ``lang`` the
    interface language ("en" or "hu"), ``title`` replaces the story's title.
    Raises ConfigError for a malformed date or an unknown language.
    """
    from ..outputs.render import render_page

    return render_page(
        story,
        mode="standalone",
        lang=lang,
        day=day,
        options={"start": start, "end": end},
        title=title,
    )
