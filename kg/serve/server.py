"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a kg store or an RDF file.

Routes::

    GET  /                 the query page (offline; the shipped queries as examples)
    GET  /sparql?query=…   SPARQL 1.1 Protocol query via GET
    POST /sparql           query via POST (form-encoded ``query=…`` or application/sparql-query)
    GET  /queries          the shipped queries (JSON: name, title, description, params, text)
    GET  /queries/NAME?p=… a shipped query with its parameters

Results are negotiated by ``Accept`` (or ``format=``): SPARQL JSON, XML, CSV or TSV for SELECT
and ASK; Turtle, JSON-LD, N-Triples or RDF/XML for CONSTRUCT and DESCRIBE. Updates (``update=``,
application/sparql-update, or query text that is an update) are refused with 403. A syntax error
is a 400 whose text gives Oxigraph's line and column. Each query runs in a worker process under
a time limit (503 when it is exceeded; the worker is stopped), a memory cap (503, the worker is
replaced) and a row cap (the result is cut short and the ``X-KG-Truncated`` header says so).

What the endpoint refuses before a query reaches the engine (see :class:`ServerConfig`):
``SERVICE`` clauses (federation would make the server send requests to any address it can
reach) unless their endpoint is under an ``allow_service`` prefix, and brackets nested deeper
than :data:`kg.query.safety.MAX_NESTING` (both 400); a POST body without a valid
``Content-Length`` (400, or 411 when it is missing) or over ``max_body`` (413). A connection
idle for ``read_timeout`` seconds is closed, and past ``max_connections`` open connections a new
one is answered 503 and closed. CORS headers are sent only to the origins in ``cors``.

The server reads a snapshot: a store folder is backed up (hard links, no copy) when the server
starts, so ``kg add`` may update the store meanwhile; restart the server to serve the update.
The snapshot is removed when the server stops, on SIGTERM and SIGHUP too; one left by a server
that was killed outright is removed by the next ``kg serve`` of the store.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from kg.export.atomic import process_running
from kg.query.engine import NAMESPACES, QueryError, check_params, named_queries
from kg.query.rewrite import UPDATE_KEYWORDS, operation_keyword
from kg.query.safety import MAX_NESTING, QueryRefused, check_query
from kg.serve.results import GRAPH_TYPES, RESULT_TYPES, NotAcceptable, negotiate
from kg.serve.worker import Answer, Job, QueryBusy, QueryOutOfMemory, QueryTimedOut, WorkerPool
from kg.store.base import StoreError

__all__ = ["ServerConfig", "SparqlServer", "serve"]

_CORS = {
    "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Expose-Headers": "X-KG-Truncated, X-KG-Rows",
    "Access-Control-Max-Age": "86400",
}
_ALWAYS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
_QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
_LENGTH = re.compile(r"[0-9]{1,18}")
_READ_CHUNK = 1 << 16
#: the prefix of a snapshot folder, and the file in it that names the serving process
SNAPSHOT_PREFIX = ".kg-serve-"
_OWNER = "pid"


@dataclass(frozen=True)
class ServerConfig:
    """Limits of a server.

    ``timeout`` seconds per query; ``limit`` rows (or triples) per answer; ``workers`` query
    processes; ``max_body`` bytes of a POST body; ``memory_limit`` bytes of memory (resident)
    per worker, past which its query is stopped with 503 and the worker replaced;
    ``read_timeout`` seconds a connection may stay silent (idle between requests, or in the
    middle of one) before it is closed; ``max_connections`` open connections at once;
    ``cors`` the origins sent CORS headers (``("*",)`` for any; none by default);
    ``allow_service`` the URL prefixes a ``SERVICE`` clause may call (none by default);
    ``max_nesting`` the deepest bracket nesting a query may have.
    """

    timeout: float = 30.0
    limit: int = 10_000
    workers: int = 2
    max_body: int = 1 << 20
    quiet: bool = False
    memory_limit: int = 1 << 30
    read_timeout: float = 20.0
    max_connections: int = 64
    cors: tuple[str, ...] = ()
    allow_service: tuple[str, ...] = ()
    max_nesting: int = MAX_NESTING


