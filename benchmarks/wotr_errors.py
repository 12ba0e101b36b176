"""List the place reader's recognition errors on a gold-annotated corpus, by pattern.

Usage: python benchmarks/wotr_errors.py PRED.csv [--corpus DIR] [--split dev|test|all]
       [--show KIND] [--limit N]

PRED.csv is a mentions export (``bench_wotr.py --out``). Each error is one of

* ``boundary``: a prediction overlaps a gold mention but the spans differ (counts as one
  false positive and one false negative in the exact score);
* ``fp``: a prediction overlaps no gold mention;
* ``fn``: a gold mention no prediction overlaps;

and is sorted into a pattern by the words around it (a list that lost its commas, a
state abbreviation, a possessive, a title before it, ALL-CAPS, …) so that the largest
families of errors show first. ``--show KIND`` prints the examples of one error kind (or
pattern) with their context. The split is bench_wotr's: every 5th document (sorted) is
"test", never to be looked at while choosing rules; the default is "dev".
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

DEFAULT_CORPUS = Path("/work/shared/corpora/wotr-train")


def read_spans(path: Path, docs: set[str]) -> dict[str, list[tuple[int, int, str]]]:
    out: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    with path.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["doc"] in docs:
                out[r["doc"]].append((int(r["start"]), int(r["end"]), r["mention"]))
    return out


def pattern(text: str, a: int, b: int) -> str:
    """A coarse label of the context of span [a, b) of ``text``."""
    span = text[a:b]
    before = text[max(0, a - 30) : a]
    after = text[b : b + 30]
    prev = re.findall(r"[\w.'’-]+", before)[-1:] or [""]
    nxt = re.findall(r"[\w.'’-]+", after)[:1] or [""]
    p, n = prev[0], nxt[0]
    if re.fullmatch(r"(?:[A-Z][a-z]{0,4}\. ?)+(?:Ter\.)?", span):
        return "abbreviation"
    if span.endswith(("'s", "’s")) or after.startswith(("'s", "’s")):
        return "possessive"
    if re.search(r"\b(?:General|Gen\.|Colonel|Col\.|Major|Captain|Capt\.|Lieut\.|Mr\.)$",
                 before.strip()):
        return "after-title"
    if span.isupper() and len(span) > 3:
        return "all-caps"
    if p[:1].isupper() and before.endswith(" ") and not p.endswith("."):
        return "after-capitalised"  # a list that lost its commas, or a longer name
    if n[:1].isupper() and after.startswith(" "):
        return "before-capitalised"
    if p.lower() in {"in", "at", "to", "from", "near", "of", "on", "for", "via", "toward",
                     "towards", "and", "by"}:
        return f"after-{p.lower()}"
    if " " in span:
        return "multiword"
    return "other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pred", type=Path)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--show", help="print examples of this kind or kind/pattern")
    parser.add_argument("--limit", type=int, default=60)
    args = parser.parse_args()
    folder = args.corpus / "texts" if (args.corpus / "texts").is_dir() else args.corpus
    docs = sorted(f.stem for f in folder.glob("*.txt"))
    chosen = {d for i, d in enumerate(docs)
              if args.split == "all" or (i % 5 == 4) == (args.split == "test")}
    gold = read_spans(args.corpus / "gold-mentions.csv", chosen)
    pred = read_spans(args.pred, chosen)
    errors: list[tuple[str, str, str, str]] = []  # kind, pattern, shown, words
    for doc in sorted(chosen):
        text = (folder / f"{doc}.txt").read_text(encoding="utf-8")
        g, p = set(gold.get(doc, [])), set(pred.get(doc, []))
        for a, b, m in sorted(p - g):
            over = [x for x in g - p if x[0] < b and a < x[1]]
            ctx = f"{text[max(0, a - 40):a]}[{m}]{text[b:b + 40]}"
            if over:
                kind = "boundary"
                ctx += "   gold: " + " | ".join(x[2] for x in over)
            else:
                kind = "fp"
            errors.append((kind, pattern(text, a, b), f"{doc}: {ctx}", m))
        for a, b, m in sorted(g - p):
            if any(x[0] < b and a < x[1] for x in p - g):
                continue  # counted as a boundary error above
            errors.append(("fn", pattern(text, a, b), f"{doc}: {text[max(0, a - 40):a]}[{m}]"
                                                     f"{text[b:b + 40]}", m))
    kinds = Counter(e[0] for e in errors)
    print("errors: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    by = Counter((e[0], e[1]) for e in errors)
    for (kind, pat), count in by.most_common():
        names = Counter(e[3] for e in errors if e[0] == kind and e[1] == pat)
        top = ", ".join(f"{m} {c}" for m, c in names.most_common(6))
        print(f"{kind:9} {pat:18} {count:5}   {top}")
    if args.show:
        kind, _, pat = args.show.partition("/")
        shown = [e for e in errors if e[0] == kind and (not pat or e[1] == pat)]
        print()
        for e in shown[: args.limit]:
            print(e[2].replace("\n", " "))


if __name__ == "__main__":
    main()
