"""What a built story tells the world: credits for what it used, and no local paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storymap.cli import EXPORT_FORMATS, main
from storymap.errors import GazetteerError
from storymap.model import Document, Place, Story
from storymap.pipeline import build_story, builtin_texts
from storymap.pipeline.credits import datasets, story_attributions

# A teacher's notes on another country and decade, in a folder whose name must not leak.
NOTES = """# Autumn 1989 in Saxony

On 9 October 1989, seventy thousand people marched around the ring in Leipzig. On 7 October
1989 police had beaten demonstrators in Dresden and Plauen.

On 9 November 1989 the border crossings in Berlin opened.
"""
SECRET = "teacher-private-folder"


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp(SECRET) / "saxony-notes.txt"
    path.write_text(NOTES, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def notes_story(notes: Path) -> Story:
    return build_story([notes])


# -- credits -----------------------------------------------------------------------------

def test_a_story_elsewhere_credits_its_text_and_its_datasets_only(notes_story: Story) -> None:
    names = [a.name for a in notes_story.attributions]
    assert names[0] == "Autumn 1989 in Saxony"  # the text's own title
    assert "GeoNames" in names and "Natural Earth" in names
    assert "Wikipedia" not in json.dumps([a.text for a in notes_story.attributions])
    assert "Hungarian" not in notes_story.to_json()
    assert "OpenStreetMap" not in names  # no OSM place or outline placed a pin


def test_the_builtin_example_keeps_its_wikipedia_credit_from_sources_json() -> None:
    story = build_story([builtin_texts()[0]])
    first = story.attributions[0]
    assert first.url == "https://en.wikipedia.org/wiki/Hungarian_Revolution_of_1956"
    assert "CC BY-SA 4.0" in first.license
    names = {a.name for a in story.attributions}
    assert {"GeoNames", "OpenStreetMap", "Natural Earth"} <= names  # districts are OSM outlines


def test_credits_follow_the_sources_of_the_places() -> None:
    doc = Document(id="d", title="My notes", text="")

    def place(source: str, **kw: object) -> Place:
        return Place(id=f"p{len(source)}", name="X", lat=0.0, lon=0.0, kind="city",
                     source=source, **kw)  # type: ignore[arg-type]

    def credited(*places: Place) -> list[str]:
        return [a.name for a in story_attributions([doc], places)][1:]

    assert credited() == ["Natural Earth"]  # the basemap only
    assert credited(place("GeoNames 2879139")) == ["GeoNames", "Natural Earth"]
    assert credited(place("geopy nominatim: Leipzig, Sachsen")) == [
        "OpenStreetMap", "Natural Earth"]
    assert "Google DSPL" in credited(place("Google DSPL countries.csv centroid"))
    assert credited(place("representative point, from general knowledge")) == [
        "Natural Earth"]


def test_an_outline_credits_the_dataset_of_its_file() -> None:
    doc = Document(id="d", title="t", text="")
    square = {"type": "Polygon", "coordinates": [[[19, 47], [19.1, 47], [19, 47.1], [19, 47]]]}
    district = Place(id="budapest-08", name="VIII", lat=47.49, lon=19.08, kind="district",
                     source="GeoNames 7284831", geometry=square)
    names = [a.name for a in story_attributions([doc], [district])]
    assert "OpenStreetMap" in names and "GeoNames" in names


def test_the_datasets_table_is_data_a_region_can_extend(tmp_path: Path) -> None:
    shipped = datasets()
    assert {d.id for d in shipped} >= {"geonames", "openstreetmap", "natural-earth"}
    assert len({d.id for d in shipped}) == len(shipped)
    table = tmp_path / "datasets.json"
    table.write_text(json.dumps([{"id": "ign", "name": "IGN", "license": "Licence Ouverte",
                                  "url": "https://ign.fr", "text": "© IGN",
                                  "sources": ["IGN BD"]}]), encoding="utf-8")
    (extra,) = datasets(table)
    assert extra.matches("IGN BD TOPO 1234") and not extra.matches("GeoNames 1")
    broken = tmp_path / "broken.json"
    broken.write_text('[{"id": "ign"}]', encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"broken\.json: cannot read the datasets"):
        datasets(broken)


# -- no local paths ----------------------------------------------------------------------

def _leaks(text: str, notes: Path) -> list[str]:
    return [s for s in (str(notes), str(notes.parent), SECRET) if s in text]


def test_the_story_json_carries_no_path(notes_story: Story, notes: Path) -> None:
    assert _leaks(notes_story.to_json(), notes) == []
    assert "path" not in notes_story.to_dict()["documents"][0]
    assert notes_story.documents[0].id == "saxony-notes"


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_no_export_carries_a_local_path(fmt: str, notes: Path, tmp_path: Path) -> None:
    out = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(main, ["export", str(notes), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    if fmt == "geoparquet":  # compressed columns: read them back, with the file's metadata
        import json

        pq = pytest.importorskip("pyarrow.parquet")
        table = pq.read_table(out)
        text = json.dumps([table.to_pylist(), {k.decode(): v.decode() for k, v in
                                               table.schema.metadata.items()}],
                          default=str, ensure_ascii=False)
    else:
        text = out.read_text(encoding="utf-8")
    assert "Autumn 1989 in Saxony" in text or "saxony-notes" in text  # the document is named
    assert _leaks(text, notes) == []


def test_the_json_build_carries_no_local_path(notes: Path, tmp_path: Path) -> None:
    out = tmp_path / "story.json"
    result = CliRunner().invoke(main, ["build", str(notes), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _leaks(out.read_text(encoding="utf-8"), notes) == []


def test_the_web_app_and_embed_carry_no_local_path(notes_story: Story, notes: Path) -> None:
    from storymap.web import create_app

    client = create_app(notes_story, testing=True).test_client()
    day = notes_story.days()[0]
    for url in ("/", "/embed", "/api/story", "/api/days", f"/api/days/{day}",
                "/oembed?url=http://localhost/embed&format=json"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert _leaks(body, notes) == [], url
        if url in ("/", "/embed", "/api/story"):
            assert "saxony-notes" in body, url  # the document is there, by its id
