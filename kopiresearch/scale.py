"""Out-of-core and distributed versions of the heavy steps, with Dask.

Install with ``pip install kopiresearch[scale]``. A year of posts that mention government
accounts is hundreds of millions of rows, but the research output is small: an edge list of
account pairs, region tables, cascade measures. This module

- opens a partitioned Parquet corpus (written by :func:`kopiresearch.io.parquet.stream_to_parquet`)
  lazily as Dask DataFrames, one partition per platform and month, removing duplicates
  inside each partition (copies of a post always share platform and month);
- aggregates the interaction graph's edge table and the region flow table in Dask and hands
  the small result to NetworkX through the same code as the in-memory path
  (:func:`kopiresearch.graph.graph_from_edge_table`), so both give the same graph;
- runs Monte-Carlo diffusion in chunks spread over Dask workers, giving exactly the result of
  :func:`kopiresearch.diffusion.simulate` with the same seed, whatever the number of workers;
- generates IMM's reverse-reachable sets on Dask workers
  (:func:`select_seeds_distributed`), giving exactly the seeds of
  :func:`kopiresearch.seeding.select_seeds` with the same seed.

By default work runs on a ``LocalCluster`` on this machine; a scheduler address
(``scheduler="tcp://..."`` or the ``DASK_SCHEDULER_ADDRESS`` environment variable) sends the
same work to an existing cluster (dask-jobqueue on HPC, Kubernetes, ...).
"""

from __future__ import annotations

import collections
import functools
import itertools
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .corpus import INTERACTION_KINDS, SCHEMAS, LoadReport, coerce_table
from .errors import DataNotFoundError, InputFormatError, KopiresearchError, SchemaError
from .graph import KIND_ATTRIBUTES, aggregate_interactions, graph_from_edge_table
from .io.merge import merge_accounts
from .io.parquet import (
    _arrow_schema,
    check_complete,
    read_part,
    read_partitioned_report,
    unalias_acts,
)
from .regions import LEVELS, region_group

__all__ = ["open_parquet_corpus", "DaskCorpus", "aggregate_edges", "build_interaction_graph",
           "region_flow_table", "cascade_table_distributed", "simulate_distributed",
           "dask_client", "write_edges", "select_seeds_distributed"]


def _dd():
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


@dataclass
class DaskCorpus:
    """A partitioned corpus opened lazily: ``accounts`` (pandas; accounts are few),
    ``posts`` and ``interactions`` (Dask DataFrames, one partition per platform and month,
    deduplicated) and the summed ``report``.

    ``report`` counts duplicates across input files once :meth:`count_duplicates` has run
    (``open_parquet_corpus`` runs it unless ``count_duplicates=False``). Accounts are united
    across input files by :func:`kopiresearch.io.merge.merge_accounts`, the rule of
    :func:`kopiresearch.io.merge`: ``aliases`` maps handle-only ids (``"twitter:@x"``) to the
    id another file gives that handle, and every table read through this object uses it.
    """

    folder: Path
    accounts: pd.DataFrame
    posts: object
    interactions: object
    report: LoadReport = field(default_factory=LoadReport)
    aliases: dict = field(default_factory=dict)

    def __repr__(self):
        return (f"DaskCorpus(accounts={len(self.accounts)}, post partitions="
                f"{self.posts.npartitions}, interaction partitions="
                f"{self.interactions.npartitions})")

    def count_duplicates(self) -> int:
        """Count posts that occur in more than one part and move them from ``loaded`` to
        ``duplicates`` in the report (one pass over ``post_id`` only)."""
        dirs = _partition_dirs(self.folder / "posts")
        dd = _dd()
        counts = dd.from_map(_duplicate_count, dirs, meta=pd.DataFrame(
            {"n": pd.Series([], dtype="int64")}), enforce_metadata=False)
        dropped = int(counts["n"].sum().compute())
        self.report.loaded -= dropped
        self.report.duplicates += dropped
        return dropped


