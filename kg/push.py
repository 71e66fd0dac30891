"""``kg push``: send a graph to any SPARQL 1.1 Graph Store HTTP Protocol endpoint.

The graph (a kg store folder, an Oxigraph folder, or an RDF file of any format kg reads) is
written as N-Triples by Oxigraph into a temporary file and streamed with httpx:

- ``PUT  ENDPOINT?graph=IRI`` replaces the named graph (``?default`` without ``--graph``);
- ``POST ENDPOINT?graph=IRI`` adds to it (``replace=False``, ``kg push --merge``).

Examples of Graph Store endpoints: Oxigraph ``http://host:7878/store``, Apache Jena Fuseki
``http://host:3030/DATASET/data``, GraphDB ``http://host:7200/repositories/REPO/rdf-graphs/service``.

Only a 2xx answer is success: a redirect is reported as an error and never followed (so the
graph, and any credentials, never go to a host the user did not name). ``timeout`` is a deadline
for the whole push, not for each read. Credentials in the endpoint URL (``user:password@``) are
sent as HTTP basic authentication and shown as ``***`` in every message and in the report.

>>> push("archive", "http://localhost:7878/store", graph="https://example.org/kg")  # doctest: +SKIP
PushReport(method='PUT', ..., triples=578, status=204)
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

__all__ = ["PushError", "PushReport", "graph_store_url", "push", "redact"]

_CHUNK = 1 << 16
#: the most of an error answer read (its first 500 characters are quoted)
_ANSWER_BYTES = 1 << 16


class PushError(Exception):
    """The graph could not be read or the endpoint refused it; the message says which."""


@dataclass(frozen=True)
class PushReport:
    """What :func:`push` sent and what the endpoint answered (``url`` with any credentials
    shown as ``***``)."""

    method: str
    url: str
    graph: str | None
    triples: int
    bytes: int
    status: int
    seconds: float


def redact(url: str) -> str:
    """``url`` with the password of its ``user:password@`` part (or a lone user name, which
    may be a token) replaced by ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.sub(r"//[^/@]*@", "//***@", url)
    if "@" not in parts.netloc:
        return url
    userinfo, _, host = parts.netloc.rpartition("@")
    user, has_password, _ = userinfo.partition(":")
    shown = f"{user}:***" if has_password else "***"
    return urlunsplit((parts.scheme, f"{shown}@{host}", parts.path, parts.query, parts.fragment))


def _scrub(text: str, url: str) -> str:
    """``text`` with the URL's password (and the URL itself) shown as in :func:`redact`."""
    text = text.replace(url, redact(url))
    password = urlsplit(url).password
    return text.replace(password, "***") if password else text


def graph_store_url(endpoint: str, graph: str | None) -> str:
    """``endpoint`` with the Graph Store Protocol's ``graph=IRI`` (or ``default``) parameter."""
    try:
        parts = urlsplit(endpoint)
    except ValueError:
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"not an http(s) URL: {redact(endpoint)!r}")
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
        timeout: a deadline in seconds for the whole push: connecting, sending the graph and
            reading the answer together.
        client: an ``httpx.Client`` to send with (tests, connection reuse).

    Raises:
        PushError: the source cannot be read, the endpoint cannot be reached or did not answer
            within ``timeout``, or it answered with anything but a 2xx status (the message
            quotes its answer; a redirect is not followed).
    """
    import httpx
    import pyoxigraph as ox

    from kg.store import StoreError, open_graph

    url = graph_store_url(endpoint, graph)
    shown = redact(url)
    if graph is not None and not urlsplit(graph).scheme:
        raise PushError(f"--graph must be an absolute IRI, not {graph!r}")
    try:
        store = open_graph(source)
    except StoreError as error:
        raise PushError(str(error)) from error
    started = time.perf_counter()
    method = "PUT" if replace else "POST"
    with tempfile.TemporaryDirectory(prefix="kg-push-") as folder:
        dump = Path(folder) / "graph.nt"
        store.native.dump(str(dump), ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        triples = len(store)
        size = dump.stat().st_size
        request_headers = {"Content-Type": "application/n-triples", **(headers or {}),
                           "Content-Length": str(size)}
        own_client = client is None
        http = client or httpx.Client(timeout=timeout)
        deadline = time.monotonic() + timeout
        sending = _Sending(http, method, url, dump, request_headers, deadline)
        try:
            answer = sending.run()
        except PushError as error:
            raise PushError(f"{method} {shown} {error}") from None
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as error:
            raise PushError(f"cannot {method} to {shown}: {_scrub(str(error), url)}") from None
        finally:
            if own_client:
                http.close()
    status, reason, text, location = answer
    if not 200 <= status < 300:
        detail = text.strip()[:500]
        if 300 <= status < 400:
            detail = (f"a redirect to {redact(location or '(no Location)')}, not followed: give the "
                      "endpoint's own URL with --endpoint")
        raise PushError(f"{method} {shown} answered {status} {reason}"
                        + (f": {detail}" if detail else "") + "; nothing was stored")
    return PushReport(method, shown, graph, triples, size, status, time.perf_counter() - started)


class _Sending:
    """One request sent in a thread of its own, so that the push keeps its deadline whatever
    the endpoint does (accepts the body slowly, answers one byte at a time, or never)."""

    def __init__(self, http: Any, method: str, url: str, body: Path, headers: Mapping[str, str],
                 deadline: float) -> None:
        self._args = (http, method, url, body, headers)
        self._deadline = deadline
        self._answer: tuple[int, str, str, str | None] | None = None
        self._error: BaseException | None = None

    def run(self) -> tuple[int, str, str, str | None]:
        """``(status, reason, text of the answer, Location)``; raises the request's error, or
        :class:`PushError` ("did not answer ...") at the deadline."""
        worker = threading.Thread(target=self._send, name="kg-push", daemon=True)
        worker.start()
        worker.join(max(0.0, self._deadline - time.monotonic()))
        if worker.is_alive() or time.monotonic() > self._deadline:
            raise PushError("did not finish within the time limit (--timeout, a deadline for the "
                            "whole push); nothing may have been stored")
        if self._error is not None:
            raise self._error
        assert self._answer is not None
        return self._answer

    def _send(self) -> None:
        import httpx

        http, method, url, body, headers = self._args
        try:
            left = max(0.001, self._deadline - time.monotonic())
            with body.open("rb") as handle, http.stream(
                method, url, content=self._chunks(handle), headers=dict(headers),
                follow_redirects=False, timeout=httpx.Timeout(left),
            ) as response:
                data = bytearray()
                for chunk in response.iter_bytes():
                    data += chunk
                    if len(data) >= _ANSWER_BYTES or time.monotonic() > self._deadline:
                        break
                self._answer = (response.status_code, response.reason_phrase,
                                data.decode("utf-8", "replace"), response.headers.get("location"))
        except BaseException as error:  # handed to run(), in the caller's thread
            self._error = error

    def _chunks(self, handle: Any) -> Iterator[bytes]:
        while time.monotonic() < self._deadline:
            chunk = handle.read(_CHUNK)
            if not chunk:
                return
            yield chunk
