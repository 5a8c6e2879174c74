"""Parallel runs on Dask workers: Monte-Carlo diffusion, IMM's reverse-reachable sets, cascade
reconstruction and measures, each giving exactly the in-process result.

:func:`kopiresearch.diffusion.simulate`, :func:`kopiresearch.seeding.select_seeds`,
:func:`kopiresearch.cascades.reconstruct_cascades` and
:func:`kopiresearch.cascades.cascade_table` take ``client=`` and call :func:`run_on_workers`,
:class:`DaskRR`, :func:`reconstruct_on_workers` and :func:`cascade_table_on_workers` here;
the ``*_distributed`` functions are the older spelling, kept for one release: they forward
their arguments, so the defaults are the in-memory functions' own.
"""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pandas as pd

from ..errors import KopiresearchError

__all__ = ["run_on_workers", "DaskRR", "cascade_table_on_workers", "reconstruct_on_workers",
           "merge_cascades", "take_cascades", "cascade_table_distributed",
           "simulate_distributed", "select_seeds_distributed"]


def cascade_table_distributed(corpus, client=None, **options) -> pd.DataFrame:
    """Deprecated: use ``cascade_table(reconstruct_cascades(corpus, ..., client=client),
    client=client)``.

    :func:`kopiresearch.cascades.reconstruct_cascades` of ``corpus`` and
    :func:`kopiresearch.cascades.cascade_table`, both with ``client``: the cascades are
    reconstructed and measured on Dask workers, and the table is the one of the in-memory
    calls. Kept for one release.

    Parameters
    ----------
    corpus : Corpus
        In memory.
    client : distributed.Client, optional
        Default: the current client.
    **options
        Keyword arguments of :func:`~kopiresearch.cascades.cascade_table` (``sizes``,
        ``n_chunks``: used by both steps) and of
        :func:`~kopiresearch.cascades.reconstruct_cascades` (``method``, ``follows``,
        ``post_kinds``, ``root_types``, ``kinds``), with their defaults.
    """
    warnings.warn("cascade_table_distributed is deprecated and will be removed in the next "
                  "release; use kopiresearch.cascades.cascade_table(reconstruct_cascades("
                  "corpus, ..., client=client), client=client) (same table)",
                  DeprecationWarning, stacklevel=2)
    from distributed import default_client

    from ..cascades import cascade_table, reconstruct_cascades

    table_keys = set(inspect.signature(cascade_table).parameters) - {"cascades", "client"}
    table_options = {key: options.pop(key) for key in table_keys & set(options)}
    _check_options(reconstruct_cascades, "cascade_table_distributed", corpus, **options)
    client = client or default_client()
    if "n_chunks" in table_options:
        options["n_chunks"] = table_options["n_chunks"]
    cascades = reconstruct_cascades(corpus, client=client, **options)
    return cascade_table(cascades, client=client, **table_options)


def cascade_table_on_workers(client, cascades, sizes, n_chunks) -> pd.DataFrame:
    """:func:`kopiresearch.cascades.cascade_table` with ``client``: consecutive pieces of
    cascades (about equal node counts) measured on the workers, the rows concatenated in
    cascade order, which is the in-process table exactly."""
    from ..cascades import cascade_table

    _check_n_chunks(n_chunks)
    sizes = tuple(sizes)
    # no cascades, in this process: checks the arguments before any task is sent
    empty = cascade_table(take_cascades(cascades, []), sizes=sizes)
    offsets = cascades._arrays["offsets"]
    targets = np.linspace(0, offsets[-1], int(n_chunks) + 1)
    cuts = np.unique(np.r_[0, np.searchsorted(offsets, targets[1:-1]), len(offsets) - 1])
    if len(cuts) < 2:
        return empty
    futures = [client.submit(_measure_chunk, take_cascades(cascades, np.arange(lo, hi)),
                             sizes, pure=False)
               for lo, hi in zip(cuts[:-1], cuts[1:])]
    return pd.concat(client.gather(futures))


