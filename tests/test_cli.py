"""The command line: build, export, places; clear one-line errors, atomic writes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from storymap.cli import main
from storymap.model import Story

TEXT = ("= = Revolution = =\nOn 23 October 1956 , students marched to the Parliament in "
        "Budapest . At 20:00 the crowd gathered at the Radio Budapest building in Zqxland .\n")


@pytest.fixture()
def text(tmp_path: Path) -> Path:
    f = tmp_path / "story.txt"
    f.write_text(TEXT, encoding="utf-8")
    return f


def test_build_writes_a_story(runner: CliRunner, text: Path, tmp_path: Path) -> None:
    out = tmp_path / "story.json"
    result = runner.invoke(main, ["build", str(text), "-o", str(out)])
    assert result.exit_code == 0, result.output
    story = Story.from_json(out.read_text(encoding="utf-8"))
    assert [d.id for d in story.documents] == ["story"]
    assert {r.place_id for e in story.events for r in e.places} >= {"parliament", "radio"}


def test_build_writes_the_same_story_to_standard_output(runner: CliRunner, text: Path,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "story.json"
    assert runner.invoke(main, ["build", str(text), "-o", str(out)]).exit_code == 0
    result = runner.invoke(main, ["build", str(text), "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout == out.read_text(encoding="utf-8")
    assert result.stdout.endswith("}\n") and "Parliament" in result.stdout


@pytest.mark.parametrize("fmt", ["json", "geojson", "csv", "mentions", "storymapjs",
                                 "timelinejs"])
def test_export_every_format(runner: CliRunner, text: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(main, ["export", str(text), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


def test_geojson_contract(runner: CliRunner, text: Path) -> None:
    result = runner.invoke(main, ["export", str(text), "-f", "geojson", "-o", "-"])
    fc = json.loads(result.output)
    assert fc["type"] == "FeatureCollection"
    feature = next(f for f in fc["features"] if f["properties"]["place_id"] == "parliament")
    lon, lat = feature["geometry"]["coordinates"]
    assert 19.0 < lon < 19.1 and 47.4 < lat < 47.6  # [lon, lat]
    props = feature["properties"]
    for key in ("date", "end_date", "time", "place", "place_id", "kind", "mention", "event",
                "title", "quote", "source", "start", "end"):
        assert key in props
    assert props["date"] == "1956-10-23" and props["source"] == "story"
    assert TEXT[props["start"] : props["end"]].startswith("On 23 October 1956")


def test_mentions_export_lists_unresolved_with_empty_coordinates(runner: CliRunner,
                                                                  text: Path) -> None:
    result = runner.invoke(main, ["export", str(text), "-f", "mentions", "-o", "-"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    zq = next(r for r in rows if r["mention"] == "Zqxland")
    assert zq["place_id"] == "" and zq["lat"] == "" and zq["lon"] == ""
    budapest = next(r for r in rows if r["mention"] == "Budapest")
    assert budapest["place_id"] == "budapest" and float(budapest["lat"]) > 47


def test_places_lists_the_gazetteer_and_unresolved_names(runner: CliRunner, text: Path) -> None:
    listing = runner.invoke(main, ["places", "--kind", "district"])
    assert listing.exit_code == 0
    numbered = [line for line in listing.output.splitlines() if line.startswith("budapest-")]
    assert len(numbered) == 22  # the districts of 1956 (XXIII was split from XX in 1994)
    unresolved = runner.invoke(main, ["places", "--unresolved", str(text)])
    assert unresolved.exit_code == 0 and "Zqxland" in unresolved.output


@pytest.mark.parametrize(("content", "words"), [
    (b"\x00\x01\x02binary\x00", "binary file"),
    ("Győr".encode("iso8859_2"), "not UTF-8"),
])
def test_bad_text_is_one_line_naming_the_file(runner: CliRunner, tmp_path: Path, content: bytes,
                                              words: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    out = tmp_path / "out.json"
    result = runner.invoke(main, ["build", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert str(bad) in result.output and words in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_broken_story_file(runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "story.json"
    broken.write_text('{"version": 1, "title": "x"', encoding="utf-8")
    result = runner.invoke(main, ["export", str(broken), "-f", "geojson", "-o", "-"])
    assert result.exit_code == 1 and "story.json" in result.output and "line 1" in result.output


def test_failed_export_keeps_the_old_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.geojson"
    out.write_text("old", encoding="utf-8")
    result = runner.invoke(main, ["export", str(tmp_path / "missing.txt"), "-o", str(out)])
    assert result.exit_code == 1 and "no such file" in result.output
    assert out.read_text(encoding="utf-8") == "old"


def test_empty_text_gives_an_empty_story(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "e.json"
    assert runner.invoke(main, ["build", str(empty), "-o", str(out)]).exit_code == 0
    assert Story.from_json(out.read_text(encoding="utf-8")).events == ()


def test_unknown_resolver(runner: CliRunner, text: Path) -> None:
    result = runner.invoke(main, ["export", str(text), "--resolver", "bing", "-o", "-"])
    assert result.exit_code == 1 and "expected one of" in result.output


def test_python_dash_m_works(text: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.geojson"
    subprocess.run([sys.executable, "-m", "storymap", "export", str(text), "-o", str(out)],
                   check=True, capture_output=True)
    assert json.loads(out.read_text(encoding="utf-8"))["features"]


def test_sources_json_describes_the_texts_beside_it(runner: CliRunner, text: Path,
                                                    tmp_path: Path) -> None:
    (tmp_path / "sources.json").write_text(json.dumps({"story": {
        "title": "My <b>source</b>", "url": "https://example.org/a", "license": "CC0"}}),
        encoding="utf-8")
    out = tmp_path / "s.json"
    assert runner.invoke(main, ["build", str(text), "-o", str(out)]).exit_code == 0
    (doc,) = Story.from_json(out.read_text(encoding="utf-8")).documents
    assert (doc.title, doc.url, doc.license) == ("My <b>source</b>", "https://example.org/a",
                                                 "CC0")
    (tmp_path / "sources.json").write_text("{broken", encoding="utf-8")
    result = runner.invoke(main, ["build", str(text), "-o", str(out)])
    assert result.exit_code == 1 and "sources.json" in result.output


@pytest.mark.parametrize("content", ['{"story": "just a title"}', '{"story": 1e999}',
                                     '{"other": "' + "a" * (1024 * 1024) + '"}'])
def test_a_bad_or_huge_sources_json_is_one_line(runner: CliRunner, text: Path, tmp_path: Path,
                                                content: str) -> None:
    (tmp_path / "sources.json").write_text(content, encoding="utf-8")
    result = runner.invoke(main, ["build", str(text), "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 1, result.output
    (line,) = result.output.strip().splitlines()
    assert "sources.json" in line and "unexpectedly" not in line


def test_an_unexpected_error_is_one_line_unless_debugging(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import storymap.cli

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("storymap.inputs.load_inputs", broken)
    monkeypatch.setattr(sys, "argv", ["storymap", "build", "-o", str(tmp_path / "x.json")])
    monkeypatch.delenv("STORYMAP_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_:
        storymap.cli.run()
    assert exit_.value.code == 1
    monkeypatch.setenv("STORYMAP_DEBUG", "1")
    with pytest.raises(RuntimeError, match="boom"):
        storymap.cli.run()


def test_building_the_geonames_index_is_announced(runner: CliRunner, text: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import storymap.geo.geonames

    monkeypatch.setattr(storymap.geo.geonames, "index_path", lambda: tmp_path / "none.sqlite")
    from storymap.inputs import Loaded

    monkeypatch.setattr("storymap.inputs.load_inputs", lambda *a, **k: Loaded(Story.from_json(
        (Path(__file__).parent / "data" / "story-small.json").read_text(encoding="utf-8"))))
    result = runner.invoke(main, ["build", str(text), "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 0
    assert "building the GeoNames index once" in result.output


# -- ordinary failures are one line naming the file (issue 11) --------------------------
def _one_line(result: object, name: object) -> str:
    output: str = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 1, output  # type: ignore[attr-defined]
    assert str(name) in output and "unexpectedly" not in output and "Traceback" not in output
    assert len(output.strip().splitlines()) == 1, output
    return output


def test_build_to_standard_output(runner: CliRunner, text: Path, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build", str(text), "-o", "-"])
    assert result.exit_code == 0
    assert Story.from_json(result.stdout).documents[0].id == "story"
    assert not (tmp_path / "-").exists()


def test_output_is_a_directory(runner: CliRunner, text: Path, tmp_path: Path) -> None:
    for command in (["build", str(text)], ["export", str(text), "-f", "csv"]):
        _one_line(runner.invoke(main, [*command, "-o", str(tmp_path)]), tmp_path)


def test_disk_full_is_one_line(runner: CliRunner, text: Path, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import os

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("os.fsync", full)
    out = tmp_path / "s.json"
    assert "No space left" in _one_line(runner.invoke(main, ["build", str(text), "-o", str(out)]),
                                        out)
    assert not out.exists()


@pytest.mark.parametrize(("content", "words"), [
    ("[" * 100_000, "nested too deeply"),
    ('{"version": 1, "title": ' + "9" * 5000 + "}", "a number too long"),
    ('{"version": 1, "title": NaN}', "NaN is not a JSON number"),
    ('{"events": [{"start_date": {"year": "1956"}, "text": {"text": "'
     + "<div>" * 20_000 + 'x"}}]}', None),
])
def test_hostile_json_is_one_line(runner: CliRunner, tmp_path: Path, content: str,
                                  words: str | None) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    result = runner.invoke(main, ["export", str(bad), "-f", "storymapjs", "-o", "-"])
    if words is None:  # 20,000 nested <div>: read, the nesting flattened
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["storymap"]["slides"][1]["date"] == "1956"
    else:
        assert words in _one_line(result, bad)


@pytest.mark.parametrize(("field", "value", "words"), [
    ("date", 123, "$.events[0].date: expected a string, got 123"),
    ("date", "9999-99-99", "$.events[0].date: expected a string matching"),
    ("date", "hello", "$.events[0].date: expected a string matching"),
    ("time", 5, "$.events[0].time: expected null or a string"),
])
def test_a_broken_story_is_refused_at_load(runner: CliRunner, tmp_path: Path, field: str,
                                           value: object, words: str) -> None:
    data = json.loads((Path(__file__).parent / "data" / "story-small.json").read_text("utf-8"))
    data["events"][0][field] = value
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    for fmt in ("storymapjs", "timelinejs", "html"):
        result = runner.invoke(main, ["export", str(bad), "-f", fmt, "-o", "-"])
        assert words in _one_line(result, bad)


@pytest.mark.parametrize("kind", ["events", "places", "mentions"])
def test_a_story_with_an_id_used_twice_is_refused_at_load(runner: CliRunner, tmp_path: Path,
                                                          kind: str) -> None:
    data = json.loads((Path(__file__).parent / "data" / "story-small.json").read_text("utf-8"))
    data[kind][1]["id"] = data[kind][0]["id"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(main, ["export", str(bad), "-f", "geojson", "-o", "-"])
    assert f"$.{kind}[1].id: expected an id no other record has" in _one_line(result, bad)


def test_build_never_writes_a_story_it_cannot_read_back(runner: CliRunner, text: Path,
                                                       tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import storymap.textio

    out = tmp_path / "s.json"
    assert runner.invoke(main, ["build", str(text), "-o", str(out)]).exit_code == 0
    size = out.stat().st_size
    out.unlink()
    monkeypatch.setattr(storymap.textio, "MAX_STORY_BYTES", size - 1)
    assert "more than the" in _one_line(
        runner.invoke(main, ["build", str(text), "-o", str(out)]), out)
    assert not out.exists()
    monkeypatch.setattr(storymap.textio, "MAX_STORY_BYTES", size)
    assert runner.invoke(main, ["build", str(text), "-o", str(out)]).exit_code == 0
    assert runner.invoke(main, ["export", str(out), "-f", "json", "-o", "-"]).exit_code == 0


@pytest.mark.parametrize("text_file", sorted(
    (Path(__file__).resolve().parents[1] / "storymap" / "examples" / "hungary-1956").glob(
        "*.txt")))
def test_a_story_fits_the_story_limit_a_text_at_the_text_limit_would(text_file: Path,
                                                                     tmp_path: Path) -> None:
    """The story limit follows from the text limit with room for real prose."""
    from storymap.pipeline import build_story
    from storymap.textio import MAX_STORY_BYTES, MAX_TEXT_BYTES

    story = build_story([text_file])
    ratio = len((story.to_json() + "\n").encode()) / text_file.stat().st_size
    assert ratio * MAX_TEXT_BYTES < MAX_STORY_BYTES


@pytest.mark.parametrize(("edit", "words", "said"), [
    ('"geometry": null', '"geometry": "notgeo"', "$.places[0].geometry: expected null or"),
    ('"lat": 47.50694,', '"lat": Infinity,', "Infinity is not a JSON number"),
])
def test_a_broken_place_is_refused_at_load(runner: CliRunner, tmp_path: Path, edit: str,
                                           words: str, said: str) -> None:
    text = (Path(__file__).parent / "data" / "story-small.json").read_text("utf-8")
    assert edit in text
    bad = tmp_path / "bad.json"
    bad.write_text(text.replace(edit, words, 1), encoding="utf-8")
    message = _one_line(runner.invoke(main, ["export", str(bad), "-f", "geojson", "-o", "-"]),
                        bad)
    assert said in message
