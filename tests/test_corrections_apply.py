"""Applying corrections: each kind, the round trip through `storymap build`, texts that change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from storymap.cli import main
from storymap.corpus import ReadOptions
from storymap.corrections.apply import Applier
from storymap.corrections.parse import parse_document
from storymap.corrections.session import EditSession, build_corrected
from storymap.geo.gazetteer import load_gazetteer
from storymap.model import Event, Story
from storymap.pipeline import analyse, combine, read_texts

DATA = Path(__file__).parent / "data" / "corrections"
NOTES = DATA / "class-notes.txt"
OTHER = DATA / "other-notes.txt"


@pytest.fixture(scope="module")
def analyses():  # type: ignore[no-untyped-def]
    gaz = load_gazetteer()
    return [analyse(t, gazetteer=gaz) for t in read_texts([NOTES, OTHER])]


def corrected(analyses, text: str) -> tuple[Story, list[str]]:  # type: ignore[no-untyped-def]
    import yaml

    fixes = parse_document(yaml.load(text, Loader=yaml.BaseLoader), file="c.yaml",
                           known_places=frozenset(load_gazetteer().entries))
    applier = Applier(fixes)
    return combine(analyses, applier), applier.report()


def event_with(story: Story, words: str) -> Event:
    found = [e for e in story.events if words in e.quote]
    assert len(found) == 1, [e.quote for e in story.events]
    return found[0]


def places_of(event: Event) -> list[str]:
    return [r.place_id for r in event.places]


def test_without_corrections_the_reader_decides(analyses) -> None:  # type: ignore[no-untyped-def]
    story = combine(analyses)
    assert places_of(event_with(story, "fighting broke out")) == ["corvin-koz", "kilian-barracks"]
    story2, report = corrected(analyses, "version: 1\n")
    assert story2 == story and report == []


def test_not_a_place_in_one_document(analyses) -> None:  # type: ignore[no-untyped-def]
    story, report = corrected(analyses, "names:\n"
                              "  - {doc: class-notes, name: Kilián barracks, not_a_place: true}\n")
    assert report == []
    assert places_of(event_with(story, "fighting broke out")) == ["corvin-koz"]
    assert not [m for m in story.mentions if m.doc == "class-notes" and "Kilián" in m.text]
    # the other document still reads it as a place
    assert "kilian-barracks" in places_of(event_with(story, "On 25 October"))


def test_not_a_place_everywhere(analyses) -> None:  # type: ignore[no-untyped-def]
    story, _ = corrected(analyses, "names:\n  - {name: kilian BARRACKS, not_a_place: true}\n")
    assert all(r.place_id != "kilian-barracks" for e in story.events for r in e.places)
    assert all(p.id != "kilian-barracks" for p in story.places)


def test_a_person(analyses) -> None:  # type: ignore[no-untyped-def]
    story, _ = corrected(analyses, "names:\n  - {doc: class-notes, name: Szolnok, person: true}\n")
    event = event_with(story, "Soviet tanks")
    assert places_of(event) == ["budapest"] and "Szolnok" in event.people


def test_a_name_the_reader_missed_becomes_a_place(analyses) -> None:  # type: ignore[no-untyped-def]
    story, report = corrected(analyses, "names:\n"
                              "  - {doc: class-notes, name: Corvin, place: corvin-koz}\n")
    assert report == []
    assert "corvin-koz" in places_of(event_with(story, "Rebels held"))
    assert [m.text for m in story.mentions if m.text == "Corvin"] == ["Corvin"]


def test_a_place_of_the_file_and_a_moved_place(analyses) -> None:  # type: ignore[no-untyped-def]
    story, _ = corrected(analyses, """\
places:
  - {id: my-street, name: My Street, kind: street, lat: 47.49, lon: 19.07}
  - {id: szolnok, name: Szolnok, kind: town, lat: 47.0, lon: 20.0}
names:
  - {doc: class-notes, name: Práter utca, place: my-street}
""")
    assert places_of(event_with(story, "Rebels held")) == ["my-street"]
    assert story.place("my-street").source == "storymap corrections"
    assert (story.place("szolnok").lat, story.place("szolnok").lon) == (47.0, 20.0)


def test_event_entries_by_id_and_by_quote(analyses) -> None:  # type: ignore[no-untyped-def]
    base = combine(analyses)
    evening = event_with(base, "Later that evening")
    story, report = corrected(analyses, f"""\
