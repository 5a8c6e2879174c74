"""Shared machinery of the crawl loaders: paths, encodings, CSV reading, mentions, assembly.

The loaders in this package share ten rules (see :mod:`kopiresearch.io`); the helpers here
implement the parts that do not depend on the source: finding files, checking encodings,
reading CSV files as strings with per-row line numbers, extracting mentions, resolving
handles to account ids and assembling a validated :class:`~kopiresearch.corpus.Corpus`.
"""

from __future__ import annotations

import glob
import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..corpus import INTERACTION_KINDS, Corpus, LoadReport, ids_in
from ..errors import InputFormatError, KopiresearchError

__all__ = []

#: Rule 7, Twitter: ``@`` + ``[A-Za-z0-9_]+`` not preceded by ``[A-Za-z0-9_]``.
TWITTER_MENTION = re.compile(r"(?<![A-Za-z0-9_])@([A-Za-z0-9_]+)")
#: Rule 7, Instagram: on the lower-cased text, ``@`` + ``[a-z0-9._]`` (at most 30, no trailing
#: ``.``), not preceded by a word character; a line start is fine.
INSTAGRAM_MENTION = re.compile(r"(?<!\w)@([a-z0-9._]{1,30})")
#: Rule 5: ``RT @handle:`` at the start of a retweet's text names the retweeted author.
RETWEET_PREFIX = re.compile(r"^RT @([A-Za-z0-9_]+):")
#: A tweet permalink (``twitter.com`` or ``x.com``): the author's handle and the tweet id.
STATUS_URL = re.compile(r"(?:twitter|x)\.com/([A-Za-z0-9_]+)/status/(\d+)")

_STR = pd.StringDtype()


#: Set to ``1`` to make :func:`guard` re-raise the original exception of a bug instead of
#: wrapping it (the project's ``conftest.py`` sets it, so that tests fail on bugs).
RAISE_BUGS_ENV = "KOPIRESEARCH_RAISE_BUGS"


def raise_bugs() -> bool:
    """Whether ``$KOPIRESEARCH_RAISE_BUGS`` asks to re-raise bugs (read at each call)."""
    return os.environ.get(RAISE_BUGS_ENV, "").lower() in ("1", "true", "yes", "on")


