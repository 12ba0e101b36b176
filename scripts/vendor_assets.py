"""Re-vendor the front-end libraries listed in storymap/outputs/assets.py from the npm registry.

Usage: ``python scripts/vendor_assets.py [--check]``

For each package it runs ``npm pack name@version`` in a temporary directory, checks the
tarball's integrity against the pinned value, and copies the listed files (and the
licence) into ``static/vendor/<name>/``. ``--check`` only compares the vendored files
with the tarball and exits 1 when they differ. Needs ``npm`` on PATH; never uses a CDN.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from storymap.outputs.assets import NPM_PACKAGES, NpmPackage  # noqa: E402


def fetch(pkg: NpmPackage, workdir: Path) -> Path:
    """Download ``pkg`` with npm pack, verify its integrity, unpack it; return package/."""
    spec = f"{pkg.name}@{pkg.version}"
    out = subprocess.run(
        ["npm", "pack", spec, "--silent"], cwd=workdir, check=True, capture_output=True, text=True
    )
    tarball = workdir / out.stdout.strip().splitlines()[-1]
    algo, _, expected = pkg.integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algo, tarball.read_bytes()).digest()).decode()
    if digest != expected:
        raise SystemExit(
            f"{tarball.name}: expected integrity {pkg.integrity}, got {algo}-{digest}; "
            "the registry served something else — do not vendor it"
        )
    with tarfile.open(tarball) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def main() -> int:
    """Vendor (or with --check, compare) every npm package; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only, change nothing")
    args = parser.parse_args()
    static = ROOT / "static"
    differ = 0
    for pkg in NPM_PACKAGES:
        with tempfile.TemporaryDirectory() as tmp:
            unpacked = fetch(pkg, Path(tmp))
            for src, dest in pkg.files:
                target = static / dest
                data = (unpacked / src).read_bytes()
                if args.check:
                    if not target.is_file() or target.read_bytes() != data:
                        print(f"differs: static/{dest} (from {pkg.name}@{pkg.version} {src})")
                        differ += 1
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(unpacked / src, target)
                print(f"static/{dest}  <-  {pkg.name}@{pkg.version} {src}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