def open_parquet_corpus(folder, *, count_duplicates: bool = True,
                        validate: bool = True) -> DaskCorpus:
    """Open a partitioned Parquet corpus lazily.

    Parameters
    ----------
    folder : path-like
        Written by :func:`kopiresearch.io.parquet.stream_to_parquet` or
        :func:`~kopiresearch.io.parquet.write_partitioned`.
    count_duplicates : bool
        Count duplicate posts across parts now (a pass over ``post_id``), so that
        ``report`` adds up across files.
    validate : bool
        Check every file's schema against the canonical one (metadata only, no data read),
        and the accounts table fully.

    Raises
    ------
    DataNotFoundError
        A table folder is missing.
    InputFormatError
        The folder is not a finished load: no completion record, part files it does not
        list, or listed parts missing or truncated (see
        :func:`kopiresearch.io.parquet.check_complete`); or a part file cannot be read.
    SchemaError
        A file whose columns or types differ from the canonical schema (names the file).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataNotFoundError(f"{folder}: no such folder")
    for name in ("accounts", "posts", "interactions"):
        if not (folder / name).exists():
            raise DataNotFoundError(f"{folder}: no {name}/ partitions (expected the layout of "
                                    "kopiresearch.io.parquet)")
    check_complete(folder)
    if validate:
        for name in ("accounts", "posts", "interactions"):
            expected = _arrow_schema(name)
            for path in sorted((folder / name).rglob("part-*.parquet")):
                try:
                    schema = pq.read_schema(path)
                except (pa.ArrowException, OSError) as exc:
                    raise InputFormatError(f"cannot read the part file ({exc})",
                                           file=str(path)) from exc
                if not schema.equals(expected, check_metadata=False):
                    raise SchemaError(f"file {path}: schema {schema.names} "
                                      f"{[str(t) for t in schema.types]} differs",
                                      table=name, expected=str(expected))
    acc_files = sorted((folder / "accounts").rglob("part-*.parquet"))
    raw = pd.concat([read_part(f).to_pandas() for f in acc_files]
                    or [_arrow_schema("accounts").empty_table().to_pandas()], ignore_index=True)
    merged, aliases = merge_accounts(raw)
    accounts = coerce_table("accounts", merged)
    dd = _dd()
    meta = {name: _empty(name) for name in ("posts", "interactions")}
    posts = dd.from_map(_read_partition, _partition_dirs(folder / "posts"), table="posts",
                        aliases=aliases, meta=meta["posts"], enforce_metadata=False)
    inter = dd.from_map(_read_partition, _partition_dirs(folder / "interactions"),
                        table="interactions", aliases=aliases, meta=meta["interactions"],
                        enforce_metadata=False)
    report = read_partitioned_report(folder)
    dc = DaskCorpus(folder, accounts, posts, inter, report, aliases)
    if count_duplicates:
        dc.count_duplicates()
    return dc


def aggregate_edges(dc: DaskCorpus, kinds=None, start=None, end=None, *,
                    split_out: int | None = None, client=None) -> pd.DataFrame:
    """The edge table of the interaction graph, computed on Dask workers.

    Same result as :func:`kopiresearch.graph.aggregate_interactions` on the in-memory
    interactions: one row per (source, target) with ``weight``, ``n_<kind>``,
    ``first_time``, ``last_time``, sorted by pair.

    Parameters
    ----------
    dc : DaskCorpus
    kinds, start, end
        As in :func:`kopiresearch.build_interaction_graph`.
    split_out : int, optional
        Number of key ranges the acts are regrouped into (default: one per 3 million
        interaction rows on disk). Each range is reduced by one task, so a task holds about
        ``rows / split_out`` acts.
    client : distributed.Client, optional
        Default: the current client, else a ``LocalCluster`` for this call
        (:func:`dask_client`).

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    SchemaError
        An interaction names an account that is not in ``accounts``, or an unknown kind.

    Notes
    -----
    Two steps, with no string in any task's output. (1) One task per partition
    (platform-month) reads its part files column-wise with Arrow, turns account ids into
    codes of the sorted account index (the source and target ids of all the partition's files
    dictionary-encoded together, each distinct id looked up once, aliases resolved),
    removes the copies of an act (equal post, source, target, kind and time) on integer
    columns -- ``post_id`` replaced by its exact code in a dictionary shared by the
    partition's files, so no hash collision can merge two acts -- and keeps 17 bytes per
    act: the pair key ``source_code * n + target_code``, the kind and the time, sorted by
    key. (2) The key space is cut into ``split_out`` ranges holding about the same number of
    acts (from a histogram of source codes), every partition's slice of a range goes to one
    task, which counts acts per pair and kind and takes the first and last time. The account
    index is sorted, so key order is (source_id, target_id) order and the ranges, collected
    one at a time and released on the workers, are already the sorted edge table. The same
    de-duplication rule as :func:`kopiresearch.io.parquet.read_partitioned` (which is the
    in-memory path), so the results are equal. The client keeps at most two ranges per worker
    submitted ahead of the one it collects, so the workers never hold every range's edges.

    References
    ----------
    Rocklin, M. (2015). Dask: Parallel computation with blocked algorithms and task
    scheduling. Proceedings of the 14th Python in Science Conference, 130-136.
    DOI: 10.25080/Majora-7b98e3ed-013

    Examples
    --------
    >>> with dask_client(n_workers=2) as client:                  # doctest: +SKIP
    ...     dc = open_parquet_corpus("corpus-parquet/")
    ...     edges = aggregate_edges(dc, kinds=["mention", "reply"], client=client)
    >>> list(edges.columns[:3])                                   # doctest: +SKIP
    ['source_id', 'target_id', 'weight']
    """
    kinds = _check_kinds(kinds)
    lo, hi = _bounds(start, end)
    with _using_client(client) as client:
        window = 2 * max(1, len(client.scheduler_info().get("workers", ())))
        ranges, ids, n, acts = _submit_pair_ranges(client, dc, kinds, lo, hi, split_out,
                                                   window)
        # Each range is copied into its place in the final columns as it arrives. Edges are
        # at most acts, so the columns are allocated for ``acts`` rows: the pages beyond the
        # edges are never touched, so never resident.
        columns = {c: np.empty(acts, dtype=np.int64) for c in ["key", *_PAIR_COLUMNS]}
        at = 0
        for future in ranges:
            piece = future.result()
            future.release()
            del future
            m = len(piece["key"])
            for c, column in columns.items():
                column[at:at + m] = piece[c]  # int32 counts widened here
            at += m
            del piece
    if not at:
        return aggregate_interactions(_empty("interactions"))
    return _edge_frame(ids, n, {c: column[:at] for c, column in columns.items()})


def write_edges(dc: DaskCorpus, folder, kinds=None, start=None, end=None, *,
                split_out: int | None = None, client=None) -> pd.DataFrame:
    """Write the edge table of :func:`aggregate_edges` to Parquet from the workers.

    For edge tables too big for the client: each key range is written by the worker that
    reduced it, as ``folder/part-NNNNN.parquet`` (string ids), in (source_id, target_id)
    order across files, so ``pandas.read_parquet(folder)`` gives the table of
    :func:`aggregate_edges` (with Arrow strings as ids). The client holds nothing but the
    returned summary.

    Parameters
    ----------
    dc : DaskCorpus
    folder : path-like
        Created if missing; must be reachable by the workers (a shared file system on a
        cluster). Existing ``part-*.parquet`` files in it are removed first.
    kinds, start, end, split_out, client
        As in :func:`aggregate_edges`.

    Returns
    -------
    pandas.DataFrame
        One row per file written: ``path``, ``edges``, ``acts``.

    Examples
    --------
    >>> with dask_client(n_workers=2) as client:                  # doctest: +SKIP
    ...     written = write_edges(open_parquet_corpus("corpus-parquet/"), "edges/")
    >>> edges = pandas.read_parquet("edges/")                     # doctest: +SKIP
    """
    kinds = _check_kinds(kinds)
    lo, hi = _bounds(start, end)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*.parquet"):
        old.unlink()
    accounts_dir = str(dc.folder / "accounts")
    with _using_client(client) as client:
        ranges, _, _, _ = _submit_pair_ranges(client, dc, kinds, lo, hi, split_out)
        ranges = list(ranges)
        paths = [str(folder / f"part-{i:05d}.parquet") for i in range(max(1, len(ranges)))]
        if ranges:
            written = client.gather([client.submit(_write_pairs, r, p, accounts_dir,
                                                   pure=False)
                                     for r, p in zip(ranges, paths)])
        else:
            written = [_write_pairs(None, paths[0], accounts_dir)]
    return pd.DataFrame({"path": paths, "edges": [w[0] for w in written],
                         "acts": [w[1] for w in written]})


def build_interaction_graph(dc: DaskCorpus, kinds=None, start=None, end=None, *,
                            include_isolates: bool = True):
    """The interaction graph of a partitioned corpus: :func:`aggregate_edges` in Dask, then
    the same assembly as :func:`kopiresearch.build_interaction_graph` (identical result).
    """
    edges = aggregate_edges(dc, kinds, start, end)
    return graph_from_edge_table(dc.accounts, edges, include_isolates=include_isolates)


def region_flow_table(dc: DaskCorpus, level: str = "kabkota", kinds=None, start=None,
                      end=None, *, client=None) -> pd.DataFrame:
    """Acts between regions, computed in Dask: one row per (source region, target region)
    with ``weight`` (number of acts). Regions as in :func:`kopiresearch.region_graph`
    (codes or Bakorwil names, ``"35"``/``"province"``, ``"unknown"``); equal to its edge
    weights. Each partition is read and de-duplicated as in :func:`aggregate_edges` and
    reduces to a small region-by-region count matrix.
    """
    if level not in LEVELS:
        raise KopiresearchError(f"level must be 'kabkota' or 'bakorwil', not {level!r}")
    kinds = _check_kinds(kinds)
    lo, hi = _bounds(start, end)
    group = _region_groups(dc.accounts, level)
    labels = sorted(set(group))
    code_of = pd.Series(np.arange(len(labels)), index=labels)
    accounts_dir = str(dc.folder / "accounts")
    index = _account_index(accounts_dir)
    at = group.index.get_indexer(index)
    # region code of every entry of the account index; -1: not an account (an alias)
    by_code = np.where(at >= 0, code_of[group].to_numpy()[at], -1).astype(np.int64)
    k = len(labels)
    dirs = _partition_dirs(dc.folder / "interactions")
    with _using_client(client) as client:
        shared = client.scatter(by_code, broadcast=True, hash=False)
        cells = sum(client.gather([client.submit(_region_partial, d, accounts_dir, shared, k,
                                                 dc.aliases, kinds, lo, hi, pure=False)
                                   for d in dirs]), np.zeros(k * k, dtype=np.int64))
    nz = np.flatnonzero(cells)
    out = pd.DataFrame({"source_region": [labels[c // k] for c in nz],
                        "target_region": [labels[c % k] for c in nz],
                        "weight": cells[nz].astype(np.int64)})
    return out.sort_values(["source_region", "target_region"]).reset_index(drop=True)


def _bakorwil_flows(flows: pd.DataFrame) -> pd.DataFrame:
    """A ``region_flow_table(level="kabkota")`` summed up to Bakorwil: equal to
    ``region_flow_table(level="bakorwil")`` (each Bakorwil cell is the sum of its kabupaten/
    kota cells), without reading the interactions again."""
    names = {label: region_group(label, "bakorwil") for label in
             set(flows["source_region"]) | set(flows["target_region"])}
    out = (flows.assign(source_region=flows["source_region"].map(names),
                        target_region=flows["target_region"].map(names))
           .groupby(["source_region", "target_region"], as_index=False, sort=True)["weight"]
           .sum())
    out["weight"] = out["weight"].astype(np.int64)
    return out.reset_index(drop=True)


def cascade_table_distributed(corpus, client=None, *, n_chunks: int = 16, method=None,
                              follows=None, kinds=("repost", "quote"), root_types=None,
                              sizes=(10, 100, 1000)) -> pd.DataFrame:
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
    method, follows, kinds, root_types, sizes
        As in :func:`~kopiresearch.cascades.reconstruct_cascades` and
        :func:`~kopiresearch.cascades.cascade_table`.
    """
    from distributed import default_client

    from .cascades import _find_roots

    client = client or default_client()
    if int(n_chunks) < 1:
        raise KopiresearchError(f"n_chunks must be at least 1, not {n_chunks!r}")
    posts = corpus.posts
    kinds_list = [kinds] if isinstance(kinds, str) else list(kinds)
    parent = posts.index.get_indexer(posts["parent_post_id"])
    adopting = posts["kind"].astype(str).isin(kinds_list).to_numpy() & (parent >= 0)
    link = np.where(adopting, parent, np.arange(len(posts)))
    root = _find_roots(link, posts.index)
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
    """:func:`kopiresearch.diffusion.simulate`, with the Monte-Carlo runs spread over Dask
    workers.

    The runs' random streams are drawn from ``seed`` exactly as ``simulate`` draws them, and
    cut into chunks of ``chunk_runs``; each worker runs its chunks with the same kernels and
    the partial counts are added up in chunk order. The result is therefore identical to
    ``simulate(G, seeds, model, runs=runs, seed=seed, ...)`` for any number of workers.

    Parameters
    ----------
    G, seeds, model, runs, seed, q, **options
        As in :func:`kopiresearch.diffusion.simulate` (``p``, ``probability``, ``weight``,
        ``thresholds``, ``beta``, ``gamma``, ``max_steps``, ``direction``, ``region``).
    client : distributed.Client, optional
        Default: the current client.
    chunk_runs : int
        Runs per task.

    Returns
    -------
    SpreadResult
    """
    from distributed import default_client

    from .diffusion import _plan, _result, _seeds_tuple

    client = client or default_client()
    chunk_runs = int(chunk_runs)
    if chunk_runs < 1:
        raise KopiresearchError(f"chunk_runs must be at least 1, not {chunk_runs!r}")
    keys = ("p", "probability", "weight", "thresholds", "beta", "gamma", "max_steps",
            "direction", "region", "regions")
    unknown = sorted(set(options) - set(keys))
    if unknown:
        raise KopiresearchError(f"unknown option(s) for simulate: {unknown}")
    defaults = {"p": None, "probability": "uniform", "weight": "weight", "thresholds": None,
                "beta": None, "gamma": None, "max_steps": None, "direction": "interaction",
                "region": "region_code"}
    regions = options.pop("regions", None)
    job = _plan(G, seeds, model, runs=runs, seed=seed, **{**defaults, **options})
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
    return _result(job.net, model, _seeds_tuple(job.net, job.seed_idx),
                   (counts, spreads, tally, hist), q, regions)


