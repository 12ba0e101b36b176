"""A proposal the teacher rejected stays rejected after a restart (corrections.lookup)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storymap.corrections.lookup import OnlineLookups, Proposal, rejections_file
from storymap.geo.candidates import Candidate

SZEGED = Candidate(id="geopy:nominatim:1", name="Szeged", lat=46.25, lon=20.14, kind="city")
ELSEWHERE = Candidate(id="geopy:nominatim:2", name="Szeged", lat=40.0, lon=-75.0, kind="town")


def offered(path: Path) -> OnlineLookups:
    """A session's lookups after a start: the cached answers proposed, then remembered."""
    lookups = OnlineLookups()
    lookups.proposals[("notes", "szeged")] = Proposal(answers=(SZEGED, ELSEWHERE),
                                                      best=SZEGED.id)
    lookups.remember_in(path)
    return lookups


def test_a_rejected_answer_stays_rejected_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "rejected.json"
    first = offered(path)
    first.reject("notes", "Szeged", ELSEWHERE.id)
    assert first.proposals[("notes", "szeged")].answers == (SZEGED,)
    again = offered(path)  # a new server on the same corrections file
    assert again.proposals[("notes", "szeged")] == Proposal(answers=(SZEGED,), best=SZEGED.id)
    again.reject("notes", "Szeged")  # all of the name's answers
    assert ("notes", "szeged") not in offered(path).proposals


def test_a_damaged_or_unwritable_file_only_forgets(tmp_path: Path) -> None:
    path = tmp_path / "rejected.json"
    path.write_text("[[1, 2], {\"x\": ")
    assert offered(path).proposals[("notes", "szeged")].answers == (SZEGED, ELSEWHERE)
    blocked = tmp_path / "a-file" / "rejected.json"
    (tmp_path / "a-file").write_text("not a folder")
    lookups = offered(blocked)
    lookups.reject("notes", "Szeged", ELSEWHERE.id)  # cannot save: holds for the session
    assert lookups.proposals[("notes", "szeged")].answers == (SZEGED,)


def test_each_corrections_file_has_its_own(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYMAP_CACHE_DIR", str(tmp_path / "cache"))
    one = rejections_file(tmp_path / "a" / "corrections.yaml")
    other = rejections_file(tmp_path / "b" / "corrections.yaml")
    assert one != other and one.parent == other.parent == tmp_path / "cache" / "online-rejected"
    assert "corrections" not in one.name  # a hash: no local path in a file name
