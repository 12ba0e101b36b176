"""The town a text is its own (storymap.pipeline.owntown): its title, dateline or people."""

from __future__ import annotations

from storymap.lang import load_profile
from storymap.pipeline.mentions import Mention
from storymap.pipeline.owntown import own_town, people_town
from storymap.pipeline.resolve import resolve_mentions
from storymap.resolvers.base import Candidate
from storymap.resolvers.fake import FakeResolver
from storymap.text.passages import normalise

LONDON = Candidate(id="london", name="London", lat=51.51, lon=-0.13, kind="city",
                   country="GB", population=9_000_000)
LONDON_ON = Candidate(id="geonames:6058560", name="London", lat=42.98, lon=-81.23,
                      kind="city", country="CA", population=380_000)
HAMLET = Candidate(id="geonames:1", name="Kyiv", lat=45.0, lon=-90.0, kind="village",
                   country="US", population=300)


def test_the_people_a_text_names_set_it_in_their_city() -> None:
    en = load_profile("en")
    towns = {"london": [LONDON, LONDON_ON], "kyiv": [HAMLET]}

    def lookup(name: str) -> list[Candidate]:
        return towns.get(name.lower(), [])

    assert people_town(["Many Londoners fled to the fields."], en, lookup) == LONDON
    # the city named most; a name with no sure town of it (only a hamlet) is passed over
    assert people_town(["Kyivans and Kyivans met Londoners."], en, lookup) == LONDON
    assert people_town(["Kyivans gathered."], en, lookup) is None
    assert people_town(["The londoner's coat; no people here."], en, lookup) is None


def test_features_of_a_city_its_people_name_are_put_there() -> None:
    text = ("A fire broke out in Pudding Lane in the night.\n\n"
            "By Tuesday it had reached the Royal Exchange, and many Londoners fled.")
    passages = normalise(text, doc="d")
    names = []
    for name in ("Pudding Lane", "Royal Exchange"):
        p = next(p for p in passages if name in p.text)
        a = p.text.index(name)
        names.append(Mention(doc="d", passage=p.index, start=a, end=a + len(name), text=name,
                             name=name, how="feature"))
    found = resolve_mentions(names, resolvers=[FakeResolver({}), FakeResolver(
        {"London": [LONDON]})], passages=passages)
    for r in found:
        assert r.place is not None and (r.place.lat, r.place.lon) == (51.51, -0.13)
        assert "the town whose people the text names" in r.place.source
    # without its people, nothing places them
    text = text.replace("many Londoners", "many people")
    passages = normalise(text, doc="d")
    found = resolve_mentions(names, resolvers=[FakeResolver({}), FakeResolver(
        {"London": [LONDON]})], passages=passages)
    assert all(r.place is None for r in found)


def test_a_title_outranks_the_people_and_a_small_town_is_no_ones_own() -> None:
    texts = {("d", 0): "Dublin, 1916", ("d", 1): "Londoners read the news."}
    dublin = Candidate(id="dublin", name="Dublin", lat=53.35, lon=-6.26, kind="city",
                       country="IE", population=1_000_000)
    title = [Mention(doc="d", passage=0, start=0, end=6, text="Dublin", name="Dublin",
                     how="cue")]
    own = own_town(title, [dublin], texts, "d", people=lambda: LONDON)
    assert own is not None and own.town == dublin and own.declared
    own = own_town([], [], texts, "d", people=lambda: LONDON)
    assert own is not None and own.town == LONDON and own.declared
    assert own_town([], [], texts, "d", people=lambda: HAMLET) is None


DUBLIN = Candidate(id="dublin", name="Dublin", lat=53.35, lon=-6.26, kind="city",
                   country="IE", population=1_000_000)
KINGSTOWN_VC = Candidate(id="geonames:3577887", name="Kingstown", lat=13.16, lon=-61.22,
                         kind="town", country="VC", population=24_518)
DUN_LAOGHAIRE = Candidate(id="geonames:2964506", name="Dún Laoghaire", lat=53.29,
                          lon=-6.13, kind="town", country="IE", population=31_239)
WHITEHALL_US = Candidate(id="geonames:5219271", name="Whitehall", lat=40.66, lon=-75.5,
                         kind="town", country="US", population=13_834)
BOSTON_GB = Candidate(id="geonames:2655138", name="Boston", lat=52.97, lon=-0.02,
                      kind="town", country="GB", population=45_339)


