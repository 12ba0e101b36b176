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
    import storymap.geonames

    monkeypatch.setattr(storymap.geonames, "index_path", lambda: tmp_path / "none.sqlite")
    monkeypatch.setattr("storymap.inputs.load_inputs", lambda *a, **k: Story.from_json(
        (Path(__file__).parent / "data" / "story-small.json").read_text(encoding="utf-8")))
    result = runner.invoke(main, ["build", str(text), "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 0
    assert "building the GeoNames index once" in result.output
