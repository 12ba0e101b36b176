"""The one renderer: escaping of hostile story strings, modes, inlined assets, options."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from storymap.errors import ConfigError
from storymap.formats.html import export_html
from storymap.model import Story
from storymap.outputs import assets
from storymap.outputs.options import parse_options
from storymap.outputs.render import page_data, render_page, script_json

HOSTILE = ("<script>alert(", "<img src=x onerror", "<b>Banner</b>", "<i>test</i>")


class _Collect(HTMLParser):
    """Collect elements, attributes and script bodies as the browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)


def parse(html: str) -> _Collect:
    collector = _Collect()
    collector.feed(html)
    return collector


@pytest.mark.parametrize("mode", ["page", "embed", "standalone"])
def test_hostile_strings_never_appear_unescaped(story: Story, mode: str) -> None:
    html = render_page(story, mode=mode)
    for needle in HOSTILE:
        assert needle not in html, f"{needle!r} unescaped in {mode} output"
    doc = parse(html)
    assert not any(tag == "img" for tag, _ in doc.tags)
    assert not any(k.startswith("on") for _, attrs in doc.tags for k in attrs), "inline handler"
    # Exactly our script elements: the hostile strings opened none.
    kinds = [attrs.get("type") or "js" for attrs, _ in doc.scripts]
    assert kinds.count("js") == 1  # Leaflet
    assert kinds.count("module") == 1  # our entry (or its bundle)
    assert kinds.count("application/json") == (3 if mode == "standalone" else 2)


def test_story_json_round_trips_through_the_script_element(story: Story) -> None:
    doc = parse(render_page(story, mode="page"))
    body = next(b for a, b in doc.scripts if a.get("id") == "story-data")
    data = json.loads(body)
    assert data["title"] == story.title
    assert data["events"][2]["quote"] == story.events[2].quote
    assert data["places"][3]["name"].startswith("<script>")
    assert "path" not in data["documents"][0], "local paths must not ship"


def test_script_json_escapes_everything_that_could_end_the_element() -> None:
    text = script_json({"a": "</script><!--&\u2028\u2029'"})
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"a": "</script><!--&\u2028\u2029'"}


@pytest.mark.parametrize("lang", ["en", "hu"])
def test_every_label_is_a_string_from_i18n(story: Story, lang: str) -> None:
    html = render_page(story, mode="page", lang=lang)
    assert "built-in method" not in html and "Undefined" not in html
    strings = json.loads(assets.read_text(assets.I18N_PATH))
    assert set(strings["en"]) == set(strings["hu"]), "a label missing in one language"
    assert strings[lang]["copy"] in html


def test_title_and_about_panel_are_escaped(story: Story) -> None:
    html = render_page(story, mode="page")
    assert "<title>A small &lt;i&gt;test&lt;/i&gt; story</title>" in html
    # About is filled by the page (in its language) from the story's JSON, escaped there.
    assert "Small \\u003cscript\\u003ealert(\\u0027doc\\u0027)\\u003c/script\\u003e text" in html


def test_javascript_urls_from_the_story_never_become_links(story: Story) -> None:
    doc = story.documents[0]
    bad = Story(
        title=story.title,
        documents=(type(doc)(id=doc.id, title="T", text=doc.text, url="javascript:alert(1)"),),
        places=story.places,
        events=story.events,
    )
    html = render_page(bad, mode="page")
    assert 'href="javascript:' not in html.lower()


