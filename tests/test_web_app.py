"""The HTML routes, error pages and the headers every response carries (CSP, framing, cookies)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from storymap.model import Story
from storymap.web import create_app
from storymap.web.security import content_security_policy

HOSTILE = ("<script>", "<img src=x onerror", '"></a>')


class RecordingRenderer:
    """Stands in for storymap.outputs.render.render_page and remembers every call."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(
        self,
        story: Story,
        *,
        mode: str = "page",
        lang: str = "en",
        day: str | None = None,
        options: Mapping[str, str] | None = None,
    ) -> str:
        self.calls.append({"mode": mode, "lang": lang, "day": day, "options": dict(options or {})})
        return f"<!doctype html><title>{mode}</title>"


@pytest.fixture()
def renderer() -> RecordingRenderer:
    return RecordingRenderer()


@pytest.fixture()
def html_client(story: Story, renderer: RecordingRenderer) -> FlaskClient:
    """A client whose pages come from the recording renderer."""
    return create_app(story, testing=True, renderer=renderer).test_client()


# -- routes and the options they pass on ---------------------------------------------------
def test_page_renders_in_page_mode(html_client: FlaskClient, renderer: RecordingRenderer) -> None:
    response = html_client.get("/?day=1956-10-24")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    # The day is checked, then read by the page from its URL: one page for every day.
    assert renderer.calls == [{"mode": "page", "lang": "en", "day": None, "options": {}}]


def test_embed_passes_its_options(html_client: FlaskClient, renderer: RecordingRenderer) -> None:
    url = (
        "/embed?start=1956-10-23&end=1956-11-04&day=1956-10-24&autoplay=true&controls=none&lang=hu"
    )
    assert html_client.get(url).status_code == 200
    assert renderer.calls == [
        {
            "mode": "embed",
            "lang": "hu",
            "day": None,
            "options": {
                "start": "1956-10-23",
                "end": "1956-11-04",
                "autoplay": "1",
                "controls": "none",
            },
        }
    ]


def test_embed_defaults_to_full_controls(
    html_client: FlaskClient, renderer: RecordingRenderer
) -> None:
    html_client.get("/embed")
    assert renderer.calls[0]["options"] == {"controls": "full"}
    assert renderer.calls[0]["day"] is None


@pytest.mark.parametrize(
    ("header", "lang"), [("hu-HU,hu;q=0.9,en;q=0.5", "hu"), ("de-DE,de", "en"), (None, "en")]
)
def test_language_follows_the_browser(
    html_client: FlaskClient, renderer: RecordingRenderer, header: str | None, lang: str
) -> None:
    headers = {"Accept-Language": header} if header else {}
    response = html_client.get("/", headers=headers)
    assert renderer.calls[0]["lang"] == lang
    assert "Accept-Language" in response.headers["Vary"]


def test_lang_option_beats_the_browser(
    html_client: FlaskClient, renderer: RecordingRenderer
) -> None:
    html_client.get("/?lang=en", headers={"Accept-Language": "hu"})
    assert renderer.calls[0]["lang"] == "en"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/?day=23-10-1956", "day=23-10-1956</code>: write the year first: 1956-10-23"),
        ("/?day=1956-02-30", "day=1956-02-30</code>: February 1956 has 29 days"),
        ("/embed?controls=big", "controls=big</code>: expected one of full, minimal, none"),
        ("/embed?autoplay=maybe", "autoplay=maybe</code>: expected 1 or 0"),
        ("/embed?start=1956-11-04&end=1956-10-23", "is after end"),
        ("/embed?end=soon", "end=soon</code>: expected a date"),
    ],
)
def test_bad_options_give_an_html_400(
    html_client: FlaskClient, renderer: RecordingRenderer, url: str, words: str
) -> None:
    response = html_client.get(url)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert words in response.get_data(as_text=True).replace("&#39;", "'")
    assert renderer.calls == []


@pytest.mark.parametrize("url", ["/?lang=de", "/embed?lang=de"])
def test_a_language_without_strings_falls_back_to_english(
    html_client: FlaskClient, renderer: RecordingRenderer, url: str
) -> None:
    response = html_client.get(url, headers={"Accept-Language": "hu"})
    assert response.status_code == 200
    assert renderer.calls[0]["lang"] == "en"


def test_unknown_page_gives_an_html_404(html_client: FlaskClient) -> None:
    response = html_client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "<h1>404 Not found</h1>" in response.get_data(as_text=True)


def test_error_page_escapes_the_message(html_client: FlaskClient) -> None:
    response = html_client.get("/?day=<script>alert(1)</script>")
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<script>" not in text
    assert "&lt;script&gt;" in text


def test_post_is_not_allowed(html_client: FlaskClient) -> None:
    response = html_client.post("/")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_head_works(html_client: FlaskClient) -> None:
    response = html_client.head("/")
    assert response.status_code == 200
    assert response.data == b""


def test_renderer_errors_are_400(story: Story) -> None:
    from storymap.errors import ConfigError

    def render(story: Story, **options: Any) -> str:
        raise ConfigError("day: expected a day the renderer likes, got '1956'")

    client = create_app(story, testing=True, renderer=render).test_client()
    response = client.get("/?day=1956")
    assert response.status_code == 400
    assert "the renderer likes" in response.get_data(as_text=True)