def reconstruct_on_workers(client, corpus, n_chunks, **options):
    """:func:`kopiresearch.cascades.reconstruct_cascades` with ``client``: the posts split
    by root into at most ``n_chunks`` pieces (a root's whole cascade in one piece), each
    piece reconstructed on a worker by the in-memory code, the pieces merged back by
    :func:`merge_cascades`: the in-process result exactly.

    ``options`` are the checked arguments of ``reconstruct_cascades`` (``method``,
    ``follows``, ``post_kinds`` as a list, ``root_types``). What a cascade's reconstruction
    reads besides its own posts is the accounts table (shipped whole, once), the
    interactions whose source and the follower ties whose follower is an author in the
    piece (every contact an inferred parent is chosen from), and the order of post ids and
    times, which a piece keeps and the merge restores across pieces. Parents are only
    looked for within a cascade, so no other piece is needed. Posts whose parents form a
    cycle, a bad ``follows`` table and any CascadeError of a piece are left to the
    in-process call, so the error is the in-process one.
    """
    from ..cascades import CascadeError, find_roots, reconstruct_cascades

    _check_n_chunks(n_chunks)
    method, follows = options["method"], options["follows"]
    posts, accounts = corpus.posts, corpus.accounts
    # the roots of reconstruct_cascades: adopting posts linked to their parent in the corpus
    parent = posts.index.get_indexer(posts["parent_post_id"])
    adopting = posts["kind"].astype(str).isin(options["post_kinds"]).to_numpy()
    adopt = adopting & (parent >= 0)
    root = find_roots(np.where(adopt, parent, np.arange(len(posts))), posts.index)
    if (root[adopt] != root[parent[adopt]]).any():
        # a cycle find_roots settles on (one of even length): pieces would cut it; the
        # in-process call reports it
        return reconstruct_cascades(corpus, **options)
    # a piece gets the cascades' posts and the posts counted in n_unresolved
    keep = adopting & posts["parent_post_id"].notna().to_numpy()
    keep[root[adopt]] = True
    rows = np.flatnonzero(keep)
    piece = (pd.util.hash_array(posts.index.to_numpy(object)[root[rows]], categorize=False)
             % np.uint64(n_chunks)).astype(np.int64)
    author = accounts.index.get_indexer(posts["author_id"])
    inter = corpus.interactions
    inter_src = (accounts.index.get_indexer(inter["source_id"])
                 if method in ("interactions", "both") else None)
    uses_follows = method in ("follows", "both")
    if uses_follows and not (isinstance(follows, pd.DataFrame)
                             and {"follower_id", "followee_id"} <= set(follows.columns)):
        return reconstruct_cascades(corpus, **options)  # its error, if any post needs them
    follower = accounts.index.get_indexer(follows["follower_id"]) if uses_follows else None
    shared = client.scatter(accounts, broadcast=True, hash=False)
    futures = []
    for c in np.unique(piece):
        mine = rows[piece == c]
        in_piece = np.zeros(len(accounts) + 1, bool)  # last slot: unknown accounts (-1)
        in_piece[author[mine]] = True
        piece_inter = inter.iloc[:0] if inter_src is None else inter[in_piece[inter_src]]
        piece_follows = follows[in_piece[follower]] if uses_follows else None
        futures.append(client.submit(_reconstruct_chunk, shared, posts.iloc[mine], piece_inter,
                                     dict(options, follows=piece_follows), pure=False))
    try:
        parts = client.gather(futures)
    except CascadeError:
        parts = None
    if not parts:  # no posts to split, or the in-process error
        return reconstruct_cascades(corpus, **options)
    return merge_cascades(parts)


def _reconstruct_chunk(accounts, posts, interactions, options):
    from ..cascades import reconstruct_cascades
    from ..corpus import Corpus

    return reconstruct_cascades(Corpus(accounts, posts, interactions), **options)


def merge_cascades(parts):
    """One :class:`Cascades` of ``parts`` (reconstructed from disjoint sets of roots of one
    corpus), the cascades in the order :func:`reconstruct_cascades` gives: root time, then
    root id. The inverse of cutting a Cascades into pieces with :func:`take_cascades`."""
    from ..cascades import Cascades, string_rank

    filled = [part for part in parts if len(part.nodes)] or parts[:1]
    arrays, n_nodes, n_cascades = {}, 0, 0
    pieces = []
    for part in filled:
        pieces.append(_rebased(part._arrays, n_nodes, n_cascades))
        n_nodes, n_cascades = n_nodes + len(part.nodes), n_cascades + len(part)
    for key in filled[0]._arrays:
        if key == "offsets":
            arrays[key] = np.r_[np.concatenate([p[key][:-1] for p in pieces]), n_nodes]
        else:
            arrays[key] = np.concatenate([p[key] for p in pieces])
    nodes = pd.concat([part.nodes for part in filled], ignore_index=True)
    stacked = Cascades(nodes, filled[0].method, sum(part.n_unresolved for part in parts),
                       arrays)
    first = arrays["offsets"][:-1]
    order = np.lexsort((string_rank(nodes["post_id"].to_numpy()[first]),
                        arrays["time"][first]))
    return take_cascades(stacked, order)


