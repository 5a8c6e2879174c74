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

__all__ = ["pseudonymize", "resolve_key", "PseudonymKeyError", "KEY_ENV"]

#: Environment variable read for the key when none is passed.
KEY_ENV = "KOPIRESEARCH_PSEUDONYM_KEY"
_TOKEN = re.compile(r"(?<![A-Za-z0-9_])(@?)([A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)")


class PseudonymKeyError(KopiresearchError, ValueError):
    """No key was given, or the key is too short."""


def resolve_key(key=None, *, key_file=None) -> bytes:
    """The pseudonymisation key: ``key``, else ``$KOPIRESEARCH_PSEUDONYM_KEY``, else ``key_file``.

    The key must be at least 16 characters. It is only held in memory; nothing in this
    package writes it anywhere.

    Raises
    ------
    PseudonymKeyError
        No key found, or shorter than 16 characters.

    Examples
    --------
    >>> resolve_key("a-long-enough-secret")
    b'a-long-enough-secret'
    """
    source = "argument"
    if key is None:
        key, source = os.environ.get(KEY_ENV), f"${KEY_ENV}"
    if not key and key_file is not None:
        path = Path(key_file)
        if not path.exists():
            raise PseudonymKeyError(f"key file {key_file} does not exist")
        key, source = path.read_bytes().strip(), f"key file {key_file}"
    if not key:
        raise PseudonymKeyError(f"no pseudonymisation key: pass key=, set ${KEY_ENV} or give a "
                                "key file")
    key = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    if len(key) < 16:
        raise PseudonymKeyError(f"the key from the {source} is shorter than 16 characters")
    return key


def pseudonymize(corpus: Corpus, key=None, *, keep=None, key_file=None) -> Corpus:
    """Replace the ids and handles of accounts not kept by keyed pseudonyms.

    Parameters
    ----------
    corpus : Corpus
    key : str or bytes, optional
        The secret key (at least 16 characters); else ``$KOPIRESEARCH_PSEUDONYM_KEY``; else
        the contents of ``key_file``. Keep it safe and out of the repository: the same key
        gives the same pseudonyms across runs and files, so crawls pseudonymised separately
        can still be merged.
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
        No usable key.

    Notes
    -----
    Pseudonyms are HMAC-SHA256 (:mod:`hmac`) of the original value under the key, truncated:
    account id ``<platform>:anon-<16 hex>``, handle ``anon_<12 hex>``, post id
    ``<platform>:anon-<16 hex>``. Applied to ``accounts`` (index and handle), ``posts``
    (``post_id`` of posts by non-kept accounts, ``parent_post_id`` unless it points to a kept
    post, ``author_id``; ``url`` of non-kept posts is removed, since it holds the handle),
    ``interactions`` and to texts: every ``@handle`` that is not a kept account's, and every
    word equal to a non-kept handle or to a non-kept account or post id, is replaced by its
    pseudonym (so a non-kept handle that is also an ordinary word is replaced there too).
    File names and reasons in the load report are treated the same way. Follower counts,
    times, actor types and regions are kept.

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
    plat = acc["platform"].astype(str).to_numpy()
    ids = acc.index.to_numpy(object)
    new_ids = np.array([i if kp else f"{p}:anon-{h('account', i)[:16]}"
                        for i, p, kp in zip(ids, plat, kept, strict=True)], dtype=object)
    id_map = dict(zip(ids[~kept], new_ids[~kept], strict=True))
    handles = acc["handle"].to_numpy(object)
    hmask = pd.notna(handles)
    new_handles = np.array([hd if (kp or not ok) else _hpseudo(h, p, hd) for hd, p, kp, ok in
                            zip(handles, plat, kept, hmask, strict=True)], dtype=object)
    kept_handles = {str(x) for x in handles[kept & hmask]}
    words = {}  # lower-case word -> replacement
    for hd, new in zip(handles[~kept & hmask], new_handles[~kept & hmask], strict=True):
        words[str(hd)] = new
    for old, new in id_map.items():
        raw = old.split(":", 1)[1].lstrip("@")
        words[raw.lower()] = new.split(":", 1)[1]
    posts = corpus.posts
    authors_kept = posts["author_id"].isin(ids[kept]).to_numpy(bool)
    pid = posts.index.to_numpy(object)
    post_map = {p: f"{p.split(':', 1)[0]}:anon-{h('post', p)[:16]}"
                for p in pid[~authors_kept]}
    kept_posts = set(pid[authors_kept])
    parents = posts["parent_post_id"].dropna()
    for p in parents[~parents.isin(kept_posts)].unique():
        post_map.setdefault(p, f"{p.split(':', 1)[0]}:anon-{h('post', p)[:16]}")
    for old, new in post_map.items():
        words[old.split(":", 1)[1].lower()] = new.split(":", 1)[1]

    def scrub(text, platform="any"):
        if not isinstance(text, str):
            return text

        def rep(m):
            at, tok = m.group(1), m.group(2)
            low = tok.lower()
            if at and low in kept_handles:
                return m.group(0)
            if low in words:
                return at + words[low]
            if at:
                return at + _hpseudo(h, platform, low)
            if "." in tok:
                return ".".join(words.get(part.lower(), part) for part in tok.split("."))
            return tok

        return _TOKEN.sub(rep, text)

    new_acc = acc.copy()
    new_acc.index = pd.Index(new_ids, name="account_id", dtype="string")
    new_acc["handle"] = pd.array(new_handles, dtype="string")
    new_posts = posts.copy()
    new_posts.index = pd.Index([post_map.get(p, p) for p in pid], name="post_id",
                               dtype="string")
    new_posts["author_id"] = _remap(posts["author_id"], id_map)
    new_posts["parent_post_id"] = _remap(posts["parent_post_id"], post_map)
    pl = posts["platform"].astype(str).to_numpy()
    new_posts["text"] = pd.array([scrub(t, p) if isinstance(t, str) else t for t, p in
                                  zip(posts["text"].to_numpy(object), pl, strict=True)],
                                 dtype="string")
    new_posts["url"] = pd.array([scrub(v) if isinstance(v, str) and ok else pd.NA for v, ok in
                                 zip(posts["url"].to_numpy(object), authors_kept, strict=True)],
                                dtype="string")
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
        files=[scrub(f) for f in rep.files])
    meta = {"source": scrub(str(corpus.meta.get("source", ""))), "pseudonymized": True,
            "kept_accounts": int(kept.sum())}
    out = Corpus(new_acc, new_posts, inter, report, meta)
    return out.validate()


def _remap(series, mapping):
    return pd.array([mapping.get(v, v) if isinstance(v, str) else pd.NA
                     for v in series.to_numpy(object)], dtype="string")


def _hpseudo(h, platform, handle):
    return "anon_" + h(f"handle:{platform}", str(handle).lower())[:12]


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
