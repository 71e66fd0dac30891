"""kg push against endpoints that misbehave, each a small HTTP server on a loopback port:
redirects are failures and never followed, credentials never printed, and --timeout is a
deadline for the whole push."""

from __future__ import annotations

import base64
import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.push import PushError, push, redact

Answer = Callable[[BaseHTTPRequestHandler], None]


@contextlib.contextmanager
def endpoint(answer: Answer) -> Iterator[tuple[int, list[dict[str, str]]]]:
    """A loopback HTTP server whose every request is recorded (path, headers) and answered by
    ``answer``; yields its port and the records."""
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_PUT(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append({"path": self.path, **dict(self.headers)})
            answer(self)

        do_POST = do_PUT  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield httpd.server_address[1], seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def reply(status: int, body: bytes = b"", **headers: str) -> Answer:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        for key, value in {"Content-Length": str(len(body)), **headers}.items():
            handler.send_header(key.replace("_", "-"), value)
        handler.end_headers()
        handler.wfile.write(body)

    return answer


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_a_failure_and_is_not_followed(sample_path: Path, status: int) -> None:
    """Was: a 3xx answer was reported as success (exit 0), with nothing stored."""
    with endpoint(reply(204)) as (elsewhere, reached):
        target = f"http://localhost:{elsewhere}/store"
        with endpoint(reply(status, Location=target)) as (port, seen):
            with pytest.raises(PushError, match=f"answered {status} .*not followed") as failed:
                push(sample_path, f"http://127.0.0.1:{port}/store", timeout=30)
    assert target in str(failed.value) and "nothing was stored" in str(failed.value)
    assert len(seen) == 1 and reached == []


def test_credentials_in_the_url_are_never_printed(sample_path: Path) -> None:
    """Was: ``user:pass@`` printed in clear in the report and in every error."""
    with endpoint(reply(500, b"boom")) as (port, seen):
        url = f"http://alice:s3cret@127.0.0.1:{port}/store"
        with pytest.raises(PushError, match="answered 500") as failed:
            push(sample_path, url, timeout=30)
    assert "s3cret" not in str(failed.value) and "alice:***@" in str(failed.value)
    assert seen[0]["Authorization"] == "Basic " + base64.b64encode(b"alice:s3cret").decode()

    runner = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})
    with endpoint(reply(204)) as (port, _):
        ok = runner.invoke(app, ["push", str(sample_path), "--endpoint",
                                 f"http://alice:s3cret@127.0.0.1:{port}/store"])
    assert ok.exit_code == 0 and "alice:***@" in ok.output and "s3cret" not in ok.output
    with endpoint(reply(204)) as (port, _):
        pass  # closed: nothing listens there now
    refused = runner.invoke(app, ["push", str(sample_path), "--endpoint",
                                  f"http://alice:s3cret@127.0.0.1:{port}/store", "--timeout", "5"])
    assert refused.exit_code == 1 and "s3cret" not in refused.output
    assert redact("https://tok@h/x") == "https://***@h/x" and redact("http://h/x") == "http://h/x"


def trickle(handler: BaseHTTPRequestHandler) -> None:
    """An answer sent one byte every 0.3 s (about 14 s in all)."""
    with contextlib.suppress(OSError):
        for byte in b"HTTP/1.1 204 No Content\r\nX-Slow: yes\r\nContent-Length: 0\r\n\r\n":
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.3)
    handler.close_connection = True


def test_timeout_is_a_deadline_for_the_whole_push(sample_path: Path) -> None:
    """Was: --timeout applied to each read, so an endpoint trickling bytes held the push."""
    with endpoint(trickle) as (port, seen):
        started = time.monotonic()
        with pytest.raises(PushError, match="did not finish within the time limit"):
            push(sample_path, f"http://127.0.0.1:{port}/store", timeout=1.5)
        elapsed = time.monotonic() - started
    assert seen and elapsed < 10  # the whole answer takes about 14 s to trickle in
