"""Dask clients for :mod:`kopiresearch.scale`: a local cluster or a scheduler address."""

from __future__ import annotations

import os
from contextlib import contextmanager

from ..errors import KopiresearchError

__all__ = ["dask_client", "using_client", "dask_dataframe"]


def dask_dataframe():
    try:
        import dask.dataframe as dd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise KopiresearchError("kopiresearch.scale needs Dask: pip install "
                                "'kopiresearch[scale]'") from exc
    return dd


@contextmanager
def dask_client(scheduler: str | None = None, *, n_workers: int = 2,
                threads_per_worker: int = 1, memory_limit="auto"):
    """A ``dask.distributed.Client``: to ``scheduler`` (or ``DASK_SCHEDULER_ADDRESS``) if
    given, else to a new ``LocalCluster`` closed on exit.

    Examples
    --------
    >>> with dask_client(n_workers=1) as client:          # doctest: +SKIP
    ...     print(len(client.scheduler_info()["workers"]))
    1
    """
    from distributed import Client, LocalCluster

    address = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS")
    if address:
        client = Client(address)
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=threads_per_worker,
                           processes=True, memory_limit=memory_limit, dashboard_address=":0")
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


@contextmanager
def using_client(client):
    if client is not None:
        yield client
        return
    from distributed import default_client

    try:
        current = default_client()
    except ValueError:  # no client: a LocalCluster for this call
        current = None
    if current is not None:
        yield current
        return
    with dask_client() as own:
        yield own
