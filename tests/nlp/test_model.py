"""kg's shipped English pipeline: it loads offline, kg's components sit on top of it, its entity
labels are normalised, and its NER stays above a measured floor on held-out data."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Span

import kg.nlp.components  # noqa: F401  (the shipped pipeline uses kg_pos_lemma)
from kg.nlp import load_pipeline
from kg.nlp.components.names import NameFinder
from kg.nlp.labels import entity_kind
from kg.nlp.lexicon import load_lexicon
from kg.nlp.pipeline import SHIPPED_MODEL, shipped_model_path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
EWT_TEST = SHARED / "datasets" / "ud-ewt-uner" / "ewt-uner-test.conllu"
BASE_COMPONENTS = ["tok2vec", "tagger", "kg_pos_lemma", "parser", "ner"]
# measured on the first 600 sentences of the EWT test split: NER F 0.683, UAS 0.825
NER_F_FLOOR = 0.65
UAS_FLOOR = 0.80


@pytest.fixture(scope="module")
def base() -> spacy.language.Language:
    return spacy.load(shipped_model_path())


def test_shipped_pipeline_loads_offline_with_its_components(base) -> None:
    assert base.pipe_names == BASE_COMPONENTS
    assert set(base.get_pipe("ner").labels) >= {"PER", "ORG", "LOC"}
    size = sum(f.stat().st_size for f in shipped_model_path().rglob("*") if f.is_file())
    assert size <= 20_000_000
    assert any("EWT" in s["name"] for s in base.meta["sources"])


def test_shipped_pipeline_tags_parses_lemmatises_and_finds_names(base) -> None:
    doc = base("John Smith was born in Berlin. He has worked for Microsoft since 2010.")
    assert [s.text for s in doc.sents][1].startswith("He")
    assert {(e.text, entity_kind(e.label_)) for e in doc.ents} >= {
        ("John Smith", "person"), ("Berlin", "place"), ("Microsoft", "organization")}
    assert doc[2].lemma_ == "be" and doc[2].pos_ == "AUX"
    assert doc[3].dep_ == "ROOT" and doc[0].head == doc[3] and doc[0].dep_ == "nsubj:pass"
    assert doc[1].dep_ == "flat" and doc[1].head == doc[0]  # UD: a name's first word heads it


def test_lemmas_follow_the_fine_tags(base) -> None:
    morph = base.get_pipe("kg_pos_lemma")
    assert morph.rule_lemma("children", "NNS", "NOUN") == "child"
    assert morph.rule_lemma("news", "NN", "NOUN") == "news"  # a singular noun is its own lemma
    assert morph.rule_lemma("starred", "VBD", "VERB") == "star"
    assert morph.rule_lemma("Wigan", "NNP", "PROPN") == "Wigan"
    doc = base("The actresses were running two shows.")
    assert [t.lemma_ for t in doc] == ["the", "actress", "be", "run", "two", "show", "."]
    assert [t.pos_ for t in doc][:4] == ["DET", "NOUN", "AUX", "VERB"]


def test_kg_keeps_hyphenated_words_whole_on_top_of_the_base() -> None:
    assert "ex-husband" in [t.text for t in load_pipeline()("Her ex-husband spoke.")]


def test_default_pipeline_runs_kg_components_on_the_shipped_base() -> None:
    nlp = load_pipeline()
    names = nlp.pipe_names
    assert names[: names.index("parser")].count("kg_sentences") == 1  # boundaries before the parser
    assert names[-4:] == ["kg_names", "kg_coref", "kg_temporal", "kg_relations"]
    assert set(BASE_COMPONENTS) <= set(names)
    doc = nlp("Her ex-husband Dean Gaffney lives in London.\nHe is 45.")
    assert len(list(doc.sents)) == 2
    assert any(e.text == "Dean Gaffney" for e in doc.ents)


def test_blank_pipeline_has_no_statistical_components() -> None:
    assert load_pipeline("blank").pipe_names == ["kg_sentences", "kg_names", "kg_coref",
                                                 "kg_temporal", "kg_relations"]


def test_shipped_model_by_name_and_by_path_and_unknown_model() -> None:
    assert "ner" in load_pipeline(SHIPPED_MODEL).pipe_names
    assert "ner" in load_pipeline(str(shipped_model_path())).pipe_names
    with pytest.raises(OSError, match="no_such_model_kg"):
        load_pipeline("no_such_model_kg")


def test_any_spacy_pipeline_can_be_the_base(tmp_path: Path) -> None:
    """A base with en_core_web_*-style labels (PERSON, GPE) and a sentencizer."""
    other = spacy.blank("en")
    other.add_pipe("sentencizer")
    ruler = other.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": "Rose"}, {"label": "GPE", "pattern": "Wigan"}])
    other.to_disk(tmp_path / "other")
    nlp = load_pipeline(str(tmp_path / "other"))
    assert nlp.pipe_names == ["sentencizer", "kg_sentences", "entity_ruler", "kg_names", "kg_coref",
                              "kg_temporal", "kg_relations"]
    doc = nlp("Rose moved to Wigan with Tom Smith.\nShe is 45.")
    assert len(list(doc.sents)) == 2  # kg's line-break boundary, after the sentencizer
    assert {"Rose", "Tom Smith"} <= {e.text for e in doc.ents}  # "Rose" from the base's PERSON


def test_model_sentences_setting(tmp_path: Path) -> None:
    text = (ROOT / "kg" / "nlp" / "default.cfg").read_text(encoding="utf-8")
    cfg = tmp_path / "model_sents.cfg"
    cfg.write_text(text.replace('sentences = "rules"', 'sentences = "model"'), encoding="utf-8")
    assert "kg_sentences" not in load_pipeline(config_path=cfg).pipe_names
    cfg.write_text(text.replace('sentences = "rules"', 'sentences = "parser!"'), encoding="utf-8")
    with pytest.raises(ValueError, match="sentences"):
        load_pipeline(config_path=cfg)


@pytest.mark.parametrize("label,kind", [("PERSON", "person"), ("PER", "person"), ("GPE", "place"),
                                        ("LOC", "place"), ("FAC", "place"), ("ORG", "organization"),
                                        ("WORK_OF_ART", "work"), ("DATE", None), ("MISC", None)])
def test_entity_labels_are_normalised(label: str, kind: str | None) -> None:
    assert entity_kind(label) == kind


def _names(model_labels: dict[str, str], model_names: bool) -> tuple[spacy.language.Language, NameFinder]:
    nlp = spacy.blank("en")
    return nlp, NameFinder(nlp, load_lexicon(()), merge=False, model_labels=model_labels,
                           model_names=model_names)


def test_base_entities_type_names_and_add_missed_people() -> None:
    nlp, finder = _names({"place": "Place"}, True)
    doc = nlp("Rose moved to Wigan with Tom Smith.")
    doc.ents = [Span(doc, 0, 1, "PERSON"), Span(doc, 3, 4, "GPE"), Span(doc, 5, 7, "PER")]
    out = {(e.text, e.label_) for e in finder(doc).ents}
    assert ("Wigan", "Place") in out and ("Tom Smith", "Name") in out
    assert ("Rose", "Name") in out  # a sentence-initial common word the rules alone drop

    nlp, finder = _names({}, False)
    doc = nlp("Rose moved to Wigan with Tom Smith.")
    doc.ents = [Span(doc, 0, 1, "PERSON"), Span(doc, 3, 4, "GPE")]
    out = {(e.text, e.label_) for e in finder(doc).ents}
    assert ("Wigan", "Name") in out and not any(t == "Rose" for t, _ in out)


@pytest.mark.slow
@pytest.mark.skipif(not EWT_TEST.is_file(), reason="needs ../shared/datasets")
def test_ner_f_on_a_fixed_slice_of_the_ewt_test_split(base) -> None:
    sys.path.insert(0, str(ROOT / "training"))
    from convert import ewt_docs  # noqa: PLC0415
    from spacy.training import Example  # noqa: PLC0415

    gold = list(ewt_docs(EWT_TEST, base.vocab, 600))
    scores = base.evaluate([Example(base.make_doc(d.text), d) for d in gold])
    assert scores["ents_f"] >= NER_F_FLOOR
    assert scores["dep_uas"] >= UAS_FLOOR
