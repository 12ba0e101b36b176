"""The web package depends only on the story model and the outputs (issue 7, item 8).

Every module under storymap/web is read as a syntax tree, so an import inside a function
counts too. A pipeline stage, an importer, the CLI or the server command there would tie
the app to the text stages and to click.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[1] / "storymap" / "web"
#: What the web package may import from storymap: the model, the outputs and their helpers.
ALLOWED = {
    "storymap.model",
    "storymap.storyjson",  # the model's JSON reading (moved out of model.py)
    "storymap.errors",
    "storymap.options",
    "storymap.render",
    "storymap.assets",
    "storymap.resources",
    "storymap.jsbundle",
    "storymap.jsonhtml",
    "storymap.web",
}


def storymap_imports(path: Path) -> set[str]:
    """Return the storymap modules that ``path`` imports (absolute names)."""
    package = "storymap.web"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "storymap")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.split(".")[0] != "storymap":
                continue
            if node.module is None or name == "storymap":  # from .. import x: x is a module
                found.update(f"{name}.{a.name}" for a in node.names)
            else:
                found.add(name)
    return found


def _top(name: str) -> str:
    parts = name.split(".")
    return ".".join(parts[:3]) if parts[:2] == ["storymap", "web"] else ".".join(parts[:2])


@pytest.mark.parametrize("path", sorted(WEB.glob("*.py")), ids=lambda p: p.name)
def test_web_modules_import_only_the_model_and_outputs(path: Path) -> None:
    bad = {n for n in storymap_imports(path) if _top(n) not in ALLOWED and not
           n.startswith("storymap.web.")}  # fmt: skip
    assert bad == set(), f"{path.name} imports {sorted(bad)}"


def test_the_checker_sees_relative_and_nested_imports(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from ..pipeline import build_story\n"
        "def f():\n    from .. import cli\n    import storymap.importers\n"
        "from . import views\nfrom ..model import Story\n",
        encoding="utf-8",
    )
    assert storymap_imports(probe) == {
        "storymap.pipeline", "storymap.cli", "storymap.importers", "storymap.web.views",
        "storymap.model",
    }  # fmt: skip
