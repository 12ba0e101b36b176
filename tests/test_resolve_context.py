"""Resolution by the document's own places: hamlets beside them, features named after a
town among them, famous places abroad against a home namesake, territories (issue 15)."""

from __future__ import annotations

from pathlib import Path

from storymap.corrections.session import EditSession
from storymap.geo import divisions
from storymap.geo.distance import distance_km
from storymap.pipeline.mentions import Mention
from storymap.pipeline.namedafter import stem
from storymap.pipeline.resolve import find_focus, resolve_mentions
from storymap.resolvers.base import Candidate
from storymap.resolvers.fake import FakeResolver


def town(cid: str, name: str, lat: float, lon: float, population: int = 20_000,
         parent: str = "US.VA") -> Candidate:
    kind = "village" if population < 2_000 else "town"
    return Candidate(id=cid, name=name, lat=lat, lon=lon, kind=kind, country="US",
                     population=population, parent=parent, source=f"GeoNames {cid}")


CHARLOTTESVILLE = town("g:1", "Charlottesville", 38.03, -78.48, 46_000)
STANARDSVILLE = town("g:2", "Stanardsville", 38.30, -78.44, 380)
FAR_HAMLET = town("g:3", "Stanardsville", 44.0, -100.0, 300, parent="US.SD")
YUMA = town("g:4", "Yuma", 32.73, -114.62, 95_000, parent="US.AZ")
YUMA_CO = town("g:5", "Yuma", 40.12, -102.72, 3_600, parent="US.CO")
SUMTER = town("g:6", "Sumter", 33.92, -80.34, 40_000, parent="US.SC")
CHARLESTON = town("g:7", "Charleston", 32.78, -79.93, 130_000, parent="US.SC")
CULPEPER = town("g:8", "Culpeper", 38.47, -78.00, 17_000)
SEDALIA = town("g:9", "Sedalia", 38.70, -93.23, 21_000, parent="US.MO")
WARSAW_MO = town("g:10", "Warsaw", 38.24, -93.38, 2_100, parent="US.MO")
WARSAW_PL = Candidate(id="warsaw", name="Warsaw", lat=52.23, lon=21.01, kind="city",
                      country="PL", population=1_700_000)
MISSOURI = Candidate(id="us-mo", name="Missouri", lat=38.46, lon=-92.30, kind="region",
                     country="US")


def mentions(*names: tuple[str, str]) -> list[Mention]:
    out, at = [], 0
    for name, how in names:
        out.append(Mention(doc="d", passage=0, start=at, end=at + len(name), text=name,
                           name=name, how=how))
        at += len(name) + 2
    return out


def resolve(names: list[Mention], curated: dict[str, list[Candidate]],
            towns: dict[str, list[Candidate]]) -> dict[str, str | None]:
    found = resolve_mentions(names, resolvers=[FakeResolver(curated), FakeResolver(towns)])
    return {r.mention.name: (r.place.id if r.place else None) for r in found}


def test_a_hamlet_beside_the_documents_places_is_placed() -> None:
    got = resolve(mentions(("Charlottesville", "cue"), ("Stanardsville", "cue")), {},
                  {"Charlottesville": [CHARLOTTESVILLE], "Stanardsville": [STANARDSVILLE]})
    assert got["Stanardsville"] == "g:2"


def test_a_hamlet_far_from_the_documents_places_stays_unplaced() -> None:
    got = resolve(mentions(("Charlottesville", "cue"), ("Stanardsville", "cue")), {},
                  {"Charlottesville": [CHARLOTTESVILLE], "Stanardsville": [FAR_HAMLET]})
    assert got["Stanardsville"] is None


def test_a_hamlet_alone_stays_unplaced() -> None:
    got = resolve(mentions(("Stanardsville", "cue")), {}, {"Stanardsville": [STANARDSVILLE]})
    assert got["Stanardsville"] is None


def test_stem_of_feature_names() -> None:
    heads, tails = frozenset({"fort", "camp"}), ("court house", "station", "ford")
    assert stem("fort yuma", heads, tails) == "yuma"
    assert stem("camp lapwai", heads, tails) == "lapwai"
    assert stem("culpeper court house", heads, tails) == "culpeper"
    assert stem("varnell s station", heads, tails) == "varnell"
    assert stem("fort", heads, tails) == ""
    assert stem("richmond", heads, tails) == ""
    assert stem("fort ab", heads, tails) == ""  # too short to be a town's name


