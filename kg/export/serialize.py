"""Serialise a graph to bytes that depend only on its triples, and write them atomically.

rdflib's Turtle writer already sorts subjects, properties and objects (kg runs it with its
repeated work remembered, :mod:`kg.export.turtle`: the same bytes, about twice as fast). The others need help:
N-Triples lines are sorted; TriG is written from a fresh dataset whose graphs are added in a
fixed order (a plain graph goes into the default graph, so no random blank-node graph name
appears); JSON-LD nodes, values and keys are sorted after rdflib writes them. Output is
byte-identical across runs and processes for graphs without blank nodes, which is every graph
kg builds.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Literal

from kg.export.atomic import atomic_write_bytes
from kg.export.turtle import turtle_bytes

__all__ = ["FORMATS", "FORMAT_SUFFIX", "format_for_path", "serialize", "write_graph"]

#: The formats kg writes and the file suffix of each.
FORMAT_SUFFIX: dict[str, str] = {
    "turtle": ".ttl",
    "trig": ".trig",
    "nt": ".nt",
    "json-ld": ".jsonld",
}
FORMATS: tuple[str, ...] = tuple(FORMAT_SUFFIX)
_ALIASES = {"ttl": "turtle", "n-triples": "nt", "ntriples": "nt", "jsonld": "json-ld"}


def serialize(graph: Graph, fmt: str = "turtle") -> bytes:
    """Serialise ``graph`` as ``fmt`` (one of :data:`FORMATS`) to deterministic UTF-8 bytes.

    A dataset (a context-aware graph) keeps its named graphs in TriG and is flattened into one
    graph for the other formats.
    """
    fmt = _normalise_format(fmt)
    if fmt == "trig":
        with warnings.catch_warnings():
            # rdflib's own TriG writer still calls Dataset APIs it has deprecated.
            warnings.simplefilter("ignore", DeprecationWarning)
            return _dataset(graph).serialize(format="trig", encoding="utf-8")
    flat = _flatten(graph)
    if fmt == "turtle":
        return turtle_bytes(flat)
    if fmt == "nt":
        text = flat.serialize(format="nt", encoding="utf-8").decode("utf-8")
        lines = sorted({line for line in text.splitlines() if line.strip()})
        return "".join(f"{line}\n" for line in lines).encode("utf-8")
    return _json_ld(flat)


def write_graph(graph: Graph, path: str | os.PathLike[str], fmt: str | None = None) -> Path:
    """Serialise ``graph`` and replace the file at ``path`` with it atomically.

    ``fmt`` defaults to the one the path's suffix names (``.ttl``, ``.trig``, ``.nt``,
    ``.jsonld``). The graph is serialised completely before the file is touched, so a failure
    leaves any previous file as it was. Returns the path written.
    """
    fmt = format_for_path(path) if fmt is None else fmt
    return atomic_write_bytes(path, serialize(graph, fmt))


def format_for_path(path: str | os.PathLike[str]) -> str:
    """The format a file name's suffix stands for; ``ValueError`` if it names none."""
    suffix = Path(path).suffix.lower()
    for fmt, known in FORMAT_SUFFIX.items():
        if suffix == known:
            return fmt
    if suffix == ".json":
        return "json-ld"
    raise ValueError(
        f"{path}: cannot tell the RDF format from the suffix {suffix!r}; use one of "
        f"{', '.join(FORMAT_SUFFIX.values())} or pass fmt"
    )


def _normalise_format(fmt: str) -> str:
    name = _ALIASES.get(fmt.lower(), fmt.lower())
    if name not in FORMAT_SUFFIX:
        raise ValueError(f"unknown RDF format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return name


def _flatten(graph: Graph) -> Graph:
    if not graph.context_aware:
        return graph
    flat = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        flat.bind(prefix, namespace, override=True, replace=True)
    for context in _graphs(graph):
        for triple in context:
            flat.add(triple)
    return flat


def _dataset(graph: Graph) -> Dataset:
    dataset = Dataset()
    for prefix, namespace in graph.namespaces():
        dataset.bind(prefix, namespace, override=True, replace=True)
    if not graph.context_aware:
        for triple in graph:
            dataset.add(triple)
        return dataset
    default_id = _default_graph(graph).identifier
    for context in sorted(_graphs(graph),
                          key=lambda c: (c.identifier != default_id, str(c.identifier))):
        target = (dataset.default_graph if context.identifier == default_id
                  else dataset.graph(context.identifier))
        for triple in context:
            target.add(triple)
    return dataset


def _graphs(graph: Graph) -> list[Graph]:
    # Dataset.graphs() replaces the deprecated contexts(); ConjunctiveGraph only has contexts().
    graphs = graph.graphs() if isinstance(graph, Dataset) else graph.contexts()  # type: ignore[attr-defined]
    return [g for g in graphs if len(g)]


def _default_graph(graph: Graph) -> Graph:
    if isinstance(graph, Dataset):
        return graph.default_graph
    return graph.default_context  # type: ignore[attr-defined,no-any-return]


def _json_ld(graph: Graph) -> bytes:
    context = _used_prefixes(graph)
    raw = graph.serialize(format="json-ld", context=context, auto_compact=True, encoding="utf-8")
    document = _sorted_json(json.loads(raw))
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _used_prefixes(graph: Graph) -> dict[str, str]:
    bound = [(prefix, str(namespace)) for prefix, namespace in graph.namespaces() if prefix]
    terms: set[str] = set()
    for _, predicate, obj in graph:
        terms.add(str(predicate))
        if predicate == RDF.type and isinstance(obj, URIRef):
            terms.add(str(obj))
        elif isinstance(obj, Literal) and obj.datatype is not None:
            terms.add(str(obj.datatype))
    return {
        prefix: namespace
        for prefix, namespace in sorted(bound)
        if any(term.startswith(namespace) for term in terms)
    }


def _sorted_json(value: Any) -> Any:
    # JSON-LD arrays other than @list are unordered sets, so sorting them loses nothing.
    if isinstance(value, dict):
        return {
            key: [_sorted_json(x) for x in item] if key == "@list" else _sorted_json(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value
