"""Edge and region tables of a partitioned corpus, aggregated on Dask workers."""

from __future__ import annotations

import collections
import itertools
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..corpus import INTERACTION_KINDS
from ..errors import KopiresearchError, SchemaError
from ..graph import KIND_ATTRIBUTES, aggregate_interactions
from ..io.parquet import read_part
from ..regions import LEVELS, region_group
from ._client import using_client
from ._corpus import (
    DaskCorpus,
    account_index,
    check_kinds,
    empty_table,
    partition_dirs,
    window_bounds,
)

__all__ = ["aggregate_edges", "write_edges", "build_interaction_graph", "region_flow_table",
           "bakorwil_flows"]


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
    kinds = check_kinds(kinds)
    lo, hi = window_bounds(start, end)
    with using_client(client) as client:
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
        return aggregate_interactions(empty_table("interactions"))
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
    kinds = check_kinds(kinds)
    lo, hi = window_bounds(start, end)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*.parquet"):
        old.unlink()
    accounts_dir = str(dc.folder / "accounts")
    with using_client(client) as client:
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


def build_interaction_graph(dc: DaskCorpus, *args, **kwargs):
    """Deprecated: ``kopiresearch.build_interaction_graph(dc, ..., client=client)`` takes a
    :class:`DaskCorpus`.

    Forwards every argument to :func:`kopiresearch.build_interaction_graph` (identical
    result). Kept for one release; not in ``kopiresearch.scale.__all__``.
    """
    warnings.warn("kopiresearch.scale.build_interaction_graph is deprecated and will be "
                  "removed in the next release; kopiresearch.build_interaction_graph takes "
                  "the DaskCorpus (same graph; client= picks the Dask client)",
                  DeprecationWarning, stacklevel=2)
    from ..graph import build_interaction_graph as in_memory

    return in_memory(dc, *args, **kwargs)


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
    kinds = check_kinds(kinds)
    lo, hi = window_bounds(start, end)
    group = _region_groups(dc.accounts, level)
    labels = sorted(set(group))
    code_of = pd.Series(np.arange(len(labels)), index=labels)
    accounts_dir = str(dc.folder / "accounts")
    index = account_index(accounts_dir)
    at = group.index.get_indexer(index)
    # region code of every entry of the account index; -1: not an account (an alias)
    by_code = np.where(at >= 0, code_of[group].to_numpy()[at], -1).astype(np.int64)
    k = len(labels)
    dirs = partition_dirs(dc.folder / "interactions")
    with using_client(client) as client:
        shared = client.scatter(by_code, broadcast=True, hash=False)
        cells = sum(client.gather([client.submit(_region_partial, d, accounts_dir, shared, k,
                                                 dc.aliases, kinds, lo, hi, pure=False)
                                   for d in dirs]), np.zeros(k * k, dtype=np.int64))
    nz = np.flatnonzero(cells)
    out = pd.DataFrame({"source_region": [labels[c // k] for c in nz],
                       "target_region": [labels[c % k] for c in nz],
                       "weight": cells[nz].astype(np.int64)})
    return out.sort_values(["source_region", "target_region"]).reset_index(drop=True)


def bakorwil_flows(flows: pd.DataFrame) -> pd.DataFrame:
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


_ROWS_PER_RANGE = 3_000_000


_PAIR_COLUMNS = [*(KIND_ATTRIBUTES[k] for k in INTERACTION_KINDS), "first", "last"]


def _submit_pair_ranges(client, dc, kinds, lo, hi, split_out, window=None):
    """Futures of the reduced key ranges of :func:`aggregate_edges`, in key order (an
    iterator, see :func:`_submit_ranges`)."""
    accounts_dir = str(dc.folder / "accounts")
    index = account_index(accounts_dir)
    n = len(index)
    dirs = partition_dirs(dc.folder / "interactions")
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


def _region_groups(accounts: pd.DataFrame, level: str) -> pd.Series:
    return pd.Series([region_group(c, level) for c in accounts["region_code"]],
                     index=accounts.index.astype(object), dtype=object)


_EDGE_COLUMNS = ["source_id", "target_id", "kind", "created_at", "post_id"]


_KIND_CODE = {k: i for i, k in enumerate(INTERACTION_KINDS)}


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
    index = account_index(accounts_dir)
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
    n = len(account_index(accounts_dir))
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
    index = account_index(accounts_dir)
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
        index = account_index(accounts_dir)
        bad = index[src[gs < 0][0]] if (gs < 0).any() else index[dst[gd < 0][0]]
        raise SchemaError(f"{bad!r} is not in accounts", table="interactions",
                          expected=f"an account id (partition {directory})")
    return np.bincount(gs * n_groups + gd, minlength=n_groups * n_groups).astype(np.int64)
