"""Load twarc-csv output (``twarc2 csv``, one tweet per row, 84 columns) into a Corpus."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pandas as pd

from ..corpus import Corpus, LoadReport
from ..errors import InputFormatError, UnknownFormatError
from ._common import (
    COUNT_RULE,
    RETWEET_PREFIX,
    TIME_RANGE,
    AccountBook,
    add_account_created,
    add_locations,
    all_digits,
    assemble,
    drop_act_mentions,
    drop_malformed,
    expand_paths,
    expanded_url_column,
    guard,
    lower_handle,
    parse_counts,
    prefix_mention_rule,
    prefix_only_mentions,
    read_csv_file,
    record_file_counts,
    time_key,
    times_or_nat,
)
from .tweet_harvest import parse_twitter_time

__all__ = ["read_twarc_csv", "TWARC_CSV_REQUIRED"]

#: Columns a twarc-csv file must have.
TWARC_CSV_REQUIRED = ("id", "author_id", "created_at", "text")
_OPTIONAL = ("author.username", "author.public_metrics.followers_count",
             "referenced_tweets.replied_to.id", "referenced_tweets.retweeted.id",
             "referenced_tweets.quoted.id", "in_reply_to_user_id", "in_reply_to_username",
             "retweeted_user_id", "retweeted_username", "quoted_user_id", "quoted_username",
             "entities.mentions", "entities.urls", "public_metrics.like_count",
             "public_metrics.reply_count", "public_metrics.retweet_count",
             "public_metrics.quote_count", "conversation_id",
             "author.location", "author.created_at")
#: First columns of the other tables ``twarc2 csv`` writes (``--input-data-type``), which
#: are not tweets: what each file is, for the message that refuses it.
TWARC_CSV_OTHER = {
    ("id", "created_at", "username", "name"): "a twarc-csv users file (profiles from "
    "`twarc2 users` / `followers` / `following`, no tweets)",
    ("start", "end", "tweet_count"): "a twarc-csv counts file (`twarc2 counts`: numbers of "
    "tweets per time bucket, no tweets)",
    ("id", "action", "created_at", "redacted_at", "reason"): "a twarc-csv compliance file "
    "(ids of deleted or protected tweets or users, no tweets)",
    ("id", "owner_id", "created_at", "name"): "a twarc-csv lists file (Twitter lists, no "
    "tweets)",
}
_ROLES = (("repost", "referenced_tweets.retweeted.id", "retweeted_user_id",
           "retweeted_username"),
          ("quote", "referenced_tweets.quoted.id", "quoted_user_id", "quoted_username"),
          ("reply", "referenced_tweets.replied_to.id", "in_reply_to_user_id",
           "in_reply_to_username"))


@guard
def read_twarc_csv(paths, *, reply_prefix_mentions: bool = True,
                   validate: bool = True) -> Corpus:
    """Load CSV files written by twarc-csv (``twarc2 csv in.jsonl out.csv``).

    Parameters
    ----------
    paths : path, glob pattern or list of them
        A folder loads every ``*.csv`` in it.
    reply_prefix_mentions : bool
        Keep the mention edges of handles that appear only in the leading ``@``-run of a
        reply (default, what ``entities.mentions`` say); ``False`` leaves them out. Either
        way ``report.derived["reply_prefix_mentions"]`` counts them (see
        :func:`~kopiresearch.io.read_twarc2`).
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
    UnknownFormatError
        A file is another table of ``twarc2 csv`` (users, counts, compliance, lists) or was
        written with ``--json-encode-all``; the message says which.

    Notes
    -----
    The edges are those :func:`~kopiresearch.io.read_twarc2` gives for the same tweets,
    wherever the CSV keeps what is needed (a test converts twarc2 pages by the rules of
    twarc-csv 0.7.2 and compares the edge sets exactly):

    - twarc-csv merges retweets by default: a retweet row has the retweeter as author but
      the *original* tweet's ``text`` and ``entities.mentions``, so a row with
      ``referenced_tweets.retweeted.id`` gives only the repost edge. Its target is
      ``retweeted_user_id`` (else ``retweeted_username``, else the author of the retweeted
      tweet when it is a row of the load, else the ``RT @x:`` handle of the text, which
      twarc-csv leaves unmerged when the retweeted tweet was unavailable).
    - quote: ``quoted_user_id`` (else ``quoted_username``, else the quoted row's author,
      else the handle of the quoted permalink in ``entities.urls``).
    - reply: ``in_reply_to_user_id``/``in_reply_to_username`` (else the replied-to row's
      author). ``in_reply_to_username`` is empty when the replied-to tweet is unavailable;
      the id is then linked to the first handle of the text's reply prefix, which X puts
      first for the replied-to author.
    - mention: ``entities.mentions`` (a JSON list of ``"@handle"``; the text's mentions
      when a file has no such column).

    What the CSV cannot tell is said in ``report.warnings``: files written with
    ``--output-columns`` that lack the ``*_user_id``/``*_username`` columns (reposts,
    quotes or replies whose target no other row gives), and files written with
    ``--inline-referenced-tweets``. Such a file has each referenced tweet as a row just
    before the tweet that references it; those rows are not tweets of the crawl and are
    not loaded (the twarc2 loader likewise ignores ``includes.tweets``): they are listed in
    ``report.skipped`` and used only to find the authors of referenced tweets. A file is
    taken to be written so when no row references a later row (a search or timeline lists
    newer tweets first) and at least two rows, and a fifth of the rows that reference a
    tweet, are preceded by the tweets they reference. A referenced tweet that was also a
    result of the crawl cannot be told apart (twarc-csv keeps one copy), hence the warning.
    Count columns written as floats (``41.0``) are read as integers; any other value that
    is not a count is a malformed row naming the column. Also kept: ``author.created_at`` as
    ``accounts.account_created_at`` and the expanded links of ``entities.urls`` as
    ``posts.expanded_urls`` (media items, which twarc-csv writes as ``pic.twitter.com/...``,
    left out).

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
    lacking = {}  # file -> interaction columns its header lacks
    for path in files:
        report.files.append(str(path))
        frame = read_csv_file(path, report)
        _check_kind(frame, path)
        for col in TWARC_CSV_REQUIRED:
            if col not in frame.columns:
                raise InputFormatError("not a twarc-csv file: required column is missing "
                                       f"(columns found: {', '.join(list(frame.columns)[:8])}"
                                       "...)", file=str(path), column=col)
        lacking[str(path)] = [c for c in _OPTIONAL if c not in frame.columns]
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
    return _build(frame, report, files, lacking, reply_prefix_mentions=reply_prefix_mentions,
                  validate=validate)


