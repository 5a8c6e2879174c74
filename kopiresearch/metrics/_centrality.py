"""The account table: degrees by kind of act, centralities, k-core and structural holes."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..errors import KopiresearchError
from ..graph import KIND_ATTRIBUTES
from ._common import check_graph, resolve_rng

__all__ = ["account_table", "structural_holes"]

_NODE_COLUMNS = ("handle", "actor_type", "region_code", "bakorwil")


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
        Edge attribute used for weighted degree, PageRank and structural holes; ``None``
        treats every edge as 1.
    betweenness : bool, default True
        Compute betweenness centrality (the slowest column on large graphs).
    k : int, optional
        Sample ``k`` source nodes for betweenness (Brandes & Pich 2007); ``None`` is exact.
    seed : int or numpy.random.Generator, optional
        Seed for the sampled betweenness; the same seed gives the same table.
    structural_holes : {"fast", "networkx", None}, default "fast"
        Burt's constraint and effective size: ``"fast"`` with :func:`structural_holes`
        (sparse, chunked, scales to 10^6 edges), ``"networkx"`` with ``nx.constraint`` and
        ``nx.effective_size`` (the same numbers, slow or memory-hungry on large graphs),
        ``None`` to skip the two columns.
    alpha : float, default 0.85
        PageRank damping factor.

    Returns
    -------
    pandas.DataFrame
        Indexed by account (node), sorted by index, with the node attributes ``handle``,
        ``actor_type``, ``region_code``, ``bakorwil`` (when present) and the columns
        ``in_degree``, ``out_degree`` (distinct accounts), ``in_weight``, ``out_weight``
        (number of acts), ``in_<kind>``, ``out_<kind>`` (acts of each kind that occurs in the
        graph, e.g. ``in_reply`` = replies received), ``pagerank``, ``betweenness``, ``hub``,
        ``authority``, ``core_number``, ``constraint``, ``effective_size``.

    Raises
    ------
    KopiresearchError
        ``G`` is not a directed graph, or an option is invalid.

    Notes
    -----
    Every centrality is a public NetworkX algorithm, so a NetworkX backend
    (``NETWORKX_BACKEND_PRIORITY=parallel`` with nx-parallel) can speed it up:

    - ``pagerank``: ``nx.pagerank(G, alpha, weight)``. With actor -> engaged edges, PageRank
      flows to the accounts that are engaged with (replied to, reposted, mentioned).
    - ``betweenness``: ``nx.betweenness_centrality(G, k, normalized=True, weight=None,
      seed)``, directed shortest paths counted in hops (weights are counts of acts, not
      distances); sampled with ``k`` pivots when ``k`` is given.
    - ``hub``, ``authority``: ``nx.hits`` (scores sum to 1; round-off below 0 is clipped to
      0). A hub engages many authorities.
    - ``core_number``: ``nx.core_number(G)``; for a directed graph NetworkX takes the degree
      as in-degree + out-degree, so a mutual tie counts twice (self-loops are left out).
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
    .. [2] Brandes, U., & Pich, C. (2007). Centrality estimation in large networks.
       International Journal of Bifurcation and Chaos 17(7):2303-2318.
       doi:10.1142/S0218127407018403
    .. [3] Brin, S., & Page, L. (1998). The anatomy of a large-scale hypertextual Web search
       engine. Computer Networks and ISDN Systems 30:107-117.
       doi:10.1016/S0169-7552(98)00110-X
    .. [4] Kleinberg, J. M. (1999). Authoritative sources in a hyperlinked environment.
       Journal of the ACM 46(5):604-632. doi:10.1145/324133.324140
    .. [5] Burt, R. S. (1992). Structural Holes: The Social Structure of Competition.
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
    """
    check_graph(G, directed=True)
    if structural_holes not in ("fast", "networkx", None):
        raise KopiresearchError(f"structural_holes must be 'fast', 'networkx' or None, not "
                                f"{structural_holes!r}")
    if k is not None and (not isinstance(k, (int, np.integer)) or k < 1):
        raise KopiresearchError(f"k must be a positive int or None, not {k!r}")
    nodes = list(G)
    n = len(nodes)
    index = pd.Index(nodes, dtype=object, name="account_id")
    out = pd.DataFrame(index=index)
    for col in _NODE_COLUMNS:
        values = [d.get(col) for _, d in G.nodes(data=True)]
        if any(v is not None for v in values):
            out[col] = values

    # degrees: one pass over the edges into arrays, then bincount
    pos = {v: i for i, v in enumerate(nodes)}
    m = G.number_of_edges()
    kind_attrs = list(KIND_ATTRIBUTES.values())
    src = np.empty(m, dtype=np.int64)
    dst = np.empty(m, dtype=np.int64)
    vals = np.zeros((1 + len(kind_attrs), m))
    for i, (u, v, d) in enumerate(G.edges(data=True)):
        src[i], dst[i] = pos[u], pos[v]
        vals[0, i] = 1 if weight is None else d.get(weight, 1)
        for j, a in enumerate(kind_attrs, start=1):
            vals[j, i] = d.get(a, 0)
    out["in_degree"] = np.bincount(dst, minlength=n)
    out["out_degree"] = np.bincount(src, minlength=n)
    integral = np.all(vals == np.round(vals))
    cast = (lambda x: x.astype(np.int64)) if integral else (lambda x: x)
    out["in_weight"] = cast(np.bincount(dst, weights=vals[0], minlength=n))
    out["out_weight"] = cast(np.bincount(src, weights=vals[0], minlength=n))
    for j, kind in enumerate(KIND_ATTRIBUTES, start=1):
        if not vals[j].any():  # kinds absent from the graph get no columns
            continue
        out[f"in_{kind}"] = cast(np.bincount(dst, weights=vals[j], minlength=n))
        out[f"out_{kind}"] = cast(np.bincount(src, weights=vals[j], minlength=n))

    if m:
        pr = nx.pagerank(G, alpha=alpha, weight=weight)
        out["pagerank"] = [pr[v] for v in nodes]
    else:
        out["pagerank"] = 1.0 / n if n else np.nan
    if betweenness:
        rng = resolve_rng(seed)
        kk = None if k is None or k >= n else int(k)
        bc_seed = int(rng.integers(2**31 - 1)) if kk is not None else None
        bc = nx.betweenness_centrality(G, k=kk, normalized=True, weight=None, seed=bc_seed)
        out["betweenness"] = [bc[v] for v in nodes]
    if m:
        hubs, auth = nx.hits(G, max_iter=1000, tol=1e-10, normalized=True)
        # power iteration leaves round-off of order -1e-17 on zero scores: clip it
        out["hub"] = np.clip([hubs[v] for v in nodes], 0.0, None)
        out["authority"] = np.clip([auth[v] for v in nodes], 0.0, None)
    else:
        out["hub"] = out["authority"] = np.nan
    if nx.number_of_selfloops(G):
        H = nx.DiGraph(G.edges())
        H.add_nodes_from(nodes)
        H.remove_edges_from(list(nx.selfloop_edges(H)))
    else:
        H = G
    core = nx.core_number(H)
    out["core_number"] = [core[v] for v in nodes]
    if structural_holes == "fast":
        w = vals[0]
        A = sp.csr_array((w, (src, dst)), shape=(n, n))
        sh = _structural_holes_matrix(A, directed=True)
        out["constraint"] = sh["constraint"].to_numpy()
        out["effective_size"] = sh["effective_size"].to_numpy()
    elif structural_holes == "networkx":
        c = nx.constraint(G, nodes=nodes, weight=weight)
        e = nx.effective_size(G, nodes=nodes, weight=weight)
        out["constraint"] = [c[v] for v in nodes]
        out["effective_size"] = [e[v] for v in nodes]
    return out.sort_index()


