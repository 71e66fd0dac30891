"""``kg serve`` as a separate process on a free loopback port, for the tests that need the
command itself (signals, the CLI's options). Imported as ``serve_process`` from this folder."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx


def free_port() -> int:
    """A TCP port free on 127.0.0.1 just now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen[bytes], what: str, within: float = 60.0) -> None:
    """Wait until ``url`` answers ``?query=ASK {}``; fail if ``process`` exits or ``within``
    seconds pass first."""
    deadline = time.monotonic() + within
    while True:
        try:
            httpx.get(url, params={"query": "ASK {}"}, timeout=5)
            return
        except httpx.TransportError:
            if process.poll() is not None:
                raise AssertionError(f"{what} exited: "
                                     + (process.stderr.read().decode() if process.stderr else ""))
            assert time.monotonic() < deadline, f"{what} did not start within {within:g} s"
            time.sleep(0.1)


@contextlib.contextmanager
def kg_serve(source: Path, *options: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """Run ``kg serve SOURCE --port P --quiet OPTIONS…`` until it answers; yields the process
    and its SPARQL endpoint URL. The process is terminated (then killed) on the way out."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", str(source), "--port", str(port), "--quiet",
         *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        wait_until_up(url, process, "kg serve")
        yield process, url
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
