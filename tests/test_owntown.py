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
