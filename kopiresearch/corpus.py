"""The canonical tables (accounts, posts, interactions), the Corpus and the LoadReport.

This module is the contract between all other modules: loaders produce a :class:`Corpus`,
analyses consume one. The schemas below are the single source of truth for column names,
dtypes and categories; :func:`Corpus.validate` checks a corpus against them.

Identifiers are strings qualified by platform (``"twitter:1234"``), never numbers, so that
they never turn into floats and never collide across platforms. Every timestamp is
timezone-aware UTC (``datetime64[ns, UTC]``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import (
    CategoryError,
    DanglingReferenceError,
    DtypeError,
    DuplicateIdError,
    KopiresearchError,
    MissingColumnError,
    SchemaError,
    TimezoneError,
)
from .regions import PROVINCE_CODE

__all__ = [
    "ACTOR_TYPES",
    "GOVERNMENT_TYPES",
    "PLATFORMS",
    "POST_KINDS",
    "INTERACTION_KINDS",
    "PROVINCE_CODE",
    "DERIVED_COUNTS",
    "SCHEMAS",
    "COLUMN_DEFAULTS",
    "Column",
    "Corpus",
    "FileCounts",
    "LoadReport",
    "LoadWarning",
    "MalformedRow",
    "empty_table",
    "coerce_table",
    "validate_table",
]

#: Kinds of account. ``government_*`` are public offices; ``unknown`` is for accounts a
#: crawl saw but nobody labelled.
ACTOR_TYPES = (
    "government_province",
    "government_regency",
    "government_other",
    "media",
    "influencer",
    "academic",
    "community",
    "citizen",
    "unknown",
)
GOVERNMENT_TYPES = ("government_province", "government_regency", "government_other")
PLATFORMS = ("twitter", "instagram", "facebook", "tiktok", "youtube", "synthetic")
POST_KINDS = ("original", "reply", "repost", "quote", "comment")
INTERACTION_KINDS = ("mention", "reply", "repost", "quote", "comment", "tag")

_UTC = pd.DatetimeTZDtype("ns", "UTC")
_STR = pd.StringDtype()


@dataclass(frozen=True)
class Column:
    """One column of a canonical table.

    ``dtype`` is the pandas dtype the column is coerced to; ``required`` columns must be
    present in the input; ``nullable`` columns may hold missing values; ``categories`` (for
    categorical columns) lists the allowed values.
    """

    name: str
    dtype: object
    description: str
    required: bool = True
    nullable: bool = False
    categories: tuple | None = None


def _cat(values):
    return pd.CategoricalDtype(list(values), ordered=False)


#: Index name and columns of each canonical table.
SCHEMAS: dict[str, tuple[str | None, tuple[Column, ...]]] = {
    "accounts": (
        "account_id",
        (
            Column("platform", _cat(PLATFORMS), "platform the account lives on",
                   categories=PLATFORMS),
            Column("handle", _STR, "lower-case handle without '@'", nullable=True),
            Column("actor_type", _cat(ACTOR_TYPES), "kind of account", categories=ACTOR_TYPES),
            Column("region_code", _STR, "4-digit BPS code of the kabupaten/kota, '35' for "
                   "province-wide, missing when unknown", nullable=True),
            Column("followers", pd.Int64Dtype(), "follower count when known", required=False,
                   nullable=True),
            Column("location", _STR, "the profile's free-text location as the crawl gives it "
                   "(raw, not a region: see label drafting)", required=False, nullable=True),
            Column("partnered", pd.BooleanDtype(), "partnered with government (Kopilaborasi)",
                   required=False),
            Column("account_created_at", _UTC, "when the account was created, UTC, where the "
                   "crawl gives it (twarc2, twarc-csv, snscrape profiles)", required=False,
                   nullable=True),
        ),
    ),
    "posts": (
        "post_id",
        (
            Column("platform", _cat(PLATFORMS), "platform", categories=PLATFORMS),
            Column("author_id", _STR, "account_id of the author"),
            Column("created_at", _UTC, "time of posting, UTC"),
            Column("kind", _cat(POST_KINDS), "original, reply, repost, quote or comment",
                   categories=POST_KINDS),
            Column("parent_post_id", _STR, "post replied to / reposted / quoted / commented on",
                   required=False, nullable=True),
            Column("parent_missing", pd.BooleanDtype(), "the parent is named but not in the "
                   "posts table (deleted, protected or not crawled)", required=False),
            Column("parent_inferred", pd.BooleanDtype(), "parent_post_id was inferred by a "
                   "documented rule (tweet-harvest replies: the crawl names only the replied-to "
                   "handle), not stated by the crawl", required=False),
            Column("conversation_id", _STR, "post id of the conversation (thread) root, "
                   "platform-qualified, as the crawl states it", required=False, nullable=True),
            Column("text", _STR, "text of the post", required=False, nullable=True),
            Column("url", _STR, "permalink", required=False, nullable=True),
            Column("like_count", pd.Int64Dtype(), "likes when known", required=False,
                   nullable=True),
            Column("reply_count", pd.Int64Dtype(), "replies/comments when known", required=False,
                   nullable=True),
            Column("repost_count", pd.Int64Dtype(), "reposts/shares when known", required=False,
                   nullable=True),
            Column("quote_count", pd.Int64Dtype(), "quotes when known", required=False,
                   nullable=True),
            Column("location", _STR, "place tagged on the post (Instagram location name) when "
                   "known", required=False, nullable=True),
            Column("expanded_urls", _STR, "the post's links as the crawl expands them (the "
                   "target of a t.co link), space-separated in order, media links left out; "
                   "missing when the crawl gives none", required=False, nullable=True),
        ),
    ),
    "interactions": (
        None,
        (
            Column("source_id", _STR, "the account that acts"),
            Column("target_id", _STR, "the account acted upon"),
            Column("kind", _cat(INTERACTION_KINDS), "mention, reply, repost, quote, comment or tag",
                   categories=INTERACTION_KINDS),
            Column("created_at", _UTC, "time of the post that contains the act, UTC"),
            Column("post_id", _STR, "the post in which the act happened", nullable=True),
        ),
    ),
}

#: Values of optional columns that a table leaves out (the others default to missing).
COLUMN_DEFAULTS = {"partnered": False, "parent_missing": False, "parent_inferred": False}


def empty_table(name: str) -> pd.DataFrame:
    """An empty canonical table with every column at its dtype.

    Examples
    --------
    >>> list(empty_table("interactions").columns)
    ['source_id', 'target_id', 'kind', 'created_at', 'post_id']
    >>> empty_table("accounts").index.name
    'account_id'
    """
    index_name, columns = SCHEMAS[name]
    frame = pd.DataFrame({c.name: pd.Series([], dtype=c.dtype) for c in columns})
    if index_name is not None:
        frame.index = pd.Index([], dtype=_STR, name=index_name)
    return frame


def coerce_table(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` with the canonical column order and dtypes.

    Missing optional columns are added (``partnered`` and ``parent_missing`` default to
    ``False``, the others to missing). If the index column is a regular column it is moved
    to the index. Timestamps are converted to UTC; naive timestamps are rejected, never
    assumed to be UTC.

    Raises
    ------
    MissingColumnError
        A required column is absent.
    DtypeError, CategoryError, TimezoneError
        A value cannot be converted; the message names the row and column.
    """
    index_name, columns = SCHEMAS[name]
    frame = frame.copy()
    if index_name is not None and index_name in frame.columns:
        frame = frame.set_index(index_name)
    if index_name is not None and frame.index.name != index_name:
        raise MissingColumnError(f"index must be named {index_name!r}, not {frame.index.name!r}",
                                 table=name, column=index_name)
    out = {}
    for col in columns:
        if col.name not in frame.columns:
            if col.required:
                raise MissingColumnError("required column is missing", table=name,
                                         column=col.name, expected=col.description)
            default = COLUMN_DEFAULTS.get(col.name, pd.NA)
            out[col.name] = pd.Series(default, index=frame.index, dtype=col.dtype)
            continue
        out[col.name] = _coerce_column(name, frame, col)
    result = pd.DataFrame(out, index=frame.index)
    if index_name is not None:
        ids = _as_string(name, frame.index.to_series(), index_name)
        result.index = pd.Index(ids, name=index_name)
    else:
        result = result.reset_index(drop=True)
    return result


