"""The account table: degrees by kind of act, centralities, k-core and structural holes."""

from __future__ import annotations

import random
from typing import NamedTuple

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.linalg as sla

from .._random import resolve_rng
from ..errors import KopiresearchError
from ..graph import KIND_ATTRIBUTES
from ._centrality_kernels import brandes_moments, burt_measures, core_numbers, n_chunks
from ._common import check_graph

__all__ = ["account_table", "AccountTable", "structural_holes", "EXACT_BETWEENNESS_WORK",
           "MIN_PIVOTS"]

#: ``account_table(G)`` computes exact betweenness while ``n * (n + m)`` (accounts, edges)
#: is at most this and samples ``EXACT_BETWEENNESS_WORK // (n + m)`` pivots above it: one
#: breadth-first search costs about ``n + m`` steps, so the default costs at most about this
#: many (about 8 s on the two cores of this project's benchmark machine; see
#: ``account_table`` and ``benchmarks/results/account_table.md``).
EXACT_BETWEENNESS_WORK = 500_000_000
#: The fewest pivots the default samples, whatever the size of the graph.
MIN_PIVOTS = 100

_NODE_COLUMNS = ("handle", "actor_type", "region_code", "bakorwil")


class AccountTable(pd.DataFrame):
    """What :func:`account_table` returns: a pandas DataFrame whose ``betweenness_method``
    (``"exact"`` or ``"sampled"``) and ``betweenness_k`` (pivots; ``n`` when exact)
    attributes say how betweenness was computed (both None without betweenness).

    They are part of the result, not of ``DataFrame.attrs`` (which pandas documents as
    experimental and drops in some operations); ``attrs`` holds them as well for code
    written before. Anything computed from the table (``table[mask]``,
    ``table.sort_values(...)``) is a plain DataFrame.
    """

    _metadata = ["betweenness_method", "betweenness_k"]
    betweenness_method: str | None = None
    betweenness_k: int | None = None

    @property
    def _constructor(self):
        return pd.DataFrame


