"""kg serve against hostile clients, with a real HTTP client (httpx, or a raw socket where a
client library would refuse to send the request) against servers on loopback ports only:
federation, request bodies, nesting, memory, idle connections, headers and leftovers."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from serve_process import kg_serve
from typer.testing import CliRunner

from kg.cli import app
from kg.query import load_graph
from kg.serve import ServerConfig, SparqlServer
from kg.store import KgStore

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
#: an ORDER BY over a cross product: memory grows with the square of the store
HUNGRY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g ?c ?f ?i"


@contextlib.contextmanager
def serving(source: Path, **settings: object) -> Iterator[SparqlServer]:
    config = ServerConfig(**{"workers": 1, "quiet": True, "timeout": 20.0, **settings})  # type: ignore[arg-type]
    server = SparqlServer(source, port=0, config=config)
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def server(store_dir: Path) -> Iterator[SparqlServer]:
    with serving(store_dir) as running:
        yield running


class _Canary(BaseHTTPRequestHandler):
    """Counts the requests it gets and answers an empty SPARQL result."""

    hits: list[str] = []

    def do_POST(self) -> None:  # noqa: N802
        type(self).hits.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def canary() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records every request: where a SERVICE call would land."""
    _Canary.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", _Canary.hits
    finally:
        httpd.shutdown()
        httpd.server_close()


def raw(server: SparqlServer, request: bytes, *, timeout: float = 15.0) -> bytes:
    """Send ``request`` bytes as they are and read the answer until the server closes."""
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


# --- 2. SERVICE --------------------------------------------------------------------------


def test_service_is_refused_by_default_and_nothing_is_sent(
    server: SparqlServer, canary: tuple[str, list[str]]
) -> None:
    """Was: the query ran, so the server POSTed to any address the client named."""
    target, hits = canary
    for query in (f"SELECT * WHERE {{ SERVICE <{target}sparql> {{ ?s ?p ?o }} }}",
                  f"PREFIX t: <{target}> SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE SILENT t:q {{ ?s ?p ?o }} }} }}"):
        response = httpx.post(server.url + "sparql", data={"query": query}, timeout=30)
        assert response.status_code == 400, response.text
        assert "is refused" in response.text and "--allow-service" in response.text
    literal = httpx.get(server.url + "sparql", timeout=30,
                        params={"query": 'ASK { FILTER(STRLEN("SERVICE <http://x/> {}") > 0) }'})
    assert literal.status_code == 200 and literal.json()["boolean"] is True
    assert hits == []