def test_a_fort_named_after_a_town_the_document_placed_is_estimated_there() -> None:
    san_diego = town("g:13", "San Diego", 32.72, -117.16, 1_300_000, parent="US.CA")
    lookup = {"San Diego": [san_diego], "Yuma": [YUMA, YUMA_CO]}
    # Yuma lies 240 km from San Diego: among the document's places only because the
    # document named Yuma itself and placed it there
    got = resolve(mentions(("San Diego", "cue"), ("Yuma", "cue"), ("Fort Yuma", "feature")),
                  {}, lookup)
    assert got["Yuma"] == "g:4"
    assert got["Fort Yuma"] == "g:4:fort-yuma"
    got = resolve(mentions(("San Diego", "cue"), ("Fort Yuma", "feature")), {}, lookup)
    assert got["Fort Yuma"] is None


def test_a_fort_beside_a_town_of_its_name_among_the_documents_places() -> None:
    names = mentions(("Charlottesville", "cue"), ("Culpeper Court-House", "feature"))
    found = resolve_mentions(names, resolvers=[FakeResolver({}), FakeResolver(
        {"Charlottesville": [CHARLOTTESVILLE], "Culpeper": [CULPEPER]})])
    place = {r.mention.name: r.place for r in found}["Culpeper Court-House"]
    assert place is None  # Culpeper lies 70 km from Charlottesville: not among its places
    near = town("g:11", "Orange", 38.25, -78.11, 5_000)
    names = mentions(("Orange", "cue"), ("Culpeper Court-House", "feature"))
    found = resolve_mentions(names, resolvers=[FakeResolver({}), FakeResolver(
        {"Orange": [near], "Culpeper": [CULPEPER]})])
    place = {r.mention.name: r.place for r in found}["Culpeper Court-House"]
    assert place is not None and place.estimated
    assert (place.lat, place.lon) == (CULPEPER.lat, CULPEPER.lon)
    assert place.name == "Culpeper Court-House" and place.kind == "area"
    assert place.id != CULPEPER.id and place.source.startswith("GeoNames g:8")
    assert "estimated" in place.source


def test_a_fort_named_after_a_person_is_not_put_in_a_far_town_of_that_name() -> None:
    # Fort Sumter lies in Charleston harbour; the town of Sumter is 140 km inland
    got = resolve(mentions(("Charleston", "cue"), ("Fort Sumter", "feature")), {},
                  {"Charleston": [CHARLESTON], "Sumter": [SUMTER]})
    assert got["Fort Sumter"] is None


def test_a_feature_something_knows_is_not_estimated() -> None:
    fort = Candidate(id="p:1", name="Fort Culpeper", lat=38.4, lon=-78.0, kind="building",
                     country="US")
    names = mentions(("Orange", "cue"), ("Fort Culpeper", "feature"))
    found = resolve_mentions(names, resolvers=[FakeResolver({}), FakeResolver(
        {"Orange": [town("g:11", "Orange", 38.25, -78.11, 5_000)], "Culpeper": [CULPEPER],
         "Fort Culpeper": [fort]})])
    place = {r.mention.name: r.place for r in found}["Fort Culpeper"]
    assert place is not None and place.id == "p:1" and not place.estimated


def test_a_famous_place_abroad_yields_to_a_home_town_near_the_states_named() -> None:
    names = mentions(("Sedalia", "name"), ("Missouri", "abbreviation"), ("Warsaw", "lexicon"))
    got = resolve(names, {"Warsaw": [WARSAW_PL], "Missouri": [MISSOURI]},
                  {"Sedalia": [SEDALIA, town("g:12", "Sedalia", 39.6, -104.0, 200,
                                             parent="US.CO")],
                   "Warsaw": [WARSAW_PL, WARSAW_MO]})
    assert got["Warsaw"] == "g:10"


