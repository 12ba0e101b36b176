"""Issue 20 items 5, 10 and 12: exports bounded in bytes, CSV cells no spreadsheet runs,
lone surrogates in stories, imports and sources.json. The hostile files are made here."""

from __future__ import annotations

import copy
import csv
import io
import json
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storymap.cli import main
from storymap.errors import OutputError, StorymapError
from storymap.formats import between, to_csv, to_mentions_csv, to_storymapjs
from storymap.formats.knightlab import storymapjs
from storymap.formats.knightlab.read import load_interchange
from storymap.model import Story

DATA = Path(__file__).parent / "data"
SMALL = json.loads((DATA / "story-small.json").read_text(encoding="utf-8"))


# -- 10. CSV injection ----------------------------------------------------------------------
@pytest.mark.parametrize("evil", ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(A1)",
                                  "\tcmd", "\r=1"])
def test_csv_cells_that_start_a_formula_are_defused(evil: str) -> None:
    data = copy.deepcopy(SMALL)
    data["events"][0]["title"] = evil
    data["events"][0]["quote"] = evil
    data["places"][0]["name"] = evil
    story = Story.from_dict(data)
    rows = list(csv.DictReader(io.StringIO(to_csv(story), newline="")))
    first = next(r for r in rows if r["event"] == data["events"][0]["id"])
    for column in ("title", "quote"):
        assert first[column] == "'" + evil.replace("\r", "\n")
    assert all(not r["place"].startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows)
    assert all(float(r["lat"]) for r in rows)  # numbers stay numbers
    data["mentions"][0]["text"] = evil
    mentions = list(csv.reader(io.StringIO(to_mentions_csv(Story.from_dict(data)))))
    assert mentions[1][3] == "'" + evil.replace("\r", "\n")


# -- 5. StoryMapJS: each event's text once, and a size limit --------------------------------
def long_ranges(events: int = 60, days: int = 300, words: int = 900) -> str:
    """A TimelineJS file of ``events`` events each ``days`` long, each ~``words`` words."""
    out = []
    for i in range(events):
        text = " ".join(f"word{i}x{j}" for j in range(words))
        out.append({"start_date": {"year": "1900", "month": "1", "day": str(1 + i % 28)},
                    "end_date": {"year": "1900", "month": "10", "day": "28"},
                    "text": {"headline": f"Event {i}", "text": f"<p>{text}</p>"}})
    return json.dumps({"events": out})


def test_a_long_range_import_exports_its_text_once() -> None:
    source = long_ranges()
    assert len(source) > 500_000
    story = load_interchange(source, filename="ranges.json")
    t0 = time.perf_counter()
    out = to_storymapjs(story)
    took = time.perf_counter() - t0
    # listed whole on each of its ~300 days, this was ~60 × 300 × 9 KB = 160 MB; now the
    # text once, plus a reminder (~250 bytes) per event-day (at most MAX_RANGE_DAYS)
    range_days = sum(len(e.days()) - 1 for e in story.events)
    assert len(out) < len(source) + 260 * range_days < 10_000_000, len(out)
    assert took < 20
    again = load_interchange(out, filename="again.json")
    assert sorted(e.quote for e in again.events) == sorted(e.quote for e in story.events)
    assert len(again.events) == len(story.events)


def test_an_export_over_the_limit_says_to_use_start_and_end(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(storymapjs, "MAX_EXPORT_BYTES", 50_000)
    source = tmp_path / "ranges.json"
    source.write_text(long_ranges(events=20, days=300, words=200), encoding="utf-8")
    with pytest.raises(OutputError, match="--start and --end"):
        to_storymapjs(load_interchange(source))
    out = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["export", str(source), "--format", "storymapjs",
                                       "-o", str(out)])
    assert result.exit_code == 1 and "--start and --end" in result.output
    assert len(result.output.strip().splitlines()) == 1 and not out.exists()
    part = CliRunner().invoke(main, ["export", str(source), "--format", "storymapjs",
                                     "--start", "1900-01-01", "--end", "1900-01-02",
                                     "-o", str(out)])
    assert part.exit_code == 0, part.output
    slides = json.loads(out.read_text(encoding="utf-8"))["storymap"]["slides"]
    assert slides and all(s["date"] <= "1900-01-02" or s.get("type") for s in slides[1:2])


