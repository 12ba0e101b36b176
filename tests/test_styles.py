"""Texts in other styles, places and centuries than the seeds: the rules are general.

Each invented text (tests/data/styles/) lists what a careful reader pins: (date, place).
GeoNames places are named by id; curated ones by their places/ id.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storymap.pipeline import build_story

STYLES = Path(__file__).parent / "data" / "styles"

BRANDENBURG_GATE = "west-berlin:brandenburg-gate"

EXPECTED = {
    # A Markdown chapter about 1968, US dates, a time "shortly after midnight".
    # "In Bratislava, …" has no date of its own: the narration goes on from 21 August to
    # "The next day", so the paragraph between them tells 21 August.
    # "On the night of August 20 … shortly after midnight": the night's midnight is 21 August.
    "prague.txt": {("1968-08-21", "geonames:3066545"),
                   ("1968-08-21", "prague"), ("1968-08-21", "moscow"),
                   ("1968-08-21", "bratislava"),
                   ("1968-08-22", "geonames:3078610"), ("1968-08-22", "geonames:3068799")},
    # A memoir with relative dates and names without accents.
    "memoir.txt": {("1956-11-20", "gyor"), ("1956-11-20", "hegyeshalom"),
                   ("1956-11-22", "andau"), ("1956-11-23", "vienna"),
                   ("1956-11-30", "salzburg"), ("1956-12-03", "new-york")},
    # The 1848 revolution: another century, historic names (Pozsony → Bratislava).
    "1848.txt": {("1848-03-15", "national-museum"), ("1848-03-15", "pest"),
                 ("1848-03-15", "buda"), ("1848-04-11", "bratislava"),
                 ("1849-04-06", "geonames:3051077"), ("1849-04-14", "debrecen"),
                 ("1849-10-02", "komarom"), ("1849-10-06", "arad")},
    # The American Civil War: US dates, a small town in the story's focus country;
    # "Williamsport, Maryland" is the Maryland town (4373719), not the bigger one in
    # Pennsylvania. Cemetery Hill, Little Round Top and the Wheatfield, which no data
    # places, are estimated at Gettysburg: the text's towns lie within 100 km.
    "us.txt": {("1863-07-01", "geonames:4558183"), ("1863-07-04", "geonames:4373719"),
               ("1863-11-19", "geonames:4558183"),
               ("1863-07-01", "geonames:4558183:cemetery-hill"),
               ("1863-07-02", "geonames:4558183:little-round-top"),
               ("1863-07-02", "geonames:4558183:wheatfield")},
    # No accents anywhere.
    "noaccent.txt": {("1956-10-23", "gyor"), ("1956-10-23", "pecs"),
                     ("1956-10-24", "debrecen"), ("1956-10-24", "miskolc"),
                     ("1956-10-24", "szekesfehervar"), ("1956-10-25", "kecskemet"),
                     ("1956-10-26", "ozd")},
    # A British memoir: 4th November, the 6th, 10/01/1957 read day first, God is no town.
    "uk.txt": {("1956-11-04", "angyalfold"), ("1956-11-06", "keleti-station"),
               ("1956-12-23", "vienna"), ("1956-12-23", "traiskirchen"),
               ("1957-01-10", "geonames:2651048"), ("1957-01-10", "london")},
    # An 1863 dispatch: its dateline dates the letter; "the 2d instant", "the 28th ultimo"
    # and "the 3d" look back from it.
    "dispatch.txt": {("1863-05-05", "geonames:4111410"), ("1863-05-02", "geonames:4134716"),
                     ("1863-04-28", "geonames:4110486"), ("1863-05-03", "geonames:4537123")},
    # A title line's year frames the text; a later year at its end does not rewrite it; the
    # place right before a date takes that date.
    # the Winter Palace, in no offline data, is estimated at Petrograd, the city the text
    # is mostly set in (pipeline.estimate)
    "petrograd.txt": {("1917-10-25", "saint-petersburg"), ("1917-10-27", "saint-petersburg"),
                      ("1917-10-25", "saint-petersburg:winter-palace"),
                      ("1918-03-12", "moscow"), ("1918-03-03", "brest-belarus")},
    # 1989: weekday dates, "The next morning", a name cut at a sentence end; the
    # Brandenburg Gate, in no offline data, estimated at the Berlin its paragraph names, and
    # Bornholmer Strasse (a street by its local word) at the East Berlin its paragraph names
    "berlin.txt": {("1989-11-09", "east-berlin"), ("1989-11-10", "west-berlin"),
                   ("1989-10-09", "dresden"), ("1989-10-09", "geonames:2853292"),
                   ("1990-10-03", "berlin"), ("1989-11-10", BRANDENBURG_GATE),
                   ("1989-12-22", BRANDENBURG_GATE),
                   ("1989-11-09", "east-berlin:bornholmer-strasse")},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_day_pins_of_each_style(name: str) -> None:
    story = build_story([STYLES / name])
    pins = {(e.date, r.place_id) for e in story.events if e.precision == "day"
            for r in e.places}
    assert pins == EXPECTED[name]