def _check_kind(frame, path):
    """Refuse the other tables of ``twarc2 csv`` and ``--json-encode-all`` files, saying
    what the file is."""
    cols = [c for c in frame.columns if c != "_line"]
    for first, what in TWARC_CSV_OTHER.items():
        if tuple(cols[:len(first)]) == first:
            raise UnknownFormatError(f"this is {what}, not a file of tweets", file=str(path))
    if "id" in cols and len(frame):
        ids = frame["id"].dropna()
        if len(ids) and ids.str.fullmatch(r'"\d+"').all():
            raise UnknownFormatError(
                "a twarc-csv file written with --json-encode-all (every value is JSON, ids "
                'in quotes such as "\"1861...\""): write it again with `twarc2 csv` without '
                "--json-encode-all, or load the twarc2 JSONL", file=str(path))


def _build(frame, report, files, lacking, *, reply_prefix_mentions=True, validate=True):
    frame = _valid_rows(frame, report)
    frame, ref_rows = _without_inlined(frame, report)
    dup = frame["id"].duplicated(keep="first").to_numpy(bool)
    report.add_duplicate(int(dup.sum()))
    record_file_counts(report, files, pd.Index([str(f) for f in files]).get_indexer(
        frame["_file"]), dup, time_key(frame["_when"]))
    frame = frame[~dup].reset_index(drop=True)
    report.add_loaded(len(frame))
    # authors of every row (crawl and referenced), to resolve referenced tweets
    every = pd.concat([frame, ref_rows], ignore_index=True)
    row_author = pd.Series(every["author_id"].str.strip().to_numpy(object),
                           index=every["id"].to_numpy(object))
    row_author = row_author[~row_author.index.duplicated()]

    book = AccountBook("twitter")
    book.add(every["author_id"].str.strip(), every["author.username"],
             followers=pd.to_numeric(every["author.public_metrics.followers_count"],
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
    # mentions: entities.mentions, or the text for files without that column
    no_ents = frame["_file"].isin([f for f, gone in lacking.items()
                                   if "entities.mentions" in gone]).to_numpy(bool)
    source = frame["entities.mentions"].fillna("")
    if no_ents.any():
        source = source.where(~pd.Series(no_ents, index=frame.index), frame["text"].fillna(""))
    ment = source.str.findall(r"(?<![A-Za-z0-9_])@([A-Za-z0-9_]+)")
    ment = ment[~is_rt]
    ment = ment[ment.str.len() > 0].explode()
    ment = pd.DataFrame({"row": ment.index.to_numpy(np.int64),
                         "handle": lower_handle(pd.Series(ment.to_numpy(), dtype="string"))})
    ment = ment.drop_duplicates().reset_index(drop=True)
    # targets of reposts, quotes and replies (by id, by handle, or by handle only)
    targets = {}
    for kind, ref, u, h in _ROLES:
        ref_id = frame[ref].str.strip()
        uid = frame[u].str.strip()
        handle = frame[h].astype("string")
        found = ref_id.map(row_author).astype("string")
        uid = uid.where(uid.notna() | handle.notna(), found)
        if kind == "repost":
            rth = frame["text"].str.extract(RETWEET_PREFIX, expand=False)
            handle = handle.where(handle.notna() | uid.notna(), rth)
        elif kind == "quote":
            handle = handle.where(handle.notna() | uid.notna(), _permalink_handle(
                frame["entities.urls"], ref_id))
        else:  # a file without the reply columns: X puts the replied-to handle first
            cut = frame["_file"].isin([f for f, gone in lacking.items()
                                       if u in gone and h in gone])
            guess = (cut & ref_id.notna() & uid.isna() & handle.isna() & lead.notna())
            handle = handle.where(~guess, lead)
            for f, n in frame.loc[guess.to_numpy(bool), "_file"].value_counts(sort=False).items():
                report.warn(f, f"{n} reply rows name no replied-to account: the file lacks "
                            "the columns in_reply_to_user_id, in_reply_to_username (written "
                            "with twarc-csv --output-columns?); their target is taken from "
                            "the first handle of the text's reply prefix.",
                            affects="reply edges (a reply in a thread may address another "
                            "participant first)", fix="write the CSV again with the default "
                            "columns, or load the twarc2 JSONL")
        targets[kind] = (ref_id, uid, handle)
        book.add(uid[uid.notna() & handle.notna()], handle[uid.notna() & handle.notna()],
                 order=np.full(int((uid.notna() & handle.notna()).sum()), -1.2))
    book.add(pd.Series(pd.NA, index=range(len(ment)), dtype="string"), ment["handle"],
             order=np.full(len(ment), -2.0))
    for kind in ("repost", "quote"):
        h = targets[kind][2]
        only = h.notna() & targets[kind][1].isna()
        book.add(pd.Series(pd.NA, index=range(int(only.sum())), dtype="string"),
                 h[only].reset_index(drop=True), order=np.full(int(only.sum()), -2.5))
    book.finish()
    loc = every[["author_id", "author.location"]].dropna()
    loc = loc[loc["author.location"].str.strip() != ""]
    add_locations(book, dict(zip(loc["author_id"].str.strip(), loc["author.location"],
                                 strict=True)))
    made = every[["author_id", "author.created_at"]].dropna()
    add_account_created(book, dict(zip(made["author_id"].str.strip(),
                                       made["author.created_at"].str.strip(), strict=True)),
                        report)
    author = book.resolve(uids=frame["author_id"].str.strip())
    parts = []
    rep_id = frame["in_reply_to_user_id"].str.strip()
    rp = frame["referenced_tweets.replied_to.id"].str.strip()
    qt = frame["referenced_tweets.quoted.id"].str.strip()
    masks = {"repost": is_rt,
             "reply": ~is_rt & (rep_id.notna() | frame["in_reply_to_username"].notna()
                                | rp.notna()).to_numpy(bool),
             "quote": ~is_rt & (qt.notna() | frame["quoted_user_id"].notna()
                                | frame["quoted_username"].notna()).to_numpy(bool)}
    for kind, mask in masks.items():
        _ref, uid, handle = targets[kind]
        target = book.resolve(uids=uid[mask], handles=handle[mask]).to_numpy()
        parts.append(pd.DataFrame({"row": np.flatnonzero(mask), "kind": kind,
                                   "target_id": target}))
        _warn_lost(report, frame, kind, mask, target, lacking)
    parts.append(pd.DataFrame({"row": ment["row"].to_numpy(), "kind": "mention",
                               "target_id": book.resolve(handles=ment["handle"]).to_numpy(),
                               "handle": ment["handle"].to_numpy(object)}))
    edges = pd.concat(parts, ignore_index=True)
    is_reply = (rp.notna() | (~pd.Series(is_rt) & rep_id.notna())).to_numpy(bool) & ~is_rt
    m = (edges["kind"] == "mention").to_numpy(bool)
    prefix = np.zeros(len(edges), dtype=bool)
    if m.any():
        prefix[m] = prefix_only_mentions(frame["text"], is_reply,
                                         edges.loc[m, "row"].to_numpy(np.int64),
                                         edges.loc[m, "handle"])
    edges["prefix"] = prefix
    edges = drop_act_mentions(edges)
    edges = prefix_mention_rule(edges, edges["prefix"].to_numpy(bool), author.to_numpy(object),
                                report, keep=reply_prefix_mentions)
    post_id = "twitter:" + frame["id"]
    r = edges["row"].to_numpy(np.int64)
    inter = pd.DataFrame({"source_id": author.to_numpy()[r],
                          "target_id": edges["target_id"].to_numpy(),
                          "kind": edges["kind"].to_numpy(),
                          "created_at": frame["_when"].to_numpy()[r],
                          "post_id": post_id.to_numpy()[r]})
    inter["created_at"] = pd.to_datetime(inter["created_at"], utc=True)
    posts = _posts_table(frame, author, post_id, rt, rp, qt, is_rt, is_reply)
    return assemble("twitter", book, posts, inter, report, {"source": "twarc-csv"},
                    validate=validate)


def _valid_rows(frame, report):
    """The rows with a numeric id and author id, a valid time (column ``_when``) and valid
    counts (columns ``_like_count``, ...); the others are reported as malformed."""
    ids = frame["id"].str.strip()
    frame["id"] = ids
    frame = drop_malformed(report, frame, ~all_digits(ids),
                           "column 'id': missing or not a number (re-saved by Excel?)")
    aid = frame["author_id"].str.strip()
    frame = drop_malformed(report, frame, ~all_digits(aid),
                           "column 'author_id': missing or not a number")
    when = times_or_nat(parse_twitter_time, frame["created_at"])
    frame = frame.assign(_when=when)
    frame = drop_malformed(report, frame, when.isna().to_numpy(bool),
                           f"column 'created_at': not ISO 8601 UTC {TIME_RANGE}")
    for c, s in (("like_count", "like_count"), ("reply_count", "reply_count"),
                 ("repost_count", "retweet_count"), ("quote_count", "quote_count")):
        col = f"public_metrics.{s}"
        v, bad = parse_counts(frame[col])
        frame = frame.assign(**{f"_{c}": v})
        if bad.any():
            reason = pd.Series("", index=frame.index, dtype=object)
            reason[bad] = [f"column {col!r}: {COUNT_RULE}, not {x!r}"
                           for x in frame.loc[bad, col]]
            frame = drop_malformed(report, frame, bad, reason)
    return frame


def _without_inlined(frame, report):
    """``frame`` without the referenced tweets that ``--inline-referenced-tweets`` put in it
    (reported as skipped, with a warning), and those rows."""
    # --inline-referenced-tweets: referenced tweets as rows before their referrer
    inline = _inlined_rows(frame)
    ref_rows = frame[inline]
    for f, n in ref_rows["_file"].value_counts(sort=False).items():
        report.skipped.append(_skip(f, f"{n} rows are referenced tweets that "
                                    "--inline-referenced-tweets put before the tweet "
                                    "referencing them: not tweets of the crawl, not loaded"))
        report.warn(f, f"The file was written with twarc-csv --inline-referenced-tweets: {n} "
                    "referenced tweets are rows of it; they are not loaded as posts, and a "
                    "referenced tweet that was also a result of the crawl cannot be told "
                    "apart (twarc-csv keeps one copy).",
                    affects="post counts and the acts of referenced tweets that were also "
                    "crawl results", fix="write the CSV again without "
                    "--inline-referenced-tweets, or load the twarc2 JSONL")
    return frame[~inline], ref_rows


def _posts_table(frame, author, post_id, rt, rp, qt, is_rt, is_reply) -> pd.DataFrame:
    """The posts of the crawl rows: kind and parent from the referenced tweets, text with
    HTML entities decoded, links, counts."""
    is_quote = qt.notna().to_numpy(bool) & ~is_rt & ~is_reply
    kind = np.select([is_rt, is_reply, is_quote], ["repost", "reply", "quote"], "original")
    parent = rt.where(pd.Series(is_rt), rp.where(pd.Series(is_reply), qt.where(
        pd.Series(is_quote))))
    text = frame["text"]
    has_amp = text.str.contains("&", regex=False).fillna(False).to_numpy(bool)
    if has_amp.any():
        text = text.copy()
        text[has_amp] = text[has_amp].map(html.unescape)
    conv = frame["conversation_id"].str.strip()
    posts = pd.DataFrame({
        "post_id": post_id, "author_id": author, "created_at": frame["_when"], "kind": kind,
        "parent_post_id": "twitter:" + parent.str.strip(), "text": text,
        "url": "https://x.com/i/status/" + frame["id"],
        "conversation_id": "twitter:" + conv.where(all_digits(conv)),
        "expanded_urls": expanded_url_column(_json_strings(frame["entities.urls"])),
        **{c: frame[f"_{c}"] for c in ("like_count", "reply_count", "repost_count",
                                       "quote_count")},
    })
    return posts


def _skip(file, reason):
    from ..corpus import MalformedRow

    return MalformedRow(str(file), None, reason)


def _inlined_rows(frame) -> np.ndarray:
    """Rows that ``--inline-referenced-tweets`` put before the tweet referencing them.

    Within a file, row ``i`` is such a row when it and every row between it and a later row
    ``j`` are tweets that row ``j`` references (``j`` itself not being such a row); a file
    is taken to be written with that option only when no row references a row further
    down the file (twarc-csv writes a referenced tweet before its referrer; a search or
    timeline without the option lists the newer, referencing tweet first), and at least
    two rows, and a fifth of the rows that reference a tweet, are preceded so (a
    chronological stream without the option has a reply right after its parent only now
    and then).
    """
    n = len(frame)
    out = np.zeros(n, dtype=bool)
    if not n:
        return out
    ids = frame["id"].to_numpy(object)
    refs = [frame[c].str.strip().fillna("").to_numpy(object) for c in
            ("referenced_tweets.retweeted.id", "referenced_tweets.quoted.id",
             "referenced_tweets.replied_to.id")]
    files = frame["_file"].to_numpy(object)
    # the common case, cheaply: no row is referenced by the row after it
    if not any(bool((ids[:-1] == r[1:]).any()) for r in refs):
        return out
    for f in pd.unique(files):
        at = np.flatnonzero(files == f)
        pos = {}
        for k, i in enumerate(at):
            pos.setdefault(ids[i], k)
        marks, forward, referring, blocks = [], 0, 0, 0
        taken = np.zeros(len(at), dtype=bool)
        for k in range(len(at) - 1, -1, -1):
            if taken[k]:
                continue
            i = at[k]
            mine = {r[i] for r in refs if isinstance(r[i], str) and r[i]}
            forward += sum(1 for r in mine if pos.get(r, -1) > k)
            referring += bool(mine)
            blocks += bool(mine) and k > 0 and ids[at[k - 1]] in mine and not taken[k - 1]
            b = k - 1
            while b >= 0 and mine and ids[at[b]] in mine and not taken[b]:
                mine.discard(ids[at[b]])
                taken[b] = True
                marks.append(at[b])
                b -= 1
        if forward == 0 and blocks >= 2 and blocks >= 0.2 * referring:
            out[marks] = True
    return out


def _json_strings(values: pd.Series) -> list:
    """Per row, the strings of a JSON-encoded list (twarc-csv's ``entities.urls``), or None
    for an empty cell or a cell that is not such a list."""
    out = []
    for v in values.to_numpy(object):
        try:
            parsed = json.loads(v) if isinstance(v, str) and v.startswith("[") else None
        except ValueError:
            parsed = None
        out.append([x for x in parsed if isinstance(x, str)] if isinstance(parsed, list)
                   else None)
    return out


def _permalink_handle(urls: pd.Series, ref_id: pd.Series) -> pd.Series:
    """The handle in a ``twitter.com|x.com/<handle>/status/<ref_id>`` link of ``urls``."""
    out = pd.Series(pd.NA, index=urls.index, dtype="string")
    has = (urls.notna() & ref_id.notna()).to_numpy(bool)
    for i in np.flatnonzero(has):
        for m in re.finditer(r"(?:twitter|x)\.com/([A-Za-z0-9_]+)/status/(\d+)",
                             urls.iloc[i]):
            if m.group(2) == ref_id.iloc[i]:
                out.iloc[i] = m.group(1)
                break
    return out


_COLS = {"repost": ("retweeted_user_id", "retweeted_username"),
         "quote": ("quoted_user_id", "quoted_username"),
         "reply": ("in_reply_to_user_id", "in_reply_to_username")}


def _warn_lost(report, frame, kind, mask, target, lacking):
    """Warn, per file, about acts of ``kind`` whose target the CSV does not give."""
    lost = np.zeros(len(frame), dtype=bool)
    lost[np.flatnonzero(mask)[pd.isna(target)]] = True
    if not lost.any():
        return
    for f, n in frame.loc[lost, "_file"].value_counts(sort=False).items():
        gone = [c for c in _COLS[kind] if c in lacking[f]]
        if gone:
            why = (f"the file lacks the column{'s' if len(gone) > 1 else ''} "
                   f"{', '.join(gone)} (written with twarc-csv --output-columns?)")
            fix = ("write the CSV again with the default columns (or add "
                   f"{', '.join(_COLS[kind])} to --output-columns), or load the twarc2 JSONL")
        else:
            why = "the referenced tweet was unavailable (deleted or protected) when crawled"
            fix = "nothing in this file can tell; the twarc2 JSONL may name the account"
        report.warn(f, f"{n} {kind} rows have no target account: {why}.",
                    affects=f"{kind} edges (and every measure counting them)", fix=fix)
