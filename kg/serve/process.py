"""A query worker process of ``kg serve``: ``python -m kg.serve.process FD STORE [MEMORY]``.

FD is the worker's end of a socket pair to the server; STORE the read-only Oxigraph folder;
MEMORY the memory limit in bytes. The pool that starts these processes is
:class:`kg.serve.worker.WorkerPool`; it knows this module by name only.
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection

from kg.serve.execute import execute
from kg.serve.jobs import Answer
from kg.store.oxigraph import OxigraphStore

__all__ = ["worker_main"]

#: the worker's own data-segment cap is the memory limit plus this (its resident memory is
#: watched against the limit itself; the cap only stops what grows faster than the watch)
_DATA_MARGIN = 256 << 20


def worker_main(connection: Connection, store_path: str, memory_limit: int | None = None) -> None:
    """A worker process: open the store read-only, then answer jobs until told to stop.
    ``memory_limit`` bytes (plus a margin) cap the process's data segment."""
    if memory_limit:
        _cap_data(memory_limit + _DATA_MARGIN)

    store = OxigraphStore(store_path, read_only=True)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            answer = execute(store, job)
        except Exception as error:  # reported to the client as a 500, the worker lives on
            answer = Answer("error", f"{type(error).__name__}: {error}".encode())
        try:
            connection.send(answer)
        except (EOFError, OSError):
            return


def _cap_data(limit: int) -> None:
    try:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    except (ImportError, ValueError, OSError):  # not on this platform: the watch remains
        pass


if __name__ == "__main__":
    worker_main(Connection(int(sys.argv[1])), sys.argv[2],
                int(sys.argv[3]) if len(sys.argv) > 3 else None)