def test_between_keeps_what_overlaps_and_refuses_odd_dates() -> None:
    story = Story.from_dict(SMALL)
    dates = sorted(e.date for e in story.events)
    assert between(story, dates[0], dates[0]).events
    assert not between(story, "9999-01-01", None).events
    assert between(story, None, None) is story
    with pytest.raises(StorymapError, match="--start"):
        between(story, "yesterday", None)


# -- 12. lone surrogates and control characters at every JSON boundary -----------------------
SURROGATE = '"Buda\\ud800pest"'


def surrogate_story() -> str:
    text = json.dumps(SMALL)
    return text.replace(json.dumps(SMALL["title"]), SURROGATE, 1)


@pytest.mark.parametrize(("name", "make", "path"), [
    ("story.json", surrogate_story, "$.title"),
    ("timeline.json", lambda: '{"events": [{"start_date": {"year": "1956"}, "text": '
                              '{"headline": ' + SURROGATE + '}}]}', "$.events[0].text.headline"),
    ("storymap.json", lambda: '{"storymap": {"slides": [{"date": "1956-10-23", "text": '
                              '{"text": "a\\u0007b"}}]}}', "$.storymap.slides[0].text.text"),
])
def test_a_lone_surrogate_is_one_line_naming_file_and_field(tmp_path: Path, name: str,
                                                            make: Any, path: str) -> None:
    source = tmp_path / name
    source.write_text(make(), encoding="utf-8")
    for args in (["export", str(source), "--format", "json", "-o", str(tmp_path / "o.json")],
                 ["serve", str(source), "--port", "1"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.output
        line = result.output.strip()
        assert "\n" not in line and "unexpectedly" not in line
        assert f"{source}: {path}:" in line
        assert "surrogate" in line or "control character" in line


def test_sources_json_with_a_surrogate_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("On 23 October 1956 in Budapest.", encoding="utf-8")
    (tmp_path / "sources.json").write_text('{"notes": {"title": ' + SURROGATE + "}}",
                                           encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "notes.txt"),
                                       "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'sources.json'}: $.notes.title: a lone surrogate" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_control_characters_in_a_text_become_spaces_and_the_story_reads_back(
        tmp_path: Path) -> None:
    text = "On 23 October 1956 students\x07 marched in\x1b Budapest.\x85"
    (tmp_path / "t.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "s.json"
    result = CliRunner().invoke(main, ["build", str(tmp_path / "t.txt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    story = Story.from_json(out.read_text(encoding="utf-8"), filename=str(out))
    assert story.documents[0].text == text.replace("\x07", " ").replace("\x1b", " ").replace(
        "\x85", " ")


# -- 12. a text too large to build in a minute is refused before it is read -------------------
@pytest.mark.parametrize("others", [0, 2])
def test_a_text_over_the_limit_is_refused_up_front(tmp_path: Path, others: int) -> None:
    from storymap.textio import MAX_TEXT_BYTES

    paths = []
    for i in range(others):  # small texts beside it are still read (failures are per text)
        (tmp_path / f"small{i}.txt").write_text("On 23 October 1956 in Budapest.\n",
                                                encoding="utf-8")
        paths.append(str(tmp_path / f"small{i}.txt"))
    for i, size in enumerate([MAX_TEXT_BYTES + 1000]):
        path = tmp_path / f"part{i}.txt"
        line = "On 23 October 1956 students marched in Budapest. " * 20 + "\n"
        with path.open("w", encoding="utf-8") as f:
            f.write(line * (size // len(line) + 1))
        paths.append(str(path))
    t0 = time.perf_counter()
    result = CliRunner().invoke(main, ["build", *paths, "-o", str(tmp_path / "s.json")])
    took = time.perf_counter() - t0
    assert result.exit_code == 1
    # alone, one line; beside others, one line among the corpus road's per-text report
    said = [x for x in result.output.splitlines() if "part0.txt" in x]
    assert len(said) == 1 and "split the text into parts" in said[0] and "10 MB" in said[0]
    assert "part0.txt: 10 MB" in said[0]
    if not others:
        assert len(result.output.strip().splitlines()) == 1
        assert not (tmp_path / "s.json").exists()
    assert took < 10  # refused from its size on disk: the big text is never read
