"""Load tweet-harvest CSV/XLSX crawls (every file layout from 2.0 to 2.7) into a Corpus."""

from __future__ import annotations

import html
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._docs import fill_doc
from ..corpus import Corpus, LoadReport
from ..errors import InputFormatError, UnknownFormatError
from ._common import (
    COUNT_RULE,
    RETWEET_PREFIX,
    TIME_RANGE,
    AccountBook,
    act_rows,
    all_digits,
    as_arrow,
    assemble,
    check_utf8,
    cr_line_ends,
    drop_malformed,
    expand_paths,
    guard,
    lower_handle,
    mention_spans,
    parse_counts,
    prefix_only_mentions,
    read_csv_strings,
    record_file_counts,
    span_strings,
    times_or_nat,
    twitter_mentions,
)

__all__ = ["read_tweet_harvest", "TWEET_HARVEST_LAYOUTS"]

_STR = pd.StringDtype()

_OLD = ["created_at", "id_str", "full_text", "quote_count", "reply_count", "retweet_count",
        "favorite_count", "lang", "user_id_str", "conversation_id_str", "username"]
_ALPHA = ["conversation_id_str", "created_at", "favorite_count", "full_text", "id_str",
          "image_url", "in_reply_to_screen_name", "lang", "location", "quote_count",
          "reply_count", "retweet_count", "tweet_url", "user_id_str", "username"]

#: The header of every tweet-harvest layout, keyed by a layout name naming its versions.
TWEET_HARVEST_LAYOUTS = {
    "<=2.0 (11 columns, ';')": (";", _OLD),
    "2.1-2.4.0 (12 columns, ';')": (";", _OLD + ["tweet_url"]),
    "2.4.1 (12 columns, ',')": (",", _OLD + ["tweet_url"]),
    "2.4.2-2.4.3 (14 columns)": (",", _OLD + ["tweet_url", "image_url", "location"]),
    "2.5.0-2.5.2 (15 columns, misaligned)": (",", _OLD + ["tweet_url", "in_reply_to_screen_name",
                                                          "image_url", "location"]),
    "2.5.3-2.7.x (15 columns, alphabetical)": (",", _ALPHA),
    "2.5.3-2.7.x re-saved by Excel (';', Indonesian locale)": (";", _ALPHA),
}
_L11, _L12S, _L12C, _L14, _L15M, _L15A, _L15X = TWEET_HARVEST_LAYOUTS
#: Layouts whose files have no ``in_reply_to_screen_name`` column (before 2.5).
_NO_REPLY_COLUMN = (_L11, _L12S, _L12C, _L14)

_TW_DATE = r"[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} [+-]\d{4} \d{4}"
_TW_DATE_RE = re.compile(_TW_DATE)
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_FIELDS = ["id_str", "created_at", "full_text", "user_id_str", "username",
           "in_reply_to_screen_name", "tweet_url", "favorite_count", "reply_count",
           "retweet_count", "quote_count", "conversation_id_str", "location"]
_COUNTS = {"favorite_count": "like_count", "reply_count": "reply_count",
           "retweet_count": "repost_count", "quote_count": "quote_count"}


@fill_doc
@guard
def read_tweet_harvest(paths, *, reply_prefix_mentions: bool = True,
                       validate: bool = True, progress=None) -> Corpus:
    """Load one or more tweet-harvest crawls (CSV or the 2.7 XLSX export) into a Corpus.

    Parameters
    ----------
    paths : path, glob pattern or list of them
        ``"tweets-data/*.csv"``, a single file, or a folder (all ``*.csv``/``*.xlsx`` in it).
        ``*.old.csv`` copies made by the tool load like any file; their rows are counted as
        duplicates of the rows they repeat.
    reply_prefix_mentions : bool
        Keep the mention edges of handles that occur only in the leading ``@``-run of a reply
        (default, as the platform counts them), or leave them out (see Notes).
    {{loader_validate_progress}}

    Returns
    -------
    Corpus
        ``platform == "twitter"``; account ids ``"twitter:<user_id_str>"``, or
        ``"twitter:@<handle>"`` for accounts known only by handle (reply and mention targets
        that never author a row and whose id no row gives); post ids ``"twitter:<id_str>"``;
        ``actor_type`` is ``"unknown"`` and ``region_code`` missing until
        :func:`~kopiresearch.io.label_accounts` is applied.
        ``report.file_counts`` has the rows, duplicates, malformed rows and time window of
        each file; ``report.warnings`` what the files cannot tell.

    Raises
    ------
    UnknownFormatError
        A file matches no tweet-harvest layout; the message lists the layouts tried.
    InputFormatError
        A file is not UTF-8 (Latin-1 is refused, never turned into mojibake), cannot be
        parsed, or is a 2.5.0-2.5.2 file whose rows cannot be remapped.

    Notes
    -----
    The layout is detected per file from the header line (delimiter, number and order of
    columns) or, for files without a header, from the first row. Every layout of
    tweet-harvest is understood:

    * ``<= 2.0``: ``;``-separated, 11 columns, text not cleaned (``;`` and newlines in the
      text are put back together);
    * ``2.1 - 2.4.0``: ``;``-separated, 12 columns; ``2.4.1``: ``,``, 12 columns, values quoted
      with unescaped inner quotes; ``2.4.2 - 2.4.3``: 14 columns;
    * ``2.5.0 - 2.5.2``: the header names 15 columns but the values are misaligned (reply
      rows carry 16 values). Each row is remapped by locating its ``tweet_url``; a row
      whose url does not end with its own ``id_str`` is reported as malformed, never shifted;
    * ``2.5.3 - 2.7.x``: 15 alphabetical columns, all quoted (read with pyarrow); both
      ``created_at`` formats (``Wed Nov 27 05:06:26 +0000 2024`` and ISO 8601 ``...Z``) and
      the 2.7 XLSX export.

    Quotes cannot be derived from tweet-harvest data (the quoted tweet is only a link).
    ``&amp;``-style entities in the text are unescaped after parsing.

    **Replies before 2.5.** Files before 2.5 have no ``in_reply_to_screen_name``. A row whose
    ``conversation_id_str`` differs from its ``id_str`` is a reply (a thread root, an
    original, a quote and a retweet carry their own id as conversation); its target is the
    leading ``@handle`` of the text when the text starts with one (X writes the replied-to
    handle first), else it is a reply with no known target. The other ``@handles`` are
    mentions. Counted in ``report.derived["replies_inferred"]``.

    **Reply parents.** tweet-harvest writes no replied-to tweet id, so ``parent_post_id`` is
    inferred and marked ``parent_inferred``: within the reply's conversation
    (``conversation_id_str``), the latest earlier post (by time, then id) whose author is the
    replied-to account; else the conversation root, which may lie outside the crawl
    (``parent_missing``). Reposts are never parents. Measured where twarc2 states the parent
    (``benchmarks/bench_parents.py``: twarc2 pages written in this layout and loaded back),
    the rule recovers 1,095 of 1,157 parents (0.946) of the bundled synthetic corpus and 35
    of 50 (0.700) on four public twarc2 search pages, where all 35 recoverable parents (in
    the crawl or the conversation root) were found; it misses when a reply answers an older
    post of an account that posted again since, or a post outside the crawl that is not the
    conversation root.
    Counted in ``report.derived["parents_inferred"]``.

    **Crawls without usernames.** tweet-harvest up to 2.6.1 run since 2025 writes empty
    ``username`` and ``x.com/undefined/status/...`` urls. A handle is then taken from the
    url when it names one, and linked to its id wherever any row or file of the load gives
    both (later copies included); every file whose authors stay without a handle gets a
    :class:`~kopiresearch.corpus.LoadWarning` naming the measures it breaks.

    **Reply prefixes.** X writes the handle of every thread participant at the start of a
    reply. Those handles are mentions (as the platform's ``entities.mentions`` say);
    ``reply_prefix_mentions=False`` leaves out the mention edges of handles that occur only in
    that leading ``@``-run. ``report.derived["reply_prefix_mentions"]`` counts them either way.

    **Spreadsheets.** An id that a spreadsheet rounded (scientific notation; a number cell of
    an XLSX; 16+ digits ending in zeros past the 15th in a file re-saved by a spreadsheet,
    recognised by its bare or ``;``-separated header, or where most long ids end so), a
    ``created_at`` turned into a spreadsheet date, and a count that is not a whole number from
    0 to 10^18 make the row malformed with the column named; ids are never rounded, and two
    rows with one id but different times are a collision, not a duplicate.

    The rules every loader follows:

    1. Direction: actor -> account acted upon (replier -> replied-to, retweeter -> retweeted
       author, mentioner -> mentioned).
    2. Handles are compared and stored in lower case, without ``@``.
    3. One interaction per (post, target, kind); a handle mentioned twice counts once; a
       reply also gives mentions of the other handles.
    4. No self-loops (self-replies, self-mentions).
    5. A retweet (``RT @x: ...``) gives only the repost edge to ``x``; the handles in the
       retweeted text are the original author's mentions.
    6. The reply target is not also a mention.
    7. Mentions: ``@`` + ``[A-Za-z0-9_]+`` not preceded by ``[A-Za-z0-9_]`` (e-mail addresses
       are not mentions).
    8. An interaction's time is the time of the tweet, in UTC.
    9. Duplicates are detected by ``id_str``; the second and later copies are duplicates.
    10. rows read = loaded + duplicates + malformed; blank lines and repeated header lines are
        counted separately; every malformed row is listed with file, line and reason (ids
        destroyed by Excel such as ``1.86155E+18``, unparseable ``created_at``, wrong number of
        fields, no author).

    Examples
    --------
    >>> import kopiresearch.io as kio
    >>> c = kio.read_tweet_harvest(kio.example_path("tweet_harvest_2.6.1.csv"))
    >>> c.report.is_consistent
    True
    >>> sorted(c.interactions["kind"].unique())
    ['mention', 'reply', 'repost']
    """
    files = expand_paths(paths, patterns=("*.csv", "*.xlsx"))
    report = LoadReport()
    frames = []
    layouts, excel = {}, {}
    for path in files:
        if progress is not None:
            progress.start(path)
        before = report.rows_read  # rows with a wrong field count are counted as read
        frame, layout, resaved = _read_file(path, report)
        if progress is not None:
            progress.done(path, len(frame) + report.rows_read - before)
        layouts[str(path)] = layout
        excel[str(path)] = resaved
        frames.append(frame)
        report.files.append(str(path))
    frame = (pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0] if frames
             else pd.DataFrame({c: pd.Series([], dtype="string") for c in _FIELDS + ["_file"]})
             .assign(_line=np.zeros(0, dtype=np.int64), _reply_column=np.zeros(0, bool)))
    frames.clear()
    # hand the only reference over, so that the raw columns are freed as they are replaced
    holder = [frame]
    del frame
    if progress is not None:
        progress.stage(f"building the corpus of {len(files)} tweet-harvest file"
                       + ("s" if len(files) != 1 else ""))
    return _build(holder, report, {"source": "tweet-harvest", "layouts": layouts},
                  excel=excel, reply_prefix_mentions=reply_prefix_mentions, validate=validate)


