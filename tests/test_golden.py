"""Golden tests on the seeds: the evaluation's F1 on seed 000, and facts of seed 001."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storymap.formats.tables import to_geojson
from storymap.model import Story
from storymap.pipeline import build_story, builtin_texts

EVAL = Path(__file__).parent / "data" / "eval"
SEED_000, SEED_001 = builtin_texts()
#: Seed 000 scores 0.988 (42 of 43; Melbourne is dated in another sentence): the floor is
#: just under it, so a reader change that loses one gold pin fails here rather than unseen.
F1_FLOOR = 0.98


@pytest.fixture(scope="module")
def story_000() -> Story:
    return build_story([SEED_000])


@pytest.fixture(scope="module")
def story_001() -> Story:
    return build_story([SEED_001])


def test_seed_000_f1_is_at_least_090(story_000: Story, tmp_path: Path) -> None:
    out = tmp_path / "000.geojson"
    out.write_text(to_geojson(story_000), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(EVAL / "score.py"), str(EVAL / "seed-000.csv"), str(out), "--verbose"],
        capture_output=True, text=True, check=True,
    )
    last = proc.stdout.strip().splitlines()[-1]
    f1 = float(last.split("F1")[1].split()[0])
    assert f1 >= F1_FLOOR, proc.stdout


def _has(story: Story, day: str, place_id: str, end: str | None = None) -> bool:
    return any(e.date == day and e.end_date == end and any(r.place_id == place_id
                                                             for r in e.places)
               for e in story.events)


@pytest.mark.parametrize(("day", "place", "end"), [
    ("1956-10-13", "szeged", None),
    ("1956-10-25", "kossuth-ter", None),
    ("1956-10-25", "astoria", None),
    ("1956-10-26", "kecskemet", None),
    ("1956-10-30", "koztarsasag-ter", None),
    ("1956-11-01", "brest-belarus", "1956-11-03"),
    ("1956-11-03", "tokol", None),
    ("1956-11-04", "szolnok", None),
    ("1956-11-04", "corvin-koz", "1956-11-09"),
    ("1956-11-11", "dunaujvaros", None),
])
def test_seed_001_facts(story_001: Story, day: str, place: str, end: str | None) -> None:
    assert _has(story_001, day, place, end), [
        (e.date, [r.place_id for r in e.places]) for e in story_001.events if e.date == day]


def test_not_places_stay_off_the_map(story_000: Story, story_001: Story) -> None:
    for story in (story_000, story_001):
        mentioned = {m.text for m in story.mentions}
        assert not {"Radio Free Europe", "Warsaw Pact", "Nagy", "Kossuth"} & mentioned


def test_brest_is_in_belarus_and_jozsefvaros_in_budapest(story_000: Story) -> None:
    brest = next(p for p in story_000.places if p.name.startswith("Brest"))
    assert brest.country == "BY"


def test_both_seeds_make_one_story_citing_both(tmp_path: Path) -> None:
    story = build_story(list(builtin_texts()))
    assert {d.id for d in story.documents} == {SEED_000.stem, SEED_001.stem}
    both = [e for e in story.events if len({s.doc for s in e.sources}) == 2]
    assert len(both) >= 10  # the same events told by both revisions merge
    for e in both:
        for s in e.sources:
            text = story.document(s.doc).text
            assert 0 <= s.start < s.end <= len(text)
    assert json.loads(story.to_json())["version"] == 1
