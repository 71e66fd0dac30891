"""How sure the graph is of each asserted triple, combining the evidence of every article.

The graph stores one ``rdf:Statement`` per piece of evidence, each with its own
``kg:confidence``. A triple's combined confidence treats articles as independent witnesses:
take the best statement of each article and combine them with a noisy-or,
``1 - prod(1 - c_i)``. Several sentences of one article do not count as several witnesses, and
hedged evidence enters with the lower confidence its rule gave it.

:func:`claim_support` computes this for every relation and every birth or death date of a
graph; :func:`kg.graph.build_graph` writes the result as one ``kg:Support`` node per triple
(``kg:supportCount``, ``kg:combinedConfidence``, ``kg:evidence``). The arithmetic is done in
decimals on the three-decimal confidences the statements store, and the result is rounded half
up to three decimals, so the same statements always give the same figure whatever their order.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.namespace import KG, PROV, RDF, XSD
from kg.records import PREDICATES

__all__ = [
    "CLAIM_PREDICATES", "RELATION_PREDICATES", "ClaimSupport", "RelationSupport",
    "claim_support", "combine_confidences", "combined_confidence", "decimal_literal",
    "relation_support",
]

#: Relation predicates: triples between two entities.
RELATION_PREDICATES: frozenset[URIRef] = frozenset(KG[name] for name in PREDICATES)
#: Every predicate whose triples carry statements: the relations and the dated facts.
CLAIM_PREDICATES: frozenset[URIRef] = RELATION_PREDICATES | {KG.birthDate, KG.deathDate}

_STEP = Decimal("0.001")
_ZERO = Decimal(0)
_ONE = Decimal(1)


@dataclass(frozen=True)
class ClaimSupport:
    """The evidence behind one asserted triple, summed up over articles."""

    subject: URIRef
    predicate: URIRef
    #: an entity IRI for a relation, an ``xsd:date`` literal for a birth or death date
    object: Node
    #: number of distinct articles with at least one statement for the triple
    support_count: int
    #: ``1 - prod(1 - c)`` over the best confidence of each article, rounded to 3 decimals
    confidence: float
    #: the triple's statements (every one, not only each article's best), sorted
    statements: tuple[URIRef, ...] = ()

    @property
    def triple(self) -> tuple[URIRef, URIRef, Node]:
        """The triple as the graph stores it."""
        return self.subject, self.predicate, self.object


#: The name this record had when only relations were summed up.
RelationSupport = ClaimSupport


def combined_confidence(confidences: Iterable[float | Decimal]) -> Decimal:
    """Noisy-or of independent confidences, ``1 - prod(1 - c)``, as a 3-decimal ``Decimal``.

    Each value is clamped to [0, 1] first, so a stray value cannot push the result out of
    range; no values give 0. The values are multiplied in sorted order as decimals, so the
    result does not depend on their order. ``ValueError`` for a value that is not a number.
    """
    disbelief = _ONE
    for value in sorted(_clamped(c) for c in confidences):
        disbelief *= _ONE - value
    # evidence never makes kg certain: 0.999 at most (and "1.0" would read back from Oxigraph
    # as the canonical decimal "1", a different literal)
    return min((_ONE - disbelief).quantize(_STEP, rounding=ROUND_HALF_UP), _ONE - _STEP)


def combine_confidences(confidences: Iterable[float | Decimal]) -> float:
    """:func:`combined_confidence` as a float: ``1 - prod(1 - c)``; 0.0 for none."""
    return float(combined_confidence(confidences))


def decimal_literal(value: Decimal | float) -> Literal:
    """An ``xsd:decimal`` literal with at most three decimals and at least one digit after the
    point (``0.88``, ``1.0``), so the same value is always written the same way."""
    number = _decimal(value).quantize(_STEP, rounding=ROUND_HALF_UP)
    text = format(number.normalize(), "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


def claim_support(
    graph: Graph, predicates: Collection[URIRef] = CLAIM_PREDICATES
) -> dict[tuple[URIRef, URIRef, Node], ClaimSupport]:
    """Support count and combined confidence of every asserted triple that has statements.

    Only triples whose predicate is in ``predicates`` (by default the relations and the birth
    and death dates) are summed up. Keyed by the triple as stored (symmetric relations in their
    canonical order). Statements that name no article, or describe a triple the graph does not
    assert, are left out; a triple none of whose statements names an article has no entry.
    """
    subjects = _single_values(graph, RDF.subject)
    predicate_of = _single_values(graph, RDF.predicate)
    objects = _single_values(graph, RDF.object)
    best: dict[tuple[URIRef, URIRef, Node], dict[Node, Decimal]] = defaultdict(dict)
    statements: dict[tuple[URIRef, URIRef, Node], set[URIRef]] = defaultdict(set)
    for statement in graph.subjects(RDF.type, RDF.Statement):
        predicate = predicate_of.get(statement)
        if predicate not in predicates or not isinstance(statement, URIRef):
            continue
        subject, obj = subjects.get(statement), objects.get(statement)
        if not isinstance(subject, URIRef) or not isinstance(predicate, URIRef) or obj is None:
            continue
        triple = (subject, predicate, obj)
        if triple not in graph:
            continue
        articles = list(graph.objects(statement, PROV.wasDerivedFrom))
        if not articles:
            continue
        confidence = _confidence(graph.value(statement, KG.confidence))
        per_article = best[triple]
        for article in articles:
            per_article[article] = max(per_article.get(article, _ZERO), confidence)
        statements[triple].add(statement)
    return {
        triple: ClaimSupport(
            *triple,
            support_count=len(per_article),
            confidence=float(combined_confidence(per_article.values())),
            statements=tuple(sorted(statements[triple], key=str)),
        )
        for triple, per_article in best.items()
    }


def relation_support(graph: Graph) -> dict[tuple[URIRef, URIRef, Node], ClaimSupport]:
    """:func:`claim_support` for the relation triples only (no dated facts)."""
    return claim_support(graph, RELATION_PREDICATES)


def _single_values(graph: Graph, predicate: URIRef) -> dict[Node, Node]:
    return {s: o for s, o in graph.subject_objects(predicate)}


def _confidence(value: Node | None) -> Decimal:
    """A statement's confidence as a clamped decimal; 0 when missing or not a number."""
    if isinstance(value, Literal):
        try:
            return _clamped(value.toPython())
        except (TypeError, ValueError):
            return _ZERO
    return _ZERO


def _clamped(value: object) -> Decimal:
    return min(_ONE, max(_ZERO, _decimal(value)))


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"confidence must be a number between 0 and 1, got {value!r}")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise ValueError(f"confidence must be a number between 0 and 1, got {value!r}")
        number = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    else:
        try:
            number = Decimal(str(value))
        except InvalidOperation as error:
            raise ValueError(f"confidence must be a number, got {value!r}") from error
    if not number.is_finite():
        raise ValueError(f"confidence must be a number between 0 and 1, got {value!r}")
    return number
