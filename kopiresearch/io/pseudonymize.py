"""Pseudonymise accounts with a keyed hash (HMAC-SHA256), consistently across tables and texts."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..corpus import GOVERNMENT_TYPES, Corpus
from ..errors import KopiresearchError

__all__ = ["pseudonymize", "resolve_key", "PseudonymKeyError", "KEY_ENV", "TextScrubber"]

#: Environment variable read for the key when neither a key nor a key file is given.
KEY_ENV = "KOPIRESEARCH_PSEUDONYM_KEY"

#: A word: a run of Unicode letters, digits and ``_`` (so ``René``, ``warga_001``, ``1500``).
_WORD = re.compile(r"\w+")
#: What may separate the words of one name: blanks, or one hyphen, dot or apostrophe
#: (``Budi Santoso``, ``Budi-Santoso``, ``diskominfo.kediri``, ``D'Arcy``).
_SOFT = re.compile(r"[ \t\u00a0]+|[-.'\u2019]")
#: Links: with a scheme or ``www.``, or a bare address on a platform's host (``x.com/...``).
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'()]+"
    r"|(?<![\w.@/])(?:[a-z0-9-]+\.)*(?:x|twitter|instagram|facebook|fb|tiktok|youtube|threads)"
    r"\.(?:com|net)/[^\s<>\"'()]*", re.IGNORECASE)
#: Substrings (of the lower-cased text) without which :data:`_URL` cannot match.
_URL_MARKERS = ("://", "www.", ".com/", ".net/")
#: Hosts whose first path segment names an account, and the platform they belong to.
_HOSTS = {"x.com": "twitter", "twitter.com": "twitter", "instagram.com": "instagram",
          "threads.net": "instagram", "facebook.com": "facebook", "fb.com": "facebook",
          "tiktok.com": "tiktok", "youtube.com": "youtube"}
#: Path segments of those hosts that name no one (``status``, ``p``, ``reel``, ...).
_RESERVED = frozenset(
    "status statuses i web p reel reels tv video videos watch shorts posts post photo photos "
    "permalink.php story.php profile.php photo.php hashtag hashtags search explore stories "
    "groups pages events share sharer intent home channel c user comments media live "
    "about followers following tagged".split())
#: Segments after which the next segment is a post id.
_POST_WORDS = frozenset("status statuses p reel reels tv video videos posts post photo photos "
                        "shorts permalink comments live".split())


class PseudonymKeyError(KopiresearchError, ValueError):
    """No key was given, the key is too short, or two sources of a key were given."""


def resolve_key(key=None, *, key_file=None) -> bytes:
    """The pseudonymisation key: ``key``, else ``key_file``, else ``$KOPIRESEARCH_PSEUDONYM_KEY``.

    An explicit key or key file always wins over the environment; giving both ``key`` and
    ``key_file`` is ambiguous and an error. The key must be at least 16 characters. It is
    only held in memory; nothing in this package writes it anywhere.

    Parameters
    ----------
    key : str or bytes, optional
    key_file : path-like, optional
        A file holding the key (surrounding white space is removed).

    Returns
    -------
    bytes

    Raises
    ------
    PseudonymKeyError
        No key found, both ``key`` and ``key_file`` given, the key file missing, or a key
        shorter than 16 characters.

    Examples
    --------
    >>> resolve_key("a-long-enough-secret")
    b'a-long-enough-secret'
    """
    if key is not None and key_file is not None:
        raise PseudonymKeyError("give the key or a key file, not both")
    if key is not None:
        source = "argument"
    elif key_file is not None:
        path = Path(key_file)
        if not path.is_file():
            raise PseudonymKeyError(f"key file {key_file} does not exist")
        key, source = path.read_bytes().strip(), f"key file {key_file}"
    else:
        key, source = os.environ.get(KEY_ENV), f"${KEY_ENV}"
        if not key:
            raise PseudonymKeyError(f"no pseudonymisation key: pass key= or key_file=, or set "
                                    f"${KEY_ENV}")
    key = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    if len(key) < 16:
        raise PseudonymKeyError(f"the key from the {source} is shorter than 16 characters")
    return key


def pseudonymize(corpus: Corpus, key=None, *, keep=None, key_file=None) -> Corpus:
    """Replace the ids and handles of accounts not kept by keyed pseudonyms, everywhere.

    Parameters
    ----------
    corpus : Corpus
    key : str or bytes, optional
        The secret key (at least 16 characters); else the contents of ``key_file``; else
        ``$KOPIRESEARCH_PSEUDONYM_KEY`` (see :func:`resolve_key`). Keep it safe and out of the
        repository: the same key gives the same pseudonyms across runs and files, so crawls
        pseudonymised separately can still be merged.
    keep : callable, iterable or None
        Accounts to leave readable. ``None`` (default) keeps government accounts
        (``government_*``), ``media`` and partnered ``influencer`` accounts, which are public
        actors. A callable receives ``corpus.accounts`` and returns a boolean mask; an
        iterable lists account ids or handles.
    key_file : path, optional

    Returns
    -------
    Corpus
        A new corpus; the input is not changed.

    Raises
    ------
    PseudonymKeyError
        No usable key, or both ``key`` and ``key_file``.

    See Also
    --------
    TextScrubber : the tokenizer that pseudonymises texts, links and file names.

    Notes
    -----
    Pseudonyms are HMAC-SHA256 (:mod:`hmac`, RFC 2104) of the original value under the key,
    truncated:

    * handle: ``anon_<12 hex>`` of the platform and the lower-case handle, the same in the
      accounts table and in texts (``@anon_<12 hex>``);
    * account id: ``<platform>:anon-<16 hex>`` for an id account, and
      ``<platform>:@anon_<12 hex>`` (the handle pseudonym) for an account known only by its
      handle, so that :func:`kopiresearch.io.merge` still unites the two forms of the same
      person across crawls pseudonymised separately with the same key;
    * post id: ``<platform>:anon-<16 hex>``.

    Applied to ``accounts`` (index and handle), ``posts`` (``post_id`` of posts by non-kept
    accounts, ``parent_post_id`` and ``conversation_id`` unless they point to a kept post,
    ``author_id``; ``url`` of non-kept posts is removed, since it holds the handle;
    ``expanded_urls`` are scrubbed like texts (a permalink names a handle and a post); the profile
    ``location`` of non-kept accounts is removed: draft region labels from it before
    pseudonymising), ``interactions``, and, through
    :class:`TextScrubber`, to texts, links, file names and reasons in the load report and the
    corpus' ``meta``. Which handles are kept depends on the platform: a private Twitter
    ``budi`` is pseudonymised in Twitter texts even if a public Facebook page is also called
    ``budi``. Follower counts, times, actor types and regions are kept.

    Examples
    --------
    >>> import kopiresearch.io as kio
    >>> from kopiresearch.io.examples import example_path
    >>> c = kio.read_twarc2(example_path("twarc2_search.jsonl"))
    >>> c, _, _ = kio.label_accounts(c, example_path("labels.csv"))
    >>> p = pseudonymize(c, "example-key-do-not-use")
    >>> "warga_001" in set(p.accounts["handle"]), "kominfokdr_demo" in set(p.accounts["handle"])
    (False, True)
    """
    k = resolve_key(key, key_file=key_file)

    def h(kind, value):
        return hmac.new(k, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()

    acc = corpus.accounts
    kept = _keep_mask(acc, keep)
    plat = acc["platform"].astype(str).to_numpy(object)
    ids = acc.index.to_numpy(object)
    handles = acc["handle"].to_numpy(object)
    hmask = pd.notna(handles)
    new_handles = np.array([hd if (kp or not ok) else _hpseudo(h, p, hd) for hd, p, kp, ok in
                            zip(handles, plat, kept, hmask, strict=True)], dtype=object)
    new_ids = np.array([i if kp else _id_pseudo(h, i) for i, kp in zip(ids, kept, strict=True)],
                       dtype=object)
    id_map = dict(zip(ids[~kept], new_ids[~kept], strict=True))
    posts = corpus.posts
    authors_kept = posts["author_id"].isin(ids[kept]).to_numpy(bool)
    pid = posts.index.to_numpy(object)
    post_map = {p: _post_pseudo(h, p) for p in pid[~authors_kept]}
    kept_posts = set(pid[authors_kept])
    for col in ("parent_post_id", "conversation_id"):  # post ids that name other posts
        refs = posts[col].dropna()
        for p in refs[~refs.isin(kept_posts)].unique():
            post_map.setdefault(p, _post_pseudo(h, p))
    inter_posts = corpus.interactions["post_id"].dropna()
    for p in inter_posts[~inter_posts.isin(kept_posts)].unique():
        post_map.setdefault(p, _post_pseudo(h, p))

    scrubber = TextScrubber(h)
    for hd, p, kp, ok in zip(handles, plat, kept, hmask, strict=True):
        if ok:
            if kp:
                scrubber.keep(p, hd)
            else:
                scrubber.private_handle(p, hd, _hpseudo(h, p, hd))
    for old, new in id_map.items():
        scrubber.private_id(old.split(":", 1)[1].lstrip("@"), new.split(":", 1)[1].lstrip("@"))
    for p in kept_posts:
        scrubber.kept_post(p)
    for old, new in post_map.items():
        scrubber.private_id(old.split(":", 1)[1], new.split(":", 1)[1])
    scrub = scrubber.scrub

    new_acc = acc.copy()
    new_acc.index = pd.Index(new_ids, name="account_id", dtype="string")
    new_acc["handle"] = pd.array(new_handles, dtype="string")
    # a private person's profile location is personal data; region_code keeps what the
    # analyses need (draft labels from locations before pseudonymising)
    new_acc["location"] = pd.array(np.where(kept, acc["location"].to_numpy(object), None),
                                   dtype="string")
    new_posts = posts.copy()
    new_posts.index = pd.Index([post_map.get(p, p) for p in pid], name="post_id",
                               dtype="string")
    new_posts["author_id"] = _remap(posts["author_id"], id_map)
    new_posts["parent_post_id"] = _remap(posts["parent_post_id"], post_map)
    new_posts["conversation_id"] = _remap(posts["conversation_id"], post_map)
    pl = posts["platform"].astype(str).to_numpy()
    new_posts["text"] = pd.array([scrub(t, p) if isinstance(t, str) else t for t, p in
                                  zip(posts["text"].to_numpy(object), pl, strict=True)],
                                 dtype="string")
    new_posts["url"] = pd.array([scrub(v, p) if isinstance(v, str) and ok else pd.NA
                                 for v, p, ok in zip(posts["url"].to_numpy(object), pl,
                                                     authors_kept, strict=True)],
                                dtype="string")
    # expanded links can name private handles and posts (x.com/<handle>/status/<id>)
    new_posts["expanded_urls"] = pd.array([scrub(v, p) if isinstance(v, str) else pd.NA
                                           for v, p in zip(posts["expanded_urls"].to_numpy(
                                               object), pl, strict=True)], dtype="string")
    inter = corpus.interactions.copy()
    for col in ("source_id", "target_id"):
        inter[col] = _remap(inter[col], id_map)
    inter["post_id"] = _remap(inter["post_id"], post_map)
    rep = corpus.report
    report = dataclasses.replace(
        rep, malformed=[dataclasses.replace(m, file=scrub(m.file), reason=scrub(m.reason))
                        for m in rep.malformed],
        skipped=[dataclasses.replace(m, file=scrub(m.file), reason=scrub(m.reason))
                 for m in rep.skipped],
        files=[scrub(f) for f in rep.files],
        warnings=[dataclasses.replace(w, file=scrub(w.file), problem=scrub(w.problem))
                  for w in rep.warnings],
        file_counts=[dataclasses.replace(c, file=scrub(c.file)) for c in rep.file_counts])
    meta = {"source": scrub(str(corpus.meta.get("source", ""))), "pseudonymized": True,
            "kept_accounts": int(kept.sum())}
    out = Corpus(new_acc, new_posts, inter, report, meta)
    return out.validate()


class TextScrubber:
    """The tokenizer that pseudonymises free text: handles, display names, ids and links.

    One pass over a text finds, in order: links (``https://...``, ``www....`` and bare
    ``x.com/...``-style addresses), and runs of words (Unicode letters and digits, so display
    names with spaces, hyphens and accents such as ``René Wijaya`` are words too). At each
    word the longest known name that starts there wins: a handle kept on the text's platform
    stays; a private handle (of any platform), account id or post id is replaced by its
    pseudonym; an ``@mention`` of a handle the corpus does not know is replaced by the
    pseudonym that handle would have on the text's platform.

    In a link to a platform (``x.com/HANDLE/status/ID``, ``instagram.com/HANDLE``,
    ``facebook.com/ID``), the account segment and the post ids are pseudonymised unless the
    account is kept on that platform, and the query string and fragment of such a link are
    dropped (they can carry ids, ``profile.php?id=...``); other links have their words
    scrubbed like text.

    Parameters
    ----------
    h : callable
        ``h(kind, value) -> hex digest``, the keyed hash.

    Examples
    --------
    >>> import hashlib
    >>> s = TextScrubber(lambda kind, v: hashlib.sha256(f"{kind}:{v}".encode()).hexdigest())
    >>> s.keep("twitter", "kominfo_demo")
    >>> s.private_handle("facebook", "Budi Santoso", "anon_b")
    >>> s.scrub("@kominfo_demo: budi santoso dan @Budi Santoso", "twitter")
    '@kominfo_demo: anon_b dan @anon_b'
    >>> s.scrub("lihat https://x.com/kominfo_demo/status/1 dan x.com/warga_luar/status/99999",
    ...         "twitter")  # doctest: +ELLIPSIS
    'lihat https://x.com/kominfo_demo/status/1 dan x.com/anon_.../status/anon-...'
    """

    def __init__(self, h):
        self._h = h
        self._kept: dict[str, set] = {}       # platform -> keys kept there
        self._private: dict[str, dict] = {}   # key -> {platform: pseudonym}
        self._ids: dict[str, str] = {}        # key -> pseudonym of an account or post id
        self._kept_posts: set = set()         # "platform:raw id" of kept posts
        self._span: dict[str, int] = {}       # first word -> most words of a name

    @staticmethod
    def key(name) -> str:
        """The words of ``name`` in lower case, joined by one blank: how names are compared."""
        return " ".join(_WORD.findall(str(name).lower()))

    def _add(self, key):
        words = key.split(" ")
        if words[0]:
            self._span[words[0]] = max(self._span.get(words[0], 0), len(words))

    def keep(self, platform: str, handle) -> None:
        """Leave ``handle`` readable in texts of ``platform``."""
        key = self.key(handle)
        self._kept.setdefault(platform, set()).add(key)
        self._add(key)

    def private_handle(self, platform: str, handle, pseudonym: str) -> None:
        """Replace ``handle`` (an account of ``platform``) by ``pseudonym`` in every text."""
        key = self.key(handle)
        self._private.setdefault(key, {})[platform] = pseudonym
        self._add(key)

    def private_id(self, raw_id, pseudonym: str) -> None:
        """Replace an account or post id (without platform prefix) by ``pseudonym``."""
        key = self.key(raw_id)
        if key and key not in self._private:  # a handle's own pseudonym wins
            self._ids.setdefault(key, pseudonym)
            self._add(key)

    def kept_post(self, post_id: str) -> None:
        """Leave the platform-qualified ``post_id`` readable in links."""
        self._kept_posts.add(str(post_id).lower())

    def scrub(self, text, platform: str | None = None):
        """``text`` with every private name, id and link pseudonymised (non-strings as is)."""
        if not isinstance(text, str) or not text:
            return text
        low = text.lower()
        if not any(marker in low for marker in _URL_MARKERS):
            return self._words(text, platform, low)
        out, pos = [], 0
        for m in _URL.finditer(text):
            out.append(self._words(text[pos:m.start()], platform))
            out.append(self._link(m.group(0), platform))
            pos = m.end()
        out.append(self._words(text[pos:], platform))
        return "".join(out)

    # -- words ---------------------------------------------------------------------------
    def _lookup(self, key, platform):
        if platform is not None and key in self._kept.get(platform, ()):
            return None, True
        hit = self._private.get(key)
        if hit is not None:
            return (hit.get(platform) or hit[min(hit)]), False
        return self._ids.get(key), False

    def _words(self, text, platform, low=None):
        if not text:
            return text
        if "@" not in text and self._span.keys().isdisjoint(
                _WORD.findall(text.lower() if low is None else low)):
            return text  # the common case: nothing to replace
        spans = list(_WORD.finditer(text))
        lows = [m.group(0).lower() for m in spans]
        out, pos, i, n = [], 0, 0, len(spans)
        span_of = self._span.get
        while i < n:
            m = spans[i]
            start = m.start()
            longest = span_of(lows[i], 0)
            if not longest and (start == 0 or text[start - 1] != "@"):
                i += 1  # neither a known name nor a mention: most words
                continue
            at = (start > 0 and text[start - 1] == "@"
                  and (start < 2 or not _WORD.match(text[start - 2])))
            replaced = None
            step = 1
            for length in range(min(longest, n - i), 0, -1):
                if length > 1 and not all(
                        _SOFT.fullmatch(text[spans[j].end():spans[j + 1].start()])
                        for j in range(i, i + length - 1)):
                    continue
                new, kept = self._lookup(" ".join(lows[i:i + length]), platform)
                if kept:
                    replaced, step = False, length
                    break
                if new is not None:
                    replaced, step = new, length
                    break
            if replaced is None and at:
                # an @mention of a handle the corpus does not know: Instagram (and most
                # platforms but Twitter) allow dots inside handles
                step = 1
                if platform != "twitter":
                    while (i + step < n and spans[i + step].start() == spans[i + step - 1].end()
                           + 1 and text[spans[i + step - 1].end()] == "."):
                        step += 1
                handle = ".".join(lows[i:i + step])
                replaced = _hpseudo(self._h, platform or "any", handle)
            if replaced:
                out.append(text[pos:m.start()])
                out.append(replaced)
                pos = spans[i + step - 1].end()
            i += step
        out.append(text[pos:])
        return "".join(out)

    # -- links ---------------------------------------------------------------------------
    def _link(self, url, platform):
        m = re.match(r"(?P<head>(?:https?://)?(?P<host>[^/?#\s]+))(?P<path>/[^?#]*)?"
                     r"(?P<rest>[?#].*)?\Z", url, re.DOTALL)
        if m is None:
            return self._words(url, platform)
        host = m.group("host").lower().split(":")[0]
        for prefix in ("www.", "m.", "mobile.", "web.", "mbasic.", "vm.", "business."):
            if host.startswith(prefix):
                host = host[len(prefix):]
        link_platform = _HOSTS.get(host)
        if link_platform is None:
            return self._words(url, platform)
        segments = (m.group("path") or "").split("/")
        owner_kept, owner_seen, after_post_word = False, False, False
        out = []
        for seg in segments:
            low = seg.lower()
            bare = low.lstrip("@")
            new = seg
            if not seg or low in _RESERVED:
                after_post_word = low in _POST_WORDS
                out.append(seg)
                continue
            if after_post_word or (owner_seen and bare.isdigit() and len(bare) >= 5):
                post = f"{link_platform}:{seg}"
                if not (owner_kept or post.lower() in self._kept_posts):
                    known = self._ids.get(self.key(seg))
                    new = known or self._post(post)
            elif not owner_seen:
                owner_seen = True
                if self.key(bare) in self._kept.get(link_platform, ()):
                    owner_kept = True
                elif bare.isdigit():
                    known = self._ids.get(bare)
                    new = known or ("anon-" + self._h("account", f"{link_platform}:{bare}")[:16])
                else:
                    hit = self._private.get(self.key(bare))
                    pseudo = ((hit.get(link_platform) or hit[min(hit)]) if hit else
                              _hpseudo(self._h, link_platform, bare))
                    new = ("@" if seg.startswith("@") else "") + pseudo
            elif not owner_kept:
                new = self._words(seg, link_platform)
            after_post_word = False
            out.append(new)
        rest = m.group("rest") or ""
        return m.group("head") + "/".join(out) + (self._words(rest, link_platform)
                                                  if owner_kept else "")

    def _post(self, post_id):
        return "anon-" + self._h("post", post_id)[:16]


def _remap(series, mapping):
    return pd.array([mapping.get(v, v) if isinstance(v, str) else pd.NA
                     for v in series.to_numpy(object)], dtype="string")


def _hpseudo(h, platform, handle):
    return "anon_" + h(f"handle:{platform}", str(handle).lower())[:12]


def _id_pseudo(h, account_id):
    """``platform:@anon_<12>`` for a handle-only id (so merging still finds the id account
    with that handle pseudonym), else ``platform:anon-<16>``."""
    platform, raw = account_id.split(":", 1)
    if raw.startswith("@"):
        return f"{platform}:@" + _hpseudo(h, platform, raw[1:])
    return f"{platform}:anon-{h('account', account_id)[:16]}"


def _post_pseudo(h, post_id):
    return f"{post_id.split(':', 1)[0]}:anon-{h('post', post_id)[:16]}"


def _keep_mask(acc, keep):
    if keep is None:
        t = acc["actor_type"].astype(str)
        m = t.isin(list(GOVERNMENT_TYPES) + ["media"]) | (
            (t == "influencer") & acc["partnered"].fillna(False).astype(bool))
        return m.to_numpy(bool)
    if callable(keep):
        m = np.asarray(keep(acc), dtype=bool)
        if m.shape != (len(acc),):
            raise KopiresearchError("keep= callable must return one boolean per account")
        return m
    wanted = {str(x).lstrip("@").lower() if ":" not in str(x) else str(x) for x in keep}
    return (acc.index.isin(wanted) | acc["handle"].isin(wanted).fillna(False).to_numpy(bool))
