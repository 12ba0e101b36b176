"""The one list of front-end assets: vendored libraries (pinned) and the app's own files.

Every page mode reads this list: the served page links the files under ``/static/``,
the standalone export inlines them. The app's script is ES modules: ``app/main.js`` is the
entry (kind "module"), the modules it imports are listed as kind "import" — the served
page preloads them and the browser imports them; the export bundles them into one inline
script with :mod:`storymap.outputs.jsbundle` (a ``file://`` page cannot import modules).
``scripts/vendor_assets.py`` re-vendors the npm packages listed in ``NPM_PACKAGES`` into
``static/vendor/<name>/`` with their licences.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..resources import data_dir


@dataclass(frozen=True)
class NpmPackage:
    """A library vendored from the npm registry: which files of its tarball we keep."""

    name: str
    version: str
    integrity: str
    license: str
    #: (path inside the npm tarball's ``package/``, path under ``static/``)
    files: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Asset:
    """One file the page loads, in load order.

    ``kind``: "css", "js" (a classic script), "module" (an ES module entry) or "import"
    (an ES module that an entry imports; not loaded by a tag of its own).
    """

    path: str
    kind: str
    package: str = ""


NPM_PACKAGES: tuple[NpmPackage, ...] = (
    NpmPackage(
        name="leaflet",
        version="1.9.4",
        integrity=(
            "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA=="
        ),
        license="BSD-2-Clause",
        files=(
            ("dist/leaflet.js", "vendor/leaflet/leaflet.js"),
            ("dist/leaflet.css", "vendor/leaflet/leaflet.css"),
            ("dist/images/layers.png", "vendor/leaflet/images/layers.png"),
            ("dist/images/layers-2x.png", "vendor/leaflet/images/layers-2x.png"),
            ("dist/images/marker-icon.png", "vendor/leaflet/images/marker-icon.png"),
            ("LICENSE", "vendor/leaflet/LICENSE"),
        ),
    ),
)

#: What every page loads, in order. Our own files come after the libraries they use.
ASSETS: tuple[Asset, ...] = (
    Asset("vendor/leaflet/leaflet.css", "css", package="leaflet"),
    Asset("app/storymap.css", "css"),
    Asset("app/classroom.css", "css"),
    Asset("app/print.css", "css"),
    Asset("vendor/leaflet/leaflet.js", "js", package="leaflet"),
    Asset("app/main.js", "module"),
    Asset("app/dom.js", "import"),
    Asset("app/url.js", "import"),
    Asset("app/i18n.js", "import"),
    Asset("app/steps.js", "import"),
    Asset("app/map.js", "import"),
    Asset("app/basemap.js", "import"),
    Asset("app/pins.js", "import"),
    Asset("app/rivers.js", "import"),
    Asset("app/panel.js", "import"),
    Asset("app/offsets.js", "import"),
    Asset("app/textview.js", "import"),
    Asset("app/stepper.js", "import"),
    Asset("app/dialogs.js", "import"),
    Asset("app/embed.js", "import"),
    Asset("app/labels.js", "import"),
    Asset("app/card.js", "import"),
    Asset("app/details.js", "import"),
    Asset("app/clusters.js", "import"),
    Asset("app/present.js", "import"),
    Asset("app/print.js", "import"),
)

#: The UI strings (English and Hungarian), read by the templates and sent to the page.
I18N_PATH = "app/i18n.json"

#: Leaflet's images for controls storymap never creates (the layer switcher, the default
#: pin icon: the map draws circle markers): not inlined into the standalone file.
UNUSED_IMAGES = frozenset({"images/layers.png", "images/layers-2x.png", "images/marker-icon.png"})


def versioned_url(asset: Asset, *, static_url: str) -> str:
    """Return the URL of ``asset`` under ``static_url``, with its version as a cache buster.

    >>> versioned_url(ASSETS[0], static_url="/static/")
    '/static/vendor/leaflet/leaflet.css?v=1.9.4'
    """
    if asset.package:
        version = package(asset.package).version
    elif asset.kind == "module":
        # The browser imports the other modules by plain URL: the entry's version covers them.
        version = _content_hash(*(a.path for a in ASSETS if a.kind in ("module", "import")))
    else:
        version = _content_hash(asset.path)
    return f"{static_url}{asset.path}?v={version}"


#: The served page's script: the app's modules bundled (storymap.web serves it from memory).
BUNDLE_PATH = "app/bundle.js"


def bundle_url(static_url: str) -> str:
    """Return the URL of the app's bundled modules, versioned by their content.

    >>> bundle_url("/static/").startswith("/static/app/bundle.js?v=")
    True
    """
    version = _content_hash(*(a.path for a in ASSETS if a.kind in ("module", "import")))
    return f"{static_url}{BUNDLE_PATH}?v={version}"


def served_file(path: str) -> str:
    """Return the text of the served page's generated file ``path`` (the bundle).

    Raises KeyError for any other path.
    """
    if path != BUNDLE_PATH:
        raise KeyError(path)
    entry = next(a.path for a in ASSETS if a.kind == "module")
    return bundled_module(entry)


@functools.cache
def bundled_module(path: str) -> str:
    """Return the module entry ``path`` (under static/) and its imports as one compact script.

    Raises storymap.outputs.jsbundle.BundleError when a module uses syntax the bundler refuses.
    """
    from .jsbundle import bundle, compact

    folder, name = path.rsplit("/", 1)
    # Inlined in the standalone file, whose size is budgeted: comments are left out.
    return compact(bundle(name, lambda module: read_text(f"{folder}/{module}")))


def package(name: str) -> NpmPackage:
    """Return the vendored npm package ``name``; raise KeyError naming the known ones."""
    for pkg in NPM_PACKAGES:
        if pkg.name == name:
            return pkg
    known = ", ".join(p.name for p in NPM_PACKAGES)
    raise KeyError(f"no vendored package {name!r}; known: {known}")


@functools.cache
def read_text(path: str) -> str:
    """Return the text of the static file ``path`` (relative to static/), read once.

    Raises FileNotFoundError when the file is missing (re-run scripts/vendor_assets.py).
    """
    return (data_dir("static") / path).read_text(encoding="utf-8")


@functools.cache
def read_bytes(path: str) -> bytes:
    """Return the bytes of the static file ``path`` (relative to static/), read once."""
    return (data_dir("static") / path).read_bytes()


@functools.cache
def _content_hash(*paths: str) -> str:
    # Our own files change without a version bump: their content hash busts caches.
    import hashlib

    digest = hashlib.sha256()
    for path in paths:
        digest.update(read_bytes(path))
    return digest.hexdigest()[:10]


def compact_css(text: str) -> str:
    r"""Return stylesheet ``text`` without comments and with white space cut to what parses.

    Strings and ``url(...)`` are copied as they are; white space collapses to one space and
    goes entirely next to ``{ } ; ,`` and after ``:`` (where CSS never needs it: a space
    *before* a colon, as in ``.a :focus``, is kept). For the standalone file's budget.

    >>> compact_css("/* x */ a , b:hover  {\n  color : red ;\n  content: ' ;  '; }")
    "a,b:hover{color :red;content:' ;  ';}"
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            out.append(" ")
        elif char in "\"'":
            end = i + 1
            while end < n and text[end] != char:
                end += 2 if text[end] == "\\" else 1
            out.append(text[i:end + 1])
            i = end + 1
        elif text.startswith("url(", i):
            end = text.find(")", i)
            end = n - 1 if end < 0 else end
            out.append(text[i:end + 1])
            i = end + 1
        else:
            out.append(char)
            i += 1
    # Only the parts outside strings and url() are changed: they are the odd items once split.
    joined = "".join(out)
    parts = re.split(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|url\([^)]*\))""", joined)
    for k in range(0, len(parts), 2):
        chunk = re.sub(r"\s+", " ", parts[k])
        chunk = re.sub(r" ?([{};,]) ?", r"\1", chunk)
        parts[k] = re.sub(r": ", ":", chunk)
    return "".join(parts).strip()