def guard(func):
    """Turn an unexpected exception inside a loader into an :class:`InternalError`.

    Loaders check their input and raise precise :class:`KopiresearchError` subclasses; any
    other exception is a bug in the loader. For the researcher, this safety net turns it into
    one clear message that names the input, says it is a bug to report and chains the
    original exception (``__cause__``), instead of a bare pandas/pyarrow traceback. With
    ``$KOPIRESEARCH_RAISE_BUGS=1`` (set by the test suite) the original exception is
    re-raised unchanged, so that a bug can never pass a test as "bad input".
    """
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (KopiresearchError, MemoryError, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the safety net
            if raise_bugs():
                raise
            path = args[0] if args else kwargs.get("path")
            raise as_bug(exc, f"{func.__name__}", path) from exc

    return wrapper


def as_bug(exc: BaseException, where: str, path=None):
    """The :class:`InternalError` that reports ``exc`` (met in ``where``, reading ``path``)
    as a bug; raise it ``from exc``, unless :func:`raise_bugs`."""
    from ..errors import InternalError

    if isinstance(path, (list, tuple)) and path:
        path = ", ".join(os.fspath(p) for p in path if isinstance(p, (str, os.PathLike)))
    file = os.fspath(path) if isinstance(path, (str, os.PathLike)) and path else None
    return InternalError(
        f"{where} failed with an internal error ({type(exc).__name__}: {exc}). This is a bug "
        "in kopiresearch, not a problem of your input: please report it at the project's "
        "issue tracker with the input (or a small part of it that shows the error)",
        file=file)


def expand_paths(paths, *, patterns=("*",)) -> list[Path]:
    """Files named by ``paths``: one path, several paths or glob patterns, sorted, unique."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out = []
    for p in paths:
        text = os.fspath(p)
        if any(ch in text for ch in "*?["):
            hits = sorted(glob.glob(text, recursive=True))
            if not hits:
                raise InputFormatError("the pattern matches no file", file=text)
            out.extend(Path(h) for h in hits)
        else:
            path = Path(text)
            if not path.exists():
                raise InputFormatError("no such file or folder", file=text)
            if path.is_dir():
                found = sorted({f for pat in patterns for f in path.glob(pat) if f.is_file()})
                if not found:
                    raise InputFormatError("the folder holds no input file", file=text)
                out.extend(found)
            else:
                out.append(path)
    seen, unique = set(), []
    for p in out:
        key = os.path.abspath(p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def check_utf8(data: bytes, file) -> bytes:
    """Strip a UTF-8 BOM; raise a clear error naming the line if ``data`` is not UTF-8.

    Decodes in 16 MiB pieces so that a large file is never held twice in memory.
    """
    import codecs

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    dec = codecs.getincrementaldecoder("utf-8")()
    step = 1 << 24
    view = memoryview(data)
    try:
        for start in range(0, len(data), step):
            dec.decode(view[start:start + step], final=False)
        dec.decode(b"", final=True)
    except UnicodeDecodeError:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise InputFormatError(
                f"not UTF-8 (byte 0x{data[exc.start]:02x}); the file looks "
                "Latin-1/Windows-1252 encoded (re-saved by Excel?): open it in a text editor "
                "and save it as UTF-8", file=str(file), line=line, column=col) from None
    return data


def _valid_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8, checked by Arrow in C++ without copying it.

    Examples
    --------
    >>> _valid_utf8("Pare, Kediri 🙌".encode()), _valid_utf8(b"Caf\\xe9")
    (True, False)
    """
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    raw = pa.LargeBinaryArray.from_buffers(pa.large_binary(), 1,
                                           [None, offsets, pa.py_buffer(data)])
    try:
        raw.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def utf8_error(data: bytes, file):
    """Raise the encoding error of ``data`` if there is one (used after a parser failed)."""
    check_utf8(data, file)


def read_text_lines(path) -> list[str]:
    """Lines of a UTF-8 (optionally BOM-prefixed) text file, without line endings."""
    data = check_utf8(Path(path).read_bytes(), path)
    text = data.decode("utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [ln[:-1] if ln.endswith("\r") else ln for ln in lines]


def read_csv_file(path, report: LoadReport) -> pd.DataFrame:
    """One CSV file of a crawl, every column as a string (see :func:`read_csv_strings`).

    The file must be UTF-8 (a BOM is dropped; CR-only line ends are read as LF). Its blank
    lines and its rows with a wrong number of fields are counted in ``report``. A stray space
    around a header name (``" text"``) is what a hand-made or re-saved sheet has: the names
    are matched without it, unless stripping would make two names the same.

    Examples
    --------
    >>> import tempfile, os
    >>> from kopiresearch.corpus import LoadReport
    >>> r = LoadReport()
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "t.csv")
    ...     with open(p, "w") as fh:
    ...         _ = fh.write("id, text\\n1,halo\\n\\n2,a,b\\n")
    ...     frame = read_csv_file(p, r)
    >>> list(frame.columns), len(frame), r.blank_lines, len(r.malformed)
    (['id', 'text', '_line'], 1, 1, 1)
    """
    data = cr_line_ends(check_utf8(Path(path).read_bytes(), path))
    frame, bad, blank = read_csv_strings(data, path)
    report.blank_lines += blank
    for line, reason in bad:
        report.add_malformed(path, line, reason)
    stripped = {c: c.strip() for c in frame.columns if c != "_line"}
    if len(set(stripped.values())) == len(stripped):
        frame = frame.rename(columns=stripped)
    return frame


def read_csv_strings(data: bytes, file, *, column_names=None, skip_rows=0, delimiter=",",
                     keep=None):
    """Read CSV bytes with pyarrow, every column as a string.

    Returns ``(frame, bad, blank)``: ``frame`` has a column ``_line`` holding each row's
    physical start line (1-based, counting the header), ``bad`` lists ``(line, reason)`` for
    rows with the wrong number of fields, ``blank`` is the number of blank lines. Unquoted
    empty fields are missing (``<NA>``), quoted empty fields are ``""``. ``keep`` (optional)
    names the columns to return; blank rows and line numbers are still judged on all columns.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    if not _valid_utf8(data):
        # before parsing: pyarrow decodes a rejected row before our handler sees it, and a
        # non-UTF-8 byte there would escape as an exception it prints and ignores
        utf8_error(data, file)
    bad = []

    def handler(row):
        bad.append((row.number, row.actual_columns, row.text))
        return "skip"

    lead_blank = 0
    if column_names is None:
        first, pos = b"", 0
        while pos < len(data):  # the first non-blank line (no copy of the rest of the file)
            end = data.find(b"\n", pos)
            end = len(data) if end < 0 else end
            first, pos = data[pos:end], end + 1
            if first.strip():
                break
            lead_blank += 1
        if not first.strip():
            raise InputFormatError("the file is empty (no header line)", file=str(file))
        first = first.rstrip(b"\r").decode("utf-8", "replace")
        column_names = next(iter(_split_csv_line(first, delimiter)))
        if len(set(column_names)) != len(column_names) or "" in column_names:
            raise InputFormatError("the header line has empty or repeated column names (is "
                                   "the header missing?)", file=str(file),
                                   line=skip_rows + lead_blank + 1)
        header_lines = 1 + skip_rows + lead_blank
        skip = 1 + skip_rows + lead_blank
    else:
        header_lines = skip_rows
        skip = skip_rows
    names = [f"c{i}" for i in range(len(column_names))]
    parse_opts = pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                   ignore_empty_lines=False, invalid_row_handler=handler)
    conv = pcsv.ConvertOptions(column_types={n: pa.string() for n in names},
                               strings_can_be_null=True, quoted_strings_can_be_null=False)
    for threads in (True, False):
        # multi-threaded reading does not know the line numbers of bad rows: read again
        # single-threaded in the rare case that there are bad rows
        bad.clear()
        read_opts = pcsv.ReadOptions(column_names=names, skip_rows=skip, use_threads=threads,
                                     block_size=1 << 24)
        try:
            table = pcsv.read_csv(pa.BufferReader(data), read_options=read_opts,
                                  parse_options=parse_opts, convert_options=conv)
        except pa.ArrowInvalid as exc:
            utf8_error(data, file)
            raise InputFormatError(f"cannot parse as CSV: {exc}", file=str(file)) from None
        if all(b[0] is not None for b in bad):
            break
    table = table.rename_columns(list(column_names))
    # blank lines (all fields unquoted-empty) and rows whose field count is wrong
    allnull = np.ones(table.num_rows, dtype=bool)
    for col in table.columns:
        allnull &= np.asarray(col.is_null().to_numpy(), dtype=bool)
    blank = int(allnull.sum()) + lead_blank
    lines, bad_lines = _row_lines(table, allnull, bad, header_lines, data)
    if keep is not None:
        table = table.select(list(keep))
    frame = table.to_pandas(types_mapper={pa.string(): _STR}.get, self_destruct=True)
    del table
    bad_rows = []
    for number, actual, text in bad:
        if actual <= 1 and not text.strip():
            blank += 1
            continue
        bad_rows.append((bad_lines.get(number, number),
                         f"expected {len(column_names)} fields, found {actual}"))
    if allnull.any():
        frame = frame[~allnull]
    frame["_line"] = lines
    return frame, bad_rows, blank


def _row_lines(table, allnull, bad, header_lines, data=None):
    """Physical start line of each kept row.

    pyarrow numbers rows, not lines (a quoted value with newlines is one row on several
    lines). Rows are numbered from 1 at the top of the file: ``header_lines`` rows, then the
    parsed rows and the rejected rows (``bad``, whose numbers are known) interleaved. Each
    row spans ``1 + (newlines inside it)`` physical lines.

    When the file (``data``) has exactly as many lines as rows, no row spans more than one
    line (each spans at least one), so row ``r`` starts on line ``r``: one count of the
    newlines in the file replaces searching every value for newlines.
    """
    import pyarrow.compute as pc

    n_valid = len(allnull)
    bad = [b for b in bad if b[0] is not None]
    total = header_lines + n_valid + len(bad)
    if data is not None and not bad:
        physical = data.count(b"\n") + (0 if not data or data.endswith(b"\n") else 1)
        if physical == total:
            start = np.arange(1, total + 1, dtype=np.int64)
            return start[header_lines:][np.flatnonzero(~allnull)], {}
    span = np.ones(total, dtype=np.int64)
    is_bad = np.zeros(total, dtype=bool)
    for number, _actual, text in bad:
        if 1 <= number <= total:
            is_bad[number - 1] = True
            span[number - 1] = 1 + text.count("\n")
    slots = np.flatnonzero(~is_bad)
    slots = slots[slots >= header_lines][:n_valid]
    kept_idx = np.flatnonzero(~allnull)
    extra = np.zeros(n_valid, dtype=np.int64)
    for col in table.columns:  # newlines inside the values of each row
        count = pc.fill_null(pc.count_substring(col, "\n"), 0)
        extra += np.asarray(count.to_numpy(), dtype=np.int64)
    span[slots] += extra
    start = 1 + np.concatenate(([0], np.cumsum(span)[:-1]))
    bad_lines = {number: int(start[number - 1]) for number, _a, _t in bad
                 if 1 <= number <= total}
    return start[slots[kept_idx]], bad_lines


def _split_csv_line(line, delimiter):
    import csv

    return csv.reader([line], delimiter=delimiter)


def as_dict(value) -> dict:
    """``value`` if it is a dict, else an empty dict (a JSON field of another type).

    Examples
    --------
    >>> as_dict({"id": 1}), as_dict(None), as_dict([1])
    ({'id': 1}, {}, {})
    """
    return value if isinstance(value, dict) else {}


def as_list(value) -> list:
    """``value`` if it is a list, else an empty list (a JSON field of another type).

    Examples
    --------
    >>> as_list([1]), as_list({"a": 1}), as_list(None)
    ([1], [], [])
    """
    return value if isinstance(value, list) else []


def as_text(value):
    """``value`` if it is a non-empty string, else None (a JSON field of another type).

    Examples
    --------
    >>> as_text("x"), as_text(""), as_text(3)
    ('x', None, None)
    """
    return value if isinstance(value, str) and value else None


def jsonl_lines(path, report: LoadReport, *, writes: str):
    """Each non-blank line of a JSONL file as ``(line number, text)``, read as a stream.

    A UTF-8 BOM on the first line is dropped; blank lines are counted in
    ``report.blank_lines``; a last line cut inside a character (a killed crawl) is a
    malformed row. Any other line that is not UTF-8 raises, ``writes`` saying what the tool
    writes (``"snscrape writes UTF-8 JSON"``).

    Raises
    ------
    InputFormatError
        A line is not UTF-8; names the file, the line and the column.
    """
    with open(path, "rb") as fh:  # streamed: a large crawl is never held twice
        for lineno, raw in enumerate(fh, start=1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                report.blank_lines += 1
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                if not raw.endswith(b"\n"):  # a killed crawl cut the last character
                    report.add_malformed(path, lineno, "truncated or invalid JSON line")
                    continue
                raise InputFormatError(
                    f"not UTF-8 (byte 0x{raw[exc.start]:02x}); {writes}, so the file was "
                    "re-encoded: restore the original file",
                    file=str(path), line=lineno, column=exc.start + 1) from None
            yield lineno, text


def json_object(text: str, path, lineno: int, report: LoadReport):
    """The JSON object on one line of ``path``, or None after reporting the line as a
    malformed row (invalid or truncated JSON, or JSON that is not an object).

    Examples
    --------
    >>> r = LoadReport()
    >>> json_object('{"id": "1"}', "a.jsonl", 1, r), json_object('[1]', "a.jsonl", 2, r)
    ({'id': '1'}, None)
    >>> [(m.line, m.reason) for m in r.malformed]
    [(2, 'not a JSON object')]
    """
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        report.add_malformed(path, lineno, "truncated or invalid JSON line")
        return None
    if not isinstance(obj, dict):
        report.add_malformed(path, lineno, "not a JSON object")
        return None
    return obj


def repost_or_quote(i, retweeted, quoted, text, links, author_of, edge, handle_of=None):
    """The repost or quote edge of tweet ``i``, given with ``edge(i, kind, uid, handle)``;
    returns ``(kind, parent)``: ``("repost", retweeted)``, ``("quote", quoted)`` or
    ``("original", None)``.

    A retweet (``retweeted`` is the retweeted tweet's id) gives the repost edge to that
    tweet's author (``author_of``: tweet id -> author id; ``handle_of``: tweet id -> handle,
    when known), else to the ``RT @x:`` handle of ``text``; a retweet gives no other edge
    (rule 5). A quote gives the quote edge to the quoted tweet's author, else to the handle
    of the first permalink to it in ``links``.

    Examples
    --------
    >>> edges = []
    >>> def edge(i, kind, uid, handle):
    ...     edges.append((i, kind, uid, handle))
    >>> repost_or_quote(0, "9", None, "RT @ana: hi", (), {}, edge)
    ('repost', '9')
    >>> repost_or_quote(1, None, "8", "", ["https://x.com/budi/status/8"], {}, edge)
    ('quote', '8')
    >>> repost_or_quote(2, None, None, "", (), {}, edge), edges
    (('original', None), [(0, 'repost', None, 'ana'), (1, 'quote', None, 'budi')])
    """
    if retweeted is not None:
        author = author_of.get(retweeted)
        if author is not None:
            edge(i, "repost", author, None if handle_of is None else handle_of.get(retweeted))
        else:
            m = RETWEET_PREFIX.match(text)
            if m:
                edge(i, "repost", None, m.group(1))
        return "repost", retweeted
    if quoted is None:
        return "original", None
    author = author_of.get(quoted)
    if author is not None:
        edge(i, "quote", author, None if handle_of is None else handle_of.get(quoted))
    else:
        for u in links or ():
            m = STATUS_URL.search(u)
            if m and m.group(2) == quoted:
                edge(i, "quote", None, m.group(1))
                break
    return "quote", quoted


def lower_handle(series: pd.Series) -> pd.Series:
    """Rule 2: handles lower case, without a leading ``@``; empty strings become missing."""
    s = series.astype(_STR).str.strip().str.lstrip("@").str.lower()
    return s.mask(s == "")


class AccountBook:
    """Collects accounts seen by a loader and resolves handles to account ids.

    An account whose platform id is known gets the id ``"<platform>:<id>"``; an account known
    only by its handle (a reply or mention target that never authored a row and whose id no
    other row gives) gets ``"<platform>:@<handle>"``. A handle is resolved to the platform id
    of the account that carried it most recently in the input; only when no row gives an id
    for it does the ``@`` form appear.
    """

    def __init__(self, platform):
        self.platform = platform
        self.frames = []  # columns: uid, handle, followers, order (object / float arrays)

    def add(self, uids, handles, followers=None, order=None):
        """Register accounts: ``uids`` (raw platform ids or missing) with their handles."""
        uids = _obj(pd.Series(uids, dtype=_STR).str.strip())
        handles = _obj(lower_handle(pd.Series(handles, dtype=_STR)))
        n = len(uids)
        fol = (pd.to_numeric(pd.Series(followers).reset_index(drop=True), errors="coerce")
               .astype("float64").to_numpy() if followers is not None
               else np.full(n, np.nan))
        ordr = (np.asarray(order, dtype=np.float64) if order is not None
                else np.arange(n, dtype=np.float64))
        self.frames.append(pd.DataFrame({"uid": uids, "handle": handles, "followers": fol,
                                         "order": ordr}))

    def finish(self):
        """Build the handle -> id map and the accounts table (with a missing-id fallback)."""
        frames = [f for f in self.frames if len(f)]
        allf = (pd.concat(frames, ignore_index=True) if frames else
                pd.DataFrame({"uid": np.array([], dtype=object),
                              "handle": np.array([], dtype=object),
                              "followers": np.array([], dtype=float),
                              "order": np.array([], dtype=float)}))
        has_uid = allf["uid"].notna().to_numpy(bool)
        with_id = allf[has_uid]
        pairs = with_id[with_id["handle"].notna().to_numpy(bool)].sort_values(
            "order", kind="stable")
        h2u = pairs.drop_duplicates("handle", keep="last")
        self._h2u = pd.Series(h2u["uid"].to_numpy(object),
                              index=pd.Index(h2u["handle"].to_numpy(object), dtype=object))
        p = self.platform
        latest = pairs.drop_duplicates("uid", keep="last")
        latest = pd.Series(latest["handle"].to_numpy(object),
                           index=pd.Index(latest["uid"].to_numpy(object), dtype=object))
        fol = with_id[with_id["followers"].notna().to_numpy(bool)].sort_values(
            "order", kind="stable").drop_duplicates("uid", keep="last")
        fol = pd.Series(fol["followers"].to_numpy(float),
                        index=pd.Index(fol["uid"].to_numpy(object), dtype=object))
        uids = pd.unique(with_id["uid"].to_numpy(object))
        uid_index = pd.Index(uids, dtype=object)
        acc = pd.DataFrame({"account_id": _cat(p + ":", uids),
                            "handle": latest.reindex(uid_index).to_numpy(object),
                            "followers": fol.reindex(uid_index).to_numpy(float)})
        ho = allf.loc[~has_uid, "handle"].dropna().to_numpy(object)
        ho = pd.unique(ho)
        ho = ho[~pd.Index(ho, dtype=object).isin(self._h2u.index)]
        extra = pd.DataFrame({"account_id": _cat(p + ":@", ho), "handle": ho,
                              "followers": np.full(len(ho), np.nan)})
        self.accounts = pd.concat([acc, extra], ignore_index=True)
        self.frames = []  # free the inputs
        return self.accounts

    @property
    def handle_to_uid(self):
        return self._h2u.to_dict()

    def resolve(self, uids=None, handles=None) -> pd.Series:
        """Account ids (object Series, positional index) for raw ids (preferred) or handles."""
        p = self.platform
        out = None
        if handles is not None:
            h = _obj(lower_handle(pd.Series(handles, dtype=_STR)))
            idx = self._h2u.index.get_indexer(h)
            vals = np.append(self._h2u.to_numpy(object), None)
            mapped = vals[idx]  # -1 picks the trailing None
            out = np.where(idx >= 0, _cat(p + ":", mapped), _cat(p + ":@", h))
            out[pd.isna(h) & (idx < 0)] = None
        if uids is not None:
            u = _obj(pd.Series(uids, dtype=_STR).str.strip())
            by_id = _cat(p + ":", u)
            out = by_id if out is None else np.where(pd.notna(u), by_id, out)
        return pd.Series(out, dtype=object)


def _obj(series: pd.Series) -> np.ndarray:
    """Values of a string Series as an object array, missing and empty values as None."""
    a = np.array(series.reset_index(drop=True).astype(object).to_numpy(object))
    bad = pd.isna(a)
    a[bad] = None
    a[a == ""] = None
    return a


def _cat(prefix: str, values: np.ndarray) -> np.ndarray:
    """``prefix + value`` for each non-missing value (None stays None)."""
    values = np.asarray(values, dtype=object)
    out = np.empty(len(values), dtype=object)
    ok = pd.notna(values)
    out[ok] = (prefix + pd.Series(values[ok], dtype=object)).to_numpy(object)
    out[~ok] = None
    return out


def assemble(platform, book: AccountBook, posts: pd.DataFrame, inter: pd.DataFrame,
             report: LoadReport, meta, *, validate=True, rules_applied=False,
             refs_known=False) -> Corpus:
    """Apply rules 3 and 4 to ``inter`` and build a validated corpus.

    ``inter`` has columns source_id, target_id, kind, created_at, post_id. Rows with a missing
    source or target are dropped (they name nobody), self-loops are dropped (rule 4) and
    ``(post_id, source_id, target_id, kind)`` is made unique (rule 3, first row kept), by
    :func:`act_rows` on integer codes of the ids; every column is then taken once, in its
    final order. Posts and interactions are ordered by time, ties in input order, and
    accounts by id. ``rules_applied=True`` says the loader has already kept only the rows
    :func:`act_rows` returns, in that order (so that it builds each column once).
    ``refs_known=True`` says that every author, source and target is an account of
    ``book`` (the loader took them from its accounts), so none needs adding.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    accounts = book.accounts.copy()
    if not rules_applied:
        keys = _factorized_keys(inter)
        kind = pd.Categorical(np.asarray(inter["kind"], dtype=object),
                              categories=list(INTERACTION_KINDS)).codes
        inter = take_rows(inter, act_rows(keys["source"], keys["target"], keys["post"], kind,
                                      time_key(inter["created_at"])))
    # every referenced account must exist
    missing = []
    if not refs_known:
        refs = pc.unique(pa.chunked_array([as_arrow(posts["author_id"]),
                                           as_arrow(inter["source_id"]),
                                           as_arrow(inter["target_id"])], type=pa.string()))
        refs = refs.drop_null()
        known = as_arrow(accounts["account_id"])
        missing = refs.filter(pc.invert(pc.is_in(refs, value_set=known))).to_pylist()
    if missing:
        extra = pd.DataFrame({"account_id": pd.Series(missing, dtype=_STR)})
        extra["handle"] = [m.split(":@", 1)[1] if ":@" in m else None for m in missing]
        extra["followers"] = np.nan
        accounts = pd.concat([accounts, extra], ignore_index=True)
    accounts["platform"] = platform
    accounts["actor_type"] = "unknown"
    accounts["region_code"] = pd.NA
    accounts["partnered"] = False
    accounts["followers"] = pd.to_numeric(accounts["followers"], errors="coerce").round()
    accounts = accounts.sort_values("account_id", kind="stable").reset_index(drop=True)
    # deterministic order: by time, ties in input order (which is deterministic)
    posts = take_rows(posts, time_order(np.arange(len(posts)), time_key(posts["created_at"])))
    posts["platform"] = pd.Categorical.from_codes(np.zeros(len(posts), np.int8), [platform])
    if not isinstance(inter["kind"].dtype, pd.CategoricalDtype):
        inter["kind"] = inter["kind"].astype("object")
    # corpus._as_string fails on empty string-dtype columns: hand plain object columns over
    accounts, posts, inter = (_object_strings(f) if len(f) == 0 else f
                              for f in (accounts, posts, inter))
    try:
        corpus = Corpus(_canonical("accounts", accounts), _canonical("posts", posts),
                        _canonical("interactions", inter), report, dict(meta))
        p = corpus.posts
        parent = p["parent_post_id"]
        missing = np.array(parent.notna().to_numpy(bool))
        if missing.any():  # looked up in Arrow, without a Python object per id
            found = ids_in(parent[missing], p.index)
            missing[np.flatnonzero(missing)[found]] = False
        p["parent_missing"] = pd.array(missing, dtype="boolean")
        return corpus.validate() if validate else corpus
    except KopiresearchError:
        raise
    except Exception as exc:  # a bug: never a bare traceback, and never "bad input"
        if raise_bugs():
            raise
        raise as_bug(exc, "building the corpus", dict(meta).get("source")) from exc


def _factorized_keys(inter: pd.DataFrame) -> dict:
    """Integer codes of post, source and target ids (source and target share one coding)."""
    n = len(inter)
    ends = pd.concat([inter["source_id"], inter["target_id"]], ignore_index=True)
    codes, _ = pd.factorize(np.asarray(ends, dtype=object))
    post, _ = pd.factorize(np.asarray(inter["post_id"], dtype=object), use_na_sentinel=False)
    return {"source": codes[:n], "target": codes[n:], "post": post}


def act_rows(source, target, post, kind, created_ns) -> np.ndarray:
    """Positions of the acts kept by rules 3 and 4, in the canonical order.

    Integer codes per act (equal codes for equal ids, negative for a missing id; ``source``
    and ``target`` coded alike): acts naming nobody and self-loops (rule 4) are dropped, the
    first act of each ``(post, source, target, kind)`` is kept (rule 3), and the rest are
    ordered by ``created_ns`` (int64 nanoseconds), ties in input order.
    """
    src, tgt = np.asarray(source, dtype=np.int64), np.asarray(target, dtype=np.int64)
    sel = np.flatnonzero((src >= 0) & (tgt >= 0) & (src != tgt))
    columns = [np.asarray(post, dtype=np.int64)[sel], src[sel], tgt[sel],
               np.asarray(kind, dtype=np.int64)[sel]]
    sel = sel[~_duplicated_rows(columns)]
    return time_order(sel, np.asarray(created_ns, dtype=np.int64)[sel])


def _duplicated_rows(columns: list) -> np.ndarray:
    """``DataFrame(columns).duplicated(keep="first")`` for integer columns; one int64 key
    (mixed radix over the columns' ranges) when it cannot overflow."""
    if not len(columns[0]):
        return np.zeros(0, dtype=bool)
    lows = [int(c.min()) for c in columns]
    spans = [int(c.max()) - lo + 1 for c, lo in zip(columns, lows, strict=True)]
    if float(np.prod(np.array(spans, dtype=np.float64))) < 2.0**62:
        key = np.zeros(len(columns[0]), dtype=np.int64)
        for c, lo, span in zip(columns, lows, spans, strict=True):
            key = key * span + (c - lo)
        return pd.Series(key).duplicated(keep="first").to_numpy(bool)
    return pd.DataFrame(dict(enumerate(columns))).duplicated(keep="first").to_numpy(bool)


def time_order(rows: np.ndarray, ns: np.ndarray) -> np.ndarray:
    """``rows`` ordered by ``ns``, ties in the order of ``rows`` (no sort if in order)."""
    if len(ns) and bool((ns[1:] < ns[:-1]).any()):
        return rows[np.argsort(ns, kind="stable")]
    return rows


def time_key(times: pd.Series) -> np.ndarray:
    """Integer sort key of UTC times (ticks of the column's unit)."""
    if not isinstance(times.dtype, pd.DatetimeTZDtype):
        times = pd.to_datetime(times, utc=True)
    return np.asarray(times.array.asi8, dtype=np.int64)


def take_rows(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """``frame.iloc[rows]`` with a fresh positional index; no copy when ``rows`` is every
    row in order."""
    if len(rows) == len(frame) and (len(rows) == 0 or (rows[0] == 0 and bool(
            (np.diff(rows) == 1).all()))):
        return frame.reset_index(drop=True).copy(deep=False)
    return frame.take(rows).reset_index(drop=True)


def _canonical(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (built by a loader from clean values) in the exact canonical dtypes.

    The same result as :func:`kopiresearch.corpus.coerce_table`, vectorised for the values
    loaders produce (strings or None, numbers, UTC timestamps); unknown categories raise.
    """
    from ..corpus import COLUMN_DEFAULTS, SCHEMAS, coerce_table

    index_name, columns = SCHEMAS[name]
    frame = frame.reset_index(drop=True)
    if len(frame) == 0:
        return coerce_table(name, _object_strings(frame))
    out = {}
    for col in columns:
        if col.name not in frame.columns:
            default = COLUMN_DEFAULTS.get(col.name, pd.NA)
            # the one value repeated (a list of a million values costs more than the rest)
            out[col.name] = pd.array([default], dtype=col.dtype).take(
                np.zeros(len(frame), dtype=np.intp))
            continue
        s = frame[col.name]
        if isinstance(col.dtype, pd.CategoricalDtype) and isinstance(s.dtype,
                                                                     pd.CategoricalDtype):
            cat = pd.Categorical(s.array, dtype=col.dtype)  # recodes, no per-value hashing
            if ((cat.codes < 0) & (s.array.codes >= 0)).any():
                return coerce_table(name, frame)  # raises the precise CategoryError
            out[col.name] = cat
        elif isinstance(col.dtype, pd.CategoricalDtype):
            values = np.asarray(s, dtype=object)
            cat = pd.Categorical(values, dtype=col.dtype)
            if (cat.codes < 0).any() and pd.notna(values[cat.codes < 0]).any():
                return coerce_table(name, frame)  # raises the precise CategoryError
            out[col.name] = cat
        elif isinstance(col.dtype, pd.DatetimeTZDtype):
            out[col.name] = pd.to_datetime(s, utc=True).astype(col.dtype).array
        elif isinstance(col.dtype, pd.StringDtype) and isinstance(s.dtype, pd.StringDtype):
            out[col.name] = s.astype(col.dtype).array
        elif isinstance(col.dtype, pd.StringDtype):
            values = np.asarray(s, dtype=object)
            out[col.name] = pd.array(np.where(pd.isna(values), None, values), dtype=col.dtype)
        else:
            out[col.name] = s.astype(col.dtype).array
    index = None
    if index_name is not None:
        ids = frame[index_name]
        if isinstance(ids.dtype, pd.StringDtype) and ids.dtype.storage == "pyarrow":
            index = pd.Index(ids.array.astype("str"), name=index_name)  # no Python objects
        else:
            index = pd.Index(np.asarray(ids, dtype=object), name=index_name)
        # (both as coerce_table builds it)
    result = pd.DataFrame(out, index=index)
    return result


def as_arrow(series: pd.Series):
    """A string column as a pyarrow string array (without Python objects when Arrow-backed)."""
    import pyarrow as pa

    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        arr = pa.array(series.array)
        if isinstance(arr, pa.ChunkedArray):
            arr = (arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()
                   if arr.num_chunks else pa.array([], type=arr.type))
        return arr.cast(pa.string()) if arr.type != pa.string() else arr
    values = np.asarray(series, dtype=object)
    return pa.array(np.where(pd.isna(values), None, values), type=pa.string())


def all_digits(values: pd.Series) -> np.ndarray:
    """``values.str.fullmatch(r"\\d+").fillna(False)`` as a boolean array, checked in Arrow.

    Ids are ASCII digits almost always: ``pyarrow.compute.ascii_is_decimal`` answers for
    them without a regex (ten times faster on a million ids). The values it refuses, the
    rare ones, are matched with the regex itself, so that a digit of another script
    (which pandas' ``\\d`` accepts) still counts as a digit, exactly as before.

    Examples
    --------
    >>> all_digits(pd.Series(["123", "12a", "", None, "\\u0661\\u0662"], dtype="string"))
    array([ True, False, False, False,  True])
    """
    import pyarrow.compute as pc

    if not len(values):
        return np.zeros(0, dtype=bool)
    ok = np.asarray(pc.fill_null(pc.ascii_is_decimal(as_arrow(values)), False)
                    .to_numpy(zero_copy_only=False), dtype=bool)
    rest = np.flatnonzero(~ok & values.notna().to_numpy(bool))
    if len(rest):
        ok[rest] = values.iloc[rest].str.fullmatch(r"\d+").fillna(False).to_numpy(bool)
    return ok


def _object_strings(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.StringDtype):
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame


def empty_interactions() -> pd.DataFrame:
    return pd.DataFrame({"source_id": pd.Series([], dtype=_STR),
                         "target_id": pd.Series([], dtype=_STR),
                         "kind": pd.Series([], dtype=object),
                         "created_at": pd.Series([], dtype="datetime64[ns, UTC]"),
                         "post_id": pd.Series([], dtype=_STR)})


def mentions_long(text: pd.Series, pattern, *, lower=False) -> pd.DataFrame:
    """All mentions in ``text`` as a long table with columns ``row`` (position) and ``handle``.

    A handle mentioned twice in one text appears once (rule 3). Instagram handles lose a
    trailing ``.`` (rule 7).
    """
    s = text.reset_index(drop=True).astype(_STR)
    if lower:
        s = s.str.lower()
    has = s.str.contains("@", regex=False).fillna(False).to_numpy(bool)
    if not has.any():
        return pd.DataFrame({"row": np.zeros(0, dtype=np.int64),
                             "handle": pd.Series([], dtype=_STR)})
    sub = s[has]
    found = sub.astype(object).str.findall(pattern)
    found = found[found.str.len() > 0]
    long = found.explode()
    out = pd.DataFrame({"row": long.index.to_numpy(np.int64),
                        "handle": pd.Series(long.to_numpy(), dtype=_STR)})
    if lower:  # Instagram: no '..' inside and no trailing '.'
        out["handle"] = out["handle"].str.split("..", n=1, regex=False).str[0].str.rstrip(".")
    out["handle"] = out["handle"].str.lower()
    out = out[out["handle"] != ""]
    return out.drop_duplicates().reset_index(drop=True)


def drop_act_mentions(edges: pd.DataFrame) -> pd.DataFrame:
    """Rule 6: drop a mention whose target is also the reply/quote/comment target of its row."""
    acts = edges[edges["kind"].isin(["reply", "quote", "comment"])]
    key = edges["row"].astype(str) + "|" + edges["target_id"].astype(str)
    act_keys = set((acts["row"].astype(str) + "|" + acts["target_id"].astype(str)).tolist())
    return edges[(edges["kind"] != "mention").to_numpy(bool) | ~key.isin(act_keys).to_numpy(bool)]


#: The leading ``@``-run of a reply: the handles X puts at the start of every reply, one per
#: thread participant, separated by ASCII white space.
REPLY_PREFIX = re.compile(r"^(?:@[A-Za-z0-9_]+(?:[ \t\r\n]+|$))+")


def reply_prefix_length(text: pd.Series) -> np.ndarray:
    """Length (characters) of the leading ``@``-run of each text (0 where there is none).

    X writes the handles of every thread participant at the start of a reply
    (``@a_demo @b_demo terima kasih``); a handle whose only occurrence is inside that run was
    not typed by the author. Loaders with ``reply_prefix_mentions=False`` leave out the
    mention edges of such handles, and every Twitter loader counts them in
    ``report.derived["reply_prefix_mentions"]``.

    Examples
    --------
    >>> reply_prefix_length(pd.Series(["@a @b terima kasih @c", "halo @a", None, "@a @b"])).tolist()
    [6, 0, 0, 5]
    """
    s = text.reset_index(drop=True).astype(_STR)
    found = s.str.extract(f"({REPLY_PREFIX.pattern})", expand=False)
    return found.str.len().fillna(0).to_numpy(np.int64)


def drop_malformed(report, frame, mask, reason):
    """Report the rows of ``frame`` where ``mask`` holds as malformed; return the rest."""
    if mask.any():
        sub = frame[mask]
        # the reasons of the rows, selected once (not once per row)
        reasons = (reason[mask].tolist() if isinstance(reason, pd.Series)
                   else [reason] * len(sub))
        for f, ln, r in zip(sub["_file"], sub["_line"], reasons, strict=True):
            report.add_malformed(f, int(ln), r)
        return frame[~mask]
    return frame


def record_file_counts(report: LoadReport, files, file_codes, duplicate, when_ns) -> None:
    """Add a :class:`~kopiresearch.corpus.FileCounts` per input file to ``report``.

    ``files`` are the input files in reading order; ``file_codes`` (one per well-formed
    row: loaded or duplicate) the position of its file in ``files``; ``duplicate`` whether
    the row was dropped as a duplicate; ``when_ns`` its time (int64 UTC nanoseconds). The
    malformed rows of each file are counted from ``report.malformed``.
    """
    codes = np.asarray(file_codes, dtype=np.int64)
    dup = np.asarray(duplicate, dtype=bool)
    ns = np.asarray(when_ns, dtype=np.int64)
    n = len(files)
    loaded = np.bincount(codes[~dup], minlength=n) if len(codes) else np.zeros(n, np.int64)
    dups = np.bincount(codes[dup], minlength=n) if len(codes) else np.zeros(n, np.int64)
    first = np.full(n, np.iinfo(np.int64).max)
    last = np.full(n, np.iinfo(np.int64).min)
    if len(codes):
        np.minimum.at(first, codes, ns)
        np.maximum.at(last, codes, ns)
    for i, f in enumerate(files):
        seen = loaded[i] + dups[i] > 0
        report.add_file_counts(
            f, loaded=int(loaded[i]), duplicates=int(dups[i]),
            first=pd.Timestamp(int(first[i]), tz="UTC") if seen else None,
            last=pd.Timestamp(int(last[i]), tz="UTC") if seen else None)


#: Largest count a canonical ``Int64`` column holds.
COUNT_MAX = (1 << 63) - 1
#: What a count must be (quoted in malformed-row reasons).
COUNT_RULE = "a count must be a whole number from 0 to 9223372036854775807"
_COUNT_TEXT = re.compile(r"[0-9]+(?:\.0*)?")


def parse_counts(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Counts (likes, replies, followers, ...) as ``Int64`` and the positions that are not counts.

    Accepted: digit strings (``"57"``), whole numbers written as floats (``"41.0"``, as pandas
    writes a count column with gaps) and, for JSON loaders, Python ints and whole floats,
    from 0 to ``2**63 - 1``. Missing and empty values are missing, not bad. Everything else
    (negative, fractional, ``1e300``, ``inf``, text, ``True``, 2**63 or more) is
    missing in the result and ``True`` in the returned mask, so that the loader reports the
    row as malformed with :data:`COUNT_RULE`; a value is never wrapped or rounded.

    Returns
    -------
    (pandas.Series, numpy.ndarray)
        The counts (``Int64``, same index) and a boolean mask of the values that are not
        counts.

    Examples
    --------
    >>> v, bad = parse_counts(pd.Series(["57", "41.0", "", None, "-3", "1e300",
    ...                                  "99999999999999999999", "inf", "1.5"]))
    >>> v.tolist()[:4], bad.tolist()
    ([57, 41, <NA>, <NA>], [False, False, False, False, True, True, True, True, True])
    >>> parse_counts(pd.Series([3, 2.0, True, float("nan"), 2**63], dtype=object))[1].tolist()
    [False, False, True, False, True]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(values)
    if isinstance(values.dtype, pd.StringDtype) and n:
        arr = pa.array(values.array)
        arr = arr.cast(pa.string()) if arr.type != pa.string() else arr
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        empty = pc.equal(arr, "")
        ok = pc.or_(pc.match_substring_regex(arr, r"^[0-9]{1,18}$"), empty)
        if pc.all(pc.fill_null(ok, True)).as_py():  # the fast path: plain digits
            v = pc.cast(pc.if_else(empty, pa.scalar(None, pa.string()), arr), pa.int64())
            mask = np.asarray(v.is_null().to_numpy(zero_copy_only=False), dtype=bool)
            ints = np.asarray(pc.fill_null(v, 0).to_numpy(zero_copy_only=False), np.int64)
            return (pd.Series(pd.arrays.IntegerArray(ints, mask), index=values.index),
                    np.zeros(n, dtype=bool))
    if n and not isinstance(values.dtype, pd.StringDtype):
        kind = pd.api.types.infer_dtype(values, skipna=True)
        if kind in ("integer", "floating", "mixed-integer-float", "empty"):
            fast = _numeric_counts(values)  # JSON loaders: numbers (or None) only
            if fast is not None:
                return fast
    out = np.zeros(n, dtype=np.int64)
    missing = np.zeros(n, dtype=bool)
    bad = np.zeros(n, dtype=bool)
    for i, v in enumerate(values.to_numpy(object)):
        c = one_count(v)
        if c is None:
            missing[i] = True
        elif c is False:
            missing[i] = bad[i] = True
        else:
            out[i] = c
    return pd.Series(pd.arrays.IntegerArray(out, missing), index=values.index), bad


def _numeric_counts(values: pd.Series):
    """:func:`parse_counts` of numbers without Python loops, or None when a value needs the
    exact check (beyond 2**53, or not a whole number from 0)."""
    num = pd.to_numeric(values, errors="coerce")
    arr = np.asarray(num, dtype=np.float64)
    miss = np.isnan(arr)
    ok = arr[~miss]
    if ok.size and not (np.isfinite(ok).all() and (ok >= 0).all() and (ok < 2.0**53).all()
                        and (ok == np.floor(ok)).all()):
        return None
    ints = np.where(miss, 0, arr).astype(np.int64)
    return (pd.Series(pd.arrays.IntegerArray(ints, miss), index=values.index),
            np.zeros(len(values), dtype=bool))


def one_count(v):
    """An int, None (missing) or False (not a count)."""
    import math

    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None  # (pandas holds a missing value of an object column as NaN)
    if isinstance(v, (bool, np.bool_)):
        return False
    if isinstance(v, (int, np.integer)):
        v = int(v)
        return v if 0 <= v <= COUNT_MAX else False
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if not math.isfinite(v) or v < 0 or v != int(v) or v > 2.0**53:
            return False
        return int(v)
    if isinstance(v, str):
        s = v.strip()
        if s == "":
            return None
        if not _COUNT_TEXT.fullmatch(s):
            return False
        digits = s.split(".", 1)[0].lstrip("0") or "0"
        if len(digits) > 19:
            return False
        c = int(digits)
        return c if c <= COUNT_MAX else False
    return False


#: Times a canonical table can hold (``datetime64[ns]``).
TIME_RANGE = "(times must lie between 1677-09-22 and 2262-04-11)"


def epoch_seconds(values) -> tuple[pd.Series, np.ndarray]:
    """UTC times of epoch seconds (ints or floats) and the mask of values that are not times.

    A value is not a time when it is missing, not a number (``True`` included), not finite,
    or outside the range a nanosecond timestamp holds (:data:`TIME_RANGE`).

    Examples
    --------
    >>> t, bad = epoch_seconds([1732677300, 1e12, "x", None, 1732677300.5])
    >>> [str(x) for x in t], bad.tolist()
    (['2024-11-27 03:15:00+00:00', 'NaT', 'NaT', 'NaT', '2024-11-27 03:15:00.500000+00:00'], \
[False, True, True, True, False])
    """
    import math

    vals = list(values)
    ns = np.zeros(len(vals), dtype=np.int64)
    bad = np.zeros(len(vals), dtype=bool)
    lo, hi = pd.Timestamp.min.value, pd.Timestamp.max.value
    for i, v in enumerate(vals):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or (
                isinstance(v, float) and not math.isfinite(v)):
            bad[i] = True
            continue
        x = int(v) * 1_000_000_000 if isinstance(v, int) else round(v * 1e9)
        if not lo < x < hi:
            bad[i] = True
            continue
        ns[i] = x
    idx = pd.DatetimeIndex(ns.view("datetime64[ns]")).tz_localize("UTC")
    out = pd.Series(idx.array).mask(pd.Series(bad))
    return out, bad


def in_time_range(times: pd.Series) -> pd.Series:
    """``times`` (tz-aware, any unit) as UTC nanoseconds; times outside :data:`TIME_RANGE`
    become ``NaT`` (so that the loader reports the row as malformed, never the whole file).

    Examples
    --------
    >>> t = pd.to_datetime(pd.Series(["2024-11-27T01:00:00Z", "3024-01-01T00:00:00Z"]),
    ...                    format="ISO8601", utc=True)
    >>> [str(v) for v in in_time_range(t)]
    ['2024-11-27 01:00:00+00:00', 'NaT']
    """
    lo, hi = pd.Timestamp.min.tz_localize("UTC"), pd.Timestamp.max.tz_localize("UTC")
    if not isinstance(times.dtype, pd.DatetimeTZDtype):
        times = pd.to_datetime(times, utc=True)
    times = times.dt.tz_convert("UTC")
    ok = ((times > lo) & (times < hi)).fillna(False)
    return times.where(ok).dt.as_unit("ns")


def cr_line_ends(data: bytes) -> bytes:
    """``data`` with CR-only line ends (classic Mac, some spreadsheet exports) as LF.

    Only a file without any LF is changed, so line numbers stay those an editor shows.

    Examples
    --------
    >>> cr_line_ends(b"a,b\\r1,2\\r"), cr_line_ends(b"a,b\\r\\n1,2\\r\\n")
    (b'a,b\\n1,2\\n', b'a,b\\r\\n1,2\\r\\n')
    """
    if b"\r" in data and b"\n" not in data:
        return data.replace(b"\r", b"\n")
    return data


def prefix_only_mentions(text: pd.Series, is_reply, rows, handles) -> np.ndarray:
    """Which mentions (``rows``, ``handles``) come only from the leading ``@``-run of a reply.

    ``text`` holds one text per row, ``is_reply`` whether that row is a reply; a mention of
    row ``r`` and handle ``h`` (compared in lower case) is prefix-only when row ``r`` is a
    reply, ``@h`` is inside its leading ``@``-run (:func:`reply_prefix_length`) and nowhere
    after it.

    Examples
    --------
    >>> t = pd.Series(["@a_demo @b_demo makasih @b_demo", "@a_demo halo", "@a_demo halo"])
    >>> prefix_only_mentions(t, [True, True, False], [0, 0, 1, 2],
    ...                      pd.Series(["a_demo", "B_demo", "a_demo", "a_demo"])).tolist()
    [True, False, True, False]
    """
    rows = np.asarray(rows, dtype=np.int64)
    out = np.zeros(len(rows), dtype=bool)
    reply = np.asarray(is_reply, dtype=bool)
    if not len(rows) or not reply.any():
        return out
    s = text.reset_index(drop=True).astype(_STR)
    length = reply_prefix_length(s)
    length[~reply] = 0
    has = np.flatnonzero(length > 0)
    if not len(has):
        return out
    sub = s.iloc[has].reset_index(drop=True)
    cut = pd.Series(length[has])
    head = pd.Series([t[:k] for t, k in zip(sub, cut, strict=True)], dtype=_STR)
    tail = pd.Series([t[k:] for t, k in zip(sub, cut, strict=True)], dtype=_STR)
    pre = mentions_long(head, TWITTER_MENTION)
    post = mentions_long(tail, TWITTER_MENTION)
    pre["row"] = has[pre["row"].to_numpy(np.int64)]
    post["row"] = has[post["row"].to_numpy(np.int64)]
    key = pd.Index(pre["row"].astype(str) + "|" + pre["handle"].astype(str))
    key = key.difference(pd.Index(post["row"].astype(str) + "|" + post["handle"].astype(str)))
    ask = (pd.Series(rows).astype(str) + "|"
           + pd.Series(handles, dtype=_STR).reset_index(drop=True).str.lower().fillna(""))
    return ask.isin(key).to_numpy(bool)


def twitter_mentions(text: pd.Series, scan=None, *, is_reply=None) -> pd.DataFrame:
    """:func:`mentions_long` with :data:`TWITTER_MENTION`, vectorised on the UTF-8 bytes.

    Same result as the regex ``(?<![A-Za-z0-9_])@([A-Za-z0-9_]+)`` (rows, handles in lower
    case, in text order, a handle once per text), found by :func:`mention_spans`. With
    ``is_reply`` (one flag per text), a column ``prefix_only`` says which mentions occur
    only in the leading ``@``-run of a reply: the result of
    :func:`~kopiresearch.io._common.prefix_only_mentions`, found on the same spans.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    scan = mention_spans(text) if scan is None else scan
    if scan is False:
        return mentions_long(text, TWITTER_MENTION)
    buf, off, row, start, end = scan
    handles = span_strings(buf, start + 1, end)
    codes = pc.dictionary_encode(handles).indices.to_numpy(zero_copy_only=False)
    key = row * (int(codes.max(initial=0)) + 1) + codes
    first = ~pd.Series(key).duplicated().to_numpy()
    out = pd.DataFrame({"row": row[first].astype(np.int64),
                        "handle": pd.Series(pd.arrays.ArrowStringArray(
                            handles.filter(pa.array(first))), dtype=_STR)})
    if is_reply is not None:
        chain = _prefix_spans(buf, off, row, start, end, np.asarray(is_reply, dtype=bool))
        # a handle of the run is typed when it occurs again after it, in the same text:
        # only texts with a run need looking at
        in_run = np.zeros(len(off), dtype=bool)
        in_run[row[chain]] = True
        outside = np.unique(key[in_run[row] & ~chain])
        flag = chain[first]
        cand = np.flatnonzero(flag)
        flag[cand] = ~np.isin(key[first][cand], outside)
        out["prefix_only"] = flag
    return out


_SPACE = np.zeros(256, dtype=bool)
_SPACE[[9, 10, 13, 32]] = True  # the white space of REPLY_PREFIX


def _prefix_spans(buf, off, row, start, end, is_reply) -> np.ndarray:
    """Which mention spans form the leading ``@``-run of a reply (:data:`REPLY_PREFIX`): the
    first starts its text, each is followed by ASCII white space or the end of the text, and
    each next one follows the previous across white space only. The run grows one span per
    step over the spans still in it."""
    n = len(row)
    if not n:
        return np.zeros(0, dtype=bool)
    row_end = off[row + 1]
    after = np.ones(n, dtype=bool)
    inside = end < row_end
    after[inside] = _SPACE[buf[end[inside]]]
    ok = after & is_reply[row]
    chain = ok & (start == off[row])
    # white space only between two spans of one reply: checked byte by byte over the gaps,
    # each pair dropping out at its first other byte (gaps are short or soon not white)
    prev = np.arange(-1, n - 1)
    link = np.zeros(n, dtype=bool)
    link[1:] = (row[1:] == row[:-1]) & (start[1:] > end[:-1]) & ok[1:] & ok[:-1]
    pairs = np.flatnonzero(link)
    k = 0
    while pairs.size:
        white = _SPACE[buf[end[pairs - 1] + k]]
        link[pairs[~white]] = False
        pairs = pairs[white]
        k += 1
        pairs = pairs[end[pairs - 1] + k < start[pairs]]
    grow = np.flatnonzero(chain)
    while grow.size:
        nxt = grow + 1
        nxt = nxt[nxt < n]
        nxt = nxt[link[nxt] & ok[nxt] & ~chain[nxt] & chain[prev[nxt]]]
        chain[nxt] = True
        grow = nxt
    return chain


_WORD = np.zeros(256, dtype=bool)
for _lo, _hi in ((48, 57), (65, 90), (97, 122), (95, 95)):
    _WORD[_lo:_hi + 1] = True


def mention_spans(text: pd.Series):
    """Every Twitter mention of every text as byte spans of the texts' UTF-8 buffer.

    Returns ``(buf, off, row, start, end)``: the bytes, the text offsets into them (text
    ``i`` is ``buf[off[i]:off[i + 1]]``) and, per mention in text order, its row, the
    position of its ``@`` and the end of its handle (exclusive); or False when ``text`` is
    not Arrow-backed. A mention is an ``@`` that starts its text or follows a byte outside
    ``[A-Za-z0-9_]`` (every byte of a non-ASCII character is outside it, as the character
    is), followed by one or more bytes of ``[A-Za-z0-9_]``, which make the handle: the
    regex ``(?<![A-Za-z0-9_])@([A-Za-z0-9_]+)`` read on bytes instead of characters.
    No per-text Python: one comparison over the buffer finds the ``@`` bytes, and handles
    are extended one byte per step over the mentions still growing.
    """
    import pyarrow as pa

    if not (isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow"):
        return False
    arr = pa.array(text.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks else pa.array([], pa.string())
    arr = arr.cast(pa.string()) if arr.type != pa.string() else arr
    n = len(arr)
    off = np.frombuffer(arr.buffers()[1], dtype=np.int32, count=n + 1, offset=arr.offset * 4
                        ).astype(np.int64) if n else np.zeros(1, np.int64)
    data = arr.buffers()[2]
    buf = (np.frombuffer(data, dtype=np.uint8)[off[0]:off[-1]] if data is not None
           else np.zeros(0, np.uint8))
    off = off - off[0]
    at = np.flatnonzero(buf == ord("@"))
    row = np.searchsorted(off, at, side="right") - 1
    if arr.null_count:  # a null text's slot may hold bytes: never read them
        keep = np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)[row]
        at, row = at[keep], row[keep]
    row_end = off[row + 1]
    ok = (at == off[row]) | ~_WORD[buf[np.maximum(at - 1, 0)]]
    ok &= at + 1 < row_end
    ok[ok] = _WORD[buf[at[ok] + 1]]
    at, row, row_end = at[ok], row[ok], row_end[ok]
    end = at + 2
    grow = np.flatnonzero(end < row_end)
    while grow.size:
        grow = grow[_WORD[buf[end[grow]]]]
        end[grow] += 1
        grow = grow[end[grow] < row_end[grow]]
    return buf, off, row, at, end


def span_strings(buf: np.ndarray, start: np.ndarray, end: np.ndarray):
    """The ASCII handles ``buf[start:end]``, lower-cased, as one Arrow string array.

    The spans are sorted and do not overlap, so ``start``/``end`` interleaved are valid
    offsets of a string array over ``buf`` itself (handles at even positions, the text
    between them at odd ones): Arrow then copies the handles out, with no index arrays.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(start)
    if n == 0:
        return pa.array([], type=pa.string())
    offsets = np.empty(2 * n, dtype=np.int64)
    offsets[0::2], offsets[1::2] = start, end
    spans = pa.LargeStringArray.from_buffers(2 * n - 1, pa.py_buffer(offsets),
                                             pa.py_buffer(buf))
    handles = spans.take(pa.array(np.arange(0, 2 * n, 2, dtype=np.int64)))
    return pc.ascii_lower(handles).cast(pa.string())


def prefix_mention_rule(edges: pd.DataFrame, prefix: np.ndarray, source, report: LoadReport,
                        *, keep: bool) -> pd.DataFrame:
    """Count (and, unless ``keep``, drop) the mention edges that came only from a reply prefix.

    ``edges`` has columns ``row``, ``kind``, ``target_id`` (after rule 6); ``prefix`` marks
    its prefix-only mentions (:func:`prefix_only_mentions`), ``source`` gives the author
    account of each row. Only edges that become interactions are counted: self-mentions
    (rule 4) and repeats within a row (rule 3) are not. Adds to
    ``report.derived["reply_prefix_mentions"]`` and, when dropping,
    ``"reply_prefix_mentions_dropped"``.
    """
    src = np.asarray(source, dtype=object)[edges["row"].to_numpy(np.int64)]
    tgt = edges["target_id"].to_numpy(object)
    real = pd.notna(tgt) & pd.notna(src) & (src != tgt)
    cand = prefix & real & (edges["kind"] == "mention").to_numpy(bool)
    pair = pd.DataFrame({"r": edges["row"].to_numpy(np.int64)[cand], "t": tgt[cand]})
    n = int((~pair.duplicated()).sum())
    report.count("reply_prefix_mentions", n)
    if keep:
        return edges
    report.count("reply_prefix_mentions_dropped", n)
    return edges[~(prefix & (edges["kind"] == "mention").to_numpy(bool))]


def without_impossible_years(s: pd.Series) -> pd.Series:
    """``s`` (time strings) with values whose year lies outside 1678-2261 made missing.

    A ``datetime64[ns]`` column cannot hold such times; parsers asked to would fail for the
    whole file. The year is read from an ISO 8601 value (``2024-11-27T...``) or the end of
    a Twitter-format value (``Wed Nov 27 05:06:26 +0000 2024``); the loader then reports the
    row as malformed.

    Examples
    --------
    >>> without_impossible_years(pd.Series(["3024-01-01T00:00:00Z",
    ...     "Wed Nov 27 05:06:26 +0000 2024", "Wed Nov 27 05:06:26 +0000 1500"])).tolist()
    [<NA>, 'Wed Nov 27 05:06:26 +0000 2024', <NA>]
    """
    s = s.astype(_STR)
    year = s.str.extract(r"^\s*(\d{4})-|\s(\d{4})\s*$")
    y = pd.to_numeric(year[0].fillna(year[1]), errors="coerce")
    bad = ((y < 1678) | (y > 2261)).fillna(False).to_numpy(bool)
    return s.mask(bad) if bad.any() else s


def times_or_nat(parse, s: pd.Series) -> pd.Series:
    """``parse(s)``, retried without impossible years (:func:`without_impossible_years`)
    when a time outside the nanosecond range makes the parser fail; those rows are NaT.

    No cost when every year is possible (the parser runs once).
    """
    try:
        return parse(s)
    except (pd.errors.OutOfBoundsDatetime, OverflowError):
        return parse(without_impossible_years(s))


def add_locations(book: AccountBook, locations: dict) -> None:
    """Give the accounts of a finished ``book`` their profile ``location`` (raw free text),
    from ``locations``: platform id -> text."""
    if not locations:
        return
    loc = pd.Series(locations, dtype=_STR)
    ids = book.accounts["account_id"].astype(_STR).str.split(":", n=1).str[1]
    book.accounts["location"] = pd.array(loc.reindex(ids.to_numpy(object)).to_numpy(object),
                                         dtype=_STR)


def add_account_created(book: AccountBook, created: dict, report=None, file=None) -> None:
    """Give the accounts of a finished ``book`` their ``account_created_at``, from
    ``created``: platform id -> ISO 8601 time as the crawl writes it (twarc2
    ``2019-05-01T02:00:00.000Z``, snscrape ``2019-05-01T02:00:00+00:00``).

    A value that is not an ISO 8601 time with a UTC offset is left missing and reported
    as a warning of ``report`` (the accounts are kept: only their age is unknown).
    """
    if not created:
        return
    raw = pd.Series(created, dtype=object)
    when = pd.to_datetime(raw, utc=True, format="ISO8601", errors="coerce")
    naive = raw.astype(str).str.fullmatch(r".*T[0-9:.]+").fillna(False).to_numpy(bool)
    bad = (when.isna().to_numpy(bool) & raw.notna().to_numpy(bool)) | naive
    if bad.any():
        when[bad] = pd.NaT
        if report is not None:
            example = raw[bad].iloc[0]
            report.warn(file if file is not None else "", f"{int(bad.sum())} account creation "
                        f"time(s) are not ISO 8601 with a UTC offset (e.g. {example!r}); those "
                        "accounts' creation time is left missing",
                        affects="accounts.account_created_at (account age)",
                        fix="check that the file is the crawl tool's own output")
    ids = book.accounts["account_id"].astype(_STR).str.split(":", n=1).str[1]
    book.accounts["account_created_at"] = when.reindex(ids.to_numpy(object)).to_numpy()


#: Expanded links of Twitter media (``.../status/<id>/photo/1``, ``/video/1``): the post's
#: own picture, not a link it shares (twarc-csv writes these as ``pic.twitter.com/...``).
_SCHEME = re.compile(r"^https?://\S", re.IGNORECASE)
TWITTER_MEDIA_LINK = re.compile(r"^https?://(?:twitter|x)\.com/\w+/status/\d+/(?:photo|video)/\d+$")


def expanded_url_column(links) -> pd.Series:
    """The ``expanded_urls`` column from per-post sequences of links (or None): links joined
    by spaces in order; duplicates, values without ``http(s)://`` (twarc-csv writes a media
    item's ``pic.twitter.com/...`` display form) and media links left out; missing when a
    post has none."""
    out = []
    for urls in links:
        keep = [u for u in dict.fromkeys(urls or ()) if isinstance(u, str)
                and _SCHEME.match(u) and not TWITTER_MEDIA_LINK.match(u)]
        out.append(" ".join(u.strip().replace(" ", "%20") for u in keep) if keep else None)
    return pd.Series(out, dtype=_STR)
