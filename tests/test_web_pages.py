"""``/`` and ``/embed`` are rendered once per set of options, gzipped and revalidated by ETag."""

from __future__ import annotations

import gzip
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient

from storymap.model import Story
from storymap.outputs import render
from storymap.web import create_app
from storymap.web.pages import PAGE_CACHE_SIZE
from storymap.web.state import EXTENSION


def test_the_story_is_serialised_once_for_all_pages(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Story] = []
    real = render.page_data

    def counting(s: Story, **kwargs: bool) -> dict:  # type: ignore[type-arg]
        calls.append(s)
        return real(s, **kwargs)

    monkeypatch.setattr(render, "page_data", counting)
    client = create_app(story, testing=True).test_client()
    for url in ("/", "/", "/?day=1956-10-24", "/embed?controls=none", "/?lang=hu"):
        assert client.get(url).status_code == 200
    assert len(calls) == 1


def test_a_page_is_rendered_once_per_options(story: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = render.render_page

    def counting(s: object, **kwargs: object) -> str:
        calls.append(str(kwargs.get("mode")))
        return real(s, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "render_page", counting)
    client = create_app(story, testing=True).test_client()
    first = client.get("/").data
    assert client.get("/").data == first
    client.get("/embed")
    assert calls == ["page", "embed"]


def test_pages_are_gzipped_when_accepted(client: FlaskClient) -> None:
    plain = client.get("/")
    packed = client.get("/", headers={"Accept-Encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 3
    assert {"Accept-Encoding", "Accept-Language"} <= set(packed.headers["Vary"].split(", "))
    assert packed.headers["ETag"] != plain.headers["ETag"]


@pytest.mark.parametrize("encoding", ["", "gzip"])
def test_a_known_etag_gets_304(client: FlaskClient, encoding: str) -> None:
    headers = {"Accept-Encoding": encoding}
    first = client.get("/?day=1956-10-24", headers=headers)
    etag = first.headers["ETag"]
    again = client.get("/?day=1956-10-24", headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert "Content-Security-Policy" in again.headers
    # One page serves every day (the page reads its day from the URL): still 304.
    same = client.get("/?day=1956-10-25", headers={**headers, "If-None-Match": etag})
    assert same.status_code == 304
    other = client.get("/?lang=hu", headers={**headers, "If-None-Match": etag})
    assert other.status_code == 200


def test_the_page_cache_is_bounded(story: Story) -> None:
    app = create_app(story, testing=True)
    client = app.test_client()
    start = date(1956, 10, 1)
    for n in range(PAGE_CACHE_SIZE + 8):
        assert client.get(f"/embed?start={start + timedelta(days=n)}").status_code == 200
    assert len(app.extensions[EXTENSION].pages._pages) == PAGE_CACHE_SIZE


def test_a_repeated_page_request_is_answered_before_flask(story: Story) -> None:
    app = create_app(story, testing=True)
    reached: list[str] = []
    app.before_request(lambda: reached.append("flask") and None)
    client = app.test_client()
    gz = {"Accept-Encoding": "gzip", "Accept-Language": "hu"}
    first = client.get("/?day=1956-10-24", headers=gz)
    second = client.get("/?day=1956-10-24", headers=gz)
    assert reached == ["flask"]
    assert second.data == first.data and second.headers == first.headers
    revalidated = client.get(
        "/?day=1956-10-24", headers={**gz, "If-None-Match": first.headers["ETag"]}
    )
    assert revalidated.status_code == 304 and revalidated.data == b""
    assert (
        revalidated.headers["X-Frame-Options"] == "DENY"
        and "Content-Encoding" not in revalidated.headers
    )
    client.get("/?day=1956-10-24", headers={"Accept-Language": "hu"})  # identity: its own entry
    client.get("/?day=1956-10-24", headers={**gz, "Host": "127.0.0.1:8000"})  # another Host
    assert reached == ["flask"] * 3


def test_errors_and_heads_are_never_replayed(story: Story) -> None:
    app = create_app(story, testing=True)
    reached: list[str] = []
    app.before_request(lambda: reached.append("flask") and None)
    client = app.test_client()
    for _ in range(2):
        assert client.get("/?day=bad").status_code == 400
        assert client.head("/").status_code == 200
    assert len(reached) == 4


def test_swapping_the_story_forgets_the_kept_pages(story: Story) -> None:
    from dataclasses import replace

    from storymap.web.index import build_index
    from storymap.web.pages import Pages

    app = create_app(story, testing=True)
    client = app.test_client()
    assert b"Renamed" not in client.get("/").data
    renamed = replace(story, title="Renamed story")
    state = app.extensions[EXTENSION]
    app.extensions[EXTENSION] = replace(state, index=build_index(renamed), pages=Pages(renamed))
    assert b"Renamed story" in client.get("/").data
