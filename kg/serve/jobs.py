"""The messages between ``kg serve`` and its query workers: a :class:`Job` goes to a worker, an
:class:`Answer` comes back. Both sides import this module and nothing of each other."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Answer", "Job"]


@dataclass(frozen=True)
class Job:
    """One query for a worker. ``sparql`` is the query text; ``form`` its operation keyword
    (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``); ``media`` the short name of the result format (see :mod:`kg.serve.results`); ``limit`` the
    most rows or triples to return."""

    sparql: str
    form: str
    media: str
    limit: int
    #: parameters to substitute (a shipped query's), and its ``# match:`` pairs
    bindings: tuple[tuple[str, str], ...] = ()
    matches: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Answer:
    """A worker's reply: ``status`` is ``"ok"``, ``"bad-query"`` (a syntax or evaluation error
    the client caused) or ``"error"``; ``body`` the serialised result or the message."""

    status: str
    body: bytes
    truncated: bool = False
    rows: int = 0
    seconds: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
