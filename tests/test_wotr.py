"""Golden test on the WOTR train split: the place reader on US Civil War records.

A fixed subset (every 7th document in sorted order, 189 of the 1,322) keeps the run short;
``benchmarks/bench_wotr.py`` measures all of them. The floors sit a little under what
the reader reaches, so a change that makes it worse fails here.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers import SCORER, mention_scorer

CORPUS = Path("/work/shared/corpora/wotr-train")

pytestmark = pytest.mark.skipif(not (CORPUS.is_dir() and SCORER.is_file()),
                                reason="the WOTR corpus and its scorer are not on this machine")

#: Exact-span F1 and the share of located gold mentions pinned within 161 km, measured
#: 0.77 and 0.52 on this subset when the floors were set.
F1_FLOOR = 0.74
WITHIN_161_KM_FLOOR = 0.49


def _rows(scorer: ModuleType, content: str, docs: set[str], tmp: Path) -> list[dict]:  # type: ignore[type-arg]
    path = tmp / "rows.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["doc", "start", "end", "mention", "lat", "lon"],
                           extrasaction="ignore")
        w.writeheader()
        w.writerows(r for r in csv.DictReader(io.StringIO(content)) if r["doc"] in docs)
    rows: list[dict] = scorer.load(str(path), "rows", [])  # type: ignore[type-arg]
    return rows


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    from storymap.formats import get_exporter
    from storymap.pipeline import SourceText, build_story_from_texts

    files = sorted((CORPUS / "texts").glob("*.txt"))[::7]
    texts = [SourceText(id=f.stem, text=f.read_text(encoding="utf-8")) for f in files]
    pred = get_exporter("mentions")(build_story_from_texts(texts))
    docs = {t.id for t in texts}
    scorer = mention_scorer()
    tmp = tmp_path_factory.mktemp("wotr")
    gold = (CORPUS / "gold-mentions.csv").read_text(encoding="utf-8")
    result: dict = scorer.score(_rows(scorer, gold, docs, tmp),  # type: ignore[type-arg]
                                _rows(scorer, pred, docs, tmp))
    return result


def test_wotr_recognition_f1_floor(scores: dict) -> None:  # type: ignore[type-arg]
    assert scores["recognition_exact"]["f1"] >= F1_FLOOR, scores["recognition_exact"]


def test_wotr_resolution_floor(scores: dict) -> None:  # type: ignore[type-arg]
    assert scores["resolution_all"]["acc161"] >= WITHIN_161_KM_FLOOR, scores["resolution_all"]
