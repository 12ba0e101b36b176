"""The corrections file: strict parsing, one-line errors, atomic save with kept versions."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from storymap.corrections import (
    BACKUP_DIR,
    KEEP_VERSIONS,
    Corrections,
    EventFix,
    NameFix,
    PlaceFix,
    dump_corrections,
    find_corrections,
    load_corrections,
    parse_entry,
    save_corrections,
)
from storymap.errors import CorrectionsError, InputError

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "storymap/schema/corrections.schema.json").read_text())
KNOWN = frozenset({"bem-statue", "corvin-koz", "parliament"})

GOOD = """\
version: 1
places:                       # places the gazetteer lacks
  - {id: prater-utca, name: Práter utca, kind: street, lat: 47.4868, lon: 19.0735}
names:
  - {doc: class-notes, name: Práter utca, place: prater-utca}
  - {name: Molotov, person: true}
  - {doc: class-notes, name: Corvin, not_a_place: true}
events:
  - {id: "e123", hide: true}
  - {doc: class-notes, quote: "The next morning", date: 1956-10-24, time: morning}
  - {doc: class-notes, quote: "marched on to Bem tér", places: [bem-statue], time: 10:30}
  - {id: e9, end_date: null, title: "A <b>title</b>"}
"""


def write(tmp_path: Path, text: str, name: str = "corrections.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, text: str) -> Corrections:
    return load_corrections(write(tmp_path, text), known_places=KNOWN)


def test_good_file_loads_into_frozen_entries(tmp_path: Path) -> None:
    c = load(tmp_path, GOOD)
    assert c.places == (PlaceFix(id="prater-utca", name="Práter utca", kind="street",
                                 lat=47.4868, lon=19.0735),)
    assert c.names[0] == NameFix(name="Práter utca", doc="class-notes", place="prater-utca")
    assert c.names[1].person and c.names[1].doc == "" and c.names[1].reading == "person"
    assert c.names[2].not_a_place and c.names[2].reading == "not_a_place"
    assert c.events[0] == EventFix(id="e123", hide=True)
    assert c.events[1].date == "1956-10-24" and c.events[1].time == "morning"
    # YAML 1.1 would read 10:30 as 630: the file means what it says.
    assert c.events[2].time == "10:30" and c.events[2].places == ("bem-statue",)
    assert c.events[3].end_date == "" and c.events[3].title == "A <b>title</b>"
    with pytest.raises(AttributeError):
        c.events[0].hide = False  # type: ignore[misc]


def test_empty_file_and_missing_file(tmp_path: Path) -> None:
    assert len(load(tmp_path, "")) == 0
    assert len(load(tmp_path, "version: 1\nplaces: []\n")) == 0
    assert len(load_corrections(tmp_path / "none.yaml", known_places=KNOWN,
                                missing_ok=True)) == 0
    with pytest.raises(CorrectionsError, match=r"none\.yaml: no such file"):
        load_corrections(tmp_path / "none.yaml", known_places=KNOWN)


@pytest.mark.parametrize(("text", "expected"), [
    ("events:\n  - {id: e1, hidden: true}\n",
     r"events\[0\] \(id 'e1'\) \(line 2\): unknown key 'hidden'; use only"),
    ("names:\n  - {name: Corvin, place: nowhere}\n",
     r"names\[0\] \(name 'Corvin'\) \(line 2\): unknown place id 'nowhere'; use an id from"),
    ("events:\n  - {id: e1, places: [bem-statue, atlantis]}\n",
     r"unknown place id 'atlantis'"),
    ("events:\n  - {id: e1}\n  - {id: e2, date: 1956-13-01}\n",
     r"events\[0\].*no change given"),
    ("events:\n  - {id: e2, date: 1956-13-01}\n",
     r"events\[0\] \(id 'e2'\) \(line 2\): date '1956-13-01' is not a date: there is no "
     r"month 13: months are 01 to 12; write"),
    ("events:\n  - {id: e2, date: 1956-02-30}\n",
     r"date '1956-02-30' is not a date: February 1956 has 29 days"),
    ("events:\n  - {id: e2, date: 24 October 1956}\n", r"expected a date as YYYY-MM-DD"),
    ("events:\n  - {id: e2, date: 1956-10-24, end_date: 1956-10-20}\n", r"is before date"),
    ("events:\n  - {id: e2, time: '25:00'}\n", r"time '25:00' is malformed"),
    ("events:\n  - {doc: a, hide: true}\n", r"no event named; give id:"),
    ("events:\n  - {id: e1, quote: x, hide: true}\n", r"both id and quote"),
    ("events:\n  - {id: e1, hide: yes}\n", r"hide must be true or false"),
    ("names:\n  - {name: X}\n", r"exactly one of place"),
    ("names:\n  - {name: X, person: true, not_a_place: true}\n", r"exactly one of place"),
    ("places:\n  - {id: x, name: X, kind: planet, lat: 1, lon: 2}\n", r"unknown kind 'planet'"),
    ("places:\n  - {id: x, name: X, kind: town, lat: 91, lon: 2}\n", r"lat 91.0 is out of range"),
    ("places:\n  - {id: x, name: X, kind: town, lat: north, lon: 2}\n", r"lat must be a number"),
    ("places:\n  - {id: X Y, name: X, kind: town, lat: 1, lon: 2}\n", r"id 'X Y' is not"),
    ("places:\n  - {id: x, name: X, kind: town, lat: 1, lon: 2}\n"
     "  - {id: x, name: Y, kind: town, lat: 1, lon: 2}\n", r"places\[1\].*appears twice"),
    ("version: 2\n", r"version '2' is not supported"),
    ("fixes: []\n", r"unknown section 'fixes'"),
    ("- a\n- b\n", r"expected a mapping"),
    ("events: {id: e1}\n", r"events must be a list"),
    ("events:\n  - just text\n", r"events\[0\].*expected an entry"),
    ("events:\n  - {id: e1, hide: true\n", r"not valid YAML at line \d+, column \d+"),
])
def test_bad_files_get_one_line_naming_file_and_entry(tmp_path: Path, text: str,
                                                      expected: str) -> None:
    with pytest.raises(CorrectionsError) as info:
        load(tmp_path, text)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(tmp_path / "corrections.yaml") + ":")
    assert re.search(expected, message), message


def test_corrections_error_is_an_input_error() -> None:
    assert issubclass(CorrectionsError, InputError)


def test_place_ids_are_checked_against_the_gazetteer_by_default(tmp_path: Path) -> None:
    load_corrections(write(tmp_path, "names:\n  - {name: Kilian, place: parliament}\n"))
    with pytest.raises(CorrectionsError, match="unknown place id 'atlantis-9'"):
        load_corrections(write(tmp_path, "names:\n  - {name: A, place: atlantis-9}\n"))


def test_dump_round_trips_and_is_one_line_per_entry(tmp_path: Path) -> None:
    c = load(tmp_path, GOOD)
    text = dump_corrections(c)
    assert "  - {id: e123, hide: true}" in text
    assert "time: '10:30'" in text
    again = load(tmp_path, text)
    assert again == c
    # plain YAML tools read it too
    assert yaml.safe_load(text)["names"][1] == {"name": "Molotov", "person": True}


def test_json_form_matches_the_schema(tmp_path: Path) -> None:
    validator = Draft202012Validator(SCHEMA)
    Draft202012Validator.check_schema(SCHEMA)
    validator.validate(load(tmp_path, GOOD).to_dict())
    bad: list[dict[str, Any]] = [
        {"events": [{"id": "e1", "hidden": True}]},
        {"events": [{"id": "e1"}]},
        {"events": [{"id": "e1", "date": "1956-13-01"}]},
        {"names": [{"name": "X", "person": True, "not_a_place": True}]},
        {"places": [{"id": "x", "name": "X", "kind": "planet", "lat": 1, "lon": 2}]},
        {"version": 2},
    ]
    for doc in bad:
        assert list(validator.iter_errors(doc)), doc
        with pytest.raises(CorrectionsError):
            from storymap.corrections.parse import parse_document

            parse_document(doc, file="x.json", known_places=KNOWN)


def test_docs_example_is_valid() -> None:
    text = (ROOT / "docs/corrections.md").read_text(encoding="utf-8")
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    from storymap.corrections.parse import parse_document

    c = parse_document(yaml.load(block, Loader=yaml.BaseLoader), file="docs",
                       known_places=frozenset({"bem-statue"}))
    assert len(c.places) == 1 and len(c.names) == 3 and len(c.events) == 3


def test_save_is_atomic_and_keeps_the_last_versions(tmp_path: Path) -> None:
    path = tmp_path / "corrections.yaml"
    c = Corrections()
    for i in range(KEEP_VERSIONS + 5):
        c = c.added(EventFix(id=f"e{i}", hide=True, at=f"2026-01-01T00:00:{i:02d}Z"))
        save_corrections(c, path)
    assert len(load_corrections(path, known_places=KNOWN).events) == KEEP_VERSIONS + 5
    kept = sorted((tmp_path / BACKUP_DIR).iterdir())
    assert len(kept) == KEEP_VERSIONS
    # the newest backup is the version before the last save
    previous = load_corrections(kept[-1], known_places=KNOWN)
    assert len(previous.events) == KEEP_VERSIONS + 4
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "corrections.yaml"
    save_corrections(Corrections(events=(EventFix(id="e1", hide=True),)), path)
    before = path.read_bytes()

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises((OSError, InputError)):
        save_corrections(Corrections(), path)
    assert path.read_bytes() == before


def test_find_corrections_beside_the_texts(tmp_path: Path) -> None:
    text = write(tmp_path, "text", "a.txt")
    assert find_corrections([text]) is None
    write(tmp_path, "version: 1\n")
    assert find_corrections([text]) == tmp_path / "corrections.yaml"


def test_parse_entry_takes_one_entry_and_stamps_it() -> None:
    current = Corrections(places=(PlaceFix(id="mine", name="Mine", kind="town", lat=1, lon=2),))
    section, entry = parse_entry({"names": [{"name": "Corvin", "place": "mine"}]},
                                 known_places=KNOWN, current=current)
    assert section == "names" and isinstance(entry, NameFix) and entry.place == "mine"
    assert re.match(r"\d{4}-\d\d-\d\dT", entry.at)
    for bad in ({}, {"names": []}, {"names": [{}, {}]}, {"names": [{"name": "x"}],
                                                          "events": [{"id": "e", "hide": True}]},
                [1], {"names": [{"name": "x", "place": "nowhere"}]}):
        with pytest.raises(CorrectionsError):
            parse_entry(bad, known_places=KNOWN, current=current)


def test_history_undo_and_dragged_place_replaces_itself() -> None:
    c = Corrections()
    c = c.added(EventFix(id="e1", hide=True, at="2026-01-01T10:00:00Z"))
    c = c.added(NameFix(name="Corvin", not_a_place=True, at="2026-01-01T10:00:05Z"))
    c = c.added(PlaceFix(id="p", name="P", kind="town", lat=1, lon=2, at="2026-01-01T10:00:09Z"))
    c = c.added(PlaceFix(id="p", name="P", kind="town", lat=3, lon=4, at="2026-01-01T10:00:10Z"))
    assert len(c.places) == 1 and c.places[0].lat == 3
    assert [e.at[-3:] for _, _, e in c.history()] == ["00Z", "05Z", "10Z"]
    c = c.undone()
    assert not c.places and len(c.names) == 1
    assert c.undone().undone().undone() == Corrections()
