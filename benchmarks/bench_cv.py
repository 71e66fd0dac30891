"""Cross-validated extraction accuracy: k folds by article over the annotated train corpus.

    python benchmarks/bench_cv.py [--articles ../shared/corpus/train] [--gold ../shared/eval/gold/train]
        [--folds 5] [--curve 0.2,0.5,1.0] [--no-curve] [--no-dev] [--out DIR] [--threshold T]

Every article is parsed once with kg's pipeline. Articles go to folds by a hash of their file
name (fixed: the same fold on every machine and every run). For each fold the learned parts
(entity typer, relation classifier: ``training/extraction.py``) are trained on the other
folds only; every held-out article is then built alone (extraction, resolution, graph,
Turtle, as ``kg build`` does) and scored with the shared scorer ``../shared/eval/score.py``.

Prints the scorer's summed report and ``SCORE`` line over all held-out articles, a learning
curve (each fold's model trained on 20 %, 50 % and 100 % of its training folds), the rules
alone (kg's rule components without the learned parts) on the same articles, and the dev
articles and seeds scored with a model trained on all of the train corpus.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score.py"
sys.path.insert(0, str(ROOT / "training"))
sys.path.insert(0, str(ROOT))

import extraction as recipe  # noqa: E402  (training/extraction.py)


def fold_of(article_id: str, folds: int) -> int:
    """The fold of an article: a hash of its file name, so the assignment never changes."""
    return int(hashlib.sha1(article_id.encode("utf-8")).hexdigest(), 16) % folds


def _subset(items: Sequence[recipe.Annotated], share: float) -> list[recipe.Annotated]:
    """A fixed ``share`` of ``items`` (by a second hash), for the learning curve."""
    if share >= 1.0:
        return list(items)
    ranked = sorted(items, key=lambda i: hashlib.sha1(("curve:" + i.article.id).encode()).hexdigest())
    return ranked[: max(1, round(share * len(ranked)))]


def _write_graph(extractions, path: Path) -> None:
    from kg.export import write_graph
    from kg.graph import build_graph
    from kg.resolve import resolve

    path.parent.mkdir(parents=True, exist_ok=True)
    write_graph(build_graph(resolve(extractions)), path, "turtle")


def _score(gold: Path, graphs: Path, *, report: bool = False) -> tuple[list[str], dict]:
    """The scorer's JSON metrics for a gold file/folder and graph(s), and with ``report`` its
    printed report lines too (one more run of the scorer)."""
    base = [sys.executable, str(SCORER), str(gold), str(graphs)]
    data = json.loads(subprocess.run(base + ["--json"], capture_output=True, text=True,
                                     check=True).stdout)
    text = subprocess.run(base, capture_output=True, text=True, check=True).stdout.splitlines() \
        if report else []
    return text, data


def _build_fold_graphs(items, model, out: Path) -> None:
    from kg.extract.extractor import doc_to_extraction

    for item in items:
        _write_graph([doc_to_extraction(item.doc, item.article, model)], out / item.article.id / "graph.ttl")


def _gold_dir(items, gold: Path, out: Path) -> Path:
    folder = out / "_gold"
    folder.mkdir(parents=True, exist_ok=True)
    for item in items:
        (folder / f"{item.article.id}.json").write_bytes((gold / f"{item.article.id}.json").read_bytes())
    return folder


def cross_validate(items, gold: Path, out: Path, *, folds: int, share: float,
                   threshold: float | None, rules_only: bool = False,
                   report: bool = False) -> tuple[list[str], dict, float]:
    """Train per fold on ``share`` of the other folds, build and score every held-out article."""
    started = time.perf_counter()
    for k in range(folds):
        held = [i for i in items if fold_of(i.article.id, folds) == k]
        if rules_only:
            model = None
        else:
            train = _subset([i for i in items if fold_of(i.article.id, folds) != k], share)
            model = recipe.train(train, **({"threshold": threshold} if threshold else {}))
        _build_fold_graphs(held, model, out)
    lines, data = _score(_gold_dir(items, gold, out), out, report=report)
    return lines, data, time.perf_counter() - started


def _summary(data: dict) -> str:
    et, rl = data["entities_typed"], data["relations_lenient"]
    return (f"entity_f1={et['f1']:.3f} relation_f1={rl['f1']:.3f} (P={rl['precision']:.3f} "
            f"R={rl['recall']:.3f}) facts={data['facts']['recall']:.3f} duplicates={et['duplicates']}")


def main(argv: list[str] | None = None) -> int:
    """Run the cross-validation and print the report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=Path, default=SHARED / "corpus" / "train")
    ap.add_argument("--gold", type=Path, default=SHARED / "eval" / "gold" / "train")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--curve", default="0.2,0.5", help="training shares for the learning curve")
    ap.add_argument("--no-curve", action="store_true")
    ap.add_argument("--no-dev", action="store_true", help="skip dev and seeds")
    ap.add_argument("--no-rules", action="store_true", help="skip the rules-alone baseline")
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--out", type=Path, default=None, help="keep the graphs here")
    args = ap.parse_args(argv)
    if not SCORER.is_file():
        raise SystemExit(f"bench_cv: the scorer {SCORER} is absent (../shared beside the repository)")

    import kg

    t0 = time.perf_counter()
    nlp = kg.load_pipeline()
    items = recipe.load_annotated(args.articles, args.gold, nlp)
    print(f"articles={len(items)} folds={args.folds} parse_seconds={time.perf_counter() - t0:.1f}")
    with tempfile.TemporaryDirectory(prefix="kg-cv-") as tmp:
        out = args.out or Path(tmp)
        lines, data, seconds = cross_validate(items, args.gold, out / "cv", folds=args.folds,
                                              share=1.0, threshold=args.threshold, report=True)
        start = next(i for i, line in enumerate(lines) if line.startswith("all "))
        print(f"\n== {args.folds}-fold cross-validation by article, learned extraction "
              f"({seconds:.0f} s)")
        print("\n".join(lines[start:]))
        curve = [] if args.no_curve else [float(x) for x in args.curve.split(",") if x]
        if curve:
            print("\n== learning curve (share of the training folds -> held-out figures)")
            for share in curve:
                _, d, _ = cross_validate(items, args.gold, out / f"curve-{share}", folds=args.folds,
                                         share=share, threshold=args.threshold)
                print(f"  {share:>4.0%}  {_summary(d)}")
            print(f"  100%  {_summary(data)}")
        if not args.no_rules:
            _, d, _ = cross_validate(items, args.gold, out / "rules", folds=args.folds, share=1.0,
                                     threshold=None, rules_only=True)
            print(f"\n== kg's rules alone on the same articles: {_summary(d)}")
        if not args.no_dev:
            model = recipe.train(items, **({"threshold": args.threshold} if args.threshold else {}))
            _dev_and_seeds(nlp, model, out)
    return 0


