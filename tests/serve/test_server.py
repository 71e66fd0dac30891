"""kg serve over HTTP: the SPARQL 1.1 Protocol, content negotiation, refusals and limits,
driven with a real client (httpx) against a server on a free loopback port."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from serve_process import kg_serve

from kg.query import load_graph, run_named
from kg.serve import ServerConfig, SparqlServer
from kg.store import KgStore

PERSONS = "SELECT ?p ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LIMIT = 50


@pytest.fixture(scope="module")
def server(store_dir: Path) -> Iterator[SparqlServer]:
    server = SparqlServer(store_dir, port=0, config=ServerConfig(timeout=1.5, limit=LIMIT, quiet=True))
    server.start()
    yield server
    server.close()


@pytest.fixture()
def client(server: SparqlServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


def test_get_returns_standard_sparql_json(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": PERSONS})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    document = response.json()
    assert document["head"] == {"vars": ["p", "name"]}
    bindings = document["results"]["bindings"]
    assert len(bindings) == 8
    assert bindings[0]["p"] == {"type": "uri", "value": "https://w3id.org/kg-news/id/person/callum-vance"}
    assert bindings[0]["name"] == {"type": "literal", "value": "Callum Vance"}
    assert "access-control-allow-origin" not in response.headers  # CORS is opt-in (--cors)


def test_post_form_and_post_query(client: httpx.Client) -> None:
    form = client.post("/sparql", data={"query": PERSONS})
    direct = client.post("/sparql", content=PERSONS.encode(),
                         headers={"Content-Type": "application/sparql-query"})
    assert form.status_code == direct.status_code == 200
    assert form.json() == direct.json() == client.get("/sparql", params={"query": PERSONS}).json()


@pytest.mark.parametrize(
    ("accept", "content_type", "fmt"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("application/sparql-results+json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ],
)
def test_select_formats_by_accept(client: httpx.Client, accept: str, content_type: str, fmt: object) -> None:
    response = client.get("/sparql", params={"query": PERSONS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(content_type)
    parsed = ox.parse_query_results(response.content, fmt)
    assert [s["name"].value for s in parsed][:2] == ["Callum Vance", "Dana Rourke"]


def test_csv_by_accept_and_format_parameter(client: httpx.Client) -> None:
    by_accept = client.get("/sparql", params={"query": PERSONS}, headers={"Accept": "text/csv"})
    by_param = client.get("/sparql", params={"query": PERSONS, "format": "csv"})
    assert by_accept.text == by_param.text
    lines = by_accept.text.split("\r\n")
    assert lines[0] == "p,name" and lines[1] == "https://w3id.org/kg-news/id/person/callum-vance,Callum Vance"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own JSON-LD parser
def test_ask_and_construct(client: httpx.Client) -> None:
    ask = client.get("/sparql", params={"query": "ASK { ?p a kg:Person }"})
    assert ask.json() == {"head": {}, "boolean": True}
    construct = "CONSTRUCT { ?p rdfs:label ?name } WHERE { ?p a kg:Person ; rdfs:label ?name }"
    turtle = client.get("/sparql", params={"query": construct})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=turtle.text, format="turtle")) == 8
    jsonld = client.get("/sparql", params={"query": construct}, headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert len(rdflib.Graph().parse(data=jsonld.text, format="json-ld")) == 8


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "url": "/sparql",
         "params": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"method": "POST", "url": "/sparql", "data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"method": "POST", "url": "/sparql", "content": b"DELETE WHERE { ?s ?p ?o }",
         "headers": {"Content-Type": "application/sparql-update"}},
        {"method": "POST", "url": "/sparql", "content": b"PREFIX x: <urn:x> CLEAR ALL",
         "headers": {"Content-Type": "application/sparql-query"}},
    ],
    ids=["get-insert", "form-update", "sparql-update", "clear-as-query"],
)
def test_updates_are_refused(client: httpx.Client, request_kwargs: dict[str, object]) -> None:
    before = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).json()
    response = client.request(**request_kwargs)  # type: ignore[arg-type]
    assert response.status_code == 403
    assert "read-only" in response.text
    after = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).json()
    assert before == after


def test_malformed_query_is_400_with_the_position(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE {\n  ?x ?y }"})
    assert response.status_code == 400
    assert "SPARQL syntax error" in response.text
    assert "error at 2:" in response.text


def test_timeout_is_503_and_the_server_goes_on(client: httpx.Client) -> None:
    started = time.perf_counter()
    response = client.get("/sparql", params={"query": SLOW})
    assert response.status_code == 503
    assert "timed out" in response.text
    assert time.perf_counter() - started < 10
    for _ in range(3):  # the stopped worker is replaced; the others answer meanwhile
        assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


def test_rows_are_capped(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == LIMIT
    assert response.headers["x-kg-truncated"].startswith("true")
    small = client.get("/sparql", params={"query": PERSONS})
    assert "x-kg-truncated" not in small.headers and small.headers["x-kg-rows"] == "8"


PREFLIGHT = {"Origin": "https://example.org", "Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "content-type"}


def test_no_cors_headers_by_default(client: httpx.Client) -> None:
    """Was: ``Access-Control-Allow-Origin: *`` on every answer, so any web page could read it."""
    response = client.options("/sparql", headers=PREFLIGHT)
    assert response.status_code == 204
    assert not any(key.startswith("access-control-") for key in response.headers)
    answer = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert not any(key.startswith("access-control-") for key in answer.headers)


def test_cors_preflight_for_an_allowed_origin(store_dir: Path) -> None:
    with _server(store_dir, cors=("https://example.org",)) as base, httpx.Client(base_url=base) as http:
        response = http.options("/sparql", headers=PREFLIGHT)
        assert response.status_code == 204
        assert response.headers["access-control-allow-origin"] == "https://example.org"
        assert "POST" in response.headers["access-control-allow-methods"]
        assert "content-type" in response.headers["access-control-allow-headers"].lower()
        other = http.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_shipped_queries_over_http(client: httpx.Client, sample_graph: rdflib.Graph) -> None:
    listed = client.get("/queries").json()
    assert "children" in {query["name"] for query in listed}
    response = client.get("/queries/children", params={"name": "dana rourke"})
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    expected = run_named(sample_graph, "children", {"name": "dana rourke"})
    assert sorted(r["childLabel"]["value"] for r in rows) == sorted(
        row[expected.columns.index("childLabel")] for row in expected.rows)
    assert client.get("/queries/children").status_code == 400
    assert client.get("/queries/no-such-query").status_code == 404


def test_query_page_is_offline_and_lists_the_examples(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "children" in page.text and "who-plays" in page.text
    assert "<script src" not in page.text and "<link" not in page.text


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status"),
    [
        ("GET", "/nothing-here", {}, 404),
        ("PUT", "/sparql", {"content": b"x"}, 405),
        ("POST", "/sparql", {"content": b"x", "headers": {"Content-Type": "text/plain"}}, 415),
        ("GET", "/sparql", {"params": {"query": PERSONS}, "headers": {"Accept": "text/html"}}, 406),
        ("GET", "/sparql", {"params": {"query": PERSONS, "default-graph-uri": "urn:g"}}, 400),
        ("GET", "/sparql", {}, 400),
        ("GET", "/sparql", {"params": {"query": "hello"}}, 400),
    ],
    ids=["404", "405", "415", "406", "dataset", "no-query", "not-a-query"],
)
def test_protocol_errors(client: httpx.Client, method: str, url: str, kwargs: dict[str, object],
                         status: int) -> None:
    response = client.request(method, url, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    assert response.text.strip()
    assert response.headers["x-content-type-options"] == "nosniff"


def test_serve_a_graph_file(sample_path: Path) -> None:
    server = SparqlServer(sample_path, port=0, config=ServerConfig(workers=1, quiet=True))
    server.start()
    try:
        answer = httpx.get(server.url + "sparql", params={"query": "ASK { ?p a kg:Person }"}, timeout=30)
        assert answer.json()["boolean"] is True
    finally:
        server.close()
    assert not server.snapshot.path.exists()


@contextlib.contextmanager
def _server(source: Path, **settings: object) -> Iterator[str]:
    """A server of its own on a free loopback port; yields its base URL."""
    config = ServerConfig(**{"workers": 1, "quiet": True, **settings})  # type: ignore[arg-type]
    server = SparqlServer(source, port=0, config=config)
    server.start()
    try:
        yield server.url
    finally:
        server.close()


def test_kg_serve_command_answers_curl(store_dir: Path) -> None:
    with kg_serve(store_dir) as (_, url):
        curl = shutil.which("curl")
        if curl is not None:
            out = subprocess.run([curl, "-s", "-G", url, "--data-urlencode", f"query={PERSONS}"],
                                 check=True, capture_output=True, timeout=30).stdout
        else:
            out = httpx.get(url, params={"query": PERSONS}, timeout=30).content
        document = json.load(io.BytesIO(out))
        assert document["head"]["vars"] == ["p", "name"] and len(document["results"]["bindings"]) == 8
        insert = httpx.get(url, params={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}, timeout=30)
        assert insert.status_code == 403
