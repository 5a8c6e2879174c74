"""Cascade reconstruction and cascade measures: how far, how fast and into which regions a post
travels, and through whom.

A cascade is the tree of reposts, quotes (and optionally replies) rooted at one original post.
Edges point from parent to child, the direction information flows (the opposite of the
interaction graph of :mod:`kopiresearch.graph`). All heavy work runs on NumPy arrays and small
numba kernels over all cascades at once; no Python loop runs per node or per cascade.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd
from numba import njit

from ._compat import renamed_keyword
from ._docs import fill_doc
from ._random import resolve_rng
from .corpus import GOVERNMENT_TYPES, POST_KINDS, Corpus
from .errors import KopiresearchError
from .regions import BAKORWIL, LEVELS, region_table

__all__ = [
    "Cascades",
    "CascadeError",
    "INFERENCE_METHODS",
    "reconstruct_cascades",
    "cascade_table",
    "structural_virality",
    "time_to_region",
    "region_reach",
    "coverage_curve",
    "region_flows",
    "RegionFlows",
    "amplification_by_period",
    "size_matched_comparison",
    "parent_accuracy",
    "reach_by_region",
    "flow_locality",
    "example_cascades",
]

#: Ways of choosing the parent of a repost whose data name only the root.
INFERENCE_METHODS = ("interactions", "follows", "both", "root")

_NS_PER_HOUR = 3_600_000_000_000


class CascadeError(KopiresearchError, ValueError):
    """Bad input to a cascade function (argument, table or tree)."""


@dataclass
class Cascades:
    """All cascades of a corpus, as one node table sorted by cascade and time.

    Build it with :func:`reconstruct_cascades`. ``nodes`` has one row per cascade node (the
    root post and every adopting post) with columns ``post_id``, ``root_post_id``,
    ``author_id``, ``kind``, ``created_at``, ``parent_post_id`` (missing for roots),
    ``parent_source`` (``"root"``, ``"named"``: the data name the parent, ``"inferred"``,
    ``"root_fallback"``: the data name only the root and inference found no earlier contact,
    or ``method="root"``),
    ``depth``, ``actor_type``, ``region_code``, ``partnered``, ``through_influencer`` and
    ``through_partnered`` (the path from the root to this node passes through an influencer,
    a partnered influencer; the root and the node itself excluded).

    Rows are ordered by cascade (root time, then root id), and within a cascade the root
    comes first, then the adopters by time, ties broken by ``post_id``.
    """

    nodes: pd.DataFrame
    method: str
    n_unresolved: int = 0
    _arrays: dict = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self._arrays["offsets"]) - 1

    def __repr__(self) -> str:
        return (f"Cascades(cascades={len(self)}, nodes={len(self.nodes)}, "
                f"method={self.method!r})")

    @property
    def root_post_ids(self) -> pd.Index:
        """The root post of every cascade, in cascade order."""
        return pd.Index(self.nodes["post_id"].to_numpy()[self._arrays["offsets"][:-1]],
                        name="root_post_id")

    def tree(self, root_post_id) -> nx.DiGraph:
        """One cascade as a :class:`networkx.DiGraph` (edges parent -> child).

        Nodes are post ids with the attributes of :attr:`nodes` (``author_id``,
        ``actor_type``, ``region_code``, ``created_at``, ``depth``, ...).

        Raises
        ------
        CascadeError
            ``root_post_id`` roots no cascade.
        """
        pos = self.root_post_ids.get_indexer([root_post_id])[0]
        if pos < 0:
            raise CascadeError(f"root_post_id {root_post_id!r} roots no cascade")
        off = self._arrays["offsets"]
        sub = self.nodes.iloc[off[pos]:off[pos + 1]]
        T = nx.DiGraph(root=root_post_id)
        attrs = sub.drop(columns=["post_id"]).to_dict("records")
        T.add_nodes_from(zip(sub["post_id"], attrs))
        child = sub["parent_post_id"].notna().to_numpy()
        T.add_edges_from(zip(sub["parent_post_id"].to_numpy()[child],
                             sub["post_id"].to_numpy()[child]))
        return T


# ----------------------------------------------------------------------------------------
# reconstruction


@fill_doc
def reconstruct_cascades(corpus: Corpus, *, method=None, follows=None,
                         post_kinds=("repost", "quote"), root_types=None,
                         kinds=None, client=None, n_chunks: int = 16) -> Cascades:
    """Rebuild the cascade tree of every post that was reposted or quoted.

    Parameters
    ----------
    corpus : Corpus
        The canonical tables.
    method : {"interactions", "follows", "both", "root"}, optional
        How to choose the parent of a repost whose data name only the root (see Notes).
        Default ``"follows"`` when ``follows`` is given, else ``"interactions"``.
    follows : pandas.DataFrame, optional
        Follower ties with columns ``follower_id`` and ``followee_id`` (information flows
        from followee to follower), e.g. :func:`kopiresearch.synth.load_follows`. Rows naming
        accounts that are not in ``corpus.accounts`` are ignored.
    post_kinds : iterable of str, default ("repost", "quote")
        Post kinds that adopt (join a cascade). Add ``"reply"`` or ``"comment"`` to follow
        reply chains too. (``post_kinds`` names kinds of posts across the package, ``kinds``
        kinds of interactions.)
    root_types : iterable of str, optional
        Keep only cascades whose root author has one of these actor types (e.g.
        :data:`kopiresearch.GOVERNMENT_TYPES`); all by default.
    kinds : iterable of str, optional
        The former name of ``post_kinds``: still accepted for one release, with a
        ``DeprecationWarning``.
    client : distributed.Client, optional
        Reconstruct the cascades on the workers of this Dask client (``pip install
        kopiresearch[scale]``; :func:`kopiresearch.scale.dask_client` makes one). The posts
        are split by root into at most ``n_chunks`` pieces (a root's whole cascade in one
        piece), each piece is reconstructed on a worker with the interactions and follower
        ties of its authors, and the pieces are merged back in cascade order: the result is
        identical to the in-process one (nodes, ids, parents, ``n_unresolved``), whatever
        the number of workers or chunks.
    n_chunks : int, default 16
        Pieces of work with ``client`` (more than workers, for balance); ignored without.

    Returns
    -------
    Cascades
        One cascade per root with at least one adopter.

    Raises
    ------
    CascadeError
        Unknown method or kind, ``method="follows"`` without ``follows``, a ``follows``
        table without the two columns, posts whose parents form a cycle, or (with
        ``client``) ``n_chunks`` below 1.

    Notes
    -----
    Each adopting post's root is found by following ``parent_post_id`` up to the first post
    that is not of an adopting kind. Posts whose parent is not in the corpus cannot be placed
    and are counted in :attr:`Cascades.n_unresolved`.

    Where the data name a parent other than the root (a quote of a quote, a reply chain, a
    repost of a quote) that parent is used. A **repost naming the root** (Twitter retweets
    always do) gets its parent by the time-respecting rule of Goel et al. (2016): among the
    posts of the same cascade that come before it, the most recent one whose author the
    reposting account

    - ``"interactions"``: had acted on before (any interaction of the corpus with
      ``source_id`` = the reposter, ``target_id`` = that author, strictly earlier);
    - ``"follows"``: follows (``follows`` table);
    - ``"both"``: either of the two;
    - ``"root"``: no inference, every such repost hangs from the root (a star).

    If no earlier post qualifies, the parent is the root (``parent_source="root_fallback"``).
    "Before" and "most recent" use the node order of the cascade: time, ties broken by
    ``post_id``, so equal times are resolved deterministically. When an account posts twice
    in a cascade, its latest earlier post is the candidate.

    References
    ----------
    {{goel2016}}

    Examples
    --------
    >>> import kopiresearch as kr
    >>> from kopiresearch.synth import load_follows
    >>> cas = reconstruct_cascades(kr.load_bundled(), follows=load_follows())
    >>> cas.method, len(cas) > 1000
    ('follows', True)
    >>> int((cas.nodes["parent_source"] == "root").sum()) == len(cas)
    True
    """
    if method is None:
        method = "follows" if follows is not None else "interactions"
    if method not in INFERENCE_METHODS:
        raise CascadeError(f"method must be one of {', '.join(INFERENCE_METHODS)}, "
                           f"not {method!r}")
    if method in ("follows", "both") and follows is None:
        raise CascadeError(f"method={method!r} needs the follows argument (a table with "
                           "follower_id and followee_id)")
    kinds = renamed_keyword(post_kinds, kinds, name="post_kinds", former="kinds",
                            default=("repost", "quote"))
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    bad = sorted(set(kinds) - (set(POST_KINDS) - {"original"}))
    if bad or not kinds:
        raise CascadeError(f"post_kinds: unknown or non-adopting kind(s) {bad}; choose from "
                           "repost, quote, reply, comment")
    if client is not None:
        from .scale._runs import reconstruct_on_workers

        return reconstruct_on_workers(client, corpus, n_chunks, method=method, follows=follows,
                                      post_kinds=kinds, root_types=root_types)

    posts, accounts = corpus.posts, corpus.accounts
    acc_index = accounts.index
    n_posts = len(posts)
    post_index = posts.index
    kind = posts["kind"].astype(str).to_numpy()
    parent_named = post_index.get_indexer(posts["parent_post_id"])
    has_parent_id = posts["parent_post_id"].notna().to_numpy()
    adopting = np.isin(kind, kinds)
    n_unresolved = int((adopting & has_parent_id & (parent_named < 0)).sum())
    adopt = adopting & (parent_named >= 0)
    link = np.where(adopt, parent_named, np.arange(n_posts))
    root = find_roots(link, post_index)

    author = acc_index.get_indexer(posts["author_id"])
    times = _ns(posts["created_at"])
    if root_types is not None:
        root_types = [root_types] if isinstance(root_types, str) else list(root_types)
        types_of_author = accounts["actor_type"].astype(str).to_numpy()[author]
        adopt &= np.isin(types_of_author[root], root_types)

    # nodes: adopters plus the roots they hang from, sorted by cascade and time
    adopters = np.flatnonzero(adopt)
    roots_used = np.unique(root[adopters])
    node_post = np.concatenate([roots_used, adopters])
    node_root = root[node_post]
    pid_rank = string_rank(post_index.to_numpy())
    root_key = np.lexsort((pid_rank[roots_used], times[roots_used]))
    cascade_rank = np.empty(n_posts, dtype=np.int64)
    cascade_rank[roots_used[root_key]] = np.arange(len(roots_used))
    is_adopter = np.r_[np.zeros(len(roots_used), bool), np.ones(len(adopters), bool)]
    order = np.lexsort((pid_rank[node_post], times[node_post], is_adopter,
                        cascade_rank[node_root]))
    node_post = node_post[order]
    node_casc = cascade_rank[root[node_post]]
    n_nodes = len(node_post)
    offsets = np.searchsorted(node_casc, np.arange(len(roots_used) + 1))
    node_of_post = np.full(n_posts, -1, dtype=np.int64)
    node_of_post[node_post] = np.arange(n_nodes)
    node_author = author[node_post].astype(np.int64)
    node_time = times[node_post]
    root_node = offsets[:-1][node_casc]

    # parents: named where the data name a non-root parent, else inferred
    is_root = np.zeros(n_nodes, bool)
    is_root[offsets[:-1]] = True
    named = np.where(is_root, -1, node_of_post[link[node_post]])
    node_kind = kind[node_post]
    need = (~is_root) & (node_kind == "repost") & (named == root_node)
    source = np.where(is_root, 0, 1).astype(np.int8)  # 0 root, 1 named, 2 inferred, 3 fallback
    parent = named.copy()
    if method != "root" and need.any():
        n_acc = len(acc_index)
        fptr, fidx = _follow_csr(follows, acc_index) if method in ("follows", "both") else (
            np.zeros(n_acc + 1, np.int64), np.zeros(0, np.int64))
        iptr, itgt, itime = _interaction_csr(corpus.interactions, acc_index) if method in (
            "interactions", "both") else (np.zeros(n_acc + 1, np.int64),
                                          np.zeros(0, np.int64), np.zeros(0, np.int64))
        inferred = _infer_parents(offsets, node_author, node_time, need, fptr, fidx,
                                  iptr, itgt, itime, n_acc)
        found = need & (inferred >= 0)
        parent[found] = inferred[found]
        parent[need & ~found] = root_node[need & ~found]
        source[found] = 2
        source[need & ~found] = 3
    elif need.any():
        source[need] = 3  # method="root": no inference

    # attributes and path flags
    actor_type = accounts["actor_type"].astype(str).to_numpy()[node_author]
    partnered_acc = accounts["partnered"].fillna(False).to_numpy(bool)
    is_infl = actor_type == "influencer"
    is_partnered = partnered_acc[node_author] & is_infl
    depth, thr_inf, thr_part = _depth_and_paths(parent, is_infl, is_partnered)
    if (depth < 0).any():
        bad = node_post[np.flatnonzero(depth < 0)[0]]
        raise CascadeError(f"posts: the parents of post {post_index[bad]!r} form a cycle "
                           "(column 'parent_post_id')")

    region = accounts["region_code"].to_numpy()[node_author]
    nodes = pd.DataFrame({
        "post_id": post_index.to_numpy()[node_post],
        "root_post_id": post_index.to_numpy()[node_post[offsets[:-1]]][node_casc],
        "author_id": acc_index.to_numpy()[node_author],
        "kind": pd.Categorical(node_kind, categories=POST_KINDS),
        "created_at": posts["created_at"].array[node_post],
        "parent_post_id": pd.array(np.where(parent >= 0,
                                            post_index.to_numpy()[node_post[parent.clip(0)]],
                                            None), dtype="string"),
        "parent_source": pd.Categorical.from_codes(
            source, categories=["root", "named", "inferred", "root_fallback"]),
        "depth": depth,
        "actor_type": pd.Categorical(actor_type, categories=accounts["actor_type"].cat.categories),
        "region_code": pd.array(region, dtype="string"),
        "partnered": is_partnered,
        "through_influencer": thr_inf,
        "through_partnered": thr_part,
    })
    arrays = {"offsets": offsets, "cascade": node_casc, "parent": parent, "time": node_time,
              "author": node_author, "depth": depth, "region": _region_codes(region),
              "through_influencer": thr_inf, "through_partnered": thr_part}
    return Cascades(nodes, method, n_unresolved, arrays)


def parent_accuracy(cascades: Cascades, truth: pd.DataFrame) -> pd.DataFrame:
    """How often the reconstructed parent is the true one, by ``parent_source``.

    Parameters
    ----------
    cascades : Cascades
    truth : pandas.DataFrame
        Columns ``post_id`` and ``true_parent_post_id`` (e.g.
        :func:`kopiresearch.synth.load_cascade_truth`).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``parent_source`` plus an ``"all"`` row: ``n`` (adopters with a known
        true parent) and ``accuracy`` (share whose reconstructed parent is the true parent).

    Examples
    --------
    >>> import kopiresearch as kr
    >>> from kopiresearch.synth import load_cascade_truth
    >>> acc = parent_accuracy(reconstruct_cascades(kr.load_bundled(), method="root"),
    ...                       load_cascade_truth())
    >>> float(acc.loc["named", "accuracy"])
    1.0
    """
    for col in ("post_id", "true_parent_post_id"):
        if col not in truth.columns:
            raise CascadeError(f"truth: column {col!r} is missing")
    true_parent = truth.set_index("post_id")["true_parent_post_id"]
    nodes = cascades.nodes[cascades.nodes["parent_source"] != "root"]
    tp = nodes["post_id"].map(true_parent)
    known = tp.notna()
    ok = (nodes["parent_post_id"] == tp)[known].astype(bool)
    src = nodes["parent_source"][known].astype(str)
    out = ok.groupby(src).agg(["size", "mean"]).rename(columns={"size": "n", "mean": "accuracy"})
    out.loc["all"] = [len(ok), ok.mean() if len(ok) else np.nan]
    out["n"] = out["n"].astype(int)
    out.index.name = "parent_source"
    return out


# ----------------------------------------------------------------------------------------
# measures


@fill_doc
def cascade_table(cascades: Cascades, *, sizes=(10, 100, 1000), client=None,
                  n_chunks: int = 16) -> pd.DataFrame:
    """One row of measures per cascade.

    Parameters
    ----------
    cascades : Cascades
        From :func:`reconstruct_cascades`.
    sizes : iterable of int, default (10, 100, 1000)
        For each N, a column ``hours_to_size_N``.
    client : distributed.Client, optional
        Measure the cascades on the workers of this Dask client (``pip install
        kopiresearch[scale]``; :func:`kopiresearch.scale.dask_client` makes one). Cascades
        are independent, so they are cut into ``n_chunks`` consecutive pieces of about equal
        node count, each measured on a worker, and the rows put back in cascade order: the
        table is identical to the in-process one, whatever the number of workers or chunks.
    n_chunks : int, default 16
        Pieces of work with ``client`` (more than workers, for balance); ignored without.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``root_post_id`` in cascade order, columns:

        - ``root_author_id``, ``root_actor_type``, ``root_region_code``, ``root_created_at``;
        - ``size`` (nodes, root included), ``depth``, ``max_breadth``,
          ``structural_virality``;
        - ``hours_to_size_N`` (missing when the cascade never reaches N nodes);
        - ``regions_reached`` (of the 38 kabupaten/kota), ``bakorwil_reached`` (of 5);
        - ``cross_region_share``;
        - ``n_through_influencer``, ``n_through_partnered``, ``amplification_share``,
          ``partnered_amplification_share``.

    Raises
    ------
    CascadeError
        An N of ``sizes`` below 1, or (with ``client``) ``n_chunks`` below 1.

    Notes
    -----
    With :math:`d(v)` the number of edges from the root to node :math:`v`:
    size :math:`|V(T)|`; depth :math:`\\max_v d(v)`; maximum breadth
    :math:`\\max_k |\\{v : d(v) = k\\}|` (Vosoughi et al. 2018; the root's level 0 counts);
    structural virality :math:`\\nu(T)` as in :func:`structural_virality`.
    ``hours_to_size_N`` is the time from the root until :math:`|V(T)|` first reaches N
    (root included, Vosoughi et al. 2018). A region is reached when a node's author has that
    region (province-wide ``"35"`` and unknown regions count for none); the root's region is
    reached at time 0. ``cross_region_share`` is :math:`X(T)`, the share of parent -> child
    edges whose endpoints lie in different kabupaten/kota, over the edges whose two endpoints
    both have a kabupaten/kota (missing when none does). ``amplification_share`` is
    :math:`A(T) = |\\{v : \\text{the path root} \\to v \\text{ passes through an influencer}\\}|
    / (|V(T)| - 1)`, where "passes through" means an intermediate node (neither the root nor
    ``v``) is authored by an influencer; ``partnered_amplification_share`` is the same with a
    partnered influencer.

    References
    ----------
    Vosoughi, S., Roy, D. & Aral, S. (2018). The spread of true and false news online.
    *Science* 359(6380), 1146-1151. doi:10.1126/science.aap9559

    {{goel2016}}

    Examples
    --------
    >>> c = example_cascades()
    >>> t = cascade_table(c, sizes=(3,))
    >>> t[["size", "depth", "max_breadth", "regions_reached", "hours_to_size_3"]]
    ... # doctest: +NORMALIZE_WHITESPACE
                  size  depth  max_breadth  regions_reached  hours_to_size_3
    root_post_id
    x:r              4      2            2                3              2.0
    >>> round(float(t["structural_virality"].iloc[0]), 4)  # distances 1,1,2,1,2,3: 10/6
    1.6667
    """
    if client is not None:
        from .scale._runs import cascade_table_on_workers

        return cascade_table_on_workers(client, cascades, sizes, n_chunks)
    a = cascades._arrays
    off, casc, parent, depth = a["offsets"], a["cascade"], a["parent"], a["depth"]
    n_casc = len(off) - 1
    size = np.diff(off)
    nodes = cascades.nodes
    roots = off[:-1]
    t = a["time"]
    out = {
        "root_author_id": nodes["author_id"].to_numpy()[roots],
        "root_actor_type": nodes["actor_type"].to_numpy()[roots],
        "root_region_code": nodes["region_code"].to_numpy()[roots],
        "root_created_at": nodes["created_at"].array[roots],
        "size": size,
        "depth": np.maximum.reduceat(depth, roots) if n_casc else np.zeros(0, np.int64),
        "max_breadth": _max_breadth(casc, depth, n_casc),
        "structural_virality": _virality_all(off, casc, parent, depth),
    }
    for n in sizes:
        n = int(n)
        if n < 1:
            raise CascadeError(f"sizes: every N must be at least 1, not {n}")
        val = np.full(n_casc, np.nan)
        ok = size >= n
        val[ok] = (t[roots[ok] + n - 1] - t[roots[ok]]) / _NS_PER_HOUR
        out[f"hours_to_size_{n}"] = val
    reg = a["region"]
    known = reg >= 0
    out["regions_reached"] = _count_distinct(casc[known], reg[known], n_casc)
    bak = _region_index()[1][reg.clip(0)]
    out["bakorwil_reached"] = _count_distinct(casc[known], bak[known], n_casc)
    child = parent >= 0
    both = child & known & (reg[parent.clip(0)] >= 0)
    cross = both & (reg != reg[parent.clip(0)])
    n_both = np.bincount(casc[both], minlength=n_casc)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["cross_region_share"] = np.bincount(casc[cross], minlength=n_casc) / np.where(
            n_both > 0, n_both, np.nan)
        n_inf = np.bincount(casc[a["through_influencer"]], minlength=n_casc)
        n_par = np.bincount(casc[a["through_partnered"]], minlength=n_casc)
        out["n_through_influencer"] = n_inf
        out["n_through_partnered"] = n_par
        out["amplification_share"] = n_inf / (size - 1)
        out["partnered_amplification_share"] = n_par / (size - 1)
    table = pd.DataFrame(out, index=cascades.root_post_ids)
    table["root_actor_type"] = table["root_actor_type"].astype(nodes["actor_type"].dtype)
    table["root_region_code"] = table["root_region_code"].astype("string")
    return table


@fill_doc
def structural_virality(tree: nx.Graph) -> float:
    """Structural virality of a tree: the mean shortest-path distance over all node pairs.

    Parameters
    ----------
    tree : networkx.Graph or networkx.DiGraph
        A tree (edge directions are ignored).

    Returns
    -------
    float
        :math:`\\nu(T)`; ``nan`` for a single node.

    Raises
    ------
    CascadeError
        ``tree`` is empty or not a tree.

    Notes
    -----
    :math:`\\nu(T) = \\frac{1}{n(n-1)} \\sum_{i \\ne j} d_{ij}` (Goel et al. 2016). In a tree
    each edge lies on the path of exactly :math:`s (n - s)` unordered pairs, where :math:`s`
    is the size of the subtree below it, so the Wiener index is
    :math:`W = \\sum_{e} s_e (n - s_e)` and :math:`\\nu = W / \\binom{n}{2}`. Subtree sizes come
    from one breadth-first traversal: O(n) time, no all-pairs shortest paths. A star of n
    nodes gives :math:`2(n-1)/n`, a path :math:`(n+1)/3`.

    References
    ----------
    {{goel2016}}

    Examples
    --------
    >>> import networkx as nx
    >>> structural_virality(nx.star_graph(4))  # 5 nodes: 2 * 4 / 5
    1.6
    >>> round(structural_virality(nx.path_graph(5)), 10)  # (5 + 1) / 3
    2.0
    """
    if not isinstance(tree, nx.Graph):
        raise CascadeError(f"tree must be a networkx graph, not {type(tree).__name__}")
    n = tree.number_of_nodes()
    if n == 0:
        raise CascadeError("tree: the graph is empty")
    if not nx.is_tree(tree):
        raise CascadeError("tree: the graph is not a tree (it has a cycle or is disconnected)")
    if n == 1:
        return float("nan")
    U = tree.to_undirected(as_view=True) if tree.is_directed() else tree
    source = next(iter(U))
    index = {source: 0}
    parent = np.full(n, -1, dtype=np.int64)
    for k, (u, v) in enumerate(nx.bfs_edges(U, source), start=1):
        index[v] = k
        parent[k] = index[u]
    sub = _subtree_sizes(parent, np.arange(n - 1, -1, -1, dtype=np.int64))
    s = sub[1:].astype(np.float64)
    return float(2.0 * np.sum(s * (n - s)) / (n * (n - 1.0)))


def time_to_region(cascades: Cascades) -> pd.DataFrame:
    """When each cascade first reached each kabupaten/kota.

    Returns
    -------
    pandas.DataFrame
        One row per (cascade, region reached), columns ``root_post_id``, ``region_code``,
        ``bakorwil`` and ``hours`` (:math:`T_r`), sorted by cascade order and hours.

    Notes
    -----
    :math:`T_r = \\min\\{t_v : v \\in T, \\rho(v) = r\\} - t_{root}` (the regional extension of
    Vosoughi et al.'s time-to-N); the root's own region has :math:`T_r = 0`. Regions never
    reached have no row.

    Examples
    --------
    >>> print(time_to_region(example_cascades()).to_string())
      root_post_id region_code     bakorwil  hours
    0          x:r        3578   III Malang    0.0
    1          x:r        3506     I Madiun    1.0
    2          x:r        3526  IV Pamekasan    3.0
    """
    a = cascades._arrays
    casc, reg, t = a["cascade"], a["region"], a["time"]
    off = a["offsets"]
    known = np.flatnonzero(reg >= 0)
    key = casc[known] * 64 + reg[known]
    order = np.lexsort((t[known], key))
    k_sorted = key[order]
    first = np.r_[True, k_sorted[1:] != k_sorted[:-1]] if len(k_sorted) else np.zeros(0, bool)
    idx = known[order[first]]
    hours = (t[idx] - t[off[:-1]][casc[idx]]) / _NS_PER_HOUR
    codes = np.asarray(_region_index()[0], dtype=object)[reg[idx]]
    frame = pd.DataFrame({
        "root_post_id": cascades.root_post_ids.to_numpy()[casc[idx]],
        "region_code": pd.array(codes, dtype="string"),
        "bakorwil": np.asarray(BAKORWIL, dtype=object)[_region_index()[1][reg[idx]]],
        "hours": hours,
        "_c": casc[idx],
    })
    frame = frame.sort_values(["_c", "hours", "region_code"], kind="stable")
    return frame.drop(columns="_c").reset_index(drop=True)


def region_reach(ttr: pd.DataFrame, roots=None) -> pd.DataFrame:
    """How often and how fast a set of cascades reached each of the 38 kabupaten/kota.

    Parameters
    ----------
    ttr : pandas.DataFrame
        The result of :func:`time_to_region`.
    roots : iterable of root post ids, optional
        The cascades to count (e.g. the government-rooted ones); every cascade of ``ttr``
        by default. A cascade that reached no region still counts in the denominator.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``region_code`` (all 38, in the order of the regions table), with
        ``name``, ``bakorwil``, ``cascades_reached``, ``share_reached`` (reached /
        cascades), ``rank`` (1 = most often reached; ties share the best rank),
        ``median_hours`` (median :math:`T_r` over the cascades that reached it, ``NaN`` if
        none) and ``is_kota`` (a city, not a regency: the regions table's ``kind``).

    Raises
    ------
    KopiresearchError
        No cascade to count.

    Notes
    -----
    ``share_reached(r) = |{c : T_r(c) defined}| / |C|`` over the cascades ``C``; the
    median is over :math:`T_r(c)` of the cascades that reached ``r``.

    Examples
    --------
    >>> ttr = time_to_region(example_cascades())
    >>> t = region_reach(ttr)
    >>> t.loc[["3578", "3506", "3526"], ["cascades_reached", "share_reached", "median_hours"]]
             cascades_reached  share_reached  median_hours
    region_code
    3578                        1            1.0           0.0
    3506                        1            1.0           1.0
    3526                        1            1.0           3.0
    >>> int(t["cascades_reached"].sum()), len(t)
    (3, 38)
    """
    regions = region_table()
    if roots is None:
        roots = pd.unique(ttr["root_post_id"])
    roots = pd.Index(list(roots)).unique()
    if len(roots) == 0:
        raise KopiresearchError("region_reach: no cascade to count")
    sel = ttr[ttr["root_post_id"].isin(roots)]
    by = sel.groupby(sel["region_code"].astype(str))
    out = pd.DataFrame({"name": regions["name"], "bakorwil": regions["bakorwil"]})
    out["cascades_reached"] = by["root_post_id"].nunique().reindex(out.index).fillna(0) \
        .astype(np.int64)
    out["share_reached"] = out["cascades_reached"] / len(roots)
    out["rank"] = out["share_reached"].rank(ascending=False, method="min").astype(np.int64)
    out["median_hours"] = by["hours"].median().reindex(out.index)
    out["is_kota"] = regions["kind"].reindex(out.index) == "kota"
    out.index.name = "region_code"  # as the accounts table's column and time_to_region
    return out


def coverage_curve(cascades: Cascades, hours) -> pd.DataFrame:
    """The regional coverage curve of every cascade on a grid of hours.

    Parameters
    ----------
    cascades : Cascades
    hours : array-like of float
        Non-decreasing hours since the root post.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``root_post_id`` (cascade order), one column per grid value: the share of
        the 38 kabupaten/kota reached by then, :math:`C(t) = |\\{r : T_r \\le t\\}| / 38`.

    Examples
    --------
    >>> print(coverage_curve(example_cascades(), [0, 1, 2, 3]).round(4).to_string())
    hours            0.0     1.0     2.0     3.0
    root_post_id
    x:r           0.0263  0.0526  0.0526  0.0789
    """
    grid = np.asarray(hours, dtype=float).ravel()
    if len(grid) == 0 or np.any(np.diff(grid) < 0) or np.isnan(grid).any():
        raise CascadeError("hours must be a non-empty, non-decreasing grid of numbers")
    ttr = time_to_region(cascades)
    roots = cascades.root_post_ids
    casc = roots.get_indexer(ttr["root_post_id"])
    b = np.searchsorted(grid, ttr["hours"].to_numpy(), side="left")
    counts = np.zeros((len(roots), len(grid) + 1))
    np.add.at(counts, (casc, b), 1.0)
    cov = np.cumsum(counts, axis=1)[:, :-1] / len(_region_index()[0])
    return pd.DataFrame(cov, index=roots, columns=pd.Index(grid, name="hours"))


class RegionFlows(pd.DataFrame):
    """What :func:`region_flows` returns: the flow matrix (a pandas DataFrame) whose
    ``normalize`` attribute records how it was normalised (``"source"``, ``"target"``,
    ``"both"`` or None for counts).

    ``normalize`` is part of the result, not of ``DataFrame.attrs`` (which pandas documents
    as experimental and drops in some operations); ``attrs["normalize"]`` is kept as well
    for code written before. Anything computed from the matrix is a plain DataFrame.
    """

    _metadata = ["normalize"]
    normalize: str | None = None

    @property
    def _constructor(self):
        return pd.DataFrame


@fill_doc
def region_flows(cascades: Cascades, level: str = "kabkota", *, normalize="source"):
    """Region-to-region flow matrix of cascade edges.

    Parameters
    ----------
    cascades : Cascades
    level : {"kabkota", "bakorwil"}
        Rows and columns are the 38 region codes (ordered by Bakorwil, then code) or the five
        Bakorwil.
    normalize : {"source", "target", "both", None}, default "source"
        Divide the edge counts by the number of active accounts of the source region (row),
        of the target region (column), by their product, or not at all.

    Returns
    -------
    RegionFlows
        A pandas DataFrame ``F[r, s]``: parent -> child edges from region r to region s
        (edges with an endpoint of unknown or province-wide region are left out), normalised.
        Regions without active accounts give ``nan`` rows/columns when normalised.
        ``.normalize`` records ``normalize`` (figures name their unit from it; also in
        ``attrs["normalize"]``, the older spelling).

    Notes
    -----
    An account is active in a region when it authors a node (root or adopter) of any of the
    cascades. :math:`F_{rs} = E_{rs} / a_r` with ``normalize="source"``.

    References
    ----------
    {{takhteyev2012}}

    Examples
    --------
    >>> f = region_flows(example_cascades(), level="bakorwil", normalize=None)
    >>> int(f.loc["III Malang", "I Madiun"]), int(f.to_numpy().sum()), f.normalize
    (1, 2, None)
    """
    if level not in LEVELS:
        raise CascadeError(f"level must be 'kabkota' or 'bakorwil', not {level!r}")
    if normalize not in ("source", "target", "both", None):
        raise CascadeError(f"normalize must be 'source', 'target', 'both' or None, "
                           f"not {normalize!r}")
    a = cascades._arrays
    reg, parent, author = a["region"], a["parent"], a["author"]
    if level == "bakorwil":
        group = np.where(reg >= 0, _region_index()[1][reg.clip(0)], -1)
        labels = list(BAKORWIL)
        order = np.arange(len(labels))
    else:
        group = reg
        labels = list(_region_index()[0])
        order = np.lexsort((np.arange(len(labels)), _region_index()[1]))
    k = len(labels)
    child = np.flatnonzero((parent >= 0) & (group >= 0))
    src = group[parent[child]]
    ok = src >= 0
    counts = np.bincount(src[ok] * k + group[child[ok]], minlength=k * k).reshape(k, k)
    counts = counts.astype(float)
    if normalize is not None:
        pairs = np.unique(np.stack([author[group >= 0], group[group >= 0]]), axis=1)
        active = np.bincount(pairs[1], minlength=k).astype(float)
        active[active == 0] = np.nan
        if normalize in ("source", "both"):
            counts = counts / active[:, None]
        if normalize in ("target", "both"):
            counts = counts / active[None, :]
    idx = pd.Index(np.asarray(labels)[order], name="source")
    cols = pd.Index(np.asarray(labels)[order], name="target")
    out = RegionFlows(counts[np.ix_(order, order)], index=idx, columns=cols)
    out.normalize = normalize  # read by kopiresearch.plot.flow_heatmap for its unit
    out.attrs["normalize"] = normalize
    return out


def amplification_by_period(table: pd.DataFrame, time, *, root_types=GOVERNMENT_TYPES):
    """Pooled influencer amplification before and after a point in time (e.g. Kopilaborasi).

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`cascade_table`.
    time : timestamp-like
        Cascades rooted at or after ``time`` are "after" (naive values are UTC).
    root_types : iterable of str or None
        Keep cascades whose root actor type is one of these (government by default).

    Returns
    -------
    pandas.DataFrame
        Index ``["before", "after"]``; columns ``cascades``, ``adopters``,
        ``through_influencer``, ``through_partnered``, ``share_through_influencer``,
        ``share_through_partnered``.

    Notes
    -----
    Shares are pooled over adopters: :math:`\\sum_T n_{through}(T) / \\sum_T (|V(T)| - 1)`,
    the adopter-weighted mean of :math:`A(T)`, so big cascades weigh by their size.

    Examples
    --------
    >>> t = cascade_table(example_cascades())
    >>> amp = amplification_by_period(t, "2024-01-01", root_types=None)
    >>> print(amp[["cascades", "adopters", "through_partnered", "share_through_partnered"]]
    ...       .to_string())
            cascades  adopters  through_partnered  share_through_partnered
    period
    before         0         0                  0                      NaN
    after          1         3                  1                 0.333333
    """
    t0 = pd.Timestamp(time)
    t0 = t0.tz_localize("UTC") if t0.tzinfo is None else t0.tz_convert("UTC")
    sub = table
    if root_types is not None:
        sub = table[table["root_actor_type"].astype(str).isin(list(root_types))]
    after = (sub["root_created_at"] >= t0).to_numpy()
    rows = []
    for flag in (False, True):
        s = sub[after == flag]
        n_ad = int((s["size"] - 1).sum())
        ti, tp = int(s["n_through_influencer"].sum()), int(s["n_through_partnered"].sum())
        rows.append((len(s), n_ad, ti, tp, ti / n_ad if n_ad else np.nan,
                     tp / n_ad if n_ad else np.nan))
    return pd.DataFrame(rows, index=pd.Index(["before", "after"], name="period"),
                        columns=["cascades", "adopters", "through_influencer",
                                 "through_partnered", "share_through_influencer",
                                 "share_through_partnered"])


def size_matched_comparison(table: pd.DataFrame, group, *,
                            measures=("depth", "max_breadth", "structural_virality"),
                            bins="log2", n_permutations=1000, seed=None) -> pd.DataFrame:
    """Compare cascade measures between two groups of cascades of matched size.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`cascade_table` (needs ``size`` and the ``measures`` columns).
    group : str or array-like of bool
        A boolean column name or mask: ``True`` is group A, ``False`` group B.
    measures : iterable of str
        Columns to compare.
    bins : "log2", "exact" or array-like of int
        Size strata: powers of two (2, 3-4, 5-8, ...), every size its own stratum, or the
        given bin edges (a cascade of size s falls in bin i when edges[i] <= s < edges[i+1]).
    n_permutations : int, default 1000
        Label permutations within strata for the p-value.
    seed : int or numpy.random.Generator, optional
        Seed of the permutations.

    Returns
    -------
    pandas.DataFrame
        Indexed by measure: ``n_a``, ``n_b`` (cascades in strata holding both groups),
        ``strata``, ``mean_a``, ``mean_b`` (stratum-weighted), ``difference`` (A - B),
        ``raw_difference`` (A - B without matching, all cascades) and ``p_value``.

    Notes
    -----
    Juul & Ugander (2021) show that differences in depth, breadth and structural virality
    between kinds of cascades largely reflect differences in size. Here cascades are
    stratified by size; within stratum :math:`b` the difference of means
    :math:`\\bar x_{A,b} - \\bar x_{B,b}` is taken, and the statistic is their average
    weighted by the stratum's number of cascades :math:`n_b`. Strata holding only one
    group are dropped. The p-value is two-sided,
    :math:`(1 + \\#\\{|D_\\pi| \\ge |D|\\}) / (1 + n_{perm})`, with labels permuted within
    strata; cascades with a missing measure are left out of that measure.

    References
    ----------
    Juul, J. L. & Ugander, J. (2021). Comparing information diffusion mechanisms by matching
    on cascade size. *PNAS* 118(46), e2100786118. doi:10.1073/pnas.2100786118

    Examples
    --------
    >>> t = pd.DataFrame({"size": [2, 2, 2, 2, 4, 4], "depth": [1, 1, 1, 1, 3, 1]})
    >>> r = size_matched_comparison(t, np.array([1, 0, 1, 0, 1, 0], bool), measures=["depth"],
    ...                             n_permutations=200, seed=1)
    >>> print(r[["difference", "raw_difference"]].round(4).to_string())
             difference  raw_difference
    measure
    depth        0.6667          0.6667
    """
    rng = resolve_rng(seed, error=CascadeError)
    if isinstance(group, str):
        if group not in table.columns:
            raise CascadeError(f"group: no column {group!r} in the table")
        group = table[group]
    g = np.asarray(group)
    if g.dtype != bool or g.shape != (len(table),):
        raise CascadeError("group must be a boolean mask (or column) with one value per cascade")
    if "size" not in table.columns:
        raise CascadeError("table: column 'size' is missing")
    if int(n_permutations) < 1:
        raise CascadeError(f"n_permutations must be at least 1, not {n_permutations}")
    size = table["size"].to_numpy(np.int64)
    if isinstance(bins, str):
        if bins == "log2":
            stratum = np.ceil(np.log2(np.maximum(size, 1))).astype(np.int64)
        elif bins == "exact":
            stratum = size
        else:
            raise CascadeError(f"bins must be 'log2', 'exact' or bin edges, not {bins!r}")
    else:
        edges = np.asarray(bins, dtype=float)
        stratum = np.searchsorted(edges, size, side="right")
    rows = []
    for m in measures:
        if m not in table.columns:
            raise CascadeError(f"measures: no column {m!r} in the table")
        x = table[m].to_numpy(dtype=float)
        ok = ~np.isnan(x)
        rows.append(_matched_one(x[ok], g[ok], stratum[ok], int(n_permutations), rng)
                    + (float(np.mean(x[ok & g]) - np.mean(x[ok & ~g]))
                       if (ok & g).any() and (ok & ~g).any() else np.nan,))
    out = pd.DataFrame(rows, index=pd.Index(list(measures), name="measure"),
                       columns=["n_a", "n_b", "strata", "mean_a", "mean_b", "difference",
                                "p_value", "raw_difference"])
    return out[["n_a", "n_b", "strata", "mean_a", "mean_b", "difference", "raw_difference",
                "p_value"]]


# ----------------------------------------------------------------------------------------
# helpers

@functools.cache
def _region_index() -> tuple[tuple, np.ndarray]:
    """The 38 region codes in order and the Bakorwil position of each, read from the regions
    table on first use (never at import, so the package imports without its data folder)."""
    table = region_table()
    codes = tuple(sorted(table.index))
    bakorwil = np.array([BAKORWIL.index(b) for b in table.loc[list(codes), "bakorwil"]],
                        dtype=np.int64)
    return codes, bakorwil


def _region_codes(values) -> np.ndarray:
    """Region code strings -> 0..37, -1 for unknown or province-wide.

    On a corpus this is :func:`kopiresearch.regions.is_kabkota`: the corpus admits only the
    38 codes, ``"35"`` and missing region codes (``Corpus.validate``), so every code that
    is a region has a position here."""
    codes, _ = _region_index()
    return pd.Index(codes).get_indexer(pd.Series(values, dtype="string").fillna("?"))


def _ns(series) -> np.ndarray:
    """UTC timestamps as int64 nanoseconds."""
    return series.dt.tz_convert("UTC").dt.as_unit("ns").to_numpy(
        dtype="datetime64[ns]").view("int64")


def string_rank(values) -> np.ndarray:
    """The rank of each value in sorted order (equal values, equal rank), as int64: the
    tie-break by post id that reconstruction uses, here and when
    :mod:`kopiresearch.scale` merges cascades rebuilt on workers.

    Examples
    --------
    >>> string_rank(np.array(["x:b", "x:a", "x:b"], dtype=object)).tolist()
    [1, 0, 1]
    """
    codes, _ = pd.factorize(values, sort=True)
    return codes.astype(np.int64)


def find_roots(link, post_index):
    root = link.copy()
    for _ in range(70):
        nxt = root[root]
        if np.array_equal(nxt, root):
            return root
        root = nxt
    bad = np.flatnonzero(root[root] != root)[0]
    raise CascadeError(f"posts: the parents of post {post_index[bad]!r} form a cycle "
                       "(column 'parent_post_id')")


def _follow_csr(follows, acc_index):
    if not isinstance(follows, pd.DataFrame) or not {"follower_id", "followee_id"} <= set(
            follows.columns):
        raise CascadeError("follows must be a DataFrame with columns follower_id and followee_id")
    a = acc_index.get_indexer(follows["follower_id"])
    b = acc_index.get_indexer(follows["followee_id"])
    ok = (a >= 0) & (b >= 0)
    return _csr(a[ok], b[ok], len(acc_index))


def _interaction_csr(inter, acc_index):
    s = acc_index.get_indexer(inter["source_id"])
    d = acc_index.get_indexer(inter["target_id"])
    t = _ns(inter["created_at"])
    order = np.lexsort((t, s))
    s, d, t = s[order], d[order], t[order]
    ptr = np.searchsorted(s, np.arange(len(acc_index) + 1))
    return ptr.astype(np.int64), d.astype(np.int64), t.astype(np.int64)


def _csr(src, dst, n):
    order = np.argsort(src, kind="stable")
    ptr = np.searchsorted(src[order], np.arange(n + 1))
    return ptr.astype(np.int64), dst[order].astype(np.int64)


@njit(cache=True)
def _infer_parents(offsets, author, time, need, fptr, fidx, iptr, itgt, itime, n_acc):
    out = np.full(len(author), -1, dtype=np.int64)
    last = np.full(n_acc, -1, dtype=np.int64)
    for c in range(len(offsets) - 1):
        s, e = offsets[c], offsets[c + 1]
        for i in range(s, e):
            a = author[i]
            if need[i]:
                best = -1
                for k in range(fptr[a], fptr[a + 1]):
                    j = last[fidx[k]]
                    if j > best:
                        best = j
                lo, hi = iptr[a], iptr[a + 1]
                if hi > lo:
                    stop = lo + np.searchsorted(itime[lo:hi], time[i])
                    for k in range(lo, stop):
                        j = last[itgt[k]]
                        if j > best:
                            best = j
                out[i] = best
            last[a] = i
        for i in range(s, e):
            last[author[i]] = -1
    return out


@njit(cache=True)
def _depth_and_paths(parent, is_infl, is_partnered):
    n = len(parent)
    depth = np.full(n, -1, dtype=np.int64)
    thr_i = np.zeros(n, dtype=np.bool_)
    thr_p = np.zeros(n, dtype=np.bool_)
    stack = np.empty(n, dtype=np.int64)
    for i in range(n):
        if parent[i] < 0:
            depth[i] = 0
    for i in range(n):
        if depth[i] >= 0:
            continue
        top = 0
        v = i
        while depth[v] < 0 and top <= n:
            stack[top] = v
            top += 1
            v = parent[v]
            if top > n:
                break
        if top > n:  # a cycle: leave depth -1
            return depth, thr_i, thr_p
        for k in range(top - 1, -1, -1):
            v = stack[k]
            p = parent[v]
            depth[v] = depth[p] + 1
            if depth[p] > 0:
                thr_i[v] = is_infl[p] or thr_i[p]
                thr_p[v] = is_partnered[p] or thr_p[p]
    return depth, thr_i, thr_p


@njit(cache=True)
def _accumulate(order, parent, sub):
    for k in range(len(order)):
        v = order[k]
        p = parent[v]
        if p >= 0:
            sub[p] += sub[v]
    return sub


def _subtree_sizes(parent, order):
    return _accumulate(order, parent, np.ones(len(parent), dtype=np.int64))


def _virality_all(off, casc, parent, depth):
    n_casc = len(off) - 1
    order = np.argsort(-depth, kind="stable").astype(np.int64)
    sub = _subtree_sizes(parent, order).astype(np.float64)
    n = np.diff(off).astype(np.float64)
    child = parent >= 0
    w = np.bincount(casc[child], weights=sub[child] * (n[casc[child]] - sub[child]),
                    minlength=n_casc)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 1, 2.0 * w / (n * (n - 1.0)), np.nan)


def _max_breadth(casc, depth, n_casc):
    if len(casc) == 0:
        return np.zeros(0, np.int64)
    key = casc * (int(depth.max()) + 1) + depth
    uniq, counts = np.unique(key, return_counts=True)
    c_of = uniq // (int(depth.max()) + 1)
    out = np.zeros(n_casc, np.int64)
    np.maximum.at(out, c_of, counts)
    return out


def _count_distinct(casc, values, n_casc):
    if len(casc) == 0:
        return np.zeros(n_casc, np.int64)
    pairs = np.unique(casc * 64 + values)
    return np.bincount(pairs // 64, minlength=n_casc)


def _matched_one(x, g, stratum, n_perm, rng):
    keep_strata = np.intersect1d(np.unique(stratum[g]), np.unique(stratum[~g]))
    keep = np.isin(stratum, keep_strata)
    x, g, stratum = x[keep], g[keep], stratum[keep]
    if len(x) == 0:
        return (0, 0, 0, np.nan, np.nan, np.nan, np.nan)
    order = np.argsort(stratum, kind="stable")
    x, g, stratum = x[order], g[order], stratum[order]
    starts = np.flatnonzero(np.r_[True, stratum[1:] != stratum[:-1]])
    n_b = np.diff(np.r_[starts, len(x)]).astype(float)
    n_a_b = np.add.reduceat(g.astype(float), starts)
    tot_b = np.add.reduceat(x, starts)
    w = n_b / n_b.sum()

    def stat(sum_a):
        mean_a = sum_a / n_a_b
        mean_b = (tot_b - sum_a) / (n_b - n_a_b)
        return mean_a @ w, mean_b @ w

    ma, mb = stat(np.add.reduceat(np.where(g, x, 0.0), starts))
    observed = ma - mb
    sid = np.repeat(np.arange(len(starts)), n_b.astype(np.int64)).astype(float)
    extreme = 0
    chunk = max(1, 2_000_000 // max(len(x), 1))
    done = 0
    while done < n_perm:
        m = min(chunk, n_perm - done)
        perm = np.argsort(sid[None, :] + rng.random((m, len(x))), axis=1)
        gp = g[perm]  # labels permuted within strata
        sums = np.add.reduceat(np.where(gp, x[None, :], 0.0), starts, axis=1)
        a_m, b_m = stat(sums)
        extreme += int(np.sum(np.abs(a_m - b_m) >= abs(observed) - 1e-12))
        done += m
    p = (1 + extreme) / (1 + n_perm)
    return (int(g.sum()), int((~g).sum()), len(starts), float(ma), float(mb), float(observed),
            float(p))


def example_cascades() -> Cascades:
    """A hand-made cascade for examples and exercises.

    One root post ``x:r`` of a Kota Surabaya office, reposted after 1 h by an influencer of
    Kabupaten Kediri (``x:a``, partnered) and after 2 h by a province-wide medium
    (``x:c``); a citizen of Sumenep quotes the influencer's repost after 3 h (``x:b``).
    The parents are named in the data, so ``method="root"`` rebuilds the tree exactly.

    Returns
    -------
    Cascades
        :func:`reconstruct_cascades` of that four-post corpus.

    Examples
    --------
    >>> c = example_cascades()
    >>> len(c), c.nodes["post_id"].tolist()
    (1, ['x:r', 'x:a', 'x:c', 'x:b'])
    """
    return reconstruct_cascades(_demo_corpus(), method="root")


def _demo_corpus():
    """The corpus of :func:`example_cascades`."""
    accounts = pd.DataFrame({
        "account_id": ["x:g", "x:i", "x:s", "x:p"], "platform": "synthetic",
        "handle": ["g", "i", "s", "p"],
        "actor_type": ["government_regency", "influencer", "citizen", "media"],
        "region_code": ["3578", "3506", "3526", "35"], "partnered": [False, True, False, False]})
    t0 = pd.Timestamp("2024-11-01T00:00:00Z")
    posts = pd.DataFrame({
        "post_id": ["x:r", "x:a", "x:c", "x:b"], "platform": "synthetic",
        "author_id": ["x:g", "x:i", "x:p", "x:s"],
        "created_at": [t0 + pd.Timedelta(hours=h) for h in (0, 1, 2, 3)],
        "kind": ["original", "repost", "repost", "quote"],
        "parent_post_id": [None, "x:r", "x:r", "x:a"]})
    return Corpus.from_frames(accounts, posts)


# ----------------------------------------------------------------------------------------
# per-region summaries that the notebooks and labs share


@fill_doc
def reach_by_region(cascades: Cascades, corpus: Corpus | None = None, *,
                    roots=None) -> pd.DataFrame:
    """How often and how fast a set of cascades reached each kabupaten/kota, beside how many
    accounts live there.

    The per-region reach of notebook 03 in one call: :func:`time_to_region` of the
    cascades, :func:`region_reach` over ``roots`` (every cascade by default, also those
    that reached no region) and the number of the corpus's accounts in each region, the
    size a region's reach is best read against.

    Parameters
    ----------
    cascades : Cascades
        From :func:`reconstruct_cascades`.
    corpus : Corpus, optional
        The corpus the cascades were rebuilt from; gives the ``accounts`` column (all zero
        without it).
    roots : iterable of root post ids, optional
        The cascades to count (e.g. the government-rooted ones); default every cascade.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``region_code`` (all 38), the columns of :func:`region_reach`
        (``name``, ``bakorwil``, ``cascades_reached``, ``share_reached``, ``rank``,
        ``median_hours``, ``is_kota``) and ``accounts`` (accounts of ``corpus`` whose
        ``region_code`` is the region).

    Raises
    ------
    KopiresearchError
        No cascade to count (no cascades, or ``roots`` empty).
    CascadeError
        A root that roots no cascade of ``cascades``.

    See Also
    --------
    region_reach : the same from a :func:`time_to_region` table.

    Notes
    -----
    ``share_reached(r) = |{c in C : T_r(c) defined}| / |C|``. How often a region is reached
    follows, in any network with local ties, how many of its accounts take part; compare
    ``share_reached`` with ``accounts`` (e.g. Spearman's rank correlation) before calling a
    region under-served. Takhteyev, Gruzd & Wellman (2012) measured how local Twitter ties
    are.

    References
    ----------
    {{takhteyev2012}}

    Examples
    --------
    >>> cas = example_cascades()
    >>> t = reach_by_region(cas, _demo_corpus())
    >>> t.loc[["3578", "3506", "3501"], ["share_reached", "median_hours", "accounts"]]
             share_reached  median_hours  accounts
    region_code
    3578                   1.0           0.0         1
    3506                   1.0           1.0         1
    3501                   0.0           NaN         0
    """
    all_roots = cascades.root_post_ids
    if roots is None:
        roots = all_roots
    roots = pd.Index(list(roots)).unique()
    unknown = roots.difference(all_roots)
    if len(unknown):
        raise CascadeError(f"roots: {unknown[0]!r} roots no cascade")
    if len(roots) == 0:
        raise KopiresearchError("reach_by_region: no cascade to count")
    out = region_reach(time_to_region(cascades), roots)
    if corpus is None:
        out["accounts"] = 0
    else:
        codes = corpus.accounts["region_code"].astype("string").fillna("?")
        out["accounts"] = codes.value_counts().reindex(out.index).fillna(0).astype(np.int64)
    return out


@fill_doc
def flow_locality(cascades: Cascades) -> pd.Series:
    """How local the cascade edges between known regions are, in five numbers.

    Parameters
    ----------
    cascades : Cascades

    Returns
    -------
    pandas.Series
        ``edges``: parent -> child edges whose two accounts have a kabupaten/kota;
        ``within_kabkota``: the share of them inside one kabupaten/kota;
        ``within_bakorwil``: the share inside one Bakorwil;
        ``rows``: kabupaten/kota with outgoing flow; ``diagonal_rows``: of those, the rows of
        :func:`region_flows` (per active account of the source) whose largest entry is the
        region itself (ties count for the region);
        ``inside_over_between``: the smallest within-Bakorwil entry of the Bakorwil flow
        matrix (per active account of the source) divided by its largest between-Bakorwil
        entry (``inf`` when no edge crosses a Bakorwil border, ``NaN`` when a Bakorwil has
        no active account). Shares are ``NaN`` without edges.

    Notes
    -----
    The edges and matrices are those of :func:`region_flows`; edges with an endpoint of
    unknown or province-wide region are left out. Takhteyev, Gruzd & Wellman (2012) found
    39% of Twitter ties within one metropolitan region, a comparison for real crawls.

    References
    ----------
    {{takhteyev2012}}

    Examples
    --------
    >>> flow_locality(example_cascades())[["edges", "within_kabkota", "rows", "diagonal_rows"]]
    edges             2.0
    within_kabkota    0.0
    rows              2.0
    diagonal_rows     0.0
    dtype: float64
    """
    counts = region_flows(cascades, normalize=None)
    per_source = region_flows(cascades, normalize="source")
    bw_counts = region_flows(cascades, level="bakorwil", normalize=None)
    bw = region_flows(cascades, level="bakorwil", normalize="source").to_numpy()
    total = float(counts.to_numpy().sum())
    m = per_source.to_numpy()
    out_flow = np.nansum(m, axis=1) > 0
    diag = np.diag(m)
    diagonal_rows = int(np.sum(out_flow & (np.nan_to_num(diag) >= np.nanmax(
        np.where(np.isnan(m), -np.inf, m), axis=1))))
    off = bw[~np.eye(len(bw), dtype=bool)]
    inside = np.diag(bw)
    if np.isnan(bw).any() or total == 0:
        ratio = np.nan
    elif np.max(off) == 0:
        ratio = np.inf
    else:
        ratio = float(np.min(inside) / np.max(off))
    return pd.Series({
        "edges": total,
        "within_kabkota": float(np.trace(counts.to_numpy()) / total) if total else np.nan,
        "within_bakorwil": float(np.trace(bw_counts.to_numpy()) / total) if total else np.nan,
        "rows": float(out_flow.sum()),
        "diagonal_rows": float(diagonal_rows),
        "inside_over_between": ratio,
    })
