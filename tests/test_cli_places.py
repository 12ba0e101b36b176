"""`storymap places --unresolved`: the names read as places that nothing resolves, and the
names read as people, so a user sees both sides of the reader's choices."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from storymap.cli import main

TEXT = ("In 1917 Vladimir Lenin spoke at the Smolny Institute, and the Red Guards stormed the "
        "Winter Palace from Palace Square.\nFort Sumter was bombarded on April 12, 1861.\n")


def test_unresolved_places_and_people(tmp_path: Path) -> None:
    text = tmp_path / "four.txt"
    text.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["places", "--unresolved", str(text)])
    assert result.exit_code == 0, result.output
    places, _, people = result.output.partition("people:\n")
    listed = {line.split("\t")[0] for line in places.splitlines()}
    assert {"Smolny Institute", "Winter Palace", "Palace Square", "Fort Sumter"} <= listed
    assert people.splitlines()[0].split("\t")[:2] == ["Vladimir Lenin", "1"]
    assert "Winter Palace" not in people and "Fort Sumter" not in people
    assert f"four:{TEXT.index('Fort Sumter')}" in places  # where it is first named


def test_control_characters_from_a_text_never_reach_the_terminal(tmp_path: Path) -> None:
    # The document id comes from the file name, which is as untrusted as the text.
    text = tmp_path / "notes\x1b]0;owned\x07.txt"
    text.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["places", "--unresolved", str(text)])
    assert result.exit_code == 0, result.output
    assert "Fort Sumter\t1\tnotes\\x1b]0;owned\\x07:" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


def test_the_count_line_says_one_name_not_one_names(tmp_path: Path) -> None:
    text = tmp_path / "one.txt"
    text.write_text("Fort Sumter was bombarded on April 12, 1861.\n")
    result = CliRunner().invoke(main, ["places", "--unresolved", str(text)])
    assert "1 unresolved name, 1 named feature, 0 names read as people" in result.output


def test_every_named_square_street_and_building_is_listed(tmp_path: Path) -> None:
    # Resolved or not: a user checks where history happened first.
    text = tmp_path / "city.txt"
    text.write_text("In Budapest crowds gathered in Kossuth Lajos tér before the Parliament "
                    "and marched down Quillan Street to Liberty Hall, then to Szeged.\n",
                    encoding="utf-8")
    other = tmp_path / "vienna.txt"  # a Budapest street named in a story of Vienna
    other.write_text("In Vienna they met at Andrássy út.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["places", "--unresolved", str(text),
                                       "--unresolved", str(other)])
    assert result.exit_code == 0, result.output
    _, _, rest = result.output.partition("features:\n")
    features, _, _ = rest.partition("people:\n")
    rows = {line.split("\t")[0]: line.split("\t")[3] for line in features.splitlines()}
    # no data places them: estimated at the town their paragraph names first (the map's
    # approximate pins), and listed as unresolved names to add to places/ or a pack
    assert rows["Quillan Street"] == "budapest:quillan-street"
    assert rows["Liberty Hall"] == "budapest:liberty-hall"
    unresolved = result.output.partition("features:\n")[0]
    assert "Quillan Street\t1\t" in unresolved and "Liberty Hall\t1\t" in unresolved
    assert rows["Kossuth Lajos tér"] != "-"  # resolved by the curated gazetteer, still listed
    assert rows["Andrássy út"] == "-"  # Budapest's street, not Vienna's: listed unresolved
    assert "Szeged" not in rows  # a town is no feature


def test_a_name_placed_only_by_estimate_is_listed_as_unresolved(tmp_path: Path) -> None:
    # Morris Island is estimated at Charleston for the map, but no data places it: it is
    # still a name to add to places/ or a pack
    text = tmp_path / "morris.txt"
    text.write_text("On 10 July 1863 the troops crossed from Folly Island to Morris Island, "
                    "near Charleston. On 18 July 1863 the wounded were carried from "
                    "Charleston to Beaufort and Hilton Head.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["places", "--unresolved", str(text)])
    assert result.exit_code == 0, result.output
    unresolved, _, rest = result.output.partition("features:\n")
    assert "Morris Island\t1\tmorris:" in unresolved
    assert "Charleston" not in unresolved
    (row,) = [line for line in rest.splitlines() if line.startswith("Morris Island\t")]
    assert row.endswith(":morris-island")  # the estimate's own place, at Charleston's point
