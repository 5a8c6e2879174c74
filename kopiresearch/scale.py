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
  :func:`kopiresearch.diffusion.simulate` with the same seed, whatever the number of workers.

By default work runs on a ``LocalCluster`` on this machine; a scheduler address
(``scheduler="tcp://..."`` or the ``DASK_SCHEDULER_ADDRESS`` environment variable) sends the
same work to an existing cluster (dask-jobqueue on HPC, Kubernetes, ...).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from .corpus import INTERACTION_KINDS, PROVINCE_CODE, SCHEMAS, LoadReport, coerce_table
from .errors import DataNotFoundError, KopiresearchError, SchemaError
from .graph import KIND_ATTRIBUTES, graph_from_edge_table
from .io.parquet import _arrow_schema, read_partitioned_report
from .regions import UNKNOWN_REGION, bakorwil_of

__all__ = ["open_parquet_corpus", "DaskCorpus", "aggregate_edges", "build_interaction_graph",
           "region_flow_table", "dask_client"]


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
                           processes=True, memory_limit=memory_limit, dashboard_address=None)
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
    (``open_parquet_corpus`` runs it unless ``count_duplicates=False``).
    """

    folder: Path
    accounts: pd.DataFrame
    posts: object
    interactions: object
    report: LoadReport = field(default_factory=LoadReport)

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
    SchemaError
        A file whose columns or types differ from the canonical schema (names the file).
    """
    folder = Path(folder)
    for name in ("accounts", "posts", "interactions"):
        if not (folder / name).exists():
            raise DataNotFoundError(f"{folder}: no {name}/ partitions (expected the layout of "
                                    "kopiresearch.io.parquet)")
    if validate:
        for name in ("accounts", "posts", "interactions"):
            expected = _arrow_schema(name)
            for path in sorted((folder / name).rglob("part-*.parquet")):
                schema = pq.read_schema(path)
                if not schema.equals(expected, check_metadata=False):
                    raise SchemaError(f"file {path}: schema {schema.names} "
                                      f"{[str(t) for t in schema.types]} differs",
                                      table=name, expected=str(expected))
    acc_files = sorted((folder / "accounts").rglob("part-*.parquet"))
    accounts = pd.concat([pq.read_table(f).to_pandas() for f in acc_files], ignore_index=True)
    accounts = coerce_table("accounts", accounts.drop_duplicates("account_id", keep="first"))
    dd = _dd()
    meta = {name: _empty(name) for name in ("posts", "interactions")}
    posts = dd.from_map(_read_partition, _partition_dirs(folder / "posts"), table="posts",
                        meta=meta["posts"], enforce_metadata=False)
    inter = dd.from_map(_read_partition, _partition_dirs(folder / "interactions"),
                        table="interactions", meta=meta["interactions"],
                        enforce_metadata=False)
    report = read_partitioned_report(folder)
    dc = DaskCorpus(folder, accounts, posts, inter, report)
    if count_duplicates:
        dc.count_duplicates()
    return dc