def _read_file(path: Path, report: LoadReport):
    """``(frame, layout, resaved)``: the raw rows of one file as strings, its layout and
    whether the file shows signs of a spreadsheet re-save (ids may be rounded)."""
    if path.suffix.lower() == ".xlsx":
        return _columns(_read_xlsx(path, report), path, _L15A), _L15A, False
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    data = cr_line_ends(data)
    layout, has_header, first_line, quoted = _detect(data, path)
    delim, names = TWEET_HARVEST_LAYOUTS[layout]
    # tweet-harvest 2.5.3+ quotes its header; a bare one was written by a spreadsheet
    resaved = layout == _L15X or (layout == _L15A and has_header and not quoted)
    if layout in (_L15A, _L15X):
        # pyarrow checks UTF-8 as it converts; on failure read_csv_strings names the line.
        # The layout's own column names are used (a header with a stray space still loads)
        frame, bad, blank = read_csv_strings(
            data, path, column_names=names, skip_rows=first_line if has_header
            else first_line - 1, delimiter=delim, keep=_FIELDS)
        report.blank_lines += blank + first_line - 1
        for line, reason in bad:
            report.add_malformed(path, line, reason)
        hdr = (frame["id_str"] == "id_str") & (frame["created_at"] == "created_at")
        hdr = hdr.fillna(False).to_numpy(bool)
        report.repeated_headers += int(hdr.sum())
        if hdr.any():
            frame = frame[~hdr]
    else:
        frame = _read_legacy(check_utf8(data, path), path, layout, report)
    return _columns(frame, path, layout), layout, resaved


def _columns(frame, path, layout) -> pd.DataFrame:
    """The raw rows in the columns :func:`_build` reads, with the file and its layout."""
    for c in _FIELDS:
        frame[c] = frame[c].astype("string") if c in frame.columns else pd.Series(
            pd.NA, index=frame.index, dtype="string")
    frame = frame[_FIELDS + ["_line"]].copy()
    frame["_file"] = pd.Categorical.from_codes(np.zeros(len(frame), np.int8), [str(path)])
    frame["_reply_column"] = layout not in _NO_REPLY_COLUMN
    return frame


def _detect(data: bytes, path):
    """(layout, has_header, 1-based line of the header or first row, header quoted)."""
    text = data[:65536].decode("utf-8", "ignore")
    lines = text.split("\n")
    first, lineno = None, 0
    for i, ln in enumerate(lines):
        if ln.strip():
            first, lineno = ln.rstrip("\r"), i + 1
            break
    if first is None:
        raise UnknownFormatError("the file is empty", file=str(path),
                                 tried=list(TWEET_HARVEST_LAYOUTS))
    for name, (delim, cols) in TWEET_HARVEST_LAYOUTS.items():
        if [c.strip().strip('"').strip() for c in first.split(delim)] == cols:
            return name, True, lineno, first.lstrip().startswith('"')
    # no header: look at the first row
    if first.startswith('"') and '","' in first:
        values = first[1:].split('","')
        if len(values) == 15 and values[0].isdigit() and (
                _TW_DATE_RE.fullmatch(values[1]) or _ISO_DATE_RE.match(values[1])):
            return _L15A, False, lineno, True
        if _TW_DATE_RE.fullmatch(values[0]):
            n = len(values)
            if n == 12:
                return _L12C, False, lineno, True
            if n == 14:
                return _L14, False, lineno, True
            if n in (15, 16):
                return _L15M, False, lineno, True
    if _TW_DATE_RE.match(first) and ";" in first:
        last = first.rsplit(";", 1)[-1]
        return (_L12S if last.startswith("http") else _L11), False, lineno, False
    raise UnknownFormatError(
        f"the first line {first[:80]!r} is neither a tweet-harvest header nor a tweet-harvest "
        "row", file=str(path), tried=list(TWEET_HARVEST_LAYOUTS))


