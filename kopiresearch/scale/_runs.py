"""Parallel runs on Dask workers: Monte-Carlo diffusion, IMM's reverse-reachable sets and
cascade measures, each giving exactly the in-process result.

:func:`kopiresearch.diffusion.simulate` and :func:`kopiresearch.seeding.select_seeds` take
``client=`` and call :func:`run_on_workers` and :class:`DaskRR` here; the ``*_distributed``
functions are the older spelling, kept for one release.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._compat import renamed_keyword
from ..errors import KopiresearchError

__all__ = ["run_on_workers", "DaskRR", "cascade_table_distributed", "simulate_distributed",
           "select_seeds_distributed"]


def cascade_table_distributed(corpus, client=None, *, n_chunks: int = 16, method=None,
                              follows=None, post_kinds=("repost", "quote"), root_types=None,
                              sizes=(10, 100, 1000), kinds=None) -> pd.DataFrame:
    """Cascade measures with the cascades spread over Dask workers.

    Cascades are independent, so the posts are split by root into ``n_chunks`` pieces (a
    root's whole cascade stays together), each piece is reconstructed and measured on a worker
    with :func:`kopiresearch.cascades.reconstruct_cascades` and
    :func:`~kopiresearch.cascades.cascade_table`, and the rows are put back in the order the
    in-memory call gives: the same table, whatever the number of workers or chunks.

    Parameters
    ----------
    corpus : Corpus
        In memory (the cascade-forming posts of a crawl are far fewer than its mentions; open
        big crawls with :func:`open_parquet_corpus` and select the reposts and quotes first).
    client : distributed.Client, optional
        Default: the current client (``dask_client()``).
    n_chunks : int
        Pieces of work (more than workers, for balance).
    method, follows, post_kinds, root_types, sizes
        As in :func:`~kopiresearch.cascades.reconstruct_cascades` and
        :func:`~kopiresearch.cascades.cascade_table`.
    kinds : iterable of str, optional
        The former name of ``post_kinds``: still accepted for one release, with a
        ``DeprecationWarning``.
    """
    from distributed import default_client

    from ..cascades import find_roots

    client = client or default_client()
    if int(n_chunks) < 1:
        raise KopiresearchError(f"n_chunks must be at least 1, not {n_chunks!r}")
    posts = corpus.posts
    kinds = renamed_keyword(post_kinds, kinds, name="post_kinds", former="kinds",
                            default=("repost", "quote"))
    kinds_list = [kinds] if isinstance(kinds, str) else list(kinds)
    parent = posts.index.get_indexer(posts["parent_post_id"])
    adopting = posts["kind"].astype(str).isin(kinds_list).to_numpy() & (parent >= 0)
    link = np.where(adopting, parent, np.arange(len(posts)))
    root = find_roots(link, posts.index)
    root_ids = posts.index.to_numpy(object)[root]
    chunk = (pd.util.hash_array(root_ids, categorize=False)
             % np.uint64(n_chunks)).astype(np.int64)
    authors = posts["author_id"].to_numpy(object)
    need_inter = method in (None, "interactions", "both") and (method is not None
                                                               or follows is None)
    follows_f = (client.scatter(follows, broadcast=True, hash=False) if follows is not None
                 else None)
    futures = []
    for c in range(int(n_chunks)):
        mask = chunk == c
        if not mask.any():
            continue
        sub_posts = posts[mask]
        inter = corpus.interactions.iloc[:0]
        if need_inter:
            adopters = set(authors[mask & adopting])
            inter = corpus.interactions[corpus.interactions["source_id"].isin(adopters)]
        futures.append(client.submit(
            _cascade_chunk, corpus.accounts, sub_posts, inter.reset_index(drop=True),
            follows_f, method, kinds_list, root_types, tuple(sizes), pure=False))
    tables = [t for t in client.gather(futures) if len(t)]
    if not tables:
        return _cascade_chunk(corpus.accounts, posts.iloc[:0], corpus.interactions.iloc[:0],
                              follows, method, kinds_list, root_types, tuple(sizes))
    table = pd.concat(tables)
    order = np.lexsort((_string_order(table.index), table["root_created_at"].to_numpy()))
    return table.iloc[order]


def simulate_distributed(G, seeds, model: str = "ic", *, client=None, chunk_runs: int = 250,
                         runs: int = 1000, seed=None, q=1, **options):
    """Deprecated: use ``kopiresearch.diffusion.simulate(..., client=client)``.

    :func:`kopiresearch.diffusion.simulate` with the Monte-Carlo runs spread over Dask
    workers; the result is identical to ``simulate(G, seeds, model, runs=runs, seed=seed,
    ...)`` for any number of workers. Kept for one release.

    Parameters
    ----------
    G, seeds, model, runs, seed, q, **options
        As in :func:`kopiresearch.diffusion.simulate` (``p``, ``probability``, ``weight``,
        ``thresholds``, ``beta``, ``gamma``, ``max_steps``, ``direction``, ``region``,
        ``regions``).
    client : distributed.Client, optional
        Default: the current client.
    chunk_runs : int
        Runs per task.

    Returns
    -------
    SpreadResult
    """
    warnings.warn("simulate_distributed is deprecated and will be removed in the next release; "
                  "use kopiresearch.diffusion.simulate(..., client=client) (same result)",
                  DeprecationWarning, stacklevel=2)
    from distributed import default_client

    from ..diffusion import simulate

    keys = ("p", "probability", "weight", "thresholds", "beta", "gamma", "max_steps",
            "direction", "region", "regions")
    unknown = sorted(set(options) - set(keys))
    if unknown:
        raise KopiresearchError(f"unknown option(s) for simulate: {unknown}")
    return simulate(G, seeds, model, runs=runs, seed=seed, q=q, progress=False,
                    client=client or default_client(), chunk_runs=chunk_runs, **options)


def run_on_workers(client, job, model, chunk_runs):
    """The runs of a :class:`kopiresearch._engine.Job` in chunks of ``chunk_runs`` on the
    workers of ``client``, added up in chunk order: what
    :func:`kopiresearch._engine.run_batches` returns in-process, exactly.

    The runs' random streams are drawn on the client (in the job), so the split changes
    nothing; the job is scattered to every worker once per call.
    """
    if (isinstance(chunk_runs, bool) or not isinstance(chunk_runs, (int, np.integer))
        or chunk_runs < 1):
        raise KopiresearchError(f"chunk_runs must be an integer >= 1, not {chunk_runs!r}")
    chunk_runs = int(chunk_runs)
    # hash=False: a fresh key per call, so a previous call releasing the same content cannot
    # race with this one (dask reuses content-hashed keys)
    shared = client.scatter(job, broadcast=True, hash=False)
    bounds = range(0, len(job.run_seeds), chunk_runs)
    futures = [client.submit(_simulate_chunk, shared, model, lo, lo + chunk_runs, pure=False)
               for lo in bounds]
    parts = client.gather(futures)
    counts = sum(part[0] for part in parts)
    spreads = np.concatenate([part[1] for part in parts])
    tally = np.concatenate([part[2] for part in parts])
    width = max(len(part[3]) for part in parts)
    hist = sum(np.pad(part[3], (0, width - len(part[3]))) for part in parts)
    return counts, spreads, tally, hist


def _string_order(index) -> np.ndarray:
    codes, _ = pd.factorize(np.asarray(index, dtype=object), sort=True)
    return codes


def _cascade_chunk(accounts, posts, interactions, follows, method, kinds, root_types, sizes):
    from ..cascades import cascade_table, reconstruct_cascades
    from ..corpus import Corpus

    sub = Corpus(accounts, posts, interactions)
    cas = reconstruct_cascades(sub, method=method, follows=follows, post_kinds=kinds,
                               root_types=root_types)
    return cascade_table(cas, sizes=sizes)


def _simulate_chunk(job, model, lo, hi):
    from .._engine import run_batches

    return run_batches(job.net, model, job.seed_idx, job.run_seeds[lo:hi], job.max_steps,
                       job.theta, job.gamma, False)


def select_seeds_distributed(G, k: int, *, client=None, chunk_sets: int = 50_000,
                             **options):
    """Deprecated: use ``kopiresearch.seeding.select_seeds(G, k, "imm", client=client)``.

    :func:`kopiresearch.seeding.select_seeds` with ``method="imm"``, the reverse-reachable
    (RR) sets generated on Dask workers. Kept for one release.

    The IMM algorithm itself (sample sizes, lower bound, greedy maximum coverage, the
    saturation heuristic of ``objective="fair"``) is the in-memory code and runs on the client;
    only the generation of RR sets moves to the workers. The result (``seeds``, ``table``,
    ``value``, ``base``, ``info``) is identical to ``select_seeds(G, k, "imm", ...)`` with the
    same ``seed``, whatever the number of workers or ``chunk_sets``.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        As in :func:`~kopiresearch.seeding.select_seeds`.
    k : int
        Number of seeds.
    client : distributed.Client, optional
        Default: the current client (``dask_client()``).
    chunk_sets : int
        RR sets per task (>= 1). Each task ships 16 bytes per set to its worker and returns
        the sets as flat int32 nodes plus int64 lengths.
    **options
        Keyword arguments of :func:`~kopiresearch.seeding.select_seeds` (``objective``,
        ``candidates``, ``fixed``, ``q``, ``regions``, ``model``, ``p``, ``probability``,
        ``weight``, ``direction``, ``region``, ``eps``, ``ell``, ``rr_per_region``,
        ``max_rr_sets``, ``seed``, ...); ``method`` is ``"imm"``.

    Returns
    -------
    SeedSelection
        Equal to the in-memory result.

    Raises
    ------
    KopiresearchError
        ``chunk_sets`` below 1 or not an integer, ``method`` other than ``"imm"``, an unknown
        option.
    DiffusionError
        Every error of :func:`~kopiresearch.seeding.select_seeds`.

    Notes
    -----
    IMM (Tang, Shi & Xiao 2015) estimates the objective of a seed set S by the fraction of
    random RR sets that S covers: an RR set is the set of accounts whose content reaches a
    random root (or root group: a region for ``objective="regions"``) in one random live-edge
    world. The client draws, from the ``seed`` Generator and in the in-memory order, the root
    group and a 64-bit random-stream seed of every RR set; the numba kernel builds RR set
    ``r`` from its root group and its own stream only. The sets are cut into consecutive
    chunks of ``chunk_sets``, each chunk is generated on a worker against the reversed CSR
    graph (scattered to every worker once per call, not sent with each task), and the chunks
    are concatenated in order. The sample is therefore bit-for-bit the in-memory sample, so
    the greedy coverage on the client picks the same seeds with the same estimates. Each
    task runs the kernel on as many numba threads as its worker has Dask threads.

    References
    ----------
    Tang, Y., Shi, Y. & Xiao, X. (2015). Influence maximization in near-linear time: a
    martingale approach. SIGMOD '15, 1539-1554. doi:10.1145/2723372.2723734.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("h1", i) for i in range(5)] + [("h2", i) for i in range(5, 8)])
    >>> with dask_client(n_workers=2) as client:          # doctest: +SKIP
    ...     sel = select_seeds_distributed(G, 2, client=client, p=1.0, direction="flow",
    ...                                    seed=1, chunk_sets=1000)
    >>> sel.seeds, round(sel.value, 1)                    # doctest: +SKIP
    (['h1', 'h2'], 10.0)
    """
    warnings.warn("select_seeds_distributed is deprecated and will be removed in the next "
                  "release; use kopiresearch.seeding.select_seeds(..., client=client) (same "
                  "result)", DeprecationWarning, stacklevel=2)
    from ..seeding import select_seeds

    method = options.pop("method", "imm")
    if method != "imm":
        raise KopiresearchError(f"method: select_seeds_distributed runs IMM only, not "
                                f"{method!r} (use kopiresearch.select_seeds)")
    if client is None:
        from distributed import default_client

        client = default_client()
    try:
        return select_seeds(G, k, "imm", client=client, chunk_sets=chunk_sets, **options)
    except TypeError as exc:
        raise KopiresearchError(f"select_seeds_distributed: {exc}") from None


class DaskRR:
    """RR-set backend of ``select_seeds(..., client=client)``: chunks of ``chunk_sets`` sets
    generated on Dask workers against the reversed graph (scattered once), concatenated in
    order, so the sample is bit-for-bit the in-process one."""

    def __init__(self, client, chunk_sets, graph):
        self.client, self.chunk_sets = client, chunk_sets
        # hash=False: a fresh key per call (see simulate_distributed)
        self.graph = client.scatter(graph, broadcast=True, hash=False)
        self.avg = 4.0

    def __call__(self, groups, seeds):
        step = self.chunk_sets
        futures = [self.client.submit(_rr_chunk, self.graph, groups[lo:lo + step],
                                      seeds[lo:lo + step], self.avg, pure=False)
                   for lo in range(0, groups.size, step)]
        parts = self.client.gather(futures)
        flat = (np.concatenate([part[0] for part in parts]) if parts
                else np.zeros(0, np.int32))
        lens = (np.concatenate([part[1] for part in parts]) if parts
                else np.zeros(0, np.int64))
        self.avg = max(1.0, flat.size / max(lens.size, 1))
        return flat, lens


def _rr_chunk(graph, groups, seeds, avg):
    import numba
    from distributed import get_worker

    from ..seeding import rr_generate

    try:
        threads = int(get_worker().state.nthreads)
    except (ValueError, AttributeError):  # not on a worker
        threads = numba.config.NUMBA_NUM_THREADS
    numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
    flat, lens, _ = rr_generate(graph, groups, seeds, avg)
    return flat, lens