def test_the_focus_is_at_home_when_only_a_place_abroad_has_a_point() -> None:
    focus = find_focus([WARSAW_PL, MISSOURI, Candidate(
        id="us-ks", name="Kansas", lat=38.5, lon=-98.0, kind="region", country="US")])
    assert focus is not None and focus.country == "US"
    assert distance_km(focus.lat, focus.lon, 38.5, -95.0) < 600


def test_territories_are_their_states() -> None:
    for name in ("Washington Territory", "Utah Ter", "Territory of Utah", "Nevada Terr."):
        found = [c for c in divisions.lookup(name) if c.country == "US"]
        assert found, name
    assert divisions.lookup("Washington Territory")[0].parent == "US.WA"


def test_a_state_with_islands_is_placed_on_its_mainland() -> None:
    # Natural Earth gives Texas label points on its barrier islands too: the division's
    # point is the one in the middle of its towns, not Galveston's
    (texas,) = [c for c in divisions.lookup("Texas") if c.parent == "US.TX"]
    assert distance_km(texas.lat, texas.lon, 31.5, -99.5) < 300
    (washington,) = [c for c in divisions.lookup("Washington State") if c.parent == "US.WA"]
    assert washington.lon > -121.5  # east of the Cascades' crest, not in Puget Sound


def test_an_estimated_place_is_reviewed_and_accepting_it_settles_it(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("The march to the river\n\nOn 5 March 1862 the column marched from San "
                    "Diego to Yuma, and on 7 March it reached Fort Yuma, where it rested.\n",
                    encoding="utf-8")
    session = EditSession.from_paths([text])
    (item,) = [i for i in session.review() if i.kind == "estimated"]
    assert item.text == "Fort Yuma" and "estimated" in item.message and "Yuma" in item.message
    place = next(p for p in session.story.places if p.name == "Fort Yuma")
    assert "estimated" in place.source and place.source.startswith("GeoNames")
    session.add(dict(item.accept or {}))
    assert all(i.kind != "estimated" for i in session.review())
    assert any(p.name == "Fort Yuma" for p in session.story.places)


def test_a_square_is_no_far_village_of_its_name() -> None:
    krakow = Candidate(id="g:20", name="Kraków", lat=50.06, lon=19.94, kind="city",
                       country="PL", population=755_000)
    village = town("g:21", "Central Square", 43.29, -76.15, 1_800, parent="US.NY")
    lookup = {"Kraków": [krakow], "Central Square": [village]}
    got = resolve(mentions(("Kraków", "cue"), ("Central Square", "feature")), {}, lookup)
    assert got["Central Square"] != "g:21"  # the square of the story's town, not New York's
    # among the document's own places, the village of that name is the place
    syracuse = town("g:22", "Syracuse", 43.05, -76.15, 145_000, parent="US.NY")
    got = resolve(mentions(("Syracuse", "cue"), ("Central Square", "feature")), {},
                  {"Syracuse": [syracuse], "Central Square": [village]})
    assert got["Central Square"] == "g:21"


def _feature_in_town(text: str, town_at: tuple[int, int], feature_at: tuple[int, int],
                     kind: str = "city") -> Candidate | None:
    """The place of the feature named at ``feature_at`` of ``text``, beside a town."""
    from storymap.text.passages import normalise

    city = Candidate(id="g:30", name=text[slice(*town_at)], lat=39.9, lon=116.4, kind=kind,
                     country="CN", population=18_000_000)
    names = [Mention(doc="d", passage=0, start=a, end=b, text=text[a:b], name=text[a:b],
                     how=how) for (a, b), how in sorted([(town_at, "lexicon"),
                                                         (feature_at, "feature")])]
    passages = normalise(text, doc="d")
    assert [p.text for p in passages] == [text]
    found = resolve_mentions(names, resolvers=[FakeResolver({}), FakeResolver(
        {city.name: [city]})], passages=passages)
    return {r.mention.name: r.place for r in found}[text[slice(*feature_at)]]


def test_a_feature_the_text_names_in_a_town_is_estimated_there() -> None:
    text = "Troops cleared Beijing's Tiananmen Square."
    place = _feature_in_town(text, (15, 22), (25, 41))
    assert place is not None and place.estimated and (place.lat, place.lon) == (39.9, 116.4)
    assert "the town the text names it in" in place.source
    text = "Troops cleared Tiananmen Square in Beijing."
    place = _feature_in_town(text, (35, 42), (15, 31))
    assert place is not None and place.estimated and place.name == "Tiananmen Square"
    # a valley "in" a place is no street of a town; a square "in" a region is not placed
    text = "Scouts reached Gunter Valley in Beijing."
    assert _feature_in_town(text, (32, 39), (15, 28)) is None
    text = "Troops cleared Tiananmen Square in Beijing."
    assert _feature_in_town(text, (35, 42), (15, 31), kind="region") is None


def test_a_street_is_put_at_the_town_its_paragraph_names() -> None:
    text = "The Hessians at Trenton formed up in King Street. Scouts rode to Ewell's Station."
    trenton = town("g:40", "Trenton", 40.22, -74.76, 90_000, parent="US.NJ")
    far = town("g:41", "Washington", 38.9, -77.0, 700_000, parent="US.DC")
    from storymap.text.passages import normalise

    def at(name: str, a: int, b: int, how: str) -> Mention:
        return Mention(doc="d", passage=0, start=a, end=b, text=name, name=name, how=how)

    i, k, e = text.index("Trenton"), text.index("King Street"), text.index("Ewell's Station")
    names = [at("Trenton", i, i + 7, "cue"), at("King Street", k, k + 11, "feature"),
             at("Ewell's Station", e, e + 15, "feature")]
    found = resolve_mentions(names, resolvers=[FakeResolver({}), FakeResolver(
        {"Trenton": [trenton], "Washington": [far]})], passages=normalise(text, doc="d"))
    place = {r.mention.name: r.place for r in found}
    street = place["King Street"]
    assert street is not None and street.estimated and (street.lat, street.lon) == (40.22, -74.76)
    assert "the town its paragraph names nearest to it" in street.source
    # a station of a dispatch lies out of town as often as not: no such estimate
    assert place["Ewell's Station"] is None


def test_a_park_is_put_at_the_town_of_its_own_sentence_first() -> None:
    text = "A monument stands in the town of Szczecin. Denver has Hungarian Freedom Park."
    szczecin = Candidate(id="g:50", name="Szczecin", lat=53.43, lon=14.55, kind="city",
                         country="PL", population=400_000)
    denver = town("g:51", "Denver", 39.74, -104.99, 700_000, parent="US.CO")
    from storymap.text.passages import normalise

    s, d, f = text.index("Szczecin"), text.index("Denver"), text.index("Hungarian Freedom")
    names = [Mention(doc="d", passage=0, start=a, end=a + len(n), text=n, name=n, how=how)
             for n, a, how in (("Szczecin", s, "cue"), ("Denver", d, "lexicon"),
                               ("Hungarian Freedom Park", f, "feature"))]
    found = resolve_mentions(names, resolvers=[FakeResolver({}), FakeResolver(
        {"Szczecin": [szczecin], "Denver": [denver]})], passages=normalise(text, doc="d"))
    park = {r.mention.name: r.place for r in found}["Hungarian Freedom Park"]
    assert park is not None and park.estimated and (park.lat, park.lon) == (39.74, -104.99)


def _set_in(text: str, names: list[tuple[str, str, int | None]], *cities: Candidate,
            ) -> dict[str, Candidate | None]:
    """Resolve ``names`` ((name, how, passage), each at its first place in that passage of
    ``text``, or in the first passage that has it) with only ``cities`` known; return the
    place of each name (of its last mention)."""
    from storymap.text.passages import normalise

    passages = normalise(text, doc="d")
    found_at = []
    for name, how, index in names:
        p = next(p for p in passages if name in p.text and index in (None, p.index))
        a = p.text.index(name)
        found_at.append(Mention(doc="d", passage=p.index, start=a, end=a + len(name),
                                text=name, name=name, how=how))
    found = resolve_mentions(found_at, resolvers=[FakeResolver({}), FakeResolver(
        {c.name: [c] for c in cities})], passages=passages)
    return {r.mention.name: r.place for r in found}


DUBLIN = Candidate(id="g:60", name="Dublin", lat=53.35, lon=-6.26, kind="city",
                   country="IE", population=1_000_000)


def test_a_feature_nothing_else_places_is_put_at_the_town_of_the_title() -> None:
    text = ("The Easter Rising: Dublin, 24-29 April 1916\n\n"
            "The rebels held Boland's Mill and the Four Courts for six days.")
    place = _set_in(text, [("Dublin", "cue", None), ("Boland's Mill", "feature", None)], DUBLIN)
    mill = place["Boland's Mill"]
    assert mill is not None and mill.estimated and (mill.lat, mill.lon) == (53.35, -6.26)
    assert "the town its title or dateline names" in mill.source


def test_a_dateline_sets_the_text_in_its_town() -> None:
    text = ("DUBLIN, April 29. — The rebels who held Boland's Mill since Monday gave it up "
            "this afternoon, and the last of the fighting ended as the evening came on, "
            "leaving the city quiet for the first time in a week.")
    place = _set_in(text, [("DUBLIN", "cue", None), ("Boland's Mill", "feature", None)], DUBLIN)
    mill = place["Boland's Mill"]
    assert mill is not None and (mill.lat, mill.lon) == (53.35, -6.26)
    # a town further on in a long first paragraph is no dateline
    text = ("The rebels who held Boland's Mill since Monday gave it up this afternoon, and "
            "the last of the fighting ended as the evening came on in Dublin, leaving the "
            "city quiet for the first time in a week.")
    place = _set_in(text, [("Boland's Mill", "feature", None), ("Dublin", "cue", None)], DUBLIN)
    assert place["Boland's Mill"] is None


def test_a_town_named_later_in_the_paragraph_yields_to_the_town_of_the_title() -> None:
    text = ("Beijing, Spring 1989\n\n"
            "A man stood in front of the tanks near the Beijing Hotel. "
            "Protests in Shanghai ended within days.")
    shanghai = Candidate(id="g:61", name="Shanghai", lat=31.2, lon=121.5, kind="city",
                         country="CN", population=20_000_000)
    beijing = Candidate(id="g:62", name="Beijing", lat=39.9, lon=116.4, kind="city",
                        country="CN", population=20_000_000)
    hotel = _set_in(text, [("Beijing", "cue", 0), ("Beijing Hotel", "feature", None),
                           ("Shanghai", "cue", None)], beijing, shanghai)["Beijing Hotel"]
    assert hotel is not None and (hotel.lat, hotel.lon) == (39.9, 116.4)
    assert "the town its title or dateline names" in hotel.source


def test_a_small_town_of_the_title_holds_no_streets() -> None:
    """"Four Statues near Whitehall": the title's name read as a small American town must
    not draw the squares of London after it."""
    text = ("Heroes in Bronze: Four Statues near Whitehall\n\n"
            "The first stands in Trafalgar Square, before the National Gallery.")
    whitehall = town("geonames:63", "Whitehall", 39.97, -82.89, 18_000, parent="US.OH")
    place = _set_in(text, [("Whitehall", "cue", None), ("Trafalgar Square", "feature", None)],
                    whitehall)
    assert place["Whitehall"] is not None and place["Trafalgar Square"] is None


def test_a_far_town_of_another_sentence_yields_to_the_town_the_text_names_most() -> None:
    kyiv = Candidate(id="kyiv", name="Kyiv", lat=50.45, lon=30.52, kind="city",
                     country="UA", population=2_900_000)
    vilnius = Candidate(id="g:64", name="Vilnius", lat=54.69, lon=25.28, kind="city",
                        country="LT", population=540_000)
    text = ("Protesters filled the square in Kyiv for weeks.\n\n"
            "The president came back from the summit in Vilnius. "
            "Police stormed the Trade Unions Building that night.\n\n"
            "By February the crowds in Kyiv had grown again.")
    building = _set_in(text, [("Kyiv", "cue", 0), ("Vilnius", "cue", None),
                              ("Trade Unions Building", "feature", None), ("Kyiv", "cue", 2)],
                       kyiv, vilnius)["Trade Unions Building"]
    assert building is not None and (building.lat, building.lon) == (50.45, 30.52)
    assert "the town the text names most" in building.source
