"""Query worker processes for ``kg serve``: each opens the store read-only and answers one query
at a time, so a query that runs past its time limit is stopped by ending its process.

Oxigraph cannot cancel a query from Python; killing the process that runs it is the only way to
give its CPU back. The pool replaces a killed worker with a fresh one in the background. The same
goes for memory: while a query runs, the pool reads its worker's resident memory every
:data:`WATCH_INTERVAL` seconds and stops the worker past the pool's ``memory_limit``; the worker
also caps its own data segment (``RLIMIT_DATA``) a little above it, so that an allocation burst
between two readings fails in the worker instead of growing the machine's memory.

A worker is ``python -m kg.serve.process FD STORE`` (:mod:`kg.serve.process`), talking to the
server over a socket pair
(``multiprocessing.connection``); unlike ``multiprocessing``'s spawn it never re-imports the
caller's ``__main__``.
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection

from kg.serve.jobs import Answer, Job

__all__ = ["Answer", "Job", "QueryBusy", "QueryOutOfMemory", "QueryTimedOut", "WorkerPool"]

#: seconds between two readings of a busy worker's memory
WATCH_INTERVAL = 0.05
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class QueryTimedOut(Exception):
    """The query did not finish within its time limit; its worker was stopped."""


class QueryBusy(Exception):
    """Every worker stayed busy for as long as a query may run."""


class QueryOutOfMemory(Exception):
    """The query's worker went past the memory limit (or died running it) and was replaced."""


def _resident(pid: int) -> int | None:
    """Resident memory of process ``pid`` in bytes (``None`` where /proc cannot tell)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


class _Worker:
    def __init__(self, store_path: str, memory_limit: int | None = None) -> None:
        ours, theirs = socket.socketpair()
        command = [sys.executable, "-m", "kg.serve.process", str(theirs.fileno()), store_path]
        if memory_limit:
            command.append(str(memory_limit))
        try:
            self.process = subprocess.Popen(
                command, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
            )
        finally:
            theirs.close()
        self.connection = Connection(ours.detach())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self.connection.close()


class WorkerPool:
    """``size`` worker processes over the read-only Oxigraph store at ``store_path``; each may
    hold ``memory_limit`` bytes of resident memory while it runs a query (``None``: no limit)."""

    def __init__(self, store_path: str, size: int = 2, *, memory_limit: int | None = None) -> None:
        if size < 1:
            raise ValueError(f"a worker pool needs at least one worker, not {size}")
        self._store_path = store_path
        self._memory_limit = memory_limit
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self._store_path, self._memory_limit)
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def run(self, job: Job, timeout: float) -> Answer:
        """Run ``job`` on an idle worker. Raises :class:`QueryBusy` when none frees up within
        ``timeout`` seconds, :class:`QueryTimedOut` when the query runs longer than that, and
        :class:`QueryOutOfMemory` when its worker goes past the memory limit or dies."""
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryBusy(f"every query worker stayed busy for {timeout:g} s") from None
        started = time.perf_counter()
        deadline = time.monotonic() + timeout
        peak = 0
        try:
            worker.connection.send(job)
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                if worker.connection.poll(min(left, WATCH_INTERVAL)):
                    answer: Answer = worker.connection.recv()
                    self._idle.put(worker)
                    return answer
                peak = max(peak, _resident(worker.process.pid) or 0)
                if self._memory_limit and peak > self._memory_limit:
                    self._retire(worker)
                    raise QueryOutOfMemory(
                        f"the query needed more than the memory limit of {_mib(self._memory_limit)} "
                        f"(--memory-limit) and was stopped; narrow it down or add a LIMIT")
        except (EOFError, OSError):
            pass  # the worker died (its memory cap, killed): replace it below
        else:
            self._retire(worker)
            raise QueryTimedOut(f"the query ran longer than {timeout:g} s and was stopped")
        self._retire(worker)
        elapsed = time.perf_counter() - started
        why = (f"most likely at the memory limit of {_mib(self._memory_limit)} (--memory-limit)"
               if self._memory_limit else "most likely out of memory")
        raise QueryOutOfMemory(f"the query worker stopped after {elapsed:.1f} s with {_mib(peak)} "
                               f"in use, {why}; it was replaced")

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()
        if not self._closed:
            threading.Thread(target=self._add, name="kg-worker-spawn", daemon=True).start()

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            try:
                worker.connection.send(None)
            except (EOFError, OSError):
                pass
            try:
                worker.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
            worker.stop()


def _mib(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MiB"
