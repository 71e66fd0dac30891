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
a time limit (503 when it is exceeded; the worker is stopped) and a row cap (the result is cut
short and the ``X-KG-Truncated`` header says so). Every answer carries CORS headers.

The server reads a snapshot: a store folder is backed up (hard links, no copy) when the server
starts, so ``kg add`` may update the store meanwhile; restart the server to serve the update.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from kg.query.engine import QueryError, check_params, named_queries
from kg.query.rewrite import UPDATE_KEYWORDS, operation_keyword
from kg.serve.results import GRAPH_TYPES, RESULT_TYPES, NotAcceptable, negotiate
from kg.serve.worker import Answer, Job, QueryBusy, QueryTimedOut, WorkerPool
from kg.store.base import StoreError

__all__ = ["ServerConfig", "SparqlServer", "serve"]

_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Expose-Headers": "X-KG-Truncated, X-KG-Rows",
    "Access-Control-Max-Age": "86400",
}
_QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})


@dataclass(frozen=True)
class ServerConfig:
    """Limits of a server: ``timeout`` seconds per query, ``limit`` rows (or triples) per
    answer, ``workers`` query processes, ``max_body`` bytes of a POST body."""

    timeout: float = 30.0
    limit: int = 10_000
    workers: int = 2
    max_body: int = 1 << 20
    quiet: bool = False


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
        self._temporary = Path(tempfile.mkdtemp(prefix=".kg-serve-", dir=folder.parent))
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


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: routes in :class:`_Handler`, queries in a :class:`WorkerPool`."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, source: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8000,
                 config: ServerConfig | None = None) -> None:
        self.config = config or ServerConfig()
        self.snapshot = _Snapshot(Path(source))
        try:
            self.pool = WorkerPool(str(self.snapshot.path), self.config.workers)
        except BaseException:
            self.snapshot.close()
            raise
        self.page = _render_page(self.config)
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
        self.server_close()
        self.pool.close()
        self.snapshot.close()


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "kg-serve"
    protocol_version = "HTTP/1.1"

    # --- routing ---------------------------------------------------------------------------

    def do_OPTIONS(self) -> None:  # noqa: N802 (http.server's naming)
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain; charset=utf-8")

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, self.server.page, "text/html; charset=utf-8")
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
        config = self.server.config
        job = Job(text, form, media.name, config.limit, bindings, matches)
        try:
            answer: Answer = self.server.pool.run(job, config.timeout)
        except QueryTimedOut as error:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, f"query timed out: {error}")
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
        length = self.headers.get("Content-Length")
        if length is None:
            self._error(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length")
            return None
        try:
            size = int(length)
        except ValueError:
            self._error(HTTPStatus.BAD_REQUEST, "bad Content-Length")
            return None
        if size > self.server.config.max_body:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                        f"the body is over {self.server.config.max_body} bytes")
            return None
        return self.rfile.read(size)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str,
              headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in {**_CORS, **(headers or {})}.items():
            self.send_header(key, value)
        if status == HTTPStatus.METHOD_NOT_ALLOWED:
            self.send_header("Allow", "GET, POST, OPTIONS")
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

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


def _render_page(config: ServerConfig) -> bytes:
    """The query page, from ``templates/query.html.j2`` with the shipped queries inlined."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("kg.serve", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
    )
    template = environment.get_template("query.html.j2")
    queries = [_describe(query) for query in named_queries().values()]
    return template.render(queries=queries, timeout=config.timeout, limit=config.limit).encode("utf-8")


def serve(source: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8000,
          config: ServerConfig | None = None, *, on_ready: Any = None) -> None:
    """Serve ``source`` (a kg store folder, an Oxigraph folder or an RDF file) until
    interrupted. ``on_ready(server)`` is called once the socket listens."""
    server = SparqlServer(source, host, port, config)
    try:
        if on_ready is not None:
            on_ready(server)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.pool.close()
        server.snapshot.close()