def _read_legacy(data: bytes, path, layout, report):
    """Per-line parser for the layouts before 2.5.3 (small, legacy files)."""
    delim, names = TWEET_HARVEST_LAYOUTS[layout]
    text = data.decode("utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
    header_texts = {delim.join(names), delim.join(f'"{n}"' for n in names)}
    records = []  # (line, raw record)
    for i, ln in enumerate(lines, start=1):
        if not ln.strip():
            report.blank_lines += 1
            continue
        if ln.strip() in header_texts:
            if records or i > 1 and any(lines[j].strip() for j in range(i - 1)):
                report.repeated_headers += 1
            continue
        if layout == _L11 and records and not _TW_DATE_RE.match(ln):
            # <= 2.0 did not clean the text: a newline inside the text continues the record
            line0, prev = records[-1]
            records[-1] = (line0, prev + "\n" + ln)
            continue
        records.append((i, ln))
    rows = []
    n = len(names)
    for line, rec in records:
        if delim == ";":
            values = rec.split(";")
            if len(values) < n:
                report.add_malformed(path, line, f"expected {n} fields, found {len(values)}")
                continue
            if len(values) > n:  # ';' inside the text (not cleaned before 2.1)
                k = len(values) - n
                values = values[:2] + [";".join(values[2:3 + k])] + values[3 + k:]
            t = values[2]
            if len(t) >= 2 and t.startswith('"') and t.endswith('"'):
                values[2] = t[1:-1]
            row = dict(zip(names, values, strict=True))
        else:
            r = rec.strip()
            if not (r.startswith('"') and r.endswith('"')):
                report.add_malformed(path, line, "values are not quoted as tweet-harvest "
                                     "writes them")
                continue
            values = r[1:-1].split('","')
            if layout == _L15M:
                row = _remap_250(values)
                if isinstance(row, str):
                    report.add_malformed(path, line, row)
                    continue
            else:
                if len(values) > n and layout == _L14:  # '","' inside the location
                    values = values[:n - 1] + ['","'.join(values[n - 1:])]
                if len(values) != n:
                    report.add_malformed(path, line, f"expected {n} fields, found "
                                         f"{len(values)}")
                    continue
                row = dict(zip(names, values, strict=True))
        row["_line"] = line
        rows.append(row)
    frame = pd.DataFrame(rows, columns=names + ["_line"])
    for c in names:
        frame[c] = frame[c].astype("string")
    frame["_line"] = frame["_line"].astype(np.int64)
    return frame


def _remap_250(values):
    """Remap one 2.5.0-2.5.2 row by locating its tweet_url; a string is a failure reason."""
    reason = ("misaligned tweet-harvest 2.5.0-2.5.2 row could not be remapped (no tweet_url "
              "ending in its id_str); re-crawl with tweet-harvest >= 2.5.3")
    if len(values) < 14:
        return reason
    row = dict(zip(_OLD[:10], values[:10], strict=True))
    suffix = "/status/" + row["id_str"]
    if values[11].endswith(suffix) and len(values) in (14, 15):
        row.update(username=values[10], tweet_url=values[11], image_url=values[12],
                   location=values[13],
                   in_reply_to_screen_name=values[14] if len(values) == 15 else "")
        return row
    if len(values) == 16 and values[12].endswith(suffix):
        if values[15] and values[15] != values[10]:
            return reason
        row.update(in_reply_to_screen_name=values[10], username=values[11],
                   tweet_url=values[12], image_url=values[13], location=values[14])
        return row
    return reason


def _read_xlsx(path, report):
    """The ``Tweets`` sheet of a 2.7 XLSX export, every cell as a string.

    Cells are read with their spreadsheet type (openpyxl): an id cell that holds a number
    cannot be trusted beyond 2^53 (a spreadsheet keeps 15 significant digits), and a
    ``created_at`` cell that a spreadsheet turned into a date has lost its time zone. Such
    values are replaced by a marker that :func:`_build` reports as a malformed row, naming
    the column; the rest of the file loads.
    """
    import datetime as dt

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types on broken files
        raise InputFormatError(f"cannot read the XLSX file: {exc}", file=str(path)) from None
    try:
        sheet = book["Tweets"] if "Tweets" in book.sheetnames else (
            book.worksheets[0] if book.worksheets else None)
        rows = [] if sheet is None else list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    if not rows:
        raise UnknownFormatError("the workbook is empty", file=str(path),
                                 tried=[_L15A + " XLSX"])
    header = ["" if v is None else str(v).strip() for v in rows[0]]
    if header[:15] != _ALPHA:
        raise UnknownFormatError("sheet header is not the tweet-harvest 2.7 header",
                                 file=str(path), tried=[_L15A + " XLSX"])
    ids = {"id_str", "user_id_str", "conversation_id_str"}

    def cell(name, v):
        if v is None:
            return ""
        if isinstance(v, str):
            return v
        if isinstance(v, bool):
            return str(v)
        if name in ids:
            if isinstance(v, int) and abs(v) <= 2**53:
                return str(v)
            return _XLSX_NUMBER_ID
        if name == "created_at" and isinstance(v, (dt.datetime, dt.date)):
            return _XLSX_DATE
        if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
            return str(int(v))
        return str(v)

    body = [tuple(cell(n, v) for n, v in zip(_ALPHA, (tuple(r) + (None,) * 15)[:15],
                                              strict=True)) for r in rows[1:]]
    frame = pd.DataFrame(body, columns=_ALPHA, dtype="string")
    frame["_line"] = np.arange(2, len(frame) + 2, dtype=np.int64)
    blank = (frame[_ALPHA] == "").all(axis=1).to_numpy(bool)
    report.blank_lines += int(blank.sum())
    frame = frame[~blank]
    hdr = (frame["id_str"] == "id_str").to_numpy(bool)
    report.repeated_headers += int(hdr.sum())
    return frame[~hdr]


#: Markers of spreadsheet cells that cannot be exact (see :func:`_read_xlsx`).
_XLSX_NUMBER_ID = "\x00number"
_XLSX_DATE = "\x00date"


_MONTHS = {m: f"{i:02d}" for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}


def parse_twitter_time(s: pd.Series) -> pd.Series:
    """Parse both tweet-harvest ``created_at`` formats to UTC; unparseable values are NaT.

    ``Wed Nov 27 05:06:26 +0000 2024`` (up to 2.6.1) is rearranged into ISO 8601 with
    vectorised string slicing; ISO 8601 values (2.7+) must carry ``Z`` or an offset; naive
    values are never guessed.

    Examples
    --------
    >>> t = parse_twitter_time(pd.Series(["Wed Nov 27 05:06:26 +0000 2024",
    ...                                   "2024-11-27T05:06:26.000Z", "27/11/2024"]))
    >>> [str(v) for v in t]
    ['2024-11-27 05:06:26+00:00', '2024-11-27 05:06:26+00:00', 'NaT']
    """
    s = s.astype("string")
    ns, fast = _twitter_time_ns(s)  # checks the exact pattern of every value on its bytes
    if len(s) and fast.all():
        return pd.Series(pd.DatetimeIndex(ns.view("datetime64[ns]")).tz_localize("UTC").array,
                         index=s.index)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns, UTC]")
    tw = s.str.fullmatch(_TW_DATE).fillna(False).to_numpy(bool)
    if tw.any():
        ns, fast = _twitter_time_ns(s[tw])
        if not fast.all():  # rare values (odd offsets, impossible dates): the slow path
            return _parse_twitter_time_slow(s)
        utc = pd.DatetimeIndex(ns.view("datetime64[ns]")).tz_localize("UTC")
        if tw.all():
            return pd.Series(utc.array, index=s.index)
        out[tw] = utc
    return _with_iso_times(s, out, tw)


def _with_iso_times(s: pd.Series, out: pd.Series, tw: np.ndarray) -> pd.Series:
    """``out`` with the values of ``s`` not in the Twitter format (``tw`` false) parsed as
    ISO 8601 carrying ``Z`` or an offset (tweet-harvest 2.7+); naive values stay NaT."""
    rest = ~tw & s.notna().to_numpy(bool)
    if rest.any():
        iso = s[rest]
        ok = iso.str.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                               r"(Z|[+-]\d{2}:?\d{2})").fillna(False)
        out[rest] = pd.to_datetime(iso.where(ok), format="ISO8601", errors="coerce", utc=True)
    return out.astype("datetime64[ns, UTC]")


def _parse_twitter_time_slow(s: pd.Series) -> pd.Series:
    """The reference implementation of :func:`parse_twitter_time` (pandas string slicing)."""
    s = s.astype("string")
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns, UTC]")
    tw = s.str.fullmatch(_TW_DATE).fillna(False).to_numpy(bool)
    if tw.any():
        t = s[tw]
        month = t.str.slice(4, 7).map(_MONTHS)
        iso = (t.str.slice(26, 30) + "-" + month + "-" + t.str.slice(8, 10) + "T"
               + t.str.slice(11, 19) + t.str.slice(20, 25))
        out[tw] = pd.to_datetime(iso, format="%Y-%m-%dT%H:%M:%S%z", errors="coerce", utc=True)
    return _with_iso_times(s, out, tw)


