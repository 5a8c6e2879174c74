"""Load instaloader download folders (posts, comments, answers, tags, mentions) into a Corpus."""

from __future__ import annotations

import json
import lzma
from pathlib import Path

import numpy as np
import pandas as pd

from ..corpus import Corpus, LoadReport
from ..errors import InputFormatError
from ._common import (
    COUNT_RULE,
    INSTAGRAM_MENTION,
    TIME_RANGE,
    AccountBook,
    as_dict,
    assemble,
    drop_act_mentions,
    epoch_seconds,
    guard,
    one_count,
    record_file_counts,
    time_key,
)

__all__ = ["read_instaloader"]

_POST_TYPES = ("Post", "StoryItem")


@guard
def read_instaloader(folder, *, validate: bool = True) -> Corpus:
    """Load one or more instaloader download folders into a Corpus.

    Parameters
    ----------
    folder : path or list of paths
        A folder written by instaloader (``<target>/`` with ``*.json.xz`` or ``*.json`` post
        metadata and ``*_comments.json``), or a parent folder holding several targets
        (profile, ``#hashtag``, ``-SHORTCODE`` folders); searched recursively.
    validate : bool
        Validate the corpus (default).

    Returns
    -------
    Corpus
        ``platform == "instagram"``; account ids ``"instagram:<user id>"`` or
        ``"instagram:@<handle>"`` for accounts known only by handle (mentioned, or tagged in the
        4.16 legacy form without ids); post ids ``"instagram:<media id>"`` for posts and
        ``"instagram:<comment id>"`` for comments (kind ``comment``, parent the post) and
        answers (kind ``reply``, parent the top-level comment).

    Raises
    ------
    InputFormatError
        A path does not exist or holds no instaloader JSON.

    Notes
    -----
    All three post-node shapes are read: A (GraphQL: ``owner``, ``taken_at_timestamp``,
    ``edge_media_to_caption``, ``edge_media_to_tagged_user``), B (iPhone struct: ``date``,
    ``caption`` string, ``iphone_struct.usertags``) and C (B merged with the full metadata:
    ``caption`` dict, ``usertags``, ``taken_at``). Hashtag posts carry only ``owner.id``; the
    handle is taken from any other file that names the same id (profile metadata, the
    profile folder's ``id`` file, other posts, comments). Files whose ``node_type`` is not
    ``Post``/``StoryItem`` (profile and hashtag metadata, ``iterator_*`` resume files) are
    listed in ``report.skipped``; truncated or undecodable files are malformed rows.
    ``*.txt`` captions are ignored (the JSON is authoritative).

    Kept for engagement measures: ``posts.like_count`` and ``posts.reply_count`` (comments)
    from ``edge_media_preview_like``/``edge_media_to_comment`` (GraphQL), ``like_count``/
    ``comment_count`` (4.16) or the iPhone struct, and a comment's ``likes_count``;
    ``accounts.followers`` from the profile metadata (``edge_followed_by`` or
    ``follower_count``); ``posts.location``, the name of the place tagged on the post
    (``location.name``, else the first line of ``--geotags``' ``*_location.txt``). A count
    that is not a whole number from 0 to 2**63 - 1, a time outside 1677-2262, a file that
    holds a JSON list instead of instaloader's object and ``answers`` that is not a list
    are malformed rows naming the file and the field, never a refused folder.
    ``report.file_counts`` gives the rows of each file.

    Rows are posts, comments and answers. The rules every loader follows:

    1. Direction: actor -> account acted upon: commenter -> post owner (``comment``),
       answerer -> owner of the top-level comment answered (``reply``), post owner -> tagged
       user (``tag``), caption author / commenter / answerer -> mentioned (``mention``).
    2. Handles are compared and stored in lower case, without ``@``.
    3. One interaction per (post or comment, target, kind); a handle mentioned twice counts
       once; a caption mention and a tag of the same account give both.
    4. No self-loops: comments on one's own post, answering oneself, self-mentions.
    5. (Instagram has no reposts.)
    6. The post owner is not also a mention of a top-level comment; the answered comment's
       owner is not also a mention of the answer.
    7. Mentions: ``@`` + ``[a-z0-9._]`` (at most 30, no trailing ``.``) not preceded by a
       word character, on the lower-cased text, also at the start of a line.
    8. An interaction's time is the time of the post or comment that contains the act, UTC.
    9. Duplicates are detected by media / comment id; the second and later copies count as
       duplicates, and the edges of all copies are united (a post in a profile folder and a
       hashtag folder carries tags or comments in only one of them).
    10. rows read = loaded + duplicates + malformed; every malformed row is listed with its
        file and reason.

    Examples
    --------
    >>> import kopiresearch.io as kio
    >>> from kopiresearch.io.examples import example_path
    >>> c = kio.read_instaloader(example_path("instaloader"))
    >>> c.report.is_consistent, len(c.report.skipped) > 0
    (True, True)
    >>> sorted(c.interactions["kind"].unique())
    ['comment', 'mention', 'reply', 'tag']
    """
    roots = [folder] if isinstance(folder, (str, Path)) else list(folder)
    files = []
    for root in roots:
        root = Path(root)
        if not root.exists():
            raise InputFormatError("no such folder", file=str(root))
        found = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        files.extend(found)
    report = LoadReport()
    st = _State()
    json_files = [p for p in files if p.name.endswith((".json", ".json.xz"))]
    if not json_files:
        raise InputFormatError("no instaloader *.json / *.json.xz file found",
                               file=", ".join(str(r) for r in roots))
    for p in files:
        if p.name == "id" and p.parent.name[:1] not in "#-:":
            text = p.read_text(encoding="utf-8", errors="replace").strip()
            if text.isdigit():
                st.users.append((text, p.parent.name))
    comments = {}
    for p in json_files:
        if p.name.endswith("_comments.json"):
            comments[str(p)[: -len("_comments.json")]] = p
            continue
        report.files.append(str(p))
        if p.name.startswith("iterator_"):
            report.skipped.append(_skip(p, "instaloader resume file (iterator), not a post"))
            continue
        obj, err = _load(p)
        if err is None and not isinstance(obj, dict):
            err = (f"the file holds a JSON {type(obj).__name__}, not the object instaloader "
                   "writes ({'node': ..., 'instaloader': ...})")
        if err is not None:
            report.add_malformed(p, None, err)
            continue
        node_type = (obj.get("instaloader") or {}).get("node_type") if isinstance(
            obj.get("instaloader"), dict) else None
        node = obj.get("node")
        if node_type not in _POST_TYPES:
            if node_type == "Profile" and isinstance(node, dict):
                st.profile(node)
            report.skipped.append(_skip(p, f"node_type {node_type!r} is not a post"))
            continue
        if not isinstance(node, dict):
            report.add_malformed(p, None, "post file without a 'node' object")
            continue
        stem = str(p)[: -len(".json.xz")] if p.name.endswith(".xz") else str(p)[:-len(".json")]
        st.post(node, p, report, comments_key=stem)
    for stem, p in comments.items():
        report.files.append(str(p))
        st.comments_file(stem, p, report)
    return st.build(report, validate=validate)


