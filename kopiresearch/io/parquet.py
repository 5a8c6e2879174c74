"""Canonical tables as partitioned Parquet, written file by file for crawls larger than memory.

Layout (Hive-style partitions, readable by pandas, pyarrow, Dask, DuckDB and Spark)::

    DIR/accounts/platform=twitter/part-00000.parquet
    DIR/posts/platform=twitter/month=2024-10/part-00000.parquet
    DIR/interactions/platform=twitter/month=2024-10/part-00000.parquet
    DIR/reports/part-00000.json         # the LoadReport of input file 0
    DIR/load_report.json                # their sum, written at the end

Posts and interactions are partitioned by platform and by the UTC month of ``created_at``.
Every input file becomes its own ``part-NNNNN`` in each partition, so writing never reads
back what was written and memory holds one input file at a time. A post read twice (two
overlapping crawls) has the same platform and month both times, so the copies always land in
the same partition: :func:`kopiresearch.scale.open_parquet_corpus` removes them there and
moves them from ``loaded`` to ``duplicates`` in the report, which therefore still adds up
across all files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..corpus import SCHEMAS, Corpus, LoadReport
from ..errors import DataNotFoundError
from .merge import merge_accounts
from .tables import _report_dict, _report_from_dict

__all__ = ["write_partitioned", "stream_to_parquet", "read_partitioned_report",
           "read_partitioned"]

_TABLES = ("accounts", "posts", "interactions")


def _arrow_schema(name: str) -> pa.Schema:
    index_name, columns = SCHEMAS[name]
    fields = [pa.field(index_name, pa.string())] if index_name else []
    for col in columns:
        if isinstance(col.dtype, pd.DatetimeTZDtype):
            typ = pa.timestamp("ns", tz="UTC")
        elif isinstance(col.dtype, pd.BooleanDtype):
            typ = pa.bool_()
        elif isinstance(col.dtype, pd.Int64Dtype):
            typ = pa.int64()
        else:
            typ = pa.string()
        fields.append(pa.field(col.name, typ))
    return pa.schema(fields)


def _plain(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Categories as strings, index as a column: the on-disk form of a canonical table."""
    index_name, columns = SCHEMAS[name]
    out = frame.reset_index() if index_name else frame.copy()
    for col in columns:
        if isinstance(col.dtype, pd.CategoricalDtype):
            out[col.name] = out[col.name].astype(str)
    return out


def write_partitioned(corpus: Corpus, folder, *, part: int = 0) -> list[Path]:
    """Append one corpus (typically: one input file) to a partitioned Parquet folder.

    Parameters
    ----------
    corpus : Corpus
    folder : path-like
    part : int
        Number of this piece; names its files ``part-{part:05d}.parquet`` in every partition
        it touches. Writing a ``part`` again replaces its files.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import tempfile, kopiresearch as kr
    >>> with tempfile.TemporaryDirectory() as d:
    ...     files = write_partitioned(kr.load_bundled(), d)
    ...     back = read_partitioned(d)
    >>> back.interactions.equals(kr.load_bundled().interactions)
    True
    """
    folder = Path(folder)
    written = []
    name_part = f"part-{int(part):05d}.parquet"
    for name in _TABLES:
        frame = _plain(name, getattr(corpus, name))
        schema = _arrow_schema(name)
        if name == "accounts":
            groups = frame.groupby("platform", sort=True)
        else:
            month = frame["created_at"].dt.strftime("%Y-%m")
            platform = (frame["platform"] if "platform" in frame.columns else
                        frame["post_id"].str.split(":", n=1).str[0])
            groups = frame.groupby([platform.rename("platform"), month.rename("month")],
                                   sort=True)
        for key, group in groups:
            key = key if isinstance(key, tuple) else (key,)
            sub = folder / name / f"platform={key[0]}"
            if name != "accounts":
                sub = sub / f"month={key[1]}"
            sub.mkdir(parents=True, exist_ok=True)
            table = pa.Table.from_pandas(group[schema.names], schema=schema,
                                         preserve_index=False)
            pq.write_table(table, sub / name_part)
            written.append(sub / name_part)
    reports = folder / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    path = reports / f"part-{int(part):05d}.json"
    path.write_text(json.dumps(_report_dict(corpus.report), sort_keys=True), encoding="utf-8")
    written.append(path)
    return written


