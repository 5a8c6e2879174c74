"""The canonical tables on disk: CSV (optionally gzip-compressed) or Parquet, one file each.

Files are written deterministically: rows in index order, timestamps as ISO 8601 UTC with a
``Z``, gzip without a time stamp, so the same corpus always gives the same bytes.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pandas as pd

from ..corpus import SCHEMAS, Corpus, LoadReport
from ..errors import DataNotFoundError, InputFormatError

__all__ = ["write_corpus", "read_corpus", "TABLES"]

TABLES = ("accounts", "posts", "interactions")
_SUFFIX = {"csv": ".csv", "csv.gz": ".csv.gz", "parquet": ".parquet"}


def write_corpus(corpus: Corpus, folder, format="parquet", *, overwrite: bool = False,
                 flag: str = "overwrite=True") -> list[Path]:
    """Write the three canonical tables (and the load report as JSON) into ``folder``.

    The folder is complete or absent: the files are written into a temporary folder beside
    ``folder``, which replaces ``folder`` only once everything is written (see
    :func:`kopiresearch.io._output.output_folder`), and the load report is written last.

    Parameters
    ----------
    corpus : Corpus
    folder : path-like
        Created if missing (with its parents).
    format : {"parquet", "csv", "csv.gz"} or a sequence of them
        Several formats write each table once per format, into the same folder.
    overwrite : bool
        Replace a ``folder`` that already holds an output. Without it, a non-empty folder is
        refused, so that tables of an earlier run never sit beside new ones.
    flag : str
        How the caller spells ``overwrite`` in messages (the command line says
        ``--overwrite``).

    Returns
    -------
    list of Path
        The files written (at their final place).

    Raises
    ------
    OutputError
        ``folder`` is a file, already holds files (without ``overwrite``), or writing failed
        (disk full, ...); nothing is left half-written.
    ValueError
        An unknown format.

    Examples
    --------
    >>> import tempfile, kopiresearch as kr
    >>> c = kr.load_bundled()
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = write_corpus(c, d, format="parquet")
    ...     back = read_corpus(d)
    >>> back.interactions.equals(c.interactions)
    True
    """
    from ._output import output_folder

    formats = [format] if isinstance(format, str) else list(format)
    for f in formats:
        if f not in _SUFFIX:
            raise ValueError(f"format must be one of {sorted(_SUFFIX)}, not {f!r}")
    folder = Path(folder)
    with output_folder(folder, overwrite=overwrite, flag=flag) as tmp:
        names = write_tables(corpus, tmp, formats)
    return [folder / n for n in names]


def write_tables(corpus: Corpus, folder: Path, formats) -> list[str]:
    """Write the tables in each of ``formats`` and then the load report into an existing
    (temporary) ``folder``; the names written, in order. For writers that build a whole
    output folder (see :func:`write_corpus`)."""
    written = []
    for format in formats:
        for name in TABLES:
            frame = getattr(corpus, name)
            index_name = SCHEMAS[name][0]
            out = frame.reset_index() if index_name is not None else frame
            path = folder / f"{name}{_SUFFIX[format]}"
            if format == "parquet":
                out.to_parquet(path, index=False)
            else:
                text = _to_csv_text(out)
                if format == "csv":
                    path.write_text(text, encoding="utf-8", newline="")
                else:
                    write_gzip_text(text, path)
            written.append(path.name)
    report_path = folder / "load_report.json"
    report_path.write_text(json.dumps(corpus.report.to_dict(), indent=1, sort_keys=True)
                           + "\n", encoding="utf-8")
    written.append(report_path.name)
    return written


def write_gzip_text(text: str, path) -> None:
    """Write UTF-8 text gzip-compressed with no file name and no time stamp in the header,
    so the same text always gives the same bytes."""
    with open(path, "wb") as fh, gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0,
                                               compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))


def _to_csv_text(frame: pd.DataFrame) -> str:
    frame = frame.copy()
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.DatetimeTZDtype):
            frame[col] = frame[col].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def is_corpus_folder(path) -> bool:
    """Whether ``path`` is a folder of canonical tables (as :func:`write_corpus` writes):
    it holds ``accounts`` or ``posts`` as Parquet, CSV or gzip-compressed CSV, so
    :func:`read_corpus` reads it (anything else is read as crawls).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     before = is_corpus_folder(d)
    ...     _ = (Path(d) / "posts.csv").write_text("")
    ...     before, is_corpus_folder(d), is_corpus_folder(Path(d) / "posts.csv")
    (False, True, False)
    """
    path = Path(path)
    return path.is_dir() and any((path / f"{name}.{ext}").exists()
                                 for name in ("accounts", "posts")
                                 for ext in ("parquet", "csv", "csv.gz"))


def read_corpus(folder, *, validate: bool = True) -> Corpus:
    """Read a corpus written by :func:`write_corpus` (any of its formats).

    Raises
    ------
    DataNotFoundError
        A table file is missing.
    InputFormatError
        A table cannot be parsed.
    """
    folder = Path(folder)
    frames = {}
    for name in TABLES:
        for suffix in (".parquet", ".csv.gz", ".csv"):
            path = folder / f"{name}{suffix}"
            if path.exists():
                break
        else:
            raise DataNotFoundError(f"{folder}: no {name}.parquet, {name}.csv.gz or {name}.csv")
        try:
            if suffix == ".parquet":
                frames[name] = pd.read_parquet(path)
            else:
                frames[name] = pd.read_csv(path, dtype=str, keep_default_na=False,
                                           na_values=[""])
        except Exception as exc:  # pandas/pyarrow raise many types here
            raise InputFormatError(f"cannot read table: {exc}", file=str(path)) from exc
        if suffix != ".parquet":
            frames[name] = _from_csv_strings(name, frames[name])
    report = LoadReport()
    report_path = folder / "load_report.json"
    if report_path.exists():
        try:
            report = LoadReport.from_dict(json.loads(report_path.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputFormatError(f"cannot read the load report: {exc!r}",
                                   file=str(report_path)) from exc
    return Corpus.from_frames(frames["accounts"], frames["posts"], frames["interactions"],
                              report=report, meta={"source": str(folder)},
                              mark_missing_parents=False, validate=validate)


def _from_csv_strings(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    index_name, columns = SCHEMAS[name]
    for col in columns:
        if col.name not in frame.columns:
            continue
        if isinstance(col.dtype, pd.BooleanDtype):
            frame[col.name] = frame[col.name].map(
                {"True": True, "False": False, "true": True, "false": False}).astype("boolean")
        elif isinstance(col.dtype, pd.Int64Dtype):
            frame[col.name] = pd.to_numeric(frame[col.name]).astype("Int64")
    return frame
