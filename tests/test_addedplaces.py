"""`storymap gazetteer add/remove`: GeoNames dumps, CSV and GeoJSON files of one's own.

Every file here is tiny and written by the test; nothing is downloaded.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from storymap import addedplaces
from storymap.cli import main
from storymap.errors import GazetteerError
from storymap.resolvers.geonames import GeoNamesResolver

# Two rows of a GeoNames country dump (19 tab-separated columns): a fort and a river.
DUMP = "\n".join([
    "\t".join(["4111999", "Fort Quillan", "Fort Quillan", "Quillan Fort,Ft. Quillan",
               "35.386", "-94.398", "S", "FT", "US", "", "AR", "131", "", "", "0", "", "140",
               "America/Chicago", "2020-01-01"]),
    "\t".join(["4111998", "Bitterwater Creek", "Bitterwater Creek", "", "35.5", "-94.1",
               "H", "STM", "US", "", "AR", "", "", "", "0", "", "120", "America/Chicago",
               "2020-01-01"]),
]) + "\n"


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory of our own (the GeoNames index itself stays the user's)."""
    from storymap import geonames

    real = geonames.index_path()
    target = tmp_path / "cache"
    monkeypatch.setattr(addedplaces, "added_path", lambda: target / "added-places.sqlite")
    assert real.exists()  # lookups still use the built GeoNames index
    return target


def write_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("XX.txt", DUMP)
        z.writestr("readme.txt", "GeoNames")
    return path


def test_a_geonames_dump_adds_forts_and_rivers(cache: Path, tmp_path: Path) -> None:
    added = addedplaces.add_file(write_zip(tmp_path / "XX.zip"))
    assert (added.name, added.places) == ("XX", 2)
    (fort,) = GeoNamesResolver().candidates("Ft. Quillan")
    assert (fort.id, fort.kind, fort.country, fort.parent) == ("geonames:4111999", "fort", "US",
                                                               "US.AR")
    (creek,) = GeoNamesResolver().candidates("Bitterwater Creek")
    assert creek.kind == "river"


def test_csv_and_geojson_files(cache: Path, tmp_path: Path) -> None:
    table = tmp_path / "mine.csv"
    table.write_text("name,lat,lon,kind,aliases\nOld Mill Square,47.5,19.05,square,"
                     "Malom tér;Mill Sq\n", encoding="utf-8")
    shapes = tmp_path / "shapes.geojson"
    shapes.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Lantry Station", "kind": "station"},
         "geometry": {"type": "Point", "coordinates": [-90.0, 35.0]}},
        {"type": "Feature", "properties": {"name": "Round Meadow"},
         "geometry": {"type": "Polygon", "coordinates": [[[10, 40], [12, 40], [12, 42],
                                                          [10, 40]]]}}]}), encoding="utf-8")
    addedplaces.add_file(table)
    addedplaces.add_file(shapes, name="stations")
    (square,) = GeoNamesResolver().candidates("Malom tér")
    assert (square.name, square.kind, square.lat) == ("Old Mill Square", "square", 47.5)
    (meadow,) = GeoNamesResolver().candidates("Round Meadow")
    assert (meadow.lat, meadow.lon) == (41.0, 11.0)  # the middle of the polygon's box
    assert [s.name for s in addedplaces.sources()] == ["mine", "stations"]


def test_remove_takes_a_files_places_out(cache: Path, tmp_path: Path) -> None:
    addedplaces.add_file(write_zip(tmp_path / "XX.zip"), name="forts")
    assert GeoNamesResolver().candidates("Fort Quillan")
    assert addedplaces.remove_source("forts") == 2
    assert GeoNamesResolver().candidates("Fort Quillan") == ()
    assert addedplaces.remove_source("forts") == 0


def test_a_bad_file_is_one_line_naming_it(cache: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("place,x,y\nSomewhere,1,2\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"bad\.csv.*missing column\(s\) lat, lon, name"):
        addedplaces.add_file(bad)
    assert addedplaces.sources() == ()


def test_cli_add_list_and_remove(cache: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    zipped = write_zip(tmp_path / "XX.zip")
    result = runner.invoke(main, ["gazetteer", "add", str(zipped), "--name", "forts"])
    assert result.exit_code == 0, result.output
    listing = runner.invoke(main, ["places"])
    assert "added:forts\t2 places" in listing.output
    text = tmp_path / "report.txt"
    text.write_text("On March 3, 1864, the garrison of Fort Quillan marched.", encoding="utf-8")
    export = runner.invoke(main, ["export", str(text), "-f", "mentions", "-o", "-"])
    assert "geonames:4111999" in export.output  # every build finds the added places
    assert runner.invoke(main, ["gazetteer", "remove", "forts"]).exit_code == 0
    gone = runner.invoke(main, ["gazetteer", "remove", "forts"])
    assert gone.exit_code == 1 and "no places were added as 'forts'" in gone.output