events:
  - {{id: {evening.id}, hide: true}}
  - {{doc: class-notes, quote: "fighting  broke out", date: 1956-10-25, end_date: 1956-10-27,
      time: '10:30', title: "Fighting <at> Corvin"}}
  - {{doc: class-notes, quote: Soviet tanks, places: [parliament, budapest]}}
""")
    assert report == []
    assert all(e.id != evening.id for e in story.events)
    fight = event_with(story, "fighting broke out")
    assert (fight.date, fight.end_date, fight.time, fight.title) == (
        "1956-10-25", "1956-10-27", "10:30", "Fighting <at> Corvin")
    assert fight.id == event_with(base, "fighting broke out").id  # ids survive a change
    tanks = event_with(story, "Soviet tanks")
    assert places_of(tanks) == ["parliament", "budapest"]
    assert tanks.places[1].mention == "Budapest"
    assert "parliament" in {p.id for p in story.places}
    assert [e.date for e in story.events] == sorted(e.date for e in story.events)


def test_month_date_and_clearing(analyses) -> None:  # type: ignore[no-untyped-def]
    story, _ = corrected(analyses, "events:\n  - {doc: class-notes, quote: fighting broke, "
                         "date: 1956-10, time: null}\n")
    fight = event_with(story, "fighting broke out")
    assert (fight.date, fight.precision, fight.time) == ("1956-10", "month", None)


def test_unmatched_entries_are_reported_not_dropped(analyses) -> None:  # type: ignore[no-untyped-def]
    story, report = corrected(analyses, """\
names:
  - {name: Gerő, person: true}
  - {doc: nowhere, name: Corvin, not_a_place: true}
events:
  - {id: e0000000000, hide: true}
  - {doc: class-notes, quote: "this sentence was never written", hide: true}
""")
    assert len(report) == 4 and all("no longer matches" in line for line in report)
    assert "names[0] (name 'Gerő')" in report[0] and "no text says 'Gerő'" in report[0]
    assert "no document 'nowhere'" in report[1]
    assert "events[0] (id e0000000000)" in report[2]
    assert "events[1]" in report[3] and report[3].startswith("c.yaml: ")
    assert story == combine(analyses)


def write_notes(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    shutil.copy(NOTES, folder / NOTES.name)
    return folder / NOTES.name


def test_round_trip_build_correct_rebuild(tmp_path: Path) -> None:
    runner = CliRunner()
    text = write_notes(tmp_path / "texts")
    out = tmp_path / "story.json"
    assert runner.invoke(main, ["build", str(text), "-o", str(out)]).exit_code == 0
    first = Story.from_json(out.read_text(encoding="utf-8"))
    evening = event_with(first, "Later that evening")
    (text.parent / "corrections.yaml").write_text(f"""\
version: 1
events:
  - {{id: {evening.id}, date: 1956-10-22}}
  - {{doc: class-notes, quote: "Soviet tanks entered", hide: true}}
