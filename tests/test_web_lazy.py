"""A large story served (issue 19.5): the page carries dates and places, the API the words,
and the standalone file refuses what it cannot carry, saying to serve it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from storymap.cli import main
from storymap.model import Story
from storymap.outputs import render
from storymap.outputs.pagedata import LAZY_EVENTS
from storymap.web import create_app
from tests.helpers import generated_story


@pytest.fixture(scope="module")
def large() -> Story:
    return generated_story(LAZY_EVENTS + 500)


def _data(html: str, name: str) -> dict:  # type: ignore[type-arg]
    match = re.search(rf'<script type="application/json" id="{name}">(.*?)</script>', html, re.S)
    assert match is not None
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def test_a_large_storys_page_carries_dates_and_places_only(large: Story) -> None:
    client = create_app(large, testing=True).test_client()
    html = client.get("/?day=1914-06-28").get_data(as_text=True)
    data, config = _data(html, "story-data"), _data(html, "storymap-config")
    assert data["lazy"] is True and config["details_url"] == "/api/"
    assert len(data["events"]) == len(large.events)
    row = data["events"][0]
    assert {"title", "quote", "sources", "people"}.isdisjoint(row)
    assert row["places"] == [r.place_id for r in large.events[0].places]
    assert "sources" not in data["compact"]
    # Every day of the main phase keeps its order (Python's): the page sorts nothing.
    assert data["day_order"]
    assert len(html) < 0.5 * len(large.to_json())


def test_a_small_storys_page_carries_its_words(story: Story) -> None:
    html = create_app(story, testing=True).test_client().get("/").get_data(as_text=True)
    assert _data(html, "story-data")["lazy"] is False
    assert _data(html, "storymap-config")["details_url"] is None


def test_the_api_gives_a_days_words_and_any_events_by_id(large: Story) -> None:
    client = create_app(large, testing=True).test_client()
    day = large.events[100].date
    body = client.get(f"/api/days/{day}").get_json()
    ids = {e["id"] for e in body["events"]}
    assert {e.id for e in large.events_on(day)} == ids
    first = body["events"][0]
    assert first["title"] and first["quote"] and first["sources"][0]["doc"]
    wanted = [large.events[5].id, large.events[-1].id, "no-such-event"]
    got = client.get("/api/events", query_string={"ids": ",".join(wanted)}).get_json()
    assert [e["id"] for e in got["events"]] == wanted[:2]
    assert got["events"][1]["quote"] == large.events[-1].quote


@pytest.mark.parametrize("ids", ["", ",".join(f"e{i}" for i in range(201))])
def test_events_by_id_are_asked_for_one_to_two_hundred_at_a_time(story: Story, ids: str) -> None:
    response = create_app(story, testing=True).test_client().get(f"/api/events?ids={ids}")
    assert response.status_code == 400
    assert "ids: expected 1 to 200 event ids" in response.get_json()["error"]


def test_the_file_carries_ten_thousand_events() -> None:
    from storymap.formats.html import export_html

    html = export_html(generated_story(10_000))
    assert len(html.encode()) < render.MAX_FILE_BYTES
    assert '"lazy":false' in html  # the file has no server to ask: it carries every word


def test_the_file_refuses_what_it_cannot_carry_and_says_to_serve_it(
        large: Story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storymap.formats.html import export_html

    monkeypatch.setattr(render, "MAX_FILE_BYTES", 1_000_000)  # the 2,500-event story: ~1.3 MB
    with pytest.raises(render.FileTooLarge, match=r"2,500 events make an offline file of "
                                                  r"about 1\.\d MB.*storymap serve"):
        export_html(large)
    story_file = tmp_path / "large.json"
    story_file.write_text(large.to_json(), encoding="utf-8")
    out = tmp_path / "large.html"
    result = CliRunner().invoke(main, ["export", str(story_file), "-f", "html", "-o", str(out)])
    assert result.exit_code == 1
    assert "more than one file carries well" in result.output and "storymap serve" in result.output
    assert "Traceback" not in result.output and not out.exists()
