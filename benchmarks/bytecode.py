"""Compile storymap's modules once before a whole-process benchmark.

``pip install`` compiles an installed package's bytecode; a source checkout run with
``PYTHONDONTWRITEBYTECODE=1`` (as some shells and CI images set it) never does, and every
``storymap`` process then compiles ~120 modules again (about 1 s of a one-seed export on
a 2-core machine). A benchmark of what a user waits for measures the installed state.
"""

from __future__ import annotations

import compileall
import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "storymap"


def compile_package() -> str:
    """Write the bytecode of every storymap module; return a line saying so, for the report."""
    compileall.compile_dir(PACKAGE, quiet=1)
    unset = "set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "unset"
    return f"bytecode compiled beforehand, as pip install does (PYTHONDONTWRITEBYTECODE {unset})"