def stream_to_parquet(paths, reader, folder, **reader_kwargs) -> LoadReport:
    """Load input files one at a time with ``reader`` and append each to ``folder``.

    Memory holds one input file's corpus at a time, so a crawl of any size can be converted.
    The summed report is written to ``folder/load_report.json`` and returned (duplicates
    across files are counted later, when the partitions are opened).

    Parameters
    ----------
    paths : iterable of path-like
        Input files, in the order to number them.
    reader : callable
        ``reader(path, **reader_kwargs) -> Corpus``, e.g. ``kopiresearch.io.read_twarc2``.
    folder : path-like
        Output folder (see the module docstring for its layout).

    Examples
    --------
    >>> import tempfile, kopiresearch as kr
    >>> with tempfile.TemporaryDirectory() as d:
    ...     report = stream_to_parquet([0, 1], lambda _: kr.load_bundled(), d)
    >>> report.loaded == 2 * kr.load_bundled().report.loaded
    True
    """
    total = LoadReport()
    for part, path in enumerate(paths):
        corpus = reader(path, **reader_kwargs)
        write_partitioned(corpus, folder, part=part)
        total = total + corpus.report
        del corpus
    Path(folder, "load_report.json").write_text(
        json.dumps(_report_dict(total), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return total


def read_partitioned_report(folder) -> LoadReport:
    """The summed LoadReport of every part written into ``folder``."""
    total = LoadReport()
    for path in sorted(Path(folder, "reports").glob("part-*.json")):
        total = total + _report_from_dict(json.loads(path.read_text(encoding="utf-8")))
    return total


def read_partitioned(folder, *, validate: bool = True) -> Corpus:
    """Read a partitioned folder into memory (for data that fits; see
    :mod:`kopiresearch.scale` for data that does not). Duplicate posts across parts are
    removed and counted in the report; accounts are united across parts as
    :func:`kopiresearch.io.merge` unites them (the same rule as :mod:`kopiresearch.scale`)."""
    folder = Path(folder)
    frames = {}
    for name in _TABLES:
        root = folder / name
        if not root.exists():
            raise DataNotFoundError(f"{folder}: no {name}/ partitions")
        files = sorted(root.rglob("part-*.parquet"))
        table = pa.concat_tables([pq.read_table(f, schema=_arrow_schema(name)) for f in files]) \
            if files else _arrow_schema(name).empty_table()
        frames[name] = table.to_pandas()
    report = read_partitioned_report(folder)
    accounts, aliases = merge_accounts(frames["accounts"])
    posts = frames["posts"]
    dup = posts.duplicated("post_id", keep="first").to_numpy()
    posts = posts[~dup].copy()
    mapped = posts["author_id"].map(aliases)
    posts["author_id"] = posts["author_id"].where(mapped.isna(), mapped)
    report.loaded -= int(dup.sum())
    report.duplicates += int(dup.sum())
    posts = posts.sort_values(["created_at", "post_id"], kind="stable")
    inter = unalias_acts(frames["interactions"], aliases).sort_values(
        ["created_at", "post_id", "kind", "target_id"], kind="stable")
    return Corpus.from_frames(accounts, posts, inter,
                              report=report, meta={"source": str(folder)},
                              mark_missing_parents=False, validate=validate)


def unalias_acts(frame: pd.DataFrame, aliases: dict) -> pd.DataFrame:
    """Re-point aliased accounts (handle-only ids another file knows by id), drop the self-acts
    that creates, and keep one copy of each act, as :func:`kopiresearch.io.merge` does."""
    if aliases:
        for col in ("source_id", "target_id"):
            mapped = frame[col].map(aliases)
            frame[col] = frame[col].where(mapped.isna(), mapped)
        frame = frame[frame["source_id"] != frame["target_id"]]
    return frame.drop_duplicates(["post_id", "source_id", "target_id", "kind", "created_at"],
                                 keep="first")