def test_the_served_page_loads_two_scripts_at_once_and_carries_its_styles(story: Story) -> None:
    html = render_page(story, mode="page", static_url="/static/")
    head = html.split("</head>", 1)[0]
    # Leaflet and the app's modules bundled, both from the head, neither blocking the parser.
    scripts = re.findall(r"<script[^>]* src=\"([^\"]+)\"[^>]*>", head)
    assert scripts == ["/static/vendor/leaflet/leaflet.js?v=1.9.4", assets.bundle_url("/static/")]
    assert re.search(r'<script defer src="/static/vendor/leaflet/leaflet\.js\?v=1\.9\.4">', head)
    assert re.search(r'<script type="module" src="/static/app/bundle\.js\?v=\w+">', head)
    assert "<link" not in html and head.count("<style>") == 4  # no stylesheet to wait for
    # The texts are fetched when the text view opens: not in the page.
    data = json.loads(next(b for a, b in parse(html).scripts if a.get("id") == "story-data"))
    assert "mentions" not in data and all("text" not in d for d in data["documents"])
    cfg = json.loads(next(b for a, b in parse(html).scripts if a.get("id") == "storymap-config"))
    assert cfg["text_url"] == "/api/text"
    assert all(e["quote"] for e in data["events"])  # quotes stay: the texts are not here


def test_standalone_inlines_every_asset_and_loads_nothing_from_elsewhere(story: Story) -> None:
    html = export_html(story)
    assert "/static/" not in html
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html), "external script or stylesheet"
    # No http(s) URL that the page would load: only links in the About panel and tiles.
    loaded = re.findall(r"(?:src|href)\s*=\s*[\"']?(https?://[^\"' >]+)", html)
    assert all("unpkg" not in u and "cdn" not in u.lower() for u in loaded)
    assert not re.search(r"https?://[^\"' ]*(cdn|unpkg|jsdelivr|googleapis)", html, re.IGNORECASE)
    assert "L.version" in html or "leaflet" in html.lower()  # Leaflet itself is inside
    assert 'id="basemap-data"' in html
    # Leaflet's CSS images are inlined, or left out when no control of ours shows them.
    assert "url(images/" not in html


def test_standalone_csp_hashes_match_the_inline_scripts(story: Story) -> None:
    import base64
    import hashlib

    html = export_html(story)
    doc = parse(html)
    csp = next(a["content"] for t, a in doc.tags if t == "meta" and a.get("http-equiv"))
    assert csp is not None and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    for attrs, body in doc.scripts:
        if attrs.get("type") in (None, "module"):
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in csp


def test_modes_share_one_template_and_script(story: Story) -> None:
    page, embed = render_page(story, mode="page"), render_page(story, mode="embed")
    standalone = render_page(story, mode="standalone")
    assert 'class="mode-page' in page and 'class="mode-embed' in embed
    assert 'class="mode-standalone' in standalone
    for asset in assets.ASSETS:
        if asset.kind in ("module", "import"):  # the very same modules, bundled and inlined
            body = assets.read_text(asset.path)
            # Code lines, stripped: the export leaves out comments and indentation.
            line = next(ln.strip().removeprefix("export ") for ln in body.splitlines() if "(" in ln
                        and "import" not in ln and not ln.strip().startswith(("/", "*")))
            assert line in standalone, asset.path


def test_options_reach_the_page(story: Story) -> None:
    html = render_page(story, mode="embed", lang="hu", day="1956-11-04",
                       options={"start": "1956-10-23", "end": "1956-11-30",
                                "autoplay": "1", "controls": "minimal"})  # fmt: skip
    cfg = json.loads(next(b for a, b in parse(html).scripts if a.get("id") == "storymap-config"))
    assert cfg["day"] == "1956-11-04" and cfg["lang"] == "hu"
    assert cfg["options"] == {"start": "1956-10-23", "end": "1956-11-30", "autoplay": True,
                              "controls": "minimal"}  # fmt: skip
    assert cfg["main_phase"] == list(story.main_phase() or ())
    assert '<html lang="hu"' in html and "controls-minimal" in html
    assert "Lejátszás" in html  # Hungarian labels rendered server-side


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "pdf"}, "render mode"),
        ({"day": "25 Oct"}, "day=25 Oct: expected a date"),
        ({"day": "1956-02-30"}, "day=1956-02-30: February 1956 has 29 days"),
        ({"options": {"controls": "some"}}, "controls"),
        ({"options": {"start": "1956/10/23"}}, "start"),
    ],
)
def test_bad_options_raise_config_error(story: Story, kwargs: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError, match=message):
        render_page(story, **kwargs)


