"""List the located gold mentions the place reader misses, grouped by cause.

Usage: python benchmarks/wotr_misses.py PRED.csv [--corpus DIR] [--split dev|test|all]
       [--show N] [--only CAUSE] [--before OLD.csv]

PRED.csv is a mentions export (``bench_wotr.py --out``: doc,start,end,mention,place_id,kind,
lat,lon). Every gold mention with coordinates is paired with the prediction that overlaps it
(as ``score_mentions.py`` pairs them) and counted as a hit (within 161 km) or a miss with
its cause:

* ``unrecognised``: no prediction overlaps it (the recognition's share);
* ``unresolved:<form>``: found but not placed, by the form of its name (a fort or camp, a
  creek, river or island, an abbreviation, a division word, anything else);
* ``far:<kind>``: placed more than 161 km off, by the kind of place chosen (a river, a
  region, a town…).

Prints the counts per cause, then up to N examples per cause, most frequent names first,
and how many answers are wrong (the precision of what is pinned). ``--split`` keeps the
dev four-fifths (the default: tune on them only) or the held-out fifth.

``--before OLD.csv`` compares with an earlier export instead: the pins a change added,
moved or removed, each judged against the gold (won, lost, still wrong, or no gold), so a
rule's precision is measured, not only its gain.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

DEFAULT_CORPUS = Path("/work/shared/corpora/wotr-train")
THRESH_KM = 161.0

#: Head and tail words that say what kind of feature an unresolved name is.
FORMS = {
    "fort": {"fort", "ft", "camp", "cantonment", "post", "barracks", "redoubt", "battery"},
    "water": {"river", "creek", "run", "bayou", "fork", "branch", "lake", "bay", "sound",
              "island", "islands", "inlet", "pass", "gap", "mountain", "mountains",
              "ford", "ferry", "landing", "springs", "spring", "point", "bluff", "bluffs",
              "hill", "hills", "valley", "station", "cross", "roads", "crossroads",
              "court-house", "courthouse", "house", "church", "mill", "mills", "bridge",
              "junction", "gulch", "cañon", "canyon", "key", "reef", "head", "harbor"},
    "division": {"county", "co", "parish", "territory", "ter", "district", "state"},
}


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def load(path: Path) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out[row["doc"]].append(row)
    return out


def form(name: str) -> str:
    """The form of an unresolved name: fort, water (and other features), division,
    abbreviation or other."""
    words = [w.strip(".,'").lower() for w in name.replace("-", " - ").split()]
    words = [w for w in words if w]
    if not words:
        return "other"
    if words[0] in FORMS["fort"] or words[-1] in FORMS["fort"]:
        return "fort"
    if any(w in FORMS["division"] for w in words):
        return "division"
    if words[0] in FORMS["water"] or words[-1] in FORMS["water"]:
        return "feature"
    if name.endswith(".") or (len(name) <= 4 and name.isupper()):
        return "abbreviation"
    return "other"


def pair(golds: list[dict[str, str]], preds: list[dict[str, str]]) -> dict[int, int]:
    cands = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            gs, ge, ps, pe = int(g["start"]), int(g["end"]), int(p["start"]), int(p["end"])
            ov = min(ge, pe) - max(gs, ps)
            if ov > 0:
                cands.append((0 if (gs, ge) == (ps, pe) else 1, -ov, gs, ps, gi, pi))
    cands.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: dict[int, int] = {}
    for *_, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs[gi] = pi
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pred", type=Path)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--show", type=int, default=15)
    parser.add_argument("--only", help="show examples of this cause only (prefix)")
    parser.add_argument("--before", type=Path, help="compare with this earlier export")
    args = parser.parse_args()
    gold = load(args.corpus / "gold-mentions.csv")
    pred = load(args.pred)
    folder = args.corpus / "texts" if (args.corpus / "texts").is_dir() else args.corpus
    docs = sorted(f.stem for f in folder.glob("*.txt"))
    if args.split != "all":
        docs = [d for i, d in enumerate(docs) if (i % 5 == 4) == (args.split == "test")]
    if args.before:
        compare(gold, load(args.before), pred, docs, args.show)
        return
    causes: Counter[str] = Counter()
    names: dict[str, Counter[str]] = defaultdict(Counter)
    pinned = wrong = 0
    for doc in docs:
        golds, preds = gold.get(doc, []), pred.get(doc, [])
        pairs = pair(golds, preds)
        for pi, p in enumerate(preds):
            if p["lat"]:
                pinned += 1
                g = next((golds[gi] for gi, pj in pairs.items() if pj == pi), None)
                if g is not None and g["lat"] and haversine(
                        float(g["lat"]), float(g["lon"]), float(p["lat"]),
                        float(p["lon"])) > THRESH_KM:
                    wrong += 1
        for gi, g in enumerate(golds):
            if not g["lat"]:
                continue
            if gi not in pairs:
                cause = "unrecognised"
                label = g["mention"]
            else:
                p = preds[pairs[gi]]
                if not p["lat"]:
                    cause = f"unresolved:{form(p['mention'])}"
                    label = p["mention"]
                else:
                    d = haversine(float(g["lat"]), float(g["lon"]), float(p["lat"]),
                                  float(p["lon"]))
                    if d <= THRESH_KM:
                        cause = "hit"
                        label = ""
                    else:
                        cause = f"far:{p.get('kind') or '?'}"
                        label = f"{p['mention']} → {p.get('place_id', '')} ({d:.0f} km)"
            causes[cause] += 1
            if label:
                names[cause][label] += 1
    total = sum(causes.values())
    print(f"{args.split}: {total} located gold mentions; hits {causes['hit']} "
          f"({causes['hit'] / max(total, 1):.3f}); pins {pinned}, of them > 161 km off a "
          f"paired gold {wrong}")
    for cause, n in causes.most_common():
        if cause != "hit":
            print(f"  {cause:24} {n:5}  ({n / max(total, 1):.3f})")
    for cause, n in causes.most_common():
        if cause == "hit" or (args.only and not cause.startswith(args.only)):
            continue
        print(f"\n== {cause} ({n})")
        for label, k in names[cause].most_common(args.show):
            print(f"  {k:4}  {label}")


def _verdict(g: dict[str, str] | None, p: dict[str, str] | None) -> str:
    if p is None or not p["lat"]:
        return "none"
    if g is None or not g["lat"]:
        return "nogold"
    d = haversine(float(g["lat"]), float(g["lon"]), float(p["lat"]), float(p["lon"]))
    return "hit" if d <= THRESH_KM else "wrong"


def compare(gold: dict[str, list[dict[str, str]]], old: dict[str, list[dict[str, str]]],
            new: dict[str, list[dict[str, str]]], docs: list[str], show: int) -> None:
    """Print what changed between two exports, judged against the gold."""
    changes: Counter[str] = Counter()
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in docs:
        golds = gold.get(doc, [])
        spans = {(p["start"], p["end"]): p for p in old.get(doc, [])}
        for p in new.get(doc, []):
            q = spans.pop((p["start"], p["end"]), None)
            if q is not None and (q["lat"], q["lon"]) == (p["lat"], p["lon"]):
                continue
            g = next((g for g in golds if int(g["start"]) < int(p["end"])
                      and int(p["start"]) < int(g["end"])), None)
            key = f"{_verdict(g, q)}→{_verdict(g, p)}"
            changes[key] += 1
            names[key][f"{p['mention']} → {p.get('place_id', '')}"] += 1
        for q in spans.values():
            g = next((g for g in golds if int(g["start"]) < int(q["end"])
                      and int(q["start"]) < int(g["end"])), None)
            key = f"{_verdict(g, q)}→gone"
            changes[key] += 1
            names[key][q["mention"]] += 1
    for key, n in changes.most_common():
        print(f"{key:16} {n:5}")
    for key, _ in changes.most_common():
        print(f"\n== {key}")
        for label, k in names[key].most_common(show):
            print(f"  {k:4}  {label}")


if __name__ == "__main__":
    sys.exit(main())