def aggregate_edges(dc: DaskCorpus, kinds=None, start=None, end=None, *,
                    split_out: int | None = None) -> pd.DataFrame:
    """The edge table of the interaction graph, computed in Dask.

    Same result as :func:`kopiresearch.graph.aggregate_interactions` on the in-memory
    interactions: one row per (source, target) with ``weight``, ``n_<kind>``,
    ``first_time``, ``last_time``, sorted by pair. Each partition is reduced to its own
    pair counts first, so memory holds partial results, never the raw rows of all months.

    Parameters
    ----------
    dc : DaskCorpus
    kinds, start, end
        As in :func:`kopiresearch.build_interaction_graph`.
    split_out : int, optional
        Number of output partitions of the group-by (default: one per 4 input partitions).
    """
    inter = _select(dc.interactions, kinds, start, end)
    kind_cols = [KIND_ATTRIBUTES[k] for k in INTERACTION_KINDS]
    partial = inter.map_partitions(_partial_aggregate, meta=_partial_meta())
    split_out = split_out or max(1, inter.npartitions // 4)
    agg = {c: "sum" for c in kind_cols}
    agg.update({"first_time": "min", "last_time": "max"})
    result = partial.groupby(["source_id", "target_id"]).agg(agg, split_out=split_out)
    edges = result.compute().reset_index()
    edges.insert(2, "weight", edges[kind_cols].sum(axis=1).astype(int))
    for c in kind_cols:
        edges[c] = edges[c].astype(int)
    edges["source_id"] = edges["source_id"].astype(object)
    edges["target_id"] = edges["target_id"].astype(object)
    return edges.sort_values(["source_id", "target_id"]).reset_index(drop=True)[
        ["source_id", "target_id", "weight", *kind_cols, "first_time", "last_time"]]


def build_interaction_graph(dc: DaskCorpus, kinds=None, start=None, end=None, *,
                            include_isolates: bool = True):
    """The interaction graph of a partitioned corpus: :func:`aggregate_edges` in Dask, then
    the same assembly as :func:`kopiresearch.build_interaction_graph` (identical result).
    """
    edges = aggregate_edges(dc, kinds, start, end)
    return graph_from_edge_table(dc.accounts, edges, include_isolates=include_isolates)


def region_flow_table(dc: DaskCorpus, level: str = "kabkota", kinds=None, start=None,
                      end=None) -> pd.DataFrame:
    """Acts between regions, computed in Dask: one row per (source region, target region)
    with ``weight`` (number of acts). Regions as in :func:`kopiresearch.region_graph`
    (codes or Bakorwil names, ``"35"``/``"province"``, ``"unknown"``); equal to its edge
    weights.
    """
    if level not in ("kabkota", "bakorwil"):
        raise KopiresearchError(f"level must be 'kabkota' or 'bakorwil', not {level!r}")
    group = _region_groups(dc.accounts, level)
    inter = _select(dc.interactions, kinds, start, end)
    part = inter.map_partitions(_region_partial, group, meta=pd.DataFrame(
        {"source_region": pd.Series([], dtype=object), "target_region": pd.Series(
            [], dtype=object), "weight": pd.Series([], dtype="int64")}))
    out = part.groupby(["source_region", "target_region"])["weight"].sum().compute()
    return out.reset_index().sort_values(["source_region", "target_region"]).reset_index(
        drop=True)


# ----------------------------------------------------------------------------------------
# helpers (run on workers: module-level functions so they pickle)


def _partition_dirs(root: Path) -> list[str]:
    dirs = sorted({str(p.parent) for p in root.rglob("part-*.parquet")})
    return dirs


def _empty(name):
    frame = _arrow_schema(name).empty_table().to_pandas()
    return coerce_table(name, frame).reset_index() if SCHEMAS[name][0] else \
        coerce_table(name, frame)


def _read_partition(directory: str, table: str) -> pd.DataFrame:
    files = sorted(Path(directory).glob("part-*.parquet"))
    frame = pd.concat([pq.read_table(f).to_pandas() for f in files], ignore_index=True)
    if table == "posts":
        frame = frame.drop_duplicates("post_id", keep="first")
    else:
        frame = frame.drop_duplicates(["post_id", "source_id", "target_id", "kind",
                                       "created_at"], keep="first")
    coerced = coerce_table(table, frame)
    return coerced.reset_index() if SCHEMAS[table][0] else coerced


def _duplicate_count(directory: str) -> pd.DataFrame:
    files = sorted(Path(directory).glob("part-*.parquet"))
    ids = pd.concat([pq.read_table(f, columns=["post_id"]).to_pandas()["post_id"]
                     for f in files], ignore_index=True)
    return pd.DataFrame({"n": [int(ids.duplicated().sum())]})


def _select(inter, kinds, start, end):
    from .corpus import _utc

    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else list(kinds)
        unknown = sorted(set(kinds) - set(INTERACTION_KINDS))
        if unknown:
            raise KopiresearchError(f"unknown interaction kind(s) {unknown}")
        inter = inter[inter["kind"].isin(kinds)]
    if start is not None:
        inter = inter[inter["created_at"] >= _utc(start)]
    if end is not None:
        inter = inter[inter["created_at"] < _utc(end)]
    return inter


def _partial_meta():
    cols = {"source_id": pd.Series([], dtype=object), "target_id": pd.Series([], dtype=object)}
    for k in INTERACTION_KINDS:
        cols[KIND_ATTRIBUTES[k]] = pd.Series([], dtype="int64")
    cols["first_time"] = pd.Series([], dtype=pd.DatetimeTZDtype("ns", "UTC"))
    cols["last_time"] = pd.Series([], dtype=pd.DatetimeTZDtype("ns", "UTC"))
    return pd.DataFrame(cols)


def _partial_aggregate(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return _partial_meta()
    keys = [frame["source_id"].astype(object), frame["target_id"].astype(object)]
    kind = frame["kind"].astype(str)
    onehot = pd.DataFrame({KIND_ATTRIBUTES[k]: (kind == k).to_numpy(np.int64)
                           for k in INTERACTION_KINDS}, index=frame.index)
    onehot["first_time"] = frame["created_at"]
    onehot["last_time"] = frame["created_at"]
    agg = {KIND_ATTRIBUTES[k]: "sum" for k in INTERACTION_KINDS}
    agg.update({"first_time": "min", "last_time": "max"})
    out = onehot.groupby(keys, sort=False).agg(agg)
    out.index.names = ["source_id", "target_id"]
    return out.reset_index()


def _region_groups(accounts: pd.DataFrame, level: str) -> pd.Series:
    def group_of(code):
        if code is None or pd.isna(code):
            return UNKNOWN_REGION
        if code == PROVINCE_CODE:
            return PROVINCE_CODE if level == "kabkota" else "province"
        return code if level == "kabkota" else bakorwil_of(code)

    return pd.Series([group_of(c) for c in accounts["region_code"]],
                     index=accounts.index.astype(object), dtype=object)


def _region_partial(frame: pd.DataFrame, group: pd.Series) -> pd.DataFrame:
    src = frame["source_id"].astype(object).map(group)
    dst = frame["target_id"].astype(object).map(group)
    out = pd.DataFrame({"source_region": src, "target_region": dst})
    return out.groupby(["source_region", "target_region"]).size().rename(
        "weight").reset_index()
