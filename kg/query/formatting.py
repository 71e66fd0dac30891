"""Turn a :class:`~kg.query.engine.QueryResult` into CSV, SPARQL 1.1 JSON or a rich table."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rdflib.term import BNode, Literal, Node, URIRef
from rich.table import Table
from rich.text import Text

from kg.query.engine import NAMESPACES, QueryResult

_NUMERIC_TYPES = frozenset(
    f"http://www.w3.org/2001/XMLSchema#{name}"
    for name in ("integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger")
)


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV: a header of column names, then one line per row; IRIs bare, unbound
    values empty, CRLF line ends. ASK gives the single column ``ask``; CONSTRUCT/DESCRIBE give
    ``subject,predicate,object`` rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue()


def to_json(result: QueryResult, *, indent: int | None = 2) -> str:
    """SPARQL 1.1 Query Results JSON: ``{"head": {"vars": [...]}, "results": {"bindings":
    [...]}}``, each bound value as ``{"type": "uri"|"literal"|"bnode", "value": ...}`` with
    ``datatype`` or ``xml:lang`` when the literal has one. ASK gives ``{"head": {}, "boolean":
    ...}``; CONSTRUCT/DESCRIBE give bindings of ``subject``/``predicate``/``object``."""
    if result.kind == "ASK":
        document: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
        return json.dumps(document, indent=indent, ensure_ascii=False)
    terms = result.terms if len(result.terms) == len(result.rows) else None
    bindings = []
    for index, row in enumerate(result.rows):
        binding: dict[str, dict[str, str]] = {}
        for position, column in enumerate(result.columns):
            value = row[position]
            if value is None:
                continue
            term = terms[index][position] if terms is not None else None
            binding[column] = _json_term(term, value)
        bindings.append(binding)
    document = {"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=indent, ensure_ascii=False)


def _json_term(term: Node | None, value: str) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": value}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": value}
    out = {"type": "literal", "value": value}
    if isinstance(term, Literal):
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
    return out


def to_table(result: QueryResult, *, title: str | None = None, compact: bool = True) -> Table:
    """A rich table of the result. With ``compact``, IRIs in known namespaces are shown as
    prefixed names (``kgr:person/kym-marsh``); numeric columns are right-aligned."""
    table = Table(title=title, show_lines=False, header_style="bold")
    terms = result.terms if len(result.terms) == len(result.rows) else None
    for position, column in enumerate(result.columns):
        numeric = terms is not None and bool(result.rows) and all(
            row[position] is None or _is_numeric(row[position]) for row in terms
        )
        table.add_column(column, justify="right" if numeric else "left", overflow="fold")
    for index, row in enumerate(result.rows):
        cells = []
        for position, value in enumerate(row):
            term = terms[index][position] if terms is not None else None
            if value is None:
                cells.append(Text(""))
            elif compact and isinstance(term, URIRef):
                cells.append(Text(_compact_iri(value)))
            else:
                cells.append(Text(value))
        table.add_row(*cells)
    if not result.rows:
        table.caption = "no results"
    return table


def _is_numeric(term: Node | None) -> bool:
    return isinstance(term, Literal) and term.datatype is not None and str(term.datatype) in _NUMERIC_TYPES


def _compact_iri(iri: str) -> str:
    best = ""
    best_prefix = ""
    for prefix, base in NAMESPACES.items():
        if iri.startswith(base) and len(base) > len(best):
            best, best_prefix = base, prefix
    return f"{best_prefix}:{iri[len(best):]}" if best else iri
