"""The built wheel carries places/, templates/, static/, the schema and the seeds, and runs.

Builds the wheel from this checkout, installs it into a fresh virtualenv (dependencies from
the package index, through pip's cache) and runs the ``storymap`` script from a directory
outside the checkout, so nothing can come from the source tree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from storymap.geo import divisions, geonames

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SEED_000 = ROOT / "storymap" / "examples" / "hungary-1956" / "000_45b25660c8184322.txt"
SMALL_STORY = Path(__file__).parent / "data" / "story-small.json"
#: Top-level data folders and where hatchling's force-include puts them in the wheel.
DATA_DIRS = {"places": "storymap/_data/places", "templates": "storymap/_data/templates",
             "static": "storymap/_data/static"}


def run(args: Sequence[str | Path], *, cwd: Path, env: dict[str, str] | None = None,
        timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run a command; fail the test with its output when it exits non-zero."""
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)
    assert done.returncode == 0, (
        f"{' '.join(map(str, args))} exited {done.returncode}\n"
        f"stdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"
    )
    return done


def clean_env(**extra: str) -> dict[str, str]:
    """Return this environment without anything that points back at the checkout's venv."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP")}
    return {**env, **extra}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout (hatchling, without build isolation)."""
    outdir = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", outdir, ROOT],
        cwd=ROOT)
    wheels = sorted(outdir.glob("storymap-*.whl"))
    assert len(wheels) == 1, f"expected one storymap wheel in {outdir}, got {wheels}"
    return wheels[0]


@pytest.fixture(scope="module")
def wheel_files(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        return {n for n in zf.namelist() if not n.endswith("/")}


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with only the wheel (and its dependencies) installed."""
    home = tmp_path_factory.mktemp("venv") / "env"
    run([sys.executable, "-m", "venv", home], cwd=home.parent)
    run([home / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check",
         wheel], cwd=home.parent, env=clean_env())
    return home


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A storymap cache for the fresh venv: empty at first, so the GeoNames index is built."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    """A working directory outside the checkout."""
    assert not tmp_path.is_relative_to(ROOT)
    return tmp_path


def test_wheel_holds_the_data_folders(wheel_files: set[str]) -> None:
    places = {n for n in wheel_files if n.startswith("storymap/_data/places/")}
    assert any(n.endswith(".yaml") for n in places), f"no places/*.yaml in the wheel: {places}"
    for folder, target in DATA_DIRS.items():
        checkout = {p.relative_to(ROOT / folder).as_posix() for p in (ROOT / folder).rglob("*")
                    if p.is_file() and "__pycache__" not in p.parts}
        shipped = {n.removeprefix(target + "/") for n in wheel_files if n.startswith(target + "/")}
        assert checkout <= shipped, f"{folder}/ files missing from the wheel: {checkout - shipped}"
        if checkout:
            assert shipped, f"{target} is empty in the wheel"


def test_wheel_holds_schema_and_seeds(wheel_files: set[str]) -> None:
    assert "storymap/schema/story.schema.json" in wheel_files
    seeds = {n for n in wheel_files if n.startswith("storymap/examples/hungary-1956/")}
    assert {f"storymap/examples/hungary-1956/{p.name}" for p in SEED_000.parent.glob("*.txt")} \
        <= seeds
    assert not any(n.startswith(("tests/", ".venv/", "places/")) for n in wheel_files)


def test_installed_help_and_data(venv: Path, outside: Path, cache: Path) -> None:
    env = clean_env(STORYMAP_CACHE_DIR=str(cache))
    shown = run([venv / "bin" / "storymap", "--help"], cwd=outside, env=env).stdout
    for command in ("build", "export", "places", "serve"):
        assert command in shown
    assert "--format" in run([venv / "bin" / "python", "-m", "storymap", "export", "--help"],
                             cwd=outside, env=env).stdout
    code = ("import json; from storymap.resources import data_dir; "
            "print(json.dumps([str(data_dir(n)) for n in ('places', 'templates', 'static')]))")
    where = json.loads(run([venv / "bin" / "python", "-c", code], cwd=outside, env=env).stdout)
    for folder in where:
        assert Path(folder).is_relative_to(venv), f"{folder} is not inside the fresh venv"


def geojson_features(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    features: list[dict[str, Any]] = data["features"]
    assert features, f"{path} has no features"
    for feature in features:
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
    return features


def test_installed_export_of_a_story_json(venv: Path, outside: Path, cache: Path) -> None:
    shutil.copy(SMALL_STORY, outside / "story.json")
    env = clean_env(STORYMAP_CACHE_DIR=str(cache))
    run([venv / "bin" / "storymap", "export", "story.json", "--format", "geojson",
         "-o", "out.geojson"], cwd=outside, env=env)
    features = geojson_features(outside / "out.geojson")
    assert {f["properties"]["place_id"] for f in features} >= {"budapest", "radio", "moscow"}


def test_installed_export_of_seed_000(venv: Path, outside: Path, cache: Path) -> None:
    text = outside / SEED_000.name
    shutil.copy(SEED_000, text)
    env = clean_env(STORYMAP_CACHE_DIR=str(cache))
    run([venv / "bin" / "storymap", "export", text.name, "--format", "geojson",
         "-o", "out.geojson"], cwd=outside, env=env)
    features = geojson_features(outside / "out.geojson")
    assert "budapest" in {f["properties"]["place_id"] for f in features}
    assert {f["properties"]["source"] for f in features} == {SEED_000.stem}


# the index names carry their formats: a new format ships under its own name
PREBUILT = {"builtin-story.json", f"geonames-f{geonames.INDEX_FORMAT}.sqlite",
            f"divisions-f{divisions.INDEX_FORMAT}.sqlite",
            "derived-gazetteer.json", "derived-regions.json"}


def test_wheel_ships_what_a_first_start_would_build(wheel_files: set[str]) -> None:
    """hatch_build.py: the GeoNames and divisions indexes, the parsed gazetteer and the
    built-in story, so a first start on a fresh install builds nothing (issue 18.4)."""
    shipped = {n.removeprefix("storymap/_data/prebuilt/") for n in wheel_files
               if n.startswith("storymap/_data/prebuilt/")}
    assert shipped >= PREBUILT, shipped


def test_installed_first_start_builds_nothing_and_reads_as_the_checkout(
        venv: Path, outside: Path, tmp_path_factory: pytest.TempPathFactory) -> None:  # fmt: skip
    """With an empty cache, the built-in story and a new text come out as this checkout
    reads them, and no index is built into the cache (the wheel's are used)."""
    from storymap.model import Story
    from storymap.pipeline import build_story, builtin_texts

    empty = tmp_path_factory.mktemp("empty-cache")
    env = clean_env(STORYMAP_CACHE_DIR=str(empty))
    run([venv / "bin" / "storymap", "export", "--format", "json", "-o", "builtin.json"],
        cwd=outside, env=env)
    shutil.copy(SEED_000, outside / SEED_000.name)
    run([venv / "bin" / "storymap", "build", SEED_000.name, "-o", "seed.json"], cwd=outside,
        env=env)
    assert not list(empty.glob("*.sqlite")), sorted(p.name for p in empty.iterdir())
    shipped = Story.from_json((outside / "builtin.json").read_text(encoding="utf-8"))
    assert shipped == build_story(builtin_texts())
    seed = Story.from_json((outside / "seed.json").read_text(encoding="utf-8"))
    assert seed.events == build_story([SEED_000]).events
