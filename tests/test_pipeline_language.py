"""The pipeline loads the language profile and passes it to every stage it runs."""

from __future__ import annotations

import pytest

from storymap import pipeline
from storymap.errors import ConfigError
from storymap.pipeline import SourceText, analyse
from storymap.pipeline.analysis import DocumentAnalysis

TEXT = "On 23 October 1956 students marched from the university to Bem tér in Budapest."


def test_every_stage_is_given_the_analysis_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, str] = {}
    for name in ("normalise", "find_people", "find_mentions", "resolve_mentions", "find_dates",
                 "build_events", "story_year"):
        original = getattr(pipeline, name)

        def spy(*args: object, _name: str = name, _f: object = original,
                **kwargs: object) -> object:
            seen[_name] = kwargs["profile"].code  # type: ignore[attr-defined]
            return _f(*args, **kwargs)  # type: ignore[operator]

        monkeypatch.setattr(pipeline, name, spy)
    analysis = analyse(SourceText(id="notes", text=TEXT))
    assert seen == dict.fromkeys(seen, "en") and len(seen) == 7
    assert analysis.language == "en"
    assert DocumentAnalysis.from_json(analysis.to_json()).language == "en"


def test_an_unknown_language_is_a_config_error_naming_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"known: .*en"):
        analyse(SourceText(id="notes", text=TEXT), language="xx")
