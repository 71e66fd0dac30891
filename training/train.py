"""Train, evaluate and package kg's English pipeline in one command (run from the repo root).

    python training/train.py [--datasets ../shared/datasets] [--work training/work]
                             [--out kg/nlp/models/kg_en_news] [--limit N] [--max-steps N]

1. convert: ``training/convert.py`` writes ``WORK/corpus/{train,dev,test}/*.spacy``;
2. train: ``spacy train training/configs/kg_en.cfg`` on every training file, early-stopping on
   the UD-EWT dev split (fixed seed 0), into ``WORK/model``;
3. package: the best model gets kg's tokenizer (hyphenated words stay whole, as in EWT), an
   attribute ruler mapping its fine tags to UPOS (read off the EWT training data) and spaCy's
   rule lemmatizer (tables from ``spacy-lookups-data``), and is written to ``--out``;
4. evaluate: tags, trees and entities of the packaged pipeline on the held-out test splits,
   printed and stored in ``WORK/metrics.json`` and in the package's ``meta.json``.

``--limit`` and ``--max-steps`` make a quick run (the recipe test uses 20 sentences, 4 steps).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections import Counter, defaultdict
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.tokens import DocBin
from spacy.training import Example

sys.path.insert(0, str(Path(__file__).resolve().parent))
from convert import convert  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "training" / "configs" / "kg_en.cfg"
DEFAULT_OUT = ROOT / "kg" / "nlp" / "models" / "kg_en_news"
SEED = 0
SOURCES = [
    {"name": "UD English-EWT v2.9 + UniversalNER", "license": "CC BY-SA 4.0",
     "url": "https://github.com/UniversalDependencies/UD_English-EWT"},
    {"name": "GUM (CC BY genres)", "license": "CC BY 4.0", "url": "https://github.com/amir-zeldes/gum"},
    {"name": "WNUT 2017 emerging entities", "license": "CC BY 4.0",
     "url": "https://noisy-text.github.io/2017/emerging-rare-entities.html"},
]


def train(corpus: Path, model_dir: Path, max_steps: int | None, overrides: dict[str, object]) -> Path:
    """Run ``spacy train``; return the best model's folder."""
    from spacy.cli.train import train as spacy_train  # noqa: PLC0415

    settings: dict[str, object] = {
        "paths.train": str(corpus / "train"),
        "paths.dev": str(corpus / "dev" / "ewt.spacy"),
        "system.seed": SEED,
        **overrides,
    }
    if max_steps is not None:
        settings["training.max_steps"] = max_steps
        settings["training.eval_frequency"] = max(1, min(500, max_steps // 2))
    spacy_train(CONFIG, model_dir, use_gpu=-1, overrides=settings)
    best = model_dir / "model-best"
    return best if best.is_dir() else model_dir / "model-last"


def tag_map(ewt_train: Path) -> dict[str, str]:
    """Each fine-grained tag's most frequent UPOS in the EWT training data."""
    nlp = spacy.blank("en")
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in DocBin().from_disk(ewt_train).get_docs(nlp.vocab):
        for tok in doc:
            counts[tok.tag_][tok.pos_] += 1
    return {tag: c.most_common(1)[0][0] for tag, c in sorted(counts.items()) if tag}


def package(best: Path, out: Path, ewt_train: Path) -> Language:
    """Add kg's tokenizer, POS mapping and lemmatizer to the trained model; write it to ``out``."""
    from kg.nlp.components.segmentation import create_tokenizer  # noqa: PLC0415  (kg's tokenizer)

    nlp = spacy.load(best)
    nlp.tokenizer = create_tokenizer()(nlp)
    ruler = nlp.add_pipe("attribute_ruler", after="tagger")
    for tag, pos in tag_map(ewt_train).items():
        ruler.add([[{"TAG": tag}]], {"POS": pos})
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "rule"}, after="attribute_ruler")
    lemmatizer.initialize(lookups=load_lookups("en", ["lemma_rules", "lemma_exc", "lemma_index"]))
    nlp.meta.update({
        "name": "kg_en_news", "version": "0.1.0",
        "description": "kg's English pipeline: tagger, parser, NER (PER, ORG, LOC), rule lemmas. "
                       "CNN, no pretrained vectors; trained by training/train.py.",
        "license": "CC BY-SA 4.0", "sources": SOURCES, "author": "kg",
    })
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    return nlp


def evaluate(nlp: Language, corpus: Path) -> dict[str, dict[str, object]]:
    """Scores of ``nlp`` on every held-out test file (``WORK/corpus/test/*.spacy``)."""
    results: dict[str, dict[str, object]] = {}
    for path in sorted((corpus / "test").glob("*.spacy")):
        gold = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        examples = [Example(nlp.make_doc(d.text), d) for d in gold]
        scores = nlp.evaluate(examples)
        keep = ("tag_acc", "pos_acc", "lemma_acc", "dep_uas", "dep_las", "sents_f",
                "ents_p", "ents_r", "ents_f", "ents_per_type")
        results[path.stem] = {k: scores[k] for k in keep if scores.get(k) is not None}
    return results


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--work", type=Path, default=ROOT / "training" / "work")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--limit", type=int, default=None, help="sentences per corpus file")
    parser.add_argument("--max-steps", type=int, default=None)
    parser.add_argument("--model", type=Path, default=None,
                        help="skip training: package this trained model folder")
    args = parser.parse_args()

    corpus = args.work / "corpus"
    for key, n in convert(args.datasets, corpus, args.limit).items():
        print(f"converted {key}: {n} docs")
    best = args.model or train(corpus, args.work / "model", args.max_steps, {})
    nlp = package(best, args.out, corpus / "train" / "ewt.spacy")
    results = evaluate(nlp, corpus)
    nlp.meta["performance"] = results
    (args.out / "meta.json").write_text(json.dumps(nlp.meta, indent=2), encoding="utf-8")
    (args.work / "metrics.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    for name, scores in results.items():
        flat = {k: round(v, 4) for k, v in scores.items() if isinstance(v, float)}
        print(name, flat)
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(f"packaged {args.out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
