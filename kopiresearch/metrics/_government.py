"""What government accounts post: Mergel's push / pull / networking mix and Bonson's
engagement indices."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .._compat import renamed_keyword
from ..corpus import GOVERNMENT_TYPES, Corpus
from ..errors import KopiresearchError

__all__ = ["SOLICITATION_PATTERN", "push_pull_networking", "engagement"]

#: Text that solicits input (Indonesian and English): a question mark, "bagaimana
#: pendapat", "sampaikan", "kolom komentar", "polling"/"survei"/"kuesioner", "tulis di",
#: "menurut sobat/kamu/anda", "what do you think".
SOLICITATION_PATTERN = (r"\?|\bbagaimana pendapat|\bsampaikan\b|\bkolom komentar|\bpolling\b|"
                        r"\bsurvei\b|\bkuesioner\b|\btulis(kan)? di\b|"
                        r"\bmenurut (sobat|kamu|anda|kalian)\b|\bwhat do you think\b")

_CATEGORIES = ("push", "pull", "networking", "other")


_PUSH_PULL_KINDS = ("original", "reply", "quote", "repost", "comment")
_ENGAGEMENT_KINDS = ("original", "quote")


def push_pull_networking(corpus: Corpus, *, accounts=None,
                         solicitation: str = SOLICITATION_PATTERN,
                         post_kinds=_PUSH_PULL_KINDS,
                         return_posts: bool = False, kinds=None):
    """Shares of push, pull and networking posts of each government account (Mergel 2013).

    Parameters
    ----------
    corpus : Corpus
        The canonical tables.
    accounts : iterable of account ids, optional
        The accounts to code; every government account by default.
    solicitation : str, default :data:`SOLICITATION_PATTERN`
        Regular expression (case-insensitive) marking a post that asks for input.
    post_kinds : iterable of str
        Post kinds to code (all by default). (``post_kinds`` always names kinds of posts,
        ``kinds`` kinds of interactions, as in :func:`kopiresearch.build_interaction_graph`.)
    kinds : iterable of str, optional
        The former name of ``post_kinds``: still accepted for one release, with a
        DeprecationWarning.
    return_posts : bool, default False
        Also return the coded posts (``post_id``, ``author_id``, ``category``).

    Returns
    -------
    pandas.DataFrame, or (DataFrame, DataFrame) with ``return_posts``
        Indexed by account (sorted), with ``handle``, ``actor_type``, ``posts`` and the
        counts and shares ``push``, ``pull``, ``networking``, ``other`` and
        ``push_share``, ``pull_share``, ``networking_share``, ``other_share`` (summing to
        1; ``NaN`` for an account without posts).

    Notes
    -----
    The typology is Mergel's (representation = push, engagement = pull, networking); the
    coding rules are ours. Each post of the account is coded once, by the first rule that
    applies:

    1. **pull**: a reply or comment to a post by a citizen, or a post whose text matches
       ``solicitation`` (asks for comments, opinions, a poll);
    2. **networking**: a post that mentions, tags, reposts or quotes another government or
       influencer account (an act in ``interactions`` with this ``post_id``, e.g.
       "Bersama @x");
    3. **push**: a post that is not a reply or comment and engages no non-government
       account (announcements, reposts of its own or other offices' posts are covered by
       rule 2 first);
    4. **other**: everything else (replies to media, mentions of citizens without reply).

    A post matching several rules counts once, so the shares add up to 1 (MEASURES item 1
    lets them overlap; we make them exclusive by this precedence).

    References
    ----------
    .. [1] Mergel, I. (2013). Social media adoption and resulting tactics in the U.S.
       federal government. Government Information Quarterly 30(2):123-130.
       doi:10.1016/j.giq.2012.12.004
    .. [2] Mergel, I. (2013). A framework for interpreting social media interactions in the
       public sector. Government Information Quarterly 30(4):327-334.
       doi:10.1016/j.giq.2013.05.015

    Examples
    --------
    The office ``g`` posts an announcement (push), answers a citizen (pull), posts with an
    influencer (networking) and mentions a citizen without a reply (other):

    >>> import pandas as pd, kopiresearch as kr
    >>> acc = pd.DataFrame({"account_id": ["x:g", "x:i", "x:c"], "platform": "twitter",
    ...     "handle": ["pemkab_demo", "infokota_demo", "warga_00001"], "region_code": None,
    ...     "actor_type": ["government_regency", "influencer", "citizen"],
    ...     "followers": [2000, 900, 10]})
    >>> posts = pd.DataFrame({"post_id": ["x:p0", "x:p1", "x:p2", "x:p3", "x:p4"],
    ...     "platform": "twitter", "author_id": ["x:c", "x:g", "x:g", "x:g", "x:g"],
    ...     "created_at": pd.date_range("2024-11-01", periods=5, freq="h", tz="UTC"),
    ...     "kind": ["original", "original", "reply", "original", "original"],
    ...     "parent_post_id": [None, None, "x:p0", None, None],
    ...     "text": ["jalan rusak", "Info vaksin", "segera kami cek",
    ...              "Bersama @infokota_demo", "@warga_00001 halo"],
    ...     "like_count": [0, 3, 0, 1, 0], "reply_count": [0, 1, 0, 1, 0],
    ...     "repost_count": [0, 0, 0, 2, 0], "quote_count": [0, 0, 0, 1, 0]})
    >>> acts = pd.DataFrame({"source_id": "x:g", "target_id": ["x:c", "x:i", "x:c"],
    ...     "kind": ["reply", "mention", "mention"], "post_id": ["x:p2", "x:p3", "x:p4"],
    ...     "created_at": posts["created_at"].iloc[2:].to_numpy()})
    >>> c = kr.Corpus.from_frames(acc, posts, acts)
    >>> t = push_pull_networking(c)
    >>> t.loc["x:g", ["posts", "push", "pull", "networking", "other"]].tolist()
    [4, 1, 1, 1, 1]
    >>> t.loc["x:g", ["push_share", "pull_share", "networking_share", "other_share"]].tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    try:
        pattern = re.compile(solicitation, flags=re.IGNORECASE)
    except re.error as exc:
        raise KopiresearchError(f"solicitation is not a valid regular expression: {exc}") \
            from None
    post_kinds = renamed_keyword(post_kinds, kinds, name="post_kinds", former="kinds",
                                 default=_PUSH_PULL_KINDS)
    acc, types, ids, posts, P = _own_posts(corpus, accounts, post_kinds)
    kind = P["kind"].astype(str)
    parent_author = P["parent_post_id"].map(posts["author_id"])
    parent_type = parent_author.map(types)
    is_reply = kind.isin(["reply", "comment"])
    text = P["text"].fillna("").astype(str)
    solicits = text.map(lambda s: bool(pattern.search(s))).astype(bool)
    pull = (is_reply & (parent_type == "citizen")) | solicits
    inter = corpus.interactions
    acts = inter[inter["post_id"].isin(P.index)]
    ttype = acts["target_id"].map(types)
    own = acts["target_id"].to_numpy() == acts["source_id"].to_numpy()
    netw_posts = set(acts.loc[acts["kind"].isin(["mention", "tag", "repost", "quote"])
                           & (ttype.isin(GOVERNMENT_TYPES) | (ttype == "influencer"))
                           & ~own, "post_id"])
    nongov_posts = set(acts.loc[~ttype.isin(GOVERNMENT_TYPES), "post_id"])
    networking = P.index.isin(list(netw_posts))
    push = ~is_reply.to_numpy() & ~P.index.isin(list(nongov_posts))
    category = np.select([pull.to_numpy(), networking, push], ["pull", "networking", "push"],
                         default="other")
    coded = pd.DataFrame({"post_id": P.index.astype(object), "author_id":
                          P["author_id"].astype(object).to_numpy(), "category": category})
    counts = pd.crosstab(coded["author_id"], coded["category"]).reindex(
        index=pd.Index(ids, dtype=object), columns=list(_CATEGORIES), fill_value=0)
    counts = counts.fillna(0).astype(np.int64)
    out = pd.DataFrame(index=pd.Index(ids, dtype=object, name="account_id"))
    out["handle"] = acc.loc[ids, "handle"].astype(object).to_numpy()
    out["actor_type"] = types.loc[ids].to_numpy()
    out["posts"] = counts.sum(axis=1).to_numpy()
    for c in _CATEGORIES:
        out[c] = counts[c].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        for c in _CATEGORIES:
            out[f"{c}_share"] = np.where(out["posts"] > 0, out[c] / out["posts"], np.nan)
    out = out.sort_index()
    if return_posts:
        return out, coded.sort_values("post_id").reset_index(drop=True)
    return out