_DIGITS = [8, 9, 11, 12, 14, 15, 17, 18, 21, 22, 23, 24, 26, 27, 28, 29]
_MONTH_CODES = np.array(sorted(
    (ord(m[0]) << 16 | ord(m[1]) << 8 | ord(m[2]), i) for m, i in
    ((m, int(v)) for m, v in _MONTHS.items())), dtype=np.int64)


def _twitter_time_ns(t: pd.Series):
    """``(ns, fast)`` for values of the form ``Wed Nov 27 05:06:26 +0000 2024``.

    Reads the fixed-width fields straight from the UTF-8 bytes (no per-row Python), after
    checking each byte against the pattern :data:`_TW_DATE` (letters, digits, separators).
    ``ns`` holds UTC nanoseconds where ``fast`` is true: plain values (the pattern, a day
    that exists in that month, a time of day up to 23:59:59, an offset up to 14:59 and a
    year 1970-2199). Every other value is left to the caller's slow path, so the result is
    exactly that of the slow path.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(t)
    ns = np.zeros(n, dtype=np.int64)
    fast = np.zeros(n, dtype=bool)
    arr = pa.array(t.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = arr.cast(pa.string())
    if n == 0 or arr.null_count or not pc.all(pc.equal(pc.binary_length(arr), 30)).as_py():
        return ns, fast
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32, count=n + 1,
                            offset=arr.offset * 4)
    raw = np.frombuffer(arr.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    b = raw.reshape(n, 30)

    # the byte classes of 'Wed Nov 27 05:06:26 +0000 2024' (the regex _TW_DATE), column
    # by column: (byte - low) as uint8 wraps below low, so one comparison checks a range
    shape = (b[:, 20] == ord("+")) | (b[:, 20] == ord("-"))
    for cols, low, width in ((_DIGITS, ord("0"), 10), ((0, 4), ord("A"), 26),
                             ((1, 2, 5, 6), ord("a"), 26), ((3, 7, 10, 19, 25), ord(" "), 1),
                             ((13, 16), ord(":"), 1)):
        for k in cols:
            shape &= (b[:, k] - np.uint8(low)) < width

    def col(k):
        return b[:, k].astype(np.int64)

    def num(i, j):
        v = col(i) - 48
        for k in range(i + 1, j):
            v = v * 10 + (col(k) - 48)
        return v

    code = col(4) << 16 | col(5) << 8 | col(6)
    k = np.clip(np.searchsorted(_MONTH_CODES[:, 0], code), 0, len(_MONTH_CODES) - 1)
    month = np.where(_MONTH_CODES[k, 0] == code, _MONTH_CODES[k, 1], 0)
    year, day = num(26, 30), num(8, 10)
    hh, mm, ss = num(11, 13), num(14, 16), num(17, 19)
    oh, om = num(21, 23), num(23, 25)
    sign = np.where(b[:, 20] == ord("-"), -1, 1)
    fast = (shape & (month >= 1) & (year >= 1970) & (year <= 2199) & (hh <= 23) & (mm <= 59)
            & (ss <= 59) & (oh <= 14) & (om <= 59) & (day >= 1))
    mon = ((np.where(fast, year, 1970) - 1970) * 12 + np.maximum(month, 1) - 1).astype(
        "datetime64[M]")
    first = mon.astype("datetime64[D]").astype(np.int64)
    length = (mon + 1).astype("datetime64[D]").astype(np.int64) - first
    fast &= day <= length
    sec = ((first + day - 1) * 86400 + hh * 3600 + mm * 60 + ss
           - sign * (oh * 3600 + om * 60))
    ns = np.where(fast, sec * 1_000_000_000, 0)
    return ns, fast


def _build(holder, report, meta, *, excel=None, reply_prefix_mentions=True, validate=True):
    """``holder`` is a list holding the raw rows; it is emptied (memory)."""
    frame = holder.pop().reset_index(drop=True)
    files = list(report.files)
    frame = _valid_rows(report, frame, excel)  # malformed rows (rule 10) reported, dropped
    # --- duplicates (rule 9) ----------------------------------------------------------
    # every id_str is digits now (bad_id): its integers are looked at once, here
    id_num = _exact_ints(frame["id_str"], digits=True) if not frame["id_str"].hasnans else None
    dup = _duplicated_ids(frame["id_str"], id_num)
    if dup.any():
        n_before = len(frame)
        frame, dup = _colliding_copies(report, frame, dup)
        if id_num is not None and len(frame) != n_before:
            id_num = _exact_ints(frame["id_str"], digits=True)
    file_codes = _file_codes(frame["_file"], files)
    record_file_counts(report, files, file_codes, dup,
                       np.asarray(frame["_when"].array.asi8, dtype=np.int64))
    # a duplicate copy may be the only row that names its author's handle (a later crawl)
    named = dup & (frame["user_id_str"].notna() & frame["username"].notna()).to_numpy(bool)
    dup_pairs = frame.loc[named, ["user_id_str", "username", "_when"]]
    report.add_duplicate(int(dup.sum()))
    frame = (frame[~dup] if dup.any() else frame).reset_index(drop=True)
    if id_num is not None and dup.any():
        id_num = id_num[~dup]
    report.add_loaded(len(frame))
    # --- posts (a second thread), accounts ---------------------------------------------
    when_ns = np.asarray(frame["_when"].array.asi8, dtype=np.int64)
    post_id = "twitter:" + frame["id_str"]
    by_time = np.argsort(when_ns, kind="stable")  # the canonical order of posts
    # conversation ids, stripped and checked once (the posts and the parents read them)
    conv, conv_ok = _conversations(frame)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # the posts' own columns, cleaned and put in time order, while this thread works out
        # the accounts and the acts (Arrow and NumPy release the GIL: both cores are used)
        post_columns = pool.submit(_post_columns, frame, post_id, by_time, conv, conv_ok)
        book = AccountBook("twitter")
        order = when_ns.astype(np.float64)
        exact = np.array_equal(order.astype(np.int64), when_ns)  # then both sort alike
        uid_codes = _id_codes(frame["user_id_str"], digits=True)  # digits (bad_uid)
        keep = _last_of_each_pair(frame["user_id_str"], frame["username"], order,
                                  by_order=by_time if exact else None, uid_codes=uid_codes)
        book.add(frame["user_id_str"].iloc[keep], frame["username"].iloc[keep],
                 order=order[keep])
        if len(dup_pairs):
            book.add(dup_pairs["user_id_str"], dup_pairs["username"],
                     order=dup_pairs["_when"].array.asi8.astype(np.float64))
        text = frame["full_text"]
        scan = mention_spans(text)
        rt = _retweeted(text, scan)
        is_rt = rt.notna().to_numpy(bool)
        reply, is_reply = _reply_targets(frame, text, is_rt, report)
        ment = twitter_mentions(text, scan, is_reply=is_reply)
        del scan
        if "prefix_only" in ment.columns:  # found on the mention spans
            prefix_only = ment.pop("prefix_only").to_numpy(bool)
        else:
            prefix_only = prefix_only_mentions(text, is_reply, ment["row"], ment["handle"])
        not_rt = ~is_rt[ment["row"].to_numpy()]
        ment, prefix_only = ment[not_rt], prefix_only[not_rt]
        # every target handle once, coded: the book resolves each distinct handle once
        handles = pc.dictionary_encode(pa.chunked_array(
            [as_arrow(rt.dropna()), as_arrow(reply.dropna()), as_arrow(ment["handle"])],
            type=pa.string()).combine_chunks())
        targets = pd.Series(pd.arrays.ArrowStringArray(handles.dictionary), dtype=_STR)
        book.add(pd.Series(pd.NA, index=targets.index, dtype="string"), targets,
                 order=np.full(len(targets), -1.0))
        book.finish()
        book.accounts["location"] = _latest_locations(book, frame, when_ns, uid_codes)
        author = _authors(book, frame["user_id_str"], frame["username"])
        kind = pd.Categorical.from_codes(  # categorical from the start: no string hashing
            np.where(is_rt, 2, np.where(is_reply, 1, 0)).astype(np.int8)
            [by_time], ["original", "reply", "repost"])
        columns = post_columns.result()
    # --- interactions (rules 1, 3-8), on integer codes -------------------------------------
    # handle codes (rule 6 compares handles) and account codes (positions in the book)
    hcode = np.asarray(handles.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    known = as_arrow(book.accounts["account_id"])
    resolved = as_arrow(book.resolve(handles=targets))
    target_of = _index_in(resolved, known)  # account code of each distinct handle
    author_code = _index_in(as_arrow(author), known)
    refs_known = bool((author_code >= 0).all())
    n_rt, n_reply = int(is_rt.sum()), int(reply.notna().sum())
    rows_rt = np.flatnonzero(is_rt)
    rows_reply = np.flatnonzero(reply.notna().to_numpy(bool))
    reply_h = np.full(len(frame), -1, dtype=np.int64)
    reply_h[rows_reply] = hcode[n_rt:n_rt + n_reply]
    m = ~is_rt[rows_reply]
    h_reply = hcode[n_rt:n_rt + n_reply][m]
    rows_reply = rows_reply[m]
    rows_ment = ment["row"].to_numpy(np.int64)
    h_ment = hcode[n_rt + n_reply:]
    m = h_ment != reply_h[rows_ment]
    rows_ment, h_ment, prefix_only = rows_ment[m], h_ment[m], prefix_only[m]
    # --- reply parents: stated nowhere in tweet-harvest, inferred (Notes) -----------------
    reply_target = np.full(len(frame), -1, dtype=np.int64)
    reply_target[rows_reply] = target_of[h_reply]
    parent, inferred = _infer_parents(frame, is_reply, reply_target, author_code, is_rt,
                                      when_ns, post_id=post_id, id_num=id_num,
                                      conv=(conv, conv_ok), by_time=by_time)
    report.count("parents_inferred", int(inferred.sum()))
    posts = pd.DataFrame({
        "post_id": columns.pop("post_id"), "author_id": author.array.take(by_time),
        "created_at": columns.pop("created_at"), "kind": kind,
        "parent_post_id": pd.arrays.ArrowStringArray(parent.take(pa.array(by_time))),
        "parent_inferred": pd.array(inferred[by_time], dtype="boolean"),
        **columns})
    del columns
    row = np.concatenate([rows_rt, rows_reply, rows_ment])
    tgt = target_of[np.concatenate([hcode[:n_rt], h_reply, h_ment])]
    kind_code = np.repeat(np.array([2, 1, 0], dtype=np.int8),
                          [len(rows_rt), len(rows_reply), len(rows_ment)])
    from_prefix = np.concatenate([np.zeros(len(rows_rt) + len(rows_reply), bool), prefix_only])
    # rules 3 and 4 and the final order on the codes: every string column is built once
    keep = act_rows(author_code[row], tgt, row, kind_code, when_ns[row])
    n_prefix = int(from_prefix[keep].sum())
    report.count("reply_prefix_mentions", n_prefix)
    if not reply_prefix_mentions:
        report.count("reply_prefix_mentions_dropped", n_prefix)
        keep = keep[~from_prefix[keep]]
    row, tgt, kind_code = row[keep], tgt[keep], kind_code[keep]
    kinds = pd.Categorical.from_codes(kind_code, ["mention", "reply", "repost"])
    inter = pd.DataFrame({
        "source_id": pd.arrays.ArrowStringArray(known.take(_codes(author_code[row]))),
        "target_id": pd.arrays.ArrowStringArray(known.take(_codes(tgt))),
        "kind": kinds,
        "created_at": frame["_when"].array.take(row),
        "post_id": post_id.array.take(row)})
    _warn_missing_handles(report, book, frame, file_codes[~dup] if dup.any() else file_codes,
                          files)
    del frame, text, rt, reply, ment, author, post_id, targets
    del order, reply_h, keep, handles, hcode, row, tgt, when_ns, by_time
    # authors, sources and targets are all accounts of the book when every author resolved
    return assemble("twitter", book, posts, inter, report, meta, validate=validate,
                    rules_applied=True, refs_known=refs_known)


def _valid_rows(report, frame, excel) -> pd.DataFrame:
    """The rows of ``frame`` that are not malformed (rule 10), id columns stripped, times in
    ``_when``, counts parsed; the others are reported with the reason (Excel and spreadsheet
    damage named as such)."""
    # the id columns stripped once: every check and key below reads them so
    for col in _ID_COLUMNS:
        frame[col] = frame[col].str.strip()
    idv = frame["id_str"]
    bad_id = ~all_digits(idv)
    if bad_id.any():
        sci = idv.str.contains(r"[eE]\+|\.", regex=True).fillna(False).to_numpy(bool)
        cell = (idv == _XLSX_NUMBER_ID).fillna(False).to_numpy(bool)
        reason = pd.Series(np.where(
            cell, "id_str is stored as a number in the spreadsheet, which keeps only 15 "
                  "significant digits; the id cannot be recovered, use the original CSV",
            np.where(sci, "id_str was turned into a number (file re-saved by Excel?); the id "
                          "cannot be recovered, use the original CSV",
                     "id_str is missing or not a number")), index=frame.index)
        frame = drop_malformed(report, frame, bad_id, reason)
    frame = _rounded_ids(report, frame, excel or {})
    when = times_or_nat(parse_twitter_time, frame["created_at"])
    bad_t = when.isna().to_numpy(bool)
    frame = frame.assign(_when=when)
    if bad_t.any():
        date_cell = (frame["created_at"] == _XLSX_DATE).fillna(False).to_numpy(bool)
        reason = pd.Series(np.where(
            date_cell, "created_at was turned into a spreadsheet date, which has no time zone: "
                       "use the original CSV or XLSX",
            "created_at is not 'Wed Nov 27 05:06:26 +0000 2024' nor ISO 8601 UTC "
            f"{TIME_RANGE}"),
            index=frame.index)
        frame = drop_malformed(report, frame, bad_t, reason)
    uid = frame["user_id_str"]
    uid = uid.mask(uid == "")
    frame["user_id_str"] = uid
    username = lower_handle(frame["username"]).astype("string")
    frame["username"] = _handles_from_urls(username, frame["tweet_url"], frame["id_str"])
    no_author = (uid.isna() & frame["username"].isna()).to_numpy(bool)
    bad_uid = uid.notna().to_numpy(bool) & ~all_digits(uid)
    frame = drop_malformed(report, frame, no_author | bad_uid,
                           "no author: user_id_str and username are empty or not valid")
    frame = _bad_counts(report, frame)
    return frame


_ID_COLUMNS = ("id_str", "user_id_str", "conversation_id_str")


def _rounded_ids(report, frame, excel) -> pd.DataFrame:
    """Rows whose ids a spreadsheet rounded are malformed, never loaded with a wrong id.

    A spreadsheet keeps 15 significant digits, so a 19-digit tweet id that went through one
    comes back as ``1861555827635450000``: digits past the 15th are all zero. A genuine id
    ends so once in 10^(digits - 15). Such an id is taken as rounded when its file was
    re-saved by a spreadsheet (an unquoted or ``;`` header, see :func:`_read_file`), or when
    at least three of the file's long ids and more than half of them look rounded.
    """
    if not len(frame):
        return frame
    fcol = frame["_file"]
    if isinstance(fcol.dtype, pd.CategoricalDtype):
        codes, names = np.asarray(fcol.cat.codes, dtype=np.int64), list(fcol.cat.categories)
    else:
        codes, names = pd.factorize(fcol.to_numpy(object))
        names = list(names)
    bad = np.zeros(len(frame), dtype=bool)
    reason = np.empty(len(frame), dtype=object)
    for col in _ID_COLUMNS:
        v = frame[col]  # stripped by _build
        ends0 = np.flatnonzero(v.str.endswith("0").fillna(False).to_numpy(bool))
        if not len(ends0):  # a rounded id ends in zeros
            continue
        zero_tail = np.zeros(len(frame), dtype=bool)  # 16+ digits, zeros past the 15th
        zero_tail[ends0] = v.iloc[ends0].str.fullmatch(r"\d{15}0+").fillna(False).to_numpy(bool)
        if not zero_tail.any():
            continue
        hit = np.zeros(len(frame), dtype=bool)
        for code in pd.unique(codes[zero_tail]):
            f = names[code]
            in_file = codes == code
            n_zero = int((zero_tail & in_file).sum())
            resaved = excel.get(f, False)
            if not resaved and n_zero < 3:
                continue
            # the long ids of the file, counted only as far as the decision needs
            n_long = _count_long(v, np.flatnonzero(in_file),
                                 enough=None if resaved else 2 * n_zero)
            if resaved or 2 * n_zero > n_long:
                hit |= zero_tail & in_file
                report.warn(f, f"{n_zero} of {n_long} long ids in {col} end in zeros past the "
                            "15th digit: the file went through a spreadsheet, which rounds "
                            "ids to 15 significant digits.",
                            affects="every row with such an id (reported as malformed)",
                            fix="load the crawl's original CSV, or open CSVs in a spreadsheet "
                                "only with the id columns imported as text")
        new = hit & ~bad
        reason[new] = (f"{col} has only 15 significant digits (a spreadsheet rounded it); "
                       "the id cannot be recovered, use the original CSV")
        bad |= hit
    if bad.any():
        return drop_malformed(report, frame, bad, pd.Series(reason, index=frame.index))
    return frame


def _count_long(values: pd.Series, rows: np.ndarray, *, enough=None) -> int:
    """How many of ``values`` at ``rows`` are 16 or more digits; with ``enough``, counted in
    blocks and stopped once the count reaches it (the caller then needs no more)."""
    count, step = 0, 1 << 16
    for start in range(0, len(rows), step):
        part = values.iloc[rows[start:start + step]]
        count += int(part.str.fullmatch(r"\d{16,}").fillna(False).to_numpy(bool).sum())
        if enough is not None and count >= enough:
            break
    return count


def _handles_from_urls(username, url, ids) -> pd.Series:
    """``username``, with the handle of ``https://x.com/<handle>/status/<id_str>`` where the
    username is empty and the url names a handle (not ``undefined`` or ``i``)."""
    missing = username.isna().to_numpy(bool) & url.notna().to_numpy(bool)
    if not missing.any():
        return username
    sub = url[missing].str.extract(
        r"^https?://(?:www\.)?(?:x|twitter)\.com/([A-Za-z0-9_]{1,15})/status/(\d+)")
    ok = (sub[1] == ids[missing]).fillna(False) & ~sub[0].str.lower().isin(
        ["undefined", "i"]).fillna(True)
    if not ok.any():
        return username
    out = username.copy()
    idx = np.flatnonzero(missing)[ok.to_numpy(bool)]
    out.iloc[idx] = sub[0][ok].str.lower().to_numpy()
    return out


def _bad_counts(report, frame) -> pd.DataFrame:
    """Rows whose counts are not counts (:data:`~kopiresearch.io._common.COUNT_RULE`) are
    malformed, the message naming the column and the value, so a count never wraps or
    rounds; the count columns of the rest are ``Int64``."""
    bad = np.zeros(len(frame), dtype=bool)
    reason = np.empty(len(frame), dtype=object)
    parsed = {}
    for col in _COUNTS:
        parsed[col], wrong = parse_counts(frame[col])
        new = wrong & ~bad
        if new.any():
            values = frame[col].to_numpy(object)[new]
            reason[new] = [f"{col} {v!r} is not a count ({COUNT_RULE})" for v in values]
            bad |= new
    frame = frame.assign(**parsed)  # parsed once: the posts table takes them as they are
    if bad.any():
        return drop_malformed(report, frame, bad, pd.Series(reason, index=frame.index))
    return frame


def _colliding_copies(report, frame, dup):
    """Later copies of an id whose ``created_at`` differs from the first copy are malformed:
    one tweet has one time, so the ids collided (rounded, or the file is corrupt)."""
    ids = frame["id_str"].to_numpy(object)
    ns = np.asarray(frame["_when"].array.asi8, dtype=np.int64)
    code = pd.factorize(ids)[0]
    first = np.full(code.max() + 1, -1, dtype=np.int64)
    first_pos = np.flatnonzero(~dup)
    first[code[first_pos]] = first_pos
    ref = first[code]
    clash = dup & (ns != ns[ref])
    if not clash.any():
        return frame, dup
    lines = frame["_line"].to_numpy(np.int64)
    reason = pd.Series([f"id_str repeats the id of line {lines[r]} with another created_at: "
                        "ids collided (rounded by a spreadsheet?)" if c else None
                        for c, r in zip(clash, ref, strict=True)], index=frame.index)
    keep = ~clash
    frame = drop_malformed(report, frame, clash, reason)
    return frame, dup[keep]


def _file_codes(files_col, files) -> np.ndarray:
    """Position in ``files`` of each row's ``_file`` (-1 if absent)."""
    order = list(dict.fromkeys(files))
    if isinstance(files_col.dtype, pd.CategoricalDtype):
        pos = np.array([order.index(c) if c in order else -1
                        for c in files_col.cat.categories] + [-1], dtype=np.int64)
        return pos[np.asarray(files_col.cat.codes, dtype=np.int64)]
    return pd.Categorical(files_col.to_numpy(object), categories=order).codes.astype(np.int64)