def _as_string(table, series, column):
    kind = pd.api.types.infer_dtype(series, skipna=True)
    if kind in ("string", "empty"):
        return series.astype(_STR).to_numpy()
    if pd.api.types.is_float_dtype(series.dtype):
        bad = series.notna()
    else:
        bad = series.map(lambda v: isinstance(v, (float, np.floating)) and not pd.isna(v))
    if bad.any():
        row = series.index[np.flatnonzero(bad.to_numpy())[0]]
        raise DtypeError(f"identifier {series[row]!r} is a float; ids must be read as strings "
                         "(use dtype=str)", table=table, row=row, column=column)
    return series.astype(_STR).to_numpy()


def _coerce_column(table, frame, col):
    s = frame[col.name]
    if isinstance(col.dtype, pd.CategoricalDtype):
        values = s.astype("object")
        unknown = ~values.isin(col.categories) & values.notna()
        if unknown.any():
            row = values.index[np.flatnonzero(unknown.to_numpy())[0]]
            raise CategoryError(f"unknown value {values[row]!r}", table=table, row=row,
                                column=col.name, expected="one of " + ", ".join(col.categories))
        return pd.Series(pd.Categorical(values, dtype=col.dtype), index=s.index)
    if isinstance(col.dtype, pd.DatetimeTZDtype):
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            return s.dt.tz_convert("UTC").astype(_UTC)
        if col.nullable and s.isna().all():  # an optional time nobody gave (CSV: empty text)
            return pd.Series(pd.NaT, index=s.index, dtype=_UTC)
        if pd.api.types.is_datetime64_dtype(s.dtype):
            raise TimezoneError("timestamps are naive", table=table, column=col.name,
                                expected="timezone-aware timestamps (UTC)")
        try:
            parsed = pd.to_datetime(s, utc=False, format="ISO8601")
        except (ValueError, TypeError):
            row = _first_bad(s, lambda v: pd.to_datetime(v, format="ISO8601"))
            value = s[row] if row is not None else None
            raise DtypeError(f"cannot parse timestamp {value!r}", table=table, row=row,
                             column=col.name,
                             expected="ISO 8601 with offset, e.g. 2024-11-27T05:06:26Z") from None
        if not isinstance(parsed.dtype, pd.DatetimeTZDtype):
            raise TimezoneError("timestamps have no UTC offset", table=table, column=col.name,
                                expected="timezone-aware timestamps such as 2024-11-27T05:06:26Z")
        return parsed.dt.tz_convert("UTC").astype(_UTC)
    if col.dtype == _STR:
        return pd.Series(_as_string(table, s, col.name), index=s.index, dtype=_STR)
    try:
        return s.astype(col.dtype)
    except (ValueError, TypeError) as exc:
        row = _first_bad(s, lambda v: pd.Series([v]).astype(col.dtype))
        raise DtypeError(f"cannot convert to {col.dtype}: {exc}", table=table, row=row,
                         column=col.name) from None


