"""Turn a :class:`~kg.records.ResolvedCorpus` into one rdflib graph.

The shape is the one ``ontology/README.md`` describes: entities with their labels (and gender
where every mention agrees), one triple per distinct relation, one ``rdf:Statement`` per piece
of evidence, one ``kg:Support`` per asserted triple summing its evidence up over articles, age
observations, dated facts, article nodes and the merge ledger. Every node has an IRI (no blank nodes) derived from
its content, so the same corpus always gives the same graph.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.graph.confidence import ClaimSupport, claim_support, decimal_literal
from kg.schema import fits
from kg.graph.namespace import DCTERMS, KG, KGR, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from kg.records import (
    ENTITY_CLASSES,
    PREDICATES,
    SYMMETRIC_PREDICATES,
    Article,
    Entity,
    Evidence,
    Fact,
    Merge,
    Relation,
    ResolvedCorpus,
)

__all__ = [
    "PREFIXES", "article_iri", "build_graph", "entity_iri", "new_graph",
]

#: The prefixes every graph kg builds is bound to.
PREFIXES: tuple[tuple[str, str], ...] = (
    ("kg", str(KG)),
    ("kgr", str(KGR)),
    ("prov", str(PROV)),
    ("dcterms", str(DCTERMS)),
    ("skos", str(SKOS)),
    ("schema", str(SCHEMA)),
    ("xsd", str(XSD)),
    ("rdfs", str(RDFS)),
    ("rdf", str(RDF)),
)

_DATE_ATTRIBUTES = {"birthDate": KG.birthDate, "deathDate": KG.deathDate}
_GENDERS = {"f": "female", "m": "male"}
_GENDERED_CLASSES = frozenset({"Person", "Character"})
_SAFE_SLUG = "/-._~"
_SAFE_ID = "-._~"


def entity_iri(entity_id: str) -> URIRef:
    """The IRI of a canonical entity: ``kgr:{class}/{slug}`` from its id ``class/slug``."""
    return URIRef(f"{KGR}{quote(entity_id, safe=_SAFE_SLUG)}")


def article_iri(article_id: str) -> URIRef:
    """The IRI of an article: ``kgr:article/{article id}``."""
    return URIRef(f"{KGR}article/{quote(article_id, safe=_SAFE_ID)}")


def new_graph() -> Graph:
    """An empty graph bound to kg's prefixes (and no others)."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES:
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def build_graph(corpus: ResolvedCorpus) -> Graph:
    """Build the knowledge graph of a resolved corpus.

    Relations or facts about a local entity the resolver did not map are left out (the
    resolver may discard entities); a mapping to an entity id that is not among
    ``corpus.entities``, an unknown class, predicate or fact attribute raises ``ValueError``.
    A relation whose two ends resolved to the same entity is dropped.
    """
    graph = new_graph()
    entities = _index_entities(corpus.entities)
    genders = _genders(corpus, entities)
    for entity in entities.values():
        _add_entity(graph, entity, genders.get(entity.id))

    statements: dict[URIRef, _Claim] = {}
    for extraction in corpus.extractions:
        article = extraction.article
        _add_article(graph, article)
        for relation in extraction.relations:
            claim = _relation_claim(corpus, entities, article.id, relation)
            if claim is not None:
                graph.add((claim.subject, claim.predicate, claim.object))
                _keep_best(statements, claim)
        for fact in extraction.facts:
            subject = _resolve(corpus, entities, article.id, fact.subject)
            if subject is None:
                continue
            if fact.attribute == "age":
                _add_age_observation(graph, subject, fact, article)
            elif fact.attribute in _DATE_ATTRIBUTES:
                claim = _date_claim(subject, fact, article)
                graph.add((claim.subject, claim.predicate, claim.object))
                _keep_best(statements, claim)
            else:
                raise ValueError(
                    f"article {article.id}: unknown fact attribute {fact.attribute!r} "
                    "(expected 'age', 'birthDate' or 'deathDate')"
                )

    for node, claim in statements.items():
        _add_statement(graph, node, claim)
    for support in claim_support(graph).values():
        _add_support(graph, support)
    for merge in corpus.merges:
        _add_merge(graph, merge)
    return graph


@dataclass(frozen=True)
class _Claim:
    """A triple and the evidence for it, before it becomes an rdf:Statement."""

    subject: URIRef
    predicate: URIRef
    object: Node
    evidence: Evidence

    @property
    def node(self) -> URIRef:
        e = self.evidence
        return _content_iri(
            "statement", self.subject, self.predicate, self.object.n3(), e.article_id,
            e.start, e.end, e.rule,
        )

    @property
    def rank(self) -> tuple[float, bool, tuple[str, ...]]:
        e = self.evidence
        return (e.confidence, not e.hedged, e.chain)


