"""The front end's ES modules: listed once in storymap.outputs.assets, bundled for file:// pages."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from storymap.outputs import assets
from storymap.outputs.jsbundle import BundleError, bundle, module_order

APP = Path(__file__).resolve().parents[1] / "static" / "app"


def _modules(kind: str) -> list[str]:
    return [a.path.removeprefix("app/") for a in assets.ASSETS if a.kind == kind]


def test_the_asset_list_names_every_module_and_only_what_main_imports() -> None:
    (entry,) = _modules("module")
    on_disk = {p.name for p in APP.glob("*.js")}
    assert on_disk == {entry, *_modules("import")}, "static/app/*.js and ASSETS disagree"
    reachable = module_order(entry, lambda name: (APP / name).read_text(encoding="utf-8"))
    assert reachable[-1] == entry
    assert set(reachable) == on_disk, "a listed module is not imported (or the reverse)"


def test_modules_stay_small_and_focused() -> None:
    for path in APP.glob("*.js"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path.name


def test_dependencies_come_first_and_names_stay_private() -> None:
    sources = {
        "main.js": 'import { twice } from "./b.js";\nimport { one as x } from "./a.js";\n'
        "var helper = 3;\nconsole.log(twice(x), helper);\n",
        "b.js": 'import { one } from "./a.js";\nvar helper = 2;\n'
        "export function twice(n) { return helper * n * one; }\n",
        "a.js": "var helper = 1;\nexport const one = helper;\n",
    }
    text = bundle("main.js", sources.__getitem__)
    assert text.index("__sm_a =") < text.index("__sm_b =") < text.index("__sm_main =")
    assert "const { one: x } = __sm_a;" in text
    assert "export" not in text and "import {" not in text
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the bundle's result is checked by the browser tests")
    out = subprocess.run([node, "-e", text], capture_output=True, text=True, check=True, timeout=30)
    assert out.stdout.strip() == "2 3"  # each module saw its own "helper"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("export default function f() {}", "export function"),
        ("export { a };", "export function"),
        ("export let a = 1;", "export function"),
        ('import * as x from "./b.js";', "import"),
        ('import "./b.js";', "import"),
        ('import { a } from "https://cdn.example/b.js";', "import"),
        ('var m = import("./b.js");', "dynamic import"),
    ],
)
def test_syntax_the_bundler_cannot_keep_is_refused(line: str, message: str) -> None:
    with pytest.raises(BundleError, match=message) as info:
        bundle("main.js", {"main.js": f"var x = 1;\n{line}\n", "b.js": ""}.__getitem__)
    assert "static/app/main.js:2" in str(info.value)


def test_an_import_cycle_is_named() -> None:
    sources = {"a.js": 'import { b } from "./b.js";', "b.js": 'import { a } from "./a.js";'}
    with pytest.raises(BundleError, match=re.escape("import cycle: a.js → b.js → a.js")):
        bundle("a.js", sources.__getitem__)


def test_the_real_bundle_parses() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    text = assets.bundled_module("app/main.js")
    subprocess.run([node, "--check", "--input-type=module"], input=text, text=True,
                   check=True, timeout=30)  # fmt: skip