def take_cascades(cascades, which):
    """Cascades ``which`` (positions, in this order) of ``cascades`` as a :class:`Cascades`
    of their own, numbered from 0: node rows, offsets, cascade numbers and parent indices
    re-based, every other per-node array taken as it is."""
    from ..cascades import Cascades

    a = cascades._arrays
    which = np.asarray(which, dtype=np.int64)
    starts, lengths = a["offsets"][which], np.diff(a["offsets"])[which]
    offsets = np.r_[0, np.cumsum(lengths)].astype(a["offsets"].dtype)
    take = np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1])
    arrays = {key: value[take] for key, value in a.items() if key != "offsets"}
    new_position = np.full(len(cascades.nodes), -1, dtype=np.int64)
    new_position[take] = np.arange(len(take))
    parent = arrays["parent"]
    arrays.update(offsets=offsets,
                  cascade=np.repeat(np.arange(len(which)), lengths).astype(a["cascade"].dtype),
                  parent=np.where(parent >= 0, new_position[parent.clip(0)], parent))
    return Cascades(cascades.nodes.iloc[take].reset_index(drop=True), cascades.method,
                    cascades.n_unresolved, arrays)


def _rebased(arrays, n_nodes, n_cascades):
    """The offsets, cascade numbers and parent indices of ``arrays`` shifted by ``n_nodes``
    nodes and ``n_cascades`` cascades (a piece placed after others)."""
    parent = arrays["parent"]
    return dict(arrays, offsets=arrays["offsets"] + n_nodes,
                cascade=arrays["cascade"] + n_cascades,
                parent=np.where(parent >= 0, parent + n_nodes, parent))


def _check_n_chunks(n_chunks):
    from .._engine import check_int
    from ..cascades import CascadeError

    check_int(n_chunks, "n_chunks", 1, error=CascadeError)


def _measure_chunk(cascades, sizes):
    from ..cascades import cascade_table

    return cascade_table(cascades, sizes=sizes)


def _check_options(function, caller, *args, **options):
    """A KopiresearchError, not a TypeError, for arguments ``function`` does not take."""
    try:
        inspect.signature(function).bind(*args, **options)
    except TypeError as exc:
        raise KopiresearchError(f"{caller}: {exc}") from None


def simulate_distributed(G, seeds, *args, client=None, **options):
    """Deprecated: use ``kopiresearch.diffusion.simulate(..., client=client)``.

    :func:`kopiresearch.diffusion.simulate` with the Monte-Carlo runs spread over Dask
    workers; the result is identical to ``simulate(G, seeds, ...)`` for any number of
    workers. Kept for one release.

    Parameters
    ----------
    G, seeds, *args, **options
        As in :func:`kopiresearch.diffusion.simulate` (``model``, ``runs``, ``seed``, ``q``,
        ``chunk_runs``, ``p``, ...), with its defaults; no progress bar unless ``progress``
        is given.
    client : distributed.Client, optional
        Default: the current client.

    Returns
    -------
    SpreadResult
    """
    warnings.warn("simulate_distributed is deprecated and will be removed in the next release; "
                  "use kopiresearch.diffusion.simulate(..., client=client) (same result)",
                  DeprecationWarning, stacklevel=2)
    from distributed import default_client

    from ..diffusion import simulate

    options.setdefault("progress", False)
    _check_options(simulate, "simulate_distributed", G, seeds, *args, **options)
    return simulate(G, seeds, *args, client=client or default_client(), **options)


def run_on_workers(client, job, model, chunk_runs):
    """The runs of a :class:`kopiresearch._engine.Job` in chunks of ``chunk_runs`` on the
    workers of ``client``, added up in chunk order: what
    :func:`kopiresearch._engine.run_batches` returns in-process, exactly.

    The runs' random streams are drawn on the client (in the job), so the split changes
    nothing; the job is scattered to every worker once per call.
    """
    from .._engine import check_int

    chunk_runs = check_int(chunk_runs, "chunk_runs", 1, error=KopiresearchError)
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


def _simulate_chunk(job, model, lo, hi):
    from .._engine import run_batches

    return run_batches(job.net, model, job.seed_idx, job.run_seeds[lo:hi], job.max_steps,
                       job.theta, job.gamma, False)


def select_seeds_distributed(G, k: int, *, client=None, **options):
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
    **options
        Keyword arguments of :func:`~kopiresearch.seeding.select_seeds`, with its defaults
        (``chunk_sets``: RR sets per task, ``objective``,
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
        return select_seeds(G, k, "imm", client=client, **options)
    except TypeError as exc:
        raise KopiresearchError(f"select_seeds_distributed: {exc}") from None


class DaskRR:
    """RR-set backend of ``select_seeds(..., client=client)``: chunks of ``chunk_sets`` sets
    generated on Dask workers against the reversed graph (scattered once), concatenated in
    order, so the sample is bit-for-bit the in-process one."""

    def __init__(self, client, chunk_sets, graph):
        self.client, self.chunk_sets = client, chunk_sets
        # hash=False: a fresh key per call (see run_on_workers)
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
