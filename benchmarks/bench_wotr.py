"""Measure the place reader on the WOTR train split: recognition P/R/F1, resolution, time.

Usage: python benchmarks/bench_wotr.py [--corpus DIR] [--one-by-one] [--limit N] [--out CSV]

``--corpus tests/data/genres`` (or ``tests/data/lessons``) scores our own texts of other
genres the same way (their texts lie beside their gold-mentions.csv).

Reads every text of the corpus (1,322 US Civil War records) with ONE library call
(``build_story_from_texts``), writes the mentions export (``doc,start,end,mention,lat,lon``)
and scores it with ``../shared/eval/score_mentions.py`` against ``gold-mentions.csv``.
Prints the scores for all documents and for a fixed dev/test division (every 5th document,
in sorted order, is "test": tune rules on "dev", never on "test", which is reported
apart), and the seconds the call took with the documents per second (the target, issue
15: at least 200 documents/s on a 2-core machine).

``--one-by-one`` reads each text with its own call instead, for comparison.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = Path("/work/shared/corpora/wotr-train")
DEFAULT_SCORER = Path("/work/shared/eval/score_mentions.py")


def read_corpus(corpus: Path, limit: int | None) -> list[tuple[str, str]]:
    # WOTR keeps its texts in texts/; the genre and lesson sets of tests/data/ beside
    # their gold-mentions.csv
    folder = corpus / "texts" if (corpus / "texts").is_dir() else corpus
    files = sorted(folder.glob("*.txt"))
    if limit:
        files = files[:limit]
    return [(f.stem, f.read_text(encoding="utf-8")) for f in files]


def mentions_csv(texts: list[tuple[str, str]], *, one_by_one: bool,
                 timings: object = None) -> tuple[str, float, float]:
    """Return the mentions export of ``texts`` and the seconds the reading took (wall clock
    and this process's CPU time: on a shared machine the second is the fairer number)."""
    from storymap.formats import get_exporter
    from storymap.pipeline import SourceText, build_story_from_texts
    from storymap.resolvers import DEFAULT_RESOLVERS, get_resolver

    resolvers = [get_resolver(n) for n in DEFAULT_RESOLVERS]
    resolvers[-1].candidates("Richmond")  # open the GeoNames index outside the timing
    export = get_exporter("mentions")
    sources = [SourceText(id=doc, text=text) for doc, text in texts]
    t0, c0 = time.perf_counter(), time.process_time()
    if one_by_one:
        parts = [export(build_story_from_texts([s], resolvers=resolvers)) for s in sources]
        header, *_ = parts[0].splitlines(keepends=True)
        out = header + "".join(p.split("\n", 1)[1] for p in parts)
    else:
        out = export(build_story_from_texts(sources, resolvers=resolvers,
                                            timings=timings))  # type: ignore[arg-type]
    return out, time.perf_counter() - t0, time.process_time() - c0


def load_scorer(path: Path):  # type: ignore[no-untyped-def]
    """Import the shared scorer (standard library only) as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("score_mentions", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(scorer, content: str, docs: set[str]) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    """Return the scorer's rows of the CSV ``content`` that belong to ``docs``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "part.csv"
        sub = [r for r in csv.DictReader(io.StringIO(content)) if r["doc"] in docs]
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["doc", "start", "end", "mention", "lat", "lon"],
                               extrasaction="ignore")
            w.writeheader()
            w.writerows(sub)
        loaded: list[dict] = scorer.load(str(path), "part", [])  # type: ignore[type-arg]
        return loaded


def summary(name: str, s: dict) -> str:  # type: ignore[type-arg]
    ex, ov = s["recognition_exact"], s["recognition_overlap"]
    res, rec = s["resolution_all"], s["resolution_recognised"]
    return (f"{name:5} exact P {ex['precision']:.3f} R {ex['recall']:.3f} F1 {ex['f1']:.3f} | "
            f"overlap P {ov['precision']:.3f} R {ov['recall']:.3f} F1 {ov['f1']:.3f} | "
            f"within 161 km {res['acc161']:.3f} of {res['n']} located gold "
            f"({rec['acc161']:.3f} of those recognised)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    parser.add_argument("--one-by-one", action="store_true", help="one call per text")
    parser.add_argument("--limit", type=int, help="only the first N texts (sorted)")
    parser.add_argument("--out", type=Path, help="also write the mentions export here")
    args = parser.parse_args()
    texts = read_corpus(args.corpus, args.limit)
    from storymap.pipeline import Timings

    timings = Timings()
    pred, seconds, cpu = mentions_csv(texts, one_by_one=args.one_by_one, timings=timings)
    if args.out:
        args.out.write_text(pred, encoding="utf-8")
    docs = [d for d, _ in texts]
    groups = {"all": set(docs), "dev": {d for i, d in enumerate(docs) if i % 5 != 4},
              "test": {d for i, d in enumerate(docs) if i % 5 == 4}}
    scorer = load_scorer(args.scorer)
    gold = (args.corpus / "gold-mentions.csv").read_text(encoding="utf-8")
    for name, members in groups.items():
        result = scorer.score(rows(scorer, gold, members), rows(scorer, pred, members))
        print(summary(name, result))
    how = "one call per text" if args.one_by_one else "one call"
    print(f"time  {seconds:.2f} s ({cpu:.2f} s CPU) for {len(texts)} texts ({how}); "
          f"{len(texts) / seconds:.0f} documents/s wall, {len(texts) / cpu:.0f} per CPU "
          f"second (target ≥ 200 documents/s); load {os.getloadavg()[0]:.2f} on "
          f"{os.cpu_count()} cores")
    if timings.stages:  # wall seconds per stage: which stage a slowdown is in
        print("stages " + ", ".join(f"{stage} {sec:.2f} s" for stage, sec in
                                    sorted(timings.stages.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    main()
