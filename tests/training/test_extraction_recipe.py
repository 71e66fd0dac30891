"""training/extraction.py runs end to end on a few annotated articles: it aligns the gold,
trains both models and writes a model folder that kg loads and uses."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRAIN = ROOT.parent / "shared" / "corpus" / "train"
GOLD = ROOT.parent / "shared" / "eval" / "gold" / "train"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not TRAIN.is_dir() or not GOLD.is_dir(), reason="needs ../shared/corpus/train"),
]


def test_extraction_recipe_runs_end_to_end_on_a_few_articles(tmp_path: Path, nlp) -> None:
    out = tmp_path / "model"
    result = subprocess.run(
        [sys.executable, str(ROOT / "training" / "extraction.py"), "--articles", str(TRAIN),
         "--gold", str(GOLD), "--out", str(out), "--limit", "8"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "aligned gold:" in result.stdout and f"wrote {out}" in result.stdout
    assert {p.name for p in out.iterdir()} >= {"meta.json", "typer.json", "typer.npz",
                                               "relations.json", "relations.npz"}

    from kg.extract.extractor import _make_doc, doc_to_extraction
    from kg.extract.learned import ExtractionModel
    from kg.records import Article

    model = ExtractionModel.from_disk(out)
    assert "none" in model.relations.classes and "Person" in model.typer.classes
    article = Article("t", dt.date(2021, 5, 1), "Dana Whitcombe has spoken about her son, Oscar.", "test")
    x = doc_to_extraction(nlp(_make_doc(nlp, article)), article, model)
    assert all(e.cls in ("Person", "Show", "Character", "Organization", "Place", "Event")
               for e in x.entities)
    assert all(0.0 < r.evidence.confidence <= 1.0 for r in x.relations)
