"""The one renderer: a Story to the HTML page, the embed and the standalone file.

All three outputs come from ``templates/storymap/page.html`` and the same modules under
``static/app/`` (entry ``main.js``); they differ only in how assets are referenced (links
under ``/static/``, or inlined with the modules bundled into one script) and in the mode
flag the script reads. Jinja2 is used directly (not Flask) so ``storymap export`` never
imports Flask; autoescaping is on.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from ..model import Story
from ..resources import data_dir
from . import assets, mapview
from .jsonhtml import script_json
from .options import LANGUAGES, parse_options
from .pagedata import LAZY_EVENTS, TEXT_LANG, map_credit_rows, page_data
from .strings import interface_strings, page_strings

if TYPE_CHECKING:
    import jinja2

MODES = ("page", "embed", "standalone")
#: The largest standalone file written. Past it the file opens slowly (measured here: 4 MB
#: for 10,000 events opens in 0.5 s, 15.5 MB for 40,000 in 1.1–1.4 s on a loaded 2-core
#: machine) and is over most lesson platforms' and mail's upload limits; `serve` then
#: sends the page a day at a time.
MAX_FILE_BYTES = 20_000_000


class FileTooLarge(ConfigError):
    """A story too large for one standalone file: serve it instead."""
__all__ = ["MODES", "PreparedStory", "page_data", "render_page", "script_json"]
@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _inline_js(text: str) -> str:
    # Inside <script>, only "</script" and "<!--" change the HTML parser's state.
    return re.sub(r"<(/script|!--)", r"<\\\1", text, flags=re.IGNORECASE)


def _script_text(asset: assets.Asset) -> str:
    # A module entry is inlined with its imports bundled: file:// pages cannot import.
    if asset.kind == "module":
        return assets.bundled_module(asset.path)
    return assets.read_text(asset.path)


@functools.cache
def _inline_css(path: str) -> str:
    text = assets.read_text(path)
    folder = path.rsplit("/", 1)[0]

    def data_uri(match: re.Match[str]) -> str:
        if match.group(1) in assets.UNUSED_IMAGES:
            return "none"
        raw = assets.read_bytes(f"{folder}/{match.group(1)}")
        return f"url(data:image/png;base64,{base64.b64encode(raw).decode()})"

    text = re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, assets.compact_css(text))
    return re.sub(r"</style", r"<\\/style", text, flags=re.IGNORECASE)


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


@dataclass(frozen=True)
class PreparedStory:
    """A story with its page data already serialised: what every render of it shares.

    Serialising the story is most of a render's time (tens of ms for the 1956 story);
    the web app prepares it once and renders many pages from it.
    """

    story: Story
    story_json: str
    text: bool = False
    standalone: bool = False
    lazy: bool = False

    @classmethod
    def of(cls, story: Story, *, text: bool = False, standalone: bool = False) -> PreparedStory:
        """Serialise ``story``'s page data (see :func:`page_data`) once: for the served
        page and embed (the texts fetched when needed, unless ``text``; past LAZY_EVENTS
        events each step's words too), or for the ``standalone`` file (the texts inlined,
        the quotes they hold left out)."""
        lazy = not (text or standalone) and len(story.events) > LAZY_EVENTS
        data = page_data(story, text=text or standalone, quotes_from_text=standalone,
                         lazy=lazy)
        return cls(story=story, story_json=script_json(data), text=text or standalone,
                   standalone=standalone, lazy=lazy)


def render_page(
    story: Story | PreparedStory,
    *,
    mode: str = "page",
    lang: str | None = "en",
    day: str | None = None,
    options: Mapping[str, Any] | None = None,
    title: str | None = None,
    static_url: str = "/static/",
    embed_path: str = "/embed",
    api_url: str = "/api/",
    text: bool | None = None,
) -> str:
    """Render the story map as one HTML document.

    ``mode`` is "page" (served at /), "embed" (served at /embed: no header, compact
    controls) or "standalone" (everything inlined, works from file:// offline).
    ``lang`` None lets the browser's language decide; a language without strings falls
    back to English. ``options`` holds start, end, day, autoplay, controls and lang (as in
    the embed URL), checked by :func:`storymap.outputs.options.parse_options` like every page's;
    ``day`` and ``lang`` given here win over theirs. Raises ConfigError (OptionError) for
    a bad mode, date or option. ``story`` may be prepared (:class:`PreparedStory`).

    The served page and embed load two files (Leaflet, and the app's modules bundled,
    both in the head, deferred: fetched at once, no chain of imports) and carry their
    styles; their texts are fetched from ``api_url`` + "text" when the text view opens,
    unless ``text`` (edit mode, whose tools read them). The standalone file inlines all.
    """
    if mode not in MODES:
        raise ConfigError(f"render mode: expected one of {', '.join(MODES)}, got {mode!r}")
    standalone = mode == "standalone"
    want_text = standalone if text is None else text
    if isinstance(story, PreparedStory) and (story.text, story.standalone) == (want_text,
                                                                              standalone):
        prepared = story
    else:
        prepared = PreparedStory.of(story.story if isinstance(story, PreparedStory) else story,
                                    text=want_text, standalone=standalone)
    story = prepared.story
    if standalone:
        _check_file_size(story, len(prepared.story_json.encode("utf-8")))
    args: dict[str, Any] = {**(options or {})}
    args.update({k: v for k, v in (("lang", lang), ("day", day)) if v is not None})
    # The page's options are checked as the embed's: the page ignores only what it lacks.
    opts = parse_options(args, mode="embed" if mode == "page" else mode)
    chosen_lang = opts.lang
    ui_lang = chosen_lang or LANGUAGES[0]
    strings = page_strings()
    styles = [a for a in assets.ASSETS if a.kind == "css"]
    scripts = [a for a in assets.ASSETS if a.kind in ("js", "module")]
    config = {
        "mode": mode,
        "lang": chosen_lang,
        "day": opts.day,
        "options": {"start": opts.start, "end": opts.end, "autoplay": opts.autoplay,
                    "controls": opts.controls},
        "main_phase": story.main_phase(),
        "opens": story.opening_day(),  # the phase's first day with a pin
        "basemap_url": None if standalone else static_url + mapview.BASEMAP_DIR,
        "embed_path": embed_path,
        "text_url": None if prepared.text else api_url + "text",
        # A large story's steps fetch their words (storymap.outputs.pagedata.LAZY_EVENTS).
        "details_url": api_url if prepared.lazy else None,
        "map_credits": map_credit_rows(story),
        "i18n": strings,
    }  # fmt: skip
    inline_js = [_inline_js(_script_text(a)) for a in scripts] if standalone else []
    # Every mode carries its styles (compacted): no stylesheet request before first paint.
    inline_css = [_inline_css(a.path) for a in styles]
    csp = ""
    if standalone:
        # The file has no server to send headers, so it carries its own policy: only the
        # inlined scripts run, images only from OpenStreetMap's tiles, nothing else loads.
        hashes = " ".join(f"'{_sha256(js)}'" for js in inline_js)
        csp = (
            f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
            "img-src data: https://tile.openstreetmap.org https://*.tile.openstreetmap.org; "
            "base-uri 'none'; form-action 'none'"
        )
    template = _environment().get_template("storymap/page.html")
    return template.render(
        mode=mode,
        lang=ui_lang,
        t=interface_strings()[ui_lang],
        title=title or story.title,
        # The story's own title is in the language of its texts (storymap reads English);
        # a title given for the page is in whatever language its author chose.
        title_lang=None if title else TEXT_LANG,
        controls=opts.controls,
        csp=csp,
        scripts=[] if standalone else [
            {"url": assets.bundle_url(static_url) if a.kind == "module" else
             assets.versioned_url(a, static_url=static_url), "module": a.kind == "module"}
            for a in scripts],
        inline_css=[_markup(css) for css in inline_css],
        inline_js=[{"text": _markup(js), "module": a.kind == "module"}
                   for a, js in zip(scripts, inline_js, strict=True)] if standalone else [],
        config_json=_markup(script_json(config)),
        story_json=_markup(prepared.story_json),
        basemap_json=_markup(script_json(mapview.basemap_data(story))) if standalone else None,
    )  # fmt: skip


def _check_file_size(story: Story, data_bytes: int) -> None:
    """Refuse a standalone file past MAX_FILE_BYTES, saying what to do instead.

    ``data_bytes`` is the size of the story's page data, most of the file (the page's own
    files add about 350 KB). Raises FileTooLarge.
    """
    size = data_bytes + 350_000
    if size <= MAX_FILE_BYTES:
        return
    raise FileTooLarge(
        f"{story.title[:60]!r}: {len(story.events):,} events make an offline file of about "
        f"{size / 1e6:.1f} MB, more than one file carries well ({MAX_FILE_BYTES / 1e6:.0f} MB: "
        "it would open slowly, and most lesson platforms refuse such uploads); serve it "
        "instead — `storymap serve STORY.json` sends the page a day at a time — and share "
        "its link or embed")


def _markup(text: str) -> Any:
    from markupsafe import Markup

    return Markup(text)
