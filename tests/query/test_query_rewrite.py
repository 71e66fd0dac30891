"""Token-level SPARQL edits (kg.query.rewrite): parameter substitution and label hints."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.query.rewrite import (
    ParameterError,
    insert_values,
    operation_keyword,
    select_blocks,
    sparql_string,
    substitute,
)


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("PREFIX select: <http://x/> ASK { ?s select:p ?o }", "ASK"),
        ("# INSERT in a comment\nBASE <http://x/> CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("describe <http://x/a>", "DESCRIBE"),
        ("PREFIX kg: <http://x/> INSERT DATA { kg:a kg:b kg:c }", "INSERT"),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
        ("LOAD <http://x/data.ttl>", "LOAD"),
        ('SELECT ("INSERT" AS ?x) {}', "SELECT"),
        ("", None),
        ("# only a comment", None),
    ],
)
def test_operation_keyword(text: str, keyword: str | None) -> None:
    assert operation_keyword(text) == keyword


def test_sparql_string_escapes_what_sparql_needs() -> None:
    value = 'say "hi"\\ \n\r\t done'
    store = ox.Store()
    [solution] = list(store.query(f"SELECT ?v WHERE {{ BIND({sparql_string(value)} AS ?v) }}"))
    assert solution["v"].value == value


def test_substitute_replaces_variables_outside_strings_iris_and_comments() -> None:
    text = (
        '# ?name in a comment\n'
        'SELECT ?x WHERE { ?x <http://x/p?name=1> "?name" . FILTER(?x = ?name || $name = 1) }'
    )
    out = substitute(text, {"name": '"Ann"'})
    assert out.startswith("# ?name in a comment\n")
    assert '<http://x/p?name=1> "?name"' in out
    assert 'FILTER(?x = "Ann" || "Ann" = 1)' in out
    assert "?namely" not in substitute("SELECT ?namely {}", {"name": '"x"'}).replace("?namely", "")


def test_substitute_turns_bound_into_true() -> None:
    out = substitute("SELECT * { FILTER(!BOUND( ?name ) || bound(?name)) }", {"name": '"A"'})
    assert out == "SELECT * { FILTER(!true || true) }"


def test_substitute_keeps_a_projected_parameter_as_a_column() -> None:
    out = substitute("SELECT ?name ?x WHERE { ?x ?p ?name } ORDER BY ?name", {"name": '"A"'})
    assert out == 'SELECT ("A" AS ?name) ?x WHERE { ?x ?p "A" } ORDER BY ("A")'
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("A")))
    [solution] = list(store.query(out))
    assert solution["name"].value == "A"


@pytest.mark.parametrize(
    "text",
    ["SELECT (1 AS ?name) {}", "SELECT * { VALUES ?name { 1 } }", "SELECT * { BIND(1 AS ?name) }"],
)
def test_substitute_refuses_a_variable_the_query_assigns(text: str) -> None:
    with pytest.raises(ParameterError, match=r"\?name"):
        substitute(text, {"name": '"A"'})


def test_insert_values_goes_into_every_group_that_holds_the_variable() -> None:
    text = (
        "SELECT ?e WHERE { ?x ?y ?z . { ?e <l> ?n FILTER(?n = 1) } "
        "FILTER EXISTS { ?e <a> ?n } }"
    )
    out = insert_values(text, "n", ['"A"', '"a"'])
    block = ' VALUES ?n { "A" "a" } '
    assert out == (
        "SELECT ?e WHERE { ?x ?y ?z . {" + block + " ?e <l> ?n FILTER(?n = 1) } "
        "FILTER EXISTS {" + block + " ?e <a> ?n } }"
    )


def test_insert_values_skips_the_construct_template() -> None:
    out = insert_values("CONSTRUCT { ?e <p> ?n } WHERE { ?e <l> ?n }", "n", ['"A"'])
    assert out == 'CONSTRUCT { ?e <p> ?n } WHERE { VALUES ?n { "A" }  ?e <l> ?n }'


def test_insert_values_needs_the_variable_in_a_group() -> None:
    with pytest.raises(ParameterError):
        insert_values("SELECT ?n WHERE { ?a ?b ?c }", "n", ['"A"'])


BLOCKS = """SELECT * WHERE {
#if ?name
  ?e rdfs:label ?name .
#if ?show
  ?e kg:actsIn ?s . ?s rdfs:label ?show .
#end
#end
#if !?name
  ?e a kg:Person .
#end
  ?e ?p ?o .
}
"""


@pytest.mark.parametrize(
    ("given", "kept", "dropped"),
    [
        (set(), ["?e a kg:Person", "?e ?p ?o"], ["rdfs:label ?name", "kg:actsIn"]),
        ({"name"}, ["rdfs:label ?name", "?e ?p ?o"], ["kg:actsIn", "?e a kg:Person"]),
        ({"name", "show"}, ["rdfs:label ?name", "kg:actsIn", "?e ?p ?o"], ["?e a kg:Person"]),
        ({"show"}, ["?e a kg:Person"], ["kg:actsIn", "rdfs:label ?name"]),  # nested in a dropped block
    ],
)
def test_conditional_blocks(given: set[str], kept: list[str], dropped: list[str]) -> None:
    text = select_blocks(BLOCKS, given)
    for part in kept:
        assert part in text
    for part in dropped:
        assert part not in text
    ox.Store().query("PREFIX kg: <http://x/> PREFIX rdfs: <http://y/>\n" + text)  # still SPARQL


def test_ordinary_comments_are_not_blocks() -> None:
    text = "# if you read this\n# end of story\nSELECT * WHERE { ?s ?p ?o }\n"
    assert select_blocks(text, set()) == text


@pytest.mark.parametrize("text", ["#if ?a\nSELECT * {}", "SELECT * {}\n#end", "#if\nx\n#end"])
def test_unbalanced_blocks_are_refused(text: str) -> None:
    with pytest.raises(ParameterError):
        select_blocks(text, {"a"})
