"""The story JSON Schema (storymap/schema/story.schema.json) against what Story.to_json() writes."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from storymap import model
from storymap.model import Place, Story
from storymap.pipeline import build_story
from storymap.pipeline.dates.datetext import PARTS_OF_DAY

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "storymap" / "examples" / "hungary-1956"

Json = dict[str, Any]

#: Each model dataclass and the schema definition that describes it.
DEFINITIONS: dict[str, type] = {
    "document": model.Document,
    "place": model.Place,
    "placeRef": model.PlaceRef,
    "sourceRef": model.SourceRef,
    "event": model.Event,
    "mention": model.MentionRecord,
    "dateRecord": model.DateRecord,
    "attribution": model.Attribution,
}


@pytest.fixture(scope="module")
def schema() -> Json:
    """The schema as shipped: read through the package, so it works from a wheel too."""
    text = resources.files("storymap").joinpath("schema", "story.schema.json").read_text(
        encoding="utf-8"
    )
    loaded: Json = json.loads(text)
    return loaded


@pytest.fixture(scope="module")
def validator(schema: Json) -> Draft202012Validator:
    return Draft202012Validator(schema)


@pytest.fixture()
def small() -> Json:
    """A fresh copy of the small test story's JSON, to break in each negative case."""
    loaded: Json = json.loads((DATA / "story-small.json").read_text(encoding="utf-8"))
    return loaded


def errors(validator: Draft202012Validator, data: Any) -> list[str]:
    """Return every validation error as "path: message", empty when ``data`` is valid."""
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(data)]


def test_schema_is_valid_draft_2020_12(schema: Json) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["version"] == {
        "description": "Layout version of this file.", "const": model.STORY_VERSION,
    }


#: Fields added after stories were written: optional in the schema (Document.edits: an
#: older story shows its raw text; Event.continuing: derived from the precision when absent;
#: Place.estimated: an older story's places are its data's own).
LATER = {"document": {"edits"}, "event": {"continuing", "time_order"}, "place": {"estimated"},
         "dateRecord": {"weekday"}}


def test_schema_names_every_model_field(schema: Json) -> None:
    """A field added to the model without a schema change (or the reverse) fails here."""
    story_fields = {f.name for f in dataclasses.fields(Story)} | {"unresolved"}
    assert set(schema["properties"]) == story_fields
    assert set(schema["required"]) == story_fields
    for name, cls in DEFINITIONS.items():
        definition = schema["$defs"][name]
        fields = {f.name for f in dataclasses.fields(cls)}
        assert set(definition["properties"]) == fields, name
        # to_json writes every field; stories written before a later optional field load too
        assert set(definition["required"]) == fields - LATER.get(name, set()), name
        assert definition["additionalProperties"] is False, name


def test_small_story_file_validates(validator: Draft202012Validator, small: Json) -> None:
    assert errors(validator, small) == []


def test_to_json_output_validates(validator: Draft202012Validator, story: Story) -> None:
    written = json.loads(story.to_json())
    assert errors(validator, written) == []
    assert written["unresolved"], "the small story has an unresolved mention to check"


def test_multipolygon_and_empty_story_validate(validator: Draft202012Validator,
                                               story: Story) -> None:
    square = [[[19.0, 47.4], [19.1, 47.4], [19.1, 47.5], [19.0, 47.4]]]
    area = Place(id="area", name="Area", lat=47.45, lon=19.05, kind="region",
                 geometry={"type": "MultiPolygon", "coordinates": [square, square]})
    with_area = dataclasses.replace(story, places=(*story.places, area))
    assert errors(validator, json.loads(with_area.to_json())) == []
    empty = Story(title="Empty story", documents=(), places=(), events=())
    assert errors(validator, json.loads(empty.to_json())) == []


def test_times_are_clock_times_or_parts_of_day(schema: Json) -> None:
    words = next(o["enum"] for o in schema["$defs"]["time"]["anyOf"] if "enum" in o)
    assert tuple(words) == PARTS_OF_DAY  # what the dates stage writes for "that evening"


def test_coarse_dates_and_parts_of_day_validate(validator: Draft202012Validator,
                                                small: Json) -> None:
    small["events"][2].update(time="early morning")
    small["dates"][0].update(time="23:59")
    small["events"][0].update(date="1956", precision="year", end_date="1989")
    small["events"][1].update(date="1956-10", precision="month", end_date="1956-12")
    small["dates"][0].update(date="1957-01", precision="month")
    assert errors(validator, small) == []


