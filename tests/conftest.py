"""Shared fixtures: a small hand-written story, the Flask app and client, a CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storymap.geo.gazetteer import load_gazetteer
from storymap.model import Story
from storymap.resolvers import packs

from .reading import PLACES

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).resolve().parents[1] / "storymap" / "examples"


@pytest.fixture(autouse=True)
def _analysis_cache(tmp_path_factory: pytest.TempPathFactory,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test reads texts with an analysis cache of its own (storymap.corpus.cache):
    a test that changes how a text is read must never meet another test's analyses. The
    other caches (the GeoNames index, derived data) stay where they are."""
    folder = tmp_path_factory.mktemp("analysis-cache")
    monkeypatch.setattr("storymap.corpus.cache.cache_dir", lambda: folder)


@pytest.fixture(scope="session")
def story() -> Story:
    """A small story with six events, a district polygon and hostile strings."""
    return Story.from_json((DATA / "story-small.json").read_text(encoding="utf-8"))


@pytest.fixture()
def app(story: Story):  # type: ignore[no-untyped-def]
    """The Flask app serving the small story, in testing mode."""
    from storymap.web import create_app

    app = create_app(story, testing=True)
    yield app


@pytest.fixture()
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's headless Chromium driven by Playwright (no browser download needed)."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (scripts/check installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture()
def context(browser):  # type: ignore[no-untyped-def]
    """A 1280×800 browser context that may load only the page and the loopback server."""
    from tests.helpers import offline_context

    ctx = offline_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture()
def runner():  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture(scope="session")
def gaz():  # type: ignore[no-untyped-def]
    """The small test gazetteer of tests/data/places (the reader's unit tests)."""
    return load_gazetteer(PLACES)


@pytest.fixture()
def pack_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Packs go to a directory of the test's own (the GeoNames index stays shared)."""
    folder = tmp_path / "packs"
    monkeypatch.setattr(packs, "packs_dir", lambda: folder)
    packs._forget()
    yield folder
    packs._forget()


@pytest.fixture(scope="session")
def builtin() -> Story:
    """The built-in story (both seeds), built once for the tests that show it."""
    from storymap.pipeline import build_story, builtin_texts

    return build_story(builtin_texts())

