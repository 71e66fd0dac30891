"""The training recipe runs end to end (convert -> train -> package -> evaluate) on a tiny slice
of the corpora, so it cannot rot without CI retraining the real model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

import kg.nlp.components  # noqa: F401  (registers kg_pos_lemma)

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT.parent / "shared" / "datasets"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (DATASETS / "ud-ewt-uner").is_dir(), reason="needs ../shared/datasets"),
]


def test_recipe_runs_end_to_end_on_a_tiny_slice(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    result = subprocess.run(
        [sys.executable, str(ROOT / "training" / "train.py"), "--datasets", str(DATASETS),
         "--work", str(tmp_path / "work"), "--out", str(out), "--limit", "20", "--max-steps", "4"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for split in ("train", "dev", "test"):
        assert {p.name for p in (tmp_path / "work" / "corpus" / split).glob("*.spacy")} == {
            "ewt.spacy", "gum.spacy", "wnut.spacy"}
    nlp = spacy.load(out)
    assert nlp.pipe_names == ["tok2vec", "tagger", "kg_pos_lemma", "parser", "ner"]
    assert set(nlp.get_pipe("ner").labels) == {"PER", "ORG", "LOC"}
    metrics = json.loads((tmp_path / "work" / "metrics.json").read_text(encoding="utf-8"))
    assert {"ewt", "gum", "wnut"} <= set(metrics) and "ents_f" in metrics["ewt"]
    assert json.loads((out / "meta.json").read_text(encoding="utf-8"))["performance"] == metrics


def test_converter_keeps_proper_noun_headed_gum_names(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "training"))
    from convert import convert  # noqa: PLC0415
    from spacy.tokens import DocBin  # noqa: PLC0415

    counts = convert(DATASETS, tmp_path, limit=200)
    assert counts["ewt-train"] == 20  # 10 sentences a doc
    nlp = spacy.blank("en")
    gum = list(DocBin().from_disk(tmp_path / "train" / "gum.spacy").get_docs(nlp.vocab))
    ents = [e for d in gum for e in d.ents]
    assert ents and {e.label_ for e in ents} <= {"PER", "ORG", "LOC"}
    assert all(e[0].pos_ != "DET" and e[-1].tag_ != "POS" for e in ents)
    assert all(e.root.pos_ == "PROPN" for e in ents)
    wnut = list(DocBin().from_disk(tmp_path / "train" / "wnut.spacy").get_docs(nlp.vocab))
    assert not any(d.has_annotation("DEP") for d in wnut)
    assert any(t.ent_iob_ == "" for d in wnut for t in d)  # products / works left unannotated
