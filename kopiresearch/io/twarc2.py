"""Load twarc2 JSONL (Twitter API v2 pages, or flattened one-tweet-per-line files) into a Corpus."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pandas as pd

from ..corpus import Corpus, LoadReport
from ._common import (
    TWITTER_MENTION,
    AccountBook,
    assemble,
    check_utf8,
    drop_act_mentions,
    expand_paths,
)
from .tweet_harvest import parse_twitter_time

__all__ = ["read_twarc2"]

_RT = re.compile(r"^RT @([A-Za-z0-9_]+):")
_STATUS = re.compile(r"(?:twitter|x)\.com/([A-Za-z0-9_]+)/status/(\d+)")


def read_twarc2(paths, *, validate: bool = True) -> Corpus:
    """Load twarc2 JSONL files into a Corpus.

    Parameters
    ----------
    paths : path, glob pattern or list of them
        Files written by ``twarc2 search|timeline|conversation|...`` (one API response page
        per line) or by ``twarc2 flatten`` (one tweet per line, expansions inlined); both
        kinds may be mixed. A folder loads every ``*.jsonl``/``*.json`` in it.
    validate : bool
        Validate the corpus (default).

    Returns
    -------
    Corpus
        Account ids ``"twitter:<id>"`` (``"twitter:@<handle>"`` for accounts known only by a
        handle, e.g. a suspended user named in ``errors``), post ids ``"twitter:<id>"``.

    Raises
    ------
    InputFormatError
        A file is not UTF-8 or cannot be read.

    Notes
    -----
    Posts are the tweets in ``data`` only (``includes.tweets`` repeats page tweets and holds
    referenced tweets; it is used only to find the author of a referenced tweet). ``includes``
    of all lines of all files are resolved together, so a tweet referenced on one page and
    expanded on another is still resolved. Users known only from ``errors`` (deleted,
    suspended, protected) are kept as accounts.

    Interactions: repost -> author of the ``retweeted`` tweet (else the ``RT @x:`` handle);
    quote -> author of the ``quoted`` tweet (else the handle in the quoted permalink);
    reply -> ``in_reply_to_user_id``; mention -> ``entities.mentions`` (or the text, when a
    tweet has no ``entities``) minus the author and the reply and quote targets.

    The rules every loader follows:

    1. Direction: actor -> account acted upon (replier -> replied-to, retweeter -> retweeted
       author, quoter -> quoted author, mentioner -> mentioned).
    2. Handles are compared and stored in lower case, without ``@``.
    3. One interaction per (tweet, target, kind); a handle mentioned twice counts once; a
       tweet can give several kinds (reply + mentions, quote + mentions, reply + quote).
    4. No self-loops.
    5. A retweet gives only the repost edge (its ``entities.mentions`` are the original's).
    6. The reply target is not also a mention; the quoted author is not also a mention.
    7. Mentions in text: ``@`` + ``[A-Za-z0-9_]+`` not preceded by ``[A-Za-z0-9_]``.
    8. An interaction's time is the tweet's ``created_at``, in UTC.
    9. Duplicates are detected by tweet id; the second and later copies are duplicates.
    10. rows read (tweets in ``data``, plus unreadable lines) = loaded + duplicates +
        malformed; blank lines are counted separately; a truncated or invalid JSON line is
        one malformed row with its file and line.

    Examples
    --------
    >>> import kopiresearch.io as kio
    >>> from kopiresearch.io.examples import example_path
    >>> c = kio.read_twarc2(example_path("twarc2_search.jsonl"))
    >>> c.report.is_consistent
    True
    >>> sorted(c.interactions["kind"].unique())
    ['mention', 'quote', 'reply', 'repost']
    """
    files = expand_paths(paths, patterns=("*.jsonl", "*.json"))
    report = LoadReport()
    state = _State()
    for path in files:
        report.files.append(str(path))
        data = check_utf8(path.read_bytes(), path)
        lines = data.split(b"\n")
        if lines and not lines[-1]:
            lines.pop()
        for lineno, raw in enumerate(lines, start=1):
            if not raw.strip():
                report.blank_lines += 1
                continue
            try:
                obj = json.loads(raw)
            except (ValueError, RecursionError):
                report.add_malformed(path, lineno, "truncated or invalid JSON line")
                continue
            if not isinstance(obj, dict):
                report.add_malformed(path, lineno, "not a JSON object")
                continue
            state.take(obj, path, lineno, report)
    return state.build(report, validate=validate)


class _State:
    def __init__(self):
        self.users = {}  # id -> (username, followers)
        self.error_users = []  # (id or None, username or None)
        self.tweet_author = {}  # tweet id -> author id
        self.rows = []

    # -- collection ----------------------------------------------------------------------
    def user(self, u):
        if isinstance(u, dict) and u.get("id") is not None:
            pm = u.get("public_metrics") or {}
            old = self.users.get(str(u["id"]), (None, None))
            name = u.get("username") or old[0]
            fol = pm.get("followers_count") if isinstance(pm, dict) else None
            self.users[str(u["id"])] = (name, fol if fol is not None else old[1])

    def ref_tweet(self, t):
        if isinstance(t, dict) and t.get("id") is not None and t.get("author_id") is not None:
            self.tweet_author[str(t["id"])] = str(t["author_id"])
        if isinstance(t, dict):
            self.user(t.get("author"))

    def take(self, obj, path, lineno, report):
        is_page = "id" not in obj and any(k in obj for k in ("data", "includes", "meta",
                                                             "errors"))
        if is_page:
            inc = obj.get("includes") or {}
            if isinstance(inc, dict):
                for u in inc.get("users") or []:
                    self.user(u)
                for t in inc.get("tweets") or []:
                    self.ref_tweet(t)
            for e in obj.get("errors") or []:
                self.error(e)
            data = obj.get("data") or []
            if isinstance(data, dict):
                data = [data]
            if not isinstance(data, list):
                report.add_malformed(path, lineno, "'data' is not a list of tweets")
                return
            for t in data:
                self.tweet(t, path, lineno, report)
        elif "id" in obj:
            self.user(obj.get("author"))
            self.user(obj.get("in_reply_to_user"))
            for r in obj.get("referenced_tweets") or []:
                self.ref_tweet(r)
            ents = obj.get("entities") or {}
            if isinstance(ents, dict):
                for m in ents.get("mentions") or []:
                    if isinstance(m, dict) and m.get("id") is not None:
                        self.user(m)
            self.tweet(obj, path, lineno, report)
        else:
            report.add_malformed(path, lineno, "neither a twarc2 page nor a tweet")

    def error(self, e):
        if not isinstance(e, dict) or e.get("resource_type") != "user":
            return
        value = e.get("value") or e.get("resource_id")
        if value is None:
            return
        if str(e.get("parameter", "")).endswith("username"):
            self.error_users.append((None, str(value)))
        else:
            self.error_users.append((str(value), None))

    def tweet(self, t, path, lineno, report):
        if not isinstance(t, dict) or not t.get("id") or not t.get("author_id") \
                or not t.get("created_at"):
            report.add_malformed(path, lineno, "tweet without id, author_id or created_at")
            return
        self.tweet_author.setdefault(str(t["id"]), str(t["author_id"]))
        refs = {}
        for r in t.get("referenced_tweets") or []:
            if isinstance(r, dict) and r.get("type") and r.get("id") is not None:
                refs.setdefault(str(r["type"]), str(r["id"]))
        ents = t.get("entities") if isinstance(t.get("entities"), dict) else None
        mentions = None
        if ents is not None and "mentions" in ents:
            mentions = [(None if m.get("id") is None else str(m["id"]), m.get("username"))
                        for m in ents.get("mentions") or [] if isinstance(m, dict)]
            for uid, name in mentions:
                if uid is not None and name and uid not in self.users:
                    self.users[uid] = (name, None)
        urls = [u.get("expanded_url") for u in (ents or {}).get("urls") or []
                if isinstance(u, dict) and u.get("expanded_url")]
        pm = t.get("public_metrics") if isinstance(t.get("public_metrics"), dict) else {}
        self.rows.append({
            "id": str(t["id"]), "author_id": str(t["author_id"]),
            "created_at": str(t["created_at"]), "text": t.get("text"),
            "refs": refs, "reply_uid": t.get("in_reply_to_user_id"),
            "mentions": mentions, "urls": urls,
            "like_count": pm.get("like_count"), "reply_count": pm.get("reply_count"),
            "repost_count": pm.get("retweet_count"), "quote_count": pm.get("quote_count"),
            "_file": str(path), "_line": lineno,
        })

    # -- assembly ------------------------------------------------------------------------
    def build(self, report, *, validate=True):
        cols = ["id", "author_id", "created_at", "text", "refs", "reply_uid", "mentions",
                "urls", "like_count", "reply_count", "repost_count", "quote_count", "_file",
                "_line"]
        frame = pd.DataFrame(self.rows, columns=cols)
        when = parse_twitter_time(frame["created_at"].astype("string"))
        bad = when.isna().to_numpy(bool)
        for f, ln in zip(frame.loc[bad, "_file"], frame.loc[bad, "_line"], strict=True):
            report.add_malformed(f, int(ln), "created_at is not ISO 8601 UTC")
        frame = frame[~bad].assign(_when=when[~bad])
        dup = frame["id"].duplicated(keep="first").to_numpy(bool)
        report.add_duplicate(int(dup.sum()))
        frame = frame[~dup].reset_index(drop=True)
        report.add_loaded(len(frame))

        book = AccountBook("twitter")
        uids = list(self.users)
        book.add(pd.Series(uids, dtype="string"),
                 pd.Series([self.users[u][0] for u in uids], dtype="string"),
                 followers=pd.Series([self.users[u][1] for u in uids], dtype="Float64"))
        book.add(frame["author_id"].astype("string"),
                 pd.Series(pd.NA, index=frame.index, dtype="string"),
                 order=np.full(len(frame), -1.0))
        if self.error_users:
            eu = pd.DataFrame(self.error_users, columns=["uid", "handle"])
            book.add(eu["uid"].astype("string"), eu["handle"].astype("string"),
                     order=np.full(len(eu), -2.0))

        edges = []  # (row, kind, uid, handle)
        kinds, parents = [], []
        for i, r in enumerate(frame.itertuples(index=False)):
            refs, text = r.refs, r.text if isinstance(r.text, str) else ""
            kind, parent = "original", None
            if "retweeted" in refs:
                kind, parent = "repost", refs["retweeted"]
                a = self.tweet_author.get(parent)
                if a is not None:
                    edges.append((i, "repost", a, None))
                else:
                    m = _RT.match(text)
                    if m:
                        edges.append((i, "repost", None, m.group(1)))
                kinds.append(kind)
                parents.append(parent)
                continue
            if "quoted" in refs:
                kind, parent = "quote", refs["quoted"]
                a = self.tweet_author.get(parent)
                if a is not None:
                    edges.append((i, "quote", a, None))
                else:
                    for u in r.urls:
                        m = _STATUS.search(u)
                        if m and m.group(2) == parent:
                            edges.append((i, "quote", None, m.group(1)))
                            break
            reply_uid = r.reply_uid if isinstance(r.reply_uid, (str, int)) else None
            if "replied_to" in refs or reply_uid:
                kind = "reply"
                parent = refs.get("replied_to", parent)
                target = reply_uid or self.tweet_author.get(refs.get("replied_to"))
                if target:
                    edges.append((i, "reply", str(target), None))
            kinds.append(kind)
            parents.append(parent)
            if r.mentions is not None:
                for uid, name in r.mentions:
                    edges.append((i, "mention", uid, name))
            else:
                for name in dict.fromkeys(TWITTER_MENTION.findall(text)):
                    edges.append((i, "mention", None, name))
        edges = pd.DataFrame(edges, columns=["row", "kind", "uid", "handle"])
        edges["uid"] = edges["uid"].astype("string")
        edges["handle"] = edges["handle"].astype("string")
        h_only = edges["uid"].isna()
        book.add(edges.loc[h_only, "uid"], edges.loc[h_only, "handle"],
                 order=np.full(int(h_only.sum()), -3.0))
        book.finish()
        author = book.resolve(uids=frame["author_id"].astype("string"))
        edges["target_id"] = book.resolve(uids=edges["uid"], handles=edges["handle"]).to_numpy()
        edges = drop_act_mentions(edges)  # rule 6
        post_id = "twitter:" + frame["id"].astype("string")
        r = edges["row"].to_numpy(np.int64)
        inter = pd.DataFrame({"source_id": author.to_numpy()[r],
                              "target_id": edges["target_id"].to_numpy(),
                              "kind": edges["kind"].to_numpy(),
                              "created_at": frame["_when"].to_numpy()[r],
                              "post_id": post_id.to_numpy()[r]})
        inter["created_at"] = pd.to_datetime(inter["created_at"], utc=True)
        text = frame["text"].astype("string")
        has_amp = text.str.contains("&", regex=False).fillna(False).to_numpy(bool)
        if has_amp.any():
            text[has_amp] = text[has_amp].map(html.unescape)
        parent = pd.Series(parents, dtype="string")
        posts = pd.DataFrame({
            "post_id": post_id, "author_id": author, "created_at": frame["_when"],
            "kind": kinds, "parent_post_id": ("twitter:" + parent),
            "text": text, "url": "https://x.com/i/status/" + frame["id"].astype("string"),
            **{c: pd.to_numeric(frame[c], errors="coerce").astype("Int64")
               for c in ("like_count", "reply_count", "repost_count", "quote_count")},
        })
        return assemble("twitter", book, posts, inter, report, {"source": "twarc2"},
                        validate=validate)