def _reply_targets(frame, text, is_rt, report):
    """``(handle, is_reply)``: the replied-to handle of each row and whether it is a reply.

    From 2.5 on, ``in_reply_to_screen_name`` says both. Files before 2.5 have no such column:
    there a row whose ``conversation_id_str`` differs from its ``id_str`` is a reply (the
    thread root has its own id as conversation; originals, quotes and retweets too), and its
    target is the leading ``@handle`` of the text when the text starts with one (X puts the
    replied-to handle first), else unknown.
    """
    reply = lower_handle(frame["in_reply_to_screen_name"].fillna(""))
    is_reply = reply.notna().to_numpy(bool) & ~is_rt
    old = ~frame["_reply_column"].to_numpy(bool)
    if old.any():
        conv = frame["conversation_id_str"].str.strip()
        inferred = (old & ~is_rt & all_digits(conv)
                    & (conv != frame["id_str"]).fillna(False).to_numpy(bool))
        if inferred.any():
            lead = text[inferred].str.extract(r"^@([A-Za-z0-9_]+)", expand=False).str.lower()
            reply = reply.copy()
            reply.iloc[np.flatnonzero(inferred)] = lead.to_numpy(object)
            is_reply = is_reply | inferred
            report.count("replies_inferred", int(inferred.sum()))
    return reply.astype(_STR), is_reply


