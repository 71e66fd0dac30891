"""Load a built graph and run SPARQL over it: ad-hoc queries and the ready-made ones shipped in
``kg/query/queries/*.rq``.

A shipped query is a data file whose leading comment lines describe it::

    # title: Children
    # description: The children of a person ...
    #   (indented comment lines continue the previous field)
    # param: name — the parent's name or alias
    # param: show — (optional) only this show

Parameters are SPARQL variables that the engine binds before evaluation (rdflib
``initBindings``), each to a plain literal. A parameter whose meaning starts with ``(optional)``
may be left out; the query then sees the variable unbound.
"""

from __future__ import annotations

import difflib
import functools
import importlib.resources
import os
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal as TypingLiteral
from typing import cast

import rdflib
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Identifier, Literal, Node, Variable

from kg.graph.namespace import DCTERMS, KG, KGR, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

#: Prefixes every query may use without declaring them, and that serialised results use.
NAMESPACES: Mapping[str, str] = {
    "kg": str(KG),
    "kgr": str(KGR),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "schema": str(SCHEMA),
}

#: File suffix -> rdflib parser name.
GRAPH_FORMATS: Mapping[str, str] = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json-ld": "json-ld",
    ".n3": "n3",
    ".rdf": "xml",
    ".owl": "xml",
}
_QUAD_FORMATS = frozenset({"trig", "nquads"})

QueryKind = TypingLiteral["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]
PathLike = str | os.PathLike[str]

_HEADER_FIELD = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")
_PARAM_SPEC = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?:—|–|--|-|:)\s*(.*)$")
_OPTIONAL_MARK = re.compile(r"^\(optional\)\s*;?\s*", re.IGNORECASE)


class QueryError(Exception):
    """A query could not be run: unknown name, missing or unknown parameter, bad SPARQL, or a
    graph file that cannot be read. The message says what to fix."""


@dataclass(frozen=True)
class QueryParam:
    """One parameter of a shipped query: the SPARQL variable it binds and what it means."""

    name: str
    description: str
    required: bool = True


@dataclass(frozen=True)
class NamedQuery:
    """A shipped query: its file stem, header fields and full SPARQL text."""

    name: str
    title: str
    description: str
    params: tuple[QueryParam, ...]
    text: str

    @property
    def required_params(self) -> tuple[str, ...]:
        """Names of the parameters that must be given."""
        return tuple(p.name for p in self.params if p.required)