def _first_bad(series, convert):
    for idx, value in series.items():
        try:
            convert(value)
        except (ValueError, TypeError):
            return idx
    return None


def validate_table(name: str, frame: pd.DataFrame) -> None:
    """Check one table against its schema (columns, dtypes, categories, nulls, unique ids).

    References between tables are checked by :meth:`Corpus.validate`.

    Raises
    ------
    SchemaError
        A subclass naming the table, the row and the column.
    """
    _validate_table(name, frame)


def _validate_table(name: str, frame: pd.DataFrame, unique=None) -> None:
    """:func:`validate_table`; ``unique`` says whether the index is unique when the caller
    has found out already (None: look)."""
    index_name, columns = SCHEMAS[name]
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"must be a pandas DataFrame, not {type(frame).__name__}", table=name)
    if index_name is not None:
        if frame.index.name != index_name:
            raise MissingColumnError(f"index must be named {index_name!r}", table=name,
                                     column=index_name)
        if frame.index.hasnans:
            raise SchemaError("missing identifier", table=name, column=index_name)
        if unique is None:
            unique = _is_unique(frame.index)
        if not unique:
            dup = frame.index.duplicated()
            row = frame.index[np.flatnonzero(dup)[0]]
            raise DuplicateIdError("identifier occurs more than once", table=name, row=row,
                                   column=index_name, expected="unique ids")
    for col in columns:
        if col.name not in frame.columns:
            raise MissingColumnError("column is missing", table=name, column=col.name,
                                     expected=col.description)
        s = frame[col.name]
        if isinstance(col.dtype, pd.DatetimeTZDtype):
            if not isinstance(s.dtype, pd.DatetimeTZDtype):
                raise TimezoneError(f"dtype is {s.dtype}", table=name, column=col.name,
                                    expected="datetime64[ns, UTC]")
            if str(s.dtype.tz) != "UTC":
                raise TimezoneError(f"time zone is {s.dtype.tz}", table=name, column=col.name,
                                    expected="UTC")
        elif isinstance(col.dtype, pd.CategoricalDtype):
            if not isinstance(s.dtype, pd.CategoricalDtype):
                raise DtypeError(f"dtype is {s.dtype}", table=name, column=col.name,
                                 expected="categorical")
            unknown = set(s.cat.categories) - set(col.categories)
            if unknown:
                raise CategoryError(f"unknown categories {sorted(unknown)}", table=name,
                                    column=col.name, expected="one of " + ", ".join(col.categories))
        elif s.dtype != col.dtype:
            raise DtypeError(f"dtype is {s.dtype}", table=name, column=col.name,
                             expected=str(col.dtype))
        if not col.nullable:
            nulls = s.isna().to_numpy()
            if nulls.any():
                row = frame.index[np.flatnonzero(nulls)[0]]
                raise SchemaError("missing value", table=name, row=row, column=col.name,
                                  expected=col.description)
    if name == "accounts":
        _check_region_codes(frame)


def _check_region_codes(accounts):
    from .regions import region_table

    known = set(region_table().index) | {PROVINCE_CODE}
    codes = accounts["region_code"]
    bad = codes.notna() & ~codes.isin(known)
    if bad.any():
        row = accounts.index[np.flatnonzero(bad.to_numpy())[0]]
        raise CategoryError(f"unknown region code {codes[row]!r}", table="accounts", row=row,
                            column="region_code",
                            expected="a 4-digit East Java BPS code (35xx), '35' or missing")


@dataclass(frozen=True)
class MalformedRow:
    """A row a loader could not use: where it is and why."""

    file: str
    line: int | None
    reason: str


