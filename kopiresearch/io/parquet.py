"""Canonical tables as partitioned Parquet, written file by file for crawls larger than memory.

Layout (Hive-style partitions, readable by pandas, pyarrow, Dask, DuckDB and Spark)::

    DIR/accounts/platform=twitter/part-00000.parquet
    DIR/posts/platform=twitter/month=2024-10/part-00000.parquet
    DIR/interactions/platform=twitter/month=2024-10/part-00000.parquet
    DIR/reports/part-00000.json         # the LoadReport of input file 0
    DIR/load_report.json                # completion record, written last

Posts and interactions are partitioned by platform and by the UTC month of ``created_at``.
Every input file becomes its own ``part-NNNNN`` in each partition, so writing never reads
back what was written and memory holds one input file at a time. A post read twice (two
overlapping crawls) has the same platform and month both times, so the copies always land in
the same partition: :func:`kopiresearch.scale.open_parquet_corpus` removes them there and
moves them from ``loaded`` to ``duplicates`` in the report, which therefore still adds up
across all files.

A folder is complete when its completion record ``load_report.json`` (the summed report and
the list of every part file with its size, written last by :func:`complete_partitioned`)
lists exactly the part files on disk: :func:`check_complete`, run by
:func:`read_partitioned` and :func:`kopiresearch.scale.open_parquet_corpus`, refuses a folder
without it (a load that did not finish), with parts it does not list (a second load into the
same folder) or with a listed part missing or of another size (a truncated file).
:func:`stream_to_parquet` also writes into a temporary folder renamed into place at the end,
so an interrupted load leaves no folder at all.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..corpus import SCHEMAS, Corpus, LoadReport
from ..errors import DataNotFoundError, InputFormatError
from .merge import merge_accounts

__all__ = ["write_partitioned", "complete_partitioned", "check_complete", "stream_to_parquet",
           "read_partitioned_report", "read_partitioned"]

_TABLES = ("accounts", "posts", "interactions")
#: The completion record's file name and format tag.
RECORD = "load_report.json"
_RECORD_FORMAT = "kopiresearch-partitioned/1"


def arrow_schema(name: str) -> pa.Schema:
    """The Arrow schema of canonical table ``name`` on disk: the index as a string column,
    then the columns of :data:`~kopiresearch.corpus.SCHEMAS` (UTC nanosecond times,
    booleans, 64-bit integers, everything else strings).

    Examples
    --------
    >>> arrow_schema("accounts").field("account_id").type, arrow_schema("posts").field(
    ...     "created_at").type
    (DataType(string), TimestampType(timestamp[ns, tz=UTC]))
    """
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

    See Also
    --------
    complete_partitioned : to call once after the last part; until then the folder does not
        open. :func:`stream_to_parquet` does both, atomically.

    Notes
    -----
    Interactions are partitioned by the platform of their source account (every account id
    is platform-qualified), so acts without a ``post_id`` are kept.

    Examples
    --------
    >>> import tempfile, kopiresearch as kr
    >>> with tempfile.TemporaryDirectory() as d:
    ...     files = write_partitioned(kr.load_bundled(), d)
    ...     _ = complete_partitioned(d)
    ...     back = read_partitioned(d)
    >>> back.interactions.equals(kr.load_bundled().interactions)
    True
    """
    folder = Path(folder)
    written = []
    name_part = f"part-{int(part):05d}.parquet"
    for name in _TABLES:
        frame = _plain(name, getattr(corpus, name))
        schema = arrow_schema(name)
        if name == "accounts":
            groups = frame.groupby("platform", sort=True)
        else:
            month = frame["created_at"].dt.strftime("%Y-%m")
            platform = (frame["platform"] if "platform" in frame.columns else
                        frame["source_id"].str.split(":", n=1).str[0])
            groups = frame.groupby([platform.rename("platform"), month.rename("month")],
                                   sort=True, dropna=False)
        for key, group in groups:
            key = key if isinstance(key, tuple) else (key,)
            if any(pd.isna(k) for k in key):  # the schema forbids it: never drop silently
                raise InputFormatError(f"{len(group)} {name} rows without platform or time "
                                       "cannot be partitioned")
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
    path.write_text(json.dumps(corpus.report.to_dict(), sort_keys=True), encoding="utf-8")
    written.append(path)
    return written


