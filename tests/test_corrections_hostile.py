"""Issue 20 items 1, 2 and 12: hostile corrections files and edit requests, and a save that
keeps the teacher's own comments and order (issue 17).

Every hostile file is made here. The claim the property tests check: no input makes a
write succeed that a later read refuses, and a refused write changes nothing on disk.
"""

from __future__ import annotations

import json
import resource
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storymap.corrections import load_corrections, save_corrections
from storymap.corrections.fileio import BACKUP_BYTES, BACKUP_DIR, read_corrections
from storymap.corrections.model import Corrections, EventFix, NameFix, PlaceFix
from storymap.corrections.session import EditSession
from storymap.errors import CorrectionsError
from storymap.web import create_app
from storymap.web.edit import register_edit

KNOWN = frozenset({"parliament", "bem-statue"})
NOTES = Path(__file__).parent / "data" / "corrections" / "class-notes.txt"
TOKEN = "t0k3n"

#: The 447-byte kind: each level refers nine times to the one before.
BOMB = "\n".join(
    ["version: 1", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    + ["events:", "  - {id: e1, hide: *i}"]) + "\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "corrections.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> str:
    with pytest.raises(CorrectionsError) as info:
        load_corrections(path, known_places=KNOWN)
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path))
    return message


# -- 1. alias bombs and other documents that grow while read ----------------------------
def test_an_alias_bomb_is_refused_while_parsing_without_growing(tmp_path: Path) -> None:
    assert len(BOMB) < 600
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    message = refused(write(tmp_path, BOMB))
    assert "alias" in message and "line" in message
    assert len(message) < 300  # the expanded value is never formatted
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 50_000


@pytest.mark.parametrize("text", [
    "version: 1\nevents:\n  - &e {id: e1, hide: true}\n  - *e\n",
    "version: 1\nx: &x [*x]\n",  # an alias of itself
    "version: 1\nevents: " + "[" * 200 + "]" * 200 + "\n",
    "version: 1\nevents:\n" + "".join("  " * i + "- \n" for i in range(1, 60)),
])
def test_aliases_and_deep_nesting_get_one_line(tmp_path: Path, text: str) -> None:
    refused(write(tmp_path, text))


@pytest.mark.parametrize(("entry", "words"), [
    ("{id: e1, title: '" + "t" * 10_000 + "'}", "more than the 300"),
    ("{doc: d, quote: '" + "q" * 3000 + "', hide: true}", "more than the 2,000"),
    ('{id: e1, title: "bell \\x07 here"}', "control character U+0007"),
    ('{id: e1, title: "next \\x85 line"}', "control character U+0085"),
    ("{id: e1, date: '0000'}", "no year 0"),
    ("{id: e1, date: '0000-10-23'}", "no year 0"),
    ("{id: '" + "x" * 5000 + "', hide: [" + ", ".join(["y" * 50] * 50) + "]}", "more than"),
    ("{id: e1, hide: [" + ", ".join(["y" * 500] * 200) + "]}", "hide must be true or false"),
])
def test_oversized_and_unsaveable_values_are_refused_quoting_40_characters(
        tmp_path: Path, entry: str, words: str) -> None:
    message = refused(write(tmp_path, f"version: 1\nevents:\n  - {entry}\n"))
    assert words in message
    assert max((len(w) for w in message.split()), default=0) <= 200
    assert "t" * 41 not in message and "y" * 41 not in message and "x" * 41 not in message


# -- 2. the editor's writes ---------------------------------------------------------------
@pytest.fixture()
def session(tmp_path: Path) -> EditSession:
    shutil.copy(NOTES, tmp_path / NOTES.name)
    return EditSession.from_paths([tmp_path / NOTES.name])


@pytest.fixture()
def client(session: EditSession) -> Any:
    app = create_app(session.story, testing=True)
    register_edit(app, session, token=TOKEN)
    return app.test_client()


def post(client: Any, data: Any, path: str = "/api/corrections", **headers: str) -> Any:
    return client.post(path, data=json.dumps(data) if not isinstance(data, str) else data,
                       headers={"X-Storymap-Token": TOKEN, "Content-Type": "application/json",
                                **headers})


