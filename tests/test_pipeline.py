"""The pipeline: each document analysed alone, then combined; stable ids; the analysis as data."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from storymap.errors import InputError, StoryFormatError
from storymap.model import Place, Story, stable_id
from storymap.pipeline import (
    SourceText,
    analyse,
    build_story,
    build_story_from_texts,
    builtin_texts,
    combine,
    with_year,
)
from storymap.pipeline.analysis import DocumentAnalysis
from storymap.resolvers import Resolver, get_resolver

WOTR = Path(__file__).parent / "data" / "wotr-60"


@pytest.fixture(scope="module")
def backends() -> list[Resolver]:
    return [get_resolver("gazetteer"), get_resolver("geonames")]


def _texts(folder: Path) -> list[SourceText]:
    return [SourceText(id=f.stem, text=f.read_text(encoding="utf-8"))
            for f in sorted(folder.glob("*.txt"))]


def _by_doc(story: Story) -> dict[str, list[tuple[int, int, str | None]]]:
    out: dict[str, list[tuple[int, int, str | None]]] = {}
    for m in story.mentions:
        out.setdefault(m.doc, []).append((m.start, m.end, m.place_id))
    return out


def test_sixty_texts_read_together_give_each_the_mentions_it_gets_alone(
        backends: list[Resolver]) -> None:
    texts = _texts(WOTR)
    assert len(texts) == 60
    story = build_story_from_texts(texts, resolvers=backends)
    together = _by_doc(story)
    assert sum(map(len, together.values())) > 300  # the texts do name places
    assert len({m.id for m in story.mentions}) == len(story.mentions)
    assert len({e.id for e in story.events}) == len(story.events)
    differ = []
    for t in texts:
        alone = _by_doc(build_story_from_texts([t], resolvers=backends)).get(t.id, [])
        if alone != together.get(t.id, []):
            differ.append(t.id)
    assert differ == []


def test_a_surname_in_one_text_does_not_block_a_place_in_another(
        backends: list[Resolver]) -> None:
    place = SourceText(id="a", text="On 5 June 1863 the regiment marched to Lincoln.")
    person = SourceText(id="b", text="On 6 June 1863 President Abraham Lincoln wrote to Grant.")
    alone = build_story_from_texts([place], resolvers=backends)
    both = build_story_from_texts([place, person], resolvers=backends)
    assert _by_doc(alone)["a"] == _by_doc(both)["a"]
    assert any(m.text == "Lincoln" and m.place_id for m in both.mentions if m.doc == "a")


# -- the analysis as data ----------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_analysis(backends: list[Resolver]) -> DocumentAnalysis:
    path = builtin_texts()[1]
    return analyse(SourceText(id=path.stem, text=path.read_text(encoding="utf-8")),
                   resolvers=backends)


def test_analysis_round_trips_through_json(seed_analysis: DocumentAnalysis) -> None:
    assert seed_analysis.events and seed_analysis.mentions and seed_analysis.candidates
    text = seed_analysis.to_json()
    assert DocumentAnalysis.from_json(text) == seed_analysis
    assert json.loads(text)["version"] == 2  # 2: slim analyses (records); 1 is still read


def test_analysis_depends_only_on_its_text(seed_analysis: DocumentAnalysis,
                                           backends: list[Resolver]) -> None:
    again = analyse(SourceText(id=seed_analysis.id, text=seed_analysis.document.text),
                    resolvers=backends)
    assert again == seed_analysis


def test_analysis_json_errors_name_the_file() -> None:
    with pytest.raises(StoryFormatError, match=r"a\.json: expected a storymap document analysis"):
        DocumentAnalysis.from_json('{"version": 99}', filename="a.json")
    with pytest.raises(StoryFormatError, match=r"a\.json: not a valid storymap document"):
        DocumentAnalysis.from_json('{"version": 1, "document": {}}', filename="a.json")


def test_combine_of_analyses_is_the_story_of_the_texts(backends: list[Resolver]) -> None:
    texts = [SourceText(id=p.stem, text=p.read_text(encoding="utf-8")) for p in builtin_texts()]
    analyses = [DocumentAnalysis.from_json(analyse(t, resolvers=backends).to_json())
                for t in texts]
    assert combine(analyses) == build_story_from_texts(texts, resolvers=backends)


# -- years -------------------------------------------------------------------------------

YEARLESS = SourceText(id="notes", text="On 24 October Soviet tanks entered Budapest.")
DATED = SourceText(id="article", text="On 23 October 1956 students marched in Budapest.")


def test_a_yearless_text_takes_the_year_of_its_story(backends: list[Resolver]) -> None:
    alone = analyse(YEARLESS, resolvers=backends)
    assert alone.year is None and alone.events == ()  # alone it does not guess a year
    story = build_story_from_texts([YEARLESS, DATED], resolvers=backends)
    notes = [e for e in story.events if e.sources[0].doc == "notes"]
    assert [e.date for e in notes] == ["1956-10-24"]
    filled = with_year(alone, 1956)
    assert filled.default_year == 1956 and filled.year is None
    assert [e.id for e in filled.events] == [e.id for e in notes]


def test_a_text_with_its_own_year_keeps_it(backends: list[Resolver]) -> None:
    other = SourceText(id="other", text="In 1989 1989 1989 crowds gathered in Leipzig.")
    story = build_story_from_texts([DATED, other], resolvers=backends)
    assert any(e.date == "1956-10-23" for e in story.events)
    analysis = analyse(DATED, resolvers=backends)
    assert with_year(analysis, 1989) is analysis


# -- stable ids --------------------------------------------------------------------------

def _events(texts: Sequence[SourceText], backends: list[Resolver]) -> dict[str, tuple[str, str]]:
    story = build_story_from_texts(texts, resolvers=backends)
    return {e.id: (e.date, ",".join(r.place_id for r in e.places)) for e in story.events}


def test_event_ids_survive_a_change_of_date_or_place(backends: list[Resolver]) -> None:
    before = _events([DATED], backends)
    # the same sentence with another day and another city of the same length
    after = _events([replace(DATED, text="On 25 October 1956 students marched in Debrecen.")],
                    backends)
    assert before.keys() == after.keys() and len(before) == 1
    (old,), (new,) = before.values(), after.values()
    assert old != new  # the date and the place did change


def test_ids_come_from_the_document_and_the_span(backends: list[Resolver]) -> None:
    story = build_story_from_texts([DATED], resolvers=backends)
    for m in story.mentions:
        assert m.id == stable_id("m", m.doc, m.start, m.end)
    (event,) = story.events
    src = event.sources[0]
    assert event.id == stable_id("e", src.doc, src.start, src.end)
    assert build_story_from_texts([DATED], resolvers=backends) == story  # a rebuild


def test_ids_are_unique_and_merged_events_keep_their_first_source(
        backends: list[Resolver]) -> None:
    texts = [SourceText(id=p.stem, text=p.read_text(encoding="utf-8")) for p in builtin_texts()]
    story = build_story_from_texts(texts, resolvers=backends)
    ids = [e.id for e in story.events]
    assert len(ids) == len(set(ids))
    assert len({m.id for m in story.mentions}) == len(story.mentions)
    merged = [e for e in story.events if len({s.doc for s in e.sources}) == 2]
    assert merged
    for e in merged:
        first = e.sources[0]
        assert e.id.split("-")[0] == stable_id("e", first.doc, first.start, first.end)
        assert first.doc == texts[0].id
    flipped = build_story_from_texts(texts[::-1], resolvers=backends)
    assert {e.id for e in flipped.events if len(e.sources) == 1} >= {
        e.id for e in story.events if len(e.sources) == 1}


def test_the_json_carries_the_ids(backends: list[Resolver]) -> None:
    data = json.loads(build_story_from_texts([DATED], resolvers=backends).to_json())
    assert all(m["id"].startswith("m") for m in data["mentions"])
    assert all(e["id"].startswith("e") for e in data["events"])


def test_old_stories_without_ids_or_with_paths_still_load(backends: list[Resolver]) -> None:
    story = build_story_from_texts([DATED], resolvers=backends)
    old = json.loads(story.to_json())
    for m in old["mentions"]:
        del m["id"]
    old["documents"][0]["path"] = "/home/teacher/notes/article.txt"
    back = Story.from_dict(old)
    assert back == story
    assert "/home/teacher" not in back.to_json()


def test_two_texts_with_one_id_are_refused(backends: list[Resolver]) -> None:
    with pytest.raises(InputError, match="two texts have the id 'article'"):
        build_story_from_texts([DATED, replace(DATED, text="Another text.")],
                               resolvers=backends)


def test_build_story_names_documents_by_file_stem(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.txt").write_text(DATED.text, encoding="utf-8")
    with pytest.raises(InputError, match="rename one of them"):
        build_story([tmp_path / "a" / "notes.txt", tmp_path / "b" / "notes.txt"])


# -- the corrections seam ----------------------------------------------------------------

class _HideAll:
    """A stand-in for issue 8's corrections: hide every event of one document."""

    def __init__(self, doc: str) -> None:
        self.doc = doc
        self.seen: list[str] = []

    def analyses(self, analyses: Sequence[DocumentAnalysis]) -> Sequence[DocumentAnalysis]:
        self.seen = [a.id for a in analyses]
        return analyses

    def story(self, story: Story) -> Story:
        kept = tuple(e for e in story.events if e.sources[0].doc != self.doc)
        return replace(story, events=kept)

    def settles(self, doc: str, name: str) -> bool:
        return False