def test_pages_link_their_oembed(html_client: FlaskClient) -> None:
    import re
    from urllib.parse import unquote

    for url in ("/?day=1956-10-24", "/embed"):
        link = html_client.get(url).headers["Link"]
        match = re.fullmatch(r'<([^>]+)>; rel="alternate"; type="application/json\+oembed"', link)
        assert match, link
        oembed = html_client.get(match.group(1))
        assert oembed.status_code == 200
        assert unquote(match.group(1)).startswith(
            f"http://localhost/oembed?url=http://localhost{url}"
        )


def test_renderer_gets_a_nonce_when_it_asks(story: Story) -> None:
    seen: list[str] = []

    def render(
        story: Story,
        *,
        mode: str = "page",
        lang: str = "en",
        day: str | None = None,
        options: Mapping[str, str] | None = None,
        nonce: str = "",
    ) -> str:
        seen.append(nonce)
        return "<!doctype html>"

    client = create_app(story, testing=True, renderer=render).test_client()
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    assert len(seen) == 2 and seen[0] != seen[1] and len(seen[0]) >= 16
    assert f"script-src 'self' 'nonce-{seen[0]}';" in first
    assert f"'nonce-{seen[1]}'" in second


# -- headers on every response ---------------------------------------------------------------
ROUTES = [
    "/",
    "/?day=bad",
    "/embed",
    "/embed?controls=bad",
    "/api/story",
    "/api/days",
    "/api/days/1956-10-23",
    "/api/days/1956-10-30",
    "/api/days/bad",
    "/api/places/budapest",
    "/api/places/nowhere",
    "/oembed?url=http://localhost/",
    "/oembed?url=http://example.org/",
    "/healthz",
    "/no/such/page",
    "/static/no-such-file.js",
]
FRAMEABLE = {"/embed", "/embed?controls=bad", "/static/no-such-file.js"}


@pytest.mark.parametrize("url", ROUTES)
def test_security_headers(html_client: FlaskClient, url: str) -> None:
    headers = html_client.get(url).headers
    csp = headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-eval" not in csp
    assert directives["img-src"] == "'self' data: https://*.tile.openstreetmap.org"
    assert directives["object-src"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    if url in FRAMEABLE:
        assert directives["frame-ancestors"] == "* file:"
        assert "X-Frame-Options" not in headers
    else:
        assert directives["frame-ancestors"] == "'none'"
        assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", ROUTES)
def test_no_cookies_ever(html_client: FlaskClient, url: str) -> None:
    response = html_client.get(url, headers={"Cookie": "session=abc"})
    assert "Set-Cookie" not in response.headers
    assert html_client.get_cookie("session") is None


def test_static_files_are_served_and_frameable(
    story: Story, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storymap import resources

    (tmp_path / "app.js").write_text("console.log('storymap');\n", encoding="utf-8")
    monkeypatch.setattr(resources, "data_dir", lambda name: tmp_path)
    client = create_app(story, testing=True).test_client()
    response = client.get("/static/app.js")
    assert response.status_code == 200
    assert response.data == b"console.log('storymap');\n"
    assert "frame-ancestors * file:" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    response.close()


def test_app_is_not_in_debug_mode(app: Flask) -> None:
    assert app.debug is False
    assert app.testing is True
    assert create_app(Story(title="t", documents=(), places=(), events=())).testing is False


def test_csp_is_one_line_without_inline_scripts() -> None:
    csp = content_security_policy(frameable=False)
    assert "\n" not in csp
    assert "script-src 'self';" in csp


# -- with the real renderer (storymap.outputs.render) ---------------------------------------
def _tags(html: str, name: str) -> list[str]:
    import re

    return re.findall(rf"<{name}\b[^>]*>", html, flags=re.IGNORECASE)


@pytest.mark.parametrize("url", ["/", "/embed?controls=minimal&day=1956-10-24"])
def test_real_page_runs_under_the_csp(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    scripts = _tags(html, "script")
    assert scripts
    for tag in scripts:
        # Without 'unsafe-inline' only our own files run; JSON data blocks are never run.
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    for tag in _tags(html, "link"):
        assert 'href="/static/' in tag or "stylesheet" not in tag, tag


def test_real_page_assets_are_served(client: FlaskClient) -> None:
    import re

    html = client.get("/").get_data(as_text=True)
    urls = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert any(u.endswith(".js") or ".js?" in u for u in urls)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
        response.close()


def test_real_page_keeps_hostile_strings_inert(client: FlaskClient) -> None:
    for url in ("/", "/embed"):
        html = client.get(url).get_data(as_text=True)
        for needle in (*HOSTILE, "<i>test</i>"):
            assert needle not in html, (url, needle)
        assert "\\u003cscript\\u003ealert(\\u0027place\\u0027)" in html or (
            "\\u003cscript\\u003ealert('place')" in html
        )


def test_real_embed_is_marked_as_embed(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    embed = client.get("/embed?controls=none&lang=hu").get_data(as_text=True)
    assert '"mode":"page"' in page
    assert '"mode":"embed"' in embed and '"controls":"none"' in embed
    assert '<html lang="hu"' in embed