def _latest_locations(book, frame, when_ns, uid_codes=None) -> np.ndarray:
    """The profile location of each account of ``book`` (raw text, from its latest row with
    a non-empty location, ties in input order; missing otherwise). Only authors with an id
    have one. ``uid_codes``: :func:`_id_codes` of ``frame["user_id_str"]``, when the caller
    has them."""
    loc = frame["location"].str.strip()
    ok = (loc.notna() & (loc != "") & frame["user_id_str"].notna()).to_numpy(bool)
    out = np.full(len(book.accounts), None, dtype=object)
    if not ok.any():
        return out
    rows = np.flatnonzero(ok)
    rank = np.empty(len(rows), dtype=np.int64)  # time order, ties in input order
    rank[np.argsort(when_ns[rows], kind="stable")] = np.arange(len(rows))
    codes = (_id_codes(frame["user_id_str"]) if uid_codes is None else uid_codes)[rows]
    best = np.full(int(codes.max(initial=-1)) + 1, -1, dtype=np.int64)
    np.maximum.at(best, codes, rank)
    pick = rows[np.argsort(rank)[best[best >= 0]]]
    take = pa.array(pick, type=pa.int64())
    uids = as_arrow(frame["user_id_str"]).take(take).to_numpy(zero_copy_only=False)
    got = pd.Series(as_arrow(loc).take(take).to_numpy(zero_copy_only=False),
                    index=pd.Index("twitter:" + pd.Index(uids, dtype=object), dtype=object))
    idx = got.index.get_indexer(book.accounts["account_id"].to_numpy(object))
    out[idx >= 0] = got.to_numpy(object)[idx[idx >= 0]]
    return out