# ----------------------------------------------------------------------------------------
# helpers (run on workers: module-level functions so they pickle)


_ROWS_PER_RANGE = 3_000_000
_PAIR_COLUMNS = [*(KIND_ATTRIBUTES[k] for k in INTERACTION_KINDS), "first", "last"]


@contextmanager
def _using_client(client):
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


def _submit_pair_ranges(client, dc, kinds, lo, hi, split_out, window=None):
    """Futures of the reduced key ranges of :func:`aggregate_edges`, in key order (an
    iterator, see :func:`_submit_ranges`)."""
    accounts_dir = str(dc.folder / "accounts")
    index = _account_index(accounts_dir)
    n = len(index)
    dirs = _partition_dirs(dc.folder / "interactions")
    if split_out is None:
        rows = sum(pq.ParquetFile(f).metadata.num_rows
                   for f in (dc.folder / "interactions").rglob("part-*.parquet"))
        split_out = -(-rows // _ROWS_PER_RANGE)
    split_out = int(split_out)
    if split_out < 1 and dirs:
        raise KopiresearchError(f"split_out must be at least 1, not {split_out!r}")
    if not dirs:
        return iter(()), index.to_numpy(object), n, 0
    months = [client.submit(_month_rows, d, accounts_dir, dc.aliases, kinds, lo, hi,
                            pure=False) for d in dirs]
    shift = max(0, (n - 1).bit_length() - 16)
    hist = sum(client.gather([client.submit(_source_histogram, m, n, shift, pure=False)
                              for m in months]))
    bounds = _range_bounds(hist, split_out, shift, n)
    return (_submit_ranges(client, months, bounds, window), index.to_numpy(object), n,
            int(hist.sum()))


def _submit_ranges(client, months, bounds, window):
    """Yield the futures of the reduced key ranges in key order, with at most ``window``
    submitted ahead of the one the caller is collecting (``None``: all at once), so that the
    workers do not hold every range's edges while the client collects them one by one."""
    todo = iter(zip(bounds[:-1], bounds[1:]))

    def submit(a, b):
        slices = [client.submit(_key_slice, m, a, b, pure=False) for m in months]
        return client.submit(_reduce_pairs, *slices, pure=False)

    pending = collections.deque(submit(a, b) for a, b in
                                itertools.islice(todo, window or len(bounds)))
    while pending:
        yield pending.popleft()
        nxt = next(todo, None)
        if nxt is not None:
            pending.append(submit(*nxt))


def _range_bounds(hist: np.ndarray, parts: int, shift: int, n: int) -> list[int]:
    """Pair-key bounds ``[0, ..., n*n]`` of at most ``parts`` ranges with about equal
    numbers of acts (``hist``: acts per bin of source codes)."""
    cum = np.cumsum(hist)
    total = int(cum[-1]) if len(cum) else 0
    inner = []
    if total and parts > 1:
        targets = total * np.arange(1, parts) / parts
        bins = np.searchsorted(cum, targets, side="left") + 1
        inner = sorted({min(int(b) << shift, n) for b in bins} - {0, n})
    return [0, *(b * n for b in inner), n * n]


def _partition_dirs(root: Path) -> list[str]:
    """Folders holding part files; a table without any gives its root (one empty
    partition), so that an empty load opens."""
    dirs = sorted({str(p.parent) for p in root.rglob("part-*.parquet")})
    return dirs or [str(root)]


def _empty(name):
    frame = _arrow_schema(name).empty_table().to_pandas()
    return coerce_table(name, frame).reset_index() if SCHEMAS[name][0] else \
        coerce_table(name, frame)


def _read_partition(directory: str, table: str, aliases: dict) -> pd.DataFrame:
    files = sorted(Path(directory).glob("part-*.parquet"))
    if not files:  # an empty corpus: one empty partition
        return _empty(table)
    frame = pd.concat([read_part(f).to_pandas() for f in files], ignore_index=True)
    if table == "posts":
        frame["author_id"] = _unalias(frame["author_id"], aliases)
        frame = frame.drop_duplicates("post_id", keep="first")
    else:
        frame = unalias_acts(frame, aliases)
    coerced = coerce_table(table, frame)
    return coerced.reset_index() if SCHEMAS[table][0] else coerced


def _duplicate_count(directory: str) -> pd.DataFrame:
    files = sorted(Path(directory).glob("part-*.parquet"))
    ids = pa.chunked_array([c for f in files
                            for c in pq.read_table(f, columns=["post_id"])["post_id"].chunks],
                           type=pa.string())
    # rows minus distinct ids, counted in Arrow (no Python strings)
    return pd.DataFrame({"n": [len(ids) - pc.count_distinct(ids, mode="all").as_py()]})


def _region_groups(accounts: pd.DataFrame, level: str) -> pd.Series:
    return pd.Series([region_group(c, level) for c in accounts["region_code"]],
                     index=accounts.index.astype(object), dtype=object)


@functools.lru_cache(maxsize=4)
def _account_index(accounts_dir: str) -> pd.Index:
    """Every account id of the files (first copy of each, aliases included), read once per
    worker process instead of being shipped with every task; integer codes of
    :func:`aggregate_edges` index into it."""
    files = sorted(Path(accounts_dir).rglob("part-*.parquet"))
    ids = pd.concat([read_part(f, columns=["account_id"]).to_pandas()["account_id"]
                     for f in files] or [pd.Series([], dtype=object)], ignore_index=True)
    # sorted, so that sorting the int64 pair keys sorts the edges by (source_id, target_id)
    return pd.Index(np.sort(ids.drop_duplicates().astype(object).to_numpy()), dtype=object)


def _check_kinds(kinds):
    if kinds is None:
        return None
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    unknown = sorted(set(kinds) - set(INTERACTION_KINDS))
    if unknown:
        raise KopiresearchError(f"unknown interaction kind(s) {unknown}; known: "
                                f"{', '.join(INTERACTION_KINDS)}")
    return kinds


def _bounds(start, end):
    from .corpus import _utc

    lo = None if start is None else _utc(start).value
    hi = None if end is None else _utc(end).value
    return lo, hi


_EDGE_COLUMNS = ["source_id", "target_id", "kind", "created_at", "post_id"]
_KIND_CODE = {k: i for i, k in enumerate(INTERACTION_KINDS)}


def _unalias(ids: pd.Series, aliases: dict) -> pd.Series:
    if not aliases:
        return ids
    mapped = ids.map(aliases)
    return ids.where(mapped.isna(), mapped)


def _id_lookup(index: pd.Index, aliases: dict) -> np.ndarray | None:
    """``lookup[i]``: the code of the account that index entry ``i`` stands for once aliases
    are resolved (``-1``: an alias to an unknown id); ``None`` without aliases."""
    if not aliases:
        return None
    lookup = np.arange(len(index), dtype=np.int64)
    keys = list(aliases)
    at = index.get_indexer(keys)
    lookup[at[at >= 0]] = index.get_indexer([aliases[k] for k in keys])[at >= 0]
    return lookup


def _kind_codes(column, path) -> np.ndarray:
    """Codes in :data:`INTERACTION_KINDS` of a dictionary-encoded ``kind`` column."""
    out = []
    for chunk in column.chunks:
        if not len(chunk):
            continue
        values = chunk.dictionary.to_numpy(zero_copy_only=False)
        codes = np.array([_KIND_CODE.get(v, -1) for v in values], dtype=np.int8)
        mapped = codes[chunk.indices.fill_null(-1).to_numpy(zero_copy_only=False)] \
            if chunk.null_count else codes[chunk.indices.to_numpy(zero_copy_only=False)]
        if (mapped < 0).any():
            raise SchemaError(f"{path}: an interaction kind that is missing or not one of "
                              f"{list(INTERACTION_KINDS)}", table="interactions",
                              column="kind", expected=f"one of {list(INTERACTION_KINDS)}")
        out.append(mapped)
    return np.concatenate(out) if out else np.empty(0, dtype=np.int8)


def _chunk_indices(encoded) -> np.ndarray:
    parts = [c.indices.to_numpy(zero_copy_only=False) for c in encoded.chunks if len(c)]
    return np.concatenate(parts).astype(np.int64) if parts else np.empty(0, dtype=np.int64)


def _act_codes(directory: str, accounts_dir: str, aliases: dict, kinds, lo, hi):
    """One partition's acts as integer arrays ``(src, dst, kind, t)``.

    The same rows as :func:`kopiresearch.io.parquet.unalias_acts` keeps, filtered by kind and
    time, but read column-wise with Arrow and never turned into Python strings row by row:
    the source and target ids of all the partition's files are dictionary-encoded together
    and each distinct id is looked up once in the account index (aliases resolved); the
    copies of an act, i.e. equal ``(post_id, source_id, target_id, kind, created_at)``, are
    found on integer columns, with ``post_id`` replaced by its exact code in a dictionary
    shared by all files of the partition (no hashing, so no collisions).
    """
    index = _account_index(accounts_dir)
    lookup = _id_lookup(index, aliases)
    wanted = None if kinds is None else [_KIND_CODE[x] for x in kinds]
    src, dst, post, kind, t = [], [], [], [], []
    for path in sorted(Path(directory).glob("part-*.parquet")):
        table = read_part(path, columns=_EDGE_COLUMNS, read_dictionary=["kind"])
        for name in ("source_id", "target_id", "created_at"):  # post_id is optional
            if table.column(name).null_count:
                raise SchemaError(f"{path}: missing {name}", table="interactions",
                                  column=name, expected="no missing values")
        k = _kind_codes(table.column("kind"), path)
        tt = table.column("created_at").cast(pa.int64()).to_numpy()
        keep = None
        if wanted is not None:
            keep = np.isin(k, wanted)
        if lo is not None:
            keep = (tt >= lo) if keep is None else keep & (tt >= lo)
        if hi is not None:
            keep = (tt < hi) if keep is None else keep & (tt < hi)
        if keep is not None and not keep.all():
            table, k, tt = table.filter(pa.array(keep)), k[keep], tt[keep]
        src.extend(table.column("source_id").chunks)
        dst.extend(table.column("target_id").chunks)
        post.extend(table.column("post_id").chunks)
        kind.append(k)
        t.append(tt)
        del table
    n = sum(len(c) for c in src)
    if not n:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0, dtype=np.int8), empty
    kind, t = np.concatenate(kind), np.concatenate(t)
    ids = pc.dictionary_encode(pa.chunked_array(src + dst, type=pa.string()))
    del src, dst
    values = ids.chunks[0].dictionary.to_numpy(zero_copy_only=False)
    code_of = index.get_indexer(values).astype(np.int64)
    if lookup is not None:
        code_of = np.where(code_of >= 0, lookup[code_of], -1)
    at = _chunk_indices(ids)
    del ids
    codes = code_of[at]
    if (codes < 0).any():
        row = int(np.flatnonzero(codes < 0)[0])
        column = "source_id" if row < n else "target_id"
        raise SchemaError(f"{values[at[row]]!r} is not in accounts", table="interactions",
                          column=column, expected=f"an account id (partition {directory})")
    del at
    src, dst = codes[:n], codes[n:]
    # acts without a post_id are copies of each other when all else is equal, as in
    # unalias_acts (pandas compares missing values equal): missing gets its own code
    posts = pc.dictionary_encode(pa.chunked_array(post, type=pa.string()),
                                 null_encoding="encode")
    del post
    unique_posts = len(posts.chunks[0].dictionary) == n
    keep = (src != dst) if aliases else None  # resolving aliases can make self-acts
    if not unique_posts:  # some post has several acts: look for copies
        p = _chunk_indices(posts)
        if keep is not None:
            p, src, dst, kind, t = p[keep], src[keep], dst[keep], kind[keep], t[keep]
            keep = None
        dup = pd.DataFrame({"p": p, "s": src, "d": dst * 8 + kind, "t": t}).duplicated()
        keep = ~dup.to_numpy()
    if keep is not None and not keep.all():
        src, dst, kind, t = src[keep], dst[keep], kind[keep], t[keep]
    return src, dst, kind, t


