"""The in-memory store: an rdflib graph behind kg's store interface, for small jobs and tests."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from rdflib import Graph, Literal

from kg.query.engine import NAMESPACES, QueryResult, run_rdflib
from kg.store.base import Triple

__all__ = ["MemoryStore"]


class MemoryStore:
    """kg's store interface over an rdflib :class:`~rdflib.Graph` held in memory.

    >>> store = MemoryStore()
    >>> store.replace(graph)                                  # doctest: +SKIP
    >>> run_named(store, "children", {"name": "Kym Marsh"})   # doctest: +SKIP
    """

    engine = "rdflib"

    def __init__(self, graph: Graph | None = None) -> None:
        self._graph = _bound(Graph())
        if graph is not None:
            self.replace(graph)

    @property
    def graph(self) -> Graph:
        """The rdflib graph itself (not a copy)."""
        return self._graph

    def __len__(self) -> int:
        return len(self._graph)

    def add(self, triples: Iterable[Triple]) -> None:
        for triple in triples:
            self._graph.add(triple)

    def remove(self, triples: Iterable[Triple]) -> None:
        for triple in triples:
            self._graph.remove(triple)

    def replace(self, graph: Graph) -> None:
        fresh = _bound(Graph())
        for triple in graph:
            fresh.add(triple)
        self._graph = fresh

    def triples(self) -> Iterator[Triple]:
        yield from self._graph

    def to_graph(self) -> Graph:
        copy = _bound(Graph())
        for triple in self._graph:
            copy.add(triple)
        return copy

    def serialize(self, fmt: str = "turtle") -> bytes:
        from kg.export import serialize

        if fmt in ("nquads", "xml", "n3"):
            return self._graph.serialize(format=fmt, encoding="utf-8")
        return serialize(self._graph, fmt)

    def evaluate(
        self,
        sparql: str,
        bindings: Mapping[str, str],
        *,
        matches: tuple[tuple[str, str], ...] = (),
        timeout: float | None = None,
        limit: int | None = None,
        label: str = "the query",
    ) -> QueryResult:
        initial = {name: Literal(value) for name, value in bindings.items()}
        return run_rdflib(self._graph, sparql, initial, label=label, timeout=timeout, limit=limit)

    def close(self) -> None:
        """Nothing to release."""


def _bound(graph: Graph) -> Graph:
    for prefix, namespace in NAMESPACES.items():
        graph.bind(prefix, namespace, override=True)
    return graph
