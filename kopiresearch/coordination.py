"""Coordinated amplification: co-action networks tested against a timing-breaking baseline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from numba import njit
from scipy import sparse, stats

from ._compat import renamed_keyword
from ._random import resolve_rng
from .errors import KopiresearchError

__all__ = [
    "ACTIONS",
    "actions_table",
    "co_action_edges",
    "Coordination",
    "coordination",
    "burstiness",
    "near_duplicate_clusters",
    "amplification_share",
    "recovery",
]

#: Kinds of co-action: the same post reposted, URL shared, hashtag used, near-identical text.
ACTIONS = ("repost", "url", "hashtag", "text")

_MS = 1000
# the combined sort key object * stride + time must stay below this
_KEY_LIMIT = 2 ** 62


def actions_table(corpus, action: str = "repost", *,
                  post_kinds: Sequence[str] = ("repost",), text_threshold: float = 0.8,
                  num_perm: int = 128, shingle: int = 3, seed: int = 1,
                  repost_kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """The acts that co-action networks are built from: who acted on what, when.

    Parameters
    ----------
    corpus : Corpus
    action : {"repost", "url", "hashtag", "text"}
        ``"repost"``: reposting a post (object = the reposted post; a Twitter-like repost
        names the root, as retweets do). ``"url"``: sharing a URL (object = the URL; from
        an ``expanded_urls`` column where the crawl has one, else from the text).
        ``"hashtag"``: using a hashtag. ``"text"``: posting a near-identical text (object
        = its near-duplicate cluster, :func:`near_duplicate_clusters`). URLs, hashtags and
        texts come from posts that are not reposts (a repost repeats them; the
        coordination-network-toolkit also ignores URLs in reposts).
    post_kinds : sequence of str
        Post kinds that count as reposts (add ``"quote"`` to count quotes). (``post_kinds``
        names kinds of posts across the package, ``kinds`` kinds of interactions.)
    text_threshold, num_perm, shingle, seed
        Passed to :func:`near_duplicate_clusters` for ``action="text"``.
    repost_kinds : sequence of str, optional
        The former name of ``post_kinds``: still accepted for one release, with a
        DeprecationWarning.

    Returns
    -------
    DataFrame
        ``post_id``, ``account_id``, ``object``, ``created_at`` (UTC), in the order of
        the posts table.

    Raises
    ------
    KopiresearchError
        Unknown action.

    Examples
    --------
    >>> import kopiresearch as kr
    >>> a = actions_table(kr.load_bundled(), "repost")
    >>> list(a.columns)
    ['post_id', 'account_id', 'object', 'created_at']
    """
    from .text import post_items

    if action not in ACTIONS:
        raise KopiresearchError(f"unknown action {action!r}; known: {', '.join(ACTIONS)}")
    post_kinds = renamed_keyword(post_kinds, repost_kinds, name="post_kinds",
                                 former="repost_kinds", default=("repost",))
    posts = corpus.posts
    is_repost = posts["kind"].isin(list(post_kinds)).to_numpy()
    if action == "repost":
        sub = posts[is_repost & posts["parent_post_id"].notna().to_numpy()]
        out = pd.DataFrame({"post_id": sub.index.array, "account_id": sub["author_id"].array,
                            "object": sub["parent_post_id"].array,
                            "created_at": sub["created_at"].array})
    else:
        own = posts[~is_repost]
        if action in ("url", "hashtag"):
            long = post_items(own, items=[action])
            long = long.drop_duplicates(["post_id", "item"])
            out = pd.DataFrame({"post_id": long["post_id"].to_numpy(),
                                "account_id": long["author_id"].to_numpy(),
                                "object": long["item"].to_numpy(dtype=object),
                                "created_at": own.loc[long["post_id"], "created_at"].array})
        else:
            own = own[own["text"].notna()]
            cl = near_duplicate_clusters(own["text"], threshold=text_threshold,
                                         num_perm=num_perm, shingle=shingle, seed=seed)
            multi = (cl.map(cl.value_counts()) > 1).to_numpy()
            own, cl = own[multi], cl[multi]
            out = pd.DataFrame({"post_id": own.index.array,
                                "account_id": own["author_id"].array,
                                "object": ("text:" + cl.astype(str)).to_numpy(dtype=object),
                                "created_at": own["created_at"].array})
    if not isinstance(out["created_at"].dtype, pd.DatetimeTZDtype):
        out["created_at"] = pd.to_datetime(out["created_at"], utc=True)
    return out.reset_index(drop=True)


def co_action_edges(actions: pd.DataFrame, *, window: float = 60.0,
                    directed: bool = False) -> pd.DataFrame:
    """Pairs of accounts that acted on the same object within ``window`` seconds.

    Parameters
    ----------
    actions : DataFrame
        ``account_id``, ``object``, ``created_at`` (as from :func:`actions_table`).
    window : float
        Seconds; two acts co-occur when ``|t1 - t2| <= window`` (inclusive, to the
        millisecond).
    directed : bool
        Return both ordered pairs with their own weights (the coordination-network-toolkit's
        table) instead of one row per unordered pair.

    Returns
    -------
    DataFrame
        Directed: ``account_1``, ``account_2``, ``weight`` = the number of distinct acts of
        account_1 with at least one act of account_2 on the same object within the window
        (self-pairs left out). Undirected: ``account_1 < account_2``, ``weight_12``,
        ``weight_21`` and ``weight`` = their maximum (the two are equal when each account
        acts once per object, as with retweets). Sorted by the accounts.

    Raises
    ------
    KopiresearchError
        A negative window or missing columns.

    Notes
    -----
    This is the co-retweet (co-link, co-tweet) definition of the coordination-network-
    toolkit (Graham et al.): ``count(distinct e_1.message_id)`` over the join of acts on
    the same object within the window, grouped by the ordered account pair. It is computed
    without Python loops: acts are sorted by (object, time), each act's window is found
    with two binary searches on a combined key, a compiled (numba) pass writes one integer
    code per distinct (act, partner account) -- a marker array per account does the
    de-duplication without sorting -- and one sort of the codes gives the pair weights.
    Memory is linear in the number of acts plus the number of (act, partner) pairs.

    References
    ----------
    .. [1] Graham, T., Bruns, A., Angus, D., Hurcombe, E. & Hames, S. (2020), "#IStandWithDan
       versus #DictatorDan: the polarised dynamics of Twitter discussions about Victoria's
       COVID-19 restrictions", Media International Australia 179(1):127-148; software: the
       coordination-network-toolkit, QUT Digital Media Research Centre.
    .. [2] Pacheco, D. et al. (2021), "Uncovering coordinated networks on social media:
       methods and case studies", Proc. ICWSM 15:455-466.
    .. [3] Giglietto, F., Righetti, N., Rossi, L. & Marino, G. (2020), "It takes a village
       to manipulate the media: coordinated link sharing behavior during 2018 and 2019
       Italian elections", Information, Communication & Society 23(6):867-891 (CooRnet).

    Examples
    --------
    >>> t = pd.to_datetime(["2024-10-01 08:00:00", "2024-10-01 08:00:30",
    ...                     "2024-10-01 08:05:00", "2024-10-01 09:00:00"], utc=True)
    >>> acts = pd.DataFrame({"account_id": ["a", "b", "c", "a"],
    ...                      "object": ["p1", "p1", "p1", "p2"], "created_at": t})
    >>> co_action_edges(acts, window=60).values.tolist()
    [['a', 'b', 1, 1, 1]]
    """
    for col in ("account_id", "object", "created_at"):
        if col not in actions.columns:
            raise KopiresearchError(f"actions table: column {col!r} is missing")
    if not window >= 0:
        raise KopiresearchError(f"window must be a non-negative number of seconds, not {window}")
    acc_codes, accounts = pd.factorize(actions["account_id"], sort=True)
    obj_codes, _ = pd.factorize(actions["object"])
    t = _ms(actions["created_at"])
    w = int(round(window * _MS))
    pair_codes, weights = _ordered_pairs(acc_codes.astype(np.int64), obj_codes.astype(np.int64),
                                         t, w, len(accounts))
    n = np.int64(len(accounts))
    a1, a2 = pair_codes // n, pair_codes % n
    if directed:
        return pd.DataFrame({"account_1": accounts.take(a1).array,
                             "account_2": accounts.take(a2).array, "weight": weights})
    und = _undirected(a1, a2, weights, n)
    return pd.DataFrame({"account_1": accounts.take(und[0]).array,
                         "account_2": accounts.take(und[1]).array,
                         "weight": und[4], "weight_12": und[2], "weight_21": und[3]})


@dataclass(frozen=True)
class Coordination:
    """Result of :func:`coordination`.

    Attributes
    ----------
    edges : DataFrame
        Every account pair with at least one co-action: ``account_1``, ``account_2``,
        ``weight`` (co-actions), ``null_mean`` (mean weight under the baseline),
        ``p_value``, ``q_value`` (Benjamini-Hochberg), ``coordinated`` (bool).
    graph : networkx.Graph
        The coordinated pairs only; edge attributes ``weight``, ``null_mean``, ``q_value``;
        node attributes from the accounts table (``handle``, ``actor_type``,
        ``region_code``) and ``cluster``.
    clusters : DataFrame
        One row per coordinated account: ``cluster`` (0 = largest), ``cluster_size``.
    accounts : DataFrame
        One row per account that acted: see :func:`coordination`.
    params : dict
        The arguments used.
    """

    edges: pd.DataFrame
    graph: nx.Graph
    clusters: pd.DataFrame
    accounts: pd.DataFrame
    params: dict


def coordination(corpus, *, action: str = "repost", window: float = 60.0,
                 n_null: int = 100, null: str | None = None, max_shift: float | None = None,
                 alpha: float = 0.01, min_weight: int = 3, seed=None,
                 actions: pd.DataFrame | None = None, **action_options) -> Coordination:
    """Coordinated accounts: co-action pairs that co-act more often than their timing allows.

    Parameters
    ----------
    corpus : Corpus
    action : {"repost", "url", "hashtag", "text"}
        The co-action (see :func:`actions_table`).
    window : float
        Seconds within which two acts on the same object co-occur.
    n_null : int
        Baseline samples: timing-broken copies of the acts whose mean co-action counts
        estimate each pair's Poisson rate (see Notes). Not called ``n_permutations``: the
        default baselines shift times rather than permute labels, and their mean feeds a
        Poisson test rather than an empirical p-value.
    null : {"shift", "day_shift", "shuffle"}, optional
        How the baseline breaks the timing while keeping each account's activity (which
        objects it acted on, how often, in what rhythm). ``"shift"``: all acts of an
        account move by one random offset, uniform in ``[-max_shift, max_shift]`` seconds
        (default for reposts and texts, whose objects live for hours).
        ``"day_shift"``: all acts of an account move by a random non-zero whole number of
        days, at most ``max_shift`` seconds' worth, so that the time of day is kept (default
        for hashtags and URLs, which live for days and follow the daily rhythm: a sub-day
        shift would push daytime posting into the night and make every busy daytime
        account look coordinated). ``"shuffle"``: the times of the acts on each object are
        permuted among those acts (each object keeps its time profile); it cannot break
        a group that makes most of an object's acts, such as its own copy-paste text.
    max_shift : float, optional
        Seconds: 3600 for ``"shift"``, 7 days for ``"day_shift"``.
    alpha : float
        False discovery rate for the Benjamini-Hochberg step.
    min_weight : int
        A pair needs at least this many co-actions to be flagged.
    seed : int or numpy.random.Generator, optional
        The baseline's randomness.
    actions : DataFrame, optional
        Acts to use instead of ``actions_table(corpus, action)``.
    **action_options
        Passed to :func:`actions_table`.

    Returns
    -------
    Coordination
        ``accounts`` has, per account that acted: ``handle``, ``actor_type``, ``posts``,
        ``acts``, ``repost_share`` (reposts / posts), ``burstiness`` (of its posting times,
        :func:`burstiness`), ``co_actions`` (sum of its pair weights), ``partners``,
        ``coordinated_partners``, ``coordinated``, ``cluster``, and ``account_age_days``
        (at its first post) where the accounts table has ``account_created_at``.

    Raises
    ------
    KopiresearchError
        Bad arguments.

    Notes
    -----
    The test, per unordered pair with co-action count k (:func:`co_action_edges`): the
    baseline is recomputed ``n_null`` times with timing-broken acts; lambda = the pair's
    mean baseline weight, floored at 0.5 / n_null (so a pair never seen in the baseline
    is not given p = 0). p = P(Poisson(lambda) >= k): a co-action count is a sum of many
    rare, nearly independent coincidences, which Le Cam's theorem approximates by a
    Poisson law; with a few hundred samples this resolves far smaller p-values than the
    empirical rank could. q-values are Benjamini-Hochberg over all pairs; a pair is
    coordinated when q <= alpha and k >= min_weight. Busy accounts co-act often in the
    baseline too, so they are not flagged for being busy (Pacheco et al. 2021 warn about
    exactly this). Clusters are the connected components of the coordinated pairs.

    References
    ----------
    .. [1] Pacheco, D., Hui, P.-M., Torres-Lugo, C., Truong, B. T., Flammini, A. & Menczer, F.
       (2021), "Uncovering coordinated networks on social media: methods and case studies",
       Proc. ICWSM 15:455-466.
    .. [2] Giglietto, F., Righetti, N., Rossi, L. & Marino, G. (2020), Information,
       Communication & Society 23(6):867-891 (CooRnet).
    .. [3] Graham, T. et al. (2020), Media International Australia 179(1):127-148 (the
       coordination-network-toolkit).
    .. [4] Benjamini, Y. & Hochberg, Y. (1995), "Controlling the false discovery rate",
       J. R. Stat. Soc. B 57(1):289-300.
    .. [5] Goh, K.-I. & Barabási, A.-L. (2008), "Burstiness and memory in complex systems",
       EPL 81(4):48002.

    Examples
    --------
    >>> import kopiresearch as kr
    >>> res = coordination(kr.load_bundled(), window=60, n_null=20, seed=1)
    >>> print(res.graph)
    Graph with 0 nodes and 0 edges
    >>> int(res.edges["weight"].max()) >= 1
    True
    """
    if null is None:
        null = "day_shift" if action in ("hashtag", "url") else "shift"
    if null not in ("shift", "day_shift", "shuffle"):
        raise KopiresearchError(f"null must be 'shift', 'day_shift' or 'shuffle', not {null!r}")
    if max_shift is None:
        max_shift = 7 * 86400.0 if null == "day_shift" else 3600.0
    if not max_shift > 0:
        raise KopiresearchError(f"max_shift must be positive seconds, not {max_shift}")
    if not (isinstance(n_null, (int, np.integer)) and n_null >= 1):
        raise KopiresearchError(f"n_null must be a positive integer, not {n_null!r}")
    if not 0 < alpha < 1:
        raise KopiresearchError(f"alpha must be in (0, 1), not {alpha}")
    if not window >= 0:
        raise KopiresearchError(f"window must be a non-negative number of seconds, not {window}")
    rng = resolve_rng(seed)
    acts = actions if actions is not None else actions_table(corpus, action, **action_options)
    acc_codes, accounts = pd.factorize(acts["account_id"], sort=True)
    acc_codes = acc_codes.astype(np.int64)
    obj_codes = pd.factorize(acts["object"])[0].astype(np.int64)
    t = _ms(acts["created_at"])
    w = int(round(window * _MS))
    n = np.int64(len(accounts))
    codes, weights = _ordered_pairs(acc_codes, obj_codes, t, w, n)
    a1, a2, w12, w21, k = _undirected(codes // n, codes % n, weights, n)
    und = a1 * n + a2
    null_sum = np.zeros(len(und), dtype=np.float64)
    order = np.lexsort((t, obj_codes))
    for _ in range(n_null):
        tn = _null_times(t, obj_codes, acc_codes, order, rng, null, max_shift, n)
        c0, w0 = _ordered_pairs(acc_codes, obj_codes, tn, w, n)
        b1, b2, _, _, k0 = _undirected(c0 // n, c0 % n, w0, n)
        if len(und) == 0:
            break
        code0 = b1 * n + b2
        pos = np.minimum(np.searchsorted(und, code0), len(und) - 1)
        hit = und[pos] == code0
        null_sum += np.bincount(pos[hit], weights=k0[hit], minlength=len(und))
    lam = np.maximum(null_sum / n_null, 0.5 / n_null)
    p = stats.poisson.sf(k - 1, lam)
    q = _bh(p)
    flagged = (q <= alpha) & (k >= min_weight)
    names = accounts.to_numpy()
    edges = pd.DataFrame({"account_1": names[a1], "account_2": names[a2], "weight": k,
                          "weight_12": w12, "weight_21": w21, "null_mean": null_sum / n_null,
                          "p_value": p, "q_value": q, "coordinated": flagged})
    graph, clusters = _graph(corpus, edges[edges["coordinated"]])
    table = _account_table(corpus, acts, edges, clusters)
    params = {"action": action, "window": window, "n_null": n_null, "null": null,
              "max_shift": max_shift, "alpha": alpha, "min_weight": min_weight}
    return Coordination(edges=edges, graph=graph, clusters=clusters, accounts=table,
                        params=params)


def burstiness(times) -> float:
    """Burstiness B = (sigma - mu) / (sigma + mu) of the inter-event times (Goh & Barabási).

    Parameters
    ----------
    times : array-like of datetimes or numbers (seconds)
        One account's event times, in any order.

    Returns
    -------
    float
        -1 for perfectly regular events, about 0 for a Poisson process, towards 1 for
        bursts; NaN with fewer than three events (fewer than two gaps) or no spread at all.

    References
    ----------
    .. [1] Goh, K.-I. & Barabási, A.-L. (2008), "Burstiness and memory in complex systems",
       EPL 81(4):48002.

    Examples
    --------
    >>> burstiness([0, 10, 20, 30])
    -1.0
    >>> round(burstiness([0, 1, 2, 100, 101, 102]), 3)  # gaps 1,1,98,1,1: mu 20.4, sigma 38.8
    0.311
    """
    x = np.asarray(times)
    if np.issubdtype(x.dtype, np.datetime64) or isinstance(times, (pd.Series, pd.Index)) \
            and pd.api.types.is_datetime64_any_dtype(times):
        x = _ms(pd.Series(times)) / _MS
    x = np.sort(np.asarray(x, dtype=float))
    gaps = np.diff(x)
    if len(gaps) < 2:
        return float("nan")
    mu, sigma = gaps.mean(), gaps.std()
    return float("nan") if mu + sigma == 0 else float((sigma - mu) / (sigma + mu))


def near_duplicate_clusters(texts: pd.Series, *, threshold: float = 0.8, num_perm: int = 128,
                            shingle: int = 3, seed: int = 1) -> pd.Series:
    """Group near-identical texts (copy-paste campaigns) with MinHash LSH.

    Parameters
    ----------
    texts : Series of str
        Index = post ids.
    threshold : float
        Jaccard similarity of the texts' word shingles above which two texts are the same
        message (estimated with MinHash, then used for LSH banding).
    num_perm : int
        MinHash permutations.
    shingle : int
        Words per shingle (texts shorter than this are one shingle).
    seed : int
        MinHash seed (the hash functions, not a sample).

    Returns
    -------
    Series
        Post id -> cluster number (0, 1, ...; numbered by first appearance); a text with
        no near duplicate is its own cluster.

    Notes
    -----
    Texts are lower-cased, URLs and mentions removed, and split into words (letters and
    digits) before shingling, so that a changed link or addressee does not hide a copy.
    Two texts are linked when their MinHash-estimated Jaccard similarity is at least
    ``threshold``; clusters are the connected components of the links.

    References
    ----------
    .. [1] Broder, A. Z. (1997), "On the resemblance and containment of documents",
       Compression and Complexity of Sequences, IEEE, pp. 21-29.
    .. [2] Leskovec, J., Rajaraman, A. & Ullman, J. D., Mining of Massive Datasets, ch. 3
       (locality-sensitive hashing); software: datasketch (E. Zhu).

    Examples
    --------
    >>> s = pd.Series(["Dukung program vaksinasi gratis Pemprov Jatim hari ini!",
    ...                "dukung program vaksinasi gratis pemprov jatim hari ini @warga_00001",
    ...                "Jalan rusak di depan pasar belum diperbaiki"], index=["p1", "p2", "p3"])
    >>> near_duplicate_clusters(s).tolist()
    [0, 0, 1]
    """
    import re

    from datasketch import MinHash, MinHashLSH

    if not 0 < threshold <= 1:
        raise KopiresearchError(f"threshold must be in (0, 1], not {threshold}")
    clean = (texts.astype(str).str.lower()
             .str.replace(r"(?:https?://|www\.)\S+|@\w+|^rt\s+", " ", regex=True))
    word = re.compile(r"\w+")
    # texts with the same words have the same shingles: hash each distinct one once (a
    # copy-paste campaign repeats the same text many times), then map back
    keys = pd.Series([" ".join(word.findall(text)) for text in clean], dtype=object)
    codes, uniq = pd.factorize(keys)
    sets = []
    for text in uniq:
        words = text.split(" ") if text else []
        if len(words) <= shingle:
            sets.append([" ".join(words).encode("utf8")])
        else:
            sets.append([" ".join(words[i:i + shingle]).encode("utf8")
                         for i in range(len(words) - shingle + 1)])
    hashes = MinHash.bulk(sets, num_perm=num_perm, seed=seed)
    values = np.vstack([m.hashvalues for m in hashes]) if hashes else np.zeros((0, num_perm))
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    src, dst = [], []
    for i, m in enumerate(hashes):
        cand = np.fromiter(lsh.query(m), dtype=np.int64)
        if len(cand):
            # the MinHash estimate of Jaccard similarity, as MinHash.jaccard computes it
            sim = np.count_nonzero(values[cand] == values[i], axis=1) / num_perm
            hit = cand[sim >= threshold]
            src.extend([i] * len(hit))
            dst.extend(hit.tolist())
        lsh.insert(i, m)
    n = len(sets)
    adj = sparse.coo_matrix((np.ones(len(src)), (src, dst)), shape=(n, n))
    _, labels = sparse.csgraph.connected_components(adj, directed=False)
    labels = labels[codes]
    # number clusters by first appearance, so the labels do not depend on scipy's order
    _, first = np.unique(labels, return_index=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(len(first))
    return pd.Series(rank[labels], index=texts.index, name="cluster")


def amplification_share(corpus, accounts, *, authors=None,
                        post_kinds: Sequence[str] = ("repost", "quote"),
                        kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """How much of the amplification of some accounts' posts came through given accounts.

    Parameters
    ----------
    corpus : Corpus
    accounts : iterable of str
        The accounts whose share is measured (e.g. the coordinated accounts of
        :func:`coordination`).
    authors : iterable of str, optional
        The accounts whose posts are amplified. Default: the government accounts
        (``actor_type`` in ``GOVERNMENT_TYPES``).
    post_kinds : sequence of str
        Post kinds that amplify the post they name in ``parent_post_id``.
    kinds : sequence of str, optional
        The former name of ``post_kinds``: still accepted for one release, with a
        DeprecationWarning.

    Returns
    -------
    DataFrame
        One row per author with at least one post, index ``account_id``: ``handle``,
        ``posts`` (their posts, reposts left out), ``amplifications`` (posts of ``post_kinds``
        naming one of them as parent, the authors' own left out), ``by_accounts`` (of
        those, by ``accounts``),
        ``share`` (by_accounts / amplifications), ``audience`` (the amplifiers' follower
        counts summed over amplifications, where known), ``audience_by_accounts`` and
        ``audience_share``; ``audience_known`` is the share of amplifications whose
        amplifier has a follower count. Sorted by amplifications, then account id. Shares
        are NaN where there is nothing to divide.

    Notes
    -----
    A Twitter repost names the root of its cascade (as retweets do), so a repost of a
    repost counts for the root's author: the amplification is of the message. Audience is
    potential reach (follower counts at crawl time, overlapping audiences counted twice),
    not views. Totals over authors: sum the counts, then divide.

    Examples
    --------
    >>> import kopiresearch as kr
    >>> t = amplification_share(kr.load_bundled(), [])
    >>> int(t["by_accounts"].sum()), bool(t["amplifications"].sum() > 0)
    (0, True)
    """
    from .corpus import GOVERNMENT_TYPES

    post_kinds = renamed_keyword(post_kinds, kinds, name="post_kinds", former="kinds",
                                 default=("repost", "quote"))
    acc = corpus.accounts
    if authors is None:
        authors = acc.index[acc["actor_type"].astype(str).isin(GOVERNMENT_TYPES).to_numpy()]
    authors = pd.Index(sorted(set(map(str, authors))), name="account_id")
    flagged = set(map(str, accounts))
    posts = corpus.posts
    mine = posts[posts["author_id"].isin(authors).to_numpy()]
    author_of = pd.Series(mine["author_id"].to_numpy(object), index=mine.index.to_numpy(object))
    amp = posts[posts["kind"].astype(str).isin(list(post_kinds)).to_numpy()
                & posts["parent_post_id"].isin(author_of.index).to_numpy()]
    target = author_of.reindex(amp["parent_post_id"].to_numpy(object)).to_numpy(object)
    amp_by = amp["author_id"].to_numpy(object)
    own = amp_by == target
    target, amp_by = target[~own], amp_by[~own]
    if "followers" in acc.columns:
        fol = pd.to_numeric(acc["followers"], errors="coerce").reindex(amp_by).to_numpy(float)
    else:
        fol = np.full(len(amp_by), np.nan)
    frame = pd.DataFrame({"a": target, "hit": np.isin(amp_by, list(flagged)),
                          "fol": fol, "known": ~np.isnan(fol)})
    frame["fol_hit"] = np.where(frame["hit"], frame["fol"], np.nan)
    g = frame.groupby("a")
    active = pd.Index(sorted(set(author_of.to_numpy())), name="account_id")
    out = pd.DataFrame({
        "handle": acc["handle"].reindex(active).to_numpy(),
        "posts": mine.loc[mine["kind"].astype(str) != "repost", "author_id"].value_counts()
        .reindex(active, fill_value=0).to_numpy(),
        "amplifications": g.size().reindex(active, fill_value=0).to_numpy(),
        "by_accounts": g["hit"].sum().reindex(active, fill_value=0).astype(np.int64)
        .to_numpy(),
        "audience": g["fol"].sum(min_count=0).reindex(active, fill_value=0.0).to_numpy(),
        "audience_by_accounts": g["fol_hit"].sum(min_count=0).reindex(active, fill_value=0.0)
        .to_numpy(),
        "known": g["known"].sum().reindex(active, fill_value=0).to_numpy(),
    }, index=active)
    with np.errstate(divide="ignore", invalid="ignore"):
        n = out["amplifications"].to_numpy(float)
        out["share"] = np.where(n > 0, out["by_accounts"] / np.where(n > 0, n, 1), np.nan)
        aud = out["audience"].to_numpy(float)
        out["audience_share"] = np.where(aud > 0, out["audience_by_accounts"]
                                         / np.where(aud > 0, aud, 1), np.nan)
        out["audience_known"] = np.where(n > 0, out["known"] / np.where(n > 0, n, 1), np.nan)
    out = out.drop(columns="known")[["handle", "posts", "amplifications", "by_accounts", "share",
                                     "audience", "audience_by_accounts", "audience_share",
                                     "audience_known"]]
    order = np.lexsort((out.index.to_numpy(object).astype(str), -out["amplifications"].to_numpy()))
    return out.iloc[order]


def recovery(flagged, truth, *, activity: pd.Series | None = None, n_busy: int = 20) -> dict:
    """Precision and recall of flagged accounts against a planted group, and false flags
    among the busiest accounts outside it.

    Parameters
    ----------
    flagged : iterable of str
        The accounts a method flagged.
    truth : iterable of str
        The accounts of the planted group.
    activity : Series, optional
        account_id -> activity (e.g. ``Coordination.accounts["acts"]``), for the busiest
        organic accounts.
    n_busy : int
        How many of the busiest accounts outside ``truth`` are checked.

    Returns
    -------
    dict
        ``flagged``, ``planted``, ``true_positives``, ``precision`` (NaN when nothing is
        flagged), ``recall``, ``f1``, and with ``activity``: ``busy_checked`` and
        ``busy_flagged_share`` (the share of the ``n_busy`` busiest organic accounts, by
        activity then id, that were flagged).

    Examples
    --------
    >>> r = recovery({"a", "b", "x"}, {"a", "b", "c", "d"})
    >>> r["precision"], r["recall"]
    (0.6666666666666666, 0.5)
    """
    flagged, truth = set(map(str, flagged)), set(map(str, truth))
    tp = len(flagged & truth)
    precision = tp / len(flagged) if flagged else float("nan")
    recall = tp / len(truth) if truth else float("nan")
    f1 = (2 * precision * recall / (precision + recall)
          if flagged and truth and precision + recall > 0 else float("nan"))
    out = {"flagged": len(flagged), "planted": len(truth), "true_positives": tp,
           "precision": precision, "recall": recall, "f1": f1}
    if activity is not None:
        act = activity[~activity.index.isin(list(truth))]
        act = act.sort_index().sort_values(ascending=False, kind="mergesort").head(n_busy)
        out["busy_checked"] = len(act)
        out["busy_flagged_share"] = (float(np.mean([a in flagged for a in act.index]))
                                     if len(act) else float("nan"))
    return out


# ----------------------------------------------------------------------------------------
# kernels


def _ms(created_at) -> np.ndarray:
    s = pd.to_datetime(pd.Series(created_at).reset_index(drop=True), utc=True)
    return s.dt.tz_localize(None).to_numpy().astype("datetime64[ms]").astype(np.int64)


def _ordered_pairs(acc, obj, t, w, n_acc):
    """Directed co-action weights: (codes a1*n+a2, weights), sorted by code."""
    if len(t) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.lexsort((t, obj))
    acc, obj, t = acc[order], obj[order], t[order]
    t = t - t.min()
    stride = int(t.max()) + 2 * w + 1
    lo = np.empty(len(t), dtype=np.int64)
    hi = np.empty(len(t), dtype=np.int64)
    # objects in chunks whose combined key obj * stride + t fits in int64
    per = max(1, _KEY_LIMIT // stride)
    starts = np.flatnonzero(np.r_[True, obj[1:] != obj[:-1]])
    group_of = np.cumsum(np.r_[True, obj[1:] != obj[:-1]]) - 1
    n_groups = len(starts)
    for g0 in range(0, n_groups, per):
        g1 = min(n_groups, g0 + per)
        r0 = starts[g0]
        r1 = starts[g1] if g1 < n_groups else len(t)
        key = (group_of[r0:r1] - g0).astype(np.int64) * stride + t[r0:r1]
        lo[r0:r1] = r0 + np.searchsorted(key, key - w, side="left")
        hi[r0:r1] = r0 + np.searchsorted(key, key + w, side="right")
    n = np.int64(n_acc)
    mark = np.full(int(n_acc), -1, dtype=np.int64)
    total = _act_partners(acc, lo, hi, mark, n, None)
    mark[:] = -1
    codes = np.empty(total, dtype=np.int64)
    _act_partners(acc, lo, hi, mark, n, codes)
    # one entry per (act, partner account): count(distinct e_1.message_id) per pair
    codes.sort()
    if len(codes) == 0:
        return codes, np.zeros(0, np.int64)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    weights = np.diff(np.r_[starts, len(codes)]).astype(np.int64)
    return codes[starts], weights


@njit(cache=True)
def _act_partners(acc, lo, hi, mark, n, out):
    """The distinct (act of a1, other account a2) pairs within each act's window: their
    number, and with ``out`` (None to count only) each written as a1 * n + a2."""
    k = 0
    for i in range(len(acc)):
        me = acc[i]
        for j in range(lo[i], hi[i]):
            p = acc[j]
            if p != me and mark[p] != i:
                mark[p] = i
                if out is not None:
                    out[k] = me * n + p
                k += 1
    return k


def _undirected(a1, a2, w, n):
    """Unordered pairs (lo, hi, w_lo_hi, w_hi_lo, max), sorted by lo * n + hi."""
    lo_, hi_ = np.minimum(a1, a2), np.maximum(a1, a2)
    code = lo_ * n + hi_
    uniq, inv = np.unique(code, return_inverse=True)
    forward = a1 < a2
    w12 = np.bincount(inv[forward], weights=w[forward], minlength=len(uniq)).astype(np.int64)
    w21 = np.bincount(inv[~forward], weights=w[~forward], minlength=len(uniq)).astype(np.int64)
    return uniq // n, uniq % n, w12, w21, np.maximum(w12, w21)


def _null_times(t, obj, acc, order, rng, null, max_shift, n_acc):
    if null == "shift":
        shift = rng.uniform(-max_shift, max_shift, size=int(n_acc)) * _MS
        return t + np.round(shift).astype(np.int64)[acc]
    if null == "day_shift":
        days = max(1, int(max_shift // 86400))
        k = rng.integers(1, days + 1, size=int(n_acc)) * rng.choice([-1, 1], size=int(n_acc))
        return t + (k.astype(np.int64) * 86400 * _MS)[acc]
    # shuffle: permute the times within each object
    perm = np.lexsort((rng.random(len(t)), obj))
    out = np.empty_like(t)
    out[perm] = t[order]
    return out


def _bh(p):
    """Benjamini-Hochberg q-values."""
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p, kind="mergesort")
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(q, 1.0)
    return out


def _graph(corpus, flagged):
    G = nx.Graph()
    acc = corpus.accounts
    for row in flagged.itertuples(index=False):
        G.add_edge(row.account_1, row.account_2, weight=int(row.weight),
                   null_mean=float(row.null_mean), q_value=float(row.q_value))
    comps = sorted(nx.connected_components(G), key=lambda c: (-len(c), min(c)))
    rows = []
    for k, comp in enumerate(comps):
        for a in sorted(comp):
            rows.append((a, k, len(comp)))
    clusters = pd.DataFrame(rows, columns=["account_id", "cluster", "cluster_size"])
    clusters = clusters.set_index("account_id")
    for a in G.nodes:
        attrs = {c: (None if pd.isna(acc.at[a, c]) else acc.at[a, c])
                 for c in ("handle", "actor_type", "region_code") if a in acc.index}
        attrs = {k: (str(v) if v is not None else None) for k, v in attrs.items()}
        attrs["cluster"] = int(clusters.at[a, "cluster"])
        G.nodes[a].update(attrs)
    return G, clusters


def _account_table(corpus, acts, edges, clusters):
    posts = corpus.posts
    acc = corpus.accounts
    ids = pd.Index(sorted(set(acts["account_id"])), name="account_id")
    sub = posts[posts["author_id"].isin(ids)]
    n_posts = sub.groupby("author_id").size().reindex(ids, fill_value=0)
    n_rep = sub[sub["kind"].astype(str) == "repost"].groupby("author_id").size() \
        .reindex(ids, fill_value=0)
    secs = _ms(sub["created_at"]) / _MS
    frame = pd.DataFrame({"a": sub["author_id"].to_numpy(), "t": secs})
    burst = frame.groupby("a")["t"].apply(burstiness).reindex(ids)
    both = pd.concat([edges[["account_1", "weight", "coordinated"]]
                      .rename(columns={"account_1": "a"}),
                      edges[["account_2", "weight", "coordinated"]]
                      .rename(columns={"account_2": "a"})])
    g = both.groupby("a")
    table = pd.DataFrame({
        "handle": acc["handle"].reindex(ids).to_numpy(),
        "actor_type": acc["actor_type"].astype(str).reindex(ids).to_numpy(),
        "posts": n_posts.to_numpy(),
        "acts": acts.groupby("account_id").size().reindex(ids, fill_value=0).to_numpy(),
        "repost_share": (n_rep / n_posts.where(n_posts > 0)).to_numpy(),
        "burstiness": burst.to_numpy(),
        "co_actions": g["weight"].sum().reindex(ids, fill_value=0).to_numpy(),
        "partners": g.size().reindex(ids, fill_value=0).to_numpy(),
        "coordinated_partners": g["coordinated"].sum().reindex(ids, fill_value=0)
        .astype(np.int64).to_numpy(),
    }, index=ids)
    table["coordinated"] = table["coordinated_partners"] > 0
    table["cluster"] = clusters["cluster"].reindex(ids).astype("Int64").to_numpy()
    if "account_created_at" in acc.columns:
        first = sub.groupby("author_id")["created_at"].min().reindex(ids)
        created = pd.to_datetime(acc["account_created_at"].reindex(ids), utc=True)
        table["account_age_days"] = ((first - created).dt.total_seconds() / 86400).to_numpy()
    else:
        table["account_age_days"] = np.nan
    return table
