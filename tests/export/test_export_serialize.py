"""serialize: byte-identical output for identical graphs, and lossless in every format."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.export import FORMAT_SUFFIX, FORMATS, serialize, write_graph
from kg.export.serialize import format_for_path
from kg.graph import build_graph


def _parse(data: bytes, fmt: str) -> Graph:
    if fmt == "trig":
        dataset = Dataset(default_union=True)
        dataset.parse(data=data, format="trig")
        flat = Graph()
        for triple in dataset.triples((None, None, None)):
            flat.add(triple)
        return flat
    return Graph().parse(data=data, format=fmt)


def test_formats_and_suffixes() -> None:
    assert FORMAT_SUFFIX == {"turtle": ".ttl", "trig": ".trig", "nt": ".nt",
                             "json-ld": ".jsonld"}
    assert set(FORMATS) == set(FORMAT_SUFFIX)
    assert format_for_path("out/graph.ttl") == "turtle"
    assert format_for_path("graph.JSONLD") == "json-ld"
    with pytest.raises(ValueError, match=".xyz"):
        format_for_path("graph.xyz")


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_is_isomorphic(graph: Graph, fmt: str) -> None:
    data = serialize(graph, fmt)
    assert isomorphic(_parse(data, fmt), graph)


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_builds_give_identical_bytes(graph: Graph, fmt: str) -> None:
    from tests.export.conftest import load_sample_module

    again = build_graph(load_sample_module().sample_corpus())
    assert serialize(graph, fmt) == serialize(again, fmt)


def test_insertion_order_does_not_matter(graph: Graph) -> None:
    reordered = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        reordered.bind(prefix, namespace)
    for triple in sorted(graph, reverse=True):
        reordered.add(triple)
    for fmt in FORMATS:
        assert serialize(reordered, fmt) == serialize(graph, fmt), fmt


def test_another_process_gives_identical_bytes(graph: Graph, sample_path: Path) -> None:
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('sample', {str(sample_path)!r})\n"
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
        "from kg.graph import build_graph\n"
        "from kg.export import serialize\n"
        "graph = build_graph(module.sample_corpus())\n"
        "sys.stdout.buffer.write(b'\\0'.join(serialize(graph, f) for f in "
        "('turtle', 'trig', 'nt', 'json-ld')))\n"
    )
    env = dict(os.environ, PYTHONHASHSEED="4242")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env,
                            check=True)
    expected = b"\0".join(serialize(graph, f) for f in ("turtle", "trig", "nt", "json-ld"))
    assert result.stdout == expected


def test_turtle_uses_kg_prefixes(graph: Graph) -> None:
    text = serialize(graph, "turtle").decode("utf-8")
    assert "@prefix kg: <https://w3id.org/kg-news/ontology#> ." in text
    assert "@prefix brick:" not in text


def test_n_triples_are_sorted(graph: Graph) -> None:
    lines = serialize(graph, "nt").decode("utf-8").splitlines()
    assert lines == sorted(lines)
    assert len(lines) == len(graph)


def test_dataset_keeps_named_graphs_in_trig() -> None:
    dataset = Dataset()
    name = URIRef("https://w3id.org/kg-news/id/graph/a")
    dataset.graph(name).add((URIRef("urn:x:s"), URIRef("urn:x:p"), Literal("o")))
    dataset.add((URIRef("urn:x:s"), URIRef("urn:x:p"), Literal("default")))
    data = serialize(dataset, "trig")
    parsed = Dataset()
    parsed.parse(data=data, format="trig")
    assert len(parsed.graph(name)) == 1
    assert len(_parse(serialize(dataset, "turtle"), "turtle")) == 2


def test_unknown_format_is_an_error(graph: Graph) -> None:
    with pytest.raises(ValueError, match="xml"):
        serialize(graph, "xml")


def test_write_graph_picks_format_from_suffix(graph: Graph, tmp_path: Path) -> None:
    for fmt, suffix in FORMAT_SUFFIX.items():
        path = write_graph(graph, tmp_path / "out" / f"graph{suffix}")
        assert path.read_bytes() == serialize(graph, fmt)