def _set(path: str, value: Any) -> Callable[[Json], None]:
    """Return an edit that sets the value at a slash-separated ``path`` (list indexes as digits)."""
    *parents, last = path.split("/")

    def edit(data: Json) -> None:
        node: Any = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value
    return edit


def _delete(key: str) -> Callable[[Json], None]:
    def edit(data: Json) -> None:
        del data[key]
    return edit


BROKEN: dict[str, Callable[[Json], None]] = {
    "missing version": _delete("version"),
    "version 2": _set("version", 2),
    "version as string": _set("version", "1"),
    "missing events": _delete("events"),
    "unknown top-level field": _set("colour", "red"),
    "day precision, month date": _set("events/0/date", "1956-10"),
    "day precision, dotted date": _set("events/0/date", "23.10.1956"),
    "month 13": _set("events/0/date", "1956-13-01"),
    "day 32": _set("events/0/date", "1956-10-32"),
    "month precision, day date": _set("events/5/date", "1957-01-15"),
    "year precision, month date": _set("events/5/precision", "year"),
    "unknown precision": _set("events/0/precision", "week"),
    "end date coarser than precision": _set("events/3/end_date", "1956-11"),
    "time 25:00": _set("events/1/time", "25:00"),
    "time in other words": _set("events/1/time", "teatime"),
    "time without minutes": _set("events/1/time", "20"),
    "event without sources": _set("events/0/sources", []),
    "unknown event field": _set("events/0/colour", "red"),
    "negative offset": _set("events/0/sources/0/start", -1),
    "offset as string": _set("mentions/0/start", "3"),
    "place ref without id": _set("events/0/places/0", {"mention": "Parliament"}),
    "latitude 91": _set("places/0/lat", 91.0),
    "longitude as string": _set("places/0/lon", "19.04"),
    "point geometry": _set("places/0/geometry", {"type": "Point", "coordinates": [19.0, 47.5]}),
    "ring of three positions": _set(
        "places/5/geometry/coordinates", [[[19.0, 47.4], [19.1, 47.4], [19.0, 47.4]]]),
    "empty place kind": _set("places/0/kind", ""),
    "date record in words": _set("dates/0/date", "23 October 1956"),
    "resolved mention in unresolved": _set("unresolved/0/place_id", "budapest"),
    "attribution without text": _set("attributions/0", {"name": "X", "license": "", "url": ""}),
    "document without text": _set("documents/0", {"id": "small", "title": "t", "path": "",
                                                  "url": "", "license": ""}),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_story_fails(validator: Draft202012Validator, small: Json, case: str) -> None:
    assert errors(validator, small) == []  # the break below is the only fault
    broken = copy.deepcopy(small)
    BROKEN[case](broken)
    assert errors(validator, broken), f"{case}: the schema accepted it"


@pytest.fixture(scope="module")
def seed_story() -> Story:
    """The built-in 1956 story, built from both seed texts by the whole pipeline."""
    return build_story(sorted(SEED_DIR.glob("*.txt")))


def test_seed_story_validates(validator: Draft202012Validator, seed_story: Story) -> None:
    data = json.loads(seed_story.to_json())
    assert data["events"] and data["places"] and data["mentions"] and data["dates"]
    problems = errors(validator, data)
    assert problems == [], f"{len(problems)} schema errors, first: {problems[:5]}"
    assert Story.from_json(seed_story.to_json()) == seed_story


# -- storymap.model.validate: the schema checked on load, without jsonschema at run time ------
def _ours(data: Any) -> str | None:
    """Return storymap.model.validate's message for ``data``, None when it accepts it."""
    from storymap.errors import StoryFormatError
    from storymap.model.validate import validate_story

    try:
        validate_story(data, filename="s.json")
    except StoryFormatError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_our_validator_refuses_what_jsonschema_refuses(validator: Draft202012Validator,
                                                       small: Json, case: str) -> None:
    broken = copy.deepcopy(small)
    BROKEN[case](broken)
    message = _ours(broken)
    assert message is not None, f"{case}: storymap.model.validate accepted it"
    assert message.startswith("s.json: $") and "expected" in message and "\n" not in message
    first = next(iter(validator.iter_errors(broken)))
    if first.absolute_path:  # the same place is named
        assert message.split(": ")[1].startswith("$" + "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in first.absolute_path)[:8])


def test_our_validator_accepts_what_jsonschema_accepts(validator: Draft202012Validator,
                                                       small: Json, story: Story) -> None:
    for data in (small, json.loads(story.to_json()),
                 json.loads(Story(title="E", documents=(), places=(), events=()).to_json())):
        assert errors(validator, data) == [] and _ours(data) is None


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=12))
@settings(max_examples=60, deadline=None)  # agreement, not speed: a loaded machine is slow
def test_our_validator_agrees_with_jsonschema_on_any_value_in_any_field(value: Any) -> None:
    """Put an arbitrary JSON value in a field of a valid story: both validators agree."""
    small: Json = json.loads((DATA / "story-small.json").read_text(encoding="utf-8"))
    reference = Draft202012Validator(json.loads(resources.files("storymap").joinpath(
        "schema", "story.schema.json").read_text(encoding="utf-8")))
    for path in ("events/0/date", "events/1/time", "places/0/geometry", "places/0/names",
                 "mentions/0/place_id", "events/0/places", "dates/0/end_date", "title"):
        broken = copy.deepcopy(small)
        _set(path, value)(broken)
        assert (errors(reference, broken) == []) == (_ours(broken) is None), (path, value)


