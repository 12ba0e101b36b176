"""Property tests: no text crashes the pipeline, and what it returns is consistent."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storymap.model import Story
from storymap.pipeline import SourceText, build_story_from_texts

# Text made of the pieces the stages care about, so examples reach deep into them.
PIECES = st.sampled_from([
    "On 23 October 1956", " in Budapest", " at 20:00", ", ", ". ", "\n\n", "= = Heading = =\n",
    "==H==\n", " the next day", " Gy?r", " @-@ ", " 2 @,@ 500", " Kossuth tér", " District VIII",
    " the eighth and ninth districts", " From 1 to 3 November", " Imre Nagy", " ? ", "(", ")",
    " <script>alert(1)</script>", " 31 February 1956", " 99.99.9999", " Stalin's statue",
    " in Brest", " the 30th", " a week later", " that evening", "Infobox\n- A: b\n",
])
TEXTS = st.one_of(st.text(max_size=400), st.lists(PIECES, max_size=40).map("".join))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_no_text_crashes_the_pipeline(text: str) -> None:
    story = build_story_from_texts([SourceText(id="doc", text=text)])
    data = json.loads(story.to_json())
    assert Story.from_dict(data) == story
    places = {p.id for p in story.places}
    for event in story.events:
        assert all(r.place_id in places for r in event.places)
        for s in event.sources:
            assert 0 <= s.start <= s.end <= len(text)
        assert event.precision in ("day", "month", "year")
    for m in story.mentions:
        assert 0 <= m.start < m.end <= len(text)


def test_empty_text_gives_an_empty_story() -> None:
    story = build_story_from_texts([SourceText(id="empty", text="")])
    assert story.events == () and story.places == () and story.mentions == ()
    assert story.days() == () and story.main_phase() is None
