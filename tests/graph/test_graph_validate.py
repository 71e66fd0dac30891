"""validate_graph: the sample graph conforms; broken graphs do not, and say why."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, URIRef

from kg.graph import validate_graph
from kg.graph.validate import ValidationResult, Violation
from kg.graph.builder import entity_iri
from kg.namespace import DCTERMS, KG, PROV, RDF, RDFS, XSD

ALISON = entity_iri("person/alison-king")
KYM = entity_iri("person/kym-marsh")
CARLA = entity_iri("character/carla-connor")
CORRIE = entity_iri("show/coronation-street")
ITV = entity_iri("organization/itv")


def _a_statement(graph: Graph):
    return sorted(graph.subjects(RDF.type, RDF.Statement))[0]


def test_built_graph_conforms(graph: Graph) -> None:
    result = validate_graph(graph)
    assert result.conforms, result.report_text
    assert bool(result)


def test_validation_leaves_the_graph_alone(graph: Graph) -> None:
    before = set(graph)
    validate_graph(graph)
    assert set(graph) == before


def test_plays_pointing_at_a_show_does_not_conform(graph: Graph) -> None:
    graph.add((ALISON, KG.plays, CORRIE))
    result = validate_graph(graph)
    assert not result.conforms
    assert "kg:plays must point at a kg:Character" in result.report_text


def test_statement_without_source_does_not_conform(graph: Graph) -> None:
    graph.remove((_a_statement(graph), PROV.wasDerivedFrom, None))
    result = validate_graph(graph)
    assert not result.conforms
    assert "prov:wasDerivedFrom" in result.report_text


def test_statement_about_a_missing_triple_does_not_conform(graph: Graph) -> None:
    graph.remove((CORRIE, KG.broadcastBy, ITV))
    result = validate_graph(graph)
    assert not result.conforms
    assert "not in the graph" in result.report_text


def _only(result: ValidationResult, shape: str, path: URIRef | None = None) -> Violation:
    """The one violation of ``result``, which must be of ``shape`` (along ``path``)."""
    assert not result.conforms
    assert [(v.shape, v.path) for v in result.violations] == [
        (shape, None if path is None else str(path))
    ], result.report_text
    return result.violations[0]


def test_person_child_of_character_does_not_conform(graph: Graph) -> None:
    graph.add((KYM, KG.child, CARLA))
    fired = _only(validate_graph(graph), "BeingRelationShape")
    assert fired.focus == str(KYM) and fired.component == "XoneConstraintComponent"


def test_confidence_out_of_range_does_not_conform(graph: Graph) -> None:
    statement = _a_statement(graph)
    graph.set((statement, KG.confidence, Literal(Decimal("1.5"), datatype=XSD.decimal)))
    result = validate_graph(graph)
    # the statement's own range, and its support, now less sure than the statement
    assert [(v.shape, v.path) for v in result.violations] == [
        ("EvidenceShape", str(KG.confidence)), ("SupportConsistencyShape", None),
    ], result.report_text
    (fired,) = result.fired("EvidenceShape", KG.confidence)
    assert fired.focus == str(statement) and fired.component == "MaxInclusiveConstraintComponent"


def test_implausible_age_does_not_conform(graph: Graph) -> None:
    observation = sorted(graph.subjects(RDF.type, KG.AgeObservation))[0]
    graph.set((observation, KG.age, Literal(130)))
    fired = _only(validate_graph(graph), "AgeObservationShape", KG.age)
    assert fired.focus == str(observation) and fired.component == "MaxExclusiveConstraintComponent"


def test_article_without_date_does_not_conform(graph: Graph) -> None:
    article = sorted(graph.subjects(RDF.type, KG.Article))[0]
    graph.remove((article, DCTERMS.date, None))
    fired = _only(validate_graph(graph), "ArticleShape", DCTERMS.date)
    assert fired.focus == str(article) and fired.component == "MinCountConstraintComponent"


def test_entity_without_label_does_not_conform(graph: Graph) -> None:
    graph.remove((KYM, RDFS.label, None))
    fired = _only(validate_graph(graph), "EntityShape", RDFS.label)
    assert fired.focus == str(KYM) and fired.component == "MinCountConstraintComponent"
    assert "rdfs:label" in fired.message


def test_a_broadcaster_is_an_organization(graph: Graph) -> None:
    graph.remove((ITV, RDF.type, KG.Organization))
    graph.add((ITV, RDF.type, KG.Broadcaster))
    result = validate_graph(graph)
    assert result.conforms, result.report_text