def _skip(path, reason):
    from ..corpus import MalformedRow

    return MalformedRow(str(path), None, reason)


def _load(path):
    try:
        raw = path.read_bytes()
        if path.name.endswith(".xz"):
            raw = lzma.decompress(raw)
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        return json.loads(raw.decode("utf-8")), None
    except (lzma.LZMAError, EOFError):
        return None, "truncated or corrupt .json.xz (interrupted download?)"
    except UnicodeDecodeError:
        return None, "not UTF-8 JSON"
    except (ValueError, RecursionError):
        return None, "truncated or invalid JSON"


def _sid(v):
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, (int, str)) and str(v).strip().isdigit():
        return str(v).strip()
    return None


class _State:
    def __init__(self):
        self.users = []  # (uid or None, handle or None)
        self.followers = {}  # uid or handle -> follower count (profile metadata)
        self.items = []  # rows: post/comment/answer
        self.edges = []  # (item, kind, uid, handle)
        self.post_owner = {}  # post stem -> (post item index)

    def profile(self, node):
        """A profile metadata file: the account and its follower count."""
        uid, handle = self.user(_sid(node.get("id")) or _sid(node.get("pk")),
                                node.get("username"))
        fol = _first_count(node, ("edge_followed_by", "count"), ("follower_count",),
                           ("iphone_struct", "follower_count"))
        if isinstance(fol, int) and (uid or handle):
            self.followers[uid or handle] = fol

    def user(self, uid, handle):
        uid = _sid(uid)
        handle = handle if isinstance(handle, str) and handle else None
        if uid or handle:
            self.users.append((uid, handle))
        return uid, handle

    def post(self, node, path, report, comments_key):
        pid = _sid(node.get("id")) or _sid(node.get("pk"))
        owner = node.get("owner") if isinstance(node.get("owner"), dict) else as_dict(
            node.get("user"))
        ouid = _sid(owner.get("id")) or _sid(owner.get("pk"))
        ouid, ohandle = self.user(ouid, owner.get("username"))
        ts = next((node[k] for k in ("taken_at_timestamp", "date", "taken_at")
                   if isinstance(node.get(k), (int, float)) and not isinstance(node.get(k), bool)),
                  None)
        if pid is None or ts is None or (ouid is None and ohandle is None):
            report.add_malformed(path, None, "post without id, time or owner")
            return
        if epoch_seconds([ts])[1][0]:
            report.add_malformed(path, None, f"post {pid}: field 'taken_at_timestamp' "
                                 f"(or 'date') {ts!r} is not a time {TIME_RANGE}")
            return
        counts = {}
        for name, where in (("like_count", _LIKES), ("reply_count", _COMMENTS)):
            v = _first_count(node, *where)
            if v is False:
                field = next(".".join(w) for w in where if _get(node, w) is not None)
                report.add_malformed(path, None, f"field 'node.{field}': {COUNT_RULE}, not "
                                     f"{_get(node, field.split('.'))!r}")
                return
            counts[name] = v
        loc = node.get("location") if isinstance(node.get("location"), dict) else as_dict(
            as_dict(node.get("iphone_struct")).get("location"))
        place = loc.get("name") if isinstance(loc.get("name"), str) and loc.get("name") else None
        if place is None:
            place = _location_txt(comments_key)
        cap = None
        edges = as_dict(node.get("edge_media_to_caption")).get("edges") or []
        if edges and isinstance(edges[0], dict):
            cap = as_dict(edges[0].get("node")).get("text")
        if cap is None:
            c = node.get("caption")
            cap = c if isinstance(c, str) else as_dict(c).get("text")
        code = node.get("shortcode") or node.get("code")
        i = len(self.items)
        self.items.append({"id": pid, "uid": ouid, "handle": ohandle, "ts": ts, "text": cap,
                           "kind": "original", "parent": None, "file": str(path),
                           "url": f"https://www.instagram.com/p/{code}/" if code else None,
                           "location": place, **counts})
        self.post_owner[comments_key] = i
        if isinstance(cap, str):
            for h in _mentions(cap):
                self.edges.append((i, "mention", None, h))
        tagged = []
        for e in as_dict(node.get("edge_media_to_tagged_user")).get("edges") or []:
            u = as_dict(as_dict(e).get("node")).get("user")
            tagged.append(as_dict(u))
        for src in (node.get("usertags"), as_dict(node.get("iphone_struct")).get("usertags")):
            for t in as_dict(src).get("in") or []:
                tagged.append(as_dict(as_dict(t).get("user")))
        for u in tagged:
            uid, h = self.user(_sid(u.get("id")) or _sid(u.get("pk")), u.get("username"))
            if uid or h:
                self.edges.append((i, "tag", uid, h))

    def comments_file(self, stem, path, report):
        obj, err = _load(path)
        if err is not None:
            report.add_malformed(path, None, err)
            return
        if not isinstance(obj, list):
            report.add_malformed(path, None, "comments file is not a JSON array")
            return
        post = self.post_owner.get(stem)
        if post is None:
            for c in obj:
                answers = as_dict(c).get("answers")
                n = 1 + (len(answers) if isinstance(answers, list) else 0)
                for _ in range(n):
                    report.add_malformed(path, None, "comment of a post whose metadata JSON "
                                         "is missing or unreadable (owner unknown)")
            return
        for k, c in enumerate(obj):
            answers = as_dict(c).get("answers")
            if answers is not None and not isinstance(answers, list):
                # the comment itself is fine; its answers cannot be read
                ci = self._comment(c, path, report, post, parent_item=None)
                report.add_malformed(path, None, f"comment {k + 1} of the array: field "
                                     f"'answers' is a JSON {type(answers).__name__}, not a "
                                     "list (its answers cannot be read)")
                continue
            ci = self._comment(c, path, report, post, parent_item=None)
            for a in answers or []:
                self._comment(a, path, report, post, parent_item=ci)

    def _comment(self, c, path, report, post, parent_item):
        what = "answer" if parent_item is not None else "comment"
        if not isinstance(c, dict):
            report.add_malformed(path, None, f"{what} is not a JSON object")
            return None
        cid = _sid(c.get("id"))
        owner = as_dict(c.get("owner"))
        uid, handle = self.user(_sid(owner.get("id")), owner.get("username"))
        ts = c.get("created_at")
        if parent_item is False:
            report.add_malformed(path, None, f"answer {cid}: its comment is malformed")
            return None
        if cid is None or not isinstance(ts, (int, float)) or isinstance(ts, bool) \
                or (uid is None and handle is None):
            report.add_malformed(path, None, f"{what} {cid}: no id, created_at or owner")
            return False if parent_item is None else None
        if epoch_seconds([ts])[1][0]:
            report.add_malformed(path, None, f"{what} {cid}: field 'created_at' {ts!r} is "
                                 f"not a time {TIME_RANGE}")
            return False if parent_item is None else None
        likes = _first_count(c, ("likes_count",))
        if likes is False:
            report.add_malformed(path, None, f"{what} {cid}: field 'likes_count': "
                                 f"{COUNT_RULE}, not {c.get('likes_count')!r}")
            return False if parent_item is None else None
        i = len(self.items)
        p = self.items[post]
        target_item = post if parent_item is None else parent_item
        self.items.append({"id": cid, "uid": uid, "handle": handle, "ts": ts,
                           "text": c.get("text") if isinstance(c.get("text"), str) else None,
                           "kind": "comment" if parent_item is None else "reply",
                           "parent": self.items[target_item]["id"], "file": str(path),
                           "url": p["url"], "like_count": likes})
        t = self.items[target_item]
        self.edges.append((i, "comment" if parent_item is None else "reply", t["uid"],
                           t["handle"]))
        if self.items[i]["text"]:
            for h in _mentions(self.items[i]["text"]):
                self.edges.append((i, "mention", None, h))
        return i

    def build(self, report, *, validate=True):
        items = pd.DataFrame(self.items, columns=["id", "uid", "handle", "ts", "text", "kind",
                                                  "parent", "file", "url", "location",
                                                  "like_count", "reply_count"])
        when, _bad = epoch_seconds(items["ts"].tolist())  # each checked when collected
        dup = items["id"].duplicated(keep="first").to_numpy(bool)
        report.add_duplicate(int(dup.sum()))
        record_file_counts(report, report.files, pd.Index(report.files).get_indexer(
            items["file"]), dup, time_key(when))
        report.add_loaded(int((~dup).sum()))
        book = AccountBook("instagram")
        users = pd.DataFrame(self.users, columns=["uid", "handle"], dtype="string")
        fol = [self.followers.get(u) if pd.notna(u) else None for u in users["uid"]]
        fol = [f if f is not None or pd.isna(h) else self.followers.get(h)
               for f, h in zip(fol, users["handle"], strict=True)]
        book.add(users["uid"], users["handle"], followers=pd.Series(fol, dtype="Float64"))
        edges = pd.DataFrame(self.edges, columns=["row", "kind", "uid", "handle"])
        edges["uid"] = edges["uid"].astype("string")
        edges["handle"] = edges["handle"].astype("string")
        book.add(edges["uid"], edges["handle"], order=np.full(len(edges), -1.0))
        book.finish()
        author = book.resolve(uids=items["uid"].astype("string"),
                              handles=items["handle"].astype("string"))
        edges["target_id"] = book.resolve(uids=edges["uid"], handles=edges["handle"]).to_numpy()
        edges = drop_act_mentions(edges)
        post_id = "instagram:" + items["id"].astype("string")
        r = edges["row"].to_numpy(np.int64)
        inter = pd.DataFrame({"source_id": author.to_numpy()[r],
                              "target_id": edges["target_id"].to_numpy(),
                              "kind": edges["kind"].to_numpy(),
                              "created_at": when.to_numpy()[r],
                              "post_id": post_id.to_numpy()[r]})
        inter["created_at"] = pd.to_datetime(inter["created_at"], utc=True)
        posts = pd.DataFrame({"post_id": post_id, "author_id": author, "created_at": when,
                              "kind": items["kind"],
                              "parent_post_id": "instagram:" + items["parent"].astype("string"),
                              "text": items["text"].astype("string"),
                              "url": items["url"].astype("string"),
                              "location": items["location"].astype("string"),
                              "like_count": items["like_count"].astype("Int64"),
                              "reply_count": items["reply_count"].astype("Int64")})[~dup]
        return assemble("instagram", book, posts, inter, report, {"source": "instaloader"},
                        validate=validate)


