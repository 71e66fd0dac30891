"""A bounded page: only the most connected entities of a big graph (kg build's graph.html)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

import kg
from kg.viz.html import render_html
from kg.viz.network import most_connected, to_networkx

KG = Namespace("https://w3id.org/kg-news/ontology#")
KGR = "https://w3id.org/kg-news/id/"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def payload(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.DOTALL)
    assert found is not None
    return json.loads(found.group(1))


def star_graph() -> rdflib.Graph:
    """A hub with five friends, two of whom are also friends, and two loners."""
    graph = rdflib.Graph()
    people = {name: URIRef(f"{KGR}person/{name}") for name in
              ("hub", "a", "b", "c", "d", "e", "loner-1", "loner-2")}
    for name, node in people.items():
        graph.add((node, RDF.type, KG.Person))
        graph.add((node, RDFS.label, Literal(name)))
    for name in "abcde":
        graph.add((people["hub"], KG.friend, people[name]))
    graph.add((people["a"], KG.friend, people["b"]))
    return graph


def test_most_connected_ranks_by_relations_then_iri() -> None:
    graph = star_graph()
    found = most_connected(graph, 3)
    assert found is not None
    kept, total = found
    assert total == 8
    assert kept == {f"{KGR}person/{name}" for name in ("hub", "a", "b")}


def test_no_bound_when_the_graph_is_small_enough() -> None:
    assert most_connected(star_graph(), 8) is None
    with pytest.raises(ValueError):
        most_connected(star_graph(), 0)


def test_to_networkx_keeps_only_the_chosen_entities_and_their_relations() -> None:
    graph = star_graph()
    kept = {f"{KGR}person/{name}" for name in ("hub", "a", "b")}
    network = to_networkx(graph, entities=kept)
    assert set(network.nodes) == kept
    assert network.number_of_edges() == 3
    whole = to_networkx(graph)
    for source, target, key in network.edges(keys=True):
        assert network.edges[source, target, key] == whole.edges[source, target, key]


def test_a_bounded_page_draws_the_most_connected_and_says_so() -> None:
    html = render_html(star_graph(), max_entities=3)
    data = payload(html)
    assert {node["label"] for node in data["nodes"]} == {"hub", "a", "b"}
    assert len(data["edges"]) == 3
    assert "the 3 most connected of 8 entities" in html
    unbounded = payload(render_html(star_graph()))
    assert len(unbounded["nodes"]) == 8


def test_build_bounds_its_page_and_can_draw_everything(tmp_path: Path) -> None:
    bounded = kg.build([EXAMPLES], tmp_path / "bounded", page_entities=3, validate=False)
    whole = kg.build([EXAMPLES], tmp_path / "whole", page_entities=None, validate=False)
    assert sum(whole.entities_per_class.values()) > 3
    small = payload((tmp_path / "bounded" / "graph.html").read_text(encoding="utf-8"))
    full = payload((tmp_path / "whole" / "graph.html").read_text(encoding="utf-8"))
    assert len(small["nodes"]) == 3
    assert len(full["nodes"]) == sum(whole.entities_per_class.values())
    # the page is bounded, the graph is not
    assert (tmp_path / "bounded" / "graph.ttl").read_bytes() == (tmp_path / "whole" / "graph.ttl").read_bytes()
    assert bounded.relations_per_predicate == whole.relations_per_predicate
