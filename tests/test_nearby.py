"""Names without a cue are places only among the document's own places (pipeline.nearby)."""

from __future__ import annotations

from storymap.geo.candidates import Candidate
from storymap.pipeline import analyse
from storymap.pipeline.mentions import Mention
from storymap.pipeline.nearby import WEAK_KM, keep_nearby
from storymap.pipeline.resolve import ResolvedMention
from storymap.pipeline.sources import SourceText


def placed(text: str) -> dict[str, str | None]:
    a = analyse(SourceText(id="t", text=text))
    return {r.mention.text: (r.place.name if r.place else None) for r in a.mentions}


def test_a_small_town_without_a_cue_among_the_texts_places() -> None:
    # Givors (19,000 people) after "took": no cue, too small to stand alone, 20 km from Lyon
    found = placed("On 3 May 1815 the regiment marched from Lyon. The next day they took "
                   "Givors without a shot.")
    assert found.get("Givors") == "Givors"


def test_a_name_far_from_the_texts_places_is_no_place() -> None:
    # Lincoln, Nebraska opens the sentence; it lies 1,900 km from Gettysburg: the president
    assert "Lincoln" not in placed("Lincoln spoke at Gettysburg on 19 November 1863.")


def mention(text: str, how: str, start: int) -> Mention:
    return Mention(doc="d", passage=0, start=start, end=start + len(text), text=text,
                   name=text, how=how)


def town(name: str, lat: float, lon: float, kind: str = "town") -> Candidate:
    return Candidate(id=name.lower(), name=name, lat=lat, lon=lon, kind=kind)


def test_keep_nearby_judges_only_weak_names_by_the_sure_places() -> None:
    lyon = ResolvedMention(mention("Lyon", "cue", 0), town("Lyon", 45.76, 4.84))
    france = ResolvedMention(mention("France", "cue", 10), town("France", 46.6, 2.4, "country"))
    near = ResolvedMention(mention("Givors", "weak", 20), town("Givors", 45.59, 4.77))
    # 1° of latitude is 111 km: just inside and outside the limit
    edge = WEAK_KM / 111.2 - 0.01
    inside = ResolvedMention(mention("A", "weak", 30), town("A", 45.76 + edge, 4.84))
    outside = ResolvedMention(mention("B", "weak", 40), town("B", 45.76 + edge + 0.05, 4.84))
    unplaced = ResolvedMention(mention("C", "weak", 50), None)
    kept = keep_nearby([lyon, france, near, inside, outside, unplaced])
    assert [r.mention.text for r in kept] == ["Lyon", "France", "Givors", "A"]
    # a country's point is no anchor: alone it keeps no weak name
    assert [r.mention.text for r in keep_nearby([france, near])] == ["France"]


def test_a_feature_word_or_a_peoples_adjective_alone_is_no_place() -> None:
    found = placed("On the Road with Shakespeare\n\nOn 3 March 1958 we opened at "
                   "Stratford-upon-Avon, and on 9 March we played at Rode and Frome.")
    assert "Road" not in found
    assert "English" not in placed("On 4 July 1921 the statue came to London, though "
                                   "Washington had sworn never to set foot on English soil.")