def an_event(session: EditSession) -> str:
    return session.story.events[0].id


@pytest.mark.parametrize("field", [
    {"title": "\ud800"}, {"title": "a\x00b"}, {"title": "t" * 301}, {"date": "0000"},
    {"note": "n" * 2001}, {"title": "\x1b[31mred"},
])
def test_an_entry_nothing_could_read_back_is_400_and_changes_nothing(
        client: Any, session: EditSession, field: dict[str, str]) -> None:
    path = session.path
    before = path.read_bytes() if path.exists() else None
    r = post(client, '{"events": [' + json.dumps({"id": an_event(session), **field}) + "]}")
    assert r.status_code == 400, r.get_json()
    error = r.get_json()["error"]
    assert "\n" not in error and len(error) < 400
    assert (path.read_bytes() if path.exists() else None) == before
    good = post(client, {"events": [{"id": an_event(session), "hide": True}]})
    assert good.status_code == 200, good.get_json()  # later writes still work
    load_corrections(path)


def test_a_surrogate_in_a_body_names_the_field(client: Any, session: EditSession) -> None:
    body = '{"events": [{"id": "' + an_event(session) + '", "title": "ok \\ud800"}]}'
    error = post(client, body).get_json()["error"]
    assert error.startswith("request: $.events[0].title: a lone surrogate U+D800")


@pytest.mark.parametrize(("path", "body", "status"), [
    ("/api/corrections/remove", {"section": "__class__", "index": 0}, 400),
    ("/api/corrections/remove", {"section": "names", "index": True}, 400),
    ("/api/corrections/remove", {"section": "names", "index": 0, "x": 1}, 400),
    ("/api/corrections", {"events": [{"id": "e1", "hide": True}], "evil": 1}, 400),
    ("/api/corrections", {"events": [{"id": "e1", "hide": True}], "version": 2}, 400),
    ("/api/corrections/undo", {"x": 1}, 400),
])
def test_odd_bodies_are_400_not_500(client: Any, path: str, body: Any, status: int) -> None:
    r = post(client, body, path=path)
    assert r.status_code == status, r.get_json()
    assert "\n" not in r.get_json()["error"]