def _read(text: str, names: dict[str, list[Candidate]], *, how: str = "cue") -> list[
        tuple[str, Candidate | None]]:
    passages = normalise(text, doc="d")
    mentions = []
    for name in names:
        p = next(p for p in passages if name in p.text)
        a = p.text.index(name)
        mentions.append(Mention(doc="d", passage=p.index, start=a, end=a + len(name),
                                text=name, name=name, how=how))
    found = resolve_mentions(mentions, resolvers=[FakeResolver(names)], passages=passages)
    return [(r.mention.name, r.place) for r in found]


def test_a_small_town_abroad_goes_home_to_the_text_s_town() -> None:
    """A text set in Dublin (its title) reads "Kingstown": not the town in St Vincent but
    the name's candidate near Dublin; a London account's "Whitehall" with no candidate near
    London is estimated there, and says why."""
    found = dict(_read("The Rising: Dublin, April 1916\n\nTroops landed at Kingstown.",
                       {"Dublin": [DUBLIN], "Kingstown": [KINGSTOWN_VC, DUN_LAOGHAIRE]}))
    assert found["Kingstown"] == DUN_LAOGHAIRE
    found = dict(_read("The Fire: London, 1666\n\nThe King rode from Whitehall.",
                       {"London": [LONDON], "Whitehall": [WHITEHALL_US]}))
    home = found["Whitehall"]
    assert home is not None and home.estimated and (home.lat, home.lon) == (51.51, -0.13)
    assert ("estimated: no data places Whitehall near London (its Whitehall, in US, lies "
            "5,672 km away); put at London, the town its title or dateline names") in home.source


def test_a_feature_far_off_goes_home_in_the_same_country_too() -> None:
    cambridge = Candidate(id="geonames:4931972", name="Cambridge", lat=42.38, lon=-71.11,
                          kind="city", country="US", population=118_000)
    village = Candidate(id="geonames:4234810", name="Bunker Hill", lat=39.0, lon=-89.95,
                        kind="village", country="US", population=1_716)
    text = "The Siege: Cambridge, June 1775\n\nThe redoubt on Bunker Hill fell at dusk."
    found = dict(_read(text, {"Cambridge": [cambridge], "Bunker Hill": [village]},
                       how="feature"))
    hill = found["Bunker Hill"]
    assert hill is not None and hill.estimated and (hill.lat, hill.lon) == (42.38, -71.11)
    # read with a cue, not as a feature: a small town of the same country is meant
    found = dict(_read(text, {"Cambridge": [cambridge], "Bunker Hill": [village]}))
    assert found["Bunker Hill"] == village


def test_a_town_abroad_stays_without_a_declared_town_or_when_near_or_large() -> None:
    # no title or dateline: nothing declares the text's town
    found = dict(_read("The King rode from Whitehall to London.",
                       {"London": [LONDON], "Whitehall": [WHITEHALL_US]}))
    assert found["Whitehall"] == WHITEHALL_US
    # another country, but near (Boston, Lincolnshire, from a Dublin text: under 1,000 km)
    found = dict(_read("The Rising: Dublin, April 1916\n\nA ship sailed from Boston.",
                       {"Dublin": [DUBLIN], "Boston": [BOSTON_GB]}))
    assert found["Boston"] == BOSTON_GB
    # a sure town abroad (50,000 people or more) is the town meant
    big = Candidate(id="geonames:9", name="Whitehall", lat=40.66, lon=-75.5, kind="city",
                    country="US", population=80_000)
    found = dict(_read("The Fire: London, 1666\n\nLetters came from Whitehall.",
                       {"London": [LONDON], "Whitehall": [big]}))
    assert found["Whitehall"] == big


def test_a_street_in_the_local_words_is_a_feature_of_the_town() -> None:
    """"Bornholmer Straße", "Chorsu Bazaar": a street or a market named in the words of
    its country (localwords.yaml) is a feature of the text's town, as "King Street" is."""
    berlin = Candidate(id="berlin", name="Berlin", lat=52.52, lon=13.40, kind="city",
                       country="DE", population=3_600_000)
    found = dict(_read("The Wall: Berlin, November 1989\n\nCrowds pressed at the "
                       "Bornholmer Straße crossing.", {"Berlin": [berlin],
                                                      "Bornholmer Straße": []},
                       how="feature"))
    street = found["Bornholmer Straße"]
    assert street is not None and street.estimated and (street.lat, street.lon) == (52.52, 13.40)
