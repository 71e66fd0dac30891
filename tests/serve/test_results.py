"""Result formats of kg serve: negotiation, and rows an independent parser reads back."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.serve.results import GRAPH_TYPES, RESULT_TYPES, NotAcceptable, negotiate, write_rows


@pytest.mark.parametrize(
    ("accept", "name"),
    [
        (None, "json"),
        ("", "json"),
        ("*/*", "json"),
        ("application/sparql-results+json", "json"),
        ("application/json", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
        ("text/csv;q=0.5, application/sparql-results+xml", "xml"),
        ("text/csv;q=0.9, text/*;q=0.1", "csv"),
        ("text/html, */*;q=0.1", "json"),
        ("text/html, application/xml;q=0.9, */*;q=0.8", "xml"),
    ],
)
def test_negotiate_results(accept: str | None, name: str) -> None:
    assert negotiate(accept, RESULT_TYPES).name == name


def test_negotiate_graphs_and_format_parameter() -> None:
    assert negotiate("application/ld+json", GRAPH_TYPES).name == "json-ld"
    assert negotiate(None, GRAPH_TYPES).name == "turtle"
    assert negotiate("text/csv", RESULT_TYPES, "tsv").name == "tsv"
    with pytest.raises(NotAcceptable):
        negotiate("text/html", RESULT_TYPES)
    with pytest.raises(NotAcceptable):
        negotiate(None, RESULT_TYPES, "yaml")
    with pytest.raises(NotAcceptable):
        negotiate("text/csv", GRAPH_TYPES)


@pytest.fixture(scope="module")
def solutions() -> tuple[list[str], list[list[object]]]:
    store = ox.Store()
    ex = "http://example.org/"
    store.add(ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "p"), ox.Literal('tab\there "q" <x> & é')))
    store.add(ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "p"), ox.Literal("Ann", language="en")))
    store.add(ox.Quad(ox.NamedNode(ex + "b"), ox.NamedNode(ex + "p"),
                      ox.Literal("0.85", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))))
    store.add(ox.Quad(ox.BlankNode("b0"), ox.NamedNode(ex + "p"), ox.NamedNode(ex + "c")))
    result = store.query("SELECT ?s ?o ?none WHERE { ?s ?p ?o } ORDER BY STR(?o)")
    variables = [v.value for v in result.variables]
    return variables, [[solution[name] for name in variables] for solution in result]


@pytest.mark.parametrize("name", ["json", "xml", "tsv"])
def test_rows_read_back_with_oxigraph(name: str, solutions: tuple[list[str], list[list[object]]]) -> None:
    variables, rows = solutions
    media = next(m for m in RESULT_TYPES if m.name == name)
    fmt = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
           "tsv": ox.QueryResultsFormat.TSV}[name]
    parsed = ox.parse_query_results(write_rows(media, variables, rows), fmt)
    assert [v.value for v in parsed.variables] == variables
    back = [[solution[v] for v in variables] for solution in parsed]
    assert len(back) == len(rows)
    for got, want in zip(back, rows):
        for a, b in zip(got, want):
            if isinstance(b, ox.BlankNode):
                assert isinstance(a, ox.BlankNode)  # parsers may rename blank nodes
            else:
                assert a == b


def test_csv_rows(solutions: tuple[list[str], list[list[object]]]) -> None:
    import csv
    import io

    variables, rows = solutions
    data = write_rows(next(m for m in RESULT_TYPES if m.name == "csv"), variables, rows)
    assert data.count(b"\r\n") == len(rows) + 1
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert parsed[0] == variables
    assert [row[1] for row in parsed[1:]] == [term.value for term in (row[1] for row in rows)]
    assert all(row[2] == "" for row in parsed[1:])
    assert any(row[0].startswith("_:") for row in parsed[1:])