def _month_rows(directory: str, accounts_dir: str, aliases: dict, kinds, lo,
                hi) -> dict:
    """A partition's acts as pair key ``src * n + dst``, kind and time, sorted by key."""
    n = len(_account_index(accounts_dir))
    src, dst, kind, t = _act_codes(directory, accounts_dir, aliases, kinds, lo, hi)
    key = src * n + dst
    del src, dst
    order = np.argsort(key, kind="stable")
    return {"key": key[order], "kind": kind[order], "t": t[order]}


def _source_histogram(rows: dict, n: int, shift: int) -> np.ndarray:
    """Acts per bin of ``2**shift`` consecutive source codes."""
    return np.bincount((rows["key"] // n) >> shift, minlength=((n - 1) >> shift) + 1)


def _key_slice(rows: dict, lo: int, hi: int) -> dict:
    a, b = np.searchsorted(rows["key"], [lo, hi])
    return {c: v[a:b].copy() for c, v in rows.items()}


def _reduce_pairs(*slices) -> dict:
    """Edge-table columns of the acts with pair keys in one range: sorted unique keys, the
    ``(pairs, kinds)`` count matrix and first and last times (as
    :func:`kopiresearch.graph.pair_counts`)."""
    key = np.concatenate([s["key"] for s in slices])
    kind = np.concatenate([s["kind"] for s in slices]).astype(np.int64)
    t = np.concatenate([s["t"] for s in slices])
    del slices
    order = np.argsort(key, kind="stable")
    key, kind, t = key[order], kind[order], t[order]
    del order
    new = np.empty(len(key), dtype=bool)
    new[:1] = True
    np.not_equal(key[1:], key[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    pair = np.cumsum(new) - 1
    k = len(INTERACTION_KINDS)
    counts = np.bincount(pair * k + kind, minlength=len(starts) * k).reshape(len(starts), k)
    del pair, kind
    out = {"key": key[starts]}
    # int32 when they fit (the client widens them): 48 bytes per pair to send, not 72
    small = np.int32 if counts.max(initial=0) < 2**31 else np.int64
    for j, name in enumerate(INTERACTION_KINDS):
        out[KIND_ATTRIBUTES[name]] = counts[:, j].astype(small)  # contiguous copies
    if len(starts):
        out["first"], out["last"] = np.minimum.reduceat(t, starts), np.maximum.reduceat(t, starts)
    else:
        out["first"] = out["last"] = np.empty(0, dtype=np.int64)
    return out


def _write_pairs(pairs: dict, path: str, accounts_dir: str) -> tuple[int, int]:
    """Write one range of the edge table (string ids) to ``path``; returns (edges, acts)."""
    index = _account_index(accounts_dir)
    n = len(index)
    if pairs is None or not len(pairs["key"]):
        pairs = {c: np.empty(0, dtype=np.int64) for c in ["key", *_PAIR_COLUMNS]}
    frame = _edge_frame(index.to_numpy(object), n, dict(pairs))
    pq.write_table(pa.Table.from_pandas(frame, schema=_edge_schema(), preserve_index=False),
                   path)
    return len(frame), int(frame["weight"].sum())


def _edge_schema() -> pa.Schema:
    return pa.schema([pa.field("source_id", pa.string()), pa.field("target_id", pa.string()),
                      pa.field("weight", pa.int64()),
                      *(pa.field(KIND_ATTRIBUTES[k], pa.int64()) for k in INTERACTION_KINDS),
                      pa.field("first_time", pa.timestamp("ns", tz="UTC")),
                      pa.field("last_time", pa.timestamp("ns", tz="UTC"))])


def _edge_frame(ids: np.ndarray, n: int, pairs: dict) -> pd.DataFrame:
    """The edge table of :func:`kopiresearch.graph.aggregate_interactions` from key-sorted
    pair columns (consumed: arrays are popped as they are copied in)."""
    keys = pairs.pop("key")
    # columns set one by one as Series over the arrays (copy=False): no 2-D block copies
    edges = pd.DataFrame(index=pd.RangeIndex(len(keys)))
    edges["source_id"] = pd.Series(ids[keys // n], dtype=object, copy=False)
    edges["target_id"] = pd.Series(ids[keys % n], dtype=object, copy=False)
    del keys
    kind_cols = [KIND_ATTRIBUTES[k] for k in INTERACTION_KINDS]
    weight = pairs[kind_cols[0]].astype(np.int64)
    for c in kind_cols[1:]:
        weight += pairs[c]
    edges["weight"] = pd.Series(weight, copy=False)
    del weight
    for c in kind_cols:
        edges[c] = pd.Series(pairs.pop(c).astype(np.int64, copy=False), copy=False)
    for c in ("first", "last"):
        # a view localized to UTC (pd.to_datetime on int64 peaked at +2.2 GiB for 32M rows)
        times = pd.Series(pairs.pop(c).view("datetime64[ns]"), copy=False)
        edges[f"{c}_time"] = times.dt.tz_localize("UTC")
    return edges


def _region_partial(directory: str, accounts_dir: str, group: np.ndarray, n_groups: int,
                    aliases: dict, kinds, lo, hi) -> np.ndarray:
    """Acts per (source group, target group) cell of one partition."""
    src, dst, _, _ = _act_codes(directory, accounts_dir, aliases, kinds, lo, hi)
    gs, gd = group[src], group[dst]
    if len(gs) and (min(gs.min(), gd.min()) < 0):
        index = _account_index(accounts_dir)
        bad = index[src[gs < 0][0]] if (gs < 0).any() else index[dst[gd < 0][0]]
        raise SchemaError(f"{bad!r} is not in accounts", table="interactions",
                          expected=f"an account id (partition {directory})")
    return np.bincount(gs * n_groups + gd, minlength=n_groups * n_groups).astype(np.int64)


def _string_order(index) -> np.ndarray:
    codes, _ = pd.factorize(np.asarray(index, dtype=object), sort=True)
    return codes


def _cascade_chunk(accounts, posts, interactions, follows, method, kinds, root_types, sizes):
    from .cascades import cascade_table, reconstruct_cascades
    from .corpus import Corpus

    sub = Corpus(accounts, posts, interactions)
    cas = reconstruct_cascades(sub, method=method, follows=follows, kinds=kinds,
                               root_types=root_types)
    return cascade_table(cas, sizes=sizes)


def _simulate_chunk(job, model, lo, hi):
    from .diffusion import _run

    return _run(job.net, model, job.seed_idx, job.run_seeds[lo:hi], job.max_steps, job.theta,
                job.gamma, False)


# ----------------------------------------------------------------------------------------
# IMM over Dask workers


def select_seeds_distributed(G, k: int, *, client=None, chunk_sets: int = 50_000,
                             **options):
    """:func:`kopiresearch.seeding.select_seeds` with ``method="imm"``, the reverse-reachable
    (RR) sets generated on Dask workers.

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
    import inspect

    from .seeding import _select_seeds, select_seeds

    if (isinstance(chunk_sets, bool) or not isinstance(chunk_sets, (int, np.integer))
            or chunk_sets < 1):
        raise KopiresearchError(f"chunk_sets must be an integer >= 1, not {chunk_sets!r}")
    method = options.pop("method", "imm")
    if method != "imm":
        raise KopiresearchError(f"method: select_seeds_distributed runs IMM only, not "
                                f"{method!r} (use kopiresearch.select_seeds)")
    try:
        bound = inspect.signature(select_seeds).bind(G, k, "imm", **options)
    except TypeError as exc:
        raise KopiresearchError(f"select_seeds_distributed: {exc}") from None
    bound.apply_defaults()
    if client is None:
        from distributed import default_client

        client = default_client()
    backend = functools.partial(_DaskRR, client, int(chunk_sets))
    return _select_seeds(**bound.arguments, rr_backend=backend)


class _DaskRR:
    """RR-set backend of :func:`select_seeds_distributed`: chunks of sets on Dask workers."""

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

    from .seeding import _rr_generate

    try:
        threads = int(get_worker().state.nthreads)
    except (ValueError, AttributeError):  # not on a worker
        threads = numba.config.NUMBA_NUM_THREADS
    numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
    flat, lens, _ = _rr_generate(graph, groups, seeds, avg)
    return flat, lens
