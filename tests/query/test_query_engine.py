"""kg.query.engine: loading graphs, running ad-hoc and named queries, and its errors."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import rdflib

from kg.query import NamedQuery, QueryError, QueryResult, load_graph, named_queries, run_named, run_query

KGR = "https://w3id.org/kg-news/id/"


def test_missing_parameter_names_it(sample_graph: rdflib.Graph) -> None:
    with pytest.raises(QueryError) as info:
        run_named(sample_graph, "children")
    message = str(info.value)
    assert "'name'" in message and "children" in message and "missing" in message
    with pytest.raises(QueryError, match="'character'"):
        run_named(sample_graph, "who-plays", {"character": ""})


def test_unknown_parameter_lists_the_accepted_ones(sample_graph: rdflib.Graph) -> None:
    with pytest.raises(QueryError, match=r"nme.*it takes: name"):
        run_named(sample_graph, "children", {"nme": "Dana"})


def test_unknown_query_suggests_a_name(sample_graph: rdflib.Graph) -> None:
    with pytest.raises(QueryError, match=r"unknown query 'childs'.*did you mean children"):
        run_named(sample_graph, "childs", {"name": "Dana"})


def test_syntax_error_carries_rdflib_message(sample_graph: rdflib.Graph) -> None:
    with pytest.raises(QueryError) as info:
        run_query(sample_graph, "SELECT ?x WHERE { ?x a kg:Person ")
    message = str(info.value)
    assert message.startswith("SPARQL syntax error")
    assert "Expected" in message or "expected" in message  # pyparsing's own words
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        run_query(sample_graph, "SELECT ?x WHERE { ?x a nope:Thing }")


def test_ad_hoc_select_with_default_prefixes_and_a_parameter(sample_graph: rdflib.Graph) -> None:
    result = run_query(
        sample_graph,
        "SELECT ?person WHERE { ?person a kg:Person ; rdfs:label ?label FILTER(?label = ?who) }",
        {"who": "Tom Hale"},
    )
    assert result.columns == ("person",)
    assert result.rows == ((KGR + "person/tom-hale",),)
    assert isinstance(result.terms[0][0], rdflib.URIRef)


def test_ad_hoc_parameter_must_be_a_variable(sample_graph: rdflib.Graph) -> None:
    with pytest.raises(QueryError, match=r"\?whom"):
        run_query(sample_graph, "SELECT ?s WHERE { ?s rdfs:label ?who }", {"whom": "x"})


def test_ad_hoc_query_with_a_header_checks_its_parameters(sample_graph: rdflib.Graph) -> None:
    text = "# title: t\n# param: who — a label\nSELECT ?s WHERE { ?s rdfs:label ?who }\n"
    assert len(run_query(sample_graph, text, {"who": "Tom Hale"}).rows) == 1
    with pytest.raises(QueryError, match="'who'"):
        run_query(sample_graph, text)


def test_unbound_values_are_none(sample_graph: rdflib.Graph) -> None:
    result = run_query(sample_graph, "SELECT ?s ?missing WHERE { ?s a kg:Show OPTIONAL { ?s kg:nothing ?missing } }")
    assert len(result.rows) == 2
    assert all(row[1] is None for row in result.rows)


def test_ask(sample_graph: rdflib.Graph) -> None:
    yes = run_query(sample_graph, "ASK { ?s kg:exPartner ?o }")
    assert (yes.kind, yes.columns, yes.rows, yes.boolean) == ("ASK", ("ask",), (("true",),), True)
    no = run_query(sample_graph, "ASK { ?s kg:friend ?o }")
    assert no.rows == (("false",),) and no.boolean is False


def test_construct_returns_turtle(sample_graph: rdflib.Graph) -> None:
    result = run_query(sample_graph, "CONSTRUCT { ?p kg:parentOf ?c } WHERE { ?p kg:child ?c }")
    assert result.kind == "CONSTRUCT"
    assert result.columns == ("subject", "predicate", "object")
    assert len(result.rows) == 7
    parsed = rdflib.Graph().parse(data=result.graph, format="turtle")
    assert len(parsed) == 7


def test_describe_returns_turtle(sample_graph: rdflib.Graph) -> None:
    result = run_query(sample_graph, f"DESCRIBE <{KGR}show/harbour-lane>")
    assert result.kind == "DESCRIBE"
    parsed = rdflib.Graph().parse(data=result.graph, format="turtle")
    assert (rdflib.URIRef(KGR + "show/harbour-lane"), rdflib.RDFS.label, rdflib.Literal("Harbour Lane")) in parsed


def test_results_are_frozen(sample_graph: rdflib.Graph) -> None:
    result = run_named(sample_graph, "entities")
    assert isinstance(result, QueryResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.rows = ()  # type: ignore[misc]
    query = named_queries()["children"]
    assert isinstance(query, NamedQuery)
    with pytest.raises(dataclasses.FrozenInstanceError):
        query.text = ""  # type: ignore[misc]


@pytest.mark.parametrize("suffix, fmt", [(".nt", "nt"), (".jsonld", "json-ld"), (".ttl", "turtle")])
def test_load_graph_guesses_the_format(tmp_path: Path, sample_graph: rdflib.Graph, suffix: str, fmt: str) -> None:
    path = tmp_path / f"graph{suffix}"
    sample_graph.serialize(path, format=fmt, encoding="utf-8")
    assert len(load_graph(path)) == len(sample_graph)
    assert len(load_graph(str(path))) == len(sample_graph)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own quad serialisers
@pytest.mark.parametrize("suffix, fmt", [(".trig", "trig"), (".nq", "nquads")])
def test_load_graph_merges_named_graphs(tmp_path: Path, sample_graph: rdflib.Graph, suffix: str, fmt: str) -> None:
    dataset = rdflib.Dataset()
    named = dataset.graph(rdflib.URIRef(KGR + "graph/main"))
    for triple in sample_graph:
        named.add(triple)
    path = tmp_path / f"graph{suffix}"
    dataset.serialize(path, format=fmt)
    graph = load_graph(path)
    assert len(graph) == len(sample_graph)
    assert len(run_named(graph, "children", {"name": "Dana Rourke"}).rows) == 3


def test_load_graph_from_several_files(tmp_path: Path, sample_graph: rdflib.Graph) -> None:
    triples = sorted(sample_graph, key=lambda t: tuple(map(str, t)))
    first, second = rdflib.Graph(), rdflib.Graph()
    for index, triple in enumerate(triples):
        (first if index % 2 else second).add(triple)
    first.serialize(tmp_path / "a.ttl", format="turtle")
    second.serialize(tmp_path / "b.nt", format="nt", encoding="utf-8")
    assert len(load_graph([tmp_path / "a.ttl", tmp_path / "b.nt"])) == len(sample_graph)


def test_load_graph_errors(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="not found"):
        load_graph(tmp_path / "missing.ttl")
    (tmp_path / "graph.csv").write_text("a,b\n")
    with pytest.raises(QueryError, match="suffix"):
        load_graph(tmp_path / "graph.csv")
    (tmp_path / "broken.ttl").write_text("this is not turtle")
    with pytest.raises(QueryError, match="broken.ttl"):
        load_graph(tmp_path / "broken.ttl")
    with pytest.raises(QueryError):
        load_graph([])
