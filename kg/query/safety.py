"""Checks a query must pass before an engine sees it: no federation (``SERVICE``) unless its
endpoint is allowed, and no nesting deeper than :data:`MAX_NESTING`.

Both engines kg runs evaluate ``SERVICE <http://…>`` by sending the inner pattern to that
address, and neither can be told not to: a query would make ``kg serve`` (or ``kg query``) send
requests to any address it can reach. And Oxigraph's parser recurses once per bracket, so a
query of a few thousand ``{`` crashes the process that parses it.

The check reads the query as SPARQL tokens, not as a string: text inside string literals,
IRIs and comments is skipped, so ``"SERVICE"`` in a literal, ``?service``, ``ex:SERVICE`` or a
``# SERVICE`` comment are no federation, while ``service <…>``, ``SERVICE SILENT ex:e`` and
``SERVICE ?endpoint`` are.

>>> check_query('SELECT * WHERE { ?s ?p "SERVICE <http://x/>" }')
>>> check_query("SELECT * WHERE { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
kg.query.safety.QueryRefused: SERVICE <http://10.0.0.1/sparql> is refused: ...
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from kg.sparql.result import QueryError

__all__ = ["MAX_NESTING", "QueryRefused", "Service", "check_query", "find_services", "nesting_depth"]

#: The deepest nesting of ``{ }``, ``( )`` and ``[ ]`` a query may have. kg's own queries nest
#: at most 10 deep; Oxigraph's parser crashes on a few thousand.
MAX_NESTING = 64

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]*)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*)?:(?:[\w.\-:%\u00b7\u00c0-\uffff]|\\.)*)
  | (?P<word>[A-Za-z_][\w\-]*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class QueryRefused(QueryError):
    """The query asks for something kg does not run: federation to an endpoint that is not
    allowed, or nesting deeper than :data:`MAX_NESTING`. The message says why and what to do."""


@dataclass(frozen=True)
class Service:
    """One ``SERVICE`` clause: its endpoint as written, and as an absolute IRI (``None`` for a
    variable, or a prefix or relative IRI that cannot be resolved)."""

    written: str
    iri: str | None


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield kind, match.group()


def nesting_depth(text: str) -> int:
    """The deepest nesting of brackets (``{``, ``(``, ``[``) in the query, outside strings,
    IRIs and comments."""
    depth = deepest = 0
    for kind, _ in _tokens(text):
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
    return deepest


def find_services(text: str, namespaces: Mapping[str, str] | None = None) -> list[Service]:
    """The ``SERVICE`` clauses of the query, in order. Prefixed endpoints are resolved with the
    query's ``PREFIX`` lines, then ``namespaces`` (the prefixes predeclared by the caller);
    relative IRIs with its ``BASE``."""
    prefixes = dict(namespaces or {})
    base: str | None = None
    tokens = list(_tokens(text))
    services: list[Service] = []
    for index, (kind, value) in enumerate(tokens):
        if kind != "word" or (index and tokens[index - 1] == ("other", "@")):  # "x"@service
            continue
        keyword = value.upper()
        following = tokens[index + 1 : index + 3]
        if keyword == "PREFIX" and len(following) == 2 and following[0][0] == "pname" \
                and following[1][0] == "iri":
            prefixes[following[0][1][:-1]] = _resolve(_iri(following[1][1]), base) or ""
        elif keyword == "BASE" and following and following[0][0] == "iri":
            base = _resolve(_iri(following[0][1]), base)
        elif keyword == "SERVICE":
            rest = tokens[index + 1 : index + 3]
            if rest and rest[0][0] == "word" and rest[0][1].upper() == "SILENT":
                rest = rest[1:]
            if not rest:
                continue
            endpoint_kind, written = rest[0]
            if endpoint_kind == "iri":
                services.append(Service(written, _resolve(_iri(written), base)))
            elif endpoint_kind == "pname":
                prefix, _, local = written.partition(":")
                namespace = prefixes.get(prefix)
                iri = None if namespace is None else namespace + re.sub(r"\\(.)", r"\1", local)
                services.append(Service(written, iri))
            elif endpoint_kind == "var":
                services.append(Service(written, None))
    return services


def check_query(text: str, *, allow_service: Sequence[str] = (),
                namespaces: Mapping[str, str] | None = None, max_nesting: int = MAX_NESTING) -> None:
    """Raise :class:`QueryRefused` unless every ``SERVICE`` endpoint of the query starts with
    one of the URL prefixes in ``allow_service`` and its brackets nest at most ``max_nesting``
    deep. A prefix without a path (``http://host:7878``) allows that origin only: it is read as
    ``http://host:7878/``. A variable endpoint (``SERVICE ?e``) is always refused."""
    depth = nesting_depth(text)
    if depth > max_nesting:
        raise QueryRefused(
            f"the query nests brackets {depth} deep; kg runs queries nested at most "
            f"{max_nesting} deep"
        )
    allowed = [_origin_prefix(prefix) for prefix in allow_service]
    for service in find_services(text, namespaces):
        if service.iri is not None and any(service.iri.startswith(prefix) for prefix in allowed):
            continue
        how = ("allow its URL with --allow-service URL_PREFIX" if service.iri is not None
               else "name the endpoint with an absolute IRI and allow it with --allow-service")
        raise QueryRefused(
            f"SERVICE {service.written} is refused: federated queries would make this machine "
            f"send requests to other addresses, so kg runs none by default ({how})"
        )


def _iri(token: str) -> str:
    """The IRI inside ``<…>``, its ``\\u`` escapes decoded (as the engines decode them)."""
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token[1:-1])


def _resolve(iri: str, base: str | None) -> str | None:
    if urlsplit(iri).scheme:
        return iri
    return urljoin(base, iri) if base else None


def _origin_prefix(prefix: str) -> str:
    parts = urlsplit(prefix)
    if parts.scheme and parts.netloc and not parts.path:
        return prefix + "/"
    return prefix
