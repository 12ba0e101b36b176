"""The analysis cache's entries (storymap.corpus.entry) and the story's year for the texts
that name none (storymap.corpus.years): what a rebuild reads instead of the texts."""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

from storymap.cli import main
from storymap.corpus import analyse_paths
from storymap.corpus.cache import AnalysisCache
from storymap.corpus.entry import MAGIC, decode, encode
from storymap.errors import StoryFormatError
from storymap.pipeline import analyse, read_texts
from storymap.pipeline.analysis import DocumentAnalysis
from storymap.pipeline.dates import year_weights
from storymap.resolvers.base import Candidate

DATA = Path(__file__).parent / "data"
TEXTS = [*sorted((DATA / "wotr-60").glob("*.txt"))[:12], *sorted((DATA / "styles").glob("*.txt")),
         *sorted((Path(__file__).resolve().parents[1] / "storymap" / "examples"
                                / "hungary-1956").glob("*.txt"))]


@pytest.fixture(scope="module")
def analyses() -> list[DocumentAnalysis]:
    return [analyse(t) for t in read_texts(TEXTS)]


def test_an_entry_gives_back_the_analysis_it_was_made_of(
        analyses: list[DocumentAnalysis]) -> None:
    for a in analyses:
        for kept in (a, a.slim()):
            entry = decode(encode(kept))
            assert entry.analysis == kept  # candidates included: read when compared
            assert entry.analysis.to_json() == kept.to_json()
            assert dict(entry.years) == year_weights(a.document.text)


def test_candidates_are_read_only_when_asked_for(analyses: list[DocumentAnalysis]) -> None:
    a = max(analyses, key=lambda a: len(a.candidates))
    assert a.candidates
    got = decode(encode(a)).analysis
    # a build never asks; the mentions' places are there at once
    assert [r.place for r in got.mentions] == [r.place for r in a.mentions]
    name = next(iter(a.candidates))
    assert got.candidates[name] == a.candidates[name] and len(got.candidates) == len(a.candidates)
    again = pickle.loads(pickle.dumps(got))  # to a worker or a process pool: a plain dict
    assert type(again.candidates) is dict and again == a


def test_a_place_named_often_is_kept_once(analyses: list[DocumentAnalysis]) -> None:
    a = max(analyses, key=lambda a: len(a.mentions))
    places = [r.place for r in a.mentions if r.place is not None]
    assert len({id(p) for p in places}) < len(places)  # the text names a place twice or more
    got = [r.place for r in decode(encode(a)).analysis.mentions if r.place is not None]
    assert got == places  # the same places, each object read once
    assert len({id(p) for p in got}) == len({id(p) for p in places})


def test_people_dates_and_mentions_are_made_only_when_asked_for(
        analyses: list[DocumentAnalysis]) -> None:
    """A rebuild's combine reads none of them: the story is the same, they stay unmade;
    asked for, they are the tuples they stand for (equal either way, pickled as tuples)."""
    from storymap.pipeline import combine
    from storymap.pipeline.later import Later

    slim = [a.slim() for a in analyses]
    got = [decode(encode(a)).analysis for a in slim]
    assert combine(got).to_json() == combine(slim).to_json()
    assert sum(a.records is not None for a in slim) >= 10
    for a, g in zip(slim, got, strict=True):
        for name in ("people", "dates", "mentions"):
            later, made = getattr(g, name), getattr(a, name)
            assert isinstance(later, Later)
            if a.records is not None:  # slim: combine reads its records (a WikiText text
                assert later._items is None  # keeps its passages, and combine its dates)
            assert len(later) == len(made)
            assert _first_of_each(g.named_places()) == _first_of_each(
                r.place for r in a.mentions if r.place is not None)
            assert later == made and made == later
            assert (later != made) is False and (made != later) is False
            assert later[:2] == made[:2] and hash(later) == hash(made)
            assert type(pickle.loads(pickle.dumps(later))) is tuple
        assert g == a


def _first_of_each(places: Iterable[Candidate]) -> list[Candidate]:
    """The first place of each id, in order: what the story's places are made of."""
    seen: dict[str, Candidate] = {}
    for p in places:
        seen.setdefault(p.id, p)
    return list(seen.values())


def test_a_later_made_of_damaged_data_says_to_read_again() -> None:
    from storymap.pipeline.later import Later

    later = Later([("too", "few")], lambda x: dict(x), name="x.txt (cached analysis)")
    assert len(later) == 1  # not made yet
    with pytest.raises(StoryFormatError, match=r"x\.txt .*analyse the text again"):
        list(later)


@pytest.mark.parametrize("damage", [
    lambda b: b[:len(MAGIC) + 20],                                   # torn
    lambda b: b"storymap analysis entry 1, python 2.7\n" + b[len(MAGIC):],  # another Python
    lambda b: MAGIC + b"\x00garbage",
    lambda b: b"",
])
def test_a_damaged_entry_is_an_error_that_says_to_read_again(
        analyses: list[DocumentAnalysis], damage: object) -> None:
    data = damage(encode(analyses[0]))  # type: ignore[operator]
    with pytest.raises(StoryFormatError, match="analyse the text again"):
        decode(data, name="x.txt")


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for text in sorted((DATA / "wotr-60").glob("*.txt"))[:4]:
        shutil.copy(text, folder / text.name)
    (folder / "zz-yearless.txt").write_text(
        "On 4 July the garrison of Vicksburg surrendered to General Grant.\n", encoding="utf-8")
    return folder


