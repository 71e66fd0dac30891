"""``kg push``: send a graph to any SPARQL 1.1 Graph Store HTTP Protocol endpoint.

The graph (a kg store folder, an Oxigraph folder, or an RDF file of any format kg reads) is
written as N-Triples by Oxigraph into a temporary file and streamed with httpx:

- ``PUT  ENDPOINT?graph=IRI`` replaces the named graph (``?default`` without ``--graph``);
- ``POST ENDPOINT?graph=IRI`` adds to it (``replace=False``, ``kg push --merge``).

Examples of Graph Store endpoints: Oxigraph ``http://host:7878/store``, Apache Jena Fuseki
``http://host:3030/DATASET/data``, GraphDB ``http://host:7200/repositories/REPO/rdf-graphs/service``.

>>> push("archive", "http://localhost:7878/store", graph="https://example.org/kg")  # doctest: +SKIP
PushReport(method='PUT', ..., triples=578, status=204)
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

__all__ = ["PushError", "PushReport", "graph_store_url", "push"]

_CHUNK = 1 << 16


class PushError(Exception):
    """The graph could not be read or the endpoint refused it; the message says which."""


@dataclass(frozen=True)
class PushReport:
    """What :func:`push` sent and what the endpoint answered."""

    method: str
    url: str
    graph: str | None
    triples: int
    bytes: int
    status: int
    seconds: float


def graph_store_url(endpoint: str, graph: str | None) -> str:
    """``endpoint`` with the Graph Store Protocol's ``graph=IRI`` (or ``default``) parameter."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"not an http(s) URL: {endpoint!r}")
    extra = urlencode({"graph": graph}) if graph else "default"
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def push(
    source: str | os.PathLike[str],
    endpoint: str,
    *,
    graph: str | None = None,
    replace: bool = True,
    headers: Mapping[str, str] | None = None,
    timeout: float = 300.0,
    client: Any = None,
) -> PushReport:
    """Send the graph at ``source`` to the Graph Store endpoint ``endpoint``.

    Args:
        source: a kg store folder, an Oxigraph folder or an RDF file.
        endpoint: the Graph Store Protocol URL (without ``graph=``).
        graph: the IRI of the named graph to write; the endpoint's default graph if ``None``.
        replace: PUT (replace the graph) if true, else POST (add to it).
        headers: extra HTTP headers, e.g. ``{"Authorization": "Bearer …"}``.
        timeout: seconds to wait for the endpoint (connect, each read and write).
        client: an ``httpx.Client`` to send with (tests, connection reuse).

    Raises:
        PushError: the source cannot be read, the endpoint cannot be reached, or it answered
            with an error status (the message quotes its answer).
    """
    import httpx
    import pyoxigraph as ox

    from kg.store import StoreError, open_graph

    url = graph_store_url(endpoint, graph)
    if graph is not None and not urlsplit(graph).scheme:
        raise PushError(f"--graph must be an absolute IRI, not {graph!r}")
    try:
        store = open_graph(source)
    except StoreError as error:
        raise PushError(str(error)) from error
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kg-push-") as folder:
        dump = Path(folder) / "graph.nt"
        store.native.dump(str(dump), ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        triples = len(store)
        size = dump.stat().st_size
        request_headers = {"Content-Type": "application/n-triples", **(headers or {})}
        own_client = client is None
        http = client or httpx.Client(timeout=timeout)
        method = "PUT" if replace else "POST"
        try:
            with dump.open("rb") as body:
                response = http.request(
                    method, url, content=_chunks(body),
                    headers={**request_headers, "Content-Length": str(size)},
                )
        except httpx.HTTPError as error:
            raise PushError(f"cannot {method} to {url}: {error}") from error
        finally:
            if own_client:
                http.close()
    if response.status_code >= 400:
        detail = response.text.strip()[:500]
        raise PushError(f"{method} {url} answered {response.status_code} {response.reason_phrase}"
                        + (f": {detail}" if detail else ""))
    return PushReport(method, url, graph, triples, size, response.status_code,
                      time.perf_counter() - started)


def _chunks(handle: Any) -> Iterator[bytes]:
    while True:
        chunk = handle.read(_CHUNK)
        if not chunk:
            return
        yield chunk
