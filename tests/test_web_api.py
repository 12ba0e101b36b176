"""The JSON API and oEmbed: bodies, errors, ETag/304, gzip, and hostile strings kept inert."""

from __future__ import annotations

import gzip
import json
from typing import Any

import jsonschema
import pytest
from flask.testing import FlaskClient

from storymap.model import Story
from storymap.web import create_app

HOSTILE_PLACE = "<script>alert('place')</script>\"></a><img src=x onerror=alert(1)>"

#: What oEmbed 1.0 (https://oembed.com, section 2.3.4) requires of a "rich" answer.
OEMBED_RICH = {
    "type": "object",
    "required": ["version", "type", "html", "width", "height"],
    "properties": {
        "version": {"const": "1.0"},
        "type": {"const": "rich"},
        "html": {"type": "string", "pattern": "^<iframe .*></iframe>$"},
        "width": {"type": "integer", "minimum": 1},
        "height": {"type": "integer", "minimum": 1},
        "title": {"type": "string"},
        "provider_name": {"type": "string"},
        "provider_url": {"type": "string", "format": "uri"},
        "cache_age": {"type": "integer"},
    },
    "additionalProperties": False,
}
ERROR_BODY = {
    "type": "object",
    "required": ["error", "status"],
    "properties": {"error": {"type": "string", "minLength": 10}, "status": {"type": "integer"}},
    "additionalProperties": False,
}


def _json(response: Any) -> Any:
    assert response.mimetype == "application/json"
    return json.loads(response.get_data(as_text=True))


def _error(response: Any, status: int) -> str:
    assert response.status_code == status
    body = _json(response)
    jsonschema.validate(body, ERROR_BODY)
    assert body["status"] == status
    return str(body["error"])


# -- /api/story --------------------------------------------------------------------------------
def test_story_is_the_whole_story(client: FlaskClient, story: Story) -> None:
    response = client.get("/api/story")
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert Story.from_dict(_json(response)) == story