def _dev_and_seeds(nlp, model, out: Path) -> None:
    """Dev articles one by one and the seeds as one graph, with the model trained on all of train."""
    from kg.extract.extractor import doc_to_extraction

    dev_gold = SHARED / "eval" / "gold" / "dev"
    dev = recipe.load_annotated(SHARED / "corpus" / "dev", dev_gold, nlp)
    _build_fold_graphs(dev, model, out / "dev")
    _, d = _score(_gold_dir(dev, dev_gold, out / "dev"), out / "dev")
    print(f"\n== dev ({len(dev)} articles, each alone; trained on all of train): {_summary(d)}")
    seeds_gold = SHARED / "eval" / "gold" / "seeds.json"
    gold = json.loads(seeds_gold.read_text(encoding="utf-8"))
    from kg.extract.extractor import _make_doc
    from kg.ingest import read_articles
    from kg.records import Article

    seeds = [a for a in read_articles([SHARED / "corpus" / "seeds"]) if isinstance(a, Article)
             and a.id in set(gold.get("documents", []))]
    docs = list(nlp.pipe(_make_doc(nlp, a) for a in seeds))
    _write_graph([doc_to_extraction(d_, a, model) for d_, a in zip(docs, seeds)], out / "seeds.ttl")
    _, d = _score(seeds_gold, out / "seeds.ttl")
    print(f"== seeds ({len(seeds)} articles, one graph): {_summary(d)}")


if __name__ == "__main__":
    sys.exit(main())
