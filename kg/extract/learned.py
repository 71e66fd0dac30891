"""kg's learned extraction: an entity typer, a relation classifier and an age attacher.

All three are logistic regressions over the sparse features of :mod:`kg.extract.features`
and :mod:`kg.extract.ages`, trained by ``training/extraction.py`` on annotated articles and
shipped as package data (``kg/extract/models/<name>/``: ``meta.json`` with the decision
settings, plus one ``.npz`` of weights and one ``.json`` vocabulary per model). Inference needs
only numpy and scipy: no pickles, nothing fetched.

The typer gives every cluster a class (Person, Show, Character, Organization) or ``none``
(not an entity kg reports); the classifier gives every pair of clusters mentioned in one
sentence a predicate with a direction, or ``none``. Its probability becomes the statement's
confidence, and the features that carried the decision are kept as the reason.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np
from spacy.tokens import Doc

from kg.extract.ages import AgeExample, age_examples
from kg.extract.features import cluster_examples, pair_examples
from kg.nlp.doc_model import Cluster, FactCandidate, RelationCandidate
from kg.schema import disjoint_groups, fits, predicates

__all__ = ["ExtractionModel", "LinearModel", "NONE", "load_model", "SHIPPED_MODEL"]

NONE = "none"
INVERSE = "^-1"
SHIPPED_MODEL = "kg_extract_v1"
TYPED_CLASSES = ("Person", "Show", "Character", "Organization")
#: features that say only what the two ends are, never why they relate: not shown as reasons
_UNINFORMATIVE = ("bias", "types=", "t1=", "t2=", "x_type=")


@dataclass(frozen=True)
class LinearModel:
    """A multinomial logistic regression over named sparse features."""

    classes: tuple[str, ...]
    vocab: Mapping[str, int]
    coef: np.ndarray  # (n_classes, n_features)
    intercept: np.ndarray  # (n_classes,)

    def batch(self, examples: Sequence[Mapping[str, float]]) -> np.ndarray:
        """Class probabilities for many examples, one row each (one sparse product)."""
        if not examples:
            return np.zeros((0, len(self.classes)))
        from scipy.sparse import csr_matrix

        rows, cols, vals = [], [], []
        vocab = self.vocab
        for r, features in enumerate(examples):
            for name, value in features.items():
                j = vocab.get(name)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
                    vals.append(value)
        x = csr_matrix((np.asarray(vals, dtype=np.float64), (rows, cols)),
                       shape=(len(examples), self.coef.shape[1]))
        z = np.asarray(x @ self._coef_t) + self.intercept
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    @property
    def _coef_t(self) -> np.ndarray:
        cached = self.__dict__.get("_coef_t_cache")
        if cached is None:
            cached = np.ascontiguousarray(self.coef.T, dtype=np.float64)
            object.__setattr__(self, "_coef_t_cache", cached)
        return cached

    def reasons(self, features: Mapping[str, float], cls: str, top: int = 3) -> tuple[str, ...]:
        """The features that pushed most towards ``cls`` (the "why" of a decision)."""
        k = self.classes.index(cls)
        weights = []
        for name, value in features.items():
            j = self.vocab.get(name)
            if j is not None and not name.startswith(_UNINFORMATIVE):
                weights.append((value * float(self.coef[k, j]), name))
        weights.sort(key=lambda w: (-w[0], w[1]))
        return tuple(name for w, name in weights[:top] if w > 0)

    def to_disk(self, path: Path, name: str) -> None:
        """Write ``name.npz`` (weights, float16) and ``name.json`` (classes and vocabulary)."""
        np.savez_compressed(path / f"{name}.npz", coef=self.coef.astype(np.float16),
                            intercept=self.intercept.astype(np.float32))
        names = sorted(self.vocab, key=self.vocab.__getitem__)
        (path / f"{name}.json").write_text(
            json.dumps({"classes": list(self.classes), "features": names}, ensure_ascii=False),
            encoding="utf-8")

    @classmethod
    def from_disk(cls, path: Path, name: str) -> "LinearModel":
        """Read what :meth:`to_disk` wrote."""
        meta = json.loads((path / f"{name}.json").read_text(encoding="utf-8"))
        with np.load(path / f"{name}.npz") as arrays:
            coef = arrays["coef"].astype(np.float32)
            intercept = arrays["intercept"].astype(np.float32)
        vocab = {f: i for i, f in enumerate(meta["features"])}
        return cls(tuple(meta["classes"]), vocab, coef, intercept)


@dataclass(frozen=True)
class Decision:
    """A relation the classifier accepts, with its probability and reasons."""

    subject: int
    predicate: str
    object: int
    sent: tuple[int, int]
    confidence: float
    reasons: tuple[str, ...]
    #: how the mentions were resolved ("she -> Kym Marsh"), when coreference was needed
    chain: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExtractionModel:
    """The entity typer and the relation classifier, with the thresholds they were tuned at."""

    typer: LinearModel
    relations: LinearModel
    threshold: float = 0.5
    version: str = SHIPPED_MODEL
    #: a rule's relation stands unless the classifier gives it less than this probability
    rule_floor: float = 1.0
    #: a rule's relation the classifier has no example for (across sentences) needs this confidence
    rule_confidence: float = 1.0
    #: the age attacher (None: kg's age rules decide)
    ages: LinearModel | None = None
    age_threshold: float = 0.5
    #: one article names one actor and one show for a character: keep the likeliest of each
    one_per_character: bool = False

    # -- typing ------------------------------------------------------------------------
    def type_clusters(self, doc: Doc) -> dict[int, str]:
        """Cluster id -> Person/Show/Character/Organization, or ``none``: the typer decides
        (a prior for the rules' class lost in cross-validation)."""
        examples = cluster_examples(doc)
        probs = self.typer.batch([e.features for e in examples])
        return {e.cluster: self.typer.classes[int(np.argmax(p))] for e, p in zip(examples, probs)}

    # -- relations ---------------------------------------------------------------------
    def decide(self, doc: Doc, types: Mapping[int, str]) -> list[Decision]:
        """Relations between typed clusters, one per (subject, predicate, object)."""
        keep = {c for c, t in types.items() if t in TYPED_CLASSES}
        examples = pair_examples(doc, dict(types), keep)
        if not examples:
            return []
        probs = self.relations.batch([e.features for e in examples])
        specs = predicates()
        best: dict[tuple[int, str, int], Decision] = {}

        def accept(s: int, pred: str, o: int, sent: tuple[int, int], conf: float,
                   reasons: tuple[str, ...], chain: tuple[str, ...] = ()) -> None:
            spec = specs.get(pred)
            if spec is None or not fits(pred, types[s], types[o]):
                return
            if spec.symmetric and s > o:
                s, o = o, s
            key = (s, pred, o)
            if key not in best or best[key].confidence < conf:
                best[key] = Decision(s, pred, o, sent, conf, reasons, chain)

        by_pair: dict[tuple[int, int, int], np.ndarray] = {}
        for ex, p in zip(examples, probs):
            by_pair[(ex.sent[0], ex.first, ex.second)] = p
            for k, label in enumerate(self.relations.classes):
                if label == NONE or p[k] < self.threshold:
                    continue
                pred = label.removesuffix(INVERSE)
                s, o = (ex.second, ex.first) if label.endswith(INVERSE) else (ex.first, ex.second)
                accept(s, pred, o, ex.sent, float(p[k]), self.relations.reasons(ex.features, label),
                       _chain(doc, ex.first_token, ex.second_token))
        # kg's rules propose; the classifier may overrule them
        for r in doc._.kg_relations or ():
            if r.subject not in keep or r.object not in keep:
                continue
            forward = by_pair.get((r.sent_start, r.subject, r.object))
            backward = by_pair.get((r.sent_start, r.object, r.subject))
            label = r.predicate
            if forward is not None:
                p = forward
            elif backward is not None:
                p = backward
                if not specs.get(r.predicate) or not specs[r.predicate].symmetric:
                    label = r.predicate + INVERSE
            else:
                if r.confidence >= self.rule_confidence:
                    accept(r.subject, r.predicate, r.object, (r.sent_start, r.sent_end),
                           r.confidence, (f"rule {r.rule}",), r.chain)
                continue
            if label in self.relations.classes:
                prob = float(p[self.relations.classes.index(label)])
                if prob >= self.rule_floor:
                    accept(r.subject, r.predicate, r.object, (r.sent_start, r.sent_end),
                           max(prob, min(r.confidence, 0.5)), (f"rule {r.rule}", f"p={prob:.2f}"),
                           r.chain)
        decisions = _one_of_each_disjoint_group(best.values())
        if self.one_per_character:
            decisions = _one_per_character(decisions)
        decisions = _at_most_two_parents(decisions)
        return sorted(decisions, key=lambda d: (d.sent, d.subject, d.predicate, d.object))

    def attach_ages(self, doc: Doc, types: Mapping[int, str]) -> list[FactCandidate]:
        """Each age expression to the person or character most likely to own it."""
        if self.ages is None:
            return [f for f in doc._.kg_facts or () if f.attribute == "age"]
        people = {c for c, t in types.items() if t in ("Person", "Character")}
        best: dict[tuple[int, int], tuple[float, AgeExample]] = {}
        yes = self.ages.classes.index("yes")
        examples = age_examples(doc, people)
        probs = self.ages.batch([ex.features for ex in examples])
        for ex, row in zip(examples, probs):
            p = float(row[yes])
            key = (ex.sent[0], ex.token)
            if p >= self.age_threshold and (key not in best or best[key][0] < p):
                best[key] = (p, ex)
        out = []
        for p, ex in sorted(best.values(), key=lambda b: (b[1].sent, b[1].token)):
            why = ",".join(self.ages.reasons(ex.features, "yes"))
            out.append(FactCandidate(ex.cluster, "age", ex.value, ex.sent[0], ex.sent[1],
                                     f"{self.version}:{why}", _confidence(p), doc._.kg_date,
                                     _chain(doc, ex.mention)))
        return out

    def apply(self, doc: Doc) -> tuple[dict[int, str], list[RelationCandidate], list[FactCandidate]]:
        """The typer's classes, the classifier's relations and the facts for ``doc``."""
        types = self.type_clusters(doc)
        out = []
        for d in self.decide(doc, types):
            rule = f"{self.version}:" + ",".join(d.reasons) if d.reasons else self.version
            out.append(RelationCandidate(d.subject, d.predicate, d.object, d.sent[0], d.sent[1],
                                         rule, _confidence(d.confidence), chain=d.chain))
        facts = [f for f in doc._.kg_facts or () if f.attribute != "age"] + self.attach_ages(doc, types)
        return types, out, facts

    # -- files ---------------------------------------------------------------------------
    def to_disk(self, path: str | Path) -> None:
        """Write the model to the folder ``path``."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        self.typer.to_disk(folder, "typer")
        self.relations.to_disk(folder, "relations")
        if self.ages is not None:
            self.ages.to_disk(folder, "ages")
        meta = {"version": self.version, "threshold": self.threshold,
                "rule_floor": self.rule_floor, "rule_confidence": self.rule_confidence,
                "age_threshold": self.age_threshold, "one_per_character": self.one_per_character}
        (folder / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def from_disk(cls, path: str | Path) -> "ExtractionModel":
        """Read a model folder written by :meth:`to_disk`."""
        folder = Path(path)
        meta_path = folder / "meta.json"
        if not meta_path.is_file():
            raise OSError(f"no extraction model in {folder} (meta.json is missing); "
                          "run training/extraction.py to train one")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        ages = folder / "ages.json"
        return cls(LinearModel.from_disk(folder, "typer"), LinearModel.from_disk(folder, "relations"),
                   threshold=float(meta.get("threshold", 0.5)),
                   version=str(meta.get("version", folder.name)),
                   rule_floor=float(meta.get("rule_floor", 1.0)),
                   rule_confidence=float(meta.get("rule_confidence", 1.0)),
                   ages=LinearModel.from_disk(folder, "ages") if ages.is_file() else None,
                   age_threshold=float(meta.get("age_threshold", 0.5)),
                   one_per_character=bool(meta.get("one_per_character", False)))


def _chain(doc: Doc, *tokens: int) -> tuple[str, ...]:
    """The coreference steps ("she -> Kym Marsh") behind the mentions a decision read."""
    out = []
    for i in tokens:
        step = doc[i]._.kg_chain
        if step and step not in out:
            out.append(step)
    return tuple(out)


def _confidence(p: float) -> float:
    """A probability as a statement's confidence: three decimals, never certainty (0.999 at most)."""
    return min(round(p, 3), 0.999)


def _at_most_two_parents(decisions: list[Decision]) -> list[Decision]:
    """A child gets its two likeliest parents at most (a step-parent is not a ``child`` link)."""
    parents: dict[int, list[Decision]] = {}
    out = []
    for d in decisions:
        if d.predicate == "child":
            parents.setdefault(d.object, []).append(d)
        else:
            out.append(d)
    for ds in parents.values():
        ds.sort(key=lambda d: (-d.confidence, d.subject))
        out.extend(ds[:2])
    return out


def _one_per_character(decisions: list[Decision]) -> list[Decision]:
    """The likeliest actor (``plays``) and show (``characterIn``) of each character."""
    best: dict[tuple[str, int], Decision] = {}
    out = []
    for d in decisions:
        if d.predicate == "plays":
            key = ("plays", d.object)
        elif d.predicate == "characterIn":
            key = ("characterIn", d.subject)
        else:
            out.append(d)
            continue
        if key not in best or (best[key].confidence, -best[key].subject) < (d.confidence, -d.subject):
            best[key] = d
    return out + list(best.values())


def _one_of_each_disjoint_group(decisions: Iterable[Decision]) -> list[Decision]:
    """Of predicates the ontology declares disjoint, a pair keeps only its likeliest one."""
    group_of = {p: g for g in disjoint_groups() for p in g}
    best: dict[tuple, Decision] = {}
    out = []
    for d in decisions:
        group = group_of.get(d.predicate)
        if group is None:
            out.append(d)
            continue
        key = (min(d.subject, d.object), max(d.subject, d.object), group)
        if key not in best or (best[key].confidence, best[key].predicate) < (d.confidence, d.predicate):
            best[key] = d
    return out + list(best.values())


def shipped_model_path() -> Path:
    """Where the shipped extraction model lives (package data)."""
    return Path(str(resources.files("kg.extract").joinpath("models", SHIPPED_MODEL)))


#: ``KG_EXTRACTION=rules`` runs kg's rules alone; ``KG_EXTRACTION=/path/to/model`` another model
ENV_VAR = "KG_EXTRACTION"


def load_model(path: str | None = None) -> ExtractionModel | None:
    """The extraction model at ``path``: by default ``$KG_EXTRACTION`` if set (``rules`` for
    none), else the shipped one. None means kg's rules decide alone."""
    if path is None:
        path = os.environ.get(ENV_VAR) or None
    if path == "rules":
        return None
    return _load(path)


@lru_cache(maxsize=4)
def _load(path: str | None) -> ExtractionModel | None:
    folder = Path(path) if path else shipped_model_path()
    if path is None and not (folder / "meta.json").is_file():
        return None
    return ExtractionModel.from_disk(folder)


def retype(clusters: Iterable[Cluster], types: Mapping[int, str]) -> dict[int, str]:
    """Final classes: the typer's, except that ``none`` keeps a place or event the rules found."""
    out = {}
    for c in clusters:
        t = types.get(c.id, NONE)
        out[c.id] = t if t != NONE else (c.cls if c.cls in ("Place", "Event") else NONE)
    return out
