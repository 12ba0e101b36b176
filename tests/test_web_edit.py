"""Edit mode over HTTP: the token, 403 without it, 409 for a stale write, read-only elsewhere."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from storymap.corrections import load_corrections
from storymap.corrections.session import EditSession
from storymap.model import Story
from storymap.web import create_app
from storymap.web.edit import register_edit

NOTES = Path(__file__).parent / "data" / "corrections" / "class-notes.txt"
TOKEN = "t0k3n-for-tests"


@pytest.fixture()
def session(tmp_path: Path) -> EditSession:
    shutil.copy(NOTES, tmp_path / NOTES.name)
    return EditSession.from_paths([tmp_path / NOTES.name])


@pytest.fixture()
def edit_client(session: EditSession):  # type: ignore[no-untyped-def]
    app = create_app(session.story, testing=True)
    register_edit(app, session, token=TOKEN)
    return app.test_client()


def story_of(client: Any) -> tuple[Story, str]:
    r = client.get("/api/story")
    return Story.from_dict(r.get_json()), r.headers["ETag"]


def event_id(story: Story, words: str) -> str:
    return next(e.id for e in story.events if words in e.quote)


def post(client: Any, data: Any, *, token: str | None = TOKEN, etag: str | None = None,
         path: str = "/api/corrections", query: bool = False) -> Any:
    headers = {}
    if token and not query:
        headers["X-Storymap-Token"] = token
    if etag:
        headers["If-Match"] = etag
    url = f"{path}?token={token}" if query and token else path
    return client.post(url, json=data, headers=headers)


def test_a_write_with_the_token_changes_the_story_and_the_file(edit_client: Any,
                                                               session: EditSession) -> None:
    story, etag = story_of(edit_client)
    eid = event_id(story, "Later that evening")
    r = post(edit_client, {"events": [{"id": eid, "date": "1956-10-22"}]}, etag=etag)
    assert r.status_code == 200, r.get_json()
    new_story, new_etag = story_of(edit_client)
    assert r.get_json()["etag"] == new_etag.strip('"') and r.headers["ETag"] == new_etag
    assert new_etag != etag
    assert next(e for e in new_story.events if e.id == eid).date == "1956-10-22"
    saved = load_corrections(session.path)
    assert saved.events[0].id == eid and saved.events[0].at
    # the token in the query works too
    r = post(edit_client, {"events": [{"id": eid, "time": "evening"}]}, query=True)
    assert r.status_code == 200


@pytest.mark.parametrize("token", [None, "", "wrong"])
def test_no_token_is_403_and_nothing_changes(edit_client: Any, session: EditSession,
                                            token: str | None) -> None:
    story, etag = story_of(edit_client)
    eid = event_id(story, "Later that evening")
    for path, data in [("/api/corrections", {"events": [{"id": eid, "hide": True}]}),
                       ("/api/corrections/undo", {}),
                       ("/api/corrections/remove", {"section": "events", "index": 0})]:
        r = post(edit_client, data, token=token, path=path)
        assert r.status_code == 403 and "token" in r.get_json()["error"]
        r = post(edit_client, data, token=token, path=path, query=True)
        assert r.status_code == 403
    for path in ("/api/corrections", "/api/review", "/api/candidates?name=Szolnok"):
        assert edit_client.get(path).status_code == 403
    assert story_of(edit_client)[1] == etag
    assert not session.path.exists()


def test_a_stale_write_is_409_and_changes_nothing(edit_client: Any,
                                                  session: EditSession) -> None:
    story, etag = story_of(edit_client)
    eid = event_id(story, "Later that evening")
    assert post(edit_client, {"events": [{"id": eid, "time": "night"}]}, etag=etag).status_code \
        == 200
    _, current = story_of(edit_client)
    r = post(edit_client, {"events": [{"id": eid, "hide": True}]}, etag=etag)  # the other tab
    assert r.status_code == 409 and r.get_json()["etag"] == current.strip('"')
    assert story_of(edit_client)[1] == current
    assert len(load_corrections(session.path).events) == 1
    # the gzip ETag of /api/story and a weak form name the same story
    gz = edit_client.get("/api/story", headers={"Accept-Encoding": "gzip"}).headers["ETag"]
    r = post(edit_client, {"events": [{"id": eid, "title": "Evening"}]}, etag=f"W/{gz}")
    assert r.status_code == 200


def test_bad_entries_are_400_with_one_line(edit_client: Any, session: EditSession) -> None:
    for data in ({"events": [{"id": "e1", "hidden": True}]},
                 {"names": [{"name": "Corvin", "place": "atlantis"}]},
                 {"events": [{"id": "e1", "date": "1956-13-01"}]},
                 {"events": [{"id": "e1", "hide": True}], "names": []},
                 [1, 2]):
        r = post(edit_client, data)
        assert r.status_code == 400, data
        assert "\n" not in r.get_json()["error"]
    r = edit_client.post("/api/corrections", data="not json",
                         headers={"X-Storymap-Token": TOKEN, "Content-Type": "text/plain"})
    assert r.status_code == 400
    for raw, said in (("[" * 100_000 + "]" * 100_000, "nested too deeply"),
                      ('{"events": [{"id": "e1", "date": ' + "9" * 5000 + "}]}",
                       "a number too long"),
                      ('{"events": [{"id": "e1", "hide": true}', "not valid JSON"),
                      ('{"places": [{"lat": NaN}]}', "not valid JSON")):
        r = edit_client.post("/api/corrections", data=raw, headers={
            "X-Storymap-Token": TOKEN, "Content-Type": "application/json"})
        assert r.status_code == 400 and said in r.get_json()["error"], raw[:40]
        assert "\n" not in r.get_json()["error"]
    assert not session.path.exists()


def test_undo_history_remove_and_review(edit_client: Any) -> None:
    story, _ = story_of(edit_client)
    eid = event_id(story, "Later that evening")
    post(edit_client, {"names": [{"doc": "class-notes", "name": "Szolnok", "person": True}]})
    post(edit_client, {"events": [{"id": eid, "hide": True}]})
    post(edit_client, {"events": [{"id": "e-gone", "hide": True}]})
    data = edit_client.get("/api/corrections", headers={"X-Storymap-Token": TOKEN}).get_json()
    assert [h["section"] for h in data["history"]] == ["names", "events", "events"]
    assert data["history"][0]["at"] < data["history"][1]["at"]
    assert len(data["unmatched"]) == 1 and "e-gone" in data["unmatched"][0]
    review = edit_client.get(f"/api/review?token={TOKEN}").get_json()["items"]
    assert review[0]["kind"] == "unmatched" and review[0]["remove"] == ["events", 1]
    r = post(edit_client, {"section": "events", "index": 1}, path="/api/corrections/remove")
    assert r.status_code == 200 and r.get_json()["unmatched"] == []
    assert all(e.id != eid for e in story_of(edit_client)[0].events)
    assert post(edit_client, {}, path="/api/corrections/undo").status_code == 200
    assert any(e.id == eid for e in story_of(edit_client)[0].events)


def test_a_runner_up_from_geonames_is_copied_into_the_file(edit_client: Any,
                                                           session: EditSession) -> None:
    choices = edit_client.get(f"/api/candidates?name=Szolnok&token={TOKEN}").get_json()["choices"]
    geo = [c for c in choices if c["id"].startswith("geonames:")]
    if not geo:
        pytest.skip("no GeoNames index here")
    assert {"country", "distance_km", "lat", "lon"} <= set(geo[0])
    r = post(edit_client, {"names": [{"doc": "class-notes", "name": "Szolnok",
                                      "place": geo[0]["id"]}]})
    assert r.status_code == 200, r.get_json()
    saved = load_corrections(session.path)
    assert saved.places[0].id == geo[0]["id"] and saved.names[0].place == geo[0]["id"]
    assert geo[0]["id"] in {p.id for p in story_of(edit_client)[0].places}


def test_the_edit_page_loads_the_editor_and_the_embed_does_not(edit_client: Any) -> None:
    page = edit_client.get("/").get_data(as_text=True)
    assert "edit/edit.js" in page
    assert page.index("edit/edit.js") < page.index("app/bundle.js")
    assert "edit/edit.js" not in edit_client.get("/embed").get_data(as_text=True)


def test_the_editor_offers_the_models_place_kinds(edit_client: Any) -> None:
    """One vocabulary: the kinds the corrections file accepts are the ones the page offers."""
    import json
    import re

    from storymap.corrections.parse import PLACE_KINDS as ACCEPTED
    from storymap.model.kinds import PLACE_KINDS

    page = edit_client.get("/").get_data(as_text=True)
    sent = re.search(r'<script type="application/json" id="sm-place-kinds">(.*?)</script>', page)
    assert sent is not None and json.loads(sent.group(1)) == list(PLACE_KINDS)
    assert ACCEPTED is PLACE_KINDS
    script = (Path(__file__).resolve().parents[1] / "static" / "edit" / "edit.js").read_text()
    assert '"building", "street"' not in script  # no second list in the script


def test_the_normal_app_is_read_only(client: Any) -> None:
    assert "edit.js" not in client.get("/").get_data(as_text=True)
    for path in ("/api/corrections", "/api/corrections/undo", "/api/corrections/remove"):
        r = client.post(path, json={"events": [{"id": "e1", "hide": True}]},
                        headers={"X-Storymap-Token": TOKEN})
        assert r.status_code in (404, 405)
    assert client.get(f"/api/review?token={TOKEN}").status_code == 404


def test_serve_edit_binds_localhost_and_prints_a_token(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    from click.testing import CliRunner

    from storymap.cli import main

    shutil.copy(NOTES, tmp_path / NOTES.name)
    seen: dict[str, Any] = {}

    class Server:
        def maintenance(self, now: float) -> None:
            pass

        def run(self) -> None:
            seen["ran"] = True

    def create_server(app: Any, **options: Any) -> Server:
        seen.update(options)
        return Server()

    monkeypatch.setattr("waitress.create_server", create_server)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(main, ["serve", str(tmp_path / NOTES.name), "--edit",
                                       "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["ran"]
    assert f"http://127.0.0.1:{port}/?token=" in result.stdout
    assert str(tmp_path / "corrections.yaml") in result.stdout


def test_a_hand_edit_while_serving_is_kept(edit_client: Any, session: EditSession) -> None:
    story, _ = story_of(edit_client)
    eid = event_id(story, "Later that evening")
    assert post(edit_client, {"events": [{"id": eid, "time": "night"}]}).status_code == 200
    text = session.path.read_text(encoding="utf-8")
    session.path.write_text(text + "  - {doc: class-notes, quote: Soviet tanks, hide: true}\n",
                            encoding="utf-8")
    assert post(edit_client, {"events": [{"id": eid, "title": "Evening"}]}).status_code == 200
    saved = load_corrections(session.path)
    assert len(saved.events) == 3 and saved.events[1].quote == "Soviet tanks"
    assert not [e for e in story_of(edit_client)[0].events if "Soviet tanks" in e.quote]
    session.path.write_text(text + "  - {id: x, hidden: true}\n", encoding="utf-8")
    r = post(edit_client, {"events": [{"id": eid, "title": "Late"}]})
    assert r.status_code == 400 and "unknown key 'hidden'" in r.get_json()["error"]
    assert "hidden" in session.path.read_text(encoding="utf-8")  # not written over


def test_serve_edit_needs_texts(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from storymap.cli import main

    story = tmp_path / "story.json"
    story.write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", str(story), "--edit"])
    assert result.exit_code == 1
    assert "reads the texts, not a story JSON" in result.stderr
    assert "Traceback" not in result.output


def test_two_tabs_at_once_one_wins_the_other_gets_409(edit_client: Any) -> None:
    import threading

    story, etag = story_of(edit_client)
    eid = event_id(story, "Later that evening")
    answers: list[int] = []

    def tab(title: str) -> None:
        answers.append(post(edit_client, {"events": [{"id": eid, "title": title}]},
                            etag=etag).status_code)

    tabs = [threading.Thread(target=tab, args=(f"Tab {i}",)) for i in range(4)]
    for t in tabs:
        t.start()
    for t in tabs:
        t.join()
    assert sorted(answers) == [200, 409, 409, 409]


def test_story_dict_is_to_dict(story: Story, session: EditSession) -> None:
    from storymap.outputs.jsonhtml import json_bytes
    from storymap.web.edit import StoryDict

    convert = StoryDict()
    for _ in range(2):
        for s in (story, session.story):
            assert json_bytes(convert(s)) == json_bytes(s.to_dict())
    eid = event_id(session.story, "Later that evening")
    for entry in ({"events": [{"id": eid, "date": "1956-10-22"}]},
                  {"names": [{"doc": "class-notes", "name": "Szolnok", "person": True}]}):
        changed = session.add(entry)
        assert json_bytes(convert(changed)) == json_bytes(changed.to_dict())
