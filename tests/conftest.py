"""Shared fixtures: a small hand-written story, the Flask app and client, a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from storymap.model import Story

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).resolve().parents[1] / "storymap" / "examples"


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


@pytest.fixture()
def runner():  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    return CliRunner()
