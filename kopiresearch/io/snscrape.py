"""Load snscrape Twitter JSONL (``snscrape --jsonl twitter-search ...``) into a Corpus."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from ..corpus import Corpus, LoadReport, MalformedRow
from ..errors import UnknownFormatError
from ._common import (
    COUNT_RULE,
    TIME_RANGE,
    TWITTER_MENTION,
    AccountBook,
    add_account_created,
    add_locations,
    as_dict,
    as_list,
    as_text,
    assemble,
    drop_act_mentions,
    expand_paths,
    expanded_url_column,
    guard,
    in_time_range,
    json_object,
    jsonl_lines,
    one_count,
    parse_counts,
    prefix_mention_rule,
    prefix_only_mentions,
    record_file_counts,
    repost_or_quote,
    time_key,
)

__all__ = ["read_snscrape", "SNSCRAPE_TWEET"]

#: ``_type`` of a tweet in snscrape's JSONL output.
SNSCRAPE_TWEET = "snscrape.modules.twitter.Tweet"
_TWITTER = "snscrape.modules.twitter."
_COUNTS = (("like_count", "likeCount"), ("reply_count", "replyCount"),
           ("repost_count", "retweetCount"), ("quote_count", "quoteCount"))


@guard
def read_snscrape(paths, *, reply_prefix_mentions: bool = True,
                  validate: bool = True) -> Corpus:
    """Load snscrape Twitter JSONL files (one tweet per line) into a Corpus.

    Parameters
    ----------
    paths : path, glob pattern or list of them
        Files written by ``snscrape --jsonl twitter-search "..."`` (also ``twitter-user``,
        ``twitter-profile``, ``twitter-hashtag``, ``twitter-tweet``, ``twitter-list-posts``,
        with or without ``--with-entity`` and ``--jsonl-for-buggy-int-parser``). A folder
        loads every ``*.jsonl``/``*.json`` in it.
    reply_prefix_mentions : bool
        Keep the mention edges of handles that appear only in the leading ``@``-run of a
        reply (default, what ``mentionedUsers`` say); ``False`` leaves them out. Either way
        ``report.derived["reply_prefix_mentions"]`` counts them.
    validate : bool
        Validate the corpus (default).

    Returns
    -------
    Corpus
        Account ids ``"twitter:<id>"`` (``"twitter:@<handle>"`` for accounts known only by a
        handle), post ids ``"twitter:<id>"``; the same ids as the twarc2 and tweet-harvest
        loaders give, so :func:`~kopiresearch.io.merge` unites crawls of all three.

    Raises
    ------
    InputFormatError
        A file is not UTF-8.
    UnknownFormatError
        A file holds snscrape items that are not Twitter tweets (another module's items, or
        only user profiles); the message names the ``_type``.

    Notes
    -----
    Every line is one snscrape item, a JSON object whose ``_type`` names its class. Lines of
    ``_type`` ``snscrape.modules.twitter.Tweet`` are the rows. The ``User`` entity that
    ``--with-entity`` writes first is not a row: it gives the account's follower count and
    location, and is listed in ``report.skipped``. Tweets nested in a row
    (``retweetedTweet``, ``quotedTweet``) are not posts of the crawl (like twarc2's
    ``includes.tweets``); they give the authors of referenced tweets.

    Ids are JSON integers and stay exact: they are read as Python integers (never through a
    float), or from the ``id.str`` fields of ``--jsonl-for-buggy-int-parser``. An id that
    was rounded to a float by another tool (``1.8615e+18``) is a malformed row. Old
    snscrape versions wrote ``content`` (now ``rawContent``) and no ``inReplyToTweetId`` or
    ``inReplyToUser``; both are read.

    Interactions: repost -> ``retweetedTweet.user`` (else the ``RT @x:`` handle); quote ->
    ``quotedTweet.user`` (else the handle of the quoted permalink in ``links``/``outlinks``,
    for a ``Tombstone``/``TweetRef`` quote); reply -> ``inReplyToUser`` (else the author of
    the replied-to tweet when it is a row); mention -> ``mentionedUsers`` (the text's
    mentions when a tweet has no such field) minus the reply and quote targets.

    Also kept: the users' ``created`` as ``accounts.account_created_at`` and the tweets'
    ``links``/``outlinks`` as ``posts.expanded_urls``.

    The rules every loader follows:

    1. Direction: actor -> account acted upon (replier -> replied-to, retweeter -> retweeted
       author, quoter -> quoted author, mentioner -> mentioned).
    2. Handles are compared and stored in lower case, without ``@``.
    3. One interaction per (tweet, target, kind); a handle mentioned twice counts once; a
       tweet can give several kinds (reply + mentions, quote + mentions, reply + quote).
    4. No self-loops.
    5. A retweet gives only the repost edge (its ``mentionedUsers`` are the original's).
    6. The reply target is not also a mention; the quoted author is not also a mention.
    7. Mentions in text: ``@`` + ``[A-Za-z0-9_]+`` not preceded by ``[A-Za-z0-9_]``.
    8. An interaction's time is the tweet's ``date``, in UTC.
    9. Duplicates are detected by tweet id; the second and later copies are duplicates.
    10. rows read (tweet lines, plus unreadable lines) = loaded + duplicates + malformed;
        blank lines are counted separately; a truncated or invalid JSON line, a tweet
        without an exact id, user or time, and a count that is not a whole number are
        malformed rows with their file, line and field.

    Examples
    --------
    >>> import kopiresearch.io as kio
    >>> from kopiresearch.io.examples import example_path
    >>> c = kio.read_snscrape(example_path("snscrape_twitter.jsonl"))
    >>> c.report.is_consistent
    True
    >>> sorted(c.interactions["kind"].unique())
    ['mention', 'quote', 'reply', 'repost']
    """
    files = expand_paths(paths, patterns=("*.jsonl", "*.json"))
    report = LoadReport()
    st = _State()
    for path in files:
        report.files.append(str(path))
        st.read_file(path, report)
    return st.build(report, files, reply_prefix_mentions=reply_prefix_mentions,
                    validate=validate)


def exact_id(obj, key):
    """The integer id ``obj[key]`` as a string of digits, exact; ``False`` when it is there
    but cannot be exact (a float, a rounded value), ``None`` when absent.

    ``--jsonl-for-buggy-int-parser`` writes ``<key>.str`` beside integers above 2**53; it
    wins when present.
    """
    s = obj.get(f"{key}.str")
    if isinstance(s, str) and s.isdigit():
        return s
    v = obj.get(key)
    if v is None:
        return None
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return str(v) if v >= 0 else False
    if isinstance(v, str) and v.strip().isdigit():
        return v.strip()
    return False


class _State:
    """What the lines tell, column by column."""

    _COLUMNS = ("id", "author", "date", "text", "retweeted", "quoted", "reply_to",
                "reply_uid", "reply_handle", "mentions", "links", "conv", "like_count",
                "reply_count", "repost_count", "quote_count", "_file", "_line")

    def __init__(self):
        self.cols = {c: [] for c in self._COLUMNS}
        self.users = {}  # id -> (handle, followers, location)
        self.created = {}  # id -> the User's "created" (ISO 8601)
        self.tweet_author = {}  # tweet id -> author id (rows and nested tweets)
        self.handle_of_tweet = {}  # referenced tweet id -> author handle when known
        self.file_codes = {}

    def user(self, u):
        """Record a nested User; returns (id or None, handle or None)."""
        u = as_dict(u)
        uid = exact_id(u, "id")
        uid = uid if uid else None
        handle = as_text(u.get("username"))
        if uid is not None:
            old = self.users.get(uid, (None, None, None))
            fol = u.get("followersCount")
            fol = fol if one_count(fol) not in (None, False) else None
            loc = as_text(u.get("location"))
            self.users[uid] = (handle or old[0], fol if fol is not None else old[1],
                               loc if loc is not None else old[2])
            if as_text(u.get("created")):
                self.created.setdefault(uid, as_text(u.get("created")))
        return uid, handle

    def nested(self, t):
        """A referenced tweet (Tweet, TweetRef or Tombstone): its id and author."""
        t = as_dict(t)
        tid = exact_id(t, "id")
        tid = tid if tid else None
        if tid is None:
            return None, None, None
        uid, handle = self.user(t.get("user")) if isinstance(t.get("user"), dict) else (
            None, None)
        if uid is not None:
            self.tweet_author.setdefault(tid, uid)
        if handle is not None:
            self.handle_of_tweet.setdefault(tid, handle)
        return tid, uid, handle

    def read_file(self, path, report):
        entity_lines, other_types = 0, {}
        for lineno, text in jsonl_lines(path, report, writes="snscrape writes UTF-8 JSON"):
            obj = json_object(text, path, lineno, report)
            if obj is None:
                continue
            kind = obj.get("_type")
            if kind == SNSCRAPE_TWEET:
                self.tweet(obj, path, lineno, report)
            elif kind == _TWITTER + "User":
                self.user(obj)
                entity_lines += 1
            elif isinstance(kind, str) and kind.startswith("snscrape."):
                other_types[kind] = other_types.get(kind, 0) + 1
            else:
                report.add_malformed(path, lineno, "not an snscrape item (no '_type' field)")
        types = dict(other_types)
        if entity_lines:
            types[_TWITTER + "User"] = entity_lines
        what = ", ".join(f"{n} {k}" for k, n in sorted(types.items()))
        if types and str(path) not in self.file_codes:
            raise UnknownFormatError(
                f"snscrape output without tweets ({what} items): kopiresearch reads "
                "snscrape's Twitter tweets (twitter-search, twitter-user, twitter-tweet, "
                "...)", file=str(path))
        if entity_lines:
            report.skipped.append(MalformedRow(str(path), None, f"{entity_lines} snscrape "
                                               "User lines (--with-entity): account data, "
                                               "not tweets"))
        if other_types:
            what = ", ".join(f"{n} {k}" for k, n in sorted(other_types.items()))
            report.skipped.append(MalformedRow(str(path), None, f"snscrape items that are "
                                               f"not tweets: {what}"))

    def tweet(self, t, path, lineno, report):
        tid = exact_id(t, "id")
        user = as_dict(t.get("user"))
        aid = exact_id(user, "id")
        when = as_text(t.get("date"))
        if tid is False or aid is False:
            report.add_malformed(path, lineno, "field 'id' (or 'user.id') is not an exact "
                                 "integer (rounded to a float by another tool?)")
            return
        if tid is None or aid is None or when is None:
            report.add_malformed(path, lineno, "tweet without an id, user id or date")
            return
        self.user(user)
        self.tweet_author.setdefault(tid, aid)
        text = t.get("rawContent") if "rawContent" in t else t.get("content")
        text = text if isinstance(text, str) else None
        rt_id = qt_id = None
        if isinstance(t.get("retweetedTweet"), dict):
            rt_id, _u, _h = self.nested(t["retweetedTweet"])
        if isinstance(t.get("quotedTweet"), dict):
            qt_id, _u, _h = self.nested(t["quotedTweet"])
            # a quoted tweet's own retweet/quote references are not this crawl's acts
        reply_to = exact_id(t, "inReplyToTweetId") or None
        ruid, rhandle = (self.user(t["inReplyToUser"]) if isinstance(t.get("inReplyToUser"),
                                                                   dict) else (None, None))
        mentions = None
        if isinstance(t.get("mentionedUsers"), list) or "mentionedUsers" in t:
            mentions = []
            for m in as_list(t.get("mentionedUsers")):
                uid, handle = self.user(m)
                if uid or handle:
                    mentions.append((uid, handle))
        links = []
        for link in as_list(t.get("links")):
            u = as_text(as_dict(link).get("url"))
            if u:
                links.append(u)
        for u in as_list(t.get("outlinks")):
            if isinstance(u, str):
                links.append(u)
        conv = exact_id(t, "conversationId") or None
        code = self.file_codes.setdefault(str(path), len(self.file_codes))
        for name, value in (
                ("id", tid), ("author", aid), ("date", when), ("text", text),
                ("retweeted", rt_id), ("quoted", qt_id), ("reply_to", reply_to),
                ("reply_uid", ruid), ("reply_handle", rhandle),
                ("mentions", None if mentions is None else tuple(mentions)),
                ("links", tuple(links) or None), ("conv", conv),
                *((c, t.get(f)) for c, f in _COUNTS), ("_file", code), ("_line", lineno)):
            self.cols[name].append(value)

    def build(self, report, files, *, reply_prefix_mentions=True, validate=True):
        cols = self.cols
        n = len(cols["id"])
        date = pd.Series(cols.pop("date"), dtype="string")
        when = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns, UTC]")
        if n:
            iso = date.str.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                                     r"(Z|[+-]\d{2}:?\d{2})").fillna(False)
            parsed = pd.to_datetime(date.where(iso), format="ISO8601", utc=True,
                                    errors="coerce")
            when = in_time_range(parsed)
        bad = np.array(when.isna().to_numpy(bool))
        reasons = {int(i): f"field 'date': not an ISO 8601 time with offset {TIME_RANGE}"
                   for i in np.flatnonzero(bad)}
        counts = {}
        for c, field in _COUNTS:
            values = pd.Series(cols.pop(c), dtype=object)
            counts[c], wrong = parse_counts(values)
            for i in np.flatnonzero(wrong):
                reasons.setdefault(int(i), f"field {field!r}: {COUNT_RULE}, not "
                                   f"{values.iloc[i]!r}")
            bad |= wrong
        code_files = list(self.file_codes)
        for i in sorted(reasons):
            report.add_malformed(code_files[cols["_file"][i]], int(cols["_line"][i]),
                                 reasons[i])
        keep = np.flatnonzero(~bad)
        ids = pd.Series(cols["id"], dtype="string")
        dup = ids.iloc[keep].duplicated(keep="first").to_numpy(bool)
        report.add_duplicate(int(dup.sum()))
        where = pd.Index([str(f) for f in files]).get_indexer(code_files)
        fcodes = np.asarray(cols["_file"], dtype=np.int64)[keep]
        record_file_counts(report, files, where[fcodes] if len(fcodes) else fcodes, dup,
                           time_key(pd.Series(when.array.take(keep))))
        keep = keep[~dup]
        report.add_loaded(len(keep))

        def col(name):
            values = cols[name]
            return [values[i] for i in keep]

        ids, authors = col("id"), col("author")
        times = when.array.take(keep)
        text = col("text")
        ta, ht = self.tweet_author, self.handle_of_tweet
        edges, kinds, parents = [], [], []

        def edge(i, kind, uid, handle):
            edges.append((i, kind, uid, handle))

        for i, (rt, qt, rp, ruid, rh, mentions, links, body) in enumerate(zip(
                col("retweeted"), col("quoted"), col("reply_to"), col("reply_uid"),
                col("reply_handle"), col("mentions"), col("links"), text, strict=True)):
            body = body if isinstance(body, str) else ""
            kind, parent = repost_or_quote(i, rt, qt, body, links, ta, edge, ht)
            if kind == "repost":
                kinds.append("repost")
                parents.append(rt)
                continue
            if rp is not None or ruid is not None or rh is not None:
                kind = "reply"
                parent = rp if rp is not None else parent
                uid = ruid if ruid is not None else ta.get(rp)
                if uid is not None or rh is not None:
                    edges.append((i, "reply", uid, rh))
            kinds.append(kind)
            parents.append(parent)
            if mentions is not None:
                for uid, handle in mentions:
                    edges.append((i, "mention", uid, handle))
            else:
                for handle in dict.fromkeys(TWITTER_MENTION.findall(body)):
                    edges.append((i, "mention", None, handle))

        book = AccountBook("twitter")
        uids = list(self.users)
        book.add(pd.Series(uids, dtype="string"),
                 pd.Series([self.users[u][0] for u in uids], dtype="string"),
                 followers=pd.Series([self.users[u][1] for u in uids], dtype="Float64"))
        authors = pd.Series(authors, dtype="string")
        book.add(authors, pd.Series(pd.NA, index=authors.index, dtype="string"),
                 order=np.full(len(authors), -1.0))
        edges = pd.DataFrame(edges, columns=["row", "kind", "uid", "handle"])
        edges["uid"] = edges["uid"].astype("string")
        edges["handle"] = edges["handle"].astype("string")
        book.add(edges["uid"], edges["handle"], order=np.full(len(edges), -3.0))
        book.finish()
        add_locations(book, {u: v[2] for u, v in self.users.items() if v[2] is not None})
        add_account_created(book, self.created, report)
        author = book.resolve(uids=authors).astype("string")
        edges["target_id"] = book.resolve(uids=edges["uid"], handles=edges["handle"]).to_numpy()
        text = pd.Series(text, dtype="string")
        ment = (edges["kind"] == "mention").to_numpy(bool)
        edges["prefix"] = False
        if ment.any():
            edges.loc[ment, "prefix"] = prefix_only_mentions(
                text, np.asarray(kinds, dtype=object) == "reply",
                edges.loc[ment, "row"].to_numpy(np.int64), edges.loc[ment, "handle"])
        edges = drop_act_mentions(edges)  # rule 6
        edges = prefix_mention_rule(edges, edges["prefix"].to_numpy(bool),
                                    author.to_numpy(object), report,
                                    keep=reply_prefix_mentions)
        ids = pd.Series(ids, dtype="string")
        post_id = "twitter:" + ids
        r = edges["row"].to_numpy(np.int64)
        inter = pd.DataFrame({"source_id": author.to_numpy(object)[r],
                              "target_id": edges["target_id"].to_numpy(object),
                              "kind": edges["kind"].to_numpy(object),
                              "created_at": times.take(r),
                              "post_id": post_id.to_numpy(object)[r]})
        has_amp = text.str.contains("&", regex=False).fillna(False).to_numpy(bool)
        if has_amp.any():
            text[has_amp] = text[has_amp].map(html.unescape)
        conv = pd.Series(col("conv"), dtype="string")
        posts = pd.DataFrame({
            "post_id": post_id, "author_id": author, "created_at": times,
            "kind": pd.Categorical(kinds, categories=["original", "reply", "repost", "quote"]),
            "parent_post_id": "twitter:" + pd.Series(parents, dtype="string"),
            "conversation_id": "twitter:" + conv, "text": text,
            "expanded_urls": expanded_url_column(col("links")),
            "url": "https://x.com/i/status/" + ids,
            **{c: (v if len(keep) == n else v.take(keep)).reset_index(drop=True)
               for c, v in counts.items()},
        })
        return assemble("twitter", book, posts, inter, report, {"source": "snscrape"},
                        validate=validate)
