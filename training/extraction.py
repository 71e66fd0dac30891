"""Train kg's learned extraction (entity typer + relation classifier) from annotated articles.

    python training/extraction.py [--articles ../shared/corpus/train] [--gold ../shared/eval/gold/train]
                                  [--out kg/extract/models/kg_extract_v1] [--seed 0]

Reads every ``NAME.txt`` of ``--articles`` with its gold ``NAME.json`` (the format of
``../shared/eval/CONVENTIONS.md``), parses the articles with kg's pipeline, aligns the gold to
the doc (gold entities to kg's clusters by name and alias; each gold relation to the pair of
clusters mentioned in its evidence sentence), trains both models with fixed seeds and writes
them where kg loads them by default. It prints what could not be aligned.

The functions here are also what ``benchmarks/bench_accuracy.py --cv`` uses to train one model
per fold.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from spacy.tokens import Doc  # noqa: E402

from kg.extract.features import cluster_examples, pair_examples  # noqa: E402
from kg.extract.learned import (INVERSE, NONE, SHIPPED_MODEL, TYPED_CLASSES,  # noqa: E402
                                ExtractionModel, LinearModel)
from kg.records import Article  # noqa: E402
from kg.schema import predicates  # noqa: E402

DEFAULT_ARTICLES = ROOT.parent / "shared" / "corpus" / "train"
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "gold" / "train"
DEFAULT_OUT = ROOT / "kg" / "extract" / "models" / SHIPPED_MODEL


@dataclass
class Annotated:
    """One article, its parsed doc and its gold annotation."""

    article: Article
    doc: Doc
    gold: dict


@dataclass
class AlignmentReport:
    """What the gold said that the doc could not be matched to."""

    entities: int = 0
    entities_unmatched: list[str] = field(default_factory=list)
    relations: int = 0
    evidence_not_found: list[str] = field(default_factory=list)
    relations_unaligned: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"aligned gold: entities {self.entities - len(self.entities_unmatched)}/{self.entities} "
                f"matched to a cluster; relations {self.relations - len(self.relations_unaligned)}"
                f"/{self.relations} to a pair of clusters in their evidence sentence "
                f"({len(self.evidence_not_found)} evidence strings not found in the text)")


def norm(text: str) -> str:
    """Case- and punctuation-folded name, as the scorer compares names."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"'s$", "", text.strip())
    text = re.sub(r"[^\w!.&' -]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def load_annotated(articles_dir: Path, gold_dir: Path, nlp=None, *,
                   limit: int | None = None) -> list[Annotated]:
    """Parse every article of ``articles_dir`` that has gold in ``gold_dir``."""
    import kg
    from kg.extract.extractor import _make_doc
    from kg.ingest import read_articles

    nlp = nlp or kg.load_pipeline()
    articles = [a for a in read_articles([articles_dir]) if isinstance(a, Article)
                and (gold_dir / f"{a.id}.json").is_file()]
    articles.sort(key=lambda a: a.id)
    if limit:
        articles = articles[:limit]
    docs = nlp.pipe((_make_doc(nlp, a) for a in articles), batch_size=16)
    return [Annotated(a, d, json.loads((gold_dir / f"{a.id}.json").read_text(encoding="utf-8")))
            for a, d in zip(articles, docs)]


def align_clusters(doc: Doc, gold: dict) -> dict[int, str]:
    """Cluster id -> gold entity id, matching names and aliases as the scorer does."""
    by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for e in gold["entities"]:
        by_name[norm(e["name"])].append((0, e["id"]))
        for a in e.get("aliases", []):
            by_name[norm(a)].append((1, e["id"]))
    out = {}
    for c in doc._.kg_clusters or []:
        cands = [pg for label in {c.name, *c.aliases} for pg in by_name.get(norm(label), [])]
        if cands:
            best = min(p for p, _ in cands)
            out[c.id] = sorted({g for p, g in cands if p == best})[0]
    return out


