"""kg's store interface: what both triple stores (Oxigraph on disk, rdflib in memory) offer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Protocol, runtime_checkable

from rdflib import Graph
from rdflib.term import Node

from kg.query.engine import QueryResult

__all__ = ["RDF_FORMATS", "StoreError", "Triple", "TripleStore", "format_of"]

Triple = tuple[Node, Node, Node]

#: File suffix -> kg's name of the RDF format (as :func:`kg.export.serialize` spells them,
#: plus the formats kg reads but does not write).
RDF_FORMATS: Mapping[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json-ld": "json-ld",
    ".n3": "n3",
    ".rdf": "xml",
    ".owl": "xml",
}


class StoreError(Exception):
    """A store cannot be created, opened, read or written; the message names the path and why."""


def format_of(path: str | Path) -> str:
    """kg's name of the RDF format of ``path``, from its suffix; :class:`StoreError` if unknown."""
    suffix = Path(path).suffix.lower()
    fmt = RDF_FORMATS.get(suffix)
    if fmt is None:
        known = ", ".join(sorted(RDF_FORMATS))
        raise StoreError(f"cannot tell the RDF format of {str(path)!r} from its suffix; use one of {known}")
    return fmt


@runtime_checkable
class TripleStore(Protocol):
    """A set of triples that answers SPARQL.

    Implementations: :class:`kg.store.OxigraphStore` (persistent, fast, the default for
    ``kg build --store``, ``kg add``, ``kg query``, ``kg serve``) and
    :class:`kg.store.MemoryStore` (an rdflib graph, for small jobs and tests). Both are
    accepted by :func:`kg.query.run_query` and :func:`kg.query.run_named`.
    """

    #: ``"oxigraph"`` or ``"rdflib"``.
    engine: str

    def __len__(self) -> int:
        """The number of triples."""
        ...

    def add(self, triples: Iterable[Triple]) -> None:
        """Add triples (rdflib terms)."""
        ...

    def remove(self, triples: Iterable[Triple]) -> None:
        """Remove triples (rdflib terms); absent ones are ignored."""
        ...

    def replace(self, graph: Graph) -> None:
        """Make the store hold exactly the triples of ``graph``."""
        ...

    def triples(self) -> Iterator[Triple]:
        """Every triple, as rdflib terms."""
        ...

    def to_graph(self) -> Graph:
        """A copy of the content as an rdflib graph bound to kg's prefixes."""
        ...

    def serialize(self, fmt: str = "turtle") -> bytes:
        """The content as ``fmt`` (``turtle``, ``nt``, ``nquads``, ``trig``, ``json-ld``,
        ``xml``)."""
        ...

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
        """Run SPARQL (see :class:`kg.query.QuerySource`)."""
        ...

    def close(self) -> None:
        """Release the store (files stay on disk)."""
        ...
