"""Requests an attacker or an unlucky client sends: forged Hosts, odd sizes, huge paths."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from storymap.cli.serve import serve
from storymap.model import Story
from storymap.web import create_app

HUGE = "9" * 100_000


def test_a_forged_host_gets_no_iframe_of_its_own(client: FlaskClient) -> None:
    headers = {"Host": "evil.example"}
    response = client.get("/oembed", query_string={"url": "http://evil.example/"}, headers=headers)
    assert response.status_code == 400
    assert "--base-url" in response.get_json()["error"]
    assert "evil.example" not in response.get_json().get("html", "")
    page = client.get("/", headers=headers)
    assert page.status_code == 200 and "Link" not in page.headers


def test_oembed_builds_links_from_the_configured_base(story: Story) -> None:
    app = create_app(story, testing=True, base_url="https://maps.example/history/")
    client = app.test_client()
    url = "https://maps.example/history/?day=1956-10-24"
    body = client.get("/oembed", query_string={"url": url}, headers={"Host": "evil.example"})
    assert body.status_code == 200, body.get_json()
    html = body.get_json()["html"]
    assert html.startswith('<iframe src="https://maps.example/history/embed?day=1956-10-24"')
    assert body.get_json()["provider_url"] == "https://maps.example/history/"
    link = client.get("/?day=1956-10-24").headers["Link"]
    assert link.startswith("<https://maps.example/history/oembed?url=https%3A%2F%2Fmaps.example")
    other = client.get("/oembed", query_string={"url": "http://localhost/"})
    assert other.status_code == 404


def test_a_malformed_base_url_is_refused(story: Story) -> None:
    with pytest.raises(ValueError, match="base URL"):
        create_app(story, base_url="maps.example")
    result = CliRunner().invoke(serve, ["--base-url", "ftp://x", "--port", "1"])
    assert result.exit_code == 2 and "--base-url" in result.output


@pytest.mark.parametrize("size", ["²", "١٢٠", "9" * 5000, "-200", "1e3"])
def test_odd_sizes_are_a_clean_400(client: FlaskClient, size: str) -> None:
    response = client.get("/oembed", query_string={"url": "http://localhost/", "maxwidth": size})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error.startswith("maxwidth: expected a whole number of pixels")
    assert "invalid literal" not in error and len(error) < 120


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"/api/days/{HUGE}", 400),
        (f"/api/places/{HUGE}", 404),
        (f"/?day={HUGE}", 400),
        (f"/embed?start={HUGE}", 400),
        (f"/oembed?url=http://localhost/{HUGE}", 404),
        (f"/oembed?url=http://elsewhere/{HUGE}", 404),
    ],
)
def test_errors_echo_only_a_short_prefix(client: FlaskClient, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert len(response.data) < 2000
    assert "9" * 100 not in response.get_data(as_text=True)
