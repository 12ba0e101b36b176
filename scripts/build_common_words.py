#!/usr/bin/env python3
"""Build storymap/lang/en/commonwords.yaml: English words that are words, not names.

Usage: python scripts/build_common_words.py [--corpus DIR] [--check]

A word belongs to the list when a body of English prose writes it in lower case at least
``MIN_LOWER`` times and at least ``RATIO`` times as often as capitalised inside a sentence
(not after . ! ? : ; " or an opening bracket). "have", "respectfully", "send", "very" are
in it; "Mobile", "Price", "Banks", "Hill" (surnames and towns that prose mostly
capitalises) are not. The place reader uses it where a text lost its punctuation: a
capitalised common word after a name opens the next sentence ("at Camden Respectfully",
"to Fort Craig Read the communication"), and is no part of a person's name ("Woodstock
Have heard nothing").

The prose is the WOTR train split's dev four-fifths (every document but each 5th in
sorted order, the fifth ``benchmarks/bench_wotr.py`` holds out): US Civil War records,
War of the Rebellion toponym corpus, DeLozier, Wing, Baldridge & Nesbit 2016, MIT
licence. Only word counts are kept, no text.

``--check`` writes nothing and exits 1 if the file would change.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "storymap" / "lang" / "en" / "commonwords.yaml"
DEFAULT_CORPUS = next((p / "shared" / "corpora" / "wotr-train"
                       for p in (ROOT.parent, ROOT.parent.parent)
                       if (p / "shared" / "corpora" / "wotr-train").is_dir()),
                      ROOT.parent / "shared" / "corpora" / "wotr-train")

#: How often a word must be written in lower case, and how many times more often than
#: capitalised inside a sentence.
MIN_LOWER = 3
RATIO = 10

_WORD = re.compile(r"[^\W\d_][\w'’-]*")

HEADER = """\
# English words that are words, not names: written in lower case at least {min_lower} times
# and {ratio} times as often as capitalised inside a sentence in the WOTR train split's dev
# four-fifths (US Civil War records; DeLozier, Wing, Baldridge & Nesbit 2016, MIT licence).
# Built by scripts/build_common_words.py; do not edit by hand. Read by the place reader
# (storymap/pipeline/placewords.py) and the people finder: a capitalised common word after a
# name opens the next sentence where a text lost its punctuation ("at Camden Respectfully").
"""


def counts(texts: list[str]) -> tuple[Counter[str], Counter[str]]:
    """Return how often each word is written in lower case, and capitalised mid-sentence."""
    lower: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    for text in texts:
        for m in _WORD.finditer(text):
            word = m.group()
            if word.islower():
                lower[word] += 1
            elif word[:1].isupper() and word[1:].islower() and m.start():
                before = text[max(0, m.start() - 2) : m.start()].strip()
                if before and before[-1] in '.!?:;"(':
                    continue  # a sentence's first word says nothing
                capital[word.lower()] += 1
    return lower, capital


def build(corpus: Path) -> str:
    files = sorted((corpus / "texts").glob("*.txt"))
    dev = [f.read_text(encoding="utf-8") for i, f in enumerate(files) if i % 5 != 4]
    lower, capital = counts(dev)
    words = sorted(w for w, n in lower.items()
                   if n >= MIN_LOWER and n >= RATIO * capital[w] and len(w) > 1
                   and not any(c in w for c in "'’-"))  # "cross-roads" ends names
    lines = [HEADER.format(min_lower=MIN_LOWER, ratio=RATIO), "common_words:"]
    line: list[str] = []
    for w in words:
        if sum(len(x) + 1 for x in line) + len(w) > 86:
            lines.append("  - " + " ".join(line))
            line = []
        line.append(w)
    if line:
        lines.append("  - " + " ".join(line))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if not (args.corpus / "texts").is_dir():
        sys.exit(f"{args.corpus}: no texts/ folder here; give the WOTR train split with --corpus")
    content = build(args.corpus)
    if args.check:
        same = OUT.is_file() and OUT.read_text(encoding="utf-8") == content
        sys.exit(0 if same else 1)
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(content, encoding="utf-8")
    tmp.replace(OUT)
    print(f"wrote {OUT.relative_to(ROOT)} ({content.count(' ') } words or so)")


if __name__ == "__main__":
    main()
