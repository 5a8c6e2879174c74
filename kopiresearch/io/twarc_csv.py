"""Load twarc-csv output (``twarc2 csv``, one tweet per row, 84 columns) into a Corpus."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from ..corpus import Corpus, LoadReport
from ..errors import InputFormatError
from ._common import (
    AccountBook,
    assemble,
    check_utf8,
    drop_act_mentions,
    expand_paths,
    guard,
    lower_handle,
    read_csv_strings,
)
from .tweet_harvest import _malformed, parse_twitter_time

__all__ = ["read_twarc_csv", "TWARC_CSV_REQUIRED"]

#: Columns a twarc-csv file must have.
TWARC_CSV_REQUIRED = ("id", "author_id", "created_at", "text")
_OPTIONAL = ("author.username", "author.public_metrics.followers_count",
             "referenced_tweets.replied_to.id", "referenced_tweets.retweeted.id",
             "referenced_tweets.quoted.id", "in_reply_to_user_id", "in_reply_to_username",
             "retweeted_user_id", "retweeted_username", "quoted_user_id", "quoted_username",
             "entities.mentions", "public_metrics.like_count", "public_metrics.reply_count",
             "public_metrics.retweet_count", "public_metrics.quote_count")


@guard
def read_twarc_csv(paths, *, validate: bool = True) -> Corpus:
    """Load CSV files written by twarc-csv (``twarc2 csv in.jsonl out.csv``).

    Parameters
    ----------
    paths : path, glob pattern or list of them
        A folder loads every ``*.csv`` in it.
    validate : bool
        Validate the corpus (default).

    Returns
    -------
    Corpus
        Account ids ``"twitter:<id>"`` (``"twitter:@<handle>"`` for mentioned accounts whose
        id no row gives), post ids ``"twitter:<id>"``.

    Raises
    ------
    InputFormatError
        A file lacks a required column (``id, author_id, created_at, text``; the message
        names the file and the column), is not UTF-8, or cannot be parsed.

    Notes
    -----
    twarc-csv merges retweets by default: a retweet row has the retweeter as author but the
    *original* tweet's ``text`` and ``entities.mentions``. A row with
    ``referenced_tweets.retweeted.id`` therefore gives only the repost edge to
    ``retweeted_user_id``. ``in_reply_to_username`` is empty when the replied-to tweet is
    unavailable; the reply target is then the id, linked to the first handle of the text's
    reply prefix (``@handle ...`` at the very start), which Twitter puts first for the
    replied-to author. Mentions come from
    ``entities.mentions`` (a JSON list of ``"@handle"``); count columns written as floats
    (``41.0``) are read as integers.

    The rules every loader follows:

    1. Direction: actor -> account acted upon (replier -> replied-to, retweeter -> retweeted
       author, quoter -> quoted author, mentioner -> mentioned).
    2. Handles are compared and stored in lower case, without ``@``.
    3. One interaction per (tweet, target, kind); a handle mentioned twice counts once;
       reply + mentions and quote + mentions can come from one tweet.
    4. No self-loops.
    5. A retweet gives only the repost edge.
    6. The reply target and the quoted author are not also mentions.
    7. Mentions are the ``entities.mentions`` Twitter extracted (``@`` + ``[A-Za-z0-9_]+``
       not preceded by ``[A-Za-z0-9_]``).
    8. An interaction's time is the tweet's ``created_at``, in UTC.
    9. Duplicates are detected by tweet ``id``; the second and later copies are duplicates.
    10. rows read = loaded + duplicates + malformed; blank lines and repeated headers are
        counted separately; malformed rows are listed with file, line and reason.

    Examples
    --------
    >>> import kopiresearch.io as kio
    >>> from kopiresearch.io.examples import example_path
    >>> c = kio.read_twarc_csv(example_path("twarc_csv.csv"))
    >>> c.report.is_consistent, c.posts["kind"].value_counts()["repost"]
    (True, np.int64(1))
    """
    files = expand_paths(paths, patterns=("*.csv",))
    report = LoadReport()
    frames = []
    for path in files:
        report.files.append(str(path))
        data = check_utf8(path.read_bytes(), path)
        frame, bad, blank = read_csv_strings(data, path)
        report.blank_lines += blank
        for line, reason in bad:
            report.add_malformed(path, line, reason)
        for col in TWARC_CSV_REQUIRED:
            if col not in frame.columns:
                raise InputFormatError("not a twarc-csv file: required column is missing "
                                       f"(columns found: {', '.join(list(frame.columns)[:8])}"
                                       "...)", file=str(path), column=col)
        hdr = (frame["id"] == "id").fillna(False).to_numpy(bool)
        report.repeated_headers += int(hdr.sum())
        frame = frame[~hdr].reindex(columns=list(TWARC_CSV_REQUIRED) + list(_OPTIONAL)
                                    + ["_line"])
        frame["_file"] = str(path)
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True)
    for c in frame.columns:
        if c not in ("_line", "_file"):
            frame[c] = frame[c].astype("string")
    return _build(frame, report, validate=validate)


def _build(frame, report, *, validate=True):
    ids = frame["id"].str.strip()
    frame["id"] = ids
    frame = _malformed(report, frame, ~ids.str.fullmatch(r"\d+").fillna(False).to_numpy(bool),
                       "id is missing or not a number (re-saved by Excel?)")
    aid = frame["author_id"].str.strip()
    frame = _malformed(report, frame, ~aid.str.fullmatch(r"\d+").fillna(False).to_numpy(bool),
                       "author_id is missing or not a number")
    when = parse_twitter_time(frame["created_at"])
    frame = frame.assign(_when=when)
    frame = _malformed(report, frame, when.isna().to_numpy(bool),
                       "created_at is not ISO 8601 UTC")
    dup = frame["id"].duplicated(keep="first").to_numpy(bool)
    report.add_duplicate(int(dup.sum()))
    frame = frame[~dup].reset_index(drop=True)
    report.add_loaded(len(frame))

    book = AccountBook("twitter")
    book.add(frame["author_id"].str.strip(), frame["author.username"],
             followers=pd.to_numeric(frame["author.public_metrics.followers_count"],
                                     errors="coerce"))
    for u, h in (("in_reply_to_user_id", "in_reply_to_username"),
                 ("retweeted_user_id", "retweeted_username"),
                 ("quoted_user_id", "quoted_username")):
        book.add(frame[u].str.strip(), frame[h], order=np.full(len(frame), -1.0))
    # in_reply_to_username is empty when the replied-to tweet is unavailable: the reply
    # prefix of the text starts with the replied-to author's handle, so link the two
    lead = frame["text"].str.extract(r"^@([A-Za-z0-9_]+)", expand=False)
    orphan = (frame["in_reply_to_user_id"].notna() & frame["in_reply_to_username"].isna()
              & lead.notna()).to_numpy(bool)
    book.add(frame.loc[orphan, "in_reply_to_user_id"].str.strip(), lead[orphan],
             order=np.full(int(orphan.sum()), -1.5))
    rt = frame["referenced_tweets.retweeted.id"].str.strip()
    is_rt = rt.notna().to_numpy(bool) & (rt != "").fillna(False).to_numpy(bool)
    ment = frame["entities.mentions"].fillna("").str.findall(r"@([A-Za-z0-9_]+)")
    ment = ment[~is_rt]
    ment = ment[ment.str.len() > 0].explode()
    ment = pd.DataFrame({"row": ment.index.to_numpy(np.int64),
                         "handle": lower_handle(pd.Series(ment.to_numpy(), dtype="string"))})
    book.add(pd.Series(pd.NA, index=range(len(ment)), dtype="string"), ment["handle"],
             order=np.full(len(ment), -2.0))
    book.finish()
    author = book.resolve(uids=frame["author_id"].str.strip())
    parts = []
    rep_id = frame["in_reply_to_user_id"].str.strip()
    qt = frame["referenced_tweets.quoted.id"]
    rp = frame["referenced_tweets.replied_to.id"]
    for kind, mask, u, h in (
            ("repost", is_rt, "retweeted_user_id", "retweeted_username"),
            ("reply", ~is_rt & (rep_id.notna() | frame["in_reply_to_username"].notna())
             .to_numpy(bool), "in_reply_to_user_id", "in_reply_to_username"),
            ("quote", ~is_rt & (frame["quoted_user_id"].notna()
                                | frame["quoted_username"].notna()).to_numpy(bool),
             "quoted_user_id", "quoted_username")):
        parts.append(pd.DataFrame({"row": np.flatnonzero(mask), "kind": kind,
                                   "target_id": book.resolve(uids=frame.loc[mask, u].str.strip(),
                                                             handles=frame.loc[mask, h])
                                   .to_numpy()}))
    parts.append(pd.DataFrame({"row": ment["row"].to_numpy(), "kind": "mention",
                               "target_id": book.resolve(handles=ment["handle"]).to_numpy()}))
    edges = pd.concat(parts, ignore_index=True)
    edges = drop_act_mentions(edges)
    post_id = "twitter:" + frame["id"]
    r = edges["row"].to_numpy(np.int64)
    inter = pd.DataFrame({"source_id": author.to_numpy()[r],
                          "target_id": edges["target_id"].to_numpy(),
                          "kind": edges["kind"].to_numpy(),
                          "created_at": frame["_when"].to_numpy()[r],
                          "post_id": post_id.to_numpy()[r]})
    inter["created_at"] = pd.to_datetime(inter["created_at"], utc=True)
    is_reply = (rp.notna() | (~pd.Series(is_rt) & rep_id.notna())).to_numpy(bool) & ~is_rt
    is_quote = qt.notna().to_numpy(bool) & ~is_rt & ~is_reply
    kind = np.select([is_rt, is_reply, is_quote], ["repost", "reply", "quote"], "original")
    parent = rt.where(pd.Series(is_rt), rp.where(pd.Series(is_reply), qt.where(
        pd.Series(is_quote))))
    text = frame["text"]
    has_amp = text.str.contains("&", regex=False).fillna(False).to_numpy(bool)
    if has_amp.any():
        text = text.copy()
        text[has_amp] = text[has_amp].map(html.unescape)
    posts = pd.DataFrame({
        "post_id": post_id, "author_id": author, "created_at": frame["_when"], "kind": kind,
        "parent_post_id": "twitter:" + parent.str.strip(), "text": text,
        "url": "https://x.com/i/status/" + frame["id"],
        **{c: pd.to_numeric(frame[f"public_metrics.{s}"], errors="coerce").round()
           .astype("Int64") for c, s in (("like_count", "like_count"),
                                         ("reply_count", "reply_count"),
                                         ("repost_count", "retweet_count"),
                                         ("quote_count", "quote_count"))},
    })
    return assemble("twitter", book, posts, inter, report, {"source": "twarc-csv"},
                    validate=validate)

