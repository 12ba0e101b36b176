"""The words of the date, event and passage stages are data: lang/en/*.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from storymap.lang.profile import Profile, load_profile
from storymap.pipeline.dates import find_dates
from storymap.pipeline.dates.datetext import scan
from storymap.pipeline.events import title_of
from storymap.text.passages import normalise, sentence_spans

LANG = Path(__file__).resolve().parents[1] / "storymap" / "lang" / "en"


@pytest.mark.parametrize("name", ["dates.yaml", "events.yaml", "passages.yaml"])
def test_every_word_is_a_string(name: str) -> None:
    # YAML reads a bare on/no/yes as a boolean: quote them.
    data = yaml.safe_load((LANG / name).read_text(encoding="utf-8"))
    for key, value in data.items():
        entries = list(value) if isinstance(value, (list, dict)) else []
        assert all(isinstance(e, str) for e in entries), key


def _variant(**sections: object) -> Profile:
    en = load_profile("en")
    return Profile(code="en-test", sections={**en.sections, **sections})


def test_month_names_come_from_the_profile() -> None:
    text = "On 23 Oktober 1956 the students marched."
    assert [r.month for r in scan(text)] == []
    german = _variant(months={**load_profile("en").table("months"), "oktober": 10})
    assert [(r.day, r.month, r.year) for r in scan(text, profile=german)] == [(23, 10, 1956)]
    dates = find_dates(normalise(text), profile=german)
    assert [d.date for d in dates] == ["1956-10-23"]


def test_parts_of_the_day_come_from_the_profile() -> None:
    en = load_profile("en")
    p = _variant(part_words={**en.table("part_words"), "cockcrow": "early morning"})
    text = "On 1 May 1945 we left. At cockcrow we ate."
    assert [d.time for d in find_dates(normalise(text), profile=p)][-1] == "early morning"
    assert "cockcrow" not in [d.text for d in find_dates(normalise(text))]


def test_title_and_sentence_words_come_from_the_profile() -> None:
    p = _variant(title_connectives=["alas"], sentence_abbreviations=["gen", "capt"])
    assert title_of("Alas, the bridge fell into the river.", profile=p) == (
        "The bridge fell into the river")
    assert title_of("Alas, the bridge fell into the river.").startswith("Alas")
    text = "Capt. Smith came. Gen. Lee left."
    assert len(sentence_spans(text, profile=p)) == 2
    assert len(sentence_spans(text, profile=_variant(sentence_abbreviations=[]))) == 4