def account_table(G: nx.DiGraph, *, weight: str | None = "weight", betweenness: bool = True,
                  k: int | None = None, seed=None, structural_holes: str | None = "fast",
                  alpha: float = 0.85) -> pd.DataFrame:
    """One row per account with degrees by kind of act, centralities and brokerage scores.

    Parameters
    ----------
    G : networkx.DiGraph
        An interaction graph (:func:`kopiresearch.build_interaction_graph`): edges point from
        the account that acts to the account engaged and carry ``weight`` and ``n_<kind>``.
    weight : str or None, default "weight"
        Edge attribute used for weighted degree, PageRank, HITS and structural holes
        (missing values count 1); ``None`` treats every edge as 1.
    betweenness : bool, default True
        Compute betweenness centrality and its standard error.
    k : int, optional
        Number of source nodes (pivots) for betweenness. ``None`` (default) chooses: exact
        when ``n * (n + m) <= EXACT_BETWEENNESS_WORK`` (n accounts, m edges; 5e8),
        otherwise ``max(MIN_PIVOTS, EXACT_BETWEENNESS_WORK // (n + m))`` pivots (Brandes &
        Pich 2007; 100 at least). An int ``k < n`` samples ``k`` pivots; ``k >= n`` is
        exact.
    seed : int or numpy.random.Generator, optional
        Seed for the pivots of sampled betweenness; the same seed gives the same table (and
        the pivots ``nx.betweenness_centrality(G, k, seed=...)`` would draw, see Notes).
    structural_holes : {"fast", "networkx", None}, default "fast"
        Burt's constraint and effective size: ``"fast"`` with :func:`structural_holes`
        (compiled, linear memory), ``"networkx"`` with ``nx.constraint`` and
        ``nx.effective_size`` (the same numbers, slow or memory-hungry on large graphs),
        ``None`` to skip the two columns.
    alpha : float, default 0.85
        PageRank damping factor, ``0 <= alpha < 1``.

    Returns
    -------
    AccountTable
        A pandas DataFrame indexed by account (node), sorted by index, with the node
        attributes ``handle``, ``actor_type``, ``region_code``, ``bakorwil`` (when present)
        and the columns
        ``in_degree``, ``out_degree`` (distinct accounts), ``in_weight``, ``out_weight``
        (number of acts), ``in_<kind>``, ``out_<kind>`` (acts of each kind that occurs in the
        graph, e.g. ``in_reply`` = replies received), ``pagerank``, ``betweenness``,
        ``betweenness_se`` (its standard error from pivot sampling; 0 when exact), ``hub``,
        ``authority``, ``core_number``, ``constraint``, ``effective_size``. How betweenness
        was computed is in ``table.betweenness_method`` (``"exact"`` or ``"sampled"``) and
        ``table.betweenness_k`` (the number of pivots; ``n`` when exact), also in
        ``table.attrs``, the older spelling.

    Raises
    ------
    KopiresearchError
        ``G`` is not a directed graph, an option is invalid, or a weight is not a
        non-negative number.

    See Also
    --------
    structural_holes : Burt's constraint and effective size of any graph.

    Notes
    -----
    The graph is converted to arrays once; the columns are the published definitions, as
    NetworkX implements them (tests compare every column with NetworkX and igraph):

    - ``pagerank``: Brin & Page's PageRank with damping ``alpha``, the ``weight`` edge
      attribute as transition weights and dangling accounts (no out-weight) spreading their
      rank uniformly, as ``nx.pagerank(G, alpha, weight=weight)``. Power iteration runs
      until the L1 change between iterates ``d`` satisfies ``alpha d / (1 - alpha) < 1e-10``,
      which bounds the L1 distance to the exact vector by 1e-10 (NetworkX's default stops at
      an L1 change of ``n * 1e-6``). With actor -> engaged edges, PageRank flows to the
      accounts that are engaged with (replied to, reposted, mentioned).
    - ``betweenness``: Freeman's betweenness over directed shortest paths counted in hops
      (weights are counts of acts, not distances), normalised by ``(n - 1)(n - 2)``, by
      Brandes' algorithm on all cores; equal to ``nx.betweenness_centrality(G,
      normalized=True)``. With ``k`` pivots ``S`` drawn uniformly without replacement the
      estimate of node ``v`` is the mean dependency ``delta_s(v)`` over the pivots
      ``s != v``, divided by ``n - 2``, as ``nx.betweenness_centrality(G, k)`` computes it
      (Brandes & Pich 2007). ``betweenness_se`` is its standard error under that sampling
      design: ``sqrt((1 - k_v / (n - 1)) s_v^2 / k_v) / (n - 2)`` with ``k_v`` the pivots
      other than ``v`` and ``s_v^2`` the sample variance of their dependencies (Cochran
      1977, simple random sampling without replacement); a 95% interval is about
      ``betweenness +- 1.96 betweenness_se`` (it covers somewhat less for accounts that lie
      on the paths of few pivots, whose dependencies are skewed). The default is exact up
      to ``n * (n + m) = EXACT_BETWEENNESS_WORK`` and samples above it (454 pivots at
      100,000 accounts and 1,000,000 edges, about 8 s on two cores), so
      ``account_table(G)`` stays feasible on any graph; pass ``k=len(G)`` for exact values
      on a large graph.
    - ``hub``, ``authority``: Kleinberg's HITS on the adjacency matrix ``A`` weighted by
      ``weight`` (unweighted when ``weight=None``): the authority vector is the leading right
      singular vector of ``A`` (ARPACK, ``tol=1e-10``), hubs are ``A`` times it, both scaled
      to sum to 1, as ``nx.hits`` (which always reads the ``"weight"`` attribute); round-off
      below 0 is clipped to 0. A hub engages many authorities.
    - ``core_number``: the k-core number with degree = in-degree + out-degree, so a mutual
      tie counts twice, as ``nx.core_number(G)`` on a directed graph (self-loops are left
      out); Batagelj & Zaversnik's peeling.
    - ``constraint``, ``effective_size``: Burt's measures on mutual weights
      ``w_uv + w_vu`` over all in- and out-neighbours, as ``nx.constraint`` and
      ``nx.effective_size`` define them; ``NaN`` for isolated accounts. Two NetworkX 3.6
      quirks make ``"networkx"`` differ from ``"fast"`` on some nodes: its per-node path
      returns ``NaN`` for accounts with in-edges only (it tests ``G[v]``, the successors),
      and its all-nodes ``effective_size`` path divides by the wrong axis' maxima; the
      ``"networkx"`` option therefore calls the per-node path.

    References
    ----------
    .. [1] Freeman, L. C. (1978). Centrality in social networks: conceptual clarification.
       Social Networks 1(3):215-239. doi:10.1016/0378-8733(78)90021-7
    .. [2] Brandes, U. (2001). A faster algorithm for betweenness centrality. Journal of
       Mathematical Sociology 25(2):163-177. doi:10.1080/0022250X.2001.9990249
    .. [3] Brandes, U., & Pich, C. (2007). Centrality estimation in large networks.
       International Journal of Bifurcation and Chaos 17(7):2303-2318.
       doi:10.1142/S0218127407018403
    .. [4] Cochran, W. G. (1977). Sampling Techniques, 3rd ed., ch. 2. Wiley.
    .. [5] Brin, S., & Page, L. (1998). The anatomy of a large-scale hypertextual Web search
       engine. Computer Networks and ISDN Systems 30:107-117.
       doi:10.1016/S0169-7552(98)00110-X
    .. [6] Kleinberg, J. M. (1999). Authoritative sources in a hyperlinked environment.
       Journal of the ACM 46(5):604-632. doi:10.1145/324133.324140
    .. [7] Batagelj, V., & Zaversnik, M. (2003). An O(m) algorithm for cores decomposition of
       networks. arXiv:cs/0310049.
    .. [8] Burt, R. S. (1992). Structural Holes: The Social Structure of Competition.
       Harvard University Press. doi:10.4159/9780674029095

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("warga", "kominfo", weight=3, n_reply=2, n_mention=1)
    >>> G.add_edge("kominfo", "warga", weight=1, n_reply=1, n_mention=0)
    >>> G.add_edge("influencer", "kominfo", weight=1, n_reply=0, n_mention=1)
    >>> t = account_table(G)
    >>> t[["in_degree", "in_weight", "in_reply", "out_mention", "core_number"]]
                in_degree  in_weight  in_reply  out_mention  core_number
    account_id
    influencer          0          0         0            1            1
    kominfo             2          4         2            0            2
    warga               1          1         1            1            2
    >>> bool(t["pagerank"].idxmax() == "kominfo")
    True
    >>> t.betweenness_method, t["betweenness"].round(3).tolist()
    ('exact', [0.0, 0.5, 0.0])
    """
    check_graph(G, directed=True)
    if structural_holes not in ("fast", "networkx", None):
        raise KopiresearchError(f"structural_holes must be 'fast', 'networkx' or None, not "
                                f"{structural_holes!r}")
    if k is not None and (isinstance(k, bool) or not isinstance(k, (int, np.integer))
                          or k < 1):
        raise KopiresearchError(f"k must be a positive int or None, not {k!r}")
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.number)) \
            or not 0 <= alpha < 1:
        raise KopiresearchError(f"alpha must be a number with 0 <= alpha < 1, not {alpha!r}")
    arr = _graph_arrays(G, weight=weight, kinds=True)
    nodes, src, dst, w = arr.nodes, arr.src, arr.dst, arr.weight
    n, m = len(nodes), src.size
    index = pd.Index(nodes, dtype=object, name="account_id")
    out = pd.DataFrame(index=index)
    for col in _NODE_COLUMNS:
        values = [d.get(col) for _, d in G.nodes(data=True)]
        if any(v is not None for v in values):
            out[col] = values

    out["in_degree"] = np.bincount(dst, minlength=n)
    out["out_degree"] = np.bincount(src, minlength=n)
    vals = [w, *arr.kinds.values()]
    integral = all(np.array_equal(x, np.round(x)) for x in vals)
    cast = (lambda x: x.astype(np.int64)) if integral else (lambda x: x)
    out["in_weight"] = cast(np.bincount(dst, weights=w, minlength=n))
    out["out_weight"] = cast(np.bincount(src, weights=w, minlength=n))
    for kind, x in arr.kinds.items():
        if not x.any():  # kinds absent from the graph get no columns
            continue
        out[f"in_{kind}"] = cast(np.bincount(dst, weights=x, minlength=n))
        out[f"out_{kind}"] = cast(np.bincount(src, weights=x, minlength=n))

    A = sp.csr_array((w, (src, dst)), shape=(n, n))
    out["pagerank"] = _pagerank(A, alpha) if n else np.zeros(0)
    if betweenness:
        bc, se, kk = _betweenness(arr, k, seed)
        out["betweenness"] = bc
        out["betweenness_se"] = se
        out.attrs["betweenness_method"] = "exact" if kk >= n else "sampled"
        out.attrs["betweenness_k"] = int(min(kk, n))
    if m:
        hubs, auth = _hits(A)
        # round-off of order -1e-17 on zero scores: clip it
        out["hub"] = np.clip(hubs, 0.0, None)
        out["authority"] = np.clip(auth, 0.0, None)
    else:
        out["hub"] = out["authority"] = np.nan
    loop = src != dst
    rows = np.concatenate([src[loop], dst[loop]])
    cols = np.concatenate([dst[loop], src[loop]])
    order = np.argsort(rows, kind="stable")
    out["core_number"] = core_numbers(_indptr(rows, n), cols[order])
    if structural_holes == "fast":
        sh = _structural_holes_matrix(A, directed=True)
        out["constraint"] = sh["constraint"].to_numpy()
        out["effective_size"] = sh["effective_size"].to_numpy()
    elif structural_holes == "networkx":
        c = nx.constraint(G, nodes=nodes, weight=weight)
        e = nx.effective_size(G, nodes=nodes, weight=weight)
        out["constraint"] = [c[v] for v in nodes]
        out["effective_size"] = [e[v] for v in nodes]
    attrs = dict(out.attrs)
    out = AccountTable(out.sort_index())
    out.attrs.update(attrs)
    out.betweenness_method = attrs.get("betweenness_method")
    out.betweenness_k = attrs.get("betweenness_k")
    return out