def _evidence_spans(text: str, evidence: str) -> list[tuple[int, int]]:
    spans = []
    start = text.find(evidence)
    while start >= 0:
        spans.append((start, start + len(evidence)))
        start = text.find(evidence, start + 1)
    if not spans:  # whitespace differences between the file and the ingested text
        pattern = r"\s+".join(re.escape(w) for w in evidence.split())
        spans = [(m.start(), m.end()) for m in re.finditer(pattern, text)] if pattern else []
    return spans


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def typer_examples(items: Iterable[Annotated]) -> tuple[list[dict], list[str]]:
    """Features and gold classes of every cluster (``none`` for what the gold does not name)."""
    X, y = [], []
    for item in items:
        gold_type = {e["id"]: (e["type"], e.get("optional", False)) for e in item.gold["entities"]}
        align = align_clusters(item.doc, item.gold)
        for ex in cluster_examples(item.doc):
            gid = align.get(ex.cluster)
            if gid is None:
                label = NONE
            else:
                cls, optional = gold_type[gid]
                if optional:
                    continue
                label = cls if cls in TYPED_CLASSES else NONE
            X.append(ex.features)
            y.append(label)
    return X, y


def gold_types(item: Annotated) -> dict[int, str]:
    """Cluster id -> its gold class (for features at training time); unmatched -> ``none``."""
    gold_type = {e["id"]: e["type"] for e in item.gold["entities"]}
    align = align_clusters(item.doc, item.gold)
    out = {}
    for c in item.doc._.kg_clusters or []:
        gid = align.get(c.id)
        t = gold_type.get(gid, NONE) if gid else NONE
        out[c.id] = t if t in TYPED_CLASSES else NONE
    return out


def relation_examples(items: Iterable[Annotated], report: AlignmentReport | None = None,
                      types_of=None) -> tuple[list[dict], list[str]]:
    """Features and labels of every pair of clusters that share a sentence.

    A pair takes a gold relation's predicate (``p`` or ``p^-1`` for the reverse direction) in
    the sentence its evidence comes from; in other sentences a related pair is left out (the
    text there may or may not say it again); unrelated pairs are ``none``.
    """
    specs = predicates()
    X, y = [], []
    for item in items:
        text = item.doc.text
        align = align_clusters(item.doc, item.gold)
        types = types_of(item) if types_of else gold_types(item)
        by_pair: dict[frozenset, list[tuple[str, str, str, list, bool]]] = defaultdict(list)
        for r in item.gold["relations"]:
            spans = _evidence_spans(text, r.get("evidence", ""))
            if report is not None and not r.get("optional"):
                report.relations += 1
                if not spans:
                    report.evidence_not_found.append(f"{item.article.id}: {r['evidence'][:60]}")
            by_pair[frozenset((r["s"], r["o"]))].append(
                (r["s"], r["p"], r["o"], spans, bool(r.get("optional"))))
        used: set[int] = set()
        for ex in pair_examples(item.doc, types):
            g1, g2 = align.get(ex.first), align.get(ex.second)
            if g1 is None or g2 is None:
                label = NONE
            elif g1 == g2:
                continue
            else:
                rels = by_pair.get(frozenset((g1, g2)), [])
                here = [r for r in rels if any(_overlaps(ex.sent, s) for s in r[3])]
                if rels and not here:
                    continue
                if not rels:
                    label = NONE
                else:
                    s, p, o, _, optional = here[0]
                    if optional:
                        continue
                    symmetric = specs[p].symmetric if p in specs else False
                    label = p if (symmetric or s == g1) else p + INVERSE
                    for r in here:
                        used.add(id(r))
            X.append(ex.features)
            y.append(label)
        if report is not None:
            for rels in by_pair.values():
                for r in rels:
                    if id(r) not in used and r[3] and not r[4]:
                        report.relations_unaligned.append(f"{item.article.id}: {r[0]} {r[1]} {r[2]}")
    return X, y


def age_training_examples(items: Iterable[Annotated], types_of=None) -> tuple[list[dict], list[str]]:
    """(age expression, candidate) pairs: ``yes`` where the gold gives that person that age."""
    from kg.extract.ages import age_examples

    X, y = [], []
    for item in items:
        text = item.doc.text
        align = align_clusters(item.doc, item.gold)
        types = types_of(item) if types_of else gold_types(item)
        people = {c for c, t in types.items() if t in ("Person", "Character")}
        gold = [(f["s"], int(f["value"]), _evidence_spans(text, f.get("evidence", "")))
                for f in item.gold.get("facts", []) if f["attr"] == "age"]
        for ex in age_examples(item.doc, people):
            owner = align.get(ex.cluster)
            hit = any(s == owner and v == ex.value and any(_overlaps(ex.sent, sp) for sp in spans)
                      for s, v, spans in gold)
            X.append(ex.features)
            y.append("yes" if hit else "no")
    return X, y


