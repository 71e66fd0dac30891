"""The learned extraction on docs built by hand: what the features read, what must and must not
come out of a model, and that a model survives to_disk/from_disk."""

from __future__ import annotations

import numpy as np
import pytest
from spacy.tokens import Doc
import spacy

import kg.nlp.doc_model  # noqa: F401  (registers the ._ extensions)
from kg.extract.features import cluster_examples, pair_examples
from kg.extract.learned import NONE, ExtractionModel, LinearModel, retype
from kg.nlp.doc_model import Cluster

VOCAB = spacy.blank("en").vocab  # with English lexical attributes (lower_, is_punct)


def _doc(words, heads, deps, refs, clusters, *, lemmas=None, pos=None):
    """A parsed doc with kg's clusters: ``refs`` maps token index -> cluster id."""
    doc = Doc(VOCAB, words=words, heads=heads, deps=deps,
              lemmas=lemmas or [w.lower() for w in words], pos=pos or ["X"] * len(words),
              sent_starts=[True] + [False] * (len(words) - 1))
    for i, ref in refs.items():
        doc[i]._.kg_ref = ref
    doc._.kg_clusters = clusters
    doc._.kg_relations = []
    return doc


@pytest.fixture()
def plays_doc():
    # "Tamsin Hale plays Gemma Rooke ." with the names merged into one token each
    words = ["Tamsin Hale", "plays", "Gemma Rooke", "."]
    clusters = [Cluster(0, "Person", "Tamsin Hale", {"Tamsin Hale"}, mentions=[(0, 1)]),
                Cluster(1, "Character", "Gemma Rooke", {"Gemma Rooke"}, mentions=[(2, 3)])]
    return _doc(words, [1, 1, 1, 1], ["nsubj", "ROOT", "obj", "punct"], {0: 0, 2: 1}, clusters,
                lemmas=["Tamsin Hale", "play", "Gemma Rooke", "."], pos=["PROPN", "VERB", "PROPN", "PUNCT"])


def test_pair_features_read_the_dependency_path(plays_doc):
    [ex] = pair_examples(plays_doc)
    assert (ex.first, ex.second) == (0, 1)
    assert "path=nsubj^ <play> obj>" in ex.features
    assert "path_lemma=play" in ex.features
    assert "types=Person|Character" in ex.features


def test_pairs_come_only_from_one_sentence():
    words = ["Ann Lee", "smiled", ".", "Bob Ray", "waved", "."]
    clusters = [Cluster(0, "Person", "Ann Lee", mentions=[(0, 1)]),
                Cluster(1, "Person", "Bob Ray", mentions=[(3, 4)])]
    doc = Doc(VOCAB, words=words, heads=[1, 1, 1, 4, 4, 4],
              deps=["nsubj", "ROOT", "punct", "nsubj", "ROOT", "punct"],
              sent_starts=[True, False, False, True, False, False])
    doc[0]._.kg_ref, doc[3]._.kg_ref = 0, 1
    doc._.kg_clusters, doc._.kg_relations = clusters, []
    assert pair_examples(doc) == []


def test_a_pronoun_mention_makes_a_pair(plays_doc):
    words = ["She", "plays", "Gemma Rooke", "."]
    clusters = [Cluster(0, "Person", "Tamsin Hale", mentions=[]),
                Cluster(1, "Character", "Gemma Rooke", mentions=[(2, 3)])]
    doc = _doc(words, [1, 1, 1, 1], ["nsubj", "ROOT", "obj", "punct"], {0: 0, 2: 1}, clusters,
               lemmas=["she", "play", "Gemma Rooke", "."])
    [ex] = pair_examples(doc)
    assert "pron1=she" in ex.features


def test_cluster_features_see_the_words_around_mentions(plays_doc):
    feats = {e.cluster: e.features for e in cluster_examples(plays_doc)}
    assert "m_head=play" in feats[1] and "m_dep=obj" in feats[1]
    assert "rule_cls=Character" in feats[1]


def _model(threshold=0.5):
    """A hand-weighted model: 'play' on the path means plays; everything else none."""
    rel = LinearModel(("none", "plays", "plays^-1"), {"path_lemma=play": 0, "bias": 1},
                      np.array([[0.0, 2.0], [4.0, 0.0], [0.0, 0.0]], dtype=np.float32),
                      np.zeros(3, dtype=np.float32))
    typer = LinearModel(("Character", "Person", "none"), {"rule_cls=Person": 0, "rule_cls=Character": 1},
                        np.array([[0.0, 5.0], [5.0, 0.0], [0.0, 0.0]], dtype=np.float32),
                        np.zeros(3, dtype=np.float32))
    return ExtractionModel(typer, rel, threshold, "test")