def _keep_best(statements: dict[URIRef, _Claim], claim: _Claim) -> None:
    # The same sentence read twice by one rule is one piece of evidence; keep the surest copy.
    node = claim.node
    known = statements.get(node)
    if known is None or claim.rank > known.rank:
        statements[node] = claim


def _index_entities(entities: Iterable[Entity]) -> dict[str, Entity]:
    index: dict[str, Entity] = {}
    for entity in entities:
        if entity.cls not in ENTITY_CLASSES:
            raise ValueError(
                f"entity {entity.id!r} has class {entity.cls!r}; expected one of "
                f"{', '.join(ENTITY_CLASSES)}"
            )
        known = index.setdefault(entity.id, entity)
        if known != entity:
            raise ValueError(f"entity id {entity.id!r} is used by two different entities")
    return index


def _resolve(
    corpus: ResolvedCorpus, entities: dict[str, Entity], article_id: str, key: str
) -> URIRef | None:
    entity_id = corpus.mapping.get((article_id, key))
    if entity_id is None:
        return None
    if entity_id not in entities:
        raise ValueError(
            f"article {article_id}: local entity {key!r} is mapped to {entity_id!r}, "
            "which is not among the corpus's entities"
        )
    return entity_iri(entity_id)


def _relation_claim(
    corpus: ResolvedCorpus,
    entities: dict[str, Entity],
    article_id: str,
    relation: Relation,
) -> _Claim | None:
    if relation.predicate not in PREDICATES:
        raise ValueError(
            f"article {article_id}: unknown predicate {relation.predicate!r}; add it to "
            "kg.records.PREDICATES and ontology/kg.ttl first"
        )
    subject = _resolve(corpus, entities, article_id, relation.subject)
    obj = _resolve(corpus, entities, article_id, relation.object)
    if subject is None or obj is None or subject == obj:
        return None
    # resolution may give an entity another class than one article did ("X" a person there, a
    # character elsewhere): a relation the ontology forbids between the merged classes is left out
    s_cls = entities[corpus.mapping[(article_id, relation.subject)]].cls
    o_cls = entities[corpus.mapping[(article_id, relation.object)]].cls
    if not fits(relation.predicate, s_cls, o_cls):
        return None
    if relation.predicate in SYMMETRIC_PREDICATES and str(obj) < str(subject):
        subject, obj = obj, subject
    return _Claim(subject, KG[relation.predicate], obj, relation.evidence)


def _date_claim(subject: URIRef, fact: Fact, article: Article) -> _Claim:
    value = fact.value
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise ValueError(
            f"article {article.id}: {fact.attribute} of {fact.subject!r} must be a date, "
            f"got {value!r}"
        )
    return _Claim(subject, _DATE_ATTRIBUTES[fact.attribute], _date(value), fact.evidence)


def _genders(corpus: ResolvedCorpus, entities: dict[str, Entity]) -> dict[str, str]:
    """``"female"``/``"male"`` for each person or character whose gendered local mentions all
    agree; an entity with no gendered mention, or with both, gets none."""
    votes: dict[str, set[str]] = defaultdict(set)
    for extraction in corpus.extractions:
        for local in extraction.entities:
            entity_id = corpus.mapping.get((extraction.article.id, local.key))
            if local.gender in _GENDERS and entity_id is not None:
                votes[entity_id].add(local.gender)
    return {
        entity_id: _GENDERS[next(iter(genders))]
        for entity_id, genders in votes.items()
        if len(genders) == 1
        and entity_id in entities
        and entities[entity_id].cls in _GENDERED_CLASSES
    }


def _add_entity(graph: Graph, entity: Entity, gender: str | None = None) -> None:
    node = entity_iri(entity.id)
    graph.add((node, RDF.type, KG[entity.cls]))
    graph.add((node, RDFS.label, Literal(entity.name)))
    for alias in entity.aliases:
        if alias and alias != entity.name:
            graph.add((node, SKOS.altLabel, Literal(alias)))
    if gender is not None:
        graph.add((node, KG.gender, Literal(gender)))


def _add_article(graph: Graph, article: Article) -> None:
    node = article_iri(article.id)
    graph.add((node, RDF.type, KG.Article))
    graph.add((node, KG.articleId, Literal(article.id)))
    graph.add((node, DCTERMS.date, _date(article.date)))
    graph.add((node, KG.sourcePath, Literal(article.source)))
    if article.url:
        graph.add((node, SCHEMA.url, Literal(article.url, datatype=XSD.anyURI)))
    if article.title:
        graph.add((node, DCTERMS.title, Literal(article.title)))


