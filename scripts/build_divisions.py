#!/usr/bin/env python3
"""Write places/sources/admin1-names.tsv: the names of the world's first-level divisions.

Usage: python scripts/build_divisions.py [--source FILE] [--check]

From GeoNames' ``admin1CodesASCII.txt`` (CC BY 4.0; /work/shared/data/geonames): one line per
division, ``CC.code<TAB>name``, sorted by code. Towns from GeoNames (cities500, packs) carry
``CC.code`` as their parent, so the editor and the review list can say "Columbia — town,
Pennsylvania, US"; online answers name their state, which is matched back to a code here.
Only the code and the name are kept (the ASCII name and the geonameid are dropped).
``--check`` changes nothing and exits 1 if the file would change.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "places" / "sources" / "admin1-names.tsv"
DEFAULT = next((p / "shared" / "data" / "geonames" / "admin1CodesASCII.txt"
                for p in (ROOT.parent, ROOT.parent.parent)
                if (p / "shared" / "data" / "geonames").is_dir()),
               Path("/work/shared/data/geonames/admin1CodesASCII.txt"))


def build(source: Path) -> str:
    rows = []
    for line in source.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) >= 2 and "." in cols[0] and cols[1].strip():
            rows.append((cols[0].strip(), " ".join(cols[1].split())))
    rows.sort()
    head = ("# First-level divisions: GeoNames admin1CodesASCII.txt (https://www.geonames.org, "
            "CC BY 4.0), code and name only.\n# Rebuilt by scripts/build_divisions.py.\n")
    return head + "".join(f"{code}\t{name}\n" for code, name in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = build(args.source)
    if args.check:
        same = OUT.is_file() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT}: {'up to date' if same else 'would change'}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT}: {text.count(chr(10)) - 2} divisions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
