"""kg.viz.network.to_networkx on the hand-made sample graph."""

from __future__ import annotations

import networkx as nx
import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from kg.records import ENTITY_CLASSES, PREDICATES
from kg.query.contradictions import contradictions_by_entity
from kg.viz.network import UNTYPED, to_networkx

KG = Namespace("https://w3id.org/kg-news/ontology#")
KGR = "https://w3id.org/kg-news/id/"
DANA, TOM, ELLIS, MAE = (KGR + f"person/{x}" for x in ("dana-rourke", "tom-hale", "ellis-hale", "mae-hale"))
A0, A1 = "000_3f2a9c1d5e7b8a60", "001_7c41d0e9b2a65f13"


def entity_count(graph: rdflib.Graph) -> int:
    return len({s for cls in ENTITY_CLASSES for s in graph.subjects(RDF.type, KG[cls])})


def relation_count(graph: rdflib.Graph) -> int:
    return sum(len(set(graph.subject_objects(KG[p]))) for p in PREDICATES)


def test_one_node_per_entity_and_one_edge_per_relation(sample_graph: rdflib.Graph) -> None:
    network = to_networkx(sample_graph)
    assert isinstance(network, nx.MultiDiGraph)
    assert network.number_of_nodes() == entity_count(sample_graph) == 14
    assert network.number_of_edges() == relation_count(sample_graph) == 21


def test_node_attributes(sample_graph: rdflib.Graph) -> None:
    network = to_networkx(sample_graph)
    mae = network.nodes[MAE]
    assert (mae["label"], mae["cls"], mae["aliases"]) == ("Mae Hale", "Person", ["Mae", "Maisie"])
    assert network.nodes[KGR + "character/nina-bright"]["cls"] == "Character"
    assert network.nodes[KGR + "organization/channel-north"]["cls"] == "Organization"
    assert network.nodes[KGR + "place/manchester"]["cls"] == "Place"


def test_ages_and_dates_are_facts_with_their_evidence(sample_graph: rdflib.Graph) -> None:
    network = to_networkx(sample_graph)
    ages = [f for f in network.nodes[DANA]["facts"] if f["kind"] == "age"]
    assert [(f["value"], f["asOf"], f["birthYear"], f["evidence"][0]["article"]) for f in ages] == [
        (44, "2020-10-28", 1976, A0),
        (46, "2023-05-02", 1977, A1),
    ]
    (born,) = network.nodes[KGR + "person/ruby-vance"]["facts"]
    assert (born["kind"], born["value"]) == ("birthDate", "2011-06-01")
    assert born["evidence"][0]["article"] == A1 and born["evidence"][0]["rule"] == "date.birth_month"
    (died,) = network.nodes[KGR + "person/jim-rourke"]["facts"]
    assert (died["kind"], died["value"]) == ("deathDate", "2019-03-02")


def test_only_disagreeing_ages_are_flagged(sample_graph: rdflib.Graph) -> None:
    network = to_networkx(sample_graph)
    flagged = {node for node, conflicts in network.nodes(data="conflicts") if conflicts}
    assert flagged == {TOM}
    (conflict,) = network.nodes[TOM]["conflicts"]
    assert conflict["kind"] == "age" and conflict["articles"] == sorted([A0, A1])
    assert [value.rpartition("(")[2] for value in conflict["values"]] == [
        "birth year 1978)", "birth year 1970)",
    ]
    assert A0 in conflict["text"] and A1 in conflict["text"]


def test_the_explorer_shows_what_the_contradictions_query_finds(sample_graph: rdflib.Graph) -> None:
    """One statement of a contradiction: the explorer's are the shipped query's rows."""
    network = to_networkx(sample_graph)
    expected = {entity: [c.explain() for c in found]
                for entity, found in contradictions_by_entity(sample_graph).items()}
    shown = {node: [c["text"] for c in conflicts]
             for node, conflicts in network.nodes(data="conflicts") if conflicts}
    assert shown == expected


def test_edges_carry_their_evidence(sample_graph: rdflib.Graph) -> None:
    network = to_networkx(sample_graph)
    edge = network.edges[DANA, ELLIS, "child"]
    assert edge["predicate"] == "child"
    assert [(e["article"], e["date"]) for e in edge["evidence"]] == [(A0, "2020-10-28"), (A1, "2023-05-02")]
    first = edge["evidence"][0]
    assert set(first) >= {"article", "date", "sentence", "confidence", "rule", "hedged"}
    assert first["sentence"].startswith("Dana Rourke, 44,")
    assert first["confidence"] == 0.85 and first["hedged"] is False
    assert first["title"] == "Dana Rourke on family life"  # the article's dcterms:title
    hedged = network.edges[TOM, MAE, "child"]["evidence"]
    assert sorted(e["hedged"] for e in hedged) == [False, True]
    assert any(e["chain"] == ["his -> Tom Hale"] for e in hedged)


def test_on_screen_relations_stay_between_characters(sample_graph: rdflib.Graph) -> None:
    network = to_networkx(sample_graph)
    nina, steve = KGR + "character/nina-bright", KGR + "character/steve-bright"
    assert network.has_edge(nina, steve, "spouse")
    assert network.has_edge(DANA, nina, "plays")
    assert not network.has_edge(DANA, KGR + "person/rico-lane", "spouse")


def test_a_relation_to_an_untyped_node_still_gets_both_ends() -> None:
    graph = rdflib.Graph()
    a, b = URIRef(KGR + "person/a"), URIRef(KGR + "person/b")
    graph.add((a, RDF.type, KG.Person))
    graph.add((a, RDFS.label, Literal("A")))
    graph.add((a, KG.friend, b))
    network = to_networkx(graph)
    assert network.nodes[str(b)]["cls"] == UNTYPED
    assert network.nodes[str(b)]["label"] == "b"
    assert network.edges[str(a), str(b), "friend"]["evidence"] == []


def test_empty_graph() -> None:
    network = to_networkx(rdflib.Graph())
    assert network.number_of_nodes() == 0 and network.number_of_edges() == 0