def test_service_runs_only_under_an_allowed_prefix(store_dir: Path, server: SparqlServer,
                                                   canary: tuple[str, list[str]]) -> None:
    target, hits = canary
    with serving(store_dir, allow_service=(server.url,)) as federating:
        here = httpx.get(federating.url + "sparql", params={"query": COUNT}, timeout=30).json()
        query = f"SELECT ?n WHERE {{ SERVICE <{server.url}sparql> {{ {COUNT} }} }}"
        there = httpx.get(federating.url + "sparql", params={"query": query}, timeout=60)
        assert there.status_code == 200, there.text
        assert there.json()["results"]["bindings"] == here["results"]["bindings"]
        elsewhere = httpx.get(federating.url + "sparql", timeout=30,
                              params={"query": f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"})
        assert elsewhere.status_code == 400
    assert hits == []


def test_kg_query_refuses_service_unless_allowed(sample_path: Path, canary: tuple[str, list[str]]) -> None:
    target, hits = canary
    query = f"SELECT * WHERE {{ SERVICE <{target}sparql> {{ ?s ?p ?o }} }}"
    runner = CliRunner()
    refused = runner.invoke(app, ["query", str(sample_path), query])
    assert refused.exit_code == 1 and "is refused" in refused.output and hits == []
    allowed = runner.invoke(app, ["query", str(sample_path), query, "--allow-service", target])
    assert allowed.exit_code == 0, allowed.output
    assert hits  # the allowed endpoint was called


# --- 3. request bodies -------------------------------------------------------------------


def _post(length: str | None, body: bytes = b"ASK {}") -> bytes:
    header = f"Content-Length: {length}\r\n" if length is not None else ""
    return (f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            f"{header}\r\n").encode() + body


@pytest.mark.parametrize(("length", "status"), [
    ("-1", 400), ("-300000000", 400), ("abc", 400), ("1_0", 400), ("+6", 400), ("0x6", 400),
    (None, 411), (str(2 << 20), 413),
])
def test_bad_content_lengths_are_refused_before_the_body_is_read(
    server: SparqlServer, length: str | None, status: int
) -> None:
    """Was: ``Content-Length: -1`` read the whole body, whatever its size, and ran the query."""
    answer = raw(server, _post(length))
    assert status_of(answer) == status, answer
    assert b"ASK" not in answer.split(b"\r\n\r\n", 1)[1]


def test_a_body_is_read_up_to_its_length_only(server: SparqlServer) -> None:
    following = b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    answer = raw(server, _post("6", b"ASK {}" + following))
    assert answer.count(b"HTTP/1.1 200 OK") == 2 and answer.count(b'"boolean":true') == 2, answer


# --- 4. nesting --------------------------------------------------------------------------


def test_deep_nesting_is_refused_before_the_engine_sees_it(server: SparqlServer) -> None:
    """Was: 3,000 ``{`` crashed the worker (a segfault in the parser)."""
    workers = {worker.process.pid for worker in server.pool._all}
    for query in ("SELECT * WHERE " + "{" * 3000 + "}" * 3000,
                  "ASK { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }"):
        response = httpx.post(server.url + "sparql", data={"query": query}, timeout=30)
        assert response.status_code == 400
        assert re.search(r"nests brackets 300[0-2] deep; .* at most 64 deep", response.text)
    assert {worker.process.pid for worker in server.pool._all} == workers  # none died


# --- 5. memory ---------------------------------------------------------------------------


def test_a_query_past_the_memory_limit_gets_503_and_its_worker_is_replaced(store_dir: Path) -> None:
    """Was: no cap; an ORDER BY over a cross product grew a worker to 6.4 GB."""
    with serving(store_dir, memory_limit=160 << 20, timeout=120.0) as capped:
        before = {worker.process.pid for worker in capped.pool._all}
        response = httpx.get(capped.url + "sparql", params={"query": HUNGRY}, timeout=150)
        assert response.status_code == 503, response.text[:300]
        assert "memory limit of 160 MiB" in response.text
        assert httpx.get(capped.url + "sparql", params={"query": "ASK {}"}, timeout=60).json()["boolean"]
        assert not before & {worker.process.pid for worker in capped.pool._all}


# --- 6. connections ----------------------------------------------------------------------


def test_an_idle_connection_is_closed(store_dir: Path) -> None:
    """Was: an idle connection was held (with its thread) forever."""
    with serving(store_dir, read_timeout=0.5) as server:
        host, port = server.server_address[:2]
        with socket.create_connection((host, port), timeout=30) as idle:
            assert idle.recv(1) == b""  # closed by the server, long before the 30 s of the client
        with socket.create_connection((host, port), timeout=30) as partial:
            partial.sendall(b"POST /sparql HTTP/1.1\r\nContent-Length: 100\r\n\r\nASK")
            assert partial.recv(65536) == b""  # a half-sent body does not hold it either


def test_connections_past_the_limit_get_503(store_dir: Path) -> None:
    with serving(store_dir, max_connections=2, read_timeout=60.0) as server:
        host, port = server.server_address[:2]
        held = [socket.create_connection((host, port), timeout=30) for _ in range(2)]
        try:
            time.sleep(0.2)  # let the server accept both (not a timing assertion)
            with socket.create_connection((host, port), timeout=30) as third:
                answer = third.recv(65536)
            assert status_of(answer) == 503 and b"too many connections" in answer
        finally:
            for sock in held:
                sock.close()
        deadline = time.monotonic() + 30
        while True:  # the held slots are given back once the server sees the sockets close
            response = httpx.get(server.url + "sparql", params={"query": "ASK {}"}, timeout=30)
            if response.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert response.status_code == 200


# --- 7. headers --------------------------------------------------------------------------


def test_head_security_headers_and_no_python_version(server: SparqlServer) -> None:
    page = httpx.get(server.url, timeout=30)
    assert page.headers["x-content-type-options"] == "nosniff"
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    (script,) = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy
    assert page.headers["server"] == "kg-serve"  # was: BaseHTTP/0.6 Python/3.x
    for url in (server.url, server.url + "sparql?query=ASK%20%7B%7D"):
        head = httpx.head(url, timeout=30)
        get = httpx.get(url, timeout=30)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == get.headers["content-length"]
        assert head.headers["content-type"] == get.headers["content-type"]


# --- 10. leftovers -----------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_kg_serve_removes_its_snapshot_when_terminated(store_dir: Path, signum: int) -> None:
    """Was: SIGTERM left the ``.kg-serve-*`` snapshot in the store."""
    others = set(store_dir.glob(".kg-serve-*"))  # the module's server's
    with kg_serve(store_dir) as (process, _):
        assert set(store_dir.glob(".kg-serve-*")) - others
        process.send_signal(signum)
        process.wait(timeout=60)
    assert set(store_dir.glob(".kg-serve-*")) == others


def test_a_snapshot_left_by_a_killed_server_is_swept_by_the_next(store_dir: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = store_dir / ".kg-serve-stale"
    (stale / "snapshot").mkdir(parents=True)
    (stale / "pid").write_text(f"{dead.pid}\n")
    foreign = store_dir / ".kg-serve-not-ours"  # no owner file: not touched
    foreign.mkdir()
    others = set(store_dir.glob(".kg-serve-*")) - {stale}
    try:
        with serving(store_dir):
            assert not stale.exists() and foreign.exists()
            (mine,) = set(store_dir.glob(".kg-serve-*")) - others
            assert (mine / "pid").read_text().strip() == str(os.getpid())
    finally:
        foreign.rmdir()


def test_serve_config_defaults_are_the_documented_ones() -> None:
    config = ServerConfig()
    assert (config.timeout, config.limit, config.memory_limit, config.read_timeout,
            config.max_connections, config.cors, config.allow_service) == (
        30.0, 10_000, 1 << 30, 20.0, 64, (), ())
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for fact in ("127.0.0.1", "30 s", "10,000 rows", "1 GiB", "20 s", "64 connections",
                 "--cors", "--allow-service", "1 MiB"):
        assert fact in readme, fact