def _add_statement(graph: Graph, node: URIRef, claim: _Claim) -> None:
    graph.add((node, RDF.type, RDF.Statement))
    graph.add((node, RDF.subject, claim.subject))
    graph.add((node, RDF.predicate, claim.predicate))
    graph.add((node, RDF.object, claim.object))
    _add_evidence(graph, node, claim.evidence)


def _add_support(graph: Graph, support: ClaimSupport) -> None:
    node = _content_iri("support", support.subject, support.predicate, support.object.n3())
    graph.add((node, RDF.type, KG.Support))
    for statement in support.statements:
        graph.add((node, KG.evidence, statement))
    graph.add((node, KG.supportCount, Literal(support.support_count)))
    graph.add((node, KG.combinedConfidence, decimal_literal(support.confidence)))


def _add_age_observation(graph: Graph, subject: URIRef, fact: Fact, article: Article) -> None:
    age = fact.value
    if isinstance(age, bool) or not isinstance(age, int):
        raise ValueError(
            f"article {article.id}: age of {fact.subject!r} must be an integer, got {age!r}"
        )
    as_of = fact.as_of or article.date
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    e = fact.evidence
    node = _content_iri(
        "observation", subject, "age", age, as_of.isoformat(), e.article_id, e.start, e.end,
        e.rule,
    )
    graph.add((subject, KG.ageObservation, node))
    graph.add((node, RDF.type, KG.AgeObservation))
    graph.add((node, KG.age, Literal(age)))
    graph.add((node, KG.asOf, _date(as_of)))
    graph.add((node, KG.birthYear, Literal(as_of.year - age)))
    _add_evidence(graph, node, e)


def _add_evidence(graph: Graph, node: URIRef, evidence: Evidence) -> None:
    graph.add((node, PROV.wasDerivedFrom, article_iri(evidence.article_id)))
    graph.add((node, KG.sentenceText, Literal(evidence.sentence)))
    graph.add((node, KG.charStart, Literal(evidence.start)))
    graph.add((node, KG.charEnd, Literal(evidence.end)))
    graph.add((node, KG.rule, Literal(evidence.rule)))
    graph.add((node, KG.confidence, _confidence(evidence.confidence)))
    graph.add((node, KG.hedged, Literal(bool(evidence.hedged))))
    for link in evidence.chain:
        graph.add((node, KG.corefChain, Literal(link)))


def _add_merge(graph: Graph, merge: Merge) -> None:
    """A ledger entry: a ``kg:Merge`` into its entity, or, for a merge a constraint blocked, a
    ``kg:BlockedMerge`` with ``kg:keptApart`` to each entity it kept apart."""
    names = sorted(set(merge.names))
    articles = sorted(set(merge.articles))
    if merge.blocked:
        apart = sorted(set(merge.apart) | {merge.entity})
        node = _content_iri(
            "blocked-merge", "\x1e".join(apart), "\x1e".join(names), merge.rule, merge.reason,
            "\x1e".join(articles),
        )
        graph.add((node, RDF.type, KG.BlockedMerge))
        for entity_id in apart:
            graph.add((node, KG.keptApart, entity_iri(entity_id)))
    else:
        node = _content_iri(
            "merge", merge.entity, "\x1e".join(names), merge.rule, merge.reason,
            "\x1e".join(articles),
        )
        graph.add((node, RDF.type, KG.Merge))
        graph.add((node, KG.mergedInto, entity_iri(merge.entity)))
    for name in names:
        graph.add((node, KG.mergedName, Literal(name)))
    graph.add((node, KG.rule, Literal(merge.rule)))
    if merge.reason:
        graph.add((node, KG.reason, Literal(merge.reason)))
    for article_id in articles:
        graph.add((node, PROV.wasDerivedFrom, article_iri(article_id)))


def _content_iri(kind: str, *parts: object) -> URIRef:
    canonical = "\x1f".join(str(part) for part in parts)
    digest = hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{KGR}{kind}/{digest}")


def _date(value: dt.date) -> Literal:
    if isinstance(value, dt.datetime):
        value = value.date()
    return Literal(value.isoformat(), datatype=XSD.date)


def _confidence(value: float) -> Literal:
    if not math.isfinite(value):
        raise ValueError(f"confidence must be a number between 0 and 1, got {value!r}")
    return Literal(Decimal(str(round(value, 3))), datatype=XSD.decimal)
