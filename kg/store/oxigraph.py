"""The Oxigraph store: kg's store interface over pyoxigraph (RocksDB on disk, or in memory).

Triples live in the store's default graph. Named graphs in a TriG or N-Quads file are merged
into it on load, as :func:`kg.query.load_graph` does.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from rdflib import Graph

from kg.query.oxigraph import evaluate
from kg.query.rewrite import ParameterError, insert_values, sparql_string, substitute
from kg.sparql.oxigraph import from_oxigraph
from kg.sparql.oxigraph import quads as _quads
from kg.sparql.result import NAMESPACES, QueryError, QueryResult
from kg.store.base import StoreError, Triple, format_of

__all__ = ["OxigraphStore", "rdf_format"]

_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_SKOS_ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
_LABELS_QUERY = (
    f"SELECT DISTINCT ?l WHERE {{ {{ ?e <{_RDFS_LABEL}> ?l }} UNION {{ ?e <{_SKOS_ALT_LABEL}> ?l }} }}"
)
_QUAD_FORMATS = frozenset({"nquads", "trig"})
#: Above this many triples, writes go through Oxigraph's bulk loader (not transactional, fast).
_BULK_THRESHOLD = 50_000


def rdf_format(fmt: str) -> Any:
    """The :class:`pyoxigraph.RdfFormat` a kg format name stands for; :class:`StoreError` for
    an unknown one."""
    import pyoxigraph as ox

    formats = {
        "turtle": ox.RdfFormat.TURTLE,
        "ttl": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "n-triples": ox.RdfFormat.N_TRIPLES,
        "nquads": ox.RdfFormat.N_QUADS,
        "trig": ox.RdfFormat.TRIG,
        "json-ld": ox.RdfFormat.JSON_LD,
        "jsonld": ox.RdfFormat.JSON_LD,
        "xml": ox.RdfFormat.RDF_XML,
        "n3": ox.RdfFormat.N3,
    }
    try:
        return formats[fmt.lower()]
    except KeyError:
        raise StoreError(f"unknown RDF format {fmt!r}: expected one of {', '.join(formats)}") from None


class OxigraphStore:
    """kg's store interface over a :class:`pyoxigraph.Store`.

    ``OxigraphStore(path)`` opens (or creates) the RocksDB folder ``path`` for reading and
    writing; ``OxigraphStore(path, read_only=True)`` opens it read-only (several processes
    may do so at once); ``OxigraphStore()`` keeps everything in memory.
    :meth:`from_file` loads an RDF file into a new in-memory store.
    """

    engine = "oxigraph"

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> None:
        import pyoxigraph as ox

        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                if not Path(path, "CURRENT").is_file():
                    raise StoreError(f"{str(path)!r} is not an Oxigraph store")
                self._store = ox.Store.read_only(str(path))
            else:
                self._store = ox.Store(str(path))
        except OSError as error:
            raise StoreError(f"cannot open the Oxigraph store {str(path)!r}: {error}") from error
        self._labels: dict[str, list[str]] | None = None
        self._labels_complete = True

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], fmt: str | None = None) -> OxigraphStore:
        """A new in-memory store holding the triples of the RDF file ``path`` (format from the
        suffix unless ``fmt`` is given). Raises :class:`StoreError` for a missing or bad file."""
        store = cls()
        store.load(path, fmt)
        return store

    @property
    def native(self) -> Any:
        """The :class:`pyoxigraph.Store` itself."""
        return self._store

    def __len__(self) -> int:
        return len(self._store)

    # --- writing ---------------------------------------------------------------------------

    def load(self, path: str | os.PathLike[str], fmt: str | None = None) -> None:
        """Add the triples of the RDF file ``path``; named graphs are merged into the default
        graph. Raises :class:`StoreError` naming the file on a read or syntax error."""
        import pyoxigraph as ox

        source = Path(path)
        fmt = fmt or format_of(source)
        if not source.is_file():
            raise StoreError(f"graph file not found: {str(source)!r}")
        chosen = rdf_format(fmt)
        base = source.resolve().as_uri()
        self._check_writable()
        try:
            if fmt in _QUAD_FORMATS:
                quads = ox.parse(path=str(source), format=chosen, base_iri=base)
                self._store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
            else:
                self._store.bulk_load(path=str(source), format=chosen, base_iri=base)
        except SyntaxError as error:
            raise StoreError(f"cannot read {str(source)!r} as {fmt}: {error}") from error
        except (OSError, ValueError) as error:
            raise StoreError(f"cannot load {str(source)!r}: {error}") from error
        self._labels = None

    def add(self, triples: Iterable[Triple]) -> None:
        self._check_writable()
        quads = list(_quads(triples))
        if len(quads) > _BULK_THRESHOLD:
            self._store.bulk_extend(quads)
        else:
            self._store.extend(quads)
        self._labels = None

    def remove(self, triples: Iterable[Triple]) -> None:
        self._check_writable()
        for quad in _quads(triples):
            self._store.remove(quad)
        self._labels = None

    def replace(self, graph: Graph | Iterable[Triple]) -> None:
        self._check_writable()
        self._store.clear()
        quads = list(_quads(graph))
        if len(quads) > _BULK_THRESHOLD:
            self._store.bulk_extend(quads)
        else:
            self._store.extend(quads)
        if self.path is not None:
            self._store.flush()
        self._labels = None

    def backup(self, target: str | os.PathLike[str]) -> None:
        """Copy the on-disk store to the new folder ``target`` (hard links where it can)."""
        try:
            self._store.backup(str(target))
        except OSError as error:
            raise StoreError(f"cannot back up {str(self.path)!r} to {str(target)!r}: {error}") from error

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store {str(self.path)!r} is open read-only")

    # --- reading ---------------------------------------------------------------------------

    def triples(self) -> Iterator[Triple]:
        import pyoxigraph as ox

        for quad in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            yield (from_oxigraph(quad.subject), from_oxigraph(quad.predicate),  # type: ignore[misc]
                   from_oxigraph(quad.object))

    def to_graph(self) -> Graph:
        graph = Graph()
        for prefix, namespace in NAMESPACES.items():
            graph.bind(prefix, namespace, override=True)
        for triple in self.triples():
            graph.add(triple)
        return graph

    def serialize(self, fmt: str = "turtle") -> bytes:
        import pyoxigraph as ox

        chosen = rdf_format(fmt)
        prefixes = dict(NAMESPACES) if chosen in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        from_graph = None if chosen.supports_datasets else ox.DefaultGraph()
        data = self._store.dump(format=chosen, from_graph=from_graph, prefixes=prefixes)
        return bytes(data)

    def dump(self, path: str | os.PathLike[str], fmt: str | None = None) -> Path:
        """Write the content to ``path`` atomically (format from the suffix unless given)."""
        from kg.export.atomic import atomic_write_bytes

        return atomic_write_bytes(path, self.serialize(fmt or format_of(path)))

    def label_forms(self, value: str) -> list[str] | None:
        """The ``rdfs:label``/``skos:altLabel`` values that may equal ``value`` ignoring case,
        as SPARQL terms; ``None`` when a blank node is among the labels (no hint possible)."""
        if self._labels is None:
            self._labels = {}
            self._labels_complete = True
            for solution in self._store.query(_LABELS_QUERY):
                term = solution["l"]
                text = getattr(term, "value", None)
                if text is None or type(term).__name__ not in ("Literal", "NamedNode"):
                    self._labels_complete = False
                    continue
                key = _fold(text)
                self._labels.setdefault(key, []).append(
                    f"<{text}>" if type(term).__name__ == "NamedNode" else str(term)
                )
        if not self._labels_complete:
            return None
        return sorted(self._labels.get(_fold(value), ()))

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
        """Substitute the parameters into the text, pre-bind matched label variables, run."""
        return evaluate(self._store, self.prepare(sparql, bindings, matches=matches, label=label),
                        timeout=timeout, limit=limit, label=label)

    def prepare(
        self,
        sparql: str,
        bindings: Mapping[str, str],
        *,
        matches: tuple[tuple[str, str], ...] = (),
        label: str = "the query",
    ) -> str:
        """The SPARQL text :meth:`evaluate` runs: parameters substituted, label hints added."""
        try:
            text = substitute(sparql, {name: sparql_string(value) for name, value in bindings.items()})
            for variable, param in matches:
                if param in bindings:
                    forms = self.label_forms(bindings[param])
                    if forms is not None:
                        text = insert_values(text, variable, forms)
        except ParameterError as error:
            raise QueryError(f"{label}: {error}") from error
        return text

    def close(self) -> None:
        """Flush and let go of the store (RocksDB closes when the last reference goes)."""
        if self.path is not None and not self.read_only:
            self._store.flush()
        self._store = None  # type: ignore[assignment]


def _fold(text: str) -> str:
    # SPARQL LCASE equality implies equality of this key, so the forms found are a superset.
    return text.lower().casefold()