def _mentions(text):
    seen = {}
    for h in INSTAGRAM_MENTION.findall(text.lower()):
        h = h.split("..", 1)[0].rstrip(".")  # handles have no '..' and no trailing '.'
        if h:
            seen[h] = None
    return list(seen)


#: Where the shapes of a post node keep its like and comment counts, first found wins
#: (GraphQL ``edge_media_preview_like``/``edge_media_to_comment``, 4.16 Polaris
#: ``like_count``/``comment_count``, iPhone ``comments`` and ``iphone_struct``).
_LIKES = (("edge_media_preview_like", "count"), ("edge_liked_by", "count"), ("like_count",),
          ("iphone_struct", "like_count"))
_COMMENTS = (("edge_media_to_comment", "count"), ("edge_media_to_parent_comment", "count"),
             ("comments",), ("comment_count",), ("iphone_struct", "comment_count"))


def _get(node, path):
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _first_count(node, *paths):
    """The first count found along ``paths``: an int, ``None`` (none there) or ``False``
    (there but not a count, see :func:`~kopiresearch.io._common.parse_counts`)."""
    for path in paths:
        v = _get(node, path)
        if v is not None:
            c = one_count(v)
            return c
    return None


def _location_txt(stem):
    """The place name of ``<stem>_location.txt`` (``--geotags``: name, then a maps link)."""
    p = Path(f"{stem}_location.txt")
    if not p.is_file():
        return None
    try:
        first = p.read_text(encoding="utf-8").splitlines()[:1]
    except (OSError, UnicodeDecodeError):
        return None
    return first[0].strip() or None if first else None


