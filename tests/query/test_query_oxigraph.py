"""The Oxigraph engine gives the answers rdflib gives: every shipped query, ad-hoc queries with
parameters, label hints, timeouts and row limits."""

from __future__ import annotations

import re
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef

from kg.query import QueryError, QueryResult, QueryTimeout, load_graph, named_queries, run_named, run_query
from kg.store import MemoryStore, OxigraphStore

from test_query_named import EXAMPLE_PARAMS

#: More parameter sets per query: other names, other case, names that match nothing.
MORE_PARAMS: dict[str, list[dict[str, str]]] = {
    "children": [{"name": "dana rourke"}, {"name": "TOM"}, {"name": "Nobody"}],
    "parents": [{"name": "Mae Hale"}, {"name": "maisie"}],
    "partners": [{"name": "Tom Hale"}, {"name": "callum vance"}],
    "costars": [{"name": "Rico Lane"}],
    "cast": [{"show": "harbour lane"}, {"character": "NINA BRIGHT"},
             {"show": "Harbour Lane", "character": "Nina Bright"}, {"show": "Nope"}],
    "who-plays": [{"character": "nina"}],
    "shows-of": [{"name": "Nina Bright"}, {"name": "Channel North"}],
    "person-facts": [{"name": "Dana"}, {"name": "mae hale"}],
    "age-conflicts": [{"name": "Tom Hale"}, {"name": "Dana Rourke"}],
    "support": [{"relation": "child"}, {"relation": "COSTAR"}, {"relation": "nothing"},
                {"name": "tom hale"}, {"name": "Mae Hale", "relation": "child"}, {"name": "Nobody"}],
    "entities": [{"class": "person"}, {"class": "Show"}, {"name": "mae"}, {"name": "Harbour Lane"},
                 {"name": "Mae Hale", "class": "Show"}],
    "merges": [{"name": "Mae Hale"}, {"name": "Harbour Lane"}],
    "contradictions": [{"name": "Tom Hale"}],
}


def _cell(value: str | None) -> object:
    """A cell, compared up to what SPARQL leaves to the engine: the order of GROUP_CONCAT
    parts, an empty GROUP_CONCAT ('' or unbound) and a number's lexical form."""
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return tuple(sorted(re.split(r"; | \| | ", value)))


def _normal(result: QueryResult) -> list[tuple[object, ...]]:
    return sorted((tuple(_cell(v) for v in row) for row in result.rows), key=repr)


def _cases(graph_queries: dict[str, list[dict[str, str]]]) -> list[tuple[str, dict[str, str]]]:
    cases = []
    for name in sorted(named_queries()):
        for params in [EXAMPLE_PARAMS.get(name, {}), *graph_queries.get(name, [])]:
            cases.append((name, params))
    return cases


@pytest.fixture(scope="module")
def oxigraph_sample(sample_path: Path) -> OxigraphStore:
    return OxigraphStore.from_file(sample_path)


@pytest.mark.parametrize(("name", "params"), _cases(MORE_PARAMS),
                         ids=lambda value: value if isinstance(value, str) else repr(value))
def test_shipped_queries_agree_with_rdflib(
    sample_graph: rdflib.Graph, oxigraph_sample: OxigraphStore, name: str, params: dict[str, str]
) -> None:
    expected = run_named(sample_graph, name, params)
    got = run_named(oxigraph_sample, name, params)
    assert got.columns == expected.columns
    assert _normal(got) == _normal(expected)


def test_shipped_queries_keep_their_order(sample_graph: rdflib.Graph, oxigraph_sample: OxigraphStore) -> None:
    # ORDER BY keys that identify a row give the same order in both engines.
    for name, params in (("children", {"name": "Dana Rourke"}), ("cast", {}), ("entities", {})):
        expected = run_named(sample_graph, name, params)
        got = run_named(oxigraph_sample, name, params)
        key = [expected.columns.index(c) for c in expected.columns if c.endswith("Label") or c == "label"]
        assert [[row[i] for i in key] for row in got.rows] == [[row[i] for i in key] for row in expected.rows]


def test_builder_graph_agrees_with_rdflib() -> None:
    from kg.graph import build_graph

    from test_query_builder_compat import corpus

    graph = build_graph(corpus())
    store = OxigraphStore()
    store.replace(graph)
    params = {
        "children": [{"name": "Ann Lee"}, {"name": "ann"}], "parents": [{"name": "Zoe Fox"}],
        "partners": [{"name": "Ann"}], "who-plays": [{"character": "Meg"}],
        "shows-of": [{"name": "ann lee"}], "person-facts": [{"name": "Ann Lee"}],
        "cast": [{}], "support": [{}], "entities": [{}], "merges": [{}], "age-conflicts": [{}],
        "costars": [{"name": "Ann Lee"}],
    }
    for name, sets in params.items():
        for values in sets:
            assert _normal(run_named(store, name, values)) == _normal(run_named(graph, name, values)), name