def engagement(corpus: Corpus, *, accounts=None, post_kinds=_ENGAGEMENT_KINDS,
               include_quotes: bool = True, kinds=None) -> pd.DataFrame:
    """Bonson's popularity, commitment and virality indices of each account's posts.

    Parameters
    ----------
    corpus : Corpus
        The canonical tables (posts with ``like_count``, ``reply_count``,
        ``repost_count``, ``quote_count``; accounts with ``followers``).
    accounts : iterable of account ids, optional
        Accounts to score; every government account by default.
    post_kinds : iterable of str, default ("original", "quote")
        The account's own posts that are scored (replies and reposts are not its
        publications).
    include_quotes : bool, default True
        Count quotes as shares (``shares = repost_count + quote_count``).
    kinds : iterable of str, optional
        The former name of ``post_kinds``: still accepted for one release, with a
        DeprecationWarning.

    Returns
    -------
    pandas.DataFrame
        Indexed by account (sorted) with ``handle``, ``followers``, ``posts``, ``likes``,
        ``comments``, ``shares``, and the indices ``P1``, ``P2``, ``P3``, ``C1``, ``C2``,
        ``C3``, ``V1``, ``V2``, ``V3`` and ``E``.

    Notes
    -----
    Following Bonson, Royo & Ratkai (2015), for an account with ``n`` posts:

    - popularity ``P1`` = posts with at least one like / n; ``P2`` = likes / n;
      ``P3 = 1000 * P2 / followers``;
    - commitment ``C1`` = posts with at least one comment / n; ``C2`` = comments / n;
      ``C3 = 1000 * C2 / followers``;
    - virality ``V1`` = posts shared at least once / n; ``V2`` = shares / n;
      ``V3 = 1000 * V2 / followers``;
    - engagement ``E = P3 + C3 + V3``.

    ``P1``, ``C1``, ``V1`` are shares (Bonson et al. report them as percentages). Each index
    uses only the posts whose count is known; ``NaN`` where no count or no follower number
    is known. Comments are ``reply_count`` (replies on Twitter/X, comments elsewhere).

    References
    ----------
    .. [1] Bonson, E., Royo, S., & Ratkai, M. (2015). Citizens' engagement on local
       governmental Facebook sites: an empirical analysis. Government Information
       Quarterly 32(1):52-62. doi:10.1016/j.giq.2014.11.001
    .. [2] Haro-de-Rosario, A., Saez-Martin, A., & Caba-Perez, M. C. (2018). Using social
       media to enhance citizen engagement with local government: Twitter or Facebook?
       New Media & Society 20(1):29-49. doi:10.1177/1461444816645652

    Examples
    --------
    Worked by hand: ``g`` (2000 followers) has three own posts (originals and quotes; its
    reply is not scored) with likes 3, 1, 0, comments 1, 1, 0 and shares (reposts + quotes)
    0, 3, 0. So P1 = 2/3, P2 = 4/3, P3 = 1000 * (4/3) / 2000 = 2/3; C1 = 2/3, C2 = 2/3,
    C3 = 1/3; V1 = 1/3, V2 = 1, V3 = 1/2; E = 2/3 + 1/3 + 1/2 = 1.5:

    >>> import pandas as pd, kopiresearch as kr
    >>> acc = pd.DataFrame({"account_id": ["x:g"], "platform": "twitter",
    ...     "handle": ["pemkab_demo"], "region_code": None, "actor_type": "government_regency",
    ...     "followers": 2000})
    >>> posts = pd.DataFrame({"post_id": ["x:p1", "x:p2", "x:p3", "x:p4"],
    ...     "platform": "twitter", "author_id": "x:g", "created_at": pd.Timestamp(
    ...     "2024-11-01", tz="UTC"), "kind": ["original", "reply", "original", "original"],
    ...     "like_count": [3, 0, 1, 0], "reply_count": [1, 0, 1, 0],
    ...     "repost_count": [0, 0, 2, 0], "quote_count": [0, 0, 1, 0]})
    >>> c = kr.Corpus.from_frames(acc, posts)
    >>> e = engagement(c).loc["x:g"]
    >>> [round(float(e[k]), 4) for k in ("P1", "P2", "P3", "C1", "C2", "C3", "V1", "V2", "V3")]
    [0.6667, 1.3333, 0.6667, 0.6667, 0.6667, 0.3333, 0.3333, 1.0, 0.5]
    >>> int(e["posts"]), float(e["E"])
    (3, 1.5)
    """
    post_kinds = renamed_keyword(post_kinds, kinds, name="post_kinds", former="kinds",
                                 default=_ENGAGEMENT_KINDS)
    acc, types, ids, posts, P = _own_posts(corpus, accounts, post_kinds)
    likes = P["like_count"].astype("Float64")
    comments = P["reply_count"].astype("Float64")
    shares = P["repost_count"].astype("Float64")
    if include_quotes:
        shares = shares + P["quote_count"].astype("Float64").fillna(0)
    frame = pd.DataFrame({"author": P["author_id"].astype(object), "likes": likes,
                          "comments": comments, "shares": shares})
    g = frame.groupby("author", sort=True)
    index = pd.Index(ids, dtype=object, name="account_id")
    out = pd.DataFrame(index=index)
    out["handle"] = acc.loc[ids, "handle"].astype(object).to_numpy()
    followers = acc.loc[ids, "followers"].astype("Float64").astype(float).to_numpy()
    out["followers"] = followers
    out["posts"] = g.size().reindex(index, fill_value=0).astype(np.int64)
    for col, letter in (("likes", "P"), ("comments", "C"), ("shares", "V")):
        known = g[col].count().reindex(index, fill_value=0).astype(float)
        total = g[col].sum().reindex(index).astype(float)
        positive = g[col].apply(lambda s: float((s > 0).sum())).reindex(index).astype(float)
        out[col] = total.where(known > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"{letter}1"] = np.where(known > 0, positive / known, np.nan)
            out[f"{letter}2"] = np.where(known > 0, total / known, np.nan)
            out[f"{letter}3"] = np.where(followers > 0, 1000 * out[f"{letter}2"] / followers,
                                         np.nan)
    out["E"] = out["P3"] + out["C3"] + out["V3"]
    order = ["handle", "followers", "posts", "likes", "comments", "shares", "P1", "P2", "P3",
             "C1", "C2", "C3", "V1", "V2", "V3", "E"]
    return out[order].sort_index()


def _own_posts(corpus, accounts, post_kinds):
    """The accounts table, its actor types (str), the ids scored (``accounts``, each in the
    corpus, or every government account), all posts and the scored accounts' posts of
    ``post_kinds``."""
    acc = corpus.accounts
    types = acc["actor_type"].astype(str)
    if accounts is None:
        ids = acc.index[types.isin(GOVERNMENT_TYPES)]
    else:
        ids = pd.Index(list(accounts))
        missing = ids.difference(acc.index)
        if len(missing):
            raise KopiresearchError(f"accounts: {missing[0]!r} is not in corpus.accounts")
    posts = corpus.posts
    P = posts[posts["author_id"].isin(ids) & posts["kind"].isin(list(post_kinds))]
    return acc, types, ids, posts, P