def _build(*args: str | Path) -> tuple[bytes, str]:
    out = Path(str(args[-1]))
    result = CliRunner().invoke(main, ["build", *map(str, args[:-1]), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return out.read_bytes(), result.stderr


def test_a_yearless_text_is_dated_with_the_story_year_once(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    plain, _ = _build(corpus, "--no-cache", "--jobs", "1", tmp_path / "plain.json")
    cold, err = _build(corpus, "--jobs", "1", tmp_path / "cold.json")
    assert "5 read, 0 from the cache" in err
    # one entry per text, and the yearless text dated with the story's year
    assert AnalysisCache().info().entries == 6
    warm, err = _build(corpus, "--jobs", "1", tmp_path / "warm.json")
    assert "0 read, 5 from the cache" in err
    assert plain == cold == warm
    analysed = analyse_paths([corpus])
    yearless = next(a for a in analysed.analyses if a.id == "zz-yearless")
    assert yearless.year is None and yearless.default_year == analysed.year is not None
    assert any(e.date.startswith(f"{analysed.year}-07-04") for e in yearless.events)


def test_the_story_year_follows_the_other_texts(tmp_path: Path) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    dated = folder / "a.txt"
    dated.write_text("On 20 August 1968 troops crossed into Czechoslovakia.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Troops entered Prague on 21 August.\n", encoding="utf-8")
    first, _ = _build(folder, tmp_path / "first.json")
    assert b'"1968-08-21"' in first
    dated.write_text("On 20 August 1969 crowds filled Wenceslas Square.\n", encoding="utf-8")
    second, err = _build(folder, tmp_path / "second.json")
    assert "1 read, 1 from the cache" in err
    assert b'"1969-08-21"' in second and b'"1968-08-21"' not in second
    plain, _ = _build(folder, "--no-cache", tmp_path / "plain.json")
    assert second == plain


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    import storymap.corpus as corpus

    seen: list[Path] = []
    real = corpus.read_texts  # type: ignore[attr-defined]

    def counting(paths, **kw):  # type: ignore[no-untyped-def]
        seen.extend(paths)
        return real(paths, **kw)

    monkeypatch.setattr(corpus, "read_texts", counting)
    return seen


def _settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the index trust texts written just now (their change time cannot be set back)."""
    from storymap.corpus import textindex

    monkeypatch.setattr(textindex, "SETTLE_NS", 0)


def test_a_rebuild_reads_only_the_texts_that_changed(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path)
    _settled(monkeypatch)
    analyse_paths([corpus])
    reads = _reads(monkeypatch)
    again = analyse_paths([corpus])
    assert reads == [] and again.cached == 5  # the keys came from the index
    changed = sorted(corpus.glob("*.txt"))[1]
    st = changed.stat()
    text = changed.read_text(encoding="utf-8")
    # same size and modification time, another text: the change time tells
    changed.write_text(text.replace("a", "e", 1) if "a" in text else "x" + text[1:],
                       encoding="utf-8")
    os.utime(changed, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert changed.stat().st_size == st.st_size
    third = analyse_paths([corpus])
    assert reads == [changed] and third.cached == 4 and third.read == 1


def test_a_text_changed_just_before_it_is_read_is_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path)  # written just now: a write in the same tick would not show
    analyse_paths([corpus])
    reads = _reads(monkeypatch)
    again = analyse_paths([corpus])
    assert len(reads) == 5 and again.cached == 5  # read to know the keys; from the cache


@pytest.mark.parametrize("content", [b"", b"\x00\x01garbage", b"\xe9" * 100])
def test_a_damaged_text_index_is_only_slower(tmp_path: Path, content: bytes,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from storymap.corpus import textindex

    corpus = _corpus(tmp_path)
    _settled(monkeypatch)
    first = analyse_paths([corpus])
    index = textindex.TextIndex()
    assert index.path.is_file()
    index.path.write_bytes(content)
    again = analyse_paths([corpus])
    assert again.analyses == first.analyses and again.cached == 5
    assert textindex.TextIndex().digest(sorted(corpus.glob("*.txt"))[0],
                                        sorted(corpus.glob("*.txt"))[0].stat()) is not None


class _Record:
    """A container the cycle collector tracks."""


def test_what_a_rebuild_decodes_goes_to_the_oldest_generation() -> None:
    """long_lived: made inside, found in generation 2 afterwards; nothing left frozen, the
    collector on again; garbage cycles made inside are still collected."""
    import gc
    import weakref

    from storymap.corpus.entry import long_lived

    gc.unfreeze()  # what anything before froze goes to the oldest generation
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with long_lived():
        assert not gc.isenabled()
        kept = [_Record() for _ in range(1000)]
        cycle = _Record()
        cycle.me = cycle  # type: ignore[attr-defined]
        gone = weakref.ref(cycle)
        del cycle
    assert gc.isenabled() and gc.get_freeze_count() == 0
    oldest = {id(x) for x in gc.get_objects(generation=2)}
    assert all(id(x) in oldest for x in kept)
    assert gone() is not None  # not collected yet: in the oldest generation
    gc.collect()
    assert gone() is None


def test_long_lived_leaves_a_paused_or_frozen_collector_alone() -> None:
    import gc

    from storymap.corpus.entry import long_lived

    gc.unfreeze()
    gc.disable()
    try:
        with long_lived():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    gc.freeze()
    try:
        with long_lived():
            assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