def structural_holes(G: nx.Graph, *, weight: str | None = "weight") -> pd.DataFrame:
    """Burt's constraint and effective size of every node, compiled, in linear memory.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The graph (self-loops are ignored).
    weight : str or None, default "weight"
        Edge attribute holding the tie strength (missing values count 1); ``None`` gives
        every edge weight 1.

    Returns
    -------
    pandas.DataFrame
        Indexed by node (in ``list(G)`` order) with columns ``constraint`` and
        ``effective_size``; ``NaN`` for isolated nodes.

    Raises
    ------
    KopiresearchError
        ``G`` is not a graph or a weight is not a non-negative number.

    Notes
    -----
    With ``M = A + A^T`` (mutual weights, ``A`` the weighted adjacency matrix without
    self-loops; ``M = A`` for undirected graphs), ``p_vu = M_vu / sum_w M_vw``,
    ``m_vu = M_vu / max_w M_vw`` and ``N(v)`` the in- and out-neighbours of ``v``:

    - constraint ``c(v) = sum_{u in N(v)} (p_vu + sum_{w in N(v)} p_vw p_wu)^2``,
    - effective size ``e(v) = sum_{u in N(v)} (1 - sum_{w in N(v)} p_vw m_uw)``,

    the definitions of ``nx.constraint`` and ``nx.effective_size`` (Burt 1992; for
    unweighted undirected graphs the effective size equals Borgatti's ``n - 2t/n``). The
    inner sums run over the common neighbours of ``v`` and ``u`` only (the triangles on the
    edge), found by scanning the shorter of the two neighbour lists, in parallel over
    nodes; memory is linear in the number of edges where NetworkX's all-nodes path forms a
    dense ``n x n`` array.

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of Competition.
       Harvard University Press. doi:10.4159/9780674029095
    .. [2] Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy measures.
       Connections 20(1):35-38.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.star_graph(3)
    >>> structural_holes(G, weight=None).round(3)
       constraint  effective_size
    0       0.333             3.0
    1       1.000             1.0
    2       1.000             1.0
    3       1.000             1.0
    """
    check_graph(G)
    arr = _graph_arrays(G, weight=weight)
    n = len(arr.nodes)
    src, dst = arr.src, arr.dst
    if not G.is_directed():
        src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
        w = np.concatenate([arr.weight, arr.weight])
    else:
        w = arr.weight
    A = sp.csr_array((w, (src, dst)), shape=(n, n))
    out = _structural_holes_matrix(A, directed=G.is_directed())
    out.index = pd.Index(arr.nodes, dtype=object)
    return out


