"""The static files from memory (storymap.web.statics), /api/text, and warm()."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from storymap.model import Story
from storymap.outputs import assets
from storymap.web import create_app, warm
from storymap.web.state import EXTENSION


def test_the_bundle_is_served_from_memory_gzipped_and_cached_for_a_year(
        client: FlaskClient) -> None:
    url = assets.bundle_url("/static/")
    plain = client.get(url)
    assert plain.status_code == 200 and plain.mimetype == "text/javascript"
    assert plain.get_data(as_text=True) == assets.served_file(assets.BUNDLE_PATH)
    assert plain.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    packed = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert packed.headers["ETag"] != plain.headers["ETag"]
    again = client.get(url, headers={"Accept-Encoding": "gzip",
                                     "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert "Content-Security-Policy" in again.headers
    head = client.head(url)
    assert head.status_code == 200 and head.data == b""


def test_an_unversioned_file_is_revalidated_and_any_site_may_frame_it(
        client: FlaskClient) -> None:
    response = client.get("/static/basemap/world.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "X-Frame-Options" not in response.headers
    assert json.loads(response.data)["type"] == "FeatureCollection"


@pytest.mark.parametrize("path", ["/static/../pyproject.toml", "/static/%2e%2e/README.md",
                                  "/static/app/", "/static/no-such-file.js",
                                  "/static//etc/passwd"])
def test_nothing_outside_the_static_folder_is_served(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    # Flask answers what the middleware leaves: 404, or a redirect that merges "//".
    assert response.status_code in (404, 308), path
    assert b"root:" not in response.data and b"[project]" not in response.data


def test_other_methods_and_paths_go_on_to_flask(client: FlaskClient) -> None:
    assert client.post(assets.bundle_url("/static/")).status_code == 405
    assert client.get("/healthz").status_code == 200


def test_the_texts_are_their_own_answer(client: FlaskClient, story: Story) -> None:
    body = client.get("/api/text").get_json()
    assert [d["id"] for d in body["documents"]] == [d.id for d in story.documents]
    assert body["documents"][0]["text"] == story.documents[0].text
    assert len(body["mentions"]) == len(story.mentions) and body["compact"]
    etag = client.get("/api/text").headers["ETag"]
    assert client.get("/api/text", headers={"If-None-Match": etag}).status_code == 304


def test_warm_makes_every_languages_page_before_the_first_visit(story: Story) -> None:
    calls: list[dict[str, Any]] = []

    def renderer(s: Story, **kwargs: Any) -> str:
        calls.append(kwargs)
        return f"<!doctype html><p>{kwargs['mode']} {kwargs['lang']}</p>"

    app = create_app(story, testing=True, renderer=renderer)
    warm(app)
    made = {(c["mode"], c["lang"]) for c in calls}
    assert made == {("page", "en"), ("page", "hu"), ("embed", "en"), ("embed", "hu")}
    before = len(calls)
    client = app.test_client()
    for url in ("/?day=1956-10-24", "/?day=1956-11-01&lang=hu", "/embed?day=1956-10-23"):
        assert client.get(url).status_code == 200
    assert len(calls) == before  # every day of every language: already made
    assert len(app.extensions[EXTENSION].pages._pages) == 4
