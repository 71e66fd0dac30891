"""How sure the graph is of each relation, combining the evidence of every article.

The graph stores one ``rdf:Statement`` per piece of evidence, each with its own
``kg:confidence``. A relation's combined confidence treats articles as independent witnesses:
take the best statement of each article and combine them with a noisy-or,
``1 - prod(1 - c_i)``. Several sentences of one article do not count as several witnesses.
Nothing here is written into the graph; viewers and queries call :func:`relation_support`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.term import Literal, Node

from kg.graph.namespace import KG, PROV, RDF
from kg.records import PREDICATES

__all__ = ["RelationSupport", "combine_confidences", "relation_support"]

_RELATION_PREDICATES = frozenset(KG[name] for name in PREDICATES)


@dataclass(frozen=True)
class RelationSupport:
    """The evidence behind one relation triple, summed up over articles."""

    subject: URIRef
    predicate: URIRef
    object: URIRef
    #: number of distinct articles with at least one statement for the triple
    support_count: int
    #: ``1 - prod(1 - c)`` over the best confidence of each article, rounded to 3 decimals
    confidence: float


def combine_confidences(confidences: Iterable[float]) -> float:
    """Noisy-or of independent confidences: ``1 - prod(1 - c)``; 0.0 for none.

    Each value is clamped to [0, 1] first, so a stray value cannot push the result out of range.
    """
    disbelief = math.prod(1.0 - min(1.0, max(0.0, float(c))) for c in confidences)
    return round(1.0 - disbelief, 3)


def relation_support(graph: Graph) -> dict[tuple[URIRef, URIRef, URIRef], RelationSupport]:
    """Support count and combined confidence of every relation triple that has statements.

    Keyed by the triple as stored (symmetric relations in their canonical order). Triples
    whose statements name no article, and statements about triples not in the graph, are left
    out.
    """
    best: dict[tuple[URIRef, URIRef, URIRef], dict[Node, float]] = defaultdict(dict)
    for statement in graph.subjects(RDF.type, RDF.Statement):
        predicate = graph.value(statement, RDF.predicate)
        if predicate not in _RELATION_PREDICATES:
            continue
        subject = graph.value(statement, RDF.subject)
        obj = graph.value(statement, RDF.object)
        if not isinstance(subject, URIRef) or not isinstance(obj, URIRef):
            continue
        triple = (subject, predicate, obj)
        if triple not in graph:
            continue
        confidence = _confidence(graph.value(statement, KG.confidence))
        per_article = best[triple]
        for article in graph.objects(statement, PROV.wasDerivedFrom):
            per_article[article] = max(per_article.get(article, 0.0), confidence)
    return {
        triple: RelationSupport(*triple, len(per_article),
                                combine_confidences(per_article.values()))
        for triple, per_article in best.items()
        if per_article
    }


def _confidence(value: Node | None) -> float:
    if isinstance(value, Literal):
        try:
            return float(value.toPython())
        except (TypeError, ValueError):
            return 0.0
    return 0.0
