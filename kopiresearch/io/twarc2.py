"""Load twarc2 JSONL (Twitter API v2 pages, or flattened one-tweet-per-line files) into a Corpus."""

from __future__ import annotations

import gc
import html

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._docs import fill_doc
from ..corpus import Corpus, LoadReport
from ._common import (
    COUNT_MAX,
    COUNT_RULE,
    TIME_RANGE,
    TWITTER_MENTION,
    AccountBook,
    add_locations,
    as_arrow,
    as_dict,
    as_list,
    as_text,
    assemble,
    expand_paths,
    guard,
    json_object,
    jsonl_lines,
    mention_spans,
    one_count,
    parse_counts,
    prefix_mention_rule,
    prefix_only_mentions,
    record_file_counts,
    repost_or_quote,
    take_rows,
    time_key,
    time_order,
    times_or_nat,
    twitter_mentions,
)
from .tweet_harvest import parse_twitter_time

__all__ = ["read_twarc2"]

_STR = pd.StringDtype()


@fill_doc
@guard
def read_twarc2(paths, *, reply_prefix_mentions: bool = True, validate: bool = True,
                progress=None) -> Corpus:
    """Load twarc2 JSONL files into a Corpus.

    Parameters
    ----------
    paths : path, glob pattern or list of them
        Files written by ``twarc2 search|timeline|conversation|...`` (one API response page
        per line) or by ``twarc2 flatten`` (one tweet per line, expansions inlined); both
        kinds may be mixed. A folder loads every ``*.jsonl``/``*.json`` in it.
    {{loader_validate_progress}}

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

    Also kept: ``posts.conversation_id``, the authors' profile ``location`` (raw text) and
    follower counts from ``includes.users``, and per-file counts in ``report.file_counts``.
    A count in ``public_metrics`` that is not a whole number from 0 to 2**63 - 1 and a
    ``created_at`` outside 1677-2262 make the tweet a malformed row naming the field.

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
    fast = _page_decoder()
    # the collection makes millions of small objects and no reference cycles: the cyclic
    # garbage collector only slows it down (switched back on however the loop ends)
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        _collect(files, state, fast, report, progress)
    finally:
        if gc_was_on:
            gc.enable()
    if progress is not None:
        progress.stage("building the corpus of the twarc2 files")
    return state.build(report, validate=validate, reply_prefix_mentions=reply_prefix_mentions)


def twarc2_kind(objs):
    """What a twarc2 output that holds no tweets is, or None.

    ``objs`` are the JSON objects of a file (pages or single items). Used by
    :func:`~kopiresearch.io.detect.detect_format` and by :func:`read_twarc2` to name, in
    the error, the twarc2 command that wrote users, counts or compliance output instead of
    tweets.

    Examples
    --------
    >>> twarc2_kind([{"data": [{"id": "1", "username": "warga_001"}]}])[:20]
    'twarc2 users output '
    >>> twarc2_kind([{"data": [{"id": "1", "text": "halo", "author_id": "2"}]}]) is None
    True
    """
    items = []
    for o in objs:
        data = o.get("data")
        if isinstance(data, dict):
            data = [data]
        items.extend(d for d in (data if isinstance(data, list) else [o]) if isinstance(d,
                                                                                        dict))
    if not items:
        return None
    if all("tweet_count" in d and "start" in d for d in items):
        return ("twarc2 counts output (`twarc2 counts`: numbers of tweets per time bucket, "
                "no tweets)")
    if all("username" in d and "text" not in d and "author_id" not in d for d in items):
        return ("twarc2 users output (`twarc2 users` / `followers` / `following`: profiles, "
                "no tweets)")
    if all("action" in d and "text" not in d for d in items):
        return "twarc2 compliance output (ids of deleted or protected tweets, no tweets)"
    return None


def _collect(files, state, fast, report, progress):
    """Read every line of every file into ``state`` (pages fast where they can be)."""
    for path in files:
        report.files.append(str(path))
        if progress is not None:
            progress.start(path)
        before = state.n_rows() + len(report.malformed)
        for lineno, text in jsonl_lines(path, report, writes="twarc2 writes ASCII JSON"):
            if fast is not None and state.take_fast(fast, text, path, lineno):
                if len(state.cols["id"]) >= _BLOCK:
                    state.flush()
                continue  # a page of the usual shape: decoded and taken in one pass
            obj = json_object(text, path, lineno, report)
            if obj is None:
                continue
            state.take(obj, path, lineno, report)
            if len(state.cols["id"]) >= _BLOCK:
                state.flush()
        state.refuse_non_tweets(path)
        if progress is not None:
            progress.done(path, state.n_rows() + len(report.malformed) - before)


def _page_decoder():
    """A :mod:`msgspec` decoder of a twarc2 page into the fields the loader reads
    (:class:`_Page`), with msgspec's decode error and ``UNSET``; None without msgspec.

    The types are strict (ids and texts are strings, lists are lists): a line of any other
    shape fails to decode, and :meth:`_State.take_fast` leaves it to the reference path
    (``json.loads`` and :meth:`_State.take`). msgspec skips the fields it is not asked for
    (``context_annotations``, ``edit_history_tweet_ids``, ...) without building them, and
    is no more lenient than ``json.loads``: ``NaN``, lone surrogates and numbers out of
    range fail to decode and take the reference path too.
    """
    if msgspec is None:  # pragma: no cover - msgspec is a dependency
        return None
    return msgspec.json.Decoder(_Page), msgspec.DecodeError, msgspec.UNSET


try:
    import msgspec
except ImportError:  # pragma: no cover
    msgspec = None
else:
    from typing import Any

    class _UserMetrics(msgspec.Struct, gc=False):
        followers_count: Any = None

    class _User(msgspec.Struct, gc=False):
        id: str | None = None
        username: str | None = None
        created_at: str | None = None
        location: str | None = None
        public_metrics: _UserMetrics | None = None

    class _RefTweet(msgspec.Struct, gc=False):
        id: str | None = None
        author_id: str | None = None
        author: _User | None = None

    class _Includes(msgspec.Struct, gc=False):
        users: list[_User] = []
        tweets: list[_RefTweet] = []

    class _Ref(msgspec.Struct, gc=False):
        type: str | None = None
        id: str | None = None

    class _Mention(msgspec.Struct, gc=False):
        id: str | None = None
        username: str | None = None

    class _Url(msgspec.Struct, gc=False):
        expanded_url: str | None = None

    class _Entities(msgspec.Struct, gc=False):
        # UNSET: no "mentions" key (mentions are then read from the text)
        mentions: list[_Mention] | None | msgspec.UnsetType = msgspec.UNSET
        urls: list[_Url] | None = None

    class _Metrics(msgspec.Struct, gc=False):
        like_count: Any = None
        reply_count: Any = None
        retweet_count: Any = None
        quote_count: Any = None

    class _Tweet(msgspec.Struct, gc=False):
        id: str | None = None
        author_id: str | None = None
        created_at: str | None = None
        text: str | None = None
        conversation_id: str | None = None
        in_reply_to_user_id: str | None = None
        referenced_tweets: list[_Ref] | None = None
        entities: _Entities | None = None
        public_metrics: _Metrics | None = None

    class _Page(msgspec.Struct, gc=False):
        """The fields of a twarc2 page that the loader reads (``id`` set: not a page)."""

        data: list[_Tweet]
        id: Any | msgspec.UnsetType = msgspec.UNSET
        includes: _Includes = msgspec.field(default_factory=_Includes)
        errors: list[Any] = []


def _digits(values) -> bool:
    """Whether every value is a non-empty string of digits (then :func:`_id` keeps it)."""
    return not values or (all(values) and "".join(values).isdigit())


#: Rows collected between two moves of the string columns to Arrow.
_BLOCK = 1 << 16
#: The string columns that are only read whole (kept as Arrow chunks while collecting).
_ARROW_COLUMNS = ("id", "author_id", "created_at", "conversation_id")


def _string_array(values: list) -> pa.Array:
    """``values`` (strings and None) as an Arrow string array."""
    try:
        return pa.array(values, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return as_arrow(pd.Series(values, dtype=_STR))


def _strings(values: list) -> pd.Series:
    """``pd.Series(values, dtype="string")`` of a list of strings and None, built by Arrow
    in one pass (pandas checks every value in Python first)."""
    try:
        arr = pa.array(values, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.Series(values, dtype=_STR)
    return pd.Series(pd.arrays.ArrowStringArray(arr), dtype=_STR)


def _prefix_only(text: pd.Series, is_reply, rows, handles) -> np.ndarray:
    """:func:`~kopiresearch.io._common.prefix_only_mentions`, found on the mention spans of
    the texts' UTF-8 bytes (:func:`~kopiresearch.io._common.twitter_mentions`): the
    (row, lower-case handle) pairs of the texts whose mentions are prefix-only, looked up as
    integer keys."""
    rows = np.asarray(rows, dtype=np.int64)
    reply = np.asarray(is_reply, dtype=bool)
    if not len(rows) or not reply.any():
        return np.zeros(len(rows), dtype=bool)
    s = text.reset_index(drop=True).astype(_STR)
    scan = mention_spans(s)
    if scan is False:
        return prefix_only_mentions(text, is_reply, rows, handles)
    found = twitter_mentions(s, scan, is_reply=reply)
    found = found[found["prefix_only"].to_numpy(bool)]
    ask = pd.Series(handles, dtype=_STR).reset_index(drop=True).str.lower().fillna("")
    both = pc.dictionary_encode(pa.chunked_array(
        [as_arrow(found["handle"]), as_arrow(ask)], type=pa.string()).combine_chunks())
    code = np.asarray(both.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    width = len(both.dictionary) + 1
    known = found["row"].to_numpy(np.int64) * width + code[:len(found)]
    return np.isin(rows * width + code[len(found):], known)


def _drop_act_mentions(edges: pd.DataFrame) -> pd.DataFrame:
    """:func:`~kopiresearch.io._common.drop_act_mentions` (rule 6) on integer keys of
    (row, target id). As there, a missing target makes the whole key missing: a mention
    naming nobody is dropped when any act names nobody."""
    kind = edges["kind"].to_numpy(object)
    target = np.asarray(edges["target_id"], dtype=object)
    code = pd.factorize(target)[0].astype(np.int64)
    key = edges["row"].to_numpy(np.int64) * (int(code.max(initial=0)) + 1) + code
    key[code < 0] = -1
    act = np.isin(kind, ["reply", "quote", "comment"])
    ment = kind == "mention"
    drop = ment & np.isin(key, key[act])
    return edges[~drop]


def _id(v):
    """A tweet or user id as a string of digits, else None (API ids are digit strings)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str) and v.strip().isdigit():
        return v.strip()
    return None


