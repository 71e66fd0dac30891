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

A query that matches a parameter against labels may say so in its header::

    # match: ?parentName ~ ?name

meaning: ``?parentName`` only ever holds an ``rdfs:label``/``skos:altLabel`` value, and the
query keeps those equal to ``?name`` ignoring case. The rdflib engine ignores the line; an
engine with a label index (kg's Oxigraph store) pre-binds ``?parentName`` to the few labels
that can match, so a name lookup costs an index probe instead of a scan of every label.

A query may keep lines only for some parameters (the markers are comments, so the text stays
valid SPARQL)::

    #if ?name
      ?entity rdfs:label|skos:altLabel ?entityName .
      FILTER(LCASE(STR(?entityName)) = LCASE(STR(?name)))
    #end

The lines between ``#if ?name`` and ``#end`` are kept when ``name`` is given and dropped when it
is not (``#if !?name``: the other way round); both engines do this before evaluation. A lookup
then starts from the entity asked for, in the same basic graph pattern as the rest, where a query
planner such as Oxigraph's orders it first, while the same query without the parameter lists
everything. (Oxigraph evaluates a group separated from the patterns it joins by a ``BIND``, an
``OPTIONAL`` or a ``UNION`` on its own, so a ``FILTER(!BOUND(?name) || ...)`` at the end reads the
whole graph first.)

Queries run on an rdflib graph (:func:`load_graph`) or on one of kg's stores
(:mod:`kg.store`, Oxigraph): :func:`run_query` and :func:`run_named` take either.
"""

from __future__ import annotations

import difflib
import functools
import importlib.resources
import os
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Union, cast, runtime_checkable

import rdflib
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Identifier, Literal, Node, Variable

from kg.query.rewrite import ParameterError, select_blocks
from kg.sparql.result import (  # defined below kg's stages; kg.query.engine has always offered them
    NAMESPACES,
    QueryError,
    QueryKind,
    QueryResult,
    QueryTimeout,
    call_with_timeout,
)


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

PathLike = str | os.PathLike[str]

_HEADER_FIELD = re.compile(r"^#\s*(title|description|param|match)\s*:\s*(.*)$")
_MATCH_SPEC = re.compile(r"^[?$]?([A-Za-z_][A-Za-z0-9_]*)\s*~\s*[?$]?([A-Za-z_][A-Za-z0-9_]*)\s*$")
_PARAM_SPEC = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?:—|–|--|-|:)\s*(.*)$")
_OPTIONAL_MARK = re.compile(r"^\(optional\)\s*;?\s*", re.IGNORECASE)


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
    #: ``(variable, parameter)`` pairs from ``# match:`` lines (see the module docstring).
    matches: tuple[tuple[str, str], ...] = ()

    @property
    def required_params(self) -> tuple[str, ...]:
        """Names of the parameters that must be given."""
        return tuple(p.name for p in self.params if p.required)


@runtime_checkable
class QuerySource(Protocol):
    """Something other than an rdflib graph that runs SPARQL: kg's stores (:mod:`kg.store`).

    ``bindings`` maps parameter names to plain-literal values; ``matches`` are a query's
    ``# match:`` pairs. The source raises :class:`QueryError` (:class:`QueryTimeout` when
    ``timeout`` seconds pass) and returns at most ``limit`` rows, flagging ``truncated``.
    """

    def evaluate(
        self,
        sparql: str,
        bindings: Mapping[str, str],
        *,
        matches: tuple[tuple[str, str], ...] = (),
        timeout: float | None = None,
        limit: int | None = None,
        label: str = "the query",
    ) -> QueryResult: ...


#: What :func:`run_query` and :func:`run_named` run on.
Queryable = Union[rdflib.Graph, QuerySource]


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
    matches: list[tuple[str, str]] = []
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
            if key == "match":
                spec = _MATCH_SPEC.match(value)
                if not spec:
                    raise QueryError(
                        f"query {name!r}: cannot read match line {value!r}; expected "
                        "'# match: ?labelVariable ~ ?parameter'"
                    )
                matches.append((spec.group(1), spec.group(2)))
                current = None
            elif key == "param":
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
    declared = {param.name for param in params}
    for variable, param_name in matches:
        if param_name not in declared:
            raise QueryError(
                f"query {name!r}: '# match: ?{variable} ~ ?{param_name}' names no declared parameter"
            )
    return NamedQuery(
        name=name,
        title=" ".join(fields["title"]) or name,
        description=" ".join(part for part in fields["description"] if part),
        params=tuple(params),
        text=text,
        matches=tuple(matches),
    )


def run_named(
    graph: Queryable,
    name: str,
    params: Mapping[str, str | None] | None = None,
    *,
    timeout: float | None = None,
    limit: int | None = None,
) -> QueryResult:
    """Run the shipped query ``name`` with ``params`` on an rdflib graph or a kg store; raises
    :class:`QueryError` for an unknown name, a missing required parameter or one the query does
    not take, and :class:`QueryTimeout` when ``timeout`` seconds pass. ``limit`` caps the
    rows returned (the result is then marked ``truncated``)."""
    queries = named_queries()
    query = queries.get(name)
    if query is None:
        close = difflib.get_close_matches(name, queries, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise QueryError(f"unknown query {name!r}{hint} (known: {', '.join(queries)})")
    return _run(graph, query.text, params, declared=query.params, matches=query.matches,
                label=f"query {name!r}", timeout=timeout, limit=limit)


def run_query(
    graph: Queryable,
    sparql: str,
    params: Mapping[str, str | None] | None = None,
    *,
    timeout: float | None = None,
    limit: int | None = None,
    allow_service: tuple[str, ...] = (),
) -> QueryResult:
    """Run SPARQL text over ``graph`` (an rdflib graph or a kg store) with ``params`` bound as
    plain literals to the variables of the same name. The usual prefixes (kg, kgr, rdf, rdfs,
    skos, prov, dcterms, xsd, owl, schema) need no PREFIX line. If the text has a ``# param:``
    header, its required parameters must be given and no others; otherwise each parameter must
    name a variable of the query. ``timeout`` and ``limit`` as in :func:`run_named`. A
    ``SERVICE`` clause is refused unless its endpoint starts with one of the URL prefixes in
    ``allow_service``, and so is nesting deeper than :data:`kg.query.safety.MAX_NESTING`
    (:class:`kg.query.safety.QueryRefused`, a :class:`QueryError`)."""
    from kg.query.safety import check_query

    check_query(sparql, allow_service=allow_service, namespaces=NAMESPACES)
    header = parse_query_file("query", sparql)
    declared = header.params if header.params else None
    return _run(graph, sparql, params, declared=declared, matches=header.matches,
                label="the query", timeout=timeout, limit=limit)


def _run(
    graph: Queryable,
    sparql: str,
    params: Mapping[str, str | None] | None,
    *,
    declared: tuple[QueryParam, ...] | None,
    label: str,
    matches: tuple[tuple[str, str], ...] = (),
    timeout: float | None = None,
    limit: int | None = None,
) -> QueryResult:
    bindings = _bindings(sparql, params or {}, declared, label)
    try:
        sparql = select_blocks(sparql, bindings)
    except ParameterError as error:
        raise QueryError(f"{label}: {error}") from error
    if not isinstance(graph, rdflib.Graph):
        if not isinstance(graph, QuerySource):
            raise TypeError(f"cannot query a {type(graph).__name__}: expected an rdflib graph or a kg store")
        plain = {name: str(value) for name, value in bindings.items()}
        return graph.evaluate(sparql, plain, matches=matches, timeout=timeout, limit=limit, label=label)
    return run_rdflib(graph, sparql, bindings, label=label, timeout=timeout, limit=limit)


def run_rdflib(
    graph: rdflib.Graph,
    sparql: str,
    bindings: Mapping[str, Identifier],
    *,
    label: str = "the query",
    timeout: float | None = None,
    limit: int | None = None,
) -> QueryResult:
    """Run ``sparql`` with rdflib, ``bindings`` as ``initBindings`` (no parameter checks).

    With ``timeout`` the query runs in a daemon thread that is abandoned when time runs out
    (rdflib cannot stop a query; the thread ends with the process).
    """
    try:
        prepared = prepareQuery(sparql, initNs=dict(NAMESPACES))
    except Exception as exc:  # pyparsing's ParseException, or rdflib's own errors on bad prefixes
        from kg.query.errors import describe_syntax_error

        raise QueryError(describe_syntax_error(sparql, exc, label=label)) from exc

    def work() -> QueryResult:
        try:
            result = graph.query(prepared, initBindings=dict(bindings))
            return _to_result(result, limit)
        except QueryError:
            raise
        except Exception as exc:
            raise QueryError(f"{label} failed: {type(exc).__name__}: {exc}") from exc

    return call_with_timeout(work, timeout, label)


def check_params(query: NamedQuery, params: Mapping[str, str | None]) -> dict[str, str]:
    """``params`` for the shipped query ``query``, checked as :func:`run_named` checks them
    (empty values dropped); raises :class:`QueryError` for a missing or unknown parameter."""
    bindings = _bindings(query.text, params, query.params, f"query {query.name!r}")
    return {name: str(value) for name, value in bindings.items()}


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


def _to_result(result: Result, limit: int | None = None) -> QueryResult:
    if result.type == "ASK":
        answer = "true" if result.askAnswer else "false"
        return QueryResult(("ask",), ((answer,),), kind="ASK", terms=((Literal(bool(result.askAnswer)),),))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        out = rdflib.Graph()
        for prefix, namespace in NAMESPACES.items():
            out.bind(prefix, namespace, override=True)
        truncated = False
        for count, triple in enumerate(result):
            if limit is not None and count >= limit:
                truncated = True
                break
            out.add(triple)  # type: ignore[arg-type]
        triples: tuple[tuple[Node | None, ...], ...] = tuple(sorted(out, key=lambda t: tuple(str(x) for x in t)))
        return QueryResult(
            ("subject", "predicate", "object"),
            tuple(tuple(str(x) for x in t) for t in triples),
            kind=cast(QueryKind, result.type),
            graph=out.serialize(format="turtle"),
            terms=triples,
            truncated=truncated,
        )
    variables: list[Variable] = list(result.vars or [])
    # rdflib answers a GROUP BY over no solutions with one solution that binds nothing; like
    # iterating its Result, a row with every column unbound is not a row.
    projected = (tuple(binding.get(v) for v in variables) for binding in result.bindings)
    terms = tuple(row for row in projected if any(value is not None for value in row))
    truncated = limit is not None and len(terms) > limit
    if truncated:
        terms = terms[:limit]
    rows = tuple(tuple(None if t is None else str(t) for t in row) for row in terms)
    return QueryResult(tuple(str(v) for v in variables), rows, kind="SELECT", terms=terms,
                       truncated=truncated)
