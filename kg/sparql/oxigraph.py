"""Between rdflib and Oxigraph (pyoxigraph): terms one way and the other, and a graph copied into
an in-memory store. Below kg's stages: the SHACL checks of :mod:`kg.graph`, the queries of
:mod:`kg.query` and the stores of :mod:`kg.store` all use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from rdflib.term import BNode, Literal, Node, URIRef

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["from_oxigraph", "quads", "to_oxigraph", "to_store"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def from_oxigraph(term: Any) -> Node | None:
    """The rdflib term for a pyoxigraph term (``None`` stays ``None``)."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    return Literal(str(term))  # an RDF-star quoted triple, shown as N-Triples text


def to_oxigraph(term: Node) -> Any:
    """The pyoxigraph term for an rdflib term."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {term!r} ({type(term).__name__}) in Oxigraph")



def quads(triples: Iterable[tuple[Node, Node, Node]]) -> Iterator[Any]:
    """pyoxigraph quads (default graph) for rdflib ``triples``; a repeated term is converted once
    (the cache stops growing at a million terms)."""
    import pyoxigraph as ox

    cache: dict[Node, Any] = {}

    def convert(term: Node) -> Any:
        found = cache.get(term)
        if found is None:
            found = to_oxigraph(term)
            if len(cache) < 1_000_000:
                cache[term] = found
        return found

    for s, p, o in triples:
        yield ox.Quad(convert(s), convert(p), convert(o))


def to_store(triples: Iterable[tuple[Node, Node, Node]]) -> pyoxigraph.Store:
    """A fresh in-memory Oxigraph store holding ``triples`` (an rdflib graph, say) in its
    default graph."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_extend(quads(triples))
    return store
