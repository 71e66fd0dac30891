"""Views of a graph (focus, classes, relations, since), contradictions, the precomputed layout and
the `kg viz` options, without a browser."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from typer.testing import CliRunner

from kg.cli import app
from kg.viz.html import LARGE_GRAPH, SEEDED_LAYOUT, render_html
from kg.viz.network import (
    View,
    ViewError,
    evidence_since,
    find_entity,
    layout_positions,
    parse_classes,
    parse_relations,
    relation_conflicts,
    select,
    to_networkx,
)

KG = Namespace("https://w3id.org/kg-news/ontology#")
KGR = "https://w3id.org/kg-news/id/"
DANA, TOM, MAE = (KGR + f"person/{x}" for x in ("dana-rourke", "tom-hale", "mae-hale"))
A0, A1 = "000_3f2a9c1d5e7b8a60", "001_7c41d0e9b2a65f13"


def payload(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.DOTALL)
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def network(sample_graph: rdflib.Graph) -> nx.MultiDiGraph:
    return to_networkx(sample_graph)


# --- select ----------------------------------------------------------------------------------


def test_the_default_view_is_the_whole_graph(network: nx.MultiDiGraph) -> None:
    view = select(network, View())
    assert set(view.nodes) == set(network.nodes)
    assert set(view.edges(keys=True)) == set(network.edges(keys=True))


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_focus_keeps_the_neighbourhood(network: nx.MultiDiGraph, depth: int) -> None:
    view = select(network, View(focus="dana rourke", depth=depth))
    expected = set(nx.single_source_shortest_path_length(network.to_undirected(), DANA, cutoff=depth))
    assert set(view.nodes) == expected
    inside = {(u, v, k) for u, v, k in network.edges(keys=True) if u in expected and v in expected}
    assert set(view.edges(keys=True)) == inside


def test_classes_keep_only_those_entities(network: nx.MultiDiGraph) -> None:
    view = select(network, View(classes=frozenset({"Person"})))
    persons = {n for n, cls in network.nodes(data="cls") if cls == "Person"}
    assert set(view.nodes) == persons  # lone people stay
    assert all(u in persons and v in persons for u, v in view.edges())


def test_relations_keep_those_edges_and_their_ends(network: nx.MultiDiGraph) -> None:
    view = select(network, View(relations=frozenset({"child"})))
    children = [(u, v) for u, v, k in network.edges(keys=True) if k == "child"]
    assert sorted(view.edges()) == sorted(children)
    assert set(view.nodes) == {end for edge in children for end in edge}


def test_since_keeps_only_later_evidence(network: nx.MultiDiGraph, sample_graph: rdflib.Graph) -> None:
    since = dt.date(2023, 1, 1)
    view = select(network, View(since=since), graph=sample_graph)
    assert view.number_of_edges() < network.number_of_edges()
    for _, _, evidence in view.edges(data="evidence"):
        assert evidence and all(dt.date.fromisoformat(e["date"]) >= since for e in evidence)
    kept = {(u, v, k) for u, v, k in view.edges(keys=True)}
    for u, v, k, evidence in network.edges(keys=True, data="evidence"):
        assert ((u, v, k) in kept) == any(dt.date.fromisoformat(e["date"]) >= since for e in evidence)
    # Tom Hale's two ages disagree; only the 2023 one is left, so nothing is flagged.
    assert network.nodes[TOM]["conflicts"] and view.nodes[TOM]["conflicts"] == []
    assert [f["asOf"] for f in view.nodes[TOM]["facts"]] == ["2023-05-02"]
    assert network.nodes[TOM]["conflicts"]  # the full network is left alone
    # evidence from before both ages: the same contradiction as the whole graph's
    earlier = select(network, View(since=dt.date(2019, 1, 1)), graph=sample_graph)
    assert earlier.nodes[TOM]["conflicts"] == network.nodes[TOM]["conflicts"]


def test_evidence_since_leaves_out_older_statements_and_what_only_they_said(
    sample_graph: rdflib.Graph,
) -> None:
    def claims(graph: rdflib.Graph) -> set[tuple]:
        return {(graph.value(st, RDF.subject), graph.value(st, RDF.predicate), graph.value(st, RDF.object))
                for st in graph.subjects(RDF.type, RDF.Statement)}

    recent = evidence_since(sample_graph, dt.date(2023, 1, 1))
    evidence = set(recent.subjects(RDF.type, RDF.Statement)) | set(recent.subjects(RDF.type, KG.AgeObservation))
    articles = {str(recent.value(node, PROV.wasDerivedFrom)) for node in evidence}
    assert articles and all("001_" in a for a in articles)  # the article of 2023-05-02
    assert all(claim in recent for claim in claims(recent))
    older_only = claims(sample_graph) - claims(recent)
    assert older_only and not any(claim in recent for claim in older_only)


def test_focus_after_the_other_filters(network: nx.MultiDiGraph) -> None:
    view = select(network, View(focus="Dana Rourke", depth=1, relations=frozenset({"child"})))
    children = {v for _, v, k in network.out_edges(DANA, keys=True) if k == "child"}
    parents = {u for u, _, k in network.in_edges(DANA, keys=True) if k == "child"}
    assert children and parents
    assert set(view.nodes) == {DANA} | children | parents
    with pytest.raises(ViewError, match="filtered out"):
        select(network, View(focus="Harbour Lane", classes=frozenset({"Person"})))
    with pytest.raises(ViewError, match="no entity is called"):
        select(network, View(focus="Nobody At All"))
    with pytest.raises(ViewError, match="depth"):
        select(network, View(focus="Dana", depth=-1))


def test_find_entity(network: nx.MultiDiGraph) -> None:
    assert find_entity(network, "Mae Hale") == MAE
    assert find_entity(network, "maisie") == MAE  # an alias
    assert find_entity(network, MAE) == MAE  # an IRI
    assert find_entity(network, "nobody") is None
    with pytest.raises(ViewError) as error:
        find_entity(network, "hale")  # three people
    assert "Tom Hale" in str(error.value) and "Mae Hale" in str(error.value)


def test_parse_names() -> None:
    assert parse_classes(["person", " SHOW "]) == frozenset({"Person", "Show"})
    assert parse_relations(["exPartner", "COSTAR"]) == frozenset({"exPartner", "coStar"})
    with pytest.raises(ViewError, match="Character"):
        parse_classes(["Charactor"])
    with pytest.raises(ViewError, match="child"):
        parse_relations(["children"])


# --- contradictions --------------------------------------------------------------------------


def test_relation_conflicts() -> None:
    graph = nx.MultiDiGraph()
    for node in "abc":
        graph.add_node(node, label=node.upper())
    graph.add_edge("a", "b", key="child")
    graph.add_edge("b", "a", key="child")
    graph.add_edge("a", "c", key="child")
    graph.add_edge("a", "c", key="spouse")
    assert relation_conflicts(graph, "a", "b", "child") == ["B is also recorded as the parent of A."]
    assert relation_conflicts(graph, "a", "c", "child") == ["A is recorded as both the parent and the spouse of C."]
    assert relation_conflicts(graph, "a", "c", "spouse") == ["A is also recorded as the parent of C."]
    graph.remove_edge("a", "c", key="spouse")
    assert relation_conflicts(graph, "a", "c", "child") == []


# --- layout ----------------------------------------------------------------------------------


def test_layout_is_deterministic_and_packs_components() -> None:
    graph = nx.MultiDiGraph()
    big = nx.relabel_nodes(nx.cycle_graph(60), {i: f"big{i}" for i in range(60)})
    graph.add_edges_from(big.edges())
    graph.add_edges_from([("small0", "small1"), ("small1", "small2")])
    graph.add_nodes_from(f"lone{i}" for i in range(10))
    first = layout_positions(graph)
    assert first == layout_positions(graph)
    assert set(first) == set(graph.nodes)
    lengths = sorted(math.dist(first[u], first[v]) for u, v in big.edges())
    assert 100 < lengths[len(lengths) // 2] < 140
    big_bottom = max(first[n][1] for n in big)
    assert all(first[n][1] > big_bottom for n in graph if not n.startswith("big"))
    points = {first[n] for n in graph}
    assert len(points) == graph.number_of_nodes()


def test_a_large_graph_starts_with_physics_off() -> None:
    graph = rdflib.Graph()
    people = [URIRef(KGR + f"person/p{i}") for i in range(LARGE_GRAPH + 1)]
    for i, person in enumerate(people):
        graph.add((person, RDF.type, KG.Person))
        graph.add((person, RDFS.label, Literal(f"P{i}")))
        graph.add((person, KG.friend, people[(i + 1) % len(people)]))
    data = payload(render_html(graph))
    assert data["layout"] == "fixed"
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert all("label" not in e and "smooth" not in e for e in data["edges"])
    assert data["options"]["edges"]["smooth"] is False


def test_a_small_graph_lets_physics_settle(sample_graph: rdflib.Graph) -> None:
    assert to_networkx(sample_graph).number_of_nodes() <= SEEDED_LAYOUT
    data = payload(render_html(sample_graph))
    assert data["layout"] == "physics"
    assert data["options"]["physics"].get("enabled", True) is not False
    assert all("x" not in n for n in data["nodes"])


# --- kg viz ----------------------------------------------------------------------------------


def viz(sample_path: Path, tmp_path: Path, *options: str) -> tuple[int, str, dict | None]:
    page = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["viz", str(sample_path), "-o", str(page), *options])
    data = payload(page.read_text(encoding="utf-8")) if result.exit_code == 0 else None
    if page.exists():
        page.unlink()
    return result.exit_code, result.output, data


def test_kg_viz_focus_and_depth(sample_path: Path, tmp_path: Path, network: nx.MultiDiGraph) -> None:
    code, output, data = viz(sample_path, tmp_path, "--focus", "Dana Rourke", "--depth", "1")
    assert code == 0, output
    expected = set(nx.single_source_shortest_path_length(network.to_undirected(), DANA, cutoff=1))
    assert {n["id"] for n in data["nodes"]} == expected
    assert data["view"] == ["within 1 hop of Dana Rourke"]


def test_kg_viz_classes_relations_since(sample_path: Path, tmp_path: Path, network: nx.MultiDiGraph) -> None:
    code, output, data = viz(sample_path, tmp_path, "--classes", "Person,Character", "--relations", "child",
                             "--relations", "plays", "--since", "2023-01-01")
    assert code == 0, output
    assert {d["cls"] for d in data["details"]["nodes"].values()} <= {"Person", "Character"}
    assert {d["predicate"] for d in data["details"]["edges"].values()} <= {"child", "plays"}
    dates = [e["date"] for d in data["details"]["edges"].values() for e in d["evidence"]]
    assert dates and min(dates) >= "2023-01-01"
    assert data["stats"]["articles"] == 1
    assert "evidence since 2023-01-01" in data["view"]


@pytest.mark.parametrize(("options", "code", "message"), [
    (("--classes", "Persn"), 2, "unknown class"),
    (("--relations", "kids"), 2, "unknown relation"),
    (("--depth", "2"), 2, "--depth needs --focus"),
    (("--since", "2023-02-30"), 2, "--since"),
    (("--focus", "Nobody At All"), 1, "no entity is called"),
    (("--focus", "hale"), 1, "could be"),
])
def test_kg_viz_reports_bad_options(
    sample_path: Path, tmp_path: Path, options: tuple[str, ...], code: int, message: str
) -> None:
    exit_code, output, _ = viz(sample_path, tmp_path, *options)
    assert exit_code == code
    assert message in output
    assert not (tmp_path / "page.html").exists()
