"""kg.query.safety: SERVICE found by reading SPARQL tokens (not by a substring match), allowed
only under a given URL prefix; nesting measured outside strings, IRIs and comments."""

from __future__ import annotations

import pytest

from kg.query import QueryError
from kg.query.engine import NAMESPACES
from kg.query.safety import MAX_NESTING, QueryRefused, check_query, find_services, nesting_depth


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" }',
    "SELECT * WHERE { ?s ?p '''it's a SERVICE <http://x/> {''' }",
    "SELECT ?service WHERE { ?service ?p ?o } # SERVICE <http://x/> { }",
    "PREFIX service: <http://x/> SELECT * WHERE { ?s service:SERVICE ?o }",
    'SELECT * WHERE { ?s ?p "x"@service }',
    "SELECT * WHERE { ?s <http://x/SERVICE> ?o }",
])
def test_no_service_where_only_the_word_is(query: str) -> None:
    assert find_services(query, NAMESPACES) == []
    check_query(query)


@pytest.mark.parametrize(("query", "iri"), [
    ("SELECT * WHERE { service <http://10.0.0.1/sparql> { ?s ?p ?o } }", "http://10.0.0.1/sparql"),
    ("PREFIX e: <http://h:1/> SELECT * WHERE { SERVICE SILENT e:q { ?s ?p ?o } }", "http://h:1/q"),
    ("BASE <http://h/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }", "http://h/sparql"),
    ("SELECT * WHERE { SERVICE <http\\u003A//evil/> { } }", "http://evil/"),
    ("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", None),
    ("SELECT * WHERE { FILTER(?a<3&&?b>2) SERVICE\n#x\n<http://y/> { } }", "http://y/"),
])
def test_service_is_found_and_refused_by_default(query: str, iri: str | None) -> None:
    (service,) = find_services(query, NAMESPACES)
    assert service.iri == iri
    with pytest.raises(QueryRefused, match="is refused") as refused:
        check_query(query, namespaces=NAMESPACES)
    assert isinstance(refused.value, QueryError) and "--allow-service" in str(refused.value)


def test_allow_service_admits_only_its_prefix() -> None:
    allowed = ("http://127.0.0.1:7878",)
    check_query("SELECT * { SERVICE <http://127.0.0.1:7878/query> { } }", allow_service=allowed)
    for other in ("http://127.0.0.1:78780/query", "http://127.0.0.1:7878@10.0.0.1/",
                  "http://127.0.0.2:7878/"):
        with pytest.raises(QueryRefused):
            check_query(f"SELECT * {{ SERVICE <{other}> {{ }} }}", allow_service=allowed)
    with pytest.raises(QueryRefused):  # a variable endpoint could be anything
        check_query("SELECT * { SERVICE ?e { } }", allow_service=allowed)


def test_nesting_is_counted_outside_strings() -> None:
    assert nesting_depth("SELECT * WHERE { { ?s ?p '{{{{' } }") == 2
    deep = "SELECT * WHERE " + "{" * 3000 + "}" * 3000
    assert nesting_depth(deep) == 3000
    with pytest.raises(QueryRefused, match=f"at most {MAX_NESTING} deep"):
        check_query(deep)
    check_query("SELECT * WHERE " + "{" * MAX_NESTING + "}" * MAX_NESTING)
