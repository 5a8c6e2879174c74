"""Load a generic interactions table (one row per act) for platforms no crawler covers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..corpus import INTERACTION_KINDS, PLATFORMS, Corpus, LoadReport
from ..errors import InputFormatError, MissingColumnError
from ._common import (
    TIME_RANGE,
    AccountBook,
    act_rows,
    assemble,
    expand_paths,
    guard,
    in_time_range,
    lower_handle,
    read_csv_file,
    record_file_counts,
    take_rows,
    time_key,
)

__all__ = ["read_interactions_csv", "GENERIC_COLUMNS"]

#: Canonical columns of the generic table: required first, then optional.
GENERIC_COLUMNS = {
    "source": "handle of the account that acts (commenter, replier, sharer, mentioner)",
    "target": "handle of the account acted upon",
    "kind": "one of mention, reply, repost, quote, comment, tag",
    "created_at": "time of the post or comment containing the act, ISO 8601 with offset",
    "post_id": "(optional) id of the post or comment in which the act happened",
    "source_id": "(optional) platform id of the source account",
    "target_id": "(optional) platform id of the target account",
    "text": "(optional) text of the post or comment",
}
_REQUIRED = ("source", "target", "kind", "created_at")
_POST_KIND = {"comment": "comment", "reply": "reply", "repost": "repost", "quote": "quote",
              "mention": "original", "tag": "original"}


@guard
def read_interactions_csv(path, columns=None, *, platform: str = "facebook", tz=None,
                          validate: bool = True) -> Corpus:
    """Load a generic CSV with one row per act (Facebook, TikTok, YouTube, coding sheets).

    Parameters
    ----------
    path : path, glob pattern or list of them
        UTF-8 CSV files (a BOM is fine).
    columns : dict, optional
        Maps the canonical names of :data:`GENERIC_COLUMNS` to the file's column names, e.g.
        ``{"source": "commenter", "target": "page", "created_at": "waktu"}``. Unmapped
        canonical names are looked up as they are.
    platform : str
        Platform of every row (``facebook``, ``tiktok``, ``youtube``, ``instagram``,
        ``twitter``).
    tz : str, optional
        Time zone of timestamps written without an offset (``"Asia/Jakarta"`` for sheets
        filled in WIB). Without it, a timestamp without offset is a malformed row.
    validate : bool
        Validate the corpus (default).

    Returns
    -------
    Corpus
        Account ids ``"<platform>:<source_id>"`` when an id column is given, otherwise
        ``"<platform>:@<handle>"``; post ids ``"<platform>:<post_id>"``. Each ``post_id``
        becomes a post authored by its rows' source, with kind ``comment``/``reply``/
        ``repost``/``quote`` after the row's kind (``original`` for mentions and tags).

    Raises
    ------
    MissingColumnError
        A required column (source, target, kind, created_at) is absent; the message names the
        file and the column and lists the columns found.
    InputFormatError
        The file is not UTF-8 or not CSV.

    Notes
    -----
    The rules every loader follows:

    1. Direction: ``source`` is the actor, ``target`` the account acted upon.
    2. Handles are compared and stored in lower case, without ``@``.
    3. One interaction per (post, target, kind): repeated rows are duplicates. Rows without
       a ``post_id`` are acts told apart by their time: the same source, target and kind at
       two different times are two interactions.
    4. No self-loops: a row whose source and target are the same account is loaded (counted)
       but gives no interaction.
    5. - 7. (The table already lists acts; nothing is extracted from text.)
    8. An interaction's time is ``created_at``, converted to UTC.
    9. Duplicates: rows with the same (post_id, source, target, kind), or, without post ids,
       the same (source, target, kind, created_at); later copies count as duplicates.
    10. rows read = loaded + duplicates + malformed; malformed rows (missing value, unknown
        kind, bad or offset-less time, a post_id already used by another source) are listed
        with file, line and a reason that names the file's column. A stray space around a
        header name is ignored. ``report.file_counts`` gives the counts of each file.

    Examples
    --------
    >>> import kopiresearch.io as kio
    >>> from kopiresearch.io.examples import example_path
    >>> c = kio.read_interactions_csv(example_path("interactions_facebook.csv"),
    ...     columns={"source": "akun", "target": "halaman", "kind": "jenis",
    ...              "created_at": "waktu", "post_id": "id_komentar"}, tz="Asia/Jakarta")
    >>> c.report.is_consistent, sorted(c.interactions["kind"].unique())
    (True, ['comment', 'mention', 'repost'])
    """
    if platform not in PLATFORMS:
        raise InputFormatError(f"platform must be one of {', '.join(PLATFORMS)}, "
                               f"not {platform!r}")
    columns = dict(columns or {})
    unknown = set(columns) - set(GENERIC_COLUMNS)
    if unknown:
        raise InputFormatError(f"columns= has unknown canonical names {sorted(unknown)}; "
                               f"use {', '.join(GENERIC_COLUMNS)}")
    report = LoadReport()
    frames = []
    for p in expand_paths(path, patterns=("*.csv",)):
        report.files.append(str(p))
        # header names without a stray space (a name that is still unknown is a clear error
        # below)
        frame = read_csv_file(p, report)
        rename = {}
        for canon in GENERIC_COLUMNS:
            name = columns.get(canon, canon)
            if name in frame.columns:
                rename[name] = canon
            elif canon in _REQUIRED:
                raise MissingColumnError(
                    f"file {p}, header line: required column is missing (columns found: "
                    f"{', '.join(repr(c) for c in frame.columns if c != '_line')}; map yours "
                    "with columns={...})", column=name, expected=GENERIC_COLUMNS[canon])
        frame = frame.rename(columns=rename)
        hdr = (frame["source"] == columns.get("source", "source")) & (
            frame["kind"] == columns.get("kind", "kind"))
        hdr = hdr.fillna(False).to_numpy(bool)
        report.repeated_headers += int(hdr.sum())
        frame = frame[~hdr].reindex(columns=list(GENERIC_COLUMNS) + ["_line"])
        frame["_file"] = str(p)
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True)
    for c in GENERIC_COLUMNS:
        frame[c] = frame[c].astype("string").str.strip()
    names = {canon: columns.get(canon, canon) for canon in GENERIC_COLUMNS}
    return _build(frame, report, platform, tz, names, report.files, validate=validate)


def _bad(report, frame, mask, reason):
    if isinstance(mask, pd.Series):
        mask = mask.fillna(False).to_numpy(bool)
    if isinstance(reason, pd.Series):
        reasons = reason[mask].tolist()
    else:
        reasons = [reason] * int(mask.sum())
    for f, ln, r in zip(frame.loc[mask, "_file"], frame.loc[mask, "_line"], reasons,
                        strict=True):
        report.add_malformed(f, int(ln), r)
    return frame[~mask]


def _build(frame, report, platform, tz, names, files, *, validate=True):
    frame["source"] = lower_handle(frame["source"])
    frame["target"] = lower_handle(frame["target"])
    for c in ("source_id", "target_id", "post_id"):
        frame[c] = frame[c].mask(frame[c] == "")
    no_src = (frame["source"].isna() & frame["source_id"].isna()).to_numpy(bool)
    no_tgt = (frame["target"].isna() & frame["target_id"].isna()).to_numpy(bool)
    which = np.where(no_src, f"column {names['source']!r}", f"column {names['target']!r}")
    frame = _bad(report, frame, no_src | no_tgt,
                 pd.Series(np.char.add(which.astype(str), " is empty (the row names no "
                                       "account)"), index=frame.index))
    kind = frame["kind"].str.lower()
    frame["kind"] = kind
    frame = _bad(report, frame, ~kind.isin(INTERACTION_KINDS),
                 f"column {names['kind']!r}: the kind is not one of "
                 + ", ".join(INTERACTION_KINDS))
    when = _parse_time(frame["created_at"], tz)
    frame = frame.assign(_when=when)
    frame = _bad(report, frame, frame["_when"].isna(),
                 f"column {names['created_at']!r}: not an ISO 8601 time with offset (pass "
                 f"tz= for local times) {TIME_RANGE}")
    book = AccountBook(platform)
    book.add(frame["source_id"], frame["source"])
    book.add(frame["target_id"], frame["target"])
    book.finish()
    src = book.resolve(uids=frame["source_id"], handles=frame["source"])
    tgt = book.resolve(uids=frame["target_id"], handles=frame["target"])
    frame = frame.assign(_src=src.to_numpy(), _tgt=tgt.to_numpy())
    has_post = frame["post_id"].notna()
    owner = frame[has_post].drop_duplicates("post_id").set_index("post_id")["_src"]
    clash = has_post & (frame["post_id"].map(owner) != frame["_src"]).fillna(False)
    frame = _bad(report, frame, clash, f"column {names['post_id']!r}: the post id already "
                 "belongs to another source account")
    # one act per (post, source, target, kind); without a post id, the act's time tells
    # repeated acts apart (rule 9), so that key is also the act's identity (rule 3)
    no_post = frame["post_id"].isna().to_numpy(bool)
    act = pd.Series(np.where(no_post, "t" + frame["_when"].astype("string").astype(object),
                             "p" + frame["post_id"].astype(object)), dtype=object)
    key = pd.DataFrame({"a": act, "s": frame["_src"].to_numpy(object),
                        "t": frame["_tgt"].to_numpy(object), "k": frame["kind"].to_numpy(object)})
    dup = key.duplicated(keep="first").to_numpy(bool)
    report.add_duplicate(int(dup.sum()))
    record_file_counts(report, files, pd.Index(files).get_indexer(frame["_file"]), dup,
                       time_key(frame["_when"]))
    frame = frame[~dup].reset_index(drop=True)
    act = act[~dup].reset_index(drop=True)
    report.add_loaded(len(frame))
    post_id = (platform + ":") + frame["post_id"]
    inter = pd.DataFrame({"source_id": frame["_src"], "target_id": frame["_tgt"],
                          "kind": frame["kind"].astype(object), "created_at": frame["_when"],
                          "post_id": post_id})
    codes, _ = pd.factorize(pd.concat([inter["source_id"], inter["target_id"]],
                                      ignore_index=True).to_numpy(object))
    n = len(inter)
    kind_code = pd.Categorical(inter["kind"], categories=list(INTERACTION_KINDS)).codes
    inter = take_rows(inter, act_rows(codes[:n], codes[n:], pd.factorize(act)[0], kind_code,
                                  time_key(inter["created_at"])))
    p = frame[frame["post_id"].notna()].sort_values("_when", kind="stable")
    p = p.drop_duplicates("post_id")
    posts = pd.DataFrame({"post_id": (platform + ":") + p["post_id"], "author_id": p["_src"],
                          "created_at": p["_when"], "kind": p["kind"].map(_POST_KIND),
                          "text": p["text"]})
    return assemble(platform, book, posts, inter, report, {"source": "interactions-csv"},
                    validate=validate, rules_applied=True)


def _parse_time(s: pd.Series, tz) -> pd.Series:
    s = s.astype("string")
    has_off = s.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True).fillna(False)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns, UTC]")
    if has_off.any():
        out[has_off] = in_time_range(pd.to_datetime(s[has_off], format="ISO8601", utc=True,
                                                     errors="coerce"))
    naive = ~has_off & s.notna()
    if tz is not None and naive.any():
        local = pd.to_datetime(s[naive], format="ISO8601", errors="coerce")
        out[naive] = in_time_range(local.dt.tz_localize(tz, ambiguous="NaT",
                                                        nonexistent="NaT"))
    return out
