"""Combined confidence: one witness per article, combined by noisy-or, written as kg:Support."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef

from kg.export import serialize
from kg.graph import (
    build_graph,
    claim_support,
    combine_confidences,
    relation_support,
    validate_graph,
)
from kg.graph.builder import entity_iri
from kg.graph.confidence import CLAIM_PREDICATES, combined_confidence, decimal_literal
from kg.namespace import KG, PROV, RDF, XSD
from kg.records import (
    Article,
    ArticleExtraction,
    Entity,
    Evidence,
    Fact,
    LocalEntity,
    Relation,
    ResolvedCorpus,
)

ANN, BO = entity_iri("person/ann-kerr"), entity_iri("person/bo-kerr")
DATES = {"a1": dt.date(2021, 3, 1), "a2": dt.date(2021, 9, 9), "a3": dt.date(2022, 1, 5)}


# --- the arithmetic ------------------------------------------------------------------------


def test_combine_confidences() -> None:
    assert combine_confidences([]) == 0.0
    assert combine_confidences([0.9]) == 0.9
    assert combine_confidences([0.8, 0.4]) == pytest.approx(0.88)
    assert combine_confidences([1.5, -1]) == 0.999  # clamped to 1, and never certain


def test_combined_confidence_never_reaches_certainty() -> None:
    """Regression: 0.999 from two articles rounded to "1.0", which Oxigraph reads back as the
    decimal "1": a store and a build of the same articles then differed."""
    assert combined_confidence([0.999, 0.999]) == Decimal("0.999")


def test_combination_is_exact_and_rounds_half_up() -> None:
    # 1 - 0.5 * 0.999 = 0.5005 exactly: half up gives 0.501 (binary floats would give 0.5)
    assert combined_confidence([0.5, 0.001]) == Decimal("0.501")
    assert combined_confidence([Decimal("0.5"), Decimal("0.5"), Decimal("0.5")]) == Decimal("0.875")


def test_combination_does_not_depend_on_order() -> None:
    values = [0.123, 0.456, 0.789, 0.05, 0.999, 0.321]
    assert len({combined_confidence(values[i:] + values[:i]) for i in range(len(values))}) == 1
    assert combined_confidence(values) == combined_confidence(list(reversed(values)))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "high", True])
def test_a_confidence_that_is_not_a_number_is_an_error(bad: object) -> None:
    with pytest.raises(ValueError):
        combined_confidence([0.5, bad])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("value", "lexical"),
    [(0.88, "0.88"), (Decimal("0.880"), "0.88"), (1, "1.0"), (0.0, "0.0"), (0.8805, "0.881"),
     (Decimal("0.975"), "0.975")],
)
def test_decimal_literal_has_one_spelling_per_value(value: float | Decimal, lexical: str) -> None:
    literal = decimal_literal(value)
    assert (str(literal), literal.datatype) == (lexical, XSD.decimal)


# --- over a graph --------------------------------------------------------------------------


def test_relation_support(graph: Graph) -> None:
    support = relation_support(graph)
    kym, emilie = entity_iri("person/kym-marsh"), entity_iri("person/emilie")
    carla, peter = entity_iri("character/carla-connor"), entity_iri("character/peter-barlow")
    daughter = support[(kym, KG.child, emilie)]
    assert daughter.support_count == 2
    assert daughter.confidence == pytest.approx(1 - 0.1 * 0.25)
    marriage = support[(carla, KG.spouse, peter)]
    assert marriage.support_count == 2
    assert marriage.confidence == pytest.approx(0.88)
    son = support[(kym, KG.child, entity_iri("person/david"))]
    assert (son.support_count, son.confidence) == (1, 0.9)
    relations = {t for t in graph if t[1] in {KG[p] for p in ("child", "spouse", "exPartner",
                 "friend", "plays", "actsIn", "characterIn", "broadcastBy")}}
    assert set(support) == relations


def test_claim_support_covers_dated_facts(graph: Graph) -> None:
    support = claim_support(graph)
    archie = entity_iri("person/archie")
    born = Literal("2009-02-11", datatype=XSD.date)
    assert support[(archie, KG.birthDate, born)].support_count == 1
    assert support[(archie, KG.deathDate, born)].confidence == 0.8
    asserted = {t for t in graph if t[1] in CLAIM_PREDICATES}
    assert set(support) == asserted


def test_every_asserted_claim_has_one_support_node(graph: Graph) -> None:
    expected = claim_support(graph)
    seen = set()
    for node in graph.subjects(RDF.type, KG.Support):
        statements = sorted(graph.objects(node, KG.evidence), key=str)
        triples = {(graph.value(st, RDF.subject), graph.value(st, RDF.predicate),
                    graph.value(st, RDF.object)) for st in statements}
        assert len(triples) == 1, node
        (triple,) = triples
        assert triple not in seen
        seen.add(triple)
        support = expected[triple]  # type: ignore[index]
        assert tuple(statements) == support.statements
        assert graph.value(node, KG.supportCount) == Literal(support.support_count)
        assert graph.value(node, KG.combinedConfidence) == decimal_literal(support.confidence)
    assert seen == set(expected)


# --- hand-written corpora, one phenomenon each ---------------------------------------------


def _evidence(article: str, n: int, confidence: float, hedged: bool = False) -> Evidence:
    sentence = f"Sentence {n} of {article} says Ann Kerr is Bo Kerr's mother."
    return Evidence(article, sentence, 100 * n, 100 * n + len(sentence), f"rule.{n}", confidence,
                    hedged)


def _corpus(relations: list[tuple[str, int, float, bool]],
            births: list[tuple[str, int, float]] | None = None) -> ResolvedCorpus:
    """Ann Kerr -child-> Bo Kerr once per ``(article, sentence number, confidence, hedged)``;
    Bo's birth date 2001-04-02 once per ``(article, sentence number, confidence)``."""
    births = births or []
    articles = sorted({a for a, *_ in relations} | {a for a, *_ in births})
    extractions = []
    for article in articles:
        extractions.append(ArticleExtraction(
            Article(article, DATES[article], "invented text", f"{article}.txt"),
            (LocalEntity("ann", "Person", "Ann Kerr"), LocalEntity("bo", "Person", "Bo Kerr")),
            tuple(Relation("ann", "child", "bo", _evidence(a, n, c, h))
                  for a, n, c, h in relations if a == article),
            tuple(Fact("bo", "birthDate", dt.date(2001, 4, 2), _evidence(a, n, c))
                  for a, n, c in births if a == article),
        ))
    entities = (Entity("person/ann-kerr", "Person", "Ann Kerr"),
                Entity("person/bo-kerr", "Person", "Bo Kerr"))
    mapping = {(a, key): f"person/{key}-kerr" for a in articles for key in ("ann", "bo")}
    return ResolvedCorpus(tuple(extractions), entities, mapping)