@dataclass(frozen=True)
class LoadWarning:
    """Something the input cannot tell, said loudly: which file, what is missing, which
    measures it breaks and what the researcher can do about it."""

    file: str
    problem: str
    affects: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}: {self.problem} Affects: {self.affects}. What to do: {self.fix}"


@dataclass(frozen=True)
class FileCounts:
    """What one input file gave: its rows and the time window of its well-formed rows.

    ``rows_read == loaded + duplicates + malformed``. ``first`` and ``last`` are the
    earliest and latest ``created_at`` (UTC, ISO 8601) of the rows that were loaded or were
    duplicates, so that overlapping and disjoint crawl windows can be seen; ``None`` when
    the file gave no well-formed row.
    """

    file: str
    rows_read: int
    loaded: int
    duplicates: int
    malformed: int
    first: str | None = None
    last: str | None = None


#: Counts of what loaders derived by a documented rule instead of reading it, by name.
DERIVED_COUNTS = {
    "parents_inferred": "reply parents inferred from conversation and handle (tweet-harvest)",
    "replies_inferred": "replies recognised from conversation_id_str != id_str in layouts "
                        "without in_reply_to_screen_name (tweet-harvest before 2.5)",
    "reply_prefix_mentions": "mention edges that came only from the leading @-run of a reply",
    "reply_prefix_mentions_dropped": "of those, left out (reply_prefix_mentions=False)",
    "handles_linked": "author ids whose handle was learnt from another row or file",
}


