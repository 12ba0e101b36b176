"""Exports that stream (issue 19 item 3): JSON Lines and GeoParquet."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from storymap.cli import main
from storymap.formats import stream
from storymap.model import Story

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def small() -> Story:
    return Story.from_json((DATA / "story-small.json").read_text(encoding="utf-8"))


def export(story_file: Path, fmt: str, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["export", str(story_file), "-f", fmt, "-o", str(out)])
    return result.exit_code, result.output


def test_jsonl_is_a_story_line_then_one_line_per_event(small: Story, tmp_path: Path) -> None:
    code, output = export(DATA / "story-small.json", "jsonl", tmp_path / "s.jsonl")
    assert code == 0, output
    header, *events = [json.loads(line) for line in
                       (tmp_path / "s.jsonl").read_text(encoding="utf-8").splitlines()]
    assert header["type"] == "story" and header["title"] == small.title
    assert [a["text"] for a in header["attributions"]] == [a.text for a in small.attributions]
    assert [e["id"] for e in events] == [e.id for e in small.events]
    assert {e["type"] for e in events} == {"event"}
    places = {p.id: p for p in small.places}
    for line, event in zip(events, small.events, strict=True):
        assert [p["id"] for p in line["places"]] == [r.place_id for r in event.places
                                                     if r.place_id in places]
        for p in line["places"]:  # every line stands alone
            assert (p["lat"], p["lon"]) == (places[p["id"]].lat, places[p["id"]].lon)


def test_geoparquet_has_one_row_per_event_and_place(small: Story, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    import shapely.wkb

    monkeypatch.setattr(stream, "ROWS_PER_GROUP", 2)  # streamed in groups, not at once
    code, output = export(DATA / "story-small.json", "geoparquet", tmp_path / "s.parquet")
    assert code == 0, output
    features = list(small.iter_features())
    meta = pq.ParquetFile(tmp_path / "s.parquet").metadata
    assert meta.num_rows == len(features)
    assert meta.num_row_groups == math.ceil(len(features) / 2)
    table = pq.read_table(tmp_path / "s.parquet")
    geo = json.loads(table.schema.metadata[b"geo"])
    assert geo["primary_column"] == "geometry"
    assert geo["columns"]["geometry"]["encoding"] == "WKB"
    assert json.loads(table.schema.metadata[b"storymap"])["title"] == small.title
    rows = table.to_pylist()
    for row, (event, ref, place) in zip(rows, features, strict=True):
        point = shapely.wkb.loads(row["geometry"])
        assert (point.x, point.y) == (place.lon, place.lat)
        assert (row["event"], row["place_id"], row["mention"]) == (event.id, place.id,
                                                                   ref.mention)
        assert row["people"] == list(event.people)


def test_a_stream_that_fails_leaves_no_file(small: Story, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "s.jsonl"
    target.write_text("the previous export\n", encoding="utf-8")

    def broken(story: Story, out: object) -> None:
        out.write(b"half a line")  # type: ignore[attr-defined]
        raise RuntimeError("disk gone")

    monkeypatch.setattr(stream, "write_jsonl", broken)
    with pytest.raises(RuntimeError):
        CliRunner().invoke(main, ["export", str(DATA / "story-small.json"), "-f", "jsonl",
                                  "-o", str(target)], catch_exceptions=False)
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["s.jsonl"]


def test_geoparquet_without_pyarrow_is_one_line(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    code, output = export(DATA / "story-small.json", "geoparquet", tmp_path / "s.parquet")
    assert code == 1 and "pip install 'storymap[parquet]'" in output
    assert len(output.strip().splitlines()) == 1 and not (tmp_path / "s.parquet").exists()


def test_jsonl_to_standard_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(DATA / "story-small.json"), "-f", "jsonl",
                                       "-o", "-"])
    assert result.exit_code == 0
    assert json.loads(result.stdout.splitlines()[0])["type"] == "story"