class _Snapshot:
    """A read-only Oxigraph folder for the workers: a backup of an Oxigraph store (hard links,
    so the live store may change meanwhile), or a graph file or in-memory store loaded."""

    def __init__(self, source: Path) -> None:
        from kg.store import MANIFEST, KgStore, is_store

        self.source = source
        self._temporary: Path | None = None
        if is_store(source):
            with KgStore.open(source, read_only=True) as kg_store:  # refuses an interrupted update
                engine = kg_store.engine
                if engine != "oxigraph":
                    self._load_bytes(kg_store.graph.serialize("nt"))
                    return
            self._backup(source / "oxigraph")
        elif (source / "CURRENT").is_file():
            self._backup(source)
        elif source.is_file():
            self._load(source)
        elif source.is_dir():
            raise StoreError(f"{str(source)!r} is neither a kg store ({MANIFEST}) nor an Oxigraph folder")
        else:
            raise StoreError(f"graph file or store not found: {str(source)!r}")

    def _backup(self, folder: Path) -> None:
        from kg.store import OxigraphStore

        # next to the store, so that the backup can hard-link its files
        sweep_snapshots(folder.parent)
        self._temporary = Path(tempfile.mkdtemp(prefix=SNAPSHOT_PREFIX, dir=folder.parent))
        (self._temporary / _OWNER).write_text(f"{os.getpid()}\n", encoding="ascii")
        self.path = self._temporary / "snapshot"
        try:
            live = OxigraphStore(folder)
        except StoreError as error:
            self.close()
            raise StoreError(
                f"cannot snapshot {str(folder)!r}; is another kg command writing it? ({error})"
            ) from error
        try:
            live.backup(self.path)
        except StoreError:
            self.close()
            raise
        finally:
            live.close()

    def _load(self, source: Path) -> None:
        from kg.store import OxigraphStore

        self._temporary = Path(tempfile.mkdtemp(prefix="kg-serve-"))
        self.path = self._temporary / "graph"
        store = OxigraphStore(self.path)
        try:
            store.load(source)
        except StoreError:
            self.close()
            raise
        finally:
            store.close()

    def _load_bytes(self, data: bytes) -> None:
        folder = Path(tempfile.mkdtemp(prefix="kg-serve-"))
        try:
            (folder / "graph.nt").write_bytes(data)
            self._load(folder / "graph.nt")
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)


