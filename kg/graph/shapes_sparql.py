"""kg's SHACL shapes as SPARQL queries, run on Oxigraph: a fast first pass of validation.

pySHACL walks every focus node in Python, which takes minutes on the graph of ten thousand
articles. :func:`compile_shapes` reads the shapes graph (``ontology/shapes.ttl`` stays the only
place the rules are written) and turns each constraint into one SPARQL ``ASK`` query that is
true when some focus node violates it; :func:`violated` runs them on a
:class:`pyoxigraph.Store`, with the ontology (for ``rdfs:subClassOf``) in a named graph that
is read together with the data, as pySHACL mixes it in.

Only the part of SHACL Core that kg's shapes use is compiled (targets by class, node, subject
and object; node kind, class, datatype, counts, lengths, ranges, ``sh:in``, ``sh:hasValue``,
pairwise comparisons, ``sh:node``/``sh:not``/``sh:and``/``sh:or``/``sh:xone``, property paths,
and SPARQL constraints on ``sh:targetNode`` shapes); anything else raises
:class:`UnsupportedShapes`, and :func:`kg.graph.validate_graph` then leaves the whole check to
pySHACL. The compiled check decides only "no violation anywhere": whenever it finds one,
pySHACL runs on the graph and its verdict and report are the ones kept.

Known difference, harmless for graphs kg builds: Oxigraph, like RDF 1.1, holds ``"x"`` and
``"x"^^xsd:string`` as one term, where rdflib (and so pySHACL's ``sh:in``) tells them apart.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.sparql.oxigraph import to_oxigraph

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["ONTOLOGY_GRAPH", "ShapeCheck", "UnsupportedShapes", "compile_shapes", "violated"]

#: The named graph :func:`violated` puts the ontology in while it runs.
ONTOLOGY_GRAPH = "urn:kg:validation:ontology"

_TYPE_PATH = f"{RDF.type.n3()}/{RDFS.subClassOf.n3()}*"
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
#: Datatypes whose lexical forms are checked: Oxigraph's cast to the datatype must succeed and
#: the (canonical) form must be one that rdflib reads too, so no ill-typed literal passes here.
_CHECKED_DATATYPES = {
    XSD.integer: "^[+-]?[0-9]+$",
    XSD.decimal: "^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$",
    XSD.date: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    XSD.boolean: "^(true|false|1|0)$",
}
_PLAIN_DATATYPES = frozenset({XSD.string, RDF.langString})
_NODE_KINDS = {
    SH.IRI: "!isIRI({v})",
    SH.BlankNode: "!isBlank({v})",
    SH.Literal: "!isLiteral({v})",
    SH.BlankNodeOrIRI: "isLiteral({v})",
    SH.BlankNodeOrLiteral: "isIRI({v})",
    SH.IRIOrLiteral: "isBlank({v})",
}
_RANGES = {
    SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<",
}
_PAIRS = {SH.lessThan: "<", SH.lessThanOrEquals: "<="}
#: sh: predicates a shape may carry that do not constrain anything.
_DESCRIPTIVE = frozenset({
    SH.message, SH.name, SH.description, SH.severity, SH.order, SH.group, SH.defaultValue,
    SH.declare, SH.prefixes,
})
_VALUE_CONSTRAINTS = frozenset({
    SH["class"], SH.datatype, SH.nodeKind, SH.minLength, SH.maxLength, SH["in"], SH.node,
    SH["not"], SH["and"], SH["or"], SH.xone, SH.hasValue, *_RANGES,
})
_PROPERTY_ONLY = frozenset({SH.minCount, SH.maxCount, SH.disjoint, SH.equals, *_PAIRS})
_HANDLED = frozenset({
    *_TARGETS, *_VALUE_CONSTRAINTS, *_PROPERTY_ONLY, SH.path, SH.property, SH.sparql,
    SH.deactivated,
})
_MAX_COUNT_LIMIT = 4


class UnsupportedShapes(ValueError):
    """The shapes use a part of SHACL that :func:`compile_shapes` does not translate."""


@dataclass(frozen=True)
class ShapeCheck:
    """One compiled constraint: an ``ASK`` query that is true when the constraint is violated.

    ``substitutions`` pre-binds variables (``this`` to the focus node of a SPARQL constraint),
    as SHACL pre-binds them.
    """

    shape: str
    constraint: str
    query: str
    substitutions: tuple[tuple[str, Node], ...] = ()


def compile_shapes(shapes: Graph) -> tuple[ShapeCheck, ...]:
    """The checks for every shape of ``shapes`` that has a target, in a fixed order.

    Raises :class:`UnsupportedShapes` when a shape uses SHACL the translation does not cover.
    """
    return tuple(_Compiler(shapes).compile())


def violated(
    store: pyoxigraph.Store,
    checks: Iterable[ShapeCheck],
    ontology: Graph | None = None,
    *,
    first_only: bool = True,
) -> list[ShapeCheck]:
    """The checks that find a violation in the default graph of ``store`` (at most the first
    one with ``first_only``). ``ontology`` is added to the store as the named graph
    :data:`ONTOLOGY_GRAPH` for the run, read together with the default graph, and removed after.
    """
    import pyoxigraph as ox

    graph_name = ox.NamedNode(ONTOLOGY_GRAPH)
    default: list[Any] = [ox.DefaultGraph()]
    added = False
    if ontology is not None and len(ontology):
        store.extend(
            ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), graph_name)
            for s, p, o in ontology
        )
        default.append(graph_name)
        added = True
    found: list[ShapeCheck] = []
    try:
        for check in checks:
            substitutions = {ox.Variable(name): to_oxigraph(term) for name, term in check.substitutions}
            answer = store.query(check.query, default_graph=default, substitutions=substitutions or None)
            if bool(answer):
                found.append(check)
                if first_only:
                    break
    finally:
        if added:
            store.remove_graph(graph_name)
    return found


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self._names = itertools.count()
        self._active: list[Node] = []

    # --- shapes with targets -----------------------------------------------------------------

    def compile(self) -> Iterator[ShapeCheck]:
        targeted = sorted({s for t in _TARGETS for s in self.shapes.subjects(t, None)}, key=_key)
        for shape in self.shapes.subjects(RDF.type, None):
            if (shape, RDF.type, RDFS.Class) in self.shapes or (shape, RDF.type, OWL.Class) in self.shapes:
                if self._is_shape(shape):
                    raise UnsupportedShapes(f"{shape} is a class and a shape (implicit class target)")
        for shape in targeted:
            if self._deactivated(shape):
                continue
            focus = self._focus(shape)
            for label, pattern in self._violations(shape, "?this", top=True):
                yield ShapeCheck(str(shape), label, f"ASK {{ {{ {focus} }} {pattern} }}")
            yield from self._sparql_checks(shape)
        for shape in self._shapes_with(SH.sparql):
            if shape not in targeted:
                # a SPARQL constraint reached through sh:node etc. is not translated
                if self._referenced(shape):
                    raise UnsupportedShapes(f"{shape}: SPARQL constraints are only run on shapes with targets")

    def _is_shape(self, node: Node) -> bool:
        return any(True for p in self.shapes.predicates(node, None) if p in _HANDLED)

    def _shapes_with(self, predicate: URIRef) -> list[Node]:
        return sorted(set(self.shapes.subjects(predicate, None)), key=_key)

    def _referenced(self, shape: Node) -> bool:
        return any(True for _ in self.shapes.subject_predicates(shape))

    def _focus(self, shape: Node) -> str:
        parts: list[str] = []
        for cls in sorted(self.shapes.objects(shape, SH.targetClass), key=_key):
            parts.append(f"?this {_TYPE_PATH} {_term(cls)} .")
        nodes = sorted(self.shapes.objects(shape, SH.targetNode), key=_key)
        if nodes:
            parts.append(f"VALUES ?this {{ {' '.join(_term(n) for n in nodes)} }}")
        for predicate in sorted(self.shapes.objects(shape, SH.targetSubjectsOf), key=_key):
            parts.append(f"?this {_term(predicate)} {self._var('any')} .")
        for predicate in sorted(self.shapes.objects(shape, SH.targetObjectsOf), key=_key):
            parts.append(f"{self._var('any')} {_term(predicate)} ?this .")
        return " UNION ".join(f"{{ {part} }}" for part in parts)

    def _sparql_checks(self, shape: Node) -> Iterator[ShapeCheck]:
        constraints = sorted(self.shapes.objects(shape, SH.sparql), key=_key)
        if not constraints:
            return
        other_targets = [t for t in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
                         if (shape, t, None) in self.shapes]
        if other_targets or (shape, SH.path, None) in self.shapes:
            raise UnsupportedShapes(f"{shape}: SPARQL constraints are only translated on node shapes "
                                    "whose targets are sh:targetNode")
        for constraint in constraints:
            if self._deactivated(constraint):
                continue
            select = self.shapes.value(constraint, SH.select)
            if select is None:
                raise UnsupportedShapes(f"{shape}: a SPARQL constraint without sh:select")
            text = str(select)
            for variable in ("$PATH", "$shapesGraph", "$currentShape", "?PATH", "?shapesGraph", "?currentShape"):
                if variable in text:
                    raise UnsupportedShapes(f"{shape}: a SPARQL constraint using {variable}")
            prefixes = self._prefixes(constraint)
            # every solution is a violation (one with ?failure bound is an error, also a failure)
            query = f"{prefixes}\nASK {{ {{ {_select_body(text)} }} }}"
            for node in sorted(self.shapes.objects(shape, SH.targetNode), key=_key):
                yield ShapeCheck(str(shape), f"sh:sparql {constraint}", query, (("this", node),))

    def _prefixes(self, constraint: Node) -> str:
        lines = []
        for source in sorted(self.shapes.objects(constraint, SH.prefixes), key=_key):
            for declaration in sorted(self.shapes.objects(source, SH.declare), key=_key):
                prefix = self.shapes.value(declaration, SH.prefix)
                namespace = self.shapes.value(declaration, SH.namespace)
                if prefix is None or namespace is None:
                    raise UnsupportedShapes(f"{source}: an sh:declare without prefix or namespace")
                lines.append(f"PREFIX {prefix}: <{namespace}>")
        return "\n".join(sorted(set(lines)))

    # --- violation patterns --------------------------------------------------------------------

    def _violations(self, shape: Node, focus: str, *, top: bool = False) -> list[tuple[str, str]]:
        """``(label, pattern)`` pairs: each pattern has a solution when ``focus`` violates one
        constraint of ``shape`` (SPARQL constraints aside: see :meth:`_sparql_checks`)."""
        if shape in self._active:
            raise UnsupportedShapes(f"{shape} refers to itself")
        if self._deactivated(shape):
            return []
        self._active.append(shape)
        try:
            self._check_predicates(shape, top=top)
            path = self.shapes.value(shape, SH.path)
            found: list[tuple[str, str]] = []
            if path is None:
                value = focus
                prefix = ""
            else:
                value = self._var("v")
                prefix = f"{focus} {self._path(path)} {value} ."
                found.extend(self._property_violations(shape, focus, self._path(path)))
            for predicate, obj in sorted(self.shapes.predicate_objects(shape), key=lambda po: (_key(po[0]), _key(po[1]))):
                if predicate in _VALUE_CONSTRAINTS:
                    test = self._value_violation(predicate, obj, value, focus)
                    found.append((f"{_local(predicate)} {_label(obj)}", f"{prefix} {test}"))
            for nested in sorted(self.shapes.objects(shape, SH.property), key=_key):
                # property shapes of a property shape apply to its value nodes
                name = self._path_label(nested)
                for label, pattern in self._violations(nested, value):
                    # not in braces: a FILTER must see the bindings made before it
                    found.append((f"{name}: {label}", f"{prefix} {pattern}"))
            return found
        finally:
            self._active.pop()

    def _check_predicates(self, shape: Node, *, top: bool) -> None:
        for predicate in set(self.shapes.predicates(shape, None)):
            if str(predicate).startswith(str(SH)) and predicate not in _HANDLED | _DESCRIPTIVE:
                raise UnsupportedShapes(f"{shape}: {_local(predicate)} is not translated")
            if predicate in _TARGETS and not top:
                continue
            if predicate == SH.sparql and not top:
                raise UnsupportedShapes(f"{shape}: SPARQL constraints are only run on shapes with targets")
            if predicate in _PROPERTY_ONLY and (shape, SH.path, None) not in self.shapes:
                raise UnsupportedShapes(f"{shape}: {_local(predicate)} on a node shape")

    def _property_violations(self, shape: Node, focus: str, path: str) -> Iterator[tuple[str, str]]:
        for n in self.shapes.objects(shape, SH.minCount):
            count = _count(n, shape, "minCount")
            if count > 0:
                values = [self._var("m") for _ in range(count)]
                triples = " ".join(f"{focus} {path} {v} ." for v in values)
                yield f"minCount {count}", f"FILTER NOT EXISTS {{ {triples} {_distinct(values)} }}"
        for n in self.shapes.objects(shape, SH.maxCount):
            count = _count(n, shape, "maxCount")
            values = [self._var("m") for _ in range(count + 1)]
            triples = " ".join(f"{focus} {path} {v} ." for v in values)
            yield f"maxCount {count}", f"{triples} {_distinct(values)}"
        for other in self.shapes.objects(shape, SH.disjoint):
            v = self._var("d")
            yield f"disjoint {_label(other)}", f"{focus} {path} {v} . {focus} {_term(other)} {v} ."
        for other in self.shapes.objects(shape, SH.equals):
            v = self._var("e")
            yield (f"equals {_label(other)}",
                   f"{{ {focus} {path} {v} . FILTER NOT EXISTS {{ {focus} {_term(other)} {v} }} }} UNION "
                   f"{{ {focus} {_term(other)} {v} . FILTER NOT EXISTS {{ {focus} {path} {v} }} }}")
        for predicate, operator in _PAIRS.items():
            for other in self.shapes.objects(shape, predicate):
                v, w = self._var("a"), self._var("b")
                yield (f"{_local(predicate)} {_label(other)}",
                       f"{focus} {path} {v} . {focus} {_term(other)} {w} . "
                       f"FILTER(!COALESCE({v} {operator} {w}, false))")

    def _value_violation(self, predicate: Node, obj: Node, v: str, focus: str) -> str:
        """A pattern with a solution when the value node ``v`` violates ``predicate obj``."""
        if predicate == SH["class"]:
            return f"FILTER NOT EXISTS {{ {v} {_TYPE_PATH} {_term(obj)} }}"
        if predicate == SH.datatype:
            return self._datatype(obj, v)
        if predicate == SH.nodeKind:
            test = _NODE_KINDS.get(obj)  # type: ignore[call-overload]
            if test is None:
                raise UnsupportedShapes(f"unknown sh:nodeKind {obj}")
            return f"FILTER({test.format(v=v)})"
        if predicate in (SH.minLength, SH.maxLength):
            length = _count(obj, None, _local(predicate))
            operator = ">=" if predicate == SH.minLength else "<="
            return f"FILTER(isBlank({v}) || !COALESCE(STRLEN(STR({v})) {operator} {length}, false))"
        if predicate in _RANGES:
            if not isinstance(obj, Literal):
                raise UnsupportedShapes(f"{_local(predicate)} {obj} is not a literal")
            return f"FILTER(!COALESCE({v} {_RANGES[predicate]} {_term(obj)}, false))"  # type: ignore[index]
        if predicate == SH["in"]:
            members = list(Collection(self.shapes, obj))  # type: ignore[arg-type]
            same = " || ".join(f"sameTerm({v}, {_term(m)})" for m in members) or "false"
            return f"FILTER(!({same}))"
        if predicate == SH.hasValue:
            # on a property shape: some value node is it; on a node shape: the focus node is it
            if v == focus:
                return f"FILTER(!sameTerm({v}, {_term(obj)}))"
            raise UnsupportedShapes("sh:hasValue on a property shape")  # needs the value set
        if predicate == SH.node:
            return f"FILTER({self._fails(obj, v)})"
        if predicate == SH["not"]:
            return f"FILTER(!({self._fails(obj, v)}))"
        members = list(Collection(self.shapes, obj))  # type: ignore[arg-type]
        if not members:
            raise UnsupportedShapes(f"an empty {_local(predicate)} list")
        fails = [self._fails(member, v) for member in members]
        if predicate == SH["and"]:
            return f"FILTER({' || '.join(fails)})"
        if predicate == SH["or"]:
            return f"FILTER({' && '.join(fails)})"
        if predicate == SH.xone:
            conforming = " + ".join(f"IF({fail}, 0, 1)" for fail in fails)
            return f"FILTER(({conforming}) != 1)"
        raise UnsupportedShapes(f"{_local(predicate)} is not translated")

    def _fails(self, shape: Node, v: str) -> str:
        """A SPARQL expression, true when ``v`` does not conform to ``shape``."""
        if (shape, SH.sparql, None) in self.shapes:
            raise UnsupportedShapes(f"{shape}: SPARQL constraints are only run on shapes with targets")
        patterns = [pattern for _, pattern in self._violations(shape, v)]
        if not patterns:
            return "false"
        return "EXISTS { " + " UNION ".join(f"{{ {p} }}" for p in patterns) + " }"

    def _datatype(self, datatype: Node, v: str) -> str:
        if datatype == RDFS.Literal:
            return f"FILTER(!isLiteral({v}))"
        if datatype in _PLAIN_DATATYPES:
            return f"FILTER(!isLiteral({v}) || DATATYPE({v}) != {_term(datatype)})"
        pattern = _CHECKED_DATATYPES.get(datatype)  # type: ignore[call-overload]
        if pattern is None:
            raise UnsupportedShapes(f"sh:datatype {datatype} is not translated")
        cast = self._var("cast")
        return (f"BIND({_term(datatype)}({v}) AS {cast}) "
                f"FILTER(!isLiteral({v}) || DATATYPE({v}) != {_term(datatype)} || !BOUND({cast}) "
                f"|| !REGEX(STR({v}), \"{pattern}\"))")

    def _path(self, path: Node) -> str:
        if isinstance(path, URIRef):
            return _term(path)
        inverse = self.shapes.value(path, SH.inversePath)
        if inverse is not None:
            return f"^({self._path(inverse)})"
        for predicate, operator in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            inner = self.shapes.value(path, predicate)
            if inner is not None:
                return f"({self._path(inner)}){operator}"
        alternatives = self.shapes.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self._path(p) for p in Collection(self.shapes, alternatives)) + ")"  # type: ignore[arg-type]
        if (path, RDF.first, None) in self.shapes:
            return "(" + "/".join(self._path(p) for p in Collection(self.shapes, path)) + ")"  # type: ignore[arg-type]
        raise UnsupportedShapes(f"a property path that is not translated: {path}")

    def _path_label(self, shape: Node) -> str:
        path = self.shapes.value(shape, SH.path)
        if path is None:
            return _label(shape)
        try:
            return self._path(path)
        except UnsupportedShapes:
            return _label(shape)

    def _deactivated(self, node: Node) -> bool:
        value = self.shapes.value(node, SH.deactivated)
        return isinstance(value, Literal) and value.toPython() is True

    def _var(self, hint: str) -> str:
        return f"?_{hint}{next(self._names)}"


def _select_body(select: str) -> str:
    """The SELECT query of a SPARQL constraint as a sub-select (its PREFIX lines moved out)."""
    lines = [line for line in select.strip().splitlines() if not line.strip().upper().startswith("PREFIX ")]
    return "\n".join(lines)


def _distinct(values: Sequence[str]) -> str:
    tests = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(values, 2)]
    return f"FILTER({' && '.join(tests)})" if tests else ""


def _count(value: Node | None, shape: Node | None, what: str) -> int:
    number = value.toPython() if isinstance(value, Literal) else None
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise UnsupportedShapes(f"{shape}: sh:{what} {value} is not a whole number")
    if what == "maxCount" and number > _MAX_COUNT_LIMIT or what == "minCount" and number > _MAX_COUNT_LIMIT:
        raise UnsupportedShapes(f"{shape}: sh:{what} above {_MAX_COUNT_LIMIT} is not translated")
    return number


def _term(node: Node) -> str:
    if isinstance(node, BNode):
        raise UnsupportedShapes(f"a blank node {node} where a term is needed")
    if isinstance(node, Literal) and node.datatype is None and node.language is None:
        return Literal(str(node), datatype=XSD.string).n3()
    return node.n3()


def _key(node: Node) -> tuple[int, str]:
    return (isinstance(node, BNode), str(node))


def _local(node: Node) -> str:
    text = str(node)
    return "sh:" + text[len(str(SH)):] if text.startswith(str(SH)) else text


def _label(node: Node) -> str:
    return "[...]" if isinstance(node, BNode) else _local(node) if isinstance(node, URIRef) else str(node)
