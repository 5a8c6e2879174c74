"""A partitioned Parquet corpus opened lazily as Dask DataFrames (:class:`DaskCorpus`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..corpus import INTERACTION_KINDS, SCHEMAS, LoadReport, coerce_table
from ..errors import DataNotFoundError, InputFormatError, KopiresearchError, SchemaError
from ..io.merge import merge_accounts
from ..io.parquet import (
    arrow_schema,
    check_complete,
    read_part,
    read_partitioned_report,
    unalias_acts,
)
from ._client import dask_dataframe

__all__ = ["DaskCorpus", "open_parquet_corpus", "partition_dirs", "empty_table",
           "account_index", "check_kinds", "window_bounds"]


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
        dirs = partition_dirs(self.folder / "posts")
        dd = dask_dataframe()
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
            expected = arrow_schema(name)
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
                    or [arrow_schema("accounts").empty_table().to_pandas()], ignore_index=True)
    merged, aliases = merge_accounts(raw)
    accounts = coerce_table("accounts", merged)
    dd = dask_dataframe()
    meta = {name: empty_table(name) for name in ("posts", "interactions")}
    posts = dd.from_map(_read_partition, partition_dirs(folder / "posts"), table="posts",
                        aliases=aliases, meta=meta["posts"], enforce_metadata=False)
    inter = dd.from_map(_read_partition, partition_dirs(folder / "interactions"),
                        table="interactions", aliases=aliases, meta=meta["interactions"],
                        enforce_metadata=False)
    report = read_partitioned_report(folder)
    dc = DaskCorpus(folder, accounts, posts, inter, report, aliases)
    if count_duplicates:
        dc.count_duplicates()
    return dc


def partition_dirs(root: Path) -> list[str]:
    """Folders holding part files; a table without any gives its root (one empty
    partition), so that an empty load opens."""
    dirs = sorted({str(p.parent) for p in root.rglob("part-*.parquet")})
    return dirs or [str(root)]


def empty_table(name):
    frame = arrow_schema(name).empty_table().to_pandas()
    return coerce_table(name, frame).reset_index() if SCHEMAS[name][0] else \
        coerce_table(name, frame)


def _read_partition(directory: str, table: str, aliases: dict) -> pd.DataFrame:
    files = sorted(Path(directory).glob("part-*.parquet"))
    if not files:  # an empty corpus: one empty partition
        return empty_table(table)
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


@functools.lru_cache(maxsize=4)
def account_index(accounts_dir: str) -> pd.Index:
    """Every account id of the files (first copy of each, aliases included), read once per
    worker process instead of being shipped with every task; integer codes of
    :func:`aggregate_edges` index into it."""
    files = sorted(Path(accounts_dir).rglob("part-*.parquet"))
    ids = pd.concat([read_part(f, columns=["account_id"]).to_pandas()["account_id"]
                    for f in files] or [pd.Series([], dtype=object)], ignore_index=True)
    # sorted, so that sorting the int64 pair keys sorts the edges by (source_id, target_id)
    return pd.Index(np.sort(ids.drop_duplicates().astype(object).to_numpy()), dtype=object)


def check_kinds(kinds):
    if kinds is None:
        return None
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    unknown = sorted(set(kinds) - set(INTERACTION_KINDS))
    if unknown:
        raise KopiresearchError(f"unknown interaction kind(s) {unknown}; known: "
                                f"{', '.join(INTERACTION_KINDS)}")
    return kinds


def window_bounds(start, end):
    from ..corpus import to_utc

    lo = None if start is None else to_utc(start).value
    hi = None if end is None else to_utc(end).value
    return lo, hi


def _unalias(ids: pd.Series, aliases: dict) -> pd.Series:
    if not aliases:
        return ids
    mapped = ids.map(aliases)
    return ids.where(mapped.isna(), mapped)