def _support_node(graph: Graph, triple: tuple[URIRef, URIRef, object]) -> tuple[int, str]:
    nodes = {node for node in graph.subjects(RDF.type, KG.Support)
             if any((graph.value(st, RDF.subject), graph.value(st, RDF.predicate),
                     graph.value(st, RDF.object)) == triple
                    for st in graph.objects(node, KG.evidence))}
    (node,) = nodes
    return graph.value(node, KG.supportCount).toPython(), str(graph.value(node, KG.combinedConfidence))


@pytest.mark.parametrize(
    ("relations", "count", "combined"),
    [
        pytest.param([("a1", 1, 0.8, False)], 1, "0.8", id="one-article"),
        pytest.param([("a1", 1, 0.8, False), ("a1", 2, 0.6, False)], 1, "0.8",
                     id="one-article-repeating-itself-counts-once"),
        pytest.param([("a1", 1, 0.8, False), ("a2", 1, 0.6, False)], 2, "0.92",
                     id="two-articles-combine"),
        pytest.param([("a1", 1, 0.3, False), ("a1", 2, 0.9, False), ("a2", 1, 0.5, False)], 2,
                     "0.95", id="best-statement-of-each-article"),
        pytest.param([("a1", 1, 0.9, False), ("a2", 1, 0.4, True)], 2, "0.94",
                     id="hedged-evidence-adds-little"),
        pytest.param([("a1", 1, 0.5, False), ("a2", 1, 0.5, False), ("a3", 1, 0.5, False)], 3,
                     "0.875", id="three-articles"),
    ],
)
def test_relation_support_in_the_graph(relations: list[tuple[str, int, float, bool]], count: int,
                                       combined: str) -> None:
    graph = build_graph(_corpus(relations))
    assert _support_node(graph, (ANN, KG.child, BO)) == (count, combined)
    assert len(list(graph.subjects(RDF.type, RDF.Statement))) == len(relations)


