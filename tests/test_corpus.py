"""The road from a corpus to a story (issue 19): jobs, Dask, the cache, failures, progress.

The Dask engine runs here on a LocalCluster of two workers (small corpus), so CI checks
that every engine gives the same story, byte for byte.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from storymap.cli import main
from storymap.corpus import ReadOptions, RunOptions, analyse_paths, expand_paths
from storymap.corpus import cache as corpus_cache
from storymap.errors import ConfigError, InputError

WOTR = Path(__file__).parent / "data" / "wotr-60"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """Eight WOTR texts in a folder, with a sources.json for one of them."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for text in sorted(WOTR.glob("*.txt"))[:8]:
        shutil.copy(text, folder / text.name)
    first = sorted(folder.glob("*.txt"))[0].stem
    (folder / "sources.json").write_text(f'{{"{first}": {{"title": "Report A"}}}}',
                                         encoding="utf-8")
    return folder


def build(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["build", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def test_every_engine_and_number_of_jobs_builds_the_same_story(corpus: Path,
                                                               tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    runs = {"jobs1": ["--jobs", "1"], "jobs2": ["--jobs", "2"],
            "dask": ["--engine", "dask", "--jobs", "2"]}
    out = {}
    for name, options in runs.items():
        target = tmp_path / f"{name}.json"
        code, _, err = build(corpus, "-o", target, "--no-cache", *options)
        assert code == 0, err
        out[name] = target.read_bytes()
    assert out["jobs1"] == out["jobs2"] == out["dask"]
    assert b'"title": "Report A"' in out["jobs1"]  # the folder's sources.json was read


def test_a_folder_means_its_texts(corpus: Path) -> None:
    (corpus / "notes.md").write_text("not a text of the corpus", encoding="utf-8")
    files = expand_paths([corpus])
    assert [p.suffix for p in files] == [".txt"] * 8 and files == sorted(files)
    empty = corpus / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match=r"without \.txt files"):
        expand_paths([empty])


def test_a_text_that_fails_does_not_stop_the_others(corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.txt").write_bytes(b"\xff\xfe\x00binary\x00" * 50)
    target = tmp_path / "s.json"
    code, _, err = build(corpus, "-o", target, "--jobs", "2")
    assert code == 1
    assert f"{corpus / 'broken.txt'}: " in err and "Traceback" not in err
    assert "storymap: 9 texts: 8 read, 0 from the cache, 1 failed" in err
    story = json.loads(target.read_text(encoding="utf-8"))
    assert len(story["documents"]) == 8  # the others


def test_a_stage_that_breaks_on_one_text_names_it(corpus: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import storymap.corpus.worker as worker

    victim = sorted(corpus.glob("*.txt"))[2]
    real = worker.analyse

    def analyse(source, **options):  # type: ignore[no-untyped-def]
        if source.id == victim.stem:
            raise IndexError("a stage's bug")
        return real(source, **options)

    monkeypatch.setattr(worker, "analyse", analyse)
    done = analyse_paths([corpus], run=RunOptions(jobs=1, cache=False))
    assert len(done.analyses) == 7 and victim.stem not in {a.id for a in done.analyses}
    (failure,) = done.failures
    assert failure.path == str(victim)
    assert failure.message.startswith(f"{victim}: storymap failed on this text (IndexError")
    with pytest.raises(Exception, match="a stage's bug"):
        analyse_paths([corpus], run=RunOptions(jobs=1, cache=False, keep_going=False))


def test_without_keep_going_the_first_failure_stops_the_build(corpus: Path,
                                                               tmp_path: Path) -> None:
    (corpus / "broken.txt").write_bytes(b"\xff\xfe\x00" * 50)
    code, _, err = build(corpus, "-o", tmp_path / "s.json", "--no-keep-going", "--jobs", "1")
    assert code == 1 and "broken.txt" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "s.json").exists()


def test_a_rebuild_reads_only_the_text_that_changed(corpus: Path, tmp_path: Path) -> None:
    code, _, err = build(corpus, "-o", tmp_path / "a.json", "--jobs", "2")
    assert code == 0 and "8 texts: 8 read, 0 from the cache" in err
    changed = sorted(corpus.glob("*.txt"))[4]
    changed.write_text(changed.read_text(encoding="utf-8") +
                       "\n\nOn 4 July 1863 the army entered Vicksburg.\n", encoding="utf-8")
    code, _, err = build(corpus, "-o", tmp_path / "b.json", "--jobs", "2")
    assert code == 0 and "8 texts: 1 read, 7 from the cache" in err
    assert "1863-07-04" in (tmp_path / "b.json").read_text(encoding="utf-8")
    assert "1863-07-04" not in (tmp_path / "a.json").read_text(encoding="utf-8")
    code, _, err = build(corpus, "-o", tmp_path / "c.json", "--no-cache")
    assert code == 0 and "8 read, 0 from the cache" in err
    assert (tmp_path / "b.json").read_bytes() == (tmp_path / "c.json").read_bytes()


def test_a_damaged_cache_entry_is_read_again(corpus: Path, tmp_path: Path) -> None:
    build(corpus, "-o", tmp_path / "a.json", "--jobs", "1")
    for entry in corpus_cache.AnalysisCache().root.glob("*/*.entry"):
        entry.write_bytes(entry.read_bytes()[:40])  # torn
    code, _, err = build(corpus, "-o", tmp_path / "b.json", "--jobs", "1")
    assert code == 0 and "8 read, 0 from the cache" in err
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_the_cache_command_shows_and_clears_the_analyses(corpus: Path, tmp_path: Path) -> None:
    build(corpus, "-o", tmp_path / "a.json", "--jobs", "1")
    shown = CliRunner().invoke(main, ["cache"])
    assert shown.exit_code == 0 and "\t8 analyses\t" in shown.stdout
    cleared = CliRunner().invoke(main, ["cache", "clear"])
    assert cleared.exit_code == 0 and "removed 8 analyses" in cleared.stderr
    assert "\t0 analyses\t0 bytes" in CliRunner().invoke(main, ["cache"]).stdout


def _key(text: str = "On 4 July 1863 they entered Vicksburg.", **options: object) -> str:
    from storymap.pipeline import SourceText

    read = {"resolvers": ("gazetteer",), "language": "en", "year": None, **options}
    return corpus_cache.text_key(SourceText(id="a", text=text),
                                 corpus_cache.context_key(**read))  # type: ignore[arg-type]


def test_the_cache_key_follows_the_text_and_the_options() -> None:
    assert _key() == _key()
    assert _key("On 5 July 1863 they entered Vicksburg.") != _key()
    assert _key(year=1863) != _key()
    assert _key(resolvers=("gazetteer", "geonames")) != _key()
    from storymap.pipeline import SourceText

    context = corpus_cache.context_key(resolvers=("gazetteer",), language="en", year=None)
    plain = SourceText(id="a", text="x")
    assert corpus_cache.text_key(plain, context) != corpus_cache.text_key(
        SourceText(id="a", text="x", title="Report"), context)  # sources.json is read
    assert corpus_cache.text_key(plain, context) == corpus_cache.text_key(
        SourceText(id="a", text="x", path="/elsewhere/a.txt"), context)  # the path is not


def test_the_cache_key_changes_when_the_gazetteer_changes(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from storymap.resources import data_dir

    places = tmp_path / "places"
    shutil.copytree(data_dir("places"), places)
    monkeypatch.setattr(corpus_cache, "data_dir", lambda name: places)
    corpus_cache.code_fingerprint.cache_clear()
    try:
        before = _key()
        curated = sorted(places.glob("*.yaml"))[0]
        curated.write_text(curated.read_text(encoding="utf-8") + "\n# a curator's edit\n",
                           encoding="utf-8")
        corpus_cache.code_fingerprint.cache_clear()
        assert _key() != before
    finally:
        corpus_cache.code_fingerprint.cache_clear()


def test_the_cache_key_changes_when_a_pack_is_added(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from storymap.resolvers.packs import add_pack, remove_pack

    monkeypatch.setenv("STORYMAP_CACHE_DIR", str(tmp_path / "cache"))
    before = _key()
    forts = tmp_path / "forts.csv"
    forts.write_text("name,lat,lon,kind,aliases\nFort Sumter,32.75,-79.87,building,\n",
                     encoding="utf-8")
    add_pack(forts, name="forts", licence="CC0", url="")
    try:
        with_pack = _key()
        assert with_pack != before
    finally:
        remove_pack("forts")
    assert _key() == before


def test_a_worker_running_another_storymap_is_refused() -> None:
    from storymap.corpus import _check_worker

    _check_worker(corpus_cache.code_fingerprint())  # the same: fine
    with pytest.raises(ConfigError, match="another storymap"):
        _check_worker("0" * 64)


def test_dask_missing_is_one_line(corpus: Path, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if not installed
    code, _, err = build(corpus, "-o", tmp_path / "s.json", "--engine", "dask", "--no-cache")
    assert code == 1 and "pip install 'storymap[dask]'" in err
    assert len(err.strip().splitlines()) == 1


def test_a_scheduler_out_of_reach_is_one_line(corpus: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    from storymap.corpus import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "1s")
    code, _, err = build(corpus, "-o", tmp_path / "s.json", "--no-cache",
                         "--scheduler", "tcp://127.0.0.1:9")
    assert code == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert "Traceback" not in err


def test_the_cli_knows_the_engines() -> None:
    from storymap.cli.common import ENGINES
    from storymap.corpus import ENGINES as CORPUS_ENGINES

    assert ENGINES == CORPUS_ENGINES


def test_unknown_language_is_refused_once(corpus: Path) -> None:
    with pytest.raises(ConfigError, match="language profile 'xx'"):
        analyse_paths([corpus], options=ReadOptions(language="xx"))


def test_no_progress_bar_when_not_a_terminal(corpus: Path, tmp_path: Path) -> None:
    code, _, err = build(corpus, "-o", tmp_path / "s.json", "--jobs", "1")
    assert code == 0 and "texts/s" not in err and "\r" not in err


# -- one road from texts to a story (issue 16, item 8) ----------------------------------
def test_edit_mode_reads_the_texts_as_build_does(tmp_path: Path) -> None:
    from storymap.inputs import BuildOptions, edit_session, load_inputs

    text = tmp_path / "notes.txt"
    text.write_text("Troops entered Prague on 21 August.\n", encoding="utf-8")
    options = BuildOptions(title="August", read=ReadOptions(year=1968),
                           run=RunOptions(jobs=1))
    built = load_inputs([text], options=options).story
    edited = edit_session([text], options=options).story
    assert built.to_json() == edited.to_json()
    assert edited.title == "August" and [e.date for e in edited.events] == ["1968-08-21"]


def test_every_command_that_reads_texts_takes_the_same_options() -> None:
    from storymap.cli.common import _STORY_OPTIONS

    shared = {"--title", "--corrections", "--resolver", "--year", "--language", "--jobs",
              "--engine", "--scheduler", "--cache", "--keep-going"}
    assert len(_STORY_OPTIONS) == len(shared)
    for name in ("build", "export", "serve", "review"):
        options = {o for p in main.commands[name].params for o in getattr(p, "opts", ())}
        assert shared <= options, name


# -- the client keeps analyses, not passages (issue 19 item 3) --------------------------
STYLES = Path(__file__).parent / "data" / "styles"
SEEDS = Path(__file__).resolve().parents[1] / "storymap" / "examples" / "hungary-1956"


def _analyses(paths: list[Path]) -> list:  # type: ignore[type-arg]
    from storymap.pipeline import analyse, read_texts

    return [analyse(t) for t in read_texts(paths)]


@pytest.mark.parametrize("paths", [
    sorted(STYLES.glob("*.txt")), sorted(WOTR.glob("*.txt"))[:20], sorted(SEEDS.glob("*.txt")),
], ids=["styles", "wotr", "seeds"])
def test_slim_analyses_make_the_same_story(paths: list[Path]) -> None:
    from storymap.pipeline import combine
    from storymap.pipeline.analysis import DocumentAnalysis

    full = _analyses(paths)
    slim = [a.slim() for a in full]
    assert [DocumentAnalysis.from_json(a.to_json()) for a in slim] == slim
    for a, s in zip(full, slim, strict=True):
        assert s.restored() == a  # the passages come back from the text, the same
        if any(p.lost_letters for p in a.passages):
            assert s is a  # repairs draw on the other texts: kept whole
        else:
            assert s.passages == () and s.records is not None
    assert combine(slim).to_json() == combine(full).to_json()
    assert combine(slim[::-1]).to_json() == combine(full[::-1]).to_json()


def test_a_slim_yearless_text_takes_the_story_year(tmp_path: Path) -> None:
    from storymap.pipeline import combine

    dated = tmp_path / "a.txt"
    dated.write_text("On 20 August 1968 troops crossed into Czechoslovakia.\n", encoding="utf-8")
    yearless = tmp_path / "b.txt"
    yearless.write_text("Troops entered Prague on 21 August.\n", encoding="utf-8")
    full = _analyses([dated, yearless])
    slim = [a.slim() for a in full]
    assert slim[1].year is None and slim[1].passages == ()
    story = combine(slim)
    assert story.to_json() == combine(full).to_json()
    assert "1968-08-21" in {e.date for e in story.events}


def test_corrections_apply_to_slim_analyses(tmp_path: Path) -> None:
    from storymap.corrections.apply import Applier
    from storymap.corrections.fileio import load_corrections
    from storymap.pipeline import combine

    text = tmp_path / "notes.txt"
    text.write_text("On 23 October 1956 students marched to Bem Square in Budapest.\n",
                    encoding="utf-8")
    fixes = tmp_path / "corrections.yaml"
    fixes.write_text("names:\n  - {doc: notes, name: Budapest, not_a_place: true}\n",
                     encoding="utf-8")
    full = _analyses([text])
    with_full = combine(full, Applier(load_corrections(fixes)))
    with_slim = combine([a.slim() for a in full], Applier(load_corrections(fixes)))
    assert with_slim.to_json() == with_full.to_json()
    assert "budapest" not in {p.id for p in with_slim.places}  # the correction was applied


def test_python_m_storymap_builds_with_worker_processes(corpus: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "storymap", "build", str(corpus), "-o",
                           str(tmp_path / "s.json"), "--jobs", "2", "--no-cache"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "8 texts: 8 read" in done.stderr and done.stderr.count("events,") == 1
