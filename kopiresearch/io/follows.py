"""Follower lists for cascade reconstruction: twarc2 ``followers``/``following`` output and a
generic follows CSV, read into the ``follower_id, followee_id`` table that
:func:`kopiresearch.cascades.reconstruct_cascades` takes.

twarc2
------
``twarc2 followers USER out.jsonl`` and ``twarc2 following USER out.jsonl`` write one API
response page per line: ``{"data": [user, ...], "meta": {"result_count": N, "next_token":
...}, "__twarc": {"url": "https://api.twitter.com/2/users/<ID>/followers?...", ...}}``, up to
1,000 users a page (twarc's ``Twarc2.followers``/``following`` call ``GET
/2/users/:id/followers`` and ``/following`` and ``get_paginated`` appends the request URL as
``__twarc.url``). Whose list it is and in which direction is only in that URL: the user
objects are the other side. Crawled with ``--no-metadata`` there is no URL; then the
``account`` and ``kind`` arguments say it. Old twarc versions with ``--flatten`` wrote one user
per line with ``__twarc`` copied into it; both layouts are read.

Generic CSV
-----------
A header with a ``follower`` and a ``followed`` column (also accepted: ``follower_id``,
``follower_handle``; ``followed_id``, ``followee``, ``followee_id``, ``following``,
``followed_handle``; any case), one follow per row, and an optional ``platform`` column. A
value is a platform-qualified account id (``twitter:1141900000000000001``), a bare numeric id
(``1141900000000000001``), or a handle (``@KominfoKdr_Demo`` or ``kominfokdr_demo``; a value
with ``@`` is always a handle, a value of digits only is always an id).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from typing import NamedTuple

import pandas as pd

from ..corpus import PLATFORMS, Corpus, LoadReport
from ..errors import InputFormatError
from ._common import check_utf8, expand_paths, guard

__all__ = ["read_follows", "FollowsResult", "FOLLOWS_COLUMNS"]

#: Columns of the follows table (information flows from followee to follower).
FOLLOWS_COLUMNS = ("follower_id", "followee_id")

_FOLLOWER = ("follower", "follower_id", "follower_handle")
_FOLLOWED = ("followed", "followed_id", "followee", "followee_id", "following",
             "followed_handle")
_URL = re.compile(r"/2/users/(?P<id>\d+)/(?P<kind>followers|following)(?:[?/#]|$)")


class FollowsResult(NamedTuple):
    """What :func:`read_follows` returns (unpack as ``follows, report``)."""

    #: one row per follow tie, columns ``follower_id``, ``followee_id`` (account ids), sorted
    follows: pd.DataFrame
    #: rows read = loaded + duplicates + malformed, per file, with warnings
    report: LoadReport


@guard
def read_follows(paths, *, corpus: Corpus | None = None, platform: str = "twitter",
                 account=None, kind=None) -> FollowsResult:
    """Read follower lists into the table cascade reconstruction takes.

    Parameters
    ----------
    paths : path, list of paths, folder or glob pattern
        twarc2 ``followers``/``following`` output (``.jsonl``/``.json``) and/or generic
        follows CSVs (``.csv``), in any mix; see the module docstring for both layouts.
    corpus : Corpus, optional
        Resolve handles and ids to the corpus's ``account_id`` s: an account the crawl knows
        only by handle (``twitter:@warga_003``) is matched by the username of a twarc2 user
        or a handle of the CSV. Without a corpus, ids become ``"<platform>:<id>"`` and
        handles ``"<platform>:@<handle>"``, the loaders' convention.
    platform : str, default "twitter"
        Platform of bare ids and handles (a CSV ``platform`` column wins per row).
    account : str, optional
        twarc2 files crawled with ``--no-metadata``: the user whose list it is (id or
        handle, as given to ``twarc2 followers USER``). Ignored when the file says it.
    kind : {"followers", "following"}, optional
        twarc2 files without metadata: which command wrote them.

    Returns
    -------
    FollowsResult
        ``(follows, report)``: the unique ties as ``follower_id``, ``followee_id`` (the
        follower sees what the followee posts: information flows followee -> follower),
        sorted; and the load report. Pass ``follows`` to
        ``kopiresearch.cascades.reconstruct_cascades(corpus, follows=follows)``.

    Raises
    ------
    InputFormatError
        A file that is neither layout, a CSV without the two columns, a twarc2 page whose
        owner or direction cannot be told (no ``__twarc.url`` and no ``account``/``kind``),
        or ``__twarc.url`` disagreeing with ``kind``; the message names the file and line.

    See Also
    --------
    kopiresearch.cascades.reconstruct_cascades : uses the table for ``method="follows"``.
    kopiresearch.synth.load_follows : the same table for the bundled data.

    Notes
    -----
    The per-file window of the report is when twarc2 retrieved the pages
    (``__twarc.retrieved_at``); a CSV has none. Rows read are the users of the twarc2 pages
    (and flattened lines) and the CSV data rows: rows read = loaded + duplicates +
    malformed. A tie seen twice (re-crawls, a tie in both a ``followers`` and a
    ``following`` file) counts once, later copies as duplicates. A row
    without follower or followed, a user without ``id``, a self-follow and a truncated
    JSON line are malformed, listed with file, line and reason. A list whose last page
    still has a ``meta.next_token`` was cut short (``--limit`` or an interrupted crawl);
    this is said as a warning, since ties missing from it make cascade parents fall back
    to the root. With a corpus, ties naming accounts outside it are kept in the table (the
    reconstruction ignores them) and counted in a warning.

    Examples
    --------
    >>> import kopiresearch.io as kio
    >>> crawl = kio.read_twarc2(kio.example_path("twarc2_search.jsonl"))
    >>> follows, report = read_follows(kio.example_path("follows"), corpus=crawl)
    >>> list(follows.columns), report.is_consistent
    (['follower_id', 'followee_id'], True)
    >>> ("twitter:1500000000000000102", "twitter:1141900000000000001") in set(
    ...     follows.itertuples(index=False, name=None))
    True
    >>> from kopiresearch.cascades import reconstruct_cascades
    >>> reconstruct_cascades(crawl, follows=follows).method
    'follows'
    """
    if platform not in PLATFORMS:
        raise InputFormatError(f"unknown platform {platform!r}; known: {', '.join(PLATFORMS)}")
    if kind not in (None, "followers", "following"):
        raise InputFormatError(f"kind must be 'followers' or 'following', not {kind!r}")
    files = expand_paths(paths, patterns=("*.jsonl", "*.json", "*.csv", "**/*.jsonl",
                                          "**/*.json", "**/*.csv"))
    report = LoadReport()
    resolver = _Resolver(corpus)
    seen: set = set()
    out_a, out_b = [], []
    for path in files:
        report.files.append(str(path))
        data = check_utf8(path.read_bytes(), path)
        retrieved = []
        if path.suffix.lower() in (".jsonl", ".json"):
            rows = _twarc2_rows(data, path, platform, account, kind, report, resolver,
                                retrieved)
        elif path.suffix.lower() == ".csv":
            rows = _csv_rows(data, path, platform, report, resolver)
        else:
            report.skipped.append(_skip(path, "not a follows file (.jsonl, .json or .csv)"))
            continue
        loaded = dup = 0
        for line, a, b in rows:
            if a == b:
                report.add_malformed(path, line, "an account follows itself")
                continue
            if (a, b) in seen:
                report.add_duplicate()
                dup += 1
                continue
            seen.add((a, b))
            out_a.append(a)
            out_b.append(b)
            report.add_loaded()
            loaded += 1
        # twarc2 pages: when the lists were retrieved (follows have no time of their own)
        times = pd.to_datetime(pd.Series(retrieved, dtype=object), utc=True, errors="coerce")
        report.add_file_counts(path, loaded=loaded, duplicates=dup,
                               first=times.min() if times.notna().any() else None,
                               last=times.max() if times.notna().any() else None)
    follows = pd.DataFrame({"follower_id": out_a, "followee_id": out_b}, dtype=object)
    follows = follows.sort_values(list(FOLLOWS_COLUMNS), kind="stable").reset_index(drop=True)
    if corpus is not None and len(follows):
        known = corpus.accounts.index
        outside = ~(follows["follower_id"].isin(known) & follows["followee_id"].isin(known))
        if outside.any():
            where = os.path.commonpath([os.path.abspath(f) for f in report.files])
            report.warn(where, f"{int(outside.sum())} of {len(follows)} "
                        "follow ties name an account that is not in the corpus; cascade "
                        "reconstruction ignores them", affects="cascade parents (method "
                        "'follows')", fix="crawl the posts of those accounts, or ignore: "
                        "ties outside the corpus cannot carry a cascade")
    report.check()
    return FollowsResult(follows, report)


def _skip(path, reason):
    from ..corpus import MalformedRow

    return MalformedRow(str(path), None, reason)


class _Resolver:
    """Account ids from ids and handles, through the corpus when there is one."""

    def __init__(self, corpus):
        self.ids = set() if corpus is None else set(corpus.accounts.index)
        self.by_handle = {}
        if corpus is not None:
            acc = corpus.accounts
            handles = acc["handle"].astype(object)
            for aid, plat, h in sorted(zip(acc.index, acc["platform"].astype(str), handles,
                                           strict=True),
                                       key=lambda t: (":@" in t[0], t[0])):
                if isinstance(h, str) and h:
                    self.by_handle.setdefault((plat, h.lower()), aid)  # ids before @handles

    def user(self, platform, uid=None, handle=None):
        """An account from an id and/or a handle (the id account wins when the corpus
        has it, then the corpus account with that handle, then the id)."""
        if uid:
            aid = f"{platform}:{uid}"
            if aid in self.ids or not handle:
                return aid
            return self.by_handle.get((platform, handle.lower()), aid)
        return self.by_handle.get((platform, handle.lower()), f"{platform}:@{handle.lower()}")

    def value(self, platform, text):
        """An account from a CSV value: qualified id, bare id or handle."""
        text = text.strip()
        head, sep, rest = text.partition(":")
        if sep and head in PLATFORMS and rest:
            return text if not rest.startswith("@") else self.user(head, handle=rest[1:])
        if text.startswith("@"):
            return self.user(platform, handle=text[1:])
        if text.isdigit():
            return self.user(platform, uid=text)
        return self.user(platform, handle=text)


def _twarc2_rows(data, path, platform, account, kind, report, resolver, retrieved):
    rows = []
    owners = {}  # (owner, kind) -> whether its last page had a next_token
    lines = data.decode("utf-8").split("\n")
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            if number < len(lines):
                report.blank_lines += 1
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError:
            report.add_malformed(path, number, "truncated or invalid JSON line")
            continue
        if not isinstance(obj, dict):
            raise InputFormatError("not a twarc2 followers/following page (a JSON object "
                                   "per line)", file=str(path), line=number)
        flat = "data" not in obj and "id" in obj and "username" in obj
        if not flat and "data" not in obj:
            if "meta" in obj or "errors" in obj:
                continue  # an empty page (no followers) or an error page: no rows
            raise InputFormatError("not a twarc2 followers/following page (no 'data')",
                                   file=str(path), line=number)
        users = [obj] if flat else obj["data"]
        if not isinstance(users, list) or (users and not isinstance(users[0], dict)):
            raise InputFormatError("'data' is not a list of users", file=str(path),
                                   line=number)
        if users and "username" not in users[0] and "text" in users[0]:
            raise InputFormatError("these are tweets, not users: read it with read_twarc2",
                                   file=str(path), line=number)
        owner, direction = _owner(obj, path, number, platform, account, kind, resolver)
        retrieved.append((obj.get("__twarc") or {}).get("retrieved_at"))
        owners[(owner, direction)] = "next_token" in (obj.get("meta") or {})
        for user in users:
            uid = str(user.get("id") or "").strip()
            if not uid.isdigit():
                report.add_malformed(path, number, "user without a numeric 'id'")
                continue
            other = resolver.user(platform, uid, (user.get("username") or None))
            rows.append((number, other, owner) if direction == "followers"
                        else (number, owner, other))
    for (owner, direction), cut in owners.items():
        if cut:
            report.warn(path, f"the {direction} list of {owner} is incomplete: its last page "
                        "has a next_token (twarc2 --limit, or the crawl stopped)",
                        affects="cascade parents (method 'follows'): missing ties fall back "
                        "to the root", fix="crawl the list without --limit")
    return rows


def _owner(obj, path, number, platform, account, kind, resolver):
    url = str((obj.get("__twarc") or {}).get("url") or "")
    m = _URL.search(url)
    if m:
        if kind is not None and kind != m.group("kind"):
            raise InputFormatError(f"kind={kind!r} but the page was fetched from {url!r}",
                                   file=str(path), line=number)
        return resolver.user(platform, uid=m.group("id")), m.group("kind")
    if account is None or kind is None:
        raise InputFormatError(
            "cannot tell whose list this is: no __twarc.url naming /2/users/<id>/followers "
            "or /following (crawled with --no-metadata?); pass account= and kind=",
            file=str(path), line=number)
    return resolver.value(platform, str(account)), kind


def _csv_rows(data, path, platform, report, resolver):
    text = data.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise InputFormatError("empty follows CSV", file=str(path))
    names = [h.strip().lower() for h in header]
    a = next((names.index(c) for c in _FOLLOWER if c in names), None)
    b = next((names.index(c) for c in _FOLLOWED if c in names), None)
    if a is None or b is None:
        raise InputFormatError("a follows CSV needs a 'follower' and a 'followed' column "
                               f"(header: {', '.join(header)})", file=str(path), line=1,
                               column="follower" if a is None else "followed")
    p = names.index("platform") if "platform" in names else None
    rows = []
    for row in reader:
        line = reader.line_num
        if not any(v.strip() for v in row):
            report.blank_lines += 1
            continue
        if [v.strip().lower() for v in row] == names:
            report.repeated_headers += 1
            continue
        get = lambda i: row[i].strip() if i is not None and i < len(row) else ""  # noqa: E731,B023
        plat = get(p).lower() or platform
        if plat not in PLATFORMS:
            report.add_malformed(path, line, f"unknown platform {plat!r}")
            continue
        fa, fb = get(a), get(b)
        if not fa or not fb:
            report.add_malformed(path, line, "follower or followed is empty")
            continue
        rows.append((line, resolver.value(plat, fa), resolver.value(plat, fb)))
    return rows