def test_undo_refuses_a_cross_site_form_post(client: Any, session: EditSession) -> None:
    assert post(client, {"events": [{"id": an_event(session), "hide": True}]}).status_code == 200
    form = client.post(f"/api/corrections/undo?token={TOKEN}", data="x=1",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 400
    other = post(client, {}, path="/api/corrections/undo", Origin="https://evil.example")
    assert other.status_code == 403 and "another site" in other.get_json()["error"]
    assert len(session.corrections) == 1
    same = post(client, {}, path="/api/corrections/undo", Origin="http://localhost")
    assert same.status_code == 200 and len(session.corrections) == 0


def test_a_write_that_fails_on_disk_changes_neither_file_nor_story(
        client: Any, session: EditSession, monkeypatch: pytest.MonkeyPatch) -> None:
    assert post(client, {"events": [{"id": an_event(session), "hide": True}]}).status_code == 200
    before, served = session.path.read_bytes(), client.get("/api/story").data
    import storymap.textio as textio

    def full_disk(path: Path, content: Any) -> None:
        raise textio.OutputError(f"{path}: cannot write it (No space left on device)")

    monkeypatch.setattr(textio, "write_atomic", full_disk)
    r = post(client, {"events": [{"id": session.story.events[1].id, "hide": True}]})
    assert r.status_code in (400, 500) and r.status_code != 200
    assert session.path.read_bytes() == before
    assert client.get("/api/story").data == served
    assert len(session.corrections) == 1


# -- issue 17: the teacher's comments and order survive a save ---------------------------
HAND = """\
# Fixes for period 3 — Ms Varga. KEEP THIS NOTE.
version: 1

places:            # where the map was wrong
  - id: prater-utca   # checked on the 1956 map
    name: Práter utca
    kind: street
    lat: 47.4868
    lon: 19.0735

names:
  - {name: Molotov, person: true}   # a minister, not a place

events:
  # the hides first
  - {id: e1, hide: true}   # a duplicate
  - id: e2
    hide: true
"""


def test_a_save_keeps_comments_order_and_layout(tmp_path: Path) -> None:
    path = write(tmp_path, HAND)
    first = read_corrections(path, known_places=KNOWN)
    c = first.corrections.added(EventFix(id="e3", title="Tanks: 'many'", at="2026-01-01T00:00"))
    c = c.without("events", 0)
    c = c.added(NameFix(name="Kossuth", doc="notes", place="parliament", at="2026-01-01T00:01"))
    after = save_corrections(c, path, previous=first, known_places=KNOWN)
    text = path.read_text(encoding="utf-8")
    for kept in ("# Fixes for period 3 — Ms Varga. KEEP THIS NOTE.", "# where the map was wrong",
                 "# checked on the 1956 map", "# a minister, not a place", "# the hides first",
                 "  - id: e2\n    hide: true\n"):
        assert kept in text
    assert "# a duplicate" not in text and "{id: e1," not in text  # its line went with it
    assert text.index("places:") < text.index("names:") < text.index("events:")
    assert load_corrections(path, known_places=KNOWN) == c == after.corrections
    # a dragged pin replaces its place entry; the document's other lines stay
    moved = c.added(PlaceFix(id="prater-utca", name="Práter utca", kind="street", lat=47.49,
                             lon=19.08, at="2026-01-01T00:02"))
    save_corrections(moved, path, previous=after, known_places=KNOWN)
    text = path.read_text(encoding="utf-8")
    assert "# where the map was wrong" in text and "lat: 47.49" in text
    assert load_corrections(path, known_places=KNOWN) == moved


def test_an_empty_section_and_a_missing_one_take_entries(tmp_path: Path) -> None:
    path = write(tmp_path, "# mine\nversion: 1\nnames: []   # none yet\nevents:\n")
    first = read_corrections(path, known_places=KNOWN)
    c = first.corrections.added(NameFix(name="Nagy", person=True, at="t1"))
    c = c.added(EventFix(id="e1", hide=True, at="t2"))
    c = c.added(PlaceFix(id="x-y", name="X", kind="street", lat=1, lon=2, at="t3"))
    save_corrections(c, path, previous=first, known_places=KNOWN)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# mine\nversion: 1\nnames:\n  - {name: Nagy")
    assert load_corrections(path, known_places=KNOWN) == c


def test_a_flow_style_file_is_written_whole_and_still_reads_back(tmp_path: Path) -> None:
    path = write(tmp_path, '{"version": 1, "events": [{"id": "e1", "hide": true}]}\n')
    first = read_corrections(path, known_places=KNOWN)
    c = first.corrections.added(EventFix(id="e2", hide=True, at="t"))
    save_corrections(c, path, previous=first, known_places=KNOWN)
    assert load_corrections(path, known_places=KNOWN) == c


def test_backups_are_capped_in_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import storymap.corrections.fileio as fileio

    monkeypatch.setattr(fileio, "BACKUP_BYTES", 3_000)
    path = write(tmp_path, "version: 1\nevents: []\n")
    current = read_corrections(path, known_places=KNOWN)
    for i in range(30):
        fix = EventFix(id=f"e{i}", title="x" * 200, at=f"t{i:03}")
        current = save_corrections(current.corrections.added(fix), path, previous=current,
                                   known_places=KNOWN)
    kept = list((tmp_path / BACKUP_DIR).iterdir())
    assert 1 <= len(kept) < 30
    assert sum(p.stat().st_size for p in kept) <= 3_000 + max(p.stat().st_size for p in kept)
    assert BACKUP_BYTES >= 1_000_000


# -- property: nothing saved that a read refuses -----------------------------------------
TEXTS = st.one_of(st.text(max_size=40), st.sampled_from(
    ["\ud800", "\x00", "\x85", "0000", "1956-02-30", "1956-10-23", "10:30", "morning", "'",
     '"', "#", ": ", "- ", "&a", "*a", "{", "[", "\n", "\t", "null", "~", "true", "e1",
     "t" * 301, "q" * 2001, " ", "\\", "%", "!", "|", ">", "@", "`"]))
VALUES = st.one_of(TEXTS, st.booleans(), st.none(), st.integers(-10**6, 10**6),
                   st.floats(allow_nan=False), st.lists(TEXTS, max_size=3))
KEYS = st.sampled_from(["id", "doc", "quote", "hide", "date", "end_date", "time", "places",
                        "title", "note", "at", "name", "person", "place", "not_a_place",
                        "kind", "lat", "lon", "aliases", "names", "bogus"])
ENTRIES = st.dictionaries(KEYS, VALUES, max_size=6)
BODIES = st.one_of(
    st.builds(lambda s, e: {s: [e]}, st.sampled_from(["events", "names", "places"]), ENTRIES),
    st.dictionaries(st.sampled_from(["events", "names", "version", "x"]),
                    st.one_of(VALUES, st.lists(ENTRIES, max_size=2)), max_size=3),
    VALUES)


@settings(max_examples=150, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(BODIES, min_size=1, max_size=4))
def test_no_body_makes_a_write_succeed_that_a_read_refuses(tmp_path: Path,
                                                           bodies: list[Any]) -> None:
    path = tmp_path / "corrections.yaml"
    path.write_text("# hand note\nversion: 1\nevents:\n  - {id: keep, hide: true}  # mine\n",
                    encoding="utf-8")
    session = EditSession([], path=path)
    for body in bodies:
        before = path.read_bytes()
        try:
            session.add(json.loads(json.dumps(body)))
        except CorrectionsError as exc:
            assert "\n" not in str(exc)
            assert path.read_bytes() == before
            continue
        assert load_corrections(path, known_places=session.known) == session.corrections
        assert "# hand note" in path.read_text(encoding="utf-8")


YAML_PIECES = st.sampled_from([
    "version: 1\n", "events:\n", "names: []\n", "places:\n", "  - {id: e1, hide: true}\n",
    "  - id: e2\n    hide: true\n", "  # note\n", "# top\n", "\n", "  - {name: N, person: true}\n",
    "  - {id: p-1, name: P, kind: street, lat: 1, lon: 2}\n", "events: []\n", "events: [",
    "{id: e3, title: x}", ", ", "]\n", "  - &a {id: e4, hide: true}\n", "  - *a\n", "x: 1\n",
    '  - {id: e5, title: "\\x01"}\n', "\t", "  - {id: e6, date: '0000'}\n", "---\n", "...\n",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(YAML_PIECES, max_size=12).map("".join),
       st.sampled_from(["events", "names", "places"]), st.integers(0, 3))
def test_any_file_that_reads_saves_and_reads_back_the_same(tmp_path: Path, text: str,
                                                           section: str, index: int) -> None:
    path = write(tmp_path, text)
    try:
        first = read_corrections(path, known_places=KNOWN)
    except CorrectionsError as exc:
        assert "\n" not in str(exc)
        return
    c: Corrections = first.corrections
    if index < len(getattr(c, section)):
        c = c.without(section, index)
    c = c.added(EventFix(id="new", title="A: 'b' # c", at="t"))
    save_corrections(c, path, previous=first, known_places=KNOWN)
    assert load_corrections(path, known_places=KNOWN) == c
    for line in text.splitlines():
        if line.startswith("# top"):
            assert "# top" in path.read_text(encoding="utf-8")


def test_a_new_section_goes_before_the_document_end_marker(tmp_path: Path) -> None:
    # found by the property above: the section was appended after "...", outside the
    # document, so the save fell back to writing the file whole and lost the comment
    path = write(tmp_path, "version: 1\n# top\n...\n")
    first = read_corrections(path, known_places=KNOWN)
    c = first.corrections.added(EventFix(id="new", title="x", at="t"))
    save_corrections(c, path, previous=first, known_places=KNOWN)
    assert path.read_text(encoding="utf-8") == (
        "version: 1\n# top\nevents:\n  - {id: new, title: x, at: t}\n...\n")