def sweep_snapshots(folder: Path) -> list[Path]:
    """Remove the snapshots in ``folder`` left by ``kg serve`` processes that no longer run
    (killed outright, so they could not clean up); return the folders removed."""
    removed = []
    for candidate in folder.glob(f"{SNAPSHOT_PREFIX}*"):
        try:
            pid = int((candidate / _OWNER).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            continue  # not one of ours, or still being made
        if not process_running(pid):
            shutil.rmtree(candidate, ignore_errors=True)
            removed.append(candidate)
    return removed


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: routes in :class:`_Handler`, queries in a :class:`WorkerPool`."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, source: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8000,
                 config: ServerConfig | None = None) -> None:
        self.config = config or ServerConfig()
        self._slots = threading.BoundedSemaphore(self.config.max_connections)
        self.snapshot = _Snapshot(Path(source))
        try:
            self.pool = WorkerPool(str(self.snapshot.path), self.config.workers,
                                   memory_limit=self.config.memory_limit)
        except BaseException:
            self.snapshot.close()
            raise
        self.page, self.page_policy = _render_page(self.config)
        try:
            super().__init__((host, port), _Handler)
        except BaseException:
            self.pool.close()
            self.snapshot.close()
            raise

    @property
    def url(self) -> str:
        """The server's base URL."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> threading.Thread:
        """Serve in a background thread (tests, embedding); :meth:`close` stops it."""
        thread = threading.Thread(target=self.serve_forever, name="kg-serve", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        """Stop serving, stop the workers and remove the snapshot."""
        with contextlib.suppress(Exception):
            self.shutdown()
        self.release()

    def release(self) -> None:
        """Close the socket, stop the workers and remove the snapshot (after serving)."""
        self.server_close()
        self.pool.close()
        self.snapshot.close()

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the connection in a thread of its own, or answer 503 and close it when
        ``max_connections`` are open already."""
        if not self._slots.acquire(blocking=False):
            _refuse(request, self.config.max_connections)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def _refuse(request: socket.socket, limit: int) -> None:
    body = f"too many connections (this server keeps at most {limit} open); try again later\n"
    with contextlib.suppress(OSError):
        request.settimeout(1.0)
        request.sendall(
            (f"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
             f"Content-Length: {len(body)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{body}").encode()
        )


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "kg-serve"
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        """The ``Server`` header: kg-serve, without the Python version."""
        return self.server_version

    def setup(self) -> None:
        self.timeout = self.server.config.read_timeout  # applied to the socket by setup()
        super().setup()

    # --- routing ---------------------------------------------------------------------------

    def do_OPTIONS(self) -> None:  # noqa: N802 (http.server's naming)
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain; charset=utf-8")

    def do_HEAD(self) -> None:  # noqa: N802
        """GET's headers without its body (a query is run to know its status and length)."""
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, self.server.page, "text/html; charset=utf-8",
                       {"Content-Security-Policy": self.server.page_policy,
                        "X-Frame-Options": "DENY"})
        elif url.path == "/sparql":
            self._protocol(params, None)
        elif url.path == "/queries":
            self._send(HTTPStatus.OK, _queries_json(), "application/json; charset=utf-8")
        elif url.path.startswith("/queries/"):
            self._named(unquote(url.path[len("/queries/"):]), params)
        else:
            self._error(HTTPStatus.NOT_FOUND, f"no such page: {url.path} (the endpoint is /sparql)")

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path != "/sparql":
            self._error(HTTPStatus.METHOD_NOT_ALLOWED if url.path in ("/", "/queries") or
                        url.path.startswith("/queries/") else HTTPStatus.NOT_FOUND,
                        f"POST is only for /sparql, not {url.path}")
            return
        body = self._body()
        if body is None:
            return
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type == "application/sparql-update":
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL updates are refused")
        elif content_type == "application/x-www-form-urlencoded":
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                self._error(HTTPStatus.BAD_REQUEST, "the form is not UTF-8")
                return
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
            self._protocol(params, None)
        elif content_type == "application/sparql-query":
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                self._error(HTTPStatus.BAD_REQUEST, "the query is not UTF-8")
                return
            self._protocol(params, text)
        else:
            self._error(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "POST a form (application/x-www-form-urlencoded, query=...) or the query itself "
                "(application/sparql-query)",
            )

    def do_PUT(self) -> None:  # noqa: N802
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "this endpoint is read-only")

    do_DELETE = do_PUT  # noqa: N815
    do_PATCH = do_PUT  # noqa: N815

    # --- queries ---------------------------------------------------------------------------

    def _protocol(self, params: Mapping[str, list[str]], text: str | None) -> None:
        """The SPARQL 1.1 Protocol query operation."""
        if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL updates are refused")
            return
        if "default-graph-uri" in params or "named-graph-uri" in params:
            self._error(HTTPStatus.BAD_REQUEST,
                        "this endpoint serves one graph; default-graph-uri and named-graph-uri "
                        "are not supported")
            return
        if text is None:
            queries = params.get("query", [])
            if len(queries) != 1:
                self._error(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
                return
            text = queries[0]
        elif "query" in params:
            self._error(HTTPStatus.BAD_REQUEST, "the query is in the body; do not also give query=")
            return
        self._run(text, params, bindings=(), matches=())

    def _named(self, name: str, params: Mapping[str, list[str]]) -> None:
        query = named_queries().get(name)
        if query is None:
            self._error(HTTPStatus.NOT_FOUND, f"no shipped query {name!r}; see /queries")
            return
        given = {key: values[-1] for key, values in params.items() if key != "format"}
        try:
            bindings = check_params(query, given)
        except QueryError as error:
            self._error(HTTPStatus.BAD_REQUEST, str(error))
            return
        self._run(query.text, params, bindings=tuple(sorted(bindings.items())), matches=query.matches)

    def _run(self, text: str, params: Mapping[str, list[str]], *,
             bindings: tuple[tuple[str, str], ...], matches: tuple[tuple[str, str], ...]) -> None:
        config = self.server.config
        try:
            check_query(text, allow_service=config.allow_service, namespaces=NAMESPACES,
                        max_nesting=config.max_nesting)
        except QueryRefused as error:
            self._error(HTTPStatus.BAD_REQUEST, str(error))
            return
        form = operation_keyword(text)
        if form in UPDATE_KEYWORDS:
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL updates are refused")
            return
        if form not in _QUERY_FORMS:
            self._error(HTTPStatus.BAD_REQUEST,
                        "SPARQL syntax error: expected a SELECT, ASK, CONSTRUCT or DESCRIBE query")
            return
        offered = RESULT_TYPES if form in ("SELECT", "ASK") else GRAPH_TYPES
        format_name = (params.get("format") or [None])[-1]
        try:
            media = negotiate(self.headers.get("Accept"), offered, format_name)
        except NotAcceptable as error:
            self._error(HTTPStatus.NOT_ACCEPTABLE, str(error))
            return
        job = Job(text, form, media.name, config.limit, bindings, matches)
        try:
            answer: Answer = self.server.pool.run(job, config.timeout)
        except QueryTimedOut as error:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, f"query timed out: {error}")
            return
        except QueryOutOfMemory as error:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, f"query stopped: {error}")
            return
        except QueryBusy as error:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, f"server busy: {error}")
            return
        if answer.status == "bad-query":
            self._error(HTTPStatus.BAD_REQUEST, answer.body.decode("utf-8", "replace"))
            return
        if answer.status != "ok":
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, answer.body.decode("utf-8", "replace"))
            return
        headers = {"X-KG-Rows": str(answer.rows)}
        if answer.truncated:
            headers["X-KG-Truncated"] = f"true; limit={config.limit}"
        self._send(HTTPStatus.OK, answer.body, media.content_type, headers)

    # --- plumbing --------------------------------------------------------------------------

    def _body(self) -> bytes | None:
        """The POST body, read up to ``max_body`` bytes; ``None`` once an error is sent (the
        connection is then closed, since the rest of the body is not read)."""
        limit = self.server.config.max_body
        lengths = self.headers.get_all("Content-Length") or []
        if self.headers.get("Transfer-Encoding") or not lengths:
            return self._refuse_body(HTTPStatus.LENGTH_REQUIRED,
                                     "a POST needs a Content-Length (chunked bodies are not read)")
        if len(set(lengths)) != 1 or not _LENGTH.fullmatch(lengths[0].strip()):
            return self._refuse_body(HTTPStatus.BAD_REQUEST,
                                     f"bad Content-Length {', '.join(lengths)!r}: expected one "
                                     "whole number of bytes")
        size = int(lengths[0])
        if size > limit:
            return self._refuse_body(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                                     f"the body is over {limit} bytes")
        chunks, received = [], 0
        while received < size:
            chunk = self.rfile.read(min(_READ_CHUNK, size - received))
            if not chunk:
                return self._refuse_body(HTTPStatus.BAD_REQUEST,
                                         f"the body ended after {received} of {size} bytes")
            chunks.append(chunk)
            received += len(chunk)
        return b"".join(chunks)

    def _refuse_body(self, status: HTTPStatus, message: str) -> None:
        self.close_connection = True
        self._error(status, message)
        return None

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str,
              headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in {**_ALWAYS, **self._cors(), **(headers or {})}.items():
            self.send_header(key, value)
        if status == HTTPStatus.METHOD_NOT_ALLOWED:
            self.send_header("Allow", "GET, HEAD, POST, OPTIONS")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def _cors(self) -> dict[str, str]:
        """CORS headers for this request's ``Origin`` when the server allows it, else none."""
        allowed = self.server.config.cors
        origin = self.headers.get("Origin")
        if not allowed or origin is None:
            return {}
        if "*" in allowed:
            return {"Access-Control-Allow-Origin": "*", **_CORS}
        if origin in allowed:
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin", **_CORS}
        return {"Vary": "Origin"}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's name)
        if not self.server.config.quiet:
            super().log_message(format, *args)


