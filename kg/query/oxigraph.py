"""Run SPARQL on an Oxigraph store (pyoxigraph) and return kg's :class:`QueryResult`.

The query runs in a daemon thread (pyoxigraph releases the GIL while it evaluates), so a
timeout returns control to the caller on time. Oxigraph's Python API cannot cancel a running
query: a timed-out query is abandoned and its thread runs on until Oxigraph finishes it, or
until the process exits. ``kg serve`` therefore runs queries in worker processes it can kill.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import rdflib
from rdflib.term import Literal, Node

from kg.query.errors import describe_syntax_error
from kg.sparql.oxigraph import from_oxigraph, to_oxigraph
from kg.sparql.result import NAMESPACES, QueryError, QueryResult, QueryTimeout, call_with_timeout

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["QueryTimeout", "evaluate", "from_oxigraph", "to_oxigraph"]

def evaluate(
    store: pyoxigraph.Store,
    sparql: str,
    *,
    timeout: float | None = None,
    limit: int | None = None,
    label: str = "the query",
    prefixes: Mapping[str, str] = NAMESPACES,
) -> QueryResult:
    """Run ``sparql`` (parameters already substituted) on ``store``.

    ``limit`` caps the rows (or triples) read; the result says ``truncated`` when there were
    more. Raises :class:`QueryError` for a syntax error (in words, with the line, column and a
    caret: :func:`kg.query.errors.describe_syntax_error`) and :class:`QueryTimeout` when
    ``timeout`` seconds pass first.
    """
    def work() -> QueryResult:
        try:
            return _materialise(store, sparql, limit, dict(prefixes))
        except SyntaxError as error:
            raise QueryError(describe_syntax_error(sparql, error, label=label,
                                                   prefixes=prefixes)) from error
        except QueryError:
            raise
        except Exception as error:
            raise QueryError(f"{label} failed: {type(error).__name__}: {error}") from error

    return call_with_timeout(work, timeout, label)


def _materialise(
    store: pyoxigraph.Store, sparql: str, limit: int | None, prefixes: dict[str, str]
) -> QueryResult:
    import pyoxigraph as ox

    result = store.query(sparql, prefixes=prefixes)
    if isinstance(result, ox.QueryBoolean):
        answer = bool(result)
        return QueryResult(("ask",), (("true" if answer else "false",),), kind="ASK",
                           terms=((Literal(answer),),))
    if isinstance(result, ox.QueryTriples):
        kind = "DESCRIBE" if _is_describe(sparql) else "CONSTRUCT"
        graph = rdflib.Graph()
        for prefix, namespace in NAMESPACES.items():
            graph.bind(prefix, namespace, override=True)
        truncated = False
        for count, triple in enumerate(result):
            if limit is not None and count >= limit:
                truncated = True
                break
            graph.add((from_oxigraph(triple.subject), from_oxigraph(triple.predicate),  # type: ignore[arg-type]
                       from_oxigraph(triple.object)))
        triples: tuple[tuple[Node | None, ...], ...] = tuple(
            sorted(graph, key=lambda t: tuple(str(x) for x in t))
        )
        return QueryResult(
            ("subject", "predicate", "object"),
            tuple(tuple(str(x) for x in t) for t in triples),
            kind=kind,  # type: ignore[arg-type]
            graph=graph.serialize(format="turtle"),
            terms=triples,
            truncated=truncated,
        )
    variables = [v.value for v in result.variables]
    terms: list[tuple[Node | None, ...]] = []
    truncated = False
    # Rows repeat terms (a label, a predicate, an article); an rdflib Literal is costly to make.
    converted: dict[Any, Node | None] = {}

    def convert(term: Any) -> Node | None:
        if term is None:
            return None
        found = converted.get(term)
        if found is None:
            found = converted[term] = from_oxigraph(term)
        return found

    for solution in result:
        if limit is not None and len(terms) >= limit:
            truncated = True
            break
        row = tuple(convert(solution[name]) for name in variables)
        if any(value is not None for value in row):
            terms.append(row)
    rows = tuple(tuple(None if t is None else str(t) for t in row) for row in terms)
    return QueryResult(tuple(variables), rows, kind="SELECT", terms=tuple(terms),
                       truncated=truncated)


def _is_describe(sparql: str) -> bool:
    from kg.query.rewrite import operation_keyword

    return operation_keyword(sparql) == "DESCRIBE"
