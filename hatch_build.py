"""Wheel build hook: ship what a first start would otherwise build (issue 18.4).

A fresh install used to spend 15–40 s on its first ``storymap serve`` building the GeoNames
index and then the built-in story. The wheel now carries both, built here from the source
tree being packaged (so they match its code and data exactly), under
``storymap/_data/prebuilt/``: ``geonames-f<format>.sqlite`` (the index
``storymap.geo.geonames`` would build into the cache), ``builtin-story.json`` (the 1956
story as ``storymap serve`` with no argument builds it), the divisions index and the
parsed gazetteer and region files (``derived-<kind>.json``). An editable install gets
neither (a checkout builds them into the cache on first use, as before); neither does a
build whose environment lacks the pipeline's packages (then it warns and the wheel works
as before). ``STORYMAP_WHEEL_PREBUILT=0`` leaves them out on purpose (the first-start
benchmark compares both). Measured: docs/decisions.md, "first start".
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: Where the shipped files go inside the wheel (storymap.resources.shipped reads them).
PREBUILT = "storymap/_data/prebuilt"


class CustomBuildHook(BuildHookInterface):  # type: ignore[misc]
    """Build the GeoNames index and the built-in story into the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._tmp = ""
        if self.target_name != "wheel" or version == "editable":
            return
        if os.environ.get("STORYMAP_WHEEL_PREBUILT") == "0":
            return
        self._tmp = tempfile.mkdtemp(prefix="storymap-prebuilt-")
        saved = os.environ.get("STORYMAP_CACHE_DIR")
        os.environ["STORYMAP_CACHE_DIR"] = self._tmp  # nothing of the user's cache is used
        sys.path.insert(0, self.root)
        try:
            from storymap.geo import divisions
            from storymap.geo.geonames import INDEX_FORMAT, ensure_index
            from storymap.pipeline import build_story, builtin_texts

            index = ensure_index()
            story = Path(self._tmp) / "story" / "builtin-story.json"
            story.parent.mkdir()
            story.write_text(build_story(builtin_texts()).to_json(indent=None),
                             encoding="utf-8")
        except ImportError as exc:  # a build environment without the pipeline's packages
            self.app.display_warning(f"storymap: wheel without the prebuilt GeoNames index "
                                     f"and built-in story ({exc}); first start builds them")
            return
        finally:
            sys.path.remove(self.root)
            if saved is None:
                os.environ.pop("STORYMAP_CACHE_DIR", None)
            else:
                os.environ["STORYMAP_CACHE_DIR"] = saved
        include = build_data["force_include"]
        include[str(index)] = f"{PREBUILT}/geonames-f{INDEX_FORMAT}.sqlite"
        include[str(story)] = f"{PREBUILT}/builtin-story.json"
        # What reading the story built into the cache from places/ (the divisions index, the
        # parsed gazetteer and regions): keyed there by the files' times, which an install
        # changes, so shipped under names of their own (storymap.geo.derived, .divisions).
        for found in Path(self._tmp).glob("divisions-*.sqlite"):
            include[str(found)] = f"{PREBUILT}/divisions-f{divisions.INDEX_FORMAT}.sqlite"
        for found in Path(self._tmp).glob("*-*.json"):
            include[str(found)] = f"{PREBUILT}/derived-{found.stem.rsplit('-', 1)[0]}.json"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
