"""Score the event and time stages on the lesson texts' hand-made gold (issue 16).

Usage: python benchmarks/bench_lessons.py [--lessons DIR] [--verbose]

Reads each text of ``tests/data/lessons/`` alone (as a teacher would build it) and compares
its events with ``gold-events.yaml``: of the sentences a careful teacher dates, how many are
events, how many have the right day (and span), how many the right clock time; how many
headings and questions became events; how many events tell a sentence the gold leaves out
(not always wrong: the gold leaves out sentences that name a place only as background);
and whether the night of 3-4 June is in the order it happened (the steps of the night
that follow each other in the story's order). Prints one line per text and
the totals. The gold is a yardstick, not a target: rules are general, never fitted to one
of its sentences.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storymap.model import Event, Story  # noqa: E402
from storymap.pipeline import SourceText, build_story_from_texts  # noqa: E402

DEFAULT = ROOT / "tests" / "data" / "lessons"


def _event_at(story: Story, doc: str, start: int) -> Event | None:
    for e in story.events:
        if any(s.doc == doc and s.start <= start < s.end for s in e.sources):
            return e
    return None


def score(name: str, text: str, gold: dict[str, Any], *, verbose: bool) -> dict[str, int]:
    story = build_story_from_texts([SourceText(id=name, text=text)])
    counts = dict.fromkeys(("gold", "told", "day", "times", "time", "structure", "extra",
                            "night", "night_ok"), 0)
    starts = set()
    for g in gold.get("events", ()):
        starts.add(g["start"])
        counts["gold"] += 1
        e = _event_at(story, name, g["start"])
        if e is None:
            if verbose:
                print(f"  missing   {g['date']:<10} {g['quote']}")
            continue
        counts["told"] += 1
        right = e.date == str(g["date"]) and (e.end_date or None) == (g.get("until") or None)
        counts["day"] += right
        if g.get("time"):
            counts["times"] += 1
            counts["time"] += e.time == g["time"] or (e.time == "midnight"
                                                      and g["time"] == "00:00")
        if verbose and not right:
            print(f"  date      {e.date}/{e.end_date or ''} want {g['date']}/"
                  f"{g.get('until', '')}: {g['quote']}")
    for h in (*gold.get("headings", ()), *gold.get("not_events", ())):
        e = _event_at(story, name, h["start"])
        if e is not None:
            counts["structure"] += 1
            if verbose:
                print(f"  structure {h['text']}")
    for e in story.events:
        if not any(s.start in starts for s in e.sources if s.doc == name):
            counts["extra"] += 1
            if verbose:
                print(f"  extra     {e.date} {e.quote[:60]}")
    night = gold.get("night_order") or ()
    if night:
        order = {e.id: i for i, e in enumerate(story.events)}
        told = []
        for n in night:
            at = text.find(n["quote"])
            e = _event_at(story, name, at) if at >= 0 else None
            told.append(order[e.id] if e is not None else None)
        pairs = list(itertools.pairwise(told))  # each step of the night in its place?
        counts["night"] = len(pairs)
        counts["night_ok"] = sum(1 for a, b in pairs if a is not None and b is not None and a < b)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lessons", type=Path, default=DEFAULT)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    gold = yaml.safe_load((args.lessons / "gold-events.yaml").read_text(encoding="utf-8"))
    total: dict[str, int] = {}
    print(f"{'text':<15} {'gold':>4} {'told':>4} {'day':>4} {'time':>7} {'heads':>5} "
          f"{'extra':>5} {'night':>7}")
    for name in sorted(gold):
        if args.verbose:
            print(name)
        text = (args.lessons / f"{name}.txt").read_text(encoding="utf-8")
        c = score(name, text, gold[name], verbose=args.verbose)
        for k, v in c.items():
            total[k] = total.get(k, 0) + v
        night = f"{c['night_ok']}/{c['night']}" if c["night"] else "-"
        print(f"{name:<15} {c['gold']:>4} {c['told']:>4} {c['day']:>4} "
              f"{c['time']:>3}/{c['times']:<3} {c['structure']:>5} {c['extra']:>5} {night:>7}")
    t = total
    print(f"{'all':<15} {t['gold']:>4} {t['told']:>4} {t['day']:>4} "
          f"{t['time']:>3}/{t['times']:<3} {t['structure']:>5} {t['extra']:>5} "
          f"{t['night_ok']}/{t['night']}")
    print(f"events told {t['told'] / t['gold']:.2f}, dated right {t['day'] / t['gold']:.2f} "
          f"of the gold's sentences; headings and questions as events: {t['structure']}")


if __name__ == "__main__":
    main()
