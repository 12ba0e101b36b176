"""Issue 20 item 7: `gazetteer add` streams with a line limit, checks every GeoJSON shape,
and leaves no temporary file behind — nor does the GeoNames index build. The hostile
files are made here."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storymap.cli import main
from storymap.errors import GazetteerError
from storymap.geo import geonames
from storymap.resolvers import packs
from storymap.resolvers.packfiles import MAX_LINE, read_rows
from storymap.textio import sweep_temps, temp_path

DATA = Path(__file__).parent / "data" / "packs"


pytestmark = pytest.mark.usefixtures("pack_dir")  # packs of the test's own (conftest)


def test_one_huge_line_in_a_small_zip_is_refused_without_reading_it_whole(
        tmp_path: Path) -> None:
    path = tmp_path / "XX.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("XX.txt", "a" * 60_000_000)  # one line: 60 MB unpacked, 60 KB packed
    assert path.stat().st_size < 1_000_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(GazetteerError, match=f"line 1 is longer than {MAX_LINE:,}"):
        list(read_rows(path))
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 40_000  # KB


def test_a_csv_with_a_huge_line_is_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "forts.csv"
    path.write_text("name,lat,lon\nFort A,1,2\n" + "b" * (MAX_LINE + 10), encoding="utf-8")
    result = CliRunner().invoke(main, ["gazetteer", "add", str(path)])
    assert result.exit_code == 1
    assert "line 3 is longer than" in result.output
    assert len(result.output.strip().splitlines()) == 1


def feature(geometry: Any, **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"name": "Fort X", **props}, "geometry": geometry}


@pytest.mark.parametrize(("feat", "words"), [
    (feature(None), "no geometry object"),
    (feature({"type": "Point", "coordinates": [1]}), "[lon, lat] numbers"),
    (feature({"type": "Point", "coordinates": [200, 1]}), "outside"),
    (feature({"type": "Point", "coordinates": ["1", "2"]}), "[lon, lat] numbers"),
    (feature({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}), "at least 4"),
    (feature({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}),
     "end where it starts"),
    (feature({"type": "Polygon", "coordinates": [[0, 0], [1, 1]]}), "at least 4"),
    (feature({"type": "LineString", "coordinates": []}), "non-empty"),
    (feature({"type": "GeometryCollection", "geometries": []}), "not one storymap reads"),
    (feature({"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0]]]]}), "at least 4"),
    ({"type": "Feature", "properties": [1], "geometry": None}, "'properties' must be"),
    ("just text", "expected a feature object"),
    (feature({"type": "Point", "coordinates": [1, 2]}, population={"a": 1}), "population"),
    (feature({"type": "Point", "coordinates": [1, 2]}, aliases={"a": 1}), "'aliases' must"),
    ({"type": "Feature", "properties": {"name": {"x": 1}}, "geometry": None}, "'name' must"),
])
def test_every_broken_shape_is_one_line_naming_the_feature(tmp_path: Path, feat: Any,
                                                           words: str) -> None:
    path = tmp_path / "forts.geojson"
    good = feature({"type": "Point", "coordinates": [19.0, 47.5]}, name="Good")
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [good, feat]}),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["gazetteer", "add", str(path)])
    assert result.exit_code == 1, result.output
    line = result.output.strip()
    assert "\n" not in line and "unexpectedly" not in line
    assert f"{path}: feature 1" in line and words in line, line


@pytest.mark.parametrize("text", [
    '{"type": "FeatureCollection", "features": [' + "[" * 100_000 + "]" * 100_000 + "]}",
    '{"features": [{"properties": {"name": "X"}, "geometry": {"type": "Point", '
    '"coordinates": [NaN, 1]}}]}',
    '{"features": [{"properties": {"name": "X\\ud800"}, "geometry": null}]}',
])
def test_hostile_geojson_documents_are_one_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["gazetteer", "add", str(path)])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and str(path) in result.output
    assert "unexpectedly" not in result.output


def test_shapes_that_are_lines_or_have_no_area_still_get_a_point(tmp_path: Path) -> None:
    path = tmp_path / "rivers.geojson"
    feats = [feature({"type": "LineString", "coordinates": [[10, 40], [12, 40]]}, name="R"),
             feature({"type": "Polygon", "coordinates": [[[5, 5], [6, 5], [7, 5], [5, 5]]]},
                     name="Flat")]
    path.write_text(json.dumps({"features": feats}), encoding="utf-8")
    rows = list(read_rows(path))
    assert [(r.name, round(r.lon), round(r.lat)) for r in rows] == [("R", 11, 40),
                                                                  ("Flat", 6, 5)]


def test_a_killed_imports_temporary_file_is_removed_at_the_next_add(
        tmp_path: Path, pack_dir: Path) -> None:
    pack_dir.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stray = pack_dir / f".pack.{dead}.abc123.XX.tmp"
    stray.write_bytes(b"x" * 1000)
    mine = temp_path(pack_dir, "pack", ".other")  # a live import's file stays
    packs.add_pack(DATA / "forts.csv")
    assert not stray.exists() and mine.exists()
    mine.unlink()
    assert sorted(p.name for p in pack_dir.iterdir()) == ["forts.sqlite"]


def test_an_interrupted_import_leaves_nothing(pack_dir: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(packs, "_write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        packs.add_pack(DATA / "forts.csv")
    assert list(pack_dir.iterdir()) == []


def test_a_killed_index_build_leaves_nothing_behind(tmp_path: Path) -> None:
    source = tmp_path / "cities.json"
    source.write_text(json.dumps({"1": {"geonameid": 1, "name": "Aa", "latitude": 1,
                                        "longitude": 2, "population": 5}}), encoding="utf-8")
    target = tmp_path / "cache" / "geonames-test.sqlite"
    script = ("import os, sys\nfrom pathlib import Path\nfrom storymap.geo import geonames\n"
              "geonames._rows = lambda source: os._exit(9)\n"  # killed mid-build
              "geonames.build_index(Path(sys.argv[1]), source=Path(sys.argv[2]))\n")
    killed = subprocess.run([sys.executable, "-c", script, str(target), str(source)],
                            check=False)
    assert killed.returncode == 9
    assert next(p.name for p in target.parent.iterdir()).startswith(".geonames-index.")
    geonames.build_index(target, source=source)
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]
    assert sweep_temps(target.parent, "geonames-index") == 0
    assert os.path.getsize(target) > 0
