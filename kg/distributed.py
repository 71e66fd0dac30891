"""Run extraction on a Dask cluster (``dask.distributed``): ``kg build --scheduler tcp://HOST:PORT``.

The build process reads the articles, sends them in batches to the cluster, and gets back the
same records a local build makes; resolution, the graph and the outputs stay in the build
process. Results are taken in the order the articles were read, so the graph is identical to a
local build's. Every Dask worker needs kg installed (``pip install 'kg[dask]'``) and loads the
NLP pipeline once, on its first batch; the articles travel with the tasks, so workers need no
access to the input files.

>>> from dask.distributed import LocalCluster                      # doctest: +SKIP
>>> with LocalCluster(n_workers=2, threads_per_worker=1) as cluster:  # doctest: +SKIP
...     kg.build(["corpus"], "out", scheduler=cluster.scheduler_address)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from kg.extract.parallel import (
    DEFAULT_BATCH_SIZE,
    BatchOutcome,
    PipelineSpec,
    batched,
    extract_batch,
    ordered_results,
)
from kg.records import Article

__all__ = ["DaskError", "extract_on_dask"]

#: Seconds to wait for the scheduler to answer before giving up.
CONNECT_TIMEOUT_S = 30


class DaskError(RuntimeError):
    """The Dask backend is not installed, or the scheduler cannot be reached."""


def extract_on_dask(
    articles: Iterable[Article],
    scheduler: str,
    *,
    spec: PipelineSpec,
    batch_size: int = DEFAULT_BATCH_SIZE,
    timeout: float | None = None,
) -> Iterator[BatchOutcome]:
    """Extract ``articles`` on the Dask cluster at ``scheduler``; one outcome per article, in order.

    At most two batches per worker thread of the cluster are in flight, so the corpus is read
    only as fast as the cluster works through it. ``timeout``: seconds to wait for the
    scheduler (default :data:`CONNECT_TIMEOUT_S`).

    Raises:
        DaskError: ``distributed`` is not installed or the scheduler cannot be reached.
        kg.extract.parallel.PipelineLoadError: a worker cannot load the NLP pipeline.
    """
    client = _connect(scheduler, CONNECT_TIMEOUT_S if timeout is None else timeout)
    try:
        threads = sum(client.nthreads().values()) or 1

        def submit(batch: list[Article]) -> Any:
            return client.submit(extract_batch, spec, batch, batch_size, pure=False)

        for outcomes in ordered_results(submit, batched(articles, batch_size), window=2 * threads):
            yield from outcomes
    finally:
        client.close()


def _connect(scheduler: str, timeout: float) -> Any:
    try:
        from distributed import Client
    except ImportError as error:
        raise DaskError(
            "the Dask backend is not installed: pip install 'kg[dask]' (dask and distributed)"
        ) from error
    try:
        return Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise DaskError(f"cannot connect to the Dask scheduler at {scheduler}: {error}") from error