def _infer_parents(frame, is_reply, reply_target, author_code, is_rt, when_ns, *,
                   post_id=None, id_num=False, conv=None, by_time=None):
    """``(parent post id, inferred)`` of each row (the rule: see read_tweet_harvest): the
    parents as an Arrow string array (null: none), ``inferred`` as booleans.

    Within the reply's conversation, the latest earlier post (by time, then by id) whose
    author is the replied-to account; else the conversation root. Reposts are never parents
    (a reply to a retweet answers the original). Done as one as-of join on integer codes;
    the ids are taken from ``post_id`` (``"twitter:" + id_str``) and the stripped
    conversation ids in Arrow. ``id_num``: :func:`_exact_ints` of ``id_str``, ``conv``:
    :func:`_conversations` of the frame and ``by_time``: the stable sort of ``when_ns``,
    when the caller has them.
    """
    n = len(frame)
    inferred = np.zeros(n, dtype=bool)
    conv, conv_ok = _conversations(frame) if conv is None else conv
    query = np.flatnonzero(is_reply & conv_ok)
    if not len(query):
        return pa.nulls(n, pa.string()), inferred
    conv_code = _id_codes(conv.where(conv_ok), digits=True)  # -1: missing or not an id
    ids = _exact_ints(frame["id_str"]) if id_num is False else id_num
    tie = ids if ids is not None else np.arange(n, dtype=np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[_time_then(when_ns, tie, by_time)] = np.arange(n, dtype=np.int64)
    width = int(author_code.max(initial=0)) + 2
    cand = np.flatnonzero(conv_ok & ~is_rt & (author_code >= 0))
    tq = reply_target[query]
    q, pos = _latest_before(conv_code[cand] * width + author_code[cand], rank[cand], cand,
                            np.where(tq >= 0, conv_code[query] * width + tq, -1),
                            rank[query], query)
    found = pos >= 0
    conv_a = as_arrow(conv)
    root = q[~found]
    root_take = pa.array(root, type=pa.int64())
    differs = pc.not_equal(conv_a.take(root_take), as_arrow(frame["id_str"]).take(root_take))
    root = root[np.asarray(differs.to_numpy(zero_copy_only=False), dtype=bool)]
    # each parent as a position in [post ids of the rows, "twitter:" + conversation ids]
    choice = np.full(n, -1, dtype=np.int64)
    choice[q[found]] = pos[found].astype(np.int64)
    choice[root] = n + root
    inferred[q[found]] = True
    inferred[root] = True
    pid = as_arrow(post_id if post_id is not None else "twitter:" + frame["id_str"])
    roots = pc.binary_join_element_wise(pa.scalar("twitter:"), conv_a, "")
    both = pa.chunked_array([pid, roots], type=pa.string()).combine_chunks()
    return both.take(_codes(choice)), inferred


def _time_then(when_ns, tie, by_time=None) -> np.ndarray:
    """``np.lexsort((tie, when_ns))``: the order by time, then by ``tie``. ``by_time`` (the
    stable sort by time alone) is that order already when ``tie`` does not decrease within
    any run of equal times (e.g. ids in input order), which one pass checks."""
    if by_time is not None and len(by_time):
        w, t = when_ns[by_time], tie[by_time]
        if not ((w[1:] == w[:-1]) & (t[1:] < t[:-1])).any():
            return by_time
    return np.lexsort((tie, when_ns))


def _latest_before(cand_key, cand_rank, cand_pos, query_key, query_rank, query_pos):
    """``(q, pos)``: for each query, in order of rank, the position of the candidate with
    the same key and the largest rank below the query's (-1: none). Keys are >= 0 (a
    negative query key matches nothing); ranks are distinct integers >= 0.

    The as-of join ``pandas.merge_asof(queries, candidates, on="rank", by="key",
    allow_exact_matches=False)``, done as one sort of both by (key, rank, queries first)
    and a running maximum of the candidates' places in it.
    """
    q_order = np.argsort(query_rank, kind="stable")
    q = query_pos[q_order]
    pos = np.full(len(q), -1, dtype=np.int64)
    keyed = np.flatnonzero(query_key[q_order] >= 0)  # the queries that can match
    if not len(keyed) or not len(cand_key):
        return q, pos
    key = np.concatenate([cand_key, query_key[q_order][keyed]]).astype(np.int64)
    rank = np.concatenate([cand_rank, query_rank[q_order][keyed]]).astype(np.int64)
    is_cand = np.zeros(len(key), dtype=np.int64)
    is_cand[:len(cand_key)] = 1
    span = int(rank.max()) + 1
    if float(key.max()) * 2 * span + 2 * span < 2.0**62:  # one int64 sort key
        order = np.argsort((key * span + rank) * 2 + is_cand, kind="stable")
    else:
        order = np.lexsort((is_cand, rank, key))
    place = np.where(is_cand[order] == 1, np.arange(len(order)), -1)
    last = np.maximum.accumulate(place)  # the latest candidate at or before each place
    at_query = np.flatnonzero(is_cand[order] == 0)
    prev = last[at_query]
    hit = prev >= 0
    hit[hit] = key[order[prev[hit]]] == key[order[at_query[hit]]]
    which = order[at_query] - len(cand_key)  # position among the keyed queries
    pos[keyed[which[hit]]] = cand_pos[order[prev[hit]]]
    return q, pos


def _warn_missing_handles(report, book, frame, file_codes, files) -> None:
    """Warn, per file, when authors are known by id only (tweet-harvest up to 2.6.1 run
    since 2025 writes empty ``username`` and ``x.com/undefined/status/...`` urls).

    Handles are linked to ids wherever any row of the load gives both (another file, a later
    crawl, a url); the authors still without a handle make reply and mention targets (known
    by handle only) impossible to match to authors.
    """
    raw_missing = frame["username"].isna().to_numpy(bool) & frame["user_id_str"].notna(
    ).to_numpy(bool)
    if not raw_missing.any():
        return
    acc = book.accounts.set_index("account_id")["handle"]
    ids = ("twitter:" + frame["user_id_str"]).to_numpy(object)
    for i, f in enumerate(files):
        rows = raw_missing & (file_codes == i)
        if not rows.any():
            continue
        authors = pd.unique(ids[rows])
        linked = int(acc.reindex(authors).notna().sum())
        unlinked = len(authors) - linked
        report.count("handles_linked", linked)
        if unlinked == 0:
            continue
        n_rows = int(((file_codes == i)).sum())
        report.warn(
            f, f"{int(rows.sum())} of {n_rows} rows have no author handle (empty username, "
               f"tweet_url like x.com/undefined/status/...): {unlinked} author ids have no "
               f"handle in any file of this load ({linked} linked from other rows or files). "
               "Reply and mention targets are known by handle only, so these authors never "
               "match the accounts they are addressed as.",
            affects="reciprocity, responsiveness, brokerage, communities and every measure "
                    "that joins a reply or mention target to its author",
            fix="re-crawl with tweet-harvest 2.7 or later (it writes usernames again), or "
                "load another crawl that names these ids, or give each user_id_str its "
                "handle in a labels file keyed by account_id")


def _conversations(frame: pd.DataFrame):
    """``(conversation ids, which are ids)``: the ``conversation_id_str`` column (stripped
    by :func:`_build`) as the posts and the reply parents read it."""
    conv = frame["conversation_id_str"]
    return conv, all_digits(conv)


def _post_columns(frame: pd.DataFrame, post_id: pd.Series, by_time: np.ndarray,
                  conv=None, conv_ok=None) -> dict:
    """The columns of the posts table that need no account, in the order ``by_time``:
    ``post_id``, ``created_at``, ``text`` (entities unescaped, empty text missing), ``url``
    and the four counts. Reads ``frame`` only (it runs beside the main thread); ``conv``
    and ``conv_ok``: :func:`_conversations` of it, when the caller has them."""
    text = frame["full_text"]
    has_amp = text.str.contains("&", regex=False).fillna(False).to_numpy(bool)
    if has_amp.any():
        text = text.copy()
        text[has_amp] = frame["full_text"][has_amp].map(html.unescape)
    empty = (text == "").fillna(False).to_numpy(bool)
    if empty.any():
        text = text.mask(empty)
    url = frame["tweet_url"]
    if conv is None:
        conv, conv_ok = _conversations(frame)
    conv = ("twitter:" + conv).where(conv_ok)
    columns = {
        "post_id": post_id, "created_at": frame["_when"], "text": text,
        "url": url.mask(url == ""), "conversation_id": conv.astype(_STR),
        "like_count": frame["favorite_count"],
        "reply_count": frame["reply_count"],
        "repost_count": frame["retweet_count"],
        "quote_count": frame["quote_count"],
    }
    return {name: values.array.take(by_time) for name, values in columns.items()}


def _index_in(values: pa.Array, known: pa.Array) -> np.ndarray:
    """Position of each value in ``known`` (unique strings); -1 where missing or absent."""
    found = pc.fill_null(pc.index_in(values, value_set=known), -1)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)


