"""Stage 3: choosing a place among candidates (one contract test for every resolver)."""

from __future__ import annotations

import pytest

from storymap.errors import ConfigError
from storymap.pipeline.mentions import Mention
from storymap.pipeline.resolve import Focus, resolve_mentions
from storymap.resolvers import get_resolver
from storymap.resolvers.base import Candidate
from storymap.resolvers.fake import FakeResolver

BREST_FR = Candidate(id="g:1", name="Brest", lat=48.39, lon=-4.49, kind="city", country="FR",
                     population=139_000)
BREST_BY = Candidate(id="g:2", name="Brest", lat=52.10, lon=23.70, kind="city", country="BY",
                     population=340_000)
JOZSEF_RO = Candidate(id="g:3", name="Iosefin", lat=45.75, lon=21.21, kind="village",
                      country="RO", population=20_000)
JOZSEF_HU = Candidate(id="budapest-08", name="Józsefváros", lat=47.49, lon=19.07,
                      kind="district", country="HU")
HOME = Focus(country="HU", lat=47.5, lon=19.05)


def m(name: str, how: str = "lexicon") -> Mention:
    return Mention(doc="d", passage=0, start=0, end=len(name), text=name, name=name, how=how)


def test_population_decides_between_foreign_namesakes() -> None:
    (r,) = resolve_mentions([m("Brest", "cue")], resolvers=[FakeResolver({}),
                            FakeResolver({"Brest": [BREST_FR, BREST_BY]})], focus=HOME)
    assert r.place == BREST_BY


def test_curated_beats_geonames() -> None:
    curated = FakeResolver({"Józsefváros": [JOZSEF_HU]})
    geonames = FakeResolver({"Józsefváros": [JOZSEF_RO]})
    (r,) = resolve_mentions([m("Józsefváros")], resolvers=[curated, geonames], focus=HOME)
    assert r.place == JOZSEF_HU
    assert geonames.calls == []  # never asked once the curated list answered


def test_focus_country_wins_over_a_bigger_place_abroad() -> None:
    erd_hu = Candidate(id="g:4", name="Érd", lat=47.39, lon=18.90, kind="town", country="HU",
                       population=63_000)
    erd_far = Candidate(id="g:5", name="Erd", lat=30.0, lon=70.0, kind="town", country="PK",
                        population=90_000)
    (r,) = resolve_mentions([m("Érd", "cue")], resolvers=[FakeResolver({}),
                            FakeResolver({"Erd": [erd_far, erd_hu]})], focus=HOME)
    assert r.place == erd_hu


def test_small_places_found_only_by_a_cue_stay_unresolved() -> None:
    hamlet = Candidate(id="g:6", name="Union", lat=40.0, lon=-80.0, kind="village", country="US",
                       population=300)
    (r,) = resolve_mentions([m("Union", "cue")], resolvers=[FakeResolver({}),
                            FakeResolver({"Union": [hamlet]})], focus=HOME)
    assert r.place is None


def test_not_found_is_data() -> None:
    (r,) = resolve_mentions([m("Nowhere", "cue")], resolvers=[FakeResolver({})], focus=HOME)
    assert r.place is None


def test_unknown_resolver_names_the_valid_ones() -> None:
    with pytest.raises(ConfigError, match="gazetteer, geonames, packs, geopy:<service>"):
        get_resolver("bing")


@pytest.mark.parametrize("name", ["gazetteer", "geonames"])
class TestResolverContract:
    """Every offline resolver: a known name gives candidates, an unknown one gives ()."""

    def test_known_name(self, name: str) -> None:
        found = get_resolver(name).candidates("Budapest")
        assert found and all(isinstance(c, Candidate) for c in found)
        assert any(abs(c.lat - 47.5) < 0.2 and abs(c.lon - 19.05) < 0.2 for c in found)

    def test_unknown_name(self, name: str) -> None:
        assert get_resolver(name).candidates("Qxzqxzville") == ()

    def test_accents_and_case(self, name: str) -> None:
        assert get_resolver(name).candidates("KECSKEMET")


def test_a_place_named_in_the_same_paragraph_decides() -> None:
    springfield_il = Candidate(id="g:7", name="Springfield", lat=39.80, lon=-89.64, kind="city",
                               country="US", population=116_000)
    springfield_ma = Candidate(id="g:8", name="Springfield", lat=42.10, lon=-72.59, kind="city",
                               country="US", population=155_000)
    massachusetts = Candidate(id="ma", name="Massachusetts", lat=42.3, lon=-71.8, kind="region",
                              country="US")
    illinois = Candidate(id="il", name="Illinois", lat=40.0, lon=-89.2, kind="region",
                         country="US")
    resolvers = [FakeResolver({"Massachusetts": [massachusetts], "Illinois": [illinois]}),
                 FakeResolver({"Springfield": [springfield_il, springfield_ma]})]
    usa = Focus(country="US", lat=39.0, lon=-95.0)

    def where(state: str) -> Candidate | None:
        found = resolve_mentions(
            [m("Springfield", "cue"), Mention(doc="d", passage=0, start=13, end=30, text=state,
                                              name=state, how="lexicon")],
            resolvers=resolvers, focus=usa)
        return found[0].place

    assert where("Illinois") == springfield_il
    assert where("Massachusetts") == springfield_ma


def test_online_answers_have_no_population_floor() -> None:
    online = Candidate(id="geopy:nominatim:node1", name="Bornholmer Strasse", lat=52.55,
                       lon=13.39, kind="street", country="DE")
    (r,) = resolve_mentions([m("Bornholmer Strasse", "cue")],
                            resolvers=[FakeResolver({}),
                                       FakeResolver({"Bornholmer Strasse": [online]})],
                            focus=HOME)
    assert r.place == online


def test_a_bare_name_alone_abroad_is_no_pin_but_one_among_neighbours_is() -> None:
    """'the cruiser Aurora fired in Petrograd' pinned Aurora, Colorado; a name read with
    no cue whose only town is far abroad needs another place of the document near it."""
    def at(i: int, name: str, how: str) -> Mention:
        return Mention(doc="d", passage=0, start=10 * i, end=10 * i + len(name), text=name,
                       name=name, how=how)

    spb = Candidate(id="saint-petersburg", name="Saint Petersburg", lat=59.94, lon=30.31,
                    kind="city", country="RU")
    aurora = Candidate(id="g:7", name="Aurora", lat=39.73, lon=-104.83, kind="city",
                       country="US", population=359_000)
    towns = {n: Candidate(id=f"g:{n}", name=n, lat=lat, lon=lon, kind="city", country="US",
                          population=200_000)
             for n, lat, lon in (("Louisville", 38.25, -85.76), ("Nashville", 36.17, -86.78))}
    resolvers = [FakeResolver({"Petrograd": [spb]}),
                 FakeResolver({"Aurora": [aurora], **{n: [c] for n, c in towns.items()}})]
    russia = Focus(country="RU", lat=59.9, lon=30.3)
    found = resolve_mentions([at(0, "Petrograd", "lexicon"), at(1, "Aurora", "name")],
                             resolvers=resolvers, focus=russia)
    assert [r.place for r in found] == [spb, None]
    # a misled centre (the document's "Lebanon") does not unpin towns near each other
    found = resolve_mentions([at(0, "Louisville", "name"), at(1, "Nashville", "name")],
                             resolvers=resolvers, focus=russia)
    assert [r.place for r in found] == [towns["Louisville"], towns["Nashville"]]