def test_parse_options_ignores_unknown_keys() -> None:
    assert parse_options({"zoom": "3"}).controls == "full"


def test_district_geometry_is_simplified_but_kept(story: Story) -> None:
    data = page_data(story)
    csepel = next(p for p in data["places"] if p["id"] == "budapest-21")
    assert csepel["geometry"]["type"] == "Polygon"
    assert csepel["geometry"]["coordinates"][0][0] == csepel["geometry"]["coordinates"][0][-1]


def test_export_html_title_and_range(story: Story) -> None:
    html = export_html(story, title="Lesson <1>", start="1956-10-24", end="1956-11-04", lang="hu")
    assert "<title>Lesson &lt;1&gt;</title>" in html
    cfg = json.loads(next(b for a, b in parse(html).scripts if a.get("id") == "storymap-config"))
    assert cfg["options"]["start"] == "1956-10-24" and cfg["mode"] == "standalone"


def test_the_page_reads_display_edits_from_the_model_and_runs_no_text_stage() -> None:
    """Outputs depend only on the Story: the edits are computed when the story is combined."""
    import ast

    from storymap.model import Document
    from storymap.outputs.render import page_data
    from storymap.pipeline import SourceText, build_story_from_texts

    source = Path(__file__).resolve().parents[1] / "storymap" / "outputs" / "render.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    imported = {(n.module or "").split(".")[0] for n in ast.walk(tree)
                if isinstance(n, ast.ImportFrom)}
    assert not imported & {"text", "pipeline", "lang"}, imported
    text = "On 28 June 1956 workers in Pozna? rose @-@ up against the government ."
    story = build_story_from_texts([SourceText(id="t", text=text)])
    assert story.documents[0].edits  # " @-@ " joined, "?" restored, " ." closed up
    assert page_data(story)["documents"][0]["edits"] == list(story.documents[0].edits)
    raw = Story(title="s", documents=(Document(id="d", title="t", text=text),), places=(),
                events=())
    assert page_data(raw)["documents"][0]["edits"] == []  # an older story: the raw text


def test_the_files_page_data_leaves_out_only_what_the_page_rebuilds() -> None:
    """Quotes that are their source as shown, "day" precision, empty lists and a place's
    name in the texts' language repeated: left out of the standalone file, nothing else."""
    from storymap.model import Document, Event, Place, PlaceRef, SourceRef

    text = "On 28 June 1956 workers in Pozna? rose up. Later more came."
    doc = Document(id="d", title="t", text=text, edits=(32, "ń"))
    same = Event(id="a", date="1956-06-28", precision="day", title="Workers rose",
                 quote="On 28 June 1956 workers in Poznań rose up.",
                 places=(PlaceRef("poznan", "Poznań"),), sources=(SourceRef("d", 0, 42),))
    other = Event(id="b", date="1956-06", precision="month", title="More came",
                  quote="More came (edited).", places=(), sources=(SourceRef("d", 43, 59),))
    place = Place("poznan", "Poznań", 52.4, 16.9, "city", {"en": "Poznań", "hu": "Poznań"})
    story = Story(title="s", documents=(doc,), places=(place,), events=(same, other))
    assert doc.shown(0, 42) == same.quote
    rows = {e["id"]: e for e in page_data(story, quotes_from_text=True)["events"]}
    assert "quote" not in rows["a"] and rows["b"]["quote"] == "More came (edited)."
    assert "precision" not in rows["a"] and rows["b"]["precision"] == "month"
    assert "places" not in rows["b"] and "people" not in rows["a"]
    served = {e["id"]: e for e in page_data(story)["events"]}
    assert served["a"]["quote"] == same.quote  # the served page: quotes kept
    assert page_data(story)["places"][0]["names"] == {"hu": "Poznań"}
