"""Train, evaluate and package kg's English pipeline in one command (run from the repo root).

    python training/train.py [--datasets ../shared/datasets] [--work training/work]
                             [--out kg/nlp/models/kg_en_news] [--limit N] [--max-steps N]

1. convert: ``training/convert.py`` writes ``WORK/corpus/{train,dev,test}/*.spacy``;
2. train (fixed seed 0, every training file, the UD-EWT dev split for model selection):
   stage 1, ``training/configs/kg_en.cfg`` (tok2vec, tagger, parser, NER) into ``WORK/model``;
   stage 2, ``training/configs/kg_en_ner.cfg`` (the NER alone, more dropout) into
   ``WORK/model-ner``;
3. package: the best model keeps spaCy's English tokenizer (kg swaps in its own when it
   loads the pipeline: on EWT test that costs about 1 point of NER F) and gets
   ``kg_pos_lemma`` (UPOS and lemmas from the fine tags: tables read off the EWT and GUM
   training data, spaCy's rule lemmatizer with ``spacy-lookups-data`` tables for other words),
   and is written to ``--out``;
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
NER_CONFIG = ROOT / "training" / "configs" / "kg_en_ner.cfg"
DEFAULT_OUT = ROOT / "kg" / "nlp" / "models" / "kg_en_news"
SEED = 0
SOURCES = [
    {"name": "UD English-EWT v2.9 + UniversalNER", "license": "CC BY-SA 4.0",
     "url": "https://github.com/UniversalDependencies/UD_English-EWT"},
    {"name": "GUM (CC BY genres)", "license": "CC BY 4.0", "url": "https://github.com/amir-zeldes/gum"},
    {"name": "WNUT 2017 emerging entities", "license": "CC BY 4.0",
     "url": "https://noisy-text.github.io/2017/emerging-rare-entities.html"},
]


def train(corpus: Path, model_dir: Path, max_steps: int | None, overrides: dict[str, object],
          config: Path = CONFIG) -> Path:
    """Run ``spacy train`` on ``config``; return its output folder (``model-best``, ``model-last``)."""
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
    spacy_train(config, model_dir, use_gpu=-1, overrides=settings)
    return model_dir


def pos_lemma_tables(train_files: list[Path], min_count: int = 3) -> tuple[dict[str, str], dict[str, str], dict[str, list[tuple[str, int]]]]:
    """Read off the training treebanks: each fine tag's most frequent UPOS, the words whose UPOS
    differs from their tag's ("will"/MD is AUX, "that"/IN is SCONJ), and each (tag, word)'s
    lemma counts."""
    nlp = spacy.blank("en")
    by_tag: dict[str, Counter[str]] = defaultdict(Counter)
    by_word: dict[str, Counter[str]] = defaultdict(Counter)
    lemmas: dict[str, Counter[str]] = defaultdict(Counter)
    for path in train_files:
        for doc in DocBin().from_disk(path).get_docs(nlp.vocab):
            if not doc.has_annotation("TAG"):
                continue
            for tok in doc:
                if tok.tag_ and tok.pos_:
                    key = f"{tok.tag_} {tok.lower_}"
                    by_tag[tok.tag_][tok.pos_] += 1
                    by_word[key][tok.pos_] += 1
                    if tok.lemma_:
                        lemmas[key][tok.lemma_] += 1
    tag_pos = {tag: c.most_common(1)[0][0] for tag, c in sorted(by_tag.items())}
    word_pos = {}
    for key, c in sorted(by_word.items()):
        pos, n = c.most_common(1)[0]
        if pos != tag_pos[key.split(" ", 1)[0]] and n >= min_count:
            word_pos[key] = pos
    return tag_pos, word_pos, {k: c.most_common() for k, c in lemmas.items()}


def package(trained: Path, trained_ner: Path, out: Path, train_files: list[Path]) -> Language:
    """Assemble the shipped pipeline from the two ``spacy train`` outputs; write it to ``out``.

    tok2vec, tagger and parser come from stage 1 (``model-last``: their dev scores still rose
    when training stopped), the NER from stage 2 (``model-best`` by dev NER F). kg's POS/lemma
    component is added.
    """
    import kg.nlp.components  # noqa: F401,PLC0415  (registers kg_pos_lemma)

    def pick(folder: Path, first: str) -> Path:
        return folder / first if (folder / first).is_dir() else folder / "model-best"

    nlp = spacy.load(pick(trained, "model-last"))
    nlp.remove_pipe("ner")
    nlp.add_pipe("ner", source=spacy.load(pick(trained_ner, "model-best")))
    tag_pos, word_pos, lemma_counts = pos_lemma_tables(train_files)
    morph = nlp.add_pipe("kg_pos_lemma", after="tagger")
    morph.initialize(tag_pos, word_pos, {}, load_lookups("en", ["lemma_rules", "lemma_exc", "lemma_index"]))
    # keep a treebank lemma only where the rules get it wrong (and the word is seen twice)
    exceptions = {}
    for key, counts in sorted(lemma_counts.items()):
        lemma, n = counts[0]
        tag, word = key.split(" ", 1)
        pos = word_pos.get(key) or tag_pos.get(tag, "")
        if n >= 2 and tag not in {"NNP", "NNPS"} and morph.rule_lemma(word, tag, pos) != lemma:
            exceptions[key] = lemma
    morph.lemmas = exceptions
    nlp.meta.update({
        "name": "kg_en_news", "version": "0.1.0",
        "description": "kg's English pipeline: tagger, parser, NER (PER, ORG, LOC), UPOS and "
                       "lemmas. CNN, no pretrained vectors; trained by training/train.py. "
                       "Needs `import kg.nlp` (registers kg_pos_lemma).",
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
    parser.add_argument("--skip-training", action="store_true",
                        help="package the models already in WORK/model and WORK/model-ner")
    args = parser.parse_args()

    corpus = args.work / "corpus"
    for key, n in convert(args.datasets, corpus, args.limit).items():
        print(f"converted {key}: {n} docs")
    trained, trained_ner = args.work / "model", args.work / "model-ner"
    if not args.skip_training:
        train(corpus, trained, args.max_steps, {})
        train(corpus, trained_ner, args.max_steps, {}, NER_CONFIG)
    nlp = package(trained, trained_ner, args.out, [corpus / "train" / "ewt.spacy", corpus / "train" / "gum.spacy"])
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
