"""Benchmark kg's shipped English pipeline (or any spaCy pipeline) on the held-out test splits.

    python benchmarks/bench_pipeline.py [--model PATH_OR_NAME] [--datasets ../shared/datasets]

Prints, for the pipeline alone (no kg components):
- NER precision/recall/F per label on the UD-EWT + UniversalNER test split, and on the GUM
  (CC BY) test split, where the gold entities are the PER/ORG/LOC mentions headed by a proper
  noun (other mentions of those types are unannotated and ignored);
- tag / POS / lemma accuracy, UAS / LAS and sentence F on EWT test;
- words per second on one core and on two (``n_process=2``), wall clock, best of 3, plus the
  single-core figure per CPU second (less sensitive to other load on the machine);
- load time and size on disk.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.scorer import Scorer
from spacy.training import Example
from spacy.vocab import Vocab

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))
from convert import ewt_docs, gum_docs  # noqa: E402

import kg.nlp.components  # noqa: E402,F401  (registers kg_pos_lemma)
from kg.nlp.pipeline import SHIPPED_MODEL, _resolve  # noqa: E402


def _examples(nlp: Language, docs: list) -> list[Example]:
    return [Example(nlp.make_doc(d.text), d) for d in docs]


def _prf(scores: dict, title: str) -> None:
    print(f"{title}")
    print(f"  {'label':<6} {'P':>6} {'R':>6} {'F':>6}")
    for label, s in sorted((scores.get("ents_per_type") or {}).items()):
        print(f"  {label:<6} {s['p']:6.3f} {s['r']:6.3f} {s['f']:6.3f}")
    print(f"  {'ALL':<6} {scores['ents_p']:6.3f} {scores['ents_r']:6.3f} {scores['ents_f']:6.3f}")


def _speed(model: str, texts: list[str], n_process: int, cores: set[int]) -> tuple[float, float]:
    """(words per wall-clock second, words per CPU second of this process), best of 3."""
    os.sched_setaffinity(0, cores)
    nlp = spacy.load(model)
    words = sum(len(d) for d in nlp.tokenizer.pipe(texts))
    list(nlp.pipe(texts[:20]))  # warm up
    best_wall = best_cpu = 0.0
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        for _doc in nlp.pipe(texts, batch_size=64, n_process=n_process):
            pass
        best_wall = max(best_wall, words / (time.perf_counter() - wall))
        best_cpu = max(best_cpu, words / max(time.process_time() - cpu, 1e-9))
    return best_wall, best_cpu


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=SHIPPED_MODEL)
    parser.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    args = parser.parse_args()
    model = str(_resolve(args.model))
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    started = time.perf_counter()
    nlp = spacy.load(model)
    load_s = time.perf_counter() - started
    path = Path(model)
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else 0

    ewt = list(ewt_docs(args.datasets / "ud-ewt-uner" / "ewt-uner-test.conllu", Vocab(), None))
    gum = list(gum_docs(args.datasets / "gum" / "gum-ccby-test.conllu", Vocab(), None))
    ewt_examples = [Example(nlp(e.predicted), e.reference) for e in _examples(nlp, ewt)]
    ewt_scores = nlp.evaluate(_examples(nlp, ewt))
    for attr in ("pos", "lemma"):  # kg_pos_lemma has no scorer of its own
        ewt_scores.update(Scorer.score_token_attr(ewt_examples, attr))
    # predictions over unannotated mentions (descriptions, other types) count neither way
    gum_scores = nlp.evaluate(_examples(nlp, gum))

    print(f"pipeline: {model}")
    print(f"components: {', '.join(nlp.pipe_names)}")
    print(f"NER labels: {', '.join(nlp.get_pipe('ner').labels) if 'ner' in nlp.pipe_names else '-'}")
    _prf(ewt_scores, "NER on ud-ewt-uner test (2,077 sentences)")
    _prf(gum_scores, "NER on GUM CC BY test (PER/ORG/LOC mentions headed by a proper noun)")
    print("syntax on ud-ewt-uner test")
    for key in ("tag_acc", "pos_acc", "lemma_acc", "dep_uas", "dep_las", "sents_f"):
        if ewt_scores.get(key) is not None:
            print(f"  {key:<9} {ewt_scores[key]:.3f}")

    texts = [d.text for d in ewt]
    allowed = sorted(os.sched_getaffinity(0))
    one_wall, one_cpu = _speed(model, texts, 1, {allowed[0]})
    cores = set(allowed[:2])
    two_wall, _ = _speed(model, texts, 2, cores) if len(cores) == 2 else (float("nan"), 0.0)
    print("speed (EWT test text, nlp.pipe, batch 64, best of 3)")
    print(f"  1 core   {one_wall:8,.0f} words/s wall   {one_cpu:8,.0f} words per CPU second")
    print(f"  2 cores  {two_wall:8,.0f} words/s wall (n_process=2)")
    print(f"load time {load_s:.2f} s")
    print(f"size on disk {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
