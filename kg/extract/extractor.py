"""Turn a processed spaCy ``Doc`` into :class:`~kg.records.ArticleExtraction` records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.doc_model import Cluster

if TYPE_CHECKING:
    from kg.extract.learned import ExtractionModel
from kg.records import ENTITY_CLASSES, Article, ArticleExtraction, Evidence, Fact, LocalEntity, Relation


_DEFAULT = object()


def _make_doc(nlp: Language, article: Article) -> Doc:
    doc = nlp.make_doc(article.text)
    doc._.kg_date = article.date
    return doc


def extract_article(nlp: Language, article: Article,
                    model: "ExtractionModel | None | object" = _DEFAULT) -> ArticleExtraction:
    """Run ``nlp`` on one article and return what it says, with evidence for every claim.

    ``model``: the learned extraction (default: the shipped one; ``None``: kg's rules alone).
    """
    return doc_to_extraction(nlp(_make_doc(nlp, article)), article, model)


def extract_articles(nlp: Language, articles: Iterable[Article], *, batch_size: int = 16,
                     n_process: int = 1) -> Iterator[ArticleExtraction]:
    """Stream extractions for many articles through ``nlp.pipe``."""
    pending: list[Article] = []

    def docs() -> Iterator[tuple[Doc, int]]:
        for i, article in enumerate(articles):
            pending.append(article)
            yield _make_doc(nlp, article), i

    for doc, i in nlp.pipe(docs(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        yield doc_to_extraction(doc, pending[i])


def partial_name_owners(clusters: Iterable[Cluster], classes: dict[int, str]) -> dict[int, int]:
    """Shorter names that are the start or the end of exactly one longer name of a person or
    character in the article ("Dunsworth", "Lisa Marie" after "Lisa Marie Presley"): cluster -> owner.

    Coreference joins most of these as it meets names in text order, before any class is
    known; this pass sees the whole article and the learned classes, and catches what it left
    (a shorter name met first, two words of a longer name). Done in coreference instead, the
    cross-validated duplicates were 15 against 11 here.
    """
    people = [c for c in clusters if classes.get(c.id) in ("Person", "Character")]
    words = {c.id: tuple(c.name.lower().split()) for c in people}
    out: dict[int, int] = {}
    for c in people:
        w = words[c.id]
        owners = [o for o in people if o.id != c.id
                  and len(words[o.id]) > len(w) and (words[o.id][:len(w)] == w or words[o.id][-len(w):] == w)]
        if len(owners) == 1:
            out[c.id] = owners[0].id
    return out


def _key(cluster_id: int) -> str:
    return f"e{cluster_id}"


def doc_to_extraction(doc: Doc, article: Article, model: "ExtractionModel | None | object" = _DEFAULT
                      ) -> ArticleExtraction:
    """Records from a doc processed by kg's components (clusters, relations, facts).

    ``model`` types the clusters and decides the relations (default: the shipped learned
    model; ``None``: kg's rules alone). The doc is not changed.
    """
    from kg.extract.learned import load_model, retype

    clusters: list[Cluster] = doc._.kg_clusters or []
    if model is _DEFAULT:
        model = load_model()
    if model is not None:
        types, candidates, fact_candidates = model.apply(doc)  # type: ignore[union-attr]
        classes = retype(clusters, types)
    else:
        classes = {c.id: c.cls for c in clusters}
        candidates = doc._.kg_relations or []
        fact_candidates = doc._.kg_facts or []
    keep = {c.id for c in clusters if classes[c.id] in ENTITY_CLASSES}
    into = partial_name_owners([c for c in clusters if c.id in keep], classes)
    entities = []
    for c in clusters:
        if c.id not in keep or c.id in into:
            continue
        parts = [c] + [p for p in clusters if into.get(p.id) == c.id]
        spans = {(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)) for p in parts for s, e in p.mentions}
        names = {a for p in parts for a in ({p.name} | p.aliases)}
        aliases = tuple(sorted(a for a in names if a != c.name))
        entities.append(LocalEntity(_key(c.id), classes[c.id], c.name, aliases, c.gender, tuple(sorted(spans))))
    text = doc.text
    relations = []
    for r in candidates:
        if r.subject not in keep or r.object not in keep:
            continue
        subject, obj = into.get(r.subject, r.subject), into.get(r.object, r.object)
        if subject == obj:
            continue
        ev = Evidence(article.id, text[r.sent_start:r.sent_end].strip(), r.sent_start, r.sent_end,
                      r.rule, r.confidence, r.hedged, r.chain)
        relations.append(Relation(_key(subject), r.predicate, _key(obj), ev))
    facts = []
    for f in fact_candidates:
        if f.subject not in keep:
            continue
        ev = Evidence(article.id, text[f.sent_start:f.sent_end].strip(), f.sent_start, f.sent_end,
                      f.rule, f.confidence, False, f.chain)
        facts.append(Fact(_key(into.get(f.subject, f.subject)), f.attribute, f.value, ev, f.as_of))
    relations.sort(key=lambda r: (r.evidence.start, r.subject, r.predicate, r.object, r.evidence.rule))
    facts.sort(key=lambda f: (f.evidence.start, f.subject, f.attribute, str(f.value)))
    return ArticleExtraction(article, tuple(entities), tuple(relations), tuple(facts))