class _Arrays(NamedTuple):
    nodes: list
    src: np.ndarray      # int64 position of each edge's tail, edges grouped by tail
    dst: np.ndarray      # int64 position of each edge's head
    weight: np.ndarray   # float64 weight of each edge (1 where missing or weight=None)
    kinds: dict          # kind -> float64 count of acts of that kind (0 where missing)


def _graph_arrays(G, *, weight, kinds=False) -> _Arrays:
    """Nodes in ``list(G)`` order and the edges as position and attribute arrays, in one
    pass over ``G.adjacency()`` (undirected edges once, as ``G.edges`` lists them)."""
    nodes = list(G)
    pos = dict(zip(nodes, range(len(nodes))))
    tails, sizes, heads, datas = [], [], [], []
    if G.is_directed():
        for u, nbrs in G.adjacency():
            tails.append(pos[u])
            sizes.append(len(nbrs))
            heads.extend(map(pos.__getitem__, nbrs))
            datas.extend(nbrs.values())
    else:
        for u, v, d in G.edges(data=True):
            tails.append(pos[u])
            heads.append(pos[v])
            datas.append(d)
        sizes = [1] * len(tails)
    src = np.repeat(np.asarray(tails, dtype=np.int64), np.asarray(sizes, dtype=np.int64))
    dst = np.asarray(heads, dtype=np.int64)
    if weight is None:
        w = np.ones(dst.size)
    else:
        w = _numeric([d.get(weight, 1) for d in datas], weight)
    counts = {}
    if kinds:
        for kind, attr in KIND_ATTRIBUTES.items():
            counts[kind] = _numeric([d.get(attr, 0) for d in datas], attr)
    return _Arrays(nodes, src, dst.reshape(-1), w, counts)