@dataclass
class LoadReport:
    """What a loader read, kept and skipped, per file, and what the input cannot tell.

    The counts always add up: ``rows_read == loaded + duplicates + len(malformed)``.
    Blank lines and repeated header lines are not rows; they are counted separately.
    ``skipped`` lists inputs that are not rows at all (for example instaloader resume
    files, or a file in a folder that is not a crawl), with the reason. ``warnings`` lists
    what the data cannot tell (:class:`LoadWarning`); ``file_counts`` gives the counts of
    each input file (:class:`FileCounts`); ``derived`` counts what was inferred by a
    documented rule (:data:`DERIVED_COUNTS`).

    Examples
    --------
    >>> r = LoadReport()
    >>> r.add_loaded(3); r.add_duplicate(); r.add_malformed("a.csv", 7, "no created_at")
    >>> r.rows_read, r.loaded, r.duplicates, len(r.malformed)
    (5, 3, 1, 1)
    >>> r.is_consistent
    True
    >>> r.warn("a.csv", "No author handle is known.", affects="reciprocity",
    ...        fix="re-crawl with tweet-harvest 2.7 or later")
    >>> print(r.warnings[0])
    a.csv: No author handle is known. Affects: reciprocity. What to do: re-crawl with
    tweet-harvest 2.7 or later
    """

    rows_read: int = 0
    loaded: int = 0
    duplicates: int = 0
    blank_lines: int = 0
    repeated_headers: int = 0
    malformed: list[MalformedRow] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    skipped: list[MalformedRow] = field(default_factory=list)
    warnings: list[LoadWarning] = field(default_factory=list)
    file_counts: list[FileCounts] = field(default_factory=list)
    derived: dict[str, int] = field(default_factory=dict)

    def add_loaded(self, n: int = 1) -> None:
        """Count ``n`` rows read and loaded."""
        self.rows_read += int(n)
        self.loaded += int(n)

    def add_duplicate(self, n: int = 1) -> None:
        """Count ``n`` rows read and dropped as duplicates of an earlier row."""
        self.rows_read += int(n)
        self.duplicates += int(n)

    def add_malformed(self, file, line, reason: str) -> None:
        """Count one row read and not used, with where it is and why."""
        self.rows_read += 1
        self.malformed.append(MalformedRow(str(file), None if line is None else int(line), reason))

    def warn(self, file, problem: str, *, affects: str, fix: str) -> None:
        """Record what the input cannot tell (once per file and problem)."""
        w = LoadWarning(str(file), problem, affects, fix)
        if w not in self.warnings:
            self.warnings.append(w)

    def count(self, name: str, n: int = 1) -> None:
        """Add ``n`` to the derived count ``name`` (one of :data:`DERIVED_COUNTS`)."""
        if name not in DERIVED_COUNTS:
            raise KeyError(f"unknown derived count {name!r}; known: {sorted(DERIVED_COUNTS)}")
        self.derived[name] = self.derived.get(name, 0) + int(n)

    def add_file_counts(self, file, *, loaded: int, duplicates: int, first=None,
                        last=None) -> None:
        """Record the counts of one input file; its malformed rows are counted from
        :attr:`malformed`, so call this after the file's malformed rows are added."""
        file = str(file)
        malformed = sum(1 for m in self.malformed if m.file == file)
        self.file_counts.append(FileCounts(file, int(loaded) + int(duplicates) + malformed,
                                           int(loaded), int(duplicates), malformed,
                                           _iso(first), _iso(last)))

    @property
    def is_consistent(self) -> bool:
        """Whether rows_read == loaded + duplicates + len(malformed)."""
        return self.rows_read == self.loaded + self.duplicates + len(self.malformed)

    def check(self) -> None:
        """Raise :class:`KopiresearchError` if the counts do not add up."""
        if not self.is_consistent:
            raise KopiresearchError(
                f"load report does not add up: rows_read={self.rows_read} != loaded={self.loaded}"
                f" + duplicates={self.duplicates} + malformed={len(self.malformed)}")

    def __add__(self, other: LoadReport) -> LoadReport:
        if not isinstance(other, LoadReport):
            return NotImplemented
        derived = dict(self.derived)
        for k, v in other.derived.items():
            derived[k] = derived.get(k, 0) + v
        return LoadReport(
            rows_read=self.rows_read + other.rows_read,
            loaded=self.loaded + other.loaded,
            duplicates=self.duplicates + other.duplicates,
            blank_lines=self.blank_lines + other.blank_lines,
            repeated_headers=self.repeated_headers + other.repeated_headers,
            malformed=self.malformed + other.malformed,
            files=self.files + other.files,
            skipped=self.skipped + other.skipped,
            warnings=self.warnings + [w for w in other.warnings if w not in self.warnings],
            file_counts=self.file_counts + other.file_counts,
            derived=derived,
        )

    def malformed_frame(self) -> pd.DataFrame:
        """The malformed rows as a table with columns file, line, reason."""
        return pd.DataFrame([dataclasses.asdict(m) for m in self.malformed],
                            columns=["file", "line", "reason"])

    def files_frame(self) -> pd.DataFrame:
        """One row per input file: rows_read, loaded, duplicates, malformed, first, last.

        Duplicates are counted in the file where the later copy is (files are read in the
        order given, sorted within a folder or pattern). Copies that only :func:`merge`
        finds across loaders of different formats are counted in the totals only.
        """
        cols = ["file", "rows_read", "loaded", "duplicates", "malformed", "first", "last"]
        return pd.DataFrame([dataclasses.asdict(c) for c in self.file_counts], columns=cols)

    def to_dict(self) -> dict:
        """The report as plain JSON-ready values (see :meth:`from_dict`)."""
        return {
            "rows_read": self.rows_read, "loaded": self.loaded,
            "duplicates": self.duplicates, "blank_lines": self.blank_lines,
            "repeated_headers": self.repeated_headers,
            "malformed": [dataclasses.asdict(m) for m in self.malformed],
            "skipped": [dataclasses.asdict(m) for m in self.skipped],
            "files": list(self.files),
            "warnings": [dataclasses.asdict(w) for w in self.warnings],
            "file_counts": [dataclasses.asdict(c) for c in self.file_counts],
            "derived": dict(sorted(self.derived.items())),
        }

    @classmethod
    def from_dict(cls, data: dict) -> LoadReport:
        """The report :meth:`to_dict` gave (older files without the newer keys load too).

        Examples
        --------
        >>> r = LoadReport(rows_read=2, loaded=2)
        >>> r.warn("a.csv", "p", affects="x", fix="y"); r.count("parents_inferred", 2)
        >>> LoadReport.from_dict(r.to_dict()) == r
        True
        """
        return cls(rows_read=data["rows_read"], loaded=data["loaded"],
                   duplicates=data["duplicates"], blank_lines=data["blank_lines"],
                   repeated_headers=data["repeated_headers"],
                   malformed=[MalformedRow(**m) for m in data["malformed"]],
                   skipped=[MalformedRow(**m) for m in data.get("skipped", [])],
                   files=list(data.get("files", [])),
                   warnings=[LoadWarning(**w) for w in data.get("warnings", [])],
                   file_counts=[FileCounts(**c) for c in data.get("file_counts", [])],
                   derived=dict(data.get("derived", {})))

    def summary(self) -> str:
        """A short, deterministic text summary.

        Examples
        --------
        >>> print(LoadReport(rows_read=2, loaded=2).summary())
        rows read 2 = loaded 2 + duplicates 0 + malformed 0; blank lines 0, repeated headers 0
        """
        text = (f"rows read {self.rows_read} = loaded {self.loaded} + duplicates {self.duplicates}"
                f" + malformed {len(self.malformed)}; blank lines {self.blank_lines}, "
                f"repeated headers {self.repeated_headers}")
        if self.skipped:
            text += f"; skipped inputs {len(self.skipped)}"
        if self.warnings:
            text += f"; warnings {len(self.warnings)}"
        return text

    def describe(self, *, max_rows: int = 20) -> str:
        """The whole report as text: the summary, each file's counts and time window, what
        was derived by rule, the warnings, and the malformed rows and skipped inputs (at
        most ``max_rows`` of each, with how many more there are).

        Examples
        --------
        >>> r = LoadReport()
        >>> r.add_loaded(2); r.add_malformed("a.csv", 3, "no created_at")
        >>> r.add_file_counts("a.csv", loaded=2, duplicates=0,
        ...                   first="2024-11-27T01:00:00Z", last="2024-11-27T02:00:00Z")
        >>> r.count("parents_inferred", 1)
        >>> print(r.describe())
        rows read 3 = loaded 2 + duplicates 0 + malformed 1; blank lines 0, repeated headers 0
        file a.csv: rows 3 = loaded 2 + duplicates 0 + malformed 1; 2024-11-27T01:00:00Z to
        2024-11-27T02:00:00Z
        derived: parents_inferred 1
          malformed: a.csv:3: no created_at
        """
        lines = [self.summary()]
        for c in self.file_counts:
            window = f"; {c.first} to {c.last}" if c.first is not None else "; no rows"
            lines.append(f"file {c.file}: rows {c.rows_read} = loaded {c.loaded} + duplicates "
                         f"{c.duplicates} + malformed {c.malformed}{window}")
        if self.derived:
            lines.append("derived: " + ", ".join(f"{k} {v}" for k, v in
                                                 sorted(self.derived.items())))
        for w in self.warnings:
            lines.append(f"WARNING {w}")

        def listed(items, label):
            out = []
            for m in items[:max_rows]:
                where = m.file + (f":{m.line}" if m.line is not None else "")
                out.append(f"  {label}: {where}: {m.reason}")
            if len(items) > max_rows:
                out.append(f"  ... and {len(items) - max_rows} more {label} rows")
            return out

        lines += listed(self.malformed, "malformed")
        lines += listed(self.skipped, "skipped")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _iso(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return value
    ts = pd.Timestamp(value)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Corpus:
    """The three canonical tables plus the report of how they were loaded.

    Parameters
    ----------
    accounts, posts, interactions : pandas.DataFrame
        The canonical tables (see :data:`SCHEMAS`). Build them with :meth:`from_frames`,
        which coerces dtypes and validates.
    report : LoadReport
        How the data were loaded.
    meta : dict
        Free-form provenance (source, generator parameters, ...).

    Examples
    --------
    >>> import pandas as pd
    >>> accounts = pd.DataFrame({"account_id": ["synthetic:1", "synthetic:2"],
    ...     "platform": "synthetic", "handle": ["kominfo_demo", "warga_00001"],
    ...     "actor_type": ["government_regency", "citizen"], "region_code": ["3506", None]})
    >>> posts = pd.DataFrame({"post_id": ["synthetic:p1"], "platform": "synthetic",
    ...     "author_id": ["synthetic:2"], "created_at": ["2024-11-27T05:06:26Z"],
    ...     "kind": ["original"]})
    >>> interactions = pd.DataFrame({"source_id": ["synthetic:2"],
    ...     "target_id": ["synthetic:1"], "kind": ["mention"],
    ...     "created_at": ["2024-11-27T05:06:26Z"], "post_id": ["synthetic:p1"]})
    >>> c = Corpus.from_frames(accounts, posts, interactions)
    >>> c
    Corpus(accounts=2, posts=1, interactions=1)
    >>> str(c.interactions["created_at"].dtype)
    'datetime64[ns, UTC]'
    """

    accounts: pd.DataFrame
    posts: pd.DataFrame
    interactions: pd.DataFrame
    report: LoadReport = field(default_factory=LoadReport)
    meta: dict = field(default_factory=dict)

    @classmethod
    def from_frames(cls, accounts=None, posts=None, interactions=None, report=None, meta=None,
                    *, mark_missing_parents=True, validate=True) -> Corpus:
        """Build a corpus from plain DataFrames, coercing every column to its dtype.

        ``None`` gives an empty table. With ``mark_missing_parents`` (default), posts whose
        ``parent_post_id`` is not in ``posts`` get ``parent_missing=True``.
        """
        tables = {}
        for name, frame in (("accounts", accounts), ("posts", posts),
                            ("interactions", interactions)):
            tables[name] = empty_table(name) if frame is None else coerce_table(name, frame)
        if mark_missing_parents:
            p = tables["posts"]
            has_parent = p["parent_post_id"].notna()
            missing = has_parent & ~ids_in(p["parent_post_id"], p.index)
            p["parent_missing"] = (p["parent_missing"].fillna(False) | missing).astype("boolean")
        corpus = cls(tables["accounts"], tables["posts"], tables["interactions"],
                     report if report is not None else LoadReport(), dict(meta or {}))
        if validate:
            corpus.validate()
        return corpus

    def __repr__(self) -> str:
        return (f"Corpus(accounts={len(self.accounts)}, posts={len(self.posts)}, "
                f"interactions={len(self.interactions)})")

    def validate(self) -> Corpus:
        """Check every table, dtype, category and cross-table reference.

        Checks: each table against its schema (:func:`validate_table`); every post's author
        and every interaction's source and target exist in ``accounts``; every interaction's
        ``post_id`` (when given) exists in ``posts``; every post's parent exists in ``posts``
        or the post is marked ``parent_missing``; a post marked ``parent_missing`` names a
        parent; the load report adds up.

        Returns the corpus itself, so that ``corpus.validate()`` can be chained.

        Raises
        ------
        SchemaError
            A subclass whose message names the table, the row and the column.
        """
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1) as pool:
            # every id look-up hashes its table's ids once (in Arrow, which releases the
            # GIL): the posts' beside the accounts', both beside nothing else; the checks
            # below then read them in the order they always ran, so the first error is the
            # same as checking one thing after another
            posts_look = pool.submit(self._posts_lookup)
            accounts_look = self._accounts_lookup()
            posts_look = posts_look.result()
        unique = {"accounts": accounts_look and accounts_look[0],
                  "posts": posts_look and posts_look[0], "interactions": None}
        for name in ("accounts", "posts", "interactions"):
            _validate_table(name, getattr(self, name), unique=unique[name])
        acc, posts = self.accounts.index, self.posts.index
        a_ok = accounts_look[1] if accounts_look else [None] * 3
        p_ok = posts_look[1] if posts_look else [None] * 2
        inter = self.interactions
        self._check_refs("posts", self.posts["author_id"], acc, "accounts", ok=a_ok[0])
        self._check_refs("interactions", inter["source_id"], acc, "accounts", ok=a_ok[1])
        self._check_refs("interactions", inter["target_id"], acc, "accounts", ok=a_ok[2])
        pid, parent = self._post_refs()
        self._check_refs("interactions", pid, posts, "posts", ok=p_ok[0])
        self._check_refs("posts", parent, posts, "posts", ok=p_ok[1])
        flagged = self.posts["parent_missing"].fillna(False).to_numpy(bool)
        orphan_flag = flagged & self.posts["parent_post_id"].isna().to_numpy()
        if orphan_flag.any():
            row = self.posts.index[np.flatnonzero(orphan_flag)[0]]
            raise SchemaError("marked parent_missing but names no parent", table="posts",
                              row=row, column="parent_post_id")
        self.report.check()
        return self

    def _post_refs(self):
        """The references into ``posts``: interactions' post ids and the parents of posts
        not marked ``parent_missing`` (missing values left out)."""
        pid = self.interactions["post_id"]
        parent = self.posts["parent_post_id"]
        flagged = self.posts["parent_missing"].fillna(False).to_numpy(bool)
        return pid[pid.notna()], parent[parent.notna().to_numpy(bool) & ~flagged]

    def _accounts_lookup(self):
        """``(index unique, [found])`` of authors, sources and targets in ``accounts``
        (:func:`_lookup`), or None when the tables are not as the schema says (the schema
        checks then say what is wrong)."""
        try:
            return _lookup(self.accounts.index, [self.posts["author_id"],
                                                 self.interactions["source_id"],
                                                 self.interactions["target_id"]])
        except Exception:  # noqa: BLE001 - any shape the schema checks will name
            return None

    def _posts_lookup(self):
        """``(index unique, [found])`` of the post references (:meth:`_post_refs`) in
        ``posts``, or None (see :meth:`_accounts_lookup`)."""
        try:
            return _lookup(self.posts.index, list(self._post_refs()))
        except Exception:  # noqa: BLE001 - any shape the schema checks will name
            return None

    @staticmethod
    def _check_refs(table, values, index, target, ok=None):
        ok = ids_in(values, index) if ok is None else ok
        if not ok.all():
            i = np.flatnonzero(~ok)[0]
            row = values.index[i]
            raise DanglingReferenceError(f"{values.iloc[i]!r} is not in {target}", table=table,
                                         row=row, column=values.name,
                                         expected=f"an id present in {target}")

    def copy(self) -> Corpus:
        """A deep copy (tables, report and meta)."""
        return Corpus(self.accounts.copy(), self.posts.copy(), self.interactions.copy(),
                      LoadReport.from_dict(self.report.to_dict()),
                      dict(self.meta))

    def accounts_with_regions(self) -> pd.DataFrame:
        """``accounts`` joined with the regions table (name, kind, bakorwil, population).

        Province-wide accounts (``"35"``) get region name ``"Provinsi Jawa Timur"`` and no
        Bakorwil; accounts of unknown region get missing values.
        """
        from .regions import region_table

        regions = region_table()[["name", "short_name", "kind", "bakorwil"]].rename(
            columns={"name": "region_name", "short_name": "region_short_name",
                     "kind": "region_kind"})
        out = self.accounts.join(regions, on="region_code")
        province = (out["region_code"] == PROVINCE_CODE).fillna(False)
        out.loc[province, "region_name"] = "Provinsi Jawa Timur"
        return out

    def between(self, start=None, end=None) -> Corpus:
        """The posts and interactions with ``start <= created_at < end`` (all accounts kept).

        ``start`` and ``end`` are anything :func:`pandas.Timestamp` accepts; naive values
        are taken as UTC.
        """
        def mask(frame):
            m = np.ones(len(frame), dtype=bool)
            if start is not None:
                m &= (frame["created_at"] >= to_utc(start)).to_numpy()
            if end is not None:
                m &= (frame["created_at"] < to_utc(end)).to_numpy()
            return m

        posts = self.posts[mask(self.posts)].copy()
        inter = self.interactions[mask(self.interactions)].reset_index(drop=True)
        missing = posts["parent_post_id"].notna() & ~posts["parent_post_id"].isin(posts.index)
        posts["parent_missing"] = (posts["parent_missing"] | missing).astype("boolean")
        inter = inter[inter["post_id"].isna() | inter["post_id"].isin(posts.index)]
        return Corpus(self.accounts.copy(), posts, inter.reset_index(drop=True), self.report,
                      dict(self.meta))


