"""Bundle the app's ES modules into one script for the standalone file.

The served page loads ``static/app/main.js`` as ``<script type="module">`` and the browser
follows its imports. A file opened from ``file://`` cannot import modules (each import is a
cross-origin fetch the browser refuses), so the export inlines one bundle instead. Our
modules keep to a small subset of the module syntax, which this bundler checks:

* ``import { a, b as c } from "./name.js";`` on one line, at the top level;
* ``export function name``, ``export const name``, ``export var name`` (bound once, never
  reassigned: the bundle copies values, so live bindings are not kept) at the top level.

Anything else (``export default``, ``export { … }``, ``import * as``, bare or dynamic
imports, ``export let``) raises :class:`BundleError`, so a module that would bundle wrongly
fails the tests instead of the reader's browser. Each module becomes a function scope that
returns its exports, in dependency order; names private to a module stay private.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import StorymapError

_IMPORT = re.compile(r'^import \{([^}]*)\} from "\./([\w-]+\.js)";\s*$')
_EXPORT = re.compile(r"^export (?:async )?(function\*?|const|var|class) ([A-Za-z_$][\w$]*)")
_KEYWORD = re.compile(r"^\s*(import|export)\b")
_NAME = re.compile(r"^[A-Za-z_$][\w$]*$")


class BundleError(StorymapError, ValueError):
    """A front-end module uses syntax the bundler does not handle, or imports in a cycle."""


def _scope_name(module: str) -> str:
    """Return the bundle variable of ``module``: ``"text-view.js"`` → ``__sm_text_view``."""
    return "__sm_" + re.sub(r"\W", "_", module.removesuffix(".js"))


def _parse_import(names: str, module: str, where: str) -> str:
    """Return the destructuring pattern for ``{ a, b as c }`` (``a, b: c``)."""
    parts = []
    for item in names.split(","):
        bits = item.split()
        if not bits:
            continue
        if len(bits) == 1 and _NAME.match(bits[0]):
            parts.append(bits[0])
        elif len(bits) == 3 and bits[1] == "as" and _NAME.match(bits[0]) and _NAME.match(bits[2]):
            parts.append(f"{bits[0]}: {bits[2]}")
        else:
            raise BundleError(f"{where}: cannot bundle the import {item.strip()!r} from {module}")
    return ", ".join(parts)


def _transform(name: str, text: str) -> tuple[list[str], list[str], list[str]]:
    """Return (imported modules, exported names, body lines with module syntax removed)."""
    imports: list[str] = []
    exports: list[str] = []
    body: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"static/app/{name}:{number}"
        if (match := _IMPORT.match(line)) is not None:
            module = match.group(2)
            imports.append(module)
            body.append(f"const {{ {_parse_import(match.group(1), module, where)} }} = "
                        f"{_scope_name(module)};")  # fmt: skip
        elif (match := _EXPORT.match(line)) is not None:
            exports.append(match.group(2))
            body.append(line.removeprefix("export "))
        elif _KEYWORD.match(line) and not line.lstrip().startswith(("import(", "export(")):
            raise BundleError(
                f"{where}: the bundler handles only 'import {{ … }} from \"./x.js\";' and "
                f"'export function|const|var|class name', got {line.strip()[:80]!r}"
            )
        elif re.search(r"\bimport\s*\(", line):
            raise BundleError(f"{where}: dynamic import() cannot be bundled")
        else:
            body.append(line)
    return imports, exports, body


def module_order(entry: str, read: Callable[[str], str]) -> list[str]:
    """Return the modules reachable from ``entry``, each after the modules it imports.

    ``read(name)`` returns a module's source. Raises BundleError for an import cycle.
    """
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "open":
            raise BundleError("import cycle: " + " → ".join((*chain, name)))
        state[name] = "open"
        for dep in _transform(name, read(name))[0]:
            visit(dep, (*chain, name))
        state[name] = "done"
        order.append(name)

    visit(entry, ())
    return order


def bundle(entry: str, read: Callable[[str], str]) -> str:
    """Return one script that runs ``entry`` and the modules it imports, in order.

    ``read(name)`` returns the source of ``static/app/<name>``. Raises BundleError for a
    module the bundler cannot handle or an import cycle.

    >>> sources = {"a.js": 'import { b as c } from "./b.js";\\nconsole.log(c);',
    ...            "b.js": "export const b = 1;"}
    >>> print(bundle("a.js", sources.__getitem__))  # doctest: +NORMALIZE_WHITESPACE
    /* storymap front end: static/app/a.js and its imports, bundled by storymap.outputs.jsbundle */
    const __sm_b = (function () {
    const b = 1;
    return { b: b };
    })();
    const __sm_a = (function () {
    const { b: c } = __sm_b;
    console.log(c);
    return {};
    })();
    """
    parts = [f"/* storymap front end: static/app/{entry} and its imports, "
             "bundled by storymap.outputs.jsbundle */"]  # fmt: skip
    for name in module_order(entry, read):
        _, exports, body = _transform(name, read(name))
        returned = "{ " + ", ".join(f"{e}: {e}" for e in exports) + " }" if exports else "{}"
        parts += [f"const {_scope_name(name)} = (function () {{", *body,
                  f"return {returned};", "})();"]  # fmt: skip
    return "\n".join(parts) + "\n"


def compact(text: str) -> str:
    r"""Return ``text`` without comment-only lines, blank lines and indentation.

    For the standalone file, which carries the whole app: about a quarter of our source is
    comments and indentation. Only whole lines go (a line that starts a ``//`` or ``/* */``
    comment), so no string or regular expression is ever cut; our modules use no template
    literals (a multi-line one would lose its indentation).

    >>> source = "/* a\n * b */\n  // c\n  var x = 1; // d\n\n  if (x) {\n    x++;\n  }\n"
    >>> print(compact(source), end="")
    var x = 1; // d
    if (x) {
    x++;
    }
    """
    out: list[str] = []
    in_block = False
    for line in text.splitlines():
        stripped = line.strip()
        if in_block:
            if "*/" in stripped:
                in_block = False
                rest = stripped.split("*/", 1)[1].strip()
                if rest:
                    out.append(rest)
            continue
        if stripped.startswith("/*"):
            closed = stripped.find("*/", 2)
            if closed < 0:
                in_block = True
            elif stripped[closed + 2:].strip():
                out.append(stripped)
            continue
        if stripped and not stripped.startswith("//"):
            out.append(stripped)
    return "\n".join(out) + "\n"
