"""SPARQL syntax errors in words, with a caret, the same on both engines (issue: clear errors)."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from kg.query import QueryError, describe_syntax_error, run_query
from kg.store.oxigraph import OxigraphStore


@pytest.fixture(scope="module")
def engines(sample_path: Path) -> dict[str, object]:
    return {"rdflib": rdflib.Graph().parse(sample_path), "oxigraph": OxigraphStore.from_file(sample_path)}


def _message(source: object, sparql: str) -> str:
    with pytest.raises(QueryError) as info:
        run_query(source, sparql)  # type: ignore[arg-type]
    return str(info.value)


def _caret_column(message: str) -> int:
    """The 1-based column the caret line points at (both excerpt lines are indented by 2)."""
    caret = next(line for line in message.splitlines() if line.strip() == "^")
    return caret.index("^") - 2 + 1


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_unknown_prefix_is_named_with_a_caret(engines: dict[str, object], engine: str) -> None:
    sparql = "SELECT ?x WHERE { ?x foo:bar ?y }"
    message = _message(engines[engine], sparql)
    assert "unknown prefix foo:" in message
    assert "\\u{" not in message and "..=" not in message
    assert "at 1:22" in message
    assert _caret_column(message) == sparql.index("foo:") + 1
    assert "PREFIX foo: <IRI>" in message


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_missing_brace_says_what_is_expected(engines: dict[str, object], engine: str) -> None:
    sparql = "SELECT ?x WHERE {\n  ?x a kg:Person .\n  ?x rdfs:label ?l"
    message = _message(engines[engine], sparql)
    assert "expected '}' " not in message  # one sentence, no grammar listing
    assert "the query ends before it is complete: expected '}'" in message
    assert "at 3:19" in message
    lines = message.splitlines()
    assert lines[1] == "    ?x rdfs:label ?l"
    assert _caret_column(message) == 19


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_stray_token_is_pointed_at(engines: dict[str, object], engine: str) -> None:
    sparql = "SELECT ?x WHERE {\n  ?x a kg:Person .\n  ?x rdfs:label ?l ) }"
    message = _message(engines[engine], sparql)
    assert "unexpected ')'" in message and "at 3:20" in message
    assert _caret_column(message) == 20


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_unclosed_string_and_misspelt_keyword(engines: dict[str, object], engine: str) -> None:
    assert "this string is not closed" in _message(engines[engine], 'SELECT ?x WHERE { ?x ?p "abc }')
    message = _message(engines[engine], "SELEC ?x WHERE { ?x ?p ?o }")
    assert "unexpected 'SELEC'" in message and "SELECT, ASK, CONSTRUCT or DESCRIBE" in message


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_an_update_is_refused_as_read_only(engines: dict[str, object], engine: str) -> None:
    message = _message(engines[engine], "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert "read-only" in message and "expected CONSTRUCT" not in message


def test_describe_takes_a_bare_message() -> None:
    text = describe_syntax_error("SELECT ?x WHERE { ?x ?p ?o", "error at 1:27: expected one of \"}\", [_]")
    assert text.startswith("SPARQL syntax error at 1:27: the query ends before it is complete")
    assert describe_syntax_error("SELECT", "something odd").startswith("SPARQL syntax error")


def test_the_server_400_uses_the_same_words(sample_path: Path) -> None:
    from kg.serve.execute import execute
    from kg.serve.worker import Job

    store = OxigraphStore.from_file(sample_path)
    answer = execute(store, Job("SELECT ?x WHERE { ?x foo:bar ?y }", "SELECT", "json", 10, (), ()))
    body = answer.body.decode()
    assert answer.status == "bad-query"
    assert "unknown prefix foo:" in body and "\\u{" not in body and "^" in body
