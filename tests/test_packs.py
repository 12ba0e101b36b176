"""Gazetteer packs: `storymap gazetteer add/list/remove` for GeoNames dumps, CSV and GeoJSON.

Every pack file here is tiny and hand-written (tests/data/packs/); the zip of a GeoNames
dump is written by the test. Nothing is downloaded.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from storymap.cli import main
from storymap.errors import ConfigError, GazetteerError
from storymap.pipeline import SourceText, analyse, build_story_from_texts
from storymap.pipeline.known import known_default
from storymap.resolvers import DEFAULT_RESOLVERS, get_resolver, packs
from storymap.resolvers.packfiles import read_rows

DATA = Path(__file__).parent / "data" / "packs"
FORT_TEXT = "Fort Zarah was bombarded on April 12, 1864."


pytestmark = pytest.mark.usefixtures("pack_dir")  # packs of the test's own (conftest)


def dump_zip(tmp_path: Path, name: str = "XX.zip", *, extra: str = "") -> Path:
    """Write a GeoNames country file as GeoNames ships it: XX.txt beside a readme."""
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("readme.txt", "GeoNames dump, CC BY 4.0\n")
        zf.writestr("XX.txt", (DATA / "XX.txt").read_text(encoding="utf-8") + extra)
    return path


def pins(text: str) -> list[tuple[str, str | None]]:
    resolvers = [get_resolver(n) for n in DEFAULT_RESOLVERS]
    a = analyse(SourceText(id="t", text=text), resolvers=resolvers)
    return [(r.mention.text, r.place.id if r.place else None) for r in a.mentions]


def test_packs_come_after_the_curated_gazetteer_by_default() -> None:
    assert DEFAULT_RESOLVERS[0] == "gazetteer" and "packs" in DEFAULT_RESOLVERS
    assert get_resolver("packs").candidates("Fort Zarah") == ()  # none added: nothing


def test_a_fort_only_a_pack_knows_gets_a_pin_after_add_and_none_after_remove(
        runner: CliRunner) -> None:
    assert pins(FORT_TEXT) == [("Fort Zarah", None)]
    added = runner.invoke(main, ["gazetteer", "add", str(DATA / "forts.csv"),
                                 "--licence", "CC0 1.0"])
    assert added.exit_code == 0, added.output
    assert "3 places" in added.output
    assert pins(FORT_TEXT) == [("Fort Zarah", "pack:forts:1")]
    listed = runner.invoke(main, ["gazetteer", "list"])
    assert listed.output.startswith("forts\t3\tcsv\tforts.csv\tCC0 1.0\t")
    removed = runner.invoke(main, ["gazetteer", "remove", "forts"])
    assert removed.exit_code == 0, removed.output
    assert pins(FORT_TEXT) == [("Fort Zarah", None)]
    assert runner.invoke(main, ["gazetteer", "list"]).output.startswith("storymap: 0")


def test_the_reader_sees_names_only_a_pack_knows() -> None:
    from storymap.geo.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    assert known_default(gaz, "kestrelmoor") == (-1, -1)
    assert pins("The garrison of Kestrelmoor surrendered on 3 May 1864.") == []
    packs.add_pack(DATA / "forts.csv")
    assert known_default(gaz, "kestrelmoor") == (0, 0)
    assert pins("The garrison of Kestrelmoor surrendered on 3 May 1864.") == [
        ("Kestrelmoor", "pack:forts:2")]


def test_a_geonames_dump_keeps_its_feature_kinds_ids_and_licence(tmp_path: Path) -> None:
    pack = packs.add_pack(dump_zip(tmp_path))
    assert (pack.name, pack.format, pack.licence, pack.places) == ("XX", "geonames",
                                                                     "CC BY 4.0", 4)
    fort, = packs.lookup("Fort Quenby")
    assert (fort.id, fort.kind, fort.parent) == ("geonames:9900001", "fort", "US.KS")
    assert fort.source == "GeoNames 9900001 (pack XX, CC BY 4.0)"
    assert packs.lookup("Quenby Post") == (fort,)  # an alternate name
    assert packs.lookup("red plaza of ostrava")[0].kind == "square"
    assert packs.lookup("Cervene namesti")[0].name == "Červené náměstí"
    assert packs.lookup("Quenby Deep") == ()  # undersea (class U) is left out by default
    assert [(p.kind, p.population) for p in packs.lookup("Quenbyville")] == [("town", 4200)]
    found = pins("On 3 May 1864 the scouts rode from Quenbyville to Fort Quenby and along "
                 "the Little Zarah River.")
    assert found == [("Quenbyville", "geonames:9900004"), ("Fort Quenby", "geonames:9900001"),
                     ("Little Zarah River", "geonames:9900002")]


def test_feature_classes_can_be_chosen(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["gazetteer", "add", str(dump_zip(tmp_path)), "--name",
                                  "forts-only", "--classes", "S"])
    assert result.exit_code == 0, result.output
    assert [p.kind for p in packs.lookup("Fort Quenby")] == ["fort"]
    assert packs.lookup("Little Zarah River") == ()
    bad = runner.invoke(main, ["gazetteer", "add", str(dump_zip(tmp_path)), "--classes", "X"])
    assert bad.exit_code == 2 and "AHLPRSTUV" in bad.output


def test_a_plain_dump_text_file_is_read_too() -> None:
    pack = packs.add_pack(DATA / "XX.txt", name="plain")
    assert pack.places == 4 and packs.lookup("Fort Quenby")[0].id == "geonames:9900001"


def test_geojson_points_and_polygon_centroids() -> None:
    packs.add_pack(DATA / "squares.geojson")
    square, = packs.lookup("Wolna Rzeka Square")
    assert (square.name, square.kind, square.lat, square.lon) == ("Plac Wolnej Rzeki",
                                                                  "square", 52.2, 21.0)
    park, = packs.lookup("Grünhalde Park")
    assert (park.lat, park.lon) == pytest.approx((50.1, 10.1))


def test_credits_name_the_pack_and_its_licence() -> None:
    packs.add_pack(DATA / "forts.csv", licence="CC BY-SA 4.0", url="https://example.org/forts")
    story = build_story_from_texts([SourceText(id="t", text=FORT_TEXT)])
    place, = story.places
    assert place.source == "pack forts: forts.csv, CC BY-SA 4.0"
    credit, = [a for a in story.attributions if a.name.startswith("forts")]
    assert (credit.license, credit.url) == ("CC BY-SA 4.0", "https://example.org/forts")
    assert "CC BY-SA 4.0" in credit.text and "forts.csv" in credit.text


def test_a_geonames_dump_is_credited_as_geonames(tmp_path: Path) -> None:
    packs.add_pack(dump_zip(tmp_path))
    story = build_story_from_texts([SourceText(
        id="t", text="Fort Quenby was attacked on 3 May 1864.")])
    assert [p.id for p in story.places] == ["geonames:9900001"]
    assert any(a.name == "GeoNames" and a.license == "CC BY 4.0" for a in story.attributions)


def test_places_lists_pack_places_with_their_pack(runner: CliRunner) -> None:
    packs.add_pack(DATA / "forts.csv")
    result = runner.invoke(main, ["places", "--kind", "fort"])
    assert result.exit_code == 0, result.output
    assert "pack:forts:1\tfort\t38.37000,-98.76000\tFort Zarah\tpack forts" in result.output


@pytest.mark.parametrize(("content", "expected"), [
    ("name,latitude,longitude\nFort Nowhere,1,2\n", "expected at least name, lat, lon"),
    ("name,lat,lon\nFort Nowhere,north,2\n", "line 2"),
    ("name,lat,lon\nFort Nowhere,91,2\n", "outside -90..90"),
])
def test_a_bad_csv_is_one_line_naming_the_file(tmp_path: Path, runner: CliRunner,
                                                content: str, expected: str) -> None:
    bad = tmp_path / "mine.csv"
    bad.write_text(content, encoding="utf-8")
    result = runner.invoke(main, ["gazetteer", "add", str(bad)])
    assert result.exit_code == 1
    assert str(bad) in result.output and expected in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_bad_dumps_and_unknown_files_say_what_to_do(tmp_path: Path) -> None:
    notzip = tmp_path / "US.zip"
    notzip.write_bytes(b"not a zip")
    with pytest.raises(GazetteerError, match=r"US\.zip: not a readable zip.*download"):
        packs.add_pack(notzip)
    empty = tmp_path / "CZ.zip"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("readme.txt", "")
    with pytest.raises(GazetteerError, match=r"CZ\.zip: the zip holds no GeoNames table"):
        packs.add_pack(empty)
    with pytest.raises(GazetteerError, match="line 6: 3 tab-separated columns"):
        packs.add_pack(dump_zip(tmp_path, extra="1\tOops\tOops\n"))
    with pytest.raises(GazetteerError, match=r"places\.kml: not a file storymap can add"):
        packs.add_pack(tmp_path / "places.kml")
    with pytest.raises(GazetteerError, match="no such file"):
        packs.add_pack(tmp_path / "missing.csv")
    geojson = tmp_path / "bad.geojson"
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": None}]}), encoding="utf-8")
    with pytest.raises(GazetteerError, match="feature 0: no 'name' property"):
        packs.add_pack(geojson)
    with pytest.raises(ConfigError, match="pack name"):
        packs.add_pack(DATA / "forts.csv", name="../evil")


def test_a_failed_import_leaves_the_old_pack_and_no_temporary_file(
        tmp_path: Path, pack_dir: Path) -> None:
    packs.add_pack(dump_zip(tmp_path))
    with pytest.raises(GazetteerError):
        packs.add_pack(dump_zip(tmp_path, "XX.zip", extra="broken line\n"))
    assert sorted(p.name for p in pack_dir.iterdir()) == ["XX.sqlite"]
    assert packs.lookup("Fort Quenby")[0].id == "geonames:9900001"


def test_a_dump_is_read_as_a_stream(tmp_path: Path) -> None:
    # The first rows arrive before the reader has seen the (broken) end of the file: it
    # never holds the whole dump, so allCountries (1.5 GB unzipped) fits in memory.
    rows = read_rows(dump_zip(tmp_path, extra="x" * 1000 + "\n"))
    assert next(rows).name == "Fort Quenby"
    with pytest.raises(GazetteerError, match="line 6"):
        list(rows)


def test_removing_an_unknown_pack_names_the_installed_ones(runner: CliRunner) -> None:
    packs.add_pack(DATA / "forts.csv")
    result = runner.invoke(main, ["gazetteer", "remove", "nope"])
    assert result.exit_code == 1
    assert "no gazetteer pack called 'nope' (installed: forts)" in result.output