def fit_linear(X: Sequence[dict], y: Sequence[str], *, seed: int = 0, c: float = 1.0,
               min_count: int = 2) -> LinearModel:
    """A multinomial logistic regression over features seen at least ``min_count`` times."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts: Counter[str] = Counter(name for f in X for name in f)
    keep = {name for name, n in counts.items() if n >= min_count}
    vec = DictVectorizer(sort=True)
    matrix = vec.fit_transform([{k: v for k, v in f.items() if k in keep} for f in X])
    clf = LogisticRegression(C=c, max_iter=300, random_state=seed, tol=1e-4)
    clf.fit(matrix, list(y))
    vocab = {name: i for i, name in enumerate(vec.get_feature_names_out())}
    coef = clf.coef_
    intercept = clf.intercept_
    classes = tuple(str(k) for k in clf.classes_)
    if len(classes) == 2:  # binary: sklearn keeps one row; make it a two-class softmax
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return LinearModel(classes, vocab, coef.astype(np.float32), intercept.astype(np.float32))


#: decision settings, chosen by 5-fold cross-validation over the train corpus
#: (``benchmarks/bench_cv.py``): a relation needs probability >= THRESHOLD; a rule's relation
#: stands unless the classifier gives it under RULE_FLOOR (or, with no example to judge, unless
#: the rule's own confidence is under RULE_CONFIDENCE); the typer decides classes alone.
THRESHOLD, RULE_FLOOR, RULE_CONFIDENCE = 0.3, 0.02, 0.7
AGE_THRESHOLD = 0.3
ONE_PER_CHARACTER = True  # per article: one actor and one show for each character


def train(items: Sequence[Annotated], *, seed: int = 0, threshold: float = THRESHOLD,
          report: AlignmentReport | None = None, typer_c: float = 1.0,
          relation_c: float = 1.0, predicted_types: bool = True) -> ExtractionModel:
    """Train the typer and the relation classifier on ``items``.

    With ``predicted_types`` the relation classifier is trained on the typer's classes (as it
    will see them), otherwise on the gold classes.
    """
    Xt, yt = typer_examples(items)
    typer = fit_linear(Xt, yt, seed=seed, c=typer_c)
    types_of = None
    if predicted_types:
        partial = ExtractionModel(typer, typer)
        types_of = lambda item: partial.type_clusters(item.doc)  # noqa: E731
    Xr, yr = relation_examples(items, report, types_of)
    relations = fit_linear(Xr, yr, seed=seed, c=relation_c)
    Xa, ya = age_training_examples(items, types_of)
    ages = fit_linear(Xa, ya, seed=seed, c=1.0) if len(set(ya)) == 2 else None
    return ExtractionModel(typer, relations, threshold=threshold, version=SHIPPED_MODEL,
                           rule_floor=RULE_FLOOR, rule_confidence=RULE_CONFIDENCE, ages=ages,
                           age_threshold=AGE_THRESHOLD, one_per_character=ONE_PER_CHARACTER)


def main(argv: list[str] | None = None) -> int:
    """Train on a folder of annotated articles and write the model."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threshold", type=float, default=THRESHOLD)
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles (smoke test)")
    ap.add_argument("--show-unaligned", action="store_true")
    args = ap.parse_args(argv)
    if not args.articles.is_dir() or not args.gold.is_dir():
        raise SystemExit(f"training/extraction.py: need --articles and --gold folders "
                         f"({args.articles}, {args.gold})")
    started = time.perf_counter()
    items = load_annotated(args.articles, args.gold, limit=args.limit)
    if not items:
        raise SystemExit(f"training/extraction.py: no article in {args.articles} has gold in {args.gold}")
    parsed = time.perf_counter()
    report = AlignmentReport()
    for item in items:
        matched = set(align_clusters(item.doc, item.gold).values())
        for e in item.gold["entities"]:
            if e["type"] in TYPED_CLASSES and not e.get("optional"):
                report.entities += 1
                if e["id"] not in matched:
                    report.entities_unmatched.append(f"{item.article.id}: {e['name']}")
    model = train(items, seed=args.seed, threshold=args.threshold, report=report)
    model.to_disk(args.out)
    size = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"articles={len(items)} parse_seconds={parsed - started:.1f} "
          f"train_seconds={time.perf_counter() - parsed:.1f} model_bytes={size}")
    print(report.summary())
    if args.show_unaligned:
        for line in report.entities_unmatched:
            print("  unmatched entity:", line)
        for line in report.relations_unaligned:
            print("  unaligned:", line)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