def test_label_forms_cover_every_case_variant() -> None:
    graph = rdflib.Graph()
    a, b = URIRef("https://w3id.org/kg-news/id/person/a"), URIRef("https://w3id.org/kg-news/id/person/b")
    rdfs, skos = rdflib.RDFS, rdflib.SKOS
    graph.add((a, rdfs.label, Literal("Ann Lee")))
    graph.add((b, rdfs.label, Literal("ANN LEE")))
    graph.add((b, skos.altLabel, Literal("ann lee", lang="en")))
    graph.add((a, skos.altLabel, Literal("Annie")))
    store = OxigraphStore()
    store.replace(graph)
    assert store.label_forms("ann LEE") == sorted(['"ANN LEE"', '"Ann Lee"', '"ann lee"@en'])
    assert store.label_forms("nobody") == []
    text = ("SELECT ?e WHERE { { ?e rdfs:label|skos:altLabel ?n . "
            "FILTER(LCASE(STR(?n)) = LCASE(STR(?who))) } }")
    hinted = run_query(store, "# param: who — a name\n# match: ?n ~ ?who\n" + text, {"who": "ann lee"})
    plain = run_query(graph, text, {"who": "ann lee"})
    assert sorted(hinted.rows) == sorted(plain.rows) == [(str(a),), (str(b),), (str(b),)]


def test_adhoc_parameters_are_bound_everywhere(oxigraph_sample: OxigraphStore, sample_graph: rdflib.Graph) -> None:
    # the nested group sees ?prefix although nothing in it binds the variable
    text = ("SELECT ?label WHERE { ?p a kg:Person ; rdfs:label ?label . "
            "{ ?p rdfs:label ?name FILTER(STRSTARTS(?name, ?prefix)) } } ORDER BY ?label")
    for source in (oxigraph_sample, sample_graph):
        result = run_query(source, text, {"prefix": "Dana"})
        assert result.rows == (("Dana Rourke",),)


def test_result_kinds(oxigraph_sample: OxigraphStore) -> None:
    ask = run_query(oxigraph_sample, "ASK { ?p a kg:Person }")
    assert ask.kind == "ASK" and ask.boolean is True
    construct = run_query(oxigraph_sample, "CONSTRUCT { ?p a kg:Person } WHERE { ?p a kg:Person }")
    assert construct.kind == "CONSTRUCT" and len(construct.rows) == 8
    assert rdflib.Graph().parse(data=construct.graph, format="turtle").__len__() == 8
    describe = run_query(oxigraph_sample, "DESCRIBE <https://w3id.org/kg-news/id/person/dana-rourke>")
    assert describe.kind == "DESCRIBE" and describe.rows


def test_syntax_error_names_the_position(oxigraph_sample: OxigraphStore) -> None:
    with pytest.raises(QueryError, match=r"SPARQL syntax error at 1:\d+ in the query: "):
        run_query(oxigraph_sample, "SELECT ?x WHERE { ?x ?y }")


def test_limit_truncates(oxigraph_sample: OxigraphStore, sample_graph: rdflib.Graph) -> None:
    for source in (oxigraph_sample, sample_graph):
        result = run_query(source, "SELECT * WHERE { ?s ?p ?o }", limit=5)
        assert len(result) == 5 and result.truncated
        assert not run_query(source, "SELECT * WHERE { ?s ?p ?o } LIMIT 3", limit=5).truncated


def test_timeout_returns_in_time(oxigraph_sample: OxigraphStore) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.perf_counter()
    with pytest.raises(QueryTimeout, match="timed out after 0.2 s"):
        run_query(oxigraph_sample, slow, timeout=0.2)
    assert time.perf_counter() - started < 5


def test_memory_store_is_the_rdflib_engine(sample_graph: rdflib.Graph) -> None:
    store = MemoryStore(sample_graph)
    assert store.engine == "rdflib" and len(store) == len(sample_graph)
    result = run_named(store, "children", {"name": "Dana Rourke"})
    assert result.rows == run_named(sample_graph, "children", {"name": "Dana Rourke"}).rows
    for name, params in _cases(MORE_PARAMS):  # "#if" blocks included, their parameter given or not
        assert _normal(run_named(store, name, params)) == _normal(run_named(sample_graph, name, params))


def test_load_errors_name_the_file(tmp_path: Path) -> None:
    from kg.store import StoreError

    broken = tmp_path / "broken.ttl"
    broken.write_text("not turtle <<<\n")
    with pytest.raises(StoreError, match="broken.ttl"):
        OxigraphStore.from_file(broken)
    with pytest.raises(StoreError, match="suffix"):
        OxigraphStore.from_file(tmp_path / "graph.xyz")


def test_quads_are_merged_into_one_graph(tmp_path: Path, sample_graph: rdflib.Graph) -> None:
    from kg.export import write_graph

    path = write_graph(sample_graph, tmp_path / "graph.trig", "trig")
    store = OxigraphStore.from_file(path)
    assert len(store) == len(load_graph(path))
    assert run_named(store, "children", {"name": "Dana Rourke"}).rows
