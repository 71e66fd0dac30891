"""kg.query.formatting: CSV, SPARQL 1.1 JSON, rich tables and pandas DataFrames."""

from __future__ import annotations

import csv
import io
import json

import pytest
import rdflib
from rdflib import URIRef
from rich.console import Console

from kg.query import (
    QueryResult,
    run_named,
    run_query,
    sparql_term,
    to_csv,
    to_dataframe,
    to_json,
    to_table,
)

XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def test_csv_is_well_formed(sample_graph: rdflib.Graph) -> None:
    result = run_named(sample_graph, "children", {"name": "Dana Rourke"})
    text = to_csv(result)
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == result.columns
    assert len(rows) == 1 + len(result.rows)
    assert all(len(row) == len(result.columns) for row in rows)


def test_csv_quotes_commas_and_leaves_unbound_empty(sample_graph: rdflib.Graph) -> None:
    result = run_named(sample_graph, "person-facts", {"name": "Tom Hale"})
    rows = list(csv.DictReader(io.StringIO(to_csv(result))))
    assert any("," in row["sentence"] for row in rows)
    relation_rows = [row for row in rows if row["relation"] == "child"]
    assert relation_rows and all(row["detail"] == "" for row in relation_rows)


def test_json_follows_the_sparql_results_format(sample_graph: rdflib.Graph) -> None:
    result = run_named(sample_graph, "children", {"name": "Dana Rourke"})
    document = json.loads(to_json(result))
    assert document["head"]["vars"] == list(result.columns)
    bindings = document["results"]["bindings"]
    assert len(bindings) == 3
    first = bindings[0]
    assert first["parent"] == {"type": "uri", "value": "https://w3id.org/kg-news/id/person/dana-rourke"}
    assert first["childLabel"]["type"] == "literal"
    assert first["articles"]["datatype"] == XSD_INTEGER
    for binding in bindings:
        for value in binding.values():
            assert value["type"] in {"uri", "literal", "bnode"}
            assert isinstance(value["value"], str)


def test_json_omits_unbound_variables(sample_graph: rdflib.Graph) -> None:
    result = run_named(sample_graph, "costars", {"name": "Rico Lane"})
    bindings = json.loads(to_json(result))["results"]["bindings"]
    stated = next(b for b in bindings if b["basis"]["value"] == "coStar")
    assert "show" not in stated and "showLabel" not in stated


def test_json_of_plain_rows_without_terms() -> None:
    result = QueryResult(("a", "b"), (("x", None),))
    assert json.loads(to_json(result)) == {
        "head": {"vars": ["a", "b"]},
        "results": {"bindings": [{"a": {"type": "literal", "value": "x"}}]},
    }


def test_json_of_ask_and_construct(sample_graph: rdflib.Graph) -> None:
    assert json.loads(to_json(run_query(sample_graph, "ASK { ?s kg:spouse ?o }"))) == {"head": {}, "boolean": True}
    construct = run_query(sample_graph, "CONSTRUCT { ?s kg:spouse ?o } WHERE { ?s kg:spouse ?o }")
    document = json.loads(to_json(construct))
    assert document["head"]["vars"] == ["subject", "predicate", "object"]
    assert len(document["results"]["bindings"]) == 2


def test_table(sample_graph: rdflib.Graph) -> None:
    result = run_named(sample_graph, "support")
    table = to_table(result, title="support")
    assert len(table.columns) == len(result.columns)
    assert table.row_count == len(result.rows)
    console = Console(width=400, record=True, color_system=None)
    console.print(table)
    text = console.export_text()
    assert "<https://w3id.org/kg-news/id/person/dana-rourke>" in text  # pasteable SPARQL
    assert "kgr:person/" not in text
    assert "Ellis Hale" in text
    articles = table.columns[result.columns.index("articles")]
    assert articles.justify == "right"


def test_table_of_nothing() -> None:
    table = to_table(QueryResult(("a",), ()))
    assert table.row_count == 0 and table.caption == "no results"


def test_to_df_gives_a_dataframe_with_python_values(sample_graph: rdflib.Graph) -> None:
    pandas = pytest.importorskip("pandas")
    result = run_query(sample_graph, "SELECT ?who ?name (COUNT(?c) AS ?children) WHERE { "
                                     "?who rdfs:label ?name ; kg:child ?c } GROUP BY ?who ?name ORDER BY ?name")
    frame = result.to_df()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == ["who", "name", "children"]
    assert len(frame) == len(result.rows)
    assert frame["children"].map(type).eq(int).all()
    assert frame["who"].iloc[0].startswith("https://w3id.org/kg-news/id/")
    assert result.to_df(compact=True)["who"].iloc[0].startswith("<https://")
    assert bool(to_dataframe(run_query(sample_graph, "ASK { ?s ?p ?o }")).iloc[0, 0]) is True


def test_compact_iris_are_legal_sparql() -> None:
    assert sparql_term(URIRef("https://w3id.org/kg-news/ontology#Person")) == "kg:Person"
    assert sparql_term(URIRef("https://w3id.org/kg-news/id/person/kym-marsh")) == (
        "<https://w3id.org/kg-news/id/person/kym-marsh>")
    assert sparql_term(URIRef("https://w3id.org/kg-news/ontology#odd.")) == (
        "<https://w3id.org/kg-news/ontology#odd.>")
