"""kg push against a real Oxigraph server (the ``oxigraph`` binary of the test extra), started
on a free loopback port; skipped where the binary is missing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic
from serve_process import free_port, wait_until_up
from typer.testing import CliRunner

from kg.cli import app
from kg.push import PushError, graph_store_url, push
from kg.query import load_graph
from kg.store import KgStore

GRAPH = "https://example.org/graphs/kg"


def _oxigraph_binary() -> str | None:
    found = shutil.which("oxigraph")
    if found:
        return found
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.is_file() else None


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of an Oxigraph server with an empty on-disk database."""
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed (pip install 'kg[test]' brings it)")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph") / "db"
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/query", process, "oxigraph serve", within=30)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _graph_at(base: str, graph: str | None) -> rdflib.Graph:
    params = {"graph": graph} if graph else {"default": ""}
    response = httpx.get(f"{base}/store", params=params, headers={"Accept": "application/n-triples"}, timeout=30)
    response.raise_for_status()
    return rdflib.Graph().parse(data=response.text, format="nt")


def test_graph_store_url() -> None:
    assert graph_store_url("http://h:1/store", None) == "http://h:1/store?default"
    assert graph_store_url("http://h:1/store", "https://x.org/g#1") == \
        "http://h:1/store?graph=https%3A%2F%2Fx.org%2Fg%231"
    assert graph_store_url("http://h/ds/data?a=1", "urn:g") == "http://h/ds/data?a=1&graph=urn%3Ag"
    with pytest.raises(PushError):
        graph_store_url("ftp://h/store", None)


def test_push_a_file_replaces_then_merges(oxigraph: str, sample_path: Path, tmp_path: Path) -> None:
    source = load_graph(sample_path)
    report = push(sample_path, f"{oxigraph}/store", graph=GRAPH)
    assert report.method == "PUT" and report.status in (200, 201, 204)
    assert report.triples == len(source)
    assert isomorphic(_graph_at(oxigraph, GRAPH), source)

    again = push(sample_path, f"{oxigraph}/store", graph=GRAPH)  # PUT replaces: no duplicates
    assert again.status in (200, 204) and len(_graph_at(oxigraph, GRAPH)) == len(source)

    extra = tmp_path / "extra.ttl"
    extra.write_text("<urn:x> <urn:p> \"added\" .\n")
    assert push(extra, f"{oxigraph}/store", graph=GRAPH, replace=False).method == "POST"
    merged = _graph_at(oxigraph, GRAPH)
    assert len(merged) == len(source) + 1


def test_push_a_store_to_the_default_graph(oxigraph: str, tmp_path: Path, sample_path: Path) -> None:
    graph = load_graph(sample_path)
    with KgStore.create(tmp_path / "store") as store:
        store.replace_all([], graph)
    report = push(tmp_path / "store", f"{oxigraph}/store")
    assert report.url.endswith("?default") and report.triples == len(graph)
    assert isomorphic(_graph_at(oxigraph, None), graph)


def test_push_errors_name_the_problem(oxigraph: str, tmp_path: Path, sample_path: Path) -> None:
    with pytest.raises(PushError, match="404|405|400"):
        push(sample_path, f"{oxigraph}/no-such-service", graph=GRAPH)
    with pytest.raises(PushError, match="absolute IRI"):
        push(sample_path, f"{oxigraph}/store", graph="relative/graph")
    with pytest.raises(PushError, match="not found"):
        push(tmp_path / "missing.ttl", f"{oxigraph}/store")
    port = free_port()
    with pytest.raises(PushError, match="cannot PUT"):
        push(sample_path, f"http://127.0.0.1:{port}/store", timeout=5)


def test_kg_push_command(oxigraph: str, sample_path: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})
    target = "https://example.org/graphs/cli"
    result = runner.invoke(app, ["push", str(sample_path), "--endpoint", f"{oxigraph}/store",
                                 "--graph", target])
    assert result.exit_code == 0, result.output
    assert "PUT" in result.stdout and "triples" in result.stdout
    assert isomorphic(_graph_at(oxigraph, target), load_graph(sample_path))
    bad = runner.invoke(app, ["push", str(sample_path), "--endpoint", f"{oxigraph}/nowhere"])
    assert bad.exit_code == 1 and "answered" in bad.stderr