class _AddGeoNamesPlace(_HideAll):
    """A correction that puts a place from GeoNames on the map."""

    def story(self, story: Story) -> Story:
        nowhere = Place(id="geonames:1", name="Somewhere", lat=1.0, lon=2.0, kind="town",
                        source="GeoNames 1")
        return replace(story, places=(*story.places, nowhere))


def test_credits_follow_the_corrected_places(backends: list[Resolver]) -> None:
    notes = analyse(SourceText(id="notes", text="On 3 May 1990 we met at the Blue Door."),
                    resolvers=backends)
    assert "GeoNames" not in [a.name for a in combine([notes]).attributions]
    assert "GeoNames" in [a.name for a in combine([notes], _AddGeoNamesPlace("x")).attributions]


def test_combine_applies_corrections_to_the_analyses_and_the_story(
        backends: list[Resolver]) -> None:
    analyses = [analyse(t, resolvers=backends) for t in (DATED, YEARLESS)]
    fixes = _HideAll("article")
    story = combine(analyses, fixes)
    assert fixes.seen == ["article", "notes"]
    assert [e.sources[0].doc for e in story.events] == ["notes"]


def test_a_text_without_a_heading_is_titled_by_its_first_line_cut_between_words() -> None:
    from storymap.pipeline import SourceText, build_story_from_texts

    text = ("On 9 October 1989 about 70,000 people marched in Leipzig. "
            "On 4 November 1989 half a million people gathered in East Berlin.")
    title = build_story_from_texts([SourceText(id="t", text=text)]).title
    assert title == "On 9 October 1989 about 70,000 people marched in Leipzig. On 4 November 1989…"
    short = build_story_from_texts([SourceText(id="t", text="Leipzig, 9 October 1989.")])
    assert short.title == "Leipzig, 9 October 1989."
