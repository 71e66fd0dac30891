"""relation_support: one witness per article, combined by noisy-or."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.graph import combine_confidences, relation_support
from kg.graph.builder import entity_iri
from kg.graph.namespace import KG


def test_combine_confidences() -> None:
    assert combine_confidences([]) == 0.0
    assert combine_confidences([0.9]) == 0.9
    assert combine_confidences([0.8, 0.4]) == pytest.approx(0.88)
    assert combine_confidences([1.5, -1]) == 1.0


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