def test_story_is_gzipped_when_accepted(client: FlaskClient, story: Story) -> None:
    plain = client.get("/api/story")
    response = client.get("/api/story", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(response.data) == plain.data
    assert int(response.headers["Content-Length"]) == len(response.data) < len(plain.data)
    assert response.headers["ETag"] != plain.headers["ETag"]  # a strong ETag per encoding


@pytest.mark.parametrize("header", ["gzip;q=0", "identity", "br", "deflate"])
def test_story_is_not_gzipped_when_refused(client: FlaskClient, header: str) -> None:
    response = client.get("/api/story", headers={"Accept-Encoding": header})
    assert "Content-Encoding" not in response.headers
    assert response.data.startswith(b"{")


def test_story_etag_and_304(client: FlaskClient) -> None:
    first = client.get("/api/story")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get("/api/story", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    weak = client.get("/api/story", headers={"If-None-Match": f'"other", W/{etag}'})
    assert weak.status_code == 304
    assert client.get("/api/story", headers={"If-None-Match": "*"}).status_code == 304
    stale = client.get("/api/story", headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200 and stale.data == first.data


def test_story_etag_follows_the_content(story: Story) -> None:
    other = Story(title="Other", documents=(), places=(), events=())
    first = create_app(story).test_client().get("/api/story").headers["ETag"]
    same = create_app(story).test_client().get("/api/story").headers["ETag"]
    changed = create_app(other).test_client().get("/api/story").headers["ETag"]
    assert first == same != changed


def test_story_head_has_length_but_no_body(client: FlaskClient) -> None:
    full = client.get("/api/story")
    head = client.head("/api/story")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Length"] == full.headers["Content-Length"]


def test_hostile_strings_come_back_json_escaped(client: FlaskClient) -> None:
    for url in (
        "/api/story",
        "/api/days/1956-10-24",
        "/api/places/xss",
        "/oembed?url=http://localhost/",
    ):
        raw = client.get(url).data
        for char in (b"<", b">", b"'", b"&"):
            assert char not in raw, (url, char)
    place = _json(client.get("/api/places/xss"))["place"]
    assert place["name"] == HOSTILE_PLACE
    title = _json(client.get("/api/story"))["documents"][0]["title"]
    assert title == "Small <script>alert('doc')</script> text"


# -- /api/days ---------------------------------------------------------------------------------
def test_days_list_counts_and_phase(client: FlaskClient, story: Story) -> None:
    body = _json(client.get("/api/days"))
    assert [d["date"] for d in body["days"]] == list(story.days())
    counts = {d["date"]: d["events"] for d in body["days"]}
    assert counts["1956-10-23"] == 2
    assert counts["1956-11-02"] == 1  # e4 spans 1–3 November and counts on each day
    start, end = story.main_phase() or ("", "")
    assert body["main_phase"] == {"start": start, "end": end}
    phases = {d["date"]: d["phase"] for d in body["days"]}
    assert phases["1956-10-23"] == ("before" if start > "1956-10-23" else "main")
    assert set(phases.values()) <= {"before", "main", "after"}


def test_one_day_has_its_events_and_places(client: FlaskClient) -> None:
    body = _json(client.get("/api/days/1956-10-23"))
    assert body["date"] == "1956-10-23"
    assert [e["id"] for e in body["events"]] == ["e1", "e2"]
    assert [p["id"] for p in body["places"]] == ["parliament", "budapest", "radio"]
    assert body["events"][0]["quote"].startswith("On 23 October 1956")
    assert body["events"][0]["days"] == ["1956-10-23"]


def test_a_range_shows_on_each_of_its_days(client: FlaskClient) -> None:
    for day in ("1956-11-01", "1956-11-02", "1956-11-03"):
        body = _json(client.get(f"/api/days/{day}"))
        assert [e["id"] for e in body["events"]] == ["e4"]
        assert [p["id"] for p in body["places"]] == ["moscow"]


def test_day_without_events_is_404(client: FlaskClient) -> None:
    assert "no events on 1956-10-30" in _error(client.get("/api/days/1956-10-30"), 404)


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        ("1956-13-01", "there is no month 13"),
        ("1956-02-30", "February 1956 has 29 days"),
        ("23-10-1956", "write the year first: 1956-10-23"),
        ("1956-10", "expected a day as YYYY-MM-DD, not a month"),
        ("x", "expected a date as YYYY-MM-DD"),
        ("1956-1-2", "with two digits: 1956-01-02"),
    ],
)
def test_malformed_day_is_400_saying_what_is_wrong(client: FlaskClient, day: str,
                                                   reason: str) -> None:
    message = _error(client.get(f"/api/days/{day}"), 400)
    assert message.startswith(f"day={day}: ") and reason in message, message


# -- /api/places -------------------------------------------------------------------------------
def test_place_has_all_its_events(client: FlaskClient) -> None:
    body = _json(client.get("/api/places/budapest"))
    assert body["place"]["name"] == "Budapest"
    assert body["place"]["lat"] == pytest.approx(47.49835)
    assert [e["id"] for e in body["events"]] == ["e1", "e5"]


def test_district_keeps_its_polygon(client: FlaskClient) -> None:
    body = _json(client.get("/api/places/budapest-21"))
    assert body["place"]["geometry"]["type"] == "Polygon"
    assert [e["id"] for e in body["events"]] == ["e5"]


def test_unknown_place_is_404(client: FlaskClient) -> None:
    assert "no place with id" in _error(client.get("/api/places/atlantis"), 404)


def test_unknown_api_route_and_method_are_json(client: FlaskClient) -> None:
    _error(client.get("/api/nothing"), 404)
    response = client.post("/api/story")
    _error(response, 405)
    assert "GET" in response.headers["Allow"]


# -- /oembed -----------------------------------------------------------------------------------
def test_oembed_gives_a_responsive_iframe_of_embed(client: FlaskClient, story: Story) -> None:
    url = "http://localhost/?day=1956-10-24&lang=hu&place=budapest"
    body = _json(client.get("/oembed", query_string={"url": url, "format": "json"}))
    jsonschema.validate(body, OEMBED_RICH)
    assert body["title"] == story.title
    assert (body["width"], body["height"]) == (800, 600)
    html = body["html"]
    assert 'src="http://localhost/embed?day=1956-10-24&amp;lang=hu"' in html
    assert "width:100%" in html and "max-width:800px" in html
    assert "<i>" not in html and "&lt;i&gt;test&lt;/i&gt;" in html  # the title, escaped
    assert body["provider_url"] == "http://localhost/"


def test_oembed_of_an_embed_link_keeps_its_options(client: FlaskClient) -> None:
    url = "http://localhost/embed?controls=minimal&autoplay=1&start=1956-10-23"
    html = _json(client.get("/oembed", query_string={"url": url}))["html"]
    src = "http://localhost/embed?start=1956-10-23&amp;autoplay=1&amp;controls=minimal"
    assert f'src="{src}"' in html


@pytest.mark.parametrize(
    ("maxwidth", "maxheight", "size"),
    [
        ("400", None, (400, 300)),
        (None, "300", (400, 300)),
        ("2000", "2000", (800, 600)),
        ("640", "200", (266, 200)),
    ],
)
def test_oembed_respects_max_sizes(
    client: FlaskClient, maxwidth: str | None, maxheight: str | None, size: tuple[int, int]
) -> None:
    query = {"url": "http://localhost/", "maxwidth": maxwidth, "maxheight": maxheight}
    body = _json(client.get("/oembed", query_string={k: v for k, v in query.items() if v}))
    jsonschema.validate(body, OEMBED_RICH)
    assert (body["width"], body["height"]) == size
    assert body["width"] <= int(maxwidth or 10**6) and body["height"] <= int(maxheight or 10**6)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/",
        "http://localhost.evil.org/",
        "http://user@localhost/",
        "ftp://localhost/",
        "http://localhost/api/story",
        "javascript:alert(1)",
    ],
)
def test_oembed_for_other_urls_is_404(client: FlaskClient, url: str) -> None:
    _error(client.get("/oembed", query_string={"url": url}), 404)


def test_oembed_xml_is_not_implemented(client: FlaskClient) -> None:
    response = client.get("/oembed", query_string={"url": "http://localhost/", "format": "xml"})
    assert "only json" in _error(response, 501)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"url": ""},
        {"url": "http://localhost/", "maxwidth": "wide"},
        {"url": "http://localhost/", "maxheight": "10"},
        {"url": "http://localhost/?day=never"},
    ],
)
def test_oembed_bad_requests_are_400(client: FlaskClient, query: dict[str, str]) -> None:
    _error(client.get("/oembed", query_string=query), 400)


def test_oembed_matches_the_host_and_port_asked(story: Story) -> None:
    client = create_app(story, testing=True).test_client()
    base = "http://127.0.0.1:8123"
    ok = client.get("/oembed", query_string={"url": f"{base}/"}, base_url=base)
    assert _json(ok)["html"].startswith(f'<iframe src="{base}/embed"')
    wrong_port = client.get("/oembed", query_string={"url": "http://127.0.0.1:9/"}, base_url=base)
    _error(wrong_port, 404)


def test_healthz(client: FlaskClient, story: Story) -> None:
    body = _json(client.get("/healthz"))
    assert body == {
        "status": "ok",
        "title": story.title,
        "events": len(story.events),
        "days": len(story.days()),
    }