def _queries_json() -> bytes:
    return json.dumps([_describe(query) for query in named_queries().values()],
                      ensure_ascii=False, indent=1).encode("utf-8")


def _describe(query: Any) -> dict[str, Any]:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "params": [{"name": p.name, "description": p.description, "required": p.required}
                   for p in query.params],
        "text": query.text,
    }


def _render_page(config: ServerConfig) -> tuple[bytes, str]:
    """The query page, from ``templates/query.html.j2`` with the shipped queries inlined, and
    its Content-Security-Policy: nothing loads or runs but its own inline script and style
    (by hash), and it talks to this server only."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("kg.serve", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
    )
    template = environment.get_template("query.html.j2")
    queries = [_describe(query) for query in named_queries().values()]
    page = template.render(queries=queries, timeout=config.timeout, limit=config.limit)
    scripts = [_sha256(code) for code in re.findall(r"<script>(.*?)</script>", page, re.DOTALL)]
    styles = [_sha256(code) for code in re.findall(r"<style>(.*?)</style>", page, re.DOTALL)]
    policy = ("default-src 'none'; script-src " + " ".join(scripts) + "; style-src "
              + " ".join(styles) + "; connect-src 'self'; img-src 'self' data:; "
              "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
    return page.encode("utf-8"), policy


def _sha256(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"


def serve(source: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8000,
          config: ServerConfig | None = None, *, on_ready: Any = None) -> None:
    """Serve ``source`` (a kg store folder, an Oxigraph folder or an RDF file) until
    interrupted. ``on_ready(server)`` is called once the socket listens."""
    server = SparqlServer(source, host, port, config)
    previous = _stop_on_signals()
    try:
        if on_ready is not None:
            on_ready(server)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.release()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _stop_on_signals() -> dict[int, Any]:
    """Make SIGTERM and SIGHUP stop :func:`serve` like ^C does (so the snapshot is removed);
    returns the handlers they had. Only the main thread can set handlers: elsewhere, none."""
    if threading.current_thread() is not threading.main_thread():
        return {}

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = {}
    for signum in (signal.SIGTERM, signal.SIGHUP):
        previous[signum] = signal.signal(signum, stop)
    return previous
