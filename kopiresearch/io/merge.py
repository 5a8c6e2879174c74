"""Merge several loaded corpora (crawls, platforms) into one, removing duplicates."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..corpus import Corpus, LoadReport
from ..errors import KopiresearchError

__all__ = ["merge"]


def merge(*corpora: Corpus, validate: bool = True) -> Corpus:
    """Merge corpora into one; duplicates by platform id are removed and counted.

    Parameters
    ----------
    *corpora : Corpus
        Loaded crawls, from any loaders and platforms.
    validate : bool
        Validate the result (default).

    Returns
    -------
    Corpus
        Accounts, posts and interactions of all inputs. The report is the sum of the input
        reports, with each post that occurs in more than one input moved from ``loaded`` to
        ``duplicates`` (so the report still adds up).

    Raises
    ------
    KopiresearchError
        No corpus given, or an argument is not a Corpus.

    Notes
    -----
    * An account known only by handle in one crawl (``"twitter:@warga_001"``) and by id in
      another (``"twitter:1500..."`` with handle ``warga_001``) becomes the id account; its
      interactions and posts are re-pointed.
    * Accounts: the first non-missing handle, follower count and region are kept; an actor
      type other than ``unknown`` wins over ``unknown``; ``partnered`` is true if it is in any
      input.
    * Posts: the first copy of each ``post_id`` is kept (rule 9), ``parent_missing`` is
      recomputed.
    * Interactions: the union, one per (post_id, source, target, kind) (rule 3); where the
      copies of a post carry different acts, all are kept (rule 9).

    Examples
    --------
    >>> import kopiresearch.io as kio
    >>> from kopiresearch.io.examples import example_path
    >>> a = kio.read_twarc2(example_path("twarc2_search.jsonl"))
    >>> m = merge(a, a)
    >>> len(m.posts) == len(a.posts), m.report.duplicates == 2 * a.report.duplicates + len(a.posts)
    (True, True)
    """
    if not corpora:
        raise KopiresearchError("merge() needs at least one Corpus")
    for i, c in enumerate(corpora):
        if not isinstance(c, Corpus):
            raise KopiresearchError(f"argument {i} of merge() is a {type(c).__name__}, "
                                    "not a Corpus")
    acc = pd.concat([c.accounts for c in corpora])
    acc.index.name = "account_id"
    accounts, remap = merge_accounts(acc.reset_index())

    posts = pd.concat([c.posts for c in corpora])
    posts.index.name = "post_id"
    posts = posts.reset_index()
    posts["author_id"] = posts["author_id"].replace(remap)
    dup = posts["post_id"].duplicated(keep="first").to_numpy(bool)
    posts = posts[~dup].drop(columns=["parent_missing"])
    for col in ("platform", "kind"):
        posts[col] = posts[col].astype(str)

    inter = pd.concat([c.interactions for c in corpora], ignore_index=True)
    for col in ("source_id", "target_id"):
        inter[col] = inter[col].replace(remap)
    inter = inter[inter["source_id"] != inter["target_id"]]
    key = inter[["post_id", "source_id", "target_id", "kind"]].astype(str)
    key["t"] = np.where(inter["post_id"].isna(), inter["created_at"].astype(str), "")
    inter = inter[~key.duplicated(keep="first").to_numpy(bool)].copy()
    inter["kind"] = inter["kind"].astype(str)
    inter = inter.sort_values(["created_at", "post_id", "kind", "target_id"], kind="stable")

    report = LoadReport()
    for c in corpora:
        report = report + dataclasses.replace(c.report)
    n_dup = int(dup.sum())
    moved = min(n_dup, report.loaded)
    report.loaded -= moved
    report.duplicates += moved
    meta = {"source": "merge", "parts": [dict(c.meta) for c in corpora]}
    return Corpus.from_frames(accounts, posts, inter.reset_index(drop=True), report=report,
                              meta=meta, validate=validate)


def merge_accounts(acc: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Unite account rows from several inputs (``account_id`` as a column).

    Returns the merged accounts (one row per id, ``account_id`` a column) and the remapping
    of handle-only ids (``"twitter:@warga_001"``) to the id another input gives them. The
    rules are those of :func:`merge`; :mod:`kopiresearch.scale` uses the same function for
    partitioned corpora, so both paths unite accounts alike.
    """
    acc = acc.copy()
    # handle-only accounts that another input knows by id
    ids = acc[~acc["account_id"].str.contains(":@", regex=False) & acc["handle"].notna()]
    key = ids["platform"].astype(str) + ":@" + ids["handle"].astype(str)
    present = set(acc["account_id"])
    remap = {k: v for k, v in zip(key, ids["account_id"], strict=True) if k in present}
    acc["account_id"] = acc["account_id"].replace(remap)
    acc["_known"] = acc["actor_type"].astype(str) != "unknown"
    acc["_order"] = np.arange(len(acc))
    acc = acc.sort_values(["_known", "_order"], ascending=[False, True], kind="stable")
    g = acc.groupby("account_id", sort=True)
    accounts = g.first()  # first non-missing value of each column
    accounts["actor_type"] = g["actor_type"].first().astype(str)
    accounts["partnered"] = g["partnered"].any()
    accounts = accounts.drop(columns=["_known", "_order"]).reset_index()
    accounts["platform"] = accounts["platform"].astype(str)
    return accounts, remap