def test_a_keyword_the_validator_does_not_know_is_refused() -> None:
    from storymap.errors import ConfigError
    from storymap.model.validate import compile_schema

    with pytest.raises(ConfigError, match="'uniqueItems' is not supported"):
        compile_schema({"type": "array", "uniqueItems": True})


def test_a_story_carries_its_display_edits_and_an_older_one_loads_without(story: Story) -> None:
    built = Story.from_json(story.to_json())
    assert [d.edits for d in built.documents] == [d.edits for d in story.documents]
    data = json.loads(story.to_json())
    for doc in data["documents"]:
        doc.pop("edits", None)
    older = Story.from_dict(data)
    assert all(d.edits == () for d in older.documents)


@pytest.mark.parametrize("key", ["a\nb", 'x"]\r\n', "é" * 200])
def test_a_hostile_field_name_is_quoted_in_a_one_line_message(key: str) -> None:
    """The JSON path of a bad value quotes an odd field name: the message stays one line."""
    from storymap.errors import StoryFormatError
    from storymap.formats.knightlab.read import load_interchange

    story = json.loads(Story(title="t", documents=(), places=(), events=()).to_json())
    story["events"] = [{key: 1}]  # a field the schema does not know
    bad = {"events": [{"text": {key: "\u0001"}}]}  # a control character under that field
    for text, name in ((json.dumps(story), "story.json"), (json.dumps(bad), "in.json")):
        with pytest.raises(StoryFormatError) as caught:
            if name == "story.json":
                Story.from_json(text)
            else:
                load_interchange(text, filename=name, on_warning=lambda _: None)
        message = str(caught.value)
        assert "\n" not in message and "\r" not in message and len(message) < 400, message


def test_story_json_is_its_dicts_encoded(seed_story: Story, story: Story) -> None:
    """to_json encodes the records as they are: the same JSON as json.dumps of to_dict."""
    for s in (seed_story, story):
        plain = json.dumps(s.to_dict(), ensure_ascii=False, allow_nan=False)
        assert s.to_json(indent=None) == plain
        assert json.loads(s.to_json()) == json.loads(plain)
        assert list(json.loads(s.to_json())) == list(s.to_dict())  # the fields in order


def test_a_record_is_encoded_by_its_fields_only() -> None:
    """What a record keeps besides its fields (a cached value) is not written; a read-only
    mapping is written as an object; anything else is refused as json refuses it."""
    from functools import cached_property
    from types import MappingProxyType

    from storymap.model.records import records_json

    @dataclasses.dataclass(frozen=True)
    class Spot:
        name: str
        names: Any

        @cached_property
        def loud(self) -> str:
            return self.name.upper()

    spot = Spot("Pécs", MappingProxyType({"hu": "Pécs"}))
    assert spot.loud == "PÉCS"  # now in its __dict__
    assert records_json([spot]) == '[{"name": "Pécs", "names": {"hu": "Pécs"}}]'
    with pytest.raises(TypeError, match="not JSON serializable"):
        records_json(Spot("x", {1, 2}))
    with pytest.raises(ValueError):
        records_json(Spot("x", float("nan")))