def structural_holes(G: nx.Graph, *, weight: str | None = "weight",
                     max_nnz: int = 20_000_000) -> pd.DataFrame:
    """Burt's constraint and effective size of every node with sparse matrix products.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The graph (self-loops are ignored).
    weight : str or None, default "weight"
        Edge attribute holding the tie strength; ``None`` gives every edge weight 1.
    max_nnz : int, default 20,000,000
        Rows are processed in chunks whose two-step product holds about this many entries,
        which bounds memory (about 16 bytes per entry).

    Returns
    -------
    pandas.DataFrame
        Indexed by node (in ``list(G)`` order) with columns ``constraint`` and
        ``effective_size``; ``NaN`` for isolated nodes.

    Notes
    -----
    With ``M = A + A^T`` (mutual weights, ``A`` the weighted adjacency matrix without
    self-loops), ``P = D_sum^{-1} M`` (row sums) and ``Q = D_max^{-1} M`` (row maxima), and
    ``N(v)`` the in- and out-neighbours of ``v``:

    - constraint ``c(v) = sum_{u in N(v)} (P_vu + (P P)_vu)^2``,
    - effective size ``e(v) = sum_{u in N(v)} (1 - (P Q^T)_vu)``,

    the definitions of ``nx.constraint`` and ``nx.effective_size`` (Burt 1992; for
    unweighted undirected graphs the effective size equals Borgatti's ``n - 2t/n``). The
    products are evaluated only on the pattern of ``M``, chunk by chunk, so memory stays
    bounded where NetworkX's all-nodes path forms a dense ``n x n`` array.

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
    nodes = list(G)
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=weight, dtype=np.float64,
                                 format="csr")
    out = _structural_holes_matrix(A, directed=G.is_directed(), max_nnz=max_nnz)
    out.index = pd.Index(nodes, dtype=object)
    return out


def _structural_holes_matrix(A, *, directed: bool, max_nnz: int = 20_000_000) -> pd.DataFrame:
    A = sp.csr_array(A, dtype=np.float64)
    A.setdiag(0)
    A.eliminate_zeros()
    M = (A + A.T).tocsr() if directed else A.tocsr()
    M.sort_indices()
    n = M.shape[0]
    rowsum = np.asarray(M.sum(axis=1)).ravel()
    rowmax = M.max(axis=1).toarray().ravel() if n else np.zeros(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_sum = np.where(rowsum > 0, 1.0 / rowsum, 0.0)
        inv_max = np.where(rowmax > 0, 1.0 / rowmax, 0.0)
    P = sp.csr_array(sp.diags_array(inv_sum) @ M)
    QT = sp.csr_array(M @ sp.diags_array(inv_max))  # Q^T (M is symmetric)
    pattern = M.copy()
    pattern.data[:] = 1.0
    deg = np.diff(M.indptr)
    cost = P.__class__(pattern) @ deg.astype(np.float64)  # entries of row v of P @ P
    constraint = np.full(n, np.nan)
    eff = np.full(n, np.nan)
    start = 0
    while start < n:
        stop = start + 1
        budget = cost[start]
        while stop < n and budget + cost[stop] <= max_nnz:
            budget += cost[stop]
            stop += 1
        rows = slice(start, stop)
        Pr, pat = P[rows], pattern[rows]
        direct_plus = (Pr + (Pr @ P).multiply(pat)).tocsr()
        constraint[rows] = np.asarray(direct_plus.power(2).sum(axis=1)).ravel()
        red = (Pr @ QT).multiply(pat)
        eff[rows] = deg[rows] - np.asarray(red.sum(axis=1)).ravel()
        start = stop
    isolated = rowsum == 0
    constraint[isolated] = np.nan
    eff[isolated] = np.nan
    return pd.DataFrame({"constraint": constraint, "effective_size": eff})