def complete_partitioned(folder, report: LoadReport | None = None) -> Path:
    """Write the completion record of a partitioned folder, after its last part.

    Parameters
    ----------
    folder : path-like
        Written by :func:`write_partitioned`.
    report : LoadReport, optional
        The summed report; default: the sum of the parts' reports.

    Returns
    -------
    Path
        The record, ``folder/load_report.json``: the report's counts plus ``format``,
        ``complete`` and ``parts`` (every part file's path relative to ``folder`` and size
        in bytes).

    Notes
    -----
    The three table folders are created even when empty, so that an input with no rows
    gives a folder that opens (with no rows). The record is written to a temporary file and
    renamed, so it is either absent or whole.
    """
    folder = Path(folder)
    for name in _TABLES:
        (folder / name).mkdir(parents=True, exist_ok=True)
    if report is None:
        report = _sum_part_reports(folder)
    record = report.to_dict()
    record.update({"format": _RECORD_FORMAT, "complete": True,
                   "parts": {rel: size for rel, size in _part_files(folder).items()}})
    path = folder / RECORD
    tmp = folder / f".{RECORD}.tmp"
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def check_complete(folder) -> dict:
    """The completion record of ``folder``, after checking that it describes the folder.

    Raises
    ------
    DataNotFoundError
        ``folder`` does not exist.
    InputFormatError
        No completion record (the load did not finish, or was written by an older version:
        load again), an unreadable record, part files on disk it does not list (another
        load wrote into the folder), or listed parts missing or of another size (a truncated
        or replaced file). The message names the folder and up to three files.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataNotFoundError(f"{folder}: no such folder")
    path = folder / RECORD
    if not path.is_file():
        raise InputFormatError("no completion record: the load that wrote this folder did "
                               "not finish (or an older version wrote it); load again",
                               file=str(path))
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        parts = dict(record["parts"]) if record.get("format") == _RECORD_FORMAT else None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputFormatError(f"unreadable completion record ({exc!r}); load again",
                               file=str(path)) from exc
    if parts is None or record.get("complete") is not True:
        raise InputFormatError("not the completion record of a finished partitioned load; "
                               "load again", file=str(path))
    on_disk = _part_files(folder)
    extra = sorted(set(on_disk) - set(parts))
    missing = sorted(set(parts) - set(on_disk))
    changed = sorted(r for r in set(parts) & set(on_disk) if on_disk[r] != parts[r])
    for what, names in (("part files the completion record does not list (another load "
                         "wrote into this folder?)", extra),
                        ("part files listed in the completion record are missing", missing),
                        ("part files differ in size from the completion record (truncated "
                         "or replaced?)", changed)):
        if names:
            raise InputFormatError(f"{len(names)} {what}: " + ", ".join(names[:3])
                                   + (", ..." if len(names) > 3 else ""), file=str(folder))
    return record


def _part_files(folder: Path) -> dict:
    out = {}
    for name in (*_TABLES, "reports"):
        root = folder / name
        if root.is_dir():
            for f in sorted(root.rglob("part-*")):
                if f.is_file():
                    out[f.relative_to(folder).as_posix()] = f.stat().st_size
    return out


def stream_to_parquet(paths, reader, folder, *, overwrite: bool = False,
                      flag: str = "overwrite=True", progress=None, **reader_kwargs) -> LoadReport:
    """Load input files one at a time with ``reader`` and write them as one partitioned folder.

    Memory holds one input file's corpus at a time, so a crawl of any size can be converted.
    The parts are written into a temporary folder beside ``folder``; the completion record
    (the summed report, see :func:`complete_partitioned`) is written last and the temporary
    folder is then renamed to ``folder``: an interrupted load leaves no ``folder`` (or the
    previous one), never a partial one. Duplicates across files are counted later, when the
    partitions are opened.

    Parameters
    ----------
    paths : iterable of path-like
        Input files, in the order to number them.
    reader : callable
        ``reader(path, **reader_kwargs) -> Corpus``, e.g. ``kopiresearch.io.read_twarc2``.
    folder : path-like
        Output folder (see the module docstring for its layout).
    overwrite : bool
        Replace an existing non-empty ``folder`` (else :class:`~kopiresearch.errors.OutputError`).
    flag : str
        How the caller spells ``overwrite`` in messages.
    progress : callable, optional
        Called as ``progress(path, corpus)`` after each input.

    Returns
    -------
    LoadReport
        The summed report.

    Raises
    ------
    OutputError
        ``folder`` holds files (without ``overwrite``) or writing failed; nothing is left.

    Examples
    --------
    >>> import tempfile, os, kopiresearch as kr
    >>> with tempfile.TemporaryDirectory() as d:
    ...     out = os.path.join(d, "corpus")
    ...     report = stream_to_parquet([0, 1], lambda _: kr.load_bundled(), out)
    ...     _ = check_complete(out)
    >>> report.loaded == 2 * kr.load_bundled().report.loaded
    True
    """
    from ._output import output_folder

    total = LoadReport()
    with output_folder(folder, overwrite=overwrite, flag=flag) as tmp:
        for part, path in enumerate(paths):
            corpus = reader(path, **reader_kwargs)
            write_partitioned(corpus, tmp, part=part)
            total = total + corpus.report
            if progress is not None:
                progress(path, corpus)
            del corpus
        complete_partitioned(tmp, total)
    return total


def _sum_part_reports(folder) -> LoadReport:
    total = LoadReport()
    for path in sorted(Path(folder, "reports").glob("part-*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            total = total + LoadReport.from_dict(data)
        except (ValueError, KeyError, TypeError) as exc:
            raise InputFormatError(f"unreadable part report ({exc!r})", file=str(path)) from exc
    return total


def read_partitioned_report(folder) -> LoadReport:
    """The summed LoadReport of every part written into ``folder`` (from its completion
    record when there is one)."""
    path = Path(folder, RECORD)
    if path.is_file():
        try:
            return LoadReport.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputFormatError(f"unreadable completion record ({exc!r})",
                                   file=str(path)) from exc
    return _sum_part_reports(folder)


def read_partitioned(folder, *, validate: bool = True) -> Corpus:
    """Read a partitioned folder into memory (for data that fits; see
    :mod:`kopiresearch.scale` for data that does not). Duplicate posts across parts are
    removed and counted in the report; accounts are united across parts as
    :func:`kopiresearch.io.merge` unites them (the same rule as :mod:`kopiresearch.scale`)."""
    folder = Path(folder)
    check_complete(folder)
    frames = {}
    for name in _TABLES:
        root = folder / name
        if not root.exists():
            raise DataNotFoundError(f"{folder}: no {name}/ partitions")
        files = sorted(root.rglob("part-*.parquet"))
        table = pa.concat_tables([read_part(f, schema=arrow_schema(name)) for f in files]) \
            if files else arrow_schema(name).empty_table()
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


def read_part(path, **kwargs) -> pa.Table:
    """``pyarrow.parquet.read_table(path, **kwargs)``; a damaged file raises
    :class:`~kopiresearch.errors.InputFormatError` naming it."""
    try:
        return pq.read_table(path, **kwargs)
    except (pa.ArrowException, OSError) as exc:
        raise InputFormatError(f"cannot read the part file ({type(exc).__name__}: {exc})",
                               file=str(path)) from exc


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
