"""rdflib's Turtle, byte for byte, at a fraction of its cost.

rdflib's ``TurtleSerializer`` spends most of its time recomputing the same things: the prefixed
name of every IRI at each of its occurrences (``compute_qname``, the namespace regexes), the
N3 form of every literal, and one small ``write`` (and UTF-8 encoding) per token. This
serializer is rdflib's own class with those steps remembered:

- the prefixed name of an IRI: rdflib's namespace manager caches the split of an IRI once it
  finds a prefix for it, and bindings are only ever added during a serialisation, so a name
  found once is the name every later call would find; "no prefixed name" (every one of kg's
  entity IRIs, recomputed by rdflib at each occurrence) holds until a prefix is generated for
  a predicate's namespace, which starts a new epoch;
- the label of every node once the document has started (all namespaces are known then);
- the output in a list of strings, encoded once at the end.

Subjects, predicates and objects are ordered, and namespaces chosen, by rdflib's own code, so
the bytes are those of ``Graph.serialize(format="turtle")`` (the tests compare them on kg's
graphs and on graphs of odd literals). Graphs with blank nodes go to rdflib itself.
"""

from __future__ import annotations

import io
from typing import IO, Any

from rdflib import BNode, Graph
from rdflib.plugins.serializers.turtle import VERB, TurtleSerializer
from rdflib.term import Literal, Node, URIRef

__all__ = ["turtle_bytes"]


def turtle_bytes(graph: Graph) -> bytes:
    """``graph.serialize(format="turtle", encoding="utf-8")``, the same bytes, faster.

    A graph with a blank node is serialised by rdflib itself (its nested ``[ … ]`` and list
    forms depend on reference counts this class does not remember).
    """
    if graph.base is not None or any(isinstance(node, BNode) for triple in graph for node in triple):
        return graph.serialize(format="turtle", encoding="utf-8")
    stream = io.BytesIO()
    _CachedTurtleSerializer(graph).serialize(stream, encoding="utf-8")
    return stream.getvalue()


class _CachedTurtleSerializer(TurtleSerializer):
    """rdflib's Turtle serializer with prefixed names, labels and writes remembered."""

    def reset(self) -> None:
        super().reset()
        # (IRI, may generate a prefix) -> (prefixed name or None, the bindings' epoch then)
        self._pnames: dict[tuple[Node, bool], tuple[str | None, int]] = {}
        self._epoch = 0
        self._labels: dict[tuple[Node, bool], str] = {}
        self._chunks: list[str] = []

    def serialize(self, stream: IO[bytes], base: str | None = None, encoding: str | None = None,
                  spacious: bool | None = None, **kwargs: Any) -> None:
        """As rdflib's, with the text gathered and encoded once."""
        self.encoding = encoding or "utf-8"
        buffer = _Buffer()
        super().serialize(buffer, base=base, encoding=encoding, spacious=spacious, **kwargs)  # type: ignore[arg-type]
        stream.write("".join(self._chunks).encode(self.encoding, "replace"))
        stream.write(buffer.tail)

    def write(self, text: str) -> None:
        self._chunks.append(text)

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
        key = (uri, gen_prefix)
        hit = self._pnames.get(key)
        if hit is not None and (hit[0] is not None or hit[1] == self._epoch):
            return hit[0]
        if gen_prefix and isinstance(uri, URIRef):
            before = self._bindings()
            name = super().get_pname(uri, True)
            if self._bindings() != before:
                self._epoch += 1  # a new prefix: a name not found before may be found now
        else:
            name = super().get_pname(uri, gen_prefix)
        self._pnames[key] = (name, self._epoch)
        return name

    def _bindings(self) -> int:
        return sum(1 for _ in self.store.namespace_manager.namespaces())

    def label(self, node: Node, position: int) -> str:
        # Called once the document has started: every namespace is known by then.
        key = (node, position is VERB)
        found = self._labels.get(key)
        if found is None:
            found = self._labels[key] = super().label(node, position)
        return found

    def preprocessTriple(self, spo: Any) -> None:  # noqa: N802 - rdflib's name
        # rdflib's, without the checks for a base IRI (there is none here) and blank nodes.
        s, p, o = spo
        self._references[o] += 1
        self._subjects[s] = True
        keywords = self.keywords
        for i, node in enumerate(spo):
            if i == VERB and node in keywords:
                continue
            if isinstance(node, URIRef):
                self.get_pname(node, gen_prefix=(i == VERB))
            elif isinstance(node, Literal) and node.datatype:
                self.get_pname(node.datatype, gen_prefix=False)


class _Buffer:
    """Stands in for the stream during rdflib's ``serialize``: keeps its final newline."""

    def __init__(self) -> None:
        self.tail = b""

    def write(self, data: bytes) -> None:
        self.tail += data