""", encoding="utf-8")
    for _ in range(2):  # every rebuild keeps the fix
        result = runner.invoke(main, ["build", str(text), "-o", str(out)])
        assert result.exit_code == 0, result.output
        story = Story.from_json(out.read_text(encoding="utf-8"))
        assert event_with(story, "Later that evening").date == "1956-10-22"
        assert not [e for e in story.events if "Soviet tanks" in e.quote]
    # a corrections file named on the command line instead
    mine = tmp_path / "my-fixes.yaml"
    mine.write_text("events:\n  - {doc: class-notes, quote: Rebels held, hide: true}\n",
                    encoding="utf-8")
    result = runner.invoke(main, ["build", str(text), "--corrections", str(mine), "-o", str(out)])
    story = Story.from_json(out.read_text(encoding="utf-8"))
    assert not [e for e in story.events if "Rebels held" in e.quote]
    assert [e for e in story.events if "Soviet tanks" in e.quote]


def test_text_edited_after_a_correction(tmp_path: Path) -> None:
    text = write_notes(tmp_path / "texts")
    fixes = text.parent / "corrections.yaml"
    fixes.write_text("names:\n  - {doc: class-notes, name: Corvin, place: corvin-koz}\n"
                     "events:\n  - {doc: class-notes, quote: Soviet tanks entered, hide: true}\n",
                     encoding="utf-8")
    text.write_text(text.read_text(encoding="utf-8").replace("Soviet tanks entered", "T-34s "
                    "rolled into").replace("and Corvin.", "and the cinema."), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(text), "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 0, result.output
    lines = [x for x in result.stderr.splitlines() if "no longer matches" in x]
    assert len(lines) == 2
    assert lines[0].startswith(f"storymap: warning: {fixes}: names[0] "
                               "(name 'Corvin' in class-notes)")
    assert "events[0] (doc class-notes, quote 'Soviet tanks entered')" in lines[1]
    assert fixes.read_text(encoding="utf-8").count("Corvin") == 1  # kept in the file
    built = build_corrected([text], corrections=fixes,
                            options=ReadOptions(resolvers=("gazetteer",)))
    assert len(built.unmatched) == 2


@pytest.mark.parametrize(("content", "expected"), [
    ("events:\n  - {id: e1, hidden: true}\n", "events[0] (id 'e1') (line 2): unknown key 'hidden'"),
    ("names:\n  - {name: X, place: atlantis}\n", "unknown place id 'atlantis'"),
    ("events:\n  - {id: e1, date: 1956-10-32}\n",
     "date '1956-10-32' is not a date: October 1956 has 31 days"),
])
def test_bad_corrections_file_is_one_line(tmp_path: Path, content: str, expected: str) -> None:
    text = write_notes(tmp_path / "texts")
    (text.parent / "corrections.yaml").write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(text), "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert str(text.parent / "corrections.yaml") in message and expected in message
    assert not (tmp_path / "s.json").exists()


def test_corrections_with_a_story_json_is_refused(tmp_path: Path) -> None:
    story = tmp_path / "s.json"
    story.write_text(combine([]).to_json(), encoding="utf-8")
    fixes = tmp_path / "c.yaml"
    fixes.write_text("version: 1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(story), "--corrections", str(fixes),
                                       "-o", str(tmp_path / "o.json")])
    assert result.exit_code == 1 and "corrections apply to texts" in result.stderr


def test_review_lists_doubts_and_accepted_items_leave(tmp_path: Path) -> None:
    text = write_notes(tmp_path / "texts")
    session = EditSession.from_paths([text])
    items = session.review()
    assert [i.kind for i in items] == ["inherited", "inherited", "counted"]
    assert "from 'The next morning'" in items[0].message
    # A date counted from another says from which: the sentence it follows.
    assert "'The next morning' read as 1956-10-24 morning, counted from 'Later that evening' " \
        "(1956-10-23)" in items[2].message
    session.add(dict(items[0].accept or {}))
    assert [i.key for i in session.review()] == [items[1].key, items[2].key]
    result = CliRunner().invoke(main, ["review", str(text)])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 2
    assert "inherited" in result.stdout and "counted" in result.stdout


def test_edit_session_rebuilds_only_the_document_a_fix_touches(tmp_path: Path) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    for f in (NOTES, OTHER):
        shutil.copy(f, folder / f.name)
    session = EditSession.from_paths([folder / NOTES.name, folder / OTHER.name])
    session.add({"names": [{"name": "Kilián barracks", "not_a_place": True}]})
    first = list(session.applier.applied)
    assert all(a is not b for a, b in zip(first, session.analyses, strict=True))
    session.add({"names": [{"doc": "class-notes", "name": "Szolnok", "person": True}]})
    second = session.applier.applied
    assert second[1] is first[1]  # other-notes: its entries did not change, not rebuilt
    assert second[0] is not first[0]
    story = session.story
    assert all(r.place_id != "kilian-barracks" for e in story.events for r in e.places)
    assert "Szolnok" in next(e for e in story.events if "Soviet tanks" in e.quote).people


def test_corrections_keep_events_without_places_and_the_order_by_time(tmp_path: Path) -> None:
    """Any corrections file (even an empty one) dropped every event without a place (124 of
    the built-in story's 214) and sorted a day's times alphabetically ("evening" before
    "morning")."""
    text = tmp_path / "day.txt"
    text.write_text("The Hungarian Revolution of 1956.\n\n"
                    "On 23 October 1956 in the morning students met at Bem tér. "
                    "In the evening a crowd gathered at Kossuth tér.\n")
    gaz = load_gazetteer()
    docs = [analyse(t, gazetteer=gaz) for t in read_texts([text])]
    plain = combine(docs)
    assert any(not e.places for e in plain.events)  # the heading's year: no place
    story, report = corrected(docs, "version: 1\n")
    assert story == plain and report == []
    story, _ = corrected(docs, "events:\n  - {doc: day, quote: In the evening, time: '08:00'}\n")
    day = [e.time for e in story.events if e.date == "1956-10-23"]
    assert day == ["08:00", "morning"], day
    assert len(story.events) == len(plain.events)
