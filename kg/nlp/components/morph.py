"""Universal POS tags and lemmas from the tagger's fine-grained tags, fast.

``kg_pos_lemma`` (in kg's shipped pipeline, after the tagger) maps each (fine tag, word) pair to
a UPOS and a lemma. Its tables are read off the training treebanks by ``training/train.py``:
the UPOS of each tag (and of the words that differ from their tag, "will"/MD is AUX), and the
lemmas spaCy's English rule lemmatizer gets wrong ("was" -> "be"). Other words go through that
rule lemmatizer. Results are cached per (tag, word), so the cost per token is one dict lookup;
spaCy's ``attribute_ruler`` + ``lemmatizer`` do the same at a fraction of the speed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

import numpy
from spacy.attrs import LEMMA, ORTH, POS, TAG
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.parts_of_speech import IDS as UPOS_IDS
from spacy.tokens import Doc
from spacy.vocab import Vocab

_PROPER = {"NNP", "NNPS"}
# fine tags of base forms (singular nouns, infinitives, present non-3rd verbs, positive degree):
# spaCy's English lemmatizer reads the same from morphology
_BASE_TAGS = {"NN", "VB", "VBP", "JJ", "RB"}
LOOKUP_TABLES = ("lemma_rules", "lemma_exc", "lemma_index")


@Language.factory("kg_pos_lemma", default_config={})
def make_pos_lemma(nlp: Language, name: str) -> "PosLemma":
    """Build the POS/lemma component (registered as ``kg_pos_lemma``)."""
    return PosLemma(nlp.vocab, name)


class PosLemma:
    """Fine tag (+ word) -> UPOS and lemma, with a per-type cache."""

    def __init__(self, vocab: Vocab, name: str = "kg_pos_lemma") -> None:
        self.vocab = vocab
        self.name = name
        self.tag_pos: dict[str, str] = {}
        self.word_pos: dict[str, str] = {}  # "TAG word" -> UPOS
        self.lemmas: dict[str, str] = {}  # "TAG word" -> lemma, where the rules are wrong
        self.lookups = Lookups()
        self._cache: dict[tuple[int, int], tuple[int, int]] = {}
        self._index_sets: dict[str, frozenset[str]] = {}

    def initialize(self, tag_pos: dict[str, str], word_pos: dict[str, str],
                   lemmas: dict[str, str], lookups: Lookups) -> None:
        """Set the tables (called by the training recipe, not at load time)."""
        self.tag_pos, self.word_pos, self.lemmas = dict(tag_pos), dict(word_pos), dict(lemmas)
        self.lookups = Lookups()
        for name in LOOKUP_TABLES:
            self.lookups.set_table(name, lookups.get_table(name))
        self._cache.clear()
        self._index_sets.clear()

    def rule_lemma(self, word: str, tag: str, pos: str) -> str:
        """spaCy's English rule lemmatizer (``Lemmatizer.rule_lemmatize``), its base-form test
        read from the fine tag."""
        pos = pos.lower()
        if tag in _PROPER or pos == "propn":
            return word
        lower = word.lower()
        if not pos or tag in _BASE_TAGS:
            return lower
        index = self._index(pos)
        exceptions = self.lookups.get_table("lemma_exc", {}).get(pos, {})
        rules = self.lookups.get_table("lemma_rules", {}).get(pos, {})
        forms: list[str] = []
        oov: list[str] = []
        for old, new in rules:
            if lower.endswith(old):
                form = lower[: len(lower) - len(old)] + new
                if form and (form in index or not form.isalpha()):
                    forms.append(form)
                elif form:
                    oov.append(form)
        for form in exceptions.get(lower, []):
            if form not in forms:
                forms.insert(0, form)
        return (forms or oov or [lower])[0]

    def _index(self, pos: str) -> frozenset[str]:
        """The known base forms of ``pos`` as a set (the table holds a list of up to 57k words,
        which ``in`` would scan for every candidate form)."""
        found = self._index_sets.get(pos)
        if found is None:
            found = self._index_sets[pos] = frozenset(
                self.lookups.get_table("lemma_index", {}).get(pos, {}))
        return found

    def _analyse(self, tag_id: int, orth_id: int) -> tuple[int, int]:
        strings = self.vocab.strings
        tag, word = strings[tag_id], strings[orth_id]
        key = f"{tag} {word.lower()}"
        pos = self.word_pos.get(key) or self.tag_pos.get(tag, "")
        lemma = self.lemmas.get(key) or self.rule_lemma(word, tag, pos)
        return UPOS_IDS.get(pos, 0), strings.add(lemma)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        arr = doc.to_array([TAG, ORTH])
        cache = self._cache
        rows: list[tuple[int, int]] = []  # one array made at the end, not one write per token
        for tag_id, orth_id in arr.tolist():
            hit = cache.get((tag_id, orth_id))
            if hit is None:
                hit = cache[(tag_id, orth_id)] = self._analyse(tag_id, orth_id)
            rows.append(hit)
        doc.from_array([POS, LEMMA], numpy.array(rows, dtype="uint64"))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        tables = {"tag_pos": self.tag_pos, "word_pos": self.word_pos, "lemmas": self.lemmas}
        (path / "tables.json").write_text(json.dumps(tables, sort_keys=True), encoding="utf-8")
        self.lookups.to_disk(path)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "PosLemma":
        path = Path(path)
        tables = json.loads((path / "tables.json").read_text(encoding="utf-8"))
        self.tag_pos, self.word_pos, self.lemmas = tables["tag_pos"], tables["word_pos"], tables["lemmas"]
        self.lookups = Lookups().from_disk(path)
        self._cache.clear()
        self._index_sets.clear()
        return self