def _codes(codes: np.ndarray) -> pa.Array:
    """Take indices for Arrow: a negative code (not found) takes a null."""
    return pa.array(codes, mask=codes < 0)


def _last_of_each_pair(uids: pd.Series, handles: pd.Series, order: np.ndarray,
                       by_order=None, uid_codes=None) -> np.ndarray:
    """Positions of the rows :class:`AccountBook` can tell apart, in input order.

    The book keeps, per handle and per id, the row that comes last when sorted stably by
    ``order``; that row is the last one of its (id, handle) pair, so the other rows of each
    pair change nothing. Dropping them first saves the book a million-row sort. The pairs
    are compared as integer codes (accounts are far fewer than rows). ``by_order`` is that
    stable sort, when the caller has it, and ``uid_codes`` the :func:`_id_codes` of
    ``uids``.
    """
    pos = np.argsort(order, kind="stable") if by_order is None else by_order
    u = _id_codes(uids) if uid_codes is None else uid_codes
    h = _small_codes(handles)
    pair = (u + 1) * (int(h.max(initial=0)) + 2) + (h + 1)  # one int64 per (id, handle)
    return np.sort(pos[~pd.Series(pair[pos]).duplicated(keep="last").to_numpy(bool)])


def _small_codes(values: pd.Series) -> np.ndarray:
    """Integer codes of a string column with few distinct values (missing: -1)."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        enc = pc.dictionary_encode(as_arrow(values))
        return np.asarray(pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False),
                          dtype=np.int64)
    return pd.factorize(np.asarray(values, dtype=object))[0].astype(np.int64)


def _id_codes(ids: pd.Series, *, digits=False) -> np.ndarray:
    """:func:`_small_codes` of digit-string ids, hashed as integers when every id converts
    exactly (see :func:`_exact_ints`); the codes differ, equality is the same."""
    numbers = _exact_ints(ids, digits=digits)
    if numbers is None:
        return _small_codes(ids)
    return pd.factorize(numbers, use_na_sentinel=True)[0].astype(np.int64)


def _exact_ints(ids: pd.Series, *, digits=False):
    """The ids as int64 (missing: -1) if every present one is digits without a leading zero
    and fits int64, so that equal numbers mean equal strings; else None.

    ``digits=True``: the caller has checked that every present id matches ``\\d+``
    (``.str.fullmatch``), so the ``[0-9]`` pattern is not matched again: a digit of another
    script (which ``\\d`` accepts) makes the cast to int64 fail, and the result is None
    as without the flag.
    """
    digits = digits and isinstance(ids.dtype, pd.StringDtype) and (
        ids.dtype.storage == "pyarrow")
    arr = as_arrow(ids)
    present = arr.drop_null()
    if not len(present):
        return None
    length = pc.utf8_length(present)
    exact = pc.and_(pc.less_equal(length, 19), pc.or_(
        pc.equal(length, 1), pc.invert(pc.starts_with(present, "0"))))
    if not (pc.all(exact).as_py()
            and (digits or pc.all(pc.match_substring_regex(present, "^[0-9]+$")).as_py())):
        return None
    try:  # 19 digits may overflow int64
        numbers = pc.cast(arr, pa.int64())
    except pa.ArrowInvalid:
        return None
    return np.asarray(pc.fill_null(numbers, -1).to_numpy(zero_copy_only=False),
                      dtype=np.int64)


def _duplicated_ids(ids: pd.Series, numbers=False) -> np.ndarray:
    """``ids.duplicated(keep="first")`` for digit strings, compared as integers when every id
    converts exactly (:func:`_exact_ints`, or ``numbers`` when the caller has them);
    otherwise as strings."""
    if numbers is False:
        numbers = _exact_ints(ids) if not ids.hasnans else None
    if numbers is None:
        return ids.duplicated(keep="first").to_numpy(bool)
    return pd.Series(numbers).duplicated(keep="first").to_numpy(bool)


def _retweeted(text: pd.Series, scan=None) -> pd.Series:
    """Lower-case handle of ``RT @handle:`` at the start of each text, else missing.

    Read from the mention spans of :func:`~kopiresearch.io._common.mention_spans`: the
    ``@`` at byte 3 of a text starting ``RT @`` begins a mention (a space precedes it), and
    it is a retweet when the handle is followed by ``:``.
    """
    scan = mention_spans(text) if scan is None else scan
    if scan is False:
        return _retweeted_slow(text)
    buf, off, row, start, end = scan
    first = start == off[row] + 3
    first[first] = (buf[start[first] - 3] == ord("R")) & (buf[start[first] - 2] == ord("T"))
    first[first] = end[first] < off[row[first] + 1]
    first[first] = buf[end[first]] == ord(":")
    handles = span_strings(buf, start[first] + 1, end[first])
    values = pa.nulls(len(text), pa.string())
    values = pc.replace_with_mask(values, _mask(len(text), row[first]), handles)
    return pd.Series(pd.arrays.ArrowStringArray(values), index=text.index, dtype=_STR)


def _retweeted_slow(text: pd.Series) -> pd.Series:
    return text.str.extract(RETWEET_PREFIX.pattern, expand=False).str.lower()


def _authors(book, uids: pd.Series, handles: pd.Series) -> pd.Series:
    """``book.resolve(uids=..., handles=...)`` as a string Series, built in Arrow.

    ``uids`` are already stripped with empty values missing: a row with an id gets
    ``twitter:<id>``; only the rows without one are resolved by handle.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (isinstance(uids.dtype, pd.StringDtype) and uids.dtype.storage == "pyarrow"):
        return _authors_slow(book, uids, handles)
    arr = pa.array(uids.array)
    arr = arr.cast(pa.string()) if arr.type != pa.string() else arr
    out = pc.binary_join_element_wise(pa.scalar(book.platform + ":"), arr, "")
    missing = np.flatnonzero(uids.isna().to_numpy(bool))
    if len(missing):
        by_handle = book.resolve(handles=handles.iloc[missing]).to_numpy(object)
        values = out.to_numpy(zero_copy_only=False).astype(object)
        values[missing] = by_handle
        return pd.Series(values, index=uids.index, dtype=_STR)
    return pd.Series(pd.arrays.ArrowStringArray(out), index=uids.index, dtype=_STR)


def _authors_slow(book, uids, handles):
    return book.resolve(uids=uids, handles=handles).astype("string")


def _mask(n: int, positions: np.ndarray) -> pa.Array:
    m = np.zeros(n, dtype=bool)
    m[positions] = True
    return pa.array(m)