def test_model_extracts_plays_with_confidence_and_reason(plays_doc):
    types, rels, _ = _model().apply(plays_doc)
    assert types == {0: "Person", 1: "Character"}
    [r] = rels
    assert (r.subject, r.predicate, r.object) == (0, "plays", 1)
    assert 0.5 < r.confidence <= 1.0
    assert "path_lemma=play" in r.rule and r.rule.startswith("test")


def test_model_never_outputs_a_relation_the_ontology_forbids(plays_doc):
    # both ends typed Person: "plays" needs a Character object, so nothing comes out
    for c in plays_doc._.kg_clusters:
        c.cls = "Person"
    types, rels, _ = _model().apply(plays_doc)
    assert set(types.values()) == {"Person"} and rels == []


def test_below_threshold_nothing_comes_out(plays_doc):
    _, rels, _ = _model(threshold=0.999).apply(plays_doc)
    assert rels == []


def test_model_round_trips_through_disk(tmp_path, plays_doc):
    model = _model()
    model.to_disk(tmp_path / "m")
    again = ExtractionModel.from_disk(tmp_path / "m")
    assert again.typer.classes == model.typer.classes and again.threshold == model.threshold
    assert [(r.subject, r.predicate, r.object) for r in again.apply(plays_doc)[1]] == [(0, "plays", 1)]


def test_missing_model_folder_says_how_to_make_one(tmp_path):
    with pytest.raises(OSError, match="training/extraction.py"):
        ExtractionModel.from_disk(tmp_path)


def test_retype_keeps_places_the_rules_found():
    clusters = [Cluster(0, "Place", "Leeds"), Cluster(1, "Person", "Fan Club")]
    assert retype(clusters, {0: NONE, 1: NONE}) == {0: "Place", 1: NONE}


def test_a_doc_without_a_parse_gives_features_without_paths():
    """Regression: a blank pipeline has no parse; reading children of merged tokens crashed."""
    words = ["Tamsin Hale", "plays", "Gemma Rooke", "."]
    clusters = [Cluster(0, "Person", "Tamsin Hale", mentions=[(0, 1)]),
                Cluster(1, "Character", "Gemma Rooke", mentions=[(2, 3)])]
    doc = Doc(VOCAB, words=words, sent_starts=[True, False, False, False])
    doc[0]._.kg_ref, doc[2]._.kg_ref = 0, 1
    doc._.kg_clusters, doc._.kg_relations = clusters, []
    assert all(not name.startswith("m_head=") for e in cluster_examples(doc) for name in e.features)
    [ex] = pair_examples(doc)
    assert "no_path" in ex.features and "btw_seq=plays" in ex.features


def test_the_default_extraction_runs_on_a_blank_pipeline():
    from kg.extract import extract_article
    from kg.nlp import load_pipeline
    from kg.records import Article
    import datetime as dt

    nlp = load_pipeline("blank")
    x = extract_article(nlp, Article("t", dt.date(2021, 5, 1),
                                     "Tamsin Hale, who plays Gemma Rooke in Emmerdale, has quit.", "test"))
    assert "Tamsin Hale" in {e.name for e in x.entities}


def test_a_child_keeps_its_two_likeliest_parents_and_a_character_one_actor():
    from kg.extract.learned import Decision, _at_most_two_parents, _one_per_character

    kids = [Decision(p, "child", 9, (0, 10), conf, ()) for p, conf in ((1, 0.9), (2, 0.4), (3, 0.7))]
    kept = _at_most_two_parents(kids + [Decision(1, "spouse", 3, (0, 10), 0.8, ())])
    assert sorted(d.subject for d in kept if d.predicate == "child") == [1, 3]
    assert any(d.predicate == "spouse" for d in kept)
    plays = [Decision(1, "plays", 5, (0, 10), 0.6, ()), Decision(2, "plays", 5, (0, 10), 0.9, ()),
             Decision(2, "plays", 6, (0, 10), 0.5, ())]
    assert sorted((d.subject, d.object) for d in _one_per_character(plays)) == [(2, 5), (2, 6)]