def _id_str(v):
    """:func:`_id` of a string or None."""
    return v if v is None or v.isdigit() else _id(v)


def _num(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


class _State:
    """What the lines of a crawl tell, collected column by column (one list per field: a
    million tweets as a dict each would take several GiB)."""

    _COLUMNS = ("id", "author_id", "created_at", "text", "retweeted", "quoted", "replied_to",
                "reply_uid", "mentions", "urls", "like_count", "reply_count", "repost_count",
                "quote_count", "conversation_id", "_file", "_line")

    def __init__(self):
        self.users = {}  # id -> (username, followers)
        self.created = {}  # user id -> its created_at (kept as accounts.account_created_at)
        self.error_users = []  # (id or None, username or None)
        self.tweet_author = {}  # tweet id -> author id
        self.cols = {c: [] for c in self._COLUMNS}
        # the string columns read only as whole columns, moved to Arrow every _BLOCK rows
        # (a Python string each would take about 3x the memory)
        self.chunks = {c: [] for c in _ARROW_COLUMNS}
        self.flushed = 0
        self.files = {}  # path -> code in the _file column
        self.non_tweets = {}  # path -> kinds of non-tweet objects (users, counts) seen

    def n_rows(self) -> int:
        """Tweets collected so far."""
        return self.flushed + len(self.cols["id"])

    def flush(self):
        """Move the rows of :data:`_ARROW_COLUMNS` collected since the last flush to Arrow."""
        k = len(self.cols["id"])
        for c in _ARROW_COLUMNS:
            self.chunks[c].append(_string_array(self.cols[c]))
            self.cols[c] = []
        self.flushed += k

    def strings(self, name) -> pd.Series:
        """The whole column ``name`` of :data:`_ARROW_COLUMNS` as a string Series."""
        arr = pa.chunked_array(self.chunks[name], type=pa.string()).combine_chunks()
        return pd.Series(pd.arrays.ArrowStringArray(arr), dtype=_STR)

    # -- collection ----------------------------------------------------------------------
    def user(self, u):
        uid = _id(as_dict(u).get("id"))
        if uid is not None:
            old = self.users.get(uid, (None, None, None))
            name = as_text(u.get("username")) or old[0]
            fol = as_dict(u.get("public_metrics")).get("followers_count")
            fol = fol if one_count(fol) not in (None, False) else None  # never a bad count
            loc = as_text(u.get("location")) or old[2]
            self.users[uid] = (name, fol if fol is not None else old[1], loc)
            if as_text(u.get("created_at")):
                self.created.setdefault(uid, as_text(u.get("created_at")))

    def ref_tweet(self, t):
        t = as_dict(t)
        tid, aid = _id(t.get("id")), _id(t.get("author_id"))
        if tid is not None and aid is not None:
            self.tweet_author[tid] = aid
        self.user(t.get("author"))

    def take(self, obj, path, lineno, report):
        is_page = "id" not in obj and any(k in obj for k in ("data", "includes", "meta",
                                                             "errors"))
        if is_page:
            inc = as_dict(obj.get("includes"))
            for u in as_list(inc.get("users")):
                self.user(u)
            for t in as_list(inc.get("tweets")):
                self.ref_tweet(t)
            for e in as_list(obj.get("errors")):
                self.error(e)
            data = obj.get("data")
            if data is None:
                return
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
            for r in as_list(obj.get("referenced_tweets")):
                self.ref_tweet(r)
            for m in as_list(as_dict(obj.get("entities")).get("mentions")):
                if _id(as_dict(m).get("id")) is not None:
                    self.user(m)
            self.tweet(obj, path, lineno, report)
        else:
            report.add_malformed(path, lineno, "neither a twarc2 page nor a tweet")

    def take_fast(self, fast, text, path, lineno) -> bool:
        """Take the page ``text`` as :meth:`take` would, if it has the usual shape; return
        False (nothing taken) when it does not: a line that is not a page whose ``data`` is
        a list, a field of another type, or a tweet without a valid id, author_id or
        created_at (the reference path reports it)."""
        decoder, error, unset = fast
        try:
            page = decoder.decode(text)
        except (error, RecursionError):
            return False
        data = page.data
        if page.id is not unset or not (
                _digits([t.id for t in data]) and _digits([t.author_id for t in data])
                and all([t.created_at for t in data])):
            return False
        users, ta = self.users, self.tweet_author
        inc = page.includes
        for u in inc.users:
            self._user_fast(u, users)
        for t in inc.tweets:
            tid, aid = t.id, t.author_id
            if tid is not None and aid is not None:
                if not (tid.isdigit() and aid.isdigit()):
                    tid, aid = _id(tid), _id(aid)
                if tid is not None and aid is not None:
                    ta[tid] = aid
            if t.author is not None:
                self._user_fast(t.author, users)
        for e in page.errors:
            self.error(e)
        if not data:
            return True
        file_code = self.files.setdefault(str(path), len(self.files))
        cols = self.cols
        retweeted, quoted, replied = [], [], []
        mention_col, url_col = [], []
        for t in data:
            ta.setdefault(t.id, t.author_id)
            refs = {}
            for r in t.referenced_tweets or ():
                if r.type and r.id is not None:
                    rid = r.id if r.id.isdigit() else _id(r.id)
                    if rid is not None:
                        refs.setdefault(r.type, rid)
            retweeted.append(refs.get("retweeted"))
            quoted.append(refs.get("quoted"))
            replied.append(refs.get("replied_to"))
            ents = t.entities
            mentions = None
            urls = None
            if ents is not None:
                if ents.mentions is not unset:
                    mentions = []
                    for m in ents.mentions or ():
                        uid, name = m.id, m.username or None
                        if uid is not None and not uid.isdigit():
                            uid = _id(uid)
                        if uid is not None or name:
                            mentions.append((uid, name))
                            if uid is not None and name and uid not in users:
                                users[uid] = (name, None, None)
                    mentions = tuple(mentions)
                if ents.urls:
                    urls = tuple(u.expanded_url for u in ents.urls if u.expanded_url) or None
            mention_col.append(mentions)
            url_col.append(urls)
        n = len(data)
        cols["id"] += [t.id for t in data]
        cols["author_id"] += [t.author_id for t in data]
        cols["created_at"] += [t.created_at for t in data]
        cols["text"] += [t.text or None for t in data]
        cols["retweeted"] += retweeted
        cols["quoted"] += quoted
        cols["replied_to"] += replied
        cols["reply_uid"] += [_id_str(t.in_reply_to_user_id) for t in data]
        cols["mentions"] += mention_col
        cols["urls"] += url_col
        pms = [t.public_metrics for t in data]
        cols["like_count"] += [None if p is None else p.like_count for p in pms]
        cols["reply_count"] += [None if p is None else p.reply_count for p in pms]
        cols["repost_count"] += [None if p is None else p.retweet_count for p in pms]
        cols["quote_count"] += [None if p is None else p.quote_count for p in pms]
        cols["conversation_id"] += [_id_str(t.conversation_id) for t in data]
        cols["_file"] += [file_code] * n
        cols["_line"] += [lineno] * n
        return True

    def _user_fast(self, u, users):
        """:meth:`user` of a decoded user (its fields are strings or None)."""
        uid = u.id
        if uid is None:
            return
        if not uid.isdigit():
            uid = _id(uid)
            if uid is None:
                return
        old = users.get(uid, (None, None, None))
        pm = u.public_metrics
        fol = None if pm is None else pm.followers_count
        if fol is not None and not (type(fol) is int and 0 < fol <= COUNT_MAX) and (
                one_count(fol) in (None, False)):
            fol = None  # as in user(): a count of 0 is not kept either
        users[uid] = (u.username or old[0], fol if fol is not None else old[1],
                      u.location or old[2])
        if u.created_at:
            self.created.setdefault(uid, u.created_at)

    def error(self, e):
        e = as_dict(e)
        if e.get("resource_type") != "user":
            return
        value = as_text(e.get("value")) or as_text(e.get("resource_id"))
        if value is None:
            return
        if str(e.get("parameter", "")).endswith("username"):
            self.error_users.append((None, value))
        elif value.isdigit():
            self.error_users.append((value, None))

    def refuse_non_tweets(self, path):
        """Raise when a file gave no tweet, only users or counts (another twarc2 output)."""
        seen = self.non_tweets.pop(str(path), {})
        if seen and str(path) not in self.files:
            what = twarc2_kind([{"data": [dict.fromkeys(k) for k in seen]}])
            if what is not None:
                from ..errors import UnknownFormatError

                raise UnknownFormatError(f"this is {what}, not a file of tweets",
                                         file=str(path))

    def tweet(self, t, path, lineno, report):
        t = as_dict(t)
        tid, aid, when = _id(t.get("id")), _id(t.get("author_id")), as_text(t.get("created_at"))
        if aid is None and "text" not in t and ("username" in t or "tweet_count" in t
                                                or "action" in t):
            keys = ("username",) if "username" in t else ("tweet_count", "start") if (
                "tweet_count" in t) else ("action",)
            self.non_tweets.setdefault(str(path), {})[keys] = None
        if tid is None or aid is None or when is None:
            report.add_malformed(path, lineno, "tweet without a valid id, author_id or "
                                 "created_at")
            return
        self.tweet_author.setdefault(tid, aid)
        refs = {}
        for r in as_list(t.get("referenced_tweets")):
            r = as_dict(r)
            if as_text(r.get("type")) and _id(r.get("id")) is not None:
                refs.setdefault(r["type"], _id(r["id"]))
        ents = t.get("entities") if isinstance(t.get("entities"), dict) else None
        mentions = None
        if ents is not None and "mentions" in ents:
            mentions = [(_id(m.get("id")), as_text(m.get("username")))
                        for m in as_list(ents.get("mentions")) if isinstance(m, dict)]
            mentions = [(u, n) for u, n in mentions if u is not None or n]
            for uid, name in mentions:
                if uid is not None and name and uid not in self.users:
                    self.users[uid] = (name, None, None)
        urls = [as_text(as_dict(u).get("expanded_url")) for u in as_list(as_dict(ents).get("urls"))]
        urls = tuple(u for u in urls if u)
        pm = as_dict(t.get("public_metrics"))
        file_code = self.files.setdefault(str(path), len(self.files))
        for name, value in (
                ("id", tid), ("author_id", aid), ("created_at", when),
                ("text", as_text(t.get("text"))), ("retweeted", refs.get("retweeted")),
                ("quoted", refs.get("quoted")), ("replied_to", refs.get("replied_to")),
                ("reply_uid", _id(t.get("in_reply_to_user_id"))),
                ("mentions", None if mentions is None else tuple(mentions)),
                ("urls", urls or None), ("like_count", pm.get("like_count")),
                ("reply_count", pm.get("reply_count")),
                ("repost_count", pm.get("retweet_count")),
                ("quote_count", pm.get("quote_count")),
                ("conversation_id", _id(t.get("conversation_id"))), ("_file", file_code),
                ("_line", lineno)):
            self.cols[name].append(value)

    # -- assembly ------------------------------------------------------------------------
    def kept_rows(self, report):
        """The times and counts of every flushed tweet and the positions of those to load:
        malformed tweets (bad time or count) are reported, later copies counted as
        duplicates (with the per-file counts of the report)."""
        cols = self.cols
        when = times_or_nat(parse_twitter_time, self.strings("created_at"))
        bad = np.array(when.isna().to_numpy(bool))
        files = list(self.files)
        reasons = {}
        for i in np.flatnonzero(bad):
            reasons[i] = f"field 'created_at': not ISO 8601 UTC {TIME_RANGE}"
        counts = {}
        for c, field in (("like_count", "like_count"), ("reply_count", "reply_count"),
                         ("repost_count", "retweet_count"), ("quote_count", "quote_count")):
            values = pd.Series(cols.pop(c), dtype=object)
            counts[c], wrong = parse_counts(values)
            for i in np.flatnonzero(wrong & ~bad):
                reasons.setdefault(i, f"field 'public_metrics.{field}': {COUNT_RULE}, not "
                                   f"{values.iloc[i]!r}")
            bad |= wrong
        for i in sorted(reasons):
            report.add_malformed(files[cols["_file"][i]], int(cols["_line"][i]), reasons[i])
        ids = self.strings("id")
        keep = np.flatnonzero(~bad)
        dup = ids.iloc[keep].duplicated(keep="first").to_numpy(bool)
        report.add_duplicate(int(dup.sum()))
        codes = np.asarray(cols["_file"], dtype=np.int64)[keep]
        where = pd.Index(report.files).get_indexer(files)
        record_file_counts(report, report.files, where[codes] if len(codes) else codes, dup,
                           time_key(pd.Series(when.array.take(keep))))
        keep = keep[~dup]
        report.add_loaded(len(keep))
        return when, counts, keep

    def build(self, report, *, validate=True, reply_prefix_mentions=True):
        self.flush()
        cols = self.cols
        n = self.flushed
        when, counts, keep = self.kept_rows(report)
        del cols["_file"], cols["_line"]

        def column(name):
            if name in _ARROW_COLUMNS:
                values = self.strings(name)
                self.chunks[name] = []
                if len(keep) == n:
                    return values
                return pd.Series(pd.arrays.ArrowStringArray(
                    as_arrow(values).take(pa.array(keep, type=pa.int64()))), dtype=_STR)
            values = cols.pop(name)
            return _strings(values if len(keep) == n else [values[i] for i in keep])

        ids, authors = column("id"), column("author_id")
        times = when.array.take(keep)
        del when

        book = AccountBook("twitter")
        locations = {u: v[2] for u, v in self.users.items() if v[2] is not None}
        uids = list(self.users)
        book.add(_strings(uids), _strings([self.users[u][0] for u in uids]),
                 followers=pd.Series([self.users[u][1] for u in uids], dtype="Float64"))
        book.add(authors, pd.Series(pd.NA, index=authors.index, dtype="string"),
                 order=np.full(len(authors), -1.0))
        if self.error_users:
            eu = pd.DataFrame(self.error_users, columns=["uid", "handle"])
            book.add(eu["uid"].astype("string"), eu["handle"].astype("string"),
                     order=np.full(len(eu), -2.0))

        pick = (lambda v: v) if len(keep) == n else (lambda v: [v[i] for i in keep])
        text = pick(cols.pop("text"))
        ta = self.tweet_author
        e_row, e_kind, e_uid, e_handle = [], [], [], []  # the edges, column by column

        def edge(i, kind, uid, handle):
            e_row.append(i)
            e_kind.append(kind)
            e_uid.append(uid)
            e_handle.append(handle)

        kinds, parents = [], []
        links = pick(cols.pop("urls"))  # the entities' expanded_url, per tweet
        for i, (rt, qt, rp, reply_uid, mentions, urls, body) in enumerate(zip(
                pick(cols.pop("retweeted")), pick(cols.pop("quoted")),
                pick(cols.pop("replied_to")), pick(cols.pop("reply_uid")),
                pick(cols.pop("mentions")), links, text, strict=True)):
            body = body if isinstance(body, str) else ""
            kind, parent = repost_or_quote(i, rt, qt, body, urls, ta, edge)
            if kind == "repost":
                kinds.append("repost")
                parents.append(rt)
                continue
            if rp is not None or reply_uid:
                kind = "reply"
                parent = rp if rp is not None else parent
                target = reply_uid or ta.get(rp)
                if target:
                    edge(i, "reply", str(target), None)
            kinds.append(kind)
            parents.append(parent)
            if mentions is not None:
                e_row.extend([i] * len(mentions))
                e_kind.extend(["mention"] * len(mentions))
                e_uid.extend([m[0] for m in mentions])
                e_handle.extend([m[1] for m in mentions])
            elif "@" in body:
                for name in dict.fromkeys(TWITTER_MENTION.findall(body)):
                    edge(i, "mention", None, name)
        # free the Python objects before the Arrow-backed tables are built (peak memory)
        self.tweet_author, self.users, ta = {}, {}, None
        text = _strings(text)
        kinds = pd.Categorical(kinds, categories=["original", "reply", "repost", "quote"])
        parents = _strings(parents)
        edges = pd.DataFrame({"row": np.array(e_row, dtype=np.int64),
                              "kind": np.array(e_kind, dtype=object),
                              "uid": _strings(e_uid), "handle": _strings(e_handle)})
        for values in (e_row, e_kind, e_uid, e_handle):
            values.clear()
        h_only = edges["uid"].isna()
        book.add(edges.loc[h_only, "uid"], edges.loc[h_only, "handle"],
                 order=np.full(int(h_only.sum()), -3.0))
        book.finish()
        add_locations(book, locations)
        from ._common import add_account_created, expanded_url_column

        add_account_created(book, self.created, report)
        # every author id is digits (tweets without one are malformed): resolving an id is
        # prefixing it, done in Arrow
        author = ("twitter:" + authors).reset_index(drop=True)
        edges["target_id"] = book.resolve(uids=edges["uid"], handles=edges["handle"]).to_numpy()
        ment = (edges["kind"] == "mention").to_numpy(bool)
        edges["prefix"] = False
        if ment.any():
            edges.loc[ment, "prefix"] = _prefix_only(
                text, np.asarray(kinds) == "reply", edges.loc[ment, "row"].to_numpy(np.int64),
                edges.loc[ment, "handle"])
        edges = _drop_act_mentions(edges)  # rule 6
        edges = prefix_mention_rule(edges, edges["prefix"].to_numpy(bool), author.to_numpy(object),
                                    report, keep=reply_prefix_mentions)
        post_id = "twitter:" + ids
        r = edges["row"].to_numpy(np.int64)
        inter = pd.DataFrame({"source_id": author.array.take(r),
                              "target_id": edges["target_id"].astype("string").array,
                              "kind": edges["kind"].to_numpy(),
                              "created_at": times.take(r),
                              "post_id": post_id.array.take(r)})
        del edges
        has_amp = text.str.contains("&", regex=False).fillna(False).to_numpy(bool)
        if has_amp.any():
            text[has_amp] = text[has_amp].map(html.unescape)
        posts = pd.DataFrame({
            "post_id": post_id, "author_id": author, "created_at": times,
            "kind": kinds, "parent_post_id": ("twitter:" + parents),
            "conversation_id": "twitter:" + column("conversation_id"),
            "text": text, "url": "https://x.com/i/status/" + ids,
            "expanded_urls": expanded_url_column(links),
            **{c: (v if len(keep) == n else v.take(keep)).reset_index(drop=True)
               for c, v in counts.items()},
        })
        del post_id, author, text, parents, kinds, ids, authors, times, r
        # in time order here, where the unsorted columns can be freed (assemble keeps order)
        posts = take_rows(posts, time_order(np.arange(len(posts)), time_key(posts["created_at"])))
        return assemble("twitter", book, posts, inter, report, {"source": "twarc2"},
                        validate=validate)