@pytest.mark.parametrize(
    ("births", "count", "combined"),
    [
        pytest.param([("a1", 5, 0.8)], 1, "0.8", id="one-article"),
        pytest.param([("a1", 5, 0.8), ("a2", 5, 0.8)], 2, "0.96", id="two-articles"),
        pytest.param([("a1", 5, 0.8), ("a1", 6, 0.7)], 1, "0.8", id="one-article-twice"),
    ],
)
def test_dated_fact_support_in_the_graph(births: list[tuple[str, int, float]], count: int,
                                         combined: str) -> None:
    graph = build_graph(_corpus([("a1", 1, 0.9, False)], births))
    born = (BO, KG.birthDate, Literal("2001-04-02", datatype=XSD.date))
    assert _support_node(graph, born) == (count, combined)


def test_support_turtle_is_byte_identical_whatever_the_order() -> None:
    relations = [("a1", 1, 0.3, False), ("a1", 2, 0.9, False), ("a2", 1, 0.45, True),
                 ("a3", 1, 0.123, False)]
    births = [("a2", 4, 0.7), ("a3", 4, 0.65)]
    first = build_graph(_corpus(relations, births))
    shuffled = _corpus(relations[::-1], births[::-1])
    shuffled = dataclasses.replace(shuffled, extractions=shuffled.extractions[::-1],
                                   entities=shuffled.entities[::-1])
    second = build_graph(shuffled)
    assert serialize(first, "turtle") == serialize(second, "turtle")
    turtle = serialize(first, "turtle")
    assert b"kg:combinedConfidence 0.952 ;" in turtle  # 1 - 0.1 * 0.55 * 0.877
    assert b"kg:combinedConfidence 0.895 ;" in turtle  # 1 - 0.3 * 0.35


# --- the shapes check the support nodes ----------------------------------------------------


def _a_support(graph: Graph) -> URIRef:
    return min(graph.subjects(RDF.type, KG.Support), key=str)


def test_built_graph_with_support_conforms() -> None:
    graph = build_graph(_corpus([("a1", 1, 0.8, False), ("a2", 1, 0.6, False)],
                                [("a1", 5, 0.8)]))
    result = validate_graph(graph)
    assert result.conforms, result.report_text


def test_wrong_support_count_does_not_conform(graph: Graph) -> None:
    graph.set((_a_support(graph), KG.supportCount, Literal(7)))
    result = validate_graph(graph)
    assert not result.conforms
    assert "is not the number of articles" in result.report_text


def test_combined_confidence_below_a_statement_does_not_conform(graph: Graph) -> None:
    graph.set((_a_support(graph), KG.combinedConfidence, decimal_literal(0)))
    result = validate_graph(graph)
    assert not result.conforms
    assert "is below the confidence" in result.report_text


def test_statement_without_support_does_not_conform(graph: Graph) -> None:
    support = _a_support(graph)
    graph.remove((support, None, None))
    result = validate_graph(graph)
    assert not result.conforms
    assert "exactly one kg:Support" in result.report_text


def test_support_mixing_two_triples_does_not_conform(graph: Graph) -> None:
    first, second = sorted(graph.subjects(RDF.type, KG.Support), key=str)[:2]
    moved = min(graph.objects(second, KG.evidence), key=str)
    graph.remove((second, KG.evidence, moved))
    graph.add((first, KG.evidence, moved))
    result = validate_graph(graph)
    assert not result.conforms
    assert "describe different triples" in result.report_text


def test_support_needs_its_sources(graph: Graph) -> None:
    # an article-less statement is not evidence a support can count
    statement = min(graph.objects(_a_support(graph), KG.evidence), key=str)
    graph.remove((statement, PROV.wasDerivedFrom, None))
    assert not validate_graph(graph).conforms