@dataclass(frozen=True)
class QueryResult:
    """What a query returned, as plain strings (``None`` for unbound).

    SELECT: one column per projected variable. ASK: one column ``ask`` with one row holding
    ``"true"`` or ``"false"``. CONSTRUCT/DESCRIBE: the triples as ``subject``/``predicate``/
    ``object`` rows, and the whole graph as Turtle in ``graph``. ``terms`` keeps the rdflib terms
    behind ``rows`` (same shape) so serialisers can tell IRIs from literals.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    kind: QueryKind = "SELECT"
    graph: str | None = None
    terms: tuple[tuple[Node | None, ...], ...] = field(default=(), repr=False, compare=False)

    @property
    def boolean(self) -> bool | None:
        """The answer of an ASK query; ``None`` for other kinds."""
        if self.kind != "ASK":
            return None
        return self.rows == (("true",),)

    def __len__(self) -> int:
        return len(self.rows)


def load_graph(path_or_paths: PathLike | Iterable[PathLike]) -> rdflib.Graph:
    """Read one or more RDF files into a single graph, the format guessed from each suffix
    (.ttl .trig .nt .nq .jsonld, also .n3 .rdf .owl). Named graphs in .trig/.nq files are merged
    into the returned graph. Raises :class:`QueryError` for a missing or unreadable file."""
    paths = [path_or_paths] if isinstance(path_or_paths, (str, os.PathLike)) else list(path_or_paths)
    if not paths:
        raise QueryError("no graph file given")
    graph = rdflib.Graph()
    for prefix, namespace in NAMESPACES.items():
        graph.bind(prefix, namespace, override=True)
    for raw in paths:
        path = Path(raw)
        fmt = GRAPH_FORMATS.get(path.suffix.lower())
        if fmt is None:
            known = ", ".join(sorted(GRAPH_FORMATS))
            raise QueryError(f"cannot tell the RDF format of {str(path)!r} from its suffix; use one of {known}")
        if not path.is_file():
            raise QueryError(f"graph file not found: {str(path)!r}")
        try:
            with warnings.catch_warnings():
                # rdflib 7's own quad and JSON-LD parsers use its deprecated ConjunctiveGraph API.
                warnings.simplefilter("ignore", DeprecationWarning)
                if fmt in _QUAD_FORMATS:
                    _parse_quads(graph, path, fmt)
                else:
                    graph.parse(path, format=fmt)
        except Exception as exc:  # rdflib raises many unrelated types for bad input
            raise QueryError(f"cannot read {str(path)!r} as {fmt}: {exc}") from exc
    return graph


def _parse_quads(graph: rdflib.Graph, path: Path, fmt: str) -> None:
    dataset = rdflib.Dataset()
    dataset.parse(path, format=fmt)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))


@functools.lru_cache(maxsize=1)
def _load_named_queries() -> tuple[NamedQuery, ...]:
    folder = importlib.resources.files("kg.query").joinpath("queries")
    queries = []
    for entry in folder.iterdir():
        if entry.name.endswith(".rq") and entry.is_file():
            name = entry.name[: -len(".rq")]
            queries.append(parse_query_file(name, entry.read_text(encoding="utf-8")))
    return tuple(sorted(queries, key=lambda q: q.name))


def named_queries() -> dict[str, NamedQuery]:
    """The shipped queries by name (the file stem, e.g. ``"children"``), sorted by name."""
    return {q.name: q for q in _load_named_queries()}


def parse_query_file(name: str, text: str) -> NamedQuery:
    """Read the ``# title:``/``# description:``/``# param:`` header of a query file."""
    fields: dict[str, list[str]] = {"title": [], "description": []}
    param_specs: list[list[str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER_FIELD.match(stripped)
        if match:
            key, value = match.group(1), match.group(2).strip()
            if key == "param":
                current = [value]
                param_specs.append(current)
            else:
                current = fields[key]
                current.append(value)
        elif current is not None:
            current.append(stripped.lstrip("#").strip())
    params = []
    for spec in param_specs:
        joined = " ".join(part for part in spec if part)
        match = _PARAM_SPEC.match(joined)
        if not match:
            raise QueryError(
                f"query {name!r}: cannot read parameter line {joined!r}; expected '# param: name — meaning'"
            )
        meaning = match.group(2).strip()
        required = not _OPTIONAL_MARK.match(meaning)
        params.append(QueryParam(match.group(1), _OPTIONAL_MARK.sub("", meaning), required))
    return NamedQuery(
        name=name,
        title=" ".join(fields["title"]) or name,
        description=" ".join(part for part in fields["description"] if part),
        params=tuple(params),
        text=text,
    )


def run_named(graph: rdflib.Graph, name: str, params: Mapping[str, str | None] | None = None) -> QueryResult:
    """Run the shipped query ``name`` with ``params``; raises :class:`QueryError` for an unknown
    name, a missing required parameter or one the query does not take."""
    queries = named_queries()
    query = queries.get(name)
    if query is None:
        close = difflib.get_close_matches(name, queries, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise QueryError(f"unknown query {name!r}{hint} (known: {', '.join(queries)})")
    return _run(graph, query.text, params, declared=query.params, label=f"query {name!r}")


def run_query(graph: rdflib.Graph, sparql: str, params: Mapping[str, str | None] | None = None) -> QueryResult:
    """Run SPARQL text over ``graph`` with ``params`` bound as plain literals to the variables of
    the same name. The usual prefixes (kg, kgr, rdf, rdfs, skos, prov, dcterms, xsd, owl, schema)
    need no PREFIX line. If the text has a ``# param:`` header, its required parameters must be
    given and no others; otherwise each parameter must name a variable of the query."""
    header = parse_query_file("query", sparql)
    declared = header.params if header.params else None
    return _run(graph, sparql, params, declared=declared, label="the query")


def _run(
    graph: rdflib.Graph,
    sparql: str,
    params: Mapping[str, str | None] | None,
    *,
    declared: tuple[QueryParam, ...] | None,
    label: str,
) -> QueryResult:
    bindings = _bindings(sparql, params or {}, declared, label)
    try:
        prepared = _prepare(sparql)
    except Exception as exc:  # pyparsing's ParseException, or rdflib's own errors on bad prefixes
        raise QueryError(f"SPARQL syntax error in {label}: {exc}") from exc
    try:
        result = graph.query(prepared, initBindings=bindings)
        return _to_result(result)
    except QueryError:
        raise
    except Exception as exc:
        raise QueryError(f"{label} failed: {type(exc).__name__}: {exc}") from exc


@functools.lru_cache(maxsize=64)
def _prepare(sparql: str) -> Query:
    """The parsed query; parsing a long query takes rdflib about a second, evaluating it on a
    small graph much less, so each text is parsed once per process."""
    return prepareQuery(sparql, initNs=dict(NAMESPACES))


def _bindings(
    sparql: str,
    params: Mapping[str, str | None],
    declared: tuple[QueryParam, ...] | None,
    label: str,
) -> dict[str, Identifier]:
    given = {name: value for name, value in params.items() if value is not None and value != ""}
    if declared is not None:
        by_name = {p.name: p for p in declared}
        unknown = sorted(set(given) - set(by_name))
        if unknown:
            accepted = ", ".join(p.name for p in declared) or "none"
            raise QueryError(f"{label} does not take parameter(s) {', '.join(unknown)} (it takes: {accepted})")
        missing = [p for p in declared if p.required and p.name not in given]
        if missing:
            wanted = "; ".join(f"{p.name!r} ({p.description})" for p in missing)
            raise QueryError(f"{label} is missing required parameter(s): {wanted}")
    else:
        used = set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", sparql))
        unknown = sorted(set(given) - used)
        if unknown:
            raise QueryError(f"{label} has no variable(s) {', '.join('?' + u for u in unknown)} to bind")
    return {name: Literal(value) for name, value in given.items()}


def _to_result(result: Result) -> QueryResult:
    if result.type == "ASK":
        answer = "true" if result.askAnswer else "false"
        return QueryResult(("ask",), ((answer,),), kind="ASK", terms=((Literal(bool(result.askAnswer)),),))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        out = rdflib.Graph()
        for prefix, namespace in NAMESPACES.items():
            out.bind(prefix, namespace, override=True)
        for triple in result:
            out.add(triple)  # type: ignore[arg-type]
        triples: tuple[tuple[Node | None, ...], ...] = tuple(sorted(out, key=lambda t: tuple(str(x) for x in t)))
        return QueryResult(
            ("subject", "predicate", "object"),
            tuple(tuple(str(x) for x in t) for t in triples),
            kind=cast(QueryKind, result.type),
            graph=out.serialize(format="turtle"),
            terms=triples,
        )
    variables: list[Variable] = list(result.vars or [])
    # rdflib answers a GROUP BY over no solutions with one solution that binds nothing; like
    # iterating its Result, a row with every column unbound is not a row.
    projected = (tuple(binding.get(v) for v in variables) for binding in result.bindings)
    terms = tuple(row for row in projected if any(value is not None for value in row))
    rows = tuple(tuple(None if t is None else str(t) for t in row) for row in terms)
    return QueryResult(tuple(str(v) for v in variables), rows, kind="SELECT", terms=terms)