def ids_in(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Boolean array: which ``values`` are in ``index`` (a hash look-up; missing values are
    not).

    String ids are looked up with ``pyarrow.compute.is_in`` on Arrow arrays: about 2.5x
    faster than ``Index.get_indexer`` on a million ids, which turns every Arrow string into a
    Python object first (``Series.isin`` is slower still). Anything else (or an index that
    Arrow cannot hold as strings) uses ``get_indexer``.
    """
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    arrays = _string_arrays(values, index)
    if arrays is not None:
        import pyarrow.compute as pc

        found = pc.is_in(arrays[0], value_set=arrays[1], skip_nulls=True)
        return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)
    lookup = index if index.is_unique else index.unique()
    return lookup.get_indexer(values) >= 0


def _lookup(index: pd.Index, values: list):
    """``(unique, found)``: whether ``index`` is unique and, for each Series of ``values``,
    which of its values are in ``index``; or None when they are not all strings.

    One hash table for all: the index and then the values are dictionary-encoded in one
    pass (``pyarrow.compute.dictionary_encode``), codes given in order of first appearance.
    So the index is unique when its codes reach ``len(index) - 1``, and a value is in the
    index when its code is below the number of distinct index values. Missing values are
    never found, as with :func:`ids_in`.

    Examples
    --------
    >>> unique, (found,) = _lookup(pd.Index(["a", "b"]), [pd.Series(["b", "c", None])])
    >>> unique, found.tolist()
    (True, [True, False, False])
    >>> _lookup(pd.Index(["a", "b", "a"]), [])[0]
    False
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arrays = [_arrow_strings(index), *(_arrow_strings(v) for v in values)]
    except pa.ArrowException:  # mixed objects: not all strings
        return None
    if any(a is None for a in arrays) or arrays[0].null_count:
        return None
    codes = np.full(sum(len(a) for a in arrays), -1, dtype=np.int64)
    if len(codes):
        encoded = pc.dictionary_encode(pa.chunked_array(arrays, type=pa.string()))
        at = 0
        for chunk in encoded.chunks:  # the chunks in input order (empty ones kept)
            k = len(chunk)
            codes[at:at + k] = pc.fill_null(chunk.indices, -1).to_numpy()
            at += k
    n = len(arrays[0])
    distinct = int(codes[:n].max(initial=-1)) + 1
    found, at = [], n
    for a in arrays[1:]:
        c = codes[at:at + len(a)]
        found.append((c >= 0) & (c < distinct))
        at += len(a)
    return distinct == n, found


def _is_unique(index: pd.Index) -> bool:
    """``index.is_unique``; string ids counted in Arrow (pandas hashes Python objects)."""
    looked = _lookup(index, []) if len(index) > 1 else None
    return index.is_unique if looked is None else looked[0]


def _arrow_strings(obj):
    """A Series' or Index' values as a pyarrow string array, or None if not strings."""
    import pyarrow as pa

    if isinstance(obj.dtype, pd.StringDtype) and obj.dtype.storage == "pyarrow":
        arr = pa.array(obj.array)
    elif obj.dtype == object:
        arr = pa.array(np.asarray(obj, dtype=object), from_pandas=True)
    else:
        return None
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.string())
    return arr if pa.types.is_string(arr.type) else None


def _string_arrays(values: pd.Series, index: pd.Index):
    """``values`` and ``index`` as pyarrow string arrays, or None if they are not strings."""
    import pyarrow as pa

    try:
        v, i = _arrow_strings(values), _arrow_strings(index)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed objects: not all strings
        return None
    if v is None or i is None or i.null_count:
        return None
    return v, i


def to_utc(value) -> pd.Timestamp:
    """A timestamp-like value as a UTC Timestamp (a naive value is taken as UTC): how every
    ``start``/``end`` argument of the package is read.

    Examples
    --------
    >>> to_utc("2024-10-01 07:00")
    Timestamp('2024-10-01 07:00:00+0000', tz='UTC')
    >>> to_utc("2024-10-01 07:00+07:00")
    Timestamp('2024-10-01 00:00:00+0000', tz='UTC')
    """
    ts = pd.Timestamp(value)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