def _numeric(values, attr) -> np.ndarray:
    try:
        x = np.asarray(values, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise KopiresearchError(f"edge attribute {attr!r} must hold numbers") from None
    if x.size and not (x.min() >= 0):  # also catches NaN
        raise KopiresearchError(f"edge attribute {attr!r} must be >= 0 (found {x.min()!r})")
    return x


def _indptr(rows, n) -> np.ndarray:
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return indptr


def _pagerank(A, alpha, tol=1e-10, max_iter=100_000) -> np.ndarray:
    """PageRank by power iteration until the L1 error bound ``alpha d / (1 - alpha)`` of
    the last change ``d`` is below ``tol`` (dangling rank spread uniformly)."""
    n = A.shape[0]
    out_w = np.asarray(A.sum(axis=1)).ravel()
    dangling = out_w == 0
    inv = np.zeros(n)
    inv[~dangling] = 1.0 / out_w[~dangling]
    PT = sp.csr_array((sp.diags_array(inv) @ A).T)
    x = np.full(n, 1.0 / n)
    if alpha == 0:
        return x
    bound = tol * (1 - alpha) / alpha
    teleport = (1 - alpha) / n
    for _ in range(max_iter):
        x_new = alpha * (PT @ x + x[dangling].sum() / n) + teleport
        change = np.abs(x_new - x).sum()
        x = x_new
        if change < bound:
            return x
    raise KopiresearchError(f"PageRank did not converge in {max_iter} iterations "
                            f"(alpha={alpha})")  # pragma: no cover (alpha < 1 converges)


def _hits(A) -> tuple[np.ndarray, np.ndarray]:
    """Hub and authority scores as ``nx.hits``: the leading right singular vector of ``A``
    (authorities) and ``A`` times it (hubs), each summing to 1."""
    n = A.shape[0]
    if n < 3:  # ARPACK needs k < n - 1: a dense SVD of a tiny matrix
        _, _, vt = np.linalg.svd(A.toarray())
    else:
        v0 = np.full(n, 1.0 / np.sqrt(n))  # not orthogonal to the non-negative leading vector
        _, _, vt = sla.svds(A, k=1, v0=v0, maxiter=max(1000, 10 * n), tol=1e-10)
    a = vt[0].real.astype(np.float64)
    h = A @ a
    return h / h.sum(), a / a.sum()


def _betweenness(arr: _Arrays, k, seed) -> tuple[np.ndarray, np.ndarray, int]:
    """Normalised betweenness, its standard error, and the number of pivots used."""
    n, m = len(arr.nodes), arr.src.size
    if k is None:
        k = n if n * (n + m) <= EXACT_BETWEENNESS_WORK else max(
            MIN_PIVOTS, EXACT_BETWEENNESS_WORK // (n + m))
    k = int(k)
    order = np.argsort(arr.src, kind="stable")
    indptr, indices = _indptr(arr.src, n), arr.dst[order]
    if k >= n:
        sources = np.arange(n, dtype=np.int64)
    else:
        # the pivots nx.betweenness_centrality(G, k, seed=s) draws with the same s
        s = int(resolve_rng(seed).integers(2**31 - 1))
        pos = dict(zip(arr.nodes, range(n)))
        sources = np.array([pos[v] for v in random.Random(s).sample(arr.nodes, k)],
                           dtype=np.int64)
    if n < 3 or m == 0:
        return np.zeros(n), np.zeros(n), k
    nch = n_chunks(sources.size, n, 48)
    sum1, sum2 = brandes_moments(indptr, indices, sources, nch)
    if k >= n:
        return sum1 / ((n - 1) * (n - 2)), np.zeros(n), k
    k_v = np.full(n, float(k))
    k_v[sources] -= 1  # a pivot's own dependency is 0 and is not a sample of it
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = sum1 / k_v
        var = np.clip((sum2 - k_v * mean**2) / (k_v - 1), 0.0, None)
        se = np.sqrt((1 - k_v / (n - 1)) * var / k_v) / (n - 2)
    return mean / (n - 2), se, k


def _structural_holes_matrix(A, *, directed: bool) -> pd.DataFrame:
    A = sp.csr_array(A, dtype=np.float64)
    A.setdiag(0)
    A.eliminate_zeros()
    M = (A + A.T).tocsr() if directed else A.tocsr()
    M.sort_indices()
    M.eliminate_zeros()
    n = M.shape[0]
    nch = n_chunks(n, n, 8)
    constraint, eff = burt_measures(M.indptr.astype(np.int64), M.indices.astype(np.int64),
                                    M.data, nch)
    return pd.DataFrame({"constraint": constraint, "effective_size": eff})
